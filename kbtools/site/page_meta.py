"""What of a page's frontmatter reaches the theme: kb's own keys as escaped text, theme keys only
when ``mkdocs.yml`` declares them and their value is valid, nothing else.

mkdocs' Jinja environment does not escape, and mkdocs-material prints several ``page.meta`` keys
as they are (``subtitle`` and ``status`` in the navigation of every page, ``revision_date`` under
the content, ``location`` inside the inline script of ``redirect.html``), includes files named by
others (``icon``, ``template``: an unknown one aborts the build with a Jinja traceback), and its
search renders ``tags`` as HTML. So :func:`clean_meta` rebuilds ``page.meta``:

- keys of the vault's schema (:data:`kbtools.schema.KNOWN_KEYS`): kept, every string escaped;
- keys the theme reads (:data:`THEME_KEYS`): kept only if declared in the plugin's ``theme_keys``
  and valid (KB131 otherwise); undeclared, they are dropped with KB130;
- anything else: dropped (``kb check`` reports it as KB110).

KB130 and KB131 are errors, logged as mkdocs warnings: ``mkdocs build --strict`` fails on them.
The keys come from mkdocs-material 9.x's templates and plugins (``grep -r page.meta`` in
``material/templates`` and ``material/plugins``) and from mkdocs' own ``build`` (``template``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .. import schema
from ..diagnostics import Diagnostic
from .markup import text

# Every page.meta key mkdocs or mkdocs-material reads, and where.
THEME_KEYS: dict[str, str] = {
    "hide": "hides navigation, toc, footer, path, tags or feedback (base.html and partials)",
    "search": "exclude: / boost: of the search plugin",
    "icon": "an SVG of the theme included in the navigation and the tabs",
    "subtitle": "printed under the title in the navigation",
    "status": "a status badge in the navigation (new, deprecated)",
    "template": "the Jinja template the page is rendered with (mkdocs)",
    "location": "the target of redirect.html, printed inside a script",
    "revision_date": "printed under the content (source-file.html)",
    "git_revision_date_localized": "printed under the content (source-file.html)",
    "git_creation_date_localized": "printed under the content (source-file.html)",
    "social": "the social cards plugin",
}
# Those a vault may declare in ``theme_keys``: each has a validator below.
DECLARABLE: frozenset[str] = frozenset({"hide", "search", "icon", "subtitle", "status", "template"})
HIDE_VALUES: frozenset[str] = frozenset({"navigation", "toc", "footer", "path", "tags", "feedback"})
STATUSES: frozenset[str] = frozenset({"new", "deprecated"})  # md-status--… in material's stylesheet
_ICON = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TEMPLATE = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.html")


@dataclass(frozen=True)
class Theme:
    """What the theme offers, read once per build from the mkdocs config."""

    dirs: tuple[Path, ...] = ()  # template folders, custom_dir first
    custom_dir: Path | None = None
    statuses: frozenset[str] = STATUSES
    declared: frozenset[str] = frozenset()  # the plugin's theme_keys

    @classmethod
    def from_config(cls, theme_dirs: list[str], custom_dir: str | None, extra: Mapping, declared: list[str]) -> Theme:
        """``theme_dirs``: ``config.theme.dirs``; ``extra``: ``config.extra`` (``extra.status`` adds statuses)."""
        own = extra.get("status") if isinstance(extra, Mapping) else None
        statuses = STATUSES | {k for k in own if isinstance(k, str) and _TOKEN.fullmatch(k)} if isinstance(own, Mapping) else STATUSES
        return cls(tuple(Path(d) for d in theme_dirs), Path(custom_dir) if custom_dir else None, frozenset(statuses), frozenset(declared))

    def has_icon(self, name: str) -> bool:
        return any((d / ".icons" / f"{name}.svg").is_file() for d in self.dirs)

    def page_templates(self) -> set[str]:
        """``main.html``, and the templates of the project's own ``custom_dir``."""
        own = {p.name for p in self.custom_dir.glob("*.html")} if self.custom_dir and self.custom_dir.is_dir() else set()
        return {"main.html"} | (own - {"redirect.html"})


@dataclass
class Cleaned:
    """The new ``page.meta``, and the diagnostics for what was refused."""

    meta: dict[str, object] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def clean_meta(meta: Mapping[str, object], theme: Theme, shown: str, where: Callable[[str], tuple[int, int]]) -> Cleaned:
    """The ``page.meta`` to give the theme. ``shown`` is the path diagnostics name, ``where(key)``
    the line and column of a key in the file."""
    out = Cleaned()
    for key, value in meta.items():
        if key in schema.KNOWN_KEYS:
            out.meta[key] = _escaped(key, value)
        elif key in THEME_KEYS:
            line, col = where(key)
            if key not in theme.declared or key not in DECLARABLE:
                hint = f"declare it in mkdocs.yml: plugins: - kb: theme_keys: [{key}]" if key in DECLARABLE else "kb never hands it to the theme"
                out.diagnostics.append(Diagnostic(shown, line, col, "KB130", f"frontmatter key '{key}' is read by the theme: left out of the page", hint))
                continue
            valid, why = _validate(key, value, theme)
            if why:
                out.diagnostics.append(Diagnostic(shown, line, col, "KB131", f"'{key}' value {_short(value)} is refused: {why}"))
                continue
            out.meta[key] = valid
    return out


def _escaped(key: str, value: object) -> object:
    """Strings as escaped HTML text, in lists and mappings too; ``author`` as one line of names."""
    if key == "author" and isinstance(value, list):
        return text(", ".join(map(str, value)))
    if isinstance(value, str):
        return value if isinstance(value, Markup) else text(value)
    if isinstance(value, list):
        return [_escaped("", v) for v in value]
    if isinstance(value, dict):
        return {text(k): _escaped("", v) for k, v in value.items()}
    return value  # numbers, booleans, dates print as themselves


def _validate(key: str, value: object, theme: Theme) -> tuple[object, str]:
    """The value to keep and "" if valid, else ``(None, why)``."""
    if key == "hide":
        items = value if isinstance(value, list) else None
        if items is None or not all(isinstance(v, str) and v in HIDE_VALUES for v in items):
            return None, "a list of " + ", ".join(sorted(HIDE_VALUES))
        return list(items), ""
    if key == "search":
        if not isinstance(value, dict) or set(value) - {"exclude", "boost"}:
            return None, "a mapping with exclude: true|false and/or boost: a number"
        exclude, boost = value.get("exclude", False), value.get("boost", 1)
        if not isinstance(exclude, bool) or isinstance(boost, bool) or not isinstance(boost, int | float) or not 0 < boost <= 100:
            return None, "exclude must be true or false, boost a number between 0 and 100"
        return dict(value), ""
    if key == "subtitle":
        return (text(value), "") if isinstance(value, str) else (None, "a single line of text")
    if key == "status":
        ok = isinstance(value, str) and value in theme.statuses
        return (value, "") if ok else (None, "one of " + ", ".join(sorted(theme.statuses)) + " (or a key of extra.status)")
    if key == "icon":
        ok = isinstance(value, str) and _ICON.fullmatch(value) is not None and theme.has_icon(value)
        return (value, "") if ok else (None, "the name of an icon bundled with the theme, e.g. material/school")
    if key == "template":
        allowed = theme.page_templates()
        ok = isinstance(value, str) and _TEMPLATE.fullmatch(value) is not None and value in allowed
        return (value, "") if ok else (None, "one of " + ", ".join(sorted(allowed)))
    return None, "not a theme key kb knows"  # unreachable: DECLARABLE and the branches above agree


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def key_finder(source: str, body_start: int = 1) -> Callable[[str], tuple[int, int]]:
    """``where(key)`` for a page the pipeline did not read as a note (MultiMarkdown-style metadata):
    the first line of ``source`` that starts with ``key:``, else line 1, column 1."""
    lines = source.splitlines()

    def where(key: str) -> tuple[int, int]:
        for number, line in enumerate(lines, 1):
            if re.match(rf"\s*{re.escape(key)}\s*:", line, re.I):
                return number, len(line) - len(line.lstrip()) + 1
        return body_start, 1

    return where
