"""Speed and memory of near-duplicate grouping at scale, against the datasketch anchor.

Run from the repository root::

    python -m benchmarks.dedup_speed [--data ../shared/data] [--sizes 10000,100000]
        [--out benchmarks/results] [--skip-anchor-above N] [--repeat 1] [--no-stages]

For each size a corpus is built with :func:`benchmarks.corpus.build_corpus` (real news text,
20 % planted syndicated copies; not timed). Then each pipeline runs end to end, from texts to
groups, in its own forked child process:

``storymatch``
    ``NearDuplicateClusterer().fit(articles)`` with its defaults (Jaccard 0.5 or containment
    0.85 on word 5-grams, widget stripping, chaining guard).
``storymatch-anchor-config``
    The same clusterer configured like the anchor: ``threshold=0.3,
    containment_threshold=None, strip_boilerplate=False`` (like for like).
``datasketch``
    The anchor, :func:`benchmarks.baselines.datasketch_dedup` with ``threshold=0.3``: word
    5-grams, ``MinHash.bulk``, ``MinHashLSH``, exact Jaccard check, union-find.

Each child first warms up (imports; numba kernels loaded from their on-disk cache by a fit on a
tiny corpus), then records its resident set size, runs the pipeline under
:func:`time.perf_counter`, and reports the wall time, the peak resident set size above that
baseline (``VmHWM - VmRSS`` from ``/proc/self/status``, the peak being reset first through
``/proc/self/clear_refs``) and the labels, which the parent scores against the gold copy groups
(ARI, B-cubed, pairwise), so speed is never bought with quality.

Separately, two fresh interpreters measure numba's start-up cost: one with ``NUMBA_CACHE_DIR``
pointing at an empty folder (cold: every kernel compiles) and one with the normal cache (warm).
For the largest size, a further child reports the stage times that
``NearDuplicateClusterer.fit`` measures itself (``stage_seconds_``; ``--no-stages`` skips it).

Results go to ``<out>/<YYYY-MM-DD>/dedup_speed.{json,md}``; the Markdown table is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.corpus import build_corpus, fingerprint, parse_corpus_sizes
from benchmarks.results import growth_exponents, machine, package_versions, write_results
from benchmarks.timing import in_child, measure_peak
from storymatch.evaluate import evaluate_clustering
from storymatch.models import Article

__all__ = ["ANCHOR", "TOOLS", "main", "score_labels", "to_markdown"]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "benchmarks" / "results"
ANCHOR = "datasketch"

TOOLS: dict[str, str] = {
    "storymatch": "NearDuplicateClusterer() (defaults)",
    "storymatch-anchor-config": (
        "NearDuplicateClusterer(threshold=0.3, containment_threshold=None, strip_boilerplate=False)"
    ),
    ANCHOR: "datasketch_dedup(texts, threshold=0.3) (MinHashLSH, exact check, union-find)",
}
"""The measured pipelines, by name, with what each one runs."""

_COMPILE_SNIPPET = """\
import json, time
t0 = time.perf_counter()
from storymatch.dedup import NearDuplicateClusterer
t1 = time.perf_counter()
from benchmarks.dedup_speed import tiny_corpora
corpora = tiny_corpora()
t2 = time.perf_counter()
for texts in corpora:
    NearDuplicateClusterer().fit(texts)
t3 = time.perf_counter()
for texts in corpora:
    NearDuplicateClusterer().fit(texts)
t4 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_fit_s": t3 - t2, "second_fit_s": t4 - t3}))
"""


# ---------------------------------------------------------------------------------- helpers
def tiny_corpora() -> list[list[str]]:
    """Return two tiny corpora with copies, one ASCII and one not, to warm up every kernel.

    Batches are laid out as uint8 code points when all ASCII and as uint32 otherwise, and the
    kernels are compiled for each, so a warm-up needs both.
    """
    words = [
        *("council", "budget", "river", "bridge", "school", "market", "energy", "price"),
        *("report", "minister", "vote", "harbor", "season", "court", "ruling", "storm"),
        *("airport", "union", "wages", "tax", "rally"),
    ]
    texts = []
    for k in range(12):
        sentence = " ".join(words[(k * 7 + i * 3) % len(words)] for i in range(30))
        texts.append(f"Headline number {k}\n\n{sentence}. {sentence[::-1]}.")
    copies = [f"Skip to content\n\n{t}\n\nShare this: Facebook Twitter Email" for t in texts[:6]]
    ascii_corpus = texts + copies
    unicode_corpus = [t.replace("price", "prix").replace("tax", "taxe à 5 €") for t in ascii_corpus]
    return [ascii_corpus, unicode_corpus]


_VERSIONS = ("storymatch", "numpy", "numba", "llvmlite", "datasketch", "scipy", "rapidfuzz")


def _machine() -> dict[str, Any]:
    return {
        **machine(),
        "python": platform.python_version(),
        "numba_threads_env": os.environ.get("NUMBA_NUM_THREADS"),
        **package_versions(_VERSIONS, missing="not installed"),
    }


# ---------------------------------------------------------------------------------- pipelines
def _storymatch(articles: Sequence[Article], **params: Any) -> tuple[Any, dict[str, Any]]:
    from storymatch.dedup import NearDuplicateClusterer

    clusterer = NearDuplicateClusterer(**params).fit(articles)
    stats = clusterer.stats_
    details = {
        "n_candidates": stats.n_candidates,
        "n_verified": stats.n_verified,
        "n_chain_splits": stats.n_chain_splits,
        "bands": stats.bands,
        "rows": stats.rows,
    }
    return clusterer.labels_, details


def _datasketch(articles: Sequence[Article]) -> tuple[Any, dict[str, Any]]:
    from benchmarks.baselines import datasketch_dedup, datasketch_lsh_params

    labels = datasketch_dedup([a.text for a in articles], threshold=0.3)
    bands, rows = datasketch_lsh_params(0.3, 128)
    return labels, {"bands": bands, "rows": rows}


def _pipeline(tool: str) -> Callable[[Sequence[Article]], tuple[Any, dict[str, Any]]]:
    if tool == "storymatch":
        return _storymatch
    if tool == "storymatch-anchor-config":
        return lambda articles: _storymatch(
            articles, threshold=0.3, containment_threshold=None, strip_boilerplate=False
        )
    if tool == ANCHOR:
        return _datasketch
    msg = f"Unknown tool {tool!r}; choose from {sorted(TOOLS)}."
    raise ValueError(msg)


def _warm_up(tool: str) -> None:
    """Import and run the pipeline once on tiny corpora (numba kernels from the disk cache)."""
    run = _pipeline(tool)
    for texts in tiny_corpora():
        run([Article(id=str(i), text=t) for i, t in enumerate(texts)])


# ---------------------------------------------------------------------------------- stages
def _storymatch_stages(articles: Sequence[Article]) -> tuple[Any, dict[str, Any]]:
    """Fit with the defaults and report the stage times that ``fit`` measures itself."""
    from storymatch.dedup import NearDuplicateClusterer

    clusterer = NearDuplicateClusterer().fit(articles)
    details = {
        "stages_s": {k: round(v, 4) for k, v in clusterer.stage_seconds_.items()},
        "n_candidates": clusterer.stats_.n_candidates,
        "n_verified": clusterer.stats_.n_verified,
    }
    return clusterer.labels_, details


# ---------------------------------------------------------------------------------- children
def _run_measured(tool: str, articles: Sequence[Article]) -> dict[str, Any]:
    """Body of a forked child: warm up, then measure one run of the pipeline."""
    run: Callable[[Sequence[Article]], tuple[Any, dict[str, Any]]]
    if tool == "storymatch-stages":
        _warm_up("storymatch")
        run = _storymatch_stages
    else:
        _warm_up(tool)
        run = _pipeline(tool)
    (labels, details), peak = measure_peak(lambda: run(articles))
    if tool.startswith("storymatch"):
        import numba

        details["numba_threading_layer"] = numba.threading_layer()  # type: ignore[attr-defined]
        details["numba_threads"] = numba.get_num_threads()
    return {
        "seconds": peak.seconds,
        "peak_extra_bytes": peak.peak_extra_bytes,
        "baseline_rss_bytes": peak.baseline_rss_bytes,
        "peak_reset": peak.peak_reset,
        "labels": np.asarray(labels, dtype=np.int64),
        "details": details,
    }


def _measure(tool: str, articles: Sequence[Article]) -> dict[str, Any]:
    """Run one pipeline in a forked child process and return its measurements."""
    return in_child(lambda: _run_measured(tool, articles))


def _compile_times() -> dict[str, Any]:
    """Time numba's cold compile and warm cache load in fresh interpreters."""
    out: dict[str, Any] = {}
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory(prefix="numba-cold-") as cache:
        runs = (
            ("prime warm cache", env),
            ("cold", {**env, "NUMBA_CACHE_DIR": cache}),
            ("warm", env),
        )
        for name, run_env in runs:
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", _COMPILE_SNIPPET],
                env=run_env,
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            wall = time.perf_counter() - start
            if name == "prime warm cache":
                continue
            timings = json.loads(done.stdout.strip().splitlines()[-1])
            out[name] = {k: round(v, 3) for k, v in timings.items()} | {
                "process_wall_s": round(wall, 3)
            }
    return out


# ---------------------------------------------------------------------------------- report
def score_labels(gold: Sequence[str], labels: np.ndarray[Any, Any]) -> dict[str, Any]:
    scores = evaluate_clustering(gold, labels.tolist())
    sizes = np.bincount(np.unique(labels, return_inverse=True)[1])
    return {
        "ari": round(scores.ari, 4),
        "bcubed_f1": round(scores.bcubed.f1, 4),
        "pairwise_precision": round(scores.pairwise.precision, 4),
        "pairwise_recall": round(scores.pairwise.recall, 4),
        "pairwise_f1": round(scores.pairwise.f1, 4),
        "n_groups": int(sizes.shape[0]),
        "n_multi_groups": int(np.count_nonzero(sizes > 1)),
    }


def _fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def to_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    s = report["settings"]
    lines = [
        f"## Near-duplicate grouping speed ({report['date']})",
        "",
        f"Machine: {m['cpu']}, {m['usable_cores']} usable cores, {m['memory_gb']} GB, "
        f"{m['platform']}; Python {m['python']}, numpy {m['numpy']}, numba {m['numba']}, "
        f"datasketch {m['datasketch']}, storymatch {m['storymatch']}.",
        "",
        f"Corpus: `build_corpus(n, seed={s['seed']}, copy_rate={s['copy_rate']})` from "
        "`news_pool` (real articles, then documents recombined from real sentences, plus "
        "planted syndicated copies). Every pipeline runs end to end from texts to groups in a "
        f"forked child after a warm-up; times are the median of {s['repeat']} run(s). "
        "Peak extra memory is the child's peak RSS above its RSS before the run.",
        "",
        "| docs | pipeline | time (s) | docs/s | speed vs datasketch | peak extra (MB) "
        "| groups | groups > 1 | ARI | B³ F1 | pair P | pair R |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in report["sizes"]:
        for tool, r in size["results"].items():
            if not r.get("ok"):
                lines.append(f"| {size['n_docs']:,} | {tool} | {r.get('error', 'skipped')} |")
                continue
            ratio = r.get("speed_vs_anchor")
            lines.append(
                f"| {size['n_docs']:,} | {tool} | {r['seconds']:.2f} | {r['docs_per_s']:,.0f} "
                f"| {_fmt(ratio, '.2f')}{'x' if ratio is not None else ''} "
                f"| {r['peak_extra_mb']:,.0f} | {r['n_groups']:,} | {r['n_multi_groups']:,} "
                f"| {r['ari']:.3f} | {r['bcubed_f1']:.3f} | {r['pairwise_precision']:.3f} "
                f"| {r['pairwise_recall']:.3f} |"
            )
    lines.append("")
    gold = ", ".join(
        f"{x['n_docs']:,} docs: {x['gold_groups']:,} gold groups ({x['gold_multi_groups']:,} "
        f"with copies), fingerprint `{x['fingerprint'][:16]}`"
        for x in report["sizes"]
    )
    lines.append(f"Gold: {gold}.")
    growth = report["growth_exponent"]
    if any(v is not None for v in growth.values()):
        first, last = report["sizes"][0]["n_docs"], report["sizes"][-1]["n_docs"]
        parts = ", ".join(f"{t} {_fmt(v, '.2f')}" for t, v in growth.items())
        lines += ["", f"Time growth exponent from {first:,} to {last:,} docs: {parts}."]
    compile_ = report.get("numba_compile")
    if compile_:
        cold, warm = compile_["cold"], compile_["warm"]
        lines += [
            "",
            "Start-up, fresh interpreter, first fits of two tiny corpora: cold numba cache "
            f"{cold['first_fit_s']:.2f} s (import {cold['import_s']:.2f} s), warm cache "
            f"{warm['first_fit_s']:.2f} s (import {warm['import_s']:.2f} s); already "
            f"loaded: {warm['second_fit_s']:.3f} s. Not included in the times above.",
        ]
    stages = report.get("stages")
    if stages and stages.get("ok"):
        total = stages["seconds"]
        lines += [
            "",
            f"storymatch stages at {stages['n_docs']:,} docs (as `fit` times them, "
            f"total {total:.2f} s; labels identical to `fit`: {stages['matches_fit']}):",
            "",
            "| stage | time (s) | share |",
            "|---|---:|---:|",
        ]
        for name, seconds in stages["details"]["stages_s"].items():
            lines.append(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- main
def _parse_tools(text: str) -> list[str]:
    tools = [t.strip() for t in text.split(",") if t.strip()]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        msg = f"--tools must be among {sorted(TOOLS)}. Got {unknown} instead."
        raise argparse.ArgumentTypeError(msg)
    return tools


def _run_size(n_docs: int, args: argparse.Namespace, *, stages: bool) -> dict[str, Any]:
    start = time.perf_counter()
    articles, gold = build_corpus(
        n_docs, data_dir=args.data, seed=args.seed, copy_rate=args.copy_rate
    )
    build_s = time.perf_counter() - start
    gold_sizes = np.unique(gold, return_counts=True)[1]
    size: dict[str, Any] = {
        "n_docs": n_docs,
        "fingerprint": fingerprint(articles),
        "corpus_build_s": round(build_s, 2),
        "mean_chars": round(statistics.fmean(len(a.text) for a in articles), 1),
        "gold_groups": int(gold_sizes.shape[0]),
        "gold_multi_groups": int(np.count_nonzero(gold_sizes > 1)),
        "results": {},
    }
    print(f"[{n_docs:,} docs] corpus built in {build_s:.1f} s", file=sys.stderr)
    fit_labels = None
    for tool in args.tools:
        skip = args.skip_anchor_above
        if tool == ANCHOR and skip is not None and n_docs > skip:
            size["results"][tool] = {"ok": False, "error": f"skipped (> {skip:,} docs)"}
            continue
        runs = [_measure(tool, articles) for _ in range(args.repeat)]
        failed = [r for r in runs if not r["ok"]]
        if failed:
            size["results"][tool] = failed[0]
            print(f"[{n_docs:,} docs] {tool}: {failed[0]['error']}", file=sys.stderr)
            continue
        seconds = statistics.median(r["seconds"] for r in runs)
        labels = runs[0]["labels"]
        if tool == "storymatch":
            fit_labels = labels
        result = {
            "ok": True,
            "seconds": round(seconds, 4),
            "all_seconds": [round(r["seconds"], 4) for r in runs],
            "docs_per_s": round(n_docs / seconds, 1),
            "peak_extra_mb": round(max(r["peak_extra_bytes"] for r in runs) / 2**20, 1),
            "baseline_rss_mb": round(runs[0]["baseline_rss_bytes"] / 2**20, 1),
            "peak_reset": all(r["peak_reset"] for r in runs),
            **score_labels(gold, labels),
            "details": runs[0]["details"],
        }
        size["results"][tool] = result
        print(
            f"[{n_docs:,} docs] {tool}: {seconds:.2f} s, ARI {result['ari']:.3f}, "
            f"peak extra {result['peak_extra_mb']:.0f} MB",
            file=sys.stderr,
        )
    anchor = size["results"].get(ANCHOR, {})
    for result in size["results"].values():
        if result.get("ok"):
            result["speed_vs_anchor"] = (
                round(anchor["seconds"] / result["seconds"], 3) if anchor.get("ok") else None
            )
    if stages:
        staged = _measure("storymatch-stages", articles)
        labels = staged.pop("labels", None)
        if staged["ok"]:
            staged["seconds"] = round(staged["seconds"], 4)
            staged["peak_extra_mb"] = round(staged.pop("peak_extra_bytes") / 2**20, 1)
            staged["matches_fit"] = (
                None if fit_labels is None else bool(np.array_equal(labels, fit_labels))
            )
            print(f"[{n_docs:,} docs] stages: {staged['details']['stages_s']}", file=sys.stderr)
        size["stages"] = {"n_docs": n_docs, **staged}
    return size


def main(argv: Sequence[str] | None = None) -> None:
    """Measure storymatch against the datasketch anchor at several corpus sizes.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        Command-line arguments (``sys.argv[1:]`` when None).
    """
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.dedup_speed",
        description="Speed, memory and quality of near-duplicate grouping at scale.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="folder holding news_pool/docs.jsonl.gz (default: %(default)s)",
    )
    parser.add_argument(
        "--sizes",
        type=parse_corpus_sizes,
        default=parse_corpus_sizes("10000,100000"),
        help="corpus sizes, comma-separated (default: 10000,100000)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="results folder (default: %(default)s)"
    )
    parser.add_argument(
        "--skip-anchor-above",
        type=int,
        default=None,
        metavar="N",
        help="do not run the datasketch anchor on corpora larger than N documents",
    )
    parser.add_argument(
        "--tools",
        type=_parse_tools,
        default=list(TOOLS),
        help=f"pipelines to run, comma-separated (default: {','.join(TOOLS)})",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per pipeline and size")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    parser.add_argument(
        "--copy-rate", type=float, default=0.2, help="share of planted copies (default: 0.2)"
    )
    parser.add_argument(
        "--no-stages",
        action="store_true",
        help="skip the stage-by-stage timing of storymatch at the largest size",
    )
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help="skip the numba cold/warm start-up measurement",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be >= 1. Got {args.repeat} instead.")

    today = dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {
        "benchmark": "dedup_speed",
        "date": today.strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python -m benchmarks.dedup_speed "
        + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": _machine(),
        "settings": {
            "sizes": args.sizes,
            "seed": args.seed,
            "copy_rate": args.copy_rate,
            "repeat": args.repeat,
            "skip_anchor_above": args.skip_anchor_above,
            "data": str(args.data),
            "pipelines": {tool: TOOLS[tool] for tool in args.tools},
        },
    }
    if not args.no_compile:
        print("numba start-up: cold and warm interpreters ...", file=sys.stderr)
        report["numba_compile"] = _compile_times()
    sizes = []
    for n_docs in args.sizes:
        stages = not args.no_stages and n_docs == args.sizes[-1]
        size = _run_size(n_docs, args, stages=stages)
        if "stages" in size:
            report["stages"] = size.pop("stages")
        sizes.append(size)
    report["sizes"] = sizes
    report["growth_exponent"] = growth_exponents(sizes, args.tools)

    markdown = to_markdown(report)
    json_path, md_path = write_results(
        args.out, today.strftime("%Y-%m-%d"), "dedup_speed", report, markdown
    )
    print(markdown)
    print(f"wrote {json_path} and {md_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
