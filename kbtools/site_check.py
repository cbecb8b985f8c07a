"""``kb check --site DIR``: does a built site carry what the ``kb`` plugin makes?

A builder that ignores third-party plugins, or a ``mkdocs.yml`` without ``- kb``, still turns
the notes into pages — without graph view, panels, JSON-LD nor ``kb.ttl`` — and says nothing.
This reads the built folder (no mkdocs run) and reports, in the one diagnostic format:

- KB144: not a built site (none of the files mkdocs always writes), or ``kb.ttl`` unreadable;
- KB141: none of the plugin's own files (its stylesheet, the graph data): built without ``kb``;
- KB142 / KB140: one of the plugin's files, or one of the JavaScript files it ships
  (:mod:`kbtools.site.npm_files`), missing from the site;
- KB143: a page whose address is an IRI of ``kb.ttl`` does not describe it (no JSON-LD in its
  ``<head>``, or JSON-LD that differs from ``kb.ttl`` about that IRI);
- KB145 (warning): a note of the vault has no page in the site (the site is older than the notes).

IRIs map to pages as the plugin makes them (:mod:`kbtools.ids`): ``iri_to_uri(iri)`` minus the
vault's ``site_url`` is the page's URL, fragment aside.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from .diagnostics import Diagnostic
from .ids import iri_to_uri, site_base

GRAPH_DATA = "assets/kb/graph/global.json"  # kbtools.site.model.GRAPH_GLOBAL
JSONLD_TYPE = "application/ld+json"


class _HeadScripts(HTMLParser):
    """The JSON-LD blocks of a page's ``<head>``: (line, text) each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self._in_head = False
        self._current: list[str] | None = None
        self._line = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self._in_head = True
        elif tag == "script" and self._in_head and dict(attrs).get("type") == JSONLD_TYPE:
            self._current, self._line = [], self.getpos()[0]

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag == "script" and self._current is not None:
            self.blocks.append((self._line, "".join(self._current)))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def page_of(site_dir: Path, site_url: str, iri: str) -> Path | None:
    """The built HTML file at the address of ``iri`` (fragment aside), or None if the site has none."""
    base = iri_to_uri(site_base(site_url))
    uri = iri_to_uri(iri.partition("#")[0])
    if not uri.startswith(base):
        return None
    rel = unquote(uri[len(base) :])
    candidate = site_dir / rel / "index.html" if rel == "" or rel.endswith("/") else site_dir / rel
    return candidate if candidate.suffix == ".html" and candidate.is_file() else None


def check_site(site_dir: Path, kb) -> list[Diagnostic]:
    """Diagnostics of the built site in ``site_dir`` for the knowledge base ``kb`` (its notes and ``site_url``)."""
    shown = _shown(site_dir)
    if not any((site_dir / name).is_file() for name in ("index.html", "404.html", "sitemap.xml")):  # mkdocs writes them
        return [Diagnostic(shown, 1, 1, "KB144", "not a built site: no index.html, 404.html nor sitemap.xml", "build it first: mkdocs build")]
    from .export import FORMATS

    try:
        from .site import assets, npm_files, sparql
    except ImportError as exc:  # the [site] extra is not installed
        return [Diagnostic(shown, 1, 1, "KB144", f"cannot check a site without the site tools ({exc})", "pip install kbtools[site]")]
    own = [assets.CSS, GRAPH_DATA]
    if not any((site_dir / path).is_file() for path in own):
        return [
            Diagnostic(
                shown, 1, 1, "KB141", "the site was built without the kb plugin: no graph view, relation panels, JSON-LD nor kb.ttl",
                "put '- kb' under plugins: in mkdocs.yml (pip install kbtools[site]) and build with mkdocs itself",
            )
        ]  # fmt: skip
    diags = [Diagnostic(_shown(site_dir / p), 1, 1, "KB142", "file of the kb plugin missing from the site", "rebuild the site") for p in own if not (site_dir / p).is_file()]
    shipped = [f"{assets.VENDOR_DIR}/{Path(inner).name}" for inner in assets.VENDOR.values()]
    if (site_dir / sparql.SPARQL_PAGE.removesuffix(".md")).is_dir():
        shipped += [f"{sparql.OXIGRAPH_DIR}/{name}" for name in sparql.OXIGRAPH_FILES]
    for path in shipped:
        if not (site_dir / path).is_file():
            hint = "reinstall kbtools[site]" if not npm_files.VENDOR_ROOT.is_dir() else "rebuild the site"
            diags.append(Diagnostic(_shown(site_dir / path), 1, 1, "KB140", "JavaScript the site needs is missing", hint))
    ttl = site_dir / FORMATS["ttl"]
    if ttl.is_file():
        diags += _self_description(site_dir, ttl, kb.config.site_url)
    for note in kb.notes:
        if page_of(site_dir, kb.config.site_url, kb.iri(note)) is None:
            diags.append(Diagnostic(note.file, 1, 1, "KB145", "note without a page in the built site", f"rebuild {shown}"))
    return diags


def _self_description(site_dir: Path, ttl: Path, site_url: str) -> list[Diagnostic]:
    """KB143 for every page whose IRI's triples in ``kb.ttl`` are not exactly in its JSON-LD."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    def plain(graph) -> set:  # RDF 1.1: "x" and "x"^^xsd:string are one literal; rdflib keeps them apart
        return {(s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o) for s, p, o in graph}

    try:
        whole = Graph().parse(ttl, format="ox-turtle")
    except Exception as exc:  # any parser failure: the file is not Turtle
        return [Diagnostic(_shown(ttl), 1, 1, "KB144", f"kb.ttl cannot be read: {exc}", "rebuild the site")]
    triples = plain(whole)
    by_page: dict[Path, set] = {}
    for s, _, _ in triples:
        if isinstance(s, URIRef) and (page := page_of(site_dir, site_url, str(s))) is not None:
            by_page.setdefault(page, set()).add(s)
    if not by_page:
        return [Diagnostic(_shown(ttl), 1, 1, "KB143", f"no IRI of kb.ttl is the address of a page under site_url {site_url}", "check with the mkdocs.yml the site was built with")]
    diags = []
    for page in sorted(by_page):
        parser = _HeadScripts()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        if not parser.blocks:
            diags.append(Diagnostic(_shown(page), 1, 1, "KB143", "the page does not describe its IRI: no JSON-LD in <head>", "rebuild the site with the kb plugin"))
            continue
        line, text = parser.blocks[0]
        try:
            described = plain(Graph().parse(data=text, format="json-ld"))
        except Exception as exc:  # rdflib's JSON-LD parser raises many kinds of errors
            diags.append(Diagnostic(_shown(page), line, 1, "KB143", f"the page's JSON-LD cannot be read: {exc}"))
            continue
        expected = {t for t in triples if t[0] in by_page[page]}
        if not expected <= described or not described <= triples:
            missing, extra = len(expected - described), len(described - triples)
            diags.append(Diagnostic(_shown(page), line, 1, "KB143", f"the page's JSON-LD differs from kb.ttl: {missing} triples missing, {extra} not in kb.ttl", "rebuild the site"))
    return diags
