"""Read Markdown notes into ``Note`` records, reporting every problem instead of raising."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from . import schema
from .diagnostics import Diagnostic
from .frontmatter import Entry, Frontmatter, Value, split
from .ids import RelPath, rel_path
from .wikilinks import WikiLink, find_body_links, line_col, parse_wikilink


@dataclass(slots=True)
class Link:
    """One link as written in a note: a frontmatter relation or a body mention."""

    kind: str  # a name of schema.RELATIONS, or schema.MENTIONS
    link: WikiLink
    line: int
    col: int
    offset: int = -1  # offset in the body, for mentions


@dataclass(slots=True)
class Note:
    path: RelPath
    title: str
    file: str = ""  # the path diagnostics show (relative to the working directory)
    type: str = schema.DEFAULT_TYPE
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str = ""
    created: date | None = None
    modified: date | None = None
    links: list[Link] = field(default_factory=list)
    source_meta: dict[str, object] = field(default_factory=dict)  # author, url, date_published, language
    origin: object = None  # metadata an import kept from the original
    body: str = ""
    body_line: int = 1
    key_pos: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return Path(self.path).stem

    def relations(self, kind: str) -> list[Link]:
        return [link for link in self.links if link.kind == kind]


def read_vault(root: Path) -> tuple[list[Note], list[Diagnostic], int]:
    """Read every Markdown file under ``root``; returns notes, diagnostics and the file count.

    A file without frontmatter is a plain page, not a note. Hidden folders (``.obsidian``,
    ``.trash``) are skipped, as Obsidian does.
    """
    notes: list[Note] = []
    diags: list[Diagnostic] = []
    paths = sorted(_markdown_files(root))
    for path in paths:
        note, found = read_note(root, path)
        diags.extend(found)
        if note is not None:
            notes.append(note)
    return notes, diags, len(paths)


def _markdown_files(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in filenames:
            if name.endswith(".md") and not name.startswith("."):
                yield Path(dirpath) / name


def read_note(root: Path, path: Path) -> tuple[Note | None, list[Diagnostic]]:
    shown = _display_path(root, path)
    rel = rel_path(path.relative_to(root).as_posix())
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Diagnostic(shown, 1, 1, "KB001", f"cannot read note: {exc}", "save it as UTF-8")]
    fm, diags = split(text, shown)
    if not fm.present or any(d.code in ("KB002", "KB003", "KB004") for d in diags):
        return None, diags
    return _note_from(fm, rel, shown, diags)


def _display_path(root: Path, path: Path) -> str:
    """Paths in messages are relative to the working directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _note_from(fm: Frontmatter, rel: RelPath, shown: str, diags: list[Diagnostic]) -> tuple[Note, list[Diagnostic]]:
    e = fm.entries
    note = Note(path=rel, title="", file=shown, body=fm.body, body_line=fm.body_line)
    note.key_pos = {k: (v.line, v.col) for k, v in e.items()}
    reader = _Reader(shown, diags)

    title = reader.scalar(e.get("title"))
    if not title or not title.strip():
        line, col = note.key_pos.get("title", (2, 1))
        diags.append(Diagnostic(shown, line, col, "KB101", "note has no title" if "title" not in e else "title is empty", "add 'title: …' to the frontmatter"))
        title = Path(rel).stem
    note.title = title.strip()

    kind = reader.scalar(e.get("type"))
    if kind is not None:
        if kind in schema.TYPES:
            note.type = kind
        else:
            line, col = e["type"].value.line, e["type"].value.col
            close = difflib.get_close_matches(kind, schema.TYPES, n=1)
            hint = f'did you mean "{close[0]}"?' if close else "one of " + ", ".join(schema.TYPES)
            diags.append(Diagnostic(shown, line, col, "KB109", f"unknown type '{kind}'", hint))
    note.description = (reader.scalar(e.get("description")) or "").strip()
    note.aliases = [a.strip() for a in reader.strings(e.get("aliases")) if a.strip()]
    note.tags = [t.strip().lstrip("#") for t in reader.strings(e.get("tags")) if t.strip().lstrip("#")]
    note.created = reader.date(e.get("date_creation"))
    note.modified = reader.date(e.get("date_modification"))
    if note.created and note.modified and note.modified < note.created:
        v = e["date_modification"].value
        diags.append(Diagnostic(shown, v.line, v.col, "KB108", f"date_modification {note.modified} is before date_creation {note.created}"))
    for key in ("url", "language"):
        if (value := reader.scalar(e.get(key))) is not None:
            note.source_meta[key] = value.strip()
    if authors := reader.strings(e.get("author")):
        note.source_meta["author"] = authors
    if published := reader.date(e.get("date_published")):
        note.source_meta["date_published"] = published
    if schema.ORIGIN_KEY in e:
        note.origin = e[schema.ORIGIN_KEY].value.plain()

    for kind in schema.RELATIONS:
        for value in reader.items(e.get(kind)):
            link = parse_wikilink(value.data) if isinstance(value.data, str) else None
            if link is None or not link.target:
                diags.append(Diagnostic(shown, value.line, value.col, "KB111", f"{kind} value {value.plain()!r} is not a wikilink", "write it as '[[Title]]'"))
                continue
            note.links.append(Link(kind, link, value.line, value.col))
    for found in find_body_links(fm.body):
        line, col = line_col(fm.body, found.start)
        note.links.append(Link(schema.MENTIONS, found.link, fm.body_line + line - 1, col, found.start))

    for key, entry in e.items():
        if key not in schema.KNOWN_KEYS:
            close = difflib.get_close_matches(key, sorted(schema.KNOWN_KEYS), n=1, cutoff=0.6)
            hint = f'did you mean "{close[0]}"?' if close else "it is kept in the file but ignored by the graph"
            diags.append(Diagnostic(shown, entry.line, entry.col, "KB110", f"unknown frontmatter key '{key}'", hint))
    return note, diags


class _Reader:
    """Typed access to frontmatter entries, reporting values of the wrong shape."""

    def __init__(self, path: str, diags: list[Diagnostic]):
        self.path = path
        self.diags = diags

    def _wrong(self, entry: Entry, expected: str) -> None:
        v = entry.value
        self.diags.append(Diagnostic(self.path, v.line, v.col, "KB112", f"'{entry.key}' should be {expected}, not {_shape(v)}"))

    def scalar(self, entry: Entry | None) -> str | None:
        if entry is None or entry.value.data is None:
            return None
        if isinstance(entry.value.data, str):
            return entry.value.data
        self._wrong(entry, "a single value")
        return None

    def items(self, entry: Entry | None) -> list[Value]:
        """A scalar or a list of scalars, as a list of positioned values."""
        if entry is None or entry.value.data is None:
            return []
        data = entry.value.data
        if isinstance(data, str):
            return [entry.value]
        if isinstance(data, list):
            return [item for item in data if item.data is not None]
        self._wrong(entry, "a value or a list")
        return []

    def strings(self, entry: Entry | None) -> list[str]:
        out = []
        for item in self.items(entry):
            if isinstance(item.data, str):
                out.append(item.data)
            else:
                self.diags.append(Diagnostic(self.path, item.line, item.col, "KB112", f"items of '{entry.key}' should be text, not {_shape(item)}"))
        return out

    def date(self, entry: Entry | None) -> date | None:
        text = self.scalar(entry)
        if text is None:
            return None
        parsed = parse_date(text)
        if parsed is None:
            v = entry.value
            self.diags.append(Diagnostic(self.path, v.line, v.col, "KB107", f"{entry.key} {text!r} is not a date", "write it as 'YYYY-MM-DD'"))
        return parsed


def parse_date(text: str) -> date | None:
    """An ISO date, or the date part of an ISO datetime."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _shape(value: Value) -> str:
    if isinstance(value.data, list):
        return "a list"
    if isinstance(value.data, dict):
        return "a mapping"
    return "a single value"
