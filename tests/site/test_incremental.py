"""``mkdocs serve --dirty`` rebuilds only the pages whose inputs changed (kbtools.site.incremental),
and the site it leaves is the site a full build makes.

One plugin instance builds the project again after each edit, as ``mkdocs serve`` does; after
every edit the whole site is compared with a build by a new process into an empty folder:
every HTML page byte for byte, the list of files, the search index and the exports. The edits
cover what a page shows of other notes: a body, a title, a relation, a mention, an embedded
note, a tag, a ``sparql`` block's answer, a note added, a note deleted; and hypothesis draws
sequences of edits (``KB_EDIT_EXAMPLES=20`` for more than the 3 CI runs).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .helpers import write_project

EMBEDS = """---
title: Recueil
type: concept
isPartOf: '[[Concepts]]'
---
## Généralité

Le passage sur le tenseur, tel quel :

![[Tenseur#Généralité]]
"""

ASKS = """---
title: Inventaire
type: concept
isPartOf: '[[Concepts]]'
---
## Généralité

Les concepts de la base :

```sparql
SELECT ?titre WHERE { ?c a kb:Concept ; skos:prefLabel ?titre } ORDER BY ?titre
```
"""


def _build(root: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    build(config, dirty=True)
    config.plugins["kb"].exports.wait()  # a dirty build writes the downloads in the background


def _fresh(root: Path, out: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        cwd=root, capture_output=True, text=True, timeout=300, env={**os.environ, "KB_SITE_CACHE": "0"},  # nothing cached: the reference
    )
    assert done.returncode == 0, done.stderr


def _files(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and p.name != "sitemap.xml.gz"}


def _same_site(built: Path, fresh: Path) -> None:
    assert _files(built) == _files(fresh)
    for name in sorted(_files(fresh)):
        if name.endswith(".html") or name.startswith("assets/kb/graph/") or name.startswith("kb."):
            assert (built / name).read_bytes() == (fresh / name).read_bytes(), name
    index = "search/search_index.json"
    entries = json.loads((built / index).read_text(encoding="utf-8"))
    assert entries == json.loads((fresh / index).read_text(encoding="utf-8"))
    located = [(e["location"], e["title"]) for e in entries["docs"]]
    assert len(located) == len(set(located))  # each section of each page once


# The fixture's theme features (the whole nav on every page); material's navigation.prune (a
# page shows the top of the nav and its own path only) with the top sections open; and this
# project's, prune alone.
FEATURES = {
    "whole nav": "    - navigation.sections\n",
    "pruned nav": "    - navigation.sections\n    - navigation.prune\n",
    "pruned, closed sections": "    - navigation.prune\n",
}


@contextmanager
def _serving(root: Path, features: str) -> Iterator[tuple[Path, object]]:
    """A project in ``root`` with these theme features, and its plugins told, as
    ``mkdocs serve --dirty`` tells them, that builds are dirty."""
    from mkdocs.config import load_config

    write_project(root)
    _edit(root / "mkdocs.yml", "    - navigation.sections\n", FEATURES[features])
    (root / "docs" / "concepts" / "recueil.md").write_text(EMBEDS, encoding="utf-8")
    (root / "docs" / "concepts" / "inventaire.md").write_text(ASKS, encoding="utf-8")
    config = load_config(str(root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=True)
    kb = config.plugins["kb"]
    try:
        yield root, kb
    finally:  # the plugin instances live as long as the process: later builds are not dirty
        kb.background.cancel()
        kb.background.server = None
        config.plugins.on_startup(command="build", dirty=False)
        kb.incremental.digests, kb.incremental.dests = {}, {}
        kb.store_on_disk = False  # as for a build run by the API, without on_startup


@contextmanager
def _live_server(root: Path) -> Iterator[object]:
    """mkdocs' own ``LiveReloadServer`` on a free port of 127.0.0.1, not serving: the builds are
    run here, as its build loop runs them (:func:`_build_as_served`)."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(root / "site"))
    try:
        yield server
    finally:
        server.server_close()


def _build_as_served(root: Path, server) -> None:
    """A rebuild as mkdocs serve's loop makes it: the epoch it will show is set first, so the
    site does not count as shown (and requests wait) until :func:`_show` (mkdocs 1.6,
    ``LiveReloadServer._build_loop``)."""
    from mkdocs.livereload import _timestamp

    with server._rebuild_cond:
        server._wanted_epoch = max(_timestamp(), server._visible_epoch + 1)
    server.builder()  # what the plugin wrapped: cancels the background pages first
    _build(root)


def _show(server) -> int:
    """The end of mkdocs' build loop: the new site is shown, browsers told to reload. The epoch."""
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch
        server._epoch_cond.notify_all()
    return server._visible_epoch


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*.html")}


@pytest.fixture(params=list(FEATURES))
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, object]]:
    with _serving(tmp_path / "project", request.param) as found:
        yield found


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ALL = 10_000  # may rebuild every page


def _edits(docs: Path) -> list[tuple[str, Callable[[], None], int]]:
    """(what, the edit, most pages it may rebuild), in the order they are made."""
    concepts = docs / "concepts"
    return [
        ("body sentence", lambda: _edit(concepts / "elagage.md", "## Généralité\n", "## Généralité\n\nUne phrase ajoutée.\n"), 4),
        ("embedded note's body", lambda: _edit(concepts / "tenseur.md", "Un tenseur généralise", "Un tenseur (ajout) généralise"), 6),
        ("relation", lambda: _edit(concepts / "elagage.md", "title: Élagage\n", "title: Élagage\nseeAlso: '[[Tenseur]]'\n"), ALL),
        ("mention", lambda: _edit(concepts / "retropropagation.md", "parcourt le réseau", "parcourt le réseau, comme l'[[Élagage]],"), ALL),
        ("tag", lambda: _edit(concepts / "tenseur.md", "- Deep Learning\n", "- Deep Learning\n- Algèbre\n"), ALL),
        ("title", lambda: _edit(concepts / "tenseur.md", "title: Tenseur\n", "title: Tenseur\naliases: [Tenseurs]\n"), ALL),
        ("title", lambda: _edit(concepts / "retropropagation.md", "title: Rétropropagation", "title: Rétropropagation du gradient"), ALL),
        ("title", lambda: _edit(concepts / "autodiff.md", "title: Différentiation automatique", "title: Autodiff"), ALL),
        ("note added", lambda: (concepts / "gradient.md").write_text("---\ntitle: Gradient\ntype: concept\n---\nVoir [[Tenseur]].\n", encoding="utf-8"), ALL),
        ("note deleted", lambda: (concepts / "casse.md").unlink(), ALL),
        ("no change", lambda: None, 0),
    ]


def test_every_edit_gives_the_site_a_full_build_gives(served, tmp_path: Path) -> None:
    root, kb = served
    _build(root)
    assert kb.incremental.rebuilt_all
    for n, (what, edit, most) in enumerate(_edits(root / "docs")):
        edit()
        _build(root)
        rebuilt = len(kb.incremental.built)
        assert rebuilt <= most, f"{what}: {rebuilt} pages rebuilt"
        _fresh(root, tmp_path / f"fresh-{n}")
        _same_site(root / "site", tmp_path / f"fresh-{n}")


def test_a_body_edit_rebuilds_the_note_and_the_pages_that_quote_it(served) -> None:
    root, kb = served
    _build(root)
    _edit(root / "docs" / "concepts" / "tenseur.md", "Un tenseur généralise", "Un tenseur généralise toujours")
    _build(root)
    # its own page; « Recueil », which embeds it; the note its body links to (titled
    # ``<img src=x onerror=alert(1)>``), whose « Mentionné dans » quotes it. « Concepts » links to
    # it, and shows nothing of its body: not rebuilt
    assert kb.incremental.built == {"concepts/tenseur.md", "concepts/recueil.md", "concepts/xss.md"}
    shown = (root / "site" / "concepts" / "recueil" / "index.html").read_text(encoding="utf-8")
    assert "généralise toujours" in shown
    assert not kb.incremental.rebuilt_all


def test_a_plain_build_rebuilds_everything(tmp_path: Path) -> None:
    """Without --dirty the plugin chooses nothing: mkdocs writes every page."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path / "project"
    write_project(root)
    config = load_config(str(root / "mkdocs.yml"))
    build(config)
    kb = config.plugins["kb"]
    assert not kb.incremental.enabled
    pages = {str(p.relative_to(root / "docs")) for p in (root / "docs").rglob("*.md")}
    pages.remove("concepts/casse.md")  # its frontmatter is broken: left out of the site
    assert pages <= kb.incremental.built
    assert len(kb.incremental.built) > len(pages)  # the generated pages too


# Renames under material's navigation.prune: only the pages whose sidebar lists the note (and its
# neighbours) are rebuilt, not « TensorFlow », elsewhere in the nav and unrelated.
# - Rétropropagation sits under Différentiation automatique, under Concepts: the pages inside
#   that section show it, with the top sections open or closed;
# - Tenseur is a part of the hub Concepts, at the top of the nav: with the top sections closed
#   (this project's mkdocs.yml) only the pages inside Concepts list it.
RENAMES = [
    ("pruned nav", "retropropagation.md", "title: Rétropropagation", "title: Rétropropagation du gradient", {"concepts/retropropagation.md", "concepts/autodiff.md", "graphe.md"}),
    ("pruned, closed sections", "retropropagation.md", "title: Rétropropagation", "title: Rétropropagation du gradient", {"concepts/retropropagation.md", "concepts/autodiff.md", "graphe.md"}),
    ("pruned, closed sections", "tenseur.md", "title: Tenseur\n", "title: Tenseur (algèbre)\n", {"concepts/tenseur.md", "concepts/elagage.md", "hubs/concepts.md"}),
]


@pytest.mark.parametrize(("served", "note", "old", "new", "rebuilt"), RENAMES, indirect=["served"])
def test_with_a_pruned_nav_a_rename_rebuilds_the_pages_that_list_it(served, note: str, old: str, new: str, rebuilt: set[str]) -> None:
    root, kb = served
    _build(root)
    every = len(kb.incremental.built)
    _edit(root / "docs" / "concepts" / note, old, new)
    _build(root)
    assert not kb.incremental.rebuilt_all
    assert rebuilt <= kb.incremental.built
    assert "frameworks/tensorflow.md" not in kb.incremental.built
    assert len(kb.incremental.built) < every / 2, sorted(kb.incremental.built)


def test_a_changed_theme_override_rebuilds_every_page(served) -> None:
    """``mkdocs serve --watch-theme`` rebuilds when the theme's custom_dir changes: every page shows it."""
    root, kb = served
    overrides = root / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    _edit(root / "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    _build(root)
    (overrides / "main.html").write_text('{% extends "base.html" %}\n{% block announce %}Annonce de test{% endblock %}\n', encoding="utf-8")
    _build(root)
    assert kb.incremental.rebuilt_all
    assert "Annonce de test" in (root / "site" / "concepts" / "tenseur" / "index.html").read_text(encoding="utf-8")


# -- with mkdocs serve's server: the pages that can wait follow the reload ---------------------


def _output(uri: str) -> str:
    """A page's HTML in the site, from its source path (use_directory_urls)."""
    stem = uri.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"


def test_with_the_server_only_the_edited_pages_come_before_the_reload(tmp_path: Path) -> None:
    """A rename changes the sidebar of its section's pages and its neighbours' panels: with mkdocs
    serve's server, only the note's own page is rewritten before the browsers reload; the other
    pages are rewritten afterwards, in the background, and the browsers told to reload again.
    The site is then the one a full build makes."""
    with _live_server(tmp_path / "project") as server, _serving(tmp_path / "project", "pruned, closed sections") as (root, kb):
        _build(root)
        kb.on_serve(server, config=None, builder=server.builder)
        _edit(root / "docs" / "concepts" / "tenseur.md", "title: Tenseur\n", "title: Tenseur (algèbre)\n")
        before = _pages(root / "site")
        _build_as_served(root, server)
        assert kb.incremental.built == {"concepts/tenseur.md"}
        later = set(kb.incremental.later)
        # its section's pages (the sidebar), its neighbours (panels), the indexes; the graph page
        # and the global graph are made again in the background, then written
        assert {"concepts/elagage.md", "hubs/concepts.md", "concepts/xss.md", "index/a-z.md"} <= later
        assert "graphe.md" not in later
        now = _pages(root / "site")
        assert now["concepts/tenseur/index.html"] != before["concepts/tenseur/index.html"]
        assert "Tenseur (algèbre)" in now["concepts/tenseur/index.html"].decode("utf-8")
        for uri in later:  # not written before the site is shown
            assert now[_output(uri)] == before[_output(uri)], uri
        neighbour_graph = root / "site" / "assets" / "kb" / "graph" / "notes" / "hubs" / "concepts.json"
        assert "Tenseur (algèbre)" not in neighbour_graph.read_text(encoding="utf-8")  # made again in the background
        shown = _show(server)
        assert kb.background.wait(timeout=120)
        remade = set(kb.background.written) - later  # made again, then written: the graph page, the answers
        assert later <= set(kb.background.written)
        assert "graphe.md" in remade
        assert all(uri == "graphe.md" or uri.startswith("questions") for uri in remade), remade
        assert kb.incremental.later == {}
        assert server._visible_epoch > shown  # the browsers are told to reload once more
        for page in ("concepts/elagage/index.html", "graphe/index.html", "assets/kb/graph/global.json", "assets/kb/graph/notes/hubs/concepts.json"):
            assert "Tenseur (algèbre)" in (root / "site" / page).read_text(encoding="utf-8"), page
        _fresh(root, tmp_path / "fresh")
        _same_site(root / "site", tmp_path / "fresh")


def test_a_rebuild_cancels_the_pages_left_for_later_and_renders_them_itself(tmp_path: Path) -> None:
    """Two saves in a row: the second rebuild starts before the first is shown; the pages the
    first left for later are not written by its thread, and the second build renders them."""
    with _live_server(tmp_path / "project") as server, _serving(tmp_path / "project", "pruned, closed sections") as (root, kb):
        _build(root)
        kb.on_serve(server, config=None, builder=server.builder)
        _edit(root / "docs" / "concepts" / "tenseur.md", "title: Tenseur\n", "title: Tenseur (algèbre)\n")
        _build_as_served(root, server)
        first = set(kb.incremental.later)
        assert "concepts/elagage.md" in first
        assert kb.background.running  # waiting for the site to be shown
        _edit(root / "docs" / "concepts" / "elagage.md", "## Généralité\n", "## Généralité\n\nUne phrase ajoutée.\n")
        _build_as_served(root, server)
        assert kb.background.written == []  # cancelled before it wrote anything
        assert first - {"concepts/elagage.md"} <= set(kb.incremental.later) | kb.incremental.built
        _show(server)
        assert kb.background.wait(timeout=120)
        _fresh(root, tmp_path / "fresh")
        _same_site(root / "site", tmp_path / "fresh")


# -- any sequence of edits ------------------------------------------------------------------

NOTES = ["concepts/tenseur.md", "concepts/elagage.md", "concepts/retropropagation.md", "concepts/autodiff.md", "frameworks/pytorch.md"]
TITLES = ["Tenseur", "Élagage", "Rétropropagation", "Différentiation automatique", "PyTorch", "Concepts", "Frameworks"]


def _random_edit(docs: Path, kind: str, note: str, other: str, n: int) -> None:
    path = docs / note
    if not path.exists():
        path.write_text(f"---\ntitle: Note {n}\nisPartOf: '[[{other}]]'\n---\nRecréée, voir [[{other}]].\n", encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    if kind == "body":
        text = f"{head}\n---\n{body}\nPhrase {n} : voir [[{other}]].\n"
    elif kind == "title":
        text = re.sub(r"^title: .*$", f"title: {other} bis {n}", head, count=1, flags=re.M) + "\n---\n" + body
    elif kind == "relation":
        text = f"{head}\nseeAlso: '[[{other}]]'\n---\n{body}" if "\nseeAlso:" not in head else re.sub(r"^seeAlso:.*(\n- .*)*\n?", "", head, count=1, flags=re.M) + "\n---\n" + body
    elif kind == "tag":
        text = re.sub(r"^title: (.*)$", rf"title: \1\ntags: [Essai {n % 2}]", head, count=1, flags=re.M) + "\n---\n" + body if "\ntags:" not in head else text
    elif kind == "delete":
        path.unlink()
        return
    path.write_text(text, encoding="utf-8")


edits_strategy = st.lists(
    st.tuples(st.sampled_from(["body", "title", "relation", "tag", "delete"]), st.sampled_from(NOTES), st.sampled_from(TITLES)), min_size=1, max_size=3
)


@settings(max_examples=int(os.environ.get("KB_EDIT_EXAMPLES", "3")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=edits_strategy)
@example(edits=[("title", "concepts/tenseur.md", "Élagage")])  # found by hypothesis: the next page in the nav changed
def test_any_sequence_of_edits_gives_the_site_a_full_build_gives(tmp_path_factory: pytest.TempPathFactory, edits) -> None:
    base = tmp_path_factory.mktemp("any-edits")
    with _serving(base / "project", "pruned, closed sections") as (root, _):
        _build(root)
        for n, (kind, note, other) in enumerate(edits):
            _random_edit(root / "docs", kind, note, other, n)
            _build(root)
        _fresh(root, base / "fresh")
        _same_site(root / "site", base / "fresh")


@settings(max_examples=int(os.environ.get("KB_EDIT_EXAMPLES", "3")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=edits_strategy, shown=st.lists(st.booleans(), min_size=3, max_size=3))
def test_with_the_server_any_sequence_of_edits_gives_the_site_a_full_build_gives(tmp_path_factory: pytest.TempPathFactory, edits, shown) -> None:
    """As above, through mkdocs serve's server: after each rebuild, the site is shown (the pages
    left for later are then written) or not (the next rebuild cancels them)."""
    base = tmp_path_factory.mktemp("any-edits-served")
    with _live_server(base / "project") as server, _serving(base / "project", "pruned, closed sections") as (root, kb):
        _build(root)
        kb.on_serve(server, config=None, builder=server.builder)
        for n, (kind, note, other) in enumerate(edits):
            _random_edit(root / "docs", kind, note, other, n)
            _build_as_served(root, server)
            if shown[n]:
                _show(server)
                assert kb.background.wait(timeout=120)
        _show(server)
        assert kb.background.wait(timeout=120)
        _fresh(root, base / "fresh")
        _same_site(root / "site", base / "fresh")
