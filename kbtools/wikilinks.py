"""Obsidian wikilinks: ``[[Target]]``, ``[[Target|texte]]``, ``[[Target#Section]]``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

WIKILINK = re.compile(r"(?P<embed>!?)\[\[(?P<target>[^\[\]|#\n]*)(?:#(?P<section>[^\[\]|\n]*))?(?:\|(?P<label>[^\[\]\n]*))?\]\]")
# Fenced code blocks and inline code never hold links.
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}).*?^(?P=indent)?(?P=fence)[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_INLINE_MARKUP = re.compile(r"[*_`]+|<[^>]+>")
# An embed of a file (image, PDF…) is an attachment, not a note.
_ATTACHMENT = re.compile(r"\.(png|jpe?g|gif|svg|webp|pdf|mp3|mp4|webm|csv|json)$", re.I)


@dataclass(frozen=True, slots=True)
class WikiLink:
    target: str
    section: str = ""
    label: str = ""

    @property
    def text(self) -> str:
        """What a reader sees: the label, else the target (and section)."""
        if self.label:
            return self.label
        if self.section and self.target:
            return f"{self.target} › {self.section}"
        return self.target or self.section

    def __str__(self) -> str:
        out = self.target
        if self.section:
            out += "#" + self.section
        if self.label:
            out += "|" + self.label
        return f"[[{out}]]"


def parse_wikilink(text: str) -> WikiLink | None:
    """Parse a string that is exactly one wikilink (frontmatter relation values)."""
    m = WIKILINK.fullmatch(text.strip())
    if not m or m.group("embed"):
        return None
    return _from_match(m)


def _from_match(m: re.Match) -> WikiLink:
    return WikiLink(
        target=m.group("target").strip(),
        section=(m.group("section") or "").strip(),
        label=(m.group("label") or "").strip(),
    )


@dataclass(frozen=True, slots=True)
class BodyLink:
    link: WikiLink
    start: int  # offset in the body
    end: int


def mask_code(body: str, inline: bool = True) -> str:
    """Blank out code blocks, HTML comments and (unless ``inline`` is false) inline code,
    keeping offsets and newlines."""

    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    body = _FENCE.sub(blank, body)
    body = _HTML_COMMENT.sub(blank, body)
    return _INLINE_CODE.sub(blank, body) if inline else body


def find_body_links(body: str) -> Iterator[BodyLink]:
    """Every wikilink of a Markdown body outside code, embeds of attachments left out."""
    for m in WIKILINK.finditer(mask_code(body)):
        link = _from_match(m)
        if m.group("embed") and _ATTACHMENT.search(link.target):
            continue
        if not link.target and not link.section:
            continue
        yield BodyLink(link, m.start(), m.end())


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def headings(body: str) -> list[str]:
    """ATX headings of a body outside code, as text once rendered: wikilinks show their text,
    no emphasis or tags. ``[[Note#Section]]`` links are checked and anchored against these."""
    found = []
    for heading in _HEADING.findall(mask_code(body, inline=False)):  # `code` in a heading is shown
        heading = WIKILINK.sub(lambda m: m.group("label") or m.group("target") or m.group("section") or "", heading)
        found.append(_INLINE_MARKUP.sub("", heading).strip())
    return found
