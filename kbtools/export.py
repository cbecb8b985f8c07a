"""Serialise the graph to files, atomically: a failure leaves no half-written file behind."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

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


def write_atomic(path: Path, produce: Callable[[], bytes]) -> None:
    """Produce the content first, write it to a temporary file beside ``path``, then rename.

    If ``produce`` or the write fails, ``path`` keeps its previous content (or stays absent).
    """
    data = produce()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; exports are served by web servers
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(graph: Graph, out_dir: Path, formats: list[str], context: dict | None = None) -> list[Path]:
    """Write each format into ``out_dir``. All serialisations happen before any file is replaced."""
    payloads = {fmt: serialize(graph, fmt, context) for fmt in formats}
    written = []
    for fmt, data in payloads.items():
        target = out_dir / FORMATS[fmt]
        write_atomic(target, lambda data=data: data)
        written.append(target)
    return written
