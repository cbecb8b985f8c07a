"""French ordering and wording: collation key, A–Z initials, dates written out."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..ids import strip_accents

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
# Quotes, brackets and the like do not decide where a title is filed.
_LEADING = re.compile(r"^[^0-9A-Za-z]+")


@lru_cache(maxsize=65536)  # called for every comparison of every list the site sorts
def sort_key(text: str) -> tuple[str, str, str]:
    """French collation, close enough for titles: accents and case only break ties.

    « église » sorts with « eglise » and before « Exemple »; the second and third members
    make the order total and stable (unaccented before accented, as in the dictionary).
    """
    base = strip_accents(text).casefold()
    return (_LEADING.sub("", base) or base, base, text)


def initial(text: str) -> str:
    """The A–Z heading a title is filed under: a letter, « 0–9 », or « # »."""
    base = _LEADING.sub("", strip_accents(text).upper())
    if not base:
        return "#"
    first = base[0]
    if first.isdigit():
        return "0–9"
    return first if "A" <= first <= "Z" else "#"


def long_date(day: date) -> str:
    """« 23 novembre 2026 », « 1er mai 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 note », « 3 notes »."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
