"""Markdown that opens with an HTML comment holding JSON metadata, as translation tools write it:

``<!-- CO_OP_TRANSLATOR_METADATA: {"source_file": …, "language_code": "fr", …} -->``
"""

from __future__ import annotations

from .detect import comment_json
from .item import ImportItem
from .markdown import title_from_meta_or_h1

_END = "-->"


def parse(item: ImportItem, text: str) -> None:
    """The JSON object is the metadata, the comment's label is kept; the first H1 is the title."""
    found = comment_json(text)
    if found is None:  # detection saw it: only a repair could have broken it, so fall back to plain Markdown
        item.body = text
    else:
        item.meta_label, item.meta = found[0], dict(found[1])
        end = text.index(_END) + len(_END)
        item.body = text[end:]
        item.body_line = text.count("\n", 0, end) + 1
    title_from_meta_or_h1(item)
