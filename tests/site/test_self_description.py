"""Every IRI of the built ``kb.ttl`` that has a page describes itself there, in JSON-LD.

A fixture project (the site vault, plus one snippet with a recorded run) is built with the
plugin; then, for every subject IRI of ``kb.ttl`` whose address (fragment aside, see
:func:`kbtools.ids.iri_to_uri`) is a page of the site, the page's JSON-LD is parsed by rdflib
and must hold exactly the triples ``kb.ttl`` has about that subject, and nothing ``kb.ttl``
lacks. Notes, tags, the snippet and its verification, the questions and the scheme (home page)
are all such IRIs.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kbtools.ids import iri_to_uri
from kbtools.snippets.hashing import snippet_hash
from kbtools.snippets.header import scan, variants
from tests.site.helpers import SITE_URL, Built, build_project, write_project

SCHEMA = "https://schema.org/"

SNIPPET = '''# /// script
# requires-python = ">=3.11"
# dependencies = ["numpy>=2"]
#
# [tool.kb]
# title = "Un tenseur en NumPy"
# illustrates = ["PyTorch"]
# device = "cpu"
# ///
import numpy as np

print(np.ones((2, 2)).sum())
'''


def _write_snippet(root: Path) -> None:
    path = root / "snippets" / "numpy" / "tenseur.py"
    path.parent.mkdir(parents=True)
    path.write_text(SNIPPET, encoding="utf-8")
    (spec,), problems = scan(root / "snippets")
    assert problems == []
    record = {
        "date": "2026-11-20T10:00:00+00:00",
        "device": {"kind": "cpu", "name": "Processeur d'essai"},
        "duration_s": 0.5,
        "figures": [],
        "framework": "numpy",
        "hash": snippet_hash(spec, variants(spec)[0]),
        "passed": True,
        "peak_rss_mb": 40.0,
        "python": "3.11.7",
        "snippet": "snippets/numpy/tenseur.py",
        "stdout": "4.0\n",
        "title": "Un tenseur en NumPy",
        "variant": "default",
        "versions": {"numpy": "2.4.6"},
    }
    results = path.parent / "results" / "tenseur"
    results.mkdir(parents=True)
    (results / "default.cpu.json").write_text(json.dumps(record), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("self-described")
    write_project(root)
    _write_snippet(root)
    return build_project(root)


def _plain(graph: Graph) -> Graph:
    """RDF 1.1 makes "x" and "x"^^xsd:string one literal; rdflib does not."""
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
    return out


def _page_file(site_dir: Path, iri: str) -> Path | None:
    """The built HTML page at the address of ``iri`` (fragment aside), if the site has one."""
    uri = iri_to_uri(iri.partition("#")[0])
    if not uri.startswith(SITE_URL):
        return None
    rel = unquote(uri[len(SITE_URL) :])
    if rel and not rel.endswith("/"):
        return None
    page = site_dir / rel / "index.html"
    return page if page.is_file() else None


def _jsonld(page: Path) -> Graph:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    scripts = soup.head.find_all("script", type="application/ld+json")
    assert len(scripts) == 1, f"{page}: {len(scripts)} JSON-LD blocks in <head>"
    return _plain(Graph().parse(data=scripts[0].string, format="json-ld"))


def test_every_iri_with_a_page_describes_itself_there(site: Built):
    kb = _plain(Graph().parse(site.site / "kb.ttl", format="turtle"))
    by_page: dict[Path, set[URIRef]] = {}
    for subject in set(kb.subjects()):
        if isinstance(subject, URIRef) and (page := _page_file(site.site, str(subject))) is not None:
            by_page.setdefault(page, set()).add(subject)
    kinds = {o for subjects in by_page.values() for s in subjects for o in kb.objects(s, RDF.type)}
    # The fixture has every kind of page an IRI can name.
    for expected in (SKOS.ConceptScheme, URIRef("https://kb-dl.github.io/ontology#Tag"), URIRef(SCHEMA + "SoftwareSourceCode"),
                     URIRef("https://kb-dl.github.io/ontology#Verification"), URIRef(SCHEMA + "Question"),
                     URIRef("https://kb-dl.github.io/ontology#Framework")):  # fmt: skip
        assert expected in kinds, f"no page describes a {expected}"
    assert len(by_page) > 20
    for page, subjects in by_page.items():
        described = _jsonld(page)
        extra = [t for t in described if t not in kb]
        assert extra == [], f"{page}: triples kb.ttl does not have: {extra[:3]}"
        for subject in subjects:
            expected = set(kb.triples((subject, None, None)))
            assert not any(isinstance(o, BNode) for _, _, o in expected)
            missing = expected - set(described.triples((subject, None, None)))
            assert missing == set(), f"{page}: {subject} lacks {sorted(missing)[:3]}"


def test_snippet_page_carries_its_verification_facts(site: Built):
    page = site.site / "snippets" / "numpy" / "tenseur" / "index.html"
    described = _jsonld(page)
    snippet = URIRef(SITE_URL + "snippets/numpy/tenseur/")
    assert (snippet, RDF.type, URIRef(SCHEMA + "SoftwareSourceCode")) in described
    verification = URIRef(SITE_URL + "snippets/numpy/tenseur/#default-cpu")
    kb = "https://kb-dl.github.io/ontology#"
    assert (snippet, URIRef(kb + "verification"), verification) in described
    assert (verification, URIRef(kb + "passed"), Literal(True)) in described
    assert (verification, URIRef(kb + "deviceName"), Literal("Processeur d'essai")) in described
    assert (verification, URIRef(kb + "softwareVersion"), Literal("numpy 2.4.6")) in described


def test_question_page_is_a_schema_question_with_its_query(site: Built):
    query = (Path(__file__).resolve().parents[2] / "ontology" / "queries" / "frameworks.rq").read_text(encoding="utf-8")
    described = _jsonld(site.site / "questions" / "frameworks" / "index.html")
    question = URIRef(SITE_URL + "questions/frameworks/")
    assert (question, RDF.type, URIRef(SCHEMA + "Question")) in described
    assert (question, URIRef(SCHEMA + "text"), Literal(query)) in described


def test_tag_page_is_a_concept_of_the_tag_scheme(site: Built):
    described = _jsonld(site.site / "tags" / "deep-learning" / "index.html")
    tag = URIRef(SITE_URL + "tags/deep-learning/")
    assert (tag, SKOS.inScheme, URIRef(SITE_URL + "tags/")) in described
    assert (tag, SKOS.prefLabel, Literal("Deep Learning", lang="fr")) in described


def test_scheme_is_named_after_the_site(site: Built):
    described = _jsonld(site.site / "index.html")
    assert (URIRef(SITE_URL + "#scheme"), SKOS.prefLabel, Literal("Base d'essai", lang="fr")) in described
