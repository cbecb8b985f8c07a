"""Each repair, table-driven, with its count and its message; damage that is only reported."""

from __future__ import annotations

import pytest

from kbtools.importer.repair import Repair, repair_text, repair_value, suspicions
from tests.kbtest import DATA

# (damaged input, Markdown?, repaired text, {kind: count})
CASES = [
    ("\ufeffTitre\n", True, "Titre\n", {"bom": 1}),
    ("a\r\nb\r\nc", True, "a\nb\nc", {"crlf": 2}),
    ("a\rb", True, "a\nb", {"cr": 1}),
    ("Les rÃ©seaux dâ€™un Â« cadre Â»", True, "Les réseaux d’un « cadre »", {"mojibake": 4}),
    ("Ã  la fois\nrien Ã  voir", True, "à la fois\nrien à voir", {"mojibake": 2}),
    ("Alpha \x13 Bêta \x13 Gamma", True, "Alpha – Bêta – Gamma", {"U+0013": 2}),
    ("un \x14 deux, l\x19un", True, "un — deux, l’un", {"U+0014": 1, "U+0019": 1}),
    ("a\x96b", True, "a–b", {"mojibake": 1}),  # a C1 control is Windows-1252 read as Latin-1
    ("a\x07b\x1bc\x81d", True, "abcd", {"controls": 3}),
    ("page 1\x0cpage 2", False, "page 1\npage 2", {"form-feed": 1}),
    ("Re\u0301sume\u0301", True, "Résumé", {"nfc": 2}),
    ("fin  \n\nsuite \t\n", True, "fin\n\nsuite\n", {"trailing-spaces": 2}),
    ("ligne   \nsuite", True, "ligne  \nsuite", {"trailing-spaces": 1}),  # a hard break stays, as two spaces
    ("ligne  \nsuite", True, "ligne  \nsuite", {}),
    ("ligne  \nsuite", False, "ligne\nsuite", {"trailing-spaces": 1}),  # plain text has no hard breaks
    ("- un  \n- deux  \n", True, "- un\n- deux\n", {"trailing-spaces": 2}),  # before a new item: no break
    ("# Titre  \nsuite", True, "# Titre\nsuite", {"trailing-spaces": 1}),
    ("a | b  \n--|--  \n", True, "a | b\n--|--\n", {"trailing-spaces": 2}),
    ("```\ncode  \n```\n", True, "```\ncode  \n```\n", {}),  # code is left alone
    ("Le café — « déjà » à Noël, l’été.", True, "Le café — « déjà » à Noël, l’été.", {}),  # sound text is untouched
]


@pytest.mark.parametrize(("damaged", "markdown", "repaired", "counts"), CASES)
def test_each_repair_and_its_count(damaged, markdown, repaired, counts):
    text, repairs = repair_text(damaged, markdown=markdown)
    assert text == repaired
    assert {r.kind: r.count for r in repairs} == counts


@pytest.mark.parametrize(
    ("repair", "message"),
    [
        (Repair("mojibake", 12), "mojibake fixed (12 sequences)"),
        (Repair("mojibake", 1), "mojibake fixed (1 sequence)"),
        (Repair("U+0013", 2), "U+0013 replaced by '–' (2)"),
        (Repair("bom", 1), "BOM removed"),
        (Repair("crlf", 3), "CRLF → LF (3 lines)"),
        (Repair("hard-wrap", 34), "hard-wrapped lines joined (34)"),
        (Repair("trailing-spaces", 5), "trailing spaces removed (5 lines)"),
        (Repair("bullets", 2), "bullets • → - (2)"),
        (Repair("U+0013", 1, "title"), "U+0013 replaced by '–' (1) in title"),
    ],
)
def test_repair_messages(repair, message):
    assert repair.message == message


def test_metadata_values_get_the_text_repairs_but_keep_their_spaces():
    text, repairs = repair_value("PyTorch \x13 RÃ©sumÃ©", "title")
    assert text == "PyTorch – Résumé"
    assert {(r.kind, r.where) for r in repairs} == {("U+0013", "title"), ("mojibake", "title")}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("ok\ndeux bibliothèques  PyTorch et TensorFlow  et voir", 2, "a dash may have been lost (1 line)"),
        ("ok\n\n## âœï¸ Exercices", 3, "mojibake left as is"),
        ("perdu : \ufffd\ufffd", 1, "U+FFFD"),
    ],
)
def test_damage_that_cannot_be_undone_is_reported_not_repaired(text, line, words):
    found = suspicions(text)
    assert len(found) == 1
    assert found[0][0] == line and words in found[0][1]
    assert repair_text(text, markdown=True)[0] == text


def test_sound_text_raises_no_suspicion():
    assert suspicions("Une phrase normale.\n\n    indented  code\n| a  b | c |\n```\nx  y\n```") == []
    assert suspicions("texte  justifié  par  un  PDF", markdown=False) == []


@pytest.mark.parametrize("name", ["billet-cms.md", "lecon-traduite.md", "expose-pdf.txt", "note-obsidian.md"])
def test_a_repaired_fixture_needs_no_second_repair(name):
    raw = (DATA / "import" / name).read_bytes().decode("utf-8")
    markdown = not name.endswith(".txt")
    once, repairs = repair_text(raw, markdown=markdown)
    assert repairs or name == "note-obsidian.md"  # the damaged fixtures are repaired…
    assert repair_text(once, markdown=markdown) == (once, [])  # …and once is enough
