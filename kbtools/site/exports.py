"""The graph's downloads on the site: ``kb.ttl``, ``kb.nt`` and ``kb.jsonld``.

A full build writes them before it ends. A dirty build of ``mkdocs serve`` (see
:mod:`.incremental`) writes them only when the graph changed, and then in a background thread:
a relation edited at 1,000 notes costs about half a second of serialising, which the page the
writer is looking at does not need. Each file is written atomically (:mod:`kbtools.atomic`);
the next build, and the end of ``mkdocs serve``, wait for the thread first, so files of an older
graph never land after those of a newer one. A failure there (a full disk) is logged as an
error, since the build it belongs to has ended.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..atomic import write_atomic
from ..diagnostics import KBError
from ..export import FORMATS, export
from .build import SiteBuild

log = logging.getLogger("mkdocs.plugins.kb")


class SiteExports:
    """Writes the downloads; remembers the digest of the graph last written."""

    def __init__(self) -> None:
        self.written = ""  # digest of the graph the files on disk hold ("" unknown)
        self._thread: threading.Thread | None = None

    def write(self, site: SiteBuild, site_dir: Path, digest: str = "", background: bool = False) -> None:
        """Write the three files for ``site``'s graph; with a ``digest`` equal to the last one
        written, and the files present, nothing is done."""
        self.wait()
        if digest and digest == self.written and all((site_dir / name).is_file() for name in FORMATS.values()):
            return
        self.written = digest
        if background:
            self._thread = threading.Thread(target=self._logged, args=(site, site_dir), name="kb-exports", daemon=True)
            self._thread.start()
        else:
            _write(site, site_dir)

    def wait(self) -> None:
        """Until the background writing, if any, has ended."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _logged(self, site: SiteBuild, site_dir: Path) -> None:
        try:
            _write(site, site_dir)
        except KBError as exc:
            self.written = ""
            for d in exc.diagnostics:
                log.error(d.format())


def _write(site: SiteBuild, site_dir: Path) -> None:
    export(site.kb.graph, site_dir, ["ttl", "nt"])
    if site.compactor is not None:  # rdflib's JSON-LD writer takes seconds on a big vault
        write_atomic(site_dir / FORMATS["jsonld"], site.compactor.document(site.triples.everything()))
    else:
        export(site.kb.graph, site_dir, ["jsonld"])
