"""Navigation from the graph: home, hubs and their parts / subcategories, then the indexes.

The result is mkdocs' own ``nav`` setting (nested ``{title: path}``), so mkdocs builds the
pages, sections and previous / next links itself. Titles are escaped: mkdocs' templates
print them as HTML.
"""

from __future__ import annotations

from collections import defaultdict

from ..ids import RelPath
from ..notes import Note
from .french import sort_key
from .markup import text
from .model import INDEX_PAGES, SiteModel

# Past this depth children stay flat: a pathological chain must not exhaust the stack.
MAX_DEPTH = 40
HOME = "Accueil"
INDEX = "Index"
OTHERS = "Autres notes"
OTHER_PAGES = "Autres pages"

NavItem = dict[str, "str | list[NavItem]"]


def build_nav(model: SiteModel, home: RelPath | None, other_pages: list[RelPath], sections: list[NavItem] | None = None) -> list[NavItem]:
    """The whole ``nav``: every note appears exactly once, under its primary parent; ``sections`` go before the indexes."""
    children: dict[int, list[Note]] = defaultdict(list)
    for note in model.kb.notes:
        parent = model.primary_parent(note)
        if parent is not None:
            children[id(parent)].append(note)
    placed: set[int] = set()

    def entry(note: Note, depth: int) -> NavItem:
        placed.add(id(note))
        kids = [c for c in model.sorted(children[id(note)]) if id(c) not in placed] if depth < MAX_DEPTH else []
        for kid in kids:  # claim them first, so that a cycle below cannot place them twice
            placed.add(id(kid))
        title = text(note.title)
        if not kids:
            return {title: note.path}
        return {title: [{title: note.path}, *(entry(k, depth + 1) for k in kids)]}

    roots = [n for n in model.kb.notes if model.primary_parent(n) is None]
    # Hubs, and roots that head a hierarchy, open the nav; lone roots join the other notes.
    top = [n for n in roots if n.type == "hub" or children[id(n)]]
    top.sort(key=lambda n: (n.type != "hub", sort_key(n.title)))
    nav: list[NavItem] = [{HOME: home}] if home else []
    nav += [entry(n, 0) for n in top]
    others: list[NavItem] = []
    for note in model.sorted(model.kb.notes):  # lone roots, notes in a cycle, and anything too deep
        if id(note) not in placed:
            others.append(entry(note, 0))
    if others:
        nav.append({OTHERS: others})
    if other_pages:
        nav.append({OTHER_PAGES: [str(p) for p in sorted(other_pages)]})
    nav += sections or []
    nav.append({INDEX: [{title: path} for path, title in INDEX_PAGES.items()]})
    return nav
