"""Answered questions: a page per named query of ``ontology/queries``, answered at build time.

Each page shows the French question, its description, the query and its result table, run
with :func:`kbtools.query.run_local` on the graph the plugin built, and links to the SPARQL
page with the query in the URL; the « Questions » page lists them. No JavaScript is needed to
read them, and every value from the graph is escaped (:mod:`.markup`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..diagnostics import KBError
from ..graph import question_triples
from ..ids import RelPath, concept_iri, relative_source, served_url
from ..query import NamedQuery, Result, graph_digest, load_named_queries, run_local, term_text
from . import sparql
from .build import SiteBuild, SiteError
from .derived import Derived, digest_of
from .french import plural
from .markup import element, join, link, md_text, text
from .model import SiteModel
from .nav import NavItem

log = logging.getLogger("mkdocs.plugins.kb")

# questions.md rather than questions/index.md (same URL): material would make an index.md the page of the nav section.
INDEX = RelPath("questions.md")
INDEX_TITLE = "Questions"
OPEN_IN_EDITOR = "Ouvrir dans l’éditeur SPARQL"
MAX_ROWS = 500  # a page, not a data dump: the editor and its downloads give every row
_NUMERIC = re.compile(r"#(integer|decimal|double|float|int|long)$")


@dataclass
class Answer:
    result: Result | None
    error: str = ""

    @property
    def count(self) -> int:
        if self.result is None:
            return 0
        if self.result.graph is not None:
            return sum(1 for line in self.result.graph.splitlines() if line.strip())
        return 1 if self.result.boolean is not None else len(self.result.rows)


@dataclass
class QuestionPages:
    """What :func:`add_pages` generated: the index, the SPARQL page (when kb.ttl is exported), the questions."""

    editor: RelPath | None
    questions: dict[RelPath, str] = field(default_factory=dict)  # page → its question

    def nav(self) -> list[NavItem]:
        """A « Questions » section for :func:`.nav.build_nav`: the editor, the list, every question."""
        entries: list[NavItem] = [{sparql.TITLE: self.editor}] if self.editor is not None else []
        entries.append({INDEX_TITLE: INDEX})
        entries += [{str(text(title)): path} for path, title in self.questions.items()]
        return [{INDEX_TITLE: entries}]


def question_path(name: str) -> RelPath:
    return RelPath(f"questions/{name}.md")


def add_pages(files: Files, config: MkDocsConfig, site: SiteBuild, editor: bool = True, last: Derived | None = None, defer: bool = False) -> QuestionPages:
    """Add the pages (URLs first, since they link to each other), then answer and write them.

    ``last`` (kept by the plugin between the rebuilds of mkdocs serve) holds the last answers'
    pages. With ``defer``, when the graph changed and the questions did not, the pages keep the
    last answers for now and ``site.redo`` answers again (:mod:`.background`)."""
    model = site.model
    queries = load_named_queries(model.kb.config.ontology_dir / "queries")
    made = QuestionPages(sparql.SPARQL_PAGE if editor else None, {question_path(q.name): q.title for q in queries.values()})
    titles: dict[RelPath, str] = {INDEX: INDEX_TITLE}
    if made.editor is not None:
        titles[made.editor] = sparql.TITLE
    titles |= made.questions
    generated: dict[RelPath, File] = {}
    for path in titles:
        generated[path] = _append(files, File.generated(config, path, content=""))
        model.urls[path] = served_url(generated[path].url)
    site.titles.update(titles)
    # Every question's page describes it (JSON-LD): its IRI joins the graph before any answer is computed.
    asked = [(model.urls[question_path(name)], q.title, q.description, q.text) for name, q in queries.items()]
    model.kb.graph.addN((s, p, o, model.kb.graph) for s, p, o in question_triples(model.kb.config, asked))
    pages_by_iri = {concept_iri(model.kb.config.site_url, url): path for path, url in model.urls.items()}
    key = digest_of(editor, [(name, q.title, q.description, q.text) for name, q in queries.items()])
    graph = graph_digest(model.kb.graph) if last is not None else ""

    def answer_all() -> list[File]:
        answers = {name: answer(model, q) for name, q in queries.items()}
        pages = {question_path(name): question_markdown(model, q, answers[name], pages_by_iri, editor) for name, q in queries.items()}
        pages[INDEX] = index_markdown(queries, answers, editor)
        for path, markdown in pages.items():
            generated[path].content_string = markdown
        if last is not None:
            last.question_pages, last.questions, last.question_graph = pages, key, graph
        return [generated[path] for path in pages]

    answered = {INDEX, *(question_path(name) for name in queries)}
    if defer and last is not None and last.questions == key and set(last.question_pages) == answered and last.question_graph != graph:
        for path, markdown in last.question_pages.items():
            generated[path].content_string = markdown
        site.redo.append(answer_all)
    else:
        answer_all()
    if made.editor is not None:
        pages = {name: question_path(name) for name in queries}
        generated[made.editor].content_string = sparql.page_markdown(model, queries, pages, INDEX)
        sparql.add_assets(config, lambda f: _append(files, f))
    return made


def _append(files: Files, file: File) -> File:
    if files.get_file_from_path(file.src_uri) is not None:
        raise SiteError(f"{file.src_uri} exists in the docs folder, but the kb plugin generates it: rename that file")
    files.append(file)
    return file


def answer(model: SiteModel, query: NamedQuery) -> Answer:
    """The query run on the site's graph; a failure is reported (a warning: ``--strict`` fails) and shown."""
    try:
        result = run_local(model.kb.graph, query.text, str(query.path), timeout=None)  # the project's own named queries
    except KBError as exc:
        for diagnostic in exc.diagnostics:
            log.warning(diagnostic.format())
        # Position and message only: the page is published, the build machine's paths are not.
        shown = "\n".join(f"ligne {d.line}, colonne {d.col} : {d.message}" + (f" ({d.hint})" if d.hint else "") for d in exc.diagnostics)
        return Answer(None, shown)
    return Answer(result)


def _fenced(code: str, lang: str = "") -> str:
    """A fenced block longer than any run of backticks inside, so the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{lang}\n{code.rstrip()}\n{fence}"


def _without_header(text: str) -> str:
    """The query below its leading comments (title and description, already the page's heading and intro)."""
    lines = text.splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines) or text


def result_cell(term: dict | None, model: SiteModel, page: RelPath, pages_by_iri: Mapping[str, RelPath]) -> Markup:
    """One cell of a result table (question pages and the notes' ``sparql`` blocks): an IRI with a
    page of the site links to it, everything else is escaped text."""
    if term is None:
        return element("td")
    label = term_text(term)
    if term["type"] == "uri":
        target = pages_by_iri.get(term["value"])
        if target is not None:
            return element("td", link(model.href(page, target), label), title=term["value"])
        if re.match(r"https?://", term["value"], re.I):  # never javascript: or data: IRIs as links
            return element("td", link(term["value"], label, rel="nofollow noopener"), title=term["value"])
        return element("td", label, title=term["value"])
    numeric = bool(_NUMERIC.search(term.get("datatype", "")))
    return element("td", label, style="text-align: right" if numeric else None, title=term.get("xml:lang") or term.get("datatype"))


def result_html(result: Result, model: SiteModel, page: RelPath, pages_by_iri: Mapping[str, RelPath]) -> str:
    """The answer as HTML: a table (one line per row: no blank line ends the HTML block), yes / no, or triples."""
    if result.boolean is not None:
        return str(element("p", Markup("<strong>Oui</strong> (true)" if result.boolean else "<strong>Non</strong> (false)")))
    if result.graph is not None:
        return _fenced(result.graph, "text")
    head = element("tr", join(element("th", f"?{v}") for v in result.vars))
    rows = [element("tr", join(result_cell(row.get(v), model, page, pages_by_iri) for v in result.vars)) for row in result.rows[:MAX_ROWS]]
    body = "\n".join(str(r) for r in rows)
    return f'<div class="kb-results">\n<table>\n<thead>{head}</thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>'


def _count(a: Answer) -> str:
    if a.result is not None and a.result.graph is not None:
        return plural(a.count, "triplet")
    return "aucun résultat" if a.count == 0 else plural(a.count, "résultat")


def question_markdown(model: SiteModel, query: NamedQuery, a: Answer, pages_by_iri: Mapping[str, RelPath], editor: bool) -> str:
    page = question_path(query.name)
    out = [f"# {md_text(query.title)}", ""]
    if query.description:
        out += [md_text(query.description), ""]
    out += [_fenced(_without_header(query.text), "sparql"), ""]
    if editor:
        out += [str(element("p", link(sparql.editor_href(model, page, query.text), OPEN_IN_EDITOR, class_="md-button md-button--primary"))), ""]
    out += ["## Réponse", ""]
    if a.result is None:
        title = element("p", "La requête a échoué à la construction du site", class_="admonition-title")
        out += [str(element("div", title + element("pre", a.error), class_="admonition failure")), ""]
    else:
        count = _count(a)
        shown = f" (les {MAX_ROWS} premiers sont affichés)" if a.count > MAX_ROWS and a.result.graph is None else ""
        out += [f"{md_text(count[:1].upper() + count[1:])}{shown} · réponse calculée à la construction du site.", ""]
        out += [result_html(a.result, model, page, pages_by_iri), ""]
    out += [f"[Toutes les questions](<{relative_source(page, INDEX)}>)", ""]
    return "\n".join(out)


def index_markdown(queries: Mapping[str, NamedQuery], answers: Mapping[str, Answer], editor: bool) -> str:
    out = [f"# {INDEX_TITLE}", "", "Les questions auxquelles la base sait répondre : chacune avec sa requête SPARQL et sa réponse, calculée à la construction du site."]
    if editor:
        out[-1] += f" Pour poser les vôtres : [{sparql.TITLE}](<{relative_source(INDEX, sparql.SPARQL_PAGE)}>)."
    out.append("")
    for name, q in queries.items():
        line = f"- [{md_text(q.title)}](<{relative_source(INDEX, question_path(name))}>) — {md_text(_count(answers[name]))}"
        out.append(line + (f". {md_text(q.description)}" if q.description else ""))
    if not queries:
        out.append("Aucune requête nommée dans `ontology/queries/`.")
    return "\n".join([*out, ""])
