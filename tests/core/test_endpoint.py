"""`kb push` and `kb query --endpoint` against a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

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
