"""``kb bench run`` and ``kb bench report``: the protocol's driver lives in the repository
(``benchmarks/frameworks/driver.py``), not in the package, so ``run`` loads it from the project."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from ..config import find_mkdocs, load_config
from ..diagnostics import Diagnostic, KBError

DRIVER = Path("benchmarks") / "frameworks" / "driver.py"
RESULTS = Path("benchmarks") / "results"


def project_root(start: Path | None = None) -> Path:
    """The folder of the nearest ``mkdocs.yml`` that holds the protocol."""
    mkdocs = find_mkdocs((start or Path.cwd()).resolve())
    if mkdocs is None or not (mkdocs.parent / DRIVER).is_file():
        raise KBError(Diagnostic(".", 1, 1, "KB401", f"no project with {DRIVER} here", "run kb bench from the project folder"))
    return mkdocs.parent


def load_driver(root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("kb_bench_driver", root / DRIVER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def report(root: Path, results_dir: Path | None = None, vault: Path | None = None) -> list[Path]:
    """Regenerate the pages of ``docs/benchmarks/`` from every committed result file."""
    from .render import render_all, write_pages
    from .results import load_all

    vault = vault or load_config(config_file=root / "mkdocs.yml").vault
    files = render_all(load_all(results_dir or root / RESULTS))
    return write_pages(files, vault)


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        root = project_root()
        return load_driver(root).main(argv[1:])
    parser = argparse.ArgumentParser(prog="kb bench", description="Protocole de comparaison des frameworks : lancer, publier.")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("run", help="lancer le protocole (kb bench run --help)")
    p = sub.add_parser("report", help="régénérer docs/benchmarks/ à partir de benchmarks/results/")
    p.add_argument("--results", type=Path, help="dossier des résultats (par défaut benchmarks/results/)")
    p.add_argument("--vault", type=Path, help="dossier des notes (par défaut docs_dir de mkdocs.yml)")
    args = parser.parse_args(argv)
    written = report(project_root(), args.results, args.vault)
    for path in written:
        print(f"wrote {path}")
    print(f"{len(written)} file(s) changed", file=sys.stderr)
    return 0
