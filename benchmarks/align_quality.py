"""Quality of the N-way alignment of sentences into claims, on real data (issue 5).

Run::

    python -m benchmarks.align_quality [--data ../shared/data] [--out benchmarks/results]

1. **ECB+ same-event alignment.** For every gold event (sub-topic) of ``ecbplus/docs.jsonl``
   with two or more documents, the annotated sentences of all its documents are aligned at
   once (N-way). Gold: the sentence pairs of ``sentence_pairs.jsonl.gz`` between two documents
   of the event, positive when they mention a common gold event instance. Reported: precision
   and recall of the aligned cross-document pairs (pairs in one claim) against that gold, over
   all same-event document pairs. The gold is a proxy (a sentence that mentions several events
   is positive with several others, while a claim holds one cell per report), so recall has a
   ceiling below 1.
2. **BASIL, against difflib.** For each triplet (Fox, NYT, HuffPost) and each pair of its
   reports: the sentence pairs that ``difflib.ndiff`` over the two sentence lists pairs (exact
   lines and its fuzzy "changed line" pairs, which is what users see), and those storymatch
   aligns; how many of each the default scorer confirms at a strict threshold; and how many of
   storymatch's confirmed pairs are out of order (they cross another aligned pair), which a
   monotone diff cannot find.
3. **BASIL informational bias.** Share of sentences holding a gold informational-bias span
   (content one outlet chose to include) that end in "some"/"one outlet" claims, against the
   same share for the other sentences.

Sentences are the datasets' own segmentation (this measures the alignment, not the splitter).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import gzip
import itertools
import json
import platform
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.results import write_results
from storymatch.differ.align import align_sentences
from storymatch.differ.similarity import Scorer, default_scorer

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
STRICT = 0.8  # "right by the scorer's strict threshold": a confident same-claim score


def _pairs_of(clusters: Sequence[Sequence[tuple[int, int]]]) -> set[tuple[tuple[int, int], ...]]:
    out: set[tuple[tuple[int, int], ...]] = set()
    for cluster in clusters:
        for x, y in itertools.combinations(sorted(cluster), 2):
            if x[0] != y[0]:
                out.add((x, y))
    return out


def ecb_alignment(data: Path, scorer: Scorer, **options: Any) -> dict[str, Any]:
    """Precision/recall of aligned pairs against ECB+ same-event sentence pairs."""
    docs: dict[str, dict[str, Any]] = {}
    with (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            docs[record["id"]] = record
    gold: dict[tuple[str, int, str, int], int] = {}
    with gzip.open(data / "ecbplus" / "sentence_pairs.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            p = json.loads(line)
            if p["same_subtopic"]:
                gold[p["a_doc"], p["a_sent"], p["b_doc"], p["b_sent"]] = p["label"]
                gold[p["b_doc"], p["b_sent"], p["a_doc"], p["a_sent"]] = p["label"]
    events: dict[str, list[str]] = defaultdict(list)
    for doc_id, record in docs.items():
        events[record["cluster"]].append(doc_id)
    tp = fp = fn = 0
    unlabelled = 0
    seconds = 0.0
    n_events = 0
    for _, members in sorted(events.items()):
        if len(members) < 2:
            continue
        members.sort()
        n_events += 1
        reports = [docs[m]["sentences"] for m in members]
        ids = [docs[m]["sentence_ids"] for m in members]
        started = time.perf_counter()
        result = align_sentences(reports, scorer=scorer, **options)
        seconds += time.perf_counter() - started
        aligned = {
            (members[x[0]], ids[x[0]][x[1]], members[y[0]], ids[y[0]][y[1]])
            for x, y in _pairs_of(result.clusters)
        }
        for key in aligned:
            label = gold.get(key)
            if label is None:
                unlabelled += 1
            elif label:
                tp += 1
            else:
                fp += 1
        for (da, sa, db, sb), label in gold.items():
            if (
                label
                and da < db
                and da in members
                and db in members
                and (da, sa, db, sb) not in aligned
            ):
                fn += 1
    precision = tp / max(tp + fp, 1)
    recall = tp / max(tp + fn, 1)
    ceiling = _recall_ceiling(gold, events)
    return {
        "events": n_events,
        "aligned_pairs": tp + fp,
        "unlabelled_pairs": unlabelled,
        "gold_pairs": tp + fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / max(precision + recall, 1e-12), 4),
        "recall_ceiling": round(ceiling, 4),
        "seconds": round(seconds, 2),
    }


def _recall_ceiling(
    gold: dict[tuple[str, int, str, int], int], events: dict[str, list[str]]
) -> float:
    """Best recall any one-sentence-per-report alignment can reach.

    For each pair of documents, a maximum matching over its gold positive sentence pairs; a
    claim pairs each sentence with at most one sentence of another report (cells of several
    sentences aside), so the matching's size bounds the positives it can recover.
    """
    from scipy.optimize import linear_sum_assignment

    doc_event = {d: e for e, members in events.items() for d in members}
    by_docs: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for (da, sa, db, sb), label in gold.items():
        if label and da < db and doc_event.get(da) == doc_event.get(db):
            by_docs[da, db].append((sa, sb))
    total = matched = 0
    for pairs in by_docs.values():
        rows = sorted({a for a, _ in pairs})
        cols = sorted({b for _, b in pairs})
        matrix = np.zeros((len(rows), len(cols)))
        for a, b in pairs:
            matrix[rows.index(a), cols.index(b)] = 1.0
        r, c = linear_sum_assignment(-matrix)
        matched += int(matrix[r, c].sum())
        total += len(pairs)
    return matched / max(total, 1)


def basil_triplets(data: Path) -> list[list[dict[str, Any]]]:
    """Read BASIL as triplets of records (sorted by source), sorted by cluster id."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with (data / "basil" / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            groups[record["cluster"]].append(record)
    return [sorted(g, key=lambda r: r["source"]) for _, g in sorted(groups.items())]


def _sentences(record: dict[str, Any]) -> list[str]:
    return [s for paragraph in record["paragraphs"] for s in paragraph]


def difflib_pairs(a: Sequence[str], b: Sequence[str]) -> set[tuple[int, int]]:
    """Sentence pairs that ``difflib.ndiff`` pairs: equal lines and fuzzy "changed" lines.

    ndiff writes a changed pair as ``- a`` then ``+ b``, with ``? `` hint lines under one or
    both; an unrelated deletion followed by an insertion has no hints.
    """
    entries: list[list[Any]] = []  # [tag, hinted]
    for line in difflib.ndiff([s + "\n" for s in a], [s + "\n" for s in b]):
        if line.startswith("? "):
            entries[-1][1] = True
        else:
            entries.append([line[:2], False])
    out: set[tuple[int, int]] = set()
    i = j = 0
    for k, (tag, hinted) in enumerate(entries):
        if tag == "  ":
            out.add((i, j))
            i += 1
            j += 1
        elif tag == "- ":
            nxt = entries[k + 1] if k + 1 < len(entries) else None
            if nxt is not None and nxt[0] == "+ " and (hinted or nxt[1]):
                out.add((i, j))  # the "+ " entry that follows is j
            i += 1
        else:
            j += 1
    return out


def basil(data: Path, scorer: Scorer, **options: Any) -> dict[str, Any]:
    """Difflib against storymatch on BASIL pairs, and where informational bias lands."""
    counts = {
        "difflib_pairs": 0,
        "difflib_confirmed": 0,
        "storymatch_pairs": 0,
        "storymatch_confirmed": 0,
        "storymatch_out_of_order": 0,
        "both_confirmed": 0,
    }
    inf = {"with_span": 0, "with_span_partial": 0, "other": 0, "other_partial": 0}
    status_counts: dict[str, int] = defaultdict(int)
    for triplet in basil_triplets(data):
        reports = [_sentences(r) for r in triplet]
        result = align_sentences(reports, scorer=scorer, **options)
        claim_of: dict[tuple[int, int], int] = {}
        for c, cluster in enumerate(result.clusters):
            outlets = {r for r, _ in cluster}
            status = (
                "all" if len(outlets) == len(reports) else "one" if len(outlets) == 1 else "some"
            )
            status_counts[status] += 1
            for key in cluster:
                claim_of[key] = c
        n_outlets = {c: len({r for r, _ in cl}) for c, cl in enumerate(result.clusters)}
        for r, record in enumerate(triplet):
            spans = {
                (s["paragraph"], s["sentence"])
                for s in record["bias_spans"]
                if s["bias"] == "inf" and s.get("paragraph") is not None
            }
            flat = [(p, s) for p, para in enumerate(record["paragraphs"]) for s in range(len(para))]
            for i, ps in enumerate(flat):
                partial = n_outlets[claim_of[r, i]] < len(reports)
                if ps in spans:
                    inf["with_span"] += 1
                    inf["with_span_partial"] += partial
                else:
                    inf["other"] += 1
                    inf["other_partial"] += partial
        aligned = _pairs_of(result.clusters)
        for ra, rb in itertools.combinations(range(len(reports)), 2):
            a, b = reports[ra], reports[rb]
            ours = sorted((x[1], y[1]) for x, y in aligned if x[0] == ra and y[0] == rb)
            theirs = sorted(difflib_pairs(a, b))
            todo = sorted(set(ours) | set(theirs))
            scores = (
                dict(
                    zip(todo, scorer([a[i] for i, _ in todo], [b[j] for _, j in todo]), strict=True)
                )
                if todo
                else {}
            )
            ok_ours = {p for p in ours if scores[p] >= STRICT}
            ok_theirs = {p for p in theirs if scores[p] >= STRICT}
            counts["difflib_pairs"] += len(theirs)
            counts["difflib_confirmed"] += len(ok_theirs)
            counts["storymatch_pairs"] += len(ours)
            counts["storymatch_confirmed"] += len(ok_ours)
            counts["both_confirmed"] += len(ok_ours & ok_theirs)
            counts["storymatch_out_of_order"] += sum(
                1 for p in ok_ours if any((p[0] - q[0]) * (p[1] - q[1]) < 0 for q in ok_ours)
            )
    share = inf["with_span_partial"] / max(inf["with_span"], 1)
    other = inf["other_partial"] / max(inf["other"], 1)
    return {
        "triplets": len(basil_triplets(data)),
        **counts,
        "claims_by_status": dict(status_counts),
        "inf_span_sentences": inf["with_span"],
        "inf_span_in_partial_claims": round(share, 4),
        "other_sentences_in_partial_claims": round(other, 4),
    }


def run(data: Path, **options: Any) -> dict[str, Any]:
    """Run both parts; return the JSON-ready results."""
    scorer = default_scorer()
    return {
        "date": dt.date.today().isoformat(),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "scorer": type(scorer).__name__,
        "threshold": scorer.threshold,
        "strict": STRICT,
        "options": options,
        "ecbplus": ecb_alignment(data, scorer, **options),
        "basil": basil(data, scorer, **options),
    }


def to_markdown(result: dict[str, Any]) -> str:
    """Render the results as Markdown."""
    e, b = result["ecbplus"], result["basil"]
    lines = [
        f"## Alignment quality ({result['date']}, {result['scorer']}, "
        f"threshold {result['threshold']:.3f})",
        "",
        "| ECB+ same-event pairs | events | aligned | precision | recall | F1 | "
        "recall ceiling | seconds |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| N-way alignment | {e['events']} | {e['aligned_pairs']} | {e['precision']:.3f} | "
        f"{e['recall']:.3f} | {e['f1']:.3f} | {e['recall_ceiling']:.3f} | {e['seconds']} |",
        "",
        f"| BASIL ({b['triplets']} triplets, report pairs) | pairs aligned | "
        f"confirmed (score >= {result['strict']}) |",
        "| --- | ---: | ---: |",
        f"| difflib.ndiff over sentence lists | {b['difflib_pairs']} | {b['difflib_confirmed']} |",
        f"| storymatch | {b['storymatch_pairs']} | {b['storymatch_confirmed']} |",
        f"| ... of which out of order (a monotone diff cannot find them) | | "
        f"{b['storymatch_out_of_order']} |",
        f"| confirmed by both | | {b['both_confirmed']} |",
        "",
        f"BASIL claims by status: {b['claims_by_status']}. Sentences with a gold informational-"
        f"bias span in 'some'/'one outlet' claims: {b['inf_span_in_partial_claims']:.1%} "
        f"({b['inf_span_sentences']} sentences); other sentences: "
        f"{b['other_sentences_in_partial_claims']:.1%}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.align_quality")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    parser.add_argument("--link", type=float, default=None)
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args(argv)
    options = {
        k: v for k, v in (("link", args.link), ("threshold", args.threshold)) if v is not None
    }
    result = run(args.data, **options)
    markdown = to_markdown(result)
    print(markdown)
    json_path, _ = write_results(args.out, result["date"], "align_quality", result, markdown)
    print(f"written to {json_path.parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
