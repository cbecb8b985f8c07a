"""What a snippet run is confined to: its process tree, its environment, the places it may write.

* **Process tree.** Every run goes through :mod:`~kbtools.snippets.launcher`, a child subreaper, so a
  process that double-forks and ``setsid``\\ s away stays below it. When the machine lets us create a
  cgroup v2 and move the launcher into it (root, or a delegated cgroup), the run also lives in that
  cgroup: listing and killing then go through ``cgroup.procs`` and ``cgroup.kill``, which no process
  can leave. Otherwise the tree is the launcher's descendants (``psutil``), and at the end every
  process carrying the run's ``KB_SNIPPET_RUN`` token is killed too. ``KB_SNIPPET_TREE=subreaper``
  forces the second way.
* **Environment.** An allow-list (:data:`PASSED_ENV`, ``LC_*``, names listed in
  ``KB_SNIPPET_PASS_ENV``), then the fixed reproducibility settings, a throw-away ``HOME`` and
  ``TMPDIR``, then what the header declares. Tokens and everything else of the parent stay out.
* **Writes.** With Landlock (Linux ≥ 5.13), only beneath the run folders and a few device files
  (:func:`writable_paths`); ``KB_SNIPPET_LANDLOCK=off`` turns it off. Reads are not restricted.

Every run records which of these it got (:meth:`Confinement.facts`).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import psutil

from . import launcher

__all__ = [
    "LAUNCHER",
    "PASSED_ENV",
    "CgroupTree",
    "Confinement",
    "ProcessTree",
    "SubreaperTree",
    "confined_env",
    "landlock_abi",
    "open_tree",
    "writable_paths",
]

LAUNCHER = launcher.__file__
RUN_TOKEN = "KB_SNIPPET_RUN"
# Variables a snippet may inherit: locale, search path, thread counts, framework backends and devices.
PASSED_ENV = frozenset(
    {
        "PATH", "LANG", "LANGUAGE", "TZ", "VIRTUAL_ENV", "LD_LIBRARY_PATH",
        "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
        "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS",
        "KERAS_BACKEND", "MPLBACKEND", "PYTHONHASHSEED",
        "JAX_PLATFORMS", "JAX_ENABLE_X64", "XLA_FLAGS",
        "XLA_PYTHON_CLIENT_PREALLOCATE", "XLA_PYTHON_CLIENT_MEM_FRACTION", "XLA_PYTHON_CLIENT_ALLOCATOR",
        "CUDA_VISIBLE_DEVICES", "CUDA_HOME", "CUDA_PATH", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES",
        "PYTORCH_CUDA_ALLOC_CONF", "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES",
    }
)  # fmt: skip
PASSED_PREFIXES = ("LC_",)
PASS_ENV_VAR = "KB_SNIPPET_PASS_ENV"
# Device files a framework opens for writing; /dev/shm holds multiprocessing semaphores and DataLoader tensors.
DEVICE_WRITABLE = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/shm")
DEVICE_GLOBS = ("/dev/nvidia*", "/dev/dri/*", "/dev/kfd")
_names = itertools.count()


def confined_env(
    parent: Mapping[str, str], home: Path, tmp: Path, fixed: Mapping[str, str], declared: Mapping[str, str], token: str
) -> dict[str, str]:
    """The child's environment: allowed names of ``parent``, then ``fixed``, the throw-away folders, then ``declared``.

    A name is allowed when it is in :data:`PASSED_ENV`, starts with ``LC_``, or is listed (comma- or
    space-separated) in the parent's ``KB_SNIPPET_PASS_ENV``.
    """
    extra = set(parent.get(PASS_ENV_VAR, "").replace(",", " ").split())
    env = {k: v for k, v in parent.items() if k in PASSED_ENV or k in extra or k.startswith(PASSED_PREFIXES)}
    env.update(fixed)
    env.update({"HOME": str(home), "TMPDIR": str(tmp), "TMP": str(tmp), "TEMP": str(tmp), RUN_TOKEN: token})
    env.update(declared)
    return env


@cache
def landlock_abi() -> int:
    """Landlock ABI the runs use: the kernel's, or 0 when absent or turned off by ``KB_SNIPPET_LANDLOCK=off``."""
    if os.environ.get("KB_SNIPPET_LANDLOCK", "").strip().lower() in {"off", "0", "no", "false"}:
        return 0
    return launcher.landlock_abi()


def writable_paths(folders: list[Path]) -> list[str]:
    """What the Landlock ruleset lets a snippet write: ``folders`` (the run's) and the device files that exist."""
    devices = [p for p in DEVICE_WRITABLE if os.path.exists(p)]
    devices += sorted(itertools.chain.from_iterable(glob.glob(g) for g in DEVICE_GLOBS))
    return [str(f) for f in folders] + devices


class ProcessTree:
    """The processes of one run, launcher excluded: list them, measure them, kill them all."""

    mechanism = ""

    def __init__(self, launcher_pid: int, token: str):
        self.launcher_pid, self.token = launcher_pid, token

    def members(self) -> list[psutil.Process]:
        raise NotImplementedError

    def rss(self) -> int:
        """Resident bytes of every process of the run but the launcher; vanished processes count 0."""
        total = 0
        for proc in self.members():
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def kill(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Kill what is left and release what the tree holds; safe to call twice."""
        self.kill()


class SubreaperTree(ProcessTree):
    """The launcher's descendants; orphans re-parent to it, the launcher being a child subreaper."""

    mechanism = "subreaper"

    def __init__(self, launcher_pid: int, token: str):
        super().__init__(launcher_pid, token)
        try:
            self.root: psutil.Process | None = psutil.Process(launcher_pid)
        except psutil.Error:
            self.root = None

    def members(self) -> list[psutil.Process]:
        if self.root is None:
            return []
        try:
            return self.root.children(recursive=True)
        except psutil.Error:
            return []

    def kill(self) -> None:
        # Children first, the launcher last: while it lives, what a dying process leaves re-parents to it.
        for _ in range(100):
            alive = [p for p in self.members() if _alive(p)]
            if not alive:
                break
            for proc in alive:
                with contextlib.suppress(psutil.Error):
                    proc.send_signal(signal.SIGKILL)
            time.sleep(0.005)
        if self.root is not None:
            with contextlib.suppress(psutil.Error):
                self.root.send_signal(signal.SIGKILL)
        _kill_marked(self.token)


class CgroupTree(ProcessTree):
    """A cgroup v2 of its own: membership is kept across forks and ``setsid``, ``cgroup.kill`` ends all at once."""

    mechanism = "cgroup2"

    def __init__(self, launcher_pid: int, token: str, path: Path):
        super().__init__(launcher_pid, token)
        self.path = path

    @classmethod
    def adopt(cls, launcher_pid: int, token: str) -> CgroupTree:
        """Create a child of our own cgroup and move the launcher into it; ``OSError`` when not allowed."""
        base = cgroup2_dir()
        if base is None:
            raise OSError("no cgroup v2 hierarchy for this process")
        path = base / f"kb-snippet-{os.getpid()}-{next(_names)}"
        path.mkdir()
        try:
            (path / "cgroup.procs").write_text(str(launcher_pid))
        except OSError:
            with contextlib.suppress(OSError):
                path.rmdir()
            raise
        return cls(launcher_pid, token, path)

    def pids(self) -> list[int]:
        try:
            return [int(x) for x in (self.path / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return []

    def members(self) -> list[psutil.Process]:
        out = []
        for pid in self.pids():
            if pid != self.launcher_pid:
                with contextlib.suppress(psutil.Error):
                    out.append(psutil.Process(pid))
        return out

    def kill(self) -> None:
        killer = self.path / "cgroup.kill"  # Linux ≥ 5.14
        try:
            killer.write_text("1")
        except OSError:
            for _ in range(100):
                pids = self.pids()
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                time.sleep(0.005)

    def close(self) -> None:
        self.kill()
        for _ in range(200):  # a killed process leaves its cgroup when it has exited: give it 2 s at most
            if not self.pids():
                break
            time.sleep(0.01)
        with contextlib.suppress(OSError):
            self.path.rmdir()


def open_tree(launcher_pid: int, token: str) -> ProcessTree:
    """The cgroup v2 tree when it can be made (not with ``KB_SNIPPET_TREE=subreaper``), else the subreaper tree."""
    global _cgroup_refused
    forced = os.environ.get("KB_SNIPPET_TREE", "").strip().lower() == "subreaper"
    if not forced and not _cgroup_refused and cgroup2_dir() is not None:
        try:
            return CgroupTree.adopt(launcher_pid, token)
        except OSError:
            _cgroup_refused = True  # once the kernel said no, later runs do not ask again
    return SubreaperTree(launcher_pid, token)


_cgroup_refused = False


@cache
def cgroup2_dir() -> Path | None:
    """This process's cgroup v2 folder, from ``/proc/self/cgroup`` (``0::PATH``) and the cgroup2 mount; None if absent."""
    try:
        own = next(line[3:] for line in Path("/proc/self/cgroup").read_text().splitlines() if line.startswith("0::"))
        mounts = Path("/proc/self/mountinfo").read_text().splitlines()
    except (OSError, StopIteration):
        return None
    for line in mounts:
        fields = line.split(" - ", 1)
        left = fields[0].split()
        if len(fields) == 2 and fields[1].split()[0] == "cgroup2" and len(left) >= 5:
            root, mount = left[3], left[4]
            relative = os.path.relpath(own, root) if own.startswith(root) else None
            if relative is None or relative.startswith(".."):
                continue
            path = Path(mount) / relative
            if (path / "cgroup.procs").exists():
                return path.resolve()
    return None


@dataclass(frozen=True, slots=True)
class Confinement:
    """What a run was confined by, as recorded with its result."""

    process_tree: str  # "cgroup2" (in a cgroup of its own, under the subreaper) or "subreaper" (alone)
    landlock_abi: int  # 0: writes not restricted

    def facts(self) -> dict:
        """JSON-ready description (``confinement`` of a recorded result)."""
        return {
            "process_tree": self.process_tree,
            "writes": f"run folders only (Landlock ABI {self.landlock_abi})" if self.landlock_abi else "not restricted",
            "signals_outside": "blocked" if self.landlock_abi >= 6 else "allowed",
            "environment": "allow-list",
            "reads": "not restricted",
        }


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _kill_marked(token: str) -> None:
    """Kill our processes whose environment carries ``KB_SNIPPET_RUN=token`` (those that left the tree)."""
    needle = f"{RUN_TOKEN}={token}".encode()
    uid = os.getuid()
    for proc in psutil.process_iter(["uids"]):
        with contextlib.suppress(psutil.Error, OSError):
            if proc.info["uids"] is None or proc.info["uids"].real != uid or proc.pid == os.getpid():
                continue
            with open(f"/proc/{proc.pid}/environ", "rb") as handle:
                if needle in handle.read().split(b"\0"):
                    proc.send_signal(signal.SIGKILL)
