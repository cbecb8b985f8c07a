"""Positions of the graph views, computed at build time with networkx.

The global graph starts from a radial tree (each note near its primary parent, subtrees in
wedges sized by their number of leaves) and is relaxed with ``spring_layout`` (fixed seed).
Starting from the hierarchy, a few iterations are enough: the number shrinks as the graph
grows, since each iteration of networkx's force layout costs O(n²).
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

FULL_ITERATIONS = 50
FULL_UP_TO = 300  # nodes laid out with every iteration; beyond, fewer in proportion to n²
MIN_ITERATIONS = 5


def iterations_for(n: int) -> int:
    if n <= FULL_UP_TO:
        return FULL_ITERATIONS
    return max(MIN_ITERATIONS, int(FULL_ITERATIONS * (FULL_UP_TO / n) ** 2))


def radial_tree(n: int, parent: list[int | None]) -> dict[int, tuple[float, float]]:
    """Nodes ``0..n-1`` around the origin: roots on the first ring, children further out,
    each subtree in a wedge proportional to its leaves. Cycles of parents are cut."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for node, up in enumerate(parent):
        children[up].append(node)
    order: list[int] = []  # parents before children
    depth = [0] * n
    seen: set[int] = set()
    for start in [*children[None], *range(n)]:  # nodes left over sit in cycles: start from them too
        if start in seen:
            continue
        seen.add(start)
        stack = [start]
        while stack:
            node = stack.pop()
            order.append(node)
            for child in children[node]:
                if child not in seen:
                    seen.add(child)
                    depth[child] = depth[node] + 1
                    stack.append(child)
    placed_under: dict[int, list[int]] = defaultdict(list)
    tops = []
    for node in order:
        up = parent[node]
        if up is None or depth[node] == 0:
            tops.append(node)
        else:
            placed_under[up].append(node)
    leaves = [1] * n
    for node in reversed(order):
        if placed_under[node]:
            leaves[node] = sum(leaves[c] for c in placed_under[node])
    pos: dict[int, tuple[float, float]] = {}
    total = sum(leaves[t] for t in tops) or 1
    queue: list[tuple[int, float, float]] = []  # node, start angle, angular span
    start = 0.0
    for node in tops:
        span = 2 * math.pi * leaves[node] / total
        queue.append((node, start, span))
        start += span
    while queue:
        node, begin, span = queue.pop()
        angle, radius = begin + span / 2, 1.0 + depth[node]
        pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
        inner = begin
        for child in placed_under[node]:
            share = span * leaves[child] / leaves[node]
            queue.append((child, inner, share))
            inner += share
    return pos


def global_layout(n: int, edges: list[tuple[int, int, float]], parent: list[int | None], seed: int = 42) -> dict[int, tuple[float, float]]:
    """Radial tree, then a force-directed relaxation; positions roughly in [-1, 1]."""
    if n == 0:
        return {}
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    for s, t, weight in edges:
        if s != t and (not graph.has_edge(s, t) or graph[s][t]["weight"] < weight):
            graph.add_edge(s, t, weight=weight)
    tree = radial_tree(n, parent)
    # Forces are tuned for a unit square (k = 1/√n): bring the tree there first.
    reach = max((max(abs(x), abs(y)) for x, y in tree.values()), default=1.0) or 1.0
    start = {node: (0.5 + x / (2 * reach), 0.5 + y / (2 * reach)) for node, (x, y) in tree.items()}
    pos = nx.spring_layout(graph, pos=start, seed=seed, iterations=iterations_for(n), method="force")
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


def rings(n_neighbours: int, ring_size: int, radius: float) -> dict[int, tuple[float, float]]:
    """Node 0 at the centre, the others on rings of ``ring_size`` (ego graph of a note)."""
    shells = [[0]] + [list(range(1 + i, 1 + min(i + ring_size, n_neighbours))) for i in range(0, n_neighbours, ring_size)]
    if n_neighbours == 0:
        return {0: (0.0, 0.0)}
    pos = nx.shell_layout(nx.empty_graph(n_neighbours + 1), nlist=shells, scale=radius * (len(shells) - 1))
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}
