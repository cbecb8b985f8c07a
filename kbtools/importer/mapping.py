"""Original metadata → the vault's frontmatter; what has no place there is kept under ``origin:``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date

from .. import schema
from ..ids import title_key
from ..notes import parse_date
from . import detect
from .item import ImportItem
from .language import detect_language
from .normalise import authors, dedupe, normalise_tags, strings
from .obsidian import relation_links
from .plaintext import fold
from .repair import repair_value
from .safety import clean_field, clean_tags

# Original keys (folded: no accents, case, '_', '-' or spaces) that feed each vault key, by priority.
DESCRIPTION = ("description", "subtitle", "seodesc", "seodescription", "summary", "resume", "abstract", "excerpt")
URL = ("url", "originalurl", "canonicalurl", "canonical", "sourceurl", "link", "lien")
PUBLISHED = ("datepublished", "date", "translationdate", "published", "publishedat", "pubdate", "publicationdate")
LANGUAGE = ("language", "languagecode", "lang", "locale", "langue")
# Every one of these is used, in this order (author + co_authors).
AUTHORS = ("author", "authors", "auteur", "auteurs", "coauthors", "orateur", "orateurs", "speaker", "speakers", "intervenant", "intervenants")
TAGS = ("tags", "keywords", "motscles", "categories", "thematique", "theme", "sujet", "topic")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # what shapes.ttl accepts
_URL = re.compile(r"^https?://\S+$")
_UNSAFE_TITLE = str.maketrans({"[": "(", "]": ")", "|": "-", "#": "", "^": ""})


def canonical(key: str) -> str:
    """A key as the tables above spell it: ``originalURL`` and ``original_url`` are both ``originalurl``."""
    return re.sub(r"[\s_-]", "", fold(key))


class _Original:
    """The original metadata, looked up by folded key; remembers which keys found a place."""

    def __init__(self, item: ImportItem):
        self.item = item
        # An Obsidian note's keys mean what the vault says: its `date` is no publication date.
        self.obsidian = item.format == detect.OBSIDIAN
        self.by_key = {canonical(k): k for k in item.meta}
        self.used: set[str] = set()

    def keys(self, candidates: tuple[str, ...]) -> list[str]:
        """Original keys among ``candidates`` that hold something, in priority order."""
        wanted = candidates[:1] if self.obsidian else candidates
        keys = [self.by_key[c] for c in wanted if c in self.by_key]
        return [k for k in keys if k not in self.used and _present(self.item.meta[k])]

    def take(self, candidates: tuple[str, ...], target: str) -> object:
        """The first value among ``candidates``, marked as mapped to ``target``."""
        keys = self.keys(candidates)
        if not keys:
            return None
        self.used.add(keys[0])
        self.item.mapped.append(f"{keys[0]} → {target}")
        return self.item.meta[keys[0]]

    def take_all(self, candidates: tuple[str, ...], target: str, values: Callable[[list[object]], list[str]]) -> list[str]:
        """Values of every key among ``candidates`` merged by ``values`` (author + co_authors)."""
        keys = self.keys(candidates)
        merged = values([self.item.meta[k] for k in keys]) if keys else []
        if merged:
            self.used.update(keys)
            self.item.mapped.append(f"{' + '.join(keys)} → {target}" + (f" ({len(merged)})" if target == "tags" else ""))
        return merged

    def give_back(self, message: str) -> None:
        """The value just taken cannot be written where it was meant to go: it stays in origin."""
        key = self.item.mapped.pop().split(" → ")[0]
        self.used.discard(key)
        self.item.warn("KB505", message, "kept under origin", key=key)


def map_item(item: ImportItem, *, today: date, type_override: str | None = None) -> None:
    """Fill ``item.fields``, ``item.origin``, ``item.mapped``, ``item.kept`` and ``item.ident``."""
    original = _Original(item)
    fields: dict[str, object] = {"title": _title(item)}
    if item.title_from in item.meta:
        original.used.add(item.title_from)
        item.mapped.append(f"{item.title_from} → title")
    fields["type"] = _type(item, type_override, original.used)
    if original.obsidian and (aliases := strings(item.meta.get("aliases"))):
        original.used.add("aliases")
        fields["aliases"] = [a for a in dedupe(aliases) if title_key(a) != title_key(fields["title"])]
    if tags := clean_tags(item, original.take_all(TAGS, "tags", normalise_tags)):
        fields["tags"] = tags
    fields["date_creation"], fields["date_modification"] = _dates(item, today, original.used)
    if isinstance(raw := original.take(DESCRIPTION, "description"), str):
        text, repairs = repair_value(raw, "description")
        item.repairs.extend(repairs)
        if description := clean_field(item, " ".join(text.split()), "description", key=original.item.mapped[-1].split(" → ")[0]):
            fields["description"] = description
    if original.obsidian:
        _relations(item, fields, original.used)
    _source_fields(item, fields, original)
    if original.obsidian:  # keys of the vault's own dialect that nothing above handled (cssclasses…) stay as they are
        for key in schema.TOLERATED_KEYS:
            if key in item.meta and key not in original.used:
                original.used.add(key)
                fields[key] = item.meta[key]
    item.fields = fields
    _origin(item, original.used)


def _relations(item: ImportItem, fields: dict, used: set[str]) -> None:
    for kind in schema.RELATIONS:
        if kind in item.meta:
            used.add(kind)
            links, wrapped = relation_links(item.meta[kind])
            if wrapped:
                item.notes.append(f"{kind}: plain names written as wikilinks: {', '.join(wrapped)}")
            if links:
                fields[kind] = links if len(links) > 1 or isinstance(item.meta[kind], list) else links[0]


def _present(value: object) -> bool:
    return value not in (None, "", [], {}) and not (isinstance(value, str) and not value.strip())


def _title(item: ImportItem) -> str:
    raw = item.title.strip() or item.source.stem
    text, repairs = repair_value(raw, "title")
    item.repairs.extend(repairs)
    text = " ".join(text.split())
    safe = text.translate(_UNSAFE_TITLE).strip()
    if safe != text:
        item.warn("KB505", f"title {text!r} holds characters a wikilink cannot name", f"written as {safe!r}", key=item.title_from)
    return safe or item.source.stem


def _type(item: ImportItem, override: str | None, used: set[str]) -> str:
    if override:
        return override
    if item.format != detect.OBSIDIAN:
        return "source"
    kind = item.meta.get("type")
    if isinstance(kind, str) and kind.strip() in schema.TYPES:
        used.add("type")
        return kind.strip()
    if kind is not None:
        hint = f"written as '{schema.DEFAULT_TYPE}', the original is kept under origin"
        item.warn("KB505", f"type {kind!r} is not a type of the vault", hint, key="type")
    return schema.DEFAULT_TYPE


def _dates(item: ImportItem, today: date, used: set[str]) -> tuple[str, str]:
    found: dict[str, date] = {}
    for key in ("date_creation", "date_modification"):
        raw = item.meta.get(key)
        parsed = parse_date(raw) if isinstance(raw, str) else None
        if parsed is not None:
            found[key] = parsed
            used.add(key)
        elif raw is not None:
            item.warn("KB505", f"{key} {raw!r} is not a date", "today's date is used, the original is kept under origin", key=key)
    created = found.get("date_creation", today)
    modified = max(found.get("date_modification", found.get("date_creation", today)), created)
    return created.isoformat(), modified.isoformat()


def _source_fields(item: ImportItem, fields: dict, original: _Original) -> None:
    """author, url, date_published, language: what a source note says about its original."""
    if names := original.take_all(AUTHORS, "author", authors):
        fields["author"] = names[0] if len(names) == 1 else names
    url = original.take(URL, "url")
    if isinstance(url, str) and _URL.match(url.strip()):
        fields["url"] = url.strip()
    elif url is not None:
        original.give_back(f"url {url!r} is not an http(s) address")
    published = original.take(PUBLISHED, "date_published")
    if isinstance(published, str) and (day := parse_date(published)):
        fields["date_published"] = day.isoformat()
    elif published is not None:
        original.give_back(f"date_published {published!r} is not a date")
    lang = original.take(LANGUAGE, "language")
    if isinstance(lang, str) and _LANG.match(code := lang.strip().replace("_", "-")):
        fields["language"] = code
    elif lang is not None:
        original.give_back(f"language {lang!r} is not a language code")
    if "language" not in fields and fields["type"] == "source":
        found, counts = detect_language(item.body)
        detail = ", ".join(f"{n} {lang} stop words" for lang, n in counts.items())
        if found:
            fields["language"] = found
            item.notes.append(f"language detected: {found} ({detail})")
        else:
            item.notes.append(f"language not detected ({detail})")


def _origin(item: ImportItem, used: set[str]) -> None:
    unmapped = {k: v for k, v in item.meta.items() if k not in used}
    empty = [k for k, v in unmapped.items() if not _present(v)]
    if empty:
        item.notes.append("empty fields dropped: " + ", ".join(empty))
    kept = {k: v for k, v in unmapped.items() if _present(v)}
    item.kept = list(kept)
    url = item.fields.get("url")
    normalised = " ".join(f"{item.fields['title']}\n{item.body}".split())
    item.ident = url if isinstance(url, str) else "sha256:" + hashlib.sha256(normalised.encode()).hexdigest()[:16]
    origin: dict[str, object] = {"id": item.ident, "format": item.format, "file": item.source.name, "hash": item.content_hash}
    if item.meta_label:
        origin["label"] = item.meta_label
    if kept:
        origin["fields"] = kept
    item.origin = origin
