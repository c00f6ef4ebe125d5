"""Suite-wide test settings.

Hypothesis runs derandomized in the normal suite, so CI on a clean checkout explores the same cases every time
and a red build is reproducible; the opt-in fuzz run (``TLSFENCE_FUZZ=1 python -m pytest -m fuzz``) keeps
hypothesis's random exploration.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("suite", derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fuzz" if os.environ.get("TLSFENCE_FUZZ") == "1" else "suite")
