"""Graph data for the browser: one global graph and one local graph per note, laid out here.

Positions are computed at build time (:mod:`.layout`, networkx), so the browser draws at
once and the picture is the same on every build. The JSON is compact
(arrays rather than objects) and a local graph is trimmed to stay under a byte budget:
weaker relations (mentions) go first.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

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


# Notes whose label shows at any zoom besides the hubs: the most linked, this share of them.
MAJOR_SHARE = 0.05
# Relations that make a note central: sources are cited by many notes without being central to them.
STRUCTURAL = ("isPartOf", "subClassOf", "seeAlso", "differentFrom")
SCALE = 48  # pixels between two neighbouring notes of the global graph, at zoom 1


@dataclass
class GraphData:
    """Nodes as ``[label, type, url, x, y]`` and edges as ``[source index, target index, relation]``.

    The global graph also groups its nodes: ``groups[g]`` is the node heading group ``g`` (its hub)
    or ``None`` (notes under no hub), ``group[i]`` the group of node ``i``, ``parent[i]`` its primary
    parent (the outline of the graph page nests by it; not sent to the browser), and ``major`` the
    nodes whose label shows at any zoom.
    """

    nodes: list[list]
    edges: list[list]
    focus: int | None = None
    hidden: int = 0  # neighbours left out to keep the data small
    off: tuple[str, ...] = ()  # relations whose filter starts unticked
    groups: list[int | None] = field(default_factory=list)
    group: list[int] = field(default_factory=list)
    parent: list[int | None] = field(default_factory=list)
    major: list[int] = field(default_factory=list)

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
        if self.groups:
            data |= {"groups": self.groups, "group": self.group, "major": self.major}
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


def groups_of(types: list[str], parent: list[int | None]) -> tuple[list[int | None], list[int]]:
    """Each node's group: its nearest hub up the chain of primary parents (itself if a hub), else
    the top of that chain when the chain is not a lone note, else the group ``None`` of notes
    under no hub. Returns ``(heads, group)``: the head of each group (hubs first met, in node
    order; the ``None`` group last) and the group index of each node. Cycles are cut."""
    has_child = {p for p in parent if p is not None}
    head_of: list[int | None] = []
    for node in range(len(types)):
        chain, seen, at = [], set(), node
        while at is not None and at not in seen:
            seen.add(at)
            chain.append(at)
            if types[at] == "hub":
                break
            at = parent[at]
        top = chain[-1]
        if at is not None and at in seen and types[top] != "hub":  # a cycle of parents: its first node heads it
            top = min(chain[chain.index(at) :])
        head_of.append(top if types[top] == "hub" or len(chain) > 1 or top in has_child else None)
    heads = list(dict.fromkeys(h for h in head_of if h is not None))
    if any(h is None for h in head_of):
        heads.append(None)
    where = {h: g for g, h in enumerate(heads)}
    return heads, [where[h] for h in head_of]


def global_graph(model: SiteModel, seed: int = 42) -> GraphData:
    """All notes, all relations; grouped by hub, each group laid out from the hierarchy (fixed seed)."""
    notes = model.sorted(model.kb.notes)
    edges = _edges_between(model, notes)
    index = {id(n): i for i, n in enumerate(notes)}
    parents = [model.primary_parent(n) for n in notes]
    parent = [index[id(p)] if p is not None else None for p in parents]
    heads, group = groups_of([n.type for n in notes], parent)
    # Typed relations shape the picture; mentions, far more numerous, only nudge it.
    weighted = [(s, t, 0.1 if kind == schema.MENTIONS else 1.0) for s, t, kind in edges]
    pos = layout.grouped_layout(len(notes), weighted, parent, group, heads, seed)
    nodes = [_node(model, n, pos[i][0] * SCALE, pos[i][1] * SCALE) for i, n in enumerate(notes)]
    return GraphData(nodes, edges, off=(schema.MENTIONS,), groups=heads, group=group, parent=parent, major=_major(notes, edges))


def _major(notes: list[Note], edges: list[list]) -> list[int]:
    """Hubs, and the notes with the most relations of ``STRUCTURAL`` kinds (``MAJOR_SHARE`` of them, ties by title)."""
    degree = [0] * len(notes)
    for s, t, kind in edges:
        if kind in STRUCTURAL:
            degree[s] += 1
            degree[t] += 1
    ranked = sorted((i for i in range(len(notes)) if notes[i].type != "hub" and degree[i]), key=lambda i: -degree[i])
    top = set(ranked[: math.ceil(MAJOR_SHARE * len(notes))])
    return [i for i in range(len(notes)) if notes[i].type == "hub" or i in top]


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
