"""A result document is checked before it is written and when it is read back."""

from __future__ import annotations

import json

import pytest

from kbtools.bench.results import load, load_all, save
from kbtools.bench.schema import validate
from kbtools.diagnostics import KBError


def test_known_document_is_valid(doc):
    assert validate(doc) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["runs"][0].update(accuracy=1.2), "runs[0].accuracy: 1.2 is not in [0, 1]"),
        (lambda d: d["runs"][1].update(latency_b1_ms=0.0), "runs[1].latency_b1_ms: 0.0 is not > 0"),
        (lambda d: d["runs"][2]["step_ms"].append(-1.0), "runs[2].step_ms[3]: -1.0 is not > 0"),
        (lambda d: d["runs"][0].pop("first_step_ms"), "runs[0].first_step_ms: missing"),
        (lambda d: d["runs"][0].update(accuracy=True), "runs[0].accuracy: True has the wrong type"),
        (lambda d: d["runs"][0].update(loss_last=float("nan")), "runs[0].loss_last: nan is not finite"),
        (lambda d: d["runs"][0].update(step_ms=[]), "runs[0].step_ms: should be a non-empty list"),
        (lambda d: d["runs"][0].update(ok=False), "runs[0].error: missing"),
        (lambda d: d["device"].update(kind="tpu"), "device: needs kind (cpu or gpu), name and slug"),
        (lambda d: d.update(schema="kb-bench/0"), "schema: expected 'kb-bench/1', found 'kb-bench/0'"),
        (lambda d: d["config"].pop("threads"), "config.threads: missing"),
        (lambda d: d.update(runs=[]), "runs: should be a non-empty list"),
    ],
)
def test_each_problem_is_reported_where_it_is(doc, mutate, expected):
    mutate(doc)
    assert expected in validate(doc)


def test_a_failed_run_with_its_error_is_valid(doc):
    doc["runs"][0] = {"task": "mlp", "variant": "numpy", "framework": "numpy", "repeat": 0, "ok": False, "error": "boom"}
    assert validate(doc) == []


def test_save_refuses_a_malformed_document_and_writes_nothing(doc, tmp_path):
    doc["runs"][0]["accuracy"] = -0.1
    with pytest.raises(KBError):
        save(tmp_path / "r.json", doc)
    assert list(tmp_path.iterdir()) == []


def test_save_is_deterministic_and_round_trips(doc, tmp_path):
    first = save(tmp_path / "a.json", doc).read_bytes()
    second = save(tmp_path / "b.json", json.loads(first)).read_bytes()
    assert first == second
    assert load(tmp_path / "a.json").doc == doc


def test_load_all_skips_tiny_runs(results_dir):
    assert [f.slug for f in load_all(results_dir)] == ["cpu-test-cpu-r-9000"]
    assert len(load_all(results_dir, include_tiny=True)) == 2


def test_load_reports_a_broken_file(tmp_path):
    (tmp_path / "x.json").write_text("{", encoding="utf-8")
    with pytest.raises(KBError, match="cannot read benchmark result"):
        load_all(tmp_path)
