"""`paused_gc`: the collector is off inside, restored after; `promote` moves survivors to the
oldest generation without freezing anything."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from schemasync.gcpause import paused_gc


class _Tracked:
    """A GC-tracked object we can find in the generations."""


@pytest.fixture(autouse=True)
def _gc_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was:
        gc.disable()


def _generation_of(obj: object) -> int | None:
    for gen in range(3):
        if any(o is obj for o in gc.get_objects(generation=gen)):
            return gen
    return None


def test_pauses_and_restores() -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one leaves it as it found it
    assert gc.isenabled()


def test_promote_moves_survivors_to_the_oldest_generation_and_freezes_nothing() -> None:
    gc.collect()
    with paused_gc(promote=True):
        kept = _Tracked()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert _generation_of(kept) == 2
    with paused_gc():
        young = _Tracked()
    assert _generation_of(young) in (0, 1)  # without promote they stay young


def test_promote_leaves_a_frozen_heap_alone() -> None:
    frozen = _Tracked()
    gc.freeze()
    count = gc.get_freeze_count()
    with paused_gc(promote=True):
        kept = _Tracked()
    assert gc.get_freeze_count() == count  # not unfrozen by us
    assert _generation_of(frozen) is None  # still in the permanent generation
    assert _generation_of(kept) in (0, 1)


def test_promote_inside_a_paused_block_waits_for_the_outer_one() -> None:
    with paused_gc():
        with paused_gc(promote=True):
            kept = _Tracked()
        assert not gc.isenabled()
        assert _generation_of(kept) in (0, 1)
