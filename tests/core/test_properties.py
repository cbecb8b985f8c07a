"""Property-based: arbitrary and malformed frontmatter yields diagnostics, never an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kbtools.notes import read_note
from kbtools.resolve import NameIndex, resolve

KEYS = ["title", "type", "tags", "aliases", "date_creation", "date_modification", "seeAlso", "isPartOf",
        "subClassOf", "differentFrom", "sources", "author", "url", "language", "weird"]
scalars = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.dates().map(str),
                    st.sampled_from(["[[A]]", "[[B|b]]", "[[]]", "[[#S]]", "[[A#]]", "not a link", "2026-13-45"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
frontmatter = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)


def _check(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "n.md"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        note, diags = read_note(root, path)
        for d in diags:
            assert d.line >= 1 and d.col >= 1 and d.code.startswith("KB")
        if note is not None:
            resolve([note], NameIndex([note]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frontmatter, st.text(max_size=80))
def test_structured_frontmatter_never_raises(data, body):
    _check("---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("-:[]{}'\"#|!&*\n ab\t@`%>")), max_size=120))
def test_garbage_frontmatter_never_raises(noise):
    _check("---\n" + noise + "\n---\n[[x]]")


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_any_text_never_raises(text):
    _check(text.replace("\x00", ""))
