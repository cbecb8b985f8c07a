"""SHACL validation of the graph against ``ontology/shapes.ttl``, reported at the note's lines.

The shapes run as SPARQL queries on the graph's Oxigraph store (:mod:`kbtools.shacl_sparql`), about a
few tens of times faster than pySHACL on a copy of the graph (0.3 s against 17 s at 10,000 notes,
``benchmarks/core.py``); pySHACL remains the reference and the fallback for shapes outside the
translated subset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from .diagnostics import Diagnostic, Severity
from .notes import Note
from .shacl_sparql import Result, Unsupported, compile_shapes, run
from .vocab import KB, SCHEMA

NotesByIri = Mapping[str, Note] | Callable[[], Mapping[str, Note]]

# Which frontmatter key a violated property comes from, to point at its line.
_KEY_OF = {
    SKOS.prefLabel: "title",
    RDFS.label: "title",
    SKOS.altLabel: "aliases",
    SKOS.definition: "description",
    DCTERMS.created: "date_creation",
    DCTERMS.modified: "date_modification",
    KB.tag: "tags",
    KB.isPartOf: "isPartOf",
    KB.subClassOf: "subClassOf",
    KB.seeAlso: "seeAlso",
    KB.differentFrom: "differentFrom",
    KB.sources: "sources",
    SCHEMA.author: "author",
    SCHEMA.url: "url",
    SCHEMA.datePublished: "date_published",
    DCTERMS.language: "language",
    RDF.type: "type",
}


def validate(graph: Graph, shapes_path: Path, notes_by_iri: NotesByIri, engine: str = "auto") -> list[Diagnostic]:
    """Validate ``graph`` against the shapes; each result becomes a KB120 diagnostic on the note (and
    key) at fault, or on the shapes file when the focus node is no note.

    ``notes_by_iri``: note IRI → note, or a function that makes it (called only when a shape is
    violated: computing every note's IRI costs more than the validation of a clean vault).

    ``engine``: ``"sparql"`` translates the shapes into SPARQL run by Oxigraph on the graph's own store
    (:mod:`kbtools.shacl_sparql`, raises :class:`~kbtools.shacl_sparql.Unsupported` when the shapes use
    a feature it does not translate), ``"pyshacl"`` runs pySHACL on a copy of the graph, ``"auto"``
    (the default) the first, or the second when the shapes are outside the translated subset or the
    graph is not held by an Oxigraph store.
    """
    if engine not in ("auto", "sparql", "pyshacl"):
        raise ValueError(f"unknown SHACL engine {engine!r}")
    shapes = Graph().parse(shapes_path, format="turtle")
    results = None
    store = getattr(graph.store, "_inner", None)  # the Oxigraph store behind rdflib (kbtools.graph)
    if engine != "pyshacl":
        try:
            if not isinstance(store, ox.Store):
                raise Unsupported("the graph is not held by an Oxigraph store")
            results = run(store, compile_shapes(shapes))
        except Unsupported:
            if engine == "sparql":
                raise
    if results is None:
        results = _pyshacl_results(graph, shapes)
    if results and callable(notes_by_iri):
        notes_by_iri = notes_by_iri()
    return [_diagnostic(r, graph, shapes_path, notes_by_iri) for r in results]


def _pyshacl_results(graph: Graph, shapes: Graph) -> list[Result]:
    import pyshacl  # slow to import: only when the shapes need it

    data = Graph()
    for triple in graph:  # pyshacl walks the graph a lot: a plain in-memory copy is faster
        data.add(triple)
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    if conforms:
        return []
    return [
        Result(str(report.value(result, SH.focusNode)), report.value(result, SH.resultPath), report.value(result, SH.resultSeverity),
               str(report.value(result, SH.resultMessage) or "shape violated"))
        for result in report.subjects(RDF.type, SH.ValidationResult)
    ]


def _diagnostic(result: Result, graph: Graph, shapes_path: Path, notes_by_iri: Mapping[str, Note]) -> Diagnostic:
    note = notes_by_iri.get(result.focus)
    path = result.path
    key = _KEY_OF.get(path) if isinstance(path, URIRef) else None
    if note is None:
        where = (str(shapes_path), 1, 1)
    else:
        line, col = note.key_pos.get(key, (1, 1)) if key else (1, 1)
        where = (note.file, line, col)
    shown_path = graph.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "node"
    level = Severity.WARNING if result.severity in (SH.Warning, SH.Info) else Severity.ERROR
    return Diagnostic(*where, "KB120", f"SHACL: {shown_path}: {result.message}", (key and f"frontmatter key '{key}'") or "", level)
