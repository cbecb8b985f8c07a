"""The bounded nav: a page's size does not grow with the vault, and every note stays reachable
without JavaScript (nav, breadcrumb, the « Parties » / « Sous-catégories » panels of its parents)."""

from __future__ import annotations

import importlib.util
import posixpath
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from kbtools.config import VaultConfig
from kbtools.ids import page_url
from kbtools.pipeline import build_knowledge_base
from kbtools.site.model import INDEX_AZ, SiteModel
from kbtools.site.nav import MORE_SCHEME, NAV_CHILDREN, NAV_DEPTH, NAV_TOP, build_nav, compact, nav_paths

from .helpers import ROOT, build_project, knowledge_base, write_project

NOTE_PAGE_LIMIT = 100 * 1024


def _note(root: Path, name: str, title: str, **relations: str) -> None:
    lines = ["---", f"title: '{title}'", "type: concept"]
    lines += [f"{key}: '[[{value}]]'" for key, value in relations.items()]
    (root / f"{name}.md").write_text("\n".join([*lines, "---", ""]), encoding="utf-8")


def _model(root: Path) -> SiteModel:
    kb = build_knowledge_base(VaultConfig(root, "https://t.invalid/"))
    return SiteModel.build(kb, {n.path: page_url(n.path) for n in kb.notes})


def _entry(nav, title: str):
    return next(value for item in nav for key, value in item.items() if key == title)


# -- the nav setting --------------------------------------------------------------------------


def test_a_note_lists_a_bounded_number_of_children_then_a_link_to_its_page(tmp_path: Path) -> None:
    _note(tmp_path, "hub", "Hub")
    for i in range(40):
        _note(tmp_path, f"p{i:02d}", f"Partie {i:02d}", isPartOf="Hub")
    for i in range(3):  # parts of the last parts: these head a subtree and are listed first
        _note(tmp_path, f"s{i}", f"Sous-partie {i}", isPartOf=f"Partie {39 - i}")
    model = _model(tmp_path)
    nav = build_nav(model, None, [])
    hub = _entry(nav, "Hub")
    assert hub[0] == {"Hub": "hub.md"}
    assert len(hub) == 1 + NAV_CHILDREN + 1
    assert hub[-1] == {f"… {40 - NAV_CHILDREN} autres": MORE_SCHEME + "hub.md"}
    listed = nav_paths(nav)
    assert {"p39.md", "p38.md", "p37.md", "s0.md", "s1.md", "s2.md"} <= listed
    assert "p00.md" in listed and "p30.md" not in listed  # then French order
    assert not any(path.startswith(MORE_SCHEME) for path in listed)


def test_lone_notes_beyond_the_bound_go_to_the_a_z_index(tmp_path: Path) -> None:
    for i in range(NAV_TOP + 5):
        _note(tmp_path, f"n{i:02d}", f"Seule {i:02d}")
    nav = build_nav(_model(tmp_path), None, [])
    others = _entry(nav, "Autres notes")
    assert len(others) == NAV_TOP + 1
    assert others[-1] == {"… 5 autres": MORE_SCHEME + INDEX_AZ}


def test_a_deep_chain_stops_nesting_at_the_bound(tmp_path: Path) -> None:
    _note(tmp_path, "c00", "Maillon 00")
    for i in range(1, 12):
        _note(tmp_path, f"c{i:02d}", f"Maillon {i:02d}", isPartOf=f"Maillon {i - 1:02d}")
    nav = build_nav(_model(tmp_path), None, [])
    listed = sorted(p for p in nav_paths(nav) if p.startswith("c"))
    assert listed == [f"c{i:02d}.md" for i in range(NAV_DEPTH + 1)]  # the next ones are on their parent's page
    assert "Autres notes" not in [k for item in nav for k in item]  # claimed, not dumped at the end


def test_compact_squeezes_only_the_primary_sidebar() -> None:
    page = (
        '<pre>a\n   b</pre><div class="md-sidebar md-sidebar--primary">\n   <ul>\n     <li>\n  <a>Titre</a>\n</li></ul>'
        '<div class="md-sidebar md-sidebar--secondary">\n   toc'
    )
    out = compact(page)
    assert out == '<pre>a\n   b</pre><div class="md-sidebar md-sidebar--primary"> <ul> <li> <a>Titre</a> </li></ul><div class="md-sidebar md-sidebar--secondary">\n   toc'
    assert compact("<p>\n  sans nav</p>") == "<p>\n  sans nav</p>"


# -- a generated vault of 300 notes, built with the project's theme features --------------------


def _generate(root: Path, n: int) -> None:
    spec = importlib.util.spec_from_file_location("synthetic_vault", ROOT / "benchmarks" / "synthetic_vault.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate_vault(root, n, 0)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("nav-300")
    empty = root / "empty"
    empty.mkdir()
    config = write_project(root, vault=empty)
    _generate(root / "docs", 300)
    (root / "docs" / "index.md").write_text("# Accueil\n", encoding="utf-8")
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["theme"]["features"] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["features"]
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    built = build_project(root)
    kb = knowledge_base(root)
    return built, SiteModel.build(kb, {n.path: page_url(n.path) for n in kb.notes})


def _page_of(site: Path, url: str) -> Path:
    return site / url / "index.html"


def test_note_pages_stay_small(big) -> None:
    built, model = big
    assert "navigation.prune" in yaml.safe_load((built.root / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["features"]
    sizes = {n.path: _page_of(built.site, model.url(n.path)).stat().st_size for n in model.kb.notes if n.type != "hub"}
    assert len(sizes) > 250
    too_big = {p: s for p, s in sizes.items() if s >= NOTE_PAGE_LIMIT}
    assert too_big == {}
    for path in list(sizes)[::25]:
        soup = BeautifulSoup(_page_of(built.site, model.url(path)).read_text(encoding="utf-8"), "html.parser")
        links = soup.select("nav.md-nav--primary a")
        assert 0 < len(links) <= (NAV_TOP + NAV_DEPTH + 2) * (NAV_CHILDREN + 1)


def _links(soup: BeautifulSoup, url: str) -> set[str]:
    """Pages reached from ``url`` by the links a reader without JavaScript follows to find notes."""
    out = set()
    for a in soup.select("nav.md-nav--primary a[href], nav.kb-breadcrumb a[href], section.kb-panels a.kb-link[href]"):
        href = a["href"].split("#")[0]
        if href and "://" not in href:
            target = posixpath.normpath(posixpath.join(url, href))
            out.add("" if target == "." else target.rstrip("/") + "/")
    return out


def test_every_note_is_reachable_without_javascript(big) -> None:
    built, model = big
    seen, todo = {""}, [""]
    while todo:
        url = todo.pop()
        page = _page_of(built.site, url)
        if not page.is_file():
            continue
        for target in _links(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"), url):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    missing = [n.title for n in model.kb.notes if model.url(n.path) not in seen]
    assert missing == []


def test_see_all_links_lead_to_a_page_listing_every_part(big) -> None:
    built, model = big
    # A hub's section is open on its own page (the project's mkdocs.yml: navigation.prune, top
    # sections closed elsewhere): its « … N autres » link is there.
    more = []
    for hub in (n for n in model.kb.notes if n.type == "hub"):
        url = model.url(hub.path)
        soup = BeautifulSoup(_page_of(built.site, url).read_text(encoding="utf-8"), "html.parser")
        more += [posixpath.normpath(posixpath.join(url, a["href"])) for a in soup.select("nav.md-nav--primary a") if a.get_text(strip=True).startswith("…")]
    assert more, "a 300-note vault has hubs with more parts than the nav lists"
    by_url = {model.url(n.path): n for n in model.kb.notes}
    for href in set(more):
        target = href.rstrip("/") + "/"
        hub = by_url[target]
        soup = BeautifulSoup(_page_of(built.site, target).read_text(encoding="utf-8"), "html.parser")
        listed = _links(soup, target)
        parts = model.sources(hub, "isPartOf") + model.sources(hub, "subClassOf")
        assert len(parts) > NAV_CHILDREN
        assert [p.title for p in parts if model.url(p.path) not in listed] == []


def test_notes_left_out_of_the_nav_are_not_logged_as_missing(big) -> None:
    built, _ = big
    assert not any("not included in the \"nav\"" in r.getMessage() for r in built.records)

