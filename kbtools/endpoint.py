"""Talk to any SPARQL 1.1 server: queries, updates, and the Graph Store Protocol for ``kb push``.

A server is a stranger: only ``http://`` and ``https://`` URLs are accepted; every exchange has one
deadline for connecting, sending and reading the whole answer (a watchdog closes the socket, so a
server that trickles bytes cannot hold the command); answers are read up to a size cap; a query
answer must be SPARQL results (JSON, XML, TSV) or RDF of a declared media type, and is parsed by
Oxigraph before it is shown. Every failure is one KB303 diagnostic.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import urllib.parse
from dataclasses import dataclass

import pyoxigraph as ox

from .diagnostics import Diagnostic, KBError
from .query import QUERY, UNKNOWN, UPDATE, Result, check_request
from .timelimit import ChildFailed, TimeLimitExceeded, run_with_time_limit
from .vocab import sparql_prologue

DEFAULT_TIMEOUT_S = 30.0
PUSH_TIMEOUT_S = 120.0
DEFAULT_MAX_BYTES = 64 * 2**20
_ERROR_BODY_BYTES = 64 * 2**10
_HTML = ("text/html", "application/xhtml+xml")
ACCEPT_QUERY = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8, "
    "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    media_type: str  # lower case, without parameters; "" when the server sent none
    body: bytes


def _fail(url: str, message: str, hint: str = "") -> KBError:
    return KBError(Diagnostic(url, 1, 1, "KB303", message, hint))


def check_url(url: str) -> urllib.parse.SplitResult:
    """The parts of an ``http(s)://host[:port]/path`` URL; anything else (``file:``, no host, bad port) is KB303."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as exc:
        raise _fail(url, f"not a valid URL: {exc}", "give an http:// or https:// URL, e.g. http://127.0.0.1:7878/query") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(url, "the endpoint must be an http:// or https:// URL", "e.g. http://127.0.0.1:7878/query")
    return parts


def exchange(url: str, method: str, body: bytes | None, headers: dict[str, str], *, timeout: float, max_bytes: int) -> Answer:
    """One HTTP request, its 2xx answer read whole within ``timeout`` seconds and ``max_bytes`` bytes.

    Redirects are not followed (KB303 names the target); a 4xx/5xx answer is KB303 with the first
    line of its text. The deadline covers connect, send and every read: a watchdog thread shuts
    the socket down when it passes.
    """
    parts = check_url(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname, parts.port, timeout=timeout)
    expired = threading.Event()

    def watchdog() -> None:
        expired.set()
        if conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(timeout, watchdog)
    timer.daemon = True
    timer.start()
    late = _fail(url, f"no complete answer from the SPARQL server within {timeout:g} s",
                 "a slow or overloaded server; allow more time with --timeout SECONDS")
    try:
        conn.request(method, target, body=body, headers=headers)
        resp = conn.getresponse()
        media_type = resp.getheader("Content-Type", "").split(";")[0].strip().lower()
        if not 200 <= resp.status < 300:
            error = _status_error(url, resp, media_type)
            raise late if expired.is_set() else error
        answer = Answer(resp.status, media_type, _read_capped(url, resp, max_bytes))
    except KBError:
        if expired.is_set():  # the cut socket reads as an early end: headers or body cut short
            raise late from None
        raise
    except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
        if expired.is_set() or isinstance(exc, TimeoutError | socket.timeout):
            raise late from None
        reason = getattr(exc, "reason", None) or exc
        raise _fail(url, f"cannot reach the SPARQL server: {reason}", "is the server running and the URL right?") from None
    finally:
        timer.cancel()
        conn.close()
    if expired.is_set():
        raise late
    return answer


def _read_capped(url: str, resp: http.client.HTTPResponse, max_bytes: int) -> bytes:
    declared = resp.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(url, max_bytes)
    chunks, size = [], 0
    while chunk := resp.read(1 << 16):
        size += len(chunk)
        if size > max_bytes:
            raise _too_big(url, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(url: str, max_bytes: int) -> KBError:
    return _fail(url, f"the answer is larger than {max_bytes / 2**20:g} MB", "add LIMIT to the query, or raise --max-answer-mb")


def _status_error(url: str, resp: http.client.HTTPResponse, media_type: str) -> KBError:
    if 300 <= resp.status < 400:
        where = resp.getheader("Location", "")
        return _fail(url, f"server answered {resp.status} {resp.reason}: it redirects to {where or 'elsewhere'}",
                     "give the final URL; redirects are not followed")
    text = resp.read(_ERROR_BODY_BYTES).decode("utf-8", "replace")
    if media_type in _HTML:
        detail = "an HTML page: is this the SPARQL endpoint's URL?"
    else:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        detail = lines[0][:300] if lines else ""
    return _fail(url, f"server answered {resp.status} {resp.reason}", detail)


def with_prologue(text: str) -> str:
    """Declare the usual prefixes for servers that do not know them (redeclaring is harmless)."""
    return sparql_prologue() + text


def parse_answer(url: str, answer: Answer) -> Result:
    """A query answer as a :class:`Result`: SPARQL results (JSON, XML, TSV) or RDF, parsed by Oxigraph.

    Raises KB303 for an HTML page, a media type that is neither, or a body its parser refuses
    (bad JSON, no ``head``, not UTF-8, truncated…).
    """
    if answer.media_type in _HTML:
        raise _fail(url, "the endpoint answered an HTML page, not SPARQL results", "is the URL the SPARQL endpoint (e.g. …/query), not a web page?")
    results = rdf = None
    if answer.media_type == "text/plain":  # N-Triples as older servers label it
        rdf = ox.RdfFormat.N_TRIPLES
    elif answer.media_type:
        results = ox.QueryResultsFormat.from_media_type(answer.media_type)
        rdf = None if results is not None else ox.RdfFormat.from_media_type(answer.media_type)
    if results is None and rdf is None:
        raise _fail(url, f"the endpoint answered {answer.media_type or 'without a Content-Type'}, not SPARQL results",
                    "is the URL the SPARQL endpoint (e.g. …/query)?")
    try:
        if results is not None:
            if results == ox.QueryResultsFormat.CSV:
                raise SyntaxError("CSV results lose the kind of each term; ask the server for JSON")
            parsed = ox.parse_query_results(answer.body, results)
            if isinstance(parsed, ox.QueryBoolean):
                return Result(boolean=bool(parsed))
            return Result.from_json(parsed.serialize(format=ox.QueryResultsFormat.JSON))
        assert rdf is not None
        triples = [quad.triple for quad in ox.parse(answer.body, format=rdf, base_iri=url)]
        return Result(graph=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
    except (SyntaxError, ValueError, OSError, UnicodeDecodeError) as exc:
        name = results.name if results is not None else rdf.name  # type: ignore[union-attr]
        message = " ".join(str(exc).split())[:200]
        raise _fail(url, f"the endpoint's answer is not valid {name}: {message}") from None


def remote_query(endpoint: str, text: str, *, timeout: float = DEFAULT_TIMEOUT_S, max_bytes: int = DEFAULT_MAX_BYTES) -> Result:
    """SPARQL Protocol query by POST; SELECT/ASK results and CONSTRUCT graphs, checked (see :func:`parse_answer`)."""
    body = urllib.parse.urlencode({"query": with_prologue(text)}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT_QUERY}
    return parse_answer(endpoint, exchange(endpoint, "POST", body, headers, timeout=timeout, max_bytes=max_bytes))


def remote_update(endpoint: str, text: str, *, timeout: float = DEFAULT_TIMEOUT_S) -> Result:
    """SPARQL Protocol update by POST; any 2xx answer means done (its body, often HTML, is not shown)."""
    body = urllib.parse.urlencode({"update": with_prologue(text)}).encode()
    exchange(endpoint, "POST", body, {"Content-Type": "application/x-www-form-urlencoded"}, timeout=timeout, max_bytes=_ERROR_BODY_BYTES * 16)
    return Result(vars=["status"], rows=[{"status": {"type": "literal", "value": "mise à jour envoyée"}}])


def remote(
    endpoint: str, text: str, source: str = "<query>", *, allow_update: bool = False,
    timeout: float = DEFAULT_TIMEOUT_S, max_bytes: int = DEFAULT_MAX_BYTES,
) -> Result:  # fmt: skip
    """Send ``text`` as ``update=`` when the parsers say it is an update (KB302 without ``allow_update``),
    else as ``query=``; SERVICE and LOAD are the server's business. Telling which (KB305 past
    ``timeout``), then the exchange (KB303 past ``timeout``), each end within ``timeout`` seconds."""
    check_url(endpoint)
    try:
        request = run_with_time_limit(lambda: check_request(text, source, allow_update=allow_update), timeout)
    except TimeLimitExceeded:
        raise KBError(Diagnostic(source, 1, 1, "KB305", f"could not tell within {timeout:g} s whether this is a query or an update",
                                 "allow more time with --timeout SECONDS")) from None
    except ChildFailed as exc:
        raise KBError(Diagnostic(source, 1, 1, "KB301", f"cannot read the request: {str(exc).splitlines()[0]}")) from None
    if request.kind == UPDATE:
        return remote_update(endpoint, text, timeout=timeout)
    assert request.kind in (QUERY, UNKNOWN)  # a text neither parser takes: the server says why
    return remote_query(endpoint, text, timeout=timeout, max_bytes=max_bytes)


def push(store_url: str, ntriples: bytes, graph_iri: str | None, *, timeout: float = PUSH_TIMEOUT_S) -> str:
    """Replace a named graph (or the default graph) with the Graph Store Protocol's PUT."""
    check_url(store_url)
    sep = "&" if "?" in store_url else "?"
    target = store_url + sep + (urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default")
    exchange(target, "PUT", ntriples, {"Content-Type": "application/n-triples"}, timeout=timeout, max_bytes=_ERROR_BODY_BYTES * 16)
    return target
