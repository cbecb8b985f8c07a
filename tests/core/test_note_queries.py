"""Questions inside notes: ``sparql`` blocks answered by the pipeline, failures placed in the note."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbtools.config import load_config
from kbtools.diagnostics import KBError
from kbtools.note_queries import bind_this, read_info
from kbtools.pipeline import build_knowledge_base
from tests.kbtest import TEST_SITE, run_kb

FRONT = "---\ntitle: {title}\ntype: {type}\n{extra}---\n"


def note(title: str, body: str = "", type: str = "concept", **relations: str) -> str:
    extra = "".join(f"{key}: '[[{value}]]'\n" for key, value in relations.items())
    return FRONT.format(title=title, type=type, extra=extra) + body


def build(tmp_path: Path, notes: dict[str, str], **options):
    for name, text in notes.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return build_knowledge_base(load_config(tmp_path, site_url=TEST_SITE), **options)


def block(text: str, info: str = "sparql") -> str:
    return f"\n```{info}\n{text}\n```\n"


PARTS = "SELECT ?titre WHERE { ?n kb:isPartOf ?this ; skos:prefLabel ?titre } ORDER BY ?titre"


def test_this_is_the_note_that_holds_the_block(tmp_path: Path) -> None:
    kb = build(tmp_path, {
        "hub.md": note("Carrefour", "## Parties\n" + block(PARTS, 'sparql title="Les parties"'), type="hub"),
        "a.md": note("Alpha", block(PARTS), isPartOf="Carrefour"),
        "b.md": note("Bêta", isPartOf="Carrefour"),
    })
    assert kb.diagnostics == []
    [hub] = kb.note_queries["hub.md"]
    assert hub.title == "Les parties" and hub.line == 7  # the opening fence, 1-based in the file
    assert [r["titre"]["value"] for r in hub.result.rows] == ["Alpha", "Bêta"]
    assert hub.this == TEST_SITE + "hub/"
    assert hub.run_text == PARTS.replace("?this", f"<{TEST_SITE}hub/>") + "\n"  # the block's content ends its last line
    [alpha] = kb.note_queries["a.md"]
    assert alpha.result.rows == []  # nothing is part of Alpha: the same text, another note
    assert "b.md" not in kb.note_queries


def test_ask_construct_and_describe(tmp_path: Path) -> None:
    body = block("ASK { ?this a kb:Framework }") + block("ASK { ?this a kb:Hub }")
    body += block("CONSTRUCT { ?this skos:broader ?p } WHERE { ?this kb:isPartOf ?p }") + block("DESCRIBE ?this")
    kb = build(tmp_path, {"f.md": note("Fw", body, type="framework", isPartOf="Carrefour"), "hub.md": note("Carrefour", type="hub")})
    assert kb.diagnostics == []
    yes, no, construct, describe = kb.note_queries["f.md"]
    assert (yes.result.boolean, no.result.boolean) == (True, False)
    assert construct.result.graph.strip() == f"<{TEST_SITE}f/> <http://www.w3.org/2004/02/skos/core#broader> <{TEST_SITE}hub/> ."
    assert f'<{TEST_SITE}f/> <http://www.w3.org/2004/02/skos/core#prefLabel> "Fw"@fr .' in describe.result.graph


def test_this_is_replaced_as_a_token_only() -> None:
    iri = "https://kb.test/n/"
    text = "SELECT ?thisNote WHERE { ?thisNote ?p $this ; ?q '?this' ; ?r <x:?this> } # ?this\n"
    assert bind_this(text, iri)[0] == "SELECT ?thisNote WHERE { ?thisNote ?p <https://kb.test/n/> ; ?q '?this' ; ?r <x:?this> } # ?this\n"
    # where a bare IRI is not allowed: projected, grouped by, ordered by
    text = "SELECT ?this (COUNT(?s) AS ?n) WHERE { ?s ?p ?this FILTER(?s != ?this) } GROUP BY ?this ORDER BY ?this LIMIT 3"
    assert bind_this(text, iri)[0] == (
        "SELECT (<https://kb.test/n/> AS ?this) (COUNT(?s) AS ?n) WHERE { ?s ?p <https://kb.test/n/> FILTER(?s != <https://kb.test/n/>) }"
        " GROUP BY (<https://kb.test/n/>) ORDER BY (<https://kb.test/n/>) LIMIT 3"
    )
    text = "SELECT ?x WHERE { { SELECT ?this ?x WHERE { ?x ?p ?this } } }"
    assert bind_this(text, iri)[0] == "SELECT ?x WHERE { { SELECT (<https://kb.test/n/> AS ?this) ?x WHERE { ?x ?p <https://kb.test/n/> } } }"


def test_projected_and_grouped_this_runs(tmp_path: Path) -> None:
    text = "SELECT ?this (COUNT(?s) AS ?parties) WHERE { ?s kb:isPartOf ?this } GROUP BY ?this"
    kb = build(tmp_path, {"hub.md": note("Carrefour", block(text), type="hub"), "a.md": note("A", isPartOf="Carrefour"), "b.md": note("B", isPartOf="Carrefour")})
    assert kb.diagnostics == []
    [answer] = kb.note_queries["hub.md"]
    assert answer.result.rows == [{"this": {"type": "uri", "value": TEST_SITE + "hub/"},
                                   "parties": {"type": "literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]


BAD = {
    # block text → (code, line in the block, column)
    "SELECT ?x\nWHERE {\n  ?x skos:prefLabel ?t\n} LIMIT dix": ("KB301", 4, 9),
    "SELECT ?x\nWHERE {\n  ?x kb:isPartOf ?this\n} LIMIT dix": ("KB301", 4, 9),  # the place in the text as written
    "INSERT DATA { <https://x.invalid/a> <https://x.invalid/b> 'c' }": ("KB302", 1, 1),
    "SELECT ?x WHERE {\n  BIND(1 AS ?this)\n}": ("KB308", 2, 13),
    "SELECT ?x WHERE { VALUES ?this { <a:b> } }": ("KB308", 1, 26),
    "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1 VALUES (?x ?this) { (1 2) }": ("KB308", 1, 49),
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }": ("KB306", 1, 1),
    "SELECT * WHERE { ?s ?p ?o }\nLOAD <http://127.0.0.1:9/x.ttl>": ("KB307", 1, 1),
}


@pytest.mark.parametrize("text", list(BAD))
def test_a_failed_block_is_a_diagnostic_at_its_place(tmp_path: Path, text: str) -> None:
    code, line, col = BAD[text]
    body = "## Questions\n\nUne phrase.\n" + block(text)  # the fence on line 5 of the body, 9 of the file
    kb = build(tmp_path, {"n.md": note("N", body)})
    [d] = kb.diagnostics
    assert (d.code, Path(d.path).resolve(), d.line, d.col) == (code, (tmp_path / "n.md").resolve(), 9 + line, col)
    [answer] = kb.note_queries["n.md"]
    assert answer.result is None and answer.error.startswith(f"ligne {line}, colonne {col} : ")


def test_a_syntax_error_caused_by_replacing_this_is_kb308() -> None:
    from kbtools.graph import new_graph
    from kbtools.note_queries import Edit, _syntax_as_written
    from kbtools.query import run_local

    graph = new_graph()
    text = "SELECT ?x WHERE {\n  ?x ?p ?this\n}"
    broken = "SELECT ?x WHERE {\n  ?x ?p <a:b> <a:c>\n}"  # as if the replacement had gone wrong
    with pytest.raises(KBError) as caught:
        run_local(graph, broken)
    error = _syntax_as_written(graph, text, broken, [Edit(26, 31, 26, 37)], caught.value, "<block>", 5.0)
    [d] = error.diagnostics
    assert (d.code, d.line, d.col) == ("KB308", 2, 9)


def test_position_in_an_indented_block(tmp_path: Path) -> None:
    body = "- une liste :\n\n  ```sparql\n  SELECT ?x WHERE {\n    ?x ?p ?o } LIMIT dix\n  ```\n"
    kb = build(tmp_path, {"n.md": note("N", body)})
    [d] = kb.diagnostics
    # fence on body line 3 (file line 7); the error on the block's second line, column 16 of the file's line
    assert (d.code, d.line, d.col) == ("KB301", 9, len("    ?x ?p ?o } LIMIT ") + 1)


def test_time_limit(tmp_path: Path) -> None:
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    notes = {f"n{i}.md": note(f"N{i}") for i in range(6)}
    notes["q.md"] = note("Q", block(cartesian))
    for name, text in notes.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    from kbtools.note_queries import answer_notes

    kb = build_knowledge_base(load_config(tmp_path, site_url=TEST_SITE), with_queries=False)
    _, found = answer_notes(kb, timeout=0.5)
    assert [(d.code, d.line) for d in found] == [("KB305", 7)]  # the block's first line (fence on line 6)
    assert "0.5 s" in found[0].message and "simplify" in found[0].hint


def test_norun_and_other_languages_are_not_run(tmp_path: Path) -> None:
    body = block("INSERT DATA { <a:b> <a:b> <a:c> }", 'sparql title="Un exemple" norun') + block("SELECT nonsense", "text")
    kb = build(tmp_path, {"n.md": note("N", body)})
    assert kb.diagnostics == []
    [answer] = kb.note_queries["n.md"]
    assert answer.norun and answer.result is None and answer.title == "Un exemple"


def test_info_string() -> None:
    assert read_info('sparql title="Les bibliothèques  de PyTorch"') == ("Les bibliothèques de PyTorch", False, True)
    assert read_info("SPARQL title='L\"API' norun linenums=\"1\"") == ('L"API', True, True)
    assert read_info('sparql title="ouvert') == ("", False, False)


def test_unreadable_info_string_is_a_warning(tmp_path: Path) -> None:
    kb = build(tmp_path, {"n.md": note("N", block("ASK {}", 'sparql title="ouvert'))})
    assert [(d.code, d.line, d.is_error) for d in kb.diagnostics] == [("KB309", 6, False)]
    assert kb.note_queries["n.md"][0].result.boolean is True  # the block still runs


def test_kb_check_reports_a_broken_block(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(note("N", block("SELECT ?x WHERE { ?x ?p ?o } LIMIT dix")), encoding="utf-8")
    (tmp_path / "ok.md").write_text(note("Ok", block(PARTS)), encoding="utf-8")
    proc = run_kb("check", str(tmp_path))
    assert proc.returncode == 1
    [line] = [line for line in proc.stdout.splitlines() if "KB3" in line]
    assert "n.md:7:36: KB301 error: SPARQL syntax error: " in line  # the block's first line, at « dix »
    assert "Traceback" not in proc.stderr


def test_a_query_that_crashes_the_engine_is_a_diagnostic(tmp_path: Path) -> None:
    deep = "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000  # the parser's recursion overflows its stack
    kb = build(tmp_path, {"n.md": note("N", block(deep) + block("ASK {}"))})
    [d] = kb.diagnostics
    assert (d.code, d.line) == ("KB301", 7)
    assert [a.result.boolean if a.result else None for a in kb.note_queries["n.md"]] == [None, True]  # the next block still runs
