"""HTML that notes bring with them, made safe to show: no script runs in a reader's browser.

One allowlist (:data:`TAGS`, :data:`ATTRIBUTES`, :data:`URL_SCHEMES`) for everything an author
controls: the rendered body of a note on the site (:func:`clean_html`), the raw HTML pieces of a
foreign body the importer writes into the vault (:func:`clean_markdown_html`), and tags
(:func:`clean_label`). The work is done by `nh3 <https://nh3.readthedocs.io>`_ (the Rust
sanitiser *ammonia*): it parses like a browser, so no spelling of ``javascript:`` or of an event
handler gets through a tokenizer quirk.

The allowlist keeps what Python-Markdown, pymdownx and mkdocs-material put in a page (headings
with ids and permalinks, admonitions, details, content tabs, highlighted code with line anchors,
tables with alignment, footnotes, task lists, images, ``attr_list`` classes, arithmatex math) and
what the ``kb`` plugin itself writes into the Markdown (links, dangling-link spans, snippet blocks).
It drops ``script``, ``style``, ``iframe``, ``object``, forms, every event handler, ``style``
properties other than a few layout ones, and every URL whose scheme is not on the list: ``javascript:``,
``vbscript:``, ``data:`` (even images: notes refer to image files, and an SVG ``data:`` URL is a
document of its own), ``file:``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

import nh3

# Elements of Markdown's and the theme's output. Unknown elements are unwrapped (their text stays);
# those of CLEAN_CONTENT lose their content too.
TAGS: frozenset[str] = frozenset(
    """a abbr b blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption figure
    h1 h2 h3 h4 h5 h6 hr i img input ins kbd label li mark ol p pre q s samp section small span strong sub
    summary sup table tbody td tfoot th thead time tr u ul var wbr""".split()
)
CLEAN_CONTENT: frozenset[str] = frozenset({"script", "style", "noscript", "template", "textarea", "select", "title", "xmp", "iframe", "noembed", "noframes"})
# Attributes allowed on every element, then per element. No event handler, no ``style`` but the
# filtered properties below, no ``target`` (a link never opens a window its page can steer).
GENERIC_ATTRIBUTES: frozenset[str] = frozenset(
    {"class", "id", "title", "lang", "dir", "hidden", "aria-label", "aria-hidden", "role", "tabindex", "markdown"}  # markdown: md_in_html's marker
)
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "name", "download", "hreflang", "type"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"style", "colspan", "rowspan", "align"}),
    "th": frozenset({"style", "colspan", "rowspan", "align", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "details": frozenset({"open"}),
    "label": frozenset({"for"}),
    "input": frozenset({"id", "name", "checked", "disabled"}),  # content tabs and task lists
    "time": frozenset({"datetime"}),
    "abbr": frozenset({"title"}),
    "q": frozenset({"cite"}),
    "blockquote": frozenset({"cite"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    # pymdownx.tabbed writes data-tabs; the kb plugin data-snippet (snippet blocks) and data-source
    # (embeds). Not data-md-* or data-kb-*: the theme's and kb's scripts read those and act on them.
    "div": frozenset({"data-tabs", "data-snippet", "data-source"}),
    "span": frozenset({"data-source"}),
}
# Values an attribute may take, where any other value would be a hazard or a form control.
ATTRIBUTE_VALUES: dict[str, dict[str, set[str]]] = {"input": {"type": {"radio", "checkbox"}}}
STYLE_PROPERTIES: frozenset[str] = frozenset({"text-align", "vertical-align", "width", "min-width", "max-width"})
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "ftp", "ftps"})


# Names an author's element may not take (``id``, ``name``, label ``for``): the theme's and kb's
# scripts look elements and globals up by them, and an element named so would stand in for theirs
# (DOM clobbering: a ``<div id="__config">`` before the theme's own would hand it a configuration
# of the author's). Markdown's own ``__`` names (line anchors, code spans, content tabs) stay.
_RESERVED_NAME = re.compile(r"__(?!codelineno-|span-|tabbed_)|.*\$|kb[A-Z]|cytoscape$")
_NAMING = frozenset({"id", "name", "for"})


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """nh3's ``attribute_filter``: reserved names are dropped, every other value kept."""
    if attribute in _NAMING and _RESERVED_NAME.match(value):
        return None
    return value


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        attribute_filter=_filter,
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT),
        attributes={"*": set(GENERIC_ATTRIBUTES), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
        tag_attribute_values=ATTRIBUTE_VALUES,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None,  # links keep their own rel: none is added, none is allowed
        strip_comments=True,
    )


@cache
def _text_only() -> nh3.Cleaner:
    return nh3.Cleaner(tags=set(), clean_content_tags=set(CLEAN_CONTENT), attributes={}, url_schemes=set())


def clean_html(fragment: str) -> str:
    """``fragment`` (HTML of a page body) with only the allowed elements, attributes and URLs.

    Text is re-serialised (``>`` in text becomes ``&gt;``…), which a browser reads the same.
    """
    return _cleaner().clean(fragment)


def clean_label(value: str) -> str:
    """The plain text of a label (a tag, a name): markup removed, entities decoded, spaces collapsed.

    ``<b>PyTorch</b>`` → ``PyTorch``; ``<img src=x onerror=alert(1)>`` → ``""``; ``a &amp; b`` → ``a & b``.
    The result is text, still to be escaped where it lands in HTML.
    """
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    text = html.unescape(_text_only().clean(value))
    # what an escaped tag decodes to is text, not markup: the angle brackets go
    return " ".join(text.replace("<", " ").replace(">", " ").split())


@dataclass(frozen=True, slots=True)
class Change:
    """One piece of raw HTML of a Markdown text that the sanitiser changed (1-based line)."""

    line: int
    before: str
    after: str


# A Markdown link or image destination with a scheme that no reader should follow.
# Inline ``[x](javascript:…)`` and reference definitions ``[x]: javascript:…``.
_BAD_DESTINATION = re.compile(r"(\]\(\s*<?\s*|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?[ \t]*)((?:java|vb)script|data|file)\s*:", re.I | re.M)


def clean_markdown_html(markdown: str) -> tuple[str, list[Change]]:
    """Markdown with its raw HTML sanitised and ``javascript:``/``data:`` link destinations disarmed.

    Blocks of raw HTML go through :func:`clean_html` whole; inline tags one by one (an opening tag
    keeps its allowed attributes, a closing tag stays if its element is allowed). Plain comments stay.
    Where HTML, code and math are comes from the one Markdown reader (:func:`kbtools.body.read_body`):
    code is text and left as it is, and a tag inside a wikilink is part of a note's name.
    Returns the new text and what changed, by line.
    """
    from .body import read_body

    doc = read_body(markdown)
    edits: list[tuple[int, int, str]] = []
    changes: list[Change] = []
    for start, end, block in doc.html:
        before = markdown[start:end]
        if block:
            if _COMMENT.fullmatch(before.strip()):
                continue  # comments carry no markup (the vault's own ``<!-- kb:snippet … -->`` markers)
            after = clean_html(before)
            if _same_tags(before, after):
                continue  # nothing was removed: the author's text stays as written (md_in_html blocks included)
            changes.append(Change(_line(markdown, start), before.strip(), after.strip()))
            if not after and markdown.startswith("\n", end):
                end += 1  # an emptied block leaves no line behind
        else:
            after = _clean_tag(before)
            if after == before:
                continue
            changes.append(Change(_line(markdown, start), before, after))
        edits.append((start, end, after))
    last = 0
    for start, end in [*_merged(doc.code), (len(markdown), len(markdown))]:
        edits += _disarm(markdown, last, start, changes)
        last = max(last, end)
    out = markdown
    for start, end, after in sorted(edits, reverse=True):
        out = out[:start] + after + out[end:]
    return out, sorted(changes, key=lambda c: c.line)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _disarm(text: str, start: int, end: int, changes: list[Change]) -> list[tuple[int, int, str]]:
    """``[x](javascript:…)`` → ``[x](#javascript:…)`` in ``text[start:end]`` (prose, no code): a link
    to an anchor that does not exist. One change per line."""
    edits = []
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        new = _BAD_DESTINATION.sub(lambda m: f"{m.group(1)}#{m.group(2)}:", line)
        if new != line:
            changes.append(Change(_line(text, pos), line.strip(), new.strip()))
            edits.append((pos, pos + len(line), new))
        pos += len(line)
    return edits


_COMMENT = re.compile(r"<!--(?:(?!--)[^<>])*-->")  # a comment no browser could read as markup
_OPENING = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_CLOSING = re.compile(r"</\s*([A-Za-z][A-Za-z0-9-]*)\s*>")
_VOID = frozenset({"br", "hr", "img", "input", "wbr", "col"})


def _clean_tag(tag: str) -> str:
    """One inline tag as markdown-it-py reads it: an opening or closing tag, or a comment."""
    if m := _CLOSING.fullmatch(tag):
        return tag if m.group(1).lower() in TAGS else ""
    if _COMMENT.fullmatch(tag):
        return tag
    m = _OPENING.match(tag)
    if m is None:  # a comment that could hide markup, a processing instruction, a declaration
        return ""
    name = m.group(1).lower()
    cleaned = clean_html(tag)
    if name in TAGS and name not in _VOID:
        cleaned = cleaned.removesuffix(f"</{name}>")  # the sanitiser closes what it opens: the author's own closing tag follows
    return tag if _same_tags(tag, cleaned) else cleaned


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, tuple(sorted((k, v or "") for k, v in attrs))))


def _same_tags(before: str, after: str) -> bool:
    """Whether the sanitiser kept every element and attribute of ``before`` (it may have closed
    elements or re-spelled text, which changes nothing a reader sees)."""
    seen = []
    for text in (before, after):
        parser = _StartTags()
        parser.feed(text)
        parser.close()
        seen.append(parser.found)
    return seen[0] == seen[1]
