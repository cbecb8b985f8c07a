"""The graph page a person can read: its text equivalent (outline, edge tables), keyboard use,
the focus and filters kept in the address, and axe-core's accessibility checks in Chromium."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from kbtools import schema

from .conftest import Tab as BaseTab
from .helpers import CHROMIUM, NODE_MODULES, Built

READY = '[data-kb-graph][data-kb-ready="1"]'
AXE = NODE_MODULES / "axe-core" / "axe.min.js"

# Violations axe reports in markup kb does not write (mkdocs-material's own), left out of the check.
# Each entry: (rule id, CSS selector of the element, why it cannot be fixed here). Keep it short.
AXE_EXCLUDED: list[tuple[str, str, str]] = [
    # material's header search box is role="dialog" without a name (its template partials/search.html);
    # kb does not override material's templates.
    ("aria-dialog-name", ".md-search", "material's search dialog has no accessible name"),
]


def _global(built: Built) -> dict:
    return json.loads((built.site / "assets/kb/graph/global.json").read_text(encoding="utf-8"))


# -- the text equivalent, in the built page (no browser) ---------------------------------------


def test_outline_lists_every_note_of_the_graph_data_nested_by_parent(built: Built) -> None:
    data = _global(built)
    page = built.page("graphe/")
    outline = page.select_one("article .kb-outline")
    hrefs = {a["href"] for a in outline.select("li > a:first-child")}
    assert hrefs == {"../" + n[2] for n in data["nodes"]}
    assert len(data["nodes"]) == 10
    # One section per hub (heading level 3), the hub's tree inside; the note under no hub last.
    assert [h.find("span").get_text() for h in outline.select("section > h3")] == ["Concepts", "Frameworks", "Notes hors des carrefours"]
    # Rétropropagation is part of Différentiation automatique, itself part of the hub Concepts.
    retro = outline.find("a", string="Rétropropagation")
    parents = [li.find("a").get_text() for li in retro.find_parents("li")]
    assert parents[1:] == ["Différentiation automatique", "Concepts"]
    # A typed relation other than the nesting is written beside the note.
    pytorch = next(a for a in outline.select("li > a:first-child") if a.get_text() == "PyTorch").find_parent("li")
    assert "Voir aussi : TensorFlow" in pytorch.select_one(".kb-outline__rels").get_text()


def test_edge_tables_list_every_edge_of_the_graph_data(built: Built) -> None:
    data = _global(built)
    labels = {kind: schema.RELATION_LABELS[kind][0] for kind in data["relations"]}
    expected = {("../" + data["nodes"][s][2], labels[k], "../" + data["nodes"][t][2]) for s, t, k in data["edges"]}
    page = built.page("graphe/")
    rows = set()
    tables = page.select("article table.kb-edges")
    for table in tables:
        assert table.caption.get_text().startswith(labels[table["data-kb-relation"]])
        assert [th["scope"] for th in table.select("thead th")] == ["col", "col", "col"]
        for tr in table.select("tbody tr"):
            source, relation, target = tr.find_all(["th", "td"])
            assert source.name == "th" and source["scope"] == "row"
            rows.add((source.a["href"], relation.get_text(), target.a["href"]))
    assert len(data["edges"]) == 25 and sum(len(t.select("tbody tr")) for t in tables) == 25
    assert rows == expected
    # Mentions start hidden in the drawing, folded in the text.
    assert page.select_one("details.kb-edges__more table")["data-kb-relation"] == "mentions"


def test_canvas_description_and_search_exclusion(built: Built) -> None:
    page = built.page("graphe/")
    container = page.select_one("article [data-kb-graph]")
    described = page.find(id=container["data-kb-describedby"])
    assert described.get_text().startswith("Le dessin montre 10 notes et 25 relations")
    assert "Concepts (6 notes)" in described.get_text()
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("graphe/"))
    assert "Rétropropagation" not in text  # the outline is not indexed: a title search finds its note, not this page


# -- in Chromium --------------------------------------------------------------------------------

class Tab(BaseTab):
    """The shared tab, with the address's query and axe-core."""

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query, keep_blank_values=True)

    def axe(self) -> list[dict]:
        """Serious and critical violations axe-core finds in the page as it is now, exclusions left out."""
        self.page.add_script_tag(path=str(AXE))
        found = self.page.evaluate(
            """async () => {
                const result = await axe.run(document, { resultTypes: ["violations"] });
                return result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => ({
                    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")),
                }));
            }"""
        )
        out = []
        for v in found:
            targets = [t for t in v["targets"] if not any(rule == v["id"] and sel == t for rule, sel, _ in AXE_EXCLUDED)]
            if targets:
                out.append(v | {"targets": targets})
        return out


@pytest.mark.parametrize("url", ["frameworks/pytorch/", "graphe/", "sparql/"])
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is missing from node_modules: run `npm ci`")
def test_axe_finds_no_serious_violation(tab: Tab, url: str) -> None:
    tab.open(url)
    if url != "sparql/":
        tab.page.wait_for_selector(READY)
    else:
        tab.page.wait_for_selector('[data-kb-sparql][data-kb-ready="1"]', timeout=30_000)
    violations = tab.axe()
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
def test_keyboard_reaches_the_controls_and_an_outline_link_opens_its_note(tab: Tab) -> None:
    tab.open("graphe/")
    tab.page.wait_for_selector(READY)
    tab.page.click("article h1")  # the starting point of sequential focus navigation
    seen = []
    for _ in range(80):
        tab.page.keyboard.press("Tab")
        seen.append(tab.page.evaluate("(() => { const a = document.activeElement; return [a.tagName, a.className, a.type || '', a.textContent.trim()]; })()"))
        if "kb-graph__search" in seen[-1][1].split():
            break
    assert "kb-graph__search" in seen[-1][1].split(), seen
    tab.page.keyboard.press("Tab")
    first = tab.page.evaluate("document.activeElement.closest('.kb-graph__filter')?.querySelector('legend').textContent")
    assert first == "Relations"
    assert tab.page.evaluate("document.activeElement.type") == "checkbox"
    tab.page.keyboard.press("Space")  # the first relation (Fait partie de) unticked: the address says which are left
    assert tab.page.evaluate("document.activeElement.checked") is False, tab.page.url
    tab.page.wait_for_function("location.search.includes('relations=')")  # written on the change event
    assert tab.query()["relations"] == ["subClassOf,seeAlso,differentFrom,sources"]
    # Onward to the outline: its first link is the hub Concepts.
    for _ in range(80):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("!!document.activeElement.closest('.kb-outline')"):
            break
    assert tab.page.evaluate("document.activeElement.textContent") == "Concepts"
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url("**/hubs/concepts/")
    tab.page.wait_for_function("document.querySelector('article h1')?.textContent === 'Concepts'")
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
def test_focus_and_filters_are_read_back_from_the_address(tab: Tab) -> None:
    tab.open("graphe/?note=frameworks/pytorch/&relations=isPartOf,seeAlso&types=framework,hub")
    tab.page.wait_for_selector(READY)
    assert tab.graph("el.dataset.kbSelected") == "PyTorch"
    ticked = tab.page.evaluate("[...document.querySelectorAll('.kb-graph__filter input:checked')].map((i) => i.value)")
    assert ticked == ["isPartOf", "seeAlso", "hub", "framework"]
    assert tab.graph("cy.nodes(':childless:visible').length") == 4  # 2 frameworks, 2 hubs
    # PyTorch's neighbours by the relations shown stay bright, the rest dims.
    bright = tab.graph("cy.nodes(':childless').not('.kb-dim').map((n) => n.data('label')).sort()")
    assert bright == ["Frameworks", "PyTorch", "TensorFlow"]
    tab.page.click(".kb-graph__reset")
    assert tab.query() == {"relations": ["isPartOf,seeAlso"], "types": ["framework,hub"]}
    assert tab.graph("cy.nodes('.kb-dim').length") == 0
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
def test_a_note_sends_to_its_place_in_the_graph_through_instant_navigation(tab: Tab) -> None:
    tab.open("frameworks/tensorflow/")
    tab.page.wait_for_selector(READY)
    tab.page.evaluate("window.kbMarker = 'same document'")
    tab.page.click("text=Situer la note dans le graphe complet")
    tab.page.wait_for_url("**/graphe/?note=frameworks/tensorflow/")
    tab.page.wait_for_function(
        "window.kbGraph && [...window.kbGraph.instances].some(([el]) => el.isConnected && el.dataset.kbSelected === 'TensorFlow')"
    )
    assert tab.page.evaluate("window.kbMarker") == "same document"
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
def test_an_address_naming_no_note_or_odd_filters_draws_the_graph_anyway(tab: Tab) -> None:
    tab.open("graphe/?note=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&relations=&types=nope,concept")
    tab.page.wait_for_selector(READY)
    assert tab.page.inner_text(".kb-graph__status") == "La note demandée par l’adresse n’est pas dans le graphe."
    ticked = tab.page.evaluate("[...document.querySelectorAll('.kb-graph__filter input:checked')].map((i) => i.value)")
    assert ticked == ["concept"]  # an empty list shows no relation; an unknown type is ignored
    assert tab.graph("cy.edges(':visible').length") == 0
    assert tab.dialogs == [] and tab.errors == []
