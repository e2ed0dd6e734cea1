r"""Sentence splitting on ECB+: boundary precision, recall and F1, and speed.

Run from the repository root::

    python -m benchmarks.sentences [--data ../shared/data] [--out benchmarks/results]
                                   [--topics 2,5,12] [--repeat 5]

ECB+ (``DIR/ecbplus/docs.jsonl``) gives each document's gold sentences. Its ``text`` joins them
with ``"\n"``, which makes splitting trivial for any splitter that cuts at line breaks, so each
splitter is scored three ways:

- ``space``: the gold sentences joined with one space -- the honest test. Headlines and
  datelines without final punctuation ("May 03, 2013") cannot be found there by anyone, so
  recall has a ceiling below 1.
- ``space, punctuated gold``: the same texts, scored only on the gold boundaries that follow
  terminal punctuation (``.``, ``?``, ``!``, ``…``, before closing quotes): the part of the
  ``space`` test a punctuation-driven splitter can pass. Predictions in the other gaps count
  neither way.
- ``original``: the gold sentences joined with ``"\n"`` (the dataset's ``text``).

Gold boundaries are the ends of the gold sentences but the last (after stripping); a predicted
boundary is the end of a predicted sentence but the last, after stripping trailing whitespace,
and it matches when it falls in the whitespace gap between two gold sentences (each gold
boundary matches at most once). Splitters: storymatch's :func:`split_sentences`, pysbd
(``Segmenter(language="en", clean=False, char_span=True)``) and syntok
(``syntok.segmenter.analyze``), in the same process on the same texts. Speed is documents and
gold sentences per second over the whole set (best of ``--repeat`` runs for storymatch,
half as many for syntok, one run for pysbd), and the ratio to pysbd measured in the same run;
each splitter runs once per text variant, and both ``space`` scorings share that run.

Results are printed as Markdown and written to ``<out>/<date>/sentences.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.results import write_results
from benchmarks.timing import best_time

__all__ = [
    "BoundaryCounts",
    "Case",
    "boundary_counts",
    "load_ecbplus",
    "main",
    "make_cases",
    "pysbd_ends",
    "storymatch_ends",
    "syntok_ends",
]

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

Ends = Callable[[str], list[int]]
"""A splitter seen by the benchmark: text -> end offsets of its sentences (stripped)."""


@dataclass(frozen=True, slots=True)
class Case:
    """One document as a splitter sees it, with its gold boundary gaps."""

    doc_id: str
    topic: int
    text: str
    gaps: tuple[tuple[int, int], ...]
    """For each gold boundary, the ``[end, next_start]`` offsets of the gap between sentences."""
    punctuated: tuple[bool, ...]
    """For each gold boundary, whether the sentence before it ends with terminal punctuation."""


@dataclass(frozen=True, slots=True)
class BoundaryCounts:
    """True positives, false positives and false negatives of predicted boundaries."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: BoundaryCounts) -> BoundaryCounts:
        return BoundaryCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """Share of predicted boundaries that are gold boundaries."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of gold boundaries that were predicted."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_ecbplus(data: Path, topics: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Return the ECB+ documents of ``data/ecbplus/docs.jsonl`` (only ``topics`` if given)."""
    wanted = None if topics is None else set(topics)
    with (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle if line.strip()]
    return [d for d in docs if wanted is None or d["topic"] in wanted]


def make_cases(docs: Sequence[dict[str, Any]], separator: str) -> list[Case]:
    """Join each document's gold sentences with ``separator`` and record the gold gaps."""
    cases = []
    for doc in docs:
        sentences = [s.strip() for s in doc["sentences"] if s.strip()]
        gaps = []
        pos = 0
        for k, sentence in enumerate(sentences):
            end = pos + len(sentence)
            if k < len(sentences) - 1:
                gaps.append((end, end + len(separator)))
            pos = end + len(separator)
        punctuated = tuple(s.rstrip(_CLOSERS)[-1:] in _TERMINAL for s in sentences[: len(gaps)])
        cases.append(
            Case(doc["id"], doc["topic"], separator.join(sentences), tuple(gaps), punctuated)
        )
    return cases


_CLOSERS = "\"'\u201d\u2019)]\u00bb "
_TERMINAL = frozenset(".?!\u2026")


def boundary_counts(
    case: Case, ends: Sequence[int], *, punctuated_only: bool = False
) -> BoundaryCounts:
    """Score the sentence ``ends`` predicted for one case (the last end is not a boundary).

    With ``punctuated_only``, gold boundaries after a sentence without terminal punctuation
    (headlines, datelines) are left out: missing them is no false negative, and predicting them
    is no false positive.
    """
    slot: dict[int, int] = {}
    for k, (lo, hi) in enumerate(case.gaps):
        for pos in range(lo, hi + 1):
            slot[pos] = k
    ignored = {k for k, p in enumerate(case.punctuated) if punctuated_only and not p}
    hit: set[int] = set()
    fp = 0
    for end in sorted(set(ends))[:-1]:
        gap = slot.get(end, -1)
        if gap in ignored:
            continue
        if gap < 0 or gap in hit:
            fp += 1
        else:
            hit.add(gap)
    return BoundaryCounts(len(hit), fp, len(case.gaps) - len(ignored) - len(hit))


def storymatch_ends() -> Ends:
    """Return storymatch's splitter as an :data:`Ends` function."""
    from storymatch.text.sentences import split_sentences

    def ends(text: str) -> list[int]:
        return [s.end for s in split_sentences(text)]

    return ends


def pysbd_ends() -> Ends:
    """Return pysbd (English, ``clean=False``, ``char_span=True``) as an :data:`Ends` function."""
    pysbd: Any = importlib.import_module("pysbd")
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def ends(text: str) -> list[int]:
        return [span.start + len(span.sent.rstrip()) for span in segmenter.segment(text)]

    return ends


def syntok_ends() -> Ends:
    """Return syntok's segmenter as an :data:`Ends` function."""
    segmenter: Any = importlib.import_module("syntok.segmenter")

    def ends(text: str) -> list[int]:
        out: list[int] = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                if sentence:
                    last = sentence[-1]
                    out.append(last.offset + len(last.value))
        return out

    return ends


def _predict(ends: Ends, cases: Sequence[Case], repeat: int) -> tuple[list[list[int]], float]:
    """Return the predicted ends of every case and the best time of ``repeat`` runs (seconds)."""
    best, predicted = best_time(lambda: [ends(case.text) for case in cases], repeat)
    return predicted, best


def evaluate(
    docs: Sequence[dict[str, Any]], *, repeat: int = 5, tools: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Return one result row per (scoring, splitter); each splitter runs once per text variant."""
    factories: dict[str, tuple[Callable[[], Ends], int]] = {
        "storymatch": (storymatch_ends, repeat),
        "pysbd": (pysbd_ends, 1),
        "syntok": (syntok_ends, max(1, repeat // 2)),
    }
    names = list(tools) if tools else list(factories)
    n_sentences = sum(len([s for s in d["sentences"] if s.strip()]) for d in docs)
    variants = (
        (" ", (("space", False), ("space, punctuated gold", True))),
        ("\n", (("original", False),)),
    )
    rows: list[dict[str, Any]] = []
    for separator, scorings in variants:
        cases = make_cases(docs, separator)
        timings: dict[str, float] = {}
        first_row = len(rows)
        for name in names:
            factory, runs = factories[name]
            predicted, seconds = _predict(factory(), cases, runs)
            timings[name] = seconds
            for label, punctuated_only in scorings:
                counts = BoundaryCounts()
                for case, case_ends in zip(cases, predicted, strict=True):
                    counts += boundary_counts(case, case_ends, punctuated_only=punctuated_only)
                rows.append(
                    {
                        "text": label,
                        "splitter": name,
                        "precision": round(counts.precision, 4),
                        "recall": round(counts.recall, 4),
                        "f1": round(counts.f1, 4),
                        "tp": counts.tp,
                        "fp": counts.fp,
                        "fn": counts.fn,
                        "docs_per_s": round(len(cases) / seconds, 1),
                        "sentences_per_s": round(n_sentences / seconds),
                        "seconds": round(seconds, 3),
                    }
                )
        if "pysbd" in timings:
            for row in rows[first_row:]:
                row["speed_vs_pysbd"] = round(timings["pysbd"] / timings[row["splitter"]], 1)
    rows.sort(key=lambda row: ["space", "space, punctuated gold", "original"].index(row["text"]))
    return rows


def _markdown(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    keys = list(rows[-1])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sentence-splitting benchmark and write its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    env_data = os.environ.get("STORYMATCH_DATA")
    parser.add_argument("--data", type=Path, default=Path(env_data) if env_data else DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--topics", help="comma-separated ECB+ topic ids (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the fast splitters")
    parser.add_argument(
        "--tools", help="comma-separated subset of storymatch,pysbd,syntok (default: all)"
    )
    args = parser.parse_args(argv)
    topics = [int(t) for t in args.topics.split(",")] if args.topics else None
    docs = load_ecbplus(args.data, topics)
    tools = args.tools.split(",") if args.tools else None
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "data": str(args.data / "ecbplus" / "docs.jsonl"),
        "topics": topics or "all",
        "documents": len(docs),
        "gold_sentences": sum(len([s for s in d["sentences"] if s.strip()]) for d in docs),
        "ecbplus": evaluate(docs, repeat=args.repeat, tools=tools),
    }
    md = [
        f"# Sentence splitting on ECB+ ({result['date']}, {result['machine']})",
        "",
        f"{result['documents']} documents, {result['gold_sentences']} gold sentences, "
        f"topics: {result['topics']}. `space`: gold sentences joined by one space; "
        "`original`: joined by a line break.",
        "",
        _markdown(result["ecbplus"]),
    ]
    text = "\n".join(md) + "\n"
    print(text)
    write_results(args.out, result["date"], "sentences", result, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
