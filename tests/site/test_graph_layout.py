"""Groups and layout of the global graph, and its text form, on hand-made data (no build)."""

from __future__ import annotations

import math
import random

from bs4 import BeautifulSoup

from kbtools.site import graph_text, layout
from kbtools.site.graphdata import GraphData, groups_of


def test_groups_follow_the_nearest_hub_up_the_primary_parents() -> None:
    # 0 hub (root) ← 1 hub ← 2 ← 3 ; 4 root with child 5 ; 6 alone ; 7 ↔ 8 a cycle of parents
    types = ["hub", "hub", "concept", "concept", "concept", "concept", "concept", "concept", "concept"]
    parent = [None, 0, 1, 2, None, 4, None, 8, 7]
    heads, group = groups_of(types, parent)
    by_head = {heads[g]: [i for i, x in enumerate(group) if x == g] for g in range(len(heads))}
    assert by_head[0] == [0]  # a hub heads its own group, even under another hub
    assert by_head[1] == [1, 2, 3]
    assert by_head[4] == [4, 5]  # a root with children heads its notes when no hub is above
    assert by_head[None] == [6]  # a lone note joins the group of notes under no hub, listed last
    assert heads[-1] is None
    assert group[7] != group[6] and group[7] == group[8]  # a cycle is cut, its notes stay together


def _clustered(sizes: list[int], seed: int = 1) -> tuple[list[int | None], list[int], list[int | None], list[tuple[int, int, float]]]:
    """Hubs with ``sizes[g]`` notes each (the hub included), parts under their hub, random links."""
    rng = random.Random(seed)
    types, parent, first = [], [], []
    for size in sizes:
        hub = len(types)
        first.append(hub)
        types.append("hub")
        parent.append(None)
        for _ in range(size - 1):
            types.append("concept")
            parent.append(hub)
    n = len(types)
    edges = [(i, p, 1.0) for i, p in enumerate(parent) if p is not None]
    edges += [(rng.randrange(n), rng.randrange(n), 0.1) for _ in range(3 * n)]
    heads, group = groups_of(types, parent)
    return heads, group, parent, edges


def test_groups_are_discs_that_do_not_overlap_with_the_hub_at_the_centre() -> None:
    heads, group, parent, edges = _clustered([40, 12, 5, 1, 1])
    pos = layout.grouped_layout(len(group), edges, parent, group, heads, seed=42)
    assert sorted(pos) == list(range(len(group)))
    reach = []
    for g, head in enumerate(heads):
        hx, hy = pos[head]
        members = [i for i, x in enumerate(group) if x == g]
        reach.append(max(math.dist(pos[i], (hx, hy)) for i in members))
    for a in range(len(heads)):
        for b in range(a + 1, len(heads)):
            gap = math.dist(pos[heads[a]], pos[heads[b]]) - reach[a] - reach[b]
            assert gap >= layout.GROUP_GAP - 1e-6, (a, b, gap)
    # The largest group is the widest, and no group sprawls past the size its notes need.
    assert reach[0] == max(reach)
    assert reach[0] <= math.sqrt(40 * layout.AREA_PER_NOTE / math.pi) + 1e-6
    assert layout.grouped_layout(len(group), edges, parent, group, heads, seed=42) == pos  # same input, same picture


def test_separate_splits_discs_that_start_at_the_same_place() -> None:
    import numpy as np

    out = layout.separate(np.zeros((4, 2)), np.ones(4), 0.5)
    for a in range(4):
        for b in range(a + 1, 4):
            assert math.dist(out[a], out[b]) >= 2.5 - 1e-6


def _chain(n: int) -> GraphData:
    """A hub and a chain of ``n`` notes, each part of the one before: a deep outline."""
    nodes = [[f"Note {i}", "hub" if i == 0 else "concept", f"n{i}/", 0, 0] for i in range(n + 1)]
    parent = [None, *range(n)]
    edges = [[i, i - 1, "isPartOf"] for i in range(1, n + 1)] + [[n, 0, "seeAlso"]]
    heads, group = groups_of([x[1] for x in nodes], parent)
    return GraphData(nodes, edges, groups=heads, group=group, parent=parent)


def test_a_deep_hierarchy_makes_a_deep_outline_without_recursion() -> None:
    data = _chain(3000)  # deeper than Python's recursion limit
    soup = BeautifulSoup(str(graph_text.outline(data, "../")), "html.parser")
    last = soup.find("a", string="Note 3000")
    assert len(last.find_parents("li")) == 3001
    assert "Voir aussi : Note 0" in last.find_parent("li").get_text()  # the relation beside the nesting
    tables = BeautifulSoup(str(graph_text.edge_tables(data, "../")), "html.parser")
    assert len(tables.select("tbody tr")) == 3001


def test_empty_graph_has_empty_text() -> None:
    data = GraphData([], [])
    assert graph_text.summary(data).startswith("Le dessin montre 0 note")
    assert BeautifulSoup(str(graph_text.outline(data, "")), "html.parser").find("section") is None
    assert layout.grouped_layout(0, [], [], [], []) == {}
