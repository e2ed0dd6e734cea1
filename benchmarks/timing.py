"""How the benchmarks time a run and measure its memory, written once for all of them.

- :func:`timed`, :func:`best_time` and :func:`median_time`: wall time with
  :func:`time.perf_counter`, of one run or the best or median of several.
- :func:`measure_peak`: the wall time of one run and its peak resident set size above the
  resident set size before it (``VmHWM - VmRSS`` from ``/proc/self/status``, the peak reset
  first through ``/proc/self/clear_refs``; Linux).
- :func:`in_child`: run a measurement in a forked child process, so that every pipeline starts
  from the same memory and one that crashes or runs out of memory does not end the benchmark.
- :func:`run_process`: a whole command as a user runs it, its wall time and peak RSS
  (:mod:`benchmarks.dedup_cli`, :mod:`benchmarks.copies_speed`).

The speed benchmarks (:mod:`benchmarks.dedup_speed`, :mod:`benchmarks.events_speed`,
:mod:`benchmarks.index_speed`, the rensa anchor of :mod:`benchmarks.sections_speed`) combine
them: ``in_child(lambda: ... measure_peak(run) ...)``.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import multiprocessing as mp
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "Peak",
    "best_time",
    "in_child",
    "malloc_trim",
    "measure_peak",
    "median_time",
    "reset_peak",
    "run_process",
    "status_kb",
    "timed",
]

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Run ``fn`` once; return its wall time in seconds and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best_time(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Run ``fn`` ``repeat`` times (at least once); return the best time and the last result."""
    best, result = timed(fn)
    for _ in range(repeat - 1):
        seconds, result = timed(fn)
        best = min(best, seconds)
    return best, result


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Run ``fn`` ``repeat`` times (at least once); return the median wall time in seconds."""
    return statistics.median(timed(fn)[0] for _ in range(max(1, repeat)))


# ---------------------------------------------------------------------------------- memory
def status_kb(field: str) -> int:
    """Return a ``kB`` field of ``/proc/self/status`` (``VmRSS``, ``VmHWM``, ...)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    msg = f"/proc/self/status has no {field!r} line"
    raise RuntimeError(msg)


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def malloc_trim() -> None:
    """Give free heap pages back to the system so that the baseline RSS is honest."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass(frozen=True, slots=True)
class Peak:
    """The wall time and memory of one run, as :func:`measure_peak` measured them.

    Attributes
    ----------
    seconds : float
        Wall time of the run.
    peak_extra_bytes : int
        Peak resident set size during the run above the resident set size before it.
    baseline_rss_bytes : int
        Resident set size before the run.
    peak_reset : bool
        Whether the peak could be reset before the run (otherwise it may be an earlier peak).
    """

    seconds: float
    peak_extra_bytes: int
    baseline_rss_bytes: int
    peak_reset: bool

    @property
    def peak_extra_mb(self) -> float:
        """The peak above the baseline in MiB, rounded to 0.1."""
        return round(self.peak_extra_bytes / 2**20, 1)


def measure_peak(fn: Callable[[], T]) -> tuple[T, Peak]:
    """Run ``fn`` once; return its result with its wall time and peak extra memory.

    Garbage is collected and free heap pages are given back first, then the peak is reset and
    the resident set size recorded; the peak after the run minus that baseline is what the run
    added. Run it in a fresh child (:func:`in_child`) so that earlier work does not blur it.
    """
    gc.collect()
    malloc_trim()
    reset = reset_peak()
    before_kb = status_kb("VmRSS")
    seconds, result = timed(fn)
    peak_kb = status_kb("VmHWM")
    return result, Peak(seconds, (peak_kb - before_kb) * 1024, before_kb * 1024, reset)


# ---------------------------------------------------------------------------------- children
def _child(conn: Connection, job: Callable[[], dict[str, Any]]) -> None:
    """Body of a forked child: run the job, send ``{"ok": True, **result}`` or the error."""
    try:
        conn.send({"ok": True, **job()})
    except BaseException as error:  # report anything, including KeyboardInterrupt, then exit
        conn.send({"ok": False, "error": f"{type(error).__name__}: {error}"})
    finally:
        conn.close()


def in_child(job: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run ``job`` in a forked child process and return what it returned, with ``"ok": True``.

    Parameters
    ----------
    job : callable
        Takes nothing and returns a picklable dict (a closure is fine: the child is forked).

    Returns
    -------
    dict
        ``{"ok": True, **job()}``, or ``{"ok": False, "error": "..."}`` when the job raised
        or the child died (killed for memory, say).
    """
    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, job), daemon=True)
    process.start()
    sender.close()
    try:
        result: dict[str, Any] = receiver.recv()
    except EOFError:
        process.join()
        result = {"ok": False, "error": f"child exited with code {process.exitcode}"}
    process.join()
    return result


# A fresh wrapper process per command, so that RUSAGE_CHILDREN holds that command alone.
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"code": code, "seconds": seconds, "cpu": cpu, "peak_kb": usage.ru_maxrss}))
"""


def run_process(command: Sequence[str], *, cwd: Path | None = None) -> dict[str, float]:
    """Run a command as a user would; return its wall ``seconds``, CPU and peak RSS.

    The command runs under a fresh wrapper process, so that the CPU seconds (user and system,
    ``cpu_seconds``: the command's and its children's) and the peak (``peak_rss_mb``) are the
    command's alone (``RUSAGE_CHILDREN``); its standard output is discarded.

    Raises
    ------
    RuntimeError
        If the command fails (with the end of its standard error).
    """
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    lines = proc.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines else {}
    if proc.returncode != 0 or result.get("code") != 0:
        msg = f"{' '.join(command)} failed: {proc.stderr[-2000:]}"
        raise RuntimeError(msg)
    return {
        "seconds": float(result["seconds"]),
        "cpu_seconds": float(result["cpu"]),
        "peak_rss_mb": round(result["peak_kb"] / 1024),
    }
