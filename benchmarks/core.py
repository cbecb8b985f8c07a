"""Benchmark of the core pipeline on synthetic vaults, with a pure-rdflib baseline in the same run.

For 1,000 and 10,000 notes it reports:
- read + resolve + check + graph (Oxigraph store through rdflib) time and peak RSS, each in a
  fresh process; SHACL validation time separately: the shapes as SPARQL on Oxigraph, cold (first
  run in the process) and warm (second run), and pySHACL on the same graph as the baseline
  (``--no-pyshacl`` leaves the baseline out: about 17 s at 10,000 notes);
- export time per format;
- ``kb check`` as a user runs it: cold (``--no-cache``), warm (unchanged vault, result cached under
  .kb-cache/) and after one note's body changed (the cached result no longer applies), without and
  with SHACL, beside a yardstick measured in the same run (a Python process that only reads the
  notes and parses their frontmatter);
- median latency of each named query (Oxigraph), and the same on a plain rdflib in-memory
  graph holding the same triples (rdflib's SPARQL engine), as the baseline ratio.

Usage: python benchmarks/core.py [--sizes 1000 10000] [--repeat 15] [--no-pyshacl] [--no-queries] [--vault DIR]
(``--vault``: measure that vault, e.g. one made once by synthetic_vault.py, instead of generating them)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def child_build(vault: str, shacl: bool, pyshacl: bool = True) -> dict:
    """Runs in a fresh process: time the pipeline and read the peak RSS."""
    import resource

    from kbtools.config import load_config
    from kbtools.pipeline import build_knowledge_base

    config = load_config(vault, site_url="https://bench.invalid/")
    start = time.perf_counter()
    kb = build_knowledge_base(config)
    triples = len(kb.graph)  # the graph is built on first use: inside the timing
    built = time.perf_counter() - start
    out = {"build_s": built, "triples": triples, "notes": len(kb.notes), "errors": len(kb.errors),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # before SHACL and its baseline
    if shacl:
        from kbtools.pipeline import shapes_path
        from kbtools.shacl import validate

        for key in ("shacl_s", "shacl_warm_s", *(("pyshacl_s",) if pyshacl else ())):
            start = time.perf_counter()
            found = validate(kb.graph, shapes_path(config), kb.notes_by_iri, engine="pyshacl" if key == "pyshacl_s" else "sparql")
            out[key] = time.perf_counter() - start
            out[key.replace("_s", "_results")] = len(found)
    return out


def child_baseline(vault: str) -> dict:
    """The same triples into rdflib's own in-memory store (the baseline)."""
    import resource

    from rdflib import Graph

    from kbtools.config import load_config
    from kbtools.graph import RdflibTerms, triples
    from kbtools.notes import read_vault
    from kbtools.resolve import NameIndex, resolve

    config = load_config(vault, site_url="https://bench.invalid/")
    start = time.perf_counter()
    notes = read_vault(config.vault).notes
    edges, _ = resolve(notes, NameIndex(notes))
    graph = Graph()
    for triple in triples(config, notes, edges, RdflibTerms()):
        graph.add(triple)
    graph.parse(ROOT / "ontology" / "kb.ttl")
    return {"build_s": time.perf_counter() - start, "triples": len(graph), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _in_child(kind: str, vault: Path, *extra: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(vault), *extra], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_queries_and_exports(vault: Path, repeat: int, baseline_repeat: int) -> dict:
    from rdflib import Graph

    from kbtools.config import load_config
    from kbtools.export import FORMATS, load_context, serialize
    from kbtools.pipeline import build_knowledge_base
    from kbtools.query import load_named_queries, run_local
    from kbtools.vocab import PREFIXES

    config = load_config(vault, site_url="https://bench.invalid/")
    kb = build_knowledge_base(config)
    context = load_context(ROOT / "ontology")
    exports = {}
    for fmt in FORMATS:
        start = time.perf_counter()
        data = serialize(kb.graph, fmt, context)
        exports[fmt] = {"seconds": time.perf_counter() - start, "bytes": len(data)}
    start = time.perf_counter()
    Graph().parse(data=serialize(kb.graph, "nt"), format="nt").serialize(format="turtle")
    exports["ttl_rdflib_baseline"] = {"seconds": time.perf_counter() - start}

    plain = Graph()
    for triple in kb.graph:
        plain.add(triple)
    for prefix, iri in PREFIXES.items():
        plain.bind(prefix, iri)
    queries = {}
    for name, q in load_named_queries(ROOT / "ontology" / "queries").items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = len(run_local(kb.graph, q.text, timeout=None).rows)
            times.append(time.perf_counter() - start)
        base = []
        for _ in range(baseline_repeat):
            start = time.perf_counter()
            len(list(plain.query(q.text, initNs=PREFIXES)))
            base.append(time.perf_counter() - start)
        queries[name] = {"rows": rows, "median_ms": statistics.median(times) * 1000, "rdflib_median_ms": statistics.median(base) * 1000}
    return {"exports": exports, "queries": queries}


def report(size: int, build: dict, base: dict, qe: dict) -> None:
    print(f"\n## {size:,} notes — {build['triples']:,} triples")
    print(f"read + resolve + check + graph (Oxigraph): {build['build_s']:.2f} s, peak RSS {build['peak_rss_mb']:.0f} MB")
    print(f"baseline, same triples into rdflib's memory store: {base['build_s']:.2f} s, peak RSS {base['peak_rss_mb']:.0f} MB"
          f"  (ratio Oxigraph/rdflib {build['build_s'] / base['build_s']:.2f})")
    if "shacl_s" in build:
        print(f"SHACL validation as SPARQL on Oxigraph (reported apart): cold {build['shacl_s']:.2f} s, "
              f"warm {build['shacl_warm_s']:.2f} s, {build['shacl_results']} results")
    if "pyshacl_s" in build:
        print(f"  baseline, pySHACL on the same graph: {build['pyshacl_s']:.2f} s, {build['pyshacl_results']} results"
              f"  (speed-up {build['pyshacl_s'] / build['shacl_s']:.0f}×)")
    if not qe:
        return
    for fmt, e in qe["exports"].items():
        extra = f", {e['bytes'] / 1e6:.1f} MB" if "bytes" in e else ""
        print(f"export {fmt}: {e['seconds'] * 1000:.0f} ms{extra}")
    ratio = qe["exports"]["ttl_rdflib_baseline"]["seconds"] / qe["exports"]["ttl"]["seconds"]
    print(f"  Turtle via Oxigraph is {ratio:.1f}× faster than rdflib's serialiser")
    print(f"{'named query':<24} {'rows':>6} {'median ms':>10} {'rdflib ms':>10} {'speed-up':>9}")
    for name, q in sorted(qe["queries"].items()):
        print(f"{name:<24} {q['rows']:>6} {q['median_ms']:>10.2f} {q['rdflib_median_ms']:>10.1f} {q['rdflib_median_ms'] / q['median_ms']:>8.0f}×")
    worst = max(q["median_ms"] for q in qe["queries"].values())
    print(f"slowest named query median: {worst:.2f} ms (goal < 20 ms); build goal < 3 s: {'met' if build['build_s'] < 3 else 'missed'}")


def _timed_check(vault: Path, *flags: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one ``kb check`` process, as a user runs it."""
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so a child started by this
    # (large) process would report this process's peak
    code = (
        "import atexit, sys\n"
        "hwm = lambda: next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "atexit.register(lambda: print('RSS', hwm(), file=sys.stderr))\n"
        "from kbtools.cli import main\nsys.exit(main())"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}  # this checkout's kbtools
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, "check", str(vault), *flags], capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - start
    rss = next((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("RSS ")), 0)
    return wall, rss / 1024


# The yardstick for kb check, in the same run: a fresh Python process that only reads every note and
# parses its frontmatter with PyYAML's C loader, the least any Python checker of these notes does.
_YARDSTICK = (
    "import pathlib, sys, yaml\n"
    "loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).rglob('*.md')):\n"
    "    text = path.read_text(encoding='utf-8')\n"
    "    if text.startswith('---\\n'):\n"
    "        yaml.load(text[4:text.find('\\n---', 3)], Loader=loader)\n"
)


def _timed_yardstick(vault: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _YARDSTICK, str(vault)], check=True)
    return time.perf_counter() - start


def report_check(vault: Path, shacl: bool, runs: int = 5) -> None:
    """``kb check`` cold (no cache: ``--no-cache``) and warm (unchanged vault, result kept in
    .kb-cache/), whole process, medians of ``runs``; without SHACL (goals: 3 s cold, 1 s warm at
    10,000 notes, peak RSS under 600 MB), then with it; and the yardstick of the same run."""
    import shutil

    yardstick = statistics.median(_timed_yardstick(vault) for _ in range(runs))
    print(f"  yardstick, a Python process reading every note and its frontmatter (libyaml): {yardstick:.2f} s (median of {runs})")
    for flags, what in ((["--no-shacl"], "no SHACL"), ([], "SHACL included")):
        if flags == [] and not shacl:
            continue
        shutil.rmtree(vault.parent / ".kb-cache", ignore_errors=True)
        colds = [_timed_check(vault, "--no-cache", *flags) for _ in range(runs)]
        cold, rss = statistics.median(c[0] for c in colds), max(c[1] for c in colds)
        warm = statistics.median(_timed_check(vault, *flags)[0] for _ in range(runs))
        note = next(iter(sorted(vault.rglob("*.md"))))
        original = note.read_bytes()
        try:
            note.write_bytes(original + b"\nUne ligne de plus.\n")  # one note's body changed
            edited, _ = _timed_check(vault, *flags)
        finally:
            note.write_bytes(original)
        print(f"  kb check ({what}): cold {cold:.2f} s ({cold / yardstick:.1f}× the yardstick, peak RSS {rss:.0f} MiB), "
              f"warm {warm:.2f} s (medians of {runs}), one note changed {edited:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline-repeat", type=int, default=3)
    parser.add_argument("--no-shacl", action="store_true")
    parser.add_argument("--no-pyshacl", action="store_true", help="leave out the pySHACL baseline (slow)")
    parser.add_argument("--no-queries", action="store_true", help="leave out exports and named queries (their rdflib baseline is slow)")
    parser.add_argument("--vault", type=Path, help="an existing vault to measure instead of generated ones")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "VAULT"))
    parser.add_argument("--shacl", action="store_true")
    args = parser.parse_args()
    if args.child:
        kind, vault = args.child
        print(json.dumps(child_build(vault, args.shacl, not args.no_pyshacl) if kind == "build" else child_baseline(vault)))
        return
    from synthetic_vault import generate_vault

    print(f"# Core benchmark — Python {sys.version.split()[0]}")
    for size in [None] if args.vault else args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            vault = args.vault.resolve() if args.vault else Path(tmp) / "vault"
            if size is None:
                size = sum(1 for _ in vault.rglob("*.md"))
            else:
                generate_vault(vault, size)
            build = _in_child("build", vault, *([] if args.no_shacl else ["--shacl"]), *(["--no-pyshacl"] if args.no_pyshacl else []))
            base = _in_child("baseline", vault)
            qe = {} if args.no_queries else measure_queries_and_exports(vault, args.repeat, args.baseline_repeat)
            report(size, build, base, qe)
            report_check(vault, shacl=not args.no_shacl)


if __name__ == "__main__":
    main()
