"""The quality sections of the benchmark suite: one runner per section and data layout.

Each runner returns a :class:`Section`: the section's full result, the flat metrics the gate
checks (``"dedup/syndication/ari"``, ...), the rows of the summary tables and the data files it
read. On the shared layout (:func:`benchmarks.datasets.is_shared_layout`) the ``*_shared``
runners call the quality modules (:mod:`benchmarks.dedup_quality`,
:mod:`benchmarks.events_quality`, :mod:`benchmarks.pairs_quality`,
:mod:`benchmarks.align_quality`, :mod:`benchmarks.claims_quality`,
:mod:`benchmarks.copies_quality`) on their own sets; on a folder of the user's labelled JSONL,
:func:`dedup_user`, :func:`events_user` and :func:`pairs_from_sets` score storymatch against
the anchors of :mod:`benchmarks.baselines` on every set found. :func:`fast_metrics` computes
the metrics that take seconds the same way, for the fast quality gate of ``make test``.
:mod:`benchmarks.suite` chooses the runners and assembles the result.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.baselines import pair_baseline_scores
from benchmarks.datasets import SECTION_FILES, SHARED_LAYOUT, load_grouping, read_jsonl, set_name
from benchmarks.results import group_scores

__all__ = [
    "CLAIM_METRICS",
    "COPY_METRICS",
    "DEDUP_SWEEP",
    "EVENT_BASELINES",
    "GROUP_METRICS",
    "PAIR_GRID",
    "PAIR_SETS",
    "Section",
    "align_shared",
    "claims_shared",
    "copies_shared",
    "dedup_shared",
    "dedup_user",
    "events_quality_table",
    "events_shared",
    "events_user",
    "fast_metrics",
    "group_row",
    "group_scores",
    "pairs_from_sets",
    "pairs_module",
    "pairs_module_summary",
    "pairs_shared",
    "prefixed_metrics",
    "score_pair_set",
]

EVENT_BASELINES = {"agglomerative_distance": 0.78, "union_find_cosine": 0.28}
"""Baseline thresholds for event grouping on user data: as tuned on the ECB+ dev topics by
:func:`benchmarks.events_quality.run` (it tunes them afresh on the shared layout)."""

DEDUP_SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
PAIR_GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))


def group_row(task: str, dataset: str, tool: str, scores: dict[str, Any]) -> dict[str, Any]:
    keys = ("ari", "bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r", "pair_f1", "seconds")
    return {"task": task, "dataset": dataset, "tool": tool} | {
        k: scores.get(k) for k in keys if k in scores
    }


def prefixed_metrics(prefix: str, scores: dict[str, Any], keys: Sequence[str]) -> dict[str, float]:
    return {f"{prefix}/{k}": float(scores[k]) for k in keys if scores.get(k) is not None}


GROUP_METRICS = ("ari", "bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r", "pair_f1")


class Section:
    """What one quality section returns: its full result, flat metrics and summary rows."""

    def __init__(self) -> None:
        self.result: dict[str, Any] = {}
        self.metrics: dict[str, float] = {}
        self.groups: list[dict[str, Any]] = []
        self.pairs: list[dict[str, Any]] = []
        self.alignment: list[dict[str, Any]] = []
        self.copies: list[dict[str, Any]] = []
        self.files: list[Path] = []
        self.markdown = ""


def dedup_shared(data: Path, progress: Callable[[int, int], None]) -> Section:
    from benchmarks import dedup_quality

    out = Section()
    result = dedup_quality.run(data, progress=progress)
    out.result = result
    out.markdown = dedup_quality.to_markdown(result)
    out.files = [data / f for f in SECTION_FILES["dedup"]]
    for row in result.get("syndication", []):
        out.groups.append(group_row("near-duplicates", "syndication", row["tool"], row))
    out.metrics |= prefixed_metrics("dedup/syndication", result["syndication"][0], GROUP_METRICS)
    if result.get("harsher"):
        harsh = result["harsher"][0]
        out.metrics |= prefixed_metrics("dedup/syndication-harsher", harsh, GROUP_METRICS)
        for row in result["harsher"]:
            out.groups.append(
                group_row("near-duplicates", "syndication (harsher)", row["tool"], row)
            )
    if result.get("lsh_recall"):
        out.metrics |= prefixed_metrics(
            "dedup/lsh-recall", result["lsh_recall"][0], ("recall", "precision")
        )
    return out


def _events_rows(
    result: dict[str, Any], sets: Sequence[str]
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    rows = []
    metrics: dict[str, float] = {}
    for row in result["rows"]:
        method = row["method"]
        if row["set"] not in sets or not method.startswith(("tfidf", "EventClusterer (defaults)")):
            continue
        scores = {
            "ari": round(row["ari"], 4),
            "bcubed_p": round(row["bcubed"]["precision"], 4),
            "bcubed_r": round(row["bcubed"]["recall"], 4),
            "bcubed_f1": round(row["bcubed"]["f1"], 4),
            "pair_p": round(row["pairwise"]["precision"], 4),
            "pair_r": round(row["pairwise"]["recall"], 4),
            "pair_f1": round(row["pairwise"]["f1"], 4),
            "seconds": row["seconds"],
        }
        tool = "storymatch EventClusterer (defaults)" if method.startswith("Event") else method
        rows.append(group_row("events", row["set"], tool, scores))
        if method.startswith("EventClusterer"):
            metrics |= prefixed_metrics(f"events/{row['set']}", scores, GROUP_METRICS)
    return rows, metrics


def events_shared(data: Path, progress: Callable[[int, int], None]) -> Section:
    from benchmarks import events_quality

    out = Section()
    result = events_quality.run(data, progress=progress)
    out.result = result
    out.markdown = events_quality.to_markdown(result)
    out.files = [data / f for f in SECTION_FILES["events"]]
    out.groups, out.metrics = _events_rows(result, ("ecbplus", "basil"))
    return out


def align_shared(data: Path, progress: Callable[[int, int], None]) -> Section:
    from benchmarks import align_quality

    out = Section()
    progress(0, 1)
    result = align_quality.run(data)
    progress(1, 1)
    out.result = result
    out.markdown = align_quality.to_markdown(result)
    out.files = [data / f for f in SECTION_FILES["align"]]
    e, b = result["ecbplus"], result["basil"]
    out.alignment = [
        {
            "dataset": "ecbplus (same-event sentence pairs)",
            "tool": "storymatch N-way alignment",
            "precision": e["precision"],
            "recall": e["recall"],
            "f1": e["f1"],
            "note": f"recall ceiling {e['recall_ceiling']}",
        },
        {
            "dataset": "basil (report pairs)",
            "tool": "storymatch N-way alignment",
            "confirmed": b["storymatch_confirmed"],
            "pairs": b["storymatch_pairs"],
            "note": f"{b['storymatch_out_of_order']} confirmed pairs out of order",
        },
        {
            "dataset": "basil (report pairs)",
            "tool": "difflib.ndiff",
            "confirmed": b["difflib_confirmed"],
            "pairs": b["difflib_pairs"],
            "note": "",
        },
    ]
    out.metrics = prefixed_metrics("align/ecbplus", e, ("precision", "recall", "f1"))
    if b["difflib_confirmed"]:
        out.metrics["align/basil/confirmed_vs_difflib"] = round(
            b["storymatch_confirmed"] / b["difflib_confirmed"], 4
        )
    return out


# claims -----------------------------------------------------------------------------------
CLAIM_METRICS = ("pair_p", "pair_r", "pair_f1", "b3_f1")
"""The claim-table figures gated (higher is better; the false-omission rate, lower is better,
has its ceiling in ``tests/differ/test_claims_real_data.py``)."""


def _claims_metrics(data: Path) -> tuple[dict[str, Any], dict[str, float]]:
    """Run :mod:`benchmarks.claims_quality` on ``claims_dev``; return its result and metrics."""
    from benchmarks import claims_quality

    scorer = data.parent / "tools" / "score_claims.py"
    options = {"scorer_path": scorer} if scorer.is_file() else {}
    result = claims_quality.run(data / "claims_dev", **options)
    ours = result["systems"]["storymatch"]
    metrics = prefixed_metrics("claims/claims_dev", ours, CLAIM_METRICS)
    if ours.get("conflicts", {}).get("p") is not None:
        metrics["claims/claims_dev/conflicts_p"] = round(float(ours["conflicts"]["p"]), 4)
    if ours.get("conflicts", {}).get("r_not_minor") is not None:
        metrics["claims/claims_dev/conflicts_r_not_minor"] = round(
            float(ours["conflicts"]["r_not_minor"]), 4
        )
    confident = ours.get("omissions", {}).get("confident", {}).get("precision")
    if confident is not None:  # how often a "not reported" cell without a closest hint is right
        metrics["claims/claims_dev/omission_confident_p"] = round(float(confident), 4)
    return result, metrics


def claims_shared(data: Path, progress: Callable[[int, int], None]) -> Section:
    from benchmarks import claims_quality

    out = Section()
    progress(0, 1)
    out.result, out.metrics = _claims_metrics(data)
    progress(1, 1)
    out.markdown = claims_quality.to_markdown(out.result)
    out.files = [data / f for f in SECTION_FILES["claims"]]
    parts = [("claims_dev (hand-labelled claims)", dict(out.result))]
    extra = _claims_extra(data)
    if extra is not None:  # the further BASIL events, labelled in the project (ids only)
        parts.append(("BASIL, 10 further events (labelled in the project)", extra))
        out.result["basil_extra"] = extra
        out.markdown += "\n" + claims_quality.to_markdown(extra)
        ours = extra["systems"]["storymatch"]
        out.metrics |= prefixed_metrics("claims/basil_extra", ours, CLAIM_METRICS)
        out.files.append(data / "basil" / "docs.jsonl")
    for dataset, result in parts:
        for name, figures in result["systems"].items():
            out.alignment.append(
                {
                    "dataset": dataset,
                    "tool": "storymatch compare" if name == "storymatch" else name,
                    "precision": figures["pair_p"],
                    "recall": figures["pair_r"],
                    "f1": figures["pair_f1"],
                    "note": f"false omissions {figures['false_omission_rate']}",
                }
            )
    return out


def _claims_extra(data: Path) -> dict[str, Any] | None:
    """Run :mod:`benchmarks.claims_quality` on the project's further BASIL claims labels.

    The labels are ids and offsets only (BASIL's licence); they are joined with the shared
    BASIL articles in a temporary folder. None when ``pysbd`` (the reference split, in the
    ``bench`` group) is not installed.
    """
    import importlib.util
    import tempfile

    from benchmarks import claims_quality
    from benchmarks.claims_gold import LABELS, materialise

    if importlib.util.find_spec("pysbd") is None:
        return None
    scorer = data.parent / "tools" / "score_claims.py"
    options = {"scorer_path": scorer} if scorer.is_file() else {}
    with tempfile.TemporaryDirectory() as tmp:
        gold = materialise(LABELS, data / "basil" / "docs.jsonl", Path(tmp))
        result = claims_quality.run(gold, **options)
    result["gold"] = "basil_extra"
    return result


# copies -----------------------------------------------------------------------------------
COPY_METRICS = (
    "original_accuracy",
    "numbers_r",
    "numbers_p",
    "added_r",
    "removed_r",
    "headline_r",
    "originals_kept",
)
"""The copy figures gated (higher is better; ``originals_kept`` is the share of originals not
called a copy of a copy, whose count has the target 0; the headline false rate is reported,
not gated)."""


def _copies_metrics(data: Path) -> tuple[dict[str, Any], dict[str, float]]:
    """Run :mod:`benchmarks.copies_quality` on ``syndication``; return its result and metrics."""
    from benchmarks import copies_quality

    result = copies_quality.run(data / "syndication" / "docs.jsonl.gz")
    return result, prefixed_metrics("copies/syndication", result["metrics"], COPY_METRICS)


def copies_shared(data: Path, progress: Callable[[int, int], None]) -> Section:
    from benchmarks import copies_quality

    out = Section()
    progress(0, 1)
    out.result, out.metrics = _copies_metrics(data)
    progress(1, 1)
    out.markdown = copies_quality.to_markdown(out.result)
    out.files = [data / f for f in SECTION_FILES["copies"]]
    figures = out.result["metrics"]
    out.copies.append(
        {"dataset": "syndication (edit logs)", "tool": "storymatch copy_edits (defaults)"}
        | {k: figures[k] for k in (*COPY_METRICS, "originals_called_copies")}
    )
    return out


# pairs ------------------------------------------------------------------------------------
def pairs_module() -> Any | None:
    """:mod:`benchmarks.pairs_quality` when the checkout has it."""
    if importlib.util.find_spec("benchmarks.pairs_quality") is None:
        return None
    return importlib.import_module("benchmarks.pairs_quality")


def _prf(pred: np.ndarray[Any, Any], gold: np.ndarray[Any, Any]) -> dict[str, float]:
    tp = int(np.count_nonzero(pred & gold))
    fp = int(np.count_nonzero(pred & ~gold))
    fn = int(np.count_nonzero(~pred & gold))
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / max(precision + recall, 1e-12), 4),
        "accuracy": round(float(np.mean(pred == gold)), 4),
    }


def _pearson(x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> float | None:
    if len(x) < 2 or float(np.std(x)) == 0.0 or float(np.std(y)) == 0.0:
        return None
    return round(float(np.corrcoef(x, y)[0, 1]), 4)


def score_pair_set(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Score a labelled pair set with storymatch's scorer and the two baselines.

    Binary labels (0/1, true/false) give precision, recall, F1 and accuracy: storymatch at its
    default threshold, each baseline at its best-F1 threshold on this very set; every tool also
    gets Pearson's r between its scores and the labels, and a precision/recall curve over
    ``PAIR_GRID``. Graded labels (such as STS 0-5) give Pearson's r only.
    """
    from storymatch.differ.similarity import default_scorer

    a = [str(r["a"]) for r in records]
    b = [str(r["b"]) for r in records]
    labels = np.array([float(r["label"]) for r in records])
    binary = bool(np.all(np.isin(labels, (0.0, 1.0))))
    scorer = default_scorer()
    started = time.perf_counter()
    ours = np.asarray(scorer(a, b), dtype=np.float64)
    seconds = time.perf_counter() - started
    tools = {f"storymatch {type(scorer).__name__} (default threshold)": ours}
    tools |= pair_baseline_scores(a, b)
    gold = labels >= 0.5
    rows = []
    curves: dict[str, list[dict[str, float]]] = {}
    for index, (tool, scores) in enumerate(tools.items()):
        row: dict[str, Any] = {"tool": tool, "pearson_r": _pearson(scores, labels)}
        if binary:
            curve = [{"threshold": t, **_prf(scores >= t, gold)} for t in PAIR_GRID]
            curves[tool] = curve
            if index == 0:
                threshold = float(scorer.threshold)
                row |= {"threshold": round(threshold, 4), "threshold_from": "default"}
            else:
                best = max(curve, key=lambda c: (c["f1"], -c["threshold"]))
                threshold = best["threshold"]
                row |= {"threshold": threshold, "threshold_from": "best F1 on this set"}
            row |= _prf(scores >= threshold, gold)
        rows.append(row)
    return {
        "pairs": len(records),
        "labels": "binary" if binary else "graded",
        "default_threshold": round(float(scorer.threshold), 4),
        "scorer_seconds": round(seconds, 3),
        "rows": rows,
        "curves": curves,
    }


def _pair_markdown(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| set | tool | threshold | P | R | F1 | accuracy | Pearson r |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        for row in result["rows"]:
            lines.append(
                f"| {name} | {row['tool']} | {row.get('threshold', '')} "
                f"({row.get('threshold_from', '-')}) | {row.get('precision', '')} | "
                f"{row.get('recall', '')} | {row.get('f1', '')} | {row.get('accuracy', '')} | "
                f"{row['pearson_r']} |"
            )
    return "\n".join(lines) + "\n"


def pairs_from_sets(
    sets: dict[str, Path], data: Path, progress: Callable[[int, int], None]
) -> Section:
    out = Section()
    results: dict[str, dict[str, Any]] = {}
    for done, (name, path) in enumerate(sets.items(), 1):
        results[name] = score_pair_set(read_jsonl(path))
        out.files.append(path)
        for row in results[name]["rows"]:
            out.pairs.append({"dataset": name} | row)
        ours = results[name]["rows"][0]
        out.metrics |= prefixed_metrics(
            f"pairs/{name}", ours, ("precision", "recall", "f1", "accuracy", "pearson_r")
        )
        progress(done, len(sets))
    out.result = {"implementation": "benchmarks.suite.score_pair_set", "sets": results}
    out.markdown = _pair_markdown(results)
    return out


def pairs_shared(data: Path, progress: Callable[[int, int], None]) -> Section:
    module = pairs_module()
    if module is None:  # without benchmarks/pairs_quality.py: MSRP and STS news, in-sample
        sets = {n: data / SHARED_LAYOUT[n] for n in ("msrp", "sts_news")}
        section = pairs_from_sets({n: p for n, p in sets.items() if p.is_file()}, data, progress)
        section.result["note"] = (
            "in-sample: the default scorer was trained on these sets (tools/train_pair_scorer.py)"
        )
        for row in section.pairs:
            row["dataset"] += " (in-sample)"
        return section
    import inspect

    out = Section()
    accepted = inspect.signature(module.run).parameters
    options = {k: v for k, v in (("repeats", 2), ("cv", True)) if k in accepted}
    progress(0, 1)
    result = module.run(data, **options)
    progress(1, 1)
    out.result = result
    out.markdown = module.to_markdown(result) if hasattr(module, "to_markdown") else ""
    out.files = [data / f for f in SECTION_FILES["pairs"] if (data / f).is_file()]
    out.metrics, out.pairs = pairs_module_summary(module, result)
    return out


PAIR_SETS = {"msrp": "msrp", "ecbplus": "ecbplus", "sts": "sts_news"}
"""The sets of :mod:`benchmarks.pairs_quality` and the folder each comes from."""


def pairs_module_summary(
    module: Any, result: dict[str, Any]
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Return the flat metrics and summary rows of a :mod:`benchmarks.pairs_quality` result.

    The module may say itself (``gate_metrics(result)``, ``summary_rows(result)``). Otherwise
    the gated metrics are the cross-validated (held-out) figures of the default scorer,
    ``scorer_cv`` (F1 and accuracy on MSRP and ECB+, Pearson r on STS news); the rows add the
    shipped scorer on the whole set (in-sample) and the cross-validated baselines.
    """
    if hasattr(module, "gate_metrics"):
        given = {str(k): float(v) for k, v in module.gate_metrics(result).items()}
        return given, list(module.summary_rows(result)) if hasattr(module, "summary_rows") else []
    metrics: dict[str, float] = {}
    rows: list[dict[str, Any]] = []
    cv = result.get("scorer_cv", {}).get("summary", {})
    shipped = result.get("shipped", {})
    baselines = result.get("baselines_cv", {})
    for name, folder in PAIR_SETS.items():
        if name in cv:
            held_out = {k: v["mean"] for k, v in cv[name].items() if isinstance(v, dict)}
            row = {
                "dataset": folder,
                "tool": "storymatch LexicalScorer, default threshold (CV, held-out)",
                "threshold": cv.get("threshold", {}).get("mean"),
                "f1": held_out.get("f1"),
                "accuracy": held_out.get("accuracy"),
                "pearson_r": held_out.get("pearson"),
            }
            rows.append(row)
            metrics |= {
                f"pairs/{folder}/{key}": round(float(row[key]), 4)
                for key in ("f1", "accuracy", "pearson_r")
                if row[key] is not None
            }
        if name in shipped:
            m = shipped[name]
            rows.append(
                {
                    "dataset": folder,
                    "tool": "storymatch LexicalScorer shipped (in-sample)",
                    "threshold": shipped.get("threshold"),
                    "f1": m.get("f1"),
                    "accuracy": m.get("accuracy"),
                    "pearson_r": m.get("pearson"),
                }
            )
        for tool, m in baselines.get(name, {}).items():
            rows.append(
                {
                    "dataset": folder,
                    "tool": f"baseline {tool} (CV, threshold tuned on the training folds)",
                    "f1": m.get("f1"),
                    "accuracy": m.get("accuracy"),
                    "pearson_r": m.get("pearson"),
                }
            )
    return metrics, rows


# user data --------------------------------------------------------------------------------
def dedup_user(files: Sequence[Path], data: Path, progress: Callable[[int, int], None]) -> Section:
    from benchmarks import dedup_quality
    from storymatch.dedup import NearDuplicateClusterer

    out = Section()
    datasets: dict[str, Any] = {}
    params = NearDuplicateClusterer().get_params()
    defaults = {
        k: params[k] for k in ("threshold", "containment_threshold", "kind", "shingle_size")
    }
    for done, path in enumerate(files, 1):
        name = set_name(path, data)
        articles, gold = load_grouping(path)
        rows = dedup_quality.syndication_table(articles, gold)
        sweep = [
            {
                "knob": "threshold",
                "value": t,
                **dedup_quality.run_storymatch(articles, gold, threshold=t),
            }
            for t in DEDUP_SWEEP
        ]
        datasets[name] = {"documents": len(articles), "rows": rows, "sweep": sweep}
        out.files.append(path)
        out.groups += [group_row("near-duplicates", name, r["tool"], r) for r in rows]
        out.metrics |= prefixed_metrics(f"dedup/{name}", rows[0], GROUP_METRICS)
        progress(done, len(files))
    out.result = {"defaults": defaults, "datasets": datasets}
    out.markdown = "\n".join(
        f"### {name}\n\n{dedup_quality.table_markdown(d['rows'])}\n\n"
        f"{dedup_quality.table_markdown(d['sweep'])}\n"
        for name, d in datasets.items()
    )
    return out


def events_user(files: Sequence[Path], data: Path, progress: Callable[[int, int], None]) -> Section:
    from benchmarks import events_quality
    from storymatch.events import EventClusterer

    out = Section()
    datasets: dict[str, Any] = {}
    agg_t = EVENT_BASELINES["agglomerative_distance"]
    uf_t = EVENT_BASELINES["union_find_cosine"]
    for done, path in enumerate(files, 1):
        name = set_name(path, data)
        articles, gold = load_grouping(path)
        methods: dict[str, Callable[[], list[int]]] = {
            f"tfidf+agglomerative (distance {agg_t:.2f})": lambda a=articles: (
                events_quality.agglomerative(a, agg_t) if len(a) > 1 else [0] * len(a)
            ),
            f"tfidf+union-find (cosine {uf_t:.2f})": lambda a=articles: events_quality.union_find(
                a, uf_t
            ),
            "storymatch EventClusterer (defaults)": lambda a=articles: (
                EventClusterer().fit_predict(a).tolist()
            ),
        }
        rows = []
        for tool, label in methods.items():
            started = time.perf_counter()
            try:
                labels = label()
            except ValueError as error:  # e.g. TF-IDF with min_df=2 on a tiny set
                rows.append({"tool": tool, "error": str(error)})
                continue
            scores = group_scores(gold, labels) | {
                "seconds": round(time.perf_counter() - started, 3)
            }
            rows.append({"tool": tool, **scores})
            out.groups.append(group_row("events", name, tool, scores))
        sweep = events_quality.threshold_sweep(articles, gold)
        datasets[name] = {"documents": len(articles), "rows": rows, "sweep": sweep}
        out.files.append(path)
        ours = rows[-1]
        if "error" not in ours:
            out.metrics |= prefixed_metrics(f"events/{name}", ours, GROUP_METRICS)
        progress(done, len(files))
    defaults = {k: v for k, v in EventClusterer().get_params().items() if k != "dedup"}
    out.result = {
        "event_clusterer_defaults": defaults,
        "baseline_thresholds": dict(EVENT_BASELINES),
        "datasets": datasets,
    }
    out.markdown = "\n".join(
        f"### {name}\n\n{events_quality_table(d['rows'])}" for name, d in datasets.items()
    )
    return out


def events_quality_table(rows: Sequence[dict[str, Any]]) -> str:
    """Render event-grouping rows as a Markdown table (tool, B-cubed, ARI)."""
    lines = ["| tool | B³ P | B³ R | B³ F1 | ARI | events |", "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['tool']} | {r['error']} | | | | |")
            continue
        lines.append(
            f"| {r['tool']} | {r['bcubed_p']:.3f} | {r['bcubed_r']:.3f} | {r['bcubed_f1']:.3f} "
            f"| {r['ari']:.3f} | {r['groups']} ({r['gold_groups']}) |"
        )
    return "\n".join(lines) + "\n"


def fast_metrics(data: Path, keys: Sequence[str]) -> dict[str, float]:
    """Compute the metrics named ``keys`` that take seconds, the way the full suite does.

    Supported: ``dedup/syndication/*`` (the defaults on the syndication set, as in
    :func:`benchmarks.dedup_quality.syndication_table`) and ``events/basil/*``,
    ``events/ecbplus/*`` (the defaults on BASIL and ECB+, as in
    :func:`benchmarks.events_quality.run`), ``events/stress/*`` (the defaults on the stress set
    of :func:`benchmarks.events_quality.stress_set`), ``claims/claims_dev/*`` (``compare`` on the
    hand-labelled claims, :mod:`benchmarks.claims_quality`) and ``copies/syndication/*``
    (originals and edits against the syndication edit logs, :mod:`benchmarks.copies_quality`).
    Other keys are left out.
    """
    out: dict[str, float] = {}
    if any(k.startswith("dedup/syndication/") for k in keys):
        from benchmarks import dedup_quality

        articles, gold = dedup_quality.load_syndication(data)
        out |= prefixed_metrics(
            "dedup/syndication", dedup_quality.run_storymatch(articles, gold), GROUP_METRICS
        )
    if any(k.startswith("claims/claims_dev/") for k in keys):
        out |= _claims_metrics(data)[1]
    if any(k.startswith("copies/syndication/") for k in keys):
        out |= _copies_metrics(data)[1]
    if any(k.startswith("events/stress/") for k in keys):
        from benchmarks import events_quality
        from storymatch.events import EventClusterer

        articles, gold, _ = events_quality.stress_set(data)
        labels = EventClusterer().fit_predict(articles).tolist()
        out |= prefixed_metrics("events/stress", group_scores(gold, labels), GROUP_METRICS)
    for name in ("basil", "ecbplus"):
        if any(k.startswith(f"events/{name}/") for k in keys):
            from benchmarks import events_quality
            from storymatch.events import EventClusterer

            articles, gold, _ = events_quality.load(data / name / "docs.jsonl")
            labels = EventClusterer().fit_predict(articles).tolist()
            out |= prefixed_metrics(f"events/{name}", group_scores(gold, labels), GROUP_METRICS)
    return {k: v for k, v in out.items() if k in keys}
