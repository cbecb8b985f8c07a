"""Run one snippet variant in its own process, under a timeout and a memory cap, and describe the run.

The runner never imports a framework: versions come from package metadata, the device from
``/proc/cpuinfo`` and ``nvidia-smi``. The memory cap is enforced by polling the RSS of the
whole process tree rather than with ``RLIMIT_AS``, because TensorFlow, JAX and CUDA reserve
far more virtual memory than they ever touch and would die under an address-space limit.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

from .device import DeviceInfo, device_info, gpu_available
from .failure import FailureSite, locate_failure
from .hashing import snippet_hash
from .header import SnippetSpec, Variant
from .pep723 import requirement_name

__all__ = ["DEFAULT_MEM_MB", "RunResult", "gpu_available", "mem_limit_mb", "package_versions", "run_snippet", "snippet_env"]

DEFAULT_MEM_MB = 6 * 1024
POLL_S = 0.05
BASE_ENV = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}


@dataclass(slots=True)
class RunResult:
    """What one run of one variant did; ``figures`` maps PNG file names to their bytes."""

    spec: SnippetSpec
    variant: Variant
    passed: bool
    returncode: int
    killed: str | None  # "timeout", "memory", "cancelled" or None
    stdout: str
    stderr: str
    duration_s: float
    peak_rss_mb: float
    mem_limit_mb: int
    device: DeviceInfo
    python: str
    versions: dict[str, str | None]
    date: str
    hash: str
    figures: dict[str, bytes] = field(default_factory=dict)
    failure: FailureSite | None = None

    @property
    def devicekind(self) -> str:
        return self.device.kind

    @property
    def headline(self) -> str:
        """One line saying what went wrong, starting with ``snippets/…/x.py:LINE``; empty when it passed."""
        spec = self.spec
        if self.killed == "timeout":
            return f"{spec.rel}:{spec.code_line}: snippet killed: timeout of {spec.timeout:g} s exceeded"
        if self.killed == "memory":
            return (
                f"{spec.rel}:{spec.code_line}: snippet killed: memory cap of {self.mem_limit_mb} MiB exceeded "
                f"(peak {self.peak_rss_mb:.0f} MiB; the cap is set by KB_SNIPPET_MEM_MB)"
            )
        if self.killed == "cancelled":
            return f"{spec.rel}:{spec.code_line}: snippet killed: run cancelled"
        if self.passed:
            return ""
        location = self.failure.location if self.failure else spec.rel
        return f"{location}: snippet failed (exit {self.returncode})"


def mem_limit_mb() -> int:
    """The memory cap in MiB: ``KB_SNIPPET_MEM_MB`` when set, else 6 GiB."""
    raw = os.environ.get("KB_SNIPPET_MEM_MB", "").strip()
    if not raw:
        return DEFAULT_MEM_MB
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"KB_SNIPPET_MEM_MB must be a whole number of MiB, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"KB_SNIPPET_MEM_MB must be positive, not {value}")
    return value


def snippet_env(spec: SnippetSpec, variant: Variant) -> dict[str, str]:
    """The child's environment: ours, then the fixed reproducibility settings, then the snippet's, then the variant's."""
    return {**os.environ, **BASE_ENV, **spec.env, **variant.env}


def package_versions(dependencies: list[str]) -> dict[str, str | None]:
    """Installed version of each declared dependency (``None`` when absent), from metadata only."""
    out: dict[str, str | None] = {}
    for requirement in dependencies:
        name = requirement_name(requirement)
        if name is None:
            continue
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def run_snippet(
    spec: SnippetSpec,
    variant: Variant,
    workdir: str | Path | None = None,
    *,
    mem_mb: int | None = None,
    cancel: threading.Event | None = None,
) -> RunResult:
    """Run ``python <snippet>`` for ``variant`` in ``workdir`` (a fresh temporary folder when None).

    The snippet gets ``spec.timeout`` seconds and ``mem_mb`` MiB (default :func:`mem_limit_mb`) of
    resident memory for its whole process tree; past either, its process group is killed. Setting
    ``cancel`` kills it too (the snippet runs in its own session, so Ctrl-C does not reach it).
    """
    cap = mem_mb if mem_mb is not None else mem_limit_mb()
    digest = snippet_hash(spec, variant)
    date = datetime.now(UTC).isoformat(timespec="seconds")
    with contextlib.ExitStack() as stack:
        if workdir is None:
            cwd = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kb-snippet-")))
        else:
            cwd = Path(workdir)
            cwd.mkdir(parents=True, exist_ok=True)
        out = stack.enter_context(tempfile.TemporaryFile())
        err = stack.enter_context(tempfile.TemporaryFile())
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, str(spec.path)],
            cwd=cwd,
            env=snippet_env(spec, variant),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group, so a kill reaches DataLoader workers and the like
        )
        returncode, killed, peak = _supervise(proc, spec.timeout, cap * 2**20, cancel)
        duration = time.monotonic() - started
        stdout, stderr = _read(out), _read(err)
        figures = {png.name: png.read_bytes() for png in sorted(cwd.glob("*.png")) if png.is_file()}
    passed = returncode == 0 and killed is None
    return RunResult(
        spec=spec,
        variant=variant,
        passed=passed,
        returncode=returncode,
        killed=killed,
        stdout=stdout,
        stderr=stderr,
        duration_s=round(duration, 3),
        peak_rss_mb=round(peak / 2**20, 1),
        mem_limit_mb=cap,
        device=device_info(spec),
        python=platform.python_version(),
        versions=package_versions(spec.dependencies),
        date=date,
        hash=digest,
        figures=figures,
        failure=None if passed or killed else locate_failure(spec, stderr),
    )


def _read(handle) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def _tree_rss(root: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants; processes that vanish meanwhile count as 0."""
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _supervise(proc: subprocess.Popen, timeout: float, cap_bytes: int, cancel: threading.Event | None) -> tuple[int, str | None, int]:
    """Wait for ``proc`` while polling its tree's RSS; return (exit code, kill reason, peak RSS bytes)."""
    deadline = time.monotonic() + timeout
    killed: str | None = None
    peak = 0
    try:
        watched = psutil.Process(proc.pid)
    except psutil.Error:
        watched = None
    while True:
        # wait4 reaps the child and also hands back its own peak RSS (ru_maxrss, KiB on Linux),
        # which catches the short-lived peaks that fall between two polls.
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            peak = max(peak, usage.ru_maxrss * 1024)
            break
        if watched is not None:
            peak = max(peak, _tree_rss(watched))
        if killed is None and peak > cap_bytes:
            killed = "memory"
        elif killed is None and time.monotonic() > deadline:
            killed = "timeout"
        elif killed is None and cancel is not None and cancel.is_set():
            killed = "cancelled"
        if killed:
            _kill_group(proc.pid)
            _, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(POLL_S)
    proc.returncode = os.waitstatus_to_exitcode(status)
    # Whatever the snippet left behind in its group (workers, servers) goes with it.
    _kill_group(proc.pid)
    return proc.returncode, killed, peak
