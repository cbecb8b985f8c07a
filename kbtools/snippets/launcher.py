"""The supervisor between the runner and a snippet: subreaper, Landlock, then ``exec`` of the snippet.

Run by path (``python -I -S launcher.py FD PROGRAM ARG…``), so it imports nothing but the standard
library. It reads a JSON settings object from the pipe ``FD`` (the runner closes the pipe once it has
put this process into its cgroup, so nothing the snippet starts can be outside it), then:

1. declares itself a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``, Linux ≥ 3.4): a process
   of the snippet that double-forks and ``setsid``\\ s away is re-parented to this launcher instead of
   init, so it stays in the tree the runner measures and kills;
2. forks; the child asks to be killed with the launcher (``PR_SET_PDEATHSIG``), sets
   ``no_new_privs``, applies a Landlock ruleset when asked (writes allowed only beneath the given
   folders and device files; reads are not restricted), and ``exec``\\ s the snippet;
3. reaps whatever is re-parented to it; when the snippet's main process exits, kills every process
   left below it and exits with the snippet's status (a signal is re-raised on itself).

Landlock (Linux ≥ 5.13, ``Documentation/userspace-api/landlock.rst``): the ruleset handles the
write-side filesystem rights of the running kernel's ABI, and from ABI 6 the ``signal`` scope, so the
snippet cannot signal processes outside its domain (this launcher, the runner, the user's shell).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36
# Syscall numbers are the same on every architecture for these (asm-generic table, Linux 5.13).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
# include/uapi/linux/landlock.h, LANDLOCK_ACCESS_FS_*
WRITE_FILE, REMOVE_DIR, REMOVE_FILE = 1 << 1, 1 << 4, 1 << 5
MAKE_CHAR, MAKE_DIR, MAKE_REG, MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = (1 << n for n in range(6, 13))
REFER, TRUNCATE = 1 << 13, 1 << 14  # ABI 2, ABI 3
SCOPE_SIGNAL = 1 << 1  # ABI 6
EXIT_SETUP_FAILED = 126


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock ABI version of the running kernel, 0 when Landlock is absent or disabled."""
    if not sys.platform.startswith("linux"):
        return 0
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    version = libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), None, ctypes.c_size_t(0), ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def write_rights(abi: int) -> tuple[int, int]:
    """(rights on a folder, rights on a file) that stand for "may write" under Landlock ``abi``."""
    folder = WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_CHAR | MAKE_DIR | MAKE_REG | MAKE_SOCK | MAKE_FIFO | MAKE_BLOCK | MAKE_SYM
    file = WRITE_FILE
    if abi >= 2:
        folder |= REFER
    if abi >= 3:
        folder |= TRUNCATE
        file |= TRUNCATE
    return folder, file


def restrict_writes(writable: list[str], abi: int) -> None:
    """Allow writes only beneath ``writable`` (folders or files) for this process and its future children.

    Raises ``OSError`` when a Landlock call fails; paths that do not exist are skipped.
    """
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    folder_rights, file_rights = write_rights(abi)
    attr = _RulesetAttr(folder_rights, 0, SCOPE_SIGNAL if abi >= 6 else 0)
    size = 24 if abi >= 6 else 8  # the struct grew with ABI 4 (net) and 6 (scoped); pass what the kernel knows
    ruleset = libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        for path in writable:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                rights = folder_rights if os.path.isdir(path) else file_rights
                rule = _PathBeneath(rights, fd)
                if (
                    libc.syscall(
                        ctypes.c_long(SYS_ADD_RULE),
                        ctypes.c_int(ruleset),
                        ctypes.c_int(LANDLOCK_RULE_PATH_BENEATH),
                        ctypes.byref(rule),
                        ctypes.c_uint32(0),
                    )
                    < 0
                ):
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
            finally:
                os.close(fd)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
        if libc.syscall(ctypes.c_long(SYS_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)


def _children(pid: int) -> list[int]:
    """Pids whose parent is ``pid`` (read from ``/proc/*/stat``), zombies left out."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != b"Z":
            out.append(int(entry))
    return out


def _reap_all() -> None:
    """Kill what is left below this subreaper until nothing is: grandchildren re-parent here as their parents die."""
    me = os.getpid()
    while True:
        left = _children(me)
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return
        if not left:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                return


def _child(settings: dict, argv: list[str], launcher: int) -> None:
    libc = _libc()
    try:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != launcher:  # the launcher died before the line above
            os._exit(EXIT_SETUP_FAILED)
        abi = int(settings.get("landlock", 0))
        if abi:
            restrict_writes(list(settings.get("writable", [])), abi)
        os.execv(argv[0], argv)
    except BaseException as exc:  # whatever it is, the snippet must not run unconfined
        os.write(2, f"kb snippet launcher: cannot start the snippet confined: {exc}\n".encode())
        os._exit(EXIT_SETUP_FAILED)


def main(args: list[str]) -> int:
    """``launcher.py FD PROGRAM ARG…``: wait for the runner's go on ``FD``, run PROGRAM confined, return its status."""
    fd, argv = int(args[0]), args[1:]
    with os.fdopen(fd, "rb") as pipe:
        raw = pipe.read()
    settings = json.loads(raw) if raw else {}
    if not settings.get("go"):
        return EXIT_SETUP_FAILED  # the runner gave up before starting the snippet
    libc = _libc()
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        os.write(2, b"kb snippet launcher: prctl(PR_SET_CHILD_SUBREAPER) failed\n")
        return EXIT_SETUP_FAILED
    me = os.getpid()
    main_pid = os.fork()
    if main_pid == 0:
        _child(settings, argv, me)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)  # only the runner ends this process (SIGKILL), after the snippet
    status = 0
    while True:
        pid, wstatus = os.waitpid(-1, 0)
        if pid == main_pid:
            status = wstatus
            break
    _reap_all()
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(sig, signal.SIG_DFL)
        os.kill(me, sig)
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
