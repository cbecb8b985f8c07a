"""The « Précision » key point: accuracy gaps between variants told in test images, worked out by hand
from the known document of conftest.py (mlp: numpy 0.9, torch-eager 0.91, jax-jit 0.92; gru: 0.8, 0.81)."""

from __future__ import annotations

from kbtools.bench.accuracy import accuracy_groups, accuracy_key_point, size_of_test_set
from kbtools.bench.aggregate import summaries
from kbtools.bench.render import render_all
from kbtools.bench.results import load_all


def _rows_by_task(doc):
    rows = summaries(doc)
    return {t: [r for r in rows if r.task == t] for t in doc["config"]["tasks"]}


def test_groups_turn_accuracies_into_image_counts(doc):
    for run in doc["runs"]:
        run["test_samples"] = 100
    mlp = _rows_by_task(doc)["mlp"]
    groups = accuracy_groups(mlp, size_of_test_set(doc["runs"], "mlp"))
    assert [(g.accuracy, g.variants, g.correct) for g in groups] == [
        (0.9, ("numpy",), 90), (0.91, ("torch-eager",), 91), (0.92, ("jax-jit",), 92)]


def test_key_point_gives_the_gap_in_images_and_names_equal_tasks(doc):
    for run in doc["runs"]:
        run["test_samples"] = 100
        if run["task"] == "gru":
            run["accuracy"] = 0.8  # same everywhere now
    text = accuracy_key_point(_rows_by_task(doc), doc["runs"])
    assert text.startswith("- **Précision** : ")
    assert "Sur `mlp`, 0,900 (90 images sur 100) pour `numpy` ; 0,910 (91 images sur 100) pour `torch-eager`" in text
    assert "— 2 images d'écart sur 100." in text
    assert "Même précision dans toutes les variantes sur `gru`." in text
    assert "`cnn`" not in text  # a task with no run is not mentioned


def test_without_size_of_test_set_no_count_is_invented(doc):
    assert size_of_test_set(doc["runs"], "mlp") is None
    text = accuracy_key_point(_rows_by_task(doc), doc["runs"])
    assert "images sur" not in text and "d'écart" not in text
    assert "0,800 pour `torch-eager` ; 0,810 pour `jax-jit`" in text


def test_device_page_carries_the_key_point(results_dir):
    text = render_all(load_all(results_dir))["benchmarks/cpu-test-cpu-r-9000.md"].decode()
    assert "- **Précision** : toutes les variantes partent des mêmes poids" in text
    assert "identique ou presque" not in text
