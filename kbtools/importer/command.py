"""``kb import``: read, repair, map, place, link, write, then check the vault as ``kb check`` would."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

from ..atomic import write_atomic
from ..config import load_config
from ..diagnostics import Diagnostic, KBError
from ..ids import title_key
from ..notes import read_vault
from . import cms, commentjson, detect, markdown, obsidian, plaintext
from .decode import ImportFailure, read_text
from .item import FAILED, SKIPPED, UNCHANGED, ImportItem
from .linking import autolink, check_body_links, check_relations
from .mapping import map_item
from .normalise import align_tags
from .plan import finish, place, shown
from .repair import repair_text, suspicions
from .report import CheckResult, render_json, render_text
from .safety import sanitise_body

PARSERS = {
    detect.OBSIDIAN: obsidian.parse,
    detect.CMS: cms.parse,
    detect.COMMENT_JSON: commentjson.parse,
    detect.MARKDOWN: markdown.parse,
    detect.PLAIN: plaintext.parse,
}
_SKIP_SUFFIXES = (".tmp", ".swp", ".pyc")


def prepare(path: Path, *, today: date, type_override: str | None = None) -> ImportItem:
    """Read, detect, repair, parse and map one input; a failure is recorded on the item, never raised."""
    item = ImportItem(source=path, shown=shown(path))
    try:
        data, text, encoding = read_text(path, item.shown)
        item.content_hash = "sha256:" + hashlib.sha256(data).hexdigest()[:16]
        if encoding != "utf-8":
            item.notes.append(f"decoded from {encoding.upper()}")
        item.detection = detect.detect(text)
        markdown_like = item.format != detect.PLAIN
        text, repairs = repair_text(text, markdown=markdown_like)
        item.repairs.extend(repairs)
        for line, message in suspicions(text, markdown=markdown_like):
            item.warn("KB502", message, "not repaired: check the text by hand", line)
        PARSERS[item.format](item, text)
        sanitise_body(item)
        map_item(item, today=today, type_override=type_override)
    except ImportFailure as failure:
        item.status = FAILED
        item.diagnostics.append(failure.diagnostic)
    return item


def expand(sources: list[str]) -> list[Path]:
    """Files given, and the files inside folders given (hidden ones left out), in a stable order."""
    paths: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            paths.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts) and p.suffix not in _SKIP_SUFFIXES
            )  # fmt: skip
        else:
            paths.append(path)
    return paths


def target_folder(into: str, vault: Path) -> Path:
    """The folder ``--into`` names, resolved (``..`` and symlinks included); it must lie inside the vault.

    A relative ``--into`` is taken from the working directory (``docs/imports``); it is taken from
    the vault (``imports``) only when it has no ``..`` and its first part does not exist in the
    working directory, so a path is never quietly read in a second way that lands elsewhere.
    Raises KB401 when the resolved folder is outside the vault ``vault`` (itself resolved).
    """
    folder = Path(into)
    if not folder.is_absolute():
        here = Path.cwd() / folder
        from_vault = ".." not in folder.parts and bool(folder.parts) and not os.path.lexists(Path.cwd() / folder.parts[0])
        folder = vault / folder if from_vault and not _inside(here.resolve(), vault) else here
    resolved = folder.resolve()
    if not _inside(resolved, vault):
        where = "" if resolved == folder.absolute() else f" (it leads to {resolved})"
        raise KBError(Diagnostic(into, 1, 1, "KB401", f"--into {into} is not inside the vault {shown(vault)}{where}",
                                 "give a folder of the vault, e.g. docs/imports"))
    return resolved


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def run_import(
    sources: list[str],
    into: str,
    *,
    vault: str | None = None,
    config_file: str | None = None,
    dry_run: bool = False,
    output: str = "text",
    type_override: str | None = None,
    today: date | None = None,
) -> int:
    """Import ``sources`` into the folder ``into`` of the vault; print the report; 1 if any file failed."""
    config = load_config(vault, config_file)
    folder = target_folder(into, config.vault)
    today = today or date.today()
    notes = read_vault(config.vault, config.keys, config.exclude, config.max_note_bytes).notes
    items = [prepare(path, today=today, type_override=type_override) for path in expand(sources)]
    ready = [item for item in items if item.status != FAILED]
    known_tags = {title_key(tag): tag for note in notes for tag in note.tags}
    for item in ready:
        if isinstance(tags := item.fields.get("tags"), list):
            item.fields["tags"], changed = align_tags(tags, known_tags)
            if changed:
                item.notes.append("tags spelled as in the vault: " + ", ".join(changed))
    index, placed = place(ready, notes, config.vault, folder)
    for item in ready:
        if item.status == SKIPPED:
            continue
        me = placed[id(item)].stub
        check_relations(item, index, me)
        check_body_links(item, index)
        autolink(item, index, me)
        finish(item, placed[id(item)].existing, today)
    changed = [item for item in ready if item.status not in (SKIPPED, UNCHANGED)]
    check = None
    if not dry_run:
        check = CheckResult.measure(config, lambda: _write(changed), needed=bool(changed))
        check.attach(items)
    render = render_json if output == "json" else render_text
    print(render(items, folder=folder, dry_run=dry_run, check=check))
    failed = any(item.failed for item in items) or (check is not None and check.errors)
    return 1 if failed else 0


def _write(items: list[ImportItem]) -> None:
    for item in items:
        assert item.target is not None and item.new_text is not None
        write_atomic(item.target, item.new_text)
