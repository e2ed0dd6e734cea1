"""Event grouping quality on real data, against the scikit-learn baselines of issue 4.

Run::

    python -m benchmarks.events_quality [--data ../shared/data] [--out benchmarks/results]

Sets (gold ``cluster``): ECB+ (``ecbplus/docs.jsonl``: all shared topics, and its train and dev
topics separately) and BASIL (``basil/docs.jsonl``). Methods:

- ``tfidf+agglomerative``: scikit-learn TF-IDF over title + text (English stop words, sublinear
  tf, ``min_df=2``) and ``AgglomerativeClustering(metric="cosine", linkage="average")``,
  ``distance_threshold`` tuned for B-cubed F1 on the ECB+ dev topics.
- ``tfidf+union-find``: the same vectors, connected components of the pairs whose cosine reaches
  a threshold tuned the same way.
- ``EventClusterer``: storymatch's defaults (tuned on the ECB+ train topics only), and the same
  with one signal switched off at a time.

The stress set (:func:`stress_set`, issue 16) holds pairs of events of one story or one kind,
the case where two developments merge: every ECB+ topic (two events of the same kind: two
celebrities checking into rehab, two earthquakes; ECB+ gives no dates, so publication time
cannot tell them apart) and the BASIL events that share a named person with another BASIL
event at most ``STRESS_WINDOW_DAYS`` apart (:func:`basil_stress_pairs`: chosen from BASIL's own
``main_entities`` and dates, never from storymatch's output). Its rows give B-cubed as above
and ``merged``: how many of the pairs the method put together (the event holding most of one
event's reports also holds most of the other's).

Then (unless ``--no-sweep``) B-cubed P/R/F1 and ARI of ``EventClusterer`` at each threshold of
``SWEEP_THRESHOLDS`` on ECB+ and BASIL, the other settings at their defaults (for the plots).

Results are printed as Markdown and written to ``<out>/<date>/events_quality.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.results import write_results
from storymatch.evaluate import evaluate_clustering
from storymatch.events import EventClusterer
from storymatch.models import Article

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
STRESS_WINDOW_DAYS = 31
"""Two BASIL events about one person at most this many days apart form a stress pair."""
GROUP_WORDS = frozenset({"democrats", "republicans", "lawmakers", "officials"})
"""A ``main_entities`` entry ending in one of these is a group, not one person."""

Labeller = Callable[[Sequence[Article]], Sequence[int]]


def load(path: Path) -> tuple[list[Article], list[str], list[int | None]]:
    """Read a gold set: articles, gold event labels and topics (None where absent)."""
    articles: list[Article] = []
    gold: list[str] = []
    topics: list[int | None] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            articles.append(Article.from_dict(record))
            gold.append(str(record["cluster"]))
            topics.append(record.get("topic"))
    return articles, gold, topics


def _is_person(entity: str) -> bool:
    """Whether a BASIL ``main_entities`` entry names one person or body by name.

    Two or more words, every one capitalised, the last not a group word: ``"Donald Trump"``
    and ``"Hillary Clinton"`` are, ``"House Democrats"``, ``"Obama administration"`` and
    ``"Sasha and Malia Obama"`` are not.
    """
    words = entity.split()
    return (
        len(words) >= 2
        and all(w[:1].isupper() for w in words)
        and words[-1].lower() not in GROUP_WORDS
    )


def basil_stress_pairs(path: Path) -> list[tuple[str, str]]:
    """Pairs of BASIL events about one named person, published at most a month apart.

    An event's date is its earliest article's; its names are the :func:`_is_person` entries of
    its articles' ``main_entities``. Two events pair when they share a name and their dates are
    at most ``STRESS_WINDOW_DAYS`` apart. The rule reads only BASIL's own metadata.

    Returns
    -------
    list of tuple of str
        ``(cluster, cluster)`` pairs, sorted.
    """
    names: dict[str, set[str]] = {}
    dates: dict[str, dt.date] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            cluster = str(record["cluster"])
            names.setdefault(cluster, set()).update(
                e.strip() for e in record.get("main_entities") or [] if _is_person(e.strip())
            )
            day = dt.date.fromisoformat(record["date"])
            dates[cluster] = min(dates.get(cluster, day), day)
    clusters = sorted(names)
    return [
        (a, b)
        for i, a in enumerate(clusters)
        for b in clusters[i + 1 :]
        if names[a] & names[b] and abs((dates[a] - dates[b]).days) <= STRESS_WINDOW_DAYS
    ]


def stress_set(
    data: Path,
) -> tuple[list[Article], list[str], list[tuple[str, str]]]:
    """Return the stress set: ECB+ topic pairs and BASIL same-person pairs, as one corpus.

    Returns the articles (ECB+ first, then the BASIL events that take part in a pair), their
    gold events and the pairs of gold events (every ECB+ topic's two events, then
    :func:`basil_stress_pairs`).
    """
    ecb, ecb_gold, topics = load(data / "ecbplus" / "docs.jsonl")
    by_topic: dict[int, set[str]] = {}
    for gold, topic in zip(ecb_gold, topics, strict=True):
        by_topic.setdefault(int(topic or 0), set()).add(gold)
    pairs = [
        (a, b)
        for _, events in sorted(by_topic.items())
        for a, b in [sorted(events)]
        if len(events) == 2
    ]
    basil_path = data / "basil" / "docs.jsonl"
    basil_pairs = basil_stress_pairs(basil_path)
    paired = {c for pair in basil_pairs for c in pair}
    basil, basil_gold, _ = load(basil_path)
    keep = [i for i, g in enumerate(basil_gold) if g in paired]
    articles = ecb + [basil[i] for i in keep]
    gold_labels = ecb_gold + [basil_gold[i] for i in keep]
    return articles, gold_labels, pairs + basil_pairs


def merged_pairs(
    gold: Sequence[str], pred: Sequence[int], pairs: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Return the pairs of gold events that one predicted event took together.

    A pair is merged when the predicted event holding most of the first event's reports (ties
    to the lowest label) also holds most of the second's.
    """
    counts: dict[str, dict[int, int]] = {}
    for g, p in zip(gold, pred, strict=True):
        counts.setdefault(g, {}).setdefault(int(p), 0)
        counts[g][int(p)] += 1
    main = {g: min(c, key=lambda p: (-c[p], p)) for g, c in counts.items()}
    return [(a, b) for a, b in pairs if main[a] == main[b]]


def _tfidf(articles: Sequence[Article]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [(a.title or "") + "\n" + a.text for a in articles]
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2)
    return vectorizer.fit_transform(texts)


def agglomerative(articles: Sequence[Article], threshold: float) -> list[int]:
    """Label with the baseline: TF-IDF + average-linkage clustering on cosine distance."""
    from sklearn.cluster import AgglomerativeClustering

    matrix = _tfidf(articles).toarray()  # the baseline is dense; fine at these sizes
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    return [int(x) for x in model.fit_predict(matrix)]


def union_find(articles: Sequence[Article], threshold: float) -> list[int]:
    """Label with the second baseline: components of the TF-IDF cosine graph above ``threshold``."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    matrix = _tfidf(articles)
    sims = (matrix @ matrix.T).tocoo()
    keep = sims.data >= threshold
    graph = csr_matrix((np.ones(int(keep.sum())), (sims.row[keep], sims.col[keep])), sims.shape)
    _, labels = connected_components(graph, directed=False)
    return [int(x) for x in labels]


def _tune(
    method: Callable[[Sequence[Article], float], list[int]],
    articles: Sequence[Article],
    gold: Sequence[str],
    grid: np.ndarray[Any, np.dtype[np.float64]],
) -> float:
    scores = [evaluate_clustering(gold, method(articles, float(t))).bcubed.f1 for t in grid]
    return float(grid[int(np.argmax(scores))])


SWEEP_THRESHOLDS = (0.05, 0.07, 0.09, 0.11, 0.13, 0.15, 0.17, 0.19, 0.22, 0.25, 0.3)
"""The ``EventClusterer`` thresholds of the sweep (the default, 0.13, among them)."""


def threshold_sweep(
    articles: Sequence[Article],
    gold: Sequence[str],
    thresholds: Sequence[float] = SWEEP_THRESHOLDS,
) -> list[dict[str, Any]]:
    """Score ``EventClusterer(threshold=t)`` for each ``t``, the other settings at defaults."""
    rows = []
    for threshold in thresholds:
        labels = EventClusterer(threshold=threshold).fit_predict(articles).tolist()
        scores = evaluate_clustering(gold, labels)
        rows.append(
            {
                "threshold": threshold,
                "ari": round(scores.ari, 4),
                "bcubed_p": round(scores.bcubed.precision, 4),
                "bcubed_r": round(scores.bcubed.recall, 4),
                "bcubed_f1": round(scores.bcubed.f1, 4),
                "events": scores.n_pred_clusters,
            }
        )
    return rows


def run(
    data: Path,
    *,
    sweep: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Score every method on every set; return the JSON-ready results.

    With ``sweep``, ``result["sweep"]`` maps ``ecbplus`` and ``basil`` to the rows of
    :func:`threshold_sweep`. ``progress(done, total)`` is called after each step.
    """
    ecb, ecb_gold, topics = load(data / "ecbplus" / "docs.jsonl")
    basil, basil_gold, _ = load(data / "basil" / "docs.jsonl")
    dev = [i for i, t in enumerate(topics) if t in DEV_TOPICS]
    train = [i for i, t in enumerate(topics) if t not in DEV_TOPICS]
    sets = {
        "ecbplus": (ecb, ecb_gold),
        "ecbplus-train": ([ecb[i] for i in train], [ecb_gold[i] for i in train]),
        "ecbplus-dev": ([ecb[i] for i in dev], [ecb_gold[i] for i in dev]),
        "basil": (basil, basil_gold),
    }
    stress, stress_gold, stress_pairs = stress_set(data)
    sets["stress"] = (stress, stress_gold)
    dev_articles, dev_gold = sets["ecbplus-dev"]
    grid = np.round(np.arange(0.30, 0.96, 0.01), 2)
    agg_t = _tune(agglomerative, dev_articles, dev_gold, grid)
    uf_t = _tune(union_find, dev_articles, dev_gold, np.round(1.0 - grid, 2))
    methods: dict[str, Labeller] = {
        f"tfidf+agglomerative (distance {agg_t:.2f})": lambda a: agglomerative(a, agg_t),
        f"tfidf+union-find (cosine {uf_t:.2f})": lambda a: union_find(a, uf_t),
        "EventClusterer (defaults)": lambda a: EventClusterer().fit_predict(a).tolist(),
    }
    for name in ("names_weight", "numbers_weight", "conflict_weight", "time_weight"):
        methods[f"EventClusterer {name}=0"] = lambda a, n=name: (
            EventClusterer(**{n: 0.0}).fit_predict(a).tolist()
        )
    total = len(methods) * len(sets) + (2 if sweep else 0)
    done = 0
    rows: list[dict[str, Any]] = []
    for method, labeller in methods.items():
        for set_name, (articles, gold) in sets.items():
            start = time.perf_counter()
            pred = labeller(articles)
            seconds = time.perf_counter() - start
            scores = evaluate_clustering(gold, pred)
            row = {"method": method, "set": set_name, "seconds": round(seconds, 3)}
            row |= scores.to_dict()
            if set_name == "stress":
                merged = merged_pairs(gold, list(pred), stress_pairs)
                row["pairs"] = len(stress_pairs)
                row["merged"] = len(merged)
                row["merged_pairs"] = [list(p) for p in merged]
            rows.append(row)
            done += 1
            if progress is not None:
                progress(done, total)
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "baseline_thresholds": {"agglomerative_distance": agg_t, "union_find_cosine": uf_t},
        "event_clusterer_defaults": {
            k: v for k, v in EventClusterer().get_params().items() if k != "dedup"
        },
        "stress_pairs": [list(p) for p in stress_pairs],
        "rows": rows,
    }
    if sweep:
        result["sweep"] = {}
        for set_name in ("ecbplus", "basil"):
            result["sweep"][set_name] = threshold_sweep(*sets[set_name])
            done += 1
            if progress is not None:
                progress(done, total)
    return result


def to_markdown(result: dict[str, Any]) -> str:
    """Render the results as a Markdown table."""
    lines = [
        "| method | set | B³ P | B³ R | B³ F1 | ARI | events (gold) | merged pairs | s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        b = row["bcubed"]
        merged = f"{row['merged']} of {row['pairs']}" if "merged" in row else ""
        lines.append(
            f"| {row['method']} | {row['set']} | {b['precision']:.3f} | {b['recall']:.3f} | "
            f"{b['f1']:.3f} | {row['ari']:.3f} | {row['n_pred_clusters']} "
            f"({row['n_gold_clusters']}) | {merged} | {row['seconds']:.2f} |"
        )
    for set_name, sweep in result.get("sweep", {}).items():
        default = result["event_clusterer_defaults"]["threshold"]
        lines += [
            "",
            f"EventClusterer threshold sweep on {set_name} (default {default}):",
            "",
            "| threshold | B³ P | B³ R | B³ F1 | ARI | events |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r['threshold']} | {r['bcubed_p']:.3f} | {r['bcubed_r']:.3f} | "
            f"{r['bcubed_f1']:.3f} | {r['ari']:.3f} | {r['events']} |"
            for r in sweep
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.events_quality")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    parser.add_argument("--no-sweep", action="store_true", help="skip the threshold sweep")
    args = parser.parse_args(argv)
    result = run(args.data, sweep=not args.no_sweep)
    markdown = to_markdown(result)
    print(markdown)
    json_path, _ = write_results(args.out, result["date"], "events_quality", result, markdown)
    print(f"written to {json_path.parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
