"""The Kubernetes controller facts: each cites a source, names only catalogued settings, and no analyzer needs the
Kubernetes SDK."""

from __future__ import annotations

import ast
from pathlib import Path

from tlsfence.analyzers import ANALYZERS
from tlsfence.analyzers.k8s_base import fact, facts
from tlsfence.catalog import platform

ROOT = Path(__file__).resolve().parents[2]


def test_every_fact_has_a_source_and_a_note():
    for key, body in facts().items():
        assert body["source"] and all(u.startswith("https://") for u in body["source"]), key
        assert body["note"], key


def test_default_policies_are_catalogued():
    assert platform("aws-elbv2").get(fact("alb.default-ssl-policy")) is not None
    assert platform("aws-elbv2").get(fact("nlb.lbc-default-ssl-policy")) is not None
    assert fact("gke.default-ssl-policy") == platform("gcp-ssl-policy").default


def test_kubernetes_tokens_are_registered():
    for token in ("kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:core/v1:Service",
                  "kubernetes:gateway.networking.k8s.io/v1:Gateway", "kubernetes:helm.sh/v3:Release",
                  "kubernetes:networking.gke.io/v1beta1:FrontendConfig", "kubernetes:yaml/v2:ConfigGroup"):
        assert token in ANALYZERS, token


def test_only_the_kubernetes_component_imports_the_sdk():
    importers = []
    for path in sorted((ROOT / "tlsfence").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] == "pulumi_kubernetes" for n in names):
                importers.append(path.relative_to(ROOT).as_posix())
    assert sorted(set(importers)) in ([], ["tlsfence/components/kubernetes.py"])


def test_docs_table_is_the_facts():
    from tlsfence.analyzers.k8s_base import fact_table

    text = (ROOT / "docs" / "kubernetes.md").read_text()
    begin, end = "<!-- k8s-facts:begin -->\n", "<!-- k8s-facts:end -->"
    assert text.split(begin, 1)[1].split(end, 1)[0] == fact_table()
