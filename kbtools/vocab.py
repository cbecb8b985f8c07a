"""RDF namespaces and the mapping from the vault's words to ``kb:`` and standard properties."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .relations import REGISTRY

KB = Namespace("https://kb-dl.github.io/ontology#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "kb": str(KB),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SCHEMA),
}



def curie(text: str) -> URIRef:
    """``"skos:broader"`` → its IRI, with the prefixes above."""
    prefix, _, local = text.partition(":")
    return URIRef(PREFIXES[prefix] + local)


# relation → (kb: property, standard properties emitted too, inverse emitted on the target),
# from the one registry of relations.
RELATION_PROPERTIES = {
    r.name: (curie(r.property), tuple(curie(p) for p in r.standard), tuple(curie(p) for p in r.inverse)) for r in REGISTRY
}


def sparql_prologue() -> str:
    """PREFIX lines for every prefix above, prepended to user queries that lack them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
