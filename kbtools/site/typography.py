"""French spacing in rendered pages: a narrow no-break space (U+202F) before ``; : ! ?`` and inside « ».

French typography (Imprimerie nationale, *Lexique des règles typographiques*) puts a fine
no-break space before the « high » punctuation marks and inside guillemets, so that a line
never starts with ``:`` or ``»``. Authors type a plain space (or none); the site fixes it once,
on the HTML of a page after sanitising, in text nodes only (:class:`html.parser.HTMLParser` tells
text from markup): tags, attributes, comments and the contents of code (``code``, ``pre``,
``kbd``, ``samp``), scripts, styles, forms, math (``.arithmatex``) and SPARQL editors are left
byte for byte as they were, and so are web addresses written in the text.

Rules, on the text of a node (:func:`french_spacing_text`):

- ``«`` followed by spaces (plain, no-break or none) → ``«`` + U+202F; spaces before ``»`` likewise;
- a space (plain or no-break) before ``;``, ``:``, ``!``, ``?`` becomes U+202F when the mark ends
  a clause: it is followed by a space, the end of the text or a closing sign (``:`` and ``;`` are not
  followed by ``)``, so ``:)`` stays an emoticon); ``::`` stays as written;
- with no space, U+202F is added only where the mark follows a letter and ends a clause (followed
  by a space or the end of the text): ``Attention!`` → ``Attention !``, never ``12:30``, ``1:2``,
  ``a:b``, ``x?y`` nor ``http://``.

Applying it twice changes nothing.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .markup import CODE_BLOCK

NNBSP = "\u202f"
# Elements whose text is code, markup for a machine, or a form: never respaced.
SKIPPED_TAGS = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "textarea", "svg", "math", "template"})
# Classes of elements whose text is not prose: math for MathJax, SPARQL editors, the answers of
# the notes' SPARQL blocks (values of the graph, shown as stored), highlighted code.
SKIPPED_CLASSES = re.compile(r"(?:^|\s)(?:arithmatex|kb-sparql[\w-]*|kb-query__table|highlight|notranslate)(?:\s|$)")

_SPACE = "[ \t\n\u00a0\u202f]"
_MARKS = re.compile("[;:!?«»]")
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://\S+|\bwww\.\S+|\b(?:mailto|urn|doi):\S+")
_OPEN = re.compile(r"«" + _SPACE + "*")
_CLOSE = re.compile(_SPACE + "*»")
# A space before a mark that ends a clause. ``:``/``;`` followed by ``)`` or ``(`` are emoticons.
_SPACED_COLON = re.compile(r"(?:(?<=[^\s\u00a0\u202f:;])|^)" + _SPACE + r"+([:;])(?=$|[\s\u00a0\u202f»\"'”])")
_SPACED_BANG = re.compile(r"(?:(?<=[^\s\u00a0\u202f])|^)" + _SPACE + r"+([!?])(?=$|[\s\u00a0\u202f»)\]\"'”.,;:!?…])")
# No space: a letter, then the mark ending the clause.
_BARE = re.compile(r"(?<=[^\W\d_])([:;!?])(?=$|\s)")


def french_spacing_text(text: str, after_letter: bool = False) -> str:
    """``text`` (plain text, not HTML) with French spacing; web addresses left as they are.

    ``after_letter`` says the text before this one (in the previous text node) ends with a letter,
    so a mark at the very start of ``text`` ends a clause too (``<em>Attention</em>!``).
    """
    out: list[str] = []
    pos = 0
    for m in _URL.finditer(text):
        out.append(_fix(text[pos : m.start()], after_letter if pos == 0 else False))
        out.append(m.group(0))
        pos = m.end()
    out.append(_fix(text[pos:], after_letter if pos == 0 else False))
    return "".join(out)


def _fix(text: str, after_letter: bool) -> str:
    if not text:
        return text
    text = _OPEN.sub("«" + NNBSP, text)
    text = _CLOSE.sub(NNBSP + "»", text)
    text = _SPACED_COLON.sub(lambda m: NNBSP + m.group(1), text)
    text = _SPACED_BANG.sub(lambda m: NNBSP + m.group(1), text)
    text = _BARE.sub(lambda m: NNBSP + m.group(1), text)
    if after_letter and text[0] in ":;!?" and (len(text) == 1 or text[1].isspace()):
        text = NNBSP + text
    return text


class _Spacer(HTMLParser):
    """Copies markup as it came and rewrites the text nodes that need it."""

    def __init__(self, skipped: frozenset[str] = SKIPPED_TAGS) -> None:
        super().__init__(convert_charrefs=False)
        self.skipped = skipped
        self.out: list[str] = []
        self.raw: list[str] = []  # the current text node, as written
        self.text: list[str] = []  # the same, entities decoded
        self.skip_tag: str | None = None  # the element whose text is left alone, while inside it
        self.skip_depth = 0
        self.after_letter = False

    # -- text -------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        self.raw.append(data)
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.raw.append(f"&{name};")
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.raw.append(f"&#{name};")
        self.text.append(html.unescape(f"&#{name};"))

    def flush(self) -> None:
        if not self.raw:
            return
        raw, text = "".join(self.raw), "".join(self.text)
        self.raw, self.text = [], []
        if self.skip_tag is not None:
            self.out.append(raw)
            self.after_letter = False
            return
        if not _MARKS.search(text):  # most text nodes: nothing to do
            self.out.append(raw)
            self.after_letter = text[-1:].isalpha()
            return
        fixed = french_spacing_text(text, self.after_letter)
        self.out.append(raw if fixed == text else html.escape(fixed, quote=False))
        self.after_letter = bool(text) and (text[-1].isalpha())

    # -- markup -----------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        self.out.append(self.get_starttag_text() or "")
        if self.skip_tag is not None:
            self.skip_depth += tag == self.skip_tag
        elif tag in self.skipped or SKIPPED_CLASSES.search(dict(attrs).get("class") or ""):
            self.skip_tag, self.skip_depth = tag, 1
        if tag in ("p", "li", "td", "th", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.after_letter = False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.flush()
        self.out.append(f"</{tag}>")
        if self.skip_tag == tag:
            self.skip_depth -= 1
            if self.skip_depth == 0:
                self.skip_tag = None
                self.after_letter = False

    def handle_comment(self, data: str) -> None:
        self.flush()
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.flush()
        self.out.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.flush()
        self.out.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.flush()
        self.out.append(f"<?{data}>")


def french_spacing(fragment: str, keep: tuple[str, ...] = ()) -> str:
    """``fragment`` (HTML of a page body) with French spacing in its prose; markup unchanged.

    ``keep`` names more elements whose text stays as written (``("h1",)``: a source note's title
    is the title of a work, in its own language). Meant for sanitised HTML
    (:func:`kbtools.sanitize.clean_html`), whose end tags are plain ``</tag>``. Never raises on
    odd HTML: what the parser cannot read is copied as text.
    """
    if not any(c in fragment for c in ";:!?«»"):
        return fragment
    parser = _Spacer(SKIPPED_TAGS | frozenset(keep))
    pos = 0
    for m in CODE_BLOCK.finditer(fragment):
        # A code block (highlighted: thousands of tags, all skipped) is copied without being parsed,
        # when the parser has read everything before it (its start is a tag, not text inside one).
        parser.feed(fragment[pos : m.start()])
        pos = m.start()
        if not parser.rawdata:
            parser.flush()
            parser.out.append(m.group(0))
            parser.after_letter = False  # as after any skipped element
            pos = m.end()
    parser.feed(fragment[pos:])
    parser.close()
    parser.flush()
    return "".join(parser.out)
