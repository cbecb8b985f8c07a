"""Full site builds of synthetic vaults: the ``kb`` plugin against plain mkdocs-material, same run.

For 100 and 1,000 notes (and 5,000 with ``--big``; it takes minutes) builds the same Markdown
twice, each in a fresh process: once with the plugin (nav from the graph, panels, JSON-LD,
graph data) and once with plain mkdocs-material (nav from the folders). Reports, per build:
wall time and time per note, CPU time (user + system, start-up included: steadier than wall
time on a shared machine), the part spent in the plugin's own hooks, peak RSS, bytes on disk,
mean HTML page, median and largest note page (hubs apart: they list all their parts), largest
page, then the slope between sizes (ms per added note) and whether the site is linear.

Goals (issue #15): marginal time per note and the note page's size flat as the vault grows
(within ±30 %), a note page under 100 KB whatever the vault size.

    .venv/bin/python benchmarks/site_build.py [--sizes 100 1000] [--big] [--only-kb] [--repeat 1] [--full-nav] [--keep DIR]

Both builds use the project's own ``mkdocs.yml`` (theme, features, Markdown extensions); the
vault comes from ``benchmarks/synthetic_vault.py``. Wall time is taken inside the child process
(no interpreter start-up), the fastest of ``--repeat`` counts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOTE_PAGE_LIMIT_KB = 100
FLAT = 0.30  # per-note time and per-page bytes may vary this much from the smallest size to the largest


def _config(project: Path, with_kb: bool, full_nav: bool) -> Path:
    """The project's own mkdocs.yml (theme, features, extensions) pointed at the synthetic vault;
    without the kb plugin for the baseline, whose nav then comes from the folders."""
    import yaml

    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings.update(docs_dir="docs", site_dir="site", site_url="https://bench.invalid/", strict=False)
    settings.pop("nav", None)
    plugins = [p for p in settings.get("plugins", []) if p != "kb" and "kb" not in (p if isinstance(p, dict) else {})]
    if with_kb:
        plugins.append({"kb": {"node_modules": str(ROOT / "node_modules")}})
    settings["plugins"] = plugins
    if full_nav:  # every page renders the whole nav: the worst case for a deep nav
        settings["theme"]["features"] = [f for f in settings["theme"].get("features", []) if f != "navigation.prune"]
    custom = settings["theme"].get("custom_dir")
    if custom and not (project / custom).exists():  # the project's theme overrides, copied beside the vault
        shutil.copytree(ROOT / custom, project / custom)
    config_file = project / ("mkdocs.kb.yml" if with_kb else "mkdocs.plain.yml")
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file


class HookTimer:
    """Time spent inside the kb plugin's own hooks (its direct cost, whatever the theme renders)."""

    HOOKS = ("on_config", "on_files", "on_nav", "on_page_markdown", "on_page_content", "on_post_page", "on_post_build")

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> HookTimer:
        from kbtools.site.plugin import KBPlugin

        self.saved = {name: KBPlugin.__dict__[name] for name in self.HOOKS if name in KBPlugin.__dict__}
        for name, hook in self.saved.items():
            setattr(KBPlugin, name, self._timed(hook))
        return self

    def _timed(self, hook):
        def timed(plugin, *args, **kwargs):
            start = time.perf_counter()
            try:
                return hook(plugin, *args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        timed.__dict__.update(hook.__dict__)  # keeps mkdocs' event priority
        return timed

    def __exit__(self, *exc) -> None:
        from kbtools.site.plugin import KBPlugin

        for name, hook in self.saved.items():
            setattr(KBPlugin, name, hook)


def child_build(config_file: str) -> dict:
    """Runs in a fresh process: one build, its wall time and the time inside the kb hooks."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # synthetic notes have nothing worth printing
    with HookTimer() as hooks:  # before load_config, which binds the hooks
        config = load_config(config_file)
        start = time.perf_counter()
        build(config)
        return {"seconds": time.perf_counter() - start, "hooks_s": hooks.seconds}


def _run_child(config_file: Path) -> dict:
    """Build in a child process; its peak RSS comes from ``wait4``."""
    cmd = [sys.executable, __file__, "--child", str(config_file)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=config_file.parent, env={**os.environ, "PYTHONPATH": str(ROOT)})
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}")
    row = json.loads(out.decode().strip().splitlines()[-1])
    row["peak_rss_mb"] = usage.ru_maxrss / 1024
    row["cpu_s"] = usage.ru_utime + usage.ru_stime  # steadier than wall time on a shared machine (start-up included)
    return row


def _site_sizes(site: Path, vault: Path) -> dict:
    """Bytes on disk, mean HTML page, largest page, largest note page (hubs apart)."""
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    pages = {p: p.stat().st_size for p in site.rglob("*.html")}
    notes = {}
    for md in vault.rglob("*.md"):
        rel = md.relative_to(vault).with_suffix("")
        html = site / rel / "index.html"
        if html.is_file() and "type: hub" not in md.read_text(encoding="utf-8")[:400]:
            notes[html] = pages.get(html, 0)
    import statistics

    largest = max(pages, key=pages.__getitem__)
    largest_note = max(notes, key=notes.__getitem__) if notes else largest
    return {
        "site_mb": total / 2**20,
        "pages": len(pages),
        "mean_page_kb": sum(pages.values()) / len(pages) / 1024,
        "largest_kb": pages[largest] / 1024,
        "largest": str(largest.relative_to(site)),
        "largest_note_kb": pages[largest_note] / 1024,
        "note_median_kb": statistics.median(notes.values()) / 1024 if notes else 0.0,
    }


def run(sizes: list[int], repeat: int, keep: Path | None, full_nav: bool, only_kb: bool = False) -> list[dict]:
    from benchmarks.synthetic_vault import generate_vault

    rows = []
    for n in sizes:
        base = Path(tempfile.mkdtemp(prefix=f"kb-bench-{n}-", dir=keep))
        generate_vault(base / "docs", n, 0)
        (base / "docs" / "index.md").write_text("# Accueil\n\nVault synthétique.\n", encoding="utf-8")
        for with_kb in (True,) if only_kb else (False, True):
            config_file = _config(base, with_kb, full_nav)
            builds = []
            for _ in range(repeat):
                shutil.rmtree(base / "site", ignore_errors=True)
                builds.append(_run_child(config_file))
            best = min(builds, key=lambda b: b["seconds"])
            row = {"notes": n, "variant": "kb" if with_kb else "plain", **best, **_site_sizes(base / "site", base / "docs")}
            row["ms_per_note"] = 1000 * row["seconds"] / n
            row["cpu_ms_per_note"] = 1000 * row["cpu_s"] / n
            rows.append(row)
            _print_row(row)
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return rows


HEADER = (
    f"{'notes':>6} {'variant':>7} {'time (s)':>9} {'ms/note':>8} {'CPU (s)':>8} {'CPU ms/note':>11} {'hooks (s)':>9} {'RSS (MB)':>9} {'site (MB)':>10} "
    f"{'mean page':>10} {'note med.':>10} {'largest':>10} {'note max':>9}  largest page"
)


def _print_row(r: dict) -> None:
    print(
        f"{r['notes']:>6} {r['variant']:>7} {r['seconds']:>9.2f} {r['ms_per_note']:>8.1f} {r['cpu_s']:>8.2f} {r['cpu_ms_per_note']:>11.1f} {r['hooks_s']:>9.2f} {r['peak_rss_mb']:>9.0f} "
        f"{r['site_mb']:>10.1f} {r['mean_page_kb']:>7.1f} KB {r['note_median_kb']:>7.1f} KB {r['largest_kb']:>7.1f} KB {r['largest_note_kb']:>6.1f} KB  {r['largest']}",
        flush=True,
    )


def summary(rows: list[dict]) -> bool:
    """Slopes between sizes and the linearity verdict of the kb builds.

    A build has a fixed cost (interpreter, imports, theme), so time per note falls as the vault
    grows: linearity is judged on the marginal CPU cost per added note, which must stay within
    ±30 % from one interval of sizes to the next (three sizes or more), and on the median note
    page, within ±30 % between the two largest sizes (below them the nav fills up to its bounds)."""
    ok = True
    for variant in ("plain", "kb"):
        mine = sorted((r for r in rows if r["variant"] == variant), key=lambda r: r["notes"])
        slopes = []
        for a, b in itertools.pairwise(mine):
            slope = 1000 * (b["seconds"] - a["seconds"]) / (b["notes"] - a["notes"])
            cpu_slope = 1000 * (b["cpu_s"] - a["cpu_s"]) / (b["notes"] - a["notes"])
            slopes.append(cpu_slope)
            print(
                f"{variant:>5}: {a['notes']} → {b['notes']} notes: {slope:.1f} ms ({cpu_slope:.1f} ms CPU) per added note; "
                f"median note page {a['note_median_kb']:.1f} → {b['note_median_kb']:.1f} KB"
            )
        if variant != "kb" or len(mine) < 2:
            continue
        flat_time = all(abs(b / a - 1) <= FLAT for a, b in itertools.pairwise(slopes)) if len(slopes) > 1 else None
        flat_bytes = abs(mine[-1]["note_median_kb"] / mine[-2]["note_median_kb"] - 1) <= FLAT
        small = all(r["largest_note_kb"] < NOTE_PAGE_LIMIT_KB for r in mine)
        shown = "needs three sizes" if flat_time is None else flat_time
        print(f"kb: CPU per added note flat ±{FLAT:.0%}: {shown}; note page flat: {flat_bytes}; note pages < {NOTE_PAGE_LIMIT_KB} KB: {small}")
        ok = flat_time is not False and flat_bytes and small
    return ok


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child_build(sys.argv[2])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--big", action="store_true", help="add 5,000 notes (minutes; run it with nice)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per variant; the fastest counts")
    parser.add_argument("--full-nav", action="store_true", help="without navigation.prune: every page renders the whole nav")
    parser.add_argument("--only-kb", action="store_true", help="skip the plain mkdocs-material baseline")
    parser.add_argument("--keep", type=Path, help="keep the generated projects under this folder")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes + ([5000] if args.big else [])))
    print(f"theme features: {'mkdocs.yml without navigation.prune' if args.full_nav else 'as in mkdocs.yml'}; load {os.getloadavg()[0]:.1f}")
    print(HEADER)
    rows = run(sizes, args.repeat, args.keep, args.full_nav, args.only_kb)
    ok = summary(rows)
    print("goals met" if ok else "goals NOT met (CPU per added note and note pages flat, note pages < 100 KB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
