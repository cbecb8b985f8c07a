"""Obsidian notes already in the vault's dialect: keys kept, relations kept as wikilinks."""

from __future__ import annotations

from ..wikilinks import parse_wikilink
from .item import ImportItem
from .markdown import front_matter, take_h1


def parse(item: ImportItem, text: str) -> None:
    """Front matter as metadata; the title is its ``title`` (else a leading H1)."""
    front_matter(item, text)
    title = item.meta.get("title")
    if isinstance(title, str) and title.strip():
        item.title, item.title_from = title, "title"
        take_h1(item, only_if=title)
    elif (h1 := take_h1(item)) is not None:
        item.title, item.title_from = h1, "H1"


def relation_links(value: object) -> tuple[list[str], list[str]]:
    """Wikilinks of a relation value written quoted or not, as a scalar or a list.

    Returns the links and the plain names that were wrapped into ``[[…]]``.
    """
    items = value if isinstance(value, list) else [value]
    links: list[str] = []
    wrapped: list[str] = []
    for raw in items:
        if not isinstance(raw, str) or not raw.strip():
            continue
        text = raw.strip()
        if parse_wikilink(text) is None:
            # `seeAlso: Keras` means the note named Keras: write it the way the vault reads it
            if any(ch in text for ch in "[]|#\n"):
                continue
            wrapped.append(text)
            text = f"[[{text}]]"
        if text not in links:
            links.append(text)
    return links, wrapped
