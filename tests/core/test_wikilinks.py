"""Obsidian's link grammar, table-driven (rules from Obsidian's help: internal links, embeds, blocks)."""

import pytest

from kbtools.wikilinks import WikiLink, parse_inner, parse_wikilink


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[Target]]", WikiLink("Target")),
        ("[[Target|texte]]", WikiLink("Target", label="texte")),
        ("[[Target#Section]]", WikiLink("Target", section="Section")),
        ("[[Target#Section|texte]]", WikiLink("Target", "Section", "texte")),
        ("  [[ Espacé ]] ", WikiLink("Espacé")),
        ("[[TensorFlow pour l'apprentissage profond]]", WikiLink("TensorFlow pour l'apprentissage profond")),
        ("[[Target\\|texte]]", WikiLink("Target", label="texte")),
        ("[[dossier/Cible.md#Installation]]", WikiLink("dossier/Cible.md", "Installation")),
        ("[[Note#^bloc-1|définition]]", WikiLink("Note", "^bloc-1", "définition")),
        ("[[#Locale]]", WikiLink("", "Locale")),
        ("Target", None),
        ("[[A]] et [[B]]", None),
        ("![[image.png]]", None),
        ("[Target]", None),
        ("[[ ]]", None),
    ],
)
def test_parse_wikilink(text, expected):
    assert parse_wikilink(text) == expected


@pytest.mark.parametrize(
    ("inner", "block", "headings", "name", "extension", "attachment"),
    [
        ("Note#^def-x", "def-x", [], "Note", "", False),
        ("Note#A#B", "", ["A", "B"], "Note", "", False),
        ("Présentation de Keras.MD", "", [], "Présentation de Keras", "", False),
        ("frameworks/jax/JAX.md#Installation", "", ["Installation"], "frameworks/jax/JAX", "", False),
        ("keras-logo.png|120", "", [], "keras-logo.png", "png", True),
        ("plan.canvas", "", [], "plan.canvas", "canvas", True),
        ("torch.compile", "", [], "torch.compile", "compile", False),
        ("TensorFlow.js", "", [], "TensorFlow.js", "js", False),
        ("Version 2.0", "", [], "Version 2.0", "", False),
    ],
)
def test_link_parts(inner, block, headings, name, extension, attachment):
    link = parse_inner(inner)
    assert (link.block, link.headings, link.name, link.extension, link.is_attachment) == (block, headings, name, extension, attachment)


@pytest.mark.parametrize(
    ("link", "text"),
    [
        (WikiLink("A"), "A"),
        (WikiLink("A", label="texte"), "texte"),
        (WikiLink("A", section="S"), "A › S"),
        (WikiLink("A.md", section="S#T"), "A › T"),
        (WikiLink("", section="S"), "S"),
    ],
)
def test_link_text(link, text):
    assert link.text == text


def test_str_round_trips_embeds():
    assert str(WikiLink("img.png", label="120", embed=True)) == "![[img.png|120]]"
