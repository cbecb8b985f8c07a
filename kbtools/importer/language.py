"""French or English? A count of stop words is enough for a whole article, and says why."""

from __future__ import annotations

import re

# Frequent words of one language that are rare or absent in the other.
STOP_WORDS = {
    "fr": frozenset(
        "le la les des du une et est dans pour pas sur au aux ce cette ces avec sont qui que ne se plus nous vous il elle "
        "ils leur leurs mais ou où donc être avoir fait très aussi comme peut entre sans".split()
    ),
    "en": frozenset(
        "the and of to is that for it with as are this be by from which you we can not have has was were will "
        "their there what when how an or but all more would about into".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
MIN_WORDS = 8  # fewer stop words than this is too little to tell


def detect_language(text: str) -> tuple[str | None, dict[str, int]]:
    """``("fr" | "en" | None, counts)``: a language wins with at least twice the other's count."""
    counts = dict.fromkeys(STOP_WORDS, 0)
    for word in _WORD.findall(text.casefold()):
        word = word.split("'")[-1]  # l'apprentissage → apprentissage; don't → t is no stop word
        for lang, words in STOP_WORDS.items():
            if word in words:
                counts[lang] += 1
    ranked = sorted(counts, key=counts.get, reverse=True)
    best, second = ranked[0], ranked[1]
    if counts[best] >= MIN_WORDS and counts[best] >= 2 * counts[second]:
        return best, counts
    return None, counts
