"""A small, fully known result document, so that aggregation, pages and triples can be checked
against numbers worked out by hand."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

# (task, variant, framework) → per repetition: steady step times (ms), latency b1, latency b256, accuracy
RUNS = {
    ("mlp", "numpy", "numpy"): [([1.0, 2.0, 3.0, 4.0], 0.05, 1.0, 0.9), ([5.0, 6.0, 7.0, 8.0], 0.07, 1.2, 0.9)],
    ("mlp", "torch-eager", "pytorch"): [([2.0, 2.0, 2.0], 0.04, 0.8, 0.91), ([4.0, 4.0, 4.0], 0.06, 0.9, 0.91)],
    ("mlp", "jax-jit", "jax"): [([0.5, 0.5], 0.02, 0.5, 0.92), ([0.5, 1.5], 0.03, 0.7, 0.92)],
    ("gru", "torch-eager", "pytorch"): [([10.0, 12.0], 0.2, 3.0, 0.8), ([11.0, 13.0], 0.3, 3.5, 0.8)],
    ("gru", "jax-jit", "jax"): [([9.0, 9.0], 0.4, 2.0, 0.81), ([9.0, 9.0], 0.5, 2.5, 0.81)],
}


def make_doc(device_name: str = "Test CPU(R) 9000", kind: str = "cpu", measured_on: str = "2026-11-20") -> dict:
    runs = []
    for (task, variant, framework), reps in RUNS.items():
        for repeat, (steps, b1, b256, acc) in enumerate(reps):
            runs.append({
                "task": task, "variant": variant, "framework": framework, "repeat": repeat, "ok": True,
                "import_s": 1.5, "first_step_ms": 100.0 + repeat, "step_ms": steps, "steps": len(steps) + 2,
                "train_s": sum(steps) / 1000, "train_cpu_s": sum(steps) / 1000, "latency_b1_ms": b1, "latency_b256_ms": b256,
                "peak_rss_mb": 300.0 + 10 * repeat, "rss_after_import_mb": 200.0, "device_peak_mb": 50.0 if kind == "gpu" else None,
                "accuracy": acc, "loss_first": 2.3, "loss_last": 0.3, "load_1m_start": 0.5, "load_1m_end": 0.7,
            })
    slug = "cpu-test-cpu-r-9000" if kind == "cpu" else "gpu-test-gpu"
    return {
        "schema": "kb-bench/1",
        "device": {"kind": kind, "name": device_name, "slug": slug},
        "environment": {"cpu_model": "Test CPU(R) 9000", "cores_logical": 2, "cores_physical": 1, "ram_gb": 8.0, "os": "Linux-test",
                        "python": "3.11.7", "versions": {"torch": "2.14.1", "jax": "0.10.2", "numpy": "2.4.6"}, "gpus": []},
        "config": {"tasks": ["mlp", "cnn", "gru"], "variants": ["numpy", "torch-eager", "jax-jit"], "batch_size": 64, "repeats": 2,
                   "threads": 2, "seed": 0, "warmup_steps": 2, "tiny": False, "epochs": {"mlp": 1, "gru": 1},
                   "learning_rate": 0.001, "adam_epsilon": 1e-07, "task_titles": {"mlp": "MLP", "gru": "GRU"}},
        "measured_on": measured_on,
        "wall_s": 60.0,
        "order": [{"repeat": r["repeat"], "task": r["task"], "variant": r["variant"]} for r in runs],
        "runs": runs,
    }


@pytest.fixture
def doc() -> dict:
    return copy.deepcopy(make_doc())


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    """A results folder with the known document, and a tiny smoke run that must be ignored."""
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "cpu-test-cpu-r-9000.json").write_text(json.dumps(make_doc()), encoding="utf-8")
    tiny = make_doc(device_name="Tiny CPU")
    tiny["device"]["slug"] = "cpu-tiny-cpu"
    tiny["config"]["tiny"] = True
    (folder / "cpu-tiny-cpu.json").write_text(json.dumps(tiny), encoding="utf-8")
    return folder
