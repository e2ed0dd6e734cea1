"""Whole-process comparison: ``storymatch dedup`` against a datasketch script, as a user runs them.

Run::

    python -m benchmarks.dedup_cli [--data ../shared/data] [--sizes 50000] [--repeat 3] [--out DIR]

For each size a corpus with planted copies is built from ``news_pool`` (see
:mod:`benchmarks.corpus`) and written to a JSONL file; then two commands run as separate
processes, so that interpreter start-up, imports, reading and writing count too:

- ``storymatch dedup CORPUS -o OUT`` with its defaults;
- ``python -m benchmarks.dedup_cli --datasketch CORPUS OUT``: the script a user would write
  (word 5-grams, ``MinHash.bulk``, ``MinHashLSH`` at 0.3, exact Jaccard check, union-find,
  JSON lines out), see :func:`benchmarks.baselines.datasketch_dedup`.

Each command runs ``--repeat`` times (default 1), the two taking turns, after a warm-up run on
a small file (so numba's compiled kernels are in their on-disk cache and the file is in the
page cache for both). The median wall time and the peak resident memory of the child
(``ru_maxrss``) are reported, and the median of the ratios of the turns: on a machine shared
with other work, a ratio of two runs made one after the other is the figure that holds.

Sizes above ``--anchor-max`` (default 100,000) run storymatch alone: the datasketch script
would take half an hour at a million documents. ``python -m benchmarks.dedup_stages`` says
where storymatch's time goes.
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

from benchmarks.timing import run_process

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ROOT = Path(__file__).resolve().parents[1]


def datasketch_script(corpus: Path, output: Path) -> None:
    """Run the datasketch pipeline as a user script: read JSONL, group, write JSONL."""
    from benchmarks.baselines import datasketch_dedup

    ids: list[str] = []
    texts: list[str] = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(record["text"])
    labels = datasketch_dedup(texts, threshold=0.3)
    with output.open("w", encoding="utf-8") as fh:
        for aid, label in zip(ids, labels, strict=True):
            fh.write(json.dumps({"id": aid, "group": ids[label]}) + "\n")


def _run(command: list[str]) -> dict[str, Any]:
    got = run_process(command, cwd=ROOT)
    return {"seconds": round(got["seconds"], 2), "peak_rss_mb": got["peak_rss_mb"]}


def _commands(corpus: Path, out: Path) -> dict[str, list[str]]:
    storymatch = str(Path(sys.executable).with_name("storymatch"))
    return {
        "storymatch": [storymatch, "-q", "dedup", str(corpus), "-o", str(out)],
        "datasketch": [
            sys.executable,
            "-m",
            "benchmarks.dedup_cli",
            "--datasketch",
            str(corpus),
            str(out),
        ],
    }


def _row(result: dict[str, Any]) -> str:
    """One line of the Markdown table (dashes where datasketch did not run)."""
    if "speedup" not in result:
        return (
            f"| {result['documents']:,} | {result['storymatch_s']} | - | - "
            f"| {result['storymatch_peak_rss_mb']:.0f} / - |"
        )
    return (
        f"| {result['documents']:,} | {result['storymatch_s']} | {result['datasketch_s']} "
        f"| {result['speedup']}x | {result['storymatch_peak_rss_mb']:.0f} / "
        f"{result['datasketch_peak_rss_mb']:.0f} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the whole-process comparison (or, with --datasketch, the anchor script itself)."""
    parser = argparse.ArgumentParser(description="storymatch dedup vs a datasketch script")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="50000")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--anchor-max", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--datasketch", nargs=2, type=Path, metavar=("CORPUS", "OUT"))
    args = parser.parse_args(argv)
    if args.datasketch:
        datasketch_script(*args.datasketch)
        return 0

    from benchmarks.corpus import build_corpus
    from storymatch.io import write_jsonl

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = folder / "small.jsonl"
        write_jsonl(small, build_corpus(500, data_dir=args.data, seed=1)[0])
        for command in _commands(small, folder / "warm.jsonl").values():
            _run(command)
        for size in (int(s) for s in args.sizes.split(",")):
            corpus = folder / f"corpus-{size}.jsonl"
            write_jsonl(corpus, build_corpus(size, data_dir=args.data, seed=0)[0])
            result: dict[str, Any] = {"documents": size}
            tools = ("storymatch", "datasketch") if size <= args.anchor_max else ("storymatch",)
            # the tools take turns, so that a change in the machine's load hits both alike
            rounds = [
                {tool: _run(_commands(corpus, folder / f"{tool}.jsonl")[tool]) for tool in tools}
                for _ in range(args.repeat)
            ]
            for tool in tools:
                result[f"{tool}_s"] = statistics.median(r[tool]["seconds"] for r in rounds)
                result[f"{tool}_peak_rss_mb"] = max(r[tool]["peak_rss_mb"] for r in rounds)
            if "datasketch" in tools:
                ratios = [r["datasketch"]["seconds"] / r["storymatch"]["seconds"] for r in rounds]
                result["speedup"] = round(statistics.median(ratios), 1)
                result["speedups"] = [round(x, 1) for x in ratios]
            corpus.unlink()
            rows.append(result)
            print(json.dumps(result), flush=True)
    report = {
        "date": dt.date.today().isoformat(),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "rows": rows,
    }
    lines = [
        "| documents | storymatch (s) | datasketch script (s) | speed-up "
        "| peak RSS storymatch / datasketch (MB) |",
        "|---:|---:|---:|---:|---|",
    ]
    lines += [_row(r) for r in rows]
    text = "\n".join(lines) + "\n"
    # imported here: the datasketch script (--datasketch) must not pay for storymatch's imports
    from benchmarks.results import write_results

    write_results(args.out, report["date"], "dedup_cli", report, text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
