"""Hypothesis strategies for malformed and wrong-shaped input to every surface of the CLI.

Each strategy gives what a user (or a broken pipeline) could hand tlsfence: files that are not UTF-8, not
JSON/YAML/TOML, nested 5,000 deep, with 5,000-digit integers, ``NaN``, lone surrogates, or valid documents with
one value swapped for something of the wrong type; argument lists mixing real flags with junk; and resource
properties for every type token the analyzer registry knows, with property names read from the analyzer
modules themselves, so an analyzer added tomorrow is fuzzed without touching this file.
"""

from __future__ import annotations

import inspect
import json
import re
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tlsfence.analyzers import ANALYZERS
from tlsfence.policy.convert import SENTINELS
from tlsfence.policy.rules import policy_names
from tlsfence.program.recorder import SECRET_SIG, SIG_KEY

SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
WEIRD_STRINGS = ["", " ", "abc", SENTINEL, "[secret]", "HTTPS", "HTTP", "TCP", "TLS", "SSL", "443", "-1", "0",
                 "1e400", "NaN", "true", "false", "null", "ELBSecurityPolicy-2016-08", "TLS_1_2", "TLS_1_0",
                 "CUSTOM", "RESTRICTED", "MODERN", "TLSv1.2_2021", "redirect", "forward", "fixed-response",
                 "\ud800", "a\udfffb", "\x00", "٣", "²", "x" * 5000, "urn:pulumi:s::p::t::n", "arn:aws:x",
                 "https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x", "2024-01-01", "é",
                 *sorted(SENTINELS)]


@cache
def vocabulary() -> tuple[str, ...]:
    """Property names and enum values the analyzers mention (camelCase literals in their modules' source)."""
    words: set[str] = set()
    for fn in ANALYZERS.values():
        source = inspect.getsource(inspect.getmodule(fn))
        words.update(re.findall(r'"([A-Za-z][A-Za-z0-9_.-]{1,60})"', source))
    return tuple(sorted(words))


def tokens() -> list[str]:
    """Every analyzed type token, read from the registry."""
    return sorted(ANALYZERS)


def scalars() -> st.SearchStrategy[Any]:
    """Scalars of every JSON type, edge values included (huge integers, 1e308, odd strings)."""
    return st.one_of(
        st.none(), st.booleans(),
        st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
        st.sampled_from([0, -1, 1, 80, 443, 65536, 2 ** 63, 10 ** 300]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(WEIRD_STRINGS), st.sampled_from(vocabulary()),
        st.text(max_size=20),
    )


def keys() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(vocabulary()), st.text(max_size=8), st.sampled_from(["__defaults", SIG_KEY]))


def values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """JSON-like values: scalars, lists and objects, secret envelopes, signature objects (known and unknown)."""
    envelope = st.fixed_dictionaries({SIG_KEY: st.sampled_from([SECRET_SIG, "bogus", "c44067f5952c0a294b673a41bacd8c17",
                                                                 "5cf8f73096256a8f31e491e813e4eb8e", ""])},
                                     optional={"value": scalars(), "ciphertext": st.text(max_size=5),
                                               "plaintext": st.one_of(st.text(max_size=8), scalars()),
                                               "urn": scalars(), "id": scalars()})
    return st.recursive(scalars(), lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(keys(), inner, max_size=5), envelope),
        max_leaves=max_leaves)


def properties() -> st.SearchStrategy[dict[str, Any]]:
    """A resource's property map: names the analyzers read, values of any type."""
    return st.dictionaries(st.sampled_from(vocabulary()) | st.text(max_size=6), values(), max_size=8)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    if delete and not rest:
        del copy[head]
        return copy
    copy[head] = _replace(doc[head], rest, value, delete)
    return copy


@st.composite
def mutated(draw: st.DrawFn, doc: Any, times: int = 3) -> Any:
    """``doc`` with up to ``times`` values replaced by arbitrary ones (or deleted)."""
    for _ in range(draw(st.integers(min_value=1, max_value=times))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        delete = bool(path) and draw(st.booleans())
        doc = _replace(doc, path, draw(values(6)), delete)
    return doc


def encoded(doc: Any) -> bytes:
    """A document as the CLI writes JSON (surrogates escaped, so the file itself is valid UTF-8)."""
    return json.dumps(doc, indent=1).encode()


def junk_documents() -> st.SearchStrategy[bytes]:
    """Byte strings that are not a usable document: binary, truncated, deep, huge numbers, NaN, BOM, YAML-isms."""
    return st.one_of(
        st.binary(max_size=64),
        st.sampled_from([b"", b"null", b"[]", b"{}", b'"x"', b"5", b"NaN", b'{"a": Infinity}', b"\xef\xbb\xbf{}",
                         b"[" * 3000 + b"]" * 3000, b'{"a":' * 1500 + b"1" + b"}" * 1500, b"9" * 5000,
                         b'{"a": 1e999}', b'{"\\ud800": 1}', b"\xff\xfe{\x00}\x00", b"- a\n- b\n", b"a: 2024-01-01\n",
                         b"a = 1\n", b'{"a": 1}{"b": 2}', b'{"a": "\\u0000"}']),
        st.text(max_size=40).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )


def file_bytes(valid: Any) -> st.SearchStrategy[bytes]:
    """Mutations of a valid document, its truncations, and junk."""
    raw = encoded(valid)
    return st.one_of(
        mutated(valid).map(encoded),
        mutated(valid).map(encoded),
        st.integers(min_value=0, max_value=len(raw)).map(lambda n: raw[:n]),
        junk_documents(),
    )


def yaml_texts(valid: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """Project/stack/profile YAML: mutated mappings dumped as YAML or JSON (JSON is YAML), and junk."""
    import yaml

    def dump(doc: Any) -> bytes:
        try:
            return yaml.safe_dump(doc, allow_unicode=False).encode()
        except Exception:  # a value safe_dump refuses: fall back to JSON, which YAML reads too
            return encoded(doc)

    return st.one_of(mutated(valid).map(dump), mutated(valid).map(encoded), junk_documents(),
                     st.sampled_from([b"name: p\nruntime: python\nmain: 5\n", b"[1, 2]\n", b"name: [\n",
                                      b"a: &a [*a]\n", b"name: !!python/object:os.system x\n",
                                      b"config:\n  p:since: 2024-01-01\n", b"name: p\n---\nname: q\n",
                                      b"? [a]\n: b\n", b"1: 2\n"]))


def toml_texts(valid: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """Profile TOML: mutated mappings written as TOML where possible, and junk (dates, bad syntax)."""
    def dump(doc: Any) -> bytes:
        lines = []
        for k, v in (doc.items() if isinstance(doc, dict) else []):
            try:
                lines.append(f"{json.dumps(str(k))} = {json.dumps(v, ensure_ascii=True)}")
            except (TypeError, ValueError):
                continue
        return "\n".join(lines).encode()

    return st.one_of(mutated(valid).map(dump), junk_documents(),
                     st.sampled_from([b"name = 1979-05-27\n", b"name = \n", b"a = [" * 500 + b"]" * 500 + b"\n"]))


def policy_configs() -> st.SearchStrategy[Any]:
    """``--policy-config`` documents: the pack's keys and policy names with values of any type."""
    setting_keys = st.sampled_from(["profile", "strict", "allow-tls13-only", "exemptions", "internet-facing-only",
                                    "enforcementLevel", "urn", "type", "name", "reason"])
    levels = st.sampled_from(["mandatory", "advisory", "disabled", "remediate", "MANDATORY", "", "nope"])
    settings = st.dictionaries(setting_keys, st.one_of(values(6), levels, st.just([{"name": "x*", "reason": "r"}])),
                               max_size=4)
    names = st.sampled_from([*policy_names(), "all", "nope"])
    return st.one_of(settings, st.dictionaries(names, st.one_of(levels, settings, values(4)), max_size=4), values(6))


def target_lines() -> st.SearchStrategy[str]:
    """Lines of a targets file: plausible targets (never resolved: the suite passes --ip), junk, comments."""
    line = st.one_of(
        st.sampled_from(["a.test", "a.test:443", "a.test:0", "a.test:99999", "[::1]:443", "[::1]x", "https://a.test/",
                         "http://a.test", ":443", "a.test:²", "a.test:٣", "# comment", "a.test # tail", "é.test",
                         "\x00", "a" * 300 + ".test", "a..test", "-a.test", "a_b.test:8443", "xn--zz.test"]),
        st.text(max_size=30))
    return st.lists(line, max_size=6).map("\n".join)


FLAGS = {
    "check": ["--stack", "--config", "--profile", "--strict", "--allow-tls13-only", "--preview", "--from-preview",
              "--from-state", "--policy-config", "--format", "--debug", "-h"],
    "verify": ["--sni", "--profile", "--strict", "--timeout", "--concurrency", "--format", "--targets-file",
               "--resolve", "--connect-to", "--split-ways", "--allow-tls13-only"],
    "catalog": ["aws", "gcp", "azure", "--profile", "--format", "--allow-tls13-only"],
    "profiles": ["--format", "--profile", "--json"],
    "audit": ["aws", "gcp", "--region", "--profile-name", "--format", "--strict", "--include-internal", "--profile"],
}


def argvs() -> st.SearchStrategy[list[str]]:
    """Argument lists: a command (or junk), then a mix of its real flags and junk values."""
    word = st.one_of(st.sampled_from(sorted({f for fl in FLAGS.values() for f in fl})),
                     st.sampled_from(WEIRD_STRINGS[:30] + ["json", "sarif", "text", "xml", "-1", "0.0001", "1e9"]),
                     st.text(max_size=12))
    command = st.sampled_from([*FLAGS, "nope", "", "--version"])
    return st.tuples(command, st.lists(word, max_size=6)).map(lambda t: [t[0], *t[1]])
