"""The SPARQL page in Chromium on a big graph: load time, latency of every named query, bytes served.

A synthetic vault of 10,000 notes (``benchmarks/synthetic_vault.py``) is built into a knowledge
base and exported as ``kb.ttl``; a small site built by the ``kb`` plugin (same ``site_url``)
provides the real SPARQL page, whose ``kb.ttl`` is replaced by the big one, and is served on
127.0.0.1. In headless Chromium (Playwright) it measures:

- the load: from navigation start until the worker has fetched and parsed the graph (median of
  a few page loads), and the worker's own fetch + parse time;
- each named query: median round trip page → worker → page over ``--runs`` runs after one
  warm-up, timed in the page with ``performance.now``, next to ``run_local`` (what ``kb query``
  runs) on the same graph in Python;
- the size of ``kb.ttl`` and of Oxigraph's WebAssembly, raw and gzip-compressed.

Goal: every example query under 100 ms in the browser.

    .venv/bin/python benchmarks/sparql_browser.py [--notes 10000] [--runs 10] [--loads 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import logging
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SITE_URL = "https://bench.invalid/"
GOAL_MS = 100.0
SLOW_MS = 2_000.0  # a query slower than this is timed fewer times, or the benchmark takes an hour
MKDOCS_YML = f"""site_name: Banc SPARQL
site_url: {SITE_URL}
docs_dir: docs
site_dir: site
theme:
  name: material
  language: fr
  font: false
plugins:
  - kb:
      node_modules: {ROOT / "node_modules"}
"""
ROUND_TRIP = """async (text) => {
  const page = [...window.kbSparql.instances.values()][0];
  const started = performance.now();
  const answer = await page.engine.call({ type: "query", text });
  const ms = performance.now() - started;
  const data = answer.form === "SELECT" || answer.form === "ASK" ? JSON.parse(answer.data) : null;
  return [ms, data && data.results ? data.results.bindings.length : null];
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=6))


def build_site(project: Path, notes: int):
    """The big graph (pipeline + export) and a small site of the kb plugin serving it; returns the graph."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as mkdocs_config

    from benchmarks.synthetic_vault import generate_vault
    from kbtools.config import load_config
    from kbtools.export import export
    from kbtools.pipeline import build_knowledge_base

    big = project / "big"
    generate_vault(big / "docs", notes, seed=0)
    started = time.perf_counter()
    kb = build_knowledge_base(load_config(big / "docs", site_url=SITE_URL))
    print(f"pipeline: {len(kb.notes):,} notes, {len(kb.graph):,} triples in {time.perf_counter() - started:.1f} s")
    small = project / "small"
    generate_vault(small / "docs", 20, seed=1)
    (small / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    build(mkdocs_config(str(small / "mkdocs.yml")))
    export(kb.graph, small / "site", ["ttl"])  # the page reads ../kb.ttl: now the big graph
    return kb.graph


def time_python(graph, text: str, runs: int) -> tuple[float, int]:
    from kbtools.query import run_local

    first = time.perf_counter()
    rows = len(run_local(graph, text, timeout=None).rows)
    first = (time.perf_counter() - first) * 1000
    times = []
    for _ in range(runs if first < SLOW_MS else 1):
        started = time.perf_counter()
        run_local(graph, text, timeout=None)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), rows


def measure(base: str, queries: dict, graph, runs: int, loads: int) -> dict:
    from playwright.sync_api import sync_playwright

    out: dict = {"loads": [], "queries": {}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(loads):
            page = browser.new_context().new_page()
            page.goto(base + "sparql/")
            page.wait_for_selector('[data-kb-ready="1"]', timeout=300_000)
            data = page.eval_on_selector("[data-kb-sparql]", "(el) => ({ ...el.dataset })")
            out["loads"].append({"ready_ms": float(data["kbReadyAt"]), "worker_ms": float(data["kbLoadMs"]), "triples": int(data["kbTriples"])})
            page.context.close()
        page = browser.new_context().new_page()
        page.goto(base + "sparql/")
        page.wait_for_selector('[data-kb-ready="1"]', timeout=300_000)
        for name, q in queries.items():
            first, rows = page.evaluate(ROUND_TRIP, q.text)  # warm-up
            times = [page.evaluate(ROUND_TRIP, q.text)[0] for _ in range(runs if first < SLOW_MS else 1)]
            py_ms, py_rows = time_python(graph, q.text, runs)
            out["queries"][name] = {"browser_ms": statistics.median(times), "runs": len(times), "rows": rows, "python_ms": py_ms, "python_rows": py_rows}
            print(f"  {name}: {statistics.median(times):.1f} ms", flush=True)
        browser.close()
    return out


def report(result: dict, files: dict[str, tuple[int, int]]) -> None:
    loads = result["loads"]
    print(f"\ngraph: {loads[0]['triples']:,} triples")
    print(f"load (navigation → worker ready), median of {len(loads)}: {statistics.median(x['ready_ms'] for x in loads):,.0f} ms")
    print(f"  of which fetch + parse in the worker: {statistics.median(x['worker_ms'] for x in loads):,.0f} ms\n")
    print(f"{'file served':<28}{'raw':>14}{'gzip':>14}")
    for name, (raw, packed) in files.items():
        print(f"{name:<28}{raw:>14,}{packed:>14,}")
    print(f"\n{'query':<26}{'rows':>7}{'browser ms':>12}{'runs':>6}{'python ms':>11}{'ratio':>7}  goal")
    for name, q in result["queries"].items():
        ratio = q["browser_ms"] / q["python_ms"] if q["python_ms"] else float("nan")
        ok = "ok" if q["browser_ms"] < GOAL_MS else "SLOW"
        same = "" if q["rows"] == q["python_rows"] or q["rows"] is None else f"  (python: {q['python_rows']} rows)"
        print(f"{name:<26}{q['rows'] if q['rows'] is not None else '-':>7}{q['browser_ms']:>12,.1f}{q['runs']:>6}{q['python_ms']:>11,.1f}{ratio:>7.1f}  {ok}{same}")
    slow = [n for n, q in result["queries"].items() if q["browser_ms"] >= GOAL_MS]
    print(f"\n{len(result['queries']) - len(slow)}/{len(result['queries'])} queries under {GOAL_MS:.0f} ms" + (f"; slower: {', '.join(slow)}" if slow else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="named queries to time (default: all)")
    parser.add_argument("--json", type=Path, help="also write the measures here")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium package", file=sys.stderr)
        return 2
    from kbtools.query import load_named_queries

    queries = load_named_queries(ROOT / "ontology" / "queries")
    if args.only:
        queries = {n: q for n, q in queries.items() if n in args.only}
    with tempfile.TemporaryDirectory(prefix="kb-sparql-bench-") as tmp:
        project = Path(tmp)
        graph = build_site(project, args.notes)
        site = project / "small" / "site"
        vendor = site / "assets/kb/vendor/oxigraph"
        files = {"kb.ttl": sizes(site / "kb.ttl"), "oxigraph web_bg.wasm": sizes(vendor / "web_bg.wasm"), "oxigraph web.js": sizes(vendor / "web.js")}
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            result = measure(f"http://127.0.0.1:{server.server_address[1]}/", queries, graph, args.runs, args.loads)
        finally:
            server.shutdown()
            server.server_close()
    result["files"] = files
    report(result, files)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
