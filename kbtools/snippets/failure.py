"""Find where a failed snippet broke, from the traceback its Python process printed."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .header import SnippetSpec

_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')
_TB_START = "Traceback (most recent call last):"
MAX_TRACEBACK_LINES = 80


@dataclass(frozen=True, slots=True)
class FailureSite:
    """The last line of the snippet on the failing stack, and the traceback as the snippet printed it."""

    line: int | None
    location: str  # ``snippets/<fw>/<name>.py:LINE`` (``:LINE`` left out when no frame is in the snippet)
    traceback: str


def _same_file(a: str, b: str) -> bool:
    return a == b or os.path.realpath(a) == os.path.realpath(b)


def locate_failure(spec: SnippetSpec, stderr: str) -> FailureSite:
    """The deepest frame of the final exception that lies in the snippet file, with its traceback text.

    Frames in the frameworks are skipped on purpose: the reader needs the line of the example
    that triggered the error, not the line of torch that raised it.
    """
    lines = stderr.splitlines()
    snippet = str(spec.path)
    line_no: int | None = None
    first_frame: int | None = None
    for i, text in enumerate(lines):
        match = _FRAME.match(text)
        if match and _same_file(match["file"], snippet):
            line_no = int(match["line"])
            first_frame = i if first_frame is None else first_frame
    starts = [i for i, text in enumerate(lines) if text.strip() == _TB_START]
    # Chained exceptions print several tracebacks; keep them all, from the first one on.
    begin = starts[0] if starts else first_frame
    text = ""
    if begin is not None:
        kept = lines[begin:]
        if len(kept) > MAX_TRACEBACK_LINES:
            kept = [f"[… {len(kept) - MAX_TRACEBACK_LINES} lignes omises …]", *kept[-MAX_TRACEBACK_LINES:]]
        text = "\n".join(kept).replace(snippet, spec.rel)
    location = f"{spec.rel}:{line_no}" if line_no is not None else spec.rel
    return FailureSite(line_no, location, text)
