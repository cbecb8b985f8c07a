"""``kb snippets run``: run many snippet variants in parallel, skip the fresh ones, record the results."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .device import gpu_available
from .header import SnippetSpec, Variant, scan, variants
from .results import FRESH, save, variant_status
from .runner import RunResult, run_snippet


@dataclass(slots=True)
class Summary:
    """Counts of one ``kb snippets run``; ``failures`` keeps the failed runs for the report."""

    ran: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    fresh: int = 0
    failures: list[RunResult] = field(default_factory=list)
    recorded: list[Path] = field(default_factory=list)
    warned: list[RunResult] = field(default_factory=list)  # runs with warnings (refused figures)
    confinement: dict | None = None  # what the last run was confined by (the same for every run of a session)

    def line(self) -> str:
        return (
            f"{self.ran} ran: {self.passed} passed, {self.failed} failed; {self.skipped} skipped (no GPU), {self.fresh} fresh (not rerun)"
        )


def plan(specs: list[SnippetSpec], changed_only: bool, summary: Summary) -> list[tuple[SnippetSpec, Variant]]:
    """The variants to run; fresh (with ``changed_only``) and GPU-without-GPU variants are counted in ``summary``."""
    todo = []
    for spec in specs:
        for variant in variants(spec):
            if changed_only and variant_status(spec, variant) == FRESH:
                summary.fresh += 1
            elif spec.device == "gpu" and not gpu_available():
                summary.skipped += 1
            else:
                todo.append((spec, variant))
    return todo


def run_snippets(
    specs: list[SnippetSpec],
    changed_only: bool = False,
    update: bool = False,
    jobs: int = 1,
    progress: bool = True,
    console: Console | None = None,
) -> Summary:
    """Run every variant of ``specs`` with ``jobs`` concurrent processes; record passing runs when ``update``."""
    summary = Summary()
    todo = plan(specs, changed_only, summary)
    if not todo:
        return summary
    console = console or Console(stderr=True)
    cancel = threading.Event()
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not progress) as bar, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        task = bar.add_task("snippets", total=len(todo))
        pending: set[Future] = {pool.submit(run_snippet, spec, variant, cancel=cancel) for spec, variant in todo}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    result = future.result()
                    _account(result, update, summary)
                    bar.update(task, advance=1, description=f"{result.spec.rel}::{result.variant.id}")
        except BaseException:
            # Snippets run in their own sessions: Ctrl-C would leave them running without this.
            cancel.set()
            raise
    return summary


def _account(result: RunResult, update: bool, summary: Summary) -> None:
    summary.ran += 1
    summary.confinement = result.confinement
    if result.warnings:
        summary.warned.append(result)
    if result.passed:
        summary.passed += 1
        if update:
            summary.recorded.append(save(result))
    else:
        summary.failed += 1
        summary.failures.append(result)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb snippets run", description="Run the executable snippets and record their results.")
    parser.add_argument("paths", nargs="*", type=Path, help="snippet files or folders to run (default: all)")
    parser.add_argument("--root", type=Path, default=Path("snippets"), help="the snippets folder (default: snippets)")
    parser.add_argument("--changed", action="store_true", help="skip variants whose recorded result is fresh")
    parser.add_argument("--update", action="store_true", help="record the results of passing runs")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="snippets run at the same time (default: 1)")
    parser.add_argument("--framework", action="append", default=[], help="only this framework (repeatable)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def select(specs: list[SnippetSpec], paths: list[Path], frameworks: list[str]) -> list[SnippetSpec]:
    """The specs under one of ``paths`` (all when empty) and of one of ``frameworks`` (all when empty)."""
    wanted = [p.absolute() for p in paths]
    return [
        s
        for s in specs
        if (not frameworks or s.framework in frameworks) and (not wanted or any(s.path == w or s.path.is_relative_to(w) for w in wanted))
    ]


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``kb snippets run``; returns 1 when a snippet or a header failed, else 0."""
    args = _parser().parse_args(argv)
    out = Console(highlight=False, soft_wrap=True)
    started = time.monotonic()
    specs, problems = scan(args.root)
    for problem in problems:
        out.print(problem.format(), markup=False)
    specs = select(specs, args.paths, args.framework)
    summary = run_snippets(specs, args.changed, args.update, args.jobs, progress=not args.no_progress and sys.stderr.isatty())
    for result in summary.warned:
        for warning in result.warnings:
            out.print(warning.format(), style="yellow", markup=False)
    for result in summary.failures:
        out.print(result.headline, style="bold red", markup=False)
        detail = (result.failure.traceback if result.failure else "") or result.stderr
        out.print("\n".join(detail.rstrip().splitlines()[-15:]), markup=False)
    if args.update and summary.recorded:
        out.print(f"{len(summary.recorded)} result(s) recorded under {args.root}/<framework>/results/", markup=False)
    if summary.confinement:
        facts = summary.confinement
        out.print(
            f"confinement: process tree {facts['process_tree']}; writes {facts['writes']}; environment {facts['environment']}", markup=False
        )
    header_errors = f"; {len(problems)} bad header(s)" if problems else ""
    out.print(f"kb snippets run: {summary.line()}{header_errors} in {time.monotonic() - started:.1f} s", markup=False)
    return 1 if summary.failed or problems else 0
