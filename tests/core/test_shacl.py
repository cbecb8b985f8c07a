"""SHACL run as SPARQL on Oxigraph finds what pySHACL (the reference) finds, diagnostic for diagnostic.

Each vault of tests/data is validated by both engines of ``kbtools.shacl.validate``; the vault
``shacl`` and triples added to its graph break every constraint of ``ontology/shapes.ttl``. Shapes
outside the translated subset must go to pySHACL, never be skipped.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, XSD

from kbtools.config import load_config
from kbtools.diagnostics import Severity
from kbtools.pipeline import build_knowledge_base, shapes_path
from kbtools.shacl import validate
from kbtools.shacl_sparql import Unsupported, compile_shapes
from kbtools.vocab import KB, SCHEMA
from tests.kbtest import DATA, INVALID, ROOT, TEST_SITE, VALID

SHACL_VAULT = DATA / "vaults" / "shacl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kb: <https://kb-dl.github.io/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix schema: <https://schema.org/> .
"""


def _kb(vault: Path):
    return build_knowledge_base(load_config(vault, site_url=TEST_SITE), with_snippets=False, with_queries=False)


def _found(kb, engine: str, shapes: Path = SHAPES) -> Counter:
    """(note, line, col, code, severity, message, hint) of each diagnostic, counted."""
    diags = validate(kb.graph, shapes, kb.notes_by_iri(), engine=engine)
    return Counter((Path(d.path).name, d.line, d.col, d.code, d.severity, d.message, d.hint) for d in diags)


def _break_every_shape(kb) -> None:
    """Triples that a vault's frontmatter cannot produce but a graph can hold: one or more
    violations of each constraint of shapes.ttl, and a few values pySHACL accepts."""
    g = kb.graph
    by_title = {n.title: URIRef(kb.iri(n)) for n in kb.notes}
    article, hub, good, bad = (by_title[t] for t in ("Article", "Accueil", "Source correcte", "Source fautive"))
    g.add((article, SKOS.prefLabel, Literal("Deuxième titre", lang="fr")))  # maxCount
    g.add((hub, SKOS.prefLabel, Literal("")))  # no language, empty: datatype, minLength, maxCount
    g.remove((hub, SKOS.inScheme, None))  # minCount
    g.remove((bad, SKOS.prefLabel, None))  # minCount 1 on the title
    g.add((article, DCTERMS.created, Literal("2024-13-45", datatype=XSD.date)))  # ill-typed date
    g.add((article, DCTERMS.created, Literal("hier")))  # a second value, not a date
    g.add((hub, DCTERMS.modified, Literal("2024-02-30", datatype=XSD.date)))  # no such day
    g.add((hub, DCTERMS.modified, URIRef("https://example.org/date")))  # not a literal
    g.add((article, KB.subClassOf, Literal("concept")))  # a literal has no class
    g.add((article, KB.subClassOf, URIRef("https://example.org/ailleurs")))  # no type at all
    g.add((hub, SKOS.definition, Literal("Une autre description", lang="fr")))  # maxCount 1
    g.add((article, KB.sources, BNode()))
    g.add((good, SCHEMA.url, BNode()))  # second url, a blank node
    g.add((good, DCTERMS.language, Literal("fr\n")))  # Python's `$` matches before a final newline
    g.add((good, SCHEMA.datePublished, Literal("2025-03-01T10:00:00", datatype=XSD.dateTime)))
    g.add((bad, SCHEMA.datePublished, Literal("2025-02-29", datatype=XSD.date)))  # not a leap year
    g.add((bad, DCTERMS.language, URIRef("https://example.org/fr")))
    # classes through rdfs:subClassOf in the data: a source of a subclass of kb:Source is a source
    # (no violation on the article) and a target of kb:SourceShape (its bad url is reported)
    sub, other = URIRef("https://example.org/SousSource"), URIRef("https://example.org/autre-source")
    g.add((sub, RDFS.subClassOf, KB.Source))
    g.add((other, RDF.type, sub))
    g.add((other, SCHEMA.url, Literal("ftp ailleurs")))
    g.add((article, KB.sources, other))
    # a focus node that is no note: reported on the shapes file
    g.add((URIRef("https://example.org/orphelin"), KB.path, Literal("nulle-part.md")))


FIXTURE_VAULTS = [VALID, INVALID, SHACL_VAULT, DATA / "hostile_vault", DATA / "site_vault", *sorted((DATA / "realworld").iterdir())]


@pytest.mark.parametrize("vault", FIXTURE_VAULTS, ids=lambda p: p.name)
def test_sparql_finds_what_pyshacl_finds_on_the_fixture_vaults(vault):
    kb = _kb(vault)
    assert _found(kb, "sparql") == _found(kb, "pyshacl")


def test_sparql_finds_what_pyshacl_finds_on_the_project_vault():
    """docs/ with its snippets, benchmark results and vocabulary in the graph, as `kb check` builds it."""
    kb = build_knowledge_base(load_config(config_file=ROOT / "mkdocs.yml"), with_queries=False)
    assert _found(kb, "sparql") == _found(kb, "pyshacl")


def test_the_shacl_vault_breaks_the_shapes_it_can_reach_from_frontmatter():
    found = _found(_kb(SHACL_VAULT), "sparql")
    # (note, line, key) written by hand from the vault's notes
    assert {(name, line, hint) for name, line, *_, hint in found} == {
        ("article.md", 5, "frontmatter key 'sources'"),
        ("source-fautive.md", 4, "frontmatter key 'url'"),
        ("source-fautive.md", 5, "frontmatter key 'language'"),
    }


def test_every_constraint_of_the_shapes_fires_and_both_engines_agree():
    kb = _kb(SHACL_VAULT)
    _break_every_shape(kb)
    sparql = _found(kb, "sparql")
    assert sparql == _found(kb, "pyshacl")
    messages = {str(m) for m in Graph().parse(SHAPES).objects(None, SH.message)}
    assert {m.split(": ", 2)[2] for _, _, _, _, _, m, _ in sparql} == messages
    # the node that is no note is reported on the shapes file
    assert sparql[("shapes.ttl", 1, 1, "KB120", Severity.ERROR, "SHACL: skos:prefLabel: une note a exactement un titre non vide",
                   "frontmatter key 'title'")] == 1
    assert sparql[("shapes.ttl", 1, 1, "KB120", Severity.ERROR, "SHACL: schema:url: url est une adresse http(s) unique",
                   "frontmatter key 'url'")] == 1
    assert sum(sparql.values()) >= 20


# Shapes that use the translated features shapes.ttl does not (yet) use: other targets, severities,
# flags, lengths, counts above one, deactivation.
MORE_SHAPES = PREFIXES + """
kb:SourceLike a sh:NodeShape ; sh:targetClass kb:Note ;
  sh:property [ sh:path skos:prefLabel ; sh:maxLength 7 ; sh:severity sh:Warning ; sh:message "court" ] ,
              [ sh:path skos:prefLabel ; sh:pattern "^s" ; sh:flags "i" ; sh:severity sh:Info ; sh:message "commence par s" ] ,
              [ sh:path kb:tag ; sh:minCount 2 ; sh:message "deux étiquettes" ] ,
              [ sh:path kb:isPartOf ; sh:nodeKind sh:BlankNodeOrLiteral ; sh:message "pas d'IRI" ] ,
              [ sh:path kb:path ; sh:datatype xsd:string ; sh:minLength 12 ; sh:message "chemin long" ] ,
              [ sh:path skos:altLabel ; sh:maxCount 0 ; sh:message "pas d'alias" ] ,
              [ sh:path kb:path ; sh:maxCount 0 ; sh:deactivated true ; sh:message "désactivée" ] .
kb:Objects sh:targetObjectsOf kb:isPartOf ; sh:targetNode <https://example.org/absent>, "un littéral" ;
  sh:property [ sh:path skos:prefLabel ; sh:minCount 1 ; sh:class kb:Hub ; sh:datatype rdfs:Literal ; sh:message "un titre, de carrefour" ] .
kb:Off a sh:NodeShape ; sh:targetClass kb:Note ; sh:deactivated true ;
  sh:property [ sh:path kb:tag ; sh:maxCount 0 ; sh:message "jamais" ] .
"""


def test_the_other_translated_features_agree_with_pyshacl(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(MORE_SHAPES, encoding="utf-8")
    for vault in (VALID, SHACL_VAULT):
        kb = _kb(vault)
        sparql = _found(kb, "sparql", shapes)
        assert sparql == _found(kb, "pyshacl", shapes)
        assert {m.split(": ", 2)[2] for _, _, _, _, _, m, _ in sparql} >= {"court", "commence par s", "deux étiquettes",
                                                                             "pas d'IRI", "chemin long", "un titre, de carrefour"}
        assert not any("désactivée" in m or "jamais" in m for _, _, _, _, _, m, _ in sparql)


# One untranslated feature each: the shapes must go to pySHACL, whose violation must show.
UNTRANSLATED = {
    "sh:in": 'sh:path kb:path ; sh:in ( "x" ) ; sh:message "m"',
    "sh:hasValue": 'sh:path kb:path ; sh:hasValue "x" ; sh:message "m"',
    "path sequence": "sh:path ( kb:isPartOf skos:prefLabel ) ; sh:maxCount 0 ; sh:message \"m\"",
    "inverse path": "sh:path [ sh:inversePath kb:isPartOf ] ; sh:minCount 99 ; sh:message \"m\"",
    "no message": "sh:path kb:path ; sh:maxLength 1",
    "two messages": 'sh:path kb:path ; sh:maxLength 1 ; sh:message "m"@fr, "m"@en',
    "sh:node": 'sh:path kb:isPartOf ; sh:node [ sh:property [ sh:path kb:path ; sh:maxCount 0 ] ] ; sh:message "m"',
    "sh:or": 'sh:path kb:path ; sh:or ( [ sh:maxLength 1 ] [ sh:minLength 999 ] ) ; sh:message "m"',
    "rdfs:Datatype": 'sh:path skos:prefLabel ; sh:datatype rdfs:Datatype ; sh:message "m"',
    "flags without pattern": 'sh:path kb:path ; sh:flags "i" ; sh:maxLength 1 ; sh:message "m"',
    "two patterns": 'sh:path kb:path ; sh:pattern "^a", "^b" ; sh:message "m"',
    "sh:qualifiedValueShape": 'sh:path kb:path ; sh:qualifiedValueShape [ sh:maxLength 1 ] ; sh:qualifiedMinCount 1 ; sh:message "m"',
}


@pytest.mark.parametrize("feature", sorted(UNTRANSLATED))
def test_an_untranslated_feature_falls_back_to_pyshacl(tmp_path, feature):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + f"kb:S sh:targetSubjectsOf kb:path ; sh:property [ {UNTRANSLATED[feature]} ] .\n", encoding="utf-8")
    with pytest.raises(Unsupported):
        compile_shapes(Graph().parse(shapes))
    with pytest.raises(Unsupported):
        validate(_kb(VALID).graph, shapes, {}, engine="sparql")
    kb = _kb(VALID)
    found = _found(kb, "auto", shapes)
    assert found and found == _found(kb, "pyshacl", shapes)


def test_a_sparql_constraint_on_the_node_shape_falls_back(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PREFIXES + 'kb:S sh:targetSubjectsOf kb:path ; sh:sparql [ sh:select "SELECT $this WHERE { }" ; sh:message "m" ] .\n',
                      encoding="utf-8")
    with pytest.raises(Unsupported):
        compile_shapes(Graph().parse(shapes))
    kb = _kb(VALID)
    assert sum(_found(kb, "auto", shapes).values()) == len(kb.notes)


def test_the_project_shapes_are_translated_whole():
    checks = compile_shapes(Graph().parse(shapes_path(load_config(VALID, site_url=TEST_SITE))))
    shapes = Graph().parse(SHAPES)
    assert {c.path for c in checks} == set(shapes.objects(None, SH.path))
    # every constraint parameter of every property shape became a check
    params = {SH.minCount, SH.maxCount, SH.datatype, SH.minLength, SH["class"], SH.nodeKind, SH.pattern}
    expected = sum(1 for prop in shapes.objects(None, SH.property) for p, _ in shapes.predicate_objects(prop) if p in params)
    assert sum(len(c.constraints) for c in checks) == expected


def test_a_graph_outside_oxigraph_goes_to_pyshacl():
    kb = _kb(SHACL_VAULT)
    plain = Graph()
    for triple in kb.graph:
        plain.add(triple)
    plain.namespace_manager = kb.graph.namespace_manager
    with pytest.raises(Unsupported):
        validate(plain, SHAPES, kb.notes_by_iri(), engine="sparql")
    auto = validate(plain, SHAPES, kb.notes_by_iri())
    assert len(auto) == 3 and Counter(auto) == Counter(validate(kb.graph, SHAPES, kb.notes_by_iri(), engine="pyshacl"))


def test_the_notes_are_indexed_only_when_a_shape_is_violated():
    clean = _kb(VALID)
    assert validate(clean.graph, SHAPES, lambda: pytest.fail("indexed for nothing")) == []
    kb = _kb(SHACL_VAULT)
    assert validate(kb.graph, SHAPES, kb.notes_by_iri) == validate(kb.graph, SHAPES, kb.notes_by_iri())
