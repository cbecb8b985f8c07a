"""Write files so that readers see the old content or the new one, never half of it.

The one place for it: exports, recorded snippet results, notebooks and imported notes all
write through :func:`write_atomic` (one file) or :func:`write_atomic_group` (files that belong
together, such as the three export formats).

Temporary files are named ``.kb-tmp-<pid>-<target name>.<random>.tmp`` in the target's folder
(same file system, so the final ``os.replace`` is atomic). A run killed with SIGKILL cannot
remove its own; :func:`remove_stale` removes those whose process no longer exists.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

TMP_PREFIX = ".kb-tmp-"
_TMP_NAME = re.compile(re.escape(TMP_PREFIX) + r"(\d+)-.*\.tmp\Z", re.S)


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to a temporary file in the same folder, then ``os.replace`` it onto ``path``.

    A failure leaves ``path`` as it was (or absent) and no temporary file behind. The new file
    keeps the mode of the one it replaces, else the mode a plain write would give (mkstemp
    alone makes 0600 files, which a web server running as another user could not serve).
    Text is written as UTF-8 with ``\\n`` line ends. Raises ``OSError`` as the system does.
    """
    return write_atomic_group({Path(path): data})[0]


def write_atomic_group(files: Mapping[str | Path, bytes | str]) -> list[Path]:
    """Write several files as one: every temporary file is complete and synced before the first
    rename, so a failure while writing (disk full, permission…) changes none of the targets.

    The renames follow one another at the end (microseconds apart; a crash exactly then may
    leave some targets new and others old, never a truncated one). Returns the target paths.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for folder in {path.parent for _, path in staged}:
        _sync_folder(folder)
    return [path for _, path in staged]


def _stage(path: Path, data: bytes | str) -> str:
    """A complete, synced temporary copy of ``data`` next to ``path``, with ``path``'s future mode."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
    # the target's name cut to 100 bytes: a long one still leaves room for the rest (names ≤ 255 bytes)
    short = path.name.encode("utf-8", "surrogateescape")[:100].decode("utf-8", "ignore")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TMP_PREFIX}{os.getpid()}-{short}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def remove_stale(folder: str | Path) -> list[Path]:
    """Remove the temporary files of runs that died in ``folder`` (their process id no longer
    exists); those of live runs, this one included, stay. Returns what was removed."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            m = _TMP_NAME.match(entry.name)
            if m and not _alive(int(m.group(1))) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or a number the system cannot name: leave it
    return True


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
