"""The built fixture site in headless Chromium: panels, graph drawing, search, clicks, instant navigation."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Tab as BaseTab
from .helpers import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"),
]

XSS = "<img src=x onerror=alert(1)>"
READY = '[data-kb-graph][data-kb-ready="1"]'


class Tab(BaseTab):
    """The shared tab, with waits for the asynchronous drawing of graphs."""

    def until(self, expr: str) -> None:
        """Wait until ``expr`` (with ``el`` and ``cy`` bound as in :meth:`graph`) is true: drawing is asynchronous."""
        self.page.wait_for_function(
            f"() => {{ const found = window.kbGraph && [...window.kbGraph.instances].find(([e]) => e.isConnected);"
            f" if (!found) return false; const [el, cy] = found; return {expr}; }}"
        )

    def wait_for_graph(self, focus: str | None = None) -> None:
        """Until the page's own graph is drawn (after an instant navigation the old one lingers a moment)."""
        self.page.wait_for_function(
            """(focus) => window.kbGraph && [...window.kbGraph.instances].some(([el, cy]) =>
                el.isConnected && el.dataset.kbReady === '1' && (!focus || cy.nodes('.kb-focus')[0]?.data('label') === focus))""",
            arg=focus,
        )


def _nav_link(tab: Tab, title: str):
    return tab.page.locator("nav.md-nav--primary").get_by_role("link", name=title, exact=True)


def _canvas_has_pixels(tab: Tab) -> bool:
    return tab.page.evaluate(
        """() => [...document.querySelectorAll('.kb-graph__canvas canvas')].some((c) => {
            if (!c.width || !c.height) return false;
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
            return false;
        })"""
    )


def test_note_page_shows_its_local_graph_and_panel_links_work(tab: Tab, tmp_path: Path) -> None:
    tab.open("frameworks/pytorch/")
    tab.page.wait_for_selector(READY)
    assert tab.graph("Number(el.dataset.kbNodes)") == 6
    assert _canvas_has_pixels(tab)
    tab.page.screenshot(path=tmp_path / "pytorch.png", full_page=True)
    tab.page.click(".kb-panel--seeAlso a")
    tab.page.wait_for_url("**/frameworks/tensorflow/")
    # instant navigation changes the URL before it swaps the content
    tab.page.wait_for_function("document.querySelector('article h1')?.textContent === 'TensorFlow'")
    tab.wait_for_graph(focus="TensorFlow")  # the local graph of the new page, after instant navigation
    assert tab.graph("Number(el.dataset.kbNodes)") == 3
    assert (tmp_path / "pytorch.png").stat().st_size > 10_000
    assert tab.errors == []


def test_global_graph_draws_filters_and_searches(tab: Tab, tmp_path: Path) -> None:
    tab.open("graphe/")
    tab.page.wait_for_selector(READY)
    assert tab.graph("cy.nodes(':childless').length") == 10
    assert _canvas_has_pixels(tab)
    legend = tab.page.locator(".kb-graph__filter").first.inner_text()
    assert "Fait partie de" in legend and "Mentionne" in legend
    tab.page.locator(".kb-graph__choice", has_text="Framework").locator("input").uncheck()
    tab.until("cy.nodes(':childless:visible').length === 8")
    tab.page.fill(".kb-graph__search", "tenseur")
    tab.page.press(".kb-graph__search", "Enter")
    assert tab.graph("el.dataset.kbSelected") == "Tenseur"
    assert tab.page.inner_text(".kb-graph__status").startswith("Note choisie : Tenseur")
    tab.page.screenshot(path=tmp_path / "graphe.png", full_page=True)
    assert (tmp_path / "graphe.png").stat().st_size > 10_000
    assert tab.errors == []


def test_clicking_a_node_focuses_it_then_opens_its_page(tab: Tab) -> None:
    tab.open("graphe/")
    tab.page.wait_for_selector(READY)
    tab.page.locator(".kb-graph__canvas").scroll_into_view_if_needed()
    x, y = tab.graph(
        """(() => {
            const node = cy.nodes().filter((n) => n.data('label') === 'PyTorch')[0];
            const box = el.querySelector('.kb-graph__canvas').getBoundingClientRect();
            const at = node.renderedPosition();
            return [box.left + at.x, box.top + at.y];
        })()"""
    )
    tab.page.evaluate("window.kbMarker = 'same document'")
    tab.page.mouse.click(x, y)  # the first click focuses the note: the rest dims, the address keeps it
    tab.page.wait_for_url("**/graphe/?note=frameworks/pytorch/")
    assert tab.graph("el.dataset.kbSelected") == "PyTorch"
    assert tab.graph("cy.nodes('.kb-dim').length") > 0
    assert tab.graph("cy.nodes().filter((n) => n.data('label') === 'PyTorch').hasClass('kb-dim')") is False
    tab.page.mouse.click(x, y)  # the second opens it
    tab.page.wait_for_url("**/frameworks/pytorch/")
    tab.wait_for_graph(focus="PyTorch")
    assert tab.page.inner_text("article h1") == "PyTorch"
    assert tab.page.evaluate("window.kbMarker") == "same document"  # through instant navigation
    assert tab.errors == []


def test_instant_navigation_runs_the_graph_script(tab: Tab) -> None:
    tab.open("")
    tab.page.evaluate("window.kbMarker = 'same document'")
    _nav_link(tab, "Graphe").click()
    tab.page.wait_for_url("**/graphe/")
    tab.wait_for_graph()
    # Material swapped the content without reloading: the scripts ran from the new content.
    assert tab.page.evaluate("window.kbMarker") == "same document"
    assert tab.graph("cy.nodes(':childless').length") == 10
    _nav_link(tab, "Élagage").click()
    tab.page.wait_for_url("**/concepts/elagage/")
    tab.wait_for_graph(focus="Élagage")
    assert tab.page.evaluate("window.kbGraph.instances.size") == 1  # the graph of the page left was destroyed
    assert tab.errors == []


def test_xss_note_fires_no_dialog(tab: Tab, tmp_path: Path) -> None:
    tab.open("concepts/xss/")
    tab.page.wait_for_selector(READY)
    assert tab.page.inner_text("article h1") == XSS
    assert tab.graph("cy.nodes('.kb-focus')[0].data('label')") == XSS
    tab.open("graphe/")
    tab.page.wait_for_selector(READY)
    tab.page.fill(".kb-graph__search", "<img")
    tab.page.press(".kb-graph__search", "Enter")
    assert tab.graph("el.dataset.kbSelected") == XSS
    tab.page.screenshot(path=tmp_path / "xss.png", full_page=True)
    tab.open("tags/b-gras-b/")
    tab.open("index/a-z/")
    tab.page.wait_for_timeout(300)  # an injected handler would have fired by now
    assert tab.dialogs == []
    assert tab.errors == []
