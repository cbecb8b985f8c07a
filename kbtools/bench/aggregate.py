"""From runs to the numbers published: median and interquartile range of the steady-state steps
of every repetition pooled together, medians of the per-run measures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile, linearly interpolated between order statistics
    (NumPy's default, ``statistics.quantiles(method="inclusive")``); one value is its own quartiles."""
    if not values:
        raise ValueError("quartiles of no values")
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


@dataclass(frozen=True, slots=True)
class Summary:
    """One task × variant on one device, over its successful repetitions."""

    task: str
    variant: str
    framework: str
    runs: int
    failed: int
    step_median_ms: float | None = None
    step_q1_ms: float | None = None
    step_q3_ms: float | None = None
    samples_per_s: float | None = None
    import_s: float | None = None
    first_step_ms: float | None = None
    latency_b1_ms: float | None = None
    latency_b256_ms: float | None = None
    peak_rss_mb: float | None = None
    device_peak_mb: float | None = None
    accuracy: float | None = None
    cores_used: float | None = None  # CPU time ÷ wall time while training: < 1 on a contended machine
    run_step_medians_ms: tuple[float, ...] = ()
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.runs > 0

    @property
    def step_iqr_ms(self) -> float | None:
        return None if self.step_q1_ms is None or self.step_q3_ms is None else self.step_q3_ms - self.step_q1_ms


def _median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def _cores_used(runs: list[dict]) -> float | None:
    shares = [r["train_cpu_s"] / r["train_s"] for r in runs if r.get("train_cpu_s") is not None and r.get("train_s")]
    return statistics.median(shares) if shares else None


def summarise(task: str, variant: str, runs: list[dict], batch_size: int) -> Summary:
    """The summary of the runs of one task × variant (failed runs counted, not measured)."""
    good = [r for r in runs if r.get("ok")]
    failed = [r for r in runs if not r.get("ok")]
    framework = next((r["framework"] for r in runs if r.get("framework")), "")
    if not good:
        return Summary(task, variant, framework, 0, len(failed), error=failed[0].get("error", "") if failed else "")
    q1, median, q3 = quartiles([t for r in good for t in r["step_ms"]])
    return Summary(
        task, variant, framework, len(good), len(failed),
        step_median_ms=median, step_q1_ms=q1, step_q3_ms=q3,
        samples_per_s=batch_size * 1000 / median,
        import_s=_median(good, "import_s"),
        first_step_ms=_median(good, "first_step_ms"),
        latency_b1_ms=_median(good, "latency_b1_ms"),
        latency_b256_ms=_median(good, "latency_b256_ms"),
        peak_rss_mb=_median(good, "peak_rss_mb"),
        device_peak_mb=_median(good, "device_peak_mb"),
        accuracy=_median(good, "accuracy"),
        cores_used=_cores_used(good),
        run_step_medians_ms=tuple(statistics.median(r["step_ms"]) for r in sorted(good, key=lambda r: r["repeat"])),
        error=failed[0].get("error", "") if failed else "",
    )


def summaries(doc: dict) -> list[Summary]:
    """Every task × variant of a result document, in the order of its configuration (tasks, then variants)."""
    config = doc["config"]
    tasks, variants = list(config["tasks"]), list(config["variants"])
    grouped: dict[tuple[str, str], list[dict]] = {}
    for run in doc["runs"]:
        grouped.setdefault((run["task"], run["variant"]), []).append(run)

    def rank(key: tuple[str, str]) -> tuple:
        task, variant = key
        return (tasks.index(task) if task in tasks else len(tasks), task, variants.index(variant) if variant in variants else len(variants), variant)

    return [summarise(t, v, grouped[(t, v)], config["batch_size"]) for t, v in sorted(grouped, key=rank)]
