"""Diagnostics: the one error format of the project, ``path:line:col: KBnnn severity: message (hint)``."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# Every code the tools emit, with its default severity and a short name.
CODES: dict[str, tuple[Severity, str]] = {
    "KB001": (Severity.ERROR, "unreadable-file"),
    "KB002": (Severity.ERROR, "malformed-yaml"),
    "KB003": (Severity.ERROR, "frontmatter-not-mapping"),
    "KB004": (Severity.ERROR, "unclosed-frontmatter"),
    "KB005": (Severity.ERROR, "note-too-large"),
    "KB006": (Severity.ERROR, "file-name-clash"),
    "KB101": (Severity.ERROR, "missing-title"),
    "KB102": (Severity.ERROR, "dangling-link"),
    "KB103": (Severity.ERROR, "ambiguous-link"),
    "KB104": (Severity.ERROR, "self-relation"),
    "KB105": (Severity.ERROR, "relation-cycle"),
    "KB106": (Severity.ERROR, "duplicate-name"),
    "KB107": (Severity.ERROR, "invalid-date"),
    "KB108": (Severity.ERROR, "modified-before-created"),
    "KB109": (Severity.ERROR, "unknown-type"),
    "KB110": (Severity.WARNING, "unknown-key"),
    "KB111": (Severity.ERROR, "not-a-wikilink"),
    "KB112": (Severity.ERROR, "wrong-value-type"),
    "KB113": (Severity.WARNING, "missing-section"),
    "KB114": (Severity.ERROR, "missing-attachment"),
    "KB115": (Severity.WARNING, "missing-block"),
    "KB116": (Severity.ERROR, "unquoted-wikilink"),
    "KB117": (Severity.WARNING, "table-pipe-splits-link"),
    "KB118": (Severity.WARNING, "legacy-list-string"),
    "KB120": (Severity.ERROR, "shacl-violation"),
    "KB130": (Severity.ERROR, "theme-key-refused"),
    "KB131": (Severity.ERROR, "theme-value-refused"),
    "KB132": (Severity.ERROR, "unsafe-theme-feature"),
    "KB133": (Severity.WARNING, "import-html-sanitised"),
    "KB134": (Severity.WARNING, "import-field-markup"),
    "KB140": (Severity.ERROR, "site-javascript-missing"),
    "KB141": (Severity.ERROR, "site-built-without-kb"),
    "KB142": (Severity.ERROR, "site-asset-missing"),
    "KB143": (Severity.ERROR, "page-not-self-described"),
    "KB144": (Severity.ERROR, "site-unreadable"),
    "KB145": (Severity.WARNING, "note-without-page"),
    "KB201": (Severity.ERROR, "snippet-header"),
    "KB202": (Severity.ERROR, "snippet-unknown-note"),
    "KB203": (Severity.ERROR, "snippet-missing"),
    "KB204": (Severity.WARNING, "snippet-figure-refused"),
    "KB301": (Severity.ERROR, "query-syntax"),
    "KB302": (Severity.ERROR, "query-update-refused"),
    "KB303": (Severity.ERROR, "endpoint-error"),
    "KB304": (Severity.ERROR, "unknown-query"),
    "KB305": (Severity.ERROR, "query-timeout"),
    "KB306": (Severity.ERROR, "query-service-refused"),
    "KB307": (Severity.ERROR, "query-load-refused"),
    "KB401": (Severity.ERROR, "config"),
    "KB501": (Severity.ERROR, "import-unreadable"),
    "KB502": (Severity.WARNING, "import-repair"),
    "KB503": (Severity.WARNING, "import-clash"),
    "KB504": (Severity.ERROR, "import-bad-metadata"),
    "KB505": (Severity.WARNING, "import-field"),
    "KB506": (Severity.WARNING, "import-link"),
    "KB601": (Severity.ERROR, "output-not-writable"),
    "KB602": (Severity.ERROR, "output-not-a-folder"),
    "KB603": (Severity.ERROR, "output-disk-full"),
    "KB604": (Severity.ERROR, "output-inside-vault"),
    "KB605": (Severity.ERROR, "file-error"),
    "KB606": (Severity.ERROR, "unreadable-input"),
    "KB900": (Severity.ERROR, "internal-error"),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one place."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: Severity | None = None

    @property
    def level(self) -> Severity:
        return self.severity or CODES[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.level is Severity.ERROR

    def format(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.level.value}: {self.message}{hint}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.level.value
        data["name"] = CODES[self.code][1]
        return data

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.code, self.message)


class KBError(Exception):
    """A user-facing failure carrying diagnostics; the CLI prints them, never a traceback."""

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic]):
        self.diagnostics = [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def os_error(exc: OSError, path: str | os.PathLike | None = None, *, writing: bool = False) -> Diagnostic:
    """The diagnostic for a failed file operation: KB603 disk full (ENOSPC, EDQUOT, EFBIG), else KB601
    when ``writing`` (permission, read-only file system, name too long…), else KB605.

    ``path`` defaults to the file named by the exception; the message keeps the system's reason.
    """
    where = str(path if path is not None else exc.filename if exc.filename is not None else "<kb>")
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in _FULL:
        return Diagnostic(where, 1, 1, "KB603", f"no space left to write: {reason}", "free some space or choose another folder")
    if writing:
        hint = "choose a folder you can write to" if exc.errno in _DENIED else ""
        return Diagnostic(where, 1, 1, "KB601", f"cannot write: {reason}", hint)
    return Diagnostic(where, 1, 1, "KB605", f"file error: {reason}")


def summary(diagnostics: Iterable[Diagnostic], files: int) -> str:
    diags = list(diagnostics)
    errors = sum(d.is_error for d in diags)
    warnings = len(diags) - errors
    bad_files = len({d.path for d in diags})
    plural = lambda n, w: f"{n} {w}{'' if n == 1 else 's'}"  # noqa: E731
    return (
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')} "
        f"in {plural(bad_files, 'file')} ({plural(files, 'file')} checked)"
    )


def render_text(diagnostics: Iterable[Diagnostic], files: int) -> str:
    """Grouped per file, then the summary line."""
    diags = sorted(diagnostics, key=Diagnostic.sort_key)
    out: list[str] = []
    current = None
    for d in diags:
        if d.path != current:
            if current is not None:
                out.append("")
            current = d.path
        out.append(d.format())
    if out:
        out.append("")
    out.append(summary(diags, files))
    return "\n".join(out)


def render_json(diagnostics: Iterable[Diagnostic], files: int) -> str:
    diags = sorted(diagnostics, key=Diagnostic.sort_key)
    return json.dumps(
        {
            "files": files,
            "errors": sum(d.is_error for d in diags),
            "warnings": sum(not d.is_error for d in diags),
            "diagnostics": [d.to_json() for d in diags],
        },
        ensure_ascii=False,
        indent=2,
    )
