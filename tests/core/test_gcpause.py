"""The collector pause around the pipeline: off inside, back to its former state after, whatever happens."""

from __future__ import annotations

import gc

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
