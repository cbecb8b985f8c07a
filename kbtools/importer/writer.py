"""Render a note in the vault's exact dialect and write it atomically.

The dialect is what ``yaml.safe_dump`` writes with block lists and no line folding: keys in
the vault's order, list items flush with their key, ISO dates and wikilinks single-quoted
(``date_creation: '2026-11-23'``, ``- '[[Présentation de Keras]]'``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .. import schema

# The order the vault's notes use; anything else follows, origin last.
KEY_ORDER = (
    "title", "type", "aliases", "tags", "date_creation", "date_modification", "description",
    *schema.RELATIONS, "author", "url", "date_published", "language", *schema.TOLERATED_KEYS,
)  # fmt: skip


def frontmatter(fields: dict[str, object], origin: dict[str, object] | None = None) -> str:
    """The YAML between the ``---`` lines, keys in the vault's order."""
    ordered = {k: fields[k] for k in KEY_ORDER if k in fields}
    ordered.update({k: v for k, v in fields.items() if k not in ordered})
    if origin:
        ordered[schema.ORIGIN_KEY] = origin
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, default_flow_style=False, width=float("inf"))


def render(fields: dict[str, object], body: str, origin: dict[str, object] | None = None) -> str:
    """A whole note: frontmatter, then the body with no leading blank lines and one final newline."""
    body = body.strip("\n")
    return f"---\n{frontmatter(fields, origin)}---\n{body}\n" if body else f"---\n{frontmatter(fields, origin)}---\n"


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and ``os.replace``: a reader (mkdocs
    serve, Obsidian) never sees half a note, and a failure leaves the old note whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600): give it the mode a plain write would
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
