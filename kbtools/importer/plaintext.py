"""Plain text, typically extracted from a PDF: no metadata, hard-wrapped lines, `•` bullets.

Paragraphs are re-flowed, `•` bullets become Markdown items, short numbered lines standing
alone become section headings, and a header of ``Label : value`` lines (Résumé, Thématique,
Auteur…) is read as metadata. The title is a first meaningful line, else the file name.
"""

from __future__ import annotations

import re

from ..ids import strip_accents
from .item import ImportItem

# Labels of a header block, folded (no accents, lower case).
HEADER_LABELS = frozenset(
    "titre title thematique theme sujet topic resume abstract summary auteur auteurs author authors orateur orateurs "
    "speaker speakers intervenant intervenants date url lien langue language mots-cles keywords tags".split()
)
_LABEL = re.compile(r"^(?P<label>[^\W\d][\w' -]{1,30}?)\s*:\s+(?P<value>\S.*)$")
_BULLET = re.compile(r"^[•◦▪‣●■]\s*")
_SECTION = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\.?\s+(?P<text>[^\W\d_].{0,70})$")


def fold(label: str) -> str:
    """A label or key as the mapping tables spell it: no accents, lower case."""
    return strip_accents(label).casefold().strip()


def parse(item: ImportItem, text: str) -> None:
    """Header labels into ``item.meta``, the re-flowed rest into ``item.body``, and a title."""
    lines = text.split("\n")
    lead = sum(1 for line in lines if line != line.lstrip())
    item.repairs.add("leading-spaces", lead)
    lines = [line.strip() for line in lines]
    start = _header(item, lines)
    lines = lines[start:]
    item.body_line = start + 1
    if not item.title:  # no "Titre :" line in the header
        lines = _title_line(item, lines)
    item.body = _reflow(item, lines)


def _paragraph(lines: list[str], start: int) -> int:
    """Index of the line after the paragraph starting at ``start``."""
    end = start
    while end < len(lines) and lines[end] and not (end > start and _is_section(lines, end)):
        end += 1
    return end


def _header(item: ImportItem, lines: list[str]) -> int:
    """Read leading ``Label : value`` paragraphs; return the index where the body starts."""
    i = 0
    while True:
        while i < len(lines) and not lines[i]:
            i += 1
        m = _label(lines[i]) if i < len(lines) else None
        if not m:
            return i
        end = i + 1
        while end < len(lines) and lines[end] and not _is_section(lines, end) and not _label(lines[end]):
            end += 1
        value = _join([m.group("value"), *lines[i + 1 : end]], item)
        label = m.group("label").strip()
        item.meta[label] = value
        if fold(label) in ("titre", "title"):
            item.title, item.title_from = value, label
        i = end


def _label(line: str) -> re.Match | None:
    m = _LABEL.match(line)
    return m if m and fold(m.group("label")) in HEADER_LABELS else None


def _title_line(item: ImportItem, lines: list[str]) -> list[str]:
    """A first line standing alone, short and not a sentence, is the title; else the file name."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is not None:
        line = lines[first]
        alone = first + 1 >= len(lines) or not lines[first + 1]
        words = len(line.split())
        if alone and 2 <= words <= 15 and len(line) <= 120 and line[-1] not in ".,;:" and not _is_section(lines, first) and not _BULLET.match(line):
            item.title, item.title_from = line, "first line"
            return lines[first + 1 :]
    item.title, item.title_from = item.source.stem.replace("_", " ").strip() or item.source.name, "file name"
    return lines


def _is_section(lines: list[str], i: int) -> bool:
    m = _SECTION.match(lines[i])
    if not m or m.group("text")[-1] in ".,;:" or len(lines[i].split()) > 10:
        return False
    return i + 1 >= len(lines) or not lines[i + 1]


def _join(parts: list[str], item: ImportItem) -> str:
    """Lines of one paragraph as one line; a word cut at a hyphen is put back together."""
    out = parts[0]
    for part in parts[1:]:
        item.repairs.add("hard-wrap", 1)
        # "pré-" + "entraînés": the hyphen may belong to the word, so it stays, without a space
        glue = "" if re.search(r"\w-$", out) and part[:1].islower() else " "
        out += glue + part
    return out


def _reflow(item: ImportItem, lines: list[str]) -> str:
    blocks: list[str] = []
    i = 0
    blank_runs = 0
    while i < len(lines):
        if not lines[i]:
            j = i
            while j < len(lines) and not lines[j]:
                j += 1
            blank_runs += j - i > 1 and bool(blocks)
            i = j
            continue
        if _is_section(lines, i):
            m = _SECTION.match(lines[i])
            blocks.append(f"## {m.group('num')}. {' '.join(m.group('text').split())}")
            item.repairs.add("headings", 1)
            i += 1
            continue
        end = _paragraph(lines, i)
        blocks.append(_items(lines[i:end], item))
        i = end
    item.repairs.add("blank-lines", blank_runs)
    return "\n\n".join(blocks)


def _items(lines: list[str], item: ImportItem) -> str:
    """A paragraph, or a list when its lines start with bullets."""
    groups: list[list[str]] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            item.repairs.add("bullets", 1)
            groups.append(["- " + line[bullet.end() :]])
        elif not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return "\n".join(_join(group, item) for group in groups)
