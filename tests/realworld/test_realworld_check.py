"""The five vaults of tests/data/realworld (copied byte for byte from the project's shared input)
give exactly the results their README states, through the real ``kb check`` code path."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from tests.kbtest import DATA, run_kb

REALWORLD = DATA / "realworld"


def _kb(name: str):
    return build_knowledge_base(load_config(REALWORLD / name, site_url="https://essai.invalid/"))


def _where(kb, d) -> tuple[str, int, str]:
    return (Path(d.path).resolve().relative_to(kb.config.vault).as_posix(), d.line, d.code)


def _edges(kb, source_title: str) -> list[tuple[str, str, int]]:
    return sorted((e.kind, e.target.title, e.link.line) for e in kb.edges if e.source.title == source_title)


def test_b01_escaped_pipes_in_tables_and_yaml_links_all_resolve():
    kb = _kb("B01_pipe_alias_frontmatter_tables")
    assert [_where(kb, d) for d in kb.diagnostics] == [("Comparatif des API de haut niveau.md", 20, "KB117")]
    assert not any("\\" in d.message for d in kb.diagnostics)
    found = _edges(kb, "Comparatif des API de haut niveau")
    assert ("mentions", "Présentation de Keras", 15) in found and ("mentions", "Présentation de Keras", 17) in found
    assert ("mentions", "Présentation de PyTorch Lightning", 16) in found
    assert ("isPartOf", "Frameworks Python pour le Deep Learning", 9) in found
    assert ("seeAlso", "Présentation de PyTorch Lightning", 8) in found


def test_b02_unquoted_frontmatter_links():
    kb = _kb("B02_unquoted_frontmatter_wikilinks")
    errors = [(_where(kb, d), d.hint) for d in kb.diagnostics if d.is_error]
    assert [w for w, _ in errors] == [("Présentation de Flax.md", 8, "KB116"), ("Présentation de JAX.md", 9, "KB116")]
    assert "quote" in errors[1][1] and "'[[Calcul différentiable, compilation et accélérateurs]]'" in errors[1][1]
    flax = next(d for d in kb.diagnostics if d.path.endswith("Flax.md"))
    assert flax.col == 10  # where the value starts
    warnings = [_where(kb, d) for d in kb.diagnostics if not d.is_error]
    assert warnings == [("Présentation de JAX.md", 8, "KB116")]
    assert ("subClassOf", "Frameworks Python pour le Deep Learning", 8) in _edges(kb, "Présentation de JAX")
    assert not any("compilation et accélérateurs" in d.message and d.code == "KB102" for d in kb.diagnostics)
    # the other notes, and the broken note's body, are still read
    assert len(kb.notes) == 5
    assert ("mentions", "Présentation de JAX", 12) in _edges(kb, "Présentation de Flax")


def test_b03_links_in_code_are_not_links():
    kb = _kb("B03_links_in_code")
    assert kb.diagnostics == []
    note = next(n for n in kb.notes if n.title == "Vérifier la disponibilité du GPU")
    assert sorted(link.line for link in note.links) == [8, 12, 50]


def test_b08_embeds_block_references_and_headings():
    kb = _kb("B08_embeds_block_refs_headings")
    found = sorted(_where(kb, d)[:2] for d in kb.diagnostics)
    assert found == [("Régularisation.md", n) for n in (26, 27, 28, 30, 31)]
    hint = next(d.hint for d in kb.diagnostics if d.line == 26)
    assert "#^def-surapprentissage" in hint
    assert {d.code for d in kb.diagnostics if d.line == 31} == {"KB114"}


def test_b09_md_extensions_and_paths():
    kb = _kb("B09_md_extension_paths")
    assert [_where(kb, d) for d in kb.diagnostics] == [("guides/Installer les frameworks.md", 25, "KB102")]
    targets = {(line, title) for kind, title, line in _edges(kb, "Installer les frameworks")}
    expected = {(8, "Présentation de JAX"), (8, "Présentation de Keras")}
    expected |= {(n, "Présentation de Keras") for n in (14, 15, 16, 20, 21, 22, 24)}
    expected |= {(n, "Présentation de JAX") for n in (17, 18, 19, 23)}
    assert targets == expected


@pytest.mark.parametrize("name", sorted(p.name for p in REALWORLD.iterdir() if p.is_dir()))
def test_cli_reads_each_vault_without_a_traceback(name):
    proc = run_kb("check", str(REALWORLD / name), "--format", "json")
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
