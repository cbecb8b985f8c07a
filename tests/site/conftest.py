"""Fixtures of the site tests: the fixture vault built once, and an HTTP server for the browser."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from collections.abc import Iterator

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


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the fixture site, served on 127.0.0.1 and a free port.

    Built for that very address: material's instant navigation only takes over links that
    its sitemap (made from ``site_url``) lists.
    """
    root = tmp_path_factory.mktemp("served-site")
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = _QuietServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    write_project(root, site_url=base)
    build_project(root)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


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
