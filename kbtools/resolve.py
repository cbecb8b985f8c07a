"""Resolve links to notes and attachments, as Obsidian does.

A wikilink target names a note by title, alias, file stem, or path from the vault's root (with or
without ``.md``, or by the end of its path: ``jax/JAX``), ignoring case, accents, Unicode form and
the kind of apostrophe; a title beats an alias, an alias a stem, a stem a path. A Markdown link
``[texte](../a/Note.md)`` names a file by its path from the note's folder (then from the root).
A target with another extension (``image.png``, ``doc.pdf``, ``x.canvas``) names an attachment,
a file of the vault, by path or by file name.
"""

from __future__ import annotations

import difflib
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath

from rapidfuzz import fuzz, process

from .diagnostics import Diagnostic
from .ids import RelPath, TitleKey, nfc, title_key
from .notes import Link, Note
from .wikilinks import ATTACHMENT_EXTENSIONS, WikiLink

# Resolution tiers: a title beats an alias, an alias beats a file stem, a stem a path.
_TIERS = ("title", "alias", "stem")


@dataclass(frozen=True, slots=True)
class Edge:
    """A resolved link: ``source`` —kind→ ``target``."""

    source: Note
    kind: str
    target: Note
    link: Link


def _path_keys(path: str) -> list[TitleKey]:
    """Keys a note's path answers to: the path without ``.md`` from the root, and each tail of it
    that still holds a folder (``a/b/C.md`` → ``a/b/c``, ``b/c``). The stem alone is its own tier."""
    parts = PurePosixPath(nfc(path)).with_suffix("").parts
    return [title_key("/".join(parts[i:])) for i in range(len(parts) - 1)]


class NameIndex:
    """Every name a note answers to, by key; and the vault's attachments by path and by name."""

    def __init__(self, notes: list[Note], attachments: list[RelPath] = ()):
        self.notes = notes
        self._by_key: dict[TitleKey, dict[str, list[Note]]] = defaultdict(lambda: defaultdict(list))
        self._paths: dict[TitleKey, list[Note]] | None = None  # made on the first link holding a '/'
        self._by_path: dict[str, Note] | None = None
        for note in notes:
            self._add(note.title, "title", note)
            for alias in note.aliases:
                self._add(alias, "alias", note)
            self._add(note.stem, "stem", note)
        self._names = {title_key(name): n.title for n in notes for name in [n.title, *n.aliases]}
        self._suggested: dict[tuple[TitleKey, int], list[TitleKey]] = {}  # suggest()'s answers, made from _names
        self.attachments: dict[str, list[RelPath]] = defaultdict(list)
        for path in attachments:
            whole = nfc(path).casefold()
            self.attachments[whole].append(path)
            name = whole.rsplit("/", 1)[-1]
            if name != whole:
                self.attachments[name].append(path)

    def _add(self, name: str, tier: str, note: Note) -> None:
        bucket = self._by_key[title_key(name)][tier]
        if note not in bucket:
            bucket.append(note)

    def lookup(self, target: str) -> list[Note]:
        """Notes that ``target`` names, at the best tier that matches (several means ambiguous)."""
        name = target[:-3] if target.lower().endswith(".md") else target
        key = title_key(name.strip("/"))
        tiers = self._by_key.get(key)
        if tiers:
            for tier in _TIERS:
                if tiers.get(tier):
                    return list(tiers[tier])
        if "/" in key:  # path keys hold a '/': only such a target can name a note by its path
            return list(self._path_index().get(key, ()))
        return []

    def _path_index(self) -> dict[TitleKey, list[Note]]:
        if self._paths is None:
            self._paths = defaultdict(list)
            for note in self.notes:
                for key in _path_keys(note.path):
                    if note not in self._paths[key]:
                        self._paths[key].append(note)
        return self._paths

    def by_path(self, path: str) -> Note | None:
        """The note at exactly this vault path (``.md`` included), any case and Unicode form."""
        if self._by_path is None:
            self._by_path = {nfc(n.path).casefold(): n for n in self.notes}
        return self._by_path.get(nfc(path).casefold())

    def attachment(self, target: str) -> list[RelPath]:
        """Attachments a target names: by path from the root, else by file name."""
        key = nfc(target.strip("/")).casefold()
        return list(dict.fromkeys(self.attachments.get(key, [])))

    def suggest(self, target: str, n: int = 3) -> list[str]:
        """Closest titles to a name that resolves to nothing: :func:`close_matches` of its key."""
        key = title_key(target)
        if (key, n) not in self._suggested:  # a missing note is often linked from many notes
            self._suggested[(key, n)] = close_matches(key, list(self._names), n * 2, 0.55)
        close = self._suggested[(key, n)]
        out: list[str] = []
        for key in close:
            title = self._names[key]
            if title not in out:
                out.append(title)
        return out[:n]

    def duplicates(self) -> list[Diagnostic]:
        """Titles or aliases that name more than one note."""
        diags = []
        for key, tiers in self._by_key.items():
            named = {id(n): n for tier in ("title", "alias") for n in tiers.get(tier, [])}
            if len(named) < 2:
                continue
            owners = sorted(named.values(), key=lambda n: n.path)
            for note in owners:
                others = ", ".join(str(o.path) for o in owners if o is not note)
                name = next((nm for nm in [note.title, *note.aliases] if title_key(nm) == key), key)
                keyname = "title" if title_key(note.title) == key else "aliases"
                line, col = note.key_pos.get(keyname, (1, 1))
                diags.append(Diagnostic(_shown(note), line, col, "KB106", f"name {name!r} is also used by {others}", "titles and aliases must be unique"))
        return diags


def close_matches(word: str, names: list[str], n: int, cutoff: float) -> list[str]:
    """Exactly ``difflib.get_close_matches(word, names, n, cutoff)``, without comparing ``word`` with
    every name in Python: rapidfuzz first keeps the names whose Indel similarity (2·LCS/(len a + len
    b), LCS the longest common subsequence) reaches the cutoff, and difflib ranks those. difflib's
    ratio is 2·M/(len a + len b) where its matching blocks, M characters, form a common subsequence,
    so M ≤ LCS: no name difflib would keep is left out (``tests/core/test_resolve.py`` compares).
    """
    if not word:  # rapidfuzz and difflib differ on empty strings; nothing to gain here anyway
        return difflib.get_close_matches(word, names, n, cutoff)
    kept = process.extract(word, names, scorer=fuzz.ratio, processor=None, score_cutoff=max(0.0, cutoff * 100 - 0.01), limit=None)
    return difflib.get_close_matches(word, [name for name, _, _ in kept], n, cutoff)


@dataclass(frozen=True, slots=True)
class Target:
    """What a link names: notes (one, or several when ambiguous), or attachment files."""

    notes: tuple[Note, ...] = ()
    attachments: tuple[RelPath, ...] = ()
    attachment_wanted: bool = False  # the link names a file that is no note (by its extension)


def find_target(source: Note, link: WikiLink, index: NameIndex, markdown: bool = False) -> Target:
    """What ``link`` in ``source`` names, by the rules of this module's docstring."""
    target = link.target.strip()
    if not target:
        return Target((source,))
    extension = link.extension
    if extension in ATTACHMENT_EXTENSIONS:
        return Target(attachments=tuple(_attachments(source, target, index, markdown)), attachment_wanted=True)
    if extension:  # « torch.compile » is a note; « data.csv » a file, if the vault has one
        found = _notes(source, link, index, markdown)
        if found.notes:
            return found
        files = _attachments(source, target, index, markdown)
        return Target(attachments=tuple(files), attachment_wanted=True) if files else found
    return _notes(source, link, index, markdown)


def _notes(source: Note, link: WikiLink, index: NameIndex, markdown: bool) -> Target:
    target = link.target.strip()
    if markdown:
        for candidate in _relative_candidates(source.path, target):
            note = index.by_path(candidate)
            if note is not None:
                return Target((note,))
        return Target(tuple(index.lookup(target))) if "/" not in target else Target()
    found = index.lookup(target)
    if not found and "/" in target:  # [[folder/X.md]] where folder/X is no title: by path from the root
        note = index.by_path(target if target.lower().endswith(".md") else target + ".md")
        found = [note] if note else []
    return Target(tuple(found))


def _relative_candidates(from_path: str, target: str) -> list[str]:
    base = posixpath.dirname(from_path)
    paths = [posixpath.normpath(posixpath.join(base, target)), posixpath.normpath(target)]
    out: list[str] = []
    for p in paths:
        if p.startswith(".."):
            continue
        out += [p] if p.lower().endswith(".md") else [p + ".md", p]
    return out


def _attachments(source: Note, target: str, index: NameIndex, markdown: bool) -> list[RelPath]:
    if markdown:
        for candidate in _relative_candidates(source.path, target):
            found = index.attachment(candidate)
            if found:
                return found[:1]
    found = index.attachment(target)
    if "/" not in target.strip("/"):
        return found
    return found or index.attachment(target.rsplit("/", 1)[-1])


def resolve(notes: list[Note], index: NameIndex) -> tuple[list[Edge], list[Diagnostic]]:
    """Resolve every link of every note; dangling and ambiguous links become diagnostics,
    and so do links to a heading or block the target does not have."""
    edges: list[Edge] = []
    diags: list[Diagnostic] = []
    # What a wikilink names depends on its target alone (a Markdown link's also on its note's folder,
    # an empty target on its note): resolved once per target.
    by_target: dict[str, Target] = {}
    for note in notes:
        for link in note.links:
            where = (_shown(note), link.line, link.col)
            target = link.link.target
            if link.markdown or not target.strip():
                found = find_target(note, link.link, index, link.markdown)
            elif (found := by_target.get(target)) is None:
                found = by_target[target] = find_target(note, link.link, index)
            if found.attachment_wanted:
                if not found.attachments:
                    diags.append(Diagnostic(*where, "KB114", f"no file {link.link.target!r} in the vault for {link.link}", "add the file, or fix its name"))
                continue
            if not link.link.target:  # [[#Section]] points inside the note itself
                diags += _section_problems(note, link, note, where)
                continue
            if not found.notes:
                diags.append(_dangling(note, link, index, where))
            elif len(found.notes) > 1:
                paths = ", ".join(sorted(str(n.path) for n in found.notes))
                diags.append(Diagnostic(*where, "KB103", f"ambiguous link {link.link} matches {paths}", "link to the exact title or path"))
            else:
                edges.append(Edge(note, link.kind, found.notes[0], link))
                diags += _section_problems(note, link, found.notes[0], where)
    return edges, diags


def _dangling(note: Note, link: Link, index: NameIndex, where: tuple) -> Diagnostic:
    target = link.link.target
    if "^" in target:  # [[Note^id]]: a block reference without its '#'
        name, _, block = target.partition("^")
        if index.lookup(name.strip()):
            return Diagnostic(*where, "KB102", f"dangling link {link.link}", f'for a block reference write "[[{name.strip()}#^{block}]]"')
    close = index.suggest(link.link.name or target)
    hint = "did you mean " + " or ".join(f'"{c}"' for c in close) + "?" if close else "no note has this title, alias or file name"
    return Diagnostic(*where, "KB102", f"dangling link {link.link}", hint)


def _section_problems(note: Note, link: Link, target: Note, where: tuple) -> list[Diagnostic]:
    wl = link.link
    if wl.block:
        if wl.block not in target.parsed.block_ids():
            return [Diagnostic(*where, "KB115", f"{wl}: no block '^{wl.block}' in {target.path}", "mark the block with ' ^" + wl.block + "' at its end")]
        return []
    if wl.section and not has_section(target, wl.section):
        return [Diagnostic(*where, "KB113", f"{wl}: no heading '{wl.heading or wl.section}' in {target.path}")]
    return []


def has_section(note: Note, section: str) -> bool:
    """Whether ``note`` has the heading ``section`` (a chain ``A#B``: each in order, the last the one
    linked to; case, accents and apostrophes ignored). A Markdown link's fragment may also be the
    heading's anchor (``#installation``)."""
    chain = [title_key(h) for h in section.split("#") if h.strip()]
    if not chain:
        return True
    keys = [title_key(h) for h in note.parsed.heading_texts()]
    anchors = {title_key(h.replace(" ", "-")) for h in keys}
    pos = 0
    for wanted in chain:
        while pos < len(keys) and keys[pos] != wanted:
            pos += 1
        if pos == len(keys):
            return len(chain) == 1 and title_key(chain[0].replace(" ", "-")) in anchors
        pos += 1
    return True


def _shown(note: Note) -> str:
    return note.file or str(note.path)
