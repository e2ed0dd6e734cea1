"""Where the time of ``storymatch dedup`` goes, stage by stage, in a fresh process.

Run::

    python -m benchmarks.dedup_stages [--data ../shared/data] [--size 100000] [--repeat 3]

A corpus is built from ``news_pool`` as :mod:`benchmarks.dedup_cli` builds it (same seed, same
text), and then, ``--repeat`` times, a fresh interpreter does what ``storymatch dedup CORPUS -o
OUT`` does with its defaults, timing each step: the imports of the command, the first call of
a compiled kernel (numba loads its cache), reading and validating the JSON lines, the stages
that :class:`~storymatch.dedup.NearDuplicateClusterer` times itself (``stage_seconds_``) and
writing the output. For each step the wall time and the CPU time of the process (all threads)
are reported, as the median of the runs. The child sets ``OMP_WAIT_POLICY=PASSIVE`` as the
command line does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ROOT = Path(__file__).resolve().parents[1]


def child(corpus: Path, output: Path) -> dict[str, tuple[float, float | None]]:
    """Run the steps of ``storymatch dedup`` in this (fresh) process; return (wall, CPU) each."""
    import time

    laps: dict[str, tuple[float, float | None]] = {}
    last = [time.perf_counter(), time.process_time()]

    def lap(name: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        laps[name] = (now[0] - last[0], now[1] - last[1])
        last[:] = now

    import numpy as np

    from storymatch.cli import commands  # noqa: F401 - what the command imports
    from storymatch.dedup import NearDuplicateClusterer
    from storymatch.io import read_articles, write_lines
    from storymatch.io.writers import dedup_lines
    from storymatch.text.shingles import shingle_batch

    lap("imports")
    shingle_batch(["load the compiled kernels"])
    NearDuplicateClusterer().fit(["one two three four five six", "one two three four five six"])
    lap("kernel load")
    articles = list(read_articles(corpus).articles)
    lap("read")
    clusterer = NearDuplicateClusterer().fit(articles)
    lap("fit")
    write_lines(
        output,
        dedup_lines(
            (a.id for a in articles),
            clusterer.groups_,
            clusterer.labels_,
            np.asarray(clusterer.similarities_),
        ),
    )
    lap("write")
    ordered = {name: laps[name] for name in ("imports", "kernel load", "read")}
    for name, seconds in clusterer.stage_seconds_.items():
        ordered[f"fit: {name}"] = (seconds, None)  # the clusterer times wall only
    ordered["fit (all stages)"] = laps["fit"]
    ordered["write"] = laps["write"]
    return ordered


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def main(argv: Sequence[str] | None = None) -> int:
    """Build the corpus, time ``--repeat`` fresh processes, print and save the table."""
    parser = argparse.ArgumentParser(description="stage times of storymatch dedup")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--child", nargs=2, type=Path, metavar=("CORPUS", "OUT"))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0

    from benchmarks.corpus import build_corpus
    from benchmarks.results import machine, write_results
    from storymatch.io import write_jsonl

    runs: list[dict[str, list[float | None]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_jsonl(corpus, build_corpus(args.size, data_dir=args.data, seed=0)[0])
        env = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "PASSIVE")}
        command = [sys.executable, "-m", "benchmarks.dedup_stages", "--child"]
        for _ in range(args.repeat):
            proc = subprocess.run(
                [*command, str(corpus), str(Path(tmp) / "out.jsonl")],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
                env=env,
            )
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    names = list(runs[0])
    rows = {
        name: (_median(run[name][0] for run in runs), _median(run[name][1] for run in runs))
        for name in names
    }
    lines = [
        f"| step ({args.size:,} documents, median of {args.repeat}) | wall (s) | CPU (s) |",
        "|---|---:|---:|",
    ]
    for name, (wall, cpu) in rows.items():
        lines.append(f"| {name} | {wall:.2f} | {'' if cpu is None else f'{cpu:.2f}'} |")
    text = "\n".join(lines) + "\n"
    report = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "size": args.size,
        "repeat": args.repeat,
        "steps": {name: {"wall_s": w, "cpu_s": c} for name, (w, c) in rows.items()},
    }
    write_results(args.out, report["date"], "dedup_stages", report, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
