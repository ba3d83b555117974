"""The garbage-collector pause used around large record builds restores what it found."""

from __future__ import annotations

import gc

import pytest

from extractors.gc_pause import collection_paused


def test_gc_pause_nested_pauses_resume_only_at_the_outermost_end():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_pause_leaves_a_disabled_collector_disabled_and_resumes_after_an_error():
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError), collection_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_gc_pause_as_decorator_pauses_each_call():
    @collection_paused()
    def enabled_inside() -> bool:
        return gc.isenabled()

    assert enabled_inside() is False and enabled_inside() is False
    assert gc.isenabled()
