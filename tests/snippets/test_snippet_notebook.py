"""Notebook generation: valid nbformat, presentation cell, sensible code cells."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from kbtools.snippets import results
from kbtools.snippets.hashing import snippet_hash
from kbtools.snippets.header import SnippetSpec, parse_header, variants
from kbtools.snippets.notebook import split_cells, to_notebook, write_notebook
from kbtools.snippets.runner import RunResult

HEADER = ["# /// script", "# [tool.kb]", '# title = "Découpage"', "# ///"]


def spec_from(tmp_path: Path, body: list[str]) -> SnippetSpec:
    path = tmp_path / "snippets" / "jax" / "cells.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*HEADER, *body]) + "\n", encoding="utf-8")
    return parse_header(path)


def test_fixture_notebook_is_valid(data_dir: Path) -> None:
    spec = parse_header(data_dir / "demo" / "ok_plot.py", data_dir)
    nb = to_notebook(spec)
    nbformat.validate(nb)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith("# Une courbe matplotlib\n\nTrace une courbe et l'enregistre en PNG.")
    assert "Vérifié" not in first.source  # nothing recorded for the fixtures
    codes = [c.source for c in nb.cells[1:]]
    assert all(c.cell_type == "code" and not c.outputs for c in nb.cells[1:])
    assert codes == [
        "import os\n\nimport matplotlib.pyplot as plt",
        'print("bonjour", os.environ["KB_DEMO"], os.environ["MPLBACKEND"], os.environ["PYTHONHASHSEED"])',
        "# La figure va dans le dossier courant : le runner la récupère.\nfig, ax = plt.subplots()\nax.plot([0, 1, 2], [0, 1, 4])\n"
        'fig.savefig("courbe.png")',
    ]
    assert nb.metadata.kb.snippet == "snippets/demo/ok_plot.py"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            ['"""Doc."""', "import os", "", "", "def f():", "    x = 1", "", "    return x", "", "print(f())"],
            [("code", "import os"), ("code", "def f():\n    x = 1\n\n    return x"), ("code", "print(f())")],
            id="blank-lines-inside-a-function-do-not-cut",
        ),
        pytest.param(
            ["a = 1", "# à propos de a", "", "# Deuxième partie", "@staticmethod", "def g():", "    pass"],
            [("code", "a = 1\n# à propos de a"), ("code", "# Deuxième partie\n@staticmethod\ndef g():\n    pass")],
            id="comments-go-with-the-following-block",
        ),
        pytest.param(
            ["a = 1", "", "# %% [markdown]", "# ## Entraînement", "# Le texte.", "# %%", "b = 2", "", "c = 3"],
            [("code", "a = 1"), ("markdown", "## Entraînement\nLe texte."), ("code", "b = 2\n\nc = 3")],
            id="percent-markers-win",
        ),
        pytest.param(["x = (", ""], [("code", "x = (")], id="syntax-error-is-one-cell"),
    ],
)
def test_split_cells(tmp_path: Path, body: list[str], expected: list[tuple[str, str]]) -> None:
    assert split_cells(spec_from(tmp_path, body)) == expected


def test_verified_facts_and_write(tmp_path: Path, snippet_copy: Callable[[str], SnippetSpec], data_run: Callable[..., RunResult]) -> None:
    spec = snippet_copy("demo/ok_plot.py")
    variant = variants(spec)[0]
    run = data_run("demo/ok_plot.py")
    results.save(dataclasses.replace(run, spec=spec, hash=snippet_hash(spec, variant), date="2026-01-02T03:04:05+00:00"))
    facts = to_notebook(spec).cells[0].source
    assert f"**Vérifié** : exécuté avec succès le 2026-01-02 sur {run.device.name} (cpu)" in facts
    assert f"matplotlib {run.versions['matplotlib']}" in facts
    assert "version antérieure" not in facts
    spec.path.write_text(spec.path.read_text() + "\n")
    assert "version antérieure" in to_notebook(spec).cells[0].source

    out = write_notebook(spec, tmp_path / "nb" / "ok_plot.ipynb")
    again = nbformat.read(out, as_version=4)
    nbformat.validate(again)
    assert again == to_notebook(spec)  # stable cell ids: same snippet, same notebook
