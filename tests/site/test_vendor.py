"""The plugin ships the JavaScript it needs, so any mkdocs project builds its site without ``npm ci``.

The vendored copies (:mod:`kbtools.site.npm_files`) must be the versions ``package.json`` pins, the
bytes ``npm ci`` installs, and inside the wheel; a project outside the repository, with no
``node_modules`` anywhere, builds a full site from the wheel's files alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kbtools.site import assets, npm_files, sparql
from tests.site.helpers import NODE_MODULES, ROOT

VENDOR = ROOT / "kbtools" / "site" / "vendor"
# What the site needs, written out here rather than read from the code under test.
NEEDED = {"cytoscape": ["dist/cytoscape.min.js"], "oxigraph": ["web.js", "web_bg.wasm"]}


def _manifest() -> dict:
    return json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))


def test_vendored_versions_are_the_pinned_ones():
    pins = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    manifest = _manifest()
    assert {p: e["version"] for p, e in manifest.items()} == {p: pins[p] for p in manifest}
    for package, files in NEEDED.items():
        assert set(files) <= set(manifest[package]["files"]), package
        assert manifest[package]["license"], package


def test_vendored_files_are_those_of_the_manifest():
    for package, entry in _manifest().items():
        for inner, digest in entry["files"].items():
            assert hashlib.sha256((VENDOR / package / inner).read_bytes()).hexdigest() == digest, f"{package}/{inner}"
        for licence in entry["licence_files"]:
            assert (VENDOR / package / licence).is_file()


@pytest.mark.skipif(not NODE_MODULES.is_dir(), reason="no node_modules to compare with (npm ci not run)")
def test_vendored_files_are_what_npm_installs():
    for package, files in NEEDED.items():
        for inner in files:
            assert (VENDOR / package / inner).read_bytes() == (NODE_MODULES / package / inner).read_bytes(), (
                f"{package}/{inner} differs from node_modules: run `make vendor` (python -m kbtools.site.npm_files)"
            )


def test_plugin_finds_its_javascript_without_node_modules(tmp_path: Path):
    found = assets.vendor_files(tmp_path / "node_modules") + sparql.vendor_files(tmp_path / "node_modules")
    assert sorted(f.source.relative_to(VENDOR).as_posix() for f in found) == sorted(f"{p}/{i}" for p, files in NEEDED.items() for i in files)


def test_missing_javascript_names_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(npm_files, "VENDOR_ROOT", tmp_path / "nowhere")
    with pytest.raises(assets.MissingNodeModules, match=r"cytoscape/dist/cytoscape\.min\.js.*pip install kbtools\[site\]"):
        assets.vendor_files(tmp_path / "node_modules")


# -- a project anywhere, from the wheel -----------------------------------------------------------

# No index.md: as a note, its IRI would be the scheme's (https://coffre.example/), two titles on one IRI.
NOTES = {
    "accueil.md": "---\ntitle: Accueil\ntype: hub\n---\nLe coffre d'essai.\n",
    "chats.md": "---\ntitle: Chats\ntype: concept\ntags: [Animaux]\nisPartOf: '[[Accueil]]'\n---\nDes félins.\n",
    "chiens.md": "---\ntitle: Chiens\ntype: concept\ntags: [Animaux]\nisPartOf: '[[Accueil]]'\nseeAlso: ['[[Chats]]']\n---\nDes canidés.\n",
}
MKDOCS_YML = "site_name: Mon coffre\nsite_url: https://coffre.example/\ntheme:\n  name: material\n  language: fr\n  font: false\nplugins: [search, kb]\n"
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "kbtools", "ontology")


def _wheel(tmp_path: Path) -> Path:
    """The wheel of a copy of the sources (the build writes build/ and egg-info beside them)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    out = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "--disable-pip-version-check", "-w", str(out), str(src)],
        check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    (wheel,) = out.glob("kbtools-*.whl")
    return wheel


@pytest.mark.slow
def test_any_project_builds_its_site_from_the_wheel(tmp_path: Path):
    wheel = _wheel(tmp_path)
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for package, files in NEEDED.items():
            for inner in files:
                assert f"kbtools/site/vendor/{package}/{inner}" in names
        for name in ("kb.ttl", "shapes.ttl", "context.jsonld", "queries/frameworks.rq"):
            assert f"kbtools/ontology/{name}" in names
        installed = tmp_path / "installed"
        z.extractall(installed)
    project = tmp_path / "projet"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    for name, text in NOTES.items():
        (project / "docs" / name).write_text(text, encoding="utf-8")
    assert not any((folder / "node_modules").exists() for folder in (project, *project.parents))
    # Only the wheel's kbtools on the path (not the checkout's), run as a user would.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(installed)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True, text=True, timeout=300)

    where = run("-c", "import kbtools.site.plugin as p; print(p.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stdout + where.stderr
    build = run("-m", "mkdocs", "build")
    assert build.returncode == 0, build.stderr
    site = project / "site"
    for package, files in NEEDED.items():
        for inner in files:
            target = "assets/kb/vendor/" + ("oxigraph/" if package == "oxigraph" else "") + Path(inner).name
            assert (site / target).read_bytes() == (VENDOR / package / inner).read_bytes(), target
    assert 'class="kb-graph kb-graph--global"' in (site / "graphe" / "index.html").read_text(encoding="utf-8")
    assert "<https://coffre.example/chats/>" in (site / "kb.ttl").read_text(encoding="utf-8")
    graph = Graph().parse(site / "kb.ttl", format="turtle")
    assert graph.value(URIRef("https://coffre.example/#scheme"), SKOS.prefLabel) == Literal("Mon coffre", lang="fr")  # named after the site
    assert "application/ld+json" in (site / "chats" / "index.html").read_text(encoding="utf-8")
    check = run("-m", "kbtools.cli", "check", "--site", "site")
    assert check.returncode == 0, check.stdout + check.stderr
