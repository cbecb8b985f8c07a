"""Generated pages: by type, by tag (one page per tag and the tag cloud), A–Z, the graph.

They are Markdown (mkdocs renders them, checks their links, gives them a table of
contents); every title, alias and tag goes through :func:`.markup.md_text`.
"""

from __future__ import annotations

import math

from .. import schema
from ..ids import RelPath, relative_source
from ..notes import Note
from . import assets, graph_text
from .french import initial, plural, sort_key
from .graphdata import GraphData
from .markup import attrs, element, md_text, text
from .model import GRAPH_GLOBAL, GRAPH_PAGE, INDEX_AZ, INDEX_BY_TYPE, INDEX_PAGES, INDEX_TAGS, SiteModel, Tag
from .wikilinks import Slugifier

OTHER_INITIAL = "Autres"


def _link(page: RelPath, note: Note) -> str:
    return f"[{md_text(note.title)}](<{relative_source(page, note.path)}>)"


def _item(page: RelPath, note: Note) -> str:
    line = f"- {_link(page, note)}"
    return line + f" — {md_text(note.description)}" if note.description else line


def by_type(model: SiteModel) -> str:
    out = [f"# {INDEX_PAGES[INDEX_BY_TYPE]}", "", f"Les {plural(len(model.kb.notes), 'note')} de la base, rangées par type.", ""]
    for kind, (_, label, _) in schema.TYPES.items():
        notes = model.sorted(n for n in model.kb.notes if n.type == kind)
        if notes:
            out += [f"## {label} ({len(notes)})", ""] + [_item(INDEX_BY_TYPE, n) for n in notes] + [""]
    return "\n".join(out)


def tag_cloud(model: SiteModel) -> str:
    """Every tag, its size growing with the number of notes; links to the tag pages."""
    tags = model.sorted_tags()
    out = [f"# {INDEX_PAGES[INDEX_TAGS]}", "", f"{plural(len(tags), 'étiquette')}, de la plus rare à la plus courante par la taille.", ""]
    if not tags:
        return "\n".join(out)
    most = max(len(t.notes) for t in tags)
    links = []
    for tag in tags:
        size = 0.9 + 0.9 * math.log1p(len(tag.notes)) / math.log1p(most)
        href = model.href(INDEX_TAGS, tag.path)
        label = f"{text(tag.name)} <span class=\"kb-count\">{len(tag.notes)}</span>"
        links.append(f"<a{attrs(href=href, class_='kb-tag', style=f'font-size: {size:.2f}em', title=plural(len(tag.notes), 'note'))}>{label}</a>")
    out += ['<p class="kb-tag-cloud">', "\n".join(links), "</p>", ""]
    return "\n".join(out)


def tag_page(model: SiteModel, tag: Tag) -> str:
    notes = model.sorted(tag.notes)
    back = f"[Toutes les étiquettes](<{relative_source(tag.path, INDEX_TAGS)}>)"
    out = [f"# Étiquette « {md_text(tag.name)} »", "", f"{plural(len(notes), 'note')} · {back}", ""]
    return "\n".join(out + [_item(tag.path, n) for n in notes] + [""])


def tag_title(tag: Tag) -> str:
    return f"Étiquette « {tag.name} »"


def a_to_z(model: SiteModel, slugify: Slugifier) -> str:
    """Titles and aliases by initial letter; an alias sends to its note (« voir … »)."""
    entries: list[tuple[tuple, str, str]] = []
    for note in model.kb.notes:
        entries.append((sort_key(note.title), initial(note.title), _link(INDEX_AZ, note)))
        for alias in note.aliases:
            entries.append((sort_key(alias), initial(alias), f"*{md_text(alias)}*, voir {_link(INDEX_AZ, note)}"))
    entries.sort(key=lambda e: e[0])
    groups: dict[str, list[str]] = {}
    for _, letter, line in entries:
        groups.setdefault(OTHER_INITIAL if letter == "#" else letter, []).append(line)
    bar = " · ".join(f"[{letter}](#{slugify(letter)})" for letter in groups)
    out = [f"# {INDEX_PAGES[INDEX_AZ]}", "", "Toutes les notes par ordre alphabétique, avec leurs autres noms.", "", bar, ""]
    for letter, lines in groups.items():
        out += [f"## {letter}", ""] + [f"- {line}" for line in lines] + [""]
    return "\n".join(out)


# The graph as text is long HTML (thousands of rows at 1,000 notes): Python-Markdown would take
# seconds to carry it through, and material's search to parse it (for nothing: it is excluded
# from the index). The Markdown holds these markers; the plugin puts the HTML in the rendered page.
GRAPH_OUTLINE = "<!--kb:graph-outline-->"
GRAPH_TABLES = "<!--kb:graph-tables-->"


def graph_text_blocks(model: SiteModel, data: GraphData) -> dict[str, str]:
    """The graph as text, by the marker of :func:`graph_page` it replaces in the rendered page."""
    root = model.to_root(GRAPH_PAGE)
    return {GRAPH_OUTLINE: str(graph_text.outline(data, root)), GRAPH_TABLES: str(graph_text.edge_tables(data, root))}


def graph_page(model: SiteModel, data: GraphData) -> str:
    """The drawing of ``data`` (the global graph), then the same graph as text: outline and tables
    (markers, see :func:`graph_text_blocks`)."""
    root = model.to_root(GRAPH_PAGE)
    intro = (
        f"Les {plural(len(model.kb.notes), 'note')} de la base et leurs relations, regroupées par carrefour. "
        "Survolez un lien pour lire la relation ; cliquez sur une note pour la mettre en avant (le reste s’estompe), "
        "cliquez-la à nouveau pour l’ouvrir ; filtrez par relation ou par type, cherchez une note par son titre. "
        "L’adresse de la page garde la note choisie et les filtres."
    )
    alternatives = "Le même graphe en texte : [plan par carrefour](#plan) et [tableau des relations](#relations)."
    fallback = "Le dessin du graphe demande JavaScript ; le plan et le tableau ci-dessous en donnent tout le contenu."
    container = assets.graph_container(root + GRAPH_GLOBAL, root, "global", describedby=graph_text.SUMMARY_ID, fallback=fallback)
    description = element("p", graph_text.summary(data), id=graph_text.SUMMARY_ID, class_="kb-graph__summary")
    return "\n".join(
        [
            f"# {INDEX_PAGES[GRAPH_PAGE]}",
            "",
            intro,
            "",
            alternatives,
            "",
            str(container),
            "",
            str(description),
            "",
            "## Plan par carrefour {#plan}",
            "",
            "Chaque carrefour, ses parties et sous-catégories emboîtées, et pour chaque note ses autres relations.",
            "",
            GRAPH_OUTLINE,
            "",
            "## Tableau des relations {#relations}",
            "",
            "Toutes les relations du graphe, une ligne par relation, un tableau par sorte de relation.",
            "",
            GRAPH_TABLES,
            "",
        ]
    )


def pages(model: SiteModel, slugify: Slugifier) -> dict[RelPath, tuple[str, str]]:
    """The index and tag pages: source path → (title, Markdown). They show the notes' names,
    types, tags and descriptions, never a relation (the graph page is :func:`graph_page`)."""
    out = {
        INDEX_BY_TYPE: (INDEX_PAGES[INDEX_BY_TYPE], by_type(model)),
        INDEX_TAGS: (INDEX_PAGES[INDEX_TAGS], tag_cloud(model)),
        INDEX_AZ: (INDEX_PAGES[INDEX_AZ], a_to_z(model, slugify)),
    }
    for tag in model.sorted_tags():
        out[tag.path] = (tag_title(tag), tag_page(model, tag))
    return out
