"""SPARQL: named queries, formats, read-only guard, syntax errors with positions."""

from __future__ import annotations

import csv
import http.server
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kbtools.config import load_config
from kbtools.diagnostics import KBError
from kbtools.pipeline import build_knowledge_base
from kbtools.query import is_update, keywords, load_named_queries, render, run_local
from tests.kbtest import ROOT, TEST_SITE, VALID, run_kb

# Every solution of four patterns over the ~300 triples of the test vault: about 8·10⁹ rows.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

NAMED = load_named_queries(ROOT / "ontology" / "queries")


@pytest.fixture(scope="module")
def graph():
    return build_knowledge_base(load_config(VALID, site_url=TEST_SITE)).graph


def test_at_least_ten_named_queries_with_french_titles():
    assert len(NAMED) >= 10
    for q in NAMED.values():
        assert q.title != q.name and q.title.endswith("?"), q.name
        assert q.description, q.name


@pytest.mark.parametrize("name", sorted(NAMED))
def test_every_named_query_runs(graph, name):
    result = run_local(graph, NAMED[name].text, name)
    assert result.vars  # SELECT queries, each with named columns


def test_select_returns_expected_rows(graph):
    result = run_local(graph, "SELECT ?t WHERE { ?n skos:broader ?p . ?n skos:prefLabel ?t }")
    assert [r["t"]["value"] for r in result.rows] == ["Bêta"]


def test_builtin_prefixes_do_not_shift_error_positions(graph):
    with pytest.raises(KBError) as err:
        run_local(graph, "SELECT ?x\nWHERE { ?x a kb:Hub", "q.rq")
    diag = err.value.diagnostics[0]
    assert (diag.path, diag.line, diag.code) == ("q.rq", 2, "KB301")
    assert diag.col > 10


@pytest.mark.parametrize(
    ("text", "update"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("PREFIX x: <http://x/> SELECT ?s WHERE { ?s x:DELETE ?o }", False),
        ('SELECT * WHERE { ?s ?p "INSERT DATA" }', False),
        ("# DROP ALL\nASK { ?s ?p ?o }", False),
        ("DELETE WHERE { ?s ?p ?o }", True),
        ("insert data { <http://a> <http://b> <http://c> }", True),
        ("CLEAR DEFAULT", True),
        ("DELETE { ?s ?p ?o } WHERE { SELECT ?s ?p ?o WHERE { ?s ?p ?o } }", True),
        # prefixes named like update keywords are just prefixes (the refused queries)
        ("PREFIX copy: <http://x/> SELECT ?s WHERE { ?s copy:p ?o }", False),
        ("PREFIX with: <http://x/> PREFIX add: <http://y/> ASK { with:a add:b ?o }", False),
        ("PREFIX drop: <http://x/> PREFIX load: <http://y/> SELECT * WHERE { ?s drop:p load:o }", False),
        # ... and an update declaring a prefix named like a query keyword is still an update
        ("PREFIX select: <http://x/> INSERT DATA { select:a select:b select:c }", True),
        ("PREFIX ask: <http://x/> DELETE WHERE { ?s ask:p ?o }", True),
        ("SELECT * WHERE { ?s ?p 'x' } # INSERT DATA { <a:b> <a:c> <a:d> }", False),
    ],
)
def test_is_update(text, update):
    assert is_update(text) is update


def test_update_refused_without_flag_and_applied_with_it(graph):
    with pytest.raises(KBError) as err:
        run_local(graph, "DELETE WHERE { ?s ?p ?o }")
    assert err.value.diagnostics[0].code == "KB302"
    before = len(graph)
    run_local(graph, "INSERT DATA { <http://x/a> <http://x/b> 'c' }", allow_update=True)
    assert len(graph) == before + 1


def test_formats(graph):
    result = run_local(graph, "SELECT ?t ?n WHERE { ?n skos:prefLabel ?t ; a kb:Hub }")
    table = render(result, "table").splitlines()
    assert table[0].split() == ["t", "n"] and table[-1] == "(1 résultat)"
    rows = list(csv.reader(io.StringIO(render(result, "csv"))))
    assert rows == [["t", "n"], ["Carrefour", "https://kb.test/carrefour/"]]
    assert render(result, "tsv").splitlines() == ["?t\t?n", '"Carrefour"@fr\t<https://kb.test/carrefour/>']
    data = json.loads(render(result, "json"))
    assert data["head"]["vars"] == ["t", "n"]
    assert data["results"]["bindings"][0]["t"] == {"type": "literal", "value": "Carrefour", "xml:lang": "fr"}


def test_cli_query_named_file_and_string():
    by_name = run_kb("query", "hubs", "--vault", str(VALID), "--format", "csv")
    by_file = run_kb("query", "-f", str(ROOT / "ontology/queries/hubs.rq"), "--vault", str(VALID), "--format", "csv")
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == by_file.stdout
    assert "Carrefour" in by_name.stdout
    listing = run_kb("query", "--list")
    assert all(name in listing.stdout for name in NAMED)


def test_cli_refuses_update_and_reports_syntax_position():
    refused = run_kb("query", "DROP ALL", "--vault", str(VALID))
    assert refused.returncode == 1 and "KB302" in refused.stderr
    broken = run_kb("query", "SELECT ?x WHERE { ?x ?y }", "--vault", str(VALID))
    assert broken.returncode == 1
    assert broken.stderr.startswith("<query>:1:") and "KB301 error: SPARQL syntax error" in broken.stderr
    assert "Traceback" not in broken.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", {"SERVICE"}),
        ("select * where { service silent ?e { ?s ?p ?o } }", {"SERVICE"}),
        ("LOAD <http://x/data.ttl>", {"LOAD"}),
        (r"SELECT * WHERE { \u0053ERVICE <http://x/> { } }", {"SERVICE"}),  # \u escapes count
        ("PREFIX service: <http://x/> SELECT ?load WHERE { ?s service:p <http://x/SERVICE> }", set()),
        ("SELECT * WHERE { ?s ?p 'SERVICE <http://x/>' } # LOAD <http://x/>", set()),
        ('SELECT * WHERE { ?s ?p """a " SERVICE \\" b""" }', set()),
    ],
)
def test_network_keywords_are_found_as_tokens_only(text, words):
    assert keywords(text) & {"SERVICE", "LOAD"} == words


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A SPARQL server on 127.0.0.1 that answers one row, after ``delay`` seconds; it counts requests."""

    hits: list[str]
    delay = 0.0

    def do_POST(self):
        self.hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(self.delay)
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"distant"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args):
        pass


@pytest.fixture
def remote_server():
    handler = type("Handler", (_Recorder,), {"hits": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def test_service_is_refused_without_the_flag_and_nothing_is_sent(graph, remote_server):
    handler, url = remote_server
    query = f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}"
    with pytest.raises(KBError) as err:
        run_local(graph, query)
    assert err.value.diagnostics[0].code == "KB306"
    assert handler.hits == []
    result = run_local(graph, query, allow_service=True)
    assert [r["x"]["value"] for r in result.rows] == ["distant"]
    assert handler.hits  # the flag really lets the request out


def test_a_slow_service_ends_at_the_time_limit(graph, remote_server):
    handler, url = remote_server
    handler.delay = 60
    started = time.monotonic()
    with pytest.raises(KBError) as err:
        run_local(graph, f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}", allow_service=True, timeout=1)
    assert err.value.diagnostics[0].code == "KB305"
    assert time.monotonic() - started < 20  # generous: the limit is 1 s


def test_load_is_a_diagnostic_even_with_allow_update_and_sends_nothing(graph, remote_server):
    handler, url = remote_server
    before = len(graph)
    for text in (f"LOAD <{url}>", f"load silent <{url}> into graph <http://x/g>", "LOAD <file:///etc/hostname>"):
        with pytest.raises(KBError) as err:
            run_local(graph, text, allow_update=True)
        assert err.value.diagnostics[0].code == "KB307", text
    assert handler.hits == [] and len(graph) == before


def test_an_expensive_query_is_stopped_at_the_time_limit(graph):
    started = time.monotonic()
    with pytest.raises(KBError) as err:
        run_local(graph, CARTESIAN, timeout=1)
    diag = err.value.diagnostics[0]
    assert diag.code == "KB305" and "1 s" in diag.message
    assert time.monotonic() - started < 20  # generous: the limit is 1 s, the query needs minutes
    assert run_local(graph, "ASK { ?s ?p ?o }", timeout=5).boolean is True  # and the store still answers


def test_an_expensive_update_is_stopped_and_leaves_the_graph_as_it_was(graph):
    before = len(graph)
    update = "INSERT { ?a <http://x/p> ?l } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(KBError) as err:
        run_local(graph, update, allow_update=True, timeout=1)
    assert err.value.diagnostics[0].code == "KB305"
    assert len(graph) == before


def test_text_only_oxigraph_reads_still_runs(graph):
    # SPARQL 1.2 triple terms are beyond rdflib's grammar: the engine's parser decides
    assert run_local(graph, "SELECT * WHERE { ?s ?p <<( ?s ?p ?s )>> }").rows == []


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.skipif(not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(), reason="needs Linux /proc/PID/task/TID/children to see the worker")
def test_ctrl_c_stops_a_running_query_and_its_worker():
    code = "import sys; from kbtools.cli import main; sys.exit(main())"
    proc = subprocess.Popen([sys.executable, "-c", code, "query", CARTESIAN, "--vault", str(VALID), "--timeout", "600"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        workers = _children(proc.pid)
    assert workers, "the query never started"
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err and out == ""
    assert not any(Path(f"/proc/{w}").exists() for w in workers)  # killed and reaped


def test_cli_refuses_update_behind_a_select_prefix_and_service():
    update = run_kb("query", "PREFIX select: <http://x/> INSERT DATA { select:a select:b select:c }", "--vault", str(VALID))
    assert update.returncode == 1 and "KB302" in update.stderr
    service = run_kb("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "--vault", str(VALID))
    assert service.returncode == 1 and "KB306" in service.stderr and "--allow-service" in service.stderr
    load = run_kb("query", "LOAD <http://127.0.0.1:9/x.ttl>", "--allow-update", "--vault", str(VALID))
    assert load.returncode == 1 and "KB307" in load.stderr
    for proc in (update, service, load):
        assert "Traceback" not in proc.stderr
