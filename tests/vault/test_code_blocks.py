"""Every piece of Python code the site shows runs, or says why not.

A fenced ```` ```python ```` block of a note is either run by the tests (the pytest plugin collects
it from ``docs/`` and runs it like a snippet) or preceded by ``<!-- kb:no-run raison -->``, which the
site shows as a « non exécuté ici » badge and pytest counts as a skip with that reason.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kbtools.site.code_blocks import render_no_run
from kbtools.snippets.note_blocks import body_blocks, python_blocks
from tests.kbtest import ROOT

DOCS = ROOT / "docs"
# Plain asserts and no hypothesis plugin in the inner sessions (see tests/snippets/test_snippet_plugin.py).
INI = "[pytest]\naddopts = -ra --strict-markers -p no:cacheprovider --assert=plain -p no:hypothesispytest\n"


def _notes() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "```" in p.read_text(encoding="utf-8"))


def test_blocks_and_markers_are_read_with_their_lines():
    text = '---\ntitle: x\n---\nTexte.\n\n<!-- kb:no-run fragment : suppose x -->\n\n```python\nx + 1\n```\n\n```py\nprint(1)\n```\n\n```text\n<!-- kb:no-run pas un marqueur -->\n```\n````markdown\n<!-- kb:no-run montré -->\n```python\nx\n```\n````\n<!-- kb:no-run -->\n```python title="a.py"\ny\n```\n'
    blocks = python_blocks(text)
    assert [(b.line, b.marker_line, b.reason, b.code) for b in blocks] == [
        (8, 6, "fragment : suppose x", "x + 1\n"),
        (12, None, None, "print(1)\n"),
        (26, 25, "", "y\n"),
    ]


def test_the_badge_replaces_only_markers_before_python_blocks():
    body = "<!-- kb:no-run fragment : <b>x</b> -->\n```python\nx\n```\n\n```text\n<!-- kb:no-run montré -->\n```\n"
    out = render_no_run(body)
    assert out.startswith(
        '<p class="kb-not-run" title="Ce bloc n\'est pas exécuté par les tests du site">⏸ non exécuté ici : fragment : &lt;b&gt;x&lt;/b&gt;</p>\n\n```python\n'
    )
    assert "```text\n<!-- kb:no-run montré -->\n```" in out
    assert [b.line for b in body_blocks(out)] == [3]  # the fence after the badge is still a fence


def test_every_python_block_of_the_notes_is_run_or_marked_with_a_reason():
    problems = []
    counts = {"run": 0, "marked": 0}
    for path in _notes():
        for block in python_blocks(path.read_text(encoding="utf-8")):
            shown = f"{path.relative_to(ROOT).as_posix()}:{block.line}"
            if block.marked and not block.reason:
                problems.append(f"{shown}: <!-- kb:no-run --> needs a reason")
            counts["marked" if block.marked else "run"] += 1
    assert problems == []
    assert counts["run"] >= 15, counts  # the runnable blocks stay runnable


def test_make_test_collects_the_notes_blocks():
    """``pytest`` with no argument (what ``make test`` runs) collects docs/: one item per block."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "docs" in config["tool"]["pytest"]["ini_options"]["testpaths"]
    expected = sorted(
        f"{path.relative_to(ROOT).as_posix()}::line-{block.line}"
        for path in _notes()
        for block in python_blocks(path.read_text(encoding="utf-8"))
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    collected = sorted(line for line in done.stdout.splitlines() if "::line-" in line)
    assert collected == expected


NOTE = """---
title: Essai
---
Un bloc qui tourne :

```python
print("bonjour")
```

Un bloc qui échoue :

```python
x = 1
y = x / 0
```

<!-- kb:no-run fragment : suppose un modèle défini ailleurs -->
```python
modele(x)
```

<!-- kb:no-run -->
```python
z
```
"""


def test_the_plugin_runs_blocks_and_skips_marked_ones(pytester: pytest.Pytester):
    pytester.makeini(INI)
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "note.md").write_text(NOTE, encoding="utf-8")
    (pytester.path / "autre.md").write_text("```python\nraise SystemExit(1)\n```\n", encoding="utf-8")  # outside docs/: not collected
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=2, skipped=1)  # autre.md, outside docs/, is not collected
    out = result.stdout.str()
    assert "SKIPPED [1] docs/note.md: non exécuté ici : fragment : suppose un modèle défini ailleurs" in out
    result.stdout.fnmatch_lines(
        [
            "docs/note.md:14: snippet failed (exit 1)",
            '*File "docs/note.md", line 14, in <module>',
            "ZeroDivisionError: division by zero",
        ]
    )
    assert "docs/note.md:22: kb:no-run marker without a reason" in out
