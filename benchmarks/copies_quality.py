"""Quality of originals and copy edits on the syndication set's edit logs (issue 14).

Run::

    python -m benchmarks.copies_quality [--data ../shared/data] [--out benchmarks/results]
    python -m benchmarks.copies_quality --harsher 7   # the copies re-edited harder first

The corpus is grouped with :func:`storymatch.find_duplicates` (defaults) and every group of two
or more goes through :func:`storymatch.copy_edits` (defaults), end to end as a user runs
``storymatch copies``. Each generated copy's ``edit_log`` (the generator's own record of what it
did, ``../shared/data/syndication/README.md``) is the gold:

* **original accuracy**: share of copies whose reported parent (the text it was made from; the
  group's original in a star) is their ``copy_of``. A copy left alone in its group counts as
  wrong.
* **originals called copies**: originals reported as a copy of a *generated* copy (wrong), and,
  apart, originals reported as a copy of another original: the natural wire copies the set
  merges into one group (two outlets printing one agency text), which are copies indeed.
  ``originals_kept`` is the share of originals *not* called a copy of a copy (gated: 1.0 is
  the target of none).
* **numbers**: recall and precision of ``number`` edits (same ``old`` and ``new`` strings) over
  the copies whose parent is right.
* **added**: recall of logged added sentences (an ``added`` edit holds the sentence, folded).
* **removed**: recall of removed paragraphs (trimmed tail and dropped paragraph): at least 80%
  of a paragraph's words are in the text of the ``removed`` edits.
* **headline**: recall of logged headline rewrites (a ``headline`` edit whose ``new`` is the
  logged headline, folded), and the share of copies without a logged rewrite that report one.
* OCR-only copies (an ``ocr`` entry and nothing else logged): share with no edit at all.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import platform
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from storymatch.dedup import find_duplicates
from storymatch.dedup.copies import copy_edits, fold_key
from storymatch.models import Article, CopyInfo

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
COVER = 0.8
"""Share of a removed paragraph's words that must be reported removed."""
TARGETS = {
    "original_accuracy": 0.97,
    "numbers_r": 0.9,
    "numbers_p": 0.9,
    "added_r": 0.95,
    "removed_r": 0.95,
    "headline_r": 0.9,
}
"""The issue's targets on the shared set (and no original called a copy of a copy)."""

_WORD = re.compile(r"\w+")


def load(path: Path) -> list[dict[str, Any]]:
    """Read the syndication records."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _words(text: str) -> list[str]:
    return [fold_key(w) for w in _WORD.findall(text)]


def _rate(hit: int, total: int) -> float:
    return round(hit / total, 4) if total else 1.0


def same_number(gold: tuple[str, str], got: tuple[str, str]) -> bool:
    """Whether a reported number edit is the logged one.

    The generator changes a run of digits; where that run is part of a longer number
    (``300`` of ``300,000``), the edit reports the whole number (``300,000`` → ``304,000``),
    which matches when replacing the logged run in it gives the new number.
    """
    if gold == got:
        return True
    (old, new), (o, n) = gold, got
    return any(
        o[: m.start()] + new + o[m.end() :] == n
        for m in re.finditer(rf"(?<!\d){re.escape(old)}(?!\d)", o)
    )


def score(records: list[dict[str, Any]], copies: dict[str, CopyInfo]) -> dict[str, Any]:
    """Score reported copies against the edit logs.

    Parameters
    ----------
    records : list of dict
        The syndication records (``id``, ``copy_of``, ``edit_log``).
    copies : dict of str to CopyInfo
        Every reported copy by id.

    Returns
    -------
    dict
        The metrics (see the module docstring) and the counts behind them.
    """
    originals = {r["id"] for r in records if not r["copy_of"]}
    c: Counter[str] = Counter()
    for r in records:
        info = copies.get(r["id"])
        if not r["copy_of"]:
            if info is not None:
                c[
                    "originals_as_copies_of_originals"
                    if info.parent in originals
                    else "originals_called_copies"
                ] += 1
            continue
        c["copies"] += 1
        right = info is not None and info.parent == r["copy_of"]
        c["original_right"] += right
        if not right or info is None:
            continue
        log = r["edit_log"]
        ops = {e["op"] for e in log}
        edits = [e.to_dict() for e in info.edits]
        got_numbers = [(e["old"], e["new"]) for e in edits if e["op"] == "number"]
        want_numbers = [(e["old"], e["new"]) for e in log if e["op"] == "number"]
        c["numbers_gold"] += len(want_numbers)
        c["numbers_found"] += len(got_numbers)
        hits = sum(any(same_number(w, g) for g in got_numbers) for w in want_numbers)
        c["numbers_hit"] += hits
        added = " ".join(fold_key(e["text"]) for e in edits if e["op"] == "added")
        for e in log:
            if e["op"] == "add":
                c["added_gold"] += 1
                c["added_hit"] += fold_key(e["sentence"]) in added
        removed = Counter(w for e in edits if e["op"] == "removed" for w in _words(e["text"]))
        paragraphs = [p for e in log if e["op"] == "trim" for p in e["removed"]]
        paragraphs += [e["paragraph"] for e in log if e["op"] == "drop"]
        for paragraph in paragraphs:
            words = Counter(_words(paragraph))
            if not words:
                continue
            found = sum(min(n, removed[w]) for w, n in words.items())
            c["removed_gold"] += 1
            c["removed_hit"] += found >= COVER * sum(words.values())
        heads = [fold_key(e["new"] or "") for e in edits if e["op"] == "headline"]
        if "headline" in ops:
            c["headline_gold"] += 1
            want = next(fold_key(e["new"]) for e in log if e["op"] == "headline")
            c["headline_hit"] += want in heads
        else:
            c["headline_none"] += 1
            c["headline_false"] += bool(heads)
        if ops == {"ocr"}:
            c["ocr_only"] += 1
            c["ocr_only_clean"] += not edits
    return {
        "original_accuracy": _rate(c["original_right"], c["copies"]),
        "originals_called_copies": c["originals_called_copies"],
        "originals_as_copies_of_originals": c["originals_as_copies_of_originals"],
        "originals_kept": _rate(len(originals) - c["originals_called_copies"], len(originals)),
        "numbers_r": _rate(c["numbers_hit"], c["numbers_gold"]),
        "numbers_p": _rate(c["numbers_hit"], c["numbers_found"]),
        "added_r": _rate(c["added_hit"], c["added_gold"]),
        "removed_r": _rate(c["removed_hit"], c["removed_gold"]),
        "headline_r": _rate(c["headline_hit"], c["headline_gold"]),
        "headline_false_rate": _rate(c["headline_false"], c["headline_none"]),
        "ocr_only_no_edits": _rate(c["ocr_only_clean"], c["ocr_only"]),
        "counts": dict(sorted(c.items())),
    }


def run(path: Path, *, harsher: int | None = None) -> dict[str, Any]:
    """Group, find originals and edits, and score them on one syndication file.

    Parameters
    ----------
    path : Path
        ``docs.jsonl.gz`` with ``copy_of`` and ``edit_log``.
    harsher : int or None, default=None
        Re-edit the copies harder first (:func:`benchmarks.dedup_quality.harsher_copies` with
        this seed: 30-60% of the paragraphs kept, 3% of the words misread): a check that was
        not tuned on. The edit logs no longer describe the trims then; the original accuracy
        and the originals called copies still hold.

    Returns
    -------
    dict
        ``metrics`` (:func:`score`), ``seconds`` (``dedup``, ``copies``) and ``targets``.
    """
    records = load(path)
    articles = [
        Article(
            r["id"], r["text"], source=r.get("source"), title=r.get("title"), date=r.get("date")
        )
        for r in records
    ]
    if harsher is not None:
        from benchmarks.dedup_quality import harsher_copies

        copy_of = {r["id"]: r["copy_of"] for r in records}
        articles = harsher_copies(
            [dataclasses.replace(a, meta={"copy_of": copy_of[a.id]}) for a in articles],
            seed=harsher,
        )
    started = time.perf_counter()
    groups = find_duplicates(articles)
    dedup_s = time.perf_counter() - started
    started = time.perf_counter()
    found = copy_edits(groups, articles)
    copies_s = time.perf_counter() - started
    by_id = {c.id: c for g in found for c in g.copies}
    return {
        "dataset": str(path),
        "documents": len(records),
        "groups": sum(1 for g in groups if len(g) > 1),
        "metrics": score(records, by_id),
        "seconds": {"dedup": round(dedup_s, 3), "copies": round(copies_s, 3)},
        "targets": TARGETS,
    }


def passes(metrics: dict[str, Any]) -> dict[str, bool]:
    """Which targets a run meets (and that no original is called a copy of a copy)."""
    out = {name: metrics[name] >= floor for name, floor in TARGETS.items()}
    out["originals_called_copies"] = metrics["originals_called_copies"] == 0
    return out


def to_markdown(result: dict[str, Any]) -> str:
    """Return the result as a Markdown section."""
    m = result["metrics"]
    ok = passes(m)
    rows = [
        "| metric | value | target |",
        "| --- | --- | --- |",
    ]
    for name, floor in TARGETS.items():
        rows.append(f"| {name} | {m[name]:.4f} | ≥ {floor} {'✓' if ok[name] else '✗'} |")
    rows.append(
        f"| originals called copies (of a copy) | {m['originals_called_copies']} | 0 "
        f"{'✓' if ok['originals_called_copies'] else '✗'} |"
    )
    rows.append(
        f"| originals as copies of another original (natural wire copies) | "
        f"{m['originals_as_copies_of_originals']} | — |"
    )
    rows.append(f"| headline false rate | {m['headline_false_rate']:.4f} | — |")
    rows.append(f"| OCR-only copies with no edit | {m['ocr_only_no_edits']:.4f} | — |")
    s = result["seconds"]
    return (
        f"### copies ({result['documents']:,} documents, {result['groups']} groups)\n\n"
        + "\n".join(rows)
        + f"\n\nSeconds: find_duplicates {s['dedup']}, copy_edits {s['copies']}.\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write ``copies_quality.json`` / ``.md`` to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--harsher", type=int, default=None, metavar="SEED", help="re-edit the copies harder"
    )
    args = parser.parse_args(argv)
    result = run(args.data / "syndication" / "docs.jsonl.gz", harsher=args.harsher)
    result["machine"] = {"python": platform.python_version(), "platform": platform.platform()}
    result["date"] = dt.date.today().isoformat()
    text = to_markdown(result)
    print(text)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "copies_quality.json").write_text(json.dumps(result, indent=2) + "\n")
        (args.out / "copies_quality.md").write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
