"""The pytest plugin, driven through ``pytester`` on copies of the fixture snippets."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtools.snippets.device import NO_GPU_REASON
from kbtools.snippets.pytest_plugin import HINT, RecordedItem, SnippetItem

# Plain asserts and no hypothesis plugin in the inner sessions: pytester restores sys.modules after each one,
# so otherwise every session re-imports and re-rewrites hundreds of modules (seconds each).
INI = "[pytest]\naddopts = {addopts} --assert=plain -p no:hypothesispytest\n"
ALL_ITEMS = [
    "snippets/demo/fails.py::default",
    "snippets/demo/fails.py::recorded",
    "snippets/demo/matrix.py::KB_FLAVOUR=sucre",
    "snippets/demo/matrix.py::KB_FLAVOUR=sel",
    "snippets/demo/matrix.py::recorded",
    "snippets/demo/ok_plot.py::default",
    "snippets/demo/ok_plot.py::recorded",
    "snippets/gpu/needs_gpu.py::default",
]


@pytest.fixture
def project(pytester: pytest.Pytester, copy_fixture_snippets: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A scratch project with the demo and gpu snippets, configured like ours, where no GPU is visible."""
    pytester.makeini(INI.format(addopts="-ra --strict-markers -p no:cacheprovider"))
    copy_fixture_snippets(pytester.path, "demo", "gpu")
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # skip the gpu snippet even on a machine with a GPU
    monkeypatch.delenv("KB_RECORD", raising=False)
    return pytester


def test_collects_one_item_per_variant_plus_recorded(project: pytest.Pytester) -> None:
    items = project.inline_genitems()[0]
    assert [item.nodeid for item in items] == ALL_ITEMS
    marks = {item.nodeid: {m.name for m in item.iter_markers()} for item in items}
    assert marks["snippets/gpu/needs_gpu.py::default"] >= {"gpu"}
    assert "gpu" not in marks["snippets/demo/matrix.py::KB_FLAVOUR=sel"]  # device "any" → cpu
    assert all("cpu" in marks[i] for i in ALL_ITEMS[:-1])
    fails = next(i for i in items if i.nodeid == "snippets/demo/fails.py::default")
    assert isinstance(fails, SnippetItem)
    path, line, label = fails.reportinfo()
    assert (Path(path).name, line + 1, label) == ("fails.py", 9, "snippets/demo/fails.py::default")
    assert isinstance(items[1], RecordedItem)


def test_run_counts_failure_report_and_gpu_skip(project: pytest.Pytester) -> None:
    result = project.runpytest()
    result.assert_outcomes(passed=3, failed=4, skipped=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "snippets/demo/fails.py:15: snippet failed (exit 1)",
            "Traceback (most recent call last):",
            '  File "snippets/demo/fails.py", line 15, in divide',
            "ZeroDivisionError: division by zero",
            "--- stderr (last 20 lines) ---",
            "un avertissement",
        ]
    )
    # pytest folds skips from a skip mark per file, without a line number
    assert f"SKIPPED [1] snippets/gpu/needs_gpu.py: {NO_GPU_REASON}" in out
    assert "snippets/demo/ok_plot.py: recorded result not fresh (default: missing)" in out
    assert f"hint: {HINT}" in out
    assert "FAILED snippets/demo/matrix.py::recorded" in out


def test_marker_selection(project: pytest.Pytester) -> None:
    gpu = project.runpytest("-m", "gpu")
    gpu.assert_outcomes(skipped=1, deselected=7)
    assert NO_GPU_REASON in gpu.stdout.str()
    cpu = project.runpytest("-m", "not gpu", "-k", "matrix")
    cpu.assert_outcomes(passed=2, failed=1, deselected=5)


def test_framework_option(project: pytest.Pytester) -> None:
    items = project.inline_genitems("--kb-framework", "gpu")[0]
    assert [i.nodeid for i in items] == ["snippets/gpu/needs_gpu.py::default"]
    both = project.inline_genitems("--kb-framework", "gpu", "--kb-framework", "demo")[0]
    assert len(both) == len(ALL_ITEMS)
    assert project.inline_genitems("--kb-framework", "keras")[0] == []


@pytest.mark.parametrize("how", ["option", "env"])
def test_record_then_recorded_items_pass(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "env":
        monkeypatch.setenv("KB_RECORD", "1")
    args = ["--kb-record"] if how == "option" else []
    first = project.runpytest("-k", "ok_plot or matrix", *args)
    first.assert_outcomes(passed=5, deselected=3)
    saved = project.path / "snippets" / "demo" / "results"
    assert sorted(p.relative_to(saved).as_posix() for p in saved.rglob("*") if p.is_file()) == [
        "matrix/KB_FLAVOUR-sel.cpu.json",
        "matrix/KB_FLAVOUR-sucre.cpu.json",
        "ok_plot/default.cpu.courbe.png",
        "ok_plot/default.cpu.json",
    ]
    assert json.loads((saved / "ok_plot" / "default.cpu.json").read_text())["passed"] is True
    # Without recording, the committed results are now fresh...
    monkeypatch.delenv("KB_RECORD", raising=False)
    project.runpytest("-k", "recorded and (ok_plot or matrix)").assert_outcomes(passed=2, deselected=6)
    # ...until the snippet changes.
    snippet = project.path / "snippets" / "demo" / "ok_plot.py"
    snippet.write_text(snippet.read_text() + "\n# modifié\n")
    stale = project.runpytest("-k", "recorded and ok_plot")
    stale.assert_outcomes(failed=1, deselected=7)
    assert "(default: stale)" in stale.stdout.str()


def test_recorded_item_records_a_deselected_variant(project: pytest.Pytester) -> None:
    result = project.runpytest("-k", "recorded and (ok_plot or fails)", "--kb-record")
    result.assert_outcomes(passed=1, failed=1, deselected=6)
    assert "default: not recorded, the run failed" in result.stdout.str()
    assert (project.path / "snippets" / "demo" / "results" / "ok_plot" / "default.cpu.json").is_file()


def test_bad_header_is_a_collection_error(project: pytest.Pytester, data_dir: Path) -> None:
    shutil.copytree(data_dir / "broken", project.path / "snippets" / "broken")
    result = project.runpytest("--collect-only", "-q")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*snippets/broken/bad_header.py:5:40: KB201 error: invalid TOML in the script header*"])


def test_only_project_snippets_or_explicit_paths(pytester: pytest.Pytester, copy_fixture_snippets: Callable[..., Path]) -> None:
    pytester.makeini(INI.format(addopts="-p no:cacheprovider"))
    copy_fixture_snippets(pytester.path / "tests" / "data", "demo")
    pytester.makepyfile(**{"tests/test_dummy": "def test_dummy():\n    assert True\n"})
    assert [i.nodeid for i in pytester.inline_genitems("tests")[0]] == ["tests/test_dummy.py::test_dummy"]
    inside = pytester.inline_genitems("tests/data/snippets/demo")[0]
    assert len(inside) == 7
    one = pytester.inline_genitems("tests/data/snippets/demo/fails.py")[0]
    assert [i.nodeid for i in one] == ["tests/data/snippets/demo/fails.py::default", "tests/data/snippets/demo/fails.py::recorded"]


def test_explicit_snippet_file_is_not_imported_by_pytest(project: pytest.Pytester) -> None:
    # pytest imports any .py file named on the command line; fails.py would raise at import time.
    snippet = project.path / "snippets" / "demo" / "test_also_a_snippet.py"
    shutil.copy(project.path / "snippets" / "demo" / "fails.py", snippet)
    result = project.runpytest("snippets/demo/fails.py", "snippets/demo/test_also_a_snippet.py", "-k", "default")
    result.assert_outcomes(failed=2, deselected=2, errors=0)
    assert "ZeroDivisionError" not in result.stdout.str().split("short test summary")[0].split("FAILURES")[0]


def test_refused_figure_is_a_warning(project: pytest.Pytester) -> None:
    snippet = project.path / "snippets" / "demo" / "ok_plot.py"
    snippet.write_text(snippet.read_text() + 'import os\nos.symlink("/etc/passwd", "mots_de_passe.png")\n')
    result = project.runpytest("snippets/demo/ok_plot.py", "-k", "default")
    result.assert_outcomes(passed=1, deselected=1)
    result.stdout.fnmatch_lines(
        ["*SnippetWarning: snippets/demo/ok_plot.py:12:1: KB204 warning: figure 'mots_de_passe.png' not kept: a symbolic link*"]
    )
