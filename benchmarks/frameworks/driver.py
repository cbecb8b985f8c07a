"""Driver of the cross-framework protocol: plans the runs, starts each in a fresh process with the
same controls, and writes one result file per machine.

Usage: python benchmarks/frameworks/driver.py [--tiny] [--tasks mlp cnn gru] [--variants …]
       [--repeats N] [--threads N] [--device cpu|gpu] [--output FILE]
(``kb bench run`` takes the same options.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from tasks import TITLES, save_task_file  # noqa: E402
from variants import TASKS, VARIANTS, keras_backend, pairs  # noqa: E402

FULL = {
    "batch_size": 64,
    # Enough epochs for every variant to reach ~0.9 test accuracy (mlp 176 steps, cnn 132, gru 128).
    "epochs": {"mlp": 8, "cnn": 6, "gru": 4},
    "max_steps": None,
    "warmup_steps": 5,
    "latency_batch": 256,
    "latency_warmup": 5,
    "latency_calls_one": 50,
    "latency_calls_big": 10,
    "learning_rate": 1e-3,
    "adam_epsilon": 1e-7,
    "threads": 2,
    "seed": 0,
    "repeats": 3,
    "cold_compile_cache": True,  # each torch.compile run starts from an empty Inductor cache
    "tiny": False,
}
# Seconds per variant: a smoke test of every code path, not a measurement.
TINY = {**FULL, "epochs": {"mlp": 1, "cnn": 1, "gru": 1}, "max_steps": 8, "warmup_steps": 2, "latency_warmup": 2,
        "latency_calls_one": 5, "latency_calls_big": 2, "repeats": 1, "cold_compile_cache": False, "tiny": True}


def child_env(variant: str, cfg: dict, device: str, scratch: Path) -> dict[str, str]:
    """The environment of one worker: same thread counts for every library, same hash seed, backend, device."""
    n = str(cfg["threads"])
    env = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "XLA_FLAGS")}
    env.update(
        BENCH_THREADS=n, OMP_NUM_THREADS=n, MKL_NUM_THREADS=n, OPENBLAS_NUM_THREADS=n,
        TF_NUM_INTRAOP_THREADS=n, TF_NUM_INTEROP_THREADS=n, PYTHONHASHSEED=str(cfg["seed"]), TF_CPP_MIN_LOG_LEVEL="2",
    )
    backend = keras_backend(VARIANTS[variant])
    if backend:
        env["KERAS_BACKEND"] = backend
    if device == "cpu":
        env.update(CUDA_VISIBLE_DEVICES="", JAX_PLATFORMS="cpu")
    else:  # JAX would reserve 75 % of the GPU at start and hide the peak we want
        env["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
    if cfg["cold_compile_cache"]:
        env["TORCHINDUCTOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="inductor-", dir=scratch)
    return env


def plan(tasks: list[str], variants: list[str], repeats: int, seed: int) -> list[dict]:
    """Every measurement of every repetition; each repetition in its own shuffled order (seeded), so
    that no variant always runs first on a cold disk cache or last on a warm machine."""
    order = []
    for rep in range(repeats):
        todo = pairs(tasks, variants)
        random.Random(seed * 1000 + rep).shuffle(todo)
        order += [{"repeat": rep, "task": t, "variant": v} for t, v in todo]
    return order


def run_one(item: dict, cfg: dict, device: str, task_files: dict[str, Path], scratch: Path, timeout: int) -> dict:
    """One worker process; whatever happens, a record comes back."""
    worker_cfg = {k: cfg[k] for k in FULL if k not in ("repeats", "tiny", "cold_compile_cache")} | {"device": device}
    cmd = [sys.executable, str(HERE / "worker.py"), item["task"], item["variant"], str(task_files[item["task"]]), json.dumps(worker_cfg)]
    base = {**item, "framework": VARIANTS[item["variant"]].framework}
    try:
        proc = subprocess.run(cmd, env=child_env(item["variant"], cfg, device, scratch), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {**base, "ok": False, "error": f"timed out after {timeout} s"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {**base, "ok": False, "error": f"worker exited {proc.returncode} without a result: {proc.stderr[-1500:]}"}
    return {**json.loads(lines[-1]), **base}


def _progress(i: int, total: int, record: dict) -> str:
    head = f"[{i}/{total}] r{record['repeat']} {record['task']:<4} {record['variant']:<17}"
    if not record.get("ok"):
        return f"{head} FAILED: {record.get('error', '')[:200]}"
    steps = sorted(record["step_ms"])
    return (f"{head} step {steps[len(steps) // 2]:8.3f} ms  first {record['first_step_ms']:9.1f} ms  "
            f"b1 {record['latency_b1_ms']:7.3f} ms  acc {record['accuracy']:.3f}  ({record.get('worker_s', 0):.1f} s)")


def run_protocol(tasks: list[str], variants: list[str], *, tiny: bool = False, repeats: int | None = None, threads: int | None = None,
                 device: str | None = None, output: Path | None = None, order_seed: int = 0, log=print) -> tuple[Path, dict]:
    """Run the protocol and write its result file; returns its path and the document."""
    from kbtools.bench import environment, results

    cfg = dict(TINY if tiny else FULL)
    cfg.update({k: v for k, v in (("repeats", repeats), ("threads", threads)) if v is not None})
    gpus = environment.gpus()
    device = device or ("gpu" if gpus else "cpu")
    if device == "gpu" and not gpus:
        raise SystemExit("kb bench run --device gpu: nvidia-smi sees no GPU here")
    dev = environment.device(device)
    env = environment.environment()
    if output is None:
        folder = ROOT / "benchmarks" / ("out" if tiny else "results")
        output = folder / f"{dev['slug']}{'-tiny' if tiny else ''}.json"
    order = plan(tasks, variants, cfg["repeats"], order_seed)
    started, runs = time.perf_counter(), []
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        scratch = Path(tmp)
        task_files = {t: save_task_file(scratch / f"{t}.npz", t, cfg["seed"], tiny) for t in {i["task"] for i in order}}
        timeout = 300 if tiny else 900
        for i, item in enumerate(order, 1):
            runs.append(run_one(item, cfg, device, task_files, scratch, timeout))
            log(_progress(i, len(order), runs[-1]))
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    env["load_average_at_end"] = [round(x, 2) for x in load] if load else None
    doc = {
        "schema": "kb-bench/1",
        "device": dev,
        "environment": env,
        "config": {**cfg, "tasks": [t for t in TASKS if t in tasks], "variants": [v for v in VARIANTS if v in variants],
                   "order_seed": order_seed, "gc_disabled_while_timing": True,
                   "task_titles": {t: TITLES[t] for t in tasks},
                   "variant_info": {v: {"framework": VARIANTS[v].framework, "label": VARIANTS[v].label} for v in variants}},
        "measured_on": dt.date.today().isoformat(),
        "wall_s": round(time.perf_counter() - started, 1),
        "order": order,
        "runs": runs,
    }
    return results.save(output, doc), doc


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kb bench run", description="Lance le protocole de comparaison des frameworks.")
    p.add_argument("--tiny", action="store_true", help="configuration minuscule : quelques secondes par variante")
    p.add_argument("--tasks", nargs="+", choices=TASKS, default=list(TASKS))
    p.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    p.add_argument("--repeats", type=int, help="répétitions, chacune dans un ordre tiré au sort (par défaut 3, 1 en --tiny)")
    p.add_argument("--threads", type=int, help="threads par framework (par défaut 2)")
    p.add_argument("--device", choices=["cpu", "gpu"], help="par défaut : gpu si nvidia-smi en voit un")
    p.add_argument("--order-seed", type=int, default=0, help="graine de l'ordre des variantes")
    p.add_argument("--output", type=Path, help="fichier JSON (par défaut benchmarks/results/<appareil>.json)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    path, doc = run_protocol(args.tasks, args.variants, tiny=args.tiny, repeats=args.repeats, threads=args.threads,
                             device=args.device, output=args.output, order_seed=args.order_seed, log=lambda s: print(s, flush=True))
    failed = [r for r in doc["runs"] if not r.get("ok")]
    print(f"wrote {path} ({len(doc['runs'])} runs, {len(failed)} failed, {doc['wall_s']:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
