"""Obsidian's link grammar: ``[[Target]]``, ``[[Target|texte]]``, ``[[Target#Section]]``,
``[[Target#A#B]]``, ``[[Target#^bloc]]``, ``[[#Section locale]]``, ``[[dossier/Cible.md]]``,
embeds ``![[Cible]]`` and ``![[image.png|120]]``, and ``\\|`` for the pipe inside table cells.

Rules from Obsidian's help ("Internal links", "Embed files", "Link to blocks"): the target ends
at the first ``#`` or ``|``; a file name cannot hold ``[ ] # ^ |``; ``.md`` may be written or not;
a path names a file from the vault's root or by the end of its path.
This module only parses; :mod:`kbtools.body` finds links in Markdown and :mod:`kbtools.resolve`
resolves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# One wikilink or embed on one line; brackets cannot appear inside (Obsidian forbids them in names).
WIKILINK = re.compile(r"(?P<embed>!?)\[\[(?P<inner>[^\[\]\n]+)\]\]")
_MD_SUFFIX = re.compile(r"\.md$", re.I)
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,8})$")
# File types Obsidian shows or embeds (its help, "Accepted file formats"): such a target is a file
# first; any other dotted name (« torch.compile », « TensorFlow.js ») is a note first.
ATTACHMENT_EXTENSIONS = frozenset(
    "base canvas avif bmp gif jpeg jpg png svg webp flac m4a mp3 ogg wav webm 3gp mkv mov mp4 ogv pdf".split()
)


@dataclass(frozen=True, slots=True)
class WikiLink:
    """A link as written. ``section`` is what follows the first ``#``: headings joined by ``#``,
    or ``^id`` for a block."""

    target: str
    section: str = ""
    label: str = ""
    embed: bool = False

    @property
    def block(self) -> str:
        """The block id of ``[[X#^id]]``, else empty."""
        return self.section[1:] if self.section.startswith("^") else ""

    @property
    def headings(self) -> list[str]:
        """The heading chain of ``[[X#A#B]]`` (``["A", "B"]``); empty for a block link."""
        if not self.section or self.block:
            return []
        return [h.strip() for h in self.section.split("#") if h.strip()]

    @property
    def heading(self) -> str:
        """The innermost heading linked to, the one whose anchor the link goes to."""
        chain = self.headings
        return chain[-1] if chain else ""

    @property
    def name(self) -> str:
        """The target without a ``.md`` extension: what resolves by title, alias, stem or path."""
        return _MD_SUFFIX.sub("", self.target).strip()

    @property
    def extension(self) -> str:
        """Lower-case extension of the target when it is not ``.md`` (``png``, ``js``…), else empty."""
        if _MD_SUFFIX.search(self.target):
            return ""
        m = _EXTENSION.search(self.target)
        return m.group(1).lower() if m and not m.group(1).isdigit() else ""

    @property
    def is_attachment(self) -> bool:
        """The target is a file type Obsidian embeds (image, audio, video, PDF, canvas, base)."""
        return self.extension in ATTACHMENT_EXTENSIONS

    @property
    def text(self) -> str:
        """What a reader sees: the label, else the target (and section)."""
        if self.label:
            return self.label
        section = self.heading or self.section
        if section and self.name:
            return f"{self.name} › {section}"
        return self.name or section

    @property
    def text_plain(self) -> str:
        """The text shown where a link stands in a heading (label, else target, else section)."""
        return self.label or self.name or self.heading or self.section

    def __str__(self) -> str:
        out = self.target
        if self.section:
            out += "#" + self.section
        if self.label:
            out += "|" + self.label
        return f"{'!' if self.embed else ''}[[{out}]]"


def wikilink_from_match(m: re.Match) -> WikiLink | None:
    """The :class:`WikiLink` of a :data:`WIKILINK` match; None when it names nothing (``[[ ]]``)."""
    return parse_inner(m.group("inner"), embed=bool(m.group("embed")))


@lru_cache(maxsize=65536)  # a vault links to the same notes over and over; a WikiLink is immutable
def parse_inner(inner: str, embed: bool = False) -> WikiLink | None:
    """``Target#Section|label`` → :class:`WikiLink`. ``\\|`` (a pipe escaped in a table) is a pipe."""
    inner = inner.replace("\\|", "|")
    target_part, _, label = inner.partition("|")
    target, _, section = target_part.partition("#")
    link = WikiLink(target.strip(), section.strip(), label.strip(), embed)
    if not link.target and not link.section:
        return None
    return link


def parse_wikilink(text: str) -> WikiLink | None:
    """Parse a string that is exactly one wikilink (frontmatter relation values); embeds are not."""
    m = WIKILINK.fullmatch(text.strip())
    if not m or m.group("embed"):
        return None
    return wikilink_from_match(m)
