"""Recorded results, committed next to the snippets.

Layout, for ``snippets/<framework>/<name>.py``::

    snippets/<framework>/results/<name>/<variant>.<devicekind>.json
    snippets/<framework>/results/<name>/<variant>.<devicekind>.<figure>.png

``<variant>`` is the variant id made safe for a file name (``default``, ``KERAS_BACKEND-jax``)
and ``<devicekind>`` is ``cpu`` or ``gpu``. A record is *fresh* when its ``hash`` matches the
snippet as it is now (file bytes + declared needs), *stale* otherwise, *missing* when absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import write_atomic
from .hashing import snippet_hash
from .header import SnippetSpec, Variant, variants

if TYPE_CHECKING:  # the runner pulls psutil; reading results must not
    from .runner import RunResult

STDOUT_LIMIT = 20_000  # bytes of stdout kept in a record
FRESH, STALE, MISSING = "fresh", "stale", "missing"


def result_path(spec: SnippetSpec, variant: Variant, devicekind: str) -> Path:
    """Where the record of ``variant`` run on ``devicekind`` lives."""
    return spec.results_dir / f"{variant.slug}.{devicekind}.json"


def figure_name(variant: Variant, devicekind: str, figure: str) -> str:
    """File name of a recorded figure: ``<variant>.<devicekind>.<figure stem>.png``."""
    return f"{variant.slug}.{devicekind}.{Path(figure).stem}.png"


def truncate_stdout(text: str, limit: int = STDOUT_LIMIT) -> str:
    """Keep the first and last ``limit / 2`` bytes, with a note saying how much was cut."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    half = limit // 2
    head = raw[:half].decode("utf-8", errors="ignore")
    tail = raw[-half:].decode("utf-8", errors="ignore")
    return f"{head}\n[… sortie tronquée : {len(raw) - 2 * half} octets omis sur {len(raw)} …]\n{tail}"


def to_record(result: RunResult, figures: list[str]) -> dict:
    """The JSON-ready record of a run; ``figures`` are the saved file names."""
    spec = result.spec
    return {
        "snippet": spec.rel,
        "title": spec.title,
        "framework": spec.framework,
        "variant": result.variant.id,
        "passed": result.passed,
        "stdout": truncate_stdout(result.stdout),
        "figures": figures,
        "duration_s": result.duration_s,
        "peak_rss_mb": result.peak_rss_mb,
        "device": {"kind": result.device.kind, "name": result.device.name},
        "python": result.python,
        "versions": result.versions,
        "date": result.date,
        "hash": result.hash,
        "confinement": result.confinement,
    }


def save(result: RunResult) -> Path:
    """Record ``result`` (JSON + its PNGs) and drop figures an earlier run left; returns the JSON path."""
    kind = result.devicekind
    path = result_path(result.spec, result.variant, kind)
    names = {}
    for figure, data in result.figures.items():
        names[figure] = figure_name(result.variant, kind, figure)
        write_atomic(path.parent / names[figure], data)
    for old in path.parent.glob(f"{result.variant.slug}.{kind}.*.png"):
        if old.name not in names.values():
            old.unlink()
    record = to_record(result, sorted(names.values()))
    # The JSON goes last: a record that exists always has its figures beside it.
    write_atomic(path, json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return path


def load(spec: SnippetSpec, variant: Variant, devicekind: str) -> dict | None:
    """The recorded result, or None when it is absent or unreadable."""
    path = result_path(spec, variant, devicekind)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def expected_kinds(spec: SnippetSpec) -> tuple[str, ...]:
    """Device kinds whose record counts: ``any`` snippets may have been recorded on either."""
    return {"cpu": ("cpu",), "gpu": ("gpu",)}.get(spec.device, ("cpu", "gpu"))


def variant_status(spec: SnippetSpec, variant: Variant, kinds: tuple[str, ...] | None = None) -> str:
    """``fresh``, ``stale`` or ``missing`` for one variant, the best over ``kinds`` (default :func:`expected_kinds`)."""
    digest = snippet_hash(spec, variant)
    best = MISSING
    for kind in kinds or expected_kinds(spec):
        record = load(spec, variant, kind)
        if record is not None and record.get("hash") == digest and record.get("passed") is True:
            return FRESH
        if result_path(spec, variant, kind).exists():
            best = STALE  # there, but for another version of the snippet (or unreadable)
    return best


def status(spec: SnippetSpec) -> dict[str, str]:
    """Per variant id: ``fresh``, ``stale`` or ``missing``."""
    return {v.id: variant_status(spec, v) for v in variants(spec)}


def all_results(root: str | Path = "snippets") -> dict[Path, dict]:
    """Every readable record under ``root``, keyed by its JSON path, sorted by path."""
    out = {}
    for path in sorted(Path(root).glob("*/results/**/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            out[path] = data
    return out
