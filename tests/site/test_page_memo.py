"""Material's search entries of a page are the same whether its code blocks keep their
highlighting spans or not (kbtools.site.page_memo.searched_html): pages converted by mkdocs
with this project's Markdown extensions, entries made by material's own search index."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from kbtools.site.page_memo import searched_html

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory):
    """This project's mkdocs.yml (its Markdown extensions: highlight with line anchors,
    superfences…), with a docs folder of its own for the page written here."""
    docs = tmp_path_factory.mktemp("docs")
    return load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(docs.parent / "site"))


def _page(config, markdown: str) -> Page:
    Path(config.docs_dir, "essai.md").write_text(markdown, encoding="utf-8")
    file = File("essai.md", config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    return page


def _entries(config, page: Page, content: str) -> list[dict]:
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(**config.plugins["material/search"].config)
    kept = page.content
    page.content = content
    try:
        index.add_entry_from_context(page)
    finally:
        page.content = kept
    return index.entries


_code = st.text(st.sampled_from('abcdéf_=()[]{}:;,.+-*/<>&"\'#@\\ \n\t0123456789'), max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=_code, lang=st.sampled_from(["python", "text", "bash", "json", ""]), linenums=st.booleans())
@example(code='x = "<b>" & y  # <span class="n">', lang="python", linenums=False)
@example(code="a\n\n\n  b", lang="python", linenums=True)
def test_code_blocks_give_the_same_search_entries_without_their_spans(config, code: str, lang: str, linenums: bool) -> None:
    fence = "```" + lang + (' linenums="1"' if linenums else "")
    markdown = f"# Titre\n\nUn paragraphe : avant.\n\n## Code\n\n{fence}\n{code}\n```\n\nAprès le <code>bloc</code>.\n"
    page = _page(config, markdown)
    lighter = searched_html(page.content)
    if "highlight" in page.content and code.strip():
        assert len(lighter) < len(page.content)  # something was taken out
    assert _entries(config, page, lighter) == _entries(config, page, page.content)


@pytest.mark.parametrize(
    "html",
    [
        # the author's HTML inside a <pre>: left as it is
        '<pre><span title="a>b">x</span></pre>',
        '<pre><code class=\'linenodiv<span class="n">\'>x</code></pre>',
        "<p>Pas de code ici : <span class=\"n\">texte</span></p>",
    ],
)
def test_other_html_is_left_as_it_is(html: str) -> None:
    assert searched_html(html) == html
