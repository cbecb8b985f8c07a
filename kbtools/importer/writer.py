"""Render a note in the vault's exact dialect and write it atomically.

The dialect is what ``yaml.safe_dump`` writes with block lists and no line folding: keys in
the vault's order, list items flush with their key, ISO dates and wikilinks single-quoted
(``date_creation: '2026-11-23'``, ``- '[[Présentation de Keras]]'``).
"""

from __future__ import annotations

import yaml

from .. import schema

# The order the vault's notes use; anything else follows, origin last.
KEY_ORDER = (
    "title", "type", "aliases", "tags", "date_creation", "date_modification", "description",
    *schema.RELATIONS, "author", "url", "date_published", "language", *schema.TOLERATED_KEYS,
)  # fmt: skip


def frontmatter(fields: dict[str, object], origin: dict[str, object] | None = None) -> str:
    """The YAML between the ``---`` lines, keys in the vault's order."""
    ordered = {k: fields[k] for k in KEY_ORDER if k in fields}
    ordered.update({k: v for k, v in fields.items() if k not in ordered})
    if origin:
        ordered[schema.ORIGIN_KEY] = origin
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, default_flow_style=False, width=float("inf"))


def render(fields: dict[str, object], body: str, origin: dict[str, object] | None = None) -> str:
    """A whole note: frontmatter, then the body with no leading blank lines and one final newline."""
    body = body.strip("\n")
    return f"---\n{frontmatter(fields, origin)}---\n{body}\n" if body else f"---\n{frontmatter(fields, origin)}---\n"


