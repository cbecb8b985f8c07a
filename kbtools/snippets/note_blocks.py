"""The fenced Python blocks of the notes: each one is run by the tests, or says why not.

A note may show Python code in a fenced block (```` ```python ````). Such a block is either a whole
program that runs here on a CPU, which the pytest plugin runs like a snippet (its own process,
timeout, memory cap, confinement: :func:`run_block`), or it is preceded by a marker giving the
reason it is not run::

    <!-- kb:no-run fragment : suppose un modèle et des données définis ailleurs -->
    ```python
    perte = critere(modele(x), y)
    ```

The marker is an HTML comment (invisible in Obsidian); blank lines may separate it from the
fence. The site shows it as a « non exécuté ici » badge with the reason
(:mod:`kbtools.site.code_blocks`), and pytest counts the block as skipped with that reason.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..body import read_body
from ..frontmatter import split

# The info strings of a Python fence (the first word; ``python title="x.py"`` counts).
PYTHON_INFOS = frozenset({"python", "py", "python3"})
NO_RUN = re.compile(r"^(?P<indent>[ \t]*)<!--[ \t]*kb:no-run(?:[ \t]+(?P<reason>(?:(?!-->)[^\n])*?))?[ \t]*-->[ \t]*$")
TIMEOUT_S = 120
# Every block gets the same environment: one thread each, so `make test -n 2` stays within two cores.
ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """One fenced Python block of a note; lines are 1-based lines of the file."""

    line: int  # the opening fence
    code: str
    marker_line: int | None = None  # the ``kb:no-run`` comment before it, if any
    reason: str | None = None  # its reason (``""`` when the marker gives none)

    @property
    def code_line(self) -> int:
        """Line of the file where the code starts (the line after the fence)."""
        return self.line + 1

    @property
    def marked(self) -> bool:
        return self.marker_line is not None


def is_python(info: str) -> bool:
    """Whether a fence's info string names Python (``python``, ``py``, ``python3``, with attributes after)."""
    words = info.strip().split()
    return bool(words) and words[0].lower().lstrip("{.") in PYTHON_INFOS


def python_blocks(text: str) -> list[CodeBlock]:
    """The fenced Python blocks of a note's text (frontmatter included or not), with their markers.

    Fences are found by the project's Markdown reader (:func:`kbtools.body.read_body`), so a
    block shown inside another code block is not one. Never raises.
    """
    fm, _ = split(text, "")
    return body_blocks(fm.body, fm.body_line)


def body_blocks(body: str, body_line: int = 1) -> list[CodeBlock]:
    """:func:`python_blocks` of a body without frontmatter that starts at line ``body_line`` of its file."""
    lines = body.split("\n")
    found = []
    for fence in read_body(body).fences:
        if not is_python(fence.info):
            continue
        marker_line = reason = None
        k = fence.line - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        if k >= 0 and (m := NO_RUN.match(lines[k])):
            marker_line, reason = body_line + k, (m.group("reason") or "").strip()
        found.append(CodeBlock(body_line + fence.line, fence.content, marker_line, reason))
    return found


def block_script(block: CodeBlock, display: str, folder: Path) -> Path:
    """Write ``block`` as a script under ``folder`` whose line numbers are those of the note.

    ``display`` is the note's path as shown (``docs/outils/xla.md``): the script is
    ``folder/display``, so that a traceback names ``docs/outils/xla.md", line 47``.
    """
    path = folder / display
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n" * (block.code_line - 1) + block.code, encoding="utf-8")
    return path


def run_block(block: CodeBlock, display: str):
    """Run ``block`` of the note shown as ``display`` (``docs/x.md``) with the snippet runner.

    Returns the :class:`~kbtools.snippets.runner.RunResult`; its ``headline`` and failure name
    ``docs/x.md:LINE``. The block runs on the CPU, in its own process and scratch folder, within
    :data:`TIMEOUT_S` seconds and the runner's memory cap.
    """
    from .header import SnippetSpec, Variant
    from .runner import run_snippet

    first, _, rest = display.partition("/")
    with tempfile.TemporaryDirectory(prefix="kb-note-block-") as tmp:
        root = Path(tmp) / (first if rest else "docs")
        script = block_script(block, rest or display, root)
        spec = SnippetSpec(
            path=script,
            root=root,
            framework="notes",
            name=f"{Path(display).stem}-{block.line}",
            title=f"{display}:{block.line}",
            device="cpu",
            timeout=TIMEOUT_S,
            env=dict(ENV),
            code=block.code,
            code_line=block.code_line,
        )
        return run_snippet(spec, Variant("default"))
