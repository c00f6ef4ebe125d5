"""The files of a publishable pack directory: what ``policies/`` holds and what ``tlsfence pack DIR`` writes.

``pulumi policy publish`` uploads only the pack directory, and Pulumi installs its ``requirements.txt`` inside
the unpacked copy, so the directory must name the *released* tlsfence (at this version, the one version
number of the project) and nothing outside itself. ``PulumiPolicy.yaml`` asks for a ``venv`` virtualenv: for
analyzers the Python language host does not default to one (``pulumi-language-python``: ``isPlugin`` is false
for analyzers), and Pulumi's own ``pulumi policy new`` template writes the same option.
A test keeps ``policies/`` equal to :func:`pack_files`.
"""

from __future__ import annotations

from pathlib import Path

from tlsfence import __version__
from tlsfence.errors import InputError

MAIN = '''"""tlsfence CrossGuard policy pack (written by `tlsfence pack`; the rules live in the tlsfence package).

    pulumi preview --policy-pack <this directory>    # run from the Pulumi project to check
    pulumi policy publish <org>                      # run from this directory: upload to Pulumi Cloud

Configuration, policies and levels: https://github.com/tlsfence/tlsfence/blob/main/docs/policy-pack.md
Constructing the pack serves gRPC and blocks, so it happens only when the language host runs this file.
"""

from tlsfence.policy.engine import serve

if __name__ == "__main__":
    serve()
'''

POLICY_YAML = '''# tlsfence CrossGuard pack. The CLI reads the pack version here (the Python SDK always says 0.0.1).
runtime:
  name: python
  options:
    virtualenv: venv
version: {version}
description: Rejects stacks that expose a TLS listener, proxy, domain or endpoint outside the TLS profile.
'''

REQUIREMENTS = '''# Pulumi installs this into the pack's venv, after `pulumi policy publish` too: a released tlsfence.
tlsfence=={version}
'''

GITIGNORE = "venv/\n__pycache__/\n"


def pack_files(version: str = __version__) -> dict[str, str]:
    """File name → content of the pack directory for tlsfence ``version``."""
    return {"PulumiPolicy.yaml": POLICY_YAML.format(version=version), "__main__.py": MAIN,
            "requirements.txt": REQUIREMENTS.format(version=version), ".gitignore": GITIGNORE}


def write_pack(directory: str | Path, *, force: bool = False) -> list[Path]:
    """Write the pack into ``directory`` (created if missing); refuse to overwrite different files unless
    ``force``. Returns the paths written; the write of each file is atomic (temporary file, then rename)."""
    root = Path(directory)
    if root.exists() and not root.is_dir():
        raise InputError(f"{root}: exists and is not a directory")
    files = pack_files()
    clash = [name for name, text in files.items()
             if (root / name).exists() and (root / name).read_text(encoding="utf-8") != text]
    if clash and not force:
        raise InputError(f"{root}: would overwrite {', '.join(clash)} (different content); pass --force")
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = root / name
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
