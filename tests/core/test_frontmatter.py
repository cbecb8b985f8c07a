"""Frontmatter values read with the light resolver equal those read with PyYAML's full SafeLoader."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kbtools.frontmatter import split

# Words PyYAML's resolver gives a tag of their own (nulls, YAML 1.1 booleans, numbers, dates, merge).
SPECIAL = ["", "~", "null", "Null", "NULL", "nul", "none", "None", "no", "yes", "on", "Off", "1", "1.5", ".inf", "0x1F",
           "2025-01-01", "<<", "=", "[[A]]", "a: b", "#x", "'q'", '"d"']
scalars = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from([*SPECIAL[:6], "k", "l"]), inner, max_size=3), max_leaves=6)
# The same parser (libyaml's, when PyYAML has it) with PyYAML's full resolver: the two parsers differ on
# corner cases (``a: !`` is null for the pure one, text for libyaml), which is not what is tested here.
REFERENCE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
styles = st.sampled_from([None, "'", '"'])


def _reference(node: yaml.Node):
    """A composed node as plain data, nulls decided by PyYAML's own resolver."""
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == "tag:yaml.org,2002:null" else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_reference(item) for item in node.value]
    return {k.value: _reference(v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _compare(text: str) -> None:
    fm, diags = split("---\n" + text + "---\nCorps\n", "n.md")
    if diags:  # refused or repaired (KB002, KB003, KB116): the reference has nothing to say
        return
    node = yaml.compose(text, Loader=REFERENCE)
    expected = {} if node is None else {k.value: _reference(v) for k, v in node.value}
    assert {key: entry.value.plain() for key, entry in fm.entries.items()} == expected


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["title", "aliases", "tags", "x", "null", "~"]), values, max_size=5), styles, st.booleans())
def test_values_equal_those_of_the_full_resolver(data, style, flow):
    _compare(yaml.safe_dump(data, allow_unicode=True, default_style=style, default_flow_style=flow))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(SPECIAL), st.sampled_from(["", "!!null ", "!!str ", "! ", "&x "])), max_size=4))
def test_explicit_tags_and_plain_words_read_as_the_full_resolver_reads_them(items):
    _compare("".join(f"{key}: {tag}{word}\n" for key, word, tag in items))


def test_plain_nulls_are_none_quoted_ones_and_other_words_are_text():
    fm, diags = split("---\na: null\nb: 'null'\nc: ~\nd:\ne: !!null x\nf: [NULL, Null, nul, no]\ng: !!str null\n---\n", "n.md")
    assert diags == []
    assert {k: e.value.plain() for k, e in fm.entries.items()} == {
        "a": None, "b": "null", "c": None, "d": None, "e": None, "f": [None, None, "nul", "no"], "g": "null"}
