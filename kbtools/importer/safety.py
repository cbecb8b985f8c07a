"""Foreign content made safe before it enters the vault: raw HTML of the body, tags, description.

The same allowlist as the site (:mod:`kbtools.sanitize`): an imported note never carries a
script, an event handler or a ``javascript:`` link into the vault, where Obsidian and the site
would show it. Each change is reported where it stands in the input (KB133 for the body,
KB134 for a field: tags and description are text, markup in them is left out).
"""

from __future__ import annotations

from ..sanitize import clean_label, clean_markdown_html
from .item import ImportItem


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def sanitise_body(item: ImportItem) -> None:
    """Raw HTML of ``item.body`` through the sanitiser; one KB133 warning per changed piece."""
    body, changes = clean_markdown_html(item.body)
    if not changes:
        return
    item.body = body
    for change in changes:
        after = f"written as {_short(change.after)!r}" if change.after else "removed"
        item.warn("KB133", f"unsafe HTML or link {_short(change.before)!r}", after, item.body_line + change.line - 1)


def clean_tags(item: ImportItem, tags: list[str]) -> list[str]:
    """Tags as plain text (markup removed); a tag left empty is dropped. KB134 for each change."""
    out: list[str] = []
    for tag in tags:
        clean = clean_label(tag)
        if clean != tag:
            hint = f"written as {clean!r}" if clean else "left out"
            item.warn("KB134", f"tag {_short(tag)!r} holds markup", hint, key=_tag_key(item))
        if clean and clean not in out:
            out.append(clean)
    return out


def clean_field(item: ImportItem, value: str, name: str, *, key: str) -> str:
    """A text field (``description``) without markup; KB134 at the original ``key`` if it had some."""
    clean = clean_label(value)
    if clean != value:
        hint = f"written as {_short(clean)!r}" if clean else "left out"
        item.warn("KB134", f"{name} {_short(value)!r} holds markup", hint, key=key)
    return clean


def _tag_key(item: ImportItem) -> str:
    """The original key the tags came from, for the diagnostic's position."""
    for entry in item.mapped:
        source, _, target = entry.partition(" → ")
        if target.startswith("tags"):
            return source.split(" + ")[0]
    return "tags"
