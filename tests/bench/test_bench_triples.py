"""Benchmark results in the graph: one kb:BenchmarkResult per task × variant × device, linked to
the framework notes, declared in the ontology, and answering the named query."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kbtools.bench import bench_triples
from kbtools.bench.names import FRAMEWORKS
from kbtools.config import load_config
from kbtools.graph import OxTerms
from kbtools.pipeline import build_knowledge_base
from kbtools.query import load_named_queries, run_local
from kbtools.vocab import KB
from tests.kbtest import ROOT

CONFIG = load_config(config_file=ROOT / "mkdocs.yml")
# The project's vault, without the committed results the pipeline would add: the tests add their own.
VAULT_ONLY = replace(CONFIG, bench_dir=None)
PAGE = "https://kb-dl.github.io/benchmarks/cpu-test-cpu-r-9000/"


def _graph(triples) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add(t)
    return graph


def test_one_result_per_task_and_variant_tiny_runs_left_out(results_dir):
    graph = _graph(bench_triples(results_dir, CONFIG))
    results = sorted(str(s) for s in graph.subjects(RDF.type, KB.BenchmarkResult))
    assert results == sorted(f"{PAGE}#{k}" for k in ("mlp-numpy", "mlp-torch-eager", "mlp-jax-jit", "gru-torch-eager", "gru-jax-jit"))


def test_values_are_the_aggregates(results_dir):
    graph = _graph(bench_triples(results_dir, CONFIG))
    node = URIRef(f"{PAGE}#mlp-numpy")

    def value(prop):
        (found,) = list(graph.objects(node, KB[prop]))
        return found

    assert value("medianStepMs") == Literal("4.5000", datatype=XSD.decimal)
    assert value("latencyBatch1Ms") == Literal("0.0600", datatype=XSD.decimal)
    assert value("latencyBatch256Ms") == Literal("1.1000", datatype=XSD.decimal)
    assert value("peakMemoryMB") == Literal("305.0000", datatype=XSD.decimal)
    assert value("accuracy") == Literal("0.9000", datatype=XSD.decimal)
    assert value("measuredOn") == Literal("2026-11-20", datatype=XSD.date)
    assert (str(value("framework")), str(value("variant")), str(value("task")), str(value("device"))) == ("NumPy", "numpy", "mlp", "cpu")
    assert value("benchmarkOf") == URIRef("https://kb-dl.github.io/frameworks/numpy/")


def test_results_link_to_the_framework_notes_of_the_vault(results_dir):
    kb = build_knowledge_base(VAULT_ONLY, extra_triples=bench_triples(results_dir, CONFIG))
    targets = set(kb.graph.objects(None, KB.benchmarkOf))
    assert len(targets) == 3
    for target in targets:  # NumPy's note is a library, the others are frameworks
        assert {(target, RDF.type, KB.Framework), (target, RDF.type, KB.Library)} & set(kb.graph.triples((target, RDF.type, None))), target
    by_path = {n.path: n for n in kb.notes}
    for note in FRAMEWORKS.values():
        assert by_path[note.path].title == note.title and by_path[note.path].type in ("framework", "library")


def test_every_kb_term_used_is_declared_in_the_ontology(results_dir):
    ontology = Graph().parse(ROOT / "ontology" / "kb.ttl")
    used = {p for _, p, _ in bench_triples(results_dir, CONFIG) if str(p).startswith(str(KB))} | {KB.BenchmarkResult}
    undeclared = [t for t in used if (t, None, None) not in ontology]
    assert undeclared == []
    for term in used:
        labels = {lit.language for lit in ontology.objects(term, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
        assert {"fr", "en"} <= labels, term


def test_oxigraph_terms_give_the_same_triples(results_dir):
    assert len(bench_triples(results_dir, CONFIG, OxTerms())) == len(bench_triples(results_dir, CONFIG))


def test_named_query_finds_the_fastest_batch1_inference(results_dir):
    kb = build_knowledge_base(VAULT_ONLY, extra_triples=bench_triples(results_dir, CONFIG))
    query = load_named_queries(ROOT / "ontology" / "queries")["fastest-inference-cpu"]
    rows = run_local(kb.graph, query.text, "fastest-inference-cpu").rows
    found = {(r["tache"]["value"], r["variante"]["value"], r["suivante"]["value"]) for r in rows}
    # mlp: jax-jit 0.025 ms, then torch-eager 0.05; gru: torch-eager 0.25 ms, then jax-jit 0.45
    assert found == {("mlp", "jax-jit", "torch-eager"), ("gru", "torch-eager", "jax-jit")}
    assert query.title == "Quel framework est le plus rapide en inférence batch 1 sur CPU ?"


def test_the_project_graph_carries_the_committed_results():
    kb = build_knowledge_base(CONFIG)
    assert CONFIG.bench_dir is not None
    assert set(kb.graph.subjects(RDF.type, KB.BenchmarkResult)), "no benchmark result in the project's graph"
