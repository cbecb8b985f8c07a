"""« Le même réseau dans chaque framework »: every tab exists, has run, and learns as much as the others."""

from __future__ import annotations

import re

import pytest

from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from kbtools.site.snippet_blocks import DIRECTIVE
from tests.kbtest import ROOT

FRAMEWORKS = {"NumPy": "numpy", "PyTorch": "pytorch", "TensorFlow": "tensorflow", "Keras": "keras", "JAX": "jax", "fastai": "fastai"}
MARGIN = 0.03  # largest accepted spread of test accuracy between frameworks
RESULT = re.compile(r"^RESULT framework=(\w+) test_accuracy=([0-9.]+) epochs=(\d+)$", re.M)


@pytest.fixture(scope="module")
def page():
    kb = build_knowledge_base(load_config(config_file=ROOT / "mkdocs.yml"))
    (note,) = kb.index.lookup("Le même réseau dans chaque framework")
    return note, {e.key: e for e in kb.snippets}


def test_one_tab_per_framework_each_holding_its_snippet(page):
    note, _ = page
    tabs = re.findall(r'^=== "([^"]+)"\n\n(.*?)(?=^=== |^## |\Z)', note.body, re.M | re.S)
    assert [t for t, _ in tabs] == list(FRAMEWORKS)
    for title, content in tabs:
        keys = [m.group("key") for m in DIRECTIVE.finditer(content)]
        assert keys == [f"{FRAMEWORKS[title]}/same_mlp"], title


def test_every_tab_ran_and_reaches_a_comparable_accuracy(page):
    _, entries = page
    accuracies = {}
    for framework in FRAMEWORKS.values():
        entry = entries[f"{framework}/same_mlp"]
        (record,) = entry.latest("cpu")
        found = RESULT.findall(record.data["stdout"])
        assert found, f"{framework}: no RESULT line in the recorded output"
        name, accuracy, epochs = found[-1]
        assert (name, epochs) == (framework, "20")
        accuracies[framework] = float(accuracy)
    assert min(accuracies.values()) >= 0.9, accuracies
    assert max(accuracies.values()) - min(accuracies.values()) <= MARGIN, accuracies
