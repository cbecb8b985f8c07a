"""Hierarchy cycles: the quick test (standard library) agrees with networkx's components."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtools.checks import _has_cycle, hierarchy_cycles
from kbtools.notes import Link, Note
from kbtools.resolve import Edge
from kbtools.wikilinks import WikiLink

NOTES = [Note(path=f"n{i}.md", title=f"N{i}", file=f"n{i}.md") for i in range(6)]
arcs = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["isPartOf", "subClassOf", "seeAlso"]), st.integers(0, 5)), max_size=12)


def _edges(spec) -> list[Edge]:
    return [Edge(NOTES[a], kind, NOTES[b], Link(kind, WikiLink(NOTES[b].title), 2, 1)) for a, kind, b in spec]


@settings(max_examples=300, deadline=None)
@given(arcs)
def test_quick_cycle_test_agrees_with_networkx(spec):
    expected = False
    for kind in ("isPartOf", "subClassOf"):
        graph = nx.DiGraph((a, b) for a, k, b in spec if k == kind and a != b)
        expected |= any(len(c) > 1 for c in nx.strongly_connected_components(graph))
    assert _has_cycle(_edges(spec)) is expected
    assert bool(hierarchy_cycles(_edges(spec))) is expected


def test_a_cycle_is_reported_on_each_of_its_notes():
    found = hierarchy_cycles(_edges([(0, "isPartOf", 1), (1, "isPartOf", 2), (2, "isPartOf", 0), (3, "isPartOf", 3)]))
    assert sorted(d.path for d in found) == ["n0.md", "n1.md", "n2.md"] and {d.code for d in found} == {"KB105"}
