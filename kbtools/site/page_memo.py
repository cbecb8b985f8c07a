"""Per-page work done again only for new input, across the rebuilds of ``mkdocs serve``.

When a rebuild renders every page (a hub renamed: every page's nav shows it), most pages'
content is what it was. Two steps then cost more than the template itself, and each depends
on the page's content alone:

- :class:`Memo` keeps the result of a pure function of a page's HTML (the author's HTML
  sanitised and given French spacing, :meth:`kbtools.site.plugin.KBPlugin.on_page_content`);
- :class:`SearchMemo` keeps the entries material's search makes of a page, which parses its
  HTML with Python's ``html.parser`` (a third of a full rebuild).

Both keep, for each page, the result of its latest input: a dirty build renders a few pages,
and the next full one finds every other page's result still there.
"""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from .derived import digest_of
from .markup import CODE_BLOCK, CODE_COLOURING


class Memo:
    """``memo.get(page, key, make)``: the page's latest result if it was made from ``key``,
    else ``make()``'s, which becomes the page's latest."""

    def __init__(self) -> None:
        self.latest: dict[str, tuple[str, object]] = {}
        self.hits = 0

    def get(self, page: str, key: str, make: Callable[[], object]) -> object:
        found = self.latest.get(page)
        if found is not None and found[0] == key:
            self.hits += 1
            return found[1]
        value = make()
        self.latest[page] = (key, value)
        return value


def searched_html(content: str) -> str:
    """``content`` as material's search parser reads it, lighter: the highlighting spans and empty
    line anchors of code blocks taken out (two thirds of a code page's tags, each parsed by
    ``html.parser``). Material's parser keeps a span's text and drops the tag, and an empty link
    adds nothing, so the entries are the same (``tests/site/test_page_memo.py`` checks it on code
    highlighted with this project's Markdown extensions). Only blocks of the form
    :data:`.markup.CODE_BLOCK` are touched."""
    if "<pre" not in content:
        return content
    return CODE_BLOCK.sub(lambda m: CODE_COLOURING.sub("", m.group(0)), content)


def _toc(items) -> list:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


class SearchMemo:
    """Material's search entries of a page, by everything they are made from: the page's
    address, content, title, table of contents and the ``title``, ``tags`` and ``search``
    keys of its metadata (material's ``SearchIndex.add_entry_from_context``, 9.x)."""

    def __init__(self) -> None:
        self.memo = Memo()

    def attach(self, config: MkDocsConfig) -> bool:
        """Wrap this build's search index, if material's search plugin made one; True if so."""
        self.memo.hits = 0
        index = getattr(config.plugins.get("material/search"), "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        if add is None or not isinstance(getattr(index, "entries", None), list):
            return False

        def add_memoized(page: Page) -> None:
            meta = page.meta or {}
            key = digest_of(page.url, page.content, page.title, meta.get("title"), meta.get("tags"), meta.get("search"), _toc(page.toc))

            start = len(index.entries)

            def make() -> list[dict]:  # material appends the page's entries to the index itself
                content = page.content
                page.content = searched_html(content) if content else content
                try:
                    add(page)
                finally:
                    page.content = content
                return [dict(e) for e in index.entries[start:]]

            made = self.memo.get(page.file.src_uri, key, make)
            if len(index.entries) == start:  # kept from an earlier build
                index.entries.extend(dict(e) for e in made)

        index.add_entry_from_context = add_memoized
        return True
