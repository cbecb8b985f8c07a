"""Questions inside notes in headless Chromium: the button opens the SPARQL page on the same rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .conftest import serve_built_site
from .helpers import CHROMIUM
from .query_notes import HUB_URL, XSS, write_query_project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"),
]

READY = '[data-kb-sparql][data-kb-ready="1"]'
STATE = "document.querySelector('[data-kb-sparql]').dataset.kbState"
# Each cell as where its link leads (absolute URL), or its text: the note's page labels a note by
# its title, the SPARQL page by its IRI, and both link it to the same page.
CELL = "(td) => td.querySelector('a') ? td.querySelector('a').href : td.textContent"
EDITOR_ROWS = f"() => [...document.querySelectorAll('.kb-sparql__output tbody tr')].map((tr) => [...tr.cells].map({CELL}))"
BLOCK_ROWS = f"(n) => [...document.querySelectorAll('article .kb-query')[n].querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map({CELL}))"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture project with its sparql blocks, built (strict) for and served on 127.0.0.1."""
    yield from serve_built_site(tmp_path_factory.mktemp("query-blocks-served"), write=write_query_project, strict=True)


@pytest.fixture
def page(browser) -> Iterator[tuple[object, list[str], list[str]]]:
    """A fresh page, with the console and page errors and the dialogs it saw."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab, errors, dialogs
    context.close()


@pytest.mark.parametrize("block", [0, 1], ids=["this", "xss-literal"])
def test_the_button_opens_the_sparql_page_with_the_same_rows(page, base: str, block: int) -> None:
    tab, errors, dialogs = page
    tab.goto(base + HUB_URL)
    static = tab.evaluate(BLOCK_ROWS, block)
    assert static
    if block == 1:  # the hostile title is a cell's text, on the note's page
        assert XSS in [cell for row in static for cell in row]
        assert tab.locator("article .kb-query td", has_text=XSS).first.is_visible()
        assert tab.locator("article .kb-query img").count() == 0
    tab.locator("article .kb-query").nth(block).locator("a.kb-query__open").click()
    tab.wait_for_url("**/sparql/#q=*")
    tab.wait_for_selector(READY, timeout=30_000)
    tab.wait_for_function(f"['done', 'error', 'refused'].includes({STATE})", timeout=30_000)
    assert tab.evaluate(STATE) == "done"
    assert tab.evaluate(EDITOR_ROWS) == static  # the browser's Oxigraph answers as the build's did
    text = tab.input_value(".kb-sparql__input")
    assert "?this" not in text  # the query that ran, the note's IRI in place of ?this
    assert (f"<{base}{HUB_URL}>" in text) == (block == 0)
    if block == 1:
        assert tab.locator(".kb-sparql__output td", has_text=XSS).is_visible()
        assert tab.locator(".kb-sparql__output img").count() == 0
    tab.wait_for_timeout(300)  # an injected handler would have fired by now
    assert dialogs == []
    assert errors == []
