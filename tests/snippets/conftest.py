"""Fixtures for the snippet machinery: the tiny fixture snippets of ``tests/data/snippets`` and copies of them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kbtools.snippets.header import SnippetSpec, parse_header, variants
from kbtools.snippets.runner import RunResult, run_snippet

DATA = Path(__file__).resolve().parent.parent / "data" / "snippets"


def copy_snippets(dest: Path, *frameworks: str) -> Path:
    """Copy the fixture snippets of ``frameworks`` into ``dest/snippets`` and return that folder."""
    root = dest / "snippets"
    for framework in frameworks:
        shutil.copytree(DATA / framework, root / framework, ignore=shutil.ignore_patterns("results", "__pycache__"))
    return root


@pytest.fixture
def snippet_copy(tmp_path: Path) -> Callable[[str], SnippetSpec]:
    """Parse a private copy of a fixture snippet (``"demo/ok_plot.py"``), safe to edit and to record."""

    def make(rel: str) -> SnippetSpec:
        framework = rel.split("/")[0]
        root = tmp_path / "snippets"
        if not (root / framework).exists():
            copy_snippets(tmp_path, framework)
        return parse_header(root / rel, root)

    return make


@pytest.fixture(scope="session")
def data_run() -> Callable[..., RunResult]:
    """Run a fixture snippet once per session (``data_run("demo/ok_plot.py")``) and hand back the result."""
    cache: dict[tuple[str, int], RunResult] = {}

    def run(rel: str, variant: int = 0) -> RunResult:
        if (rel, variant) not in cache:
            spec = parse_header(DATA / rel, DATA)
            cache[rel, variant] = run_snippet(spec, variants(spec)[variant])
        return cache[rel, variant]

    return run


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The fixture snippets folder, ``tests/data/snippets`` (read-only: copy before recording)."""
    return DATA


@pytest.fixture(scope="session")
def copy_fixture_snippets() -> Callable[..., Path]:
    """``copy_fixture_snippets(dest, "demo", "gpu")`` copies those frameworks into ``dest/snippets``."""
    return copy_snippets
