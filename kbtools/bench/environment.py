"""The machine a run measures: processor, memory, system, Python, every framework version, GPU.

Versions come from package metadata, so recording them imports no framework."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata

import psutil

from ..ids import slugify
from ..snippets.device import cpu_name, gpu_available

PACKAGES = ("torch", "tensorflow", "keras", "jax", "jaxlib", "optax", "numpy", "scikit-learn", "psutil")


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def gpus() -> list[dict[str, str]]:
    """Name, driver and memory of each visible NVIDIA GPU (empty without ``nvidia-smi``)."""
    exe = shutil.which("nvidia-smi")
    if exe is None or not gpu_available():
        return []
    try:
        out = subprocess.run([exe, "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = [[part.strip() for part in line.split(",")] for line in out.splitlines() if line.strip()]
    return [{"name": r[0], "driver": r[1], "memory": r[2]} for r in rows if len(r) == 3]


def device(kind: str) -> dict[str, str]:
    """Kind, human name and slug (the result file's name) of the device measured."""
    found = gpus()
    name = found[0]["name"] if kind == "gpu" and found else cpu_name()
    return {"kind": kind, "name": name, "slug": f"{kind}-{slugify(name)}"}


def environment() -> dict:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu_model": cpu_name(),
        "cores_logical": os.cpu_count(),
        "cores_physical": psutil.cpu_count(logical=False),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "versions": versions(),
        "gpus": gpus(),
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
    }
