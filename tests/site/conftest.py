"""Fixtures of the site tests: the fixture vault built once, and an HTTP server for the browser."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, NODE_MODULES, Built, build_project, write_project


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture vault (dangling link and broken note included) built once, non-strict."""
    if not NODE_MODULES.is_dir():
        pytest.fail("node_modules is missing: run `npm ci` in the project folder first")
    root = tmp_path_factory.mktemp("fixture-site")
    write_project(root)
    return build_project(root)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # one line per request would drown the test output
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser that navigates away closes its connections mid-response: not a test failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve_built_site(root, vault=None, write=None, strict: bool = False) -> Iterator[str]:
    """Write a project in ``root`` (``write(root, site_url=…)``, default: :func:`write_project` of
    ``vault``, itself the fixture vault by default), build it for, and serve it on, 127.0.0.1 and a
    free port; yields the base URL. Built for that very address: material's instant navigation only
    takes over links that its sitemap (made from ``site_url``) lists."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "site")))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    if write is not None:
        write(root, site_url=base)
    else:
        write_project(root, site_url=base, **({"vault": vault} if vault is not None else {}))
    build_project(root, strict=strict)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the fixture site, served on 127.0.0.1 and a free port."""
    yield from serve_built_site(tmp_path_factory.mktemp("served-site"))


@dataclass
class Tab:
    """A page, with the console errors, page errors and dialogs seen since it opened (see :func:`tab`).
    Test modules subclass it with what they need and name it ``Tab``."""

    page: object
    base: str
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        self.page.goto(self.base + url)
        self.page.wait_for_load_state("load")
        # material's instant navigation takes over links once its bundle has run; a click before that reloads
        self.page.wait_for_function("typeof window.location$ !== 'undefined'")

    def graph(self, expr: str):
        """Evaluate ``expr`` with ``el`` (the graph container of the page) and ``cy`` (its cytoscape) bound."""
        return self.page.evaluate(f"() => {{ const [el, cy] = [...window.kbGraph.instances].find(([e]) => e.isConnected); return {expr}; }}")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (one per test module)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(request: pytest.FixtureRequest, browser, served: str) -> Iterator[object]:
    """A fresh page of the module's ``Tab`` class, recording console errors, page errors and dialogs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = request.module.Tab(page, served)
    page.on("console", lambda msg: found.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: found.errors.append(str(exc)))

    def on_dialog(dialog) -> None:
        found.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield found
    context.close()
