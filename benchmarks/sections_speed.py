"""The speed sections of the benchmark suite: each speed module, one corpus size at a time.

:func:`speed_dedup` runs :mod:`benchmarks.dedup_speed` (datasketch anchor) and, when rensa is
installed, times :func:`benchmarks.baselines.rensa_dedup` on the same corpus in a forked child;
:func:`speed_events` runs :mod:`benchmarks.events_speed` (scikit-learn anchor),
:func:`speed_compare` :mod:`benchmarks.compare_speed` (difflib anchor) and :func:`speed_index`
:mod:`benchmarks.index_speed` (datasketch on Redis). Each module runs as its ``main`` would,
writing to a temporary folder whose JSON is read back, with its own table kept off stdout; the
per-size results are merged and the growth of time and memory with the corpus size is added
(:func:`benchmarks.results.growth_exponents`). :mod:`benchmarks.suite` chooses the sections
and assembles the result.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.baselines import rensa_bands, rensa_dedup
from benchmarks.results import growth_exponents
from benchmarks.timing import in_child, measure_peak

__all__ = ["speed_compare", "speed_dedup", "speed_events", "speed_index"]


@contextlib.contextmanager
def _module_output(quiet: bool) -> Iterator[None]:
    """Silence a module's stdout (its own table) and, when quiet, its stderr log lines."""
    with Path(os.devnull).open("w") as sink, contextlib.redirect_stdout(sink):
        if quiet:
            with contextlib.redirect_stderr(sink):
                yield
        else:
            yield


def _module_report(
    main: Callable[[list[str]], Any], args: list[str], name: str, quiet: bool
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="storymatch-bench-") as tmp:
        with _module_output(quiet):
            main([*args, "--out", tmp])
        found = sorted(Path(tmp).glob(f"*/{name}.json"))
        if not found:
            msg = f"benchmarks.{name} wrote no result"
            raise RuntimeError(msg)
        report: dict[str, Any] = json.loads(found[-1].read_text(encoding="utf-8"))
        return report


def _run_rensa(articles: Sequence[Any]) -> dict[str, Any]:
    """Body of a forked child: warm up, then measure one run of :func:`rensa_dedup`."""
    rensa_dedup([a.text for a in articles[:50]])  # warm up
    labels, peak = measure_peak(lambda: rensa_dedup([a.text for a in articles]))
    return {
        "seconds": peak.seconds,
        "peak_extra_bytes": peak.peak_extra_bytes,
        "peak_reset": peak.peak_reset,
        "labels": labels,
    }


def _measure_rensa(data: Path, n_docs: int, seed: int = 0) -> dict[str, Any]:
    """Time the rensa pipeline in a forked child on the corpus dedup_speed builds."""
    from benchmarks.corpus import build_corpus
    from benchmarks.dedup_speed import score_labels

    articles, gold = build_corpus(n_docs, data_dir=data, seed=seed)
    run = in_child(lambda: _run_rensa(articles))
    if not run["ok"]:
        return run
    return {
        "ok": True,
        "seconds": round(run["seconds"], 4),
        "docs_per_s": round(n_docs / run["seconds"], 1),
        "peak_extra_mb": round(run["peak_extra_bytes"] / 2**20, 1),
        "peak_reset": run["peak_reset"],
        **score_labels(gold, np.asarray(run["labels"], dtype=np.int64)),
        "details": {"bands": rensa_bands(0.3, 128)[0], "threshold": 0.3},
    }


def speed_dedup(
    data: Path, sizes: Sequence[int], quick: bool, quiet: bool, progress: Callable[[int, int], None]
) -> dict[str, Any]:
    from benchmarks import dedup_speed

    has_rensa = importlib.util.find_spec("rensa") is not None
    merged: dict[str, Any] = {}
    per_size = []
    for done, n_docs in enumerate(sizes, 1):
        args = ["--data", str(data), "--sizes", str(n_docs)]
        if quick or done > 1:
            args.append("--no-compile")
        if quick or n_docs != sizes[-1]:
            args.append("--no-stages")
        report = _module_report(dedup_speed.main, args, "dedup_speed", quiet)
        merged = merged or report
        merged.update({k: v for k, v in report.items() if k in ("stages",)})
        size = report["sizes"][0]
        if has_rensa:
            result = _measure_rensa(data, n_docs)
            anchor = size["results"].get(dedup_speed.ANCHOR, {})
            if result.get("ok") and anchor.get("ok"):
                result["speed_vs_anchor"] = round(anchor["seconds"] / result["seconds"], 3)
            size["results"]["rensa"] = result
        per_size.append(size)
        progress(done, len(sizes))
    merged["sizes"] = per_size
    merged["settings"]["sizes"] = list(sizes)
    merged["command"] = "storymatch bench speed (benchmarks.dedup_speed, one size at a time)"
    tools = sorted({t for s in per_size for t in s["results"]})
    merged["growth_exponent"] = growth_exponents(per_size, tools, "seconds")
    merged["memory_growth_exponent"] = growth_exponents(per_size, tools, "peak_extra_mb")
    if has_rensa:
        merged["settings"]["pipelines"]["rensa"] = (
            "rensa RMinHash + RMinHashLSH at 0.3, exact check, union-find (benchmarks.suite)"
        )
    return merged


def speed_events(
    data: Path, sizes: Sequence[int], quick: bool, quiet: bool, progress: Callable[[int, int], None]
) -> dict[str, Any]:
    import logging

    from benchmarks import events_speed

    merged: dict[str, Any] = {}
    per_size = []
    # events_speed turns on the debug log of storymatch.events to time its stages; keep those
    # lines out of the command's stderr (its own handler still gets them)
    log = logging.getLogger("storymatch.events")
    propagate, log.propagate = log.propagate, False
    try:
        reports = []
        for done, n_docs in enumerate(sizes, 1):
            args = ["--data", str(data), "--sizes", str(n_docs)]
            if quick or n_docs != sizes[-1]:
                args += ["--distractors", "0"]
            reports.append(_module_report(events_speed.main, args, "events_speed", quiet))
            progress(done, len(sizes))
    finally:
        log.propagate = propagate
    for report in reports:
        merged = merged or report
        merged.update({k: v for k, v in report.items() if k in ("stages", "distractors")})
        per_size += report["sizes"]
    merged["sizes"] = per_size
    tools = sorted({t for s in per_size for t in s["results"]})
    merged["growth_exponent"] = growth_exponents(per_size, tools, "seconds")
    merged["memory_growth_exponent"] = growth_exponents(per_size, tools, "peak_extra_mb")
    return merged


def speed_compare(data: Path, progress: Callable[[int, int], None]) -> dict[str, Any]:
    from benchmarks import compare_speed

    progress(0, 1)
    result: dict[str, Any] = compare_speed.run(data, 3)
    progress(1, 1)
    return result


def speed_index(
    data: Path, sizes: Sequence[int], quiet: bool, progress: Callable[[int, int], None]
) -> dict[str, Any]:
    from benchmarks import index_speed

    n_docs = min(max(sizes), 20_000)
    progress(0, 1)
    report = _module_report(
        index_speed.main,
        ["--data", str(data), "--n-docs", str(n_docs), "--queries", str(min(2000, n_docs))],
        "index_speed",
        quiet,
    )
    progress(1, 1)
    return report
