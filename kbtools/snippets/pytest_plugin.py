"""pytest plugin (entry point ``pytest11``): every snippet variant is a test item.

``snippets/<fw>/<name>.py`` with a script header gives one item per variant
(``…/x.py::default`` or ``…/x.py::KERAS_BACKEND=jax``), marked ``cpu`` or ``gpu``, plus
``…/x.py::recorded`` checking that the committed results of its CPU variants are fresh.
It also collects the fenced Python blocks of the notes under ``<rootdir>/docs``
(``docs/x.md::line-47``, see :mod:`.note_items`).

This module loads for every pytest run of the project, so it imports no framework and
not even the runner until an item actually runs. It collects only under ``<rootdir>/snippets``
or under paths given on the command line that lie inside a ``snippets`` folder: ``pytest tests/``
must not pick up the fixture snippets of ``tests/data/snippets``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .device import NO_GPU_REASON
from .header import SnippetHeaderError, SnippetSpec, Variant, has_header, is_candidate_path, parse_header, variants

if TYPE_CHECKING:
    from .runner import RunResult

_RUNS = pytest.StashKey[dict]()  # (snippet path, variant id) → RunResult of this session
HINT = "run: kb snippets run --changed --update"
TAIL_LINES = 20


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kb-snippets", "knowledge-base snippets")
    group.addoption(
        "--kb-framework", action="append", default=[], metavar="NAME", help="only run the snippets of this framework (repeatable)"
    )
    group.addoption("--kb-record", action="store_true", default=False, help="record the results of passing snippet runs (also KB_RECORD=1)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cpu: runs on the CPU")
    config.addinivalue_line("markers", "gpu: needs a CUDA GPU")
    config.stash[_RUNS] = {}


def recording(config: pytest.Config) -> bool:
    """Whether passing runs are recorded: ``--kb-record`` or ``KB_RECORD=1``."""
    return bool(config.getoption("kb_record")) or os.environ.get("KB_RECORD", "").strip().lower() in ("1", "true", "yes")


def _snippets_ancestor(path: Path) -> Path | None:
    for parent in path.parents[1:]:
        if parent.name == "snippets":
            return parent
    return None


def _given_paths(config: pytest.Config) -> list[Path]:
    base = config.invocation_params.dir
    return [(base / arg.split("::")[0]).absolute() for arg in config.args]


def snippet_root(file_path: Path, config: pytest.Config) -> Path | None:
    """The ``snippets`` folder to collect ``file_path`` from, or None when it is not ours to collect."""
    root = _snippets_ancestor(file_path.absolute())
    if root is None:
        return None
    if root == (config.rootpath / "snippets").absolute():
        return root
    # Elsewhere, only when asked for: the file itself, or a folder inside that snippets folder.
    for given in _given_paths(config):
        if given == file_path.absolute() or (file_path.absolute().is_relative_to(given) and given.is_relative_to(root)):
            return root
    return None


def snippet_file_root(file_path: Path, config: pytest.Config) -> Path | None:
    """The ``snippets`` folder of ``file_path`` when it is a snippet this plugin collects, else None."""
    if file_path.suffix != ".py":
        return None
    root = snippet_root(file_path, config)
    if root is None or not is_candidate_path(file_path.absolute().relative_to(root)):
        return None
    try:
        return root if has_header(file_path.read_text(encoding="utf-8", errors="replace")) else None
    except OSError:
        return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".md":  # the fenced Python blocks of the notes (docs/), see note_items
        from .note_items import collect_note

        return collect_note(file_path, parent)
    root = snippet_file_root(file_path, parent.config)
    if root is None:
        return None
    frameworks = parent.config.getoption("kb_framework")
    if frameworks and file_path.absolute().relative_to(root).parts[0] not in frameworks:
        return None
    return SnippetFile.from_parent(parent, path=file_path)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    # pytest imports any .py file named on the command line as a test module, which would run
    # the snippet inside pytest itself; a snippet is collected only as SnippetFile.
    if snippet_file_root(module_path, parent.config) is not None:
        return NotAModule.from_parent(parent, path=module_path)
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # trylast: after -m/-k deselection, so nvidia-smi is asked only when a gpu item is still selected.
    gpu_items = [item for item in items if isinstance(item, SnippetItem) and item.spec.device == "gpu"]
    if gpu_items:
        from .device import gpu_available

        if not gpu_available():
            for item in gpu_items:
                item.add_marker(pytest.mark.skip(reason=NO_GPU_REASON))


class SnippetFailed(Exception):
    """A snippet run that did not pass; carries the run."""

    def __init__(self, result: RunResult):
        super().__init__(result.headline)
        self.result = result


class NotRecorded(Exception):
    """Committed results missing or stale."""


class NotAModule(pytest.File):
    """Stands in for the python plugin's Module of a snippet file: collects nothing."""

    def collect(self):
        return []


class SnippetFile(pytest.File):
    def collect(self):
        spec = parse_header(self.path, _snippets_ancestor(self.path.absolute()))
        for variant in variants(spec):
            yield SnippetItem.from_parent(self, name=variant.id, spec=spec, variant=variant)
        if spec.device != "gpu":  # gpu-only snippets have no CPU variant to check
            yield RecordedItem.from_parent(self, name="recorded", spec=spec)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, SnippetHeaderError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class SnippetWarning(UserWarning):
    """A KB2xx warning about a snippet run, shown in pytest's warnings summary."""


class SnippetItem(pytest.Item):
    """One variant of one snippet, run in its own process."""

    def __init__(self, *, spec: SnippetSpec, variant: Variant, **kwargs):
        super().__init__(**kwargs)
        self.spec, self.variant = spec, variant
        self.add_marker("gpu" if spec.device == "gpu" else "cpu")

    def runtest(self) -> None:
        from .results import save
        from .runner import run_snippet

        result = run_snippet(self.spec, self.variant)
        self.config.stash[_RUNS][(self.spec.path, self.variant.id)] = result
        for warning in result.warnings:  # refused figures (KB204): the run still counts
            warnings.warn(SnippetWarning(warning.format()), stacklevel=1)
        if not result.passed:
            raise SnippetFailed(result)
        if recording(self.config):
            save(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SnippetFailed):
            return failure_report(excinfo.value.result)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.spec.code_line - 1, f"{self.spec.rel}::{self.variant.id}"


class RecordedItem(pytest.Item):
    """Fails when a CPU variant of the snippet has no fresh committed result."""

    def __init__(self, *, spec: SnippetSpec, **kwargs):
        super().__init__(**kwargs)
        self.spec = spec
        self.add_marker("cpu")

    def runtest(self) -> None:
        from .results import FRESH, variant_status

        problems = []
        for variant in variants(self.spec):
            state = variant_status(self.spec, variant)
            if state != FRESH and recording(self.config):
                state = self._record(variant)
            if state != FRESH:
                problems.append(f"{variant.id}: {state}")
        if problems:
            raise NotRecorded(f"{self.spec.rel}: recorded result not fresh ({'; '.join(problems)})\nhint: {HINT}")

    def _record(self, variant: Variant) -> str:
        """Record ``variant`` now unless this session already ran it; return its new state."""
        from .results import FRESH, save
        from .runner import run_snippet

        result = self.config.stash[_RUNS].get((self.spec.path, variant.id))
        if result is None:  # deselected, or run by another xdist worker
            result = run_snippet(self.spec, variant)
            self.config.stash[_RUNS][(self.spec.path, variant.id)] = result
        if not result.passed:
            return "not recorded, the run failed"
        save(result)
        return FRESH

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, NotRecorded):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"{self.spec.rel}::recorded"


def _tail(text: str, n: int = TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-n:])


def failure_report(result: RunResult) -> str:
    """Headline ``snippets/…/x.py:LINE: …``, the snippet's traceback, then the tails of stderr and stdout."""
    parts = [result.headline]
    stderr = result.stderr
    if result.failure and result.failure.traceback:
        parts.append(result.failure.traceback)
        # Show the stderr lines that came before the traceback, not the traceback twice.
        cut = stderr.find("Traceback (most recent call last):")
        stderr = stderr[:cut] if cut >= 0 else ""
    if stderr.strip():
        parts.append(f"--- stderr (last {TAIL_LINES} lines) ---\n{_tail(stderr)}")
    if result.stdout.strip():
        parts.append(f"--- stdout (last {TAIL_LINES} lines) ---\n{_tail(result.stdout)}")
    return "\n".join(parts)
