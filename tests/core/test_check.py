"""`kb check` through the real entry point, on small valid and invalid vaults."""

from __future__ import annotations

import json
import shutil

from tests.kbtest import INVALID, TEST_SITE, VALID, run_kb

# Every problem planted in tests/data/vaults/invalid, where it is (file, line, col, code).
EXPECTED = {
    ("alpha.md", 3, 1, "KB106"),  # alias 'Double' also used by double.md
    ("alpha.md", 4, 7, "KB109"),  # type 'framwork'
    ("alpha.md", 5, 11, "KB104"),  # isPartOf itself
    ("broken.md", 4, 1, "KB002"),  # unclosed flow sequence
    ("cycle-a.md", 3, 13, "KB105"),
    ("cycle-b.md", 3, 13, "KB105"),
    ("dangling.md", 5, 3, "KB102"),  # [[Alfa]] in a relation
    ("dangling.md", 7, 6, "KB102"),  # [[Nulle part]] in the body
    ("dates-order.md", 4, 20, "KB108"),
    ("dates.md", 3, 16, "KB107"),
    ("double.md", 3, 1, "KB106"),
    ("double.md", 5, 1, "KB110"),  # unknown key 'seealso'
    ("double.md", 6, 11, "KB111"),  # relation not a wikilink
    ("double.md", 8, 11, "KB103"),  # [[Double]] is ambiguous
    ("unclosed.md", 1, 1, "KB004"),
}


def _found(report: dict) -> set[tuple]:
    return {(d["path"].rsplit("/", 1)[-1], d["line"], d["col"], d["code"]) for d in report["diagnostics"]}


def test_valid_vault_passes_with_shacl():
    proc = run_kb("check", str(VALID), "--site-url", TEST_SITE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("(5 files checked)")
    assert proc.stdout.startswith("0 errors, 0 warnings")


def test_every_planted_problem_is_reported_at_its_place():
    proc = run_kb("check", str(INVALID), "--format", "json", "--no-shacl")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert _found(report) == EXPECTED
    assert report["errors"] == 14 and report["warnings"] == 1


def test_text_format_groups_per_file_and_names_suggestions():
    proc = run_kb("check", "--vault", str(INVALID), "--no-shacl")
    lines = proc.stdout.splitlines()
    assert lines[-1] == "14 errors, 1 warning in 9 files (10 files checked)"
    dangling = next(line for line in lines if "[[Alfa]]" in line)
    assert dangling.endswith('KB102 error: dangling link [[Alfa]] (did you mean "Alpha"?)')
    assert ":5:3:" in dangling
    # one blank line between files, none inside a file
    paths = [line.split(":")[0] for line in lines[:-2] if line]
    assert paths == sorted(paths)


def test_warnings_fail_only_with_strict(tmp_path):
    vault = tmp_path / "v"
    shutil.copytree(VALID, vault)
    (vault / "extra.md").write_text("---\ntitle: Extra\nisPartOf: '[[Carrefour]]'\nauteur: moi\n---\n", encoding="utf-8")
    relaxed = run_kb("check", str(vault), "--no-shacl")
    assert relaxed.returncode == 0 and "KB110 warning: unknown frontmatter key 'auteur'" in relaxed.stdout
    assert run_kb("check", str(vault), "--no-shacl", "--strict").returncode == 1


def test_shacl_violation_points_at_the_key(tmp_path):
    vault = tmp_path / "v"
    shutil.copytree(VALID, vault)
    # a source must be a kb:Source: pointing `sources` at a hub breaks the shape
    (vault / "gamma.md").write_text(
        "---\ntitle: Gamma\nisPartOf: '[[Carrefour]]'\nsources:\n- '[[Carrefour]]'\n---\n", encoding="utf-8"
    )
    proc = run_kb("check", str(vault), "--format", "json")
    assert proc.returncode == 1
    shacl = [d for d in json.loads(proc.stdout)["diagnostics"] if d["code"] == "KB120"]
    assert len(shacl) == 1
    assert shacl[0]["path"].endswith("gamma.md") and shacl[0]["line"] == 4
    assert "kb:sources" in shacl[0]["message"]


def test_missing_vault_is_a_clear_error(tmp_path):
    proc = run_kb("check", str(tmp_path / "nowhere"))
    assert proc.returncode == 1
    assert "KB401 error: vault folder does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unreadable_note_does_not_stop_the_others(tmp_path):
    vault = tmp_path / "v"
    shutil.copytree(VALID, vault)
    (vault / "latin1.md").write_bytes("---\ntitle: Réseau\n---\n".encode("latin-1"))
    proc = run_kb("check", str(vault), "--format", "json", "--no-shacl")
    report = json.loads(proc.stdout)
    assert [d["code"] for d in report["diagnostics"]] == ["KB001"]
    assert report["files"] == 6
