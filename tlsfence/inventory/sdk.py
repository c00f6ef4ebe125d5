"""The type tokens an installed Pulumi SDK defines, read from its ``__init__.py`` without importing the SDK.

Every generated Pulumi Python SDK registers its resource modules with ``_utilities.register(resource_modules=...)``
(a triple-quoted string), a JSON list whose ``classes`` map each type token to its class. Importing
``pulumi_aws`` whole takes seconds and hundreds of MB; reading that one string takes milliseconds. Cached per
process.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from tlsfence.errors import TlsfenceError

_MARK = 'resource_modules="""'


class SdkError(TlsfenceError):
    """An SDK is not installed, or its registration cannot be read."""


@dataclass(frozen=True)
class SdkTokens:
    """The tokens of one installed SDK.

    Attributes:
        module: import name (``pulumi_aws``).
        version: installed distribution version.
        tokens: every resource type token it registers.
    """

    module: str
    version: str
    tokens: frozenset[str]


def installed(module: str) -> bool:
    """Whether ``module`` is importable (found without importing it)."""
    return importlib.util.find_spec(module) is not None


@cache
def sdk_tokens(module: str) -> SdkTokens:
    """Read the tokens of an installed SDK; SdkError when it is absent or its registration is not found."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise SdkError(f"SDK {module} is not installed")
    text = Path(spec.origin).read_text(encoding="utf-8")
    start = text.find(_MARK)
    end = text.find('"""', start + len(_MARK)) if start >= 0 else -1
    if start < 0 or end < 0:
        raise SdkError(f"{spec.origin}: no resource_modules registration")
    try:
        modules = json.loads(text[start + len(_MARK):end])
        tokens = frozenset(token for mod in modules for token in mod["classes"])
    except (ValueError, KeyError, TypeError) as e:
        raise SdkError(f"{spec.origin}: resource_modules is not the expected JSON ({e})") from e
    try:
        version = metadata.version(module.replace("_", "-"))
    except metadata.PackageNotFoundError:
        version = "unknown"
    return SdkTokens(module, version, tokens)
