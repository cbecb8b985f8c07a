"""The shape of a result file, checked by hand (no schema library needed): one function per level,
each problem reported with its JSON path, so a broken file says where it is broken."""

from __future__ import annotations

import math
from typing import Any

SCHEMA = "kb-bench/1"
DEVICE_KINDS = ("cpu", "gpu")
# key → (type, constraint): "pos" > 0, "nonneg" ≥ 0, "unit" in [0, 1], "finite", None
RUN_FIELDS: dict[str, tuple[type | tuple[type, ...], str | None]] = {
    "task": (str, None),
    "variant": (str, None),
    "framework": (str, None),
    "repeat": (int, "nonneg"),
    "import_s": ((int, float), "pos"),
    "first_step_ms": ((int, float), "pos"),
    "steps": (int, "pos"),
    "train_s": ((int, float), "pos"),
    "latency_b1_ms": ((int, float), "pos"),
    "latency_b256_ms": ((int, float), "pos"),
    "peak_rss_mb": ((int, float), "pos"),
    "accuracy": ((int, float), "unit"),
    "loss_first": ((int, float), "finite"),
    "loss_last": ((int, float), "finite"),
}
TOP_FIELDS = ("schema", "device", "environment", "config", "measured_on", "runs", "order", "wall_s")
CONFIG_FIELDS = ("tasks", "variants", "batch_size", "repeats", "threads", "seed", "warmup_steps", "tiny")


def _number_problem(value: Any, constraint: str | None) -> str | None:
    if isinstance(value, bool):
        return "is a boolean"
    if not math.isfinite(value):
        return f"{value} is not finite"
    if constraint == "pos" and value <= 0:
        return f"{value} is not > 0"
    if constraint == "nonneg" and value < 0:
        return f"{value} is negative"
    if constraint == "unit" and not 0 <= value <= 1:
        return f"{value} is not in [0, 1]"
    return None


def validate_run(run: Any, where: str = "run") -> list[str]:
    """Problems of one run record; a failed run (``ok`` false) only needs its identity and an error."""
    if not isinstance(run, dict):
        return [f"{where}: not an object"]
    if run.get("ok") is False:
        missing = [k for k in ("task", "variant", "error") if not isinstance(run.get(k), str)]
        return [f"{where}.{k}: missing" for k in missing]
    if run.get("ok") is not True:
        return [f"{where}.ok: should be true or false"]
    problems = []
    for key, (kind, constraint) in RUN_FIELDS.items():
        if key not in run:
            problems.append(f"{where}.{key}: missing")
        elif not isinstance(run[key], kind) or isinstance(run[key], bool):
            problems.append(f"{where}.{key}: {run[key]!r} has the wrong type")
        elif kind is not str and (problem := _number_problem(run[key], constraint)):
            problems.append(f"{where}.{key}: {problem}")
    steps = run.get("step_ms")
    if not isinstance(steps, list) or not steps:
        problems.append(f"{where}.step_ms: should be a non-empty list")
    else:
        problems += [f"{where}.step_ms[{i}]: {p}" for i, s in enumerate(steps)
                     if (p := "not a number" if not isinstance(s, (int, float)) else _number_problem(s, "pos"))]
    device_peak = run.get("device_peak_mb")
    if device_peak is not None and (not isinstance(device_peak, (int, float)) or _number_problem(device_peak, "nonneg")):
        problems.append(f"{where}.device_peak_mb: should be null or a number ≥ 0")
    return problems


def validate(doc: Any) -> list[str]:
    """Every problem of a result document; an empty list means it is well formed."""
    if not isinstance(doc, dict):
        return ["document: not an object"]
    problems = [f"{key}: missing" for key in TOP_FIELDS if key not in doc]
    if doc.get("schema") != SCHEMA:
        problems.append(f"schema: expected {SCHEMA!r}, found {doc.get('schema')!r}")
    device = doc.get("device")
    if not isinstance(device, dict) or device.get("kind") not in DEVICE_KINDS or not all(isinstance(device.get(k), str) for k in ("name", "slug")):
        problems.append("device: needs kind (cpu or gpu), name and slug")
    config = doc.get("config")
    if not isinstance(config, dict):
        problems.append("config: not an object")
    else:
        problems += [f"config.{key}: missing" for key in CONFIG_FIELDS if key not in config]
    if not isinstance(doc.get("measured_on"), str) or len(doc.get("measured_on", "")) != 10:
        problems.append("measured_on: should be a date YYYY-MM-DD")
    runs = doc.get("runs")
    if not isinstance(runs, list) or not runs:
        problems.append("runs: should be a non-empty list")
    else:
        for i, run in enumerate(runs):
            problems += validate_run(run, f"runs[{i}]")
    return problems
