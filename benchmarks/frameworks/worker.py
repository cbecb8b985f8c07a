"""One measurement (a task × a variant) in this fresh process; prints one JSON line on stdout.

Usage (the driver calls it): python worker.py TASK VARIANT TASK_FILE.npz CONFIG_JSON

Nothing heavier than the standard library is imported before the framework, so that the first
thing timed is the framework's own import, on an interpreter that has loaded nothing else.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from variants import VARIANTS  # standard library only


def run(task: str, variant_name: str, task_file: str, cfg: dict) -> dict:
    variant = VARIANTS[variant_name]
    import harness_pin  # pins the CPUs before any framework starts a thread pool

    start = time.perf_counter()
    for name in variant.imports:
        importlib.import_module(name)
    import_s = time.perf_counter() - start

    import harness
    import tasks

    rss_import = harness.rss_mb()
    threads = harness.set_threads(variant.backend, cfg["threads"])
    data, params = tasks.load_task_file(task_file, task)
    module = importlib.import_module(variant.module)
    runner = module.make_runner(variant_name, task, params, {**cfg, "task": task})
    out = harness.measure(runner, data, {**cfg, "task": task})
    out.update(
        import_s=round(import_s, 4),
        rss_after_import_mb=round(rss_import, 1),
        peak_rss_mb=round(harness.rss_mb(), 1),
        device_peak_mb=_rounded(harness.device_peak_mb(variant.backend)),
        threads=threads,
        affinity=harness_pin.CPUS,
    )
    return out


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _load() -> float | None:
    """One-minute load average: on a shared machine, the context every number needs."""
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def main(argv: list[str]) -> int:
    task, variant, task_file, cfg_text = argv
    started = time.perf_counter()
    record: dict = {"task": task, "variant": variant, "load_1m_start": _load()}
    try:
        record.update(run(task, variant, task_file, json.loads(cfg_text)), ok=True)
    except Exception as exc:  # a failing variant is a result too: the driver records it and goes on
        record.update(ok=False, error=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc()[-4000:])
    record["worker_s"] = round(time.perf_counter() - started, 3)
    record["load_1m_end"] = _load()
    print(json.dumps(record), flush=True)
    return 0 if record["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
