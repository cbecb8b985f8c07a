"""Tell the shape of an input from its text alone: the user is never asked."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .. import schema
from ..frontmatter import split

OBSIDIAN, CMS, COMMENT_JSON, MARKDOWN, PLAIN = "obsidian", "cms-export", "html-comment-json", "markdown", "plain-text"
FORMATS = (OBSIDIAN, CMS, COMMENT_JSON, MARKDOWN, PLAIN)

# Keys that blog engines and CMS exports write and the vault never does.
CMS_KEYS = frozenset(
    "subtitle co_authors coAuthors series date originalURL original_url canonical_url canonicalURL coverImage cover_image cover "
    "seo_title seo_desc seoTitle seoDescription slug excerpt draft layout categories published publishedAt updated".split()
)
# Keys only the vault dialect uses (title, tags, url… are shared by both).
VAULT_KEYS = frozenset(schema.KNOWN_KEYS) - {"title", "tags", "description", "url", "author", "language"}
_COMMENT = re.compile(r"\A\s*<!--(?P<inside>.*?)-->", re.S)
_MD_SIGNS = {
    "headings": re.compile(r"^#{1,6}\s+\S", re.M),
    "fences": re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M),
    "links": re.compile(r"\]\([^)\s]+\)|\[\[[^\]\n]+\]\]"),
    "bullets": re.compile(r"^ {0,3}[-*+] \S", re.M),
    "emphasis": re.compile(r"(\*\*|__)\S.*?\S\1"),
}


@dataclass(frozen=True, slots=True)
class Detection:
    """The shape of an input and the evidence for it, for the report."""

    format: str
    reason: str


def comment_json(text: str) -> tuple[str, dict] | None:
    """A leading HTML comment holding a JSON object (``LABEL: {…}``): its label and the object."""
    m = _COMMENT.match(text)
    if not m:
        return None
    inside = m.group("inside")
    start, end = inside.find("{"), inside.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        data = json.loads(inside[start : end + 1])
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return inside[:start].strip().rstrip(":").strip(), data


def detect(text: str) -> Detection:
    """Obsidian note, CMS export, Markdown with JSON in a comment, plain Markdown or plain text."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if text.split("\n", 1)[0].rstrip() == "---":
        return _front_matter(text)
    if (found := comment_json(text)) is not None:
        label, data = found
        what = f" ({label})" if label else ""
        return Detection(COMMENT_JSON, f"leading HTML comment with JSON metadata{what}: {', '.join(list(data)[:6])}")
    signs = {name: len(rx.findall(text)) for name, rx in _MD_SIGNS.items()}
    if signs["headings"] or signs["fences"] or signs["links"] or signs["bullets"] + signs["emphasis"] >= 2:
        seen = ", ".join(f"{n} {name}" for name, n in signs.items() if n)
        return Detection(MARKDOWN, f"Markdown without metadata ({seen})")
    return Detection(PLAIN, "no metadata and no Markdown syntax")


def _front_matter(text: str) -> Detection:
    fm, diags = split(text, "<input>")
    if diags:
        return Detection(OBSIDIAN, "front matter that is not valid YAML")
    keys = list(fm.entries)
    cms = [k for k in keys if k in CMS_KEYS]
    vault = [k for k in keys if k in VAULT_KEYS]
    tags = fm.entries.get("tags")
    mapped_tags = tags is not None and isinstance(tags.value.data, list) and any(isinstance(t.data, dict) for t in tags.value.data)
    if mapped_tags:
        cms.append("tags as {name, slug}")
    if cms and len(cms) >= len(vault):
        return Detection(CMS, "front matter with " + ", ".join(cms[:6]))
    if vault:
        return Detection(OBSIDIAN, "front matter in the vault's dialect (" + ", ".join(vault[:6]) + ")")
    return Detection(OBSIDIAN, "front matter with " + (", ".join(keys[:6]) or "no keys"))
