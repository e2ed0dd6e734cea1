"""Tests for storymatch._background: work in a forked child, the same answer as in-process."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from storymatch._background import Background, SharedFlags, TwoEnds, usable_cores

forks = pytest.mark.skipif(
    not sys.platform.startswith("linux") or usable_cores() < 2,
    reason="Background forks on Linux with two or more cores only",
)


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fail(message: str) -> None:
    raise KeyError(message)


def _die_in_child(parent: int) -> int:
    if os.getpid() != parent:
        os._exit(3)
    return os.getpid()


def _unpicklable() -> object:
    return threading.Lock()


@forks
def test_the_child_computes_while_the_caller_goes_on():
    pid, value = Background(_pid_and, 21).result()
    assert value == 42
    assert pid != os.getpid()


def test_inline_computes_in_this_process():
    assert Background(_pid_and, 4, inline=True).result() == (os.getpid(), 8)


@forks
def test_an_exception_in_the_child_is_raised_in_the_caller():
    with pytest.raises(KeyError, match="bad record"):
        Background(_fail, "bad record").result()


@forks
def test_a_child_that_dies_leaves_the_work_to_the_caller(caplog):
    assert Background(_die_in_child, os.getpid()).result() == os.getpid()
    assert "without an answer" in caplog.text


@forks
def test_a_result_that_does_not_pickle_is_an_error():
    with pytest.raises(RuntimeError, match="lock"):
        Background(_unpicklable).result()


@forks
def test_cancel_stops_the_child():
    import time

    job = Background(time.sleep, 60)
    pid = job._pid
    assert pid is not None
    job.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more
    job.cancel()  # twice is fine


def _front_until_slow(ends: TwoEnds) -> list[int]:
    import time

    taken = []
    for chunk in ends.front():
        taken.append(chunk)
        time.sleep(0.001)
    return taken


@forks
def test_two_ends_share_every_chunk_between_a_child_and_the_caller():
    import time

    ends = TwoEnds(300)
    job = Background(_front_until_slow, ends)
    time.sleep(0.05)  # the child starts first, as the event stage's does
    mine = []
    for chunk in ends.back():
        mine.append(chunk)
        time.sleep(0.001)
    theirs = job.result()
    assert theirs == list(range(len(theirs)))  # the child from the front, in order
    assert mine == list(range(299, 299 - len(mine), -1))  # the caller from the back
    assert set(mine) | set(theirs) == set(range(300))  # every chunk, at most one twice
    assert len(set(mine) & set(theirs)) <= 1


def test_two_ends_in_one_process_take_every_chunk_once():
    ends = TwoEnds(4)
    assert next(ends.front()) == 0
    assert list(ends.back()) == [3, 2, 1]
    assert list(ends.front()) == []
    assert list(TwoEnds(0).back()) == []


def _flags_when_set(flags: SharedFlags) -> list[bool]:
    import time

    deadline = time.monotonic() + 30
    while not flags.values[-1] and time.monotonic() < deadline:  # the caller sets it last
        time.sleep(0.001)
    return flags.values.tolist()


@forks
def test_shared_flags_set_by_the_caller_are_seen_by_a_running_child():
    flags = SharedFlags(4)
    job = Background(_flags_when_set, flags)  # forked while every flag is False
    final = [True, False, True, True]
    flags.values[:] = final
    assert job.result() == final
    assert SharedFlags(0).values.tolist() == []
