"""The sentence around a mention, as plain text: « Mentionné dans » shows where and how.

Works on the source note's body and the mention's offset in it (``Link.offset``): the
block line holding the mention is cut into sentences, the one holding the offset is kept,
and Markdown markup is stripped (wikilinks show their text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..wikilinks import WIKILINK, wikilink_from_match

MAX_CHARS = 240
# A sentence ends at . ! ? or …, perhaps inside emphasis (« **PyTorch.** Le cœur… »).
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?:\*{1,2}|_{1,2})?\s+(?=[«\"(\[*_A-ZÀ-ÖØ-Ý0-9])")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~)(?=\S)(.+?)(?<=\S)\1")
_TAGS = re.compile(r"<[^>]*>")
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+|\|)")
_SPACES = re.compile(r"\s+")
_LEFTOVER = re.compile(r"\*{2,}|_{2,}|~~")


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Plain text before the mention, the mention's own text, and after it."""

    before: str
    mention: str
    after: str


def excerpt(body: str, offset: int) -> Excerpt | None:
    """The sentence of ``body`` holding the wikilink that starts at ``offset``."""
    m = WIKILINK.match(body, offset) if 0 <= offset < len(body) else None
    if m is None:
        return None
    line_start = body.rfind("\n", 0, offset) + 1
    line_end = body.find("\n", m.end())
    line_end = len(body) if line_end < 0 else line_end
    start, end = line_start, line_end
    for cut in _SENTENCE_END.finditer(body, line_start, line_end):
        if cut.end() <= offset:
            start = cut.end()
        elif cut.start() >= m.end():
            end = cut.start()
            break
    before = _plain(_BLOCK_START.sub("", body[start:offset]) if start == line_start else body[start:offset])
    after = _plain(body[m.end() : end])
    mention = _plain(m.group(0))
    return Excerpt(*_shorten(before, mention, after))


def _plain(markdown: str) -> str:
    """Markdown inline markup → text. Link texts are kept verbatim (a title may look like a tag)."""
    parts: list[str] = []
    last = 0
    for m in WIKILINK.finditer(markdown):
        parts += [_strip(markdown[last : m.start()]), _link_text(m)]
        last = m.end()
    parts.append(_strip(markdown[last:]))
    return _SPACES.sub(" ", "".join(parts))


def _strip(markdown: str) -> str:
    text = _MD_LINK.sub(r"\1", markdown)
    for _ in range(2):  # nested emphasis: ***a*** or **a *b***
        text = _EMPHASIS.sub(r"\2", text)
    text = _LEFTOVER.sub("", _TAGS.sub("", text.replace("`", "")))  # emphasis around a link leaves its markers
    return text.replace(" | ", " · ").replace("|", " ")


def _link_text(m: re.Match) -> str:
    link = wikilink_from_match(m)
    return link.text_plain if link else ""


def _shorten(before: str, mention: str, after: str) -> tuple[str, str, str]:
    """Keep about :data:`MAX_CHARS` around the mention, cutting at word boundaries."""
    room = max(MAX_CHARS - len(mention), 40)
    before, after = before.lstrip(), after.rstrip()
    if len(before) + len(after) <= room:
        return before, mention, after
    half = room // 2
    keep_before = min(len(before), max(half, room - len(after)))
    keep_after = room - keep_before
    if len(before) > keep_before:
        cut = before[-keep_before:]
        before = "… " + cut.split(" ", 1)[-1] if " " in cut else "… " + cut
    if len(after) > keep_after:
        cut = after[:keep_after]
        after = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + " …"
    return before, mention, after
