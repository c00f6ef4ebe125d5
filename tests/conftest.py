"""Suite-wide test settings.

Hypothesis runs derandomized in the normal suite, so CI on a clean checkout explores the same cases every time
and a red build is reproducible; the opt-in fuzz run (``TLSFENCE_FUZZ=1 python -m pytest -m fuzz``) keeps
hypothesis's random exploration.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("suite", derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fuzz" if os.environ.get("TLSFENCE_FUZZ") == "1" else "suite")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.fuzz`` tests (long hypothesis runs) are skipped unless ``TLSFENCE_FUZZ=1``."""
    if os.environ.get("TLSFENCE_FUZZ") == "1":
        return
    skip = pytest.mark.skip(reason="fuzz run: set TLSFENCE_FUZZ=1")
    for item in items:
        if "fuzz" in item.keywords:
            item.add_marker(skip)
