"""The knowledge base builds its graph when first asked for, and only then."""

from __future__ import annotations

import pytest

from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from tests.kbtest import TEST_SITE, VALID, run_kb

QUERY_NOTE = "---\ntitle: Question\n---\n```sparql\nSELECT ?t WHERE { ?this skos:prefLabel ?t }\n```\n"


def _counting(monkeypatch) -> list[int]:
    """Count the graphs the pipeline builds."""
    import kbtools.pipeline as pipeline

    built: list[int] = []
    real = pipeline.build_graph

    def counted(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build_graph", counted)
    return built


def test_no_graph_until_asked_then_one_graph(monkeypatch):
    built = _counting(monkeypatch)
    kb = build_knowledge_base(load_config(VALID, site_url=TEST_SITE))
    assert built == [] and kb.diagnostics == []
    first = kb.graph
    assert built == [1] and len(first) > 100
    assert kb.graph is first and built == [1]


def test_shacl_and_sparql_blocks_build_it_during_the_build(monkeypatch, tmp_path):
    built = _counting(monkeypatch)
    build_knowledge_base(load_config(VALID, site_url=TEST_SITE), shacl=True)
    assert built == [1]
    (tmp_path / "question.md").write_text(QUERY_NOTE, encoding="utf-8")
    kb = build_knowledge_base(load_config(tmp_path, site_url=TEST_SITE))
    assert built == [1, 1]
    [answer] = kb.note_queries["question.md"]
    assert answer.result is not None and [row["t"]["value"] for row in answer.result.rows] == ["Question"]


def test_a_site_url_that_makes_no_iri_is_still_reported_without_the_graph(tmp_path):
    (tmp_path / "a.md").write_text("A\n", encoding="utf-8")
    with pytest.raises(ValueError, match="IRI"):
        build_knowledge_base(load_config(tmp_path, site_url="http://exemple invalide/"))
    proc = run_kb("check", "--no-shacl", "--no-cache", str(tmp_path), "--site-url", "http://exemple invalide/")
    assert proc.returncode == 1 and "KB900" in proc.stdout + proc.stderr
