"""The PEP 723 script block of a snippet: find it, read its TOML, and say where each key is written.

Inline script metadata is TOML inside comments (``# /// script`` … ``# ///``, each line ``#`` or
``# …``). TOML errors are translated into positions of the snippet file, so that a bad header
reads ``path:line:col: KB201 error: …`` like every other diagnostic of the project.
"""

from __future__ import annotations

import re
import tomllib

from ..diagnostics import Diagnostic, KBError

OPEN = "# /// script"
CLOSE = "# ///"
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


class SnippetHeaderError(KBError):
    """A snippet header that cannot be used; ``str()`` is ``path:line:col: KB201 error: …``."""


def requirement_name(requirement: str) -> str | None:
    """The distribution name a dependency string starts with (PEP 508): ``"torch==2.14.1"`` → ``"torch"``; None if none."""
    match = _REQ_NAME.match(requirement)
    return match[1] if match else None


def has_header(text: str) -> bool:
    """Whether ``text`` opens a PEP 723 script block (the mark of a snippet)."""
    return any(line.rstrip() == OPEN for line in text.splitlines())


def header_error(path: str, line: int, col: int, message: str, hint: str = "") -> SnippetHeaderError:
    """A KB201 error at ``path:line:col``."""
    return SnippetHeaderError(Diagnostic(path, line, col, "KB201", message, hint))


def find_block(lines: list[str], shown: str) -> tuple[int, int]:
    """0-based indices of the opening and closing lines of the script block."""
    opens = [i for i, line in enumerate(lines) if line.rstrip() == OPEN]
    if not opens:
        raise header_error(shown, 1, 1, "no '# /// script' header", "start the file with the PEP 723 block")
    if len(opens) > 1:
        raise header_error(shown, opens[1] + 1, 1, "a second '# /// script' block", "keep a single header")
    start = opens[0]
    for i in range(start + 1, len(lines)):
        line = lines[i].rstrip()
        if line == CLOSE:
            return start, i
        if line != "#" and not line.startswith("# "):
            # PEP 723: a line that is not "#" or "# …" ends the block, so it was never closed.
            raise header_error(
                shown,
                i + 1,
                1,
                "'# /// script' block is not closed before this line",
                "end the header with '# ///'; every header line starts with '# '",
            )
    raise header_error(shown, start + 1, 1, "'# /// script' block is never closed", "end the header with a '# ///' line")


def read_toml(lines: list[str], start: int, end: int, shown: str) -> dict:
    """The TOML between the opening line ``start`` and the closing line ``end`` (0-based)."""
    body = "\n".join(line.rstrip()[2:] for line in lines[start + 1 : end])
    try:
        return tomllib.loads(body)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        pos = _TOML_POS.search(message)
        # TOML positions count from the block's first line and ignore the "# " prefix;
        # "at end of document" has no position, so point past the last header line.
        line, col = (start + int(pos[1]) + 1, int(pos[2]) + 2) if pos else (end, len(lines[end - 1].rstrip()) + 1)
        raise header_error(shown, line, col, f"invalid TOML in the script header: {_TOML_POS.sub('', message).strip()}") from None


class KeyLocator:
    """Where a key is written in the header, for diagnostics: (line, col); a missing key points at ``[tool.kb]``."""

    def __init__(self, lines: list[str], start: int, end: int):
        self.lines, self.start, self.end = lines, start, end

    def __call__(self, key: str) -> tuple[int, int]:
        pattern = re.compile(rf"^#\s+[\"']?{re.escape(key)}[\"']?\s*=")
        table = re.compile(r"^#\s+\[tool\.kb\]")
        fallback = (self.start + 1, 1)
        for i in range(self.start + 1, self.end):
            line = self.lines[i]
            where = (i + 1, len(line) - len(line[1:].lstrip()) + 1)
            if pattern.match(line):
                return where
            if table.match(line):
                fallback = where  # a missing key is reported on the [tool.kb] line
        return fallback
