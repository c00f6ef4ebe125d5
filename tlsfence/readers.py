"""Bounded, validated reading of every file tlsfence is given: one place, one set of limits, one error type.

Every reader (preview/state files, ``--policy-config``, profile files, ``Pulumi.yaml`` and stack files,
``--targets-file``) goes through :func:`read_text` and, for structured files, :func:`load_json` /
:func:`load_yaml` / :func:`load_toml`. What they guarantee, each failure being an
:class:`~tlsfence.errors.InputError` whose one-line message names the file and, inside it, the path of the
offending value (``steps[3].newState.urn``):

- **file type**: regular files only; a FIFO, a device (``/dev/zero``) or a directory is refused before it is
  opened for reading, so nothing blocks and nothing is read without end;
- **size**: at most the caller's cap (:data:`MAX_DOCUMENT_BYTES` for preview/state files, :data:`MAX_SMALL_BYTES`
  for the rest); never more than cap + 1 bytes are read;
- **encoding**: UTF-8 (a leading BOM is accepted), the byte offset of the first bad byte reported;
- **values**: nesting at most :data:`MAX_DEPTH` levels, at most :data:`MAX_VALUES` values, no integer longer
  than Python's 4,300-digit conversion limit, no ``NaN``/``Infinity`` or number a float64 cannot hold (the
  Pulumi engine's numbers are float64), no lone UTF-16 surrogate (``"\\ud800"``) in a string or key, string keys
  only, and in YAML no timestamp objects (unquoted dates stay strings, as the Pulumi CLI reads them).
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tlsfence.errors import InputError

#: Cap for ``pulumi preview --json`` / ``pulumi stack export`` files (a 20,000-resource state is ~40 MiB).
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
#: Cap for profile, pack config, project/stack and targets files.
MAX_SMALL_BYTES = 4 * 1024 * 1024
#: Deepest nesting accepted (the deepest real Pulumi property is a few dozen levels).
MAX_DEPTH = 200
#: Most values (scalars and containers) in one preview/state document.
MAX_VALUES = 20_000_000
#: Most values in a YAML or TOML file (bounds YAML alias expansion: ``&a [*a, *a]`` nested is exponential).
MAX_SMALL_VALUES = 1_000_000


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB"


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_SMALL_BYTES, what: str = "file") -> bytes:
    """The content of a regular file of at most ``limit`` bytes."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except OSError as e:
        raise InputError(f"{name}: cannot read {what}: {e.strerror or e}") from e
    except ValueError:  # a NUL byte or a lone surrogate: no file can have that name
        raise InputError(f"{one_value(name)}: cannot read {what}: not a usable file name") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) else \
            "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a regular file"
        raise InputError(f"{name}: cannot read {what}: {kind} (only regular files are read)")
    if info.st_size > limit:
        raise InputError(f"{name}: {what} is {_mib(info.st_size)}, over the {_mib(limit)} limit")
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise InputError(f"{name}: cannot read {what}: {e.strerror or e}") from e
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
            raise InputError(f"{name}: cannot read {what}: not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise InputError(f"{name}: cannot read {what}: {e.strerror or e}") from e
    finally:
        os.close(fd)
    if size > limit:
        raise InputError(f"{name}: {what} is over the {_mib(limit)} limit")
    return b"".join(chunks)


def decode(data: bytes, where: str) -> str:
    """UTF-8 text (BOM dropped); the offset of a bad byte is named."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{where}: not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def read_text(path: str | os.PathLike[str], *, limit: int = MAX_SMALL_BYTES, what: str = "file") -> str:
    """A bounded regular UTF-8 file as text."""
    return decode(read_bytes(path, limit=limit, what=what), os.fspath(path))


def json_path(path: tuple[str | int, ...]) -> str:
    """``("steps", 3, "urn")`` → ``steps[3].urn`` (the root is ``$``; very deep paths are shortened)."""
    if len(path) > 16:
        return f"{json_path(path[:8])}…({len(path) - 12} more)…{json_path(path[-4:]).lstrip('.')}"
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif step.isidentifier():
            out += f".{step}" if out else step
        else:
            out += f"[{json.dumps(step)}]"
    return out or "$"


def _bad_string(s: str) -> bool:
    if s.isascii():
        return False
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _problem(value: Any, allow: tuple[type, ...]) -> str | None:
    """What is wrong with one value itself (not its children), or None."""
    kind = type(value)
    if kind is str:
        return "a string with a lone UTF-16 surrogate" if _bad_string(value) else None
    if kind is bool or value is None:
        return None
    if kind is int:
        try:
            float(value)
        except OverflowError:
            return "an integer too large for a float64 number"
        return None
    if kind is float:
        return None if math.isfinite(value) else f"the number {value!r} (NaN and Infinity are not JSON numbers)"
    if kind is dict or kind is list:
        return None
    if isinstance(value, allow):
        return None
    return f"a {kind.__name__} value (only strings, numbers, booleans, null, lists and mappings are read)"


def _walk(root: Any, allow: tuple[type, ...], max_values: int) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, problem) of the first bad value, depth-first; an empty iterator when the tree is fine."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
    seen = 0
    while stack:
        value, path = stack.pop()
        seen += 1
        if seen > max_values:
            yield path, f"more than {max_values:,} values"
            return
        problem = _problem(value, allow)
        if problem is not None:
            yield path, problem
            return
        if type(value) is dict:
            if len(path) >= MAX_DEPTH and value:
                yield path, f"nesting deeper than {MAX_DEPTH} levels"
                return
            for k, v in reversed(value.items()):
                if type(k) is not str:
                    yield path, f"a key of type {type(k).__name__} ({k!r}); keys must be strings"
                    return
                if _bad_string(k):
                    yield path, "a key with a lone UTF-16 surrogate"
                    return
                stack.append((v, (*path, k)))
        elif type(value) is list:
            if len(path) >= MAX_DEPTH and value:
                yield path, f"nesting deeper than {MAX_DEPTH} levels"
                return
            stack.extend((v, (*path, i)) for i, v in reversed(list(enumerate(value))))


def _fine(root: Any, allow: tuple[type, ...], max_values: int) -> bool:
    """The fast pass of :func:`check_tree`: no paths kept (a 20 MB state file is ~2 million values)."""
    stack: list[tuple[Any, int]] = [(root, 0)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > max_values:
            return False
        kind = type(value)
        if kind is dict:
            if depth >= MAX_DEPTH and value:
                return False
            for k, v in value.items():
                if type(k) is not str or (not k.isascii() and _bad_string(k)):
                    return False
                stack.append((v, depth + 1))
        elif kind is list:
            if depth >= MAX_DEPTH and value:
                return False
            stack.extend((v, depth + 1) for v in value)
        elif kind is str:
            if not value.isascii() and _bad_string(value):
                return False
        elif _problem(value, allow) is not None:
            return False
    return True


def check_tree(value: Any, where: str, allow: tuple[type, ...] = (), max_values: int = MAX_VALUES) -> Any:
    """``value`` when every value in it is plain data within the limits; else InputError naming the path."""
    if _fine(value, allow, max_values):
        return value
    for path, problem in _walk(value, allow, max_values):
        raise InputError(f"{where}: at {json_path(path)}: {problem}")
    return value


def _value_error(e: ValueError) -> str:
    text = str(e)
    return "an integer with more than 4,300 digits" if "integer string conversion" in text else text.split(";")[0]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str, where: str) -> Any:
    """JSON text → checked plain data (see the module docstring for what is refused)."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: not JSON: {e.msg} (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: nesting deeper than {MAX_DEPTH} levels") from None
    except ValueError as e:  # NaN/Infinity, integers over the 4,300-digit limit
        raise InputError(f"{where}: not JSON: {_value_error(e)}") from None
    return check_tree(value, where)


def load_json(path: str | os.PathLike[str], *, limit: int = MAX_SMALL_BYTES, what: str = "JSON file") -> Any:
    """A bounded JSON file as checked plain data."""
    return parse_json(read_text(path, limit=limit, what=what), os.fspath(path))


def _yaml_loader() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        """Safe loading without timestamps: an unquoted date stays the string it is in the file."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return Loader


def parse_yaml(text: str, where: str) -> Any:
    """YAML text (one document) → checked plain data."""
    import yaml

    try:
        value = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        raise InputError(f"{where}: not valid YAML: {' '.join(str(e).split())}") from None
    except RecursionError:
        raise InputError(f"{where}: nesting deeper than {MAX_DEPTH} levels") from None
    except ValueError as e:  # an integer over the 4,300-digit limit
        raise InputError(f"{where}: not valid YAML: {_value_error(e)}") from None
    return check_tree(value, where, max_values=MAX_SMALL_VALUES)


def load_yaml(path: str | os.PathLike[str], *, limit: int = MAX_SMALL_BYTES, what: str = "YAML file") -> Any:
    """A bounded YAML file as checked plain data."""
    return parse_yaml(read_text(path, limit=limit, what=what), os.fspath(path))


def parse_toml(text: str, where: str) -> Any:
    """TOML text → checked plain data (TOML dates and times are refused: nothing tlsfence reads is a date)."""
    import tomllib  # here, not at the top: it brings datetime and ~3 ms of start-up that every command would pay

    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{where}: not valid TOML: {e}") from None
    except (RecursionError, ValueError) as e:
        raise InputError(f"{where}: not valid TOML: {type(e).__name__}") from None
    return check_tree(value, where, max_values=MAX_SMALL_VALUES)


def load_toml(path: str | os.PathLike[str], *, limit: int = MAX_SMALL_BYTES, what: str = "TOML file") -> Any:
    """A bounded TOML file as checked plain data."""
    return parse_toml(read_text(path, limit=limit, what=what), os.fspath(path))


#: Parser per file suffix, for files that may be any of the three (profile files).
BY_SUFFIX: Mapping[str, Callable[[str, str], Any]] = {
    ".json": parse_json, ".toml": parse_toml, ".yaml": parse_yaml, ".yml": parse_yaml}


def load_structured(path: str | os.PathLike[str], *, limit: int = MAX_SMALL_BYTES, what: str = "file") -> Any:
    """A JSON, TOML or YAML file (by suffix; JSON when none) as checked plain data."""
    parse = BY_SUFFIX.get(Path(path).suffix.lower(), parse_json)
    return parse(read_text(path, limit=limit, what=what), os.fspath(path))


def one_value(value: Any, limit: int = 60) -> str:
    """A value for an error message: its repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
