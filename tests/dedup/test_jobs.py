"""Per-group work in worker processes: the same result as in one process."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from storymatch.dedup.jobs import Exchange, Take, Tick, run_chunks, usable_jobs


def _work(
    take: Take[int], exchange: Exchange, tick: Tick
) -> list[tuple[int, list[tuple[int, int]]]]:
    taken = list(take)
    total = exchange(sum(x for _, chunk in taken for x in chunk))  # the sum over all processes
    tick(sum(len(chunk) for _, chunk in taken))
    return [(start, [(x, total) for x in chunk]) for start, chunk in taken]


def _pool(payloads: list[int]) -> list[int]:
    return [sum(payloads)] * len(payloads)


@pytest.mark.parametrize("jobs", [1, 2, 3])
@pytest.mark.parametrize("size", [1, 3, 10, 50])
def test_chunks_run_in_processes_give_the_result_of_one(jobs: int, size: int) -> None:
    items = list(range(10))
    ticks: list[int] = []
    done = run_chunks(items, _work, _pool, jobs=jobs, size=size, tick=ticks.append)
    assert done == [(x, 45) for x in items]
    assert sum(ticks) == len(items)


def test_take_hands_out_every_chunk_once_in_order() -> None:
    assert list(Take(list(range(7)), 3)) == [(0, [0, 1, 2]), (3, [3, 4, 5]), (6, [6])]
    assert list(Take([], 3)) == []


def _fail(take: Take[int], exchange: Exchange, tick: Tick) -> list[tuple[int, list[int]]]:
    taken = list(take)
    exchange(0)
    if any(7 in chunk for _, chunk in taken):
        msg = "bad item 7"
        raise ValueError(msg)
    return [(start, list(chunk)) for start, chunk in taken]


def test_a_failing_worker_is_an_error_in_the_caller() -> None:
    # whichever process takes item 7 fails: a worker's error is a RuntimeError carrying it,
    # this process's own propagates as it is
    with pytest.raises((RuntimeError, ValueError), match="bad item 7"):
        run_chunks(list(range(10)), _fail, lambda p: [None] * len(p), jobs=2, size=1)


def _fail_in_workers(
    take: Take[int], exchange: Exchange, tick: Tick
) -> list[tuple[int, list[int]]]:
    taken = list(take)
    exchange(0)
    if os.getpid() != _CALLER:
        msg = "a worker failed"
        raise ValueError(msg)
    return [(start, list(chunk)) for start, chunk in taken]


def _fail_here(take: Take[int], exchange: Exchange, tick: Tick) -> list[tuple[int, list[int]]]:
    list(take)
    exchange(0)
    if os.getpid() == _CALLER:
        msg = "this process failed"
        raise ValueError(msg)
    return []


_CALLER = os.getpid()


def test_an_error_in_a_worker_is_a_runtime_error_naming_it() -> None:
    with pytest.raises(RuntimeError, match="ValueError: a worker failed"):
        run_chunks(list(range(10)), _fail_in_workers, lambda p: [None] * len(p), jobs=2, size=1)


def test_an_error_in_this_process_propagates_as_it_is_and_stops_the_workers() -> None:
    with pytest.raises(ValueError, match="this process failed"):
        run_chunks(list(range(10)), _fail_here, lambda p: [None] * len(p), jobs=3, size=1)
    assert not multiprocessing.active_children()


def test_usable_jobs() -> None:
    assert usable_jobs(1, 1000, min_items=200) == 1
    assert usable_jobs(4, 3, min_items=200) == 3
    assert usable_jobs(None, 10_000, min_items=200) == 1  # scikit-learn's None: one
    assert usable_jobs(-1, 10, min_items=200) == 1  # too few items to start a worker
    assert 1 <= usable_jobs(-1, 10_000, min_items=200) <= 50


def _pid_of_item(take: Take[int], exchange: Exchange, tick: Tick) -> list[tuple[int, list[int]]]:
    taken = list(take)
    exchange(None)
    return [(start, [os.getpid()] * len(chunk)) for start, chunk in taken]


def test_every_item_is_done_once_by_one_of_the_processes() -> None:
    pids = run_chunks(list(range(60)), _pid_of_item, lambda p: [None] * len(p), jobs=3, size=2)
    assert len(pids) == 60
    assert len(set(pids)) <= 3
    assert all(pids[k] == pids[k + 1] for k in range(0, 60, 2))  # a chunk stays in one process


def test_take_claims_each_chunk_once_and_hands_over_the_unclaimed_last_first() -> None:
    take = Take(list(range(10)), 2)  # five chunks
    assert take.claim(0)
    assert not take.claim(0)  # claimed already
    assert take.claim(5)  # a start inside chunk 2 claims that chunk
    # the unclaimed (chunks 1, 3, 4), last first, leaving the owner its last one
    assert list(take.unclaimed(leave=1)) == [(8, [8, 9]), (6, [6, 7])]
    assert not take.claim(8)
    assert take.claim(2)
    assert list(take.unclaimed()) == []


def _slow_caller(
    take: Take[int], exchange: Exchange, tick: Tick
) -> list[tuple[int, list[tuple[int, str]]]]:
    # the process that took the first chunk is slowed after the exchange: the others finish
    # its chunks, each once
    taken = list(take)
    exchange(None)
    if any(start == 0 for start, _ in taken):
        time.sleep(0.5)
    done = [(start, [(x, "own") for x in chunk]) for start, chunk in taken if take.claim(start)]
    done.extend((start, [(x, "taken") for x in chunk]) for start, chunk in take.unclaimed())
    tick(sum(len(chunk) for _, chunk in done))
    return done


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_process_done_first_takes_over_the_chunks_another_has_not_begun(jobs: int) -> None:
    items = list(range(200))
    ticks: list[int] = []
    done = run_chunks(
        items, _slow_caller, lambda p: [None] * len(p), jobs=jobs, size=1, tick=ticks.append
    )
    assert [x for x, _ in done] == items  # every chunk done once, in order
    assert sum(ticks) == len(items)
    assert done[0] == (0, "taken")
