"""Talk to any SPARQL 1.1 server: queries, updates, and the Graph Store Protocol for ``kb push``."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from .diagnostics import Diagnostic, KBError
from .query import Result, is_update
from .vocab import sparql_prologue

TIMEOUT_S = 60


def _request(url: str, data: bytes | None, headers: dict[str, str], method: str) -> tuple[str, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            return resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise KBError(Diagnostic(url, 1, 1, "KB303", f"server answered {exc.code} {exc.reason}", detail[0][:300] if detail else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise KBError(Diagnostic(url, 1, 1, "KB303", f"cannot reach the SPARQL server: {reason}", "is the server running and the URL right?")) from None


def with_prologue(text: str) -> str:
    """Declare the usual prefixes for servers that do not know them (redeclaring is harmless)."""
    return sparql_prologue() + text


def remote_query(endpoint: str, text: str) -> Result:
    """SPARQL Protocol query by POST; SELECT/ASK as JSON results, CONSTRUCT as N-Triples."""
    body = urllib.parse.urlencode({"query": with_prologue(text)}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
    }
    ctype, payload = _request(endpoint, body, headers, "POST")
    if "json" in ctype:
        data = json.loads(payload)
        if "boolean" in data:
            return Result(boolean=bool(data["boolean"]))
        return Result(vars=data["head"].get("vars", []), rows=data["results"]["bindings"])
    return Result(graph=payload.decode("utf-8"))


def remote_update(endpoint: str, text: str) -> Result:
    body = urllib.parse.urlencode({"update": with_prologue(text)}).encode()
    _request(endpoint, body, {"Content-Type": "application/x-www-form-urlencoded"}, "POST")
    return Result(vars=["status"], rows=[{"status": {"type": "literal", "value": "mise à jour envoyée"}}])


def remote(endpoint: str, text: str) -> Result:
    return remote_update(endpoint, text) if is_update(text) else remote_query(endpoint, text)


def push(store_url: str, ntriples: bytes, graph_iri: str | None) -> str:
    """Replace a named graph (or the default graph) with the Graph Store Protocol's PUT."""
    sep = "&" if "?" in store_url else "?"
    target = store_url + sep + (urllib.parse.urlencode({"graph": graph_iri}) if graph_iri else "default")
    _request(target, ntriples, {"Content-Type": "application/n-triples"}, "PUT")
    return target
