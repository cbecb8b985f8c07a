"""The writer speaks the vault's dialect, its notes read back clean, and writes are atomic."""

from __future__ import annotations

import os
import stat

import pytest

from kbtools import atomic
from kbtools.atomic import write_atomic
from kbtools.importer.writer import render
from kbtools.notes import read_note
from tests.kbtest import VALID

FIELDS = {
    "language": "fr",  # out of order on purpose: the writer puts keys in the vault's order
    "title": "Leçon : l'essentiel",
    "type": "source",
    "tags": ["Test", "Deep Learning"],
    "date_creation": "2030-01-02",
    "date_modification": "2030-01-03",
    "description": "Une phrase, avec « guillemets » et deux-points : oui.",
    "isPartOf": "[[Carrefour]]",
    "seeAlso": ["[[Alpha]]", "[[L'ancien alpha]]"],
    "author": ["Ada Lovelace", "Alan Turing"],
    "url": "https://example.org/lecon",
    "date_published": "2029-12-31",
}
ORIGIN = {"id": "https://example.org/lecon", "format": "cms-export", "file": "in.md", "fields": {"series": "Un", "n": ["a", "b"]}}


def test_an_existing_note_is_written_back_byte_for_byte():
    original = (VALID / "carrefour.md").read_text(encoding="utf-8")
    fields = {"title": "Carrefour", "type": "hub", "tags": ["Test"], "date_creation": "2026-01-01", "date_modification": "2026-01-02"}
    assert render(fields, "## Généralité\n\nLe point d'entrée du petit coffre de test.\n") == original


def test_dialect_key_order_quoting_and_lists():
    text = render(FIELDS, "\n\nCorps.\n\n", ORIGIN)
    lines = text.splitlines()
    keys = [line.split(":")[0] for line in lines[1 : lines.index("---", 1)] if line[:1].isalpha()]
    assert keys == ["title", "type", "tags", "date_creation", "date_modification", "description", "isPartOf", "seeAlso",
                    "author", "url", "date_published", "language", "origin"]  # fmt: skip
    assert "title: 'Leçon : l''essentiel'" in lines
    assert "date_creation: '2030-01-02'" in lines and "date_published: '2029-12-31'" in lines
    assert "isPartOf: '[[Carrefour]]'" in lines
    assert "- '[[L''ancien alpha]]'" in lines  # list items flush with their key, wikilinks single-quoted
    assert "  id: https://example.org/lecon" in lines
    assert text.endswith("---\nCorps.\n")  # no blank line after the frontmatter, one final newline


def test_the_rendered_note_reads_back_with_no_diagnostics(tmp_path):
    path = tmp_path / "n.md"
    path.write_text(render(FIELDS, "Corps avec [[Alpha]].", ORIGIN), encoding="utf-8")
    note, diags = read_note(tmp_path, path)
    assert diags == []
    assert note.title == "Leçon : l'essentiel" and note.type == "source"
    assert note.tags == ["Test", "Deep Learning"]
    assert str(note.created) == "2030-01-02" and str(note.modified) == "2030-01-03"
    assert note.source_meta["author"] == ["Ada Lovelace", "Alan Turing"]
    assert str(note.source_meta["date_published"]) == "2029-12-31"
    assert note.origin == ORIGIN
    assert [str(link.link) for link in note.links] == ["[[Carrefour]]", "[[Alpha]]", "[[L'ancien alpha]]", "[[Alpha]]"]


def test_write_is_atomic_and_keeps_the_mode(tmp_path):
    path = tmp_path / "sub" / "n.md"
    write_atomic(path, "un\n")
    assert path.read_text() == "un\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()  # as a plain write, not mkstemp's 0600
    os.chmod(path, 0o640)
    write_atomic(path, "deux\n")
    assert path.read_text() == "deux\n" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["n.md"]  # no temporary file left


def test_a_failed_write_leaves_the_old_note_whole(tmp_path, monkeypatch):
    path = tmp_path / "n.md"
    path.write_text("ancien\n")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(path, "nouveau\n")
    assert path.read_text() == "ancien\n"
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
