"""Builds through the command line: strict mode, missing renderer, imports, and the project's own site."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .helpers import ROOT, write_project

FRAMEWORKS = ("torch", "tensorflow", "jax", "fastai")


def _mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": str(root)},
    )


def _clean_vault(root: Path) -> None:
    """The fixture without its two deliberate faults: the dangling link and the broken note."""
    (root / "docs/concepts/casse.md").unlink()
    retro = root / "docs/concepts/retropropagation.md"
    retro.write_text(retro.read_text(encoding="utf-8").replace("[[Note absente]]", "une note à venir"), encoding="utf-8")


def test_strict_build_passes_on_a_clean_vault(tmp_path: Path) -> None:
    write_project(tmp_path)
    _clean_vault(tmp_path)
    done = _mkdocs(tmp_path, "--strict")
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr
    assert (tmp_path / "site/concepts/retropropagation/index.html").is_file()


@pytest.mark.parametrize("page", ["concepts/retropropagation.md", "apropos.md"], ids=["note", "plain-page"])
def test_strict_build_fails_on_a_dangling_link(tmp_path: Path, page: str) -> None:
    write_project(tmp_path)
    _clean_vault(tmp_path)
    target = tmp_path / "docs" / page
    target.write_text(target.read_text(encoding="utf-8") + "\nVoir [[Note absente]].\n", encoding="utf-8")
    done = _mkdocs(tmp_path, "--strict")
    assert done.returncode != 0
    assert f"{page}:" in done.stderr and "KB102 error: dangling link [[Note absente]]" in done.stderr
    assert "Aborted with 1 warnings in strict mode" in done.stdout + done.stderr


def test_non_strict_build_survives_the_faults(tmp_path: Path) -> None:
    write_project(tmp_path)
    done = _mkdocs(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("WARNING") == 2  # the broken note and the dangling link, once each
    assert not (tmp_path / "site/concepts/casse").exists()


def test_no_node_modules_is_needed_the_plugin_ships_its_javascript(tmp_path: Path) -> None:
    write_project(tmp_path, node_modules=tmp_path / "nowhere" / "node_modules")
    done = _mkdocs(tmp_path)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "site").rglob("cytoscape*.js"))


def test_build_imports_no_deep_learning_framework(tmp_path: Path) -> None:
    """The site is built without loading any framework (they are heavy, and only snippets need them)."""
    write_project(tmp_path)
    script = textwrap.dedent(
        f"""
        import logging, sys
        logging.disable(logging.WARNING)
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        build(load_config({str(tmp_path / "mkdocs.yml")!r}))
        assert "kbtools.site.plugin" in sys.modules, "the kb plugin did not run"
        print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in {FRAMEWORKS!r})))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"frameworks imported by the build: {done.stdout}"
    assert (tmp_path / "site/index.html").is_file()


@pytest.mark.slow
def test_project_site_builds_strict() -> None:
    """REAL REQUIREMENT, EXPECTED TO FAIL WHILE THE VAULT IS BEING WRITTEN: the project's own site
    (``/work/main/mkdocs.yml``, every note of ``docs/``) builds with ``mkdocs build --strict``.
    Dangling links to notes not written yet make it fail until the vault is complete."""
    site = ROOT / "test-output" / "project-site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert done.returncode == 0, "\n".join(warnings) or done.stderr
    assert (site / "index.html").is_file() and (site / "kb.ttl").is_file()


def test_an_unforeseen_failure_in_a_hook_is_one_kb900_line_not_a_traceback(tmp_path):
    """The plugin's error boundary: a hook that raises something no check foresaw (simulated by
    replacing ``on_page_content`` with a function that raises) ends the build with a KB900 line."""
    import subprocess
    import sys

    from tests.site.helpers import write_project

    write_project(tmp_path)
    script = (
        "import sys; from kbtools.site import plugin\n"
        "def broken(self, *a, **k): raise RuntimeError('boom')\n"
        "plugin.KBPlugin.on_page_content = broken\n"
        "from mkdocs.__main__ import cli; sys.exit(cli(['build', '-q', '-f', sys.argv[1]]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "mkdocs.yml")], capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "KB900 error: kb plugin failed in broken: RuntimeError: boom" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("with_kb", [True, False])
def test_a_site_built_without_the_kb_plugin_says_so_on_every_page(tmp_path: Path, with_kb: bool) -> None:
    """The project's theme override shows a banner when mkdocs ran without the plugin."""
    import shutil

    config = write_project(tmp_path)
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    text = config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n", 1)
    if not with_kb:
        text = text[: text.index("  - kb:")] + text[text.index("markdown_extensions:") :]
    config.write_text(text, encoding="utf-8")
    done = _mkdocs(tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "frameworks" / "pytorch" / "index.html").read_text(encoding="utf-8")
    assert ("construit sans le plugin" in page) is not with_kb
