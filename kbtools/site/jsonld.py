"""A note's concept as JSON-LD for its page, compacted with ``ontology/context.jsonld``.

rdflib's JSON-LD serialiser costs milliseconds per page (and seconds for the whole graph);
this compacts the triples of a subject directly with the context's terms (same triples,
checked by the tests by parsing the pages and ``kb.jsonld`` back). Terms are chosen only when their coercion fits the value
(``@id``, ``@language``, ``@type``); anything else falls back to a compact IRI with an
explicit value object, so no triple is ever bent. The page embeds only the part of the
context it uses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .markup import script_json

# Triples grouped by subject: (predicate, object) pairs. One pass over the store serves every
# page, where a query per page would cross into Oxigraph a thousand times.
Triples = dict[URIRef | BNode, list[tuple[URIRef, object]]]


def by_subject(graph: Graph) -> Triples:
    grouped: Triples = defaultdict(list)
    for s, p, o in graph:
        grouped[s].append((p, o))
    return grouped


class StoreTriples(Mapping):
    """The graph's triples by subject, read from its Oxigraph store when a page asks for them.

    A dirty build of ``mkdocs serve`` writes the JSON-LD of a few pages: reading every triple
    as rdflib terms (a quarter of a second per 1,000 notes) would cost more than those pages.
    The subjects are listed in one pass over the store (as strings, then as rdflib terms);
    a subject's (predicate, object) pairs are read on first use; :meth:`everything` reads the
    whole graph at once, for the full JSON-LD export, and is used once :data:`ONE_BY_ONE`
    subjects were read (a full build asks for every page's).
    """

    ONE_BY_ONE = 64

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._subjects: list[URIRef | BNode] | None = None
        self._read: dict[URIRef | BNode, list[tuple[URIRef, object]]] = {}
        self._all: Triples | None = None

    def _list(self) -> list[URIRef | BNode]:
        if self._subjects is None:
            found = {q.subject for q in self.graph.store._inner}
            self._subjects = [BNode(t.value) if isinstance(t, ox.BlankNode) else URIRef(t.value) for t in found]
        return self._subjects

    def __getitem__(self, subject: URIRef | BNode) -> list[tuple[URIRef, object]]:
        if self._all is None and len(self._read) >= self.ONE_BY_ONE:
            self.everything()
        if self._all is not None:
            return self._all[subject]
        if subject not in self._read:
            self._read[subject] = list(self.graph.predicate_objects(subject))
        if not self._read[subject]:
            raise KeyError(subject)
        return self._read[subject]

    def __iter__(self) -> Iterator[URIRef | BNode]:
        return iter(self._all if self._all is not None else self._list())

    def __len__(self) -> int:
        return len(self._all if self._all is not None else self._list())

    def everything(self) -> Triples:
        if self._all is None:
            self._all = by_subject(self.graph)
        return self._all


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    coercion: str | None  # "@id", "@lang:fr", a datatype IRI, or None
    is_set: bool


class Compactor:
    """Compacts the triples of one subject with a JSON-LD context (terms and prefixes)."""

    def __init__(self, context: dict):
        self.context = context
        self.prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}
        self.aliases = {v: k for k, v in context.items() if v in ("@id", "@type")}
        self.terms: dict[str, list[Term]] = defaultdict(list)
        self._compacted: dict[str, str] = {}
        for name, definition in context.items():
            if name in self.prefixes or name in self.aliases.values():
                continue
            if isinstance(definition, str):
                self.terms[self.expand(definition)].append(Term(name, None, False))
            elif isinstance(definition, dict) and "@id" in definition:
                self.terms[self.expand(definition["@id"])].append(Term(name, _coercion(self, definition), definition.get("@container") == "@set"))

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, iri: str) -> str:
        """``skos:Concept`` where a prefix fits (longest namespace first), else the IRI."""
        if (known := self._compacted.get(iri)) is not None:
            return known
        self._compacted[iri] = found = self._compact_iri(iri)
        return found

    def _compact_iri(self, iri: str) -> str:
        best = max(((p, ns) for p, ns in self.prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)), key=lambda pn: len(pn[1]), default=None)
        return f"{best[0]}:{iri[len(best[1]):]}" if best else iri

    def node(self, triples: Triples, subject: URIRef | BNode, with_context: bool = True) -> dict:
        """The compacted node object of ``subject``, with the part of the context it uses."""
        used: set[str] = set()
        node = self._node(triples, subject, used)
        return {"@context": self._context_for(used), **node} if with_context else node

    def page(self, triples: Triples, subjects: list[URIRef]) -> dict:
        """What a page says about itself: the node of its one subject, or a ``@graph`` of them
        (a snippet and its verifications ``…/#default-cpu``), with the part of the context used."""
        if len(subjects) == 1:
            return self.node(triples, subjects[0])
        used: set[str] = set()
        nodes = [self._node(triples, s, used) for s in subjects]
        return {"@context": self._context_for(used), "@graph": nodes}

    def _node(self, triples: Triples, subject: URIRef | BNode, used: set[str]) -> dict:
        """The node object of ``subject``; the context terms it uses are added to ``used``."""
        id_key, type_key = self.aliases.get("@id", "@id"), self.aliases.get("@type", "@type")
        values: dict[str, list] = defaultdict(list)
        sets: set[str] = set()
        for predicate, obj in sorted(triples.get(subject, ())):
            if predicate == RDF.type and isinstance(obj, URIRef):
                values[type_key].append(self.compact_iri(str(obj)))
                continue
            term = self._term(str(predicate), obj)
            if term is None:
                values[self.compact_iri(str(predicate))].append(self._value_object(obj))
                continue
            used.add(term.name)
            if term.is_set:
                sets.add(term.name)
            values[term.name].append(self._coerced(term, obj))
        node: dict = {id_key: _id(subject)}
        for key in sorted(values):
            items = values[key]
            node[key] = items if (len(items) > 1 or key in sets) else items[0]
        return node

    def _term(self, predicate: str, obj) -> Term | None:
        for term in self.terms.get(predicate, ()):
            if _fits(term, obj):
                return term
        return None

    def _coerced(self, term: Term, obj):
        if term.coercion is None:
            return self._value_object(obj)
        return str(obj)  # the term's coercion says what it is: an IRI, a French string, a date

    def _value_object(self, obj):
        if isinstance(obj, URIRef | BNode):
            return {"@id": _id(obj)}
        if obj.language:
            return {"@value": str(obj), "@language": obj.language}
        if obj.datatype is not None and obj.datatype != XSD.string:
            return {"@value": str(obj), "@type": str(obj.datatype)}
        return str(obj)

    def document(self, triples: Triples) -> bytes:
        """The whole graph as one JSON-LD document: the context once, then every subject."""
        subjects = sorted(triples, key=lambda s: (isinstance(s, BNode), str(s)))
        data = {"@context": self.context, "@graph": [self.node(triples, s, with_context=False) for s in subjects]}
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    def _context_for(self, used: set[str]) -> dict:
        keep = set(self.prefixes) | set(self.aliases.values()) | used
        return {k: v for k, v in self.context.items() if k in keep}


def _id(term: URIRef | BNode) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _coercion(compactor: Compactor, definition: dict) -> str | None:
    if definition.get("@type") == "@id":
        return "@id"
    if "@language" in definition:
        return "@lang:" + definition["@language"]
    if "@type" in definition:
        return compactor.expand(definition["@type"])
    return None


def _fits(term: Term, obj) -> bool:
    if term.coercion is None:
        return True
    if term.coercion == "@id":
        return isinstance(obj, URIRef)
    if not isinstance(obj, Literal):
        return False
    if term.coercion.startswith("@lang:"):
        return obj.language == term.coercion[len("@lang:") :]
    return obj.language is None and obj.datatype is not None and str(obj.datatype) == term.coercion


def by_page(triples: Triples) -> dict[str, list[URIRef]]:
    """IRI subjects grouped by the page that describes them: the IRI without its fragment.

    The page's own IRI comes first, then its fragments (``…/mlp/#default-cpu``) in IRI order.
    """
    grouped: dict[str, list[URIRef]] = defaultdict(list)
    for subject in triples:
        if isinstance(subject, URIRef):
            grouped[str(subject).partition("#")[0]].append(subject)
    for page, subjects in grouped.items():
        subjects.sort(key=lambda s: (str(s) != page, str(s)))
    return dict(grouped)


def script_tag(node: dict) -> str:
    """``<script type="application/ld+json">`` holding ``node``, safe against any title."""
    data = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
    return f'<script type="application/ld+json">{script_json(data)}</script>'
