"""Pages whose change can wait, rendered after the browsers have reloaded (``mkdocs serve --dirty``).

One save can change many pages: a renamed note is listed in the sidebar of every page of its
section, and in every page's sidebar when it sits at the top of the nav; its neighbours' panels,
the indexes and the graph page show its title too. The writer looks at the page of the note
they saved. As Hugo's server does with its "fast render mode" (the pages being edited first),
a rebuild of ``mkdocs serve --dirty`` renders at once the pages of the files that changed and
the pages without output; mkdocs then reloads the browsers; the other pages whose inputs changed
(:meth:`.incremental.Incremental.select` leaves them for later) are rendered by
:class:`Background`, in a thread of the server, each written atomically, the search index
merged, and the browsers are reloaded again when the last is written.

A rebuild cancels the thread before anything else (the server's builder is wrapped, and the
plugin's ``on_config`` runs first): it stops between two pages, and the pages it had not written
keep the digests of their last build, so the new build renders them. Only ``mkdocs serve``
defers pages; ``mkdocs build`` and builds run through mkdocs' API render every page they choose.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

import jinja2
from mkdocs.commands.build import _populate_page, get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _timestamp
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..atomic import write_atomic

log = logging.getLogger("mkdocs.plugins.kb")

# mkdocs' mark on a draft page shown by mkdocs serve (``_build_page``, mkdocs 1.6).
DRAFT = '<div class="mkdocs-draft-marker" title="This page will not be included into the built site.">DRAFT</div>'


def render_page(page: Page, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment) -> None:
    """Read, convert and write one page as ``mkdocs serve`` does (mkdocs 1.6's ``_populate_page``
    and ``_build_page``, every plugin event included), the output replaced atomically: the
    server may be sending the page's previous version at that moment.

    Raises what mkdocs' own steps raise (after logging which page failed)."""
    _populate_page(page, config, files)
    config._current_page = page
    try:
        page.active = True  # the theme marks the current page in the nav
        context = get_context(nav, files.documentation_pages(inclusion=InclusionLevel.is_in_serve), config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        if page.file.inclusion.is_excluded():
            page.content = DRAFT + (page.content or "")
        output = template.render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        if output.strip():
            write_atomic(page.file.abs_dest_path, output.encode("utf-8", errors="xmlcharrefreplace"))
    finally:
        page.active = False
        config._current_page = None


class Background:
    """At most one thread rendering the pages the last rebuild left for later.

    ``server`` is mkdocs' ``LiveReloadServer`` (given by ``on_serve``); without one nothing is
    deferred. ``written`` lists, after :meth:`wait` or :meth:`cancel`, the pages the last thread
    wrote (source URIs)."""

    def __init__(self) -> None:
        self.server: LiveReloadServer | None = None
        self.written: list[str] = []
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def attach(self, server: LiveReloadServer) -> None:
        """Defer pages from now on; each rebuild of ``server`` first cancels the thread."""
        self.server = server
        builder = server.builder

        def build_after_cancel(*args, **kwargs):
            self.cancel()
            return builder(*args, **kwargs)

        server.builder = build_after_cancel

    def start(
        self,
        pages: list[Page],
        render: Callable[[Page], None],
        done: Callable[[list[str], bool], None],
        prelude: Callable[[], list[Page]] | None = None,
    ) -> None:
        """Once the server shows the build that just ended, call ``prelude`` (data the build left to
        make; it returns more pages to render), ``render`` each page in turn, then call
        ``done(written, complete)`` and, if every page was written (one at least), reload the browsers.

        All three run in the thread; ``done`` also after a cancel (with ``complete`` False)."""
        self.cancel()
        self.written = []
        self._thread = threading.Thread(target=self._run, args=(pages, render, done, prelude), name="kb-background", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop the thread between two pages and wait for it (``done`` has run when this returns)."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
        self._stop.clear()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end by itself; False if it still runs after ``timeout`` seconds."""
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return False
            self._thread = None
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self, pages: list[Page], render: Callable[[Page], None], done: Callable[[list[str], bool], None], prelude) -> None:
        complete = False
        try:
            if not self._published():
                return
            if prelude is not None:
                pages = pages + [p for p in prelude() if p not in pages]
            for page in pages:
                if self._stop.is_set():
                    return
                render(page)
                self.written.append(page.file.src_uri)
            complete = True
        except Exception as exc:  # the next rebuild renders the pages not written, and reports the error then
            log.warning(f"kb: a page left for later failed to render ({type(exc).__name__}: {exc}); the next rebuild renders it", exc_info=bool(os.environ.get("KB_DEBUG")))
        finally:
            done(list(self.written), complete)
        if complete:
            reloading = bool(self.written) and self._reload()
            log.info(f"kb: {len(self.written)} page(s) rebuilt in the background" + ("; reloading browsers" if reloading else ""))

    def _published(self) -> bool:
        """Wait until the server shows the build that left these pages (mkdocs sets its visible
        epoch after ``build`` returns); False if cancelled first."""
        server = self.server
        if server is None:
            return not self._stop.is_set()
        while not self._stop.is_set():
            with server._epoch_cond:
                if server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch, timeout=0.05):
                    return not self._stop.is_set()
        return False

    def _reload(self) -> bool:
        """Tell the browsers (mkdocs' livereload script polls the epoch) that the site changed,
        unless a rebuild has started meanwhile: it will tell them itself."""
        server = self.server
        if server is None:
            return False
        with server._rebuild_cond:  # held by mkdocs while it decides to rebuild and sets _wanted_epoch
            if self._stop.is_set() or server._want_rebuild or server._visible_epoch != server._wanted_epoch:
                return False
            with server._epoch_cond:
                server._wanted_epoch = server._visible_epoch = max(_timestamp(), server._visible_epoch + 1)
                server._epoch_cond.notify_all()
        return True
