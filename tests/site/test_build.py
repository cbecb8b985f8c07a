"""A real ``mkdocs build`` of the fixture vault, checked through the HTML it produces."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .helpers import ROOT, SITE_URL, Built, knowledge_base

XSS = "<img src=x onerror=alert(1)>"


def _nav_titles(items) -> list[str]:
    return [" ".join(item.find(["a", "label"], recursive=False).get_text(" ", strip=True).split()) for item in items]


def _top_nav(soup: BeautifulSoup):
    primary = soup.select_one("nav.md-nav--primary > ul.md-nav__list")
    return primary.find_all("li", class_="md-nav__item", recursive=False)


def _section(soup: BeautifulSoup, title: str):
    for item in _top_nav(soup):
        if _nav_titles([item])[0] == title:
            return item.select_one("nav > ul").find_all("li", class_="md-nav__item", recursive=False)
    raise AssertionError(f"no nav section {title!r}")


def _panel(soup: BeautifulSoup, title: str):
    for box in soup.select(".kb-panel"):
        if box.select_one(".kb-panel__title").get_text(strip=True) == title:
            return box
    return None


def _panel_links(soup: BeautifulSoup, title: str) -> list[tuple[str, str]]:
    box = _panel(soup, title)
    assert box is not None, f"no panel {title!r}"
    return [(a.get_text(strip=True), a["href"]) for a in box.select("li > a")]


def _resolves(built: Built, page_url: str, href: str) -> bool:
    """Whether a relative href of a page leads to a file of the built site."""
    target = urljoin(SITE_URL + page_url, href.split("#")[0].split("?")[0])  # the page, whatever its query
    path = built.site / target[len(SITE_URL) :]
    return (path / "index.html").is_file() if target.endswith("/") else path.is_file()


# -- navigation ---------------------------------------------------------------------------------


def test_nav_opens_with_home_then_hubs_then_others_then_index(built: Built) -> None:
    top = _nav_titles(_top_nav(built.page("")))
    assert top[:5] == ["Accueil", "Concepts", "Frameworks", "Autres notes", "Autres pages"]
    assert top[-1] == "Index"  # other generated sections (questions…) may come in between


def test_nav_sections_in_french_order_with_the_hub_first(built: Built) -> None:
    concepts = _nav_titles(_section(built.page(""), "Concepts"))
    # Accents and leading signs do not decide: « Élagage » sits between D and T, the XSS title under I.
    assert concepts == ["Concepts", "Différentiation automatique", "Élagage", XSS, "Tenseur"]


def test_note_with_two_parents_sits_once_under_its_primary_parent(built: Built) -> None:
    soup = built.page("")
    frameworks = _nav_titles(_section(soup, "Frameworks"))
    assert frameworks == ["Frameworks", "PyTorch", "TensorFlow"]
    nav_text = [" ".join(a.get_text(" ", strip=True).split()) for a in soup.select("nav.md-nav--primary a.md-nav__link")]
    assert nav_text.count("Différentiation automatique") == 1
    # … and the other parent lists it among its parts.
    assert ("Différentiation automatique", "../../concepts/autodiff/") in _panel_links(built.page("frameworks/pytorch/"), "Parties")


def test_deeper_levels_nest_under_the_primary_parent(built: Built) -> None:
    autodiff = next(i for i in _section(built.page(""), "Concepts") if _nav_titles([i])[0] == "Différentiation automatique")
    children = autodiff.select_one("nav > ul").find_all("li", recursive=False)
    assert _nav_titles(children) == ["Différentiation automatique", "Rétropropagation"]


def test_notes_without_a_place_and_index_pages_are_in_the_nav(built: Built) -> None:
    soup = built.page("")
    assert _nav_titles(_section(soup, "Autres notes")) == ["Documentation PyTorch"]
    assert _nav_titles(_section(soup, "Autres pages")) == ["À propos"]  # a plain page, not a note
    assert _nav_titles(_section(soup, "Index")) == ["Par type", "Par étiquette", "A–Z", "Graphe"]


# -- panels ---------------------------------------------------------------------------------------


def test_breadcrumb_follows_primary_parents(built: Built) -> None:
    crumbs = built.page("concepts/retropropagation/").select(".kb-breadcrumb li")
    assert [c.get_text(strip=True) for c in crumbs] == ["Concepts", "Différentiation automatique", "Rétropropagation"]
    assert crumbs[-1]["aria-current"] == "page"


def test_relation_panels_of_a_note(built: Built) -> None:
    soup = built.page("frameworks/pytorch/")
    assert _panel_links(soup, "Fait partie de") == [("Frameworks", "../../hubs/frameworks/")]
    assert _panel_links(soup, "Voir aussi") == [("TensorFlow", "../tensorflow/")]
    assert _panel_links(soup, "À ne pas confondre avec") == [("Tenseur", "../../concepts/tenseur/")]
    assert _panel_links(soup, "Sources") == [("Documentation PyTorch", "../../sources/doc-pytorch/")]


def test_backlinks_grouped_by_relation(built: Built) -> None:
    assert [t for t, _ in _panel_links(built.page("sources/doc-pytorch/"), "Cité comme source par")] == ["PyTorch", "Rétropropagation"]
    assert [t for t, _ in _panel_links(built.page("concepts/autodiff/"), "Sous-catégories")] == ["Rétropropagation"]
    assert [t for t, _ in _panel_links(built.page("hubs/concepts/"), "Parties")] == ["Différentiation automatique", "Élagage", XSS, "Tenseur"]
    # seeAlso is symmetric: TensorFlow shows PyTorch although only PyTorch wrote it.
    assert [t for t, _ in _panel_links(built.page("frameworks/tensorflow/"), "Voir aussi")] == ["PyTorch"]


def test_mentions_show_the_sentence_around_the_mention(built: Built) -> None:
    box = _panel(built.page("frameworks/pytorch/"), "Mentionné dans")
    items = {li.find("a").get_text(strip=True): " ".join(li.select_one("blockquote").get_text().split()) for li in box.select("li")}
    assert items["TensorFlow"] == "Comme PyTorch, il calcule les gradients automatiquement."
    assert items["Différentiation automatique"] == "Voir l'installation de PyTorch."
    assert box.select_one("li blockquote strong").get_text() in {"PyTorch", "l'installation de PyTorch"}


def test_every_panel_link_leads_to_a_page(built: Built) -> None:
    checked = 0
    for url in ["frameworks/pytorch/", "concepts/retropropagation/", "hubs/concepts/", "concepts/xss/", "sources/doc-pytorch/"]:
        for a in built.page(url).select(".kb-panels a[href], .kb-breadcrumb a[href], .kb-tags a[href]"):
            if a["href"].startswith(("http://", "https://")):
                continue
            assert _resolves(built, url, a["href"]), f"{url}: {a['href']} leads nowhere"
            checked += 1
    assert checked > 20


def test_type_badge_dates_and_tags(built: Built) -> None:
    soup = built.page("frameworks/pytorch/")
    facts = soup.select_one(".kb-facts")
    assert facts.select_one(".kb-badge").get_text() == "Framework"
    assert [t.get_text() for t in facts.select("time")] == ["2 novembre 2026", "20 novembre 2026"]
    assert [t["datetime"] for t in facts.select("time")] == ["2026-11-02", "2026-11-20"]
    tags = [(a.get_text(), a["href"]) for a in soup.select(".kb-tags a")]
    assert tags == [("#Framework", "../../tags/framework/"), ("#Deep Learning", "../../tags/deep-learning/")]


def test_source_details_and_linked_data_links(built: Built) -> None:
    soup = built.page("sources/doc-pytorch/")
    ref = _panel(soup, "Référence")
    assert [dt.get_text() for dt in ref.select("dt")] == ["Auteur", "Adresse", "Langue"]
    assert ref.select_one("dd a")["href"] == "https://pytorch.org/docs/stable/"
    data = [a["href"] for a in soup.select(".kb-data a")]
    assert data == ["../../kb.ttl", "../../kb.jsonld", "../../kb.nt"]
    assert all(_resolves(built, "sources/doc-pytorch/", h) for h in data)


# -- body wikilinks -----------------------------------------------------------------------------


def test_body_wikilinks_become_links_with_their_text(built: Built) -> None:
    soup = built.page("concepts/retropropagation/")
    link = soup.select_one("article a.kb-link[href='../tenseur/']")
    assert link is not None and link.get_text() == "tenseurs"
    section = built.page("concepts/autodiff/").select_one("article a.kb-link[href*='pytorch']")
    assert section.get_text() == "l'installation de PyTorch"
    assert section["href"] == "../../frameworks/pytorch/#installation"
    assert built.page("frameworks/pytorch/").find(id="installation") is not None


def test_dangling_link_is_a_visible_span_and_a_warning(built: Built) -> None:
    span = built.page("concepts/retropropagation/").select_one("span.kb-dangling")
    assert span is not None and span.get_text() == "Note absente"
    pattern = re.compile(r"^\S*retropropagation\.md:\d+:\d+: KB102 error: dangling link \[\[Note absente\]\]")
    assert any(pattern.match(w) for w in built.warnings()), built.warnings()


def test_wikilinks_in_code_are_left_alone(built: Built) -> None:
    soup = built.page("concepts/retropropagation/")
    code = " ".join(c.get_text() for c in soup.select("article code"))
    assert "[[Pas un lien]]" in code and "[[Non plus]]" in code
    assert not soup.select("article code a, article code span.kb-dangling")


def test_plain_pages_wikilinks_resolve(built: Built) -> None:
    links = [(a.get_text(), a["href"]) for a in built.page("").select("article a.kb-link")]
    assert links == [("Frameworks", "hubs/frameworks/"), ("Concepts", "hubs/concepts/")]
    assert [a["href"] for a in built.page("apropos/").select("article a.kb-link")] == ["../concepts/tenseur/"]
    assert not built.page("apropos/").select(".kb-panels, .kb-breadcrumb")


# -- broken notes and diagnostics ---------------------------------------------------------------


def test_note_with_broken_yaml_is_reported_and_skipped(built: Built) -> None:
    assert not (built.site / "concepts" / "casse").exists()
    assert any(re.match(r"^\S*casse\.md:\d+:\d+: KB002 error: malformed YAML", w) for w in built.warnings())
    for url in ["frameworks/pytorch/", "concepts/tenseur/", "hubs/concepts/", "graphe/", "index/a-z/"]:
        assert (built.site / url / "index.html").is_file()
    assert "Note cassée" not in (built.site / "index.html").read_text(encoding="utf-8")


# -- untrusted titles ---------------------------------------------------------------------------


def test_xss_title_is_text_everywhere(built: Built) -> None:
    for path in built.html_files():
        raw = path.read_text(encoding="utf-8")
        assert XSS not in raw, f"{path} holds the title unescaped"
        assert "<script>alert(" not in raw and "<b>gras</b>" not in raw, path
        soup = BeautifulSoup(raw, "html.parser")
        assert not soup.find_all(attrs={"onerror": True}), path
        assert not [s for s in soup.find_all("script") if "alert(" in s.get_text() and s.get("type") != "application/ld+json"], path
    soup = built.page("concepts/xss/")
    assert soup.select_one("article h1").get_text() == XSS
    assert soup.title.get_text().startswith(XSS)
    assert soup.select_one(".kb-tags a").get_text() == "#<b>gras</b>"
    assert built.page("concepts/tenseur/").select_one("article a.kb-link[href='../xss/']").get_text() == XSS


def test_xss_in_index_pages_and_graph_data(built: Built) -> None:
    az = built.page("index/a-z/")
    assert XSS in [a.get_text() for a in az.select("article li a")]
    assert "<script>alert(2)</script>" in [em.get_text() for em in az.select("article li em")]
    tag_page = built.page("tags/b-gras-b/")
    assert tag_page.select_one("article h1").get_text(strip=True).startswith("Étiquette « <b>gras</b> »")
    data = json.loads((built.site / "assets/kb/graph/global.json").read_text(encoding="utf-8"))
    assert XSS in [n[0] for n in data["nodes"]]


# -- linked data --------------------------------------------------------------------------------


def _plain(graph) -> set:
    """Triples with ``xsd:string`` literals written as plain ones (the same literal in RDF 1.1)."""
    out = set()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def test_each_note_page_embeds_its_triples_as_jsonld(built: Built) -> None:
    kb = knowledge_base(built.root)
    assert len(kb.notes) == 10
    for note in kb.notes:
        url = kb.iri(note)[len(SITE_URL) :]
        scripts = built.page(url).select('script[type="application/ld+json"]')
        assert len(scripts) == 1, url
        parsed = Graph().parse(data=scripts[0].string, format="json-ld")
        expected = _plain(kb.graph.triples((URIRef(kb.iri(note)), None, None)))
        assert _plain(parsed) == expected, url


def test_jsonld_cannot_be_closed_by_a_title(built: Built) -> None:
    raw = (built.site / "concepts/xss/index.html").read_text(encoding="utf-8")
    start = raw.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = raw[start : raw.index("</script>", start)]
    assert "<" not in body and "\\u003c/script\\u003e" in body
    assert json.loads(body)["title"] == XSS


@pytest.mark.parametrize(("name", "fmt"), [("kb.ttl", "turtle"), ("kb.jsonld", "json-ld"), ("kb.nt", "nt")])
def test_whole_graph_is_offered_at_the_site_root(built: Built, name: str, fmt: str) -> None:
    kb = knowledge_base(built.root)
    parsed = _plain(Graph().parse(built.site / name, format=fmt))
    # The site adds its question pages (schema:Question) to the notes' graph, nothing else.
    questions = {t[0] for t in parsed if str(t[0]).startswith(SITE_URL + "questions/")}
    assert len(questions) == len(list((ROOT / "ontology" / "queries").glob("*.rq")))
    assert {t for t in parsed if t[0] not in questions} == _plain(kb.graph)


# -- index pages ----------------------------------------------------------------------------------


def test_index_by_type(built: Built) -> None:
    soup = built.page("index/par-type/")
    sections = {h.get_text(strip=True).rstrip("¶"): h for h in soup.select("article h2")}
    assert list(sections) == ["Page carrefour (2)", "Concept (5)", "Framework (2)", "Source (1)"]
    frameworks = sections["Framework (2)"].find_next("ul")
    assert [a.get_text() for a in frameworks.select("a")] == ["PyTorch", "TensorFlow"]


def test_index_a_to_z_with_aliases(built: Built) -> None:
    soup = built.page("index/a-z/")
    letters = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
    assert letters == ["B", "C", "D", "E", "F", "I", "P", "R", "S", "T"]
    e = soup.find("h2", id="e").find_next("ul")
    assert [a.get_text() for a in e.select("a")] == ["Élagage"]
    t = soup.find("h2", id="t").find_next("ul")
    assert "torch, voir PyTorch" in [" ".join(li.get_text().split()) for li in t.select("li")]
    assert [a["href"] for a in soup.select("article p a[href^='#']")][:2] == ["#b", "#c"]


def test_tag_pages_and_tag_cloud(built: Built) -> None:
    cloud = built.page("index/etiquettes/").select(".kb-tag-cloud a")
    names = [a.contents[0].strip() for a in cloud]
    assert names == ["<b>gras</b>", "Deep Learning", "Framework", "Hub", "Optimisation", "Source"]
    assert all(_resolves(built, "index/etiquettes/", a["href"]) for a in cloud)
    deep = built.page("tags/deep-learning/")
    assert [a.get_text() for a in deep.select("article li a")] == ["Différentiation automatique", "PyTorch", "Rétropropagation", "Tenseur", "TensorFlow"]


# -- graph data and assets ------------------------------------------------------------------------


def test_graph_data_files(built: Built) -> None:
    graph_dir = built.site / "assets/kb/graph"
    data = json.loads((graph_dir / "global.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 10
    assert set(data["relations"]) == {"isPartOf", "subClassOf", "seeAlso", "differentFrom", "sources", "mentions"}
    assert all(isinstance(x, int) and isinstance(y, int) for *_, x, y in data["nodes"])
    local = json.loads((graph_dir / "notes/frameworks/pytorch.json").read_text(encoding="utf-8"))
    assert local["nodes"][local["focus"]][0] == "PyTorch"
    neighbours = {n[0] for n in local["nodes"]} - {"PyTorch"}
    assert neighbours == {"Frameworks", "TensorFlow", "Tenseur", "Documentation PyTorch", "Différentiation automatique"}
    sizes = [p.stat().st_size for p in (graph_dir / "notes").rglob("*.json")]
    assert len(sizes) == 10 and max(sizes) <= 50_000


def test_graph_assets_only_on_pages_with_a_graph(built: Built) -> None:
    assert (built.site / "assets/kb/vendor/cytoscape.min.js").stat().st_size > 100_000
    for url in ["graphe/", "frameworks/pytorch/"]:
        scripts = [s.get("src", "") for s in built.page(url).find_all("script")]
        assert any(s.endswith("assets/kb/vendor/cytoscape.min.js") for s in scripts), url
        assert any(s.endswith("assets/kb/kb-graph.js") for s in scripts), url
    for url in ["", "index/a-z/", "index/par-type/", "tags/hub/"]:
        raw = (built.site / url / "index.html").read_text(encoding="utf-8")
        assert "cytoscape" not in raw and "kb-graph.js" not in raw and "kb-graph.css" not in raw, url
        assert "assets/kb/kb.css" in raw, url
