"""Format detection per input shape, and the inputs that cannot be read at all (KB501)."""

from __future__ import annotations

import codecs

import pytest

from kbtools.importer.decode import ImportFailure, decode_bytes
from kbtools.importer.detect import CMS, COMMENT_JSON, MARKDOWN, OBSIDIAN, PLAIN, detect
from tests.kbtest import DATA

IMPORT = DATA / "import"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("billet-cms.md", CMS),
        ("lecon-traduite.md", COMMENT_JSON),
        ("expose-pdf.txt", PLAIN),
        ("note-obsidian.md", OBSIDIAN),
        ("carrefour-bis.md", MARKDOWN),
    ],
)
def test_each_fixture_is_detected_as_its_shape(name, expected):
    text, _ = decode_bytes((IMPORT / name).read_bytes(), name)
    assert detect(text).format == expected


@pytest.mark.parametrize(
    ("text", "expected", "evidence"),
    [
        ("---\ntitle: T\ntype: concept\nseeAlso: '[[A]]'\n---\nx", OBSIDIAN, "seeAlso"),
        ("---\ntitle: T\ntags: [a, b]\n---\nx", OBSIDIAN, "title"),  # nothing CMS-specific: the vault's dialect
        ("---\ntitle: T\ntags:\n- name: A\n  slug: a\n---\nx", CMS, "tags as {name, slug}"),
        ("---\ntitle: T\noriginalURL: https://e.org/a\ncoverImage: c.png\n---\nx", CMS, "originalURL"),
        ("---\ntitle: [oops\n---\nx", OBSIDIAN, "not valid YAML"),
        ('<!--\nMETA:\n{"language_code": "fr"}\n-->\n# T\n', COMMENT_JSON, "META"),
        ("<!-- just a comment -->\n# Heading\n", MARKDOWN, "headings"),
        ("Some text with a [link](https://e.org) inside.", MARKDOWN, "links"),
        ("Line one\nline two, wrapped\n\n• a bullet\n", PLAIN, "no metadata"),
        ("\ufeff---\r\ntitle: T\r\ntype: hub\r\n---\r\nx", OBSIDIAN, "type"),  # BOM and CRLF do not hide the front matter
    ],
)
def test_detection_rules_and_their_evidence(text, expected, evidence):
    found = detect(text)
    assert found.format == expected
    assert evidence in found.reason


@pytest.mark.parametrize(
    ("data", "message", "line", "col"),
    [
        (b"", "empty file", 1, 1),
        (b" \n\t\n", "only blank space", 1, 1),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image", 1, 1),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document", 1, 1),
        (b"abc\x00def", "NUL bytes", 1, 1),
        (b"ok\nd\xe9j\xe0 vu\n", "byte 0xe9", 2, 2),
        (bytes(range(1, 31)) * 40, "control characters", 1, 1),
    ],
)
def test_unreadable_inputs_fail_with_kb501_at_the_place(data, message, line, col):
    with pytest.raises(ImportFailure) as info:
        decode_bytes(data, "in.md")
    diag = info.value.diagnostic
    assert diag.code == "KB501" and diag.is_error
    assert message in diag.message
    assert (diag.line, diag.col) == (line, col)


def test_utf16_with_bom_is_read_and_utf8_bom_is_left_for_the_repair():
    text, encoding = decode_bytes(codecs.BOM_UTF16_LE + "déjà".encode("utf-16-le"), "in.md")
    assert (text, encoding) == ("déjà", "utf-16")
    text, encoding = decode_bytes(codecs.BOM_UTF8 + "déjà".encode(), "in.md")
    assert (text, encoding) == ("\ufeffdéjà", "utf-8")
