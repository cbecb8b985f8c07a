"""Generated pages: deterministic, valid notes of the vault, honest about the missing GPU results."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from kbtools.bench.command import load_driver, report
from kbtools.bench.markdown import GENERATED, GPU_PENDING, num
from kbtools.bench.protocol_page import VARIANT_DOCS
from kbtools.bench.render import render_all, write_pages
from kbtools.bench.results import load_all
from kbtools.config import load_config
from kbtools.notes import read_note
from kbtools.pipeline import build_knowledge_base
from tests.kbtest import ROOT

DEVICE_PAGE = "benchmarks/cpu-test-cpu-r-9000.md"


@pytest.fixture
def files(results_dir: Path) -> dict[str, bytes]:
    return render_all(load_all(results_dir))


def test_rendering_is_deterministic(results_dir, files):
    assert render_all(load_all(results_dir)) == files
    assert sorted(files) == [
        "benchmarks/cpu-test-cpu-r-9000.md", "benchmarks/img/cpu-test-cpu-r-9000-gru.png",
        "benchmarks/img/cpu-test-cpu-r-9000-mlp.png", "benchmarks/index.md",
    ]
    assert all(files[p].startswith(b"\x89PNG") for p in files if p.endswith(".png"))


@pytest.mark.parametrize("page", [DEVICE_PAGE, "benchmarks/index.md"])
def test_pages_are_notes_without_diagnostics(files, tmp_path, page):
    write_pages(files, tmp_path)
    note, diags = read_note(tmp_path, tmp_path / page)
    assert diags == []
    assert note is not None and note.type == "guide" and note.created and note.modified
    assert {link.kind for link in note.links} >= {"isPartOf", "seeAlso", "sources"}


def test_device_page_holds_the_numbers_and_the_environment(files):
    text = files[DEVICE_PAGE].decode()
    assert "title: 'Résultats des benchmarks sur CPU : Test CPU 9000'" in text
    row = next(line for line in text.splitlines() if 'id="mlp-numpy"' in line)
    cells = [c.strip() for c in row.strip("|").split("|")]
    # variant, framework, import, first step, median ± IQR, samples/s, b1, b256, RSS, accuracy, cores
    assert cells[1:] == ["NumPy", num(1.5), num(100.5), f"{num(4.5)} ± {num(3.5)} ⚠", num(64000 / 4.5), num(0.06), num(1.1),
                         num(305.0), num(0.9), num(1.0, 2)]
    assert "**" + num(0.025) + "**" in next(line for line in text.splitlines() if 'id="mlp-jax-jit"' in line)  # fastest b1 in bold
    jax_row = next(line for line in text.splitlines() if 'id="mlp-jax-jit"' in line)
    assert "⚠" not in jax_row  # IQR 0.25 is not more than half the median 0.5: steady enough
    assert text.count("*Environnement : Test CPU 9000, 2 threads") == 2  # beside each table
    assert "Machine partagée" not in text  # load 0.7 on 2 cores: no warning
    assert "](img/cpu-test-cpu-r-9000-mlp.png)" in text and GPU_PENDING in text


def test_busy_machine_is_flagged(results_dir):
    [result] = load_all(results_dir)
    result.doc["runs"][0]["load_1m_end"] = 6.5
    text = render_all([result])[DEVICE_PAGE].decode()
    assert '!!! warning "Machine partagée pendant les mesures"' in text and f"jusqu'à {num(6.5)}" in text


def test_index_lists_devices_and_says_gpu_is_not_measured(files):
    text = files["benchmarks/index.md"].decode()
    assert "- [[Résultats des benchmarks sur CPU : Test CPU 9000]] — mesuré le 2026-11-20" in text
    assert GPU_PENDING in text
    assert "date_modification: '2026-11-23'" in text  # the protocol's own date is later than the results


def test_index_documents_every_variant_of_the_protocol():
    assert list(VARIANT_DOCS) == list(load_driver(ROOT).VARIANTS)


def test_write_pages_writes_only_changes_and_removes_stale_generated_files(files, tmp_path):
    assert len(write_pages(files, tmp_path)) == 4
    assert write_pages(files, tmp_path) == []
    stale = tmp_path / "benchmarks" / "cpu-old.md"
    stale.write_text("---\ntitle: Old\n---\n" + GENERATED + "\n", encoding="utf-8")
    (tmp_path / "benchmarks" / "img" / "cpu-old-mlp.png").write_bytes(b"png")
    hand_written = tmp_path / "benchmarks" / "notes.md"
    hand_written.write_text("---\ntitle: À la main\n---\n", encoding="utf-8")
    write_pages(files, tmp_path)
    assert not stale.exists() and not (tmp_path / "benchmarks" / "img" / "cpu-old-mlp.png").exists()
    assert hand_written.exists()


@pytest.mark.slow
def test_vault_with_generated_pages_checks_clean(results_dir, tmp_path):
    """The pages in the real vault: no error, no warning, SHACL included, links resolved. The
    committed results are generated too, since notes of the vault link to their pages by title."""
    vault = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", vault, ignore=shutil.ignore_patterns("benchmarks"))
    for committed in (ROOT / "benchmarks" / "results").glob("*.json"):
        shutil.copy(committed, results_dir / committed.name)
    report(ROOT, results_dir, vault)
    config = dataclasses.replace(load_config(vault), exclude=("index.md",))  # as mkdocs.yml says: the home page is no note
    kb = build_knowledge_base(config, shacl=True)
    assert [d.format() for d in kb.diagnostics] == []
    titles = {n.title for n in kb.notes}
    assert {"Protocole de comparaison des performances", "Résultats des benchmarks sur CPU : Test CPU 9000"} <= titles
    page = next(n for n in kb.notes if n.path == DEVICE_PAGE)
    parents = {e.target.title for e in kb.edges if e.source is page and e.kind == "isPartOf"}
    assert parents == {"Protocole de comparaison des performances"}


def test_committed_pages_match_committed_results(tmp_path):
    """docs/benchmarks/ is what `kb bench report` makes of benchmarks/results/: nobody edited it by hand."""
    expected = render_all(load_all(ROOT / "benchmarks" / "results"))
    actual = {p.relative_to(ROOT / "docs").as_posix(): p.read_bytes()
              for p in sorted((ROOT / "docs" / "benchmarks").rglob("*")) if p.is_file()}
    assert sorted(actual) == sorted(expected)
    # Markdown byte for byte; figures by name only, as another FreeType may draw other pixels.
    changed = [p for p in expected if p.endswith(".md") and actual[p] != expected[p]]
    assert changed == [], "run `kb bench report`"
    assert not any(re.search(r"\bnan\b|None", expected[p].decode()) for p in expected if p.endswith(".md"))
