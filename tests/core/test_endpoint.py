"""`kb push` and `kb query --endpoint` against a real Oxigraph server, and against real servers that
misbehave, all on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import ClassVar

import pytest

from kbtools.diagnostics import KBError
from kbtools.endpoint import remote
from tests.kbtest import TEST_SITE, VALID, run_kb

OXIGRAPH = shutil.which("oxigraph") or str(Path(__import__("sys").executable).parent / "oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(OXIGRAPH).exists():
        pytest.skip("the oxigraph server (pip package 'oxigraph') is not installed")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("oxigraph exited: " + proc.stderr.read().decode())
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_push_then_query_the_server(server):
    graph = "https://kb.test/graphe"
    pushed = run_kb("push", str(VALID), "--site-url", TEST_SITE, "--endpoint", server + "/store", "--graph", graph)
    assert pushed.returncode == 0, pushed.stderr
    query = f"SELECT ?t WHERE {{ GRAPH <{graph}> {{ ?n a kb:Hub ; skos:prefLabel ?t }} }}"
    remote = run_kb("query", query, "--endpoint", server + "/query", "--format", "json")
    assert remote.returncode == 0, remote.stderr
    rows = json.loads(remote.stdout)["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == ["Carrefour"]


def test_push_replaces_the_graph_rather_than_adding(server):
    graph = "https://kb.test/remplace"
    for _ in range(2):
        assert run_kb("push", str(VALID), "--site-url", TEST_SITE, "--endpoint", server + "/store", "--graph", graph).returncode == 0
    count = run_kb("query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", "--endpoint", server + "/query", "--format", "json")
    local = run_kb("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--vault", str(VALID), "--site-url", TEST_SITE, "--format", "json")
    n_remote = json.loads(count.stdout)["results"]["bindings"][0]["n"]["value"]
    n_local = json.loads(local.stdout)["results"]["bindings"][0]["n"]["value"]
    assert n_remote == n_local


def test_remote_update_needs_the_flag(server):
    refused = run_kb("query", "CLEAR ALL", "--endpoint", server + "/update")
    assert refused.returncode == 1 and "KB302" in refused.stderr


def test_unreachable_server_is_a_clear_error():
    proc = run_kb("query", "ASK { ?s ?p ?o }", "--endpoint", f"http://127.0.0.1:{_free_port()}/query")
    assert proc.returncode == 1
    assert "KB303 error: cannot reach the SPARQL server" in proc.stderr and "Traceback" not in proc.stderr


# ---------- servers that misbehave, on 127.0.0.1 ----------

GOOD = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"bon"}}]}}'
ANSWERS: dict[str, tuple[str, bytes]] = {  # path → (Content-Type, body)
    "/good": ("application/sparql-results+json", GOOD),
    "/garbage": ("application/sparql-results+json", b"{not json at all"),
    "/no-head": ("application/sparql-results+json", b'{"results":{"bindings":[]}}'),
    "/latin1": ("application/sparql-results+json", GOOD.replace(b"bon", "été".encode("latin-1"))),
    "/html": ("text/html; charset=utf-8", b"<!doctype html><html><body><h1>Bienvenue</h1></body></html>"),
    "/xml": ("application/sparql-results+xml",
             b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/></head>'
             b'<results><result><binding name="x"><literal>xml</literal></binding></result></results></sparql>'),
    "/turtle": ("text/turtle", b"@prefix x: <http://x/> . x:a x:b 'c' ."),
    "/nothing": ("", b"{}"),
}
BIG_MB = 3


class Misbehaving(http.server.BaseHTTPRequestHandler):
    """Each path misbehaves in its own way; requests are recorded as (path, form keys)."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, list[str]]]] = []

    def do_POST(self):
        try:
            self._answer()
        except OSError:  # the client hung up (size cap, deadline): that is the point
            self.close_connection = True

    def _answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.seen.append((self.path, sorted(urllib.parse.parse_qs(body))))
        if self.path == "/trickle":  # a valid status line, then one header line per second, forever
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for i in range(120):
                self.wfile.write(f"X-Slow-{i}: 1\r\n".encode())
                self.wfile.flush()
                time.sleep(1)
            return
        if self.path.startswith("/big"):  # BIG_MB of valid-looking JSON, with or without a length
            chunk = b" " * (1 << 20)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            if self.path == "/big-declared":
                self.send_header("Content-Length", str(BIG_MB << 20))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(BIG_MB):
                self.wfile.write(chunk)
            return
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/update":
            self.send_response(204)
            self.end_headers()
            return
        ctype, payload = ANSWERS[self.path]
        self.send_response(200)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def bad_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _kb303(url: str, text: str = "SELECT * WHERE { ?s ?p ?o }", **kw) -> str:
    with pytest.raises(KBError) as err:
        remote(url, text, **kw)
    [diag] = err.value.diagnostics
    assert diag.code == "KB303", diag.format()
    return diag.message + " " + diag.hint


def test_a_well_behaved_answer_in_each_format_is_read(bad_server):
    assert remote(bad_server + "/good", "SELECT ?x WHERE { ?x ?p ?o }").rows == [{"x": {"type": "literal", "value": "bon"}}]
    assert remote(bad_server + "/xml", "SELECT ?x WHERE { ?x ?p ?o }").rows == [{"x": {"type": "literal", "value": "xml"}}]
    assert remote(bad_server + "/turtle", "CONSTRUCT WHERE { ?s ?p ?o }").graph == '<http://x/a> <http://x/b> "c" .\n'


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/garbage", "not valid SPARQL Results in JSON"),
        ("/no-head", "not valid SPARQL Results in JSON"),
        ("/latin1", "UTF-8"),
        ("/html", "the endpoint answered an HTML page"),
        ("/nothing", "without a Content-Type"),
        ("/moved", "redirects to file:///etc/hostname"),
    ],
)
def test_bad_answers_are_kb303(bad_server, path, says):
    assert says in _kb303(bad_server + path)


def test_a_trickling_server_is_cut_at_the_deadline(bad_server):
    started = time.monotonic()
    message = _kb303(bad_server + "/trickle", timeout=3)
    assert "no complete answer" in message and "3 s" in message
    assert time.monotonic() - started < 20  # generous: each header line comes within a second, the whole never


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_an_answer_over_the_size_cap_is_refused(bad_server, path):
    assert "larger than 1 MB" in _kb303(bad_server + path, max_bytes=1 << 20)


def test_an_update_with_a_select_prefix_is_sent_as_an_update(bad_server):
    Misbehaving.seen.clear()
    update = "PREFIX select: <http://x/> INSERT DATA { select:a select:b select:c }"
    with pytest.raises(KBError) as err:
        remote(bad_server + "/update", update)
    assert err.value.diagnostics[0].code == "KB302" and Misbehaving.seen == []  # refused before anything is sent
    remote(bad_server + "/update", update, allow_update=True)
    query = "PREFIX copy: <http://x/> SELECT ?x WHERE { ?x copy:p ?o }"
    remote(bad_server + "/good", query)
    assert Misbehaving.seen == [("/update", ["update"]), ("/good", ["query"])]


@pytest.mark.parametrize("url", ["file:///etc/hostname", "not a url", "ftp://127.0.0.1/x", "http://", "http://127.0.0.1:99999/q"])
def test_only_http_urls_are_endpoints(url):
    assert "http://" in _kb303(url)


def test_cli_endpoint_failures_are_diagnostics_not_tracebacks(bad_server):
    html = run_kb("query", "ASK { ?s ?p ?o }", "--endpoint", bad_server + "/html")
    assert html.returncode == 1 and html.stdout == "" and "KB303 error: the endpoint answered an HTML page" in html.stderr
    hostname = Path("/etc/hostname").read_text() if Path("/etc/hostname").exists() else "\0"
    local_file = run_kb("query", "ASK { ?s ?p ?o }", "--endpoint", "file:///etc/hostname")
    assert local_file.returncode == 1 and hostname.strip() not in local_file.stdout and "KB303" in local_file.stderr
    for proc in (html, local_file, run_kb("query", "ASK { ?s ?p ?o }", "--endpoint", "not a url")):
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
