"""Questions inside notes on the site: the renderer alone, then a real strict mkdocs build."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import Abort

from kbtools.config import load_config
from kbtools.ids import RelPath, page_url, served_url
from kbtools.note_queries import NoteQuery
from kbtools.pipeline import build_knowledge_base
from kbtools.query import Result, run_local, term_text
from kbtools.sanitize import clean_html
from kbtools.site import query_blocks
from kbtools.site.model import SiteModel

from .helpers import SITE_URL, Built, build_project, knowledge_base
from .query_notes import BLOCKS, HUB, HUB_URL, XSS, write_query_project

# -- the renderer, on a small knowledge base ---------------------------------------------------


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> SiteModel:
    root = tmp_path_factory.mktemp("renderer")
    (root / "notes").mkdir()
    (root / "notes/alpha.md").write_text("---\ntitle: Alpha\ntype: hub\n---\nTexte.\n", encoding="utf-8")
    kb = build_knowledge_base(load_config(root, site_url=SITE_URL))
    urls = {n.path: served_url(page_url(n.path)) for n in kb.notes} | {RelPath("sparql.md"): served_url("sparql/")}
    return SiteModel.build(kb, urls)


PAGE = RelPath("notes/alpha.md")


def render(model: SiteModel, answer: NoteQuery, editor: bool = True) -> BeautifulSoup:
    html = query_blocks.block_html(answer, model, PAGE, query_blocks.pages_by_iri(model), editor)
    assert "\n" not in html  # one line: no blank line can end the HTML block
    assert clean_html(html) == clean_html(clean_html(html))
    return BeautifulSoup(clean_html(html), "html.parser")  # as the page has it: sanitised after Markdown


def test_an_xss_literal_and_a_javascript_iri_stay_text(model: SiteModel) -> None:
    rows = [
        {"titre": {"type": "literal", "value": XSS}, "lien": {"type": "uri", "value": "javascript:alert(1)"}},
        {"titre": {"type": "literal", "value": "</table><script>alert(2)</script>"}, "lien": {"type": "uri", "value": SITE_URL + "notes/alpha/"}},
    ]
    answer = NoteQuery("SELECT ?titre ?lien WHERE {}", title=XSS, run_text="SELECT ?titre ?lien WHERE {}", result=Result(vars=["titre", "lien"], rows=rows))
    soup = render(model, answer)
    assert soup.select("img, script") == []
    assert soup.select_one(".kb-query__title").get_text() == XSS
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert cells == [[XSS, "javascript:alert(1)"], ["</table><script>alert(2)</script>", "Alpha"]]  # a note by its title
    assert [a["href"] for a in soup.select("tbody a")] == ["./"]  # the page's own IRI links to it; javascript: never
    assert soup.select("tbody td")[3]["title"] == SITE_URL + "notes/alpha/"
    assert [th.get_text() for th in soup.select("th")] == ["Titre", "Lien"]
    assert soup.select_one("a.kb-query__open")["href"] == "../../sparql/#q=SELECT%20%3Ftitre%20%3Flien%20WHERE%20%7B%7D"
    assert soup.select_one(".kb-query__meta").get_text(" ", strip=True).startswith("2 résultats · calculé à la construction du site")


def test_ask_renders_oui_or_non(model: SiteModel) -> None:
    for value, word in ((True, "Oui"), (False, "Non")):
        soup = render(model, NoteQuery("ASK {}", run_text="ASK {}", result=Result(boolean=value)))
        assert soup.select_one(".kb-query__boolean").get_text() == word
        assert soup.select("table") == []


def test_construct_renders_a_triple_table(model: SiteModel) -> None:
    graph = f'<{SITE_URL}notes/alpha/> <http://www.w3.org/2004/02/skos/core#prefLabel> "{XSS}"@fr .\n_:b <https://x.invalid/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    soup = render(model, NoteQuery("CONSTRUCT …", run_text="CONSTRUCT …", result=Result(graph=graph)))
    assert [th.get_text() for th in soup.select("th")] == ["Sujet", "Prédicat", "Objet"]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    assert rows == [["_:b", "https://x.invalid/p", "2"], ["Alpha", "skos:prefLabel", XSS]]
    assert soup.select("img") == []
    assert "2 triplets" in soup.select_one(".kb-query__meta").get_text()


def test_this_is_shown_with_the_query_as_written(model: SiteModel) -> None:
    text = "SELECT ?x WHERE {\n  ?x kb:isPartOf ?this\n}\n"
    answer = NoteQuery(text, run_text=text.replace("?this", f"<{SITE_URL}notes/alpha/>"), this=SITE_URL + "notes/alpha/", result=Result(vars=["x"]))
    soup = render(model, answer)
    assert soup.select_one("details.kb-query__source pre code").get_text() == text.rstrip("\n")
    assert soup.select_one("details.kb-query__source p").get_text() == f"?this désigne cette note : {SITE_URL}notes/alpha/"
    href = soup.select_one("a.kb-query__open")["href"]
    assert unquote(href.split("#q=", 1)[1]) == answer.run_text  # the editor gets the query that ran
    assert "Aucun résultat" in soup.select_one(".kb-query__meta").get_text() and soup.select("table") == []


def test_a_failed_block_says_why_and_keeps_its_query(model: SiteModel) -> None:
    answer = NoteQuery("INSERT DATA { <a:b> <a:b> <a:c> }", error="ligne 1, colonne 1 : this is a SPARQL Update; a block in a note may only ask")
    soup = render(model, answer)
    assert "ligne 1, colonne 1" in soup.select_one(".admonition.failure pre").get_text()
    assert soup.select_one("details pre code").get_text() == answer.text
    assert soup.select("a.kb-query__open") == []  # nothing to open


def test_no_editor_link_without_the_sparql_page(model: SiteModel) -> None:
    soup = render(model, NoteQuery("ASK {}", run_text="ASK {}", result=Result(boolean=True)), editor=False)
    assert soup.select("a") == []


# -- a real build ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture project with its blocks, built strictly (a warning would abort it)."""
    root = tmp_path_factory.mktemp("query-blocks")
    write_query_project(root)
    return build_project(root, strict=True)


def test_every_table_holds_the_rows_of_kb_query_for_the_same_text(site: Built) -> None:
    page = site.page(HUB_URL)
    kb = knowledge_base(site.root)  # built again, apart from the site
    graph, titles = kb.graph, {kb.iri(n): n.title for n in kb.notes}
    blocks = page.select("article .kb-query")
    assert len(blocks) == len(BLOCKS) - 1  # the norun block stays code
    checked = 0
    for block in blocks:
        href = block.select_one("a.kb-query__open")["href"]
        assert urljoin(SITE_URL + HUB_URL, href).startswith(SITE_URL + "sparql/#q=")
        text = unquote(href.split("#q=", 1)[1])
        result = run_local(graph, text)
        if result.vars:
            # a note's IRI is shown by the note's title
            want = [[titles.get(row[v]["value"], term_text(row[v])) if v in row else "" for v in result.vars] for row in result.rows]
            got = [[td.get_text() for td in tr.find_all("td")] for tr in block.select("tbody tr")]
            assert got == want, text
            checked += 1
    assert checked == 3
    first, _titles, count, ask, construct = blocks
    assert [[td.get_text() for td in tr.find_all("td")] for tr in first.select("tbody tr")] == [
        ["PyTorch", "PyTorch"], ["TensorFlow", "TensorFlow"]]
    assert [a["href"] for a in first.select("tbody a")] == ["../../frameworks/pytorch/", "../../frameworks/tensorflow/"]
    assert [th.get_text() for th in first.select("th")] == ["Note", "Titre"]
    assert [th.get_text() for th in count.select("th")] == ["Nombre de parties"]
    assert [td.get_text() for td in count.select("td")] == ["2"]
    assert first.select_one(".kb-query__title").get_text() == "Les frameworks de <b>ce</b> carrefour"
    assert ask.select_one(".kb-query__boolean").get_text() == "Oui"
    assert [[td.get_text() for td in tr.find_all("td")] for tr in construct.select("tbody tr")] == [
        [name, "skos:broader", "Frameworks"] for name in ("PyTorch", "TensorFlow")]
    assert [a["href"] for a in construct.select("tbody a")] == [
        "../../frameworks/pytorch/", "http://www.w3.org/2004/02/skos/core#broader", "./", "../../frameworks/tensorflow/", "http://www.w3.org/2004/02/skos/core#broader", "./"]


def test_an_xss_literal_in_a_result_is_text(site: Built) -> None:
    page = site.page(HUB_URL)
    titles = page.select("article .kb-query")[1]
    assert XSS in [td.get_text() for td in titles.select("td")]
    assert XSS in [a.get_text() for a in titles.select("td a")]  # the hostile note's IRI, labelled with its title
    assert page.select("article img") == [] and page.select("article .kb-query script") == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in (site.site / HUB_URL / "index.html").read_text(encoding="utf-8")


def test_the_query_is_shown_as_written_and_norun_stays_code(site: Built) -> None:
    page = site.page(HUB_URL)
    shown = [pre.get_text() for pre in page.select("article details.kb-query__source pre code")]
    assert shown == [text for info, text in BLOCKS if "norun" not in info]
    code = [c.get_text() for c in page.select("article div.highlight code")]
    assert any(c.strip() == BLOCKS[-1][1] for c in code)  # highlighted as SPARQL, never run


def test_a_broken_block_fails_the_strict_build_at_its_line(tmp_path: Path) -> None:
    write_query_project(tmp_path, extra="\n```sparql\nSELECT ?x WHERE { ?x ?p ?o } LIMIT dix\n```\n")
    lines = (tmp_path / HUB).read_text(encoding="utf-8").splitlines()
    fence = lines.index("SELECT ?x WHERE { ?x ?p ?o } LIMIT dix") + 1  # 1-based line of the query
    with pytest.raises(Abort):
        build_project(tmp_path, strict=True)
    built = build_project(tmp_path)
    [warning] = [w for w in built.warnings() if "KB3" in w]
    assert f"frameworks.md:{fence}:36: KB301 error: SPARQL syntax error" in warning
    failure = built.page(HUB_URL).select("article .kb-query .admonition.failure pre")
    assert len(failure) == 1 and failure[0].get_text().startswith("ligne 1, colonne 36 : SPARQL syntax error")


def test_expand_keeps_the_container_of_each_block(model: SiteModel) -> None:
    ask = NoteQuery("ASK {}\n", run_text="ASK {}\n", result=Result(boolean=True))
    norun = NoteQuery("INSERT DATA {}\n", title='Un "exemple"', norun=True)
    other = NoteQuery("SELECT * {}\n")  # its text differs from the page's block: left as it is
    markdown = "- liste :\n\n  ```sparql\n  ASK {}\n  ```\n\n1. ```sparql\n   ASK {}\n   ```\n\n> ~~~~sparql title='Un \"exemple\"' norun\n> INSERT DATA {}\n> ~~~~\n\n```sparql\nASK { }\n```\n"
    out = query_blocks.expand(markdown, [ask, ask, norun, other], model, PAGE, query_blocks.pages_by_iri(model), True).split("\n")
    assert out[:2] == ["- liste :", ""]
    assert out[2].startswith('  <div class="kb-query">') and out[2].endswith("</div>")
    assert out[3] == "" and out[4].startswith('1. <div class="kb-query">')
    assert out[5:9] == ["", "> ~~~~sparql title='Un \"exemple\"'", "> INSERT DATA {}", "> ~~~~"]  # norun: code, with an info string superfences takes
    assert out[9:] == ["", "```sparql", "ASK { }", "```", ""]
