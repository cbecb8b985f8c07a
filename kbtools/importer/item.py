"""The record one input fills as it goes through the import: read, repaired, mapped, placed, written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from .detect import Detection
from .repair import RepairLog

CREATE, UPDATE, UNCHANGED, CLASH, FAILED, SKIPPED = "create", "update", "unchanged", "clash", "failed", "skipped"


@dataclass
class ImportItem:
    """One input file and everything the import learns and decides about it."""

    source: Path
    shown: str  # the input path as messages show it
    content_hash: str = ""  # of the input's bytes
    detection: Detection | None = None
    # what the parser found
    meta: dict[str, object] = field(default_factory=dict)  # the original metadata, plain values
    meta_label: str = ""  # name of the metadata block (the JSON comment's label)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # line and column of each original key
    title: str = ""
    title_from: str = ""  # which field or line the title comes from
    body: str = ""
    body_line: int = 1  # line of the input where the body starts
    repairs: RepairLog = field(default_factory=RepairLog)
    # what the mapping decided
    fields: dict[str, object] = field(default_factory=dict)  # vault frontmatter, origin excluded
    origin: dict[str, object] = field(default_factory=dict)
    mapped: list[str] = field(default_factory=list)  # "originalURL → url"
    kept: list[str] = field(default_factory=list)  # original fields kept under origin
    ident: str = ""  # stable identity: the URL, else a hash of the content
    # what the plan decided
    status: str = ""
    target: Path | None = None
    old_text: str | None = None
    new_text: str | None = None
    links: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # facts for the report (language detected, title renamed…)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """The input could not be imported, or its note has errors."""
        return self.status == FAILED or any(d.is_error for d in self.diagnostics)

    @property
    def format(self) -> str:
        """The detected shape of the input ("" before detection or when unreadable)."""
        return self.detection.format if self.detection else ""

    def warn(self, code: str, message: str, hint: str = "", line: int = 1, col: int = 1, *, key: str | None = None) -> None:
        """A diagnostic placed in the input file: at ``line:col``, or where the original ``key`` stands."""
        if key is not None:
            line, col = self.positions.get(key, (line, col))
        self.diagnostics.append(Diagnostic(self.shown, line, col, code, message, hint))
