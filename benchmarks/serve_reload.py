"""Edit loop of ``mkdocs serve``: from saving a note to the browsers being told to reload.

Starts ``mkdocs serve`` (127.0.0.1, a free port) on a copy of this project or on a synthetic
vault (``benchmarks/synthetic_vault.py``, the project's mkdocs.yml), then edits one note at a
time — its body, its title, one relation, and the title of a hub (at the top of the nav, so
shown on every page) — and reads the server's log: the interval from the
write to « Reloading browsers », and the rebuild itself (« Building documentation » to
« Reloading browsers »), and the interval to the moment every page is rewritten (pages whose
change can wait are rewritten after that first reload: ``kbtools/site/background.py``). Each edit
is undone afterwards, and the undo is timed too. Prints the medians per kind of edit.

    .venv/bin/python benchmarks/serve_reload.py --project [--repeat 2] [--full]
    .venv/bin/python benchmarks/serve_reload.py --notes 1000 [--repeat 1] [--full]

The server runs as ``make serve`` runs it, with ``--dirty`` (only the pages whose inputs
changed are rebuilt: ``kbtools/site/incremental.py``); ``--full`` measures plain ``mkdocs serve``,
which rebuilds every page, as the baseline. ``--both`` runs the two one after the other.

Nothing is edited in place: the project's docs, snippets, ontology and recorded results are
copied to a temporary folder first.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROJECT_PARTS = ("mkdocs.yml", "docs", "snippets", "ontology", "overrides", "benchmarks/results")
TIMEOUT_S = 600  # one rebuild of a 5,000-note vault takes minutes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``mkdocs serve`` in a child process; its log lines with the time they arrived."""

    def __init__(self, config_file: Path, dirty: bool = True) -> None:
        self.port = _free_port()
        cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "--dev-addr", f"127.0.0.1:{self.port}", *(["--dirty"] if dirty else [])]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
        self.proc = subprocess.Popen(cmd, cwd=config_file.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.passed: list[str] = []  # the lines read by the last wait_for
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line.rstrip()))

    def wait_for(self, pattern: str, after: float = 0.0) -> float:
        """The time the first log line matching ``pattern`` arrived after ``after``."""
        deadline = time.monotonic() + TIMEOUT_S
        self.passed = []
        while time.monotonic() < deadline:
            try:
                when, line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise SystemExit(f"mkdocs serve exited with {self.proc.returncode}") from None
                continue
            self.passed.append(line)
            if when >= after and re.search(pattern, line):
                return when
        raise SystemExit(f"no {pattern!r} in the server's log within {TIMEOUT_S} s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _project_copy(base: Path) -> Path:
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, base / part)
        elif src.is_file():
            (base / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, base / part)
    (base / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    return base / "mkdocs.yml"


def _synthetic(base: Path, n: int) -> Path:
    from benchmarks.site_build import _config
    from benchmarks.synthetic_vault import generate_vault

    generate_vault(base / "docs", n, 0)
    (base / "docs" / "index.md").write_text("# Accueil\n\nVault synthétique.\n", encoding="utf-8")
    return _config(base, True, False)


def _pick(docs: Path) -> tuple[Path, str, Path | None]:
    """A note in the middle of the vault (sorted paths) that is part of another one, another
    note's title, and a hub (a note at the top of the nav, shown on every page)."""
    texts = {p: p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}
    notes = [p for p, t in texts.items() if t.startswith("---\n")]
    hubs = [p for p in notes if re.search(r"^type: *hub$", texts[p], re.M)]
    inside = [p for p in notes if p not in hubs and re.search(r"^(isPartOf|subClassOf):", texts[p], re.M)] or notes
    note = inside[len(inside) // 2]
    title = re.search(r"^title: *['\"]?(.+?)['\"]?$", texts[notes[len(notes) // 3]], re.M)
    return note, title.group(1) if title else "", hubs[len(hubs) // 2] if hubs else None


def _edits(text: str, other: str) -> dict[str, str]:
    """The edited versions of a note: one body sentence, the title, one relation."""
    head, sep, body = text.partition("\n---\n")
    title = re.sub(r"^(title: *)(['\"]?)(.+?)(['\"]?)$", r"\1\2\3 (modifié)\4", head, count=1, flags=re.M)
    if "\ndifferentFrom:" in head:
        relation = re.sub(r"^differentFrom:.*(\n- .*)*$", "", head, count=1, flags=re.M)
    else:
        relation = head + f"\ndifferentFrom: '[[{other}]]'"
    return {
        "body": text + "\nUne phrase ajoutée pour mesurer la reconstruction.\n",
        "title": title + sep + body,
        "relation": relation + sep + body,
    }


def measure(config_file: Path, repeat: int, dirty: bool = True) -> dict[str, list[tuple[float, float, float]]]:
    """Per kind of edit, (write → reload, build, write → every page rewritten) in seconds, undo
    included. The pages whose change can wait (``kbtools/site/background.py``) are rewritten after
    the first reload, and the browsers reloaded again: the third figure is the time to that."""
    server = Server(config_file, dirty)
    start = time.monotonic()
    results: dict[str, list[tuple[float, float, float]]] = {"first build": []}
    try:
        served = server.wait_for(r"Serving on")
        results["first build"].append((served - start, served - start, served - start))
        note, other, hub = _pick(config_file.parent / "docs")
        original = note.read_text(encoding="utf-8")
        print(f"editing {note.relative_to(config_file.parent)}" + (f", and the title of {hub.relative_to(config_file.parent)}" if hub else ""), flush=True)
        for _ in range(repeat):
            edits = [(note, original, kind, edited) for kind, edited in _edits(original, other).items()]
            if hub is not None:  # a hub is in every page's nav: renaming it rebuilds every page
                hub_text = hub.read_text(encoding="utf-8")
                edits.append((hub, hub_text, "hub title", _edits(hub_text, other)["title"]))
            for path, before, kind, edited in edits:
                for content in (edited, before):  # the edit, then its undo
                    time.sleep(1.0)  # the watcher settles
                    written = time.monotonic()
                    path.write_text(content, encoding="utf-8")
                    building = server.wait_for(r"Building documentation", written)
                    reloaded = server.wait_for(r"Reloading browsers", building)
                    later = any("in the background once" in line for line in server.passed)
                    every = server.wait_for(r"rebuilt in the background", reloaded) if later else reloaded
                    results.setdefault(kind, []).append((reloaded - written, reloaded - building, every - written))
                    print(f"  {kind:<9} {reloaded - written:6.2f} s (build {reloaded - building:.2f} s, every page {every - written:.2f} s)", flush=True)
    finally:
        server.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--project", action="store_true", help="a copy of this project")
    where.add_argument("--notes", type=int, help="a synthetic vault of this many notes")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the three edits (each undone, and timed, too)")
    parser.add_argument("--keep", type=Path, help="keep the temporary project under this folder")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true", help="plain mkdocs serve (every page rebuilt), the baseline")
    mode.add_argument("--both", action="store_true", help="plain mkdocs serve, then mkdocs serve --dirty, same vault")
    args = parser.parse_args()
    modes = [False, True] if args.both else [not args.full]
    base = Path(tempfile.mkdtemp(prefix="kb-serve-", dir=args.keep))
    tables = []
    try:
        config_file = _project_copy(base) if args.project else _synthetic(base, args.notes)
        for dirty in modes:
            name = "mkdocs serve --dirty (kb incremental)" if dirty else "mkdocs serve (full rebuilds)"
            print(f"{'this project' if args.project else f'{args.notes} synthetic notes'}, {name}; load {os.getloadavg()[0]:.1f}", flush=True)
            tables.append((name, measure(config_file, args.repeat, dirty)))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    for name, results in tables:
        print(f"\n{name}")
        print(f"{'edit':<12} {'runs':>4} {'write → reload (median)':>24} {'build (median)':>15} {'write → every page (median)':>28}")
        for kind, runs in results.items():
            medians = [statistics.median(r[n] for r in runs) for n in range(3)]
            print(f"{kind:<12} {len(runs):>4} {medians[0]:>22.2f} s {medians[1]:>13.2f} s {medians[2]:>26.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
