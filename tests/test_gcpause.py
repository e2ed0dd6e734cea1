"""Tests for storymatch._gcpause: the cyclic collector waits while long-lived objects are built."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator

import numpy as np
import pytest

from storymatch._gcpause import paused_gc
from storymatch.dedup.verify import label_groups
from storymatch.io import read_articles


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the collections that run while the test does."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


def test_paused_gc_nests_and_restores_the_collector():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not switch it back on
    assert gc.isenabled()


def test_paused_gc_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_paused_gc_restores_the_collector_after_an_error():
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError
    assert gc.isenabled()


def test_paused_gc_moves_what_it_built_to_the_oldest_generation():
    with paused_gc():
        built = [[i] for i in range(20_000)]
    # the first young pass after the block no longer has it to scan
    assert any(o is built for o in gc.get_objects(generation=2))
    assert not any(o is built for o in gc.get_objects(generation=0))


def test_paused_gc_leaves_a_programs_frozen_objects_frozen():
    kept = [[i] for i in range(1000)]
    gc.freeze()
    try:
        with paused_gc():
            _ = [[i] for i in range(1000)]
        # still in the permanent generation, which no generation's list holds (the count
        # itself may fall meanwhile: a frozen object that dies leaves it)
        assert gc.get_freeze_count() >= len(kept)
        assert not any(o is kept for g in range(3) for o in gc.get_objects(generation=g))
    finally:
        gc.unfreeze()


def test_read_articles_runs_no_collection(tmp_path, collections):
    path = tmp_path / "many.jsonl"
    records = [{"id": f"a{i}", "text": f"text {i}", "tag": [i]} for i in range(5000)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    gc.collect()
    collections.clear()
    result = read_articles(path)
    assert len(result.articles) == 5000
    # at most the one that the first allocation after the pause starts; dozens without it
    assert len(collections) <= 1
    assert gc.isenabled()


def test_label_groups_runs_no_collection(collections):
    n = 5000
    ids = [f"d{i}" for i in range(n)]
    root = np.arange(n, dtype=np.int64)
    root[1::2] -= 1  # pairs: 2,500 groups of two
    gc.collect()
    collections.clear()
    labels, groups = label_groups(ids, root, np.ones(n))
    assert len(groups) == n // 2
    assert labels.tolist() == [i // 2 for i in range(n)]
    assert len(collections) <= 1  # the one after the pause; about ten before
    assert gc.isenabled()
