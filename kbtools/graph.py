"""The one module that adds triples: notes and resolved links → RDF graph on an Oxigraph store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from . import schema
from .config import VaultConfig
from .ids import concept_iri, page_url, site_base, tag_iri
from .notes import Note
from .resolve import Edge
from .vocab import KB, PREFIXES, RELATION_PROPERTIES, SCHEMA

Triple = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode]


def new_graph() -> Graph:
    """An empty rdflib graph backed by an in-memory Oxigraph store, prefixes bound."""
    # The default graph of the store, so that SPARQL, updates and exports all see the same triples.
    graph = Graph(store="Oxigraph", identifier=DATASET_DEFAULT_GRAPH_ID)
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def note_iri(config: VaultConfig, note: Note) -> URIRef:
    return URIRef(concept_iri(config.site_url, page_url(note.path, config.use_directory_urls)))


def scheme_iri(config: VaultConfig) -> URIRef:
    return URIRef(site_base(config.site_url))


def tag_scheme_iri(config: VaultConfig) -> URIRef:
    return URIRef(site_base(config.site_url) + "tags/")


def build_graph(config: VaultConfig, notes: list[Note], edges: list[Edge], extra: Iterable[Triple] = ()) -> Graph:
    """Every note as a ``skos:Concept`` with its labels, dates, tags and typed relations,
    each relation as the ``kb:`` triple, its standard counterpart and the inverse."""
    graph = new_graph()
    # Bulk-load into the Oxigraph store behind the rdflib graph: oxrdflib's generic per-quad
    # conversion dominated the build (see benchmarks/core.py); IRIs repeat, so convert once each.
    store: ox.Store = graph.store._inner
    to_ox = _Converter()
    store.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in _all_triples(config, notes, edges)])
    graph.addN((s, p, o, graph) for s, p, o in extra)
    return graph


class _Converter:
    """rdflib term → pyoxigraph term, memoising IRIs (each appears many times)."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}
        self._bnodes: dict[str, ox.BlankNode] = {}

    def __call__(self, term):
        if isinstance(term, URIRef):
            node = self._iris.get(term)
            if node is None:
                node = self._iris[term] = ox.NamedNode(term)
            return node
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype:
                return ox.Literal(str(term), datatype=self(term.datatype))
            return ox.Literal(str(term))
        node = self._bnodes.get(term)
        if node is None:
            node = self._bnodes[term] = ox.BlankNode()
        return node


def _all_triples(config: VaultConfig, notes: list[Note], edges: list[Edge]) -> Iterator[Triple]:
    scheme = scheme_iri(config)
    tags = tag_scheme_iri(config)
    yield scheme, RDF.type, SKOS.ConceptScheme
    yield scheme, SKOS.prefLabel, Literal("Base de connaissances : frameworks Python pour le deep learning", lang="fr")
    yield tags, RDF.type, SKOS.ConceptScheme
    yield tags, SKOS.prefLabel, Literal("Étiquettes", lang="fr")
    iris = {id(n): note_iri(config, n) for n in notes}
    has_parent = {id(e.source) for e in edges if e.kind in schema.HIERARCHICAL and e.source is not e.target}
    seen_tags: set[str] = set()
    for note in notes:
        iri = iris[id(note)]
        yield from _note_triples(iri, note, scheme)
        if id(note) not in has_parent:
            yield iri, SKOS.topConceptOf, scheme
            yield scheme, SKOS.hasTopConcept, iri
        for tag in note.tags:
            t = URIRef(tag_iri(config.site_url, tag))
            yield iri, KB.tag, t
            yield iri, DCTERMS.subject, t
            if str(t) not in seen_tags:
                seen_tags.add(str(t))
                yield t, RDF.type, KB.Tag
                yield t, RDF.type, SKOS.Concept
                yield t, SKOS.inScheme, tags
                yield t, SKOS.prefLabel, Literal(tag, lang="fr")
    for edge in edges:
        if edge.source is edge.target and edge.kind != schema.MENTIONS:
            continue
        s, o = iris[id(edge.source)], iris[id(edge.target)]
        own, standard, inverse = RELATION_PROPERTIES[edge.kind]
        yield s, own, o
        for p in standard:
            yield s, p, o
        for p in inverse:
            yield o, p, s


def _note_triples(iri: URIRef, note: Note, scheme: URIRef) -> Iterator[Triple]:
    cls = KB[schema.TYPES[note.type][0]]
    yield iri, RDF.type, cls
    yield iri, RDF.type, SKOS.Concept
    yield iri, SKOS.inScheme, scheme
    title = Literal(note.title, lang="fr")
    yield iri, SKOS.prefLabel, title
    yield iri, RDFS.label, title
    yield iri, KB.path, Literal(str(note.path))
    for alias in note.aliases:
        yield iri, SKOS.altLabel, Literal(alias, lang="fr")
    if note.description:
        yield iri, SKOS.definition, Literal(note.description, lang="fr")
    if note.created:
        yield iri, DCTERMS.created, Literal(note.created.isoformat(), datatype=XSD.date)
    if note.modified:
        yield iri, DCTERMS.modified, Literal(note.modified.isoformat(), datatype=XSD.date)
    meta = note.source_meta
    for author in meta.get("author", []):
        yield iri, SCHEMA.author, Literal(author)
    if "date_published" in meta:
        yield iri, SCHEMA.datePublished, Literal(meta["date_published"].isoformat(), datatype=XSD.date)
    if "url" in meta:
        yield iri, SCHEMA.url, URIRef(meta["url"]) if _is_iri(meta["url"]) else Literal(meta["url"])
    if "language" in meta:
        yield iri, DCTERMS.language, Literal(meta["language"])


def _is_iri(text: str) -> bool:
    return text.startswith(("http://", "https://")) and not any(c in text for c in ' <>"{}|\\^`')
