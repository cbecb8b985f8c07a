"""The site's small modules on their own: French order, excerpts, escaping, nav on cycles, graph budget."""

from __future__ import annotations

import json
from datetime import date
from html import unescape
from pathlib import Path

import markdown
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kbtools.config import VaultConfig
from kbtools.ids import RelPath, page_url
from kbtools.pipeline import build_knowledge_base
from kbtools.site import graphdata
from kbtools.site.excerpt import excerpt
from kbtools.site.french import initial, long_date, sort_key
from kbtools.site.jsonld import Compactor, by_subject
from kbtools.site.markup import md_text, script_json
from kbtools.site.model import SiteModel
from kbtools.site.nav import build_nav
from kbtools.site.wikilinks import anchor_slugifier, heading_anchor


def _note(root: Path, name: str, title: str, body: str = "", **relations: str | list[str]) -> None:
    lines = ["---", f"title: '{title}'", "type: concept"]
    for key, value in relations.items():
        values = value if isinstance(value, list) else [value]
        lines.append(f"{key}:")
        lines += [f"- '[[{v}]]'" for v in values]
    lines += ["---", body, ""]
    (root / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")


def _model(root: Path) -> SiteModel:
    kb = build_knowledge_base(VaultConfig(root, "https://t.invalid/"))
    return SiteModel.build(kb, {n.path: page_url(n.path) for n in kb.notes})


def _paths(nav) -> list[str]:
    out: list[str] = []
    for item in nav:
        for value in item.values():
            out += _paths(value) if isinstance(value, list) else [value]
    return out


def test_french_collation_ignores_accents_case_and_leading_signs() -> None:
    titles = ["Tenseur", "élagage", "Écosystème", "Descente", "« Zoo »", "eager", "<img>", "10 règles"]
    assert sorted(titles, key=sort_key) == ["10 règles", "Descente", "eager", "Écosystème", "élagage", "<img>", "Tenseur", "« Zoo »"]
    assert [initial(t) for t in ["Élagage", "« Zoo »", "10 règles", "∑ somme", "∑"]] == ["E", "Z", "0–9", "S", "#"]


def test_french_dates() -> None:
    assert long_date(date(2026, 11, 23)) == "23 novembre 2026"
    assert long_date(date(2026, 5, 1)) == "1er mai 2026"
    assert long_date(date(2027, 2, 9)) == "9 février 2027"


def test_markdown_text_prints_as_is() -> None:
    for value in ["<img src=x onerror=alert(1)>", "a_b_c *x* [l](u) `c` | t", "C++ & l'IA #1", "\\*"]:
        html = markdown.markdown(md_text(value), extensions=["tables"])
        inner = html.removeprefix("<p>").removesuffix("</p>")
        assert "<" not in inner and unescape(inner) == value, html


def test_script_json_cannot_close_the_script() -> None:
    data = json.dumps({"t": "</script><!-- & -->"})
    safe = script_json(data)
    assert "<" not in safe and ">" not in safe and "&" not in safe
    assert json.loads(safe) == {"t": "</script><!-- & -->"}


def test_excerpt_keeps_the_sentence_and_strips_markup() -> None:
    body = "Intro ici. Un **réseau** utilise des [[Tenseur|tenseurs]] et `du code`, voir [doc](http://x). Fin.\n- [[Autre]] item"
    ex = excerpt(body, body.index("[[Tenseur"))
    assert (ex.before, ex.mention, ex.after) == ("Un réseau utilise des ", "tenseurs", " et du code, voir doc.")
    ex = excerpt(body, body.index("[[Autre"))
    assert (ex.before, ex.mention, ex.after) == ("", "Autre", " item")
    assert excerpt(body, 3) is None  # not the start of a wikilink
    body = "**PyTorch.** Le cœur de [[Présentation de PyTorch|PyTorch]] suffit. Ensuite."
    ex = excerpt(body, body.index("[["))
    assert (ex.before, ex.mention, ex.after) == ("Le cœur de ", "PyTorch", " suffit.")


def test_excerpt_of_a_long_sentence_is_shortened_around_the_mention() -> None:
    body = "mot " * 200 + "[[Cible]]" + " suite" * 200
    ex = excerpt(body, body.index("[[Cible"))
    assert ex.mention == "Cible" and ex.before.startswith("… ") and ex.after.endswith(" …")
    assert len(ex.before + ex.mention + ex.after) < 300


def test_nav_places_every_note_once_even_with_cycles(tmp_path: Path) -> None:
    _note(tmp_path, "a", "A", isPartOf="B")
    _note(tmp_path, "b", "B", isPartOf="A")  # A and B form a cycle: neither is a root
    _note(tmp_path, "c", "C", isPartOf="A")
    _note(tmp_path, "d", "D")
    _note(tmp_path, "e", "E", isPartOf=["D", "A"])
    _note(tmp_path, "f", "F", subClassOf="E")
    model = _model(tmp_path)
    assert any(d.code == "KB105" for d in model.kb.diagnostics)
    nav = build_nav(model, RelPath("index.md"), [])
    paths = [p for p in _paths(nav) if p.endswith(".md") and p != "index.md" and not p.startswith(("index/", "graphe"))]
    assert sorted(paths) == ["a.md", "b.md", "c.md", "d.md", "e.md", "f.md"]
    assert nav[1] == {"D": [{"D": "d.md"}, {"E": [{"E": "e.md"}, {"F": "f.md"}]}]}
    assert "Autres notes" in nav[2]
    by_title = {n.title: n for n in model.kb.notes}
    assert [n.title for n in model.breadcrumb(by_title["C"])] == ["B", "A"]  # stops where the cycle would loop


def test_primary_parent_is_the_first_written(tmp_path: Path) -> None:
    _note(tmp_path, "p", "P")
    _note(tmp_path, "q", "Q")
    _note(tmp_path, "x", "X", subClassOf="Q", isPartOf="P")
    (tmp_path / "y.md").write_text("---\ntitle: Y\nsubClassOf: '[[Q]]'\nisPartOf: '[[P]]'\n---\n", encoding="utf-8")
    model = _model(tmp_path)
    by_title = {n.title: n for n in model.kb.notes}
    assert model.primary_parent(by_title["X"]).title == "Q"  # helper writes subClassOf first
    assert model.primary_parent(by_title["Y"]).title == "Q"


def test_local_graph_stays_under_budget_keeping_strong_relations(tmp_path: Path) -> None:
    _note(tmp_path, "hub", "Hub")
    for i in range(5):
        _note(tmp_path, f"part-{i}", f"Partie {i}", isPartOf="Hub")
    for i in range(900):
        _note(tmp_path, f"m-{i}", f"Une note au titre assez long numéro {i}", body="Voir [[Hub]].")
    model = _model(tmp_path)
    hub = next(n for n in model.kb.notes if n.title == "Hub")
    data = graphdata.local_graph(model, hub, 50_000)
    assert len(data.to_json()) <= 50_000
    assert data.hidden > 0 and len(data.nodes) + data.hidden == 906
    titles = {n[0] for n in data.nodes}
    assert {f"Partie {i}" for i in range(5)} <= titles


def test_heading_anchor_uses_the_heading_as_written(tmp_path: Path) -> None:
    _note(tmp_path, "n", "N", body="## Mise en œuvre **rapide**\n\n## Détails")
    note = _model(tmp_path).kb.notes[0]
    slugify = anchor_slugifier({"toc": {"permalink": True}})
    # The heading's own text decides the id (toc drops « œ »), not the spelling of the link.
    assert heading_anchor(note, "mise en œuvre RAPIDE", slugify) == "mise-en-uvre-rapide"
    assert heading_anchor(note, "details", slugify) == "details"
    assert heading_anchor(note, "Absente", slugify) == "absente"


def test_jsonld_compactor_falls_back_when_no_term_fits() -> None:
    context = {"ex": "https://ex.invalid/", "skos": str(SKOS), "xsd": str(XSD), "id": "@id", "type": "@type",
               "title": {"@id": "skos:prefLabel", "@language": "fr"}, "day": {"@id": "ex:day", "@type": "xsd:date"}}
    s = URIRef("https://ex.invalid/n")
    graph = Graph()
    triples = [
        (s, RDF.type, SKOS.Concept),
        (s, SKOS.prefLabel, Literal("Titre", lang="fr")),
        (s, SKOS.prefLabel, Literal("Title", lang="en")),  # not French: no term fits
        (s, URIRef("https://ex.invalid/day"), Literal("2026-11-23", datatype=XSD.date)),
        (s, URIRef("https://ex.invalid/day"), Literal("bientôt")),  # not a date
        (s, URIRef("https://ex.invalid/other"), URIRef("https://ex.invalid/o")),
    ]
    for t in triples:
        graph.add(t)
    node = Compactor(context).node(by_subject(graph), s)
    assert node["title"] == "Titre" and node["day"] == "2026-11-23"
    assert node["skos:prefLabel"] == {"@value": "Title", "@language": "en"}
    assert node["ex:day"] == "bientôt" and node["ex:other"] == {"@id": "https://ex.invalid/o"}
    assert set(Graph().parse(data=json.dumps(node), format="json-ld")) == set(triples)
