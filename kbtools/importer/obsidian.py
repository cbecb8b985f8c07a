"""Obsidian notes already in the vault's dialect: keys kept, relations kept as wikilinks."""

from __future__ import annotations

from ..wikilinks import parse_wikilink
from .item import ImportItem
from .markdown import front_matter, title_from_meta_or_h1


def parse(item: ImportItem, text: str) -> None:
    """Front matter as metadata; the title is its ``title`` (else a leading H1)."""
    front_matter(item, text)
    title_from_meta_or_h1(item)


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
