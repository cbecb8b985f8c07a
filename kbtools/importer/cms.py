"""Blog and CMS exports: Markdown with front matter such as title, subtitle, author, co_authors,
date, originalURL, coverImage, tags as ``{name, slug}`` mappings, seo_title, seo_desc, series."""

from __future__ import annotations

from .item import ImportItem
from .markdown import front_matter, take_h1

TITLE_KEYS = ("title", "seo_title", "seoTitle", "name")


def parse(item: ImportItem, text: str) -> None:
    """Front matter as metadata; the title is ``title`` (else ``seo_title``, else a leading H1)."""
    front_matter(item, text)
    for key in TITLE_KEYS:
        value = item.meta.get(key)
        if isinstance(value, str) and value.strip():
            item.title, item.title_from = value, key
            take_h1(item, only_if=value)
            return
    if (h1 := take_h1(item)) is not None:
        item.title, item.title_from = h1, "H1"
