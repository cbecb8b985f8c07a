"""Snippet directives in pages: code, recorded output, badge, indentation, unknown snippets."""

from __future__ import annotations

import importlib.metadata
import platform

import pytest

from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from kbtools.site import snippet_blocks as blocks
from tests.kbtest import ROOT


@pytest.fixture(scope="module")
def entries():
    kb = build_knowledge_base(load_config(config_file=ROOT / "mkdocs.yml"))
    return {e.key: e for e in kb.snippets}


def test_block_shows_code_output_and_badge(entries):
    entry = entries["pytorch/mlp_digits"]
    out, missing = blocks.expand("Avant\n\n<!-- kb:snippet pytorch/mlp_digits -->\n\nAprès\n", entries, "../")
    assert missing == []
    assert 'title="snippets/pytorch/mlp_digits.py"' in out
    assert entry.spec.code.strip().splitlines()[0] in out
    python = ".".join(platform.python_version_tuple()[:2])
    torch = importlib.metadata.version("torch")
    assert f"vérifié sur CPU (torch {torch}, Python {python}) le " in out
    assert "../snippets/pytorch/mlp_digits/default.cpu.courbe_perte.png" in out  # figure, source-relative
    # the notebook is a download beside the snippet's page, linked source-relative so mkdocs checks it
    assert '(../snippets/pytorch/mlp_digits/mlp_digits.ipynb){ download="mlp_digits.ipynb" }' in out
    assert "Après" in out and "Avant" in out


def test_badge_names_the_first_declared_dependency_when_the_folder_has_no_main_package(entries):
    # huggingface/ holds one library per snippet: peft_lora declares peft first, then transformers.
    out, _ = blocks.expand("<!-- kb:snippet huggingface/peft_lora -->", entries, "")
    assert f"vérifié sur CPU (peft {importlib.metadata.version('peft')}, Python " in out
    out, _ = blocks.expand("<!-- kb:snippet experiments/optuna_search -->", entries, "")
    assert f"vérifié sur CPU (optuna {importlib.metadata.version('optuna')}, Python " in out


def test_directive_inside_a_tab_keeps_its_indentation(entries):
    out, _ = blocks.expand('=== "JAX"\n\n    <!-- kb:snippet jax/same_mlp -->\n', entries, "../")
    body = out.split("\n", 2)[2]
    assert all(line.startswith("    ") for line in body.splitlines() if line)


def test_matrix_snippet_gets_one_tab_per_variant(entries):
    out, _ = blocks.expand("<!-- kb:snippet keras/multi_backend -->", entries, "")
    for backend in ("jax", "tensorflow", "torch"):
        assert f'=== "KERAS_BACKEND={backend} · CPU"' in out


def test_gpu_snippet_without_result_says_so(entries):
    out, _ = blocks.expand("<!-- kb:snippet pytorch/amp_training -->", entries, "")
    assert "pas encore vérifié" in out and "vérifié sur CPU" not in out


def test_unknown_snippet_is_reported_and_left_alone(entries):
    text = "a\n<!-- kb:snippet pytorch/nulle_part -->\n"
    out, missing = blocks.expand(text, entries, "")
    assert out == text
    assert [(m.key, m.line) for m in missing] == [("pytorch/nulle_part", 2)]


def test_titles_are_printed_as_text(entries):
    entry = entries["numpy/same_mlp"]
    entry.spec.title = "<img src=x onerror=alert(1)>"
    try:
        out = blocks.block(entry, "")
    finally:
        entry.spec.title = "restored"
    assert "<img src=x" not in out
