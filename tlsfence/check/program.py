"""Find, configure and run a Pulumi Python program offline (mocks, no CLI), as ``pulumi preview`` would.

What is honoured: ``Pulumi.yaml`` (``name``, ``runtime`` python, ``main``), the stack file
``Pulumi.<stack>.yaml`` (``config``; keys without a namespace get the project's), ``--config`` overrides, the
program's directory (``main``'s) on ``sys.path`` and as working directory, as the language host runs it.
Secure config values cannot be decrypted
without the CLI: they are passed as ``[secret]``. Anything that stops the run is a :class:`ProgramError`
(exit 2) whose message carries the program's own exception text.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import runpy
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tlsfence import readers
from tlsfence.errors import InputError
from tlsfence.program.forked import ChildExit, run_forked
from tlsfence.program.recorder import Registration, encoded, run_under_mocks

#: Stack names the CLI accepts (``[org/][project/]name``; ``sdk/go/common/tokens``), length-capped.
_STACK_NAME = re.compile(r"(?:[A-Za-z0-9_.-]{1,100}/){0,2}[A-Za-z0-9_.-]{1,100}")


class ProgramError(InputError):
    """The program or its project files cannot be used, or the program raised."""


@dataclass(frozen=True)
class Project:
    """A Pulumi project on disk.

    Attributes:
        directory: project directory.
        name: project name.
        main: the Python file to run.
        stack: stack name.
        config: full config keys (``proj:key``) → string values.
    """

    directory: Path
    name: str
    main: Path
    stack: str
    config: Mapping[str, str] = field(default_factory=dict)


def _yaml(path: Path) -> Mapping[str, Any]:
    """A project or stack file: bounded, UTF-8, one YAML mapping (unquoted dates stay strings, as in the CLI)."""
    try:
        data = readers.load_yaml(path, what="Pulumi project file")
    except InputError as e:
        raise ProgramError(str(e)) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ProgramError(f"{path}: expected a YAML mapping at the top, got a {type(data).__name__}")
    return data


def _full_key(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _config_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and set(value) == {"secure"}:
        return "[secret]"
    return json.dumps(value)


def stack_names(directory: str | os.PathLike[str]) -> list[str]:
    """The stacks whose config files (``Pulumi.<stack>.yaml``) sit in the project directory, sorted."""
    root = Path(directory)
    if not root.is_dir():
        return []
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in root.glob("Pulumi.*.yaml") if p.is_file())


def load_project(directory: str | os.PathLike[str], stack: str | None = None,
                 overrides: Sequence[str] = ()) -> Project:
    """Read ``Pulumi.yaml`` and the stack's config; ``overrides`` are ``KEY=VALUE`` strings."""
    root = Path(directory)
    if not root.is_dir():
        raise ProgramError(f"{directory}: not a directory")
    files = [root / n for n in ("Pulumi.yaml", "Pulumi.yml") if (root / n).is_file()]
    if not files:
        raise ProgramError(f"{directory}: no Pulumi.yaml (not a Pulumi project)")
    meta = _yaml(files[0])
    if not isinstance(meta.get("name"), str) or not meta["name"].strip():
        raise ProgramError(f"{files[0]}: needs a 'name' (a non-empty string)")
    runtime = meta.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, Mapping) else runtime
    if runtime_name != "python":
        raise ProgramError(f"{files[0]}: runtime {readers.one_value(runtime_name)} is not supported (tlsfence check "
                           "runs python)")
    if meta.get("main") is not None and not isinstance(meta["main"], str):
        raise ProgramError(f"{files[0]}: 'main' must be a path string, got {type(meta['main']).__name__}")
    main = root / (meta.get("main") or ".")
    main = main / "__main__.py" if main.is_dir() else main
    if not main.is_file():
        raise ProgramError(f"{main}: program not found")
    if stack is not None and not _STACK_NAME.fullmatch(stack):
        raise ProgramError(f"--stack {readers.one_value(stack)}: a stack name is up to 100 letters, digits, '-', '_' "
                           "or '.' (optionally ORG/PROJECT/ before it)")
    if stack is not None:
        stack = stack.rsplit("/", 1)[-1]
    if stack is None:
        found = stack_names(root)
        stack = found[0] if len(found) == 1 else "dev"
    config: dict[str, str] = {}
    stack_file = root / f"Pulumi.{stack}.yaml"
    if stack_file.is_file():
        raw = _yaml(stack_file).get("config") or {}
        if not isinstance(raw, Mapping):
            raise ProgramError(f"{stack_file}: 'config' must be a mapping, got a {type(raw).__name__}")
        config.update({_full_key(str(k), meta["name"]): _config_value(v) for k, v in raw.items()})
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ProgramError(f"--config {readers.one_value(item)}: expected KEY=VALUE")
        config[_full_key(key.strip(), meta["name"])] = value
    return Project(directory=root.resolve(), name=meta["name"], main=main.resolve(), stack=stack, config=config)


@contextlib.contextmanager
def _program_environment(directory: Path) -> Iterator[None]:
    """The program's directory as cwd and first on sys.path; its own modules forgotten afterwards."""
    old_cwd, old_path, old_modules = Path.cwd(), list(sys.path), set(sys.modules)
    os.chdir(directory)
    sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        for name in set(sys.modules) - old_modules:
            file = getattr(sys.modules[name], "__file__", None) or ""
            if file.startswith(str(directory)):
                del sys.modules[name]


@contextlib.contextmanager
def bulk_collection(*, off: bool = False) -> Iterator[None]:
    """The cyclic collector tuned for a program that registers thousands of resources (``off``: disabled).

    The SDK keeps every output, future and registration alive until the run ends, so each full collection
    re-scans an ever larger heap of objects that are not garbage. The benchmark program of 8,000 resources
    (benchmarks/bench_check.py) ran 139 s with the default thresholds, 76 s with the collector off and 62 s
    with the heap before the run frozen and collections 100x rarer (one machine, one hour); tuned, 8,000
    resources took 3.9x the time of 2,000. Garbage without cycles is still freed at once by reference counting.
    The same holds while the recorded resources are converted and judged (``check.inputs``, ``check.cli``).
    """
    old, enabled = gc.get_threshold(), gc.isenabled()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1_000)
    if off:
        gc.disable()
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()
        if enabled:
            gc.enable()


def run_project(project: Project, *, preview: bool = False) -> list[Registration]:
    """Run the program under mocks in a child process (:mod:`tlsfence.program.forked`): its registrations,
    wire-encoded; any failure, and a child that dies, becomes a one-line :class:`ProgramError`."""
    import pulumi.runtime.mocks  # noqa: F401  (imported here once: every stack's child starts with the SDK loaded)

    try:
        return run_forked(lambda: _run_here(project, preview), what="the program")
    except ChildExit as e:
        raise ProgramError(f"{project.main}: {e}") from None


def _run_here(project: Project, preview: bool) -> list[Registration]:
    """The program under mocks in this process; registrations with wire values (plain data: they pickle)."""
    def program() -> None:
        runpy.run_path(str(project.main), run_name="__main__")

    with _program_environment(project.main.parent), bulk_collection():
        try:
            regs = run_under_mocks(program, project=project.name, stack=project.stack, config=project.config,
                                   preview=preview)
        except SystemExit as e:
            raise ProgramError(f"the program exited with status {e.code}") from None
        except Exception as e:  # the program's own error, whatever its type: report it, no traceback
            text = str(e).strip().splitlines()
            raise ProgramError(f"the program failed: {type(e).__name__}: {text[0] if text else ''}".rstrip(": "))\
                from None
        return [encoded(r) for r in regs]
