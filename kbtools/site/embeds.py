"""Obsidian embeds of notes in the site: ``![[Note]]``, ``![[Note#Section]]``, ``![[Note#^bloc]]``.

The embedded part is pasted into the page's Markdown inside ``<div class="kb-embed" markdown>``
(``md_in_html``, which the plugin turns on), or inline in a ``<span>`` when the embed stands inside
a sentence; a title line links to its source. Embeds inside embedded parts are expanded too, up to
:data:`MAX_DEPTH`, a note never inside itself: an embed cycle ends as a plain link. Block
markers ``^id`` of embedded parts are dropped, so that a page has each anchor once.
"""

from __future__ import annotations

import re

from ..body import read_body
from ..ids import title_key
from ..notes import Note
from ..resolve import find_target
from ..wikilinks import WikiLink
from .markup import attrs
from .model import SiteModel

MAX_DEPTH = 4
_PREFIX = re.compile(r"^[ \t>]*")
_NOT_IN_LINKS = str.maketrans({"[": "(", "]": ")", "|": "/"})


def expand_embeds(markdown: str, note: Note, model: SiteModel, seen: frozenset = frozenset(), depth: int = 0) -> str:
    """``markdown`` with every embed of a note replaced by the part it names."""
    doc = read_body(markdown)
    embeds = [b for b in doc.links if b.link.embed and not b.markdown and not b.link.is_attachment and b.link.target]
    if not embeds:
        return markdown
    out: list[str] = []
    last = 0
    for found in embeds:
        target = find_target(note, found.link, model.kb.index)
        if len(target.notes) != 1:
            continue  # the link renderer shows it as dangling
        dest = target.notes[0]
        # a note already being shown (the page itself included) is not shown again inside itself
        part = section_text(dest, found.link) if dest.path not in seen | {note.path} and depth < MAX_DEPTH else None
        if part is None:
            continue  # a cycle, too deep, or no such part: left as a link
        part = expand_embeds(part, dest, model, seen | {note.path, dest.path}, depth + 1)
        line_start = markdown.rfind("\n", 0, found.start) + 1
        line_end = markdown.find("\n", found.end)
        line_end = len(markdown) if line_end < 0 else line_end
        before, after = markdown[line_start : found.start], markdown[found.end : line_end]
        out.append(markdown[last:line_start] if _PREFIX.fullmatch(before) and not after.strip() else markdown[last : found.start])
        if _PREFIX.fullmatch(before) and not after.strip():
            out.append(_block(part, dest, found.link, before))
            last = line_end
        else:
            out.append(_inline(part, dest, found.link))
            last = found.end
    out.append(markdown[last:])
    return "".join(out)


def section_text(note: Note, link: WikiLink) -> str | None:
    """The Markdown of the part ``link`` names in ``note``: the whole body, a heading's section
    (to the next heading of the same or a higher level), or the block a ``^id`` marks."""
    doc = note.parsed
    lines = note.body.split("\n")
    if link.block:
        block = next((b for b in doc.blocks if b.id == link.block), None)
        if block is None:
            return None
        end = block.line - 1 if block.alone else block.line
        while block.alone and end >= 0 and not lines[end].strip():
            end -= 1
        start = end
        while start > 0 and lines[start - 1].strip():
            start -= 1
        return _drop_block_ids("\n".join(lines[start : end + 1]))
    if link.heading:
        wanted = title_key(link.heading)
        heads = doc.headings
        for i, h in enumerate(heads):
            if title_key(h.text) == wanted:
                stop = next((g.line for g in heads[i + 1 :] if g.level <= h.level), len(lines))
                return _drop_block_ids("\n".join(lines[h.line : stop]).strip("\n"))
        return None
    body = note.body.strip("\n")
    first, _, rest = body.partition("\n")
    if doc.headings and doc.headings[0].level == 1 and doc.headings[0].line == note.body.split("\n").index(first) and title_key(doc.headings[0].text) == title_key(note.title):
        body = rest.strip("\n")  # the title line says it already
    return _drop_block_ids(body)


def _drop_block_ids(markdown: str) -> str:
    doc = read_body(markdown)
    for block in sorted(doc.blocks, key=lambda b: b.start, reverse=True):
        markdown = markdown[: block.start] + markdown[block.end :]
    return markdown


def _title(dest: Note, link: WikiLink) -> str:
    section = link.heading or ("" if link.block else link.section)
    label = (dest.title + (" › " + section if section else "")).translate(_NOT_IN_LINKS)
    return f"[[{dest.title}#{link.section}|{label}]]" if link.section else f"[[{dest.title}|{label}]]"


def _block(part: str, dest: Note, link: WikiLink, prefix: str) -> str:
    if ">" in prefix:  # inside a quote or callout, where Python-Markdown reads no HTML block: plain Markdown
        return "\n".join(prefix + line if line else prefix.rstrip() for line in [_title(dest, link), "", *part.split("\n")])
    lines = [
        f'<div{attrs(class_="kb-embed", data_source=dest.title)} markdown="1">',
        "",
        _title(dest, link),  # a Markdown paragraph (not HTML), so that its link is read and rendered
        "",
        *part.split("\n"),
        "",
        "</div>",
    ]
    return "\n".join(prefix + line if line else prefix.rstrip() for line in lines)


def _inline(part: str, dest: Note, link: WikiLink) -> str:
    text = " ".join(line.strip() for line in part.split("\n") if line.strip())
    return f'<span{attrs(class_="kb-embed kb-embed--inline", data_source=dest.title)} markdown="1">{text}</span>'
