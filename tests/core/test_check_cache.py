"""``kb check`` on an unchanged vault answers from .kb-cache/, with the very same output."""

from __future__ import annotations

import shutil

from tests.kbtest import INVALID, run_kb


def test_cached_result_equals_a_fresh_one_and_an_edit_invalidates_it(tmp_path):
    vault = tmp_path / "coffre"
    shutil.copytree(INVALID, vault)
    first = run_kb("check", str(vault), "--no-shacl", cwd=tmp_path)
    cached = list((tmp_path / ".kb-cache" / "check").glob("*.json"))
    assert len(cached) == 1
    second = run_kb("check", str(vault), "--no-shacl", cwd=tmp_path)
    fresh = run_kb("check", str(vault), "--no-shacl", "--no-cache", cwd=tmp_path)
    assert first.returncode == second.returncode == fresh.returncode == 1
    assert first.stdout == second.stdout == fresh.stdout
    # the cache really answers: a doctored entry is what the next run prints
    text = cached[0].read_text(encoding="utf-8").replace("dangling link", "lien pendant (cache)")
    cached[0].write_text(text, encoding="utf-8")
    assert "lien pendant (cache)" in run_kb("check", str(vault), "--no-shacl", cwd=tmp_path).stdout
    # any change of a note's bytes is a new key
    note = next(vault.rglob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", encoding="utf-8")
    after = run_kb("check", str(vault), "--no-shacl", cwd=tmp_path)
    assert "lien pendant (cache)" not in after.stdout and after.stdout == fresh.stdout
    # SHACL on or off are two results
    assert run_kb("check", str(vault), cwd=tmp_path).stdout != ""
    assert len(list((tmp_path / ".kb-cache" / "check").glob("*.json"))) == 3


def test_the_key_holds_the_versions_of_the_graph_and_shacl_libraries():
    import pyshacl
    import rdflib

    from kbtools import check_cache

    versions = check_cache._library_versions()
    assert rdflib.__version__ in versions and pyshacl.__version__ in versions and "" not in versions
