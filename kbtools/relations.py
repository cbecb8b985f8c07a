"""The one registry of relations between notes.

Each relation has its frontmatter name, its ``kb:`` property, the standard properties emitted with
it, the inverse emitted on the target, French labels (relation, inverse), and whether it builds a
hierarchy (a cycle there is an error) or is symmetric. :mod:`kbtools.schema`, :mod:`kbtools.vocab`,
the site's panels and graph legend, and the importer derive from it; ``tests/core/test_relations.py``
holds it against ``ontology/kb.ttl`` and ``ontology/context.jsonld``. Plain Python, no RDF here:
properties are CURIEs with the prefixes of :data:`kbtools.vocab.PREFIXES`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Relation:
    name: str  # the frontmatter key in the vault's own words
    property: str  # CURIE of the kb: property
    standard: tuple[str, ...]  # CURIEs also emitted, source → target
    inverse: tuple[str, ...]  # CURIEs emitted target → source
    label: str  # French name of the relation, as the panels title it
    inverse_label: str  # French name seen from the target
    hierarchical: bool = False
    symmetric: bool = False
    in_frontmatter: bool = True  # False for relations found in the body (mentions)


REGISTRY: tuple[Relation, ...] = (
    Relation("isPartOf", "kb:isPartOf", ("dcterms:isPartOf",), ("dcterms:hasPart",), "Fait partie de", "Parties", hierarchical=True),
    Relation("subClassOf", "kb:subClassOf", ("skos:broader",), ("skos:narrower",), "Sous-catégorie de", "Sous-catégories", hierarchical=True),
    Relation("seeAlso", "kb:seeAlso", ("skos:related", "rdfs:seeAlso"), ("skos:related",), "Voir aussi", "Voir aussi", symmetric=True),
    Relation("differentFrom", "kb:differentFrom", ("owl:differentFrom",), ("owl:differentFrom",), "À ne pas confondre avec",
             "À ne pas confondre avec", symmetric=True),
    Relation("sources", "kb:sources", ("dcterms:source",), (), "Sources", "Source de"),
    Relation("mentions", "kb:mentions", ("schema:mentions",), (), "Mentionne", "Mentionné dans", in_frontmatter=False),
)

BY_NAME: dict[str, Relation] = {r.name: r for r in REGISTRY}
