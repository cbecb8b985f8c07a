"""Static assets: the plugin's own CSS / JS, and the graph renderer shipped with kbtools.

The renderer (cytoscape, pinned in ``package.json``, vendored by :mod:`.npm_files`) is served by
the site itself, copied after the build; only pages that show a graph load it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from . import npm_files
from .markup import attrs, element

ASSET_DIR = "assets/kb"
CSS = f"{ASSET_DIR}/kb.css"  # every page: panels, badges, indexes
GRAPH_CSS = f"{ASSET_DIR}/kb-graph.css"
GRAPH_JS = f"{ASSET_DIR}/kb-graph.js"
OWN_FILES = {CSS: "kb.css", GRAPH_CSS: "kb-graph.css", GRAPH_JS: "kb-graph.js"}
# Browser build of each npm package the site ships: package.json name → file inside the package.
VENDOR = {"cytoscape": "dist/cytoscape.min.js"}
VENDOR_DIR = f"{ASSET_DIR}/vendor"


class MissingNodeModules(Exception):
    """The renderer is not installed: the message says how to install it."""


@dataclass(frozen=True, slots=True)
class VendorFile:
    source: Path
    site_path: str  # where it goes in the built site


def own_asset(name: str) -> bytes:
    """Content of one of the files shipped in ``kbtools/site/assets``."""
    return resources.files("kbtools.site").joinpath("assets", name).read_bytes()


def vendor_files(node_modules: Path) -> list[VendorFile]:
    """The renderer files to copy (:func:`.npm_files.locate`); raises :class:`MissingNodeModules` if one is missing."""
    found = []
    for package, inner in VENDOR.items():
        source = npm_files.locate(package, inner, node_modules)  # shipped in kbtools, else node_modules
        if source is None:
            raise MissingNodeModules(
                f"the graph renderer is missing: {package}/{inner} is neither in the kbtools package nor in {node_modules}. "
                f"Reinstall kbtools (pip install kbtools[site]), or in a development checkout run `npm ci` "
                f"and `python -m kbtools.site.npm_files` (make vendor)."
            )
        found.append(VendorFile(source, f"{VENDOR_DIR}/{Path(inner).name}"))
    return found


def copy_vendor(files: list[VendorFile], site_dir: Path) -> None:
    for vf in files:
        target = site_dir / vf.site_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(vf.source, target)


def graph_container(data_url: str, root: str, variant: str, describedby: str | None = None, fallback: str = "") -> Markup:
    """The element the graph script fills; it builds legend, filters and search itself.

    ``describedby`` is the id of the text describing the drawing (the canvas' ``aria-describedby``);
    ``fallback`` shows until the script draws (or for good without JavaScript).
    """
    body = element("p", fallback, class_="kb-graph__status") if fallback else ""
    return element("div", body, class_=f"kb-graph kb-graph--{variant}", data_kb_graph=data_url, data_kb_root=root, data_kb_describedby=describedby)


def graph_scripts(root: str, vendor: list[VendorFile]) -> Markup:
    """Stylesheet and scripts of the graph, for the pages that show one.

    They sit inside the page content so that material's instant navigation, which swaps the
    content and re-runs its scripts, loads them when such a page is reached without a reload.
    """
    tags = [f"<link{attrs(rel='stylesheet', href=root + GRAPH_CSS)}>"]
    tags += [f"<script{attrs(src=root + vf.site_path)}></script>" for vf in vendor]
    tags.append(f"<script{attrs(src=root + GRAPH_JS)}></script>")
    return Markup("".join(tags))
