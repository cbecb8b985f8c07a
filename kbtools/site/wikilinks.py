"""Body wikilinks → HTML links, as the page is handed to Markdown.

``[[A]]`` becomes a link to A's page, ``[[A|texte]]`` shows « texte », ``[[A#Section]]``
links to the anchor mkdocs' ``toc`` gives that heading. A link that resolves to nothing
(or to several notes) becomes a visible ``<span class="kb-dangling">``. Links in code
blocks and inline code are left alone (the pipeline's masking decides what is code).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.extensions.toc import slugify as toc_slugify

from ..ids import RelPath, title_key
from ..notes import Note
from ..wikilinks import BodyLink, WikiLink, find_body_links, headings, line_col
from .markup import attrs, md_text
from .model import SiteModel

Slugifier = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A body link of a page that names no note, or several; ``line`` and ``col`` are in ``markdown``."""

    link: WikiLink
    line: int
    col: int
    candidates: int


def anchor_slugifier(mdx_configs: dict) -> Slugifier:
    """The id mkdocs' ``toc`` extension gives a heading, with the site's own toc settings."""
    toc = mdx_configs.get("toc") or {}
    slugify = toc.get("slugify") or toc_slugify
    separator = toc.get("separator", "-")
    return lambda heading: slugify(heading, separator)


def heading_anchor(note: Note, section: str, slugify: Slugifier) -> str:
    """Anchor of ``section`` in ``note``: the heading as written there, else the section as linked."""
    wanted = title_key(section)
    for plain in headings(note.body):
        if title_key(plain) == wanted:
            return slugify(plain)
    return slugify(section)


def render_links(markdown: str, page: RelPath, model: SiteModel, slugify: Slugifier) -> tuple[str, list[Unresolved]]:
    """The Markdown with every wikilink outside code replaced by inline HTML."""
    out: list[str] = []
    unresolved: list[Unresolved] = []
    last = 0
    for found in find_body_links(markdown):
        out.append(markdown[last : found.start])
        html, problem = _render(found, markdown, page, model, slugify)
        out.append(html)
        if problem is not None:
            unresolved.append(problem)
        last = found.end
    out.append(markdown[last:])
    return "".join(out), unresolved


def _render(found: BodyLink, markdown: str, page: RelPath, model: SiteModel, slugify: Slugifier) -> tuple[str, Unresolved | None]:
    link = found.link
    label = md_text(link.text)
    if not link.target:  # [[#Section]]: a heading of this very page
        note = model.by_path.get(page)
        anchor = heading_anchor(note, link.section, slugify) if note else slugify(link.section)
        return f"<a{attrs(class_='kb-link', href='#' + anchor)}>{label}</a>", None
    matches = model.kb.index.lookup(link.target)
    if len(matches) == 1 and matches[0].path in model.urls:
        target = matches[0]
        anchor = heading_anchor(target, link.section, slugify) if link.section else ""
        return f"<a{attrs(class_='kb-link', href=model.href(page, target.path, anchor))}>{label}</a>", None
    line, col = line_col(markdown, found.start)
    why = "Note introuvable" if not matches else "Lien ambigu"
    span = f"<span{attrs(class_='kb-dangling', title=f'{why} : {link}')}>{label}</span>"
    return span, Unresolved(link, line, col, len(matches))
