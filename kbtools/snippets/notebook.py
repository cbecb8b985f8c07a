"""Turn a snippet into a Jupyter notebook: a presentation cell, then the code cut into cells.

Cells are cut at ``# %%`` markers when the snippet has any (``# %% [markdown]`` makes a text
cell of the comments that follow), otherwise before every top-level block that a blank line
separates from the previous one. Outputs are left empty: the site shows the recorded run.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import nbformat
from nbformat import v4

from ..atomic import write_atomic
from .header import SnippetSpec, variants
from .results import FRESH, expected_kinds, load, variant_status

_MARKER = re.compile(r"^# %%(?P<rest>.*)$")
_IMPORTS = (ast.Import, ast.ImportFrom)


def to_notebook(spec: SnippetSpec) -> nbformat.NotebookNode:
    """The notebook of ``spec``: markdown (title, docstring, verified facts when recorded), then code cells."""
    cells = [v4.new_markdown_cell(_presentation(spec))]
    for kind, source in split_cells(spec):
        cells.append(v4.new_markdown_cell(source) if kind == "markdown" else v4.new_code_cell(source))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"  # stable ids: the same snippet gives the same file
    return v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "kb": {"snippet": spec.rel, "framework": spec.framework, "illustrates": spec.illustrates},
        },
    )


def write_notebook(spec: SnippetSpec, path: str | Path) -> Path:
    """Write the notebook of ``spec`` to ``path`` atomically; returns the path."""
    return write_atomic(Path(path), nbformat.writes(to_notebook(spec)))


def split_cells(spec: SnippetSpec) -> list[tuple[str, str]]:
    """``(kind, source)`` pairs for the code after the docstring; kind is ``code`` or ``markdown``."""
    lines = spec.code.split("\n")
    try:
        tree = ast.parse(spec.code)
    except SyntaxError:
        return [("code", spec.code.strip("\n"))] if spec.code.strip() else []
    start = 0
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        start, body = body[0].end_lineno or 0, body[1:]
    if any(_MARKER.match(line) for line in lines[start:]):
        return _by_markers(lines[start:])
    cuts, prev_end, prev = [start], start, None
    for node in body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        blanks = [i for i in range(prev_end, first) if not lines[i].strip()]
        # Import groups (stdlib, then third party…) are separated by blank lines but read as one cell.
        if blanks and not (isinstance(prev, _IMPORTS) and isinstance(node, _IMPORTS)):
            # Comments after the blank line introduce the next block, so the cell starts with them.
            cuts.append(next((i for i in range(blanks[0], first) if lines[i].strip()), first))
        prev_end, prev = node.end_lineno or first + 1, node
    cuts.append(len(lines))
    chunks = ("\n".join(lines[a:b]).strip("\n") for a, b in itertools.pairwise(cuts))
    return [("code", chunk) for chunk in chunks if chunk.strip()]


def _by_markers(lines: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    kind, current = "code", []
    for line in [*lines, "# %%"]:
        match = _MARKER.match(line)
        if not match:
            current.append(line)
            continue
        source = "\n".join(current).strip("\n")
        if kind == "markdown":
            source = "\n".join(re.sub(r"^# ?", "", text) for text in source.split("\n"))
        if source.strip():
            out.append((kind, source))
        kind, current = ("markdown" if "[markdown]" in match["rest"] else "code"), []
    return out


def _presentation(spec: SnippetSpec) -> str:
    parts = [f"# {spec.title}"]
    if spec.docstring:
        parts.append(spec.docstring)
    facts = verified_facts(spec)
    if facts:
        parts.append(facts)
    parts.append(f"*Source : `{spec.rel}`*")
    return "\n\n".join(parts)


def verified_facts(spec: SnippetSpec) -> str:
    """A sentence on the recorded run (first variant that has one), or ``""`` when none was recorded."""
    for variant in variants(spec):
        for kind in expected_kinds(spec):
            record = load(spec, variant, kind)
            if record is None or not record.get("passed"):
                continue
            versions = ", ".join(f"{name} {version}" for name, version in sorted((record.get("versions") or {}).items()) if version)
            device = record.get("device") or {}
            text = (
                f"**Vérifié** : exécuté avec succès le {str(record.get('date', ''))[:10]} "
                f"sur {device.get('name', '?')} ({device.get('kind', kind)}), Python {record.get('python', '?')}"
                f"{', ' + versions if versions else ''}, en {float(record.get('duration_s', 0)):.1f} s"
            )
            if variant.id != "default":
                text += f" (variante `{variant.id}`)"
            if variant_status(spec, variant, (kind,)) != FRESH:
                text += " — résultat enregistré pour une version antérieure de ce code"
            return text + "."
    return ""
