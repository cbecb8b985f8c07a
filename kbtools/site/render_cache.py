"""Pages converted once per input: mkdocs' Markdown → HTML step reused across the rebuilds of ``mkdocs serve``.

mkdocs converts every page at every build, though a save in ``mkdocs serve`` changes one note:
the other pages' conversion (Markdown extensions, code highlighting) is redone for nothing.
:class:`RenderCache` wraps ``Page.render``: the result is kept under a key made of everything
the conversion reads — the page's final Markdown (after every ``on_page_markdown``: resolved
wikilinks and expanded snippets included), its source and URL, the Markdown extensions and
their settings, and the URL of every file of the site (relative links are rewritten against
them) — and reused when the same key comes again.

What the panels, breadcrumb and nav show comes later (``on_page_content``, ``on_post_page``,
the theme), from the graph of this build: not cached. A hit restores what ``Page.render``
sets (content, table of contents, title, anchors, links to other pages' anchors) and replays
the log records of the conversion, so a broken link is reported at every build as before.
The plugin stays loaded between rebuilds (it has ``on_startup``); the cache keeps the latest
conversion of each page of the site (a dirty build renders some pages only), so it holds one
site at most.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents


@dataclass
class Rendered:
    """What ``Page.render`` leaves on a page; links to anchors by the linked file's source path."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    records: list[logging.LogRecord] = field(default_factory=list)


class KeepRecords(logging.Handler):
    """A logging handler that keeps every record it is given, in ``records``."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class RenderCache:
    """Conversions of the last build, by key; ``hits`` and ``misses`` count this build's pages."""

    def __init__(self) -> None:
        self.entries: dict[str, Rendered] = {}
        self.latest: dict[str, str] = {}  # page's src_uri → key of its latest conversion
        self.pages: set[str] = set()  # this build's pages
        self.site_key = ""
        self.hits = self.misses = 0

    def start(self, files: Files, config: MkDocsConfig) -> None:
        """A new build: the part of every key that is the same for all its pages."""
        digest = hashlib.sha256()
        digest.update(repr(config["markdown_extensions"]).encode())
        digest.update(repr(sorted(config["mdx_configs"].items(), key=lambda kv: kv[0])).encode())
        for f in sorted(files, key=lambda f: f.src_uri):
            digest.update(f"\0{f.src_uri}\0{f.url}\0{f.is_documentation_page()}".encode())
        self.site_key = digest.hexdigest()
        self.pages = {f.src_uri for f in files.documentation_pages()}
        self.hits = self.misses = 0

    def finish(self) -> None:
        """The build is over: keep the latest conversion of each page still in the site."""
        keep = {key for uri, key in self.latest.items() if uri in self.pages}
        self.latest = {uri: key for uri, key in self.latest.items() if uri in self.pages}
        self.entries = {k: v for k, v in self.entries.items() if k in keep}

    def wrap(self, page: Page) -> None:
        """Make ``page.render`` reuse a stored conversion of the same inputs (``start`` came first)."""
        render: Callable[[MkDocsConfig, Files], None] = page.render

        def cached_render(config: MkDocsConfig, files: Files) -> None:
            key = self._key(page)
            self.latest[page.file.src_uri] = key
            if (hit := self.entries.get(key)) is not None:
                self.hits += 1
                _restore(page, hit, files)
                return
            self.misses += 1
            keep = KeepRecords()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(keep)
            try:
                render(config, files)
            finally:
                logger.removeHandler(keep)
            self.entries[key] = _stored(page, keep.records)

        page.render = cached_render  # type: ignore[method-assign]

    def _key(self, page: Page) -> str:
        digest = hashlib.sha256(self.site_key.encode())
        digest.update(f"\0{page.file.src_uri}\0{page.file.url}\0".encode())
        digest.update((page.markdown or "").encode())
        return digest.hexdigest()


def _stored(page: Page, records: list[logging.LogRecord]) -> Rendered:
    links = None
    if page.links_to_anchors is not None:
        links = {f.src_uri: dict(anchors) for f, anchors in page.links_to_anchors.items()}
    return Rendered(page.content or "", page.toc, page._title_from_render, page.present_anchor_ids, links, records)


def _restore(page: Page, hit: Rendered, files: Files) -> None:
    page.content = hit.content
    page.toc = hit.toc
    page._title_from_render = hit.title
    page.present_anchor_ids = set(hit.anchors) if hit.anchors is not None else None
    if hit.links_to_anchors is not None:
        found = {src: files.get_file_from_path(src) for src in hit.links_to_anchors}
        page.links_to_anchors = {f: dict(hit.links_to_anchors[src]) for src, f in found.items() if f is not None}
    for record in hit.records:  # the same warnings as a fresh conversion, counted by mkdocs' strict mode
        logging.getLogger(record.name).handle(record)


class TemplateCache(BytecodeCache):
    """Jinja's compiled templates kept in memory: ``mkdocs serve`` makes a new Jinja environment at
    each rebuild, which would compile material's templates again (a quarter of a second).
    Jinja checks each entry against the template's source (``Bucket.checksum``), so an edited
    template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
