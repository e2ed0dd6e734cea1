"""Run one function in a forked child process while the caller goes on: a second core at work.

Private. Pure-Python text work (regular expressions) holds the GIL, so threads cannot share
it; a forked child can. :class:`Background` forks (Linux only, with more than one usable core),
the child computes ``fn(*args)`` on the inherited memory (nothing is pickled on the way in)
and sends the pickled result back through a pipe; :meth:`Background.result` reads it. Where
there is no fork, one core, or the child dies without an answer, the caller computes
``fn(*args)`` itself, so the result never depends on whether a child ran. An exception raised
in the child is raised again in the caller. Call :meth:`Background.result` or
:meth:`Background.cancel` (in a ``finally``): a child nobody reads from is killed.

The child runs only the given function and leaves with :func:`os._exit` (no ``atexit``
handlers, no flushing of the caller's buffers). It forks with :func:`os.fork` rather than
:mod:`multiprocessing`, so it works inside a daemonic process (a benchmark's measured child or
a pool worker) too.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

import numpy as np

__all__ = ["Background", "SharedFlags", "TwoEnds", "usable_cores"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

_CHILD_FAILED = 70
"""Exit code of a child that could not send its answer."""


def usable_cores() -> int:
    """Return the number of CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Background(Generic[T]):
    """``fn(*args)``, computed in a forked child process while the caller goes on.

    Parameters
    ----------
    fn : callable
        A function of plain data whose result pickles.
    *args
        Its arguments (inherited by the child, not pickled).
    inline : bool, default=False
        Compute in this process, when :meth:`result` is called (for work too small to fork).

    Examples
    --------
    >>> job = Background(sum, [1, 2, 3])
    >>> job.result()
    6
    """

    def __init__(self, fn: Callable[..., T], *args: Any, inline: bool = False) -> None:
        self._fn = fn
        self._args = args
        self._pid: int | None = None
        self._read = -1
        if inline or not sys.platform.startswith("linux") or usable_cores() < 2:  # noqa: PLR2004
            return
        read, write = os.pipe()
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns on fork with threads running
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            logger.debug("background: fork failed, computing in this process")
            return
        if pid == 0:  # the child
            os.close(read)
            _answer(write, fn, args)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """Return ``fn(*args)``: the child's answer, or computed here when there is none."""
        if self._pid is None:
            return self._fn(*self._args)
        chunks = []
        try:
            with os.fdopen(self._read, "rb") as pipe:
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
        except BaseException:
            self.cancel()
            raise
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if not chunks or os.waitstatus_to_exitcode(status) != 0:
            logger.warning(
                "background: the child process ended without an answer (status %d); "
                "computing in this process",
                status,
            )
            return self._fn(*self._args)
        ok, payload = pickle.loads(b"".join(chunks))  # our own child's bytes
        if not ok:
            raise payload
        result: T = payload
        return result

    def cancel(self) -> None:
        """Stop the child (when one runs and has not answered); :meth:`result` then computes."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        with contextlib.suppress(OSError):
            os.close(self._read)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)

    def __del__(self) -> None:
        self.cancel()


def _answer(write: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Compute ``fn(*args)`` in the child, send ``(ok, result or exception)``, and leave."""
    code = 0
    try:
        try:
            answer: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:  # raised again in the caller
            answer = (False, exc)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that does not pickle
            data = pickle.dumps((False, RuntimeError(repr(answer[1]))))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # whatever happens, the child must not return
        code = _CHILD_FAILED
    finally:
        os._exit(code)


class TwoEnds:
    """Chunks ``0 .. n - 1`` of work that two processes share, one from each end.

    One process takes chunks from the front, the other from the back, until they meet: each
    side does as much as its core allows.

    The two positions live in memory shared across :func:`os.fork` (an anonymous shared
    ``mmap``), so a :class:`Background` child iterates :meth:`front` while its caller iterates
    :meth:`back`. Without a lock, both sides may take the chunk where they meet: the work must
    give the same result wherever it is done. Every chunk is taken by at least one side (a side
    stops only where the other has passed); a child that dies leaves its chunks to be done
    again by the caller, which checks what it got.

    Parameters
    ----------
    n : int
        Number of chunks.

    Examples
    --------
    >>> ends = TwoEnds(5)
    >>> next(ends.front()), list(ends.back())
    (0, [4, 3, 2, 1])
    """

    def __init__(self, n: int) -> None:
        self._memory = mmap.mmap(-1, 16)  # MAP_SHARED: seen by a forked child
        self._at: np.ndarray[tuple[int], np.dtype[np.int64]] = np.frombuffer(
            self._memory, dtype=np.int64
        )
        self._at[0], self._at[1] = 0, n  # next chunk from the front, first taken from the back

    def front(self) -> Iterator[int]:
        """Yield chunks from the front while the back has not taken them."""
        at = self._at
        while (chunk := int(at[0])) < at[1]:
            at[0] = chunk + 1
            yield chunk

    def back(self) -> Iterator[int]:
        """Yield chunks from the back while the front has not taken them."""
        at = self._at
        while (chunk := int(at[1]) - 1) >= at[0]:
            at[1] = chunk
            yield chunk


class SharedFlags:
    """Flags that a caller sets while a forked :class:`Background` child reads them.

    The flags live in memory shared across :func:`os.fork` (an anonymous shared ``mmap``), all
    False at first. There is no lock and no signal: the child may read a flag before the
    caller sets it, so the work must be right either way (a flag that says "skip this" and is
    read too late only costs the work it would have saved). Write the final values at once
    (``flags.values[:] = final``), so that no flag is ever set for a moment by mistake.

    Parameters
    ----------
    n : int
        Number of flags.

    Examples
    --------
    >>> flags = SharedFlags(3)
    >>> flags.values[:] = [False, True, False]
    >>> flags.values.tolist()
    [False, True, False]
    """

    def __init__(self, n: int) -> None:
        self._memory = mmap.mmap(-1, max(n, 1))  # MAP_SHARED: seen by a forked child
        self.values: np.ndarray[tuple[int], np.dtype[np.bool_]] = np.frombuffer(
            self._memory, dtype=np.bool_
        )[:n]
