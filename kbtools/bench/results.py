"""Result files: one JSON document per machine under ``benchmarks/results/``, written atomically
with sorted keys so that a file changes only where a number does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..diagnostics import Diagnostic, KBError
from .schema import validate


@dataclass(frozen=True, slots=True)
class ResultFile:
    path: Path
    doc: dict

    @property
    def slug(self) -> str:
        return self.doc["device"]["slug"]


def dumps(doc: dict) -> str:
    return json.dumps(doc, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def save(path: str | Path, doc: dict) -> Path:
    """Validate, then write; a malformed document never reaches the disk."""
    problems = validate(doc)
    if problems:
        raise KBError([Diagnostic(str(path), 1, 1, "KB501", f"benchmark result: {p}") for p in problems])
    return write_atomic(path, dumps(doc))


def load(path: str | Path) -> ResultFile:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KBError(Diagnostic(str(path), 1, 1, "KB501", f"cannot read benchmark result: {exc}")) from None
    problems = validate(doc)
    if problems:
        raise KBError([Diagnostic(str(path), 1, 1, "KB501", f"benchmark result: {p}") for p in problems])
    return ResultFile(path, doc)


def load_all(results_dir: str | Path, *, include_tiny: bool = False) -> list[ResultFile]:
    """Every result file of a folder, by file name; runs of the tiny configuration (a smoke test,
    not a measurement) are left out unless asked for."""
    folder = Path(results_dir)
    files = [load(p) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []
    return [f for f in files if include_tiny or not f.doc["config"].get("tiny")]
