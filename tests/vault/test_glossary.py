"""One French term per concept: the variants the « Glossaire français-anglais » note sets aside
do not appear in the prose of the vault (body text and ``description``).

Prose is what a reader sees as running text: code blocks, inline code, HTML comments, web
addresses, Markdown link targets, wikilink targets and quotations in « guillemets » (titles of
works such as « Practical Deep Learning for Coders », or a variant named as such) are left out (a ``[[Titre|texte]]``
keeps its ``texte``; a bare ``[[Titre]]`` shows a note's title, which is checked where it is
defined, not where it is cited).
"""

from __future__ import annotations

import re

import pytest

from kbtools.body import read_body
from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from kbtools.wikilinks import WIKILINK
from tests.kbtest import ROOT

# Variant → the term the glossary keeps. Case-sensitive on purpose: « Hugging Face Tokenizers »
# is a name, « tokenizer » in a sentence is the variant.
BANNED = {
    r"\b[Pp]late-formes?\b": "plateforme",
    r"\btokenizers?\b": "tokeniseur",
    r"\b[Bb]ackends?\b": "moteur (garder `backend` en police de code pour l'API)",
    r"\b(?:[Mm]ode|[Ee]xécution) eager\b": "exécution immédiate",
    r"\bDeep Learning\b": "apprentissage profond, ou deep learning en minuscules",
}
_BANNED = [(re.compile(pattern), keep) for pattern, keep in BANNED.items()]

# The glossary names the variants it sets aside.
GLOSSARY = "concepts/glossaire-francais-anglais.md"

# Notes owned by other branches of issue #14 when this test was written; the lead applies the
# glossary to them after merging, then empties this list.
TODO_AFTER_MERGE: set[str] = set()

_URL = re.compile(r"<?https?://[^\s)>\]]+>?")
_MD_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_QUOTATION = re.compile(r"«[^»\n]*»")


def prose(text: str) -> str:
    """``text`` with everything that is not running prose blanked out, offsets and lines kept."""

    def blank(m: re.Match) -> str:
        return " " * len(m.group(0))

    def link(m: re.Match) -> str:
        if "|" not in m.group("inner"):
            return blank(m)
        label = m.group("inner").split("|", 1)[1]
        start = m.group(0).index("|") + 1
        return " " * start + label + " " * (len(m.group(0)) - start - len(label))

    for start, end in read_body(text).code:  # code, HTML comments and math, as the one Markdown reader finds them
        text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
    text = _URL.sub(blank, text)
    text = _MD_LINK_TARGET.sub(blank, text)
    text = _QUOTATION.sub(blank, text)
    return WIKILINK.sub(link, text)


def variants(text: str) -> list[tuple[int, int, str, str]]:
    """(line, column, variant found, term to use) for each banned variant in the prose of ``text``."""
    found = []
    shown = prose(text)
    for pattern, keep in _BANNED:
        for m in pattern.finditer(shown):
            line = shown.count("\n", 0, m.start()) + 1
            col = m.start() - (shown.rfind("\n", 0, m.start()) + 1) + 1
            found.append((line, col, m.group(0), keep))
    return sorted(found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Une plate-forme de calcul.", ["plate-forme"]),
        ("Le `backend` de Keras et son moteur.", []),
        ("Le backend JAX.", ["backend"]),
        ("```python\ntok = Tokenizer()  # tokenizer\n```\n", []),
        ("Voir [[Exécution eager]] puis [[Exécution eager|le mode eager]].", ["mode eager"]),
        ("La bibliothèque Hugging Face Tokenizers et son tokenizer.", ["tokenizer"]),
        ("<!-- plate-forme --> https://exemple.org/plate-forme [texte](https://x.org/backend)", []),
        ("Un cours de Deep Learning.", ["Deep Learning"]),
        ("Le cours « Practical Deep Learning for Coders ».", []),
    ],
)
def test_variants_are_found_in_prose_only(text, expected):
    assert [v for _, _, v, _ in variants(text)] == expected


@pytest.fixture(scope="module")
def kb():
    return build_knowledge_base(load_config(config_file=ROOT / "mkdocs.yml"), with_snippets=False)


def test_the_prose_of_the_vault_follows_the_glossary(kb):
    problems = []
    for note in kb.notes:
        if note.path in TODO_AFTER_MERGE or note.path == GLOSSARY:
            continue
        for _line, col, variant, keep in variants(note.description):
            problems.append(f"{note.path} (description, col {col}): « {variant} » → {keep}")
        for line, col, variant, keep in variants(note.body):
            problems.append(f"{note.path}:{note.body_line + line - 1}:{col}: « {variant} » → {keep}")
    assert problems == []


def test_the_todo_list_names_existing_notes(kb):
    paths = {note.path for note in kb.notes}
    assert sorted(TODO_AFTER_MERGE - paths) == []
