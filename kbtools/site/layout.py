"""Positions of the graph views, computed at build time with networkx.

The global graph is drawn by groups (the notes of one hub, see :func:`.graphdata.groups_of`):
each group on its own, from a radial tree (each note near its primary parent, subtrees in
wedges sized by their number of leaves, the hub at the centre) relaxed with ``spring_layout``
(fixed seed); then the groups, as discs sized by their number of notes, are placed by forces
among them (groups with many links across come close) and pushed apart until no two overlap.
Starting from the hierarchy, a few iterations are enough: the number shrinks as a group
grows, since each iteration of networkx's force layout costs O(n²).
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np

# Room per note in a group, in units of the spacing between two neighbouring notes; gap between groups.
AREA_PER_NOTE = 2.2
GROUP_GAP = 1.5
MIN_RADIUS = 2.5  # a group of one or two notes still leaves room for its name
FULL_ITERATIONS = 50
FULL_UP_TO = 300  # nodes laid out with every iteration; beyond, fewer in proportion to n²
MIN_ITERATIONS = 5


def iterations_for(n: int) -> int:
    if n <= FULL_UP_TO:
        return FULL_ITERATIONS
    return max(MIN_ITERATIONS, int(FULL_ITERATIONS * (FULL_UP_TO / n) ** 2))


def radial_tree(n: int, parent: list[int | None]) -> dict[int, tuple[float, float]]:
    """Nodes ``0..n-1`` around the origin: roots on the first ring, children further out,
    each subtree in a wedge proportional to its leaves. Cycles of parents are cut.
    A single root sits at the centre."""
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
        angle, radius = begin + span / 2, depth[node] + (0.0 if len(tops) == 1 else 1.0)
        pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
        inner = begin
        for child in placed_under[node]:
            share = span * leaves[child] / leaves[node]
            queue.append((child, inner, share))
            inner += share
    return pos


def rings(n_neighbours: int, ring_size: int, radius: float) -> dict[int, tuple[float, float]]:
    """Node 0 at the centre, the others on rings of ``ring_size`` (ego graph of a note)."""
    shells = [[0]] + [list(range(1 + i, 1 + min(i + ring_size, n_neighbours))) for i in range(0, n_neighbours, ring_size)]
    if n_neighbours == 0:
        return {0: (0.0, 0.0)}
    pos = nx.shell_layout(nx.empty_graph(n_neighbours + 1), nlist=shells, scale=radius * (len(shells) - 1))
    return {node: (float(x), float(y)) for node, (x, y) in pos.items()}


def _relaxed(members: list[int], edges: list[tuple[int, int, float]], parent: list[int | None], head: int | None, seed: int) -> dict[int, tuple[float, float]]:
    """One group in a disc of radius 1 around (0, 0): its head (the hub) at the centre."""
    if len(members) == 1:
        return {members[0]: (0.0, 0.0)}
    local = {node: i for i, node in enumerate(members)}
    graph = nx.Graph()
    graph.add_nodes_from(range(len(members)))
    for s, t, weight in edges:
        a, b = local.get(s), local.get(t)
        if a is not None and b is not None and a != b and (not graph.has_edge(a, b) or graph[a][b]["weight"] < weight):
            graph.add_edge(a, b, weight=weight)
    ups = [local.get(parent[node]) if parent[node] is not None else None for node in members]
    tree = radial_tree(len(members), ups)
    reach = max((max(abs(x), abs(y)) for x, y in tree.values()), default=1.0) or 1.0
    start = {i: (x / (2 * reach), y / (2 * reach)) for i, (x, y) in tree.items()}
    fixed = [local[head]] if head is not None else None
    pos = nx.spring_layout(graph, pos=start, fixed=fixed, seed=seed, iterations=iterations_for(len(members)), method="force")
    xy = np.array([pos[i] for i in range(len(members))], dtype=float)
    xy -= xy[local[head]] if head is not None else xy.mean(axis=0)
    radius = float(np.sqrt((xy**2).sum(axis=1)).max()) or 1.0
    xy /= radius
    return {node: (float(xy[i, 0]), float(xy[i, 1])) for i, node in enumerate(members)}


def separate(centres: np.ndarray, radii: np.ndarray, gap: float, rounds: int = 2000) -> np.ndarray:
    """Discs pushed apart (each pair along the line of their centres) until none overlap.

    ``centres`` is (k, 2), ``radii`` (k,); returns new centres. Coincident centres are
    split along a fixed direction per pair, so the result does not depend on chance.
    """
    xy = centres.astype(float).copy()
    k = len(xy)
    if k < 2:
        return xy
    need = radii[:, None] + radii[None, :] + gap
    np.fill_diagonal(need, 0.0)
    angles = np.arange(k * k, dtype=float).reshape(k, k) * 2.399963  # golden angle: distinct directions
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=2))
        overlap = need - dist
        np.fill_diagonal(overlap, 0.0)
        if overlap.max() <= 1e-6:
            break
        same = dist < 1e-9
        delta[same] = np.stack([np.cos(angles[same]), np.sin(angles[same])], axis=1)
        dist[same] = 1.0
        push = np.where(overlap > 0, overlap / 2 * 1.01, 0.0) / dist
        xy += (delta * push[:, :, None]).sum(axis=1)
    return xy


def grouped_layout(
    n: int, edges: list[tuple[int, int, float]], parent: list[int | None], group: list[int], heads: list[int | None], seed: int = 42
) -> dict[int, tuple[float, float]]:
    """Nodes ``0..n-1``, each in group ``group[i]`` whose head (a node, or ``None``) is ``heads[g]``.

    Positions are in units of the spacing between neighbouring notes: a group of m notes is a
    disc of radius about √(m · AREA_PER_NOTE / π) (``MIN_RADIUS`` at least), and discs are
    ``GROUP_GAP`` apart at least.
    """
    if n == 0:
        return {}
    members: list[list[int]] = [[] for _ in heads]
    for node, g in enumerate(group):
        members[g].append(node)
    radii = np.array([max(MIN_RADIUS, math.sqrt(len(m) * AREA_PER_NOTE / math.pi)) for m in members])
    inner = {}
    for g, nodes in enumerate(members):
        if nodes:
            inner.update({node: (x * radii[g], y * radii[g]) for node, (x, y) in _relaxed(nodes, edges, parent, heads[g], seed).items()})
    # Groups attract each other by the links across them, and start from the hub hierarchy.
    between = nx.Graph()
    between.add_nodes_from(range(len(heads)))
    for s, t, weight in edges:
        a, b = group[s], group[t]
        if a != b:
            before = between[a][b]["weight"] if between.has_edge(a, b) else 0.0
            between.add_edge(a, b, weight=before + weight)
    head_parent = [group[parent[h]] if h is not None and parent[h] is not None and group[parent[h]] != g else None for g, h in enumerate(heads)]
    tree = radial_tree(len(heads), head_parent)
    placed = nx.spring_layout(between, pos=tree, seed=seed, iterations=FULL_ITERATIONS, method="force") if len(heads) > 1 else {0: (0.0, 0.0)}
    # From tight (the radius of one disc holding them all) the groups are only ever pushed apart.
    start = np.array([placed[g] for g in range(len(heads))], dtype=float) * math.sqrt(float((radii**2).sum()))
    centres = separate(start, radii, GROUP_GAP)
    return {node: (float(centres[group[node], 0] + x), float(centres[group[node], 1] + y)) for node, (x, y) in inner.items()}
