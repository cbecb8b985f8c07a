"""What the import did, per file: format, repairs, fields mapped and kept, links, warnings;
then what ``kb check`` says of the vault afterwards. Text for people, JSON for machines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import VaultConfig
from ..diagnostics import Diagnostic
from .item import FAILED, ImportItem
from .plan import diff, shown


@dataclass
class CheckResult:
    """Diagnostics of ``kb check`` (SHACL included) that the import brought: new since before it."""

    ran: bool = False
    new: list[Diagnostic] = field(default_factory=list)
    by_target: dict[str, list[Diagnostic]] = field(default_factory=dict)

    @classmethod
    def measure(cls, config: VaultConfig, action: Callable[[], None], *, needed: bool = True) -> CheckResult:
        """Check the vault before and after ``action``; nothing to compare when nothing is written."""
        if not needed:
            action()
            return cls()
        from ..pipeline import build_knowledge_base

        def key(d: Diagnostic) -> tuple:
            return (d.path, d.code, d.message)

        before = {key(d) for d in build_knowledge_base(config, shacl=True).diagnostics}
        action()
        after = build_knowledge_base(config, shacl=True).diagnostics
        return cls(True, [d for d in after if key(d) not in before])

    @property
    def errors(self) -> list[Diagnostic]:
        """The new diagnostics that are errors: the import made the vault fail ``kb check``."""
        return [d for d in self.new if d.is_error]

    def attach(self, items: list[ImportItem]) -> None:
        """File each new diagnostic under the imported note it is about."""
        targets = {str(item.target.resolve()) for item in items if item.target is not None}
        for d in self.new:
            if (key := str(Path(d.path).resolve())) in targets:
                self.by_target.setdefault(key, []).append(d)

    def about(self, item: ImportItem) -> list[Diagnostic]:
        """New diagnostics of the note an item wrote."""
        return self.by_target.get(str(item.target.resolve()), []) if item.target is not None else []

    def elsewhere(self) -> list[Diagnostic]:
        """New diagnostics of other notes: what the import broke around it."""
        attached = {id(d) for found in self.by_target.values() for d in found}
        return [d for d in self.new if id(d) not in attached]


def _summary(items: list[ImportItem]) -> dict[str, int]:
    counts = Counter(item.status for item in items)
    return {status: counts[status] for status in ("create", "clash", "update", "unchanged", "skipped", "failed") if counts[status]}


def _item_json(item: ImportItem, dry_run: bool, check: CheckResult | None) -> dict:
    target = shown(item.target) if item.target else None
    data = {
        "source": item.shown,
        "status": item.status,
        "target": target,
        "format": item.format or None,
        "format_reason": item.detection.reason if item.detection else None,
        "title": item.fields.get("title"),
        "title_from": item.title_from or None,
        "id": item.ident or None,
        "repairs": [r.to_json() for r in item.repairs.items()],
        "mapped": item.mapped,
        "kept_in_origin": item.kept,
        "links": item.links,
        "notes": item.notes,
        "diagnostics": [d.to_json() for d in item.diagnostics],
        "check": [d.to_json() for d in (check.about(item) if check else [])],
    }
    if dry_run:
        data["diff"] = diff(item)
    return data


def render_json(items: list[ImportItem], *, folder: Path, dry_run: bool, check: CheckResult | None) -> str:
    """The whole report as one JSON document."""
    report = {
        "into": shown(folder),
        "dry_run": dry_run,
        "summary": _summary(items),
        "files": [_item_json(item, dry_run, check) for item in items],
        "check": None if check is None else {
            "ran": check.ran,
            "errors": len(check.errors),
            "warnings": len(check.new) - len(check.errors),
            "diagnostics": [d.to_json() for d in check.new],
        },
    }  # fmt: skip
    return json.dumps(report, ensure_ascii=False, indent=2)


def _item_text(item: ImportItem, dry_run: bool, check: CheckResult | None) -> list[str]:
    arrow = f" → {shown(item.target)}" if item.target else ""
    out = [f"{item.shown}{arrow}: {item.status}"]
    if item.status != FAILED:
        if item.detection:
            out.append(f"  format: {item.format} ({item.detection.reason})")
        out.append(f"  title: {item.fields.get('title', item.title)!r} (from {item.title_from or 'file name'})")
        if repairs := item.repairs.items():
            out.append("  repairs: " + "; ".join(r.message for r in repairs))
        if item.mapped:
            out.append("  mapped: " + ", ".join(item.mapped))
        if item.kept:
            out.append("  kept under origin: " + ", ".join(item.kept))
        if item.links:
            out.append(f"  links made ({len(item.links)}): " + ", ".join(item.links))
        out.extend(f"  {note}" for note in item.notes)
    out.extend(f"  {d.format()}" for d in item.diagnostics)
    if check:
        out.extend(f"  {d.format()}" for d in check.about(item))
    if dry_run and (text := diff(item)):
        out.append(text.rstrip("\n"))
    return out


def render_text(items: list[ImportItem], *, folder: Path, dry_run: bool, check: CheckResult | None) -> str:
    """One block per input, then the summary and the check."""
    out = [f"import into {shown(folder)}" + (" (dry run: nothing written)" if dry_run else ""), ""]
    for item in items:
        out.extend(_item_text(item, dry_run, check))
        out.append("")
    summary = ", ".join(f"{n} {status}" for status, n in _summary(items).items()) or "nothing to import"
    out.append(f"summary: {summary}")
    if check is None:
        out.append("kb check: not run (dry run)")
    elif not check.ran:
        out.append("kb check: not run (nothing written)")
    else:
        out.extend(d.format() for d in check.elsewhere())
        errors = len(check.errors)
        out.append(f"kb check after import: {errors} new error{'s' * (errors != 1)}, {len(check.new) - errors} new warning{'s' * (len(check.new) - errors != 1)}")
    return "\n".join(out)
