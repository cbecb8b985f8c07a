"""Navigation from the graph: home, hubs and their parts / subcategories, then the indexes.

The result is mkdocs' own ``nav`` setting (nested ``{title: path}``), so mkdocs builds the
pages, sections and previous / next links itself. Titles are escaped: mkdocs' templates
print them as HTML.

The nav is bounded, so that a page's HTML does not grow with the vault (every page carries
the nav): a note lists at most :data:`NAV_CHILDREN` of the notes placed under it, then a
« … N autres » link to its own page, whose panels list all its parts and subcategories; the
top level and « Autres notes » list at most :data:`NAV_TOP` entries, then a link to the A–Z
index; past :data:`NAV_DEPTH` levels a note is a plain link to its page, which lists the notes
below it. The bound per page holds with material's ``navigation.prune`` (the project's
mkdocs.yml), which renders only the top sections and the current page's path. Every note
stays reachable without JavaScript: nav, breadcrumb, the parents' panels, and the indexes.
Notes the nav leaves out are marked ``NOT_IN_NAV`` (:func:`leave_out`), and the nav's
indentation is squeezed out of every page (:func:`compact`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation

from ..ids import RelPath
from ..notes import Note
from .french import sort_key
from .markup import text
from .model import INDEX_AZ, INDEX_PAGES, SiteModel

# Bounds of the nav (see the module's docstring). With material's navigation.prune a page shows
# the top level (and, with navigation.sections, the top sections' children) and the children of
# each note on its own path: at most about (NAV_TOP + NAV_DEPTH) × (NAV_CHILDREN + 1) entries.
NAV_CHILDREN = 24  # notes listed under a note; the rest are on its page (« Parties », « Sous-catégories »)
NAV_TOP = 12  # top-level notes, and notes under « Autres notes »; the rest are in the A–Z index
NAV_DEPTH = 6  # levels of notes below a top entry; deeper notes are listed on their parent's page
HOME = "Accueil"
INDEX = "Index"
OTHERS = "Autres notes"
OTHER_PAGES = "Autres pages"
# « See them all » entries point to a page the nav holds elsewhere: mkdocs would make a second
# page of it, so they are links under this scheme, given their URL in ``on_nav`` (:func:`resolve_more`).
MORE_SCHEME = "kb-more:"

NavItem = dict[str, "str | list[NavItem]"]

# material's templates indent the nav with about as many blank characters as it has text
_SIDEBAR = '<div class="md-sidebar md-sidebar--primary"'
_SIDEBAR_END = ('<div class="md-sidebar md-sidebar--secondary"', '<div class="md-content"')
_BLANKS = re.compile(r"[ \t]*\n\s*")


def build_nav(model: SiteModel, home: RelPath | None, other_pages: list[RelPath], sections: list[NavItem] | None = None) -> list[NavItem]:
    """The whole ``nav``: every note appears at most once, under its primary parent; ``sections`` go before the indexes.

    A note the bounds leave out is not listed, but its parent (or the A–Z index) is, with a
    « … N autres » link where it would have been."""
    children: dict[int, list[Note]] = defaultdict(list)
    for note in model.kb.notes:
        parent = model.primary_parent(note)
        if parent is not None:
            children[id(parent)].append(note)
    placed: set[int] = set()

    def claim(note: Note) -> None:
        """A note left out of the nav, and everything below it: listed on its parents' pages."""
        stack = [note]
        while stack:
            current = stack.pop()
            placed.add(id(current))
            stack += [c for c in children[id(current)] if id(c) not in placed]

    def entry(note: Note, depth: int) -> NavItem:
        placed.add(id(note))
        kids = [c for c in model.sorted(children[id(note)]) if id(c) not in placed]
        shown, hidden = _bounded(kids, NAV_CHILDREN if depth < NAV_DEPTH else 0, children)
        for kid in kids:  # claim them first, so that a cycle below cannot place them twice
            placed.add(id(kid))
        for kid in hidden:
            claim(kid)
        title = text(note.title)
        if not shown:  # a leaf, or too deep: its page lists the notes below it
            return {title: note.path}
        return {title: [{title: note.path}, *(entry(k, depth + 1) for k in shown), *_more(hidden, note.path)]}

    roots = [n for n in model.kb.notes if model.primary_parent(n) is None]
    # Hubs, and roots that head a hierarchy, open the nav; lone roots join the other notes.
    top = [n for n in roots if n.type == "hub" or children[id(n)]]
    top.sort(key=lambda n: (n.type != "hub", sort_key(n.title)))
    top, hidden_top = top[:NAV_TOP], top[NAV_TOP:]
    for note in hidden_top:
        claim(note)
    nav: list[NavItem] = [{HOME: home}] if home else []
    nav += [entry(n, 0) for n in top]
    nav += _more(hidden_top, INDEX_AZ)
    others: list[NavItem] = []
    hidden_lone: list[Note] = []
    for note in model.sorted(model.kb.notes):  # lone roots, notes in a cycle
        if id(note) in placed:
            continue
        if len(others) < NAV_TOP:
            others.append(entry(note, 0))
        else:
            hidden_lone.append(note)
            claim(note)
    others += _more(hidden_lone, INDEX_AZ)
    if others:
        nav.append({OTHERS: others})
    if other_pages:
        nav.append({OTHER_PAGES: [str(p) for p in sorted(other_pages)]})
    nav += sections or []
    nav.append({INDEX: [{title: path} for path, title in INDEX_PAGES.items()]})
    return nav


def _bounded(kids: list[Note], bound: int, children: dict[int, list[Note]]) -> tuple[list[Note], list[Note]]:
    """The kids the nav lists (those heading a subtree first, then in French order), and the rest;
    both in the order given."""
    if len(kids) <= bound:
        return kids, []
    ranked = sorted(kids, key=lambda n: (not children[id(n)], sort_key(n.title)))
    keep = {id(n) for n in ranked[:bound]}
    return [k for k in kids if id(k) in keep], [k for k in kids if id(k) not in keep]


def _more(hidden: list[Note], where: RelPath) -> list[NavItem]:
    """« … N autres » pointing to ``where`` (a parent's page or an index), when notes were left out."""
    if not hidden:
        return []
    count = len(hidden)
    return [{f"… {count} autre{'s' if count > 1 else ''}": MORE_SCHEME + str(where)}]


def nav_paths(nav: Iterable[NavItem]) -> set[str]:
    """Every page path the ``nav`` lists (links to other pages aside)."""
    out: set[str] = set()
    stack = list(nav)
    while stack:
        item = stack.pop()
        for value in item.values():
            if isinstance(value, list):
                stack += [v if isinstance(v, dict) else {"": v} for v in value]
            elif isinstance(value, str) and not value.startswith(MORE_SCHEME):
                out.add(value)
    return out


def leave_out(files: Files, model: SiteModel, nav: list[NavItem]) -> None:
    """Mark the notes the bounded nav does not list ``NOT_IN_NAV``: mkdocs then neither lists
    them nor logs them one per line as pages missing from the nav."""
    listed = nav_paths(nav)
    for note in model.kb.notes:
        if note.path not in listed and (file := files.get_file_from_path(note.path)) is not None:
            file.inclusion = InclusionLevel.NOT_IN_NAV


def resolve_more(navigation: Navigation, model: SiteModel) -> None:
    """Give the « … N autres » links the URL of their page, relative to the site root; mkdocs'
    ``url`` filter then makes it relative to each page that shows the nav."""
    for item in _walk(navigation.items):
        if isinstance(item, Link) and item.url.startswith(MORE_SCHEME):
            item.url = model.url(RelPath(item.url.removeprefix(MORE_SCHEME))) or "./"


def _walk(items):
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def compact(html: str) -> str:
    """The page with its nav's indentation squeezed: each run of blanks that holds a line break
    becomes one space, which browsers render the same (the nav holds no ``<pre>``). Halves the
    nav's bytes, which every page carries. Pages without material's primary sidebar are returned as is."""
    start = html.find(_SIDEBAR)
    if start < 0:
        return html
    ends = [i for i in (html.find(marker, start) for marker in _SIDEBAR_END) if i >= 0]
    end = min(ends) if ends else -1
    if end < 0:
        return html
    return html[:start] + _BLANKS.sub(" ", html[start:end]) + html[end:]
