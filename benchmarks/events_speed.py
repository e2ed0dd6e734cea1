"""Speed and memory of event grouping at scale, and quality among distractors.

Run::

    python -m benchmarks.events_speed [--sizes 10000,100000] [--data ../shared/data]
                                      [--distractors 5000] [--anchor-max 10000]

1. **Scale.** Corpora of each size from :func:`benchmarks.corpus.build_corpus` (real news_pool
   text with planted copies). Each pipeline runs in its own forked child process (as in
   ``benchmarks/dedup_speed.py``): wall time of one run, and peak resident memory above the
   child's resident memory before the run (``VmHWM - VmRSS``, the peak reset first).

   - ``EventClusterer``: ``EventClusterer().fit`` with its defaults (near-duplicate grouping
     included); its debug log gives the time of each stage (shown for the largest size).
   - ``tfidf+agglomerative``: the anchor of issue 4, scikit-learn TF-IDF and
     ``AgglomerativeClustering(metric="precomputed", linkage="average")`` on the cosine
     distances from the sparse product (what ``metric="cosine"`` computes, without the dense
     document-term array). It needs the dense ``n x n`` distance matrix (O(n²) memory: 0.8 GB
     at 10k, 80 GB at 100k), so it runs only up to ``--anchor-max`` documents.

2. **Distractors.** The ECB+ gold documents mixed into ``--distractors`` news_pool articles;
   B-cubed P/R/F1 on the gold documents alone (their labels from the mixed run) against the
   ECB+ run alone, and how many distractors end up in an event that holds a gold document.

Markdown goes to stdout, JSON to ``<out>/<date>/events_speed.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.corpus import build_corpus, load_pool
from benchmarks.results import cpu_model, write_results
from benchmarks.timing import in_child, measure_peak
from storymatch.evaluate import evaluate_clustering
from storymatch.events import EventClusterer
from storymatch.models import Article

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_OUT = Path("benchmarks") / "results"
ANCHOR_DISTANCE = 0.78
"""Distance threshold of the anchor (as tuned on the ECB+ dev topics by ``events_quality``)."""


# ---------------------------------------------------------------------------------- measuring
class _StageLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def _event_clusterer(articles: Sequence[Article]) -> dict[str, Any]:
    handler = _StageLog()
    log = logging.getLogger("storymatch.events")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    model = EventClusterer().fit(articles)
    log.removeHandler(handler)
    return {
        "stages": handler.records,
        "n_events": len(model.events_),
        "n_groups": len(model.groups_),
        "n_candidates": model.n_candidates_,
    }


def _anchor(articles: Sequence[Article]) -> dict[str, Any]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [(a.title or "") + "\n" + a.text for a in articles]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2).fit_transform(texts)
    # the same clustering as metric="cosine" on the dense rows, without the dense n x vocabulary
    # array: the n x n cosine distances from the sparse product (O(n²) memory either way)
    distances = 1.0 - (matrix @ matrix.T).toarray()
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=ANCHOR_DISTANCE,
    )
    labels = model.fit_predict(distances)
    return {"n_events": len(set(labels.tolist()))}


PIPELINES: dict[str, Callable[[Sequence[Article]], dict[str, Any]]] = {
    "EventClusterer": _event_clusterer,
    "tfidf+agglomerative": _anchor,
}


def _run_measured(tool: str, articles: Sequence[Article]) -> dict[str, Any]:
    """Body of a forked child: warm up, then measure one run of the pipeline."""
    # warm up both sides alike: imports (scikit-learn's take about 1 s) and lazy compiles stay
    # out of the measured run
    if tool.startswith("EventClusterer"):
        EventClusterer(min_df=1).fit([a.text for a in articles[:20]])
    else:
        import sklearn.cluster
        import sklearn.feature_extraction.text  # noqa: F401
    details, peak = measure_peak(lambda: PIPELINES[tool](articles))
    return {
        "seconds": peak.seconds,
        "peak_extra_mb": peak.peak_extra_mb,
        "peak_reset": peak.peak_reset,
        **details,
    }


def _measure(tool: str, articles: Sequence[Article]) -> dict[str, Any]:
    """Run one pipeline in a forked child process and return its measurements."""
    return in_child(lambda: _run_measured(tool, articles))


# ---------------------------------------------------------------------------------- distractors
def _load_gold(path: Path) -> tuple[list[Article], list[str]]:
    articles: list[Article] = []
    gold: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            articles.append(Article.from_dict(record))
            gold.append(str(record["cluster"]))
    return articles, gold


def distractor_experiment(data: Path, n_distractors: int, seed: int = 0) -> dict[str, Any]:
    """ECB+ gold articles mixed into news_pool distractors: quality on the gold articles."""
    gold_articles, gold = _load_gold(data / "ecbplus" / "docs.jsonl")
    pool = load_pool(data / "news_pool" / "docs.jsonl.gz")
    rng = np.random.default_rng(seed)
    picks = rng.choice(
        len(pool.articles), size=min(n_distractors, len(pool.articles)), replace=False
    )
    distractors = [
        Article(
            id=f"pool-{i}",
            text=pool.articles[i].text,
            source=pool.articles[i].source or None,
            title=pool.articles[i].title or None,
        )
        for i in sorted(picks.tolist())
    ]
    alone_start = time.perf_counter()
    alone = EventClusterer().fit_predict(gold_articles).tolist()
    alone_s = time.perf_counter() - alone_start
    mixed_articles = gold_articles + distractors
    order = rng.permutation(len(mixed_articles))
    shuffled = [mixed_articles[i] for i in order.tolist()]
    start = time.perf_counter()
    labels = EventClusterer().fit_predict(shuffled)
    mixed_s = time.perf_counter() - start
    by_id = dict(zip((a.id for a in shuffled), labels.tolist(), strict=True))
    gold_labels = [by_id[a.id] for a in gold_articles]
    gold_events = set(gold_labels)
    joined = [by_id[a.id] for a in distractors if by_id[a.id] in gold_events]
    return {
        "n_gold": len(gold_articles),
        "n_distractors": len(distractors),
        "alone": {**evaluate_clustering(gold, alone).to_dict(), "seconds": round(alone_s, 2)},
        "mixed": {
            **evaluate_clustering(gold, gold_labels).to_dict(),
            "seconds": round(mixed_s, 2),
        },
        "distractors_in_gold_events": len(joined),
        "gold_events_with_distractors": len(set(joined)),
        "n_pred_gold_events": len(gold_events),
    }


def _pool_text_check(data: Path) -> bool:
    return (data / "news_pool" / "docs.jsonl.gz").is_file()


# ---------------------------------------------------------------------------------- report
def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Machine: {report['machine']['cpu']}, {report['machine']['cores']} cores, "
        f"Python {report['machine']['python']}. Each run in a forked child; peak extra memory is "
        "the child's peak RSS above its RSS before the run.",
        "",
        "| docs | pipeline | time (s) | docs/s | peak extra (MB) | events | candidate pairs |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in report["sizes"]:
        for tool, r in row["results"].items():
            if not r.get("ok"):
                lines.append(f"| {row['n_docs']:,} | {tool} | — | — | — | {r['error']} | |")
                continue
            lines.append(
                f"| {row['n_docs']:,} | {tool} | {r['seconds']:.1f} | "
                f"{row['n_docs'] / r['seconds']:,.0f} | {r['peak_extra_mb']:,.0f} | "
                f"{r['n_events']:,} | {r.get('n_candidates', '')} |"
            )
    for row in report["sizes"]:
        ours, anchor = row["results"]["EventClusterer"], row["results"]["tfidf+agglomerative"]
        if ours.get("ok") and anchor.get("ok"):
            lines += [
                "",
                f"At {row['n_docs']:,} docs EventClusterer is "
                f"{anchor['seconds'] / ours['seconds']:.1f}x as fast as the anchor (same run).",
            ]
    if report.get("stages"):
        lines += ["", f"Stages at {report['stages']['n_docs']:,} docs (debug log):", ""]
        lines += [f"- {s}" for s in report["stages"]["log"]]
    d = report.get("distractors")
    if d:
        lines += [
            "",
            f"ECB+ gold ({d['n_gold']:,} docs) mixed into {d['n_distractors']:,} news_pool "
            "articles:",
            "",
            "| run | B³ P | B³ R | B³ F1 | ARI | s |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name in ("alone", "mixed"):
            r = d[name]
            b = r["bcubed"]
            lines.append(
                f"| {name} | {b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} | "
                f"{r['ari']:.3f} | {r['seconds']:.1f} |"
            )
        lines += [
            "",
            f"Distractors in an event holding a gold document: "
            f"{d['distractors_in_gold_events']:,} of {d['n_distractors']:,}, in "
            f"{d['gold_events_with_distractors']} of {d['n_pred_gold_events']} such events.",
        ]
    return "\n".join(lines) + "\n"


def _parse_sizes(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.events_speed")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--sizes", type=_parse_sizes, default=_parse_sizes("10000,100000"))
    parser.add_argument(
        "--anchor-max",
        type=int,
        default=10000,
        help="largest corpus the O(n²)-memory scikit-learn anchor runs on (10000)",
    )
    parser.add_argument("--distractors", type=int, default=5000, help="0 skips the experiment")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    report: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": {
            "platform": platform.platform(),
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "python": platform.python_version(),
        },
        "event_clusterer_defaults": {
            k: v for k, v in EventClusterer().get_params().items() if k != "dedup"
        },
        "anchor_distance_threshold": ANCHOR_DISTANCE,
        "sizes": [],
    }
    for n_docs in args.sizes:
        articles, _ = build_corpus(n_docs, data_dir=args.data, seed=args.seed)
        results: dict[str, Any] = {"EventClusterer": _measure("EventClusterer", articles)}
        if n_docs <= args.anchor_max:
            results["tfidf+agglomerative"] = _measure("tfidf+agglomerative", articles)
        else:
            results["tfidf+agglomerative"] = {
                "ok": False,
                "error": f"not run: dense {n_docs:,}² distance matrix "
                f"({n_docs**2 * 8 / 2**30:,.0f} GiB)",
            }
        report["sizes"].append({"n_docs": n_docs, "results": results})
        print(f"{n_docs:,} docs: {results['EventClusterer']}", flush=True)
        stages = results["EventClusterer"].pop("stages", [])
        if stages:
            report["stages"] = {"n_docs": n_docs, "log": stages}
    if args.distractors > 0 and _pool_text_check(args.data):
        report["distractors"] = distractor_experiment(args.data, args.distractors, args.seed)
    markdown = to_markdown(report)
    print(markdown)
    json_path, _ = write_results(args.out, report["date"], "events_speed", report, markdown)
    print(f"written to {json_path.parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
