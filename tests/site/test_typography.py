"""French spacing on the site (:mod:`kbtools.site.typography`): a table of cases, then one built page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtools.site.typography import french_spacing, french_spacing_text

N = "\u202f"  # narrow no-break space
NB = "\u00a0"  # no-break space


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # a plain or no-break space before a high mark becomes a narrow no-break space
        ("Pourquoi ? Parce que.", f"Pourquoi{N}? Parce que."),
        ("Deux cas : le premier ; le second !", f"Deux cas{N}: le premier{N}; le second{N}!"),
        (f"Remarque{NB}: voir plus bas", f"Remarque{N}: voir plus bas"),
        ("fin de phrase :", f"fin de phrase{N}:"),
        ("(vraiment ?)", f"(vraiment{N}?)"),
        # none before a mark that ends a clause after a letter
        ("Attention! Exemple: le suivant?", f"Attention{N}! Exemple{N}: le suivant{N}?"),
        # guillemets, with or without spaces inside
        ("« Practical Deep Learning »", f"«{N}Practical Deep Learning{N}»"),
        ("«mot»", f"«{N}mot{N}»"),
        (f"«{NB}mot{NB}»", f"«{N}mot{N}»"),
        # already right: nothing added twice
        (f"Pourquoi{N}? «{N}x{N}»", f"Pourquoi{N}? «{N}x{N}»"),
        # not prose punctuation: left alone
        ("https://pytorch.org/docs?x=1 et http://a.b/c:d", "https://pytorch.org/docs?x=1 et http://a.b/c:d"),
        ("à 12:30, ratio 1:2, a:b, std::vector, x?y", "à 12:30, ratio 1:2, a:b, std::vector, x?y"),
        ("bien joué :) et ;)", "bien joué :) et ;)"),
        ("a :: b", "a :: b"),
        ("x != y", "x != y"),
        ("", ""),
    ],
)
def test_text_rules(before: str, after: str) -> None:
    assert french_spacing_text(before) == after
    assert french_spacing_text(after) == after  # idempotent


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>Note : <code>a : b</code> !</p>", f"<p>Note{N}: <code>a : b</code>{N}!</p>"),
        ('<pre><code>x = {"a" : 1} ? y</code></pre>', '<pre><code>x = {"a" : 1} ? y</code></pre>'),
        ('<a href="https://x.org/a?b=1" title="Quoi ?">Quoi ?</a>', f'<a href="https://x.org/a?b=1" title="Quoi ?">Quoi{N}?</a>'),
        ("<p><em>Attention</em>!</p>", f"<p><em>Attention</em>{N}!</p>"),
        ('<p>« <a href="#t">Titre</a> »</p>', f'<p>«{N}<a href="#t">Titre</a>{N}»</p>'),
        (
            '<span class="arithmatex">\\(f : x \\mapsto y\\)</span> : la fonction',
            f'<span class="arithmatex">\\(f : x \\mapsto y\\)</span>{N}: la fonction',
        ),
        (
            '<div class="kb-sparql-editor"><span>SELECT ?x WHERE { ?x a ?t }</span></div>',
            '<div class="kb-sparql-editor"><span>SELECT ?x WHERE { ?x a ?t }</span></div>',
        ),
        (
            '<div class="kb-query__table"><table><tr><td>Note : valeur</td></tr></table></div><p>Fin : oui</p>',
            f'<div class="kb-query__table"><table><tr><td>Note : valeur</td></tr></table></div><p>Fin{N}: oui</p>',
        ),
        ("<p>a &amp; b : c &lt; d</p>", f"<p>a &amp; b{N}: c &lt; d</p>"),
        ("<p>Entité&nbsp;: valeur</p>", f"<p>Entité{N}: valeur</p>"),
        ("<p>rien à faire</p><!-- a : b -->", "<p>rien à faire</p><!-- a : b -->"),
        ("<script>if (a ? b : c) {}</script><style>a:hover{}</style>", "<script>if (a ? b : c) {}</script><style>a:hover{}</style>"),
        ('<img alt="Une figure : la perte" src="a.png"><br>Suite : fin', f'<img alt="Une figure : la perte" src="a.png"><br>Suite{N}: fin'),
    ],
)
def test_html_text_nodes_only(before: str, after: str) -> None:
    assert french_spacing(before) == after
    assert french_spacing(after) == after


# -- one built page -------------------------------------------------------------------------

NOTE = """---
title: "Typographie et blocs : essai"
type: concept
date_creation: '2026-11-29'
date_modification: '2026-11-29'
description: "Une note d'essai : la typographie."
isPartOf: '[[Concepts]]'
---
## Généralité

Deux cas : le premier ; le second ! Le cours « Practical Deep Learning » commence à 12:30, voir https://exemple.org/a?b=1.

Un appel `f(a : b)` reste tel quel.

<!-- kb:no-run fragment : suppose un modèle défini ailleurs -->
```python
perte = critere(modele(x), y)  # a : b ?
```
"""


@pytest.fixture(scope="module")
def built_note(tmp_path_factory: pytest.TempPathFactory):
    from .helpers import NODE_MODULES, build_project, write_project

    if not NODE_MODULES.is_dir():
        pytest.fail("node_modules is missing: run `npm ci` in the project folder first")
    root = tmp_path_factory.mktemp("typography-site")
    write_project(root)
    (root / "docs" / "concepts" / "typographie.md").write_text(NOTE, encoding="utf-8")
    return build_project(root).page("concepts/typographie/")


def test_built_page_has_french_spacing_in_prose_only(built_note) -> None:
    content = built_note.select_one("article")
    paragraph = content.find("p", string=lambda s: s and s.startswith("Deux cas"))
    assert paragraph.get_text() == (
        f"Deux cas{N}: le premier{N}; le second{N}! Le cours «{N}Practical Deep Learning{N}» commence à 12:30, voir https://exemple.org/a?b=1."
    )
    assert content.find("code", string="f(a : b)") is not None
    assert content.select_one("p.kb-lead").get_text() == f"Une note d'essai{N}: la typographie."  # the header kb adds
    assert content.select_one("h1").get_text() == "Typographie et blocs : essai"  # a title is left as written
    assert "# a : b ?" in content.select_one("pre").get_text()


def test_built_page_shows_the_no_run_badge_before_the_block(built_note) -> None:
    badge = built_note.select_one("article p.kb-not-run")
    assert badge is not None
    assert badge.get_text() == f"⏸ non exécuté ici{N}: fragment{N}: suppose un modèle défini ailleurs"
    assert badge.find_next_sibling().select_one("code") is not None  # the block follows, still a code block
    assert "kb:no-run" not in str(built_note)


# -- <pre> elements copied without being parsed ---------------------------------------------

def _parsed_whole(fragment: str) -> str:
    """The reference: every byte through the HTML parser, as before the <pre> shortcut."""
    from kbtools.site.typography import SKIPPED_TAGS, _Spacer

    if not any(c in fragment for c in ";:!?«»"):
        return fragment
    parser = _Spacer(SKIPPED_TAGS)
    parser.feed(fragment)
    parser.close()
    parser.flush()
    return "".join(parser.out)


_PIECES = [
    "<p>Texte : suite</p>", "Attention!", " « citation » ", "<pre><code>a : b ? c</code></pre>",
    '<div class="highlight"><pre><span class="n">x</span><span class="p">:</span> y ?</pre></div>',
    '<a title="<pre>">lien : ici</a>', '<code title="</pre>">z : w</code>', "<!-- <pre> : -->",
    "<script>if (a ? b : c) {}</script>", "<pre>", "</pre>", "<em>mot</em>", "!", " : ", "&amp;", "&",
    "<pre title='a>b'>q : r</pre>", '<span>"guillemet</span>',
]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_pre_elements_are_copied_as_the_parser_would_leave_them(pieces: list[str]) -> None:
    fragment = "".join(pieces)
    assert french_spacing(fragment) == _parsed_whole(fragment)


def test_a_code_block_that_is_not_pygments_output_is_read_in_one_pass() -> None:
    """A hostile note's <pre> with a long text and a tag that breaks the block's form: the
    shortcut's pattern gives up at once (it once backtracked exponentially: 26 letters, 3 s).
    Run in a child process with a time limit, so that a regression fails instead of hanging."""
    import subprocess
    import sys

    code = (
        "from kbtools.site.typography import french_spacing\n"
        "from kbtools.site.page_memo import searched_html\n"
        "html = '<p>a : b</p><pre>' + 'mot ' * 5000 + '<b>gras</b></pre>'\n"
        "assert searched_html(html) == html\n"
        "print(len(french_spacing(html)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    fragment = "<p>a : b</p><pre>" + "mot " * 5000 + "<b>gras</b></pre>"
    assert int(done.stdout) == len(_parsed_whole(fragment))
