"""The theme's static files, listed once per process instead of at every rebuild.

At each build mkdocs lists every file of the theme's folders to find its static files
(``Files.add_files_from_theme``, mkdocs 1.6): for material, 14,000 names walked and matched
against a dozen patterns, a tenth of a rebuild of ``mkdocs serve`` on a 1,000-note vault. The
list changes only when the theme's files do. :class:`ThemeListing` keeps it, keyed by the
theme's folders, its ``static_templates`` and, for the writer's own ``custom_dir`` (which
``mkdocs serve --watch-theme`` watches), the name, size and modification time of each of its
files; the installed theme's folders count by their own modification times (a file added or
removed at their top changes it). Any other listing of templates is passed through.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import jinja2
from mkdocs.theme import Theme

# mkdocs' filter in Files.add_files_from_theme: its result depends on the theme's static_templates only.
MKDOCS_FILTER = "Files.add_files_from_theme.<locals>.filter"


class ThemeListing:
    """``install(theme)`` makes the environments ``theme.get_env()`` returns list its static files once."""

    def __init__(self) -> None:
        self.found: dict[tuple, list[str]] = {}
        self.hits = 0

    def install(self, theme: Theme) -> None:
        """Wrap ``theme.get_env`` (a new theme object comes with each loaded mkdocs.yml)."""
        get_env = theme.get_env
        if getattr(get_env, "kb_listing", False):
            return

        def get_env_listed_once() -> jinja2.Environment:
            env = get_env()
            env.list_templates = self._listing(theme, env.list_templates)  # type: ignore[method-assign]
            return env

        get_env_listed_once.kb_listing = True  # type: ignore[attr-defined]
        theme.get_env = get_env_listed_once  # type: ignore[method-assign]

    def _listing(self, theme: Theme, list_templates: Callable) -> Callable:
        def listed(extensions=None, filter_func=None) -> list[str]:
            if getattr(filter_func, "__qualname__", None) != MKDOCS_FILTER or extensions is not None:
                return list_templates(extensions, filter_func)
            key = (tuple(theme.dirs), tuple(theme.static_templates), _signature(theme))
            if key in self.found:
                self.hits += 1
            else:
                self.found = {key: list_templates(extensions, filter_func)}  # the latest only
            return list(self.found[key])

        return listed


def custom_dir_files(custom: str | None) -> list[tuple[str, int, int]]:
    """The files of the theme's ``custom_dir`` (the writer's overrides): (path relative to it,
    size, modification time in ns), sorted; empty without one."""
    if not custom or not os.path.isdir(custom):
        return []
    found = []
    for folder, _, names in sorted(os.walk(custom)):
        for name in sorted(names):
            stat = os.stat(os.path.join(folder, name))
            found.append((os.path.relpath(os.path.join(folder, name), custom), stat.st_size, stat.st_mtime_ns))
    return found


def _signature(theme: Theme) -> tuple:
    """What says the theme's files changed: every file of ``custom_dir``, the other folders' times."""
    tops = tuple(os.stat(d).st_mtime_ns for d in theme.dirs if d != theme.custom_dir and os.path.isdir(d))
    return tuple(custom_dir_files(theme.custom_dir)), tops
