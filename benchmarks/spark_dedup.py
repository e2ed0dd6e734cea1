"""The Spark engine in local mode against the local engine, on the same corpus.

Run from the repository root (needs ``pip install -e . --group spark`` and Java)::

    python -m benchmarks.spark_dedup [--data ../shared/data] [--sizes 10000,100000]
        [--master local[2]] [--out benchmarks/results] [--repeat 1]

For each size a corpus is built with :func:`benchmarks.corpus.build_corpus` (real news text,
20 % planted syndicated copies) and written to a Parquet file (neither is timed). Then:

``local``
    ``NearDuplicateClusterer().fit(articles)`` in this process, after a warm-up (numba kernels
    loaded from their cache).
``spark``
    ``storymatch.dedup.spark.find_duplicates(spark.read.parquet(path))`` on one ``--master``
    session, after a warm-up run on a small corpus that starts the Python workers and loads the
    kernels there. The function is eager: the time runs from reading the Parquet file to the
    checkpointed result. Session start-up is reported on its own.

Both results are compared document by document (group id, representative, similarity): the
``identical`` column. The ratio is Spark time over local time (above 1: Spark is slower), and
the report fits the scaling model of ``docs/spark.md`` to the measured sizes.

Results go to ``<out>/<YYYY-MM-DD>/spark_dedup.{json,md}``; the Markdown table is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.corpus import build_corpus, fingerprint, parse_corpus_sizes
from benchmarks.results import cpu_model, package_versions, usable_cores, write_results
from benchmarks.timing import timed
from storymatch.dedup import NearDuplicateClusterer
from storymatch.models import Article

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "benchmarks" / "results"
WARM_UP_DOCS = 2000


class _StageCapture(logging.Handler):
    """Keep the stage times that ``storymatch.dedup.spark`` logs at the end of each run."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.stages: dict[str, float] = {}
        self.rounds = 0

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if not isinstance(args, tuple) or not args:
            return
        if hasattr(args[-1], "seconds"):
            self.stages = {k: round(v, 3) for k, v in args[-1].seconds.items()}
        elif str(record.msg).startswith("connected components"):
            self.rounds = int(str(args[0]))


def _machine() -> dict[str, Any]:
    names = ("storymatch", "numpy", "numba", "pyspark", "pandas", "pyarrow")
    return {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "usable_cores": usable_cores(),
        "python": platform.python_version(),
        **package_versions(names, missing="not installed"),
    }


def _write_parquet(articles: Sequence[Article], path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "id": [a.id for a in articles],
            "text": [a.text for a in articles],
            "date": [a.date for a in articles],
        }
    )
    frame.to_parquet(path, row_group_size=20_000)


def _local(articles: Sequence[Article]) -> tuple[float, dict[str, Any], NearDuplicateClusterer]:
    seconds, model = timed(lambda: NearDuplicateClusterer().fit(articles))
    return seconds, {"candidates": model.stats_.n_candidates}, model


def _rows(articles: Sequence[Article], model: NearDuplicateClusterer) -> dict[str, tuple[Any, ...]]:
    sims = np.round(model.similarities_, 6).tolist()
    return {
        a.id: (g.id, g.representative, s)
        for a, g, s in zip(articles, model.document_groups(), sims, strict=True)
    }


def _spark_run(spark: Any, path: Path) -> tuple[float, Any]:
    from storymatch.dedup.spark import find_duplicates

    def run() -> Any:
        result = find_duplicates(spark.read.parquet(str(path)))
        result.count()
        return result

    return timed(run)


def _session(master: str, memory: str, partitions: int) -> tuple[Any, float]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    start = time.perf_counter()
    spark = (
        SparkSession.builder.master(master)
        .appName("storymatch-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(partitions))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.range(1).count()
    return spark, time.perf_counter() - start


def _fit_model(size: dict[str, Any], cores: int) -> dict[str, Any] | None:
    """Per-document and per-pair core time from the stage times of one run.

    The model is ``t = t_fixed + (n * c_doc + P * c_pair) / cores``: hashing, the bucket
    shuffle and the group stage grow with the documents, verification with the candidate
    pairs, and the rest (record checks, component rounds) is mostly per-job overhead.
    """
    stages = size.get("stages")
    if not stages or not size["candidates"]:
        return None
    per_doc = stages["hash"] + stages["candidates"] + stages["groups"]
    return {
        "n_docs": size["n_docs"],
        "fixed_s": round(stages["check"] + stages["components"], 2),
        "core_us_per_doc": round(per_doc * cores / size["n_docs"] * 1e6, 1),
        "core_us_per_pair": round(stages["verify"] * cores / size["candidates"] * 1e6, 1),
        "pairs_per_doc": round(size["candidates"] / size["n_docs"], 2),
        "local_us_per_doc": round(size["local_s"] / size["n_docs"] * 1e6, 1),
        "cores": cores,
    }


def to_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    s = report["settings"]
    lines = [
        f"## Spark engine in local mode against the local engine ({report['date']})",
        "",
        f"Machine: {m['cpu']}, {m['usable_cores']} usable cores, {m['platform']}; Python "
        f"{m['python']}, pyspark {m['pyspark']}, pandas {m['pandas']}, pyarrow {m['pyarrow']}, "
        f"numba {m['numba']}, storymatch {m['storymatch']}.",
        "",
        f"Corpus: `build_corpus(n, seed={s['seed']})` from `news_pool`, written to Parquet. "
        f"local: `NearDuplicateClusterer().fit(articles)` in process; spark: "
        f"`find_duplicates(spark.read.parquet(path))` on `{s['master']}` "
        f"(driver memory {s['driver_memory']}, {s['shuffle_partitions']} shuffle partitions), "
        f"from reading to the checkpointed result. Session start-up "
        f"{report['spark_startup_s']:.1f} s and a {WARM_UP_DOCS:,}-document warm-up run "
        f"({report['spark_warm_up_s']:.1f} s) are not included. Median of {s['repeat']} run(s).",
        "",
        "| docs | local (s) | spark (s) | spark / local | local docs/s | spark docs/s "
        "| candidate pairs | identical |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in report["sizes"]:
        lines.append(
            f"| {size['n_docs']:,} | {size['local_s']:.2f} | {size['spark_s']:.2f} "
            f"| {size['ratio']:.1f}x | {size['n_docs'] / size['local_s']:,.0f} "
            f"| {size['n_docs'] / size['spark_s']:,.0f} | {size['candidates']:,} "
            f"| {'yes' if size['identical'] else 'NO'} |"
        )
    last = report["sizes"][-1]
    if last.get("stages"):
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in last["stages"].items())
        lines += [
            "",
            f"Spark stages at {last['n_docs']:,} docs: {stages}; connected components took "
            f"{last['component_rounds']} large-star/small-star round(s).",
        ]
    model = report.get("model")
    if model:
        lines += [
            "",
            f"Scaling model from the stage times at {model['n_docs']:,} docs: t_spark ≈ "
            f"{model['fixed_s']:.1f} s + (n * {model['core_us_per_doc']:.0f} µs + P * "
            f"{model['core_us_per_pair']:.0f} µs) / cores, P = candidate pairs "
            f"({model['pairs_per_doc']:.1f} per document here), {model['cores']} cores; the "
            f"local engine took {model['local_us_per_doc']:.0f} µs per document. A model, not a "
            "promise: see docs/spark.md for what it leaves out.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    """Time the Spark engine (local mode) against the local engine at several sizes.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        Command-line arguments (``sys.argv[1:]`` when None).
    """
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.spark_dedup",
        description="The Spark engine in local mode against the local engine.",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument(
        "--sizes",
        type=parse_corpus_sizes,
        default=parse_corpus_sizes("10000,100000"),
        help="corpus sizes",
    )
    parser.add_argument("--master", default="local[2]", help="Spark master (local[2])")
    parser.add_argument("--driver-memory", default="4g", help="spark.driver.memory (4g)")
    parser.add_argument("--shuffle-partitions", type=int, default=8, help="(8)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per engine and size")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder")
    args = parser.parse_args(argv)

    today = dt.datetime.now(dt.UTC)
    capture = _StageCapture()
    logging.getLogger("storymatch.dedup.spark").addHandler(capture)
    logging.getLogger("storymatch.dedup.spark").setLevel(logging.INFO)
    spark, startup = _session(args.master, args.driver_memory, args.shuffle_partitions)
    cores = int(spark.sparkContext.defaultParallelism)
    report: dict[str, Any] = {
        "benchmark": "spark_dedup",
        "date": today.strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m benchmarks.spark_dedup "
        + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": _machine(),
        "settings": {
            "sizes": args.sizes,
            "seed": args.seed,
            "master": args.master,
            "driver_memory": args.driver_memory,
            "shuffle_partitions": args.shuffle_partitions,
            "repeat": args.repeat,
        },
        "spark_startup_s": round(startup, 2),
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="storymatch-spark-bench-") as tmp:
        warm, _ = build_corpus(WARM_UP_DOCS, data_dir=args.data, seed=args.seed + 1)
        _write_parquet(warm, Path(tmp) / "warm.parquet")
        NearDuplicateClusterer().fit(warm)
        report["spark_warm_up_s"] = round(_spark_run(spark, Path(tmp) / "warm.parquet")[0], 2)
        print(
            f"spark: start-up {startup:.1f} s, warm-up {report['spark_warm_up_s']:.1f} s",
            file=sys.stderr,
        )
        for n_docs in args.sizes:
            articles, _ = build_corpus(n_docs, data_dir=args.data, seed=args.seed)
            path = Path(tmp) / f"corpus-{n_docs}.parquet"
            _write_parquet(articles, path)
            local_runs = [_local(articles) for _ in range(args.repeat)]
            spark_runs = [_spark_run(spark, path) for _ in range(args.repeat)]
            expected = _rows(articles, local_runs[0][2])
            got = {
                r["id"]: (r["group"], r["representative"], r["similarity"])
                for r in spark_runs[0][1].collect()
            }
            local_s = statistics.median(r[0] for r in local_runs)
            spark_s = statistics.median(r[0] for r in spark_runs)
            size = {
                "n_docs": n_docs,
                "fingerprint": fingerprint(articles),
                "local_s": round(local_s, 3),
                "spark_s": round(spark_s, 3),
                "ratio": round(spark_s / local_s, 2),
                "candidates": local_runs[0][1]["candidates"],
                "identical": got == expected,
                "stages": dict(capture.stages),
                "component_rounds": capture.rounds,
            }
            report["sizes"].append(size)
            print(
                f"[{n_docs:,} docs] local {local_s:.2f} s, spark {spark_s:.2f} s, "
                f"identical {size['identical']}",
                file=sys.stderr,
            )
    spark.stop()
    report["model"] = _fit_model(report["sizes"][-1], cores)
    markdown = to_markdown(report)
    write_results(args.out, today.strftime("%Y-%m-%d"), "spark_dedup", report, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
