"""Wikilinks of imported notes: mentions of existing notes linked once, relations checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtools.importer.item import ImportItem
from kbtools.importer.linking import autolink, check_body_links, check_relations
from kbtools.notes import Note
from kbtools.resolve import NameIndex


def _note(path: str, title: str, *aliases: str, kind: str = "concept") -> Note:
    return Note(path=path, title=title, aliases=list(aliases), type=kind)


ME = _note("imports/moi.md", "Moi-même", "Cette note")
NOTES = [
    _note("a.md", "Alpha", "L’ancien alpha"),
    _note("b.md", "Bêta"),
    _note("p.md", "Présentation de PyTorch", "PyTorch", "torch"),
    _note("l.md", "PyTorch Lightning"),
    _note("j.md", "JAX"),
    _note("s.md", "Source Un", kind="source"),
    _note("d1.md", "Premier double", "Double"),
    _note("d2.md", "Second double", "Double"),
    ME,
]


def _linked(body: str) -> tuple[str, list[str]]:
    item = ImportItem(source=Path("in.md"), shown="in.md", body=body)
    autolink(item, NameIndex(NOTES), ME)
    return item.body, item.links


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("alpha puis Alpha", "[[Alpha|alpha]] puis Alpha"),  # the first mention only
        ("Alpha", "[[Alpha]]"),  # written as the title: no label
        ("la beta et la BÊTA", "la [[Bêta|beta]] et la BÊTA"),  # accents and case do not matter
        ("l'ancien alpha", "[[Alpha|l'ancien alpha]]"),  # aliases too, apostrophe style aside
        ("Alphabet, alphanumérique", "Alphabet, alphanumérique"),  # whole words only
        ("JAX et Jax", "JAX et Jax"),  # names shorter than four characters are left alone
        ("PyTorch Lightning et PyTorch", "[[PyTorch Lightning]] et [[Présentation de PyTorch|PyTorch]]"),  # longest name first
        ("torch.nn et torch", "torch.nn et [[Présentation de PyTorch|torch]]"),  # not inside a dotted name
        # CommonMark: the ``` of line 1 closes nothing (line 3 opens a fence that runs to the end),
        # so line 2 is prose and the last line is code
        ("`Alpha` et ```\nAlpha\n```\nAlpha", "`Alpha` et ```\n[[Alpha]]\n```\nAlpha"),
        ("## Alpha\n\nAlpha", "## Alpha\n\n[[Alpha]]"),  # not in headings
        ("[Alpha](https://a.org) [[Bêta]] https://alpha.org Alpha", "[Alpha](https://a.org) [[Bêta]] https://alpha.org [[Alpha]]"),
        ("| Alpha | x |\n\nAlpha", "| Alpha | x |\n\n[[Alpha]]"),  # a | in a table cell would break the table
        ("<!-- Alpha -->Alpha", "<!-- Alpha -->Alpha"),  # CommonMark: the line is an HTML block
        ("Texte <!-- Alpha --> Alpha", "Texte <!-- Alpha --> [[Alpha]]"),
        ("Double", "Double"),  # a name of two notes links to neither
        ("Cette note, Moi-même", "Cette note, Moi-même"),  # never to itself
        ("Source  Un", "[[Source Un|Source  Un]]"),
    ],
)
def test_first_plain_mention_becomes_a_wikilink(body, expected):
    assert _linked(body)[0] == expected


def test_links_are_reported_in_text_order():
    assert _linked("Bêta puis alpha")[1] == ["Bêta → [[Bêta]]", "alpha → [[Alpha]]"]


def _with_fields(**fields) -> ImportItem:
    item = ImportItem(source=Path("in.md"), shown="in.md", fields={"title": "Moi-même", **fields}, origin={"id": "x"})
    item.positions = {"seeAlso": (7, 1), "sources": (9, 1)}
    return item


def test_relations_that_resolve_stay_and_the_others_move_to_origin():
    item = _with_fields(
        seeAlso=["[[Alpha]]", "[[Alfa]]", "[[Double]]", "[[Moi-même]]"],
        sources=["[[Source Un]]", "[[Bêta]]"],
        isPartOf="[[Nulle part]]",
    )
    check_relations(item, NameIndex(NOTES), ME)
    assert item.fields["seeAlso"] == ["[[Alpha]]"]
    assert item.fields["sources"] == ["[[Source Un]]"]
    assert "isPartOf" not in item.fields
    assert item.origin["unresolved"] == {
        "seeAlso": ["[[Alfa]]", "[[Double]]", "[[Moi-même]]"],
        "sources": ["[[Bêta]]"],
        "isPartOf": ["[[Nulle part]]"],
    }
    messages = [(d.code, d.line, d.message) for d in item.diagnostics]
    assert ("KB506", 7, "seeAlso [[Alfa]]: names no note") in messages
    assert any("did you mean \"Alpha\"" in d.hint for d in item.diagnostics)
    assert ("KB506", 9, "sources [[Bêta]]: points to 'Bêta', which is no source") in messages
    assert all(not d.is_error for d in item.diagnostics)


def test_body_links_that_resolve_to_no_single_note_become_text():
    item = ImportItem(source=Path("in.md"), shown="in.md", body="Voir [[Alpha]], [[Nulle part|ce lien]] et\n[[Double]].", body_line=10)
    check_body_links(item, NameIndex(NOTES))
    assert item.body == "Voir [[Alpha]], ce lien et\nDouble."
    assert item.origin["unresolved"]["mentions"] == ["[[Nulle part|ce lien]]", "[[Double]]"]
    assert [(d.line, d.col) for d in item.diagnostics] == [(11, 1), (10, 17)]
