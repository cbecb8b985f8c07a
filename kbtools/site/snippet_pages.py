"""Files the snippets bring to the site: recorded figures, one page per snippet, its notebook
and the « Exemples exécutables » index.

A snippet's page shows its code and recorded outputs; the notebook made from it is offered
beside that page as a download (a static file), not rendered as a page of its own: rendering
38 notebooks with nbconvert took two thirds of every build of this project's site.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import nbformat
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from ..ids import RelPath, served_url
from ..snippets.catalog import SnippetEntry
from ..snippets.notebook import to_notebook
from . import snippet_blocks as blocks
from .markup import md_text
from .model import SiteModel

SNIPPETS_INDEX = RelPath("exemples.md")
SNIPPETS_TITLE = "Exemples exécutables"


def add_snippet_files(files: Files, config: MkDocsConfig, model: SiteModel, add: Callable[[Files, File], File]) -> dict[RelPath, str]:
    """Add every snippet's figures, page and notebook; returns the titles of the generated pages."""
    entries = model.kb.snippets
    titles: dict[RelPath, str] = {}
    for entry in entries:
        for record in entry.records:
            for figure in record.data.get("figures", []):
                png = entry.spec.results_dir / figure
                uri = blocks.figure_uri(entry, figure)
                if png.is_file() and files.get_file_from_path(uri) is None:
                    add(files, File.generated(config, uri, content=png.read_bytes()))
        page = RelPath(blocks.page_uri(entry))
        made = add(files, File.generated(config, page, content="", inclusion=InclusionLevel.NOT_IN_NAV))
        model.urls[page] = served_url(made.url)
        titles[page] = entry.spec.title
        # Generated content has no source path: mkdocs-jupyter leaves it alone, mkdocs copies it.
        add(files, File.generated(config, blocks.notebook_src(entry), content=_notebook(entry)))
    index = add(files, File.generated(config, SNIPPETS_INDEX, content=""))
    model.urls[SNIPPETS_INDEX] = served_url(index.url)
    titles[SNIPPETS_INDEX] = SNIPPETS_TITLE
    for entry in entries:  # URLs of every page are known now: write the Markdown
        page = RelPath(blocks.page_uri(entry))
        illustrated = [(n.title, model.href(page, n.path)) for n in entry.notes if n.path in model.urls]
        files.get_file_from_path(page).content_string = blocks.snippet_page(entry, illustrated)
    index.content_string = index_page(entries, model)
    return titles


# Notebooks made in this process, by what they are made from (the snippet and its recorded
# runs): ``mkdocs serve`` prepares the site at every save, and nbformat validates each notebook.
_NOTEBOOKS: dict[str, bytes] = {}
_NOTEBOOKS_KEPT = 2_000


def _notebook(entry: SnippetEntry) -> bytes:
    key = hashlib.blake2b(repr((entry.spec, [(r.devicekind, r.fresh, r.data) for r in entry.records])).encode("utf-8", "surrogatepass")).hexdigest()
    if (made := _NOTEBOOKS.get(key)) is None:
        if len(_NOTEBOOKS) >= _NOTEBOOKS_KEPT:
            _NOTEBOOKS.clear()
        made = _NOTEBOOKS[key] = nbformat.writes(to_notebook(entry.spec)).encode("utf-8")
    return made


def index_page(entries: list[SnippetEntry], model: SiteModel) -> str:
    """Every snippet by framework, with what it illustrates and where it was verified."""
    out = [
        f"# {SNIPPETS_TITLE}",
        "",
        "Chaque exemple est un script Python autonome, exécuté par l'intégration continue sur CPU "
        "(et sur GPU pour ceux qui en demandent un). Sa page montre le code, la sortie et les figures "
        "de la dernière exécution enregistrée, avec les versions utilisées.",
        "",
    ]
    by_framework: dict[str, list[SnippetEntry]] = {}
    for entry in entries:
        by_framework.setdefault(entry.spec.framework, []).append(entry)
    for framework in sorted(by_framework):
        out += [f"## {framework}", "", "| Exemple | Illustre | Vérification |", "|---|---|---|"]
        for entry in sorted(by_framework[framework], key=lambda e: e.spec.name):
            page = RelPath(blocks.page_uri(entry))
            link = f"[{md_text(entry.spec.title)}]({model.href(SNIPPETS_INDEX, page)})"
            notes = ", ".join(f"[{md_text(n.title)}]({model.href(SNIPPETS_INDEX, n.path)})" for n in entry.notes if n.path in model.urls)
            verified = "<br>".join(md_text(b) for b in blocks.badge(entry)) or _pending(entry)
            out.append(f"| {link} | {notes or '—'} | {verified} |")
        out.append("")
    return "\n".join(out)


def _pending(entry: SnippetEntry) -> str:
    if entry.spec.device == "gpu":
        return "en attente d'un GPU (exécuté par la tâche GPU de l'intégration continue)"
    return "pas encore vérifié"
