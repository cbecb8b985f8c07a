"""What a note's frontmatter may hold: keys, types, relations. Plain Python, no RDF here.

Relations come from the one registry, :mod:`kbtools.relations`.
"""

from __future__ import annotations

from .relations import REGISTRY

# Typed relations between notes, in the words of the vault.
RELATIONS: tuple[str, ...] = tuple(r.name for r in REGISTRY if r.in_frontmatter)
# Relations that build a hierarchy: a cycle there is an error.
HIERARCHICAL: tuple[str, ...] = tuple(r.name for r in REGISTRY if r.hierarchical)
MENTIONS = "mentions"

# French names of each relation and of its inverse, for panels and legends.
RELATION_LABELS: dict[str, tuple[str, str]] = {r.name: (r.label, r.inverse_label) for r in REGISTRY}

# type: → (class local name, French label, English label)
TYPES: dict[str, tuple[str, str, str]] = {
    "hub": ("Hub", "Page carrefour", "Hub"),
    "concept": ("Concept", "Concept", "Concept"),
    "framework": ("Framework", "Framework", "Framework"),
    "library": ("Library", "Bibliothèque", "Library"),
    "tool": ("Tool", "Outil", "Tool"),
    "platform": ("Platform", "Plateforme", "Platform"),
    "hardware": ("Hardware", "Matériel", "Hardware"),
    "guide": ("Guide", "Guide", "Guide"),
    "comparison": ("Comparison", "Comparaison", "Comparison"),
    "source": ("Source", "Source", "Source"),
}
DEFAULT_TYPE = "concept"

SCALAR_KEYS = ("title", "type", "description", "url", "language")
LIST_KEYS = ("aliases", "tags", "author")
DATE_KEYS = ("date_creation", "date_modification", "date_published")
# Keys Obsidian and its plugins write that carry nothing for the graph.
TOLERATED_KEYS = ("cssclasses", "cssclass", "publish", "permalink")
# Where imported notes keep the original metadata they came with.
ORIGIN_KEY = "origin"

KNOWN_KEYS: frozenset[str] = frozenset(
    SCALAR_KEYS + LIST_KEYS + DATE_KEYS + RELATIONS + TOLERATED_KEYS + (ORIGIN_KEY,)
)
