"""SPARQL on the knowledge base: named queries, local execution on Oxigraph, result formats.

Results of every origin (the local store, a remote endpoint) are held in the shape of the
SPARQL 1.1 JSON results format, so one set of renderers serves them all.

Safety of local execution (``kb query`` runs text typed by anyone):

- what a request *is* (query or update) is decided by Oxigraph's own parsers: the query parser
  first, on the store; if it refuses the text, the update parser, on an empty throw-away store;
  keywords are never guessed from the text;
- ``SERVICE`` and ``LOAD`` are found by a SPARQL tokenizer (strings, comments, IRIs, variables and
  prefixed names are whole tokens, ``\\u`` escapes expanded first, so it errs towards finding them);
  ``LOAD`` is never run locally (no download) and ``SERVICE`` (an outgoing HTTP request from this
  machine) needs ``allow_service``; an update needs ``allow_update``;
- all of it runs in a child process killed at the time limit (:mod:`kbtools.timelimit`), so
  neither an expensive query nor a slow ``SERVICE`` can hang the command, and Ctrl-C stops it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .diagnostics import Diagnostic, KBError
from .timelimit import ChildFailed, TimeLimitExceeded, run_with_time_limit
from .vocab import PREFIXES

_SYNTAX_POS = re.compile(r"error at (\d+):(\d+)")

DEFAULT_TIMEOUT_S = 30.0
QUERY, UPDATE, UNKNOWN = "query", "update", "unknown"

# SPARQL tokens: comments, strings, IRIs, variables and prefixed names are whole tokens, so only a
# bare keyword is a "word"; "service:x", "?load", <http://x/SERVICE> or "LOAD" in a string are not.
_TOKEN = re.compile(
    "|".join(
        (
            r"#[^\n\r]*",
            r"'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',
            r"'(?:[^'\\\n\r]|\\.)*'",
            r'"(?:[^"\\\n\r]|\\.)*"',
            r"<[^<>\"{}|^`\\\x00-\x20]*>",
            r"[?$]\w+",
            r"(?:[^\W\d][\w.-]*)?:(?:[\w:%.-]|\\.)*",
            r"(?P<word>[^\W\d]\w*)",
            r"\S",
        )
    ),
    re.S,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class Request:
    """What a SPARQL text is: ``kind`` is QUERY, UPDATE or UNKNOWN (a syntax error for both parsers)."""

    kind: str
    service: bool = False
    load: bool = False


def keywords(text: str) -> set[str]:
    """The bare words of a SPARQL text, upper-cased (see ``_TOKEN``); SPARQL's ``\\uXXXX`` escapes
    are expanded first, as the grammar says they are before parsing."""
    expanded = _CODEPOINT.sub(lambda m: _codepoint(m.group(1) or m.group(2)), text)
    return {m.group("word").upper() for m in _TOKEN.finditer(expanded) if m.group("word")}


def tokens(text: str) -> Iterator[re.Match[str]]:
    """The SPARQL tokens of ``text``, as :func:`keywords` reads them (no ``\\uXXXX`` expansion):
    comments, strings, IRIs, variables and prefixed names are whole tokens; the group ``word``
    holds a bare keyword; any other character is a token of its own. Whitespace is skipped."""
    return _TOKEN.finditer(text)


def _codepoint(hex_digits: str) -> str:
    value = int(hex_digits, 16)
    return chr(value) if value <= 0x10FFFF else "\ufffd"


def classify(text: str) -> Request:
    """Query, update or neither, by a parser; ``SERVICE``/``LOAD`` by :func:`keywords`.

    Without ``SERVICE`` or ``LOAD`` in the text, Oxigraph decides on an empty in-memory store
    (nothing to read, nothing to change, no network). With them, running even on an empty store
    could reach the network, so rdflib's SPARQL 1.1 grammar decides instead (slower: about
    30 µs per character). Prefixes of :data:`PREFIXES` need not be declared.
    """
    words = keywords(text)
    service, load = "SERVICE" in words, "LOAD" in words
    kind = _grammar_kind(text) if service or load else _engine_kind(text)
    return Request(kind, service, load)


def _engine_kind(text: str) -> str:
    for kind, run in ((QUERY, ox.Store().query), (UPDATE, ox.Store().update)):
        try:
            run(text, prefixes=PREFIXES)
        except SyntaxError:
            continue
        except Exception:  # it parsed; evaluating it on an empty store failed, which says nothing here
            pass
        return kind
    return UNKNOWN


def _grammar_kind(text: str) -> str:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    for kind, parse in ((QUERY, parseQuery), (UPDATE, parseUpdate)):
        try:
            parse(text)
        except Exception:  # pyparsing errors, deep nesting, bad terms: not this kind
            continue
        return kind
    return UNKNOWN


def is_update(text: str) -> bool:
    """Whether the request is a SPARQL Update, by the parsers (see :func:`classify`)."""
    return classify(text).kind == UPDATE


def check_request(text: str, source: str, *, allow_update: bool) -> Request:
    """:func:`classify`, then KB302 for an update without ``allow_update``."""
    request = classify(text)
    if request.kind == UPDATE and not allow_update:
        refuse_update(source)
    return request


def _refuse_network(text: str, source: str, allow_service: bool) -> None:
    """Locally: KB307 for ``LOAD`` (always), KB306 for ``SERVICE`` without ``allow_service``."""
    words = keywords(text)
    if "LOAD" in words:
        raise KBError(Diagnostic(source, 1, 1, "KB307", "LOAD is not run on the local graph: kb query never downloads data",
                                 "add the data to the vault, or send the update to a server with --endpoint"))
    if "SERVICE" in words and not allow_service:
        raise KBError(Diagnostic(source, 1, 1, "KB306", "SERVICE would send a request from this machine to another server",
                                 "add --allow-service if you trust that server"))


def refuse_update(source: str) -> None:
    """Raise KB302: the request is an update and updates were not allowed."""
    raise KBError(Diagnostic(source, 1, 1, "KB302", "this is a SPARQL Update; queries are read-only", "add --allow-update to modify the graph"))


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

    @classmethod
    def from_json(cls, data: bytes | str) -> Result:
        """From SPARQL 1.1 JSON results (as Oxigraph writes them: ``head`` and ``results`` or ``boolean``)."""
        doc = json.loads(data)
        if "boolean" in doc:
            return cls(boolean=bool(doc["boolean"]))
        return cls(vars=doc["head"].get("vars", []), rows=doc["results"]["bindings"])


UPDATED = Result(vars=["status"], rows=[{"status": {"type": "literal", "value": "mise à jour appliquée au graphe en mémoire"}}])


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


class QueryMemo:
    """Answers of read-only queries kept while the graph they ran on has the same content.

    ``mkdocs serve`` prepares the site again at each save: a note's body edited, the graph is the
    same, and its questions need not run again. Inside ``with memo.active():`` :func:`run_local`
    looks a read-only query up by (content digest of the store, query text, source, options) and
    stores what it returns or raises. The digest (:func:`kbtools.graph.content_digest`, ~30 ms per
    1,000 notes) is computed again when the store or its number of quads changes: the graph may be
    added to between two queries of one build, not edited in place. Answers no query of the last
    ``with`` block asked for are dropped at its end.
    """

    def __init__(self) -> None:
        self.results: dict[tuple, Result | KBError] = {}
        self.used: set[tuple] = set()
        self.hits = 0
        self._state: tuple[int, int] | None = None
        self._digest = ""

    @contextmanager
    def active(self) -> Iterator[QueryMemo]:
        token = _MEMO.set(self)
        self.used, self.hits = set(), 0
        try:
            yield self
        finally:
            _MEMO.reset(token)
            self.results = {k: v for k, v in self.results.items() if k in self.used}

    def digest(self, store: ox.Store) -> str:
        from .graph import content_digest

        state = (id(store), len(store))
        if state != self._state:
            self._digest, self._state = content_digest(store), state
        return self._digest


_MEMO: ContextVar[QueryMemo | None] = ContextVar("kb_query_memo", default=None)


def graph_digest(graph: Graph) -> str:
    """The content digest of ``graph`` (:func:`kbtools.graph.content_digest`), through the active
    :class:`QueryMemo` when there is one (it keeps the digest while the store and its size are the same)."""
    from .graph import content_digest

    store: ox.Store = graph.store._inner
    memo = _MEMO.get()
    return memo.digest(store) if memo is not None else content_digest(store)


def run_local(
    graph: Graph,
    text: str,
    source: str = "<query>",
    allow_update: bool = False,
    *,
    allow_service: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT_S,
) -> Result:
    """Run a query (or, when allowed, an update) on the graph's Oxigraph store, within ``timeout`` seconds.

    Checks, parsing and evaluation happen in a child process (:func:`run_with_time_limit`) that
    works on a copy-on-write image of the store; an update is applied to ``graph`` only after it
    finished there in time (so it runs twice). ``timeout=None`` runs everything in this process, without a limit.
    Raises :class:`KBError`: KB301 syntax or evaluation error, KB302 update refused, KB305 time
    limit, KB306 SERVICE refused, KB307 LOAD refused.
    """
    store: ox.Store = graph.store._inner  # the rdflib graph is backed by this store
    memo = _MEMO.get()
    if memo is None or allow_update:
        return _run_local(graph, store, text, source, allow_update, allow_service, timeout)
    key = (memo.digest(store), text, source, allow_service, timeout is None)
    memo.used.add(key)
    if key in memo.results:
        memo.hits += 1
        found = memo.results[key]
        if isinstance(found, KBError):
            raise found
        return found
    try:
        result = memo.results[key] = _run_local(graph, store, text, source, allow_update, allow_service, timeout)
    except KBError as exc:
        memo.results[key] = exc
        raise
    return result


def _run_local(graph: Graph, store: ox.Store, text: str, source: str, allow_update: bool, allow_service: bool, timeout: float | None) -> Result:
    def work() -> tuple[str, bytes | str | bool | None]:
        _refuse_network(text, source, allow_service)
        return _evaluate(store, text, source, allow_update)

    try:
        kind, payload = run_with_time_limit(work, timeout)
    except TimeLimitExceeded:
        raise KBError(Diagnostic(source, 1, 1, "KB305", f"the query ran for more than {timeout:g} s and was stopped",
                                 "simplify it, or allow more time with --timeout SECONDS")) from None
    except ChildFailed as exc:
        raise KBError(Diagnostic(source, 1, 1, "KB301", f"query failed: {str(exc).splitlines()[0]}")) from None
    if kind == "update":
        if timeout is not None:  # it ran on the child's copy; now on the graph itself
            _guarded(lambda: store.update(text, prefixes=PREFIXES), source, text)
        return UPDATED
    if kind == "boolean":
        return Result(boolean=bool(payload))
    if kind == "graph":
        assert isinstance(payload, str)
        return Result(graph=payload)
    assert isinstance(payload, bytes)
    return Result.from_json(payload)


def _evaluate(store: ox.Store, text: str, source: str, allow_update: bool) -> tuple[str, bytes | str | bool | None]:
    """Run ``text`` as a query, else (if Oxigraph's update parser takes it) as an update; the
    answer as plain data that can cross a pipe."""
    try:
        answer = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as query_error:
        # Not a query. An update? Oxigraph's update parser says, on an empty store.
        try:
            ox.Store().update(text, prefixes=PREFIXES)
        except SyntaxError as update_error:
            raise KBError(_furthest(query_error, update_error, source, text)) from None
        except Exception:  # it parsed as an update; its evaluation errors show below
            pass
        if not allow_update:
            refuse_update(source)
        _guarded(lambda: store.update(text, prefixes=PREFIXES), source, text)
        return "update", None
    except Exception as exc:  # evaluation errors (a SERVICE that failed, a store error)
        raise KBError(Diagnostic(source, 1, 1, "KB301", f"query failed: {exc}")) from None
    try:
        if isinstance(answer, ox.QueryBoolean):
            return "boolean", bool(answer)
        if isinstance(answer, ox.QueryTriples):
            return "graph", answer.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        return "select", answer.serialize(format=ox.QueryResultsFormat.JSON)
    except Exception as exc:  # SELECT is evaluated lazily, while serialising
        raise KBError(Diagnostic(source, 1, 1, "KB301", f"query failed: {exc}")) from None


def _guarded(update, source: str, text: str) -> None:
    try:
        update()
    except SyntaxError as exc:
        raise KBError(syntax_diagnostic(str(exc), source, text)) from None
    except Exception as exc:  # evaluation errors
        raise KBError(Diagnostic(source, 1, 1, "KB301", f"update failed: {exc}")) from None


def _furthest(first: SyntaxError, second: SyntaxError, source: str, text: str) -> Diagnostic:
    """Of the query parser's and the update parser's errors, the one that got further in the text."""
    a, b = syntax_diagnostic(str(first), source, text), syntax_diagnostic(str(second), source, text)
    return b if (b.line, b.col) > (a.line, a.col) else a


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
