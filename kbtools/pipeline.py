"""The one pipeline: read notes → resolve links → check → build the graph.

The CLI, the mkdocs plugin and the pytest plugin all call :func:`build_knowledge_base`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from . import checks
from .config import VaultConfig
from .diagnostics import Diagnostic
from .gcpause import without_gc
from .graph import Triple, build_graph, check_base_iri, note_iri
from .note_queries import answer_notes
from .notes import Note, NoteCache, read_vault
from .resolve import Edge, NameIndex, resolve
from .snippets.catalog import SnippetEntry, load_catalog


@dataclass
class KnowledgeBase:
    config: VaultConfig
    notes: list[Note]
    edges: list[Edge]
    index: NameIndex
    _graph: Graph | None  # None until first used: see graph
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    snippets: list[SnippetEntry] = field(default_factory=list)
    attachments: list = field(default_factory=list)  # vault paths of the files that are no notes
    note_queries: dict = field(default_factory=dict)  # note path → its answered ``sparql`` blocks (kbtools.note_queries)
    make_graph: Callable[[], Graph] | None = field(default=None, repr=False)

    @property
    def graph(self) -> Graph:
        """The RDF graph, built by ``make_graph`` when first asked for: ``kb check`` without SHACL
        reads only the diagnostics and, unless a note holds a ``sparql`` block, never needs it."""
        if self._graph is None:
            self._graph = self.make_graph()
        return self._graph

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def iri(self, note: Note) -> str:
        return str(note_iri(self.config, note))

    def notes_by_iri(self) -> dict[str, Note]:
        return {self.iri(n): n for n in self.notes}


@without_gc
def build_knowledge_base(
    config: VaultConfig,
    *,
    shacl: bool = False,
    extra_triples: list[Triple] | None = None,
    with_snippets: bool = True,
    with_queries: bool = True,
    note_cache: NoteCache | None = None,
) -> KnowledgeBase:
    """Read, resolve, check and build. Problems become diagnostics; nothing here raises on bad notes.

    ``with_queries``: answer the notes' ``sparql`` blocks on the graph (:mod:`kbtools.note_queries`).
    ``note_cache``: notes whose bytes did not change since the last call are not read again.
    """
    vault = read_vault(config.vault, config.keys, config.exclude, config.max_note_bytes, note_cache)
    notes, diags, files = vault.notes, vault.diagnostics, vault.files
    index = NameIndex(notes, vault.attachments)
    edges, link_diags = resolve(notes, index)
    diags += link_diags
    diags += index.duplicates()
    diags += checks.self_relations(edges)
    diags += checks.hierarchy_cycles(edges)
    use_snippets = with_snippets and config.snippets_dir is not None
    snippets, snippet_diags = load_catalog(config.snippets_dir, index) if use_snippets else ([], [])
    diags += snippet_diags
    extra = list(extra_triples or ())
    if config.bench_dir is not None:  # measured framework performance joins the graph
        from .bench import bench_triples

        extra += bench_triples(config.bench_dir, config)
    check_base_iri(config)  # what could make the graph fail is found now, graph or no graph

    @without_gc
    def make_graph() -> Graph:
        graph = build_graph(config, notes, edges, extra, snippets)
        vocabulary = config.ontology_dir / "kb.ttl"
        if vocabulary.is_file():  # the vocabulary travels with the data: labels and class tree are queryable
            graph.parse(vocabulary, format="ox-turtle")
        return graph

    kb = KnowledgeBase(config, notes, edges, index, None, diags, files, snippets, vault.attachments, make_graph=make_graph)
    if shacl:
        from .shacl import validate

        kb.diagnostics += validate(kb.graph, shapes_path(config), kb.notes_by_iri)
    if with_queries:
        kb.note_queries, found = answer_notes(kb)
        kb.diagnostics += found
    kb.diagnostics.sort(key=Diagnostic.sort_key)
    return kb


def shapes_path(config: VaultConfig) -> Path:
    return config.ontology_dir / "shapes.ttl"
