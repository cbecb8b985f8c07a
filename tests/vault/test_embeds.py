"""Every note a snippet illustrates shows it running.

A snippet's header names the notes it illustrates (``[tool.kb] illustrates = [...]``). Each of
those notes must embed at least one of the snippets that illustrate it, with the directive
``<!-- kb:snippet framework/name -->``, or say why it does not with the marker
``<!-- kb:no-snippet raison -->`` (an HTML comment, invisible on the site and in Obsidian;
the reason is required).
"""

from __future__ import annotations

import re

import pytest

from kbtools.config import load_config
from kbtools.pipeline import build_knowledge_base
from kbtools.site.snippet_blocks import DIRECTIVE
from tests.kbtest import ROOT

NO_SNIPPET = re.compile(r"<!--\s*kb:no-snippet\s+(?P<reason>\S[^>]*?)\s*-->")

# Notes owned by other branches of issue #14 when this test was written; the lead embeds
# their snippets after merging, then empties this list.
TODO_AFTER_MERGE: set[str] = set()


@pytest.fixture(scope="module")
def kb():
    return build_knowledge_base(load_config(config_file=ROOT / "mkdocs.yml"))


def illustrated(kb) -> dict[str, tuple[object, set[str]]]:
    """Path of each illustrated note → (note, keys of the snippets that illustrate it)."""
    found: dict[str, tuple[object, set[str]]] = {}
    for entry in kb.snippets:
        for note in entry.notes:
            found.setdefault(note.path, (note, set()))[1].add(entry.key)
    return found


def test_the_marker_needs_a_reason():
    assert NO_SNIPPET.search("<!-- kb:no-snippet il faudrait un GPU à huit cartes -->")
    assert not NO_SNIPPET.search("<!-- kb:no-snippet -->")
    assert not NO_SNIPPET.search("<!-- kb:snippet pytorch/autograd -->")


def test_snippets_illustrate_many_notes(kb):
    assert len(illustrated(kb)) >= 30


def test_every_illustrated_note_embeds_one_of_its_snippets_or_says_why_not(kb):
    missing = []
    for path, (note, keys) in sorted(illustrated(kb).items()):
        if path in TODO_AFTER_MERGE:
            continue
        embedded = {m.group("key") for m in DIRECTIVE.finditer(note.body)}
        if not embedded & keys and not NO_SNIPPET.search(note.body):
            missing.append(f"{path}: embeds none of {sorted(keys)}")
    assert missing == []


def test_the_todo_list_only_names_notes_that_still_need_it(kb):
    found = illustrated(kb)
    done = []
    for path in sorted(TODO_AFTER_MERGE & found.keys()):
        note, keys = found[path]
        if {m.group("key") for m in DIRECTIVE.finditer(note.body)} & keys:
            done.append(path)
    assert done == [], "remove these paths from TODO_AFTER_MERGE"
