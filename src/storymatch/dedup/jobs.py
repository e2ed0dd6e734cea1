"""Run per-group work in worker processes, with one exchange between them half-way.

:func:`~storymatch.dedup.copies.copy_edits` reads every member of every group (page cleaning,
sentences: pure Python, bound by one core), pools what the groups share (the corpus's stock
sentences), then compares each group's members. :func:`run_chunks` cuts the groups into small
chunks that this process and forked workers take from one shared counter as they go
(:class:`Take`: a process slowed by other work on its core takes fewer), lets every process
send what it read half-way (``exchange``), hands each the part of the pooled answer it needs,
lets a process done with its own chunks take over those another has not begun (:meth:`Take.
unclaimed`), and joins the results in the order of the chunks: the output is the one a single
process gives.

Workers are forked (they inherit the inputs, nothing is pickled on the way in; their results
are on the way out); where the platform cannot fork, or one job is asked for, every chunk
runs in this process.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

__all__ = ["Exchange", "Take", "Tick", "run_chunks", "usable_jobs"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

Exchange = Callable[[Any], Any]
"""Send a worker's half-way payload and get back its share of the pooled answer."""

Tick = Callable[[int], None]
"""Report that a worker finished this many more items."""


def usable_jobs(n_jobs: int | None, n_items: int, *, min_items: int) -> int:
    """Return how many processes to use for ``n_items`` items.

    Parameters
    ----------
    n_jobs : int or None
        Asked for, as scikit-learn reads it: None for one process (this one), -1 for every
        core this process may run on but one per ``min_items`` items at most (starting a
        worker costs more than a few items); an int >= 1 is taken as is, capped by the items.
    n_items : int
        Items to share out.
    min_items : int
        Items per worker below which ``n_jobs=-1`` uses fewer workers.

    Returns
    -------
    int
        1 where the platform cannot fork.
    """
    if n_jobs is None or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if n_jobs < 0:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        return max(1, min(cores, n_items // max(1, min_items)))
    return max(1, min(n_jobs, n_items))


class Take(Generic[T]):
    """The chunks of the items, handed out one at a time to whichever process asks first.

    Iterating gives ``(start, chunk)`` pairs, ``chunk`` being ``items[start : start + size]``,
    until every chunk is taken. The processes of :func:`run_chunks` share one counter (in
    shared memory, behind its lock), so a process slowed by other work on its core takes
    fewer chunks and the others take more.

    A second pass hands the chunks out again, each to one process: the process that took a
    chunk claims it (:meth:`claim`) before finishing it, and a process done with its own
    takes the chunks nobody has claimed yet (:meth:`unclaimed`), last first, while their
    owners work from their first: the processes end together even where one of them slowed
    down between the passes.
    """

    def __init__(
        self,
        items: Sequence[T],
        size: int,
        counter: Any | None = None,
        claimed: Any | None = None,
    ) -> None:
        self._items = items
        self._size = size
        self._counter = counter
        self._next = 0
        n_chunks = -(-len(items) // size)
        self._claimed = bytearray(n_chunks) if claimed is None else claimed

    def _index(self) -> int:
        if self._counter is None:
            index = self._next
            self._next += 1
            return index
        with self._counter.get_lock():
            index = int(self._counter.value)
            self._counter.value = index + 1
        return index

    def __iter__(self) -> Iterator[tuple[int, Sequence[T]]]:
        while (start := self._index() * self._size) < len(self._items):
            yield start, self._items[start : start + self._size]

    def _lock(self) -> AbstractContextManager[Any]:
        return nullcontext() if self._counter is None else self._counter.get_lock()

    def claim(self, start: int) -> bool:
        """Claim the chunk at ``start`` for this process; False if another claimed it first."""
        k = start // self._size
        with self._lock():
            if self._claimed[k]:
                return False
            self._claimed[k] = 1
        return True

    def unclaimed(self, *, leave: int = 0) -> Iterator[tuple[int, Sequence[T]]]:
        """Claim and yield the chunks that no process has claimed, last first.

        Parameters
        ----------
        leave : int, default=0
            Stop while this many chunks or fewer are left unclaimed: where taking a chunk
            over costs more than its owner pays (its work done again), the owner's last
            ones are left to it.
        """
        for k in range(len(self._claimed) - 1, -1, -1):
            with self._lock():
                if self._claimed[k]:
                    continue
                if len(self._claimed) - sum(self._claimed) <= leave:
                    return
                self._claimed[k] = 1
            start = k * self._size
            yield start, self._items[start : start + self._size]


def run_chunks(
    items: Sequence[T],
    worker: Callable[[Take[T], Exchange, Tick], list[tuple[int, list[R]]]],
    combine: Callable[[list[Any]], list[Any]],
    *,
    jobs: int,
    size: int,
    tick: Tick | None = None,
) -> list[R]:
    """Run ``worker`` in ``jobs`` processes on chunks of ``items`` taken as they go; join them.

    This process and ``jobs - 1`` forked workers take chunks of ``size`` items from one shared
    :class:`Take` until none is left, each at its own pace: on a machine whose other cores are
    busy with other work, a process that gets less of its core takes fewer chunks, instead of
    the others waiting for it to finish a fixed share.

    Parameters
    ----------
    items : sequence
        The work, in output order.
    worker : callable
        ``worker(take, exchange, tick)``: iterates ``take`` to the end (the ``(start,
        chunk)`` pairs this process gets), then calls ``exchange(payload)`` exactly once and
        uses the reply, calls ``tick(n)`` as items finish, and returns ``(start, results)``
        for each chunk it finished. Where workers take over others' chunks
        (:meth:`Take.unclaimed`), each must claim a chunk of its own (:meth:`Take.claim`)
        before finishing it and skip one it cannot claim: every chunk is finished once.
    combine : callable
        ``combine(payloads)`` with every process's payload (this one's first); returns the
        replies, one per process, in the same order.
    jobs : int
        Processes, this one included (see :func:`usable_jobs`); 1 runs every chunk here.
    size : int
        Items per chunk (>= 1): small enough that the processes end together, large enough
        that taking one costs nothing against doing it.
    tick : callable or None, default=None
        Called in this process with every process's progress (a worker's as this process
        reads it: while it does its own work, at the exchange and at the end).

    Returns
    -------
    list
        The results, in the order of ``items``' chunks: the list one process would give.

    Raises
    ------
    RuntimeError
        If a worker process fails or dies; the message carries its error. An error in this
        process's own work propagates as it is.
    """
    report = tick or (lambda _: None)
    size = max(1, size)
    if jobs <= 1 or len(items) <= size:
        return _joined(worker(Take(items, size), lambda payload: combine([payload])[0], report))
    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)
    claimed = context.RawArray("b", -(-len(items) // size))  # behind the counter's lock
    conns: list[Connection] = []
    processes = []
    # the workers share this process's objects copy-on-write: keep their garbage collector off
    # them, or each collection writes to (and so copies) every page of the heap
    gc.freeze()
    with warnings.catch_warnings():
        # the kernels' thread pool is idle here and the workers never enter it
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        for _ in range(jobs - 1):
            mine, theirs = context.Pipe()
            take = Take(items, size, counter, claimed)
            process = context.Process(target=_serve, args=(theirs, take, worker), daemon=True)
            process.start()
            theirs.close()
            conns.append(mine)
            processes.append(process)
    gc.unfreeze()
    workers = _Workers(conns, report)

    def exchange(payload: Any) -> Any:
        replies = combine([payload, *workers.payloads()])
        for conn, reply in zip(conns, replies[1:], strict=True):
            conn.send(reply)
        return replies[0]

    try:
        own = worker(Take(items, size, counter, claimed), exchange, report)
        return _joined([*own, *(r for rs in workers.results() for r in rs)])
    finally:
        for conn in conns:
            conn.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _joined(done: list[tuple[int, list[R]]]) -> list[R]:
    """Return the chunks' results in the order of their first items."""
    return [r for _, results in sorted(done, key=lambda pair: pair[0]) for r in results]


class _Workers:
    """The pipes to the worker processes of :func:`run_chunks`, read message by message.

    Ticks are reported as they are read; :meth:`payloads` reads until every worker has sent
    its half-way payload, :meth:`results` until every worker has sent its results.
    """

    def __init__(self, conns: list[Connection], tick: Tick) -> None:
        self._conns = conns
        self._tick = tick
        self._payloads: dict[int, Any] = {}
        self._results: dict[int, list[Any]] = {}
        self._index = {id(c): k for k, c in enumerate(conns)}

    def payloads(self) -> list[Any]:
        """Return every worker's payload, in chunk order."""
        while len(self._payloads) < len(self._conns):
            self._read()
        return [self._payloads[k] for k in range(len(self._conns))]

    def results(self) -> list[list[Any]]:
        """Return every worker's results, in chunk order."""
        while len(self._results) < len(self._conns):
            self._read()
        return [self._results[k] for k in range(len(self._conns))]

    def _read(self) -> None:
        """Read the messages of the workers that have one waiting (at least one)."""
        open_conns = [c for k, c in enumerate(self._conns) if k not in self._results]
        for ready in wait(open_conns):
            k = self._index[id(ready)]
            try:
                message: tuple[str, Any] = self._conns[k].recv()
            except EOFError:
                msg = f"copy worker {k + 1} exited without its results"
                raise RuntimeError(msg) from None
            kind, value = message
            if kind == "tick":
                self._tick(value)
            elif kind == "payload":
                self._payloads[k] = value
            elif kind == "result":
                self._results[k] = value
            else:
                msg = f"copy worker {k + 1} failed: {value}"
                raise RuntimeError(msg)


def _serve(conn: Connection, take: Take[Any], worker: Callable[..., list[Any]]) -> None:
    """Run a worker process's share of the chunks and send its messages to the parent."""

    def exchange(payload: Any) -> Any:
        conn.send(("payload", payload))
        return conn.recv()

    def tick(n: int) -> None:
        conn.send(("tick", n))

    try:
        conn.send(("result", worker(take, exchange, tick)))
    except BaseException as exc:  # every failure goes to the parent, as text
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
