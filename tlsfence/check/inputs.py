"""What ``tlsfence check`` evaluates, from any source, as the engine would send it to the pack.

Three sources give the same :class:`~tlsfence.policy.engine.WireResource` list: a program run under mocks,
``pulumi preview --json`` (a ``PreviewDigest``: ``steps[].newState``) and ``pulumi stack export`` (an
``UntypedDeployment``, or the DIY backend's checkpoint). Formats: /work/shared/reference/pulumi_cli_formats.md
(read from pulumi/pulumi ``pkg/display/json.go`` and ``sdk/go/common/apitype/core.go``). Unknowns are the
engine's sentinel string in all three; secrets are kept as envelopes when the value is known and become
the string ``[secret]`` when it is not (masked in previews, encrypted in state). Files are read through
:mod:`tlsfence.readers` (bounded, UTF-8, plain JSON values) and every field the pack reads is checked for the
shape the CLI writes; a bad one is an :class:`~tlsfence.errors.InputError` naming the file and its JSON path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tlsfence import readers
from tlsfence.errors import InputError
from tlsfence.policy.engine import WireResource
from tlsfence.program.recorder import SECRET_SIG, SIG_KEY, Registration, wire

_SKIP = ("pulumi:pulumi:Stack", "pulumi:providers:")


def from_registrations(registrations: Iterable[Registration]) -> tuple[list[WireResource], dict[str, Any]]:
    """Mock registrations → wire resources, plus URN → (file URI, line) of the code that declared them."""
    from tlsfence.check.program import bulk_collection

    with bulk_collection():
        return _from_registrations(registrations)


def _from_registrations(registrations: Iterable[Registration]) -> tuple[list[WireResource], dict[str, Any]]:
    out, sources = [], {}
    # Registration order depends on the event loop; program order (file, line, then URN) is stable.
    registrations = sorted(registrations, key=lambda r: (*(r.source or ("", 0)), r.urn))
    for reg in registrations:
        if reg.type.startswith(_SKIP):
            continue
        inputs, outputs = (reg.inputs, reg.outputs) if reg.wired else (wire(reg.inputs), wire(reg.outputs))
        out.append(WireResource(type=reg.type, name=reg.name, urn=reg.urn, inputs=inputs,
                                outputs={**outputs, **inputs}, parent=reg.parent,
                                dependencies=list(reg.dependencies),
                                property_dependencies={k: list(v) for k, v in reg.property_dependencies.items()}))
        if reg.source:
            sources[reg.urn] = reg.source
    return out, sources


#: Signature values of the special objects the CLI writes (``sdk/go/common/resource/sig/sig.go``).
ASSET_SIG, ARCHIVE_SIG = "c44067f5952c0a294b673a41bacd8c17", "0def7320c3a5731c473e5ecbe6d01bc7"
RESOURCE_REF_SIG, BYTES_SIG = "5cf8f73096256a8f31e491e813e4eb8e", "803fd3297a5875dc03ca845dda5d2a98"
NUMBER_SIG = "8ad145fe-0d11-4827-bfd7-1abcbf086f5c"


def _secrets(value: Any, where: str) -> Any:
    """State/preview values → wire values: a known secret stays an envelope, an unavailable one is ``[secret]``;
    assets, archives, resource references, byte strings and NaN/Inf numbers become plain strings (they decide
    no TLS); an unknown signature is an input error naming its path."""
    if isinstance(value, Mapping):
        if SIG_KEY in value:
            return _special(value, where)
        return {k: _secrets(v, f"{where}.{k}") for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, list):
        return [_secrets(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def _special(value: Mapping[str, Any], where: str) -> Any:
    sig = value[SIG_KEY]
    if sig == SECRET_SIG:
        if "plaintext" in value:
            if not isinstance(value["plaintext"], str):
                raise InputError(f"{where}.plaintext: a secret's plaintext must be a string (its JSON text)")
            return {SIG_KEY: SECRET_SIG, "value": _secrets(readers.parse_json(value["plaintext"], f"{where}.plaintext"),
                                                           where)}
        if "value" in value:
            return {SIG_KEY: SECRET_SIG, "value": _secrets(value["value"], f"{where}.value")}
        return "[secret]"
    if sig in (ASSET_SIG, ARCHIVE_SIG):
        return "[asset]" if sig == ASSET_SIG else "[archive]"
    if sig == RESOURCE_REF_SIG:
        ref = value.get("id") if isinstance(value.get("id"), str) and value.get("id") else value.get("urn")
        if not isinstance(ref, str):
            raise InputError(f"{where}: a resource reference needs a string 'urn'")
        return ref
    if sig == BYTES_SIG:
        return str(value.get("value", ""))
    if sig == NUMBER_SIG:
        return "[non-finite number]"
    raise InputError(f"{where}: unknown signature {readers.one_value(sig)} under key {SIG_KEY!r} (known: secret, "
                     "asset, archive, resource reference, byte string, number)")


def name_of(urn: str) -> str:
    """The resource name: everything after the third ``::`` (names may contain ``::``)."""
    parts = urn.split("::", 3)
    return parts[3] if len(parts) == 4 else urn


def _source_of(state: Mapping[str, Any], where: str) -> tuple[str, int] | None:
    """``project:///__main__.py#12[,col]`` → (uri, line); a malformed position is an input error."""
    pos = state.get("sourcePosition")
    if pos is None or pos == "":
        return None
    uri, sep, rest = pos.partition("#") if isinstance(pos, str) else ("", "", "")
    line, _, col = rest.partition(",")
    if not sep or not (line.isascii() and line.isdigit()) or (col and not (col.isascii() and col.isdigit())) \
            or len(line) > 9:
        raise InputError(f"{where}.sourcePosition: expected 'URI#LINE[,COLUMN]' with decimal numbers, got "
                         f"{readers.one_value(pos)}")
    return uri, int(line)


def _urn(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.startswith("urn:pulumi:") or value.count("::") < 3:
        raise InputError(f"{where}: expected a URN 'urn:pulumi:STACK::PROJECT::TYPE::NAME', got "
                         f"{readers.one_value(value)}")
    return value


def _urns(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: expected a list of URNs, got {type(value).__name__}")
    return [_urn(u, f"{where}[{i}]") for i, u in enumerate(value)]


def _mapping(state: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = state.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(f"{where}.{key}: expected an object, got {type(value).__name__}")
    return value


def _resource(state: Mapping[str, Any], where: str) -> WireResource:
    """One ``ResourceV3`` (``sdk/go/common/apitype/core.go``), every field the pack reads checked for shape."""
    urn = _urn(state.get("urn"), f"{where}.urn")
    if not isinstance(state.get("type"), str) or not state["type"]:
        raise InputError(f"{where}.type: expected a type token string, got {readers.one_value(state.get('type'))}")
    for key in ("custom", "delete", "protect", "external"):
        if state.get(key) is not None and not isinstance(state[key], bool):
            raise InputError(f"{where}.{key}: expected true or false, got {readers.one_value(state[key])}")
    inputs = _secrets(_mapping(state, "inputs", where), f"{where}.inputs")
    outputs = _secrets(_mapping(state, "outputs", where), f"{where}.outputs")
    for key, value in (("inputs", inputs), ("outputs", outputs)):
        if not isinstance(value, dict):  # the whole map was a secret, asset or reference object
            raise InputError(f"{where}.{key}: expected a property map, got a {SIG_KEY!r} signature object")
    deps = _mapping(state, "propertyDependencies", where)
    parent = state.get("parent")
    return WireResource(type=state["type"], name=name_of(urn), urn=urn, inputs=inputs,
                        outputs=outputs or dict(inputs),
                        parent=None if parent is None or parent == "" else _urn(parent, f"{where}.parent"),
                        dependencies=_urns(state.get("dependencies"), f"{where}.dependencies"),
                        property_dependencies={k: _urns(v, f"{where}.propertyDependencies.{k}")
                                               for k, v in deps.items()})


def _load_json(path: str) -> Any:
    return readers.load_json(path, limit=readers.MAX_DOCUMENT_BYTES, what="Pulumi CLI output")


def from_preview(path: str) -> tuple[list[WireResource], dict[str, Any]]:
    """``pulumi preview --json`` output: every step's ``newState`` (deletes are skipped)."""
    doc = _load_json(path)
    if not isinstance(doc, Mapping) or not isinstance(doc.get("steps"), list):
        raise InputError(f"{path}: not `pulumi preview --json` output (no 'steps' list)")
    return _collect(_steps(doc["steps"], path))


def _steps(steps: list[Any], path: str) -> Iterable[tuple[str, Any]]:
    for i, step in enumerate(steps):
        where = f"{path}: steps[{i}]"
        if not isinstance(step, Mapping):
            raise InputError(f"{where}: expected a step object, got {type(step).__name__}")
        if step.get("newState") is not None and not isinstance(step["newState"], Mapping):
            raise InputError(f"{where}.newState: expected a resource object, got {type(step['newState']).__name__}")
        yield f"{where}.newState", step.get("newState")


def _collect(states: Iterable[tuple[str, Any]]) -> tuple[list[WireResource], dict[str, Any]]:
    """Resources and their source positions from (where, resource state) pairs; deletions and internals skipped."""
    out, sources = [], {}
    for where, state in states:
        if state is None:
            continue
        if not isinstance(state, Mapping):
            raise InputError(f"{where}: expected a resource object, got {type(state).__name__}")
        if state.get("delete") is True or (isinstance(state.get("type"), str) and state["type"].startswith(_SKIP)):
            continue
        res = _resource(state, where)
        out.append(res)
        if (src := _source_of(state, where)) is not None:
            sources[res.urn] = src
    return out, sources


def from_state(path: str) -> tuple[list[WireResource], dict[str, Any]]:
    """``pulumi stack export`` output (versions 3 and 4), or a DIY backend checkpoint file."""
    doc = _load_json(path)
    if isinstance(doc, Mapping) and isinstance(doc.get("checkpoint"), Mapping):
        deployment, key = doc["checkpoint"].get("latest") or {}, "checkpoint.latest"
    elif isinstance(doc, Mapping):
        version = doc.get("version")
        if type(version) is not int or version not in (3, 4):
            raise InputError(f"{path}: unsupported deployment version {readers.one_value(version)} (3 and 4 are "
                             "read)")
        deployment, key = doc.get("deployment") or {}, "deployment"
    else:
        raise InputError(f"{path}: not `pulumi stack export` output")
    if not isinstance(deployment, Mapping):
        raise InputError(f"{path}: {key}: expected an object, got {type(deployment).__name__}")
    resources = deployment.get("resources") or []
    if not isinstance(resources, list):
        raise InputError(f"{path}: {key}.resources: expected a list, got {type(resources).__name__}")
    return _collect((f"{path}: {key}.resources[{i}]", state) for i, state in enumerate(resources))
