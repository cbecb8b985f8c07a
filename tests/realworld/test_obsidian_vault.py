"""A vault as Obsidian writes it checks clean, builds with --strict, and its IRIs are its pages."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from kbtools.ids import iri_to_uri
from tests.kbtest import run_kb
from tests.realworld.obsidian_vault import MKDOCS_PLUGIN, write_obsidian_vault
from tests.site.helpers import MKDOCS_YML, NODE_MODULES, SITE_URL, build_project

KB = "https://kb-dl.github.io/ontology#"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("obsidian")
    write_obsidian_vault(root / "docs")
    config = MKDOCS_YML.format(site_url=SITE_URL, node_modules=NODE_MODULES).replace(
        f"      node_modules: {NODE_MODULES}\n", f"      node_modules: {NODE_MODULES}\n" + MKDOCS_PLUGIN
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(project):
    return build_project(project, strict=True)


def test_checks_clean(project):
    proc = run_kb("check", "--config", str(project / "mkdocs.yml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "0 errors, 0 warnings in 0 files (8 files checked)"


def test_builds_strict_and_every_note_iri_is_its_page(built):
    graph = Graph().parse(built.site / "kb.ttl")
    notes = sorted(graph.subjects(URIRef(KB + "path"), None))
    assert len(notes) == 8
    for iri in notes:
        uri = iri_to_uri(str(iri))
        assert uri.startswith(SITE_URL)
        url = uri[len(SITE_URL) :]
        assert (built.site / unquote(url) / "index.html").is_file(), iri
    # the NFD file name has the NFC address
    jax = URIRef(SITE_URL + "Frameworks/Présentation%20de%20JAX/")
    assert (jax, SKOS.prefLabel, None) in graph
    assert not any(unicodedata.is_normalized("NFD", str(s)) is False and "e\u0301" in str(s) for s in notes)


def test_configured_keys_are_relations_and_dates(built):
    graph = Graph().parse(built.site / "kb.ttl")
    jax = URIRef(SITE_URL + "Frameworks/Présentation%20de%20JAX/")
    frameworks = URIRef(SITE_URL + "Frameworks/")
    assert (jax, URIRef(KB + "isPartOf"), frameworks) in graph
    assert (jax, URIRef(KB + "seeAlso"), URIRef(SITE_URL + "Frameworks/Pr%C3%A9sentation%20de%20PyTorch/".replace("Pr%C3%A9", "Pré"))) in graph
    assert str(graph.value(jax, DCTERMS.created)) == "2025-01-02"
    blocs = URIRef(SITE_URL + "Notes/Blocs/")
    assert (blocs, URIRef(KB + "subClassOf"), frameworks) in graph
    tags = {str(graph.value(t, SKOS.prefLabel)) for t in graph.objects(jax, URIRef(KB + "tag"))}
    assert tags == {"jax", "apprentissage/profond"}
    assert (URIRef(SITE_URL + "Notes/C%2B%2B%20%26%20C%23%20%3F/"), RDF.type, SKOS.Concept) in graph
    cjk = URIRef(SITE_URL + "Ελληνικά/深度学习/")
    slugs = {str(t).removeprefix(SITE_URL + "tags/") for t in graph.objects(cjk, URIRef(KB + "tag"))}
    assert slugs == {"shen-du-xue-xi/", "bathia-mathese/", "c-plus-plus/", "c-sharp/", "c/"}


def test_pages_show_embeds_attachments_and_links(built):
    def page(url: str) -> BeautifulSoup:
        return BeautifulSoup((built.site / url / "index.html").read_text(encoding="utf-8"), "html.parser")

    jax = page("Frameworks/Présentation de JAX")
    image = jax.select_one("article img.kb-attachment")
    assert image["width"] == "200"
    assert (built.site / "Frameworks/Présentation de JAX" / unquote(image["src"])).resolve().is_file()
    assert [a["id"] for a in jax.select("a.kb-block")] == ["^resume"]
    pytorch = page("Frameworks/Présentation de PyTorch")
    files = {a.get_text(): a["href"] for a in pytorch.select("article a.kb-file")}
    assert set(files) == {"plan.pdf", "Carte.canvas"}
    assert all((built.site / "Frameworks/Présentation de PyTorch" / unquote(h)).resolve().is_file() for h in files.values())
    assert "JAX compose" in pytorch.select_one(".kb-embed").get_text()
    home = page("Frameworks")
    assert "pip install jax" in home.select_one(".kb-embed").get_text()
