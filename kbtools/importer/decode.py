"""Read an input file as text, or say precisely why it cannot be imported (KB501)."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..diagnostics import Diagnostic

# Files that are obviously not text, by their first bytes.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a ZIP archive (or DOCX, EPUB…)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}
_HINTS = {
    "a PDF document": "extract its text first, e.g. pdftotext -layout",
    "a ZIP archive (or DOCX, EPUB…)": "export it as Markdown or plain text first",
}
_SNIFF = 8192


class ImportFailure(Exception):
    """One input cannot be imported; the others go on."""

    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.format())


def read_text(path: Path, shown: str) -> tuple[bytes, str, str]:
    """The bytes of ``path``, its text and the encoding it was read with; raises :class:`ImportFailure`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(Diagnostic(shown, 1, 1, "KB501", f"cannot read input: {exc.strerror or exc}")) from None
    return (data, *decode_bytes(data, shown))


def decode_bytes(data: bytes, shown: str) -> tuple[str, str]:
    """Decode UTF-8 (or UTF-16 with a BOM); empty, binary and undecodable data raise :class:`ImportFailure`."""

    def fail(message: str, hint: str = "", line: int = 1, col: int = 1) -> ImportFailure:
        return ImportFailure(Diagnostic(shown, line, col, "KB501", message, hint))

    if not data.strip():
        raise fail("empty file" if not data else "file holds only blank space", "nothing to import")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise fail(f"binary file: {kind}", _HINTS.get(kind, "only text (Markdown or plain text) can be imported"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise fail(f"not valid UTF-16: {exc.reason}", "save it as UTF-8") from None
    if b"\x00" in data[:_SNIFF]:
        raise fail("binary file: it holds NUL bytes", "only text (Markdown or plain text) can be imported")
    try:
        text = data.decode("utf-8")  # a UTF-8 BOM stays: the repair step removes it and says so
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise fail(
            f"not UTF-8: byte 0x{byte} cannot be decoded", "convert it to UTF-8 first, e.g. iconv -f windows-1252 -t utf-8", line, col
        ) from None
    controls = sum(1 for ch in text[:_SNIFF] if ord(ch) < 32 and ch not in "\t\n\r\f\x13\x14\x18\x19\x1c\x1d")
    if controls > max(8, len(text[:_SNIFF]) // 20):
        raise fail(f"binary file: {controls} control characters in its first {_SNIFF} bytes", "only text can be imported")
    return text, "utf-8"
