"""``mkdocs build`` keeps its per-page caches in ``.kb-cache/site/`` (kbtools.site.page_store):
the next build, in a new process, reads them, and makes the very same site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .helpers import write_project


def _build(root: Path, out: Path, **env: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        cwd=root, capture_output=True, text=True, timeout=300, env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr


def _site(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and p.suffix in (".html", ".json")}


def test_a_second_build_reads_the_cache_and_makes_the_same_site(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_project(root)
    store = root / ".kb-cache" / "site" / "pages.json"
    _build(root, tmp_path / "first")
    assert store.is_file()
    written = store.stat().st_mtime_ns
    _build(root, tmp_path / "second")
    assert _site(tmp_path / "second") == _site(tmp_path / "first")
    assert store.stat().st_mtime_ns >= written
    # an edited note: its page follows, the cache does not hold it back
    note = root / "docs" / "concepts" / "tenseur.md"
    note.write_text(note.read_text(encoding="utf-8").replace("généralise les matrices", "généralise les matrices carrées"), encoding="utf-8")
    _build(root, tmp_path / "third")
    _build(root, tmp_path / "fresh", KB_SITE_CACHE="0")
    assert _site(tmp_path / "third") == _site(tmp_path / "fresh")
    assert "matrices carrées" in (tmp_path / "third" / "concepts" / "tenseur" / "index.html").read_text(encoding="utf-8")


def test_a_broken_or_foreign_cache_is_ignored(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write_project(root)
    _build(root, tmp_path / "clean", KB_SITE_CACHE="0")
    assert not (root / ".kb-cache" / "site").exists()
    store = root / ".kb-cache" / "site" / "pages.json"
    store.parent.mkdir(parents=True)
    for junk in (b"{not json", b'{"stamp": ["another tool"], "render": {}}', b'{"stamp": null}'):
        store.write_bytes(junk)
        _build(root, tmp_path / "out")
        assert _site(tmp_path / "out") == _site(tmp_path / "clean")
