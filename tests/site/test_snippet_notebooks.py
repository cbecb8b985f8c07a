"""Snippet notebooks on the site: a download beside the snippet's page, equal to a fresh export;
mkdocs-jupyter, configured as in the project's mkdocs.yml, renders only notebooks written in docs/."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat import v4

from kbtools.snippets.header import parse_header
from kbtools.snippets.notebook import to_notebook

from .helpers import ROOT, Built, build_project, write_project

SNIPPET = ROOT / "tests" / "data" / "snippets" / "demo" / "ok_plot.py"


def _project_jupyter(cache: Path) -> dict:
    """mkdocs-jupyter's settings from the project's own mkdocs.yml, its cache moved to ``cache``."""
    plugins = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["plugins"]
    settings = next(p["mkdocs-jupyter"] for p in plugins if isinstance(p, dict) and "mkdocs-jupyter" in p)
    return {**settings, "cache_dir": str(cache)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("notebooks")
    config = write_project(root)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["plugins"].append({"mkdocs-jupyter": _project_jupyter(root / "cache")})
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    (root / "snippets" / "demo").mkdir(parents=True)
    shutil.copy(SNIPPET, root / "snippets" / "demo" / "ok_plot.py")
    # A notebook written in docs/ is a page of its own, as before.
    notebook = v4.new_notebook(cells=[v4.new_markdown_cell("# Carnet écrit à la main"), v4.new_code_cell("print(6 * 7)")])
    nbformat.write(notebook, root / "docs" / "carnet.ipynb")
    return build_project(root)


def test_the_notebook_is_a_download_equal_to_a_fresh_export(site: Built) -> None:
    served = site.site / "snippets" / "demo" / "ok_plot" / "ok_plot.ipynb"
    spec = parse_header(site.root / "snippets" / "demo" / "ok_plot.py", site.root / "snippets")
    assert served.read_text(encoding="utf-8") == nbformat.writes(to_notebook(spec))
    page = site.page("snippets/demo/ok_plot")
    link = page.find("a", attrs={"download": "ok_plot.ipynb"})
    assert link is not None and link["href"] == "ok_plot.ipynb"
    assert "Une courbe matplotlib" in page.get_text()  # the snippet's page is the notebook's page


def test_snippet_notebooks_get_no_rendered_page(site: Built) -> None:
    assert not (site.site / "notebooks").exists()
    assert not (site.site / "snippets" / "demo" / "ok_plot" / "ok_plot" / "index.html").exists()


def test_a_notebook_written_in_docs_is_still_rendered(site: Built) -> None:
    text = site.page("carnet").get_text()
    assert "Carnet écrit à la main" in text and "print(6 * 7)" in text
    assert len(list((site.root / "cache").glob("*.json"))) == 1  # that one only, kept for the next build
