"""Median and interquartile range on inputs worked out by hand; runs grouped and ordered."""

from __future__ import annotations

import pytest

from kbtools.bench.aggregate import quartiles, summaries, summarise


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([7.0], (7.0, 7.0, 7.0)),
        ([1.0, 2.0, 3.0, 4.0, 5.0], (2.0, 3.0, 4.0)),
        ([4.0, 1.0, 3.0, 2.0], (1.75, 2.5, 3.25)),  # unsorted input; linear interpolation as numpy.percentile
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], (2.75, 4.5, 6.25)),
    ],
)
def test_quartiles_known_values(values, expected):
    assert quartiles(values) == pytest.approx(expected)


def test_quartiles_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        quartiles([])


def test_steps_of_all_repetitions_are_pooled(doc):
    mlp_numpy = next(s for s in summaries(doc) if (s.task, s.variant) == ("mlp", "numpy"))
    # pooled 1..8 → median 4.5, quartiles 2.75 and 6.25; per-run medians 2.5 and 6.5
    assert (mlp_numpy.step_q1_ms, mlp_numpy.step_median_ms, mlp_numpy.step_q3_ms) == pytest.approx((2.75, 4.5, 6.25))
    assert mlp_numpy.step_iqr_ms == pytest.approx(3.5)
    assert mlp_numpy.run_step_medians_ms == pytest.approx((2.5, 6.5))
    assert mlp_numpy.samples_per_s == pytest.approx(64 * 1000 / 4.5)
    assert mlp_numpy.latency_b1_ms == pytest.approx(0.06)  # median of 0.05 and 0.07
    assert mlp_numpy.peak_rss_mb == pytest.approx(305.0)
    assert mlp_numpy.runs == 2 and mlp_numpy.failed == 0


def test_order_follows_configuration_not_input(doc):
    doc["runs"].reverse()
    assert [(s.task, s.variant) for s in summaries(doc)] == [
        ("mlp", "numpy"), ("mlp", "torch-eager"), ("mlp", "jax-jit"), ("gru", "torch-eager"), ("gru", "jax-jit"),
    ]


def test_failed_runs_are_counted_not_measured():
    good = {"ok": True, "framework": "jax", "repeat": 0, "step_ms": [1.0, 3.0], "latency_b1_ms": 0.1}
    bad = {"ok": False, "framework": "jax", "repeat": 1, "error": "RuntimeError: boom"}
    s = summarise("mlp", "jax-jit", [good, bad], 64)
    assert (s.runs, s.failed, s.step_median_ms, s.error) == (1, 1, 2.0, "RuntimeError: boom")
    only_bad = summarise("mlp", "jax-jit", [bad], 64)
    assert not only_bad.ok and only_bad.step_median_ms is None and only_bad.error == "RuntimeError: boom"
