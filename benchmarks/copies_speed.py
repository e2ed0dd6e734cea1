"""Cost of ``storymatch copies`` against ``storymatch dedup`` on the same corpus (issue 14).

Run::

    python -m benchmarks.copies_speed [--data ../shared/data] [--sizes 10k,100k] [--out DIR]

For each size a corpus with planted copies is built from ``news_pool`` (the seeded builder of
the speed benchmark, :func:`benchmarks.corpus.build_corpus`, seed 0, a fifth of the documents
copies) and written to a JSONL file; then, in the same run, two commands run as separate
processes, so that start-up, imports, reading and writing count for both:

- ``storymatch -q dedup CORPUS -o OUT`` (the anchor);
- ``storymatch -q copies CORPUS -o OUT``: the same grouping, then every group's original and
  its copies' edits (:func:`storymatch.copy_edits`).

Both commands run once on a small corpus first (numba's compiled kernels go to their on-disk
cache, the files to the page cache), then ``--repeat`` turns, each running both commands
(``dedup`` first in the first, third, ... turn, ``copies`` first in the others), so that a
change in the machine's load hits both alike and neither always runs second. The figure the
issue bounds (at most 2 on the 100k corpus) is the median of the turns' ratios ``copies / dedup``
(wall time); the median wall and CPU seconds (user and system, the command's and its
children's) of each command, the median ratio of their CPU seconds, the peak resident memory
of each child (``ru_maxrss``) and the machine's load average (1 minute, before the first turn
and after the last) are reported too. ``--jobs N`` passes ``--jobs N`` to ``copies``. The
result goes to ``<out>/<date>/copies_speed.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.corpus import parse_corpus_sizes
from benchmarks.results import cpu_model, usable_cores, write_results
from benchmarks.timing import run_process

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ("dedup", "copies")


def run_command(command: Sequence[str]) -> dict[str, Any]:
    """Run one command in a fresh process; return its wall seconds and peak RSS (MB)."""
    return run_process(command, cwd=ROOT)


def command(name: str, corpus: Path, out: Path, jobs: int | None = None) -> list[str]:
    """Return the ``storymatch NAME`` command line on ``corpus``, writing ``out``."""
    storymatch = str(Path(sys.executable).with_name("storymatch"))
    extra = ["--jobs", str(jobs)] if jobs is not None and name == "copies" else []
    return [storymatch, "-q", name, str(corpus), "-o", str(out), *extra]


def load_average() -> float | None:
    """Return the machine's load average over the last minute (None where it is not known)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def measure(corpus: Path, folder: Path, repeat: int, jobs: int | None = None) -> dict[str, Any]:
    """Time both commands on one corpus in turns; return the medians and the turns' ratios."""
    load_before = load_average()
    # the commands take turns going first: on a machine whose speed drifts, or that runs a
    # second process faster than a first, neither is favoured by always running second
    turns = [
        {
            name: run_command(command(name, corpus, folder / f"{name}.jsonl", jobs))
            for name in (COMMANDS if k % 2 == 0 else COMMANDS[::-1])
        }
        for k in range(repeat)
    ]
    load_after = load_average()
    with (folder / "copies.jsonl").open(encoding="utf-8") as fh:
        copies = sum(1 for _ in fh)
    ratios = [t["copies"]["seconds"] / t["dedup"]["seconds"] for t in turns]
    cpu_ratios = [t["copies"]["cpu_seconds"] / t["dedup"]["cpu_seconds"] for t in turns]
    row: dict[str, Any] = {}
    for name in COMMANDS:
        row[f"{name}_s"] = round(statistics.median(t[name]["seconds"] for t in turns), 2)
        row[f"{name}_cpu_s"] = round(statistics.median(t[name]["cpu_seconds"] for t in turns), 2)
        row[f"{name}_peak_rss_mb"] = max(t[name]["peak_rss_mb"] for t in turns)
    return {
        **row,
        "ratio": round(statistics.median(ratios), 2),
        "ratios": [round(x, 2) for x in ratios],
        "cpu_ratio": round(statistics.median(cpu_ratios), 2),
        "load_average": [load_before, load_after],
        "copies_found": copies,
    }


def machine() -> str:
    """Describe the machine: architecture, usable cores, CPU model, Python."""
    return (
        f"{platform.machine()}, {usable_cores()} cores, {cpu_model()}, "
        f"Python {platform.python_version()}"
    )


def to_markdown(report: dict[str, Any]) -> str:
    """Return the rows as a Markdown table."""
    lines = [
        "| documents | storymatch dedup (s) | storymatch copies (s) | copies / dedup "
        "| CPU dedup / copies (s) | CPU copies / dedup | peak RSS dedup / copies (MB) "
        "| load average | copies found |",
        "|---:|---:|---:|---:|---|---:|---|---|---:|",
    ]
    lines += [
        f"| {r['documents']:,} | {r['dedup_s']} | {r['copies_s']} | {r['ratio']}x "
        f"({', '.join(str(x) for x in r['ratios'])}) | {r['dedup_cpu_s']} / {r['copies_cpu_s']} "
        f"| {r['cpu_ratio']}x | {r['dedup_peak_rss_mb']} / {r['copies_peak_rss_mb']} "
        f"| {r['load_average'][0]} → {r['load_average'][1]} | {r['copies_found']:,} |"
        for r in report["rows"]
    ]
    jobs = f"; copies --jobs {report['jobs']}" if report.get("jobs") is not None else ""
    return (
        "\n".join(lines)
        + f"\n\n{report['date']}, {report['machine']}; medians of {report['repeat']} turns"
        + f" (the turns' ratios in brackets){jobs}.\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build the corpora, time both commands on each, print and write the table."""
    from benchmarks.corpus import build_corpus
    from storymatch.io import write_jsonl

    parser = argparse.ArgumentParser(description="storymatch copies vs storymatch dedup")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=parse_corpus_sizes, default=[10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to storymatch copies")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="storymatch-copies-speed-") as tmp:
        folder = Path(tmp)
        small = folder / "small.jsonl"
        write_jsonl(small, build_corpus(500, data_dir=args.data, seed=1)[0])
        for name in COMMANDS:
            run_command(command(name, small, folder / "warm.jsonl"))
        for size in args.sizes:
            corpus = folder / f"corpus-{size}.jsonl"
            write_jsonl(corpus, build_corpus(size, data_dir=args.data, seed=0)[0])
            row = {
                "documents": size,
                **measure(corpus, folder, max(1, args.repeat), args.jobs),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
            corpus.unlink()
    report = {
        "benchmark": "copies_speed",
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "repeat": max(1, args.repeat),
        "jobs": args.jobs,
        "rows": rows,
    }
    text = to_markdown(report)
    write_results(args.out, report["date"], "copies_speed", report, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
