"""The collector pause around the pipeline: off inside, back to its former state after, whatever happens."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from kbtools.config import load_config
from kbtools.gcpause import paused, without_gc
from kbtools.pipeline import build_knowledge_base


@pytest.fixture(autouse=True)
def _collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_turns_collection_off_then_back_on_even_on_error():
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_nested_pause_leaves_it_to_the_outer_one_and_an_off_collector_stays_off():
    with paused():
        with paused():
            pass
        assert not gc.isenabled()  # the inner block found it off: it does not turn it on
    assert gc.isenabled()
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def test_decorated_function_runs_paused_and_keeps_its_name_and_result():
    @without_gc
    def seen() -> bool:
        """Doc."""
        return gc.isenabled()

    assert seen() is False and gc.isenabled()
    assert seen.__name__ == "seen" and seen.__doc__ == "Doc."


def test_pipeline_leaves_the_collector_on(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\nVoir [[A]].\n", encoding="utf-8")
    kb = build_knowledge_base(load_config(tmp_path))
    assert [n.title for n in kb.notes] == ["A"] and gc.isenabled()


# In a fresh process, as a user runs it: the imports that the check makes on the way (rdflib's
# plugins, pyparsing's grammars) must not leave exceptions holding the frames that hold the
# knowledge base. With the collector off from the start, only reference counting can free it.
_FREED_AFTER_CHECK = """
import gc, sys, weakref
from kbtools import cli, pipeline
built = []
real = pipeline.build_knowledge_base
def spy(*args, **kwargs):
    kb = real(*args, **kwargs)
    built.append((weakref.ref(kb), weakref.ref(kb.index)))
    return kb
pipeline.build_knowledge_base = spy
gc.disable()
code = cli.main(["check", "--no-cache", "--no-shacl", sys.argv[1]])
print(code, [(kb() is None, index() is None) for kb, index in built], gc.isenabled())
"""


def test_kb_check_frees_the_knowledge_base_without_the_collector(tmp_path):
    vault = tmp_path / "coffre"
    vault.mkdir()
    (vault / "a.md").write_text("---\ntitle: A\nseeAlso: '[[B]]'\n---\nVoir [[B]].\n", encoding="utf-8")
    (vault / "b.md").write_text("---\ntitle: B\n---\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", _FREED_AFTER_CHECK, str(vault)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.stdout.split("\n")[-2] == "0 [(True, True)] False", proc.stdout + proc.stderr
