"""Memory of one comparison of two long reports: bounded by candidates, not sentences squared.

Run::

    python -m benchmarks.compare_memory [--data ../shared/data] [--mb 1.6] [--scorer lexical]

Two reports of ``--mb`` megabytes each (characters) are built from real articles of
``news_pool``: a fifth of the articles appear in both (in reverse order in the second, so
claims are shared and reordered), the rest are each report's own. Each comparison runs in a
forked child (:func:`benchmarks.timing.in_child`) after the imports, and its wall time and
peak resident memory above the child's memory before the call are recorded
(:func:`benchmarks.timing.measure_peak`). The issue's bound: two 1.6 MB reports within 1 GB.
The anchor is what a user would otherwise run on such reports, ``difflib.SequenceMatcher``
over the two sentence lists (one line per paragraph, ``quick_ratio`` blocks), timed and
measured the same way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import gzip
import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.results import write_results
from benchmarks.timing import in_child, measure_peak
from storymatch.differ.comparison import compare
from storymatch.models import Article

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SHARED_PART = 5  # one article in this many appears in both reports


def make_reports(data: Path, megabytes: float) -> list[Article]:
    """Build two reports of ``megabytes`` million characters each from ``news_pool``."""
    size = int(megabytes * 1_000_000)
    texts: list[str] = []
    total = 0
    with gzip.open(data / "news_pool" / "docs.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            texts.append(text)
            total += len(text)
            if total > 2.2 * size:
                break
    shared = texts[: len(texts) // SHARED_PART]
    rest = texts[len(texts) // SHARED_PART :]

    def build(pool: Sequence[str]) -> str:
        out: list[str] = []
        n = 0
        for text in pool:
            out.append(text)
            n += len(text) + 2
            if n >= size:
                break
        return "\n\n".join(out)[:size]

    return [
        Article("a", build([*shared, *rest[::2]]), source="one.example"),
        Article("b", build([*shared[::-1], *rest[1::2]]), source="two.example"),
    ]


def difflib_anchor(reports: Sequence[Article]) -> int:
    """Match the paragraph lists of the two reports with difflib; return the matched lines."""
    a, b = (r.text.split("\n\n") for r in reports)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def _measure(fn: Any) -> dict[str, Any]:
    result, peak = measure_peak(fn)
    return {
        "seconds": round(peak.seconds, 2),
        "peak_extra_mb": peak.peak_extra_mb,
        "baseline_mb": round(peak.baseline_rss_bytes / 2**20, 1),
        "result": result,
    }


def run(data: Path, megabytes: Sequence[float], scorer: str) -> dict[str, Any]:
    """Measure every size; return the JSON-ready results."""
    compare(make_reports(data, 0.002), scorer=scorer)  # imports and kernels before forking
    rows = []
    for mb in megabytes:
        reports = make_reports(data, mb)

        def ours(r: list[Article] = reports) -> dict[str, Any]:
            return _measure(lambda: len(compare(r, scorer=scorer).claims))

        def anchor(r: list[Article] = reports) -> dict[str, Any]:
            return _measure(lambda: difflib_anchor(r))

        mine, theirs = in_child(ours), in_child(anchor)
        if not mine["ok"] or not theirs["ok"]:  # killed for memory, say: say so in the row
            rows.append({"megabytes": mb, "error": mine.get("error") or theirs.get("error")})
            continue
        rows.append(
            {
                "megabytes": mb,
                "characters": [len(r.text) for r in reports],
                "claims": mine["result"],
                "storymatch_s": mine["seconds"],
                "storymatch_peak_extra_mb": mine["peak_extra_mb"],
                "difflib_s": theirs["seconds"],
                "difflib_peak_extra_mb": theirs["peak_extra_mb"],
            }
        )
    return {
        "date": dt.date.today().isoformat(),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "scorer": scorer,
        "rows": rows,
    }


def to_markdown(result: dict[str, Any]) -> str:
    """Render the results as Markdown."""
    lines = [
        f"## Comparison memory ({result['date']}, scorer {result['scorer']})",
        "",
        "| two reports of | claims | storymatch.compare (s) | peak extra (MB) | "
        "difflib.SequenceMatcher (s) | peak extra (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        if "error" in row:
            lines.append(f"| {row['megabytes']} MB | {row['error']} | | | | |")
            continue
        lines.append(
            f"| {row['megabytes']} MB | {row['claims']} | {row['storymatch_s']} | "
            f"{row['storymatch_peak_extra_mb']} | {row['difflib_s']} | "
            f"{row['difflib_peak_extra_mb']} |"
        )
    lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_memory")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    parser.add_argument("--mb", type=float, nargs="+", default=[0.4, 1.6])
    parser.add_argument("--scorer", default="lexical")
    args = parser.parse_args(argv)
    result = run(args.data, args.mb, args.scorer)
    markdown = to_markdown(result)
    print(markdown)
    json_path, _ = write_results(args.out, result["date"], "compare_memory", result, markdown)
    print(f"written to {json_path.parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
