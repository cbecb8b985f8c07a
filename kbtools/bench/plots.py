"""Figures of a device page: per task, the median training step with its interquartile range and the
inference latencies, on log scales (the variants span three orders of magnitude)."""

from __future__ import annotations

import io

from .aggregate import Summary

# Colour per framework, the same on every figure.
COLOURS = {"numpy": "#4d4d4d", "pytorch": "#ee4c2c", "tensorflow": "#ff8f00", "keras": "#7b2cbf", "jax": "#1f6feb"}


def task_figure(title: str, rows: list[Summary]) -> bytes:
    """PNG of one task; the same rows give the same bytes (no timestamp, no version stamp)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    rows = [r for r in rows if r.ok]
    names = [r.variant for r in rows]
    colours = [COLOURS.get(r.framework, "#888888") for r in rows]
    positions = list(range(len(rows)))
    with plt.rc_context({"font.size": 9, "svg.hashsalt": "kb"}):
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 0.45 * len(rows) + 1.6), sharey=True)
        medians = [r.step_median_ms for r in rows]
        errors = [[r.step_median_ms - r.step_q1_ms for r in rows], [r.step_q3_ms - r.step_median_ms for r in rows]]
        left.barh(positions, medians, xerr=errors, color=colours, capsize=3)
        left.set_xscale("log")
        left.set_xlabel("pas d'entraînement médian (ms, échelle log) — barres : écart interquartile")
        left.set_yticks(positions, names)
        left.invert_yaxis()
        height = 0.38
        right.barh([p - height / 2 for p in positions], [r.latency_b1_ms for r in rows], height, color=colours, alpha=0.55)
        right.barh([p + height / 2 for p in positions], [r.latency_b256_ms for r in rows], height, color=colours)
        right.set_xscale("log")
        right.set_xlabel("latence d'inférence médiane (ms, échelle log)")
        shades = [Patch(facecolor="#777777", alpha=0.55, label="lot de 1"), Patch(facecolor="#777777", label="lot de 256")]
        right.legend(handles=shades, loc="lower right", fontsize=8)
        for ax in (left, right):
            ax.grid(axis="x", which="both", alpha=0.25)
        fig.suptitle(title)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
        plt.close(fig)
    return buffer.getvalue()
