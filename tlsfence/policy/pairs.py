"""What a mandatory/advisory pair of policies means, kept true whatever levels and settings the engine sends.

Each exposure family has ``tlsfence-<family>`` (reports what must block) and ``tlsfence-<family>-advisory``
(reports what must not: excess unless strict, pass-through, exemptions). The engine reconciles config per
policy (``pkg/resource/analyzer/config.go``: schema defaults, then ``all``, then each policy's entry), which
knows nothing of pairs. Two rules restore them:

* **Levels.** The advisory twin never blocks: ``mandatory`` or ``remediate`` on it (typically from
  ``"all": "mandatory"``) is lowered to ``advisory``; ``advisory`` and ``disabled`` are kept. The mandatory
  policy keeps whatever it is given (``advisory`` makes a family warn only, ``disabled`` turns it off).
  To make excess block, set ``strict``.
* **Settings.** Both policies of a pair judge with the same settings, or one finding would be reported twice
  (or by neither). A setting given on either policy of the pair (a value other than the schema default)
  applies to both; two different non-default values for one key are a config error.

The result is validated once per pair (:func:`tlsfence.policy.config.settings_from`); the first problem is
returned as one message, never one per resource and policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tlsfence.errors import TlsfenceError
from tlsfence.policy.config import DEFAULTS, settings_from
from tlsfence.policy.metadata import FAMILIES, STACK

ADVISORY_SUFFIX = "-advisory"


def pairs() -> list[tuple[str, str]]:
    """(mandatory, advisory) policy names, in pack order."""
    return [(info.id, info.id + ADVISORY_SUFFIX) for info in (*FAMILIES, STACK)]


def design_level(name: str) -> str:
    """The level a policy has when nobody configures it."""
    return "advisory" if name.endswith(ADVISORY_SUFFIX) else "mandatory"


def _merge(mandatory: str, advisory: str, pm: Mapping[str, Any], pa: Mapping[str, Any]
           ) -> tuple[dict[str, Any], str | None]:
    merged = dict(pm)
    for key, value in pa.items():
        if key in DEFAULTS and value == DEFAULTS[key]:
            continue
        if key in merged and merged[key] != value and not (key in DEFAULTS and merged[key] == DEFAULTS[key]):
            return merged, (f"policy config {key!r}: {mandatory} and {advisory} are one pair and must judge alike, "
                            f"but set it to {merged[key]!r} and {value!r}; set it once")
        merged[key] = value
    return merged, None


def reconcile(levels: Mapping[str, str], props: Mapping[str, Mapping[str, Any]]
              ) -> tuple[dict[str, str], dict[str, dict[str, Any]], str | None]:
    """Levels and settings with the pair rules applied, and the first config problem (None when usable)."""
    out_levels = dict(levels)
    out_props = {name: dict(p) for name, p in props.items()}
    problem: str | None = None
    for mandatory, advisory in pairs():
        if out_levels.get(advisory) in ("mandatory", "remediate"):
            out_levels[advisory] = "advisory"
        merged, clash = _merge(mandatory, advisory, out_props.get(mandatory, DEFAULTS),
                               out_props.get(advisory, DEFAULTS))
        out_props[mandatory] = merged
        out_props[advisory] = dict(merged)
        if problem is None:
            problem = clash
        if problem is None:
            try:
                settings_from(merged)
            except TlsfenceError as e:
                problem = str(e)
    return out_levels, out_props, problem
