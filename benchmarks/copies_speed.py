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
cache, the files to the page cache), then ``--repeat`` times each, alternating, and the
fastest run of each counts. The ratio ``copies / dedup`` is the figure the issue bounds
(at most 2 on the 100k corpus). Wall time and the peak resident memory of each child
(``ru_maxrss``) are reported; the result goes to ``<out>/<date>/copies_speed.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
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


def command(name: str, corpus: Path, out: Path) -> list[str]:
    """Return the ``storymatch NAME`` command line on ``corpus``, writing ``out``."""
    storymatch = str(Path(sys.executable).with_name("storymatch"))
    return [storymatch, "-q", name, str(corpus), "-o", str(out)]


def measure(corpus: Path, folder: Path, repeat: int) -> dict[str, Any]:
    """Time both commands on one corpus, alternating; keep the fastest run of each."""
    best: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):
        for name in COMMANDS:
            got = run_command(command(name, corpus, folder / f"{name}.jsonl"))
            if name not in best or got["seconds"] < best[name]["seconds"]:
                best[name] = got
    with (folder / "copies.jsonl").open(encoding="utf-8") as fh:
        copies = sum(1 for _ in fh)
    return {
        "dedup_s": round(best["dedup"]["seconds"], 2),
        "copies_s": round(best["copies"]["seconds"], 2),
        "ratio": round(best["copies"]["seconds"] / best["dedup"]["seconds"], 2),
        "dedup_peak_rss_mb": best["dedup"]["peak_rss_mb"],
        "copies_peak_rss_mb": best["copies"]["peak_rss_mb"],
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
        "| peak RSS dedup / copies (MB) | copies found |",
        "|---:|---:|---:|---:|---|---:|",
    ]
    lines += [
        f"| {r['documents']:,} | {r['dedup_s']} | {r['copies_s']} | {r['ratio']}x | "
        f"{r['dedup_peak_rss_mb']} / {r['copies_peak_rss_mb']} | {r['copies_found']:,} |"
        for r in report["rows"]
    ]
    return (
        "\n".join(lines)
        + f"\n\n{report['date']}, {report['machine']}; fastest of {report['repeat']}.\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build the corpora, time both commands on each, print and write the table."""
    from benchmarks.corpus import build_corpus
    from storymatch.io import write_jsonl

    parser = argparse.ArgumentParser(description="storymatch copies vs storymatch dedup")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=parse_corpus_sizes, default=[10_000])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
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
            row = {"documents": size, **measure(corpus, folder, max(1, args.repeat))}
            rows.append(row)
            print(json.dumps(row), flush=True)
            corpus.unlink()
    report = {
        "benchmark": "copies_speed",
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "repeat": max(1, args.repeat),
        "rows": rows,
    }
    text = to_markdown(report)
    write_results(args.out, report["date"], "copies_speed", report, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
