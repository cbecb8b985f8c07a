"""RDF namespaces and the mapping from the vault's words to ``kb:`` and standard properties."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

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

# relation → (kb: property, standard properties emitted too, inverse emitted on the target)
RELATION_PROPERTIES = {
    "subClassOf": (KB.subClassOf, (SKOS.broader,), (SKOS.narrower,)),
    "isPartOf": (KB.isPartOf, (DCTERMS.isPartOf,), (DCTERMS.hasPart,)),
    "seeAlso": (KB.seeAlso, (SKOS.related, RDFS.seeAlso), (SKOS.related,)),
    "differentFrom": (KB.differentFrom, (OWL.differentFrom,), (OWL.differentFrom,)),
    "sources": (KB.sources, (DCTERMS.source,), ()),
    "mentions": (KB.mentions, (SCHEMA.mentions,), ()),
}


def sparql_prologue() -> str:
    """PREFIX lines for every prefix above, prepended to user queries that lack them."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
