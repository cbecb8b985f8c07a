"""SHACL validation of the graph against ``ontology/shapes.ttl``, reported at the note's lines."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from .diagnostics import Diagnostic, Severity
from .notes import Note
from .vocab import KB, SCHEMA

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


def validate(graph: Graph, shapes_path: Path, notes_by_iri: dict[str, Note]) -> list[Diagnostic]:
    """Run pyshacl; each result becomes a KB120 diagnostic on the note (and key) at fault."""
    import pyshacl  # slow to import: only when SHACL runs

    data = Graph()
    for triple in graph:  # pyshacl walks the graph a lot: a plain in-memory copy is faster
        data.add(triple)
    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    if conforms:
        return []
    diags = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        note = notes_by_iri.get(str(focus))
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "shape violated")
        severity = report.value(result, SH.resultSeverity)
        key = _KEY_OF.get(path) if isinstance(path, URIRef) else None
        if note is None:
            where = (str(shapes_path), 1, 1)
        else:
            line, col = note.key_pos.get(key, (1, 1)) if key else (1, 1)
            where = (note.file, line, col)
        shown_path = graph.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "node"
        level = Severity.WARNING if severity in (SH.Warning, SH.Info) else Severity.ERROR
        diags.append(Diagnostic(*where, "KB120", f"SHACL: {shown_path}: {message}", (key and f"frontmatter key '{key}'") or "", level))
    return diags
