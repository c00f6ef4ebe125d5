"""Catalogs never go stale silently: every value the installed SDKs know for a judged setting is catalogued.

The rows live in ``tests/catalogs/enum_sources.py``. A failure names the setting, where the value comes from and
what is missing: add a catalog entry with its source in ``catalogs-src/overrides.json`` (``uncertain: true`` when
no source gives its protocols and suites) and rebuild with ``scripts/import_reference_catalogs.py``.
"""

from __future__ import annotations

import enum
import importlib
import importlib.util
import inspect
import re
from pathlib import Path

import botocore.session
import pytest

from tests.catalogs import enum_sources as src

SESSION = botocore.session.get_session()


def _enum(service: str, shape: str) -> list[str]:
    return list(SESSION.get_service_model(service).shape_for(shape).enum)


@pytest.mark.parametrize("row", src.BOTOCORE, ids=[r.setting for r in src.BOTOCORE])
def test_botocore_enum_values_are_catalogued(row):
    values = _enum(row.service, row.shape)
    assert values, f"botocore {row.service} {row.shape} has no enum values"
    missing = sorted(set(values) - src.entries(*row.platforms))
    assert not missing, f"{row.setting}: botocore {botocore.__version__} {row.service}.{row.shape} knows {missing}, " \
                        f"which {', '.join(row.platforms)} lack"


@pytest.mark.parametrize("row", src.BOTOCORE_IF_CATALOGUED, ids=[r.setting for r in src.BOTOCORE_IF_CATALOGUED])
def test_optional_botocore_rows_once_catalogued(row):
    if not src.catalogued(row):
        pytest.skip(f"no catalog platform {row.platforms} yet")
    missing = sorted(set(_enum(row.service, row.shape)) - src.entries(*row.platforms))
    assert not missing, f"{row.setting}: botocore {row.service}.{row.shape} knows {missing}"


def test_every_tls_looking_botocore_enum_is_a_row_or_explained():
    rows = {(r.service, r.shape) for r in (*src.BOTOCORE, *src.BOTOCORE_IF_CATALOGUED)}
    services = {r.service for r in src.BOTOCORE} | set(src.SCANNED_SERVICES)
    unclaimed = []
    for service in sorted(services):
        model = SESSION.get_service_model(service)
        for name in model.shape_names:
            shape = model.shape_for(name)
            if getattr(shape, "enum", None) and src.TLS_ENUM_NAME.search(name) and (service, name) not in rows \
                    and (service, name) not in src.NOT_JUDGED:
                unclaimed.append(f"{service}.{name}={list(shape.enum)}")
    assert not unclaimed, f"TLS-looking enums neither judged nor explained in enum_sources.py: {unclaimed}"


def _possible_values(path: str, prop: str) -> list[str]:
    module, cls = path.split(":")
    doc = getattr(getattr(importlib.import_module(module), cls), prop).__doc__ or ""
    found = re.search(r"Possible values are:(.*?)\.\s*$", doc, re.S | re.M)
    assert found, f"{path}.{prop}: no 'Possible values are' in its docstring (did the SDK change its docs?)"
    return re.findall(r"`([^`]+)`", found.group(1))


@pytest.mark.parametrize("row", src.SDK, ids=[r.setting for r in src.SDK])
def test_provider_sdk_values_are_known(row):
    known = row.known()
    for path in row.classes:
        values = _possible_values(path, row.prop)
        assert values, path
        missing = sorted(set(values) - known)
        assert not missing, f"{row.setting}: {path}.{row.prop} documents {missing}, which tlsfence does not know"


def test_moto_elbv2_policy_names_are_catalogued():
    """moto's ELBv2 emulator carries AWS's predefined policy list (names only are compared; see the audit).

    The data module is loaded alone: importing ``moto.elbv2`` pulls in all of moto's core (seconds).
    """
    path = Path(importlib.util.find_spec("moto").origin).parent / "elbv2" / "ssl_policies.py"
    spec = importlib.util.spec_from_file_location("moto_elbv2_ssl_policies", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = set(module.SSL_POLICIES)
    assert len(names) > 10
    assert not sorted(names - src.entries("aws-elbv2"))


def test_aws_native_has_no_unclaimed_tls_enum():
    pytest.importorskip("pulumi_aws_native")
    found = []
    for mod in src.AWS_NATIVE_MODULES:
        try:
            enums = importlib.import_module(f"pulumi_aws_native.{mod}._enums")
        except ModuleNotFoundError:
            continue
        for name, obj in vars(enums).items():
            if inspect.isclass(obj) and issubclass(obj, enum.Enum) and src.TLS_ENUM_NAME.search(name) \
                    and f"{mod}.{name}" not in src.AWS_NATIVE_NOT_JUDGED:
                found.append(f"{mod}.{name}={[m.value for m in obj]}")
    assert not found, f"aws-native TLS-looking enums not explained in enum_sources.py: {found}"


@pytest.mark.parametrize(("values", "platforms", "missing"), [
    (["TLS_1_2", "SecurityPolicy_TLS13_2099_01"], ("aws-apigateway-regional",), ["SecurityPolicy_TLS13_2099_01"]),
    (["TLSv1.2_2021"], ("aws-cloudfront",), []),
])
def test_the_comparison_catches_a_new_value(values, platforms, missing):
    assert sorted(set(values) - src.entries(*platforms)) == missing
