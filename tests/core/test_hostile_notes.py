"""Small hostile or broken notes: a diagnostic, never a hang, a traceback or a file read from outside."""

from __future__ import annotations

import dataclasses
import os

import pytest

from kbtools.config import load_config
from kbtools.frontmatter import MAX_NODES, split
from kbtools.pipeline import build_knowledge_base


def _codes(text: str) -> list[tuple[str, int]]:
    _, diags = split(text, "n.md")
    return [(d.code, d.line) for d in diags]


def test_billion_laughs_is_refused_without_expanding():
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]  # 10^9 leaves
    lines += ["aliases: *a8", "title: Rire", "---", "corps"]
    fm, diags = split("\n".join(lines), "n.md")
    assert [d.code for d in diags] and all(d.code == "KB002" for d in diags)
    assert any(str(MAX_NODES) in d.message for d in diags)
    assert fm.entries["title"].value.data == "Rire"  # the other keys are still read


def test_self_referring_anchor_and_deep_nesting_are_diagnostics():
    assert ("KB002", 2) in _codes("---\naliases: &a [x, *a]\n---\n")
    deep = "---\nk: " + "[" * 600 + "]" * 600 + "\n---\n"
    assert [code for code, _ in _codes(deep)] == ["KB002"]


def test_yaml_1_1_booleans_and_numbers_stay_text():
    fm, diags = split("---\ntitle: no\naliases: [off, 1.0, 2025-01-01]\n---\n", "n.md")
    assert diags == [] and fm.entries["title"].value.plain() == "no"
    assert fm.entries["aliases"].value.plain() == ["off", "1.0", "2025-01-01"]


def test_note_too_large_symlink_out_of_the_vault_and_name_clashes(tmp_path):
    vault = tmp_path / "coffre"
    vault.mkdir()
    (vault / "grande.md").write_text("x" * 2000, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe", encoding="utf-8")
    (vault / "lien.md").symlink_to(secret)
    (vault / "Pr\u00e9sentation.md").write_text("NFC", encoding="utf-8")
    (vault / "Pre\u0301sentation.md").write_text("NFD", encoding="utf-8")
    (vault / "Casse.md").write_text("a", encoding="utf-8")
    (vault / "casse.md").write_text("b", encoding="utf-8")
    config = load_config(vault)
    kb = build_knowledge_base(dataclasses.replace(config, max_note_bytes=1000))
    found = {(os.path.basename(d.path), d.code) for d in kb.diagnostics}
    assert ("grande.md", "KB005") in found
    assert ("lien.md", "KB001") in found
    forms = [d for d in kb.diagnostics if d.code == "KB006" and "Unicode" in d.message]
    assert len(forms) == 1 and forms[0].is_error
    assert not any("mot de passe" in n.body for n in kb.notes)
    case = [d for d in kb.diagnostics if d.code == "KB006" and "case" in d.message]
    assert len(case) == 1 and not case[0].is_error


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 folder anyway: the refusal cannot happen as root")
def test_unreadable_folder_is_reported(tmp_path):
    vault = tmp_path / "coffre"
    (vault / "ferme").mkdir(parents=True)
    (vault / "ferme" / "note.md").write_text("x", encoding="utf-8")
    (vault / "ferme").chmod(0)
    try:
        kb = build_knowledge_base(load_config(vault))
        assert [d.code for d in kb.diagnostics] == ["KB001"]
    finally:
        (vault / "ferme").chmod(0o755)
