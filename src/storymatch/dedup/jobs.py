"""Run per-group work in worker processes, with one exchange between them half-way.

:func:`~storymatch.dedup.copies.copy_edits` reads every member of every group (page cleaning,
sentences: pure Python, bound by one core), pools what the groups share (the corpus's stock
sentences), then compares each group's members. :func:`run_chunks` splits the groups into one
contiguous chunk per worker process, lets every worker send what it read half-way
(``exchange``), hands each the part of the pooled answer it needs, and joins the results in
chunk order: the output is the one a single process gives.

Workers are forked (they inherit the inputs, nothing is pickled on the way in); where the
platform cannot fork, or one job is asked for, the chunk runs in this process.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import warnings
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

__all__ = ["Exchange", "Tick", "run_chunks", "usable_jobs"]

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


def run_chunks(
    items: Sequence[T],
    worker: Callable[[Sequence[T], Exchange, Tick], list[R]],
    combine: Callable[[list[Any]], list[Any]],
    *,
    jobs: int,
    tick: Tick | None = None,
) -> list[R]:
    """Run ``worker`` on contiguous chunks of ``items`` in ``jobs`` processes; join the results.

    Parameters
    ----------
    items : sequence
        The work, in output order.
    worker : callable
        ``worker(chunk, exchange, tick)``: does its chunk, calls ``exchange(payload)`` exactly
        once half-way and uses the reply, calls ``tick(n)`` as items finish, and returns one
        list of results for its chunk.
    combine : callable
        ``combine(payloads)`` with every worker's payload in chunk order; returns the replies,
        one per worker, in the same order.
    jobs : int
        Processes (see :func:`usable_jobs`); 1 runs the one chunk in this process.
    tick : callable or None, default=None
        Called in this process with each worker's progress.

    Returns
    -------
    list
        The workers' results, chunk after chunk.

    Raises
    ------
    RuntimeError
        If a worker fails or dies; the message carries its error.
    """
    report = tick or (lambda _: None)
    if jobs <= 1 or len(items) <= 1:
        return worker(items, lambda payload: combine([payload])[0], report)
    bounds = [round(k * len(items) / jobs) for k in range(jobs + 1)]
    chunks = [items[bounds[k] : bounds[k + 1]] for k in range(jobs)]
    context = multiprocessing.get_context("fork")
    conns: list[Connection] = []
    processes = []
    # the workers share this process's objects copy-on-write: keep their garbage collector off
    # them, or each collection writes to (and so copies) every page of the heap
    gc.freeze()
    with warnings.catch_warnings():
        # the kernels' thread pool is idle here and the workers never enter it
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        for chunk in chunks:
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, chunk, worker), daemon=True)
            process.start()
            theirs.close()
            conns.append(mine)
            processes.append(process)
    gc.unfreeze()
    try:
        return _gather(conns, combine, report)
    finally:
        for conn in conns:
            conn.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _gather(
    conns: list[Connection], combine: Callable[[list[Any]], list[Any]], tick: Tick
) -> list[Any]:
    """Answer the workers' messages until each has sent its results; return them in order."""
    payloads: dict[int, Any] = {}
    results: dict[int, list[Any]] = {}
    index = {id(c): k for k, c in enumerate(conns)}
    open_conns = list(conns)
    while open_conns:
        for ready in wait(open_conns):
            k = index[id(ready)]
            conn = conns[k]
            try:
                message: tuple[str, Any] = conn.recv()
            except EOFError:
                msg = f"copy worker {k} exited without its results"
                raise RuntimeError(msg) from None
            kind, value = message
            if kind == "tick":
                tick(value)
            elif kind == "payload":
                payloads[k] = value
                if len(payloads) == len(conns):
                    for j, reply in enumerate(combine([payloads[i] for i in range(len(conns))])):
                        conns[j].send(reply)
            elif kind == "result":
                results[k] = value
                open_conns.remove(conn)
            else:
                msg = f"copy worker {k} failed: {value}"
                raise RuntimeError(msg)
    return [r for k in range(len(conns)) for r in results[k]]


def _serve(conn: Connection, chunk: Sequence[Any], worker: Callable[..., list[Any]]) -> None:
    """Run one chunk in a worker process and send its messages to the parent."""

    def exchange(payload: Any) -> Any:
        conn.send(("payload", payload))
        return conn.recv()

    def tick(n: int) -> None:
        conn.send(("tick", n))

    try:
        conn.send(("result", worker(chunk, exchange, tick)))
    except BaseException as exc:  # every failure goes to the parent, as text
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
