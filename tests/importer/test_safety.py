"""``kb import`` of a foreign file holding scripts: the note it writes carries none of them,
says what it removed (KB133, KB134), and keeps the rest of the text as written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.kbtest import DATA, VALID, run_kb

HOSTILE = DATA / "import_hostile" / "billet-piege.md"


def test_imported_note_carries_no_script(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(VALID, vault)
    proc = run_kb("import", str(HOSTILE), "--into", str(vault / "imports"), "--vault", str(vault), "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [item] = json.loads(proc.stdout)["files"]
    note = Path(item["target"]).read_text(encoding="utf-8")

    for gone in ("onerror", "onclick", "onmouseover", "<script>alert(\"script\")", "](javascript:", "<b>"):
        assert gone not in note, gone
    # what was safe is kept as written: the allowed markup, code spans, fences, comments
    for kept in (
        '<span class="note">annoté</span>',
        '<div class="encadre">',
        "<p>Un encadré.</p>",
        '<img src="https://blog.example.org/a.png" alt="figure">',
        "`<script>alert(\"code\")</script>`",
        "<iframe src=\"javascript:alert('fence')\"></iframe>",
        "<!-- kb:snippet alpha/demo -->",
        "[lien](#javascript:alert('lien'))",
    ):
        assert kept in note, kept
    assert "tags:\n- Alpha\n- Comparatif\n" in note  # the tag that was only markup is left out

    found = {(d["code"], d["line"]) for d in item["diagnostics"] if d["code"] in ("KB133", "KB134")}
    assert found == {("KB133", 16), ("KB133", 18), ("KB133", 20), ("KB133", 24), ("KB134", 3), ("KB134", 8)}  # tags: where its value starts
    assert all(d["severity"] == "warning" for d in item["diagnostics"] if d["code"] in ("KB133", "KB134"))
