"""Speed of one comparison: 5 reports x 50 sentences and 20 reports x 50 sentences (issue 5).

Run::

    python -m benchmarks.compare_speed [--data ../shared/data] [--repeat 3]

Reports are built from real text: the three BASIL reports of one event (Fox, NYT, HuffPost)
give a pool of sentences; each report takes 50 of them, most from one outlet's article in its
order, some from the other two (what another outlet also says), shuffled in part (reordering),
so that claims are shared by some, all or one report, as in real coverage. The anchor is what a
user would otherwise run: ``difflib.SequenceMatcher`` over the sentence lists of every pair of
reports, with a fuzzy ratio for the changed blocks (``difflib.ndiff``), timed in the same run.
Times are wall-clock seconds of the whole call (cleaning, splitting, alignment, diffs,
conflicts), median of ``--repeat`` runs, for the default scorer and for each named claim
scorer (``lexical``; ``combined`` when the ``semantic`` extra is installed, with its sentence
embeddings computed afresh in every run: the model is loaded once before timing, the
embedding cache is cleared before each run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import itertools
import json
import platform
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.results import write_results
from benchmarks.timing import median_time
from storymatch.differ.comparison import compare
from storymatch.models import Article

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def make_reports(data: Path, n_reports: int, n_sentences: int, *, seed: int = 0) -> list[Article]:
    """Build ``n_reports`` reports of ``n_sentences`` sentences from the largest BASIL event."""
    groups: dict[str, list[dict[str, Any]]] = {}
    with (data / "basil" / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            groups.setdefault(record["cluster"], []).append(record)
    triplet = max(groups.values(), key=lambda g: sum(len(p) for r in g for p in r["paragraphs"]))
    outlets = [[s for p in r["paragraphs"] for s in p] for r in triplet]
    rnd = random.Random(seed)
    reports = []
    for k in range(n_reports):
        own = outlets[k % len(outlets)]
        others = [s for i, o in enumerate(outlets) if i != k % len(outlets) for s in o]
        take = sorted(rnd.sample(range(len(own)), min(len(own), int(n_sentences * 0.7))))
        body = [own[i] for i in take]
        body += rnd.sample(others, n_sentences - len(body))
        head, tail = body[: n_sentences // 2], body[n_sentences // 2 :]
        rnd.shuffle(tail)
        text = "\n\n".join(head + tail)
        reports.append(Article(id=f"r{k:02d}", text=text, source=f"outlet{k:02d}.example"))
    return reports


def difflib_anchor(reports: Sequence[Article]) -> None:
    """Run what a user would: ndiff over the sentence lists of every pair of reports."""
    lists = [[line + "\n" for line in r.text.split("\n\n")] for r in reports]
    for a, b in itertools.combinations(lists, 2):
        for _ in difflib.ndiff(a, b):
            pass


def _scorers() -> list[str]:
    from storymatch.differ.semantic import semantic_available

    return ["lexical", "combined"] if semantic_available() else ["lexical"]


def _fresh(reports: Sequence[Article], scorer: str | None) -> Any:
    """Compare with no sentence embedding cached (a new event)."""
    if scorer != "lexical":
        from storymatch.differ.semantic import clear_cache

        clear_cache()
    return compare(reports, scorer=scorer)


def run(data: Path, repeat: int) -> dict[str, Any]:
    """Time every configuration; return the JSON-ready results."""
    scorers = _scorers()
    for name in scorers:  # warm up: imports, compiled kernels, the model's session
        compare(make_reports(data, 2, 10), scorer=name)
    rows = []
    for n_reports, n_sentences in ((5, 50), (20, 50)):
        reports = make_reports(data, n_reports, n_sentences)
        ours = median_time(lambda r=reports: _fresh(r, None), repeat)
        by_scorer = {
            name: round(median_time(lambda r=reports, n=name: _fresh(r, n), repeat), 3)
            for name in scorers
        }
        anchor = median_time(lambda r=reports: difflib_anchor(r), repeat)
        result = compare(reports)
        rows.append(
            {
                "reports": n_reports,
                "sentences": n_sentences,
                "distinct_sentences": len(
                    {s.text for c in result.claims for cell in c.cells for s in cell.sentences}
                ),
                "claims": len(result.claims),
                "scorer": result.scorer,
                "storymatch_s": round(ours, 3),
                "by_scorer_s": by_scorer,
                "difflib_ndiff_s": round(anchor, 3),
                "ratio": round(ours / anchor, 2) if anchor else None,
            }
        )
    return {
        "date": dt.date.today().isoformat(),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "repeat": repeat,
        "scorers": scorers,
        "rows": rows,
    }


def to_markdown(result: dict[str, Any]) -> str:
    """Render the results as Markdown."""
    scorers = result.get("scorers", [])
    lines = [
        f"## Comparison speed ({result['date']}, median of {result['repeat']})",
        "",
        "| reports x sentences | distinct sentences | claims | storymatch.compare, default (s) | "
        + "".join(f"scorer {name} (s) | " for name in scorers)
        + "difflib.ndiff, all pairs (s) | time ratio |",
        "| --- | ---: | ---: | ---: | " + "---: | " * len(scorers) + "---: | ---: |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['reports']} x {row['sentences']} | {row.get('distinct_sentences', '')} | "
            f"{row['claims']} | {row['storymatch_s']} ({row.get('scorer')}) | "
            + "".join(f"{row['by_scorer_s'][name]} | " for name in scorers)
            + f"{row['difflib_ndiff_s']} | {row['ratio']} |"
        )
    lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_speed")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    result = run(args.data, args.repeat)
    markdown = to_markdown(result)
    print(markdown)
    json_path, _ = write_results(args.out, result["date"], "compare_speed", result, markdown)
    print(f"written to {json_path.parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
