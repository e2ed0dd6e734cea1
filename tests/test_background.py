"""Tests for storymatch._background: work in a forked child, the same answer as in-process."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from storymatch._background import Background, usable_cores

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
