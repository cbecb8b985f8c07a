"""The figures a run leaves in its folder: only real PNG files that really are in that folder.

A snippet controls its folder, so a ``*.png`` there may be a symbolic link (to ``/etc/passwd``, to a
private file), a hard link to a file of the user, a FIFO that blocks a reader, or text named ``.png``.
Only regular files with a single link, opened without following links (``O_NOFOLLOW``, relative to the
already opened folder), no larger than :data:`MAX_FIGURE_BYTES`, that start with the PNG signature
(RFC 2083, section 3.1) are kept, up to :data:`MAX_TOTAL_BYTES` for one run; the others are refused
with a reason.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

__all__ = ["MAX_FIGURE_BYTES", "MAX_TOTAL_BYTES", "PNG_SIGNATURE", "collect_figures"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_FIGURE_BYTES = 20 * 2**20
MAX_TOTAL_BYTES = 64 * 2**20  # all figures of one run together: they are held in memory, then committed


def collect_figures(folder: str | Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """``(name → bytes, name → reason refused)`` for the ``*.png`` entries directly in ``folder``, by name."""
    kept: dict[str, bytes] = {}
    refused: dict[str, str] = {}
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return kept, refused
    total = 0
    try:
        for name in sorted(os.listdir(dir_fd)):
            if not name.endswith(".png"):
                continue
            data, reason = _read_figure(dir_fd, name)
            if data is not None and total + len(data) > MAX_TOTAL_BYTES:
                data, reason = None, f"the run's figures would exceed {MAX_TOTAL_BYTES // 2**20} MiB"
            if data is not None:
                kept[name] = data
                total += len(data)
            else:
                refused[name] = reason
    finally:
        os.close(dir_fd)
    return kept, refused


def _read_figure(dir_fd: int, name: str) -> tuple[bytes | None, str]:
    try:
        info = os.lstat(name, dir_fd=dir_fd)
    except OSError as exc:
        return None, f"unreadable ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return None, "a symbolic link"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file"
    try:
        # O_NONBLOCK: should the entry have become a FIFO since lstat, opening it does not hang.
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        return None, f"unreadable ({exc.strerror})"
    with contextlib.closing(os.fdopen(fd, "rb")) as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if info.st_nlink != 1:
            return None, "a hard link to another file"
        if info.st_size > MAX_FIGURE_BYTES:
            return None, f"larger than {MAX_FIGURE_BYTES // 2**20} MiB"
        data = handle.read(MAX_FIGURE_BYTES + 1)
    if len(data) > MAX_FIGURE_BYTES:
        return None, f"larger than {MAX_FIGURE_BYTES // 2**20} MiB"
    if not data.startswith(PNG_SIGNATURE):
        return None, "not a PNG image (no PNG signature)"
    return data, ""
