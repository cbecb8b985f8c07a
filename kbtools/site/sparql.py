"""The « Interroger en SPARQL » page: the site's own ``kb.ttl`` queried in the browser, offline.

Oxigraph's WebAssembly build (npm package ``oxigraph``, pinned in ``package.json``, shipped inside
kbtools by :mod:`.npm_files`) is copied into the site, beside the graph renderer, and runs in a module worker
(``assets/sparql/worker.js``); only this page loads it. The page is generated Markdown whose
container carries, as escaped data attributes, all the script needs: where ``kb.ttl`` is, the
site's IRI base and root, the pre-declared prefixes and the named queries (title, text).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from ..export import FORMATS
from ..ids import RelPath, relative_source, site_base
from ..query import NamedQuery
from ..vocab import PREFIXES
from .assets import ASSET_DIR, VENDOR, VENDOR_DIR, MissingNodeModules, VendorFile, own_asset
from .markup import attrs, element, link, md_text
from .model import SiteModel

SPARQL_PAGE = RelPath("sparql.md")
TITLE = "Interroger en SPARQL"
DIR = f"{ASSET_DIR}/sparql"
MAIN_JS = f"{DIR}/kb-sparql.js"
CSS = f"{DIR}/kb-sparql.css"
# The page's own modules; kb-sparql.js imports the others by relative URL.
OWN_FILES = {f"{DIR}/{name}": f"sparql/{name}" for name in ("kb-sparql.js", "editor.js", "engine.js", "syntax.js", "results.js", "graphview.js", "worker.js", "kb-sparql.css")}
# Oxigraph's browser entry (an ES module) and the WebAssembly it fetches beside itself.
OXIGRAPH_PACKAGE = "oxigraph"
OXIGRAPH_FILES = ("web.js", "web_bg.wasm")
OXIGRAPH_DIR = f"{VENDOR_DIR}/oxigraph"  # worker.js imports "../vendor/oxigraph/web.js"
CYTOSCAPE = f"{VENDOR_DIR}/{PurePosixPath(VENDOR['cytoscape']).name}"  # the graph pages' copy, drawn on demand
ENDPOINT = "http://127.0.0.1:7878/query"  # where `oxigraph serve` listens by default: the curl command's placeholder

Add = Callable[[File], File]


def vendor_files(node_modules: Path) -> list[VendorFile]:
    """Oxigraph's files to copy into the site; raises :class:`MissingNodeModules` if one is missing."""
    from .npm_files import locate

    found = []
    for name in OXIGRAPH_FILES:
        source = locate(OXIGRAPH_PACKAGE, name, node_modules)  # shipped in kbtools, else node_modules
        if source is None:
            raise MissingNodeModules(
                f"the SPARQL engine of the site is missing: {OXIGRAPH_PACKAGE}/{name} is neither in the kbtools package nor in "
                f"{node_modules}. Reinstall kbtools (pip install kbtools[site]), or in a development checkout run `npm ci` "
                f"and `python -m kbtools.site.npm_files` (make vendor)."
            )
        found.append(VendorFile(source, f"{OXIGRAPH_DIR}/{name}"))
    return found


def add_assets(config: MkDocsConfig, add: Add) -> None:
    for site_path, name in OWN_FILES.items():
        add(File.generated(config, site_path, content=own_asset(name)))


def editor_href(model: SiteModel, from_path: RelPath, text: str) -> str:
    """A link from a page to the SPARQL page, the query in the URL (the page runs it when opened)."""
    return f"{model.href(from_path, SPARQL_PAGE)}#q={quote(text, safe='')}"


def page_markdown(model: SiteModel, queries: Mapping[str, NamedQuery], pages: Mapping[str, RelPath], index: RelPath) -> str:
    """The page: an introduction, the container the script fills, its stylesheet and script."""
    root = model.to_root(SPARQL_PAGE)
    examples = [
        {"name": q.name, "title": q.title, "description": q.description, "text": q.text, "page": model.href(SPARQL_PAGE, pages[q.name])}
        for q in queries.values()
    ]
    container = element(
        "div",
        "",
        class_="kb-sparql",
        data_kb_sparql=root + FORMATS["ttl"],
        data_kb_root=root,
        data_kb_site=site_base(model.kb.config.site_url),
        data_kb_prefixes=json.dumps(PREFIXES),
        data_kb_queries=json.dumps(examples, ensure_ascii=False),
        data_kb_cytoscape=root + CYTOSCAPE,
        data_kb_endpoint=ENDPOINT,
    )
    index_link = f"[questions déjà répondues](<{relative_source(SPARQL_PAGE, index)}>)"
    # kb.ttl is no page of mkdocs: an HTML link, which mkdocs does not check against the docs.
    intro = (
        "Posez vos questions au graphe de la base en SPARQL, directement dans votre navigateur : le graphe complet "
        f"({link(root + FORMATS['ttl'], element('code', FORMATS['ttl']))}) est chargé dans cette page et interrogé sur place par Oxigraph, sans serveur. "
        "Choisissez un exemple ou écrivez votre requête ; les résultats se téléchargent en CSV ou en JSON, "
        "et le lien permanent garde la requête."
    )
    fallback = f"Les {index_link} montrent aussi leurs réponses, calculées à la construction du site, sans JavaScript."
    scripts = (
        f'<div class="kb-sparql__assets" hidden><link{attrs(rel="stylesheet", href=root + CSS)}>'
        f'<script{attrs(type="module", src=root + MAIN_JS)}></script></div>'
    )
    return "\n".join([f"# {md_text(TITLE)}", "", intro, "", str(container), "", fallback, "", scripts, ""])
