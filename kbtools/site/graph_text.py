"""The global graph as text, on the graph page: a description of the drawing, an outline
(hub → parts → relations) and the table of every relation.

Made from the very :class:`.graphdata.GraphData` the page draws (``global.json``), so text and
drawing show the same notes and relations. It is plain HTML written at build time: it works
without JavaScript and reads well with a screen reader (headings, nested lists, tables with a
caption and header cells). Titles are escaped by :mod:`.markup`; the blocks carry
``data-search-exclude`` so that material's search does not find every title on this page.
"""

from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup

from .. import schema
from ..ids import slugify
from .french import plural
from .graphdata import RELATION_COLOURS, GraphData
from .markup import element, join, link, text

SUMMARY_ID = "kb-graph-summary"
UNGROUPED = "Notes hors des carrefours"


def group_title(data: GraphData, g: int) -> str:
    head = data.groups[g]
    return data.nodes[head][0] if head is not None else UNGROUPED


def group_ids(data: GraphData) -> list[str]:
    """An HTML id per group (``carrefour-<slug of the hub>``), distinct."""
    ids: list[str] = []
    for g in range(len(data.groups)):
        base = "carrefour-" + (slugify(group_title(data, g)) or str(g))
        ids.append(base if base not in ids else f"{base}-{g}")
    return ids


def _sizes(data: GraphData) -> list[int]:
    sizes = [0] * len(data.groups)
    for g in data.group:
        sizes[g] += 1
    return sizes


def summary(data: GraphData) -> str:
    """One paragraph saying what the drawing shows (the canvas' ``aria-describedby``)."""
    typed = sum(1 for e in data.edges if e[2] != schema.MENTIONS)
    text = (
        f"Le dessin montre {plural(len(data.nodes), 'note')} et {plural(len(data.edges), 'relation')}, "
        f"dont {typed} hors mentions (les mentions sont masquées au départ)."
    )
    if len(data.groups) > 1:
        sizes = _sizes(data)
        parts = [f"{group_title(data, g)} ({plural(sizes[g], 'note')})" for g in range(len(data.groups))]
        text += f" Les notes sont regroupées en {len(parts)} cadres, un par carrefour : " + " ; ".join(parts) + "."
    return text + " Le plan et le tableau qui suivent en donnent tout le contenu en texte."


def _rels(data: GraphData, root: str, out: dict[int, list[list]], node: int) -> Markup:
    """The typed relations a note writes, but its primary parent (the nesting shows it)."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for _, t, kind in out[node]:
        if kind != schema.MENTIONS and not (kind in schema.HIERARCHICAL and t == data.parent[node]):
            by_kind[kind].append(t)
    parts = []
    for kind in RELATION_COLOURS:
        if by_kind.get(kind):
            targets = join([link(root + data.nodes[t][2], data.nodes[t][0]) for t in sorted(set(by_kind[kind]))], ", ")
            parts.append(Markup(f"{schema.RELATION_LABELS[kind][0]} : ") + targets)
    return element("span", join(parts, " ; "), class_="kb-outline__rels") if parts else Markup("")


def outline(data: GraphData, root: str) -> Markup:
    """One section per group (hub first, in hierarchy order): the tree of its notes by primary
    parent, each with its type and typed relations. A hub under another group's note is listed
    there too, with a link to its own section. Built without recursion: hierarchies can be deep."""
    ids = group_ids(data)
    out: dict[int, list[list]] = defaultdict(list)
    for e in data.edges:
        out[e[0]].append(e)
    children: dict[int | None, list[int]] = defaultdict(list)
    for node, up in enumerate(data.parent):
        children[up].append(node)
    sections = []
    for g in _group_order(data):
        members = [i for i, h in enumerate(data.group) if h == g]
        inside = set(members)
        roots = [i for i in members if data.parent[i] not in inside or i == data.groups[g]]
        seen: set[int] = set(roots)
        html: list[str] = ['<ul class="kb-outline__tree">']
        stack = [iter(("note", r) for r in roots)]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                html.append("</ul></li>" if stack else "</ul>")
                continue
            what, node = entry
            label, kind = data.nodes[node][0], schema.TYPES[data.nodes[node][1]][1]
            item = link(root + data.nodes[node][2], label) + Markup(" ") + element("span", f"({kind})", class_="kb-outline__type")
            if what == "cross":
                section = ids[data.group[node]]
                html.append(str(Markup("<li>") + item + Markup(" — ") + link(f"#{section}", f"voir la section « {label} »") + Markup("</li>")))
                continue
            html.append(str(Markup("<li>") + item + _rels(data, root, out, node)))
            kids = []
            for c in children[node]:
                if data.group[c] == g and c not in seen:
                    seen.add(c)
                    kids.append(("note", c))
                elif data.group[c] != g and data.groups[data.group[c]] == c:
                    kids.append(("cross", c))
            if kids:
                html.append("<ul>")
                stack.append(iter(kids))
            else:
                html.append("</li>")
        count = element("span", f"({plural(len(members), 'note')})", class_="kb-count")
        heading = element("h3", Markup(element("span", group_title(data, g))) + Markup(" ") + count)
        sections.append(element("section", heading + Markup("".join(html)), id=ids[g], class_="kb-outline__group"))
    return element("div", join(sections), class_="kb-outline", data_search_exclude="")


def _group_order(data: GraphData) -> list[int]:
    """Groups in the order of the hub hierarchy (depth first, siblings in node order), ungrouped last."""
    under: dict[int | None, list[int]] = defaultdict(list)
    for g, head in enumerate(data.groups):
        up = data.parent[head] if head is not None else None
        upper = data.group[up] if up is not None and data.group[up] != g else None
        if head is not None:
            under[upper].append(g)
    order: list[int] = []
    stack = list(reversed(under[None]))
    while stack:
        g = stack.pop()
        if g in order:
            continue
        order.append(g)
        stack.extend(reversed(under[g]))
    order += [g for g in range(len(data.groups)) if g not in order]  # cycles among hubs, and the ungrouped notes
    return order


def edge_tables(data: GraphData, root: str) -> Markup:
    """One table per relation, a row per edge (note, relation, target), in the order of the notes;
    the mentions, as in the drawing, folded away at first."""
    by_kind: dict[str, list[list]] = defaultdict(list)
    for e in data.edges:
        by_kind[e[2]].append(e)
    tables = []
    head = Markup('<thead><tr><th scope="col">Note</th><th scope="col">Relation</th><th scope="col">Cible</th></tr></thead>')
    for kind in RELATION_COLOURS:
        edges = sorted(by_kind.get(kind, []), key=lambda e: (e[0], e[1]))
        if not edges:
            continue
        label = schema.RELATION_LABELS[kind][0]
        rows = [
            f'<tr><th scope="row">{link(root + data.nodes[s][2], data.nodes[s][0])}</th>'
            f"<td>{text(label)}</td><td>{link(root + data.nodes[t][2], data.nodes[t][0])}</td></tr>"
            for s, t, _ in edges
        ]
        caption = element("caption", f"{label} : {plural(len(edges), 'relation')}")
        table = element("table", caption + head + Markup("<tbody>" + "".join(rows) + "</tbody>"), class_="kb-edges", data_kb_relation=kind)
        if kind == schema.MENTIONS:
            summary_ = element("summary", f"Afficher les {plural(len(edges), 'mention')} (relations trouvées dans le texte des notes)")
            table = element("details", summary_ + table, class_="kb-edges__more")
        tables.append(table)
    return element("div", join(tables), class_="kb-edges__all", data_search_exclude="")
