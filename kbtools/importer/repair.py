"""Repair damaged text, counting every change so that the report can say what was done.

Only damage whose cause is known is repaired: a BOM, CRLF line ends, UTF-8 read as
Windows-1252 (mojibake, fixed by ftfy), punctuation whose high byte was lost (U+2013 → U+0013),
stray control characters, decomposed accents, trailing spaces. Damage that cannot be undone
for sure (a dash dropped altogether, mojibake with missing bytes) is only reported, by
:func:`suspicions`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

import ftfy
from ftfy.badness import is_bad

# U+20xx punctuation whose high byte was dropped on the way: U+2013 EN DASH became U+0013.
LOST_HIGH_BYTE = {"\x13": "–", "\x14": "—", "\x18": "‘", "\x19": "’", "\x1c": "“", "\x1d": "”"}
# C1 controls that ftfy leaves are the five bytes Windows-1252 does not define: noise.
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x12\x15-\x17\x1a\x1b\x1e\x1f\x7f-\x9f]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A line that starts a new Markdown block: trailing spaces before it are no hard break.
_BLOCK_START = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|#{1,6}\s|>|\||`{3,}|~{3,}|-{3,}\s*$|={3,}\s*$)")
_DOUBLE_SPACE = re.compile(r"(?<=\w)  (?=\w)")
# Mojibake detection on a very long line is slow and pointless: such lines are split first.
_MAX_LINE = 4000


@dataclass(frozen=True, slots=True)
class Repair:
    """One kind of repair made ``count`` times in one place (``body``, ``title``…)."""

    kind: str
    count: int
    where: str = "body"

    @property
    def message(self) -> str:
        """What was done, for people: ``mojibake fixed (12 sequences)``."""
        text = _MESSAGES.get(self.kind if self.kind != "bom" or self.count == 1 else "bom-n")
        if text is None and self.kind.startswith("U+"):
            text = f"{self.kind} replaced by '{LOST_HIGH_BYTE[chr(int(self.kind[2:], 16))]}' ({{n}})"
        text = (text or self.kind + " ({n})").format(n=self.count, s="" if self.count == 1 else "s")
        return text if self.where == "body" else f"{text} in {self.where}"

    def to_json(self) -> dict:
        """The repair for ``--format json``."""
        return {"kind": self.kind, "count": self.count, "where": self.where, "message": self.message}


_MESSAGES = {
    "bom": "BOM removed",
    "bom-n": "BOM removed ({n} times)",
    "crlf": "CRLF → LF ({n} line{s})",
    "cr": "CR → LF ({n} line{s})",
    "mojibake": "mojibake fixed ({n} sequence{s})",
    "controls": "control characters removed ({n})",
    "form-feed": "form feeds replaced by line breaks ({n})",
    "nfc": "decomposed accents composed (NFC, {n} character{s})",
    "trailing-spaces": "trailing spaces removed ({n} line{s})",
    "leading-spaces": "leading spaces removed ({n} line{s})",
    "hard-wrap": "hard-wrapped lines joined ({n})",
    "bullets": "bullets • → - ({n})",
    "blank-lines": "runs of blank lines collapsed ({n})",
    "headings": "numbered section lines made headings ({n})",
}


class RepairLog:
    """Repairs added up by kind and place, in the order they were first made."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], int] = {}

    def add(self, kind: str, count: int, where: str = "body") -> None:
        """Count ``count`` more repairs of ``kind`` (nothing when zero)."""
        if count > 0:
            self._counts[(kind, where)] = self._counts.get((kind, where), 0) + count

    def extend(self, repairs: list[Repair]) -> None:
        """Add repairs made elsewhere (a metadata value, a parser)."""
        for r in repairs:
            self.add(r.kind, r.count, r.where)

    def items(self) -> list[Repair]:
        """The repairs so far, in the order they were first made."""
        return [Repair(kind, n, where) for (kind, where), n in self._counts.items()]


def fix_mojibake(text: str) -> tuple[str, int]:
    """UTF-8 that was decoded as Windows-1252 or Latin-1, fixed line by line as ftfy does.

    Returns the text and the number of damaged sequences (runs of characters that changed).
    """
    out: list[str] = []
    count = 0
    for line in text.split("\n"):
        pieces = [line[i : i + _MAX_LINE] for i in range(0, len(line), _MAX_LINE)] or [""]
        fixed_pieces = []
        for piece in pieces:
            fixed = ftfy.fix_encoding(piece) if not piece.isascii() else piece
            if fixed != piece:
                ops = difflib.SequenceMatcher(None, piece, fixed, autojunk=False).get_opcodes()
                count += sum(1 for op in ops if op[0] != "equal")
            fixed_pieces.append(fixed)
        out.append("".join(fixed_pieces))
    return "\n".join(out), count


def fix_controls(text: str, log: RepairLog, where: str = "body") -> str:
    """Lost-high-byte punctuation restored, other controls dropped (run after :func:`fix_mojibake`,
    which reads C1 controls as the Windows-1252 characters they were)."""
    for char, replacement in LOST_HIGH_BYTE.items():
        if char in text:
            log.add(f"U+{ord(char):04X}", text.count(char), where)
            text = text.replace(char, replacement)
    if where == "body" and "\x0c" in text:  # a page break of text extracted from a PDF
        log.add("form-feed", text.count("\x0c"), where)
        text = text.replace("\x0c", "\n")
    text, n = _OTHER_CONTROLS.subn("", text.replace("\x0c", "\x00"))  # in a value, a form feed is just noise
    log.add("controls", n, where)
    return text


def compose(text: str, log: RepairLog, where: str = "body") -> str:
    """NFC: a title typed with decomposed accents must match the same title typed composed."""
    composed = unicodedata.normalize("NFC", text)
    if composed != text:
        log.add("nfc", len(text) - len(composed), where)
    return composed


def strip_trailing(text: str, markdown: bool) -> tuple[str, int]:
    """Trailing blanks removed, except a Markdown hard break (two spaces before a continuation line)
    and anything inside fenced code."""
    lines = text.split("\n")
    in_fence = False
    count = 0
    for i, line in enumerate(lines):
        if markdown and _FENCE.match(line):
            in_fence = not in_fence
        stripped = line.rstrip(" \t")
        if stripped == line or (markdown and in_fence):
            continue
        if markdown and _is_hard_break(line, stripped, lines[i + 1] if i + 1 < len(lines) else ""):
            if line != stripped + "  ":
                lines[i] = stripped + "  "
                count += 1
            continue
        lines[i] = stripped
        count += 1
    return "\n".join(lines), count


def _is_hard_break(line: str, stripped: str, following: str) -> bool:
    if not stripped.strip() or not line.endswith("  ") or not following.strip():
        return False
    if "|" in stripped or stripped.lstrip().startswith("#"):  # table rows and headings end where they end
        return False
    return not _BLOCK_START.match(following)


def repair_text(text: str, *, markdown: bool) -> tuple[str, list[Repair]]:
    """Every sure repair of a whole input, in order; returns the text and what was done."""
    log = RepairLog()
    text = _strip_bom(text, log)
    log.add("crlf", text.count("\r\n"))
    text = text.replace("\r\n", "\n")
    log.add("cr", text.count("\r"))
    text = text.replace("\r", "\n")
    text, n = fix_mojibake(text)
    log.add("mojibake", n)
    text = fix_controls(text, log)
    text = _strip_bom(text, log)  # again: "ï»¿" is a BOM too once fixed, and controls may have hidden one
    text = compose(text, log)
    text, n = strip_trailing(text, markdown)
    log.add("trailing-spaces", n)
    return text, log.items()


def _strip_bom(text: str, log: RepairLog) -> str:
    bom = len(text) - len(text.lstrip("\ufeff"))  # a file saved twice by a BOM-happy editor has two
    log.add("bom", bom)
    return text[bom:]


def repair_value(text: str, where: str) -> tuple[str, list[Repair]]:
    """The repairs that make sense on one metadata value (a title, a description…)."""
    log = RepairLog()
    log.add("controls", text.count("\ufeff"), where)  # inside a value a BOM is a stray invisible character
    text, n = fix_mojibake(text.replace("\ufeff", ""))
    log.add("mojibake", n, where)
    text = fix_controls(text, log, where)
    text = compose(text, log, where)
    return text, log.items()


def suspicions(text: str, *, markdown: bool = True) -> list[tuple[int, str]]:
    """Damage seen but not repaired, as (line, message): first line of each kind, with a count.

    Two spaces between words hint at a lost dash in Markdown; in text extracted from a PDF they
    are only justification, so plain text is spared that check.
    """
    found: dict[str, list[int]] = {}
    in_fence = False
    for number, line in enumerate(text.split("\n"), 1):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        if "\ufffd" in line:
            found.setdefault("replacement", []).append(number)
        if not line.isascii() and is_bad(line[:_MAX_LINE].replace("\ufffd", "")):
            found.setdefault("mojibake", []).append(number)
        if markdown and "|" not in line and not line.startswith(("    ", "\t")) and _DOUBLE_SPACE.search(line.strip()):
            found.setdefault("dash", []).append(number)
    messages = {
        "replacement": "U+FFFD replacement characters: text was lost before the import ({n} line{s})",
        "mojibake": "mojibake left as is, bytes are missing ({n} line{s})",
        "dash": "two spaces between words, a dash may have been lost ({n} line{s})",
    }
    return [(lines[0], messages[k].format(n=len(lines), s="" if len(lines) == 1 else "s")) for k, lines in found.items()]
