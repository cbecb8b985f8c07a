"""Recorded results: layout, JSON content, fresh/stale/missing, atomic writes."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtools.atomic import write_atomic
from kbtools.snippets import results
from kbtools.snippets.hashing import snippet_hash
from kbtools.snippets.header import SnippetSpec, variants
from kbtools.snippets.runner import RunResult


def rebase(result: RunResult, spec: SnippetSpec, index: int = 0, **changes) -> RunResult:
    """The same run, as if it had run the copy ``spec`` (so that saving writes into tmp_path)."""
    variant = variants(spec)[index]
    return dataclasses.replace(result, spec=spec, variant=variant, hash=snippet_hash(spec, variant), **changes)


@pytest.fixture
def ok(snippet_copy: Callable[[str], SnippetSpec], data_run: Callable[..., RunResult]) -> RunResult:
    return rebase(data_run("demo/ok_plot.py"), snippet_copy("demo/ok_plot.py"))


def test_save_layout_and_json(ok: RunResult) -> None:
    path = results.save(ok)
    folder = ok.spec.root / "demo" / "results" / "ok_plot"
    assert path == folder / "default.cpu.json"
    assert sorted(p.name for p in folder.iterdir()) == ["default.cpu.courbe.png", "default.cpu.json"]
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert data["snippet"] == "snippets/demo/ok_plot.py"
    assert data["title"] == "Une courbe matplotlib"
    assert (data["framework"], data["variant"], data["passed"]) == ("demo", "default", True)
    assert data["stdout"] == ok.stdout
    assert data["figures"] == ["default.cpu.courbe.png"]
    assert data["device"] == {"kind": "cpu", "name": ok.device.name}
    assert data["versions"] == ok.versions
    assert {"duration_s", "peak_rss_mb", "python", "date", "hash"} <= data.keys()
    assert data["confinement"]["process_tree"] in {"cgroup2", "subreaper"}
    assert data["confinement"]["environment"] == "allow-list"
    assert (folder / "default.cpu.courbe.png").read_bytes() == ok.figures["courbe.png"]
    assert results.load(ok.spec, ok.variant, "cpu") == data
    assert results.load(ok.spec, ok.variant, "gpu") is None
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_status_missing_fresh_stale(ok: RunResult) -> None:
    assert results.status(ok.spec) == {"default": "missing"}
    results.save(ok)
    assert results.status(ok.spec) == {"default": "fresh"}
    ok.spec.path.write_text(ok.spec.path.read_text() + "\nprint('une ligne de plus')\n")
    assert results.status(ok.spec) == {"default": "stale"}
    results.save(rebase(ok, ok.spec))
    assert results.status(ok.spec) == {"default": "fresh"}
    results.result_path(ok.spec, ok.variant, "cpu").write_text("{ pas du JSON")
    assert results.status(ok.spec) == {"default": "stale"}


def test_status_per_variant_and_device_kind(snippet_copy: Callable[[str], SnippetSpec], data_run: Callable[..., RunResult]) -> None:
    spec = snippet_copy("demo/matrix.py")  # device "any": a gpu record counts too
    gpu = dataclasses.replace(data_run("demo/matrix.py", 1).device, kind="gpu", name="NVIDIA H100")
    path = results.save(rebase(data_run("demo/matrix.py", 1), spec, 1, device=gpu))
    assert path.name == "KB_FLAVOUR-sel.gpu.json"
    assert results.status(spec) == {"KB_FLAVOUR=sucre": "missing", "KB_FLAVOUR=sel": "fresh"}
    spec.device = "cpu"  # now only a cpu record counts, and the declared needs changed anyway
    assert results.status(spec)["KB_FLAVOUR=sel"] == "missing"


def test_failed_record_is_not_fresh(ok: RunResult) -> None:
    results.save(dataclasses.replace(ok, passed=False))
    assert results.status(ok.spec) == {"default": "stale"}


def test_new_run_replaces_old_figures(ok: RunResult) -> None:
    results.save(dataclasses.replace(ok, figures={"a.png": b"1", "b.png": b"2"}))
    results.save(dataclasses.replace(ok, figures={"b.png": b"3"}))
    folder = results.result_path(ok.spec, ok.variant, "cpu").parent
    assert sorted(p.name for p in folder.glob("*.png")) == ["default.cpu.b.png"]
    assert (folder / "default.cpu.b.png").read_bytes() == b"3"


def test_stdout_truncated_with_note(ok: RunResult) -> None:
    long = "é" * 30_000  # 60 000 bytes
    results.save(dataclasses.replace(ok, stdout=long))
    stored = results.load(ok.spec, ok.variant, "cpu")["stdout"]
    assert len(stored.encode()) < results.STDOUT_LIMIT + 200
    assert "sortie tronquée : 40000 octets omis sur 60000" in stored
    assert results.truncate_stdout("court") == "court"


def test_all_results(ok: RunResult) -> None:
    assert results.all_results(ok.spec.root) == {}
    path = results.save(ok)
    found = results.all_results(ok.spec.root)
    assert list(found) == [path]
    assert found[path]["snippet"] == "snippets/demo/ok_plot.py"


def test_atomic_write_replaces_and_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "deep" / "f.json"
    write_atomic(target, "premier")
    assert target.read_text() == "premier"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)

    def boom(src, dst):
        raise OSError("disque plein")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disque plein"):
        write_atomic(target, "second")
    assert target.read_text() == "premier"  # the old content survives a failed write
    assert sorted(p.name for p in target.parent.iterdir()) == ["f.json"]  # no temp file left behind
