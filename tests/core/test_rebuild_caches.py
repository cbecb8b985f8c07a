"""What ``mkdocs serve`` keeps from one rebuild to the next: notes by their bytes
(:class:`kbtools.notes.NoteCache`) and query answers by the graph's content
(:class:`kbtools.query.QueryMemo`). Each must give what a fresh read or run gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kbtools.config import KeyMap
from kbtools.diagnostics import KBError
from kbtools.graph import content_digest, new_graph
from kbtools.notes import NoteCache, read_vault
from kbtools.query import QueryMemo, run_local

NOTE = "---\ntitle: Tenseur\ntags: [maths]\n---\nUn tableau, voir [[Matrice]].\n"


def _vault(root: Path) -> Path:
    (root / "a").mkdir(parents=True)
    (root / "a" / "tenseur.md").write_text(NOTE, encoding="utf-8")
    (root / "matrice.md").write_text("# Matrice\n\nSans frontmatter.\n", encoding="utf-8")
    return root


def test_unchanged_notes_are_the_same_objects_and_changed_ones_are_read_again(tmp_path: Path) -> None:
    root = _vault(tmp_path / "vault")
    cache = NoteCache()
    first = {n.path: n for n in read_vault(root, cache=cache).notes}
    again = {n.path: n for n in read_vault(root, cache=cache).notes}
    assert cache.hits == 2
    assert all(again[p] is first[p] for p in first)
    (root / "a" / "tenseur.md").write_text(NOTE.replace("Tenseur", "Tenseurs"), encoding="utf-8")
    third = {n.path: n for n in read_vault(root, cache=cache).notes}
    assert third["a/tenseur.md"] is not first["a/tenseur.md"] and third["a/tenseur.md"].title == "Tenseurs"
    assert third["matrice.md"] is first["matrice.md"]


def test_cached_notes_equal_a_fresh_read_and_settings_count(tmp_path: Path) -> None:
    root = _vault(tmp_path / "vault")
    cache = NoteCache()
    read_vault(root, cache=cache)
    (root / "matrice.md").unlink()
    (root / "b.md").write_text("---\nup: '[[Tenseur]]'\n---\nCorps.\n", encoding="utf-8")
    fresh = read_vault(root)
    cached = read_vault(root, cache=cache)
    assert [(n.path, n.title, n.tags, n.body) for n in cached.notes] == [(n.path, n.title, n.tags, n.body) for n in fresh.notes]
    assert [d.format() for d in cached.diagnostics] == [d.format() for d in fresh.diagnostics]
    assert set(cache.entries) == {"a/tenseur.md", "b.md"}  # the deleted note is forgotten
    # other key names: the note is read again, not taken from the cache
    keys = KeyMap(aliases={"up": "isPartOf"})
    again = read_vault(root, keys, cache=cache)
    assert [link.kind for n in again.notes if n.path == "b.md" for link in n.links if link.kind == "isPartOf"] == ["isPartOf"]


def _graph(label: str):
    graph = new_graph()
    graph.add((URIRef("https://x.invalid/a"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal(label)))
    return graph


QUERY = "SELECT ?l WHERE { ?s skos:prefLabel ?l }"


def test_answers_are_kept_while_the_graph_has_the_same_content() -> None:
    memo = QueryMemo()
    with memo.active():
        first = run_local(_graph("Tenseur"), QUERY, timeout=None)
    with memo.active():  # a new graph object, the same triples: the answer is kept
        again = run_local(_graph("Tenseur"), QUERY, timeout=None)
    assert memo.hits == 1 and again is first
    with memo.active():
        changed = run_local(_graph("Matrice"), QUERY, timeout=None)
    assert memo.hits == 0 and changed.rows != first.rows
    assert [row["l"]["value"] for row in changed.rows] == ["Matrice"]


def test_a_graph_added_to_between_two_queries_is_asked_again() -> None:
    memo = QueryMemo()
    graph = _graph("Tenseur")
    with memo.active():
        before = run_local(graph, QUERY, timeout=None)
        graph.add((URIRef("https://x.invalid/b"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("Matrice")))
        after = run_local(graph, QUERY, timeout=None)
    assert memo.hits == 0 and len(after.rows) == len(before.rows) + 1


def test_errors_are_kept_too_and_raised_again() -> None:
    memo = QueryMemo()
    for _ in range(2):
        with memo.active(), pytest.raises(KBError) as raised:
            run_local(_graph("Tenseur"), "SELECT ?x WHERE {", "q.rq", timeout=None)
        assert raised.value.diagnostics[0].code == "KB301"
    assert memo.hits == 1


def test_without_a_memo_nothing_is_kept() -> None:
    memo = QueryMemo()
    run_local(_graph("Tenseur"), QUERY, timeout=None)
    assert memo.results == {}


def test_the_content_digest_ignores_the_order_triples_were_added_in() -> None:
    a, b = new_graph(), new_graph()
    triples = [(URIRef(f"https://x.invalid/{n}"), URIRef("https://x.invalid/p"), Literal(n)) for n in range(20)]
    for t in triples:
        a.add(t)
    for t in reversed(triples):
        b.add(t)
    assert content_digest(a.store._inner) == content_digest(b.store._inner)
    b.add((URIRef("https://x.invalid/z"), URIRef("https://x.invalid/p"), Literal("z")))
    assert content_digest(a.store._inner) != content_digest(b.store._inner)
