"""Real mkdocs builds of the realworld vaults (file names as they are): tables, images, embeds,
block anchors, links, and every note IRI of kb.ttl leading to its page."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kbtools.ids import iri_to_uri
from tests.kbtest import DATA
from tests.site.helpers import SITE_URL, build_project, write_project

REALWORLD = DATA / "realworld"
NAMES = sorted(p.name for p in REALWORLD.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = {}
    for name in NAMES:
        root = tmp_path_factory.mktemp(name[:3])
        write_project(root, REALWORLD / name)
        out[name] = build_project(root)
    return out


def _page(built, url: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup((built.site / unquote(url) / "index.html").read_text(encoding="utf-8"), "html.parser")


def _body_links(page) -> list:
    """Links the note's body made (not the relation panels around it)."""
    return [a for a in page.select("article a.kb-link") if not a.find_parent(class_="kb-panels") and not a.has_attr("data-kb-type")]


def _resolves(built, page_url: str, href: str) -> bool:
    """Whether a relative href of the page at ``page_url`` names a file of the built site."""
    target = (built.site / unquote(page_url) / unquote(href.split("#")[0].split("?")[0])).resolve()
    return target.is_file() or (target / "index.html").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_every_note_iri_leads_to_its_page(built, name):
    graph = Graph().parse(built[name].site / "kb.ttl")
    notes = [s for s in graph.subjects(URIRef("https://kb-dl.github.io/ontology#path"), None)]
    assert notes, "no note in kb.ttl"
    for iri in notes:
        uri = iri_to_uri(str(iri))
        assert uri.startswith(SITE_URL)
        page = built[name].site / unquote(uri[len(SITE_URL) :]) / "index.html"
        assert page.is_file(), f"{iri} has no page"
        assert graph.value(iri, SKOS.prefLabel) is not None


def test_b01_tables_keep_their_columns_and_the_image_is_120_px(built):
    url = "Comparatif des API de haut niveau/"
    page = _page(built[NAMES[0]], url)
    rows = page.select("article table tr")
    assert len(rows) == 7 and {len(r.find_all(["td", "th"])) for r in rows} == {3}
    images = page.select("article img.kb-attachment")
    assert len(images) == 2 and {i["width"] for i in images} == {"120"}
    assert all(_resolves(built[NAMES[0]], url, i["src"]) for i in images)
    links = _body_links(page)
    assert len(links) == 7 and all(_resolves(built[NAMES[0]], url, a["href"]) for a in links if not a["href"].startswith("#"))
    assert not any(t.endswith("\\") for t in page.select_one("article").stripped_strings)


def test_b08_embeds_shown_once_block_ids_hidden_and_anchored(built):
    b08 = built["B08_embeds_block_refs_headings"]
    reg = _page(b08, "Régularisation/")
    embeds = reg.select(".kb-embed")
    assert [e["data-source"] for e in embeds] == ["Surapprentissage"] * 2  # the third is in a callout, as Markdown
    whole = embeds[0].get_text(" ", strip=True)
    assert whole.count("Le surapprentissage survient") == 1
    # the cycle: Surapprentissage embeds a section of Régularisation, shown here as a link, not again
    assert "Le dropout désactive" not in whole
    paragraphs = [p.get_text() for p in reg.select("article p") if not p.find_parent(class_="kb-panels")]
    assert any(p.startswith("Le dropout désactive") for p in paragraphs)
    assert not any(p.rstrip().endswith("^dropout") or "relation utile. ^" in p for p in paragraphs)
    assert [a["id"] for a in reg.select("a.kb-block")] == ["^dropout"]
    quote = reg.select_one("article blockquote").get_text(" ", strip=True)
    assert "erreur de validation élevée" in quote  # a list block embedded inside a callout
    sur = _page(b08, "Surapprentissage/")
    assert [a["id"] for a in sur.select("a.kb-block")] == ["^def-surapprentissage", "^symptomes"]
    assert "Le dropout désactive" in sur.select_one(".kb-embed").get_text(" ")
    to_block = [a for a in _body_links(reg) if a.get_text() == "définition"]
    assert to_block and to_block[0]["href"].endswith("#^def-surapprentissage")


def test_b09_every_link_of_the_guide_leads_to_a_page(built):
    b09 = built["B09_md_extension_paths"]
    url = "guides/Installer les frameworks/"
    page = _page(b09, url)
    hrefs = [a["href"] for a in page.select("article a") if a.get("href") and not a["href"].startswith(("#", "http"))]
    hrefs = [h for h in hrefs if "tags/" not in h and "index/" not in h]
    assert len(hrefs) >= 11
    assert all(_resolves(b09, url, h) for h in hrefs), hrefs
    assert len(page.select("article .kb-dangling")) == 1


def test_b03_code_stays_code(built):
    page = _page(built["B03_links_in_code"], "Vérifier la disponibilité du GPU/")
    assert len(_body_links(page)) == 2
    assert "[[Lien dans une clôture imbriquée]]" in page.select_one("article").get_text()
