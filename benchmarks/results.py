"""What the benchmarks record beside their figures, and how they write them, written once.

- :func:`cpu_model`, :func:`memory_gb`, :func:`usable_cores`, :func:`package_versions` and
  :func:`machine`: the context a figure needs to be read, and compared, later.
- :func:`growth_exponent` and :func:`growth_exponents`: how time or memory grows with the
  corpus size, as ``k`` in ``time ~ n^k`` between the smallest and the largest size.
- :func:`group_scores`: the clustering figures every grouping benchmark records (ARI, B-cubed
  and pairwise precision/recall/F1, group counts), rounded alike.
- :func:`write_results`: ``<out>/<day>/<name>.json`` and ``<name>.md``, each written to a
  temporary name and renamed (:func:`storymatch.io.atomic_write`), with Ctrl-C held back until
  both are in place (:func:`hold_interrupts`), so an interrupted run leaves no half-written
  result.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import signal
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from storymatch.evaluate import evaluate_clustering
from storymatch.io import atomic_write

__all__ = [
    "cpu_model",
    "group_scores",
    "growth_exponent",
    "growth_exponents",
    "hold_interrupts",
    "machine",
    "memory_gb",
    "package_versions",
    "usable_cores",
    "write_results",
]


# ---------------------------------------------------------------------------------- context
def cpu_model() -> str:
    """Return the CPU model named in ``/proc/cpuinfo`` (``"unknown"`` where there is none)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def memory_gb() -> float | None:
    """Return the machine's memory in GiB, rounded to 0.1 (None where it cannot be read)."""
    total = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                total = round(int(line.split()[1]) / 1024**2, 1)
    return total


def usable_cores() -> int | None:
    """Return the number of cores this process may run on (all cores where that is unknown)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def package_versions(names: Sequence[str], *, missing: str | None = None) -> dict[str, str | None]:
    """Return the installed version of each distribution, ``missing`` for those not installed."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = missing
    return out


def machine() -> dict[str, Any]:
    """Describe the machine: platform, CPU model, cores (all and usable) and memory."""
    return {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable_cores(),
        "memory_gb": memory_gb(),
    }


# ---------------------------------------------------------------------------------- growth
def growth_exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """Return ``k`` in ``value ~ n^k`` from the first and last ``(n, value)`` point.

    Points whose value is missing or not positive are left out; None when fewer than two
    remain or the first and last have the same ``n``.

    Examples
    --------
    >>> growth_exponent([(1000, 1.0), (10000, 10.0)])
    1.0
    >>> growth_exponent([(1000, 1.0)]) is None
    True
    """
    kept = [(n, v) for n, v in points if v and v > 0]
    if len(kept) < 2 or kept[0][0] == kept[-1][0]:
        return None
    (n1, v1), (n2, v2) = kept[0], kept[-1]
    return round(math.log(v2 / v1) / math.log(n2 / n1), 3)


def growth_exponents(
    sizes: Sequence[Mapping[str, Any]], tools: Sequence[str], field: str = "seconds"
) -> dict[str, float | None]:
    """Return each tool's :func:`growth_exponent` of ``field`` over the sizes it ran at.

    ``sizes`` are the per-size records of a speed benchmark: ``{"n_docs": n, "results":
    {tool: {"ok": bool, field: value, ...}}}``; failed runs are left out.
    """
    return {
        tool: growth_exponent(
            [
                (s["n_docs"], float(s["results"][tool][field]))
                for s in sizes
                if s["results"].get(tool, {}).get("ok")
            ]
        )
        for tool in tools
    }


# ---------------------------------------------------------------------------------- files
@contextlib.contextmanager
def hold_interrupts() -> Iterator[None]:
    """Defer Ctrl-C (SIGINT) until the block is done; re-raise it then."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


def group_scores(gold: Sequence[Hashable], labels: Sequence[Hashable]) -> dict[str, Any]:
    """Return the clustering figures of ``labels`` against ``gold``, rounded to 4 places.

    Parameters
    ----------
    gold, labels : sequence of hashable
        The true and the predicted group of each item, in one order.

    Returns
    -------
    dict
        ``ari``, ``bcubed_p``/``_r``/``_f1``, ``pair_p``/``_r``/``_f1``, ``groups`` (predicted)
        and ``gold_groups``.
    """
    s = evaluate_clustering(gold, labels)
    return {
        "ari": round(s.ari, 4),
        "bcubed_p": round(s.bcubed.precision, 4),
        "bcubed_r": round(s.bcubed.recall, 4),
        "bcubed_f1": round(s.bcubed.f1, 4),
        "pair_p": round(s.pairwise.precision, 4),
        "pair_r": round(s.pairwise.recall, 4),
        "pair_f1": round(s.pairwise.f1, 4),
        "groups": s.n_pred_clusters,
        "gold_groups": s.n_gold_clusters,
    }


def write_results(
    out: str | os.PathLike[str],
    day: str,
    name: str,
    result: Any,
    markdown: str | Callable[[], str],
    *,
    ensure_ascii: bool = True,
) -> tuple[Path, Path]:
    """Write ``<out>/<day>/<name>.json`` and ``<name>.md`` atomically; return both paths.

    Parameters
    ----------
    out : path
        The results folder (``benchmarks/results`` by default in every benchmark).
    day : str
        The day folder, ``YYYY-MM-DD``.
    name : str
        The file stem: the benchmark's name.
    result : JSON-ready object
        Written with ``indent=2`` and a final newline (values JSON cannot hold as ``str``).
    markdown : str or callable
        The Markdown text, or a function that renders it (called while the files are open, so
        that a failure there leaves no file either).
    ensure_ascii : bool, default=True
        Escape non-ASCII characters in the JSON.

    Notes
    -----
    Both files are written to temporary names and renamed only when both are complete; an error
    in between removes the temporary files, and Ctrl-C waits until both are in place.
    """
    folder = Path(out) / day
    json_path, md_path = folder / f"{name}.json", folder / f"{name}.md"
    with hold_interrupts(), atomic_write(json_path) as fj, atomic_write(md_path) as fm:
        fj.write(json.dumps(result, indent=2, ensure_ascii=ensure_ascii, default=str) + "\n")
        fm.write(markdown() if callable(markdown) else markdown)
    return json_path, md_path
