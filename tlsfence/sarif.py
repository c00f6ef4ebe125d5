"""The SARIF 2.1.0 envelope shared by ``check``, ``verify`` and ``audit``.

Each command builds its own rules and results (what a rule is differs: a pack policy, a verdict); the log
around them, the tool description and the schema reference are written once, here.
Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

from tlsfence import __version__
from tlsfence.errors import InputError

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/tlsfence/tlsfence"


def sarif_log(tool: str, rules: Sequence[dict[str, Any]], results: Sequence[dict[str, Any]], *,
              invocations: Sequence[dict[str, Any]] | None = None,
              properties: dict[str, Any] | None = None) -> dict[str, Any]:
    """One SARIF log with one run of ``tool`` (``tlsfence``, ``tlsfence verify`` ...)."""
    run: dict[str, Any] = {
        "tool": {"driver": {"name": tool, "version": __version__, "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI, "rules": list(rules)}},
    }
    if invocations is not None:
        run["invocations"] = list(invocations)
    run["results"] = list(results)
    if properties is not None:
        run["properties"] = properties
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


#: ``properties.security-severity`` per SARIF level: GitHub ranks >= 7.0 high, 4.0-6.9 medium, below low.
SECURITY_SEVERITY = {"error": "7.5", "warning": "4.0", "note": "2.0", "none": "0.0"}


def rule_properties(level: str, *tags: str) -> dict[str, Any]:
    """The properties GitHub code scanning needs to show a rule as a security alert of the right severity."""
    return {"security-severity": SECURITY_SEVERITY[level],
            "tags": ["security", "tls", *dict.fromkeys(t for t in tags if t not in ("security", "tls"))],
            "precision": "high",
            "problem.severity": {"error": "error", "warning": "warning"}.get(level, "recommendation")}


def fingerprint(*parts: str) -> dict[str, str]:
    """``partialFingerprints``: a hash of what identifies the finding (rule, resource, message), not of where
    the line happens to be, so an alert survives unrelated edits and reruns."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    return {"tlsfenceFinding/v1": digest}


def repository_root(explicit: str | os.PathLike[str] | None = None, start: str | os.PathLike[str] = ".") -> Path:
    """``--sarif-root`` if given, else the git top-level above ``start`` (a ``.git`` dir or worktree file),
    else ``start`` itself."""
    if explicit is not None:
        root = Path(explicit)
        if not root.is_dir():
            raise InputError(f"--sarif-root {explicit}: not a directory")
        return root.resolve()
    here = Path(start).resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return here


def artifact_uri(location: str, root: Path, base: str | os.PathLike[str] = ".") -> str:
    """A file location (``file://`` URI, ``project://`` URI relative to ``base``, or a path) as a URI relative
    to ``root``, the way code scanning maps alerts to files; never absolute (``..`` segments when outside)."""
    parsed = urlparse(location)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
    elif parsed.scheme == "project":
        path = Path(base) / unquote(parsed.path).lstrip("/")
    elif parsed.scheme and len(parsed.scheme) > 1:
        raise ValueError(f"not a file location: {location}")
    else:
        path = Path(location)
    relative = os.path.relpath(Path(path).resolve(), root)
    return quote(Path(relative).as_posix())
