"""Benchmark results as RDF: one ``kb:BenchmarkResult`` per task × variant × device, linked to the note
of the framework it measures, for the pipeline's ``extra_triples``."""

from __future__ import annotations

from pathlib import Path

from rdflib.namespace import RDF, RDFS, XSD

from ..config import VaultConfig
from ..graph import RdflibTerms, Triple
from ..ids import concept_iri, page_url
from ..vocab import KB
from .aggregate import summaries
from .names import FRAMEWORKS, KIND_NAMES, device_page_path
from .results import load_all

# Summary field → kb: property; decimals with a fixed number of places so that the graph is stable.
MEASURES = {
    "step_median_ms": "medianStepMs",
    "step_iqr_ms": "stepIqrMs",
    "samples_per_s": "samplesPerSecond",
    "first_step_ms": "firstStepMs",
    "import_s": "importSeconds",
    "latency_b1_ms": "latencyBatch1Ms",
    "latency_b256_ms": "latencyBatch256Ms",
    "accuracy": "accuracy",
}


def _decimal(value: float) -> str:
    return f"{value:.4f}"


def bench_triples(results_dir: str | Path, config: VaultConfig, terms=None) -> list[Triple]:
    """Triples of every result file of ``results_dir`` (tiny smoke runs left out).

    ``terms`` makes the terms (:class:`kbtools.graph.RdflibTerms`, the default, for
    ``build_knowledge_base(extra_triples=…)``; or :class:`kbtools.graph.OxTerms`). A result's IRI is
    its row on the device's page: ``<site>/benchmarks/<device-slug>/#<task>-<variant>``.
    """
    terms = terms or RdflibTerms()
    i, lit = terms.iri, terms.lit
    a, label, see_also = i(str(RDF.type)), i(str(RDFS.label)), i(str(RDFS.seeAlso))
    cls, decimal, date = i(str(KB.BenchmarkResult)), str(XSD.decimal), str(XSD.date)

    def address(path: str) -> str:
        return concept_iri(config.site_url, page_url(path, config.use_directory_urls))

    out: list[Triple] = []
    for result in load_all(results_dir):
        device = result.doc["device"]
        page = address(device_page_path(device["slug"]))
        measured_on = lit(result.doc["measured_on"], datatype=date)
        use_device_memory = device["kind"] == "gpu"
        for s in summaries(result.doc):
            if not s.ok:
                continue
            framework = FRAMEWORKS[s.framework]
            node = i(f"{page}#{s.task}-{s.variant}")
            out += [
                (node, a, cls),
                (node, label, lit(f"{s.task} — {s.variant} — {KIND_NAMES[device['kind']]} {device['name']}", lang="fr")),
                (node, i(str(KB.framework)), lit(framework.name)),
                (node, i(str(KB.variant)), lit(s.variant)),
                (node, i(str(KB.task)), lit(s.task)),
                (node, i(str(KB.device)), lit(device["kind"])),
                (node, i(str(KB.deviceName)), lit(device["name"])),
                (node, i(str(KB.measuredOn)), measured_on),
                (node, i(str(KB.benchmarkOf)), i(address(framework.path))),
                (node, see_also, i(page)),
            ]
            for field, prop in MEASURES.items():
                value = getattr(s, field)
                if value is not None:
                    out.append((node, i(str(KB[prop])), lit(_decimal(value), datatype=decimal)))
            memory = s.device_peak_mb if use_device_memory and s.device_peak_mb is not None else s.peak_rss_mb
            if memory is not None:
                out.append((node, i(str(KB.peakMemoryMB)), lit(_decimal(memory), datatype=decimal)))
    return out
