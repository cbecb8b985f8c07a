"""The plan: where each input goes and under which name, without ever overwriting another note."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from kbtools.importer.command import prepare
from kbtools.importer.plan import diff, finish, place
from kbtools.notes import read_vault
from tests.kbtest import VALID

TODAY = date(2030, 1, 1)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(VALID, folder)
    return folder


def _items(tmp_path: Path, *texts: str):
    items = []
    for i, text in enumerate(texts):
        path = tmp_path / f"in{i}.md"
        path.write_text(text, encoding="utf-8")
        items.append(prepare(path, today=TODAY))
    return items


def _plan(vault: Path, items):
    notes = read_vault(vault).notes
    index, placed = place(items, notes, vault, vault / "imports")
    for item in items:
        if id(item) in placed:
            finish(item, placed[id(item)].existing, TODAY)
    return index


def test_two_inputs_with_one_title_get_distinct_names(vault, tmp_path):
    a, b = _items(tmp_path, "# Nouveau\n\nun\n", "# Nouveau\n\ndeux\n")
    _plan(vault, [a, b])
    assert (a.target.name, a.fields["title"], a.status) == ("nouveau.md", "Nouveau", "create")
    assert (b.target.name, b.fields["title"], b.status) == ("nouveau-2.md", "Nouveau (2)", "clash")
    assert b.origin["title"] == "Nouveau" and [d.code for d in b.diagnostics] == ["KB503"]


def test_a_file_already_there_is_never_overwritten(vault, tmp_path):
    (vault / "imports").mkdir()
    (vault / "imports" / "page-libre.md").write_text("# Une page à la main\n")  # no frontmatter: not a note, still a file
    [item] = _items(tmp_path, "# Page libre\n\ntexte\n")
    _plan(vault, [item])
    assert item.target.name == "page-libre-2.md" and item.fields["title"] == "Page libre"
    [diag] = item.diagnostics
    assert diag.code == "KB503" and "page-libre.md is taken" in diag.message


@pytest.mark.parametrize("title", ["Bêta", "BETA", "L'ancien alpha", "source-un"])  # a title, an alias, a file stem
def test_every_name_the_vault_resolves_counts_as_a_clash(vault, tmp_path, title):
    [item] = _items(tmp_path, f"# {title}\n\ntexte\n")
    _plan(vault, [item])
    assert item.fields["title"] == f"{title} (2)" and item.status == "clash"


def test_clashing_aliases_are_left_out_and_kept(vault, tmp_path):
    [item] = _items(tmp_path, "---\ntitle: Delta\naliases: [Carrefour, Quatrième]\n---\ntexte\n")
    _plan(vault, [item])
    assert item.fields["aliases"] == ["Quatrième"] and item.origin["aliases"] == ["Carrefour"]
    assert [d.code for d in item.diagnostics] == ["KB503"]


def test_the_same_source_twice_in_one_import_is_imported_once(vault, tmp_path):
    a, b = _items(tmp_path, "# Pareil\n\ntexte\n", "# Pareil\n\ntexte\n")
    _plan(vault, [a, b])
    assert a.status == "create" and b.status == "skipped" and b.target is None
    assert "given twice" in b.diagnostics[0].message


def test_a_note_from_the_same_source_is_updated_in_place_wherever_it_is(vault, tmp_path):
    [first] = _items(tmp_path, "---\ntitle: Article\noriginalURL: https://e.org/a\n---\nversion un\n")
    _plan(vault, [first])
    moved = vault / "ailleurs" / "article-deplace.md"  # the user moved and renamed it since
    moved.parent.mkdir()
    moved.write_text(first.new_text, encoding="utf-8")
    [same] = _items(tmp_path, "---\ntitle: Article\noriginalURL: https://e.org/a\n---\nversion un\n")
    _plan(vault, [same])
    assert (same.target, same.status, diff(same)) == (moved, "unchanged", "")
    [changed] = _items(tmp_path, "---\ntitle: Article\noriginalURL: https://e.org/a\n---\nversion deux\n")
    _plan(vault, [changed])
    assert (changed.target, changed.status) == (moved, "update")
    assert "-version un\n+version deux\n" in diff(changed) and diff(changed).startswith("--- a/")


def test_malformed_metadata_fails_that_file_with_kb504(tmp_path):
    [item] = _items(tmp_path, "---\ntitle: [oops\ntype: concept\n---\ntexte\n")
    assert item.status == "failed"
    [diag] = item.diagnostics
    assert diag.code == "KB504" and diag.is_error and diag.line == 3
