"""Imported first by the worker: pins the process to ``BENCH_THREADS`` CPUs before any framework
starts a thread pool (a pool sized before the pinning would keep its extra threads).

Standard library only, so that it does not disturb the import time measured next."""

from __future__ import annotations

import os

THREADS = int(os.environ.get("BENCH_THREADS", "0") or 0)
CPUS: list[int] = []
if THREADS and hasattr(os, "sched_setaffinity"):  # Linux; elsewhere only the thread counts apply
    CPUS = sorted(os.sched_getaffinity(0))[:THREADS]
    os.sched_setaffinity(0, CPUS)
