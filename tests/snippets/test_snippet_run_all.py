"""``kb snippets run``: counts, --changed without any process, --update, exit code."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtools.snippets import run_all
from kbtools.snippets.header import discover
from kbtools.snippets.results import status


@pytest.fixture
def tree(tmp_path: Path, copy_fixture_snippets: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """demo (2 passing snippets with 3 variants, 1 failing) + gpu (1 snippet), no GPU visible."""
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    return copy_fixture_snippets(tmp_path, "demo", "gpu")


def test_counts_update_then_changed_is_instant(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    specs = discover(tree)
    first = run_all.run_snippets(specs, changed_only=True, update=True, jobs=2, progress=False)
    assert (first.ran, first.passed, first.failed, first.skipped, first.fresh) == (4, 3, 1, 1, 0)
    assert [r.headline for r in first.failures] == ["snippets/demo/fails.py:15: snippet failed (exit 1)"]
    assert len(first.recorded) == 3
    assert {s.name: status(s) for s in specs if s.device != "gpu"} == {
        "fails": {"default": "missing"},
        "matrix": {"KB_FLAVOUR=sucre": "fresh", "KB_FLAVOUR=sel": "fresh"},
        "ok_plot": {"default": "fresh"},
    }

    started: list[str] = []
    real = run_all.run_snippet
    monkeypatch.setattr(run_all, "run_snippet", lambda spec, variant, **kw: started.append(spec.name) or real(spec, variant, **kw))
    t0 = time.monotonic()
    second = run_all.run_snippets(discover(tree), changed_only=True, update=True, jobs=2, progress=False)
    assert time.monotonic() - t0 < 5
    assert started == ["fails"]  # no process at all for the fresh variants
    assert (second.ran, second.failed, second.skipped, second.fresh) == (1, 1, 1, 3)


def test_without_changed_everything_reruns(tree: Path) -> None:
    specs = [s for s in discover(tree) if s.name == "matrix"]
    summary = run_all.run_snippets(specs, changed_only=False, update=False, jobs=1, progress=False)
    assert (summary.ran, summary.passed, summary.fresh, summary.recorded) == (2, 2, 0, [])
    assert status(specs[0]) == {"KB_FLAVOUR=sucre": "missing", "KB_FLAVOUR=sel": "missing"}


def test_main_exit_code_and_summary(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_all.main(["--root", str(tree), "--framework", "demo", "--no-progress", str(tree / "demo" / "fails.py")])
    out = capsys.readouterr().out
    assert code == 1
    assert "snippets/demo/fails.py:15: snippet failed (exit 1)" in out
    assert "ZeroDivisionError: division by zero" in out
    assert out.strip().splitlines()[-1].startswith("kb snippets run: 1 ran: 0 passed, 1 failed; 0 skipped (no GPU), 0 fresh")

    code = run_all.main(["--root", str(tree), "--no-progress", "--update", str(tree / "demo" / "matrix.py")])
    assert code == 0
    assert "2 result(s) recorded" in capsys.readouterr().out


def test_main_warns_about_refused_figures_and_says_how_runs_are_confined(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snippet = tree / "demo" / "ok_plot.py"
    snippet.write_text(snippet.read_text() + 'open("faux.png", "w").write("pas une image")\n')
    assert run_all.main(["--root", str(tree), "--no-progress", str(snippet)]) == 0
    out = capsys.readouterr().out
    assert "snippets/demo/ok_plot.py:12:1: KB204 warning: figure 'faux.png' not kept: not a PNG image" in out
    assert "confinement: process tree " in out


def test_main_reports_bad_headers(tmp_path: Path, copy_fixture_snippets: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    tree = copy_fixture_snippets(tmp_path, "broken")
    assert run_all.main(["--root", str(tree), "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "bad_header.py:5:40: KB201 error" in out
    assert "1 bad header(s)" in out


def test_select_by_path_and_framework(tree: Path) -> None:
    specs = discover(tree)
    assert [s.name for s in run_all.select(specs, [tree / "gpu"], [])] == ["needs_gpu"]
    assert [s.name for s in run_all.select(specs, [], ["demo"])] == ["fails", "matrix", "ok_plot"]
    assert run_all.select(specs, [tree / "demo" / "ok_plot.py"], ["gpu"]) == []
