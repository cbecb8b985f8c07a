"""What the site derives from the names and the shape of the graph, kept between rebuilds of ``mkdocs serve``.

The index and tag pages read the notes' names, types, tags, aliases, dates and descriptions
and the pages' addresses (:func:`names_key`); the global graph (its layout) and the graph page
read those and the relations between notes, in the order the notes write them
(:func:`shape_key`); a note's local graph reads the names, types, addresses and relations of
the note and its neighbours (:func:`stale_local_graphs`). None of them reads a body. Saving a note whose body changed
leaves all of them as they were, and a new relation leaves the index and tag pages as they were:
:class:`Derived` keeps them under the digest of their inputs, and
:func:`kbtools.site.build.prepare` reuses them while it is the same (half a second per build at
1,000 notes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..ids import RelPath
from .graphdata import GraphData
from .model import SiteModel


def digest_of(*values: object) -> str:
    """A digest of ``values``: bytes as they are, anything else as its ``repr`` (which, for the
    str, tuples, lists, dates and dataclasses hashed here, shows all of the value)."""
    digest = hashlib.blake2b(digest_size=16)
    for value in values:
        digest.update(value if isinstance(value, bytes) else repr(value).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def names_key(model: SiteModel, config: MkDocsConfig) -> str:
    """A digest of the notes' names and facts, the pages' addresses and the settings (mkdocs.yml)."""
    settings = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    notes = [
        (n.path, n.title, n.type, n.tags, n.aliases, n.description, n.created, n.modified)
        for n in sorted(model.kb.notes, key=lambda n: n.path)
    ]
    snippets = sorted(e.key for e in model.kb.snippets)
    return digest_of(settings, model.kb.config.site_url, sorted(model.urls.items()), snippets, notes)


def shape_key(model: SiteModel, names: str) -> str:
    """``names`` and the relations of every note, in the order it writes them."""
    relations = [
        (n.path, [(e.kind, e.target.path) for e in model._ordered(model.out[id(n)])])
        for n in sorted(model.kb.notes, key=lambda n: n.path)
    ]
    return digest_of(names, relations)


def note_rows(model: SiteModel, max_bytes: int) -> dict[RelPath, tuple]:
    """Per note, what local graphs read of it: name, type, address and its relations in order
    (and the size the local graphs are cut to)."""
    return {
        n.path: (n.title, n.type, model.urls.get(n.path), [(e.kind, e.target.path) for e in model._ordered(model.out[id(n)])], max_bytes)
        for n in model.kb.notes
    }


def neighbours_of(model: SiteModel) -> dict[RelPath, set[RelPath]]:
    return {n.path: {m.path for m, _ in model.neighbours(n)} for n in model.kb.notes}


def stale_local_graphs(last: Derived, rows: dict[RelPath, tuple], near: dict[RelPath, set[RelPath]]) -> set[RelPath] | None:
    """The notes whose local graph may differ from the last build's: a note whose row changed
    (:func:`note_rows`), and its neighbours before and after, since a local graph shows the
    note, its neighbours and the relations among them. None: all of them (no last build)."""
    if not last.rows:
        return None
    changed = {p for p in rows.keys() | last.rows.keys() if rows.get(p) != last.rows.get(p)}
    stale = set(changed)
    for p in changed:
        stale |= near.get(p, set()) | last.near.get(p, set())
    return stale


@dataclass
class Derived:
    """The last build's derived pages and data, and the digests they were made under."""

    names: str = ""
    pages: dict[RelPath, tuple[str, str]] = field(default_factory=dict)  # index and tag pages → (title, Markdown)
    shape: str = ""
    global_graph: GraphData | None = None
    graph_page: str = ""  # its Markdown, with markers for the graph as text
    graph_blocks: dict[str, str] = field(default_factory=dict)  # marker → the graph as text (HTML)
    local_graphs: dict[RelPath, str] = field(default_factory=dict)  # note → its local graph as JSON
    rows: dict[RelPath, tuple] = field(default_factory=dict)  # note → what local graphs read of it
    near: dict[RelPath, set[RelPath]] = field(default_factory=dict)  # note → its neighbours
    questions: str = ""  # digest of the named queries the question pages answer
    question_graph: str = ""  # content digest of the graph they were answered on
    question_pages: dict[RelPath, str] = field(default_factory=dict)  # question page → its Markdown
