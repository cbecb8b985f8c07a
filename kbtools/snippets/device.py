"""What hardware a snippet runs on, found without importing any framework."""

from __future__ import annotations

import functools
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .header import SnippetSpec

NO_GPU_REASON = "no CUDA GPU visible (nvidia-smi found none)"


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    kind: str  # "cpu" or "gpu"
    name: str


def _hidden_by_env() -> bool:
    # CUDA_VISIBLE_DEVICES="" (or -1) hides every GPU from CUDA programs, so from snippets too.
    value = os.environ.get("CUDA_VISIBLE_DEVICES")
    return value is not None and value.strip() in ("", "-1")


@functools.cache
def gpu_names() -> tuple[str, ...]:
    """GPU names listed by ``nvidia-smi`` (empty when it is absent, fails or lists none); cached."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return ()
    try:
        out = subprocess.run([exe, "--query-gpu=name", "--format=csv,noheader"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    if out.returncode != 0:
        return ()
    return tuple(line.strip() for line in out.stdout.splitlines() if line.strip())


def gpu_available() -> bool:
    """Whether ``nvidia-smi`` exists and lists a GPU that ``CUDA_VISIBLE_DEVICES`` does not hide."""
    return not _hidden_by_env() and bool(gpu_names())


@functools.cache
def cpu_name() -> str:
    """The CPU model from ``/proc/cpuinfo``, else what :mod:`platform` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def device_kind(spec: SnippetSpec) -> str:
    """Where this snippet runs here: ``gpu`` for gpu snippets, and for ``any`` snippets when a GPU is visible."""
    if spec.device == "gpu" or (spec.device == "any" and gpu_available()):
        return "gpu"
    return "cpu"


def device_info(spec: SnippetSpec) -> DeviceInfo:
    """Kind and human name of the device this snippet uses here."""
    kind = device_kind(spec)
    if kind == "cpu":
        return DeviceInfo(kind, cpu_name())
    names = gpu_names()
    return DeviceInfo(kind, names[0] if names else "no GPU visible")
