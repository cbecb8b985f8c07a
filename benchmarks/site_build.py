"""Cost of the ``kb`` mkdocs plugin: build time with and without it, and graph data shipped.

For synthetic vaults of 200 and 1,000 notes, builds the same Markdown twice in the same run:
once with the plugin (nav from the graph, panels, JSON-LD, graph data) and once with plain
mkdocs-material (nav from folders). Prints the times, the overhead and the size of the graph
data the browser loads (the global JSON, and the max / median local-graph JSON per note page).

Goals: the plugin adds < 25 % to the build, and a note page loads ≤ 50 KB of graph data.

    .venv/bin/python benchmarks/site_build.py [--sizes 200 1000] [--repeat 1] [--full-nav] [--keep DIR]

Both builds use the project's own ``mkdocs.yml`` (theme, features, Markdown extensions); the
plugin's own time (inside its hooks) is shown apart from the theme's rendering of its nav.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TYPES = ["concept", "framework", "library", "tool", "platform", "hardware", "guide", "comparison", "source"]
TAGS = [f"Étiquette {i}" for i in range(40)]
WORDS = (
    "tenseur gradient modèle couche entraînement perte optimiseur donnée lot époque calcul graphe "
    "compilation accélérateur mémoire précision inférence export déploiement réseau activation"
).split()


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _note(rng: random.Random, i: int, titles: list[str], hubs: int) -> str:
    """One note shaped like the real ones: frontmatter with typed relations, sections, lists, a table, code."""
    title = titles[i]
    parent = titles[rng.randrange(hubs)] if i >= hubs else None
    kind = "hub" if i < hubs else rng.choice(TYPES)
    others = [t for t in rng.sample(titles, min(6, len(titles))) if t != title]
    lines = ["---", f"title: {title}", f"type: {kind}", "aliases:", f"- Alias {i}", "tags:"]
    lines += [f"- {t}" for t in rng.sample(TAGS, 3)]
    lines += ["date_creation: '2026-11-23'", "date_modification: '2026-11-23'", f"description: {_sentence(rng, 12)}"]
    if parent:
        lines.append(f"isPartOf: '[[{parent}]]'")
    lines += ["seeAlso:"] + [f"- '[[{t}]]'" for t in others[:2]]
    if kind != "source" and i > hubs + 5:
        lines.append(f"sources: '[[{titles[hubs + rng.randrange(5)]}]]'")
    lines.append("---")
    mentions = [f"[[{t}]]" for t in others[2:5]]
    body = [
        "## Généralité",
        "",
        " ".join(_sentence(rng) for _ in range(4)) + f" Voir {mentions[0] if mentions else ''}.",
        "",
        "## Points clés",
        "",
        *[f"- **{rng.choice(WORDS)}** : {_sentence(rng, 10)}" for _ in range(5)],
        "",
        "## Détails",
        "",
        " ".join(_sentence(rng) for _ in range(5)) + " " + " et ".join(mentions[1:]) + ".",
        "",
        "| Critère | Valeur |",
        "|---|---|",
        *[f"| {rng.choice(WORDS)} | {rng.choice(WORDS)} |" for _ in range(4)],
        "",
        "```python",
        "import numpy as np",
        f"x = np.ones(({i % 7 + 1}, 3))",
        "print(x.sum())",
        "```",
        "",
        "## Pour aller plus loin",
        "",
        *[f"- {m} — {_sentence(rng, 6)}" for m in mentions],
        "",
    ]
    return "\n".join(lines) + "\n" + "\n".join(body)


def generate_vault(root: Path, n: int, seed: int = 0) -> None:
    """Write ``n`` interlinked notes under ``root`` (a few hubs, the rest spread in folders)."""
    rng = random.Random(seed)
    hubs = max(3, n // 50)
    titles = [f"Hub {i}" if i < hubs else f"Note synthétique {i}" for i in range(n)]
    for i in range(n):
        folder = root / ("hubs" if i < hubs else f"section-{i % 10}")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note-{i}.md").write_text(_note(rng, i, titles, hubs), encoding="utf-8")


def _generator():
    """The shared generator when the project has one, else the one above."""
    try:
        from benchmarks.synthetic_vault import generate_vault as shared  # type: ignore[import-not-found]

        return shared
    except ImportError:
        return generate_vault


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
    config_file = project / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file


class HookTimer:
    """Time spent inside the kb plugin's own hooks (its direct cost, whatever the theme renders)."""

    HOOKS = ("on_config", "on_files", "on_page_markdown", "on_page_content", "on_post_page", "on_post_build")

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> HookTimer:
        from kbtools.site.plugin import KBPlugin

        self.saved = {name: KBPlugin.__dict__[name] for name in self.HOOKS}
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


def _build(project: Path, with_kb: bool, full_nav: bool) -> tuple[float, float]:
    """Wall time of the build, and the part spent in the plugin's hooks."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = _config(project, with_kb, full_nav)
    shutil.rmtree(project / "site", ignore_errors=True)
    with HookTimer() as hooks:  # before load_config, which binds the hooks
        config = load_config(str(config_file))
        start = time.perf_counter()
        build(config)
        return time.perf_counter() - start, hooks.seconds


def _graph_sizes(site: Path) -> tuple[int, list[int]]:
    graph_dir = site / "assets" / "kb" / "graph"
    global_size = (graph_dir / "global.json").stat().st_size
    local = [p.stat().st_size for p in (graph_dir / "notes").rglob("*.json")]
    return global_size, local


def run(sizes: list[int], repeat: int, keep: Path | None, full_nav: bool) -> list[dict]:
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # synthetic notes have nothing to warn about worth printing
    results = []
    for n in sizes:
        base = Path(tempfile.mkdtemp(prefix=f"kb-bench-{n}-", dir=keep))
        _generator()(base / "docs", n, 0)
        (base / "docs" / "index.md").write_text("# Accueil\n\nVault synthétique.\n", encoding="utf-8")
        plain, with_kb = [], []
        for _ in range(repeat):  # alternate, so that both see the same machine load
            plain.append(_build(base, False, full_nav)[0])
            with_kb.append(_build(base, True, full_nav))
        global_size, local = _graph_sizes(base / "site")
        kb_s, hooks_s = min(with_kb)
        row = {
            "notes": n,
            "plain_s": min(plain),
            "kb_s": kb_s,
            "hooks_s": hooks_s,
            "overhead": kb_s / min(plain) - 1,
            "hooks_share": hooks_s / min(plain),
            "global_json_kb": global_size / 1024,
            "local_max_kb": max(local) / 1024,
            "local_median_kb": statistics.median(local) / 1024,
            "local_pages": len(local),
        }
        results.append(row)
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=1, help="builds per variant; the fastest counts")
    parser.add_argument("--full-nav", action="store_true", help="without navigation.prune: every page renders the whole nav")
    parser.add_argument("--keep", type=Path, help="keep the generated projects under this folder")
    args = parser.parse_args()
    rows = run(args.sizes, args.repeat, args.keep, args.full_nav)
    print(f"theme features: {'mkdocs.yml without navigation.prune' if args.full_nav else 'as in mkdocs.yml'}")
    print(f"{'notes':>6} {'plain (s)':>10} {'kb (s)':>8} {'overhead':>9} {'kb hooks (s)':>13} {'hooks/plain':>12} {'global JSON':>12} {'local max':>10} {'local median':>13}")
    for r in rows:
        print(
            f"{r['notes']:>6} {r['plain_s']:>10.2f} {r['kb_s']:>8.2f} {r['overhead']:>9.1%} {r['hooks_s']:>13.2f} {r['hooks_share']:>12.1%} "
            f"{r['global_json_kb']:>9.1f} KB {r['local_max_kb']:>7.1f} KB {r['local_median_kb']:>10.1f} KB"
        )
    ok = all(r["overhead"] < 0.25 and r["local_max_kb"] <= 50 for r in rows)
    print("goals met" if ok else "goals NOT met (overhead < 25 %, local graph ≤ 50 KB)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
