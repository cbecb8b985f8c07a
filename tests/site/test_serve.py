"""``make serve``'s server, for real: ``mkdocs serve --dirty`` on 127.0.0.1, a note saved, the
page served again with the change, having rebuilt only the pages the change shows on."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from .helpers import write_project

START_S = 180  # the first build of the fixture vault takes seconds; a loaded CI machine, more
CHANGE_S = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    def __init__(self, root: Path, port: int) -> None:
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-v", "-f", str(root / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"]
        self.proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip())

    def wait_for(self, pattern: str, within: float) -> str:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.proc.poll() is None, "mkdocs serve ended:\n" + "\n".join(self.seen[-30:])
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no {pattern!r} within {within} s:\n" + "\n".join(self.seen[-30:]))

    def drain(self) -> list[str]:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.seen

    def stop(self) -> int | None:
        """Ctrl-C, as a writer stops it; the exit status."""
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the OS watcher checked here is Linux's inotify")
def test_a_saved_note_is_served_again_and_only_its_pages_are_rebuilt(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    root = tmp_path / "project"
    write_project(root, site_url=base)
    server = _Server(root, port)
    try:
        server.wait_for(r"Serving on", START_S)
        assert any("watching with InotifyObserver" in line for line in server.drain())
        page, quoting = base + "concepts/tenseur/", base + "concepts/xss/"
        assert "Voir aussi" in _get(page)
        assert "Voir aussi" in _get(quoting)
        note = root / "docs" / "concepts" / "tenseur.md"
        note.write_text(note.read_text(encoding="utf-8").replace("Voir aussi", "Voir surtout"), encoding="utf-8")
        # the note's page at once; the page its body links to, whose « Mentionné dans » quotes
        # the sentence, once the browsers have reloaded (kbtools.site.background)
        rebuilt = server.wait_for(r"kb: \d+ page\(s\) rebuilt", CHANGE_S)
        assert re.search(r"kb: 1 page\(s\) rebuilt now, 1 in the background", rebuilt), rebuilt
        server.wait_for(r"Reloading browsers", CHANGE_S)
        assert "Voir surtout" in _get(page)
        server.wait_for(r"kb: 1 page\(s\) rebuilt in the background; reloading browsers", CHANGE_S)
        assert "Voir surtout" in _get(quoting)
        time.sleep(3)  # reading the notes during the build is no change: no second build
        assert sum("Building documentation" in line for line in server.drain()) == 2
    finally:
        stopped = server.stop()
    assert stopped is not None
    # the per-page caches are kept for the next mkdocs serve or build (kbtools.site.page_store)
    assert (root / ".kb-cache" / "site" / "pages.json").stat().st_size > 10_000
