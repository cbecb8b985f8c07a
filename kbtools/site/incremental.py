"""Rebuild only the pages whose inputs changed: mkdocs' dirty mode, made exact for a graph site.

``mkdocs serve --dirty`` (what ``make serve`` runs) skips every page whose source file is older
than its HTML. On this site that rule is wrong both ways: a note's page also shows its
neighbours' titles, the excerpts of the notes that mention it, the notes it embeds and the
answers of its ``sparql`` blocks, so editing one note changes other pages; and the generated
pages (tags, indexes, snippets, questions) have no source file, so mkdocs rebuilds all of them
every time.

:class:`Incremental` replaces that rule. At each build it computes, for every file of the site,
a digest of what its output is made from:

- for every file: its Markdown or generated content;
- for every page: the site-wide inputs — the mkdocs.yml bytes, the theme's overrides, the part
  of the nav every page shows, every page's address, the snippets and their recorded runs, the
  JSON-LD context and the vocabulary — and the triples of the IRIs the page describes (its JSON-LD);
  pages that are neither notes nor generated also depend on every title (their links show them);
- for a note's page: each neighbour's address, title and type with the relation, in the order
  of the links (panels, links in the body), the body of every note that mentions it (« Mentionné
  dans » quotes it), the bodies of the notes it embeds (transitively), its breadcrumb, its tags'
  pages, and the answers of its ``sparql`` blocks;
- for every page, the part of the nav its sidebar shows (:class:`NavView`), the pages before
  and after it in the nav (linked in its ``<head>``) and any HTML put in after rendering.

A file is rebuilt when its digest differs from the last build's, or its output is missing; a
change to a site-wide input therefore rebuilds every page, as a full build would. Files that
disappeared have their output removed. Material's search index, which in dirty mode expects a
single rebuilt page, is merged here for any number of pages (:meth:`merge_search`). The test
``tests/site/test_incremental.py`` holds the rule: after edits of every kind, each page of an
incremental build equals the same page of a full build, byte for byte, and so it does after
random sequences of edits (hypothesis).

Only builds run with ``--dirty`` use this; a plain ``mkdocs serve`` or ``mkdocs build`` rebuilds
everything as before.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .. import schema
from ..atomic import write_atomic
from ..graph import lines_digest, sorted_nquads
from ..ids import RelPath
from ..notes import Note
from ..resolve import find_target
from .build import SiteBuild
from .derived import digest_of
from .theme_files import custom_dir_files

log = logging.getLogger("mkdocs.plugins.kb")

# What mkdocs says at every dirty build; here the navigation and links are exact, so it is not shown.
_DIRTY_WARNING = "A 'dirty' build is being performed"


class _QuietDirty(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_DIRTY_WARNING)


class Incremental:
    """Digests of the last build's files, and the choice of what this build rewrites.

    ``enabled`` is set by mkdocs' ``on_startup`` (``dirty``). ``built`` holds the source URIs of
    the pages this build renders; ``rebuilt_all`` says whether a site-wide input changed.
    """

    def __init__(self) -> None:
        self.enabled = False
        self.digests: dict[str, str] = {}  # src_uri → digest, for the last build
        self.dests: dict[str, str] = {}  # src_uri → abs_dest_path, for the last build
        self.built: set[str] = set()
        self.rebuilt_all = True
        self.graph_digest = ""  # of this build's graph (sorted N-Quads)
        self.titles: dict[str, str | None] = {}  # src_uri → the title its page had when last built
        self.sources: dict[str, str] = {}  # src_uri → digest of its Markdown or generated content, last build
        self.given: dict[str, str | None] = {}  # src_uri → the title the plugin gave its page, last build
        self.later: dict[str, str] = {}  # src_uri → digest, of the pages this build leaves for later
        self.site_wide = ""  # this build's digest of the inputs of every page
        self.parts: dict[str, tuple] = {}  # src_uri → the inputs of its page's digest but these, its content and late HTML
        self._filter = _QuietDirty()

    def start(self, dirty: bool) -> None:
        """From ``on_startup``: only dirty builds are incremental."""
        self.enabled = dirty
        build_log = logging.getLogger("mkdocs.commands.build")
        if dirty and self._filter not in build_log.filters:
            build_log.addFilter(self._filter)

    def select(self, files: Files, config: MkDocsConfig, site: SiteBuild, nav: object, defer: bool = False) -> set[str]:
        """Decide, for every file of this build, whether mkdocs writes it again (``File.is_modified``).

        Returns the source URIs of the documentation pages to render. Static files of the docs
        folder and the theme keep mkdocs' own rule (modification times). With ``defer`` (``mkdocs
        serve``), a changed page whose own file and title did not change is left for later
        (:attr:`later`, rendered by :mod:`.background`): it keeps its last digest until written."""
        if not self.enabled:
            self.built = {f.src_uri for f in files.documentation_pages()}
            return self.built
        described, self.graph_digest = _described(site)
        view = NavView(nav, config.theme.get("features") or [], site.titles)
        self.site_wide = _site_wide(files, config, site, view, described.get(None, ""))
        # Pages that are neither notes nor generated (the home page…) show other pages' titles
        # through their links: they depend on all of them.
        titles = digest_of(sorted(site.titles.items()))
        digests: dict[str, str] = {}
        sources: dict[str, str] = {}
        given: dict[str, str | None] = {}
        self.parts = {}
        for f in files:
            if f.is_documentation_page():
                path = RelPath(f.src_uri)
                plain = site.note(path) is None and f.generated_by is None
                nav_part = (view.path_of(f.page), view.around(f.page))
                sources[f.src_uri] = _content(f)
                given[f.src_uri] = site.titles.get(path)
                self.parts[f.src_uri] = (described.get(site.page_iri(path), ""), _page_inputs(site, path), nav_part, titles if plain else "")
                digests[f.src_uri] = self._page_digest(f.src_uri, sources[f.src_uri], site.late_html.get(path))
            elif f.generated_by is not None or f._content is not None:
                digests[f.src_uri] = digest_of(_content(f))
        changed = {uri for uri, d in digests.items() if self.digests.get(uri) != d}
        self.rebuilt_all = not self.digests or all(
            uri in changed for uri in digests if files.get_file_from_path(uri).is_documentation_page()  # type: ignore[union-attr]
        )
        self._remove_stale(files)
        later = {f.src_uri for f in files.documentation_pages() if f.src_uri in changed and self._can_wait(f, sources, given)} if defer and self.digests else set()
        self.later = {uri: digests[uri] for uri in later}
        for f in files:
            if f.src_uri in digests:
                rebuild = f.src_uri not in later and (f.src_uri in changed or not os.path.isfile(f.abs_dest_path))
                f.is_modified = _answer(rebuild)  # type: ignore[method-assign]
        # A page left for later keeps its last digest until it is written (:meth:`written_later`).
        self.digests = {uri: self.digests[uri] if uri in later else d for uri, d in digests.items()}
        self.sources, self.given = sources, given
        self.dests = {f.src_uri: f.abs_dest_path for f in files}
        self.built = {f.src_uri for f in files.documentation_pages() if f.is_modified()}
        self._keep_titles(files)
        if self.later or site.redo:
            remade = " (and the pages of the graph and the questions, if they changed)" if site.redo else ""
            log.info(f"kb: {len(self.built)} page(s) rebuilt now, {len(self.later)}{remade} in the background once the browsers have reloaded")
        elif self.digests and not self.rebuilt_all:
            log.info(f"kb: {len(self.built)} page(s) rebuilt, the others are unchanged")
        return self.built

    def _can_wait(self, f: File, sources: dict[str, str], given: dict[str, str | None]) -> bool:
        """Whether a changed page may be rendered after the browsers reload: it has an output,
        its own file is what it was (the writer did not touch it; generated pages excepted, which
        nobody edits), and its title too (the pages rendered now show it in their nav)."""
        uri = f.src_uri
        if uri not in self.sources or not os.path.isfile(f.abs_dest_path) or given[uri] != self.given.get(uri):
            return False
        return (f.generated_by is not None and given[uri] is not None) or sources[uri] == self.sources[uri]

    def _page_digest(self, uri: str, source: str, late: dict[str, str] | None) -> str:
        """A page's digest: the inputs :meth:`select` gathered, its content's digest, and the HTML
        put in it after rendering (the graph as text)."""
        return digest_of(self.site_wide, source, *self.parts[uri], late)

    def refresh(self, changed: list[File], site: SiteBuild) -> list[Page]:
        """Generated files made again after this build chose what to write (``site.redo``, in the
        background pass): a file that is not a page is written now (atomically); a page whose
        digest changed joins :attr:`later`. Returns those pages, to render."""
        pages = []
        for f in changed:
            uri = f.src_uri
            if f.is_documentation_page() and uri in self.parts:
                digest = self._page_digest(uri, _content(f), site.late_html.get(RelPath(uri)))
                if digest != self.digests.get(uri) or uri in self.later:
                    self.later[uri] = digest
                    if f.page is not None:
                        pages.append(f.page)
            elif not f.is_documentation_page() and (digest := digest_of(_content(f))) != self.digests.get(f.src_uri):
                write_atomic(f.abs_dest_path, f.content_bytes)
                self.digests[uri] = digest
        return pages

    def written_later(self, written: list[str]) -> None:
        """Pages left for later have been written: they are now as this build's digests say."""
        for uri in written:
            if uri in self.later:
                self.digests[uri] = self.later.pop(uri)

    def _keep_titles(self, files: Files) -> None:
        """Pages this build does not read still have a title in the others' nav: the one they had.

        mkdocs' ``Page.title`` is None until the page's Markdown is read, and a title that comes
        from the page itself (its first heading) is known once it is rendered."""
        for f in files.documentation_pages():
            page = f.page
            if page is not None and f.src_uri not in self.built and page.markdown is None and f.src_uri in self.titles:
                page.markdown = ""  # not read by this build; mkdocs reads no title from an empty page
                page._title_from_render = self.titles[f.src_uri]

    def seen(self, page: Page) -> None:
        """A page was built (``on_post_page``): remember the title it had."""
        self.titles[page.file.src_uri] = page.title

    def _remove_stale(self, files: Files) -> None:
        """Outputs of files that are gone (renamed or deleted notes, tags no longer used)."""
        current = {f.src_uri for f in files}
        for uri, dest in self.dests.items():
            if uri not in current and os.path.isfile(dest):
                os.remove(dest)

    def merge_search(self, config: MkDocsConfig, files: Files) -> None:
        """Material's search index after a dirty build: the previous entries of the pages not
        rebuilt, with this build's entries, in the order of a full build.

        Material keeps the previous index and drops the entries of *one* page (the first rebuilt);
        with several pages rebuilt it would keep stale entries. Runs before material's
        ``on_post_build``, which then writes the merged index as it is."""
        if not self.enabled:
            return
        search = config.plugins.get("material/search")
        previous = getattr(search, "search_index_prev", None)
        index = getattr(search, "search_index", None)
        if previous is None or index is None:
            return
        index.entries = merged_entries(previous.entries, index.entries, files, self.built)
        search.search_index_prev = None  # the merge is done: material writes this index as it is

    def merge_search_later(self, config: MkDocsConfig, files: Files, start: int, written: list[str]) -> str | None:
        """After pages left for later were rendered: material's index (which they were added to,
        after its first ``start`` entries) with their new entries instead of their old ones.
        Returns the index as material writes it, or None without material's search."""
        index = getattr(config.plugins.get("material/search"), "search_index", None)
        if index is None or not isinstance(getattr(index, "entries", None), list):
            return None
        index.entries = merged_entries(index.entries[:start], index.entries[start:], files, set(written))
        return index.generate_search_index(None)


def merged_entries(previous: list[dict], new: list[dict], files: Files, rebuilt: set[str]) -> list[dict]:
    """Search entries: the previous ones of the pages not ``rebuilt`` (source URIs) and still in
    the site, with the ``new`` ones, in the order of a full build (pages as ``files`` lists them)."""
    pages = files.documentation_pages()
    order = {_location(f): n for n, f in enumerate(pages)}
    replaced = {_location(f) for f in pages if f.src_uri in rebuilt}

    def page_of(entry: dict) -> str:
        return entry["location"].split("#", 1)[0]

    kept = [e for e in previous if page_of(e) in order and page_of(e) not in replaced]
    merged = kept + new
    merged.sort(key=lambda e: order.get(page_of(e), len(order)))  # stable: a page's sections keep their order
    return merged


def _location(f: File) -> str:
    """The page's address as the search index writes it (mkdocs' ``Page.url``: the home page is "")."""
    return "" if f.url in (".", "./") else f.url


def _answer(value: bool):
    return lambda: value


def _content(f: File) -> str:
    """A digest of the file's bytes, generated or read from the docs folder."""
    if f._content is not None or f.abs_src_path is None:
        return digest_of(f.content_bytes)
    return digest_of(Path(f.abs_src_path).read_bytes())


def _described(site: SiteBuild) -> tuple[dict[str | None, str], str]:
    """Digest of the triples each page's JSON-LD is made from, by page IRI (the subject's IRI
    without its fragment, as :func:`.jsonld.by_page` groups them; under None, those of blank
    nodes, which every page may show), and the digest of the whole graph."""
    lines: dict[str | None, list[bytes]] = {}
    every = sorted_nquads(site.kb.graph.store._inner)
    for line in every:
        if line.startswith(b"<"):
            subject = line[1 : line.index(b">")].decode("utf-8", "surrogateescape")
            lines.setdefault(subject.partition("#")[0], []).append(line)
        else:
            lines.setdefault(None, []).append(line)
    return {page: digest_of(b"\n".join(found)) for page, found in lines.items()}, lines_digest(every)


def _site_wide(files: Files, config: MkDocsConfig, site: SiteBuild, nav: NavView, blank_nodes: str) -> str:
    """What every page shows or is made with, whichever page it is."""
    kb = site.kb
    config_bytes = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    ontology = kb.config.ontology_dir
    vocab = [(p.name, p.read_bytes()) for p in sorted(ontology.glob("*")) if p.is_file()] if ontology.is_dir() else []
    snippets = [(e.key, e.spec, [n.path for n in e.notes], [(r.devicekind, r.fresh, r.data) for r in e.records]) for e in kb.snippets]
    addresses = sorted((f.src_uri, f.url, f.inclusion.name) for f in files)
    # The theme's custom_dir: mkdocs serve --watch-theme rebuilds when it changes.
    return digest_of(config_bytes, config.site_url, nav.shared, addresses, vocab, snippets, blank_nodes, custom_dir_files(config.theme.custom_dir))


class NavView:
    """What of the navigation a page's sidebar shows, as digests.

    With material's ``navigation.prune`` (and neither ``navigation.tabs`` nor
    ``navigation.expand``), a page's sidebar holds the top-level items, the children of every
    section on the page's own path and, with ``navigation.sections``, the children of every
    top-level section; any other section is one link (its title, its first page's address).
    That rule is material's ``partials/nav-item.html`` (9.x). A page then depends on
    :attr:`shared` and on :meth:`path_of` its own path. With other features the whole nav is
    :attr:`shared`, and every page depends on all of it.

    A page item's title is the one the plugin gives the page (notes and generated pages); other
    pages take theirs from their own Markdown, whose digest stands in for it.
    """

    def __init__(self, nav: object, features: list[str], titles: dict[RelPath, str]) -> None:
        self.titles = titles
        self.pruned = "navigation.prune" in features and not {"navigation.tabs", "navigation.expand"} & set(features)
        self.sections = "navigation.sections" in features  # top-level sections always open
        self._sections: dict[int, str] = {}
        self._sigs: dict[int, tuple] = {}
        items = list(getattr(nav, "items", []) or [])
        if not self.pruned:
            self.shared = digest_of(self._whole(items))
        elif self.sections:
            self.shared = digest_of([(self._sig(i), [self._sig(c) for c in self._children(i)]) for i in items])
        else:
            self.shared = digest_of([self._sig(i) for i in items])

    def path_of(self, page: Page | None) -> str:
        """The sections on ``page``'s path, each with its children (the top-level one too,
        unless ``navigation.sections`` shows it on every page)."""
        if not self.pruned or page is None:
            return ""
        return self._section(page.parent)

    def _section(self, section) -> str:
        """A section on a page's path and those above it, once per section (pages share them)."""
        if section is None or (self.sections and section.parent is None):
            return ""
        if id(section) not in self._sections:
            children = [self._sig(c) for c in self._children(section)]
            self._sections[id(section)] = digest_of(self._sig(section), children, self._section(section.parent))
        return self._sections[id(section)]

    def around(self, page: Page | None) -> str:
        """The pages before and after ``page`` in the nav: material links them in the page's
        ``<head>`` (``rel="prev"``, ``rel="next"``) and, with ``navigation.footer``, at its foot."""
        if page is None:
            return ""
        return digest_of([self._sig(p) if p is not None else None for p in (page.previous_page, page.next_page)])

    @staticmethod
    def _children(item) -> list:
        return list(getattr(item, "children", None) or [])

    def _title(self, item) -> object:
        file = getattr(item, "file", None)
        if file is None:
            return item.title  # a section or a link: the title the nav gives
        if (title := self.titles.get(RelPath(file.src_uri))) is not None:
            return title
        return ("own", _content(file))

    def _sig(self, item) -> tuple:
        """What a nav item shows: its kind, title, address, and for a section its first page's
        address (a closed section links there) and its number of children."""
        if id(item) not in self._sigs:
            leaf = item
            while self._children(leaf):
                leaf = self._children(leaf)[0]
            self._sigs[id(item)] = (type(item).__name__, self._title(item), getattr(item, "url", None), getattr(leaf, "url", None), len(self._children(item)))
        return self._sigs[id(item)]

    def _whole(self, items: list) -> list:
        return [(self._sig(i), self._whole(self._children(i))) for i in items]


def _page_inputs(site: SiteBuild, path: RelPath) -> str:
    """What a note's page shows beyond its Markdown, its triples and the site-wide inputs."""
    note = site.note(path)
    if note is None:
        return ""
    model = site.model
    # Links in the body's order (the panels keep it), not their lines: a sentence added above a
    # link moves it, and shows nothing new on the linked page.
    out = [(e.kind, e.target.path, e.target.title, e.target.type) for e in model._ordered(model.out[id(note)])]
    into = sorted((e.kind, e.source.path, e.source.title, e.source.type, _quoted(e)) for e in model.into[id(note)])
    crumbs = [(n.path, n.title) for n in model.breadcrumb(note)]
    tags = [(t, model.tag(t).path, model.tag(t).name) for t in note.tags]
    answers = site.kb.note_queries.get(path)
    return digest_of(out, into, crumbs, tags, repr(answers), list(_embedded(note, site)), site.local_graphs.get(path))


def _quoted(edge) -> str | None:
    """The line of a mention's link: « Mentionné dans » quotes the sentence around it."""
    if edge.kind != schema.MENTIONS:
        return None
    body, offset = edge.source.body, edge.link.offset
    start = body.rfind("\n", 0, offset) + 1
    end = body.find("\n", offset)
    return body[start : end if end >= 0 else len(body)]


def _embedded(note: Note, site: SiteBuild, seen: frozenset[str] = frozenset()) -> Iterable[tuple[str, str]]:
    """The notes whose text the page of ``note`` shows through embeds (``![[...]]``), transitively."""
    for found in note.parsed.links:
        if not found.link.embed or found.markdown or found.link.is_attachment or not found.link.target:
            continue
        target = find_target(note, found.link, site.kb.index)
        for dest in target.notes:
            if dest.path in seen or dest is note:
                continue
            yield dest.path, dest.body
            yield from _embedded(dest, site, seen | {note.path, dest.path})
