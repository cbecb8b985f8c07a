"""SPARQL: named queries, formats, read-only guard, syntax errors with positions."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kbtools.config import load_config
from kbtools.diagnostics import KBError
from kbtools.pipeline import build_knowledge_base
from kbtools.query import is_update, load_named_queries, render, run_local
from tests.kbtest import ROOT, TEST_SITE, VALID, run_kb

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
