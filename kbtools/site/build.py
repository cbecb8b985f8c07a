"""One build of the site, prepared in ``on_files``: the knowledge base and everything made from it.

:func:`prepare` runs the pipeline once, reports its diagnostics through mkdocs' logger, drops
the notes it could not read, adds the generated pages and data files, and returns the
:class:`SiteBuild` every later hook reads. Problems of the set-up raise :class:`SiteError`;
the plugin turns it into mkdocs' ``PluginError``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from rdflib import URIRef

from ..config import load_config
from ..diagnostics import Diagnostic, KBError
from ..export import load_context
from ..ids import RelPath, concept_iri, graph_data_path, page_dest, page_url, served_url
from ..notes import Note, NoteCache
from ..pipeline import KnowledgeBase, build_knowledge_base
from . import assets, graphdata, indexes
from .derived import Derived, names_key, neighbours_of, note_rows, shape_key, stale_local_graphs
from .jsonld import Compactor, StoreTriples, by_page
from .model import GRAPH_GLOBAL, GRAPH_PAGE, INDEX_PAGES, SiteModel
from .options import KBPluginConfig
from .snippet_pages import add_snippet_files
from .wikilinks import Slugifier, Unresolved, anchor_slugifier

log = logging.getLogger("mkdocs.plugins.kb")

# A file whose frontmatter cannot be read is not a note: the site leaves it out.
UNREADABLE = frozenset({"KB001", "KB002", "KB003", "KB004"})


class SiteError(Exception):
    """The site cannot be built as configured (the message says why and what to do)."""


@dataclass
class SiteBuild:
    model: SiteModel
    slugify: Slugifier
    compactor: Compactor | None
    titles: dict[RelPath, str] = field(default_factory=dict)  # pages whose title the plugin sets
    local_graphs: dict[RelPath, str] = field(default_factory=dict)  # note → its graph data, site-relative
    global_graph: graphdata.GraphData | None = None  # drawn and written out as text on the graph page
    home: RelPath | None = None
    late_html: dict[RelPath, dict[str, str]] = field(default_factory=dict)  # page → marker → HTML put in its rendered output
    # What this build showed as the last build made it (prepare's ``defer``): each call makes it
    # again and returns the generated files it gave new content.
    redo: list[Callable[[], list[File]]] = field(default_factory=list)
    _triples: StoreTriples | None = None
    _by_page: dict[str, list[URIRef]] | None = None

    @property
    def kb(self) -> KnowledgeBase:
        return self.model.kb

    @property
    def triples(self) -> StoreTriples:
        """The graph's triples by subject, for the pages' JSON-LD (read from the store as asked)."""
        if self._triples is None:
            self._triples = StoreTriples(self.kb.graph)
        return self._triples

    def note(self, path: RelPath) -> Note | None:
        return self.model.by_path.get(path)

    def page_iri(self, path: RelPath) -> str | None:
        """The IRI of the page of ``path`` (a note's IRI, or the page's address as an IRI); None
        for a file that is not a page of the site."""
        note = self.note(path)
        url = self.model.urls.get(path)
        if note is None and url is None:
            return None
        return self.kb.iri(note) if note is not None else concept_iri(self.kb.config.site_url, url)

    def described(self, path: RelPath) -> list[URIRef]:
        """The graph's subjects the page of ``path`` describes: those whose IRI (fragment aside)
        is the page's address — a note, a tag, a snippet and its verifications, a question, the
        scheme on the home page. Empty for a page no IRI names."""
        iri = self.page_iri(path)
        if iri is None:
            return []
        if self._by_page is None:
            self._by_page = by_page(self.triples)
        return self._by_page.get(iri, [])


def report(diagnostics: list[Diagnostic]) -> None:
    """Every diagnostic in the one format; errors as mkdocs warnings, so ``--strict`` fails on them."""
    for d in diagnostics:
        if d.is_error:
            log.warning(d.format())
        else:
            log.info(d.format())


def report_unresolved(page: File, found: list[Unresolved]) -> None:
    """Dangling links of pages the pipeline does not read (plain pages such as the home page)."""
    shown = page.src_path if page.abs_src_path is None else display(Path(page.abs_src_path))
    for u in found:
        code, what = ("KB102", "dangling link") if u.candidates == 0 else ("KB103", "ambiguous link")
        report([Diagnostic(shown, u.line, u.col, code, f"{what} {u.link}")])


def prepare(
    files: Files,
    config: MkDocsConfig,
    options: KBPluginConfig,
    note_cache: NoteCache | None = None,
    derived: Derived | None = None,
    defer: bool = False,
) -> SiteBuild:
    """The knowledge base read and checked, the generated pages and data added to ``files``.

    Kept by the plugin between the rebuilds of ``mkdocs serve``: ``note_cache``, notes whose
    bytes did not change are not read again; ``derived``, the pages and data made from the
    graph's shape, reused while it is the same (:mod:`.derived`). With ``defer`` (mkdocs serve,
    whose background pass renders what can wait: :mod:`.background`), a changed graph keeps the
    last global graph, graph page and stale local graphs for now, and ``site.redo`` makes them
    again (a quarter of a second at 1,000 notes). Raises :class:`SiteError`."""
    kb = _knowledge_base(config, note_cache)
    report(kb.diagnostics)
    _skip_unreadable(files, kb)
    _list_late_notes(files, config, kb)
    _nfc_addresses(files)
    urls = {RelPath(f.src_uri): served_url(f.url) for f in files.documentation_pages()}
    model = SiteModel.build(kb, urls)
    context = load_context(kb.config.ontology_dir)
    site = SiteBuild(model, anchor_slugifier(config.mdx_configs), Compactor(context) if context else None)
    site.titles = {n.path: n.title for n in kb.notes}
    site.home = next((p for p in urls if p in ("index.md", "README.md")), None)
    last = derived or Derived()
    names = names_key(model, config)
    shape = shape_key(model, names)
    same_shape = derived is not None and shape == last.shape
    wait = defer and not same_shape and last.global_graph is not None
    _add_pages(files, config, site, last, same_names=derived is not None and names == last.names, shape=None if same_shape or wait else shape)
    site.titles.update(add_snippet_files(files, config, model, _add))
    for name, asset in assets.OWN_FILES.items():
        _add(files, File.generated(config, name, content=assets.own_asset(asset)))
    rows, near = note_rows(model, options.local_graph_max_bytes), neighbours_of(model)
    stale = set() if same_shape else stale_local_graphs(last, rows, near) if derived is not None else None
    last.local_graphs = _add_graph_data(files, config, site, options.local_graph_max_bytes, last.local_graphs, stale, last if defer else None)
    last.rows, last.near = rows, near
    last.names = names
    if wait:  # the last shape stays: a build that comes before the background pass makes the graph itself
        site.redo.append(lambda: _redo_graph(files, site, last, shape))
    site.late_html[GRAPH_PAGE] = dict(last.graph_blocks)
    return site


def _make_graph(model: SiteModel, last: Derived, shape: str) -> None:
    """The global graph, the graph page and the graph as text, into ``last``, for ``shape``."""
    data = graphdata.global_graph(model)
    last.global_graph, last.graph_page, last.graph_blocks = data, indexes.graph_page(model, data), indexes.graph_text_blocks(model, data)
    last.shape = shape  # last: what it stands for is made


def _redo_graph(files: Files, site: SiteBuild, last: Derived, shape: str) -> list[File]:
    """The graph made for this build's graph (``prepare`` kept the last one), into ``last``,
    ``site`` and the two files that show it, which are returned."""
    _make_graph(site.model, last, shape)
    site.global_graph = last.global_graph
    site.late_html[GRAPH_PAGE] = dict(last.graph_blocks)
    page, data = files.get_file_from_path(GRAPH_PAGE), files.get_file_from_path(GRAPH_GLOBAL)
    assert page is not None and data is not None and last.global_graph is not None  # both added by prepare
    page.content_string = last.graph_page
    data.content_bytes = last.global_graph.to_json()
    return [page, data]


def other_pages(files: Files, site: SiteBuild) -> list[RelPath]:
    """Documentation pages that are neither notes, nor the home page, nor generated."""
    return [
        RelPath(f.src_uri)
        for f in files.documentation_pages()
        if f.src_uri not in site.model.by_path and f.src_uri != site.home and f.src_uri not in site.titles
    ]


def _knowledge_base(config: MkDocsConfig, note_cache: NoteCache | None) -> KnowledgeBase:
    try:
        vault = load_config(config.docs_dir, config.config_file_path, config.site_url or None)
    except KBError as exc:
        raise SiteError(str(exc)) from None
    return build_knowledge_base(vault, note_cache=note_cache)


def display(path: Path) -> str:
    """A path as the pipeline shows paths: relative to the working directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _skip_unreadable(files: Files, kb: KnowledgeBase) -> None:
    broken = {Path(d.path).resolve() for d in kb.diagnostics if d.code in UNREADABLE}
    for f in list(files.documentation_pages()):
        if f.abs_src_path and Path(f.abs_src_path).resolve() in broken:
            log.info(f"{display(Path(f.abs_src_path))}: left out of the site until its frontmatter is fixed")
            files.remove(f)


def _nfc_addresses(files: Files) -> None:
    """Pages of files named in NFD (macOS) get the NFC address their IRI has (see :mod:`kbtools.ids`)."""
    for f in files.documentation_pages():
        dest = page_dest(RelPath(f.src_uri), f.use_directory_urls)
        if f.dest_uri != dest:
            f.dest_uri = dest
            f.url = page_url(RelPath(f.src_uri), f.use_directory_urls) or "./"
            f.abs_dest_path = os.path.normpath(os.path.join(f.dest_dir, dest))


def _list_late_notes(files: Files, config: MkDocsConfig, kb: KnowledgeBase) -> None:
    """Every note of the graph gets its page: the graph, the panels and the other pages name it.

    Two ways a note can be missing from mkdocs' list: it was written after mkdocs listed the files
    (``kb import`` running during the build), or mkdocs excludes it (``exclude_docs``, ``draft_docs``,
    its default ``templates/`` folder). Both are listed; the kb option ``exclude`` is the way to
    leave a file out of the graph and the site alike.
    """
    for note in kb.notes:
        found = files.get_file_from_path(note.path)
        if found is None:
            files.append(File(note.path, config.docs_dir, config.site_dir, config.use_directory_urls))
            log.info(f"{note.file}: written during the build, added to the site")
        elif found.inclusion.is_excluded():
            found.inclusion = InclusionLevel.NOT_IN_NAV
            log.info(f"{note.file}: excluded by mkdocs but a note of the graph, so built (the kb option 'exclude' leaves it out of both)")


def _add(files: Files, file: File) -> File:
    if files.get_file_from_path(file.src_uri) is not None:
        raise SiteError(f"{file.src_uri} exists in the docs folder, but the kb plugin generates it: rename that file")
    files.append(file)
    return file


def _add_pages(files: Files, config: MkDocsConfig, site: SiteBuild, last: Derived, same_names: bool, shape: str | None) -> None:
    """Index, tag and graph pages. URLs first (pages link to each other), then their Markdown:
    the index and tag pages made again unless ``last`` holds them for the same names, the graph
    (global graph and graph page) made for ``shape`` unless it is None; ``last`` is updated, and
    ``site.global_graph`` is the graph it holds."""
    model = site.model
    made: dict[RelPath, File] = {}
    for path in [*INDEX_PAGES, *(t.path for t in model.sorted_tags())]:
        inclusion = InclusionLevel.NOT_IN_NAV if path not in INDEX_PAGES else InclusionLevel.UNDEFINED
        made[path] = _add(files, File.generated(config, path, content="", inclusion=inclusion))
        model.urls[path] = served_url(made[path].url)
    if not same_names:
        last.pages = indexes.pages(model, site.slugify)
    if shape is not None:
        _make_graph(model, last, shape)
    site.global_graph = last.global_graph
    for path, (title, markdown) in [*last.pages.items(), (GRAPH_PAGE, (INDEX_PAGES[GRAPH_PAGE], last.graph_page))]:
        made[path].content_string = markdown
        site.titles[path] = title


def _add_graph_data(
    files: Files,
    config: MkDocsConfig,
    site: SiteBuild,
    max_bytes: int,
    known: dict[RelPath, str],
    stale: set[RelPath] | None,
    later: Derived | None = None,
) -> dict[RelPath, str]:
    """The global graph and every note's local graph as data files; ``known`` holds the last
    build's local graphs, which serve again except for the notes in ``stale`` (None: all).
    With ``later`` (``prepare``'s ``defer``), a stale graph that exists keeps its last data for
    now, and ``site.redo`` makes it again (into ``later.local_graphs``).
    Returns note → its local graph's JSON (the ones left for later are not in it: a build that
    comes before the background pass makes them)."""
    model = site.model
    _add(files, File.generated(config, GRAPH_GLOBAL, content=site.global_graph.to_json()))
    made: dict[RelPath, str] = {}
    waiting: list[tuple[Note, File]] = []
    for note in model.kb.notes:
        if not model.neighbours(note):
            continue  # a lone note has no graph to show
        data_path = graph_data_path(note.path)
        fresh = stale is None or note.path in stale or note.path not in known
        if fresh and later is not None and note.path in known:
            waiting.append((note, _add(files, File.generated(config, data_path, content=known[note.path]))))
        else:
            made[note.path] = graphdata.local_graph(model, note, max_bytes).to_json() if fresh else known[note.path]
            _add(files, File.generated(config, data_path, content=made[note.path]))
        site.local_graphs[note.path] = data_path
    if waiting and later is not None:
        derived = later

        def redo() -> list[File]:
            for note, file in waiting:
                file.content_bytes = derived.local_graphs[note.path] = graphdata.local_graph(model, note, max_bytes).to_json()
            return [file for _, file in waiting]

        site.redo.append(redo)
    return made


def shows_graph(site: SiteBuild, path: RelPath) -> bool:
    return path == GRAPH_PAGE or path in site.local_graphs
