"""The one registry of relations agrees with the vocabulary (ontology/kb.ttl) and the JSON-LD context."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kbtools import schema
from kbtools.relations import REGISTRY
from kbtools.vocab import RELATION_PROPERTIES, curie
from tests.kbtest import ROOT

VOCAB = Graph().parse(ROOT / "ontology" / "kb.ttl")
CONTEXT = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]


@pytest.mark.parametrize("relation", REGISTRY, ids=lambda r: r.name)
def test_vocabulary_declares_each_relation_as_registered(relation):
    prop = curie(relation.property)
    assert (prop, RDF.type, OWL.ObjectProperty) in VOCAB
    assert set(VOCAB.objects(prop, RDFS.subPropertyOf)) == {curie(p) for p in relation.standard}
    assert ((prop, RDF.type, OWL.SymmetricProperty) in VOCAB) == relation.symmetric
    labels = {str(label) for label in VOCAB.objects(prop, RDFS.label) if label.language == "fr"}
    assert labels, f"{relation.property} has no French label in kb.ttl"


@pytest.mark.parametrize("relation", REGISTRY, ids=lambda r: r.name)
def test_context_maps_each_relation_to_its_property(relation):
    entry = CONTEXT[relation.name]
    assert entry["@id"] == relation.property and entry["@type"] == "@id"


def test_everything_else_derives_from_the_registry():
    assert schema.RELATIONS == tuple(r.name for r in REGISTRY if r.in_frontmatter)
    assert schema.HIERARCHICAL == ("isPartOf", "subClassOf")
    assert set(RELATION_PROPERTIES) == {r.name for r in REGISTRY}
    assert RELATION_PROPERTIES["isPartOf"][2] == (URIRef("http://purl.org/dc/terms/hasPart"),)


def test_symmetric_relations_emit_their_own_inverse():
    for relation in REGISTRY:
        if relation.symmetric:
            assert set(relation.inverse) <= set(relation.standard)
