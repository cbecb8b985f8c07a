"""The per-page caches of the site kept on disk, so that the next ``mkdocs build`` finds them.

Three steps of a page's build depend on its content alone and take most of a full build of this
project: Python-Markdown's conversion (:mod:`.render_cache`), material's search entries and the
author's HTML sanitised and spaced (:mod:`.page_memo`). Within one ``mkdocs serve`` they are kept
in memory; :func:`load` and :func:`save` keep them between processes too, in
``.kb-cache/site/pages.json`` beside ``mkdocs.yml`` (JSON, written atomically).

The file is used only by the same tool and libraries: its ``stamp`` holds the version and the
modules (size, modification time) of kbtools and the versions of Python, mkdocs, material,
Python-Markdown, pymdown-extensions, Pygments and nh3; any difference and it is ignored. Each
entry is keyed, as in memory, by a digest of everything the step reads (Markdown, extensions
and their settings, every page's address, for the conversion). A file that cannot be read or
parsed is ignored; one that cannot be written is not an error.
"""

from __future__ import annotations

import json
import logging
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from mkdocs.structure.toc import AnchorLink, TableOfContents

from .. import __version__
from ..atomic import write_atomic
from ..check_cache import CACHE_DIR, tool_stamp
from .page_memo import Memo
from .render_cache import RenderCache, Rendered

LIBRARIES = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Pygments", "nh3")
FORMAT = 1


def store_path(config_file: str | None) -> Path | None:
    """``.kb-cache/site/pages.json`` beside ``mkdocs.yml``; None without a config file."""
    return Path(config_file).parent / CACHE_DIR / "site" / "pages.json" if config_file else None


def stamp() -> list:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(version(name))
        except PackageNotFoundError:
            versions.append("")
    return [FORMAT, __version__, sys.version, versions, tool_stamp()]


def load(path: Path | None, render: RenderCache, search: Memo, cleaned: Memo) -> bool:
    """Fill the caches from ``path`` when it was written by this very tool; True if it was."""
    if path is None or not path.is_file():
        return False
    try:
        data = json.loads(path.read_bytes())
        if data.get("stamp") != json.loads(json.dumps(stamp())):
            return False
        render.entries.update({key: _rendered(value) for key, value in data["render"].items()})
        render.latest.update(data["render_latest"])
        search.latest.update({page: (key, value) for page, (key, value) in data["search"].items()})
        cleaned.latest.update({page: (key, value) for page, (key, value) in data["cleaned"].items()})
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


def save(path: Path | None, render: RenderCache, search: Memo, cleaned: Memo) -> None:
    """Write the caches to ``path`` (atomically); a failure to write is not an error."""
    if path is None:
        return
    data = {
        "stamp": stamp(),
        "render": {key: _plain(value) for key, value in render.entries.items()},
        "render_latest": render.latest,
        "search": {page: [key, value] for page, (key, value) in search.latest.items()},
        "cleaned": {page: [key, value] for page, (key, value) in cleaned.latest.items()},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except (OSError, TypeError, ValueError):
        pass


def _toc(items) -> list:
    return [[i.title, i.id, i.level, _toc(i.children)] for i in items]


def _anchors(items) -> list[AnchorLink]:
    out = []
    for title, id_, level, children in items:
        link = AnchorLink(title, id_, level)
        link.children = _anchors(children)
        out.append(link)
    return out


def _plain(r: Rendered) -> dict:
    records = [{"name": x.name, "levelno": x.levelno, "levelname": x.levelname, "msg": x.getMessage()} for x in r.records]
    return {
        "content": r.content,
        "toc": _toc(r.toc),
        "title": r.title,
        "anchors": sorted(r.anchors) if r.anchors is not None else None,
        "links": r.links_to_anchors,
        "records": records,
    }


def _rendered(d: dict) -> Rendered:
    toc = TableOfContents(_anchors(d["toc"]))
    if toc.items:  # mkdocs marks the first entry active (mkdocs.structure.toc.get_toc)
        toc.items[0].active = True  # type: ignore[attr-defined]
    records = [logging.makeLogRecord(x) for x in d["records"]]
    anchors = set(d["anchors"]) if d["anchors"] is not None else None
    return Rendered(d["content"], toc, d["title"], anchors, d["links"], records)
