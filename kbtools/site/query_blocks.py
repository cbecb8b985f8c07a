"""Questions inside notes on the site: each ``sparql`` block of a note becomes its answer.

The blocks were answered when the knowledge base was built (:mod:`kbtools.note_queries`); here
each one's fenced block in the page's Markdown is replaced by one line of HTML: the title, the
answer (a table whose IRIs link to their pages, « Oui »/« Non » for ``ASK``, a table of triples
for ``CONSTRUCT``/``DESCRIBE``), the row count, a link that opens the query on the SPARQL page,
and the query as written in a ``<details>``. Every value from the graph is escaped
(:mod:`.markup`); the HTML uses only what :mod:`kbtools.sanitize` keeps, since the note's HTML
is sanitised after Markdown. A block that failed keeps its code and says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox
from markupsafe import Markup

from ..body import read_body
from ..ids import RelPath, concept_iri
from ..note_queries import LANGUAGE, NoteQuery, is_query_fence
from ..query import Result
from . import sparql
from .french import plural
from .markup import element, join, link
from .model import SiteModel
from .questions import MAX_ROWS, OPEN_IN_EDITOR, result_cell

# The opening fence of a block: its containers' prefix (indentation, ``> ``, list markers), then the fence.
_OPENING = re.compile(r"^((?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*)(`{3,}|~{3,})")
TRIPLE_HEADERS = ("Sujet", "Prédicat", "Objet")
QUERY_SUMMARY = "Requête SPARQL"
BUILT = "calculé à la construction du site"


def pages_by_iri(model: SiteModel) -> dict[str, RelPath]:
    """IRI → page, for every page of the site (as :mod:`.questions` links its answers)."""
    return {concept_iri(model.kb.config.site_url, url): path for path, url in model.urls.items()}


def expand(markdown: str, answers: list[NoteQuery], model: SiteModel, page: RelPath, pages: Mapping[str, RelPath], editor: bool) -> str:
    """``markdown`` (the page's body) with its ``sparql`` blocks replaced by their answers.

    The blocks are found again in ``markdown`` with the same reader and matched in order with
    ``answers`` (the blocks of the note's file); a block whose text differs, or that the
    answers do not cover, is left as it is. Each block becomes one line, with the prefix of its
    opening fence (indentation or marker of a list item, ``> `` of a quote), so its container is kept.
    """
    if not answers:
        return markdown
    fences = [f for f in read_body(markdown).fences if is_query_fence(f)]
    lines = markdown.split("\n")
    for fence, answer in reversed(list(zip(fences, answers, strict=False))):
        if fence.content != answer.text or fence.end <= fence.line:
            continue
        opening = _OPENING.match(lines[fence.line])
        if opening is None:
            continue
        if answer.norun:  # a plain code block, its info string in a form code-block extensions take
            lines[fence.line] = opening.group(0) + LANGUAGE + _title_option(answer.title)
        else:
            lines[fence.line : fence.end] = [opening.group(1) + block_html(answer, model, page, pages, editor)]
    return "\n".join(lines)


def _title_option(title: str) -> str:
    """`` title="…"`` as pymdownx.highlight reads it (a title holding both quotes is left out)."""
    for quote in "\"'":
        if title and quote not in title:
            return f" title={quote}{title}{quote}"
    return ""


def block_html(answer: NoteQuery, model: SiteModel, page: RelPath, pages: Mapping[str, RelPath], editor: bool) -> str:
    """One block as one line of HTML (no blank line can end the HTML block early)."""
    parts: list[Markup] = []
    if answer.title:
        parts.append(element("p", element("strong", answer.title), class_="kb-query__title"))
    if answer.result is None:
        title = element("p", "La requête a échoué à la construction du site", class_="admonition-title")
        parts.append(element("div", title + element("pre", answer.error), class_="admonition failure"))
    else:
        parts.append(result_html(answer.result, model, page, pages))
        said = count(answer.result)
        line = join([said[:1].upper() + said[1:], BUILT] if said else [BUILT[:1].upper() + BUILT[1:]], " · ")
        if editor:
            line += Markup(" ") + link(sparql.editor_href(model, page, answer.run_text), OPEN_IN_EDITOR, class_="md-button kb-query__open")
        parts.append(element("p", line, class_="kb-query__meta"))
    source = [element("summary", QUERY_SUMMARY), element("pre", element("code", answer.text.rstrip("\n"), class_="language-sparql"))]
    if answer.this:
        source.append(element("p", Markup("<code>?this</code> désigne cette note : ") + element("code", answer.this)))
    parts.append(element("details", join(source), class_="kb-query__source"))
    html = str(element("div", join(parts), class_="kb-query"))
    return html.replace("\r", "&#13;").replace("\n", "&#10;")  # one line: newlines of <pre> as references


def count(result: Result) -> str:
    """« 3 résultats », « aucun résultat », « 12 triplets (les 500 premiers sont affichés) »; empty for ``ASK``."""
    if result.boolean is not None:
        return ""
    n = len(_triples(result)) if result.graph is not None else len(result.rows)
    if n == 0:
        return "aucun triplet" if result.graph is not None else "aucun résultat"
    said = plural(n, "triplet" if result.graph is not None else "résultat")
    return said + (f" (les {MAX_ROWS} premiers sont affichés)" if n > MAX_ROWS else "")


def header(var: str) -> str:
    """A column's French header from the variable's name (or its ``AS`` alias): ``?date_creation`` → « Date creation »."""
    words = var.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def result_html(result: Result, model: SiteModel, page: RelPath, pages: Mapping[str, RelPath]) -> Markup:
    """The answer: « Oui »/« Non », or a table (the first :data:`MAX_ROWS` rows)."""
    if result.boolean is not None:
        return element("p", element("strong", "Oui" if result.boolean else "Non"), class_="kb-query__boolean")
    if result.graph is not None:
        names, rows = list(TRIPLE_HEADERS), [dict(zip("spo", triple, strict=True)) for triple in _triples(result)]
        variables = ["s", "p", "o"]
    else:
        names, rows, variables = [header(v) for v in result.vars], result.rows, result.vars
    if not rows:
        return Markup("")
    head = element("tr", join(element("th", name, scope="col", title=f"?{var}" if result.graph is None else None) for name, var in zip(names, variables, strict=True)))
    body = join(element("tr", join(cell(row.get(v), model, page, pages) for v in variables)) for row in rows[:MAX_ROWS])
    return element("div", element("table", element("thead", head) + element("tbody", body)), class_="kb-query__table")


def cell(term: dict | None, model: SiteModel, page: RelPath, pages: Mapping[str, RelPath]) -> Markup:
    """A table cell: a note's IRI is a link labelled with the note's title (the IRI as tooltip);
    any other term as on the questions' pages (other IRIs of the site linked, literals as text)."""
    if term is not None and term["type"] == "uri" and (target := pages.get(term["value"])) is not None:
        note = model.by_path.get(target)
        if note is not None:
            return element("td", link(model.href(page, target), note.title), title=term["value"])
    return result_cell(term, model, page, pages)


def _triples(result: Result) -> list[tuple[dict, dict, dict]]:
    """The triples of a ``CONSTRUCT``/``DESCRIBE`` answer (N-Triples text) as SPARQL-JSON terms, sorted."""
    found = [(_term(t.subject), _term(t.predicate), _term(t.object)) for t in ox.parse(result.graph or "", format=ox.RdfFormat.N_TRIPLES)]
    return sorted(found, key=lambda t: tuple(term["value"] for term in t))


def _term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out
