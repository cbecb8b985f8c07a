"""The protocol itself, in its tiny configuration: every variant runs and yields well-formed results.

All ten variants run the MLP; the CNN and the GRU run one variant per framework (PyTorch, TensorFlow,
Keras, JAX) so that the whole test stays within a few minutes on a two-core machine.
`kb bench run --tiny` runs all 28 combinations.
"""

from __future__ import annotations

import json

import pytest

from kbtools.bench.command import load_driver
from kbtools.bench.schema import validate
from tests.kbtest import ROOT, run_kb

VARIANTS = load_driver(ROOT).VARIANTS  # the registry lives with the protocol, not in the package

ONE_PER_FRAMEWORK = ["torch-eager", "tf-function", "keras-tensorflow", "jax-jit"]


def _check(doc: dict, tasks: list[str], variants: list[str]) -> None:
    assert validate(doc) == []
    failures = [(r["task"], r["variant"], r.get("error")) for r in doc["runs"] if not r["ok"]]
    assert failures == []
    assert sorted((r["task"], r["variant"]) for r in doc["runs"]) == sorted(
        (t, v) for t in tasks for v in variants if t in VARIANTS[v].tasks)
    for run in doc["runs"]:
        assert 0 <= run["accuracy"] <= 1
        assert run["import_s"] > 0 and run["first_step_ms"] > 0 and run["latency_b1_ms"] > 0 and run["latency_b256_ms"] > 0
        assert len(run["step_ms"]) == doc["config"]["max_steps"] - doc["config"]["warmup_steps"] and min(run["step_ms"]) > 0
        assert run["peak_rss_mb"] >= run["rss_after_import_mb"] > 0
        assert run["device_peak_mb"] is None  # no GPU here
        assert run["threads"].get("OMP_NUM_THREADS") == "2"
    for task in tasks:
        # Same data, same initial weights, same batches: every framework starts from the very same loss,
        # and after a few Adam steps is still within rounding (Keras places epsilon slightly differently).
        first = [r["loss_first"] for r in doc["runs"] if r["task"] == task]
        last = [r["loss_last"] for r in doc["runs"] if r["task"] == task]
        assert max(first) - min(first) < 1e-4, (task, first)
        assert max(last) - min(last) < 1e-3, (task, last)


@pytest.mark.slow
def test_tiny_protocol_every_variant_runs_and_learns_the_same_thing(tmp_path):
    driver = load_driver(ROOT)
    mlp_path, mlp = driver.run_protocol(["mlp"], list(VARIANTS), tiny=True, output=tmp_path / "mlp.json", log=print)
    _check(json.loads(mlp_path.read_text(encoding="utf-8")), ["mlp"], list(VARIANTS))
    other_path, _ = driver.run_protocol(["cnn", "gru"], ONE_PER_FRAMEWORK, tiny=True, output=tmp_path / "other.json", log=print)
    _check(json.loads(other_path.read_text(encoding="utf-8")), ["cnn", "gru"], ONE_PER_FRAMEWORK)
    assert {r["framework"] for r in mlp["runs"]} == {"numpy", "pytorch", "tensorflow", "keras", "jax"}
    assert mlp["config"]["tiny"] is True and mlp["environment"]["versions"]["torch"]


@pytest.mark.slow
def test_cli_runs_and_reports(tmp_path, results_dir):
    out = tmp_path / "numpy.json"
    proc = run_kb("bench", "run", "--tiny", "--tasks", "mlp", "--variants", "numpy", "--output", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert validate(doc) == [] and [r["variant"] for r in doc["runs"]] == ["numpy"]
    vault = tmp_path / "vault"
    proc = run_kb("bench", "report", "--results", str(results_dir), "--vault", str(vault))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (vault / "benchmarks").glob("*.md")) == ["cpu-test-cpu-r-9000.md", "index.md"]


def test_unknown_variant_is_a_usage_error():
    proc = run_kb("bench", "run", "--tiny", "--variants", "caffe")
    assert proc.returncode == 2 and "invalid choice: 'caffe'" in proc.stderr
