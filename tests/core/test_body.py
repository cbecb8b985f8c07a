"""The one Markdown reader: links outside code, headings, block ids, positions; fast path = tokenizer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kbtools.body import _fast, _tokenized, read_body


def _links(body: str) -> list[tuple[int, int, str]]:
    return [(b.line + 1, b.col, body[b.start : b.end]) for b in read_body(body).links]


def test_nothing_inside_code_comments_math_or_escapes_is_a_link():
    body = (
        "Voir [[Alpha]].\n"  # 1
        "`[[Inline]]` et ``[[Double]]``\n"  # 2
        "```python\n[[Clôture]]\n```\n"  # 3-5
        "~~~\n[[Tildes]]\n~~~\n"  # 6-8
        "````markdown\n```\n[[Imbriqué]]\n```\n````\n"  # 9-13
        "\n    [[Indenté]]\n\n"  # 14-16
        "<!-- [[Commentaire]] -->\n\n"  # 17-18
        "$$ [[a, b], [c, d]] $$\n\n"  # 19-20
        "Échappé : \\[[Pas un lien]] et \\[\\[Non plus\\]\\].\n"  # 21
        "Fin : [[Omega|la fin]].\n"  # 22
    )
    assert _links(body) == [(1, 6, "[[Alpha]]"), (22, 7, "[[Omega|la fin]]")]


def test_escaped_pipe_in_table_cell_keeps_the_columns_and_the_link():
    body = "| a | b |\n| --- | --- |\n| x | [[Cible\\|texte]] et [[Autre\\|y]] |\n"
    found = read_body(body).links
    assert [(f.link.target, f.link.label, f.line, f.col) for f in found] == [("Cible", "texte", 2, 7), ("Autre", "y", 2, 27)]
    assert body[found[0].start : found[0].end] == "[[Cible\\|texte]]"


def test_unescaped_pipe_in_a_table_cell_is_reported():
    body = "| a | b |\n| --- | --- |\n| x | [[Cible|texte]] |\n"
    doc = read_body(body)
    assert doc.links == []
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("KB117", 2, 7)]


def test_markdown_links_to_vault_files_are_links_external_ones_are_not():
    body = "[a](Autre%20note.md#section) [b](<Dossier/Une note.md>) ![c](img/fig%201.png) [d](https://x.org/a.md) [e](#local)\n"
    found = [(f.link.target, f.link.section, f.link.embed, f.markdown) for f in read_body(body).links]
    assert found == [("Autre note.md", "section", False, True), ("Dossier/Une note.md", "", False, True), ("img/fig 1.png", "", True, True)]


def test_headings_as_rendered_and_outside_code():
    body = "## **Gras** et `code`\n\n```\n## Pas un titre\n```\n### Vers [[Alpha|l'alpha]] ###\n#Pas un titre non plus\n"
    assert [h.text for h in read_body(body).headings] == ["Gras et code", "Vers l'alpha"]


def test_block_ids_end_of_paragraph_and_alone_after_a_list():
    body = "Un paragraphe. ^def-1\n\n- a\n- b\n\n^liste\n\n`code ^pas-un-bloc`\n"
    blocks = [(b.id, b.line, b.alone) for b in read_body(body).blocks]
    assert blocks == [("def-1", 0, False), ("liste", 5, True)]


def test_embeds_and_positions_in_quotes_and_lists():
    body = "> [!note] Rappel\n> ![[Note#^bloc]]\n\n1. item [[Liste]]\n"
    assert _links(body) == [(2, 3, "![[Note#^bloc]]"), (4, 9, "[[Liste]]")]


def test_large_bodies_are_read_in_linear_time():
    # 100 KB of lines opening a fence, and 2 MB of links: the old regexes took 19 s and 11 s.
    fences = "```a\n" * 20_000
    assert read_body(fences).links == []
    many = "Voir [[Cible]] et `code`.\n" * 80_000
    doc = read_body(many)
    assert len(doc.links) == 80_000
    last = doc.links[-1]
    assert (last.line, last.col) == (79_999, 6)


_PLAIN = st.text(alphabet="abcé ÉX.,:!?#-*_\n[]^/", max_size=60)
_LINK = st.builds(
    lambda t, s, label, e: f"{'!' if e else ''}[[{t}{'#' + s if s else ''}{'|' + label if label else ''}]]",
    st.text(alphabet="abcé XY./-", min_size=1, max_size=12),
    st.text(alphabet="abc ^-", max_size=6),
    st.text(alphabet="abc é", max_size=6),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PLAIN, _LINK), max_size=12))
def test_fast_path_finds_what_the_tokenizer_finds(parts):
    body = "".join(parts)
    fast, slow = _fast(body), _tokenized(body)
    assert [(b.start, b.end, b.link) for b in fast.links] == [(b.start, b.end, b.link) for b in slow.links]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_without_error(text):
    doc = read_body(text)
    for b in doc.links:
        assert 0 <= b.start < b.end <= len(text)
        assert text[b.start : b.end].lstrip("!").startswith("[")
