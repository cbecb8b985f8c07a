"""The import plan: where each input goes, under which title, and whether that creates,
updates or leaves a note unchanged. Nothing is overwritten silently: a note is updated in
place only when it came from the same source (same ``origin.id``)."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import schema
from ..ids import rel_path, slugify, title_key
from ..notes import Note
from ..resolve import NameIndex
from .item import CLASH, CREATE, SKIPPED, UNCHANGED, UPDATE, ImportItem
from .writer import render

MAX_SLUG = 60


@dataclass
class Placed:
    """An item's place in the vault: the stub the name index knows it by, and the note it replaces."""

    stub: Note
    existing: Note | None


def origin_id(note: Note) -> str | None:
    """The ``origin.id`` an earlier import gave a note, if any."""
    origin = note.origin
    return origin.get("id") if isinstance(origin, dict) and isinstance(origin.get("id"), str) else None


def shown(path: Path) -> str:
    """A path as messages show it: relative to the working directory when it lies below it, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path.absolute()) if rel.startswith("..") else rel


def place(items: list[ImportItem], notes: list[Note], vault: Path, folder: Path) -> tuple[NameIndex, dict[int, Placed]]:
    """Give each item a target path and a title no other note uses; return the name index of the
    vault as it will be (the items' stubs replacing the notes they update)."""
    ids = {item.ident for item in items}
    by_id = {oid: n for n in notes if (oid := origin_id(n)) is not None}
    others = [n for n in notes if origin_id(n) not in ids]
    names: dict[str, Note] = {}
    for note in others:
        # a file stem counts too: [[pytorch]] written for frameworks/pytorch.md must not start meaning the new note
        for name in (note.title, *note.aliases, note.stem):
            names.setdefault(title_key(name), note)
    planned: dict[Path, ImportItem] = {}
    seen: dict[str, ImportItem] = {}
    placed: dict[int, Placed] = {}
    for item in items:
        if item.ident in seen:
            item.status = SKIPPED
            item.warn("KB503", f"same source as {seen[item.ident].shown} (origin.id {item.ident}), given twice", "imported once")
            continue
        seen[item.ident] = item
        existing = by_id.get(item.ident)
        title = str(item.fields["title"])
        n = 1
        while title_key(_numbered(title, n)) in names:
            n += 1
        if existing is not None:
            target = vault / existing.path
        else:
            slug_n = n
            while (target := folder / f"{_numbered_slug(title, slug_n)}.md").exists() or target in planned:
                slug_n += 1
            if slug_n > 1 or n > 1:
                item.status = CLASH  # a distinct name and file, said so by KB503
            if slug_n > n:
                wanted = folder / f"{_numbered_slug(title, n)}.md"
                what = "another input of this import" if wanted in planned else "a file of the vault"
                item.warn("KB503", f"file name {wanted.name} is taken by {what}", f"written as {target.name}", key=item.title_from)
        if n > 1:
            _rename(item, title, n, shown(vault / names[title_key(title)].path), new=existing is None)
        _drop_clashing_aliases(item, names, vault)
        item.target = target
        planned[target] = item
        item.old_text = target.read_text(encoding="utf-8") if target.is_file() else None
        stub = Note(path=rel_path(target.relative_to(vault).as_posix()), title=str(item.fields["title"]), file=shown(target))
        stub.type = str(item.fields.get("type", schema.DEFAULT_TYPE))
        stub.aliases = list(item.fields.get("aliases", []))
        for name in (stub.title, *stub.aliases):
            names.setdefault(title_key(name), stub)
        placed[id(item)] = Placed(stub, existing)
    index = NameIndex(others + [p.stub for p in placed.values()])
    return index, placed


def _numbered(title: str, n: int) -> str:
    return title if n == 1 else f"{title} ({n})"


def _numbered_slug(title: str, n: int) -> str:
    slug = slugify(title)
    if len(slug) > MAX_SLUG:  # a whole sentence as a file name helps nobody: cut at a word
        slug = slug[: slug.rfind("-", 0, MAX_SLUG + 1)] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug if n == 1 else f"{slug}-{n}"


def _rename(item: ImportItem, title: str, n: int, holder: str, *, new: bool) -> None:
    item.fields["title"] = _numbered(title, n)
    item.origin["title"] = title
    message = f"title {title!r} is already used by {holder}"
    if new:  # said once, when the note is made; later imports of the same source keep the name quietly
        item.warn("KB503", message, f"imported as {item.fields['title']!r}, the original title is kept under origin.title", key=item.title_from)
    else:
        item.notes.append(message + f": kept as {item.fields['title']!r}")


def _drop_clashing_aliases(item: ImportItem, names: dict[str, Note], vault: Path) -> None:
    aliases = item.fields.get("aliases")
    if not isinstance(aliases, list):
        return
    keep = []
    for alias in aliases:
        holder = names.get(title_key(alias))
        if holder is None:
            keep.append(alias)
            continue
        item.origin.setdefault("aliases", []).append(alias)
        item.warn("KB503", f"alias {alias!r} is already a name of {shown(vault / holder.path)}", "left out, kept under origin.aliases", key="aliases")
    if keep:
        item.fields["aliases"] = keep
    else:
        del item.fields["aliases"]


def finish(item: ImportItem, existing: Note | None, today: date) -> None:
    """Render the note and decide its status. An update keeps the existing dates, and moves
    ``date_modification`` to today only when the note really changes."""
    fields = dict(item.fields)
    if existing is not None:
        if "date_creation" not in item.meta and existing.created:
            fields["date_creation"] = existing.created.isoformat()
        if "date_modification" not in item.meta and existing.modified:
            fields["date_modification"] = max(existing.modified.isoformat(), str(fields["date_creation"]))
    text = render(fields, item.body, item.origin)
    if item.old_text is not None and text == item.old_text:
        item.status = UNCHANGED
    elif existing is not None:
        item.status = UPDATE
        if "date_modification" not in item.meta:
            fields["date_modification"] = max(today.isoformat(), str(fields["date_creation"]))
            text = render(fields, item.body, item.origin)
    else:
        item.status = CLASH if item.status == CLASH else CREATE
    item.fields = fields
    item.new_text = text


def diff(item: ImportItem) -> str:
    """The unified diff of the change an item makes (empty when unchanged)."""
    if item.new_text is None or item.target is None or item.status == UNCHANGED:
        return ""
    old = (item.old_text or "").splitlines(keepends=True)
    name = shown(item.target).lstrip("/")
    before = f"a/{name}" if item.old_text is not None else "/dev/null"
    return "".join(difflib.unified_diff(old, item.new_text.splitlines(keepends=True), before, f"b/{name}"))
