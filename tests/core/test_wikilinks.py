"""Wikilink parsing, table-driven."""

import pytest

from kbtools.wikilinks import WikiLink, find_body_links, line_col, parse_wikilink


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[Target]]", WikiLink("Target")),
        ("[[Target|texte]]", WikiLink("Target", label="texte")),
        ("[[Target#Section]]", WikiLink("Target", section="Section")),
        ("[[Target#Section|texte]]", WikiLink("Target", "Section", "texte")),
        ("  [[ Espacé ]] ", WikiLink("Espacé")),
        ("[[TensorFlow pour l'apprentissage profond]]", WikiLink("TensorFlow pour l'apprentissage profond")),
        ("Target", None),
        ("[[A]] et [[B]]", None),
        ("![[image.png]]", None),
        ("[Target]", None),
    ],
)
def test_parse_wikilink(text, expected):
    assert parse_wikilink(text) == expected


@pytest.mark.parametrize(
    ("link", "text"),
    [
        (WikiLink("A"), "A"),
        (WikiLink("A", label="texte"), "texte"),
        (WikiLink("A", section="S"), "A › S"),
        (WikiLink("", section="S"), "S"),
    ],
)
def test_link_text(link, text):
    assert link.text == text


def test_body_links_skip_code_comments_and_attachments():
    body = (
        "Voir [[Alpha]] et [[Bêta|la bêta]].\n"
        "`[[Pas inline]]`\n"
        "```python\n[[Pas dans le bloc]]\n```\n"
        "<!-- [[Pas en commentaire]] -->\n"
        "![[schema.png]] ![[Gamma]]\n"
    )
    found = [(b.link.target, body[b.start : b.end]) for b in find_body_links(body)]
    assert found == [("Alpha", "[[Alpha]]"), ("Bêta", "[[Bêta|la bêta]]"), ("Gamma", "![[Gamma]]")]


def test_line_col_is_one_based():
    text = "ab\ncd\nef"
    assert line_col(text, 0) == (1, 1)
    assert line_col(text, 4) == (2, 2)
    assert line_col(text, 6) == (3, 1)


def test_headings_as_rendered_and_outside_code():
    from kbtools.wikilinks import headings

    body = "## **Gras** et `code`\n\n```\n## Pas un titre\n```\n### Vers [[Alpha|l'alpha]] ###\n#Pas un titre non plus\n"
    assert headings(body) == ["Gras et code", "Vers l'alpha"]
