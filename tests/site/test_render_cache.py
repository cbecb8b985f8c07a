"""Rebuilds reuse the conversion of pages whose inputs did not change, and give the same site
as a fresh build (as ``mkdocs serve`` does: one plugin instance, several builds)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import build_project, write_project

BROKEN = "Voir [une page absente](absente.md)."


def _plugin(root: Path):
    from mkdocs.config import load_config

    return load_config(str(root / "mkdocs.yml")).plugins["kb"]


def _html(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def _fresh(root: Path, out: Path) -> dict[str, str]:
    """The same project built by a new process: nothing cached."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        cwd=root, capture_output=True, text=True, timeout=300, env={**os.environ, "KB_SITE_CACHE": "0"},  # nothing cached: the reference
    )
    assert done.returncode == 0, done.stderr
    return _html(out)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("render-cache")
    write_project(root)
    about = root / "docs" / "apropos.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n{BROKEN}\n", encoding="utf-8")
    return root


def test_a_second_build_converts_nothing_and_gives_the_same_site(project: Path) -> None:
    from kbtools.site.render_cache import RenderCache

    # mkdocs keeps one plugin instance per process: pages of the same fixture vault that another
    # test of this worker built would already be in its cache
    _plugin(project).render_cache = RenderCache()
    first = build_project(project)
    before = _html(project / "site")
    cache = _plugin(project).render_cache
    converted = cache.misses
    assert converted > 20 and cache.hits == 0
    again = build_project(project)
    assert (cache.hits, cache.misses) == (converted, 0)
    assert _html(project / "site") == before
    # the link warning of the conversion is reported at every build, cached or not
    assert [w for w in first.warnings() if "absente.md" in w] == [w for w in again.warnings() if "absente.md" in w] != []


def test_after_an_edit_only_changed_pages_are_converted_and_the_site_equals_a_fresh_build(project: Path, tmp_path: Path) -> None:
    build_project(project)
    note = project / "docs" / "concepts" / "retropropagation.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nUne phrase ajoutée après coup.\n", encoding="utf-8")
    build_project(project)
    cache = _plugin(project).render_cache
    assert 1 <= cache.misses <= 3 and cache.hits > 20
    page = (project / "site" / "concepts" / "retropropagation" / "index.html").read_text(encoding="utf-8")
    assert "Une phrase ajoutée après coup." in page
    assert _html(project / "site") == _fresh(project, tmp_path / "fresh")
