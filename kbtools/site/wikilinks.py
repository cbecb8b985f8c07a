"""Body links → HTML, as the page is handed to Markdown.

``[[A]]`` becomes a link to A's page, ``[[A|texte]]`` shows « texte », ``[[A#Section]]`` links to
the anchor mkdocs' ``toc`` gives that heading, ``[[A#^bloc]]`` to the block's anchor,
``![[image.png|120]]`` an image 120 px wide, ``[[doc.pdf]]`` a link to the file. A link that resolves
to nothing (or to several notes) becomes a visible ``<span class="kb-dangling">``. Block ids ``^id``
are hidden and become anchors. Where links and code are comes from the one Markdown reader,
:mod:`kbtools.body`. A Markdown link to a note (``[t](../a/Note.md#s)``, with or without ``.md``, in any Unicode form)
is made a link here too; Markdown links to other files are left to mkdocs, which copies them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from markdown.extensions.toc import slugify as toc_slugify

from ..body import BodyLink, read_body
from ..ids import PageUrl, RelPath, nfc, relative_link, relative_source, title_key
from ..notes import Note
from ..resolve import find_target
from ..wikilinks import WikiLink
from .markup import attrs, md_text
from .model import SiteModel

Slugifier = Callable[[str], str]
IMAGES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp"})


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
    """Anchor of ``section`` (``A#B``: the last heading) in ``note``: the heading as written there,
    else the section as linked. A block ``^id`` is its own anchor."""
    if section.startswith("^"):
        return section
    wanted = title_key(section.split("#")[-1])
    for plain in note.parsed.heading_texts():
        if title_key(plain) == wanted:
            return slugify(plain)
    return slugify(section.split("#")[-1])


def block_anchor(block_id: str) -> str:
    """The HTML id of a block ``^id`` (Obsidian Publish writes the same ``#^id``)."""
    return "^" + block_id


def render_links(markdown: str, page: RelPath, model: SiteModel, slugify: Slugifier) -> tuple[str, list[Unresolved]]:
    """The Markdown with every link outside code replaced by inline HTML, block ids by anchors."""
    doc = read_body(markdown)
    note = model.by_path.get(page) or Note(page, page)
    edits: list[tuple[int, int, str]] = []
    unresolved: list[Unresolved] = []
    for found in doc.links:
        html, problem = _render(found, note, page, model, slugify)
        if found.markdown and html is not None:
            html = _markdown_link(markdown[found.start : found.end], html)
        if html is not None:
            edits.append((found.start, found.end, html))
        if problem is not None:
            unresolved.append(problem)
    for block in doc.blocks:
        edits.append((block.start, block.end, f'<a{attrs(id=block_anchor(block.id), class_="kb-block")}></a>'))
    out: list[str] = []
    last = 0
    for start, end, html in sorted(edits):
        if start < last:  # a block id inside a link: the link wins
            continue
        out += [markdown[last:start], html]
        last = end
    out.append(markdown[last:])
    return "".join(out), unresolved


def _render(found: BodyLink, note: Note, page: RelPath, model: SiteModel, slugify: Slugifier) -> tuple[str | None, Unresolved | None]:
    link = found.link
    target = find_target(note, link, model.kb.index, found.markdown)
    if found.markdown:
        return _markdown_destination(link, target, page, model, slugify), None
    if target.attachment_wanted:
        if target.attachments:
            return _attachment(link, target.attachments[0], page, model), None
        if found.markdown:
            return None, None
        return _dangling(link, found, 0)
    if not link.target:  # [[#Section]] or [[#^bloc]]: this very page
        anchor = heading_anchor(note, link.section, slugify)
        return f"<a{attrs(class_='kb-link', href='#' + anchor)}>{md_text(link.text)}</a>", None
    if len(target.notes) == 1 and target.notes[0].path in model.urls:
        dest = target.notes[0]
        anchor = heading_anchor(dest, link.section, slugify) if link.section else ""
        return f"<a{attrs(class_='kb-link', href=model.href(page, dest.path, anchor))}>{md_text(link.text)}</a>", None
    return _dangling(link, found, len(target.notes))


def _markdown_destination(link: WikiLink, target, page: RelPath, model: SiteModel, slugify: Slugifier) -> str | None:
    """A Markdown link mkdocs would not find (no ``.md``, another Unicode form or case): its new
    destination, the source path of the note it names; None to leave the link to mkdocs."""
    literal = posixpath.normpath(posixpath.join(posixpath.dirname(page), link.target))
    if target.attachment_wanted or literal in model.urls or len(target.notes) != 1 or target.notes[0].path not in model.urls:
        return None
    dest = target.notes[0]
    anchor = "#" + heading_anchor(dest, link.section, slugify) if link.section else ""
    return relative_source(page, dest.path) + anchor


def _markdown_link(source: str, destination: str) -> str:
    """``[texte **gras**](ancien)`` → ``[texte **gras**](<nouveau>)``: the text stays Markdown."""
    cut = source.rfind("](")
    return source[: cut + 2] + "<" + destination.replace(">", "%3E") + ">)"


def _dangling(link: WikiLink, found: BodyLink, candidates: int) -> tuple[str, Unresolved]:
    why = "Note introuvable" if not candidates else "Lien ambigu"
    span = f"<span{attrs(class_='kb-dangling', title=f'{why} : {link}')}>{md_text(link.text)}</span>"
    return span, Unresolved(link, found.line + 1, found.col, candidates)


def _attachment(link: WikiLink, path: RelPath, page: RelPath, model: SiteModel) -> str:
    """An image shown (``|120`` or ``|120x80`` sets its size), any other file linked."""
    href = relative_link(model.urls[page], attachment_url(path))
    if _extension(path) in IMAGES and link.embed:
        width, height = _size(link.label)
        alt = link.label if width is None and link.label else nfc(path).rsplit("/", 1)[-1]
        return f"<img{attrs(src=href, alt=alt, width=width, height=height, class_='kb-attachment', loading='lazy')}>"
    label = link.label if link.label and _size(link.label) == (None, None) else nfc(path).rsplit("/", 1)[-1]
    return f"<a{attrs(class_='kb-link kb-file', href=href)}>{md_text(label)}</a>"


def _extension(path: str) -> str:
    return path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""


def attachment_url(path: RelPath) -> PageUrl:
    """The URL of a file mkdocs copies as it is (percent-encoded as ``File.url``)."""
    return PageUrl(quote(path))


def _size(label: str) -> tuple[str | None, str | None]:
    """Obsidian's ``|120`` (width) or ``|120x80`` (width and height) after an image."""
    width, _, height = label.strip().partition("x")
    if width.isdigit() and (not height or height.isdigit()):
        return width, height or None
    return None, None
