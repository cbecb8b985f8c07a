"""The answered questions and the SPARQL page as built HTML (no browser): rows from run_local."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from kbtools.query import is_update, load_named_queries, run_local, term_text
from kbtools.vocab import PREFIXES

from .helpers import NODE_MODULES, ROOT, SITE_URL, Built, build_project, knowledge_base, write_project

XSS = "<img src=x onerror=alert(1)>"
QUERIES = load_named_queries(ROOT / "ontology" / "queries")
SYNTAX_JS = ROOT / "kbtools" / "site" / "assets" / "sparql" / "syntax.js"


@pytest.fixture(scope="module")
def graph(built: Built):
    """The graph computed again by the pipeline, apart from the site build."""
    return knowledge_base(built.root).graph


def _table(soup) -> list[list[str]]:
    table = soup.select_one("article .kb-results table")
    return [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")] if table else []


def _resolves(built: Built, page_url: str, href: str) -> bool:
    target = urljoin(SITE_URL + page_url, href.split("#")[0])
    path = built.site / target[len(SITE_URL) :]
    return (path / "index.html").is_file() if target.endswith("/") else path.is_file()


def test_every_question_page_shows_the_rows_of_run_local(built: Built, graph) -> None:
    answered = 0
    for name, q in QUERIES.items():
        soup = built.page(f"questions/{name}/")
        assert soup.select_one("article h1").get_text().rstrip("¶") == q.title
        assert q.description in soup.select_one("article").get_text(" ")
        result = run_local(graph, q.text)
        want = [[term_text(row.get(v)) for v in result.vars] for row in result.rows]
        assert _table(soup) == want, name  # the order of run_local, ORDER BY or not: the same engine
        if want:
            assert [th.get_text() for th in soup.select("article .kb-results th")] == [f"?{v}" for v in result.vars]
        code = soup.select_one("article .highlight code").get_text()
        assert "SELECT" in code and "# title:" not in code  # the heading says it already
        answered += bool(want)
    assert answered >= 8


def test_site_iris_are_links_and_the_button_opens_the_editor(built: Built, graph) -> None:
    soup = built.page("questions/frameworks/")
    links = {a.get_text(): a["href"] for a in soup.select("article .kb-results a")}
    assert links == {SITE_URL + "frameworks/pytorch/": "../../frameworks/pytorch/", SITE_URL + "frameworks/tensorflow/": "../../frameworks/tensorflow/"}
    assert all(_resolves(built, "questions/frameworks/", href) for href in links.values())
    button = soup.select_one("article a.md-button")
    assert button.get_text() == "Ouvrir dans l’éditeur SPARQL"
    page, _, query = button["href"].partition("#q=")
    assert _resolves(built, "questions/frameworks/", page)
    assert unquote(query) == QUERIES["frameworks"].text


def test_markup_in_an_answer_is_escaped(built: Built) -> None:
    html = (built.site / "questions" / "recent-changes" / "index.html").read_text(encoding="utf-8")
    assert XSS not in html
    soup = built.page("questions/recent-changes/")
    assert XSS in [cell for row in _table(soup) for cell in row]
    assert soup.select("article img") == []


def test_questions_index_and_nav(built: Built) -> None:
    soup = built.page("questions/")
    listed = [a.get_text() for a in soup.select("article li > a")]
    assert listed == [q.title for q in QUERIES.values()]
    assert all(_resolves(built, "questions/", a["href"]) for a in soup.select("article a[href]"))
    home = built.page("")
    section = next(li for li in home.select("nav.md-nav--primary > ul > li") if li.find(["a", "label"], recursive=False).get_text(strip=True) == "Questions")
    titles = [" ".join(a.get_text().split()) for a in section.select("nav li > a")]
    assert titles == ["Interroger en SPARQL", "Questions", *(q.title for q in QUERIES.values())]


def test_sparql_page_carries_its_data_and_only_it_loads_the_engine(built: Built) -> None:
    soup = built.page("sparql/")
    box = soup.select_one("[data-kb-sparql]")
    assert box["data-kb-sparql"] == "../kb.ttl" and (built.site / "kb.ttl").is_file()
    assert box["data-kb-site"] == SITE_URL and box["data-kb-root"] == "../"
    assert json.loads(box["data-kb-prefixes"]) == PREFIXES
    examples = json.loads(box["data-kb-queries"])
    assert [(e["name"], e["title"], e["text"]) for e in examples] == [(q.name, q.title, q.text) for q in QUERIES.values()]
    assert all(_resolves(built, "sparql/", e["page"]) for e in examples)
    assert (built.site / box["data-kb-cytoscape"][3:]).is_file()
    for name in ("web.js", "web_bg.wasm"):
        assert (built.site / "assets/kb/vendor/oxigraph" / name).read_bytes() == (NODE_MODULES / "oxigraph" / name).read_bytes()
    loaders = [p.relative_to(built.site).as_posix() for p in built.html_files() if "kb-sparql.js" in p.read_text(encoding="utf-8")]
    assert loaders == ["sparql/index.html"]
    assert not any("oxigraph" in p.read_text(encoding="utf-8") for p in built.html_files() if p.parent.name != "sparql")


def test_without_exports_no_editor_but_answered_questions(tmp_path: Path) -> None:
    config = write_project(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("  - kb:\n", "  - kb:\n      exports: false\n"), encoding="utf-8")
    built = build_project(tmp_path)
    assert not (built.site / "sparql").exists() and not (built.site / "kb.ttl").exists()
    assert not (built.site / "assets/kb/vendor/oxigraph").exists()
    soup = built.page("questions/hubs/")
    assert _table(soup) and soup.select("article a.md-button") == []
    assert not [w for w in built.warnings() if "sparql" in w or "questions" in w]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is missing: the page's tokenizer is checked with it")
def test_page_tokenizer_agrees_with_python_on_updates() -> None:
    cases = [
        "SELECT * WHERE { ?s ?p ?o }",
        "INSERT DATA { <a:b> <a:c> 'd' }",
        "PREFIX x: <https://x/> DELETE WHERE { ?s x:p ?o }",
        "# INSERT in a comment\nSELECT ?s WHERE { ?s ?p 'DELETE' }",
        "DELETE { ?s ?p ?o } WHERE { SELECT ?s ?p ?o WHERE { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p <https://x/LOAD> }",
        "WITH <g:1> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        'ASK { ?s ?p """multi\nline DROP""" }',
    ]
    script = (
        f"import {{ isUpdate, tokenize }} from {json.dumps(SYNTAX_JS.as_uri())};\n"
        f"const cases = {json.dumps(cases)};\n"
        "console.log(JSON.stringify(cases.map((c) => [isUpdate(c), tokenize(c).map((t) => t.text).join('') === c])));"
    )
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True, timeout=60)
    answers = json.loads(out.stdout)
    assert [a[0] for a in answers] == [is_update(c) for c in cases]
    assert all(a[1] for a in answers)  # the highlighted text is the text typed


def test_project_queries_ask_construct_and_a_broken_one(tmp_path: Path) -> None:
    write_project(tmp_path)
    queries = tmp_path / "ontology" / "queries"  # a project's own ontology folder replaces the packaged one
    queries.mkdir(parents=True)
    (queries / "a-ask.rq").write_text("# title: Y a-t-il un framework ?\nASK { ?f a kb:Framework }\n", encoding="utf-8")
    (queries / "b-construct.rq").write_text("# title: Parties\nCONSTRUCT { ?a kb:isPartOf ?b } WHERE { ?a kb:isPartOf ?b }\n", encoding="utf-8")
    (queries / "c-broken.rq").write_text("# title: Cassée <b>\nSELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    built = build_project(tmp_path)
    assert built.page("questions/a-ask/").select_one("article p strong").get_text() == "Oui"
    triples = built.page("questions/b-construct/").select("article .highlight code")[-1].get_text()  # after the query
    assert len([line for line in triples.splitlines() if line.strip()]) == 7 and "isPartOf" in triples
    broken = built.page("questions/c-broken/")
    assert broken.select_one("article h1").get_text().rstrip("¶") == "Cassée <b>"
    shown = broken.select_one("article .admonition.failure pre").get_text()
    assert shown.startswith("ligne 3, colonne 1 : ") and "syntax error" in shown and str(tmp_path) not in shown
    assert [w for w in built.warnings() if "c-broken.rq" in w and "syntax error" in w]
    examples = json.loads(built.page("sparql/").select_one("[data-kb-sparql]")["data-kb-queries"])
    assert [e["name"] for e in examples] == ["a-ask", "b-construct", "c-broken"]
