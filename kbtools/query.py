"""SPARQL on the knowledge base: named queries, local execution on Oxigraph, result formats.

Results of every origin (the local store, a remote endpoint) are held in the shape of the
SPARQL 1.1 JSON results format, so one set of renderers serves them all.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .diagnostics import Diagnostic, KBError
from .vocab import PREFIXES

_UPDATE_WORDS = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)
_QUERY_WORDS = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_COMMENT = re.compile(r"#[^\n]*")
_STRING = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\s]*>", re.S)
_SYNTAX_POS = re.compile(r"error at (\d+):(\d+)")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    path: Path


@dataclass
class Result:
    """A query result: ``vars`` and ``rows`` (SELECT), ``boolean`` (ASK) or ``graph`` (CONSTRUCT)."""

    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, dict]] = field(default_factory=list)  # var → SPARQL-JSON term
    boolean: bool | None = None
    graph: str | None = None  # N-Triples / Turtle text of a CONSTRUCT or DESCRIBE

    def to_json(self) -> dict:
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        return {"head": {"vars": self.vars}, "results": {"bindings": self.rows}}


def load_named_queries(folder: Path) -> dict[str, NamedQuery]:
    """``*.rq`` files whose leading comments give ``title:`` and ``description:`` (in French)."""
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta: dict[str, str] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, sep, value = line.lstrip("# ").partition(":")
            if sep and key.strip() in ("title", "description"):
                meta[key.strip()] = (meta.get(key.strip(), "") + " " + value.strip()).strip()
        queries[path.stem] = NamedQuery(path.stem, meta.get("title", path.stem), meta.get("description", ""), text, path)
    return queries


def is_update(text: str) -> bool:
    """Whether the request is a SPARQL Update (strings, IRIs and comments ignored)."""
    bare = _COMMENT.sub(" ", _STRING.sub(" ", text))
    update = _UPDATE_WORDS.search(bare)
    query = _QUERY_WORDS.search(bare)
    if update is None:
        return False
    # DELETE/INSERT … WHERE { SELECT … } still starts with the update word.
    return query is None or update.start() < query.start()


def refuse_update(text: str, source: str) -> None:
    if is_update(text):
        raise KBError(Diagnostic(source, 1, 1, "KB302", "this is a SPARQL Update; queries are read-only", "add --allow-update to modify the graph"))


def run_local(graph: Graph, text: str, source: str = "<query>", allow_update: bool = False) -> Result:
    """Run a query (or, when allowed, an update) on the graph's Oxigraph store."""
    store: ox.Store = graph.store._inner  # the rdflib graph is backed by this store
    try:
        if is_update(text):
            if not allow_update:
                refuse_update(text, source)
            store.update(text, prefixes=PREFIXES)
            return Result(vars=["status"], rows=[{"status": {"type": "literal", "value": "mise à jour appliquée au graphe en mémoire"}}])
        answer = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise KBError(syntax_diagnostic(str(exc), source, text)) from None
    except OSError as exc:  # evaluation errors (e.g. SERVICE unreachable)
        raise KBError(Diagnostic(source, 1, 1, "KB301", f"query failed: {exc}")) from None
    if isinstance(answer, ox.QueryBoolean):
        return Result(boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return Result(graph=answer.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
    data = json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON))
    return Result(vars=data["head"]["vars"], rows=data["results"]["bindings"])


def syntax_diagnostic(message: str, source: str, text: str = "") -> Diagnostic:
    """Oxigraph says ``error at LINE:COL: expected …``; keep the position, shorten the list."""
    m = _SYNTAX_POS.search(message)
    line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
    detail = " ".join(_SYNTAX_POS.sub("", message).strip(" :").split()) or message
    if len(detail) > 120:
        detail = detail[:117].rsplit(",", 1)[0] + ", …"
    lines = text.splitlines()
    near = lines[line - 1][max(0, col - 21) : col + 20].strip() if 0 < line <= len(lines) else ""
    return Diagnostic(source, line, col, "KB301", f"SPARQL syntax error: {detail}", f"near «{near}»" if near else "")


# ---------- rendering ----------


def term_text(term: dict | None, compact: bool = True) -> str:
    """A readable form of a SPARQL-JSON term (prefixed IRIs in tables)."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return _compact(term["value"]) if compact else term["value"]
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return term["value"]


def _compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def render(result: Result, fmt: str) -> str:
    if result.graph is not None:
        return result.graph
    if fmt == "json":
        return json.dumps(result.to_json(), ensure_ascii=False, indent=2)
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in result.vars)]
        lines += ["\t".join(_tsv_term(row.get(v)) for v in result.vars) for row in result.rows]
        return "\n".join(lines)
    return _table(result)


def _csv(result: Result) -> str:
    """SPARQL 1.1 CSV: plain values, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([term_text(row.get(v), compact=False) for v in result.vars])
    return out.getvalue().rstrip("\r\n")


def _tsv_term(term: dict | None) -> str:
    """SPARQL 1.1 TSV: terms in Turtle/N-Triples syntax."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return "_:" + term["value"]
    value = term["value"].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    if "xml:lang" in term:
        return f'"{value}"@{term["xml:lang"]}'
    if "datatype" in term:
        return f'"{value}"^^<{term["datatype"]}>'
    return f'"{value}"'


def _table(result: Result) -> str:
    """An aligned plain-text table, then the row count."""
    header = result.vars
    body = [[term_text(row.get(v)).replace("\n", " ") for v in header] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    n = len(body)
    lines.append(f"({n} résultat{'s' if n != 1 else ''})")
    return "\n".join(lines)
