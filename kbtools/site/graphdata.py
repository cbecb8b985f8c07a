"""Graph data for the browser: one global graph and one local graph per note, laid out here.

Positions are computed at build time (:mod:`.layout`, networkx), so the browser draws at
once and the picture is the same on every build. The JSON is compact
(arrays rather than objects) and a local graph is trimmed to stay under a byte budget:
weaker relations (mentions) go first.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from .. import schema
from ..notes import Note
from . import layout
from .french import sort_key
from .model import SiteModel

# Relation colours read on light and dark backgrounds alike; the legend shows them.
RELATION_COLOURS = {
    "isPartOf": "#3f51b5",
    "subClassOf": "#009688",
    "seeAlso": "#ff9800",
    "differentFrom": "#e91e63",
    "sources": "#8d6e63",
    "mentions": "#9e9e9e",
}
TYPE_COLOURS = {
    "hub": "#5c6bc0",
    "concept": "#26a69a",
    "framework": "#ef5350",
    "library": "#ab47bc",
    "tool": "#ffa726",
    "platform": "#29b6f6",
    "hardware": "#78909c",
    "guide": "#9ccc65",
    "comparison": "#ec407a",
    "source": "#8d6e63",
}
# Which neighbours a trimmed local graph keeps first.
PRIORITY = {"isPartOf": 0, "subClassOf": 0, "seeAlso": 1, "differentFrom": 1, "sources": 2, "mentions": 3}
LOCAL_RADIUS = 220
RING_SIZE = 18  # neighbours per ring before a second, wider ring starts
BUSY = 30  # nodes past which a local graph starts with mentions hidden (they tangle it)


@dataclass
class GraphData:
    """Nodes as ``[label, type, url, x, y]`` and edges as ``[source index, target index, relation]``."""

    nodes: list[list]
    edges: list[list]
    focus: int | None = None
    hidden: int = 0  # neighbours left out to keep the data small
    off: tuple[str, ...] = ()  # relations whose filter starts unticked

    def to_json(self) -> bytes:
        kinds = sorted({e[2] for e in self.edges}, key=list(RELATION_COLOURS).index)
        types = sorted({n[1] for n in self.nodes}, key=list(TYPE_COLOURS).index)
        data = {
            "relations": {k: [schema.RELATION_LABELS[k][0], RELATION_COLOURS[k]] for k in kinds},
            "types": {t: [schema.TYPES[t][1], TYPE_COLOURS[t]] for t in types},
            "nodes": self.nodes,
            "edges": self.edges,
            "focus": self.focus,
            "hidden": self.hidden,
            "off": [k for k in self.off if k in kinds],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _edges_between(model: SiteModel, notes: list[Note]) -> list[list]:
    """Every relation among ``notes``, once per (source, target, relation)."""
    index = {id(n): i for i, n in enumerate(notes)}
    seen: set[tuple[int, int, str]] = set()
    edges = []
    for note in notes:
        for e in model.out[id(note)]:
            j = index.get(id(e.target))
            key = (index[id(note)], j, e.kind)
            if j is not None and key not in seen:
                seen.add(key)
                edges.append(list(key))
    return edges


def _node(model: SiteModel, note: Note, x: float, y: float) -> list:
    return [note.title, note.type, model.url(note.path), round(x), round(y)]


def global_graph(model: SiteModel, seed: int = 42) -> GraphData:
    """All notes, all relations; laid out from the hierarchy, relaxed by forces (fixed seed)."""
    notes = model.sorted(model.kb.notes)
    edges = _edges_between(model, notes)
    index = {id(n): i for i, n in enumerate(notes)}
    parents = [model.primary_parent(n) for n in notes]
    parent = [index[id(p)] if p is not None else None for p in parents]
    # Typed relations shape the picture; mentions, far more numerous, only nudge it.
    weighted = [(s, t, 0.1 if kind == schema.MENTIONS else 1.0) for s, t, kind in edges]
    pos = layout.global_layout(len(notes), weighted, parent, seed)
    scale = 40 * math.sqrt(max(len(notes), 1))
    nodes = [_node(model, n, pos[i][0] * scale, pos[i][1] * scale) for i, n in enumerate(notes)]
    return GraphData(nodes, edges, off=(schema.MENTIONS,))


def local_graph(model: SiteModel, note: Note, max_bytes: int) -> GraphData:
    """The note, its neighbours at distance 1 and the links among them, under ``max_bytes``."""
    # Strongest relation first (a part that also mentions the note counts as a part), then by title.
    ranked = [(min(PRIORITY[k] for k in kinds), n) for n, kinds in model.neighbours(note)]
    ranked.sort(key=lambda pair: (pair[0], sort_key(pair[1].title)))
    neighbours = [n for _, n in ranked]
    keep = len(neighbours)
    data = _local(model, note, neighbours)
    # Trim by halves then by steps: a hub mentioned everywhere must still fit the budget.
    while len(data.to_json()) > max_bytes and keep > 0:
        keep = keep // 2 if len(data.to_json()) > 2 * max_bytes else keep - max(1, keep // 10)
        data = _local(model, note, neighbours[:keep])
        data.hidden = len(neighbours) - keep
    return data


def _local(model: SiteModel, focus: Note, neighbours: list[Note]) -> GraphData:
    notes = [focus, *neighbours]
    pos = layout.rings(len(neighbours), RING_SIZE, LOCAL_RADIUS)
    nodes = [_node(model, n, *pos[i]) for i, n in enumerate(notes)]
    return GraphData(nodes, _edges_between(model, notes), focus=0, off=(schema.MENTIONS,) if len(notes) > BUSY else ())
