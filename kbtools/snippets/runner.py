"""Run one snippet variant in its own confined process tree, under a timeout and a memory cap, and describe the run.

The runner never imports a framework: versions come from package metadata, the device from
``/proc/cpuinfo`` and ``nvidia-smi``. The snippet starts under :mod:`~kbtools.snippets.launcher`
(a child subreaper, in a cgroup v2 of its own when the machine allows it, writes limited by
Landlock when the kernel has it, see :mod:`~kbtools.snippets.confine`). The memory cap is enforced
by polling the RSS of every process of the run rather than with ``RLIMIT_AS``, because TensorFlow,
JAX and CUDA reserve far more virtual memory than they ever touch and would die under an
address-space limit.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..diagnostics import Diagnostic
from .confine import LAUNCHER, Confinement, ProcessTree, confined_env, landlock_abi, open_tree, writable_paths
from .device import DeviceInfo, device_info, gpu_available
from .failure import FailureSite, locate_failure
from .figures import collect_figures
from .hashing import snippet_hash
from .header import SnippetSpec, Variant, timeout_problem
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
    refused_figures: dict[str, str] = field(default_factory=dict)  # file name → why it was not kept
    confinement: dict = field(default_factory=dict)  # :meth:`Confinement.facts`

    @property
    def warnings(self) -> list[Diagnostic]:
        """KB204 warnings, one per ``*.png`` of the run folder that was not kept as a figure."""
        return [
            Diagnostic(
                self.spec.rel,
                self.spec.code_line,
                1,
                "KB204",
                f"figure {name!r} not kept: {reason}",
                "a figure is a PNG file the snippet writes in its working folder",
            )
            for name, reason in sorted(self.refused_figures.items())
        ]

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


def snippet_env(spec: SnippetSpec, variant: Variant, home: Path, tmp: Path, token: str = "") -> dict[str, str]:
    """The child's environment: the allowed part of ours, the fixed settings, ``HOME``/``TMPDIR``, the snippet's, the variant's.

    See :func:`~kbtools.snippets.confine.confined_env` for what is allowed through.
    """
    return confined_env(os.environ, home, tmp, BASE_ENV, {**spec.env, **variant.env}, token)


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
    resident memory for all its processes together; past either, all of them are killed, and so is
    whatever is left when its main process ends. Setting ``cancel`` kills it too (the snippet runs in
    its own session, so Ctrl-C does not reach it). ``HOME`` and ``TMPDIR`` are throw-away folders;
    writes elsewhere than there and in ``workdir`` fail where Landlock is available.
    Raises ``ValueError`` when ``spec.timeout`` is not a finite positive number of seconds.
    """
    problem = timeout_problem(spec.timeout)
    if problem:
        raise ValueError(f"{spec.rel}: {problem}")
    cap = mem_mb if mem_mb is not None else mem_limit_mb()
    digest = snippet_hash(spec, variant)
    date = datetime.now(UTC).isoformat(timespec="seconds")
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kb-snippet-", ignore_cleanup_errors=True)))
        cwd = Path(workdir) if workdir is not None else scratch / "work"
        cwd.mkdir(parents=True, exist_ok=True)
        (scratch / "home").mkdir()
        (scratch / "tmp").mkdir()
        # In the run folder, so that a snippet may reopen them (/dev/stdout) under Landlock.
        out = stack.enter_context(tempfile.TemporaryFile(dir=scratch))
        err = stack.enter_context(tempfile.TemporaryFile(dir=scratch))
        token = secrets.token_hex(8)
        env = snippet_env(spec, variant, scratch / "home", scratch / "tmp", token)
        abi = landlock_abi()
        started = time.monotonic()
        proc, tree = _launch(spec, cwd, env, out, err, token, abi, writable_paths([cwd.resolve(), scratch.resolve()]))
        stack.callback(tree.close)  # before the folders go: nothing of the run may still write there
        returncode, killed, peak = _supervise(proc, tree, spec.timeout, cap * 2**20, cancel)
        duration = time.monotonic() - started
        tree.close()
        stdout, stderr = _read(out), _read(err)
        figures, refused = collect_figures(cwd)
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
        refused_figures=refused,
        confinement=Confinement(tree.mechanism, abi).facts(),
    )


def _launch(
    spec: SnippetSpec, cwd: Path, env: dict[str, str], out, err, token: str, abi: int, writable: list[str]
) -> tuple[subprocess.Popen, ProcessTree]:
    """Start the launcher, put it in its process tree, then let it start the snippet (see :mod:`.launcher`)."""
    ready_r, ready_w = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", LAUNCHER, str(ready_r), sys.executable, str(spec.path)],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            pass_fds=(ready_r,),
            start_new_session=True,  # Ctrl-C in the terminal does not reach it; the runner ends it
        )
    except BaseException:
        os.close(ready_w)
        raise
    finally:
        os.close(ready_r)
    try:
        tree = open_tree(proc.pid, token)
        # The launcher waits for this before it forks: the snippet starts inside the tree.
        os.write(ready_w, json.dumps({"go": True, "landlock": abi, "writable": writable}).encode())
    finally:
        os.close(ready_w)  # without "go", the launcher exits without starting anything
    return proc, tree


def _read(handle) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def _supervise(
    proc: subprocess.Popen, tree: ProcessTree, timeout: float, cap_bytes: int, cancel: threading.Event | None
) -> tuple[int, str | None, int]:
    """Wait for the launcher ``proc`` while polling the RSS of ``tree``; return (exit code, kill reason, peak RSS bytes)."""
    deadline = time.monotonic() + timeout
    killed: str | None = None
    peak = 0
    pause = 0.0025
    while True:
        # wait4 reaps the child and also hands back its own peak RSS (ru_maxrss, KiB on Linux),
        # which catches the short-lived peaks that fall between two polls.
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            peak = max(peak, usage.ru_maxrss * 1024)
            break
        peak = max(peak, tree.rss())
        if killed is None and peak > cap_bytes:
            killed = "memory"
        elif killed is None and time.monotonic() > deadline:
            killed = "timeout"
        elif killed is None and cancel is not None and cancel.is_set():
            killed = "cancelled"
        if killed:
            tree.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            break
        # Short first waits, so that a quick snippet is not held up a whole poll period.
        pause = min(POLL_S, pause * 2)
        time.sleep(pause)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, killed, peak
