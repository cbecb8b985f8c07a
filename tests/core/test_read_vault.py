"""Paths shown in diagnostics are relative to the working directory, wherever it is."""

from __future__ import annotations

import os

import pytest

from kbtools.notes import read_vault


@pytest.mark.parametrize("cwd", [".", "coffre", "coffre/a", "ailleurs", "/"])
@pytest.mark.parametrize("given", ["absolute", "relative"])
def test_note_file_is_its_path_from_the_working_directory(tmp_path, monkeypatch, cwd, given):
    vault = tmp_path / "coffre"
    for rel in ("index.md", "a/b c.md", "a/d/É.md", "a\\b.md"):
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text("Texte\n", encoding="utf-8")
    (tmp_path / "ailleurs").mkdir()
    monkeypatch.chdir(tmp_path / cwd if cwd != "/" else "/")
    root = vault if given == "absolute" else os.path.relpath(vault)
    found = sorted(n.file for n in read_vault(type(vault)(root)).notes)
    expected = sorted(os.path.relpath(vault / rel) for rel in ("index.md", "a/b c.md", "a/d/É.md", "a\\b.md"))
    assert found == expected
