"""Write a file so that readers see the old content or the new one, never half of it.

The one place for it: exports, recorded snippet results, notebooks and imported notes all
write through :func:`write_atomic`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to a temporary file in the same folder, then ``os.replace`` it onto ``path``.

    A failure leaves ``path`` as it was (or absent) and no temporary file behind. The new file
    keeps the mode of the one it replaces, else the mode a plain write would give (mkstemp
    alone makes 0600 files, which a web server running as another user could not serve).
    Text is written as UTF-8 with ``\\n`` line ends.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
