"""Property-based: whatever text or bytes come in, detection and repair answer, never raise."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtools.importer.command import prepare
from kbtools.importer.decode import ImportFailure, decode_bytes
from kbtools.importer.detect import FORMATS, detect
from kbtools.importer.repair import repair_text, repair_value, suspicions

# Text that looks like the inputs: front matter, comments, mojibake, controls, bullets, CRLF.
PIECES = st.sampled_from(
    ["---\n", "title: x\n", "tags:\n- name: a\n", "<!--\n", "-->\n", '{"a": 1}', "# T\n", "\r\n", "\ufeff", "Ã©", "â€™",
     "\x13", "\x0c", "•", "  \n", "```\n", "[[A]]", "|", "1.  Titre\n", "pré-\n"]
)  # fmt: skip
texts = st.lists(st.one_of(st.text(max_size=20), PIECES), max_size=25).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts, st.booleans())
def test_detection_and_repair_never_raise(text, markdown):
    assert detect(text).format in FORMATS
    repaired, repairs = repair_text(text, markdown=markdown)
    assert "\r" not in repaired and not repaired.startswith("\ufeff")
    assert all(r.count > 0 and r.message for r in repairs)
    for line, message in suspicions(repaired):
        assert line >= 1 and message
    value, _ = repair_value(text, "title")
    assert "\x13" not in value


@SETTINGS
@given(st.binary(max_size=300))
def test_bytes_decode_or_fail_with_kb501(data):
    try:
        text, encoding = decode_bytes(data, "in.md")
    except ImportFailure as failure:
        assert failure.diagnostic.code == "KB501" and failure.diagnostic.line >= 1
    else:
        assert isinstance(text, str) and encoding in ("utf-8", "utf-16")


@SETTINGS
@given(st.one_of(st.binary(max_size=200), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_preparing_any_input_records_a_result_instead_of_raising(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.md"
        path.write_bytes(data)
        item = prepare(path, today=date(2030, 1, 1))
        if item.status == "failed":
            assert any(d.is_error and d.code in ("KB501", "KB504") for d in item.diagnostics)
        else:
            assert item.fields["title"] and item.ident and item.origin["format"] == item.format
