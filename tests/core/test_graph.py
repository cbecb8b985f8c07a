"""The graph built from the valid vault equals a hand-written golden graph."""

from __future__ import annotations

import shutil

from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, SKOS, XSD

from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from tests.kbtest import DATA, ROOT, TEST_SITE, VALID


def _plain(graph: Graph) -> Graph:
    """An in-memory copy; RDF 1.1 makes "x" and "x"^^xsd:string the same literal, rdflib does not."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def test_graph_matches_golden():
    kb = build_knowledge_base(load_config(VALID, site_url=TEST_SITE))
    assert kb.errors == []
    expected = Graph().parse(DATA / "golden" / "valid.ttl").parse(ROOT / "ontology" / "kb.ttl")
    actual = _plain(kb.graph)
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        raise AssertionError(
            "graphs differ\nonly in built graph:\n"
            + "\n".join(sorted(map(str, only_actual)))
            + "\nonly in golden:\n"
            + "\n".join(sorted(map(str, only_expected)))
        )


def test_store_is_oxigraph():
    kb = build_knowledge_base(load_config(VALID, site_url=TEST_SITE))
    assert type(kb.graph.store).__name__ == "OxigraphStore"


def test_iris_follow_site_url():
    kb = build_knowledge_base(load_config(VALID, site_url="https://ailleurs.example/kb"))
    iris = {str(s) for s in kb.graph.subjects(SKOS.prefLabel, None)}
    assert "https://ailleurs.example/kb/alpha/" in iris


def test_project_site_url_comes_from_mkdocs_yml():
    kb = build_knowledge_base(load_config(config_file=ROOT / "mkdocs.yml", vault=VALID))
    assert (URIRef("https://kb-dl.github.io/alpha/"), DCTERMS.isPartOf, URIRef("https://kb-dl.github.io/carrefour/")) in kb.graph


def _scheme_label(kb) -> Literal:
    return kb.graph.value(URIRef(kb.config.site_url + "#scheme"), SKOS.prefLabel)


def test_scheme_label_is_the_site_name_of_mkdocs_yml(tmp_path):
    shutil.copytree(VALID, tmp_path / "docs")
    (tmp_path / "mkdocs.yml").write_text("site_name: Mon coffre à moi\nsite_url: https://moi.example/\n", encoding="utf-8")
    kb = build_knowledge_base(load_config(config_file=tmp_path / "mkdocs.yml"))
    assert _scheme_label(kb) == Literal("Mon coffre à moi", lang="fr")


def test_scheme_label_without_mkdocs_yml_is_neutral(tmp_path, monkeypatch):
    shutil.copytree(VALID, tmp_path / "coffre")
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here nor above
    kb = build_knowledge_base(load_config(tmp_path / "coffre"))
    assert _scheme_label(kb) == Literal("Base de connaissances", lang="fr")


def test_a_root_index_note_is_not_the_concept_scheme(tmp_path):
    """In Obsidian a root index.md is a note like any other: its IRI is the site's address, and the
    concept scheme, a fragment of it, stays a separate resource (one title each, SHACL clean)."""
    from kbtools.config import load_config
    from kbtools.pipeline import build_knowledge_base

    vault = tmp_path / "coffre"
    vault.mkdir()
    (vault / "index.md").write_text("# Accueil\n\nVoir [[Autre]].\n", encoding="utf-8")
    (vault / "Autre.md").write_text("Retour à [[index]].\n", encoding="utf-8")
    kb = build_knowledge_base(load_config(vault, site_url="https://essai.invalid/"), shacl=True)
    assert kb.diagnostics == []
    home = URIRef("https://essai.invalid/")
    assert kb.graph.value(home, SKOS.prefLabel) == Literal("index", lang="fr")
    assert (URIRef("https://essai.invalid/#scheme"), SKOS.hasTopConcept, home) in kb.graph
