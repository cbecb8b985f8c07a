"""Small writers shared by the generated pages: frontmatter in the vault's dialect, French numbers."""

from __future__ import annotations

import re

from .names import FRAMEWORKS

GENERATED = "<!-- Page générée par `kb bench report` à partir de benchmarks/results/ : ne pas la modifier à la main. -->"
SEE_ALSO = [f"[[{note.title}]]" for note in FRAMEWORKS.values()]
# Sources must be notes of type source: the official documentation of the frameworks measured.
SOURCES = [
    "[[Documentation officielle de PyTorch]]",
    "[[Documentation officielle de TensorFlow]]",
    "[[Documentation officielle de Keras]]",
    "[[Documentation officielle de JAX]]",
]
NARROW_NBSP = "\u202f"
GPU_PENDING = ("Résultats GPU : pas encore mesurés — ils viendront du job GPU de l'intégration continue "
               "ou d'une session avec la machine GPU.")


_PLAIN = re.compile(r"[A-Za-zÀ-ÿ][\w .()-]*")


def quote(text: str) -> str:
    """A YAML scalar as the vault writes it: plain words bare, anything else (wikilinks, dates,
    colons, apostrophes) single-quoted."""
    if _PLAIN.fullmatch(text) and text.strip() == text:
        return text
    return "'" + text.replace("'", "''") + "'"


def frontmatter(fields: dict[str, str | list[str]]) -> str:
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"- {quote(item)}" for item in value]
        else:
            lines.append(f"{key}: {quote(value)}")
    return "\n".join([*lines, "---", ""])


def num(value: float | None, digits: int = 3) -> str:
    """About ``digits`` significant figures, decimal comma, narrow space between thousands: 12 345 ; 0,752."""
    if value is None:
        return "—"
    magnitude = abs(value)
    if magnitude >= 1:
        places = max(0, digits - len(str(int(magnitude))))
    else:
        places = digits + _leading_zeros(magnitude)
    text = f"{value:,.{places}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def _leading_zeros(value: float) -> int:
    """Zeros after the decimal point before the first significant digit: 0.00752 → 2."""
    zeros = 0
    while value and value < 0.1 and zeros < 8:
        value *= 10
        zeros += 1
    return zeros


def table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A Markdown table; ``align`` gives one letter per column, ``l`` or ``r`` (default right but the first)."""
    align = align or "l" + "r" * (len(header) - 1)
    rule = ["---:" if a == "r" else "---" for a in align]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |", *("| " + " | ".join(r) + " |" for r in rows)]
