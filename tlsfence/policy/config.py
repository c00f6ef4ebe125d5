"""The pack's one configuration schema, its defaults, and the one place that validates and reads it.

Every tlsfence policy declares this same schema (Pulumi validates policy config per policy, and its ``all`` key
carries only an enforcement level, see pulumi/pulumi ``pkg/resource/analyzer/config.go`` ``applyConfig``), so
``python -m tlsfence.policy`` expands one settings block into the per-policy file ``--policy-pack-config``
wants. The Pulumi CLI applies the schema's defaults and validates it (Draft 4, gojsonschema) before the pack
runs; unit tests and ``tlsfence check`` do not go through the CLI, so :func:`settings_from` validates against
the very same schema with ``jsonschema`` (Draft 4 too) and applies the same defaults. Only what a schema cannot
say (does the profile name exist) is checked in code.
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
            "properties": {"urn": {"type": "string", "minLength": 1}, "type": {"type": "string", "minLength": 1},
                           "name": {"type": "string", "minLength": 1},
                           "reason": {"type": "string", "pattern": "\\S"}},
            "required": ["reason"],
            "anyOf": [{"required": ["urn"]}, {"required": ["type"]}, {"required": ["name"]}],
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

#: The object one policy's config must be: :data:`SCHEMA` as Pulumi wraps it (``convertSchema``), plus
#: ``additionalProperties: false`` so that a misspelt key is an error rather than silently ignored.
CONFIG_SCHEMA: dict[str, Any] = {"type": "object", "properties": SCHEMA, "additionalProperties": False}

#: What a failed keyword means, in words (jsonschema's own messages quote whole values).
_WHY = {"anyOf": "must name at least one of urn, type or name", "pattern": "must not be blank",
        "minLength": "must not be empty", "additionalProperties": "is not a known key"}


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


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # imported on first use: building the CLI's help must not load it

    jsonschema.Draft4Validator.check_schema(CONFIG_SCHEMA)
    return jsonschema.Draft4Validator(CONFIG_SCHEMA)


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schema_error(raw: Any) -> str | None:
    """The first way ``raw`` breaks :data:`CONFIG_SCHEMA`, as one line naming the key; None when it conforms."""
    rank = {"type": 0, "additionalProperties": 1, "required": 2}
    errors = sorted(_validator().iter_errors(raw), key=lambda e: (list(e.absolute_path), rank.get(e.validator, 3)))
    if not errors:
        return None
    err = errors[0]
    where = _where(err.absolute_path)
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        known = ", ".join(err.schema.get("properties", {}))
        return f"policy config{f' {where!r}' if where else ''}: unknown key(s) {extra}; known keys: {known}"
    if err.validator == "required":
        return f"policy config {where!r}: {err.message.replace(' property', ' key')}"
    if err.validator == "type":
        kinds = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return f"policy config {where or 'object'!r}: {err.instance!r} is not {' or '.join(kinds)}"
    return f"policy config {where!r}: {err.instance!r} {_WHY.get(str(err.validator), err.message)}"


@lru_cache(maxsize=64)
def _settings_from_json(text: str) -> Settings:
    raw = {**DEFAULTS, **json.loads(text)}
    problem = schema_error(raw)
    if problem is not None:
        raise PolicyConfigError(problem)
    try:
        profile = load_profile(raw["profile"])
    except TlsfenceError as e:
        raise PolicyConfigError(f"policy config 'profile': {e}") from e
    exemptions = tuple(Exemption(reason=item["reason"].strip(), **{k: item[k] for k in ("urn", "type", "name")
                                                                   if k in item})
                       for item in raw["exemptions"])
    return Settings(profile=profile.with_options(allow_tls13_only=raw["allow-tls13-only"] or None),
                    strict=raw["strict"], exemptions=exemptions, internet_facing_only=raw["internet-facing-only"])


def settings_from(config: Mapping[str, Any] | None) -> Settings:
    """Validate one policy's config (``args.get_config()``), applying the schema's defaults; cached."""
    if config is not None and not isinstance(config, Mapping):
        raise PolicyConfigError(f"policy config must be an object, not {config!r}")
    try:
        text = json.dumps(dict(config or {}), sort_keys=True)
    except (TypeError, ValueError) as e:
        raise PolicyConfigError(f"policy config is not JSON data: {e}") from e
    return _settings_from_json(text)
