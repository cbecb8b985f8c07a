"""Exports: three formats that parse back to the same graph, written atomically."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kbtools import atomic
from kbtools import export as export_mod
from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from tests.kbtest import INVALID, TEST_SITE, VALID, run_kb


def _plain(graph: Graph) -> Graph:
    out = Graph()
    out.parse(data=graph.serialize(format="ox-nt"), format="nt")
    return out


def test_cli_export_writes_three_formats_that_round_trip(tmp_path):
    proc = run_kb("export", str(VALID), "--site-url", TEST_SITE, "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    expected = _plain(build_knowledge_base(load_config(VALID, site_url=TEST_SITE)).graph)
    for name, fmt in (("kb.ttl", "turtle"), ("kb.nt", "nt"), ("kb.jsonld", "json-ld")):
        parsed = Graph().parse(tmp_path / name, format=fmt)
        assert isomorphic(_plain(parsed), expected), name


def test_jsonld_uses_the_project_context(tmp_path):
    run_kb("export", str(VALID), "--site-url", TEST_SITE, "-o", str(tmp_path), "--format", "jsonld")
    text = (tmp_path / "kb.jsonld").read_text(encoding="utf-8")
    assert '"@context"' in text and '"title": "Alpha"' in text
    assert not (tmp_path / "kb.ttl").exists()


def test_export_refuses_a_vault_with_errors(tmp_path):
    proc = run_kb("export", str(INVALID), "-o", str(tmp_path))
    assert proc.returncode == 1 and "export refused" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_serialisation_leaves_previous_files_intact(tmp_path, monkeypatch):
    kb = build_knowledge_base(load_config(VALID, site_url=TEST_SITE))
    (tmp_path / "kb.ttl").write_text("ancien", encoding="utf-8")
    real = export_mod.serialize

    def failing(graph, fmt, context=None):
        if fmt == "jsonld":
            raise RuntimeError("disque plein")
        return real(graph, fmt, context)

    monkeypatch.setattr(export_mod, "serialize", failing)
    with pytest.raises(RuntimeError):
        export_mod.export(kb.graph, tmp_path, ["ttl", "jsonld"])
    assert (tmp_path / "kb.ttl").read_text(encoding="utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb.ttl"]


def test_write_atomic_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    target = tmp_path / "x.ttl"
    atomic.write_atomic(target, "ancien")
    target.chmod(0o640)

    def refuse(src, dst):
        raise OSError("disque plein")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(OSError):
        atomic.write_atomic(target, "nouveau")
    assert target.read_text(encoding="utf-8") == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["x.ttl"]


def test_write_atomic_keeps_the_mode_and_makes_new_files_readable(tmp_path):
    old = tmp_path / "old.ttl"
    atomic.write_atomic(old, "a")
    old.chmod(0o640)
    atomic.write_atomic(old, "b")
    assert old.stat().st_mode & 0o777 == 0o640
    fresh = atomic.write_atomic(tmp_path / "new.ttl", "c")
    assert fresh.stat().st_mode & 0o044 == 0o044  # group and others can read (umask 022 or laxer)
