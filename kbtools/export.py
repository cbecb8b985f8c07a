"""Serialise the graph to files, atomically: a failure leaves no half-written file behind, and the
formats of one export always come from the same run (:func:`kbtools.atomic.write_atomic_group`)."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from .atomic import remove_stale, write_atomic_group
from .diagnostics import Diagnostic, KBError, os_error

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
    """The ``@context`` of ``ontology/context.jsonld`` (None without the file); KB606 when it cannot be read as one."""
    path = ontology_dir / "context.jsonld"
    if not path.is_file():
        return None
    try:
        context = json.loads(path.read_text(encoding="utf-8"))["@context"]
    except json.JSONDecodeError as exc:
        raise KBError(Diagnostic(str(path), exc.lineno, exc.colno, "KB606", f"cannot parse the JSON-LD context: {exc.msg}")) from None
    except (UnicodeDecodeError, KeyError, TypeError) as exc:
        raise KBError(Diagnostic(str(path), 1, 1, "KB606", f"not a JSON-LD context ({type(exc).__name__}: {exc})")) from None
    if not isinstance(context, dict | list | str):
        raise KBError(Diagnostic(str(path), 1, 1, "KB606", "not a JSON-LD context: @context is not an object, a list or an IRI"))
    return context


def export(graph: Graph, out_dir: Path, formats: list[str], context: dict | None = None) -> list[Path]:
    """Write each format into ``out_dir`` (created if missing) and return the paths written.

    All serialisations happen first, then all files are written as temporary files and renamed
    together; temporary files left by a killed export are removed first. Raises :class:`KBError`:
    KB602 when ``out_dir`` (or a folder above it) is a file, KB603 when the disk is full, KB601
    for any other write failure (permission, read-only file system, name too long…).
    """
    payloads = {fmt: serialize(graph, fmt, context) for fmt in formats}
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise KBError(Diagnostic(str(out_dir), 1, 1, "KB602", "the export folder is a file", "give a folder with -o, or - for standard output"))
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise KBError(Diagnostic(str(out_dir), 1, 1, "KB602", "a part of the export folder's path is a file", "give a folder with -o")) from None
    except OSError as exc:
        raise KBError(os_error(exc, out_dir, writing=True)) from None
    remove_stale(out_dir)
    try:
        return write_atomic_group({out_dir / FORMATS[fmt]: data for fmt, data in payloads.items()})
    except OSError as exc:
        raise KBError(os_error(exc, out_dir, writing=True)) from None
