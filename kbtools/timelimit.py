"""Run a function under a time limit that really stops it: in a forked child process that is killed.

Oxigraph evaluates a query in native code with the GIL released and offers no way to cancel it,
so a thread cannot be stopped and a socket timeout does not apply. A forked child inherits the
in-memory store (copy-on-write, nothing to load), runs the function, sends back its pickled
result through a pipe, and is killed with SIGKILL when the deadline passes or when the parent
gets Ctrl-C. Where ``os.fork`` does not exist (Windows) the function runs in a daemon thread that
is abandoned at the deadline: the caller gets its answer in time, the CPU is not given back.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import select
import signal
import threading
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from .diagnostics import KBError

T = TypeVar("T")


class TimeLimitExceeded(Exception):
    """The function did not finish within ``seconds``; the child running it has been killed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"no result within {seconds:g} s")


class ChildFailed(Exception):
    """The child died without an answer (killed by a signal, out of memory) or raised an unexpected error."""


def run_with_time_limit(fn: Callable[[], T], seconds: float | None) -> T:
    """``fn()``'s value, computed in a child process killed after ``seconds`` (``None``: no limit, in-process).

    The value must be picklable. A :class:`KBError` raised by ``fn`` is raised again here with the
    same diagnostics; another exception becomes :class:`ChildFailed` carrying its traceback text.
    Raises :class:`TimeLimitExceeded` at the deadline and lets ``KeyboardInterrupt`` through,
    in both cases after the child is killed and reaped (no zombie, no orphan left computing).
    A child that answered is reaped by a background thread while it exits.
    """
    if seconds is None:
        return fn()
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return _in_thread(fn, seconds)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's cleanup code
        os.close(read_fd)
        _child(fn, write_fd)
    os.close(write_fd)
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    finished = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_fd], [], [], remaining)[0]:
                raise TimeLimitExceeded(seconds)
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        finished = True
    finally:
        os.close(read_fd)
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if not chunks:
        _, status = os.waitpid(pid, 0)
        raise ChildFailed(f"the worker process ended without an answer ({_describe(status)})")
    # The child has sent everything and is only leaving; letting go of its copy of a large heap
    # takes tens of milliseconds, so it is reaped in the background rather than waited for.
    threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()
    tag, value = pickle.loads(b"".join(chunks))
    if tag == "ok":
        return value
    if tag == "kb":
        raise KBError(value)
    raise ChildFailed(value)


def _child(fn: Callable[[], object], write_fd: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the whole process group: just die
    faulthandler.disable()  # a crash of the engine is the parent's to report (KB301), not a dump on stderr
    code = 0
    try:
        try:
            payload = pickle.dumps(("ok", fn()))
        except KBError as exc:
            payload = pickle.dumps(("kb", exc.diagnostics))
        except BaseException as exc:  # everything must go back to the parent
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view) :]
        os.close(write_fd)  # the end of the answer now, not after the exit has freed the memory
    except BaseException:  # a broken pipe: the parent gave up
        code = 1
    finally:
        os._exit(code)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        return f"killed by {name}" + (", out of memory?" if sig == signal.SIGKILL else "")
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _in_thread(fn: Callable[[], T], seconds: float) -> T:  # pragma: no cover - Windows
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeLimitExceeded(seconds)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
