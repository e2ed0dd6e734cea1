"""The whole benchmark suite in one command: quality and speed, with the anchors side by side.

Run from a source checkout::

    storymatch bench quality [--data DIR] [--only dedup,events,pairs,align,claims,copies]
        [--out DIR]
    storymatch bench speed [--sizes 10k,100k] [--only dedup,events,compare,index] [--quick]

(or ``python -m benchmarks.suite quality|speed ...`` with the same options). Both take
``--json`` (print the result as JSON instead of the summary table) and ``--quiet`` (no progress,
no table).

**Quality** calls the quality modules (:mod:`benchmarks.dedup_quality`,
:mod:`benchmarks.events_quality`, :mod:`benchmarks.pairs_quality`,
:mod:`benchmarks.align_quality`, :mod:`benchmarks.claims_quality`,
:mod:`benchmarks.copies_quality`) on the datasets under ``--data`` (default ``../shared/data``).
Where that folder has the shared layout (``syndication/``, ``ecbplus/``, ``basil/``, ``msrp/``,
``sts_news/``) each module runs on its own sets, as ``python -m benchmarks.NAME`` would
(``pairs_quality`` with its cross-validation, whose held-out figures are the gated ones; a
checkout without that module scores MSRP and STS news with :func:`score_pair_set`). Any other
folder is searched for JSONL files (``.jsonl`` or ``.jsonl.gz``, at any depth) and each file is
classified by its first record:

- a record with ``text`` and ``cluster`` makes a *grouping set* (``id``, ``text``, ``cluster``,
  optional ``title``/``source``/``date``): near-duplicate grouping (storymatch's defaults against
  datasketch MinHash + LSH + union-find at 0.3 and 0.5) and event grouping (``EventClusterer``
  against scikit-learn TF-IDF + agglomerative clustering and TF-IDF + union-find at the
  thresholds tuned on the ECB+ dev topics), each with a threshold sweep;
- a record with ``a``, ``b`` and ``label`` makes a *pair set*: storymatch's sentence scorer at
  its default threshold against rapidfuzz ``token_set_ratio`` and TF-IDF cosine at the threshold
  that is best *on that set* (an upper bound for the baselines); binary labels give precision,
  recall, F1 and accuracy, every set gives Pearson's r between score and label.

**Speed** runs :mod:`benchmarks.dedup_speed` (datasketch anchor, and rensa when it is
installed), :mod:`benchmarks.events_speed` (scikit-learn anchor, up to 10k documents),
:mod:`benchmarks.compare_speed` (difflib anchor) and, with ``--only index``,
:mod:`benchmarks.index_speed` (datasketch on Redis), one corpus size at a time; ratios are
measured in the same run, and the growth of time and memory with the corpus size is reported as
an exponent (``time ~ n^k``).

Each run writes ``<out>/<YYYY-MM-DD>/quality.{json,md}`` or ``speed.{json,md}`` (default
``benchmarks/results``) when it has finished, never before: the JSON holds the date, the
command, the versions of storymatch and of every library compared, the machine, the settings,
the sha256 and size of every data file used, every section's full result, and the flat
``metrics`` that :mod:`benchmarks.gate` compares with ``benchmarks/floors.json``. Both files are
written to temporary names and renamed, with Ctrl-C held back for that instant, so an
interrupted run leaves no half-written result.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import hashlib
import importlib
import importlib.util
import io
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from benchmarks.results import growth_exponents, machine, package_versions, write_results
from benchmarks.timing import in_child, measure_peak
from storymatch.errors import InvalidInputError, InvalidParameterError

__all__ = [
    "QUALITY_SECTIONS",
    "SPEED_SECTIONS",
    "command",
    "discover",
    "fast_metrics",
    "main",
    "parse_sizes",
    "run_quality",
    "run_speed",
    "summary_markdown",
    "to_markdown",
    "write_result",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "benchmarks" / "results"
FLOORS = REPO / "benchmarks" / "floors.json"

QUALITY_SECTIONS = ("dedup", "events", "pairs", "align", "claims", "copies")
SPEED_SECTIONS = ("dedup", "events", "compare", "index")
DEFAULT_SPEED_SECTIONS = ("dedup", "events", "compare")
DEFAULT_SIZES = (10_000, 100_000)

SHARED_LAYOUT = {
    "syndication": "syndication/docs.jsonl.gz",
    "ecbplus": "ecbplus/docs.jsonl",
    "basil": "basil/docs.jsonl",
    "msrp": "msrp/pairs.jsonl",
    "sts_news": "sts_news/pairs.jsonl",
}
"""The known sets of the shared data folder; a folder holding the first three is used as is."""

SECTION_FILES = {
    "dedup": ("syndication/docs.jsonl.gz", "news_pool/docs.jsonl.gz"),
    "events": ("ecbplus/docs.jsonl", "basil/docs.jsonl"),
    "pairs": (
        "msrp/pairs.jsonl",
        "sts_news/pairs.jsonl",
        "ecbplus/sentence_pairs.jsonl.gz",
        "ecbplus/docs.jsonl",
    ),
    "align": ("ecbplus/docs.jsonl", "ecbplus/sentence_pairs.jsonl.gz", "basil/docs.jsonl"),
    "claims": ("claims_dev/docs.jsonl", "claims_dev/units.jsonl", "claims_dev/claims.jsonl"),
    "copies": ("syndication/docs.jsonl.gz",),
    "speed": ("news_pool/docs.jsonl.gz", "ecbplus/docs.jsonl", "basil/docs.jsonl"),
}
"""The data files each section of the shared layout reads (fingerprinted in the result)."""

EVENT_BASELINES = {"agglomerative_distance": 0.78, "union_find_cosine": 0.28}
"""Baseline thresholds for event grouping on user data: as tuned on the ECB+ dev topics by
:func:`benchmarks.events_quality.run` (it tunes them afresh on the shared layout)."""

DEDUP_SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
PAIR_GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as each stage advances."""


def _no_progress(stage: str, done: int, total: int) -> None:
    """Ignore progress."""


# ---------------------------------------------------------------------------------- context
VERSIONS = (
    "storymatch",
    "numpy",
    "scipy",
    "scikit-learn",
    "datasketch",
    "rapidfuzz",
    "numba",
    "rensa",
    "redis",
    "matplotlib",
)
"""storymatch and the libraries it is compared with, whose versions every result records."""


def versions() -> dict[str, str | None]:
    """Versions of storymatch and of the libraries it is compared with (None: not installed)."""
    return package_versions(VERSIONS) | {"python": platform.python_version()}


def fingerprint(path: Path, root: Path) -> dict[str, Any]:
    """Return the sha256 and size of a data file, with its path relative to ``root``."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    try:
        name = path.relative_to(root).as_posix()
    except ValueError:
        name = str(path)
    return {"path": name, "sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _header(kind: str, argv: Sequence[str] | None, settings: dict[str, Any]) -> dict[str, Any]:
    now = _now()
    found = versions()
    return {
        "benchmark": kind,
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "day": now.strftime("%Y-%m-%d"),
        "command": " ".join(["storymatch", "bench", kind, *(argv or [])]),
        "storymatch": found["storymatch"],
        "versions": found,
        "machine": machine(),
        "settings": settings,
    }


# ---------------------------------------------------------------------------------- options
def _parse_only(text: str | Sequence[str] | None, allowed: Sequence[str]) -> list[str] | None:
    if text is None:
        return None
    parts = text.split(",") if isinstance(text, str) else list(text)
    chosen = [p.strip() for p in parts if p.strip()]
    unknown = [p for p in chosen if p not in allowed]
    if not chosen or unknown:
        msg = (
            f"The 'only' option of storymatch bench must be a comma-separated list of "
            f"{', '.join(allowed)}. Got {text!r} instead."
        )
        raise InvalidParameterError(msg)
    return [s for s in allowed if s in chosen]


def parse_sizes(text: str | Sequence[int]) -> list[int]:
    """Parse corpus sizes such as ``"1k,10k,100k"`` or ``"2000,1e5"`` into sorted integers."""
    if not isinstance(text, str):
        sizes = sorted({int(x) for x in text})
    else:
        sizes = []
        for part in text.split(","):
            item = part.strip().lower().replace("_", "")
            if not item:
                continue
            scale = 1
            if item[-1] in "km":
                scale = 1000 if item[-1] == "k" else 1_000_000
                item = item[:-1]
            try:
                sizes.append(round(float(item) * scale))
            except ValueError:
                sizes = []
                break
        sizes = sorted(set(sizes))
    if not sizes or sizes[0] <= 0:
        msg = (
            "The 'sizes' option of storymatch bench speed must be positive corpus sizes "
            f"separated by commas, such as 1k,10k,100k. Got {text!r} instead."
        )
        raise InvalidParameterError(msg)
    return sizes


def _data_dir(data: str | os.PathLike[str] | None) -> Path:
    if data is None:
        if not DEFAULT_DATA.is_dir():
            msg = (
                f"no data folder: {DEFAULT_DATA} does not exist; pass --data DIR (a folder of "
                "JSONL files with 'cluster' or 'a'/'b'/'label' records)"
            )
            raise InvalidParameterError(msg)
        return DEFAULT_DATA
    path = Path(data)
    if not path.is_dir():
        msg = f"The 'data' option of storymatch bench must be a folder. Got {str(path)!r} instead."
        raise InvalidParameterError(msg)
    return path


def is_shared_layout(data: Path) -> bool:
    """Whether ``data`` is laid out like the shared research data (used as is)."""
    return all(
        (data / SHARED_LAYOUT[name]).is_file() for name in ("syndication", "ecbplus", "basil")
    )


def _open_text(path: Path) -> TextIO:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with _open_text(path) as fh:
        records = []
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                msg = f"{path}:{number}: not a JSON line ({error.msg})"
                raise InvalidInputError(msg) from error
        return records


def _first_record(path: Path) -> dict[str, Any] | None:
    try:
        with _open_text(path) as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    return record if isinstance(record, dict) else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return None


def discover(data: Path) -> dict[str, list[Path]]:
    """Classify the JSONL files under ``data`` by the shape of their first record.

    Returns
    -------
    dict
        ``{"grouping": [...], "pairs": [...], "ignored": [...]}``: files whose records have
        ``text`` and ``cluster``; files whose records have ``a``, ``b`` and ``label``; the rest.
    """
    found: dict[str, list[Path]] = {"grouping": [], "pairs": [], "ignored": []}
    files = sorted(
        p
        for p in data.rglob("*")
        if p.is_file() and (p.name.endswith(".jsonl") or p.name.endswith(".jsonl.gz"))
    )
    for path in files:
        record = _first_record(path)
        if record is not None and "text" in record and "cluster" in record:
            found["grouping"].append(path)
        elif record is not None and {"a", "b", "label"} <= record.keys():
            found["pairs"].append(path)
        else:
            found["ignored"].append(path)
    return found


def _set_name(path: Path, data: Path) -> str:
    name = path.relative_to(data).as_posix()
    for suffix in (".gz", ".jsonl"):
        name = name.removesuffix(suffix)
    return name.removesuffix("/docs").removesuffix("/pairs")


# ---------------------------------------------------------------------------------- helpers
def _group_scores(gold: Sequence[str], labels: Sequence[int]) -> dict[str, Any]:
    from storymatch.evaluate import evaluate_clustering

    s = evaluate_clustering(gold, labels)
    return {
        "ari": round(s.ari, 4),
        "bcubed_p": round(s.bcubed.precision, 4),
        "bcubed_r": round(s.bcubed.recall, 4),
        "bcubed_f1": round(s.bcubed.f1, 4),
        "pair_p": round(s.pairwise.precision, 4),
        "pair_r": round(s.pairwise.recall, 4),
        "pair_f1": round(s.pairwise.f1, 4),
        "groups": s.n_pred_clusters,
        "gold_groups": s.n_gold_clusters,
    }


def _group_row(task: str, dataset: str, tool: str, scores: dict[str, Any]) -> dict[str, Any]:
    keys = ("ari", "bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r", "pair_f1", "seconds")
    return {"task": task, "dataset": dataset, "tool": tool} | {
        k: scores.get(k) for k in keys if k in scores
    }


def _metrics(prefix: str, scores: dict[str, Any], keys: Sequence[str]) -> dict[str, float]:
    return {f"{prefix}/{k}": float(scores[k]) for k in keys if scores.get(k) is not None}


GROUP_METRICS = ("ari", "bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r", "pair_f1")


def _load_grouping(path: Path) -> tuple[list[Any], list[str]]:
    from storymatch.models import Article

    records = _read_jsonl(path)
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or "text" not in record or "cluster" not in record:
            msg = f"{path}: record {number} lacks 'text' or 'cluster'"
            raise InvalidInputError(msg)
        record.setdefault("id", f"{number}")
        record["id"] = str(record["id"])
    return [Article.from_dict(r) for r in records], [str(r["cluster"]) for r in records]


# ---------------------------------------------------------------------------------- quality
class _Section:
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


def _dedup_shared(data: Path, progress: Callable[[int, int], None]) -> _Section:
    from benchmarks import dedup_quality

    out = _Section()
    result = dedup_quality.run(data, progress=progress)
    out.result = result
    out.markdown = dedup_quality.to_markdown(result)
    out.files = [data / f for f in SECTION_FILES["dedup"]]
    for row in result.get("syndication", []):
        out.groups.append(_group_row("near-duplicates", "syndication", row["tool"], row))
    out.metrics |= _metrics("dedup/syndication", result["syndication"][0], GROUP_METRICS)
    if result.get("harsher"):
        harsh = result["harsher"][0]
        out.metrics |= _metrics("dedup/syndication-harsher", harsh, GROUP_METRICS)
        for row in result["harsher"]:
            out.groups.append(
                _group_row("near-duplicates", "syndication (harsher)", row["tool"], row)
            )
    if result.get("lsh_recall"):
        out.metrics |= _metrics(
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
        rows.append(_group_row("events", row["set"], tool, scores))
        if method.startswith("EventClusterer"):
            metrics |= _metrics(f"events/{row['set']}", scores, GROUP_METRICS)
    return rows, metrics


def _events_shared(data: Path, progress: Callable[[int, int], None]) -> _Section:
    from benchmarks import events_quality

    out = _Section()
    result = events_quality.run(data, progress=progress)
    out.result = result
    out.markdown = events_quality.to_markdown(result)
    out.files = [data / f for f in SECTION_FILES["events"]]
    out.groups, out.metrics = _events_rows(result, ("ecbplus", "basil"))
    return out


def _align_shared(data: Path, progress: Callable[[int, int], None]) -> _Section:
    from benchmarks import align_quality

    out = _Section()
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
    out.metrics = _metrics("align/ecbplus", e, ("precision", "recall", "f1"))
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
    metrics = _metrics("claims/claims_dev", ours, CLAIM_METRICS)
    if ours.get("conflicts", {}).get("p") is not None:
        metrics["claims/claims_dev/conflicts_p"] = round(float(ours["conflicts"]["p"]), 4)
    return result, metrics


def _claims_shared(data: Path, progress: Callable[[int, int], None]) -> _Section:
    from benchmarks import claims_quality

    out = _Section()
    progress(0, 1)
    out.result, out.metrics = _claims_metrics(data)
    progress(1, 1)
    out.markdown = claims_quality.to_markdown(out.result)
    out.files = [data / f for f in SECTION_FILES["claims"]]
    for name, figures in out.result["systems"].items():
        out.alignment.append(
            {
                "dataset": "claims_dev (hand-labelled claims)",
                "tool": "storymatch compare" if name == "storymatch" else name,
                "precision": figures["pair_p"],
                "recall": figures["pair_r"],
                "f1": figures["pair_f1"],
                "note": f"false omissions {figures['false_omission_rate']}",
            }
        )
    return out


# copies -----------------------------------------------------------------------------------
COPY_METRICS = (
    "original_accuracy",
    "numbers_r",
    "numbers_p",
    "added_r",
    "removed_r",
    "headline_r",
)
"""The copy figures gated (higher is better; originals called copies, a count whose target is
0, and the headline false rate are reported, not gated)."""


def _copies_metrics(data: Path) -> tuple[dict[str, Any], dict[str, float]]:
    """Run :mod:`benchmarks.copies_quality` on ``syndication``; return its result and metrics."""
    from benchmarks import copies_quality

    result = copies_quality.run(data / "syndication" / "docs.jsonl.gz")
    return result, _metrics("copies/syndication", result["metrics"], COPY_METRICS)


def _copies_shared(data: Path, progress: Callable[[int, int], None]) -> _Section:
    from benchmarks import copies_quality

    out = _Section()
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
def _pairs_module() -> Any | None:
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


def _baseline_pair_scores(a: Sequence[str], b: Sequence[str]) -> dict[str, np.ndarray[Any, Any]]:
    from rapidfuzz import fuzz
    from sklearn.feature_extraction.text import TfidfVectorizer

    fuzzy = np.array([fuzz.token_set_ratio(x, y) / 100.0 for x, y in zip(a, b, strict=True)])
    vectorizer = TfidfVectorizer(sublinear_tf=True).fit(list(a) + list(b))
    left, right = vectorizer.transform(a), vectorizer.transform(b)
    cosine = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    return {"rapidfuzz token_set_ratio": fuzzy, "TF-IDF cosine": cosine}


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
    tools |= _baseline_pair_scores(a, b)
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


def _pairs_from_sets(
    sets: dict[str, Path], data: Path, progress: Callable[[int, int], None]
) -> _Section:
    out = _Section()
    results: dict[str, dict[str, Any]] = {}
    for done, (name, path) in enumerate(sets.items(), 1):
        results[name] = score_pair_set(_read_jsonl(path))
        out.files.append(path)
        for row in results[name]["rows"]:
            out.pairs.append({"dataset": name} | row)
        ours = results[name]["rows"][0]
        out.metrics |= _metrics(
            f"pairs/{name}", ours, ("precision", "recall", "f1", "accuracy", "pearson_r")
        )
        progress(done, len(sets))
    out.result = {"implementation": "benchmarks.suite.score_pair_set", "sets": results}
    out.markdown = _pair_markdown(results)
    return out


def _pairs_shared(data: Path, progress: Callable[[int, int], None]) -> _Section:
    module = _pairs_module()
    if module is None:  # without benchmarks/pairs_quality.py: MSRP and STS news, in-sample
        sets = {n: data / SHARED_LAYOUT[n] for n in ("msrp", "sts_news")}
        section = _pairs_from_sets({n: p for n, p in sets.items() if p.is_file()}, data, progress)
        section.result["note"] = (
            "in-sample: the default scorer was trained on these sets (tools/train_pair_scorer.py)"
        )
        for row in section.pairs:
            row["dataset"] += " (in-sample)"
        return section
    import inspect

    out = _Section()
    accepted = inspect.signature(module.run).parameters
    options = {k: v for k, v in (("repeats", 2), ("cv", True)) if k in accepted}
    progress(0, 1)
    result = module.run(data, **options)
    progress(1, 1)
    out.result = result
    out.markdown = module.to_markdown(result) if hasattr(module, "to_markdown") else ""
    out.files = [data / f for f in SECTION_FILES["pairs"] if (data / f).is_file()]
    out.metrics, out.pairs = _pairs_module_summary(module, result)
    return out


PAIR_SETS = {"msrp": "msrp", "ecbplus": "ecbplus", "sts": "sts_news"}
"""The sets of :mod:`benchmarks.pairs_quality` and the folder each comes from."""


def _pairs_module_summary(
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
def _dedup_user(
    files: Sequence[Path], data: Path, progress: Callable[[int, int], None]
) -> _Section:
    from benchmarks import dedup_quality
    from storymatch.dedup import NearDuplicateClusterer

    out = _Section()
    datasets: dict[str, Any] = {}
    params = NearDuplicateClusterer().get_params()
    defaults = {
        k: params[k] for k in ("threshold", "containment_threshold", "kind", "shingle_size")
    }
    for done, path in enumerate(files, 1):
        name = _set_name(path, data)
        articles, gold = _load_grouping(path)
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
        out.groups += [_group_row("near-duplicates", name, r["tool"], r) for r in rows]
        out.metrics |= _metrics(f"dedup/{name}", rows[0], GROUP_METRICS)
        progress(done, len(files))
    out.result = {"defaults": defaults, "datasets": datasets}
    out.markdown = "\n".join(
        f"### {name}\n\n{dedup_quality._markdown(d['rows'])}\n\n"
        f"{dedup_quality._markdown(d['sweep'])}\n"
        for name, d in datasets.items()
    )
    return out


def _events_user(
    files: Sequence[Path], data: Path, progress: Callable[[int, int], None]
) -> _Section:
    from benchmarks import events_quality
    from storymatch.events import EventClusterer

    out = _Section()
    datasets: dict[str, Any] = {}
    agg_t = EVENT_BASELINES["agglomerative_distance"]
    uf_t = EVENT_BASELINES["union_find_cosine"]
    for done, path in enumerate(files, 1):
        name = _set_name(path, data)
        articles, gold = _load_grouping(path)
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
            scores = _group_scores(gold, labels) | {
                "seconds": round(time.perf_counter() - started, 3)
            }
            rows.append({"tool": tool, **scores})
            out.groups.append(_group_row("events", name, tool, scores))
        sweep = events_quality.threshold_sweep(articles, gold)
        datasets[name] = {"documents": len(articles), "rows": rows, "sweep": sweep}
        out.files.append(path)
        ours = rows[-1]
        if "error" not in ours:
            out.metrics |= _metrics(f"events/{name}", ours, GROUP_METRICS)
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


# driver -----------------------------------------------------------------------------------
def _run_sections(
    plan: dict[str, Callable[[Callable[[int, int], None]], _Section]],
    progress: Progress,
    err: TextIO | None,
) -> tuple[dict[str, Any], dict[str, _Section]]:
    sections: dict[str, Any] = {}
    done: dict[str, _Section] = {}
    for name, job in plan.items():
        started = time.perf_counter()
        progress(name, 0, 1)
        try:
            section = job(lambda d, t, n=name: progress(n, d, t))
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:  # one broken section must not hide the rest
            message = f"{type(error).__name__}: {error}"
            sections[name] = {"error": message, "traceback": traceback.format_exc()}
            if err is not None:
                err.write(f"storymatch bench: section {name!r} failed: {message}\n")
            continue
        section.result["seconds"] = round(time.perf_counter() - started, 2)
        sections[name] = section.result
        done[name] = section
    return sections, done


def run_quality(
    data: str | os.PathLike[str] | None = None,
    only: str | Sequence[str] | None = None,
    progress: Progress | None = None,
    *,
    err: TextIO | None = None,
    argv: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Run the quality sections on ``data`` and return one JSON-ready result.

    Parameters
    ----------
    data : path or None, default=None
        A folder with the shared layout or any folder of labelled JSONL (see the module
        docstring); None: ``../shared/data``.
    only : str or sequence of str or None, default=None
        Sections to run among ``dedup``, ``events``, ``pairs``, ``align``, ``claims`` and
        ``copies`` (all when None).
    progress : callable or None, default=None
        ``progress(stage, done, total)``.
    err : text stream or None, default=None
        Where to report a section that fails (it is recorded in the result either way).
    argv : sequence of str or None, default=None
        The options as given, recorded as the command.
    """
    folder = _data_dir(data)
    chosen = _parse_only(only, QUALITY_SECTIONS) or list(QUALITY_SECTIONS)
    report = progress or _no_progress
    shared = is_shared_layout(folder)
    plan: dict[str, Callable[[Callable[[int, int], None]], _Section]] = {}
    skipped: dict[str, str] = {}
    found: dict[str, list[Path]] = {}
    if shared:
        jobs = {
            "dedup": _dedup_shared,
            "events": _events_shared,
            "pairs": _pairs_shared,
            "align": _align_shared,
            "claims": _claims_shared,
            "copies": _copies_shared,
        }
        plan = {s: (lambda p, f=jobs[s]: f(folder, p)) for s in chosen}
    else:
        found = discover(folder)
        grouping, pair_files = found["grouping"], found["pairs"]
        if not grouping and not pair_files:
            msg = (
                f"{folder} holds no labelled JSONL: records with 'text' and 'cluster' (groups) "
                "or 'a', 'b' and 'label' (sentence pairs)"
            )
            raise InvalidInputError(msg)
        for section in chosen:
            if section in ("dedup", "events") and grouping:
                job = _dedup_user if section == "dedup" else _events_user
                plan[section] = lambda p, f=job: f(grouping, folder, p)
            elif section == "pairs" and pair_files:
                sets = {_set_name(p, folder): p for p in pair_files}
                plan[section] = lambda p, s=sets: _pairs_from_sets(s, folder, p)
            elif section == "align":
                skipped[section] = "needs the ECB+ and BASIL sets of the shared layout"
            elif section == "claims":
                skipped[section] = "needs the hand-labelled claims_dev set of the shared layout"
            elif section == "copies":
                skipped[section] = "needs the edit logs of the syndication set of the shared layout"
            else:
                skipped[section] = "no data of this shape"
    result = _header(
        "quality",
        argv,
        {
            "data": str(folder),
            "layout": "shared" if shared else "discovered",
            "sections": chosen,
            "pairs_module": "benchmarks.pairs_quality" if _pairs_module() else None,
        },
    )
    if found:
        result["discovered"] = {
            kind: [_set_name(p, folder) if kind != "ignored" else str(p) for p in paths]
            for kind, paths in found.items()
        }
    sections, done = _run_sections(plan, report, err)
    sections |= {name: {"skipped": reason} for name, reason in skipped.items()}
    files = sorted({p.resolve() for s in done.values() for p in s.files if p.is_file()})
    result["data"] = [fingerprint(p, folder.resolve()) for p in files]
    result["sections"] = {s: sections[s] for s in chosen if s in sections}
    result["metrics"] = {k: v for s in done.values() for k, v in s.metrics.items()}
    result["summary"] = {
        "groups": [r for s in done.values() for r in s.groups],
        "pairs": [r for s in done.values() for r in s.pairs],
        "alignment": [r for s in done.values() for r in s.alignment],
        "copies": [r for s in done.values() for r in s.copies],
    }
    result["details_markdown"] = {name: s.markdown for name, s in done.items()}
    result["gate"] = _gate_summary(result)
    return result


def _gate_summary(result: dict[str, Any]) -> dict[str, Any] | None:
    """Return the gate's verdict on ``result``, when ``benchmarks/floors.json`` exists."""
    from benchmarks import gate

    if not FLOORS.is_file():
        return None
    return gate.check(result, gate.load_floors(FLOORS)).to_dict()


def fast_metrics(data: Path, keys: Sequence[str]) -> dict[str, float]:
    """Compute the metrics named ``keys`` that take seconds, the way the full suite does.

    Supported: ``dedup/syndication/*`` (the defaults on the syndication set, as in
    :func:`benchmarks.dedup_quality.syndication_table`) and ``events/basil/*``,
    ``events/ecbplus/*`` (the defaults on BASIL and ECB+, as in
    :func:`benchmarks.events_quality.run`), ``claims/claims_dev/*`` (``compare`` on the
    hand-labelled claims, :mod:`benchmarks.claims_quality`) and ``copies/syndication/*``
    (originals and edits against the syndication edit logs, :mod:`benchmarks.copies_quality`).
    Other keys are left out.
    """
    out: dict[str, float] = {}
    if any(k.startswith("dedup/syndication/") for k in keys):
        from benchmarks import dedup_quality

        articles, gold = dedup_quality.load_syndication(data)
        out |= _metrics(
            "dedup/syndication", dedup_quality.run_storymatch(articles, gold), GROUP_METRICS
        )
    if any(k.startswith("claims/claims_dev/") for k in keys):
        out |= _claims_metrics(data)[1]
    if any(k.startswith("copies/syndication/") for k in keys):
        out |= _copies_metrics(data)[1]
    for name in ("basil", "ecbplus"):
        if any(k.startswith(f"events/{name}/") for k in keys):
            from benchmarks import events_quality
            from storymatch.events import EventClusterer

            articles, gold, _ = events_quality.load(data / name / "docs.jsonl")
            labels = EventClusterer().fit_predict(articles).tolist()
            out |= _metrics(f"events/{name}", _group_scores(gold, labels), GROUP_METRICS)
    return {k: v for k, v in out.items() if k in keys}


# ---------------------------------------------------------------------------------- speed
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


def _rensa_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands that divide ``num_perm`` (rensa needs that), chosen like datasketch's."""
    from datasketch.lsh import _false_negative_probability, _false_positive_probability

    pairs = [(b, num_perm // b) for b in range(1, num_perm + 1) if num_perm % b == 0]
    return min(
        pairs,
        key=lambda p: (
            0.5 * _false_positive_probability(threshold, *p)
            + 0.5 * _false_negative_probability(threshold, *p)
        ),
    )


def rensa_dedup(texts: Sequence[str], *, threshold: float = 0.3, num_perm: int = 128) -> list[int]:
    """Group near-duplicates like the datasketch anchor, with rensa's MinHash and LSH.

    Word 5-gram shingles as :func:`benchmarks.baselines.datasketch_dedup` makes them, an exact
    Jaccard check of every candidate pair and union-find; the LSH bands are the datasketch choice
    among those that divide ``num_perm``.
    """
    import rensa

    from benchmarks.baselines import _find, _shingles

    sets = [_shingles(text, 5) for text in texts]
    hashes = []
    for shingles in sets:
        minhash = rensa.RMinHash(num_perm=num_perm, seed=1)
        minhash.update(list(shingles))
        hashes.append(minhash)
    bands, _ = _rensa_bands(threshold, num_perm)
    lsh = rensa.RMinHashLSH(threshold=threshold, num_perm=num_perm, num_bands=bands)
    for key, minhash in enumerate(hashes):
        lsh.insert(key, minhash)
    parent = list(range(len(texts)))
    for i, minhash in enumerate(hashes):
        for j in lsh.query(minhash):
            if j <= i:
                continue
            left, right = sets[i], sets[j]
            if len(left & right) / len(left | right) < threshold:
                continue
            root_i, root_j = _find(parent, i), _find(parent, j)
            if root_i != root_j:
                parent[max(root_i, root_j)] = min(root_i, root_j)
    return [_find(parent, i) for i in range(len(texts))]


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
        "details": {"bands": _rensa_bands(0.3, 128)[0], "threshold": 0.3},
    }


def _speed_dedup(
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


def _speed_events(
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


def _speed_compare(data: Path, progress: Callable[[int, int], None]) -> dict[str, Any]:
    from benchmarks import compare_speed

    progress(0, 1)
    result: dict[str, Any] = compare_speed.run(data, 3)
    progress(1, 1)
    return result


def _speed_index(
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


def run_speed(
    sizes: str | Sequence[int] = DEFAULT_SIZES,
    progress: Progress | None = None,
    *,
    data: str | os.PathLike[str] | None = None,
    only: str | Sequence[str] | None = None,
    quick: bool = False,
    quiet: bool = False,
    err: TextIO | None = None,
    argv: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Run the speed sections at each corpus size and return one JSON-ready result.

    Parameters
    ----------
    sizes : str or sequence of int, default=(10000, 100000)
        Corpus sizes (``"1k,10k,100k"`` works).
    progress : callable or None, default=None
        ``progress(stage, done, total)``.
    data : path or None, default=None
        The folder holding ``news_pool/`` (corpora), ``basil/`` and ``ecbplus/``.
    only : str or sequence of str or None, default=None
        Sections among ``dedup``, ``events``, ``compare`` and ``index`` (default: all but
        ``index``, which starts a private ``redis-server``).
    quick : bool, default=False
        Skip the numba start-up measurement, the stage timings and the distractor experiment.
    quiet : bool, default=False
        Silence the modules' own log lines on stderr.
    err : text stream or None, default=None
        Where to report a section that fails.
    argv : sequence of str or None, default=None
        The options as given, recorded as the command.
    """
    folder = _data_dir(data)
    chosen = _parse_only(only, SPEED_SECTIONS) or list(DEFAULT_SPEED_SECTIONS)
    sizes_ = parse_sizes(sizes)
    if not (folder / "news_pool" / "docs.jsonl.gz").is_file() and set(chosen) & {
        "dedup",
        "events",
        "index",
    }:
        msg = (
            f"storymatch bench speed builds its corpora from news_pool/docs.jsonl.gz, which "
            f"{folder} lacks; pass --data with the shared data folder"
        )
        raise InvalidParameterError(msg)
    report = progress or _no_progress
    jobs: dict[str, Callable[[Callable[[int, int], None]], dict[str, Any]]] = {
        "dedup": lambda p: _speed_dedup(folder, sizes_, quick, quiet, p),
        "events": lambda p: _speed_events(folder, sizes_, quick, quiet, p),
        "compare": lambda p: _speed_compare(folder, p),
        "index": lambda p: _speed_index(folder, sizes_, quiet, p),
    }

    def wrap(
        job: Callable[[Callable[[int, int], None]], dict[str, Any]],
    ) -> Callable[[Callable[[int, int], None]], _Section]:
        def section(p: Callable[[int, int], None]) -> _Section:
            out = _Section()
            out.result = job(p)
            return out

        return section

    plan = {s: wrap(jobs[s]) for s in chosen}
    result = _header(
        "speed",
        argv,
        {"data": str(folder), "sizes": sizes_, "sections": chosen, "quick": quick},
    )
    sections, _ = _run_sections(plan, report, err)
    used = [folder / f for f in SECTION_FILES["speed"] if (folder / f).is_file()]
    result["data"] = [fingerprint(p, folder) for p in used]
    result["sections"] = sections
    result["summary"] = _speed_summary(sections)
    return result


def _speed_summary(sections: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for name in ("dedup", "events"):
        section = sections.get(name, {})
        anchor_name = "datasketch" if name == "dedup" else "tfidf+agglomerative"
        for size in section.get("sizes", []):
            anchor = size["results"].get(anchor_name, {})
            for tool, r in size["results"].items():
                row: dict[str, Any] = {"task": name, "docs": size["n_docs"], "tool": tool}
                if not r.get("ok"):
                    rows.append(row | {"error": r.get("error", "not run")})
                    continue
                ratio = r.get("speed_vs_anchor")
                if ratio is None and anchor.get("ok"):
                    ratio = round(anchor["seconds"] / r["seconds"], 3)
                rows.append(
                    row
                    | {
                        "seconds": round(r["seconds"], 3),
                        "docs_per_s": round(size["n_docs"] / r["seconds"], 1),
                        "vs_anchor": ratio,
                        "peak_extra_mb": r.get("peak_extra_mb"),
                        "ari": r.get("ari"),
                    }
                )
    growth = {
        name: {
            "time": sections[name].get("growth_exponent", {}),
            "memory": sections[name].get("memory_growth_exponent", {}),
        }
        for name in ("dedup", "events")
        if isinstance(sections.get(name), dict) and "sizes" in sections[name]
    }
    compare_rows = sections.get("compare", {}).get("rows", [])
    return {"throughput": rows, "growth": growth, "compare": compare_rows}


# ---------------------------------------------------------------------------------- output
def _fmt(value: Any, spec: str = ".3f") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return format(value, spec)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def summary_markdown(result: dict[str, Any]) -> str:
    """Render the final tables of a run: the anchors side by side, a row per tool and set."""
    lines: list[str] = []
    summary = result.get("summary", {})
    if result["benchmark"] == "quality":
        if summary.get("groups"):
            lines += [
                "| task | dataset | tool | ARI | B³ P | B³ R | B³ F1 | pair P | pair R | pair F1 |",
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {r['task']} | {r['dataset']} | {r['tool']} | {_fmt(r.get('ari'))} "
                f"| {_fmt(r.get('bcubed_p'))} | {_fmt(r.get('bcubed_r'))} "
                f"| {_fmt(r.get('bcubed_f1'))} | {_fmt(r.get('pair_p'))} "
                f"| {_fmt(r.get('pair_r'))} | {_fmt(r.get('pair_f1'))} |"
                for r in summary["groups"]
            ]
            lines.append("")
        if summary.get("pairs"):
            lines += [
                "| sentence pairs | tool | threshold | P | R | F1 | accuracy | Pearson r |",
                "|---|---|---:|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {r.get('dataset', '')} | {r.get('tool', '')} | {_fmt(r.get('threshold'))} "
                f"| {_fmt(r.get('precision'))} | {_fmt(r.get('recall'))} | {_fmt(r.get('f1'))} "
                f"| {_fmt(r.get('accuracy'))} | {_fmt(r.get('pearson_r'))} |"
                for r in summary["pairs"]
            ]
            lines.append("")
        if summary.get("alignment"):
            lines += [
                "| alignment | tool | P | R | F1 | confirmed / aligned pairs | note |",
                "|---|---|---:|---:|---:|---:|---|",
            ]
            for r in summary["alignment"]:
                confirmed = f"{r['confirmed']:,} / {r['pairs']:,}" if "confirmed" in r else "—"
                lines.append(
                    f"| {r['dataset']} | {r['tool']} | {_fmt(r.get('precision'))} "
                    f"| {_fmt(r.get('recall'))} | {_fmt(r.get('f1'))} | {confirmed} "
                    f"| {r.get('note', '')} |"
                )
            lines.append("")
        if summary.get("copies"):
            lines += [
                "| copies | tool | original | numbers R | numbers P | added R | removed R "
                "| headline R | originals called copies |",
                "|---|---|---:|---:|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {r['dataset']} | {r['tool']} | {_fmt(r.get('original_accuracy'))} "
                f"| {_fmt(r.get('numbers_r'))} | {_fmt(r.get('numbers_p'))} "
                f"| {_fmt(r.get('added_r'))} | {_fmt(r.get('removed_r'))} "
                f"| {_fmt(r.get('headline_r'))} | {r.get('originals_called_copies', '—')} |"
                for r in summary["copies"]
            ]
            lines.append("")
        gate = result.get("gate")
        if gate:
            lines.append(_gate_line(gate))
    else:
        if summary.get("throughput"):
            lines += [
                "| task | docs | tool | time (s) | docs/s | vs anchor | peak extra (MB) | ARI |",
                "|---|---:|---|---:|---:|---:|---:|---:|",
            ]
            for r in summary["throughput"]:
                if "error" in r:
                    lines.append(
                        f"| {r['task']} | {r['docs']:,} | {r['tool']} | {r['error']} |||||"
                    )
                    continue
                ratio = f"{r['vs_anchor']:.2f}x" if r.get("vs_anchor") is not None else "—"
                lines.append(
                    f"| {r['task']} | {r['docs']:,} | {r['tool']} | {r['seconds']:.2f} "
                    f"| {r['docs_per_s']:,.0f} | {ratio} | {_fmt(r.get('peak_extra_mb'), ',.0f')} "
                    f"| {_fmt(r.get('ari'))} |"
                )
            lines.append("")
        for task, growth in summary.get("growth", {}).items():
            parts = [
                f"{tool} time n^{_fmt(growth['time'].get(tool), '.2f')}, memory "
                f"n^{_fmt(growth['memory'].get(tool), '.2f')}"
                for tool in growth["time"]
                if growth["time"].get(tool) is not None
            ]
            if parts:
                lines.append(
                    f"Growth ({task}, smallest to largest size): " + "; ".join(parts) + "."
                )
        if summary.get("compare"):
            lines += [
                "",
                "| comparison | claims | storymatch (s) | difflib.ndiff, all pairs (s) | ratio |",
                "|---|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {r['reports']} reports x {r['sentences']} sentences | {r['claims']} "
                f"| {r['storymatch_s']} | {r['difflib_ndiff_s']} | {r['ratio']} |"
                for r in summary["compare"]
            ]
            lines.append("")
    failed = [n for n, s in result.get("sections", {}).items() if "error" in s]
    skipped = {n: s["skipped"] for n, s in result.get("sections", {}).items() if "skipped" in s}
    if failed:
        lines.append(f"Failed sections: {', '.join(failed)} (see the JSON result).")
    for name, reason in skipped.items():
        lines.append(f"Skipped {name}: {reason}.")
    return "\n".join(lines).rstrip() + "\n"


def _gate_line(gate: dict[str, Any]) -> str:
    if not gate["checked"]:
        return "Gate: no floor applies to these datasets."
    if gate["passed"]:
        return f"Gate: all {gate['checked']} floors met."
    below = ", ".join(f"{f['key']} {f['value']} < {f['floor']}" for f in gate["failures"])
    return f"Gate: {len(gate['failures'])} of {gate['checked']} floors missed: {below}."


def to_markdown(result: dict[str, Any]) -> str:
    """Render the Markdown file of a run: context, the summary, then each section's own tables."""
    m, v = result["machine"], result["versions"]
    title = "Quality" if result["benchmark"] == "quality" else "Speed"
    lines = [
        f"# storymatch benchmarks: {title.lower()} ({result['date']})",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Machine: {m['cpu']}, {m['usable_cores']} usable of {m['cores']} cores, "
        f"{m['memory_gb']} GB, {m['platform']}.",
        "",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items() if val) + ".",
        "",
        f"Data: `{result['settings']['data']}`",
        "",
    ]
    lines += [
        f"- `{d['path']}` {d['bytes']:,} bytes, sha256 `{d['sha256'][:16]}`" for d in result["data"]
    ]
    lines += ["", "## Summary", "", summary_markdown(result)]
    if result["benchmark"] == "quality":
        for name, text in result.get("details_markdown", {}).items():
            if text:
                lines += [f"## {name} (details)", "", text.strip(), ""]
    else:
        for name, section in result["sections"].items():
            if name == "dedup" and "sizes" in section:
                from benchmarks import dedup_speed

                lines += ["## dedup (details)", "", dedup_speed.to_markdown(section).strip(), ""]
            elif name == "events" and "sizes" in section:
                from benchmarks import events_speed

                lines += ["## events (details)", "", events_speed.to_markdown(section).strip(), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_result(
    result: dict[str, Any], out: str | os.PathLike[str] | None = None
) -> tuple[Path, Path]:
    """Write ``<out>/<day>/<benchmark>.json`` and ``.md`` atomically; return both paths.

    Both files are written to temporary names first and renamed only when both are complete;
    an error in between removes the temporary files, and Ctrl-C waits until both are in place.
    """
    payload = {k: v for k, v in result.items() if k != "details_markdown"}
    return write_results(
        out if out is not None else DEFAULT_OUT,
        result["day"],
        result["benchmark"],
        payload,
        lambda: to_markdown(result),
        ensure_ascii=False,
    )


# ---------------------------------------------------------------------------------- commands
def command(
    which: str,
    *,
    data: str | None = None,
    only: str | None = None,
    sizes: str | None = None,
    out_dir: str | None = None,
    quick: bool = False,
    as_json: bool = False,
    quiet: bool = False,
    write: bool = True,
    progress: Progress | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    argv: Sequence[str] | None = None,
) -> int:
    """Run ``quality`` or ``speed``, write the result, print the table; return the exit status.

    0: every section ran; 1: a section failed (recorded in the result, which is written all
    the same). Bad options raise :class:`~storymatch.errors.InvalidParameterError`.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if which == "quality":
        result = run_quality(data, only, progress, err=err, argv=argv)
    elif which == "speed":
        result = run_speed(
            sizes or DEFAULT_SIZES,
            progress,
            data=data,
            only=only,
            quick=quick,
            quiet=quiet,
            err=err,
            argv=argv,
        )
    else:
        msg = f"storymatch bench runs 'quality' or 'speed'. Got {which!r} instead."
        raise InvalidParameterError(msg)
    if write:
        json_path, md_path = write_result(result, out_dir)
        result["written"] = [str(json_path), str(md_path)]
    if as_json:
        payload = {k: v for k, v in result.items() if k != "details_markdown"}
        out.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    elif not quiet:
        out.write(summary_markdown(result))
    if write and not quiet:
        err.write(f"results: {result['written'][0]} and {result['written'][1]}\n")
    return 1 if any("error" in s for s in result["sections"].values()) else 0


def _stderr_progress(quiet: bool) -> Progress:
    """Plain progress lines on stderr (for ``python -m benchmarks.suite``)."""
    started: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if quiet:
            return
        started.setdefault(stage, time.perf_counter())
        if done == total and done:
            took = time.perf_counter() - started[stage]
            sys.stderr.write(f"{stage}: done in {took:.1f}s\n")

    return progress


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.suite quality|speed [options]`` (the same as ``storymatch bench``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite")
    parser.add_argument("which", choices=["quality", "speed"])
    parser.add_argument("--data", default=None)
    parser.add_argument("--only", default=None)
    parser.add_argument("--sizes", default=None)
    parser.add_argument("--out", default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    try:
        return command(
            args.which,
            data=args.data,
            only=args.only,
            sizes=args.sizes,
            out_dir=args.out,
            quick=args.quick,
            as_json=args.json,
            quiet=args.quiet,
            write=not args.no_write,
            progress=_stderr_progress(args.quiet),
            argv=list(argv if argv is not None else sys.argv[1:])[1:],
        )
    except InvalidParameterError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    except InvalidInputError as error:
        sys.stderr.write(f"error: {error}\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
