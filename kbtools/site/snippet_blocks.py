"""Snippets in pages: the directive ``<!-- kb:snippet framework/name -->`` becomes the code, its
recorded output and figures, a « vérifié sur … » badge and links to the notebook.

The directive is an HTML comment: valid Markdown, invisible when the vault is opened in
Obsidian. Rendering reads the recorded results only; no framework is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..snippets.catalog import Record, SnippetEntry
from ..snippets.pep723 import requirement_name
from .french import long_date
from .markup import md_text, text

DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)<!--\s*kb:snippet\s+(?P<key>[\w.-]+/[\w.-]+)\s*-->[ \t]*$", re.M)

# The package whose version the badge names, per snippet folder.
MAIN_PACKAGE = {
    "pytorch": "torch",
    "tensorflow": "tensorflow",
    "keras": "keras",
    "jax": "jax",
    "fastai": "fastai",
    "numpy": "numpy",
    "onnx": "onnxruntime",
    "tensorboard": "tensorboard",
    "overfitting": "numpy",
    "sonnet": "dm-sonnet",
    # huggingface, experiments, data: one library per snippet, named by its first dependency.
}
DEVICE_NAMES = {"cpu": "CPU", "gpu": "GPU"}


@dataclass(frozen=True, slots=True)
class Missing:
    """A directive naming no known snippet."""

    key: str
    line: int


def figure_uri(entry: SnippetEntry, name: str) -> str:
    """Where a recorded figure is served, relative to the site root."""
    return f"snippets/{entry.spec.framework}/{entry.spec.name}/{name}"


def notebook_src(entry: SnippetEntry) -> str:
    """The generated notebook, a download beside the snippet's page (which shows its code and
    outputs already: the notebook gets no page of its own, whose rendering cost most of a build)."""
    return f"snippets/{entry.spec.framework}/{entry.spec.name}/{entry.spec.name}.ipynb"


def page_uri(entry: SnippetEntry) -> str:
    """The generated page of a snippet (its IRI leads there)."""
    return f"snippets/{entry.spec.framework}/{entry.spec.name}/index.md"


def expand(markdown: str, entries: dict[str, SnippetEntry], src_root: str) -> tuple[str, list[Missing]]:
    """Replace every directive by its rendered block, keeping the directive's indentation
    (so a snippet can sit inside a content tab). Links are relative to the page's source
    file (``src_root``): mkdocs checks and rewrites them."""
    missing: list[Missing] = []

    def replace(m: re.Match) -> str:
        entry = entries.get(m.group("key"))
        if entry is None:
            missing.append(Missing(m.group("key"), markdown.count("\n", 0, m.start()) + 1))
            return m.group(0)
        indent = m.group("indent")
        return "\n".join(indent + line if line else line for line in block(entry, src_root).splitlines())

    return DIRECTIVE.sub(replace, markdown), missing


def badge(entry: SnippetEntry) -> list[str]:
    """« vérifié sur CPU (torch 2.14.1, Python 3.11) le 23 novembre 2026 », one line per device kind."""
    lines = []
    for kind in ("cpu", "gpu"):
        records = entry.latest(kind)
        if not records:
            continue
        record = max(records, key=lambda r: str(r.data.get("date", "")))
        lines.append(f"vérifié sur {DEVICE_NAMES[kind]} ({_versions(entry, record)}) le {_day(record)}")
    return lines


def _versions(entry: SnippetEntry, record: Record) -> str:
    """The folder's main package when the snippet declares it, else its first declared dependency
    (``huggingface/peft_lora`` → peft, ``experiments/optuna_search`` → optuna)."""
    versions = record.data.get("versions") or {}
    package = MAIN_PACKAGE.get(entry.spec.framework)
    if package not in versions and versions:
        declared = [requirement_name(d) for d in entry.spec.dependencies]
        package = next((name for name in declared if name in versions), sorted(versions)[0])
    python = ".".join(str(record.data.get("python", "")).split(".")[:2])
    parts = [f"{package} {versions[package]}"] if package in versions else []
    return ", ".join([*parts, f"Python {python}"])


def _day(record: Record) -> str:
    raw = str(record.data.get("date", ""))
    try:
        return long_date(datetime.fromisoformat(raw.replace("Z", "+00:00")).date())
    except ValueError:
        return raw


def src_root(src_uri: str) -> str:
    """From a source file to the docs root: ``concepts/x.md`` → ``../``."""
    return "../" * src_uri.count("/")


def block(entry: SnippetEntry, to_root: str) -> str:
    """The Markdown of one snippet (fenced code, badges, output per variant, figures, links)."""
    spec = entry.spec
    out = [f'<div class="kb-snippet" markdown data-snippet="{entry.key}">', ""]
    out.append(f"**{_md(spec.title)}**")
    out.append("")
    if spec.docstring:
        out += [_md(spec.docstring), ""]
    lines = badge(entry)
    if lines:
        out += ['<p class="kb-verified">' + "<br>".join("✔ " + text(b) for b in lines) + "</p>", ""]
    else:
        out += ['<p class="kb-unverified">⚠ pas encore vérifié sur ce site (aucun résultat enregistré à jour)</p>', ""]
    out += [f'```python title="{spec.rel}"', spec.code.strip("\n"), "```", ""]
    shown = [r for r in entry.records if r.fresh and r.data.get("passed")]
    if len(shown) > 1:
        for record in shown:
            out.append(f'=== "{record.variant.id} · {DEVICE_NAMES[record.devicekind]}"')
            out.append("")
            out += ["    " + line if line else line for line in _record(entry, record, to_root)]
    elif shown:
        out += _record(entry, shown[0], to_root)
    out.append(
        f"[Page de l'exemple]({to_root}{page_uri(entry)}) · "
        f'[Notebook Jupyter (.ipynb)]({to_root}{notebook_src(entry)}){{ download="{entry.spec.name}.ipynb" }} · '
        f'device : `{spec.device}` · délai : {int(spec.timeout)} s'
    )
    out += ["", "</div>", ""]
    return "\n".join(out)


def _record(entry: SnippetEntry, record: Record, to_root: str) -> list[str]:
    data = record.data
    out = [f'??? success "Sortie enregistrée ({data.get("duration_s", 0):.1f} s, {data.get("peak_rss_mb", 0):.0f} Mo)"', ""]
    stdout = str(data.get("stdout", "")).rstrip() or "(aucune sortie)"
    out += ["    ```text"] + ["    " + line for line in stdout.splitlines()] + ["    ```", ""]
    for figure in data.get("figures", []):
        out += [f"![Figure produite par l'exemple]({to_root}{figure_uri(entry, figure)}){{ loading=lazy }}", ""]
    return out


def _md(value: str) -> str:
    """Untrusted text inside Markdown, printed as is."""
    return md_text(str(value))


def snippet_page(entry: SnippetEntry, illustrated: list[tuple[str, str]]) -> str:
    """Markdown of a snippet's own page; ``illustrated`` holds (title, href) of its notes."""
    links = ", ".join(f"[{md_text(title)}]({href})" for title, href in illustrated) or "—"
    head = f"# {md_text(entry.spec.title)}\n\nIllustre : {links}\n\n"
    return head + block(entry, "../../../")
