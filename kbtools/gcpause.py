"""Pause Python's cyclic garbage collector while the pipeline builds a knowledge base.

Reading a vault allocates millions of small objects that all stay alive (notes, links, YAML values,
graph terms). CPython's collector is triggered by allocation counts, so it runs again and again
during such a build and each full pass walks every live object: on 10,000 notes it took about a
quarter of ``kb check``'s time, and more than a third of the time SHACL adds, while freeing nothing
(peak memory is the same with it off; ``benchmarks/core.py`` measures both). Reference counting
still frees every object as usual; only cycles wait for the collector, which is back on when the
build ends and collects them then.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def paused() -> Iterator[None]:
    """Automatic collection off inside the block, back to its former state after (even on error).

    Nested or concurrent uses are safe: only the use that found the collector on turns it back on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def without_gc(func: Callable[P, R]) -> Callable[P, R]:
    """Decorator: run ``func`` inside :func:`paused`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused():
            return func(*args, **kwargs)

    return wrapper
