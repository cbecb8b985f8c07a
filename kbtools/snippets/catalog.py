"""The snippets as the knowledge base sees them: headers, the notes they illustrate, their records.

Reading the catalog parses headers and recorded JSON only; it never runs or imports a
framework, so the site builds from committed results alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..notes import Note
from ..resolve import NameIndex
from .hashing import snippet_hash
from .header import SnippetSpec, Variant, scan, variants
from .results import load


@dataclass(slots=True)
class Record:
    """One recorded run of one variant on one kind of device."""

    variant: Variant
    devicekind: str  # cpu | gpu
    data: dict
    fresh: bool  # recorded for the snippet as it is now


@dataclass(slots=True)
class SnippetEntry:
    spec: SnippetSpec
    notes: list[Note] = field(default_factory=list)  # the notes it illustrates, resolved
    records: list[Record] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How a page refers to it: ``<framework>/<name>``."""
        return f"{self.spec.framework}/{self.spec.name}"

    def latest(self, devicekind: str) -> list[Record]:
        """Passing, fresh records on a device kind, one per variant."""
        return [r for r in self.records if r.devicekind == devicekind and r.fresh and r.data.get("passed")]


def load_catalog(root: Path, index: NameIndex) -> tuple[list[SnippetEntry], list[Diagnostic]]:
    """Every snippet under ``root`` with its resolved notes and its records."""
    if not root.is_dir():
        return [], []
    specs, diags = scan(root)
    entries = []
    for spec in specs:
        entry = SnippetEntry(spec)
        for title in spec.illustrates:
            found = index.lookup(title)
            if len(found) == 1:
                entry.notes.append(found[0])
            else:
                close = index.suggest(title)
                hint = "did you mean " + " or ".join(f'"{c}"' for c in close) + "?" if close else ""
                what = "no note" if not found else "several notes"
                diags.append(Diagnostic(spec.rel, _line_of(spec, title), 1, "KB202", f"illustrates {title!r}: {what} with this title", hint))
        for variant in variants(spec):
            digest = snippet_hash(spec, variant)
            for kind in ("cpu", "gpu"):
                data = load(spec, variant, kind)
                if data is not None:
                    entry.records.append(Record(variant, kind, data, data.get("hash") == digest))
        entries.append(entry)
    return entries, diags


def _line_of(spec: SnippetSpec, text: str) -> int:
    for number, line in enumerate(spec.path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    return 1
