"""``kb import`` through the real entry point, into a copy of the small valid vault."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.kbtest import DATA, TEST_SITE, VALID, run_kb

IMPORT = DATA / "import"
CREATED = {
    "billet-cms.md": "alpha-et-beta-un-duel-amical.md",
    "expose-pdf.txt": "choisir-entre-alpha-et-beta.md",
    "lecon-traduite.md": "les-cadres-logiciels-expliques.md",
    "note-obsidian.md": "gamma.md",
}
UNREADABLE = {"ancien-encodage.txt": "not UTF-8", "image.png": "binary file", "vide.md": "empty file"}
DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: KB\d{3} (error|warning): .+$")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(VALID, folder)
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _import(vault: Path, *args: str):
    return run_kb("import", *args, "--into", str(vault / "imports"), "--vault", str(vault))


def test_round_trip_imports_checks_clean_and_is_idempotent(vault):
    proc = _import(vault, str(IMPORT), "--format", "json")
    assert proc.returncode == 1, proc.stderr  # three inputs cannot be read
    report = json.loads(proc.stdout)
    files = {Path(f["source"]).name: f for f in report["files"]}
    for name, target in CREATED.items():
        assert files[name]["status"] == "create"
        assert Path(files[name]["target"]).name == target
        assert (vault / "imports" / target).is_file()
    for name, message in UNREADABLE.items():  # each fails alone, with one KB501 error of its own
        [diag] = files[name]["diagnostics"]
        assert (diag["code"], diag["severity"]) == ("KB501", "error") and message in diag["message"]
        assert files[name]["target"] is None
    assert report["check"] == {"ran": True, "errors": 0, "warnings": 0, "diagnostics": []}

    clash = files["carrefour-bis.md"]  # a note of the vault is already called Carrefour
    assert clash["status"] == "clash" and clash["target"].endswith("imports/carrefour-2.md")
    assert clash["title"] == "Carrefour (2)"
    assert [d["code"] for d in clash["diagnostics"]] == ["KB503"]

    check = run_kb("check", str(vault), "--site-url", TEST_SITE)
    assert check.returncode == 0, check.stdout
    assert check.stdout.startswith("0 errors, 0 warnings") and "(10 files checked)" in check.stdout

    before = _files(vault)
    again = _import(vault, str(IMPORT))
    assert again.returncode == 1
    assert _files(vault) == before  # byte-identical: nothing rewritten, not even a date
    lines = again.stdout.splitlines()
    assert sum(line.endswith(": unchanged") for line in lines) == 5
    assert "summary: 5 unchanged, 3 failed" in lines and "kb check: not run (nothing written)" in lines
    errors = [line.strip() for line in lines if "KB501" in line]
    assert len(errors) == 3 and all(DIAGNOSTIC.match(line) for line in errors)


def test_dry_run_writes_nothing_and_shows_the_plan_and_a_diff(vault):
    before = _files(vault)
    proc = _import(vault, str(IMPORT / "billet-cms.md"), str(IMPORT / "carrefour-bis.md"), "--dry-run", "--type", "guide")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _files(vault) == before and not (vault / "imports").exists()
    out = proc.stdout
    assert out.startswith("import into ") and "(dry run: nothing written)" in out
    assert "alpha-et-beta-un-duel-amical.md: create" in out and "carrefour-2.md: clash" in out
    assert "--- /dev/null" in out and "imports/alpha-et-beta-un-duel-amical.md\n@@ -0,0 +1," in out
    assert "+title: Alpha et Bêta – un duel amical\n+type: guide\n" in out
    assert "repairs: BOM removed; CRLF → LF" in out
    assert "kb check: not run (dry run)" in out


def test_the_same_source_updates_in_place_keeping_its_creation_date(vault, tmp_path):
    source = tmp_path / "billet.md"
    shutil.copy(IMPORT / "billet-cms.md", source)
    assert _import(vault, str(source)).returncode == 0
    note = vault / "imports" / "alpha-et-beta-un-duel-amical.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(re.sub(r"date_creation: '[^']*'", "date_creation: '2020-01-01'", text), encoding="utf-8")
    source.write_bytes(source.read_bytes().replace(b"avance vite", "avance très vite".encode()))

    dry = _import(vault, str(source), "--dry-run")
    assert "alpha-et-beta-un-duel-amical.md: update" in dry.stdout
    assert "-Bêta avance vite, et [[Alpha]] tient bon." not in dry.stdout  # Alpha was linked earlier in the text
    assert "-Bêta avance vite, et Alpha tient bon." in dry.stdout and "+Bêta avance très vite, et Alpha tient bon." in dry.stdout

    assert _import(vault, str(source)).returncode == 0
    assert sorted(p.name for p in (vault / "imports").iterdir()) == [note.name]  # no -2: the same source
    updated = note.read_text(encoding="utf-8")
    assert "date_creation: '2020-01-01'" in updated and "avance très vite" in updated


def test_into_must_be_inside_the_vault(vault, tmp_path):
    proc = run_kb("import", str(IMPORT / "vide.md"), "--into", str(tmp_path / "ailleurs"), "--vault", str(vault))
    assert proc.returncode == 1
    assert "KB401 error: --into" in proc.stderr


def test_into_through_dot_dot_or_a_symlink_out_of_the_vault_is_refused(vault, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (vault / "sortie").symlink_to(outside)
    source = str(IMPORT / "billet-cms.md")
    for into in ("vault/../outside", "vault/sortie", "vault/sortie/sous-dossier", str(vault / "sortie")):
        proc = run_kb("import", source, "--into", into, "--vault", str(vault), cwd=tmp_path)
        assert proc.returncode == 1, into
        assert f"KB401 error: --into {into} is not inside the vault" in proc.stderr and "Traceback" not in proc.stderr
    assert list(outside.iterdir()) == []
    assert not (vault / "outside").exists() and not (vault / "vault").exists()  # never read a second way


def test_into_relative_to_the_working_directory_or_to_the_vault(vault, tmp_path):
    for into, folder in (("imports", vault / "imports"), ("vault/autres", vault / "autres")):
        proc = run_kb("import", str(IMPORT / "lecon-traduite.md"), "--into", into, "--vault", str(vault), cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert [p.name for p in folder.iterdir()] == [CREATED["lecon-traduite.md"]]
        shutil.rmtree(folder)  # the same source would otherwise be updated in place, not created again
