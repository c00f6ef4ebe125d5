"""tlsfence policy pack: the only place a ``PolicyPack`` is constructed (constructing it serves gRPC and blocks).

Usage::

    pulumi preview --policy-pack policies
    pulumi preview --policy-pack policies --policy-pack-config policy-config.json
    python -m tlsfence.policy '{"profile": "carriers", "strict": true}' > policy-config.json

Every policy (``tlsfence-<family>`` mandatory, ``tlsfence-<family>-advisory`` advisory, and the
``tlsfence-stack-join`` pair) takes the same configuration; Pulumi wants it once per policy name, which is
what ``python -m tlsfence.policy`` writes. Options and defaults:

``profile`` (default ``partner-tls-2024-12-03``)
    A built-in profile name or alias (``redirect-fop``, ``card-fop``, ``carriers``, ``one-time-payment-code``,
    ``client-side-push-provisioning``), a path to a profile file, or an inline profile object.
``strict`` (default ``false``)
    conforming-with-excess becomes mandatory (reported by ``tlsfence-<family>`` instead of ``-advisory``).
``allow-tls13-only`` (default ``false``)
    A TLS 1.3-only endpoint conforms.
``exemptions`` (default ``[]``)
    ``[{"urn" | "type" | "name": "<fnmatch pattern>", "reason": "<why>"}]``; an exempted exposure is reported
    as advisory with its reason instead of failing.
``internet-facing-only`` (default ``false``)
    Skip exposures known to be internal.
"""

import sys
from pathlib import Path

try:
    import tlsfence  # noqa: F401  (installed by requirements.txt)
except ImportError:  # a fresh checkout without `pip install -e .`: use the repository the pack lives in
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import PolicyPack  # noqa: E402

from tlsfence.policy.rules import pack_kwargs  # noqa: E402

if __name__ == "__main__":
    PolicyPack(**pack_kwargs())
