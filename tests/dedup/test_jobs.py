"""Per-group work in worker processes: the same result as in one process."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from storymatch.dedup.jobs import Exchange, Tick, run_chunks, usable_jobs


def _work(chunk: Sequence[int], exchange: Exchange, tick: Tick) -> list[tuple[int, int]]:
    total = exchange(sum(chunk))  # every chunk learns the sum over all chunks
    tick(len(chunk))
    return [(x, total) for x in chunk]


def _pool(payloads: list[int]) -> list[int]:
    return [sum(payloads)] * len(payloads)


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_chunks_run_in_processes_give_the_result_of_one(jobs: int) -> None:
    items = list(range(10))
    ticks: list[int] = []
    assert run_chunks(items, _work, _pool, jobs=jobs, tick=ticks.append) == [(x, 45) for x in items]
    assert sum(ticks) == len(items)


def _fail(chunk: Sequence[int], exchange: Exchange, tick: Tick) -> list[int]:
    exchange(0)
    if 7 in chunk:
        msg = "bad item 7"
        raise ValueError(msg)
    return list(chunk)


def test_a_failing_worker_is_an_error_in_the_caller() -> None:
    with pytest.raises(RuntimeError, match="ValueError: bad item 7"):
        run_chunks(list(range(10)), _fail, lambda p: [None] * len(p), jobs=2)


def test_usable_jobs() -> None:
    assert usable_jobs(1, 1000, min_items=200) == 1
    assert usable_jobs(4, 3, min_items=200) == 3
    assert usable_jobs(None, 10_000, min_items=200) == 1  # scikit-learn's None: one
    assert usable_jobs(-1, 10, min_items=200) == 1  # too few items to start a worker
    assert 1 <= usable_jobs(-1, 10_000, min_items=200) <= 50


def test_an_error_in_this_process_chunk_propagates_and_stops_the_workers() -> None:
    # item 7 is in the first chunk, which the calling process does itself
    with pytest.raises(ValueError, match="bad item 7"):
        run_chunks([7, 1, 2, 3], _fail, lambda p: [None] * len(p), jobs=2)


def _pid_of_chunk(chunk: Sequence[int], exchange: Exchange, tick: Tick) -> list[int]:
    exchange(None)
    return [os.getpid()] * len(chunk)


def test_the_first_chunk_runs_in_the_calling_process() -> None:
    pids = run_chunks(list(range(6)), _pid_of_chunk, lambda p: [None] * len(p), jobs=3)
    assert pids[:2] == [os.getpid()] * 2
    assert len(set(pids)) == 3
