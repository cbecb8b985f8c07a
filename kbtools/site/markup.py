"""Small builders of HTML and Markdown text. Every untrusted string goes through here.

Titles, aliases, tags and link labels come from notes anyone can write: they are escaped
for the context they land in (HTML text, HTML attribute, Markdown inline text) and never
pasted raw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

# A code block as pymdownx and Pygments write it (and as the sanitiser leaves it): a <pre>, maybe
# a <code>, then only text, <span class="…"> and </span>, and empty line anchors <a id… href…></a>;
# attribute values hold no < or >, and no <pre> is inside. Any other HTML and it does not match.
# Possessive quantifiers (*+, ++): nothing is tried twice, so a block that does not match costs
# one pass over it, never the exponential backtracking of (?:[^<]+)* over a long text.
_ATTRS = r'(?: [\w-]+="[^"<>]*+")*+'
CODE_BLOCK = re.compile(rf'<pre{_ATTRS}>(?:<span></span>)?(?:<code{_ATTRS}>)?(?:[^<]++|<span class="[\w -]*+">|</span>|<a{_ATTRS}></a>)*+(?:</code>)?</pre>')
# Inside such a block, the tags that only colour the code or anchor its lines.
CODE_COLOURING = re.compile(rf'<span class="[\w -]*">|<span>|</span>|<a{_ATTRS}></a>')

# HTML's own characters as entities, and those Markdown (and its table and emphasis extensions)
# would read as markup as numeric references: they print as text whatever extensions are on.
# One pass, so that no entity is escaped twice.
_MD_ENTITIES = str.maketrans(
    {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;"} | {c: f"&#{ord(c)};" for c in "\\`*_[]{}()#+-.!|~^=:$"}
)


def text(value: object) -> Markup:
    """Escaped HTML text (or attribute value: quotes are escaped too)."""
    return escape(str(value))


def md_text(value: str) -> str:
    """Inline Markdown that prints ``value`` as is: no tags, no emphasis, no links."""
    return value.translate(_MD_ENTITIES)


def attrs(**values: object) -> Markup:
    """`` name="value"`` pairs, escaped; ``None`` and ``False`` values are left out, ``class_`` is ``class``."""
    return Markup(
        "".join(f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in values.items() if value is not None and value is not False)
    )


def element(tag: str, content: object = "", **values: object) -> Markup:
    """``<tag …>content</tag>``; ``content`` is escaped unless it is already ``Markup``."""
    return Markup(f"<{tag}{attrs(**values) if values else ''}>{escape(content)}</{tag}>")


def link(href: str, label: object, **values: object) -> Markup:
    return element("a", label, href=href, **values)


def join(parts: Iterable[object], sep: str = "") -> Markup:
    """Concatenate, escaping the parts that are not ``Markup`` yet."""
    return Markup(escape(sep)).join(escape(p) for p in parts)


def script_json(data: str) -> str:
    """JSON text made safe inside ``<script>``: no ``</script>``, ``<!--`` or entity can close or bend it.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where ``\\u003c`` and friends mean the
    same character, so the data parses back identically.
    """
    return data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
