"""The one module that adds triples: notes and resolved links → RDF graph on an Oxigraph store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from . import schema
from .config import VaultConfig
from .ids import PageUrl, concept_iri, page_url, site_base, snippet_url, tag_iri
from .notes import Note
from .resolve import Edge
from .snippets.catalog import SnippetEntry
from .vocab import KB, PREFIXES, RELATION_PROPERTIES, SCHEMA

Triple = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode]


def new_graph() -> Graph:
    """An empty rdflib graph backed by an in-memory Oxigraph store, prefixes bound."""
    # The default graph of the store, so that SPARQL, updates and exports all see the same triples.
    # The store class itself rather than its plugin name: rdflib would import it on the first build,
    # and the exceptions its import raises and keeps (pyparsing's) would then hold the build's frames,
    # and with them the whole knowledge base, until the garbage collector runs (kbtools.gcpause).
    graph = Graph(store=OxigraphStore(), identifier=DATASET_DEFAULT_GRAPH_ID)
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def sorted_nquads(store: ox.Store) -> list[bytes]:
    """Every quad of the store as an N-Quads line, sorted: the same list for the same content,
    whatever order the triples were added in. About 30 ms for 35,000 quads (1,000 notes)."""
    return sorted(line for line in store.dump(format=ox.RdfFormat.N_QUADS).split(b"\n") if line)


def content_digest(store: ox.Store) -> str:
    """A digest of the store's content (its sorted N-Quads); blank node labels count as written."""
    return lines_digest(sorted_nquads(store))


def lines_digest(lines: list[bytes]) -> str:
    """The digest :func:`content_digest` gives, from lines :func:`sorted_nquads` already made."""
    digest = hashlib.blake2b(digest_size=16)
    for line in lines:
        digest.update(line)
        digest.update(b"\n")
    return digest.hexdigest()


def note_iri(config: VaultConfig, note: Note) -> URIRef:
    return URIRef(concept_iri(config.site_url, page_url(note.path, config.use_directory_urls)))


def scheme_iri(config: VaultConfig) -> URIRef:
    """The concept scheme: a fragment of the home page, which describes it; never the IRI of a note
    (a vault's root ``index.md`` is a note whose IRI is ``site_url`` itself)."""
    return URIRef(site_base(config.site_url) + "#scheme")


def check_base_iri(config: VaultConfig) -> None:
    """Raise the ``ValueError`` that :func:`build_graph` would raise if ``site_url`` makes no valid IRI.

    Every other IRI of the graph is made valid by construction (``kbtools.ids``; a source's ``url``
    that is no IRI becomes a literal), so this is the one way the graph can fail on a vault's data,
    and the pipeline reports it even when nothing asks for the graph.
    """
    OxTerms().iri(str(scheme_iri(config)))


def tag_scheme_iri(config: VaultConfig) -> URIRef:
    return URIRef(site_base(config.site_url) + "tags/")


def build_graph(
    config: VaultConfig, notes: list[Note], edges: list[Edge], extra: Iterable[Triple] = (), snippets: list[SnippetEntry] = ()
) -> Graph:
    """Every note as a ``skos:Concept`` with its labels, dates, tags and typed relations,
    each relation as the ``kb:`` triple, its standard counterpart and the inverse."""
    graph = new_graph()
    # Bulk-load the Oxigraph store behind the rdflib graph with Oxigraph terms made directly:
    # converting rdflib terms one quad at a time dominated the build (benchmarks/core.py).
    store: ox.Store = graph.store._inner
    terms = OxTerms()
    store.extend([ox.Quad(s, p, o) for s, p, o in triples(config, notes, edges, terms)])
    store.extend([ox.Quad(s, p, o) for s, p, o in snippet_triples(config, snippets, terms)])
    graph.addN((s, p, o, graph) for s, p, o in extra)
    return graph


class RdflibTerms:
    """Term factory making rdflib terms (used by the pure-rdflib benchmark baseline)."""

    def iri(self, value: str) -> URIRef:
        return URIRef(value)

    def lit(self, value: str, lang: str | None = None, datatype: str | None = None) -> Literal:
        return Literal(value, lang=lang, datatype=URIRef(datatype) if datatype else None)


class OxTerms:
    """Term factory making pyoxigraph terms, each IRI built once."""

    def __init__(self) -> None:
        self._iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = ox.NamedNode(value)
        return node

    def lit(self, value: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
        if lang:
            return ox.Literal(value, language=lang)
        if datatype:
            return ox.Literal(value, datatype=self.iri(datatype))
        return ox.Literal(value)


def triples(config: VaultConfig, notes: list[Note], edges: list[Edge], terms) -> Iterator[tuple]:
    """All triples of the knowledge base, made by ``terms`` (:class:`OxTerms` or :class:`RdflibTerms`)."""
    i, lit = terms.iri, terms.lit
    a, in_scheme, pref, label = i(str(RDF.type)), i(str(SKOS.inScheme)), i(str(SKOS.prefLabel)), i(str(RDFS.label))
    concept = i(str(SKOS.Concept))
    scheme, tags = i(str(scheme_iri(config))), i(str(tag_scheme_iri(config)))
    yield scheme, a, i(str(SKOS.ConceptScheme))
    yield scheme, pref, lit(config.site_name, lang="fr")
    yield tags, a, i(str(SKOS.ConceptScheme))
    yield tags, pref, lit("Étiquettes", lang="fr")
    iris = {id(n): i(str(note_iri(config, n))) for n in notes}
    has_parent = {id(e.source) for e in edges if e.kind in schema.HIERARCHICAL and e.source is not e.target}
    p = {name: i(str(term)) for name, term in _PREDICATES.items()}
    classes = {kind: i(str(KB[local])) for kind, (local, _, _) in schema.TYPES.items()}
    date_type = str(XSD.date)
    seen_tags: set[str] = set()
    for note in notes:
        iri = iris[id(note)]
        yield iri, a, classes[note.type]
        yield iri, a, concept
        yield iri, in_scheme, scheme
        title = lit(note.title, lang="fr")
        yield iri, pref, title
        yield iri, label, title
        yield iri, p["path"], lit(str(note.path))
        for alias in note.aliases:
            yield iri, p["altLabel"], lit(alias, lang="fr")
        if note.description:
            yield iri, p["definition"], lit(note.description, lang="fr")
        if note.created:
            yield iri, p["created"], lit(note.created.isoformat(), datatype=date_type)
        if note.modified:
            yield iri, p["modified"], lit(note.modified.isoformat(), datatype=date_type)
        meta = note.source_meta
        for author in meta.get("author", []):
            yield iri, p["author"], lit(author)
        if "date_published" in meta:
            yield iri, p["datePublished"], lit(meta["date_published"].isoformat(), datatype=date_type)
        if "url" in meta:
            yield iri, p["url"], i(meta["url"]) if _is_iri(meta["url"]) else lit(meta["url"])
        if "language" in meta:
            yield iri, p["language"], lit(meta["language"])
        if id(note) not in has_parent:
            yield iri, p["topConceptOf"], scheme
            yield scheme, p["hasTopConcept"], iri
        for tag in note.tags:
            t_iri = tag_iri(config.site_url, tag)
            t = i(t_iri)
            yield iri, p["tag"], t
            yield iri, p["subject"], t
            if t_iri not in seen_tags:
                seen_tags.add(t_iri)
                yield t, a, p["Tag"]
                yield t, a, concept
                yield t, in_scheme, tags
                yield t, pref, lit(tag, lang="fr")
    relations = {kind: (i(str(own)), [i(str(x)) for x in std], [i(str(x)) for x in inv]) for kind, (own, std, inv) in RELATION_PROPERTIES.items()}
    for edge in edges:
        if edge.source is edge.target and edge.kind != schema.MENTIONS:
            continue
        s, o = iris[id(edge.source)], iris[id(edge.target)]
        own, standard, inverse = relations[edge.kind]
        yield s, own, o
        for prop in standard:
            yield s, prop, o
        for prop in inverse:
            yield o, prop, s


def snippet_triples(config: VaultConfig, entries: list[SnippetEntry], terms) -> Iterator[tuple]:
    """Each snippet, the notes it illustrates, and one ``kb:Verification`` per recorded run."""
    i, lit = terms.iri, terms.lit
    a = i(str(RDF.type))
    xsd = str(XSD)
    for entry in entries:
        spec = entry.spec
        snip_iri = concept_iri(config.site_url, snippet_url(spec.framework, spec.name))
        snip = i(snip_iri)
        yield snip, a, i(str(KB.Snippet))
        yield snip, a, i(str(SCHEMA.SoftwareSourceCode))
        yield snip, i(str(RDFS.label)), lit(spec.title, lang="fr")
        yield snip, i(str(KB.framework)), lit(spec.framework)
        yield snip, i(str(KB.sourceFile)), lit(spec.rel)
        yield snip, i(str(KB.device)), lit(spec.device)
        yield snip, i(str(SCHEMA.programmingLanguage)), lit("Python")
        for note in entry.notes:
            target = i(str(note_iri(config, note)))
            yield snip, i(str(KB.illustrates)), target
            yield snip, i(str(SCHEMA.about)), target
        for record in entry.records:
            data = record.data
            ver = i(f"{snip_iri}#{record.variant.slug}-{record.devicekind}")
            yield snip, i(str(KB.verification)), ver
            yield ver, a, i(str(KB.Verification))
            yield ver, i(str(KB.variant)), lit(record.variant.id)
            yield ver, i(str(KB.device)), lit(record.devicekind)
            device = data.get("device") or {}
            if device.get("name"):
                yield ver, i(str(KB.deviceName)), lit(str(device["name"]))
            yield ver, i(str(KB.passed)), lit("true" if data.get("passed") else "false", datatype=xsd + "boolean")
            yield ver, i(str(KB.fresh)), lit("true" if record.fresh else "false", datatype=xsd + "boolean")
            if data.get("date"):
                yield ver, i(str(DCTERMS.date)), lit(str(data["date"]), datatype=xsd + "dateTime")
            if data.get("python"):
                yield ver, i(str(KB.pythonVersion)), lit(str(data["python"]))
            for package, version in sorted((data.get("versions") or {}).items()):
                yield ver, i(str(KB.softwareVersion)), lit(f"{package} {version}")
            for key, prop in (("duration_s", KB.durationSeconds), ("peak_rss_mb", KB.peakMemoryMB)):
                if isinstance(data.get(key), int | float):
                    yield ver, i(str(prop)), lit(f"{data[key]:.3f}", datatype=xsd + "decimal")


def question_triples(config: VaultConfig, questions: Iterable[tuple[PageUrl, str, str, str]]) -> Iterator[Triple]:
    """Each answered question of the site as a ``schema:Question`` at the address of its page.

    ``questions``: (page URL relative to the site root, French title, description, SPARQL text);
    the site calls this once it knows the URLs mkdocs gives the question pages.
    """
    for url, title, description, text in questions:
        q = URIRef(concept_iri(config.site_url, url))
        yield q, RDF.type, SCHEMA.Question
        yield q, RDFS.label, Literal(title, lang="fr")
        yield q, SCHEMA.name, Literal(title, lang="fr")
        if description:
            yield q, SCHEMA.description, Literal(description, lang="fr")
        yield q, SCHEMA.text, Literal(text)
        yield q, SCHEMA.encodingFormat, Literal(SPARQL_MEDIA_TYPE)
        yield q, SCHEMA.isPartOf, scheme_iri(config)


SPARQL_MEDIA_TYPE = "application/sparql-query"

_PREDICATES = {
    "path": KB.path,
    "altLabel": SKOS.altLabel,
    "definition": SKOS.definition,
    "created": DCTERMS.created,
    "modified": DCTERMS.modified,
    "author": SCHEMA.author,
    "datePublished": SCHEMA.datePublished,
    "url": SCHEMA.url,
    "language": DCTERMS.language,
    "topConceptOf": SKOS.topConceptOf,
    "hasTopConcept": SKOS.hasTopConcept,
    "tag": KB.tag,
    "subject": DCTERMS.subject,
    "Tag": KB.Tag,
}


def _is_iri(text: str) -> bool:
    return text.startswith(("http://", "https://")) and not any(c in text for c in ' <>"{}|\\^`')
