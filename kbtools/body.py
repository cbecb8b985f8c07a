"""Read the Markdown body of a note: links, embeds, headings, block ids and code, with positions.

This is the one Markdown reader of the project: the checks, the graph, the site and the importer
all ask it where links and code are. It tokenizes with markdown-it-py (CommonMark, tables,
``$…$`` / ``$$…$$`` math) and adds Obsidian's link grammar as an inline rule, so that nothing
inside code (fenced, indented, inline), HTML, comments or math is ever a link, and an escaped
``\\[[`` is text.

A body with no character that could open code, HTML, math, an escape, a table, a Markdown link or
an indented block takes a fast path: there a regular expression finds exactly what the tokenizer
would (``tests/core/test_body.py`` holds the two paths equal on generated bodies).

Positions: ``line`` is 0-based in the body, ``col`` 1-based; ``start``/``end`` are offsets in the body.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .wikilinks import WIKILINK, WikiLink, wikilink_from_match

# Characters after which the fast path could be wrong.
_SLOW_CHARS = "`~$<\\\t"  # code, math, HTML, escapes, tabs
_IMAGE = re.compile(r"!\[(?!\[)")
# Lines that may open indented code, underline a setext heading, or be a table's delimiter row
# (``| --- | :-: |``): a pipe elsewhere (``[[A|texte]]``) changes nothing.
_SLOW_LINE = re.compile(r"\n(?: {4}| {0,3}(?:=+|-+)[ \t]*\n|[ \t]*\|?[ \t]*:?-+:?[ \t]*\|)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$", re.M)
_BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$")
_BLOCK_IDS = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$", re.M)
_INLINE_MARKUP = re.compile(r"[*_`]+|<[^>]+>")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class BodyLink:
    """A link of the body: a wikilink or embed (``markdown`` false) or a Markdown link/image to a
    relative path (``markdown`` true; ``link.target`` is then the decoded path)."""

    link: WikiLink
    line: int
    col: int
    start: int
    end: int
    markdown: bool = False


@dataclass(frozen=True, slots=True)
class Heading:
    text: str  # as rendered: wikilinks show their text, no emphasis markers
    level: int
    line: int


@dataclass(frozen=True, slots=True)
class BlockId:
    """An Obsidian block id ``^id``: at the end of a paragraph, or alone after a list or quote."""

    id: str
    line: int  # line of the marker
    start: int  # offset of the marker (from the space before ``^``, if any)
    end: int
    alone: bool  # the marker is a paragraph of its own: it names the block before it


@dataclass(frozen=True, slots=True)
class Fence:
    info: str
    content: str
    line: int  # line of the opening fence
    end: int = -1  # line after the block (the closing fence's line + 1, or the end of its container)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    col: int
    code: str
    message: str
    hint: str = ""


@dataclass(slots=True)
class Body:
    links: list[BodyLink] = field(default_factory=list)
    _headings: list[Heading] | None = None  # None: read from _text on first use (fast path)
    _blocks: list[BlockId] | None = None
    fences: list[Fence] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)  # offsets of code, HTML and math
    html: list[tuple[int, int, bool]] = field(default_factory=list)  # raw HTML: offsets, and whether it is a block
    problems: list[Problem] = field(default_factory=list)

    _text: str = ""

    @property
    def headings(self) -> list[Heading]:
        if self._headings is None:
            self._read_structure()
        return self._headings

    @property
    def blocks(self) -> list[BlockId]:
        if self._blocks is None:
            self._read_structure()
        return self._blocks

    def _read_structure(self) -> None:
        """Headings and block ids of a body read by the fast path (no code there: regexes are exact)."""
        text, starts = self._text, _line_starts(self._text)
        self._headings = [Heading(_plain_heading(m.group(2) or ""), len(m.group(1)), _line_col(starts, m.start())[0]) for m in _ATX.finditer(text)]
        self._blocks = []
        if "^" in text:
            heading_lines = {h.line for h in self._headings}
            for m in _BLOCK_IDS.finditer(text):
                number, _ = _line_col(starts, m.start())
                if number not in heading_lines:
                    alone = not text[starts[number] : m.start()].strip()
                    self._blocks.append(BlockId(m.group(1), number, m.start(), m.end(), alone))

    def heading_texts(self) -> list[str]:
        return [h.text for h in self.headings]

    def block_ids(self) -> set[str]:
        return {b.id for b in self.blocks}


def read_body(text: str) -> Body:
    """Everything the tools need from a Markdown body. Never raises; linear in the text's size.

    The result is shared (callers only read it): a build reads a note's body several times
    (its links, its embeds, its wikilinks rendered), and a body that needs the tokenizer is
    tokenized once, for the last few thousand texts."""
    if _needs_tokenizer(text):
        return _tokenized(text)
    return _fast(text)


def _needs_tokenizer(text: str) -> bool:
    """Whether ``text`` holds anything that could make a regular expression read links wrongly."""
    if any(ch in text for ch in _SLOW_CHARS) or "](" in text or "]:" in text:
        return True
    if "![" in text and _IMAGE.search(text):
        return True
    return bool(_SLOW_LINE.search("\n" + text + "\n"))


# -- fast path ---------------------------------------------------------------------------------


def _fast(text: str) -> Body:
    body = Body(_text=text)  # headings and block ids are read when first asked for
    starts = _line_starts(text) if "[[" in text else [0]
    for m in WIKILINK.finditer(text):
        link = wikilink_from_match(m)
        if link is not None:
            line, col = _line_col(starts, m.start())
            body.links.append(BodyLink(link, line, col, m.start(), m.end()))
    return body


# -- tokenizer path ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    # Only what decides where links and code are: emphasis, entities and line breaks do not.
    md.disable(["emphasis", "entity", "newline", "autolink"], ignoreInvalid=True)
    md.inline.ruler.before("link", "kb_wikilink", _wikilink_rule)
    for name in ("backticks", "math_inline"):
        _record(md, name, "code")
    _record(md, "html_inline", "html")
    for name in ("link", "image"):
        _record(md, name, "mdlink")
    md.normalizeLink = lambda url: url  # keep destinations as written; they are decoded below
    md.validateLink = lambda url: True
    md.core.ruler.disable("inline")  # inline content is parsed on demand, only where it matters
    return md


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] not in "![" or not (src.startswith("[[", pos) or src.startswith("![[", pos)):
        return False
    m = WIKILINK.match(src, pos)
    if not m:
        return False
    if not silent:
        token = state.push("kb_wikilink", "", 0)
        token.meta = {"match": m}
        state.env["kb"].append(("wiki", pos, m.end(), m))
    state.pos = m.end()
    return True


def _record(md: MarkdownIt, name: str, kind: str) -> None:
    """Wrap an inline rule so that the span it consumes is recorded with its offsets."""
    rule = md.inline.ruler.__find__(name)
    if rule < 0:  # a rule this markdown-it build does not have
        return
    original = md.inline.ruler.__rules__[rule].fn

    def wrapped(state: StateInline, silent: bool) -> bool:
        start, before = state.pos, len(state.tokens)
        ok = original(state, silent)
        if ok and not silent:
            state.env["kb"].append((kind, start, state.pos, state.tokens[before:] if kind == "mdlink" else None))
        return ok

    md.inline.ruler.__rules__[rule].fn = wrapped
    md.inline.ruler.__compile__()


@lru_cache(maxsize=4096)
def _tokenized(text: str) -> Body:
    md = _parser()
    body = Body(_headings=[], _blocks=[])
    starts = _line_starts(text)
    lines = text.split("\n")
    tokens = md.parse(text)
    cursor: dict[int, int] = {}  # per source line, where the next inline content may start
    heading_level = 0
    for i, tok in enumerate(tokens):
        if tok.type in ("fence", "code_block", "html_block", "math_block", "math_block_label") and tok.map:
            first, last = tok.map
            end = starts[last] - 1 if last < len(starts) else len(text)
            body.code.append((starts[first], max(starts[first], end)))
            if tok.type == "html_block":
                body.html.append((starts[first], max(starts[first], end), True))
            if tok.type == "fence":
                body.fences.append(Fence(tok.info.strip(), tok.content, first, last))
            continue
        if tok.type == "heading_open":
            heading_level = int(tok.tag[1])
            continue
        if tok.type != "inline" or tok.map is None:
            continue
        opener = tokens[i - 1].type
        if heading_level:
            body.headings.append(Heading(_plain_heading(tok.content), heading_level, tok.map[0]))
        heading_level = 0
        needs_inline = any(c in tok.content for c in "[`<$")
        if not needs_inline and not (opener == "paragraph_open" and "^" in tok.content):
            continue
        mapping = _content_map(tok.content, tok.map[0], lines, starts, cursor)
        if opener == "paragraph_open":
            _paragraph_block_id(body, tok.content, mapping, text)
        if needs_inline:
            env: dict = {"kb": []}
            md.inline.parse(tok.content, md, env, [])
            _collect(body, env["kb"], tok, mapping, starts, table_cell=opener in ("td_open", "th_open"))
    body.links.sort(key=lambda b: b.start)
    return body


def _collect(body: Body, events: list, tok, mapping, starts: list[int], table_cell: bool) -> None:
    for kind, start, end, payload in events:
        a, b = mapping(start), mapping(end)
        if kind in ("code", "html"):
            body.code.append((a, b))
            if kind == "html":
                body.html.append((a, b, False))
        elif kind == "wiki":
            link = wikilink_from_match(payload)
            if link is not None:
                line, col = _line_col(starts, a)
                body.links.append(BodyLink(link, line, col, a, b))
        else:
            link = _markdown_link(payload)
            if link is not None:
                line, col = _line_col(starts, a)
                body.links.append(BodyLink(link, line, col, a, b, markdown=True))
    if table_cell and "[[" in tok.content and not any(k == "wiki" for k, *_ in events):
        cut = tok.content.find("[[")
        line, col = _line_col(starts, mapping(cut))
        body.problems.append(
            Problem(line, col, "KB117", "a '|' inside this table cell splits a wikilink", "write the pipe as '\\|' inside tables")
        )


def _markdown_link(made: list) -> WikiLink | None:
    """A Markdown link or image to a relative path of the vault: ``[t](Autre%20note.md#s)``."""
    # ``made`` may begin with the text the rule flushed before it
    first = next((k for k, t in enumerate(made) if t.type in ("link_open", "image")), None)
    if first is None:
        return None
    opener = made[first]
    href = opener.attrGet("href") if opener.type == "link_open" else opener.attrGet("src")
    href = (href or "").strip()
    if not href or href.startswith(("#", "/", "//")) or _SCHEME.match(href):
        return None
    path, _, fragment = href.partition("#")
    path = unquote(path.split("?", 1)[0])
    if not path:
        return None
    label = "".join(t.content for t in made[first + 1 :] if t.type == "text") if opener.type == "link_open" else ""
    return WikiLink(path, unquote(fragment), label, embed=opener.type == "image")


def _paragraph_block_id(body: Body, content: str, mapping, text: str) -> None:
    last_nl = content.rfind("\n")
    last_line = content[last_nl + 1 :]
    m = _BLOCK_ID.search(last_line)
    if not m:
        return
    start = mapping(last_nl + 1 + m.start())
    end = mapping(last_nl + 1 + m.end())
    alone = last_nl < 0 and m.start() == 0
    line = text.count("\n", 0, start)
    body.blocks.append(BlockId(m.group(1), line, start, end, alone))


def _content_map(content: str, first_line: int, lines: list[str], starts: list[int], cursor: dict[int, int]):
    """Offset in an inline token's content → offset in the body. Each content line is the source
    line minus its container prefix (quote markers, list indentation); a table cell is its source
    text with ``\\|`` read as ``|``."""
    content_starts: list[int] = []  # content offset where each line starts
    body_starts: list[int] = []  # body offset of the same character
    cells: dict[int, list[int]] = {}  # line index → body offset of each character (table cells)
    previous = ""
    for k, piece in enumerate(content.split("\n")):
        number = min(first_line + k, len(lines) - 1)
        source = lines[number]
        content_starts.append(content_starts[-1] + len(previous) + 1 if content_starts else 0)
        previous = piece
        from_col = cursor.get(number, 0)
        found = source.find(piece, from_col) if piece else from_col
        if found < 0 and "|" in piece:
            chars = _unescaped_positions(piece, source, from_col)
            if chars is not None:
                cells[k] = [starts[number] + c for c in chars]
                cursor[number] = chars[-1] + 1 if chars else from_col
                body_starts.append(cells[k][0] if chars else starts[number] + from_col)
                continue
        if found < 0:
            found = max(source.find(piece), 0)
        cursor[number] = found + len(piece)
        body_starts.append(starts[number] + found)

    def mapping(pos: int) -> int:
        k = max(bisect_right(content_starts, pos) - 1, 0)
        rel = pos - content_starts[k]
        if k in cells:
            chars = cells[k]
            return chars[rel] if rel < len(chars) else (chars[-1] + 1 + rel - len(chars) if chars else body_starts[k])
        return body_starts[k] + rel

    return mapping


def _unescaped_positions(piece: str, source: str, from_col: int) -> list[int] | None:
    """Columns in ``source`` of each character of ``piece``, where ``piece`` is ``source`` text with
    each ``\\|`` read as ``|`` (how markdown-it hands a table cell over)."""
    pattern = "".join(r"\\?\|" if ch == "|" else re.escape(ch) for ch in piece)
    m = re.compile(pattern).search(source, from_col)
    if m is None:
        return None
    out: list[int] = []
    col = m.start()
    for ch in piece:
        if ch == "|" and source[col] == "\\":
            col += 1
        out.append(col)
        col += 1
    return out


def _plain_heading(markdown: str) -> str:
    text = WIKILINK.sub(lambda m: (wikilink_from_match(m) or WikiLink("")).text_plain, markdown)
    return _INLINE_MARKUP.sub("", text).strip()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def _line_col(starts: list[int], offset: int) -> tuple[int, int]:
    """0-based line and 1-based column of an offset, by bisection (linear reading overall)."""
    line = bisect_right(starts, offset) - 1
    return line, offset - starts[line] + 1
