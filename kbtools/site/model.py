"""The knowledge base as the site sees it: pages, URLs and relations in both directions.

Built once per build from the pipeline's :class:`KnowledgeBase`; every other module of the
site asks it rather than walking ``kb.edges`` again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .. import schema
from ..ids import PageUrl, RelPath, relative_link, slugify, tag_page_path
from ..notes import Link, Note
from ..pipeline import KnowledgeBase
from ..resolve import Edge
from .french import sort_key

# Generated pages: source path → French title. Their URLs follow from the paths.
INDEX_BY_TYPE = RelPath("index/par-type.md")
INDEX_TAGS = RelPath("index/etiquettes.md")
INDEX_AZ = RelPath("index/a-z.md")
GRAPH_PAGE = RelPath("graphe.md")
INDEX_PAGES: dict[RelPath, str] = {
    INDEX_BY_TYPE: "Par type",
    INDEX_TAGS: "Par étiquette",
    INDEX_AZ: "A–Z",
    GRAPH_PAGE: "Graphe",
}
GRAPH_GLOBAL = "assets/kb/graph/global.json"


@dataclass
class Tag:
    """Tags that slugify alike are one tag (one IRI, one page); the first spelling names it."""

    name: str
    path: RelPath
    notes: list[Note] = field(default_factory=list)


@dataclass
class SiteModel:
    kb: KnowledgeBase
    urls: dict[RelPath, PageUrl]  # every page of the site, notes and generated ones, as mkdocs names them
    out: dict[int, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    into: dict[int, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    tags: dict[str, Tag] = field(default_factory=dict)
    by_path: dict[RelPath, Note] = field(default_factory=dict)
    primary: dict[int, Note | None] = field(default_factory=dict)  # asked for by every page's nav, breadcrumb and graph

    @classmethod
    def build(cls, kb: KnowledgeBase, urls: dict[RelPath, PageUrl]) -> SiteModel:
        model = cls(kb, urls)
        for edge in kb.edges:
            if edge.source is edge.target:  # a note is not its own neighbour, part or mention
                continue
            model.out[id(edge.source)].append(edge)
            model.into[id(edge.target)].append(edge)
        for note in model.sorted(kb.notes):
            model.by_path[note.path] = note
            for name in note.tags:
                tag = model.tags.setdefault(slugify(name), Tag(name, tag_page_path(name)))
                if note not in tag.notes:
                    tag.notes.append(note)
        return model

    # -- ordering and addressing ------------------------------------------------------------

    @staticmethod
    def sorted(notes) -> list[Note]:
        return sorted(notes, key=lambda n: sort_key(n.title))

    def url(self, path: RelPath) -> PageUrl:
        return self.urls[path]

    def href(self, from_path: RelPath, to_path: RelPath, anchor: str = "") -> str:
        """Relative href between two pages of the site."""
        target = relative_link(self.urls[from_path], self.urls[to_path])
        return f"{target}#{anchor}" if anchor else target

    def to_root(self, from_path: RelPath) -> str:
        """Relative path from a page to the site root, ending with ``/`` (or empty)."""
        up = relative_link(self.urls[from_path], PageUrl(""))
        return "" if up == "./" else up

    def sorted_tags(self) -> list[Tag]:
        return sorted(self.tags.values(), key=lambda t: sort_key(t.name))

    def tag(self, name: str) -> Tag:
        return self.tags[slugify(name)]

    # -- relations --------------------------------------------------------------------------

    def targets(self, note: Note, kind: str) -> list[Note]:
        """Notes this one points to by ``kind``, in frontmatter order, each once."""
        return _unique(e.target for e in self._ordered(self.out[id(note)]) if e.kind == kind)

    def sources(self, note: Note, kind: str) -> list[Note]:
        """Notes pointing to this one by ``kind``, in French order, each once."""
        return self.sorted(_unique(e.source for e in self.into[id(note)] if e.kind == kind))

    def symmetric(self, note: Note, kind: str) -> list[Note]:
        """Both directions of a symmetric relation (seeAlso, differentFrom)."""
        found = self.targets(note, kind)
        return found + [n for n in self.sources(note, kind) if n not in found]

    def mentions_of(self, note: Note) -> list[tuple[Note, list[Link]]]:
        """Who mentions this note in their body, with each mention, in French order of the source."""
        grouped: dict[int, tuple[Note, list[Link]]] = {}
        for e in self.into[id(note)]:
            if e.kind == schema.MENTIONS:
                grouped.setdefault(id(e.source), (e.source, []))[1].append(e.link)
        return sorted(grouped.values(), key=lambda pair: sort_key(pair[0].title))

    def parents(self, note: Note) -> list[Note]:
        """isPartOf and subClassOf targets, in the order the frontmatter writes them."""
        hier = [e for e in self._ordered(self.out[id(note)]) if e.kind in schema.HIERARCHICAL]
        return _unique(e.target for e in hier)

    def primary_parent(self, note: Note) -> Note | None:
        """The first parent the frontmatter names: where the note sits in nav and breadcrumb."""
        if id(note) not in self.primary:
            parents = self.parents(note)
            self.primary[id(note)] = parents[0] if parents else None
        return self.primary[id(note)]

    def breadcrumb(self, note: Note) -> list[Note]:
        """Primary ancestors, outermost first; stops where a cycle would loop."""
        chain: list[Note] = []
        seen = {id(note)}
        parent = self.primary_parent(note)
        while parent is not None and id(parent) not in seen:
            seen.add(id(parent))
            chain.append(parent)
            parent = self.primary_parent(parent)
        return chain[::-1]

    def neighbours(self, note: Note) -> list[tuple[Note, set[str]]]:
        """Notes at distance 1 (any relation, either direction), each with every relation linking them."""
        found: dict[int, tuple[Note, set[str]]] = {}
        for e in self.out[id(note)]:
            found.setdefault(id(e.target), (e.target, set()))[1].add(e.kind)
        for e in self.into[id(note)]:
            found.setdefault(id(e.source), (e.source, set()))[1].add(e.kind)
        return list(found.values())

    @staticmethod
    def _ordered(edges: list[Edge]) -> list[Edge]:
        return sorted(edges, key=lambda e: (e.link.line, e.link.col))


def _unique(notes) -> list[Note]:
    out: list[Note] = []
    seen: set[int] = set()
    for note in notes:
        if id(note) not in seen:
            seen.add(id(note))
            out.append(note)
    return out
