"""The pack's one configuration schema, its defaults, and the one place that reads it.

Every tlsfence policy declares this same schema (Pulumi validates policy config per policy, and its ``all`` key
carries only an enforcement level, see pulumi/pulumi ``pkg/resource/analyzer/config.go`` ``applyConfig``), so
``python -m tlsfence.policy`` expands one settings block into the per-policy file ``--policy-pack-config``
wants. The Pulumi CLI applies the schema's defaults and validates types before the pack runs; unit tests and
``tlsfence check`` do not go through the CLI, so :func:`settings_from` applies the same defaults and checks
again, with messages that name the key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any

from tlsfence.errors import InputError, TlsfenceError
from tlsfence.exposure import Exposure
from tlsfence.profiles import DEFAULT_PROFILE, Profile, load_profile

#: JSON-schema fragments, one per key, each with its default (``PolicyConfigSchema.properties``).
SCHEMA: dict[str, dict[str, Any]] = {
    "profile": {
        "type": ["string", "object"],
        "default": DEFAULT_PROFILE,
        "description": "Requirement profile: a built-in name or alias, a path to a profile file (JSON, TOML, "
                       "YAML), or an inline profile object (name, must_support_one_of, allowed, min_version).",
    },
    "strict": {
        "type": "boolean",
        "default": False,
        "description": "Make conforming-with-excess (suites outside the allowed set) mandatory instead of advisory.",
    },
    "allow-tls13-only": {
        "type": "boolean",
        "default": False,
        "description": "Accept a TLS 1.3-only endpoint as conforming (the literal requirement does not).",
    },
    "exemptions": {
        "type": "array",
        "default": [],
        "description": "Exposures to waive, each {urn | type | name: fnmatch pattern, reason: text}; the reason is "
                       "echoed as an advisory note wherever the exposure would have been reported.",
        "items": {
            "type": "object",
            "properties": {"urn": {"type": "string"}, "type": {"type": "string"}, "name": {"type": "string"},
                           "reason": {"type": "string", "minLength": 1}},
            "required": ["reason"],
            "additionalProperties": False,
        },
    },
    "internet-facing-only": {
        "type": "boolean",
        "default": False,
        "description": "Skip exposures known to be internal (an internal load balancer); unknown counts as facing.",
    },
}

DEFAULTS: dict[str, Any] = {key: spec["default"] for key, spec in SCHEMA.items()}


class PolicyConfigError(InputError):
    """Policy configuration that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Exemption:
    """One waiver: every given pattern must match (fnmatch, case-sensitive).

    Attributes:
        urn, type, name: patterns; None means "any".
        reason: why it is waived; echoed in every report of the exposure.
    """

    reason: str
    urn: str | None = None
    type: str | None = None
    name: str | None = None

    def matches(self, exposure: Exposure) -> bool:
        """Whether this waiver covers ``exposure``."""
        pairs = ((self.urn, exposure.urn), (self.type, exposure.type), (self.name, exposure.name))
        return all(pattern is None or fnmatchcase(value, pattern) for pattern, value in pairs)


@dataclass(frozen=True)
class Settings:
    """Validated configuration.

    Attributes:
        profile: the requirement profile, with ``allow-tls13-only`` applied.
        strict: excess is mandatory.
        exemptions: waivers, in the order given.
        internet_facing_only: skip exposures known to be internal.
    """

    profile: Profile
    strict: bool = False
    exemptions: tuple[Exemption, ...] = ()
    internet_facing_only: bool = False

    def exemption_for(self, exposure: Exposure) -> Exemption | None:
        """The first waiver covering ``exposure``."""
        return next((e for e in self.exemptions if e.matches(exposure)), None)


def _flag(raw: Mapping[str, Any], key: str) -> bool:
    value = raw.get(key, DEFAULTS[key])
    if not isinstance(value, bool):
        raise PolicyConfigError(f"policy config {key!r} must be true or false, not {value!r}")
    return value


def _exemptions(raw: Any) -> tuple[Exemption, ...]:
    if not isinstance(raw, list):
        raise PolicyConfigError("policy config 'exemptions' must be a list of {urn|type|name, reason}")
    out = []
    for i, item in enumerate(raw):
        where = f"policy config exemptions[{i}]"
        if not isinstance(item, Mapping):
            raise PolicyConfigError(f"{where} must be an object with urn, type or name, and reason")
        extra = set(item) - {"urn", "type", "name", "reason"}
        if extra:
            raise PolicyConfigError(f"{where} has unknown key(s) {sorted(extra)}; allowed: urn, type, name, reason")
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise PolicyConfigError(f"{where} needs a non-empty 'reason' (it is echoed in the output)")
        keys = {k: item[k] for k in ("urn", "type", "name") if k in item}
        if not keys:
            raise PolicyConfigError(f"{where} must name at least one of urn, type or name")
        for k, v in keys.items():
            if not isinstance(v, str) or not v:
                raise PolicyConfigError(f"{where}.{k} must be a non-empty string (an fnmatch pattern)")
        out.append(Exemption(reason=reason.strip(), **keys))
    return tuple(out)


@lru_cache(maxsize=64)
def _settings_from_json(text: str) -> Settings:
    raw = json.loads(text)
    unknown = set(raw) - set(SCHEMA)
    if unknown:
        raise PolicyConfigError(f"unknown policy config key(s) {sorted(unknown)}; known keys: {', '.join(SCHEMA)}")
    ref = raw.get("profile", DEFAULTS["profile"])
    if not isinstance(ref, (str, Mapping)):
        raise PolicyConfigError("policy config 'profile' must be a profile name, a file path or an inline object")
    try:
        profile = load_profile(ref)
    except TlsfenceError as e:
        raise PolicyConfigError(f"policy config 'profile': {e}") from e
    profile = profile.with_options(allow_tls13_only=_flag(raw, "allow-tls13-only") or None)
    return Settings(profile=profile, strict=_flag(raw, "strict"), exemptions=_exemptions(raw.get("exemptions", [])),
                    internet_facing_only=_flag(raw, "internet-facing-only"))


def settings_from(config: Mapping[str, Any] | None) -> Settings:
    """Validate one policy's config (``args.get_config()``), applying the schema's defaults; cached."""
    if config is not None and not isinstance(config, Mapping):
        raise PolicyConfigError("policy config must be an object")
    try:
        text = json.dumps(dict(config or {}), sort_keys=True)
    except (TypeError, ValueError) as e:
        raise PolicyConfigError(f"policy config is not JSON data: {e}") from e
    return _settings_from_json(text)
