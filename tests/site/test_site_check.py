"""``kb check --site``: a site built without the plugin, or damaged, or older than the notes, is reported."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kbtools.cli import main
from tests.site.helpers import Built, build_project, write_project

SITE_CODES = {f"KB14{i}" for i in range(6)}


def _check(capsys: pytest.CaptureFixture[str], root: Path, site: Path) -> tuple[int, list[dict]]:
    capsys.readouterr()
    code = main(["check", str(root / "docs"), "--config", str(root / "mkdocs.yml"), "--no-shacl", "--format", "json", "--site", str(site)])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    return code, [d for d in found if d["code"] in SITE_CODES]


def test_site_built_by_the_plugin_passes(built: Built, capsys: pytest.CaptureFixture[str]) -> None:
    _, found = _check(capsys, built.root, built.site)
    assert found == []


def test_site_built_without_the_plugin_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path)
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    without = re.sub(r"  - kb:\n(      .*\n)+", "", text)
    assert "kb:" not in without
    config.write_text(without, encoding="utf-8")
    build_project(tmp_path)
    assert (tmp_path / "site" / "index.html").is_file()
    code, found = _check(capsys, tmp_path, tmp_path / "site")
    assert code == 1
    assert [d["code"] for d in found] == ["KB141"]


def test_damaged_site_is_reported(built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "projet"
    shutil.copytree(built.root, root, ignore=shutil.ignore_patterns(".kb-cache"))
    site = root / "site"
    page = site / "frameworks" / "pytorch" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S), encoding="utf-8")
    (site / "assets" / "kb" / "vendor" / "cytoscape.min.js").unlink()
    shutil.rmtree(site / "concepts" / "tenseur")
    code, found = _check(capsys, root, site)
    assert code == 1
    by_code = {(d["code"], Path(d["path"]).as_posix().split("/site/")[-1].split("/docs/")[-1]) for d in found}
    assert ("KB143", "frameworks/pytorch/index.html") in by_code
    assert ("KB140", "assets/kb/vendor/cytoscape.min.js") in by_code
    assert ("KB145", "concepts/tenseur.md") in by_code
    assert len(found) == 3, found


def test_jsonld_that_disagrees_with_kb_ttl_is_reported(built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "projet"
    shutil.copytree(built.root, root, ignore=shutil.ignore_patterns(".kb-cache"))
    page = root / "site" / "tags" / "deep-learning" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert '"Deep Learning"' in html
    page.write_text(html.replace('"Deep Learning"', '"Apprentissage profond"', 1), encoding="utf-8")
    _, found = _check(capsys, root, root / "site")
    assert [(d["code"], d["message"]) for d in found] == [("KB143", "the page's JSON-LD differs from kb.ttl: 1 triples missing, 1 not in kb.ttl")]


def test_folder_that_is_no_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path)
    (tmp_path / "vide").mkdir()
    code, found = _check(capsys, tmp_path, tmp_path / "vide")
    assert code == 1
    assert [d["code"] for d in found] == ["KB144"]
