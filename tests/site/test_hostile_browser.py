"""The hostile vault's site in headless Chromium: no page, no search, no click opens a dialog.

Every input of issue #12 is in tests/data/hostile_vault (tags, subtitle, status, template +
location, icon, revision_date, body scripts, event handlers, ``javascript:`` and ``data:`` links,
``<svg onload>``, ``<details ontoggle>``, ``<input autofocus onfocus>``…). Each would call
``alert``; Playwright's ``dialog`` event sees any that does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from .conftest import Tab as BaseTab
from .conftest import serve_built_site
from .helpers import CHROMIUM
from .test_hostile import HOSTILE_VAULT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"),
]
TAG = '<img src=x onerror=alert("tag")>'


class Tab(BaseTab):
    """The shared tab, with a search as a reader types it."""

    def search(self, query: str) -> None:
        self.page.click("input.md-search__input")
        self.page.fill("input.md-search__input", "")
        self.page.keyboard.type(query, delay=20)  # material searches on key events
        self.page.wait_for_selector(".md-search-result__item")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile site, built for and served on 127.0.0.1 (overrides conftest's fixture site for ``tab``)."""
    yield from serve_built_site(tmp_path_factory.mktemp("hostile-served"), HOSTILE_VAULT)


def test_the_dialog_listener_sees_a_real_alert(tab: Tab) -> None:
    """Control: the same listener does see a script that runs."""
    tab.open("")
    tab.page.set_content('<img src=x onerror=alert("control")>')
    tab.page.wait_for_timeout(300)
    assert tab.dialogs == ["control"]


def test_no_page_of_the_hostile_site_opens_a_dialog(tab: Tab) -> None:
    sitemap = tab.page.request.get(tab.base + "sitemap.xml").text()
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(urls) > 15 and any(u.endswith("/notes/corps/") for u in urls)
    for url in urls:
        tab.open(url.removeprefix(tab.base))
        tab.page.wait_for_timeout(100)  # onerror of a broken image and ontoggle fire after load
    assert tab.dialogs == []


def test_hostile_body_is_shown_as_harmless_text(tab: Tab) -> None:
    tab.open("notes/corps/")
    article = tab.page.inner_text("article")
    assert "Du HTML brut dans le corps" in article and "Texte après les titres" in article
    # the links lost their script: clicking them stays on the page
    for label in ("lien a", "lien tabulé", "lien data", "lien Markdown"):
        tab.page.get_by_text(label, exact=True).click()
    assert tab.page.url.endswith("/notes/corps/")
    tab.page.hover("text=lien attr_list")
    assert tab.dialogs == []


def test_search_for_the_hostile_tag_opens_no_dialog(tab: Tab) -> None:
    tab.open("")
    tab.search("chercher")  # a word of the note with the hostile tags
    shown = tab.page.locator(".md-search-result__item .md-tag").all_inner_texts()
    assert TAG in shown  # the tag is shown as the text it is
    tab.search("onerror")  # matches the hostile tag, description and headings
    assert tab.page.locator(".md-search-result__item").count() >= 3
    tab.page.locator(".md-search-result__item a").first.click()
    tab.page.wait_for_load_state("load")
    tab.page.wait_for_timeout(300)
    assert tab.dialogs == []
