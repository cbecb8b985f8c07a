"""pytest items for the fenced Python blocks of the notes (see :mod:`.note_blocks`).

Collected from the ``.md`` files under ``<rootdir>/docs`` (or named on the command line): one
item per block, ``docs/x.md::line-47``, reported at ``docs/x.md:47``. A block run passes when its
process exits with 0; a marked block is skipped with « non exécuté ici : <raison> »; a marker
without a reason fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .note_blocks import CodeBlock, python_blocks

SKIP_PREFIX = "non exécuté ici : "


def note_root(file_path: Path, config: pytest.Config) -> Path | None:
    """The ``docs`` folder ``file_path`` is collected from, or None when it is not ours to collect."""
    if file_path.suffix != ".md":
        return None
    path = file_path.absolute()
    docs = (config.rootpath / "docs").absolute()
    if path.is_relative_to(docs):
        return docs
    base = config.invocation_params.dir
    if any((base / arg.split("::")[0]).absolute() == path for arg in config.args):
        return path.parent
    return None


def collect_note(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A :class:`NoteFile` for a note with Python blocks, else None (the plugin's ``pytest_collect_file``)."""
    if note_root(file_path, parent.config) is None:
        return None
    try:
        text = file_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "```" not in text and "~~~" not in text:
        return None
    return NoteFile.from_parent(parent, path=file_path)


class NoteFile(pytest.File):
    def collect(self):
        for block in python_blocks(self.path.read_text(encoding="utf-8", errors="replace")):
            yield NoteBlockItem.from_parent(self, name=f"line-{block.line}", block=block)


class BlockFailed(Exception):
    """A block whose run did not pass, or whose marker gives no reason."""


class NoteBlockItem(pytest.Item):
    """One fenced Python block of a note: run on the CPU, or skipped with the reason of its marker."""

    def __init__(self, *, block: CodeBlock, **kwargs):
        super().__init__(**kwargs)
        self.block = block
        self.add_marker("cpu")
        if block.marked and block.reason:
            self.add_marker(pytest.mark.skip(reason=SKIP_PREFIX + block.reason))

    @property
    def display(self) -> str:
        """The note's path from the root folder: ``docs/outils/xla.md``."""
        try:
            return self.path.absolute().relative_to(self.config.rootpath.absolute()).as_posix()
        except ValueError:
            return self.path.name

    def runtest(self) -> None:
        if self.block.marked:  # with a reason it was skipped
            raise BlockFailed(
                f"{self.display}:{self.block.marker_line}: kb:no-run marker without a reason\n"
                "hint: write why the block is not run, e.g. <!-- kb:no-run fragment : suppose un modèle défini ailleurs -->"
            )
        from .note_blocks import run_block
        from .pytest_plugin import failure_report

        result = run_block(self.block, self.display)
        if not result.passed:
            raise BlockFailed(failure_report(result) + "\nhint: fix the block, or mark it with <!-- kb:no-run raison --> before the fence")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, BlockFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.block.line - 1, f"{self.display}:{self.block.line}"
