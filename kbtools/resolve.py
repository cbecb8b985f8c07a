"""Resolve wikilinks to notes by title, alias or file stem (case, accents and apostrophes ignored)."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from .diagnostics import Diagnostic
from .ids import TitleKey, title_key
from .notes import Link, Note
from .wikilinks import headings

# Resolution tiers: a title beats an alias, an alias beats a file stem.
_TIERS = ("title", "alias", "stem")


@dataclass(frozen=True, slots=True)
class Edge:
    """A resolved link: ``source`` —kind→ ``target``."""

    source: Note
    kind: str
    target: Note
    link: Link


class NameIndex:
    """Every name a note answers to, by key."""

    def __init__(self, notes: list[Note]):
        self.notes = notes
        self._by_key: dict[TitleKey, dict[str, list[Note]]] = defaultdict(lambda: defaultdict(list))
        for note in notes:
            self._add(note.title, "title", note)
            for alias in note.aliases:
                self._add(alias, "alias", note)
            self._add(note.stem, "stem", note)
        self._titles = {title_key(n.title): n.title for n in notes}
        self._names = {title_key(name): n.title for n in notes for name in [n.title, *n.aliases]}

    def _add(self, name: str, tier: str, note: Note) -> None:
        bucket = self._by_key[title_key(name)][tier]
        if note not in bucket:
            bucket.append(note)

    def lookup(self, target: str) -> list[Note]:
        """Notes that ``target`` names, at the best tier that matches (several means ambiguous)."""
        tiers = self._by_key.get(title_key(target))
        if not tiers:
            return []
        for tier in _TIERS:
            if tiers.get(tier):
                return list(tiers[tier])
        return []

    def suggest(self, target: str, n: int = 3) -> list[str]:
        """Closest titles to a name that resolves to nothing."""
        close = difflib.get_close_matches(title_key(target), list(self._names), n=n * 2, cutoff=0.55)
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


def resolve(notes: list[Note], index: NameIndex) -> tuple[list[Edge], list[Diagnostic]]:
    """Resolve every link of every note; dangling and ambiguous links become diagnostics."""
    edges: list[Edge] = []
    diags: list[Diagnostic] = []
    for note in notes:
        for link in note.links:
            target = link.link.target
            if not target:  # [[#Section]] points inside the note itself
                continue
            found = index.lookup(target)
            where = (_shown(note), link.line, link.col)
            if not found:
                close = index.suggest(target)
                hint = "did you mean " + " or ".join(f'"{c}"' for c in close) + "?" if close else "no note has this title, alias or file name"
                diags.append(Diagnostic(*where, "KB102", f"dangling link {link.link}", hint))
            elif len(found) > 1:
                paths = ", ".join(sorted(str(n.path) for n in found))
                diags.append(Diagnostic(*where, "KB103", f"ambiguous link {link.link} matches {paths}", "link to the exact title"))
            else:
                edges.append(Edge(note, link.kind, found[0], link))
                if link.link.section and not has_section(found[0], link.link.section):
                    diags.append(Diagnostic(*where, "KB113", f"{link.link}: no heading '{link.link.section}' in {found[0].path}"))
    return edges, diags


def has_section(note: Note, section: str) -> bool:
    wanted = title_key(section)
    return any(title_key(h) == wanted for h in headings(note.body))


def _shown(note: Note) -> str:
    return note.file or str(note.path)
