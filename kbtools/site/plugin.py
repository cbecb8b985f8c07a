"""The mkdocs plugin ``kb``: event hooks only; the work is done by the modules beside it.

- ``on_config``: find the graph renderer and Oxigraph's wasm (shipped in kbtools, :mod:`.npm_files`), add the panels' stylesheet;
- ``on_files``: build the knowledge base once, add generated pages and data (:mod:`.build`),
  the answered questions and the SPARQL page (:mod:`.questions`, :mod:`.sparql`),
  and replace ``nav`` by the one built from the graph (:mod:`.nav`);
- ``on_nav``: the nav's « … N autres » links get their URL;
- ``on_startup`` keeps the plugin loaded between rebuilds of ``mkdocs serve``, so that a page
  whose Markdown did not change is not converted again (:mod:`.render_cache`);
- ``on_page_markdown``: ``page.meta`` rebuilt for the theme: escaped text, checked theme keys
  (:mod:`.page_meta`); the notes' ``sparql`` blocks → their answers (:mod:`.query_blocks`);
  embeds expanded (:mod:`.embeds`); body links → links (:mod:`.wikilinks`);
- ``on_page_content``: the author's HTML sanitised (:mod:`kbtools.sanitize`) and given French spacing
  (:mod:`.typography`), before kb adds its own;
- ``on_page_content`` / ``on_post_page``: panels, JSON-LD of every IRI the page is the address of
  (notes, tags, snippets, questions, the scheme) and graph (:mod:`.panels`, :mod:`.jsonld`, :mod:`.assets`); the panels are added after the search index is made,
  so that searching a title does not find every page that lists it;
- ``on_post_build``: copy the renderer and Oxigraph's WebAssembly build, export ``kb.ttl``, ``kb.jsonld`` and ``kb.nt``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..atomic import write_atomic
from ..diagnostics import Diagnostic
from ..ids import RelPath
from ..notes import NoteCache
from ..query import QueryMemo
from ..sanitize import clean_html
from . import (
    assets,
    build,
    incremental,
    jsonld,
    nav,
    page_meta,
    page_store,
    panels,
    query_blocks,
    questions,
    render_cache,
    snippet_blocks,
    sparql,
)
from .background import Background, render_page
from .code_blocks import render_no_run
from .derived import Derived, digest_of
from .embeds import expand_embeds
from .exports import SiteExports
from .markup import text
from .model import GRAPH_PAGE
from .nav import build_nav
from .options import KBPluginConfig
from .page_memo import Memo, SearchMemo
from .render_cache import TemplateCache
from .theme_files import ThemeListing
from .typography import french_spacing
from .watch import native_observer
from .wikilinks import render_links

# Theme features that turn text the author wrote into HTML: material's content.tooltips puts every
# title attribute (and the text of truncated navigation links) into innerHTML.
UNSAFE_FEATURES = ("content.tooltips",)

HOOKS = ("on_config", "on_pre_build", "on_files", "on_nav", "on_env", "on_page_markdown", "on_page_content", "on_post_page", "on_post_build")


def error_boundary(hook):
    """A failure inside a hook that no check foresaw becomes one line in the project's format
    (``path:1:1: KB900 error: …``) and mkdocs' ``PluginError``, which ends the build without a
    traceback; ``KB_DEBUG=1`` in the environment lets the traceback through."""

    @functools.wraps(hook)  # keeps mkdocs' event priority, set on the function
    def guarded(*args, **kwargs):
        try:
            return hook(*args, **kwargs)
        except (PluginError, Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("KB_DEBUG"):
                raise
            page = next((a for a in args if isinstance(a, Page)), None)
            where = page.file.src_path if page is not None else "mkdocs.yml"
            message = Diagnostic(where, 1, 1, "KB900", f"kb plugin failed in {hook.__name__}: {type(exc).__name__}: {exc}",
                                 "a bug: run with KB_DEBUG=1 for the traceback, and report it").format()
            raise PluginError(message) from None

    return guarded


# Where the panels go: markers left in the content, replaced once the page is rendered.
CRUMBS = "<!--kb:breadcrumb-->"
PANELS = "<!--kb:panels-->"


class KBPlugin(BasePlugin[KBPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.site: build.SiteBuild | None = None
        self.vendor: list[assets.VendorFile] = []
        self.sparql_vendor: list[assets.VendorFile] = []  # Oxigraph's WebAssembly build, for the SPARQL page
        self.questions: questions.QuestionPages | None = None
        self.pages_by_iri: dict[str, RelPath] = {}  # for the answers of the notes' sparql blocks
        self.theme = page_meta.Theme()
        self.render_cache = render_cache.RenderCache()  # kept between rebuilds of mkdocs serve
        self.incremental = incremental.Incremental()  # which pages a dirty build rewrites
        self.files: Files | None = None  # this build's, once final (on_nav)
        # Kept between the rebuilds of mkdocs serve: notes by bytes, answers by graph content,
        # compiled templates, and the downloads last written.
        self.note_cache = NoteCache()
        self.query_memo = QueryMemo()
        self.derived = Derived()
        self.templates = TemplateCache()
        self.theme_listing = ThemeListing()  # the theme's static files, listed once
        self.exports = SiteExports()
        self.background = Background()  # pages mkdocs serve renders after the browsers reload
        self.nav: Navigation | None = None  # this build's, and its Jinja environment, for those pages
        self.env: Environment | None = None
        self.cleaned = Memo()  # the author's HTML of each page, sanitised and spaced, by its digest
        self.search_memo = SearchMemo()
        self.store_on_disk = False  # per-page caches read from and written to .kb-cache/site
        self.store_after_build = False  # written after each build (mkdocs build), else when serve stops
        self.store_loaded = False
        self.store_file: Path | None = None
        for name in HOOKS:  # one error boundary for this front door
            setattr(self, name, error_boundary(getattr(self, name)))

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Makes mkdocs keep this plugin, its render cache and the last build's digests from one
        rebuild to the next; a ``--dirty`` build rewrites only the pages whose inputs changed.
        The per-page caches are read from disk and written back (:mod:`.page_store`): after each
        ``mkdocs build``, when ``mkdocs serve`` stops."""
        self.incremental.start(dirty)
        self.store_on_disk = os.environ.get("KB_SITE_CACHE", "1") != "0"
        self.store_after_build = command == "build"

    @event_priority(100)  # first: no plugin may start this build while the last one's pages are being written
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.background.cancel()
        self.theme_listing.install(config.theme)
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        try:
            self.vendor = assets.vendor_files(root / self.config.node_modules)
            self.sparql_vendor = sparql.vendor_files(root / self.config.node_modules) if self.config.exports else []
        except assets.MissingNodeModules as exc:
            raise PluginError(f"kb: {exc}") from None
        if self.store_on_disk and not self.store_loaded:
            self.store_file = page_store.store_path(config.config_file_path)
            self.store_loaded = page_store.load(self.store_file, self.render_cache, self.search_memo.memo, self.cleaned)
        if assets.CSS not in config.extra_css:
            config.extra_css.append(assets.CSS)
        # Embeds are Markdown inside <div markdown>; attachments' sizes are attributes.
        for extension in ("md_in_html", "attr_list"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        theme = config.theme
        self.theme = page_meta.Theme.from_config(theme.dirs, theme.custom_dir, config.extra, self.config.theme_keys)
        self._refuse_unsafe_features(config)
        return config

    def _refuse_unsafe_features(self, config: MkDocsConfig) -> None:
        features = config.theme.get("features") or []
        source = Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else ""
        shown = build.display(Path(config.config_file_path)) if config.config_file_path else "mkdocs.yml"
        for name in UNSAFE_FEATURES:
            if name in features:
                features.remove(name)
                line, col = next(((n, row.index(name) + 1) for n, row in enumerate(source.splitlines(), 1) if name in row), (1, 1))
                build.report([Diagnostic(shown, line, col, "KB132", f"theme feature {name} shows title attributes as HTML: it is turned off", "remove it from theme.features")])

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            defer = self._deferring()
            with self.query_memo.active():
                self.site = build.prepare(files, config, self.config, self.note_cache, self.derived, defer=defer)
                # The SPARQL page reads kb.ttl: without the exports only the answered questions are made.
                self.questions = made = questions.add_pages(files, config, self.site, self.config.exports, self.derived, defer=defer)
        except build.SiteError as exc:
            raise PluginError(f"kb: {exc}") from None
        self.pages_by_iri = query_blocks.pages_by_iri(self.site.model)
        if self.config.nav:
            config.nav = build_nav(self.site.model, self.site.home, build.other_pages(files, self.site), made.nav())
            nav.leave_out(files, self.site.model, config.nav)
        return files

    def on_nav(self, navigation: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.render_cache.start(files, config)  # every plugin's on_files has run: the files are final
        self.files, self.nav = files, navigation
        self.search_memo.attach(config)
        if self.config.nav:
            nav.resolve_more(navigation, self._site().model)
        self.incremental.select(files, config, self._site(), navigation, defer=self._deferring())
        return navigation

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        """Templates compiled once per process: mkdocs makes a new Jinja environment at every rebuild."""
        env.bytecode_cache = self.templates
        self.env = env
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        site = self._site()
        if page.file.src_uri.endswith(".ipynb"):  # notebooks rendered by mkdocs-jupyter are code, not notes
            return markdown
        self.render_cache.wrap(page)
        path = RelPath(page.file.src_uri)
        if path in site.titles:
            # mkdocs' templates print titles as HTML: give them escaped text.
            page.title = page.meta["title"] = text(site.titles[path])
        self._clean_meta(page, site)
        if answers := site.kb.note_queries.get(path):  # before embeds and links: the blocks as the note's file has them
            editor = self.questions is not None and self.questions.editor is not None
            markdown = query_blocks.expand(markdown, answers, site.model, path, self.pages_by_iri, editor)
        markdown = render_no_run(self._expand_snippets(markdown, page, site))  # « non exécuté ici » badges
        if (note := site.note(path)) is not None:
            markdown = expand_embeds(markdown, note, site.model)
        markdown, unresolved = render_links(markdown, path, site.model, site.slugify)
        if site.note(path) is None:  # the pipeline reported the notes' own links already
            build.report_unresolved(page.file, unresolved)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        site = self._site()
        path = RelPath(page.file.src_uri)
        if page.file.generated_by is None and not page.file.src_uri.endswith(".ipynb"):
            raw = html  # what the author wrote, made safe and spaced; kb's own panels come after
            html = str(self.cleaned.get(page.file.src_uri, digest_of(raw), lambda: french_spacing(clean_html(raw))))
        note = site.note(path)
        if note is None:
            return html + PANELS if path == GRAPH_PAGE else html
        # The title is part of the content (so material adds none) unless the note writes its own.
        head = french_spacing(str(panels.header(site.model, note, with_title="<h1" not in html)), keep=("h1",))  # str: Markup + str would escape html
        return CRUMBS + head + html + PANELS

    @event_priority(-50)  # after other plugins have seen the page
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        site = self._site()
        self.incremental.seen(page)
        path = RelPath(page.file.src_uri)
        note = site.note(path)
        extra: list[str] = []
        if note is not None:
            output = output.replace(CRUMBS, str(panels.breadcrumb(site.model, note)), 1)
            extra.append(str(panels.footer(site.model, note, site.local_graphs.get(path))))
        if site.compactor is not None and (described := site.described(path)):
            # Every page an IRI names describes it. In <head>: material's instant navigation re-runs
            # every <script> of the content as JavaScript, whatever its type, which JSON-LD would not survive.
            tag = jsonld.script_tag(site.compactor.page(site.triples, described))
            output = output.replace("</head>", tag + "</head>", 1)
        if build.shows_graph(site, path):
            extra.append(str(assets.graph_scripts(site.model.to_root(path), self.vendor)))
        head, sep, tail = output.rpartition(PANELS)
        output = head + "".join(extra) + tail if sep else output
        for marker, html in site.late_html.get(path, {}).items():
            output = output.replace(marker, html, 1)
        return nav.compact(output)

    @event_priority(10)  # before material's search writes its index (see Incremental.merge_search)
    def on_post_build(self, config: MkDocsConfig) -> None:
        site = self._site()
        if self.files is not None:
            self.incremental.merge_search(config, self.files)
        self.render_cache.finish()
        if self.store_on_disk and self.store_after_build:
            page_store.save(self.store_file, self.render_cache, self.search_memo.memo, self.cleaned)
        site_dir = Path(config.site_dir)
        assets.copy_vendor(self.vendor, site_dir)
        assets.copy_vendor(self.sparql_vendor, site_dir)
        if self.config.exports:
            dirty = self.incremental.enabled
            self.exports.write(site, site_dir, self.incremental.graph_digest if dirty else "", background=dirty)
        if self.incremental.later or site.redo:
            self._render_later(config, site)

    def _deferring(self) -> bool:
        """Whether this build may leave work for the background pass: under mkdocs serve (which
        gave its server), in dirty mode, after a first build (whose pages all exist)."""
        return self.background.server is not None and self.incremental.enabled and bool(self.incremental.digests)

    def _render_later(self, config: MkDocsConfig, site: build.SiteBuild) -> None:
        """The data and pages this build left for later, made and rendered in the background (:mod:`.background`)."""
        files, nav, env = self.files, self.nav, self.env
        assert files is not None and nav is not None and env is not None
        pages = [f.page for f in files.documentation_pages() if f.src_uri in self.incremental.later and f.page is not None]
        index = getattr(config.plugins.get("material/search"), "search_index", None)
        start = len(getattr(index, "entries", None) or [])

        def done(written: list[str], complete: bool) -> None:
            self.incremental.written_later(written)
            merged = self.incremental.merge_search_later(config, files, start, written)
            if complete and merged is not None:
                write_atomic(Path(config.site_dir) / "search" / "search_index.json", merged)

        def prelude() -> list[Page]:
            remade = [f for redo in site.redo for f in redo()]
            return self.incremental.refresh(remade, site)

        self.background.start(pages, lambda page: render_page(page, config, files, nav, env), done, prelude if site.redo else None)

    def on_serve(self, server, config: MkDocsConfig, builder):
        """Saves are heard from the operating system, not by polling every half second (:mod:`.watch`);
        pages whose change can wait are rendered after the browsers reload (:mod:`.background`)."""
        native_observer(server)
        self.background.attach(server)
        return server

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.exports.wait()  # the last dirty build's downloads, before this build touches the site folder

    def on_shutdown(self) -> None:
        self.background.cancel()
        self.exports.wait()
        if self.store_on_disk and not self.store_after_build:  # mkdocs serve ends
            page_store.save(self.store_file, self.render_cache, self.search_memo.memo, self.cleaned)

    def _clean_meta(self, page: Page, site: build.SiteBuild) -> None:
        """``page.meta`` as the theme may see it; refused keys reported where the file writes them."""
        if not page.meta:
            return
        note = site.note(RelPath(page.file.src_uri))
        known = note.key_pos if note is not None else {}
        if note is not None:
            shown = note.file
        else:
            shown = page.file.src_path if page.file.abs_src_path is None else build.display(Path(page.file.abs_src_path))

        def where(key: str) -> tuple[int, int]:
            # mkdocs also reads MultiMarkdown metadata (``key: value`` lines, no ``---``), which the pipeline does not
            return known.get(key) or page_meta.key_finder(page.file.content_string if page.file.abs_src_path else "")(key)

        cleaned = page_meta.clean_meta(page.meta, self.theme, shown, where)
        page.meta = cleaned.meta
        build.report(cleaned.diagnostics)

    def _expand_snippets(self, markdown: str, page: Page, site: build.SiteBuild) -> str:
        """``<!-- kb:snippet fw/name -->`` → code, recorded output, figures and badge."""
        path = RelPath(page.file.src_uri)
        if path not in site.model.urls:  # pages other plugins make (rendered notebooks)
            return markdown
        entries = {e.key: e for e in site.kb.snippets}
        markdown, missing = snippet_blocks.expand(markdown, entries, snippet_blocks.src_root(path))
        shown = page.file.src_path
        build.report([Diagnostic(shown, m.line, 1, "KB203", f"no snippet '{m.key}'", "see snippets/<framework>/<name>.py") for m in missing])
        return markdown

    def _site(self) -> build.SiteBuild:
        if self.site is None:  # only if mkdocs calls page hooks without on_files, which it does not
            raise PluginError("kb: the knowledge base was not built (on_files did not run)")
        return self.site
