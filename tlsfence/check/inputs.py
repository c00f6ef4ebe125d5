"""What ``tlsfence check`` evaluates, from any source, as the engine would send it to the pack.

Three sources give the same :class:`~tlsfence.policy.engine.WireResource` list: a program run under mocks,
``pulumi preview --json`` (a ``PreviewDigest``: ``steps[].newState``) and ``pulumi stack export`` (an
``UntypedDeployment``, or the DIY backend's checkpoint). Formats: /work/shared/reference/pulumi_cli_formats.md
(read from pulumi/pulumi ``pkg/display/json.go`` and ``sdk/go/common/apitype/core.go``). Unknowns are the
engine's sentinel string in all three; secrets are kept as envelopes when the value is known and become
the string ``[secret]`` when it is not (masked in previews, encrypted in state).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tlsfence.errors import InputError
from tlsfence.policy.engine import WireResource
from tlsfence.program.recorder import SECRET_SIG, SIG_KEY, Registration, wire

_SKIP = ("pulumi:pulumi:Stack", "pulumi:providers:")


def from_registrations(registrations: Iterable[Registration]) -> tuple[list[WireResource], dict[str, Any]]:
    """Mock registrations → wire resources, plus URN → (file URI, line) of the code that declared them."""
    out, sources = [], {}
    # Registration order depends on the event loop; program order (file, line, then URN) is stable.
    registrations = sorted(registrations, key=lambda r: (*(r.source or ("", 0)), r.urn))
    for reg in registrations:
        if reg.type.startswith(_SKIP):
            continue
        inputs = wire(reg.inputs)
        out.append(WireResource(type=reg.type, name=reg.name, urn=reg.urn, inputs=inputs,
                                outputs={**wire(reg.outputs), **inputs}, parent=reg.parent,
                                dependencies=list(reg.dependencies),
                                property_dependencies={k: list(v) for k, v in reg.property_dependencies.items()}))
        if reg.source:
            sources[reg.urn] = reg.source
    return out, sources


def _secrets(value: Any) -> Any:
    """State/preview secret envelopes → a known secret envelope, or ``[secret]`` when the value is unavailable."""
    if isinstance(value, Mapping):
        if value.get(SIG_KEY) == SECRET_SIG:
            if "plaintext" in value:
                try:
                    return {SIG_KEY: SECRET_SIG, "value": _secrets(json.loads(value["plaintext"]))}
                except (TypeError, json.JSONDecodeError):
                    return "[secret]"
            if "value" in value:
                return {SIG_KEY: SECRET_SIG, "value": _secrets(value["value"])}
            return "[secret]"
        return {str(k): _secrets(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [_secrets(v) for v in value]
    return value


def name_of(urn: str) -> str:
    """The resource name: everything after the third ``::`` (names may contain ``::``)."""
    parts = urn.split("::", 3)
    return parts[3] if len(parts) == 4 else urn


def _source_of(state: Mapping[str, Any]) -> tuple[str, int] | None:
    pos = state.get("sourcePosition")
    if not isinstance(pos, str) or "#" not in pos:
        return None
    uri, _, rest = pos.partition("#")
    line = rest.split(",")[0]
    return (uri, int(line)) if line.isdigit() else None


def _resource(state: Mapping[str, Any], where: str) -> WireResource:
    if not isinstance(state.get("urn"), str) or not isinstance(state.get("type"), str):
        raise InputError(f"{where}: a resource needs 'urn' and 'type'")
    inputs = _secrets(state.get("inputs") or {})
    outputs = _secrets(state.get("outputs") or {})
    deps = state.get("propertyDependencies") or {}
    return WireResource(type=state["type"], name=name_of(state["urn"]), urn=state["urn"], inputs=inputs,
                        outputs=outputs or dict(inputs), parent=state.get("parent") or None,
                        dependencies=list(state.get("dependencies") or []),
                        property_dependencies={str(k): list(v or []) for k, v in deps.items()})


def _load_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from e
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not JSON: {e}") from e


def from_preview(path: str) -> tuple[list[WireResource], dict[str, Any]]:
    """``pulumi preview --json`` output: every step's ``newState`` (deletes are skipped)."""
    doc = _load_json(path)
    if not isinstance(doc, Mapping) or not isinstance(doc.get("steps"), list):
        raise InputError(f"{path}: not `pulumi preview --json` output (no 'steps' list)")
    return _collect((f"{path}: steps[{i}]", step.get("newState") if isinstance(step, Mapping) else None)
                    for i, step in enumerate(doc["steps"]))


def _collect(states: Iterable[tuple[str, Any]]) -> tuple[list[WireResource], dict[str, Any]]:
    """Resources and their source positions from (where, resource state) pairs; deletions and internals skipped."""
    out, sources = [], {}
    for where, state in states:
        if not isinstance(state, Mapping) or state.get("delete") or str(state.get("type", "")).startswith(_SKIP):
            continue
        res = _resource(state, where)
        out.append(res)
        if (src := _source_of(state)) is not None:
            sources[res.urn] = src
    return out, sources


def from_state(path: str) -> tuple[list[WireResource], dict[str, Any]]:
    """``pulumi stack export`` output (versions 3 and 4), or a DIY backend checkpoint file."""
    doc = _load_json(path)
    if isinstance(doc, Mapping) and isinstance(doc.get("checkpoint"), Mapping):
        deployment = doc["checkpoint"].get("latest") or {}
    elif isinstance(doc, Mapping):
        if doc.get("version") not in (3, 4):
            raise InputError(f"{path}: unsupported deployment version {doc.get('version')!r} (3 and 4 are read)")
        deployment = doc.get("deployment") or {}
    else:
        raise InputError(f"{path}: not `pulumi stack export` output")
    resources = deployment.get("resources") or [] if isinstance(deployment, Mapping) else None
    if not isinstance(resources, list):
        raise InputError(f"{path}: 'deployment.resources' must be a list")
    return _collect((f"{path}: resources[{i}]", state) for i, state in enumerate(resources))
