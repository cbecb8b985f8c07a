"""The « Interroger en SPARQL » page in headless Chromium, checked against kbtools.query.run_local.

The page queries the site's own kb.ttl with Oxigraph's WebAssembly build in a worker; the
expected answers come from the Python side on a knowledge base built independently from the
same fixture vault, with the served site's address as IRI base.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from kbtools.query import load_named_queries, render, run_local, term_text
from kbtools.vocab import sparql_prologue

from .conftest import Tab as BaseTab
from .helpers import CHROMIUM, ROOT, write_project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"),
]

XSS = "<img src=x onerror=alert(1)>"
PAGE = "sparql/"
READY = '[data-kb-sparql][data-kb-ready="1"]'
STATE = "document.querySelector('[data-kb-sparql]').dataset.kbState"
QUERIES = load_named_queries(ROOT / "ontology" / "queries")
ROWS_JS = "() => [...document.querySelectorAll('.kb-sparql__output tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent))"


@dataclass
class Tab(BaseTab):
    """The shared tab, with the requests blocked since it opened, and the SPARQL page's own steps."""

    blocked: list[str] = field(default_factory=list)

    def open(self, url: str = PAGE) -> None:
        self.page.goto(self.base + url)
        self.page.wait_for_selector(READY, timeout=30_000)

    def run(self, text: str) -> str:
        """Type ``text``, run it, wait for the answer; returns the final state."""
        self.page.evaluate("() => { delete document.querySelector('[data-kb-sparql]').dataset.kbState; }")
        self.page.fill(".kb-sparql__input", text)
        self.page.click(".kb-sparql__run")
        return self.wait()

    def wait(self) -> str:
        self.page.wait_for_function(f"['done', 'error', 'refused'].includes({STATE})", timeout=30_000)
        return self.page.evaluate(STATE)

    def rows(self) -> list[list[str]]:
        return self.page.evaluate(ROWS_JS)

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector)


@pytest.fixture(scope="module")
def graph(served: str, tmp_path_factory: pytest.TempPathFactory):
    """The fixture vault's graph built by the pipeline, with the served site's IRIs (not read from kb.ttl)."""
    root = tmp_path_factory.mktemp("sparql-expected")
    write_project(root, site_url=served)
    return build_knowledge_base(load_config(root / "docs", root / "mkdocs.yml", served)).graph


def expected(graph, text: str) -> list[list[str]]:
    result = run_local(graph, text)
    return [[term_text(row.get(v)) for v in result.vars] for row in result.rows]


def same_rows(got: list[list[str]], want: list[list[str]], text: str) -> bool:
    """In order when the query orders its rows, as a multiset otherwise."""
    return got == want if "ORDER BY" in text.upper() else sorted(got) == sorted(want)


def test_every_example_question_gives_the_rows_of_run_local(tab: Tab, graph) -> None:
    tab.open()
    options = tab.page.eval_on_selector_all(".kb-sparql__examples option", "(os) => os.map((o) => [o.value, o.textContent])")
    assert options[1:] == [[q.name, q.title] for q in QUERIES.values()]
    non_empty = 0
    for q in QUERIES.values():
        tab.page.evaluate("() => { delete document.querySelector('[data-kb-sparql]').dataset.kbState; }")
        tab.page.select_option(".kb-sparql__examples", q.name)
        assert tab.wait() == "done", (q.name, tab.text(".kb-sparql__error"))
        assert tab.page.input_value(".kb-sparql__input") == q.text
        want = expected(graph, q.text)
        assert same_rows(tab.rows(), want, q.text), q.name
        status = tab.text(".kb-sparql__status")
        count = f"{len(want)} résultat{'s' if len(want) > 1 else ''}" if want else "Aucun résultat"
        assert status.startswith(count + " en ") and status.endswith(" ms"), status
        non_empty += bool(want)
    assert non_empty >= 8  # the fixture vault answers most questions
    assert tab.errors == []


def test_site_iris_link_to_their_pages(tab: Tab, graph) -> None:
    tab.open()
    text = "SELECT ?note ?titre WHERE { ?note a kb:Framework ; skos:prefLabel ?titre } ORDER BY ?titre"
    assert tab.run(text) == "done"
    assert tab.rows() == expected(graph, text) == [[tab.base + "frameworks/pytorch/", "PyTorch"], [tab.base + "frameworks/tensorflow/", "TensorFlow"]]
    link = tab.page.locator(".kb-sparql__output a", has_text=tab.base + "frameworks/pytorch/")
    assert link.get_attribute("href") == "../frameworks/pytorch/"
    link.click()
    tab.page.wait_for_url("**/frameworks/pytorch/")
    tab.page.locator("article h1", has_text="PyTorch").wait_for()  # instant navigation: the URL changes first
    assert tab.errors == []


def test_syntax_error_shows_its_position(tab: Tab) -> None:
    tab.open()
    assert tab.run("SELECT ?x\nWHERE {\n  ?x skos:prefLabel ?t\n} LIMIT dix") == "error"
    error = tab.text(".kb-sparql__error")
    assert "Erreur de syntaxe ligne 4, colonne 9" in error  # the user's line, not shifted by the PREFIX lines
    assert "expected" in error
    assert tab.text(".kb-sparql__tok--error") == "dix"  # the editor marks where
    assert tab.page.is_visible(".kb-sparql__input") and tab.text(".kb-sparql__output") == ""
    tab.page.click(".kb-sparql__goto")
    assert tab.page.evaluate("document.activeElement.selectionStart") == len("SELECT ?x\nWHERE {\n  ?x skos:prefLabel ?t\n} LIMIT ")
    assert tab.errors == []


def test_permalink_reproduces_the_query_and_its_rows(tab: Tab, browser, graph) -> None:
    tab.open()
    text = "# « accents » & signes : + % #\nSELECT ?titre WHERE { ?n skos:prefLabel ?titre FILTER(CONTAINS(?titre, 'r')) } ORDER BY ?titre"
    assert tab.run(text) == "done"
    rows = tab.rows()
    assert rows == expected(graph, text) and rows
    href = tab.page.get_attribute(".kb-sparql__permalink", "href")
    assert href.startswith(tab.base + PAGE + "#q=")
    other = browser.new_context().new_page()
    try:
        other.goto(href)
        other.wait_for_function(f"{STATE} === 'done'", timeout=30_000)
        assert other.input_value(".kb-sparql__input") == text
        assert other.evaluate(ROWS_JS) == rows
        other.goto(tab.base + PAGE + "?q=" + href.split("#q=", 1)[1])  # the ?q= form works too
        other.wait_for_function(f"{STATE} === 'done'", timeout=30_000)
        assert other.evaluate(ROWS_JS) == rows
    finally:
        other.context.close()


def test_question_page_opens_the_editor_with_the_same_answer(tab: Tab) -> None:
    tab.page.goto(tab.base + "questions/hubs/")
    static = tab.page.evaluate("() => [...document.querySelectorAll('article .kb-results tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent))")
    assert static
    tab.page.click("article a.md-button")
    tab.page.wait_for_url("**/sparql/#q=*")
    tab.page.wait_for_selector(READY, timeout=30_000)
    assert tab.wait() == "done"
    assert tab.rows() == static  # the browser's Oxigraph answers as the build's did
    assert tab.page.input_value(".kb-sparql__input") == QUERIES["hubs"].text
    assert tab.page.input_value(".kb-sparql__examples") == "hubs"
    assert tab.errors == []


def test_markup_in_a_literal_stays_text(tab: Tab) -> None:
    tab.open()
    assert tab.run("SELECT ?n ?titre WHERE { ?n skos:prefLabel ?titre ; kb:isPartOf ?hub }") == "done"
    assert [XSS] == [cell for row in tab.rows() for cell in row if cell.startswith("<")]
    assert tab.page.locator(".kb-sparql__output td", has_text=XSS).is_visible()
    assert tab.page.locator(".kb-sparql__output img").count() == 0
    assert tab.run("SELECT ?n ?hub WHERE { ?n kb:isPartOf ?hub }") == "done"
    tab.page.click(".kb-sparql__show-graph")  # the titles become node labels too
    tab.page.wait_for_selector('.kb-sparql__graph[data-kb-ready="1"]')
    labels = tab.page.evaluate("[...window.kbSparql.instances.values()][0].cy.nodes().map((n) => n.data('label'))")
    assert XSS in labels
    tab.page.wait_for_timeout(300)  # an injected handler would have fired by now
    assert tab.dialogs == []
    assert tab.errors == []


def test_update_is_refused_before_the_store(tab: Tab) -> None:
    tab.open()
    insert = "INSERT DATA { <https://x.invalid/a> <https://x.invalid/b> 'c' }"
    assert tab.run(insert) == "refused"
    assert "lecture seule" in tab.text(".kb-sparql__error")
    # The worker refuses too, should a script bypass the page.
    refused = tab.page.evaluate(
        "(t) => [...window.kbSparql.instances.values()][0].engine.call({ type: 'query', text: t }).then(() => 'ran', (e) => e.message)", insert
    )
    assert "lecture seule" in refused
    assert tab.run("ASK { <https://x.invalid/a> ?p ?o }") == "done"
    assert tab.text(".kb-sparql__boolean") == "Non (false)"
    assert tab.errors == []


def test_ask_construct_and_downloads(tab: Tab, graph) -> None:
    tab.open()
    assert tab.run("ASK { ?f a kb:Framework }") == "done"
    assert tab.text(".kb-sparql__boolean") == "Oui (true)"
    construct = "CONSTRUCT { ?a skos:broader ?b } WHERE { ?a kb:isPartOf ?b }"
    assert tab.run(construct) == "done"
    shown = {line for line in tab.text(".kb-sparql__triples").splitlines() if line.strip()}
    assert shown == {line for line in run_local(graph, construct).graph.splitlines() if line.strip()}
    assert tab.text(".kb-sparql__status").startswith(f"{len(shown)} triplets en ")
    text = "SELECT ?titre ?modifiee WHERE { ?n kb:path ?p ; skos:prefLabel ?titre ; dcterms:modified ?modifiee } ORDER BY ?titre"
    assert tab.run(text) == "done"
    fetch = "(f) => fetch(document.querySelector(`[data-kb-format=${f}]`).href).then((r) => r.text())"
    result = run_local(graph, text)
    assert tab.page.evaluate(fetch, "csv").rstrip("\r\n") == render(result, "csv")
    assert json.loads(tab.page.evaluate(fetch, "json")) == result.to_json()
    assert tab.errors == []


def test_copy_as_curl(tab: Tab) -> None:
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.base.rstrip("/"))
    tab.open()
    text = "PREFIX kb: <https://kb-dl.github.io/ontology#>\nSELECT ?t WHERE { ?n a kb:Hub ; skos:prefLabel ?t }"
    assert tab.run(text) == "done"
    tab.page.click(".kb-sparql__copy-curl")
    assert tab.page.is_visible(".kb-sparql__curl pre")
    command = tab.text(".kb-sparql__curl code")
    tab.page.wait_for_function("() => document.querySelector('.kb-sparql__status').textContent === 'Commande curl copiée'")
    assert tab.page.evaluate("navigator.clipboard.readText()") == command
    args = shlex.split(command)
    assert args[:3] == ["curl", "-sS", "http://127.0.0.1:7878/query"]
    sent = args[args.index("--data-urlencode") + 1]
    # The pre-declared prefixes are written out for the server, except the one the query declares.
    assert sent == "query=" + sparql_prologue().replace("PREFIX kb: <https://kb-dl.github.io/ontology#>\n", "") + text
    assert tab.errors == []


def test_graph_view_of_two_iri_columns(tab: Tab, graph) -> None:
    tab.open()
    text = "SELECT ?note ?parent WHERE { ?note kb:isPartOf ?parent }"
    assert tab.run(text) == "done"
    assert tab.run("SELECT ?titre ?n WHERE { ?n skos:prefLabel ?titre }") == "done"
    assert tab.page.locator(".kb-sparql__show-graph").count() == 0  # a literal column: no graph offered
    assert tab.run(text) == "done"
    tab.page.click(".kb-sparql__show-graph")
    tab.page.wait_for_selector('.kb-sparql__graph[data-kb-ready="1"]')
    rows = run_local(graph, text).rows
    assert int(tab.page.get_attribute(".kb-sparql__graph", "data-kb-edges")) == len(rows)
    assert int(tab.page.get_attribute(".kb-sparql__graph", "data-kb-nodes")) == len({r[v]["value"] for r in rows for v in ("note", "parent")})
    assert tab.page.locator(".kb-sparql__graph canvas").count() > 0
    assert tab.errors == []


def test_works_offline_with_only_the_local_server(browser, served: str, graph) -> None:
    context = browser.new_context()
    found = Tab(context.new_page(), served)

    def only_local(route) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            found.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    found.page.on("console", lambda msg: found.errors.append(msg.text) if msg.type == "error" else None)
    found.page.on("pageerror", lambda exc: found.errors.append(str(exc)))
    local: list[str] = []
    found.page.on("request", lambda request: local.append(request.url))
    try:
        found.open()
        text = QUERIES["hubs"].text
        assert found.run(text) == "done"
        assert same_rows(found.rows(), expected(graph, text), text)
        assert any(url.endswith("/kb.ttl") for url in local) and any(url.endswith(".wasm") for url in local)
        assert found.blocked == []  # nothing outside the site was even asked for
        assert found.errors == []
    finally:
        context.close()


def test_reached_by_instant_navigation_twice(tab: Tab) -> None:
    tab.page.goto(tab.base)
    # material's instant navigation takes over links once its bundle has run; a click before that reloads
    tab.page.wait_for_function("typeof window.location$ !== 'undefined' && typeof window.document$ !== 'undefined'")
    tab.page.evaluate("window.kbMarker = 'same document'")
    nav = tab.page.locator("nav.md-nav--primary")
    for _ in range(2):
        nav.get_by_role("link", name="Interroger en SPARQL", exact=True).click()
        tab.page.wait_for_url("**/sparql/")
        tab.page.wait_for_selector(READY, timeout=30_000)
        assert tab.run("SELECT ?t WHERE { ?h a kb:Hub ; skos:prefLabel ?t } ORDER BY ?t") == "done"
        assert tab.rows() == [["Concepts"], ["Frameworks"]]
        nav.get_by_role("link", name="Questions", exact=True).click()
        tab.page.wait_for_url("**/questions/")
    assert tab.page.evaluate("window.kbMarker") == "same document"  # material swapped the content each time
    assert tab.page.evaluate("window.kbSparql.instances.size") == 0  # the page left freed its worker
    assert tab.errors == []


def test_screenshot_of_the_page(tab: Tab, tmp_path: Path) -> None:
    tab.open()
    tab.page.select_option(".kb-sparql__examples", "frameworks")
    assert tab.wait() == "done"
    tab.page.screenshot(path=tmp_path / "sparql.png", full_page=True)
    assert (tmp_path / "sparql.png").stat().st_size > 10_000
    assert tab.page.locator(".kb-sparql__tok--keyword", has_text="SELECT").count() == 1  # highlighted
    assert tab.errors == []
