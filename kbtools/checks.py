"""Checks on resolved links: relations to self and cycles in the hierarchies."""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from . import schema
from .diagnostics import Diagnostic
from .resolve import Edge


def self_relations(edges: list[Edge]) -> list[Diagnostic]:
    """A note related to itself by a typed relation (mentions of oneself are harmless)."""
    return [
        Diagnostic(e.source.file, e.link.line, e.link.col, "KB104", f"{e.kind} points to the note itself ({e.link.link})", "remove it")
        for e in edges
        if e.source is e.target and e.kind != schema.MENTIONS
    ]


def hierarchy_cycles(edges: list[Edge]) -> list[Diagnostic]:
    """One diagnostic per cycle of ``subClassOf`` or of ``isPartOf``, on each note of the cycle."""
    if not _has_cycle(edges):  # the common case, found by the standard library: networkx not even imported
        return []
    import networkx as nx

    diags: list[Diagnostic] = []
    for kind in schema.HIERARCHICAL:
        graph = nx.DiGraph()
        where: dict[tuple[str, str], Edge] = {}
        for e in edges:
            if e.kind == kind and e.source is not e.target:
                graph.add_edge(e.source.path, e.target.path)
                where[(e.source.path, e.target.path)] = e
        for component in nx.strongly_connected_components(graph):
            if len(component) < 2:
                continue
            cycle = nx.find_cycle(graph.subgraph(component))
            titles = [where[(a, b)].source.title for a, b in cycle]
            chain = " → ".join([*titles, titles[0]])
            for a, b in cycle:
                e = where[(a, b)]
                diags.append(Diagnostic(e.source.file, e.link.line, e.link.col, "KB105", f"{kind} cycle: {chain}", f"a note cannot be its own {'ancestor' if kind == 'subClassOf' else 'part'}"))
    return diags


def _has_cycle(edges: list[Edge]) -> bool:
    """Whether some hierarchy (``subClassOf``, ``isPartOf``) has a cycle of two notes or more."""
    for kind in schema.HIERARCHICAL:
        parents: dict[int, set[int]] = {}
        for e in edges:
            if e.kind == kind and e.source is not e.target:
                parents.setdefault(id(e.source), set()).add(id(e.target))
        try:
            TopologicalSorter(parents).prepare()
        except CycleError:
            return True
    return False
