"""Markdown inputs: front matter, a leading H1 as the title, and Markdown with no metadata at all."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..frontmatter import split
from ..ids import title_key
from .decode import ImportFailure
from .item import ImportItem

_H1 = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")


def front_matter(item: ImportItem, text: str) -> None:
    """Split YAML front matter into ``item.meta`` and the body; bad YAML is KB504 for this file."""
    fm, diags = split(text, item.shown)
    errors = [d for d in diags if d.is_error]
    if errors:
        d = errors[0]
        raise ImportFailure(Diagnostic(d.path, d.line, d.col, "KB504", f"metadata cannot be read: {d.message}", d.hint))
    item.meta = {key: entry.value.plain() for key, entry in fm.entries.items()}
    item.positions = {key: (entry.value.line, entry.value.col) for key, entry in fm.entries.items()}
    item.body, item.body_line = fm.body, fm.body_line


def title_from_meta_or_h1(item: ImportItem) -> None:
    """The metadata's ``title`` (a leading H1 repeating it is dropped), else a leading H1."""
    title = item.meta.get("title")
    if isinstance(title, str) and title.strip():
        item.title, item.title_from = title, "title"
        take_h1(item, only_if=title)
    elif (h1 := take_h1(item)) is not None:
        item.title, item.title_from = h1, "H1"


def plain_title(text: str) -> str:
    """A heading as a title: Markdown links and emphasis reduced to their text, one line."""
    text = _MD_LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def take_h1(item: ImportItem, *, only_if: str | None = None) -> str | None:
    """Remove a leading ``# Title`` from the body and return its text.

    With ``only_if``, the heading goes only when it repeats that title: the vault shows the
    frontmatter title, a second copy in the body would be printed twice.
    """
    lines = item.body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not (m := _H1.match(lines[first])):
        return None
    title = plain_title(m.group("title"))
    if only_if is not None and title_key(title) != title_key(only_if):
        return None
    item.body = "\n".join(lines[first + 1 :])
    item.body_line += first + 1
    item.notes.append(f"leading heading '# {title}' taken as the title" if only_if is None else "leading heading repeating the title removed")
    return title


def parse(item: ImportItem, text: str) -> None:
    """Markdown with no metadata: the first H1 is the title, else the file name."""
    item.body = text
    if (title := take_h1(item)) is not None:
        item.title, item.title_from = title, "H1"
