"""What every variant shares: thread pinning, memory readings and the measurement loop.

A variant module only builds a :class:`Runner`; the order of operations, the timers, the warm-up
and the synchronisation rule are here, once, so that no framework is timed differently.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import sys
import time
from typing import Any, Protocol

import numpy as np
from tasks import batch_order


class Runner(Protocol):
    """One model, its optimiser and its compiled functions, for one task in one framework variant."""

    def load_batches(self, xs: list[np.ndarray], ys: list[np.ndarray]) -> None:
        """Turn the training batches into framework tensors on the device (not timed)."""

    def train_step(self, k: int) -> float:
        """One optimisation step on batch ``k``; returns the loss as a Python float, which forces the
        framework to finish the step (asynchronous GPUs and JAX dispatch included)."""

    def to_input(self, x: np.ndarray) -> Any:
        """An inference input as a framework tensor on the device (not timed)."""

    def infer(self, x: Any) -> np.ndarray:
        """Logits of ``x`` read back as a NumPy array (timed: the caller has the answer in hand)."""


def set_threads(backend: str, threads: int) -> dict[str, object]:
    """Apply the thread count through the framework's own API; returns what was applied, for the record."""
    applied: dict[str, object] = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "XLA_FLAGS")}
    if backend == "torch":
        import torch

        torch.set_num_threads(threads)
        torch.set_num_interop_threads(threads)
        applied.update(torch_threads=torch.get_num_threads(), torch_interop_threads=torch.get_num_interop_threads())
    elif backend == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
        for gpu in tf.config.list_physical_devices("GPU"):  # otherwise TF reserves all GPU memory at start
            tf.config.experimental.set_memory_growth(gpu, True)
        applied.update(tf_intra_op=tf.config.threading.get_intra_op_parallelism_threads(), tf_inter_op=tf.config.threading.get_inter_op_parallelism_threads())
    return applied


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def device_peak_mb(backend: str) -> float | None:
    """Peak device memory on a GPU, read with the framework's own counter; None on CPU."""
    if backend == "torch":
        import torch

        return torch.cuda.max_memory_allocated() / 2**20 if torch.cuda.is_available() else None
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.config.experimental.get_memory_info("GPU:0")["peak"] / 2**20 if tf.config.list_physical_devices("GPU") else None
    if backend == "jax":
        import jax

        device = jax.devices()[0]
        if device.platform != "gpu":
            return None
        return (device.memory_stats() or {}).get("peak_bytes_in_use", 0) / 2**20
    return None


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(fn, *args) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - start) * 1000, out


def _latency(runner: Runner, x: np.ndarray, warmup: int, calls: int) -> float:
    """Median milliseconds of ``calls`` inferences, after ``warmup`` untimed ones (tracing, new shapes)."""
    xt = runner.to_input(x)
    for _ in range(warmup):
        runner.infer(xt)
    return statistics.median(_timed(runner.infer, xt)[0] for _ in range(calls))


def _accuracy(runner: Runner, x: np.ndarray, y: np.ndarray, chunk: int) -> float:
    """Accuracy on the test set in chunks of the inference batch size (the last one padded), so that
    compiled variants reuse the shape they already compiled."""
    right = 0
    for start in range(0, len(x), chunk):
        part = x[start : start + chunk]
        padded = np.concatenate([part, np.zeros((chunk - len(part), *part.shape[1:]), part.dtype)]) if len(part) < chunk else part
        logits = runner.infer(runner.to_input(padded))[: len(part)]
        right += int((logits.argmax(axis=1) == y[start : start + len(part)]).sum())
    return right / len(x)


def measure(runner: Runner, data: dict[str, np.ndarray], cfg: dict) -> dict:
    """Train for the configured steps timing each one, then time inference and read accuracy and memory."""
    order = batch_order(len(data["x_train"]), cfg["batch_size"], cfg["epochs"][cfg["task"]], cfg["seed"], cfg.get("max_steps"))
    runner.load_batches([data["x_train"][i] for i in order], [data["y_train"][i] for i in order])
    # The collector would otherwise pause at random steps, as timeit avoids too.
    gc.collect()
    gc.disable()
    try:
        cpu_start = _cpu_s()
        times, losses = zip(*(_timed(runner.train_step, k) for k in range(len(order))), strict=True)
        train_cpu_s = _cpu_s() - cpu_start
        big = cfg["latency_batch"]
        latency_big = _latency(runner, data["x_test"][:big], cfg["latency_warmup"], cfg["latency_calls_big"])
        accuracy = _accuracy(runner, data["x_test"], data["y_test"], big)
        latency_one = _latency(runner, data["x_test"][:1], cfg["latency_warmup"], cfg["latency_calls_one"])
    finally:
        gc.enable()
    warm = cfg["warmup_steps"]
    return {
        "first_step_ms": round(times[0], 4),
        "step_ms": [round(t, 4) for t in times[warm:]],
        "steps": len(times),
        "train_s": round(sum(times) / 1000, 4),
        # CPU time of all this process' threads while training: far below train_s × threads means the
        # process waited for cores that other processes held (a shared machine), and its times are inflated.
        "train_cpu_s": round(train_cpu_s, 4),
        "loss_first": round(float(losses[0]), 6),
        "loss_last": round(float(np.mean(losses[-10:])), 6),
        "latency_b1_ms": round(latency_one, 4),
        "latency_b256_ms": round(latency_big, 4),
        "accuracy": round(accuracy, 6),
        "test_samples": len(data["x_test"]),
    }
