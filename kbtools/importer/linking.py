"""Links of an imported note: relations checked against the vault, body links that resolve,
and the first plain mention of each existing note turned into a wikilink."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .. import schema
from ..body import read_body
from ..ids import title_key
from ..notes import Note
from ..resolve import NameIndex
from ..wikilinks import parse_wikilink
from .item import ImportItem

MIN_NAME = 4  # shorter names (GPU, JAX…) would link too much by chance
# Where a mention is no plain text: links, images, URLs, HTML, headings, table rows.
_NOT_PROSE = re.compile(
    r"!?\[[^\]\n]*\]\([^)\n]*\)|!?\[\[[^\]\n]*\]\]|\[[^\]\n]*\]\[[^\]\n]*\]|^\[[^\]\n]+\]:.*$|<[^>\n]+>|https?://\S+|www\.\S+"
    r"|^ {0,3}#{1,6}\s.*$|^.*\|.*$|^(?: {4}|\t).*$",
    re.M,
)


def check_relations(item: ImportItem, index: NameIndex, me: Note) -> None:
    """Keep the relations that resolve to one other note; the others go to ``origin.unresolved``."""
    for kind in schema.RELATIONS:
        value = item.fields.get(kind)
        if value is None:
            continue
        kept: list[str] = []
        for text in value if isinstance(value, list) else [value]:
            problem = _relation_problem(kind, text, index, me)
            if problem is None:
                kept.append(text)
                continue
            item.origin.setdefault("unresolved", {}).setdefault(kind, []).append(text)
            item.warn("KB506", f"{kind} {text}: {problem[0]}", problem[1] + "; kept under origin.unresolved", key=kind)
        if not kept:
            del item.fields[kind]
        else:
            item.fields[kind] = kept if isinstance(value, list) else kept[0]


def _relation_problem(kind: str, text: str, index: NameIndex, me: Note) -> tuple[str, str] | None:
    link = parse_wikilink(text)
    found = index.lookup(link.target) if link else []
    if not found:
        close = index.suggest(link.target if link else text)
        return "names no note", ("did you mean " + " or ".join(f'"{c}"' for c in close) + "?") if close else "no note has this name"
    if len(found) > 1:
        return "is ambiguous", "it matches " + ", ".join(sorted(str(n.path) for n in found))
    if found[0] is me:
        return "points to the note itself", "a note cannot relate to itself"
    if kind == "sources" and found[0].type != "source":
        return f"points to {found[0].title!r}, which is no source", "sources only lists notes of type source"
    return None


def check_body_links(item: ImportItem, index: NameIndex) -> None:
    """A body wikilink that resolves to no single note becomes its text, so that the note checks clean."""
    body = item.body
    for found in reversed(read_body(body).links):
        if found.markdown or found.link.extension or not found.link.target or len(index.lookup(found.link.target)) == 1:
            continue
        text = found.link.label or found.link.target
        body = body[: found.start] + text + body[found.end :]
        item.origin.setdefault("unresolved", {}).setdefault("mentions", []).insert(0, str(found.link))
        close = index.suggest(found.link.target)
        hint = ("did you mean " + " or ".join(f'"{c}"' for c in close) + "?; ") if close else ""
        message = f"body link {found.link} names no single note, written as plain text"
        item.warn("KB506", message, hint + "kept under origin.unresolved", item.body_line + found.line, found.col)
    item.body = body


def autolink(item: ImportItem, index: NameIndex, me: Note) -> None:
    """Turn the first plain mention of each other note (title or alias) into ``[[Title|as written]]``."""
    body = item.body
    folded, where, starts = _fold(body)
    blocked = bytearray(len(folded))
    for start, end in read_body(body).code:  # code, HTML, comments and math, as the one reader finds them
        _block(blocked, starts[start], starts[end])
    for m in _NOT_PROSE.finditer(body):
        _block(blocked, starts[m.start()], starts[m.end()])
    # Every mention of every name; where two overlap, the longer wins ("PyTorch" inside
    # "PyTorch Lightning" names Lightning), then each note links its first mention left.
    mentions = [
        (m.start(), m.end(), note)
        for note, names in _candidates(index, me)
        for name in names
        for m in _pattern(name).finditer(folded)
        if not any(blocked[m.start() : m.end()])
    ]
    taken = bytearray(len(folded))
    first: dict[int, tuple[int, int, Note]] = {}
    for start, end, note in sorted(mentions, key=lambda m: (m[0] - m[1], m[0])):
        if not any(taken[start:end]):
            _block(taken, start, end)
            if id(note) not in first or start < first[id(note)][0]:
                first[id(note)] = (start, end, note)
    spans = [(where[start], _end(body, where[end - 1] + 1), note) for start, end, note in first.values()]
    for start, end, note in sorted(spans, key=lambda s: s[0], reverse=True):
        written = body[start:end]
        link = f"[[{note.title}]]" if written == note.title else f"[[{note.title}|{written}]]"
        body = body[:start] + link + body[end:]
        item.links.insert(0, f"{written} → [[{note.title}]]")
    item.body = body


def _candidates(index: NameIndex, me: Note) -> list[tuple[Note, list[str]]]:
    """Other notes and the names that name them alone."""
    out = []
    for note in index.notes:
        if note is me or any(ch in note.title for ch in "[]|#"):
            continue
        names = [n for n in _unique([note.title, *note.aliases]) if len(n.strip()) >= MIN_NAME and index.lookup(n) == [note]]
        if names:
            out.append((note, names))
    return out


def _unique(names: list[str]) -> list[str]:
    return list({title_key(n): n for n in reversed(names)}.values())


@lru_cache(maxsize=4096)
def _pattern(name: str) -> re.Pattern:
    words = [re.escape(w) for w in title_key(name).split(" ")]
    # whole words: not part of a longer word, a dotted name (torch.nn), a path or an address
    return re.compile(r"(?<![\w.@/-])" + r"[ \t]+".join(words) + r"(?![\w-]|\.\w)")


def _fold(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` folded as title keys are (case, accents, apostrophes), the offset in ``text`` of
    each folded character, and the folded offset where each character of ``text`` starts."""
    out: list[str] = []
    where: list[int] = []
    starts: list[int] = []
    for i, ch in enumerate(text):
        folded = ch if ch in " \t\n" else (" " if ch.isspace() else title_key(ch))
        starts.append(len(where))
        out.append(folded)
        where.extend([i] * len(folded))
    starts.append(len(where))
    return "".join(out), where, starts


def _block(blocked: bytearray, start: int, end: int) -> None:
    blocked[start:end] = b"\x01" * (end - start)


def _end(text: str, end: int) -> int:
    """Keep combining marks with the letter they belong to."""
    while end < len(text) and unicodedata.combining(text[end]):
        end += 1
    return end
