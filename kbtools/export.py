"""Serialise the graph to files, atomically: a failure leaves no half-written file behind."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from .atomic import write_atomic

# format name → (file suffix, how to serialise)
FORMATS: dict[str, str] = {"ttl": "kb.ttl", "jsonld": "kb.jsonld", "nt": "kb.nt"}


def serialize(graph: Graph, fmt: str, context: dict | None = None) -> bytes:
    """Bytes of the graph in one of :data:`FORMATS`."""
    if fmt == "ttl":
        # Oxigraph's serialiser is much faster than rdflib's pure-Python one; prefixes stay.
        return graph.serialize(format="ox-turtle", encoding="utf-8")
    if fmt == "nt":
        return graph.serialize(format="ox-nt", encoding="utf-8")
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=context, auto_compact=bool(context), indent=1, encoding="utf-8")
    raise ValueError(f"unknown export format {fmt!r}")


def load_context(ontology_dir: Path) -> dict | None:
    path = ontology_dir / "context.jsonld"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


def export(graph: Graph, out_dir: Path, formats: list[str], context: dict | None = None) -> list[Path]:
    """Write each format into ``out_dir``. All serialisations happen before any file is replaced."""
    payloads = {fmt: serialize(graph, fmt, context) for fmt in formats}
    written = []
    for fmt, data in payloads.items():
        target = out_dir / FORMATS[fmt]
        write_atomic(target, data)
        written.append(target)
    return written
