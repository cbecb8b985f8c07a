"""Read Markdown notes into ``Note`` records, reporting every problem instead of raising.

Every Markdown file of the vault is a note, as in Obsidian: frontmatter is optional, and a note's
name is its ``title:`` when given, else its file name (NFC). A first ``# H1`` is not the name:
Obsidian does not resolve links by it either. Other files of the vault are attachments.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from . import schema
from .body import Body, read_body
from .config import MAX_NOTE_BYTES, KeyMap
from .diagnostics import Diagnostic, Severity
from .frontmatter import Entry, Frontmatter, Value, split
from .ids import RelPath, nfc, rel_path
from .wikilinks import WikiLink, parse_wikilink


@dataclass(slots=True)
class Link:
    """One link as written in a note: a frontmatter relation or a body mention."""

    kind: str  # a name of schema.RELATIONS, or schema.MENTIONS
    link: WikiLink
    line: int
    col: int
    offset: int = -1  # offset in the body, for mentions
    end: int = -1
    markdown: bool = False  # a Markdown link ``[texte](chemin.md)``: its target is a path from the note's folder


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
    doc: Body | None = None  # the body as read by kbtools.body (links, headings, block ids)
    has_frontmatter: bool = False

    @property
    def stem(self) -> str:
        return nfc(Path(self.path).stem)

    def relations(self, kind: str) -> list[Link]:
        return [link for link in self.links if link.kind == kind]

    @property
    def parsed(self) -> Body:
        if self.doc is None:
            self.doc = read_body(self.body)
        return self.doc


@dataclass(slots=True)
class Vault:
    """What :func:`read_vault` found: notes, attachments (vault-relative paths of other files)."""

    notes: list[Note]
    attachments: list[RelPath]
    diagnostics: list[Diagnostic]
    files: int


class NoteCache:
    """Notes already read, reused while their file's bytes are the same (``mkdocs serve``'s rebuilds).

    Keyed by the vault path, the reading settings (key names, size limit, working directory) and the file's bytes; a
    :class:`Note` is not changed once read, so the same object serves the next build. Holds the
    notes of the last :func:`read_vault` only.
    """

    def __init__(self) -> None:
        self.entries: dict[RelPath, tuple[tuple, bytes, Note | None, list[Diagnostic]]] = {}
        self.hits = 0

    def read(self, root: Path, path: Path, keys: KeyMap, max_bytes: int, rel: RelPath, seen: set[RelPath]) -> tuple[Note | None, list[Diagnostic]]:
        seen.add(rel)
        settings = (str(root), os.getcwd(), keys, max_bytes)  # the working directory: the path diagnostics show
        try:
            data = path.read_bytes() if path.stat().st_size <= max_bytes else None
        except OSError:
            data = None
        old = self.entries.get(rel)
        if data is not None and old is not None and old[0] == settings and old[1] == data:
            self.hits += 1
            return old[2], list(old[3])
        note, found = read_note(root, path, keys, max_bytes, rel)
        if data is not None:
            self.entries[rel] = (settings, data, note, list(found))
        return note, found

    def keep_only(self, seen: set[RelPath]) -> None:
        self.entries = {rel: entry for rel, entry in self.entries.items() if rel in seen}


def read_vault(
    root: Path, keys: KeyMap | None = None, exclude: tuple[str, ...] = (), max_bytes: int = MAX_NOTE_BYTES, cache: NoteCache | None = None
) -> Vault:
    """Read every Markdown file under ``root``; other files are attachments.

    Hidden folders and files (``.obsidian``, ``.trash``) and folders starting with ``_`` are skipped;
    so are paths matching an ``exclude`` glob (``fnmatch`` on the vault-relative POSIX path). A file
    that is a symbolic link leading out of the vault is refused (KB001); a folder that cannot be
    read is reported (KB001), never skipped in silence. Two files whose names differ only by Unicode
    form, or only by case, would be one page on some file systems: KB006. ``cache`` reuses the
    notes of the last call whose bytes did not change.
    """
    keys = keys or KeyMap()
    notes: list[Note] = []
    diags: list[Diagnostic] = []
    markdown, attachments = _vault_files(root, exclude, diags)
    seen: set[RelPath] = set()
    base, top = _display_path(root), str(root).rstrip("/") or "/"
    # As _display_path(path) without a relpath() per note: the vault's path joined with the rest,
    # true unless the working directory is inside the vault (its path is then only '..' parts).
    joined = base == "." or any(part != ".." for part in base.split(os.sep))
    for path, rel in markdown:
        if cache is not None:
            note, found = cache.read(root, path, keys, max_bytes, rel, seen)
        else:
            below = _below(path, top)
            shown = (below if base == "." else os.path.join(base, below)) if joined else _display_path(path)
            note, found = read_note(root, path, keys, max_bytes, rel, shown=shown)
        diags.extend(found)
        if note is not None:
            notes.append(note)
    if cache is not None:
        cache.keep_only(seen)
    diags += _name_clashes(markdown)
    return Vault(notes, attachments, diags, len(markdown))


def _below(path: Path, top: str) -> str:
    """``path`` relative to the vault folder ``top`` (``str(root)`` without its final ``/``), as a
    string cut, not a relpath() per file: os.walk's paths start with the root, except that
    ``Path(".") / name`` is ``name``."""
    if top == ".":
        return str(path)
    return str(path)[len(top) + 1 :] if top != "/" else str(path)[1:]


def _vault_files(root: Path, exclude: tuple[str, ...], diags: list[Diagnostic]) -> tuple[list[tuple[Path, RelPath]], list[RelPath]]:
    """Markdown files (with their vault path) and attachments, in a stable order."""
    markdown: list[tuple[Path, RelPath]] = []
    top = str(root).rstrip("/") or "/"
    attachments: list[RelPath] = []
    real_root = root.resolve()

    def unreadable(exc: OSError) -> None:
        shown = _display_path(Path(exc.filename or root))
        diags.append(Diagnostic(shown, 1, 1, "KB001", f"cannot read folder: {exc.strerror or exc}", "its notes are left out; fix its permissions"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and not _excluded(root, here / d, exclude, folder=True))
        for name in sorted(filenames):
            path = here / name
            if name.startswith(".") or _excluded(root, path, exclude):
                continue
            if path.is_symlink() and not _inside(path, real_root):
                diags.append(Diagnostic(_display_path(path), 1, 1, "KB001", "file is a link to a place outside the vault", "copy the file into the vault"))
                continue
            rel = rel_path(_below(path, top))
            if name.lower().endswith(".md"):
                markdown.append((path, rel))
            else:
                attachments.append(rel)
    return markdown, attachments


def _excluded(root: Path, path: Path, patterns: tuple[str, ...], folder: bool = False) -> bool:
    if not patterns:
        return False
    rel = path.relative_to(root).as_posix()
    candidates = (rel, rel + "/") if folder else (rel,)
    return any(fnmatch.fnmatchcase(c, p) or fnmatch.fnmatchcase(c, p.rstrip("/")) for c in candidates for p in patterns)


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _name_clashes(files: list[tuple[Path, RelPath]]) -> list[Diagnostic]:
    """Files whose vault paths are equal after NFC (an error: one page, one IRI) or after case
    folding (a warning: one page on a case-insensitive file system)."""
    diags: list[Diagnostic] = []
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    for path, rel in files:
        key = nfc(rel)
        if key in seen:
            diags.append(Diagnostic(_display_path(path), 1, 1, "KB006", f"file name differs from {seen[key]!r} only by Unicode form", "rename one of them: both would be the same page"))
            continue
        seen[key] = rel
        if (low := key.casefold()) in folded:
            diags.append(Diagnostic(_display_path(path), 1, 1, "KB006", f"file name differs from {folded[low]!r} only by case", "rename one: on macOS and Windows they are one file", Severity.WARNING))
        folded.setdefault(low, rel)
    return diags


def read_note(
    root: Path, path: Path, keys: KeyMap | None = None, max_bytes: int = MAX_NOTE_BYTES, rel: RelPath | None = None,
    shown: str | None = None,
) -> tuple[Note | None, list[Diagnostic]]:
    """One file → a :class:`Note` and its diagnostics; None when the file cannot be read at all.

    ``shown``: the path diagnostics show (default: :func:`_display_path` of ``path``)."""
    shown = shown if shown is not None else _display_path(path)
    rel = rel or rel_path(path.relative_to(root).as_posix())
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Diagnostic(shown, 1, 1, "KB005", f"note is {size:,} bytes, over the limit of {max_bytes:,}", "split it, or raise max_note_bytes in the kb plugin settings")]
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Diagnostic(shown, 1, 1, "KB001", f"cannot read note: {exc}", "save it as UTF-8")]
    fm, diags = split(text, shown)
    if any(d.code in ("KB003", "KB004") or (d.code == "KB002" and d.message.startswith("malformed")) for d in diags):
        return None, diags
    return _note_from(fm, rel, shown, diags, keys or KeyMap())


def _display_path(path: Path) -> str:
    """Paths in messages are relative to the working directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _canonical_entries(fm: Frontmatter, keys: KeyMap, shown: str, diags: list[Diagnostic]) -> dict[str, Entry]:
    """Entries under the project's key names (``up`` → ``isPartOf``); a key given twice under two
    names is reported."""
    if not any(key in keys.aliases for key in fm.entries):
        return fm.entries  # the common case: the vault uses the project's own names
    out: dict[str, Entry] = {}
    for key, entry in fm.entries.items():
        name = keys.canonical(key)
        if name in out:
            first = out[name]
            diags.append(Diagnostic(shown, entry.line, entry.col, "KB002", f"'{key}' and '{first.key}' both give {name}", f"first at line {first.line}"))
            continue
        out[name] = Entry(key, entry.line, entry.col, entry.value)
    return out


def _note_from(fm: Frontmatter, rel: RelPath, shown: str, diags: list[Diagnostic], keys: KeyMap) -> tuple[Note, list[Diagnostic]]:
    e = _canonical_entries(fm, keys, shown, diags)
    note = Note(path=rel, title="", file=shown, body=fm.body, body_line=fm.body_line, has_frontmatter=fm.present)
    note.key_pos = {k: (v.line, v.col) for k, v in e.items()}
    reader = _Reader(shown, diags)

    title = reader.scalar(e.get("title"))
    if title is not None and not title.strip():
        line, col = note.key_pos["title"]
        diags.append(Diagnostic(shown, line, col, "KB101", "title is empty", "write a title, or remove the key to use the file name"))
    note.title = nfc(title.strip()) if title and title.strip() else note.stem

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
    note.aliases = [nfc(a) for a in reader.listing(e.get("aliases"), split_on=",") if a]
    note.tags = [nfc(t) for t in reader.tags(e.get("tags"))]
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
        entry = e.get(kind)
        for value in reader.items(entry):
            link = parse_wikilink(value.data) if isinstance(value.data, str) else None
            if link is None or not (link.target or link.section):
                name = entry.key if entry else kind
                diags.append(Diagnostic(shown, value.line, value.col, "KB111", f"{name} value {value.plain()!r} is not a wikilink", "write it as '[[Title]]'"))
                continue
            note.links.append(Link(kind, link, value.line, value.col))
    doc = note.parsed
    for found in doc.links:
        note.links.append(Link(schema.MENTIONS, found.link, fm.body_line + found.line, found.col, found.start, found.end, found.markdown))
    for problem in doc.problems:
        diags.append(Diagnostic(shown, fm.body_line + problem.line, problem.col, problem.code, problem.message, problem.hint))

    for name, entry in e.items():
        if name not in schema.KNOWN_KEYS and entry.key not in keys.ignored:
            close = difflib.get_close_matches(entry.key, sorted(schema.KNOWN_KEYS), n=1, cutoff=0.6)
            hint = f'did you mean "{close[0]}"?' if close else "map it in the kb plugin settings (relations:, dates:) or list it in ignore_keys"
            diags.append(Diagnostic(shown, entry.line, entry.col, "KB110", f"unknown frontmatter key '{entry.key}'", hint))
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

    def listing(self, entry: Entry | None, split_on: str) -> list[str]:
        """A list of texts; one text holding ``split_on`` is Obsidian's legacy form (``aliases: A, B``):
        split, with a KB118 warning giving the list form."""
        items = self.strings(entry)
        if entry is not None and isinstance(entry.value.data, str) and split_on in entry.value.data:
            parts = [p.strip() for p in entry.value.data.split(split_on) if p.strip()]
            v = entry.value
            self.diags.append(Diagnostic(self.path, v.line, v.col, "KB118", f"'{entry.key}' is one text read as {len(parts)} items", f"write a list: {entry.key}: [{', '.join(parts)}]"))
            return parts
        return [i.strip() for i in items if i.strip()]

    def tags(self, entry: Entry | None) -> list[str]:
        """Tags as Obsidian reads them: ``#`` dropped, ``tags: "#a #b"`` or ``tags: a, b`` split (KB118),
        nested tags ``a/b`` kept whole."""
        if entry is not None and isinstance(entry.value.data, str) and ("," in entry.value.data or "#" in entry.value.data):
            text = entry.value.data
            parts = [p for p in text.replace(",", " ").split() if p.strip("#")] if "#" in text else [p for p in text.split(",")]
            parts = [p.strip().lstrip("#").strip() for p in parts if p.strip().lstrip("#").strip()]
            if len(parts) > 1:
                v = entry.value
                self.diags.append(Diagnostic(self.path, v.line, v.col, "KB118", f"'{entry.key}' is one text read as {len(parts)} tags", f"write a list: {entry.key}: [{', '.join(parts)}]"))
            return parts
        return [t.strip().lstrip("#").strip() for t in self.strings(entry) if t.strip().lstrip("#").strip()]

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
