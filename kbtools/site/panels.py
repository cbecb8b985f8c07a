"""Per-page panels of a note: breadcrumb and facts above the body, relations below.

Everything is HTML built with :mod:`.markup`, so titles, tags and excerpts are escaped.
The boxes use the theme's CSS variables (``assets/kb.css``) and follow dark mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from markupsafe import Markup

from .. import schema
from ..export import FORMATS
from ..notes import Note
from . import assets
from .excerpt import excerpt
from .french import long_date
from .markup import element, join, link
from .model import GRAPH_PAGE, SiteModel

# Panels below the body: (relation, direction, title, CSS name). Titles come from the schema.
PANELS: tuple[tuple[str, str, str, str], ...] = (
    ("isPartOf", "targets", schema.RELATION_LABELS["isPartOf"][0], "isPartOf"),
    ("subClassOf", "targets", schema.RELATION_LABELS["subClassOf"][0], "subClassOf"),
    ("isPartOf", "sources", schema.RELATION_LABELS["isPartOf"][1], "hasPart"),
    ("subClassOf", "sources", schema.RELATION_LABELS["subClassOf"][1], "narrower"),
    ("seeAlso", "symmetric", schema.RELATION_LABELS["seeAlso"][0], "seeAlso"),
    ("differentFrom", "symmetric", schema.RELATION_LABELS["differentFrom"][0], "differentFrom"),
    ("sources", "targets", schema.RELATION_LABELS["sources"][0], "sources"),
    ("sources", "sources", "Cité comme source par", "citedBy"),
)
SHOWN_LINKS = 12  # links of a relation panel shown before the rest folds away
SHOWN_MENTIONS = 6  # notes quoted in « Mentionné dans » before the rest folds away
FORMAT_LABELS = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples"}
META_LABELS = {"author": "Auteur", "url": "Adresse", "date_published": "Publié le", "language": "Langue"}


def _note_link(model: SiteModel, page: Note, target: Note) -> Markup:
    return link(model.href(page.path, target.path), target.title, class_="kb-link", data_kb_type=target.type)


def _list(model: SiteModel, page: Note, notes: Iterable[Note]) -> Markup:
    return _folded([element("li", _note_link(model, page, n)) for n in notes], SHOWN_LINKS)


def _folded(items: list[Markup], shown: int, list_class: str | None = None) -> Markup:
    """A list whose tail folds into a ``<details>``: a hub can have dozens of parts."""
    head = element("ul", join(items[:shown]), class_=list_class)
    if len(items) <= shown:
        return head
    rest = len(items) - shown
    summary = element("summary", f"{rest} autre{'s' if rest > 1 else ''}")
    return head + element("details", summary + element("ul", join(items[shown:]), class_=list_class), class_="kb-more")


def _box(title: str, body: Markup, kind: str) -> Markup:
    return element("div", join([element("p", title, class_="kb-panel__title"), body]), class_=f"kb-panel kb-panel--{kind}")


def breadcrumb(model: SiteModel, note: Note) -> Markup:
    """The chain of primary parents (isPartOf / subClassOf), outermost first, then the note."""
    crumbs = [element("li", _note_link(model, note, n)) for n in model.breadcrumb(note)]
    crumbs.append(element("li", note.title, aria_current="page"))
    return element("nav", element("ol", join(crumbs)), class_="kb-breadcrumb", aria_label="Fil d’Ariane")


def header(model: SiteModel, note: Note, with_title: bool = True) -> Markup:
    """Title, type badge, dates, tags and the description as a lead."""
    parts = [element("h1", note.title)] if with_title else []
    facts = [element("span", schema.TYPES[note.type][1], class_=f"kb-badge kb-badge--{note.type}")]
    if note.created:
        facts.append(Markup("Créée le ") + element("time", long_date(note.created), datetime=note.created.isoformat()))
    if note.modified and note.modified != note.created:
        facts.append(Markup("modifiée le ") + element("time", long_date(note.modified), datetime=note.modified.isoformat()))
    parts.append(element("p", join(facts, " · "), class_="kb-facts"))
    if note.tags:
        tags = [link(model.href(note.path, model.tag(t).path), "#" + model.tag(t).name, class_="kb-tag", rel="tag") for t in note.tags]
        parts.append(element("p", join(tags, " "), class_="kb-tags", aria_label="Étiquettes"))
    if note.description:
        parts.append(element("p", note.description, class_="kb-lead"))
    return join(parts)


def footer(model: SiteModel, note: Note, graph_data: str | None) -> Markup:
    """Relations, backlinks, mentions, source details, linked data and the local graph."""
    boxes = []
    for kind, direction, title, css in PANELS:
        notes = getattr(model, direction)(note, kind)
        if notes:
            boxes.append(_box(title, _list(model, note, notes), css))
    if note.source_meta:
        boxes.append(_box("Référence", _source_meta(note), "reference"))
    parts = [element("div", join(boxes), class_="kb-grid")] if boxes else []
    if mentions := _mentions(model, note):
        parts.append(mentions)
    if graph_data is not None:
        graph = assets.graph_container(model.to_root(note.path) + quote(graph_data), model.to_root(note.path), "local")
        # The global graph page reads the note to focus from its query string (see kb-graph.js).
        whole = link(f"{model.href(note.path, GRAPH_PAGE)}?note={quote(model.url(note.path), safe='/')}", "Situer la note dans le graphe complet")
        parts.append(_box("Graphe local", graph + element("p", whole, class_="kb-graph__whole"), "graph"))
    parts.append(_data_links(model, note))
    return element("section", join(parts), class_="kb-panels", aria_label="Relations de la note")


def _mentions(model: SiteModel, note: Note) -> Markup | None:
    groups = model.mentions_of(note)
    if not groups:
        return None
    items = []
    for source, links in groups:
        quotes = []
        for found in links[:3]:  # a few quotes per note are enough to see the context
            ex = excerpt(source.body, found.offset)
            if ex is not None:
                quote = join([ex.before, element("strong", ex.mention), ex.after])
                quotes.append(element("blockquote", quote, class_="kb-excerpt"))
        items.append(element("li", join([_note_link(model, note, source), *quotes])))
    body = _folded(items, SHOWN_MENTIONS, "kb-mentions")
    return _box(schema.RELATION_LABELS["mentions"][1], body, "mentions")


def _source_meta(note: Note) -> Markup:
    rows = []
    for key, label in META_LABELS.items():
        value = note.source_meta.get(key)
        if not value:
            continue
        if key == "author":
            shown: object = ", ".join(value)
        elif key == "date_published":
            shown = long_date(value)
        elif key == "url" and str(value).startswith(("https://", "http://")):
            shown = link(str(value), str(value), rel="noopener")
        else:
            shown = value
        rows.append(join([element("dt", label), element("dd", shown)]))
    return element("dl", join(rows), class_="kb-reference")


def _data_links(model: SiteModel, note: Note) -> Markup:
    root = model.to_root(note.path)
    files = [link(root + FORMATS[f], FORMAT_LABELS[f], type=_MEDIA[f]) for f in FORMATS]
    iri = model.kb.iri(note)
    return element(
        "p",
        join([Markup("Données liées : IRI du concept "), element("code", iri), Markup(" · graphe complet en "), join(files, ", ")]),
        class_="kb-data",
    )


_MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples"}
