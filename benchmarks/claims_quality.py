"""Quality of the claim table on hand-labelled claims (issue 12).

Run::

    python -m benchmarks.claims_quality [--data ../shared/data] [--out benchmarks/results]

For every event of ``claims_dev`` (or another claims gold with the same files, ``--gold``),
the event's reports are compared with :func:`storymatch.compare` (defaults), its claims are
written in the scorer's system format (one line per claim: ``{"event", "cells": [{"doc",
"spans"}]}`` with spans into the *original* article text, the ``source_start``/``source_end``
of the ``compare`` JSON) together with its conflicts, and the shared scorer
(``../shared/tools/score_claims.py``) scores them. In the same run, two anchors on the same
sentences (storymatch's cleaning and splitting):

* **TF-IDF greedy**: word TF-IDF cosine (fitted on the event's sentences), cross-outlet pairs
  taken best first at or above a threshold, at most one sentence per outlet per claim.
* **difflib**: for every pair of reports, the sentence pairs ``difflib.ndiff`` over the two
  sentence lists pairs (equal lines and fuzzy "changed" lines: monotone), merged.

storymatch runs once per claim scorer (``compare(scorer=...)``): ``lexical`` (the event TF-IDF
cosine), ``combined`` (its mean with the centred MiniLM embedding cosine) and ``semantic``
(the embeddings alone); the last two only when the ``semantic`` extra is installed. The row
``storymatch`` is the default (``scorer=None``), and the results name the scorer it used.

Figures: pair precision/recall/F1, B-cubed F1, false-omission and false only-one rates, chrome
units in multi-outlet claims, conflicts precision/recall (all, and recall of the non-minor
gold conflicts), and seconds. The system files (offsets only, no text) are written next to
the results so that the scorer can be run on them by hand.

``--grid`` adds the coarse grid the combined scorer's weight and threshold were chosen on
(weights 0.3, 0.5, 0.7 of the TF-IDF cosine; thresholds 0.25 to 0.5 by 0.05; and the
thresholds of the lexical and semantic scorers alone), and the aligner's linkage settings
at the default scorer (``link`` 0.75 to 1.0, ``mutual`` 0.8: :data:`GRID_LINKAGE`), a table
of pair P/R/F1 and false omissions per point. Run it with ``--gold`` on a second gold (the
ten further BASIL events of ``benchmarks/claims_gold``) to see a trade-off on data the
defaults were not chosen on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import itertools
import json
import platform
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks.align_quality import difflib_pairs
from benchmarks.results import write_results
from storymatch.differ.comparison import claim_scorer, compare, scorer_name, source_spans
from storymatch.differ.cosine import CosineScorer
from storymatch.differ.similarity import Scorer
from storymatch.models import Article, Comparison
from storymatch.text.clean import clean
from storymatch.text.sentences import split_sentences

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_claims.py"
TFIDF_THRESHOLD = 0.25
"""Cosine threshold of the TF-IDF greedy anchor (the best of a coarse sweep on claims_dev)."""

System = list[dict[str, Any]]
Spans = list[tuple[int, int]]


def load_scorer(path: Path = DEFAULT_SCORER) -> ModuleType:
    """Import the shared scorer module from its file."""
    spec = importlib.util.spec_from_file_location("score_claims", path)
    if spec is None or spec.loader is None:  # pragma: no cover - a bad path
        msg = f"cannot import the claims scorer from {path}"
        raise FileNotFoundError(msg)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_events(gold: Path) -> dict[str, list[Article]]:
    """Read the gold's ``docs.jsonl`` as articles grouped by event, each sorted by id.

    The ``date`` of each doc is passed on, as a user's input carries it: relative dates in
    conflicts (``earlier this year``) are read against it.
    """
    events: dict[str, list[Article]] = defaultdict(list)
    with (gold / "docs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            events[r["cluster"]].append(
                Article(
                    r["id"],
                    r["text"],
                    source=r.get("source"),
                    title=r.get("title"),
                    date=r.get("date"),
                )
            )
    return {e: sorted(docs, key=lambda a: a.id) for e, docs in sorted(events.items())}


def comparison_claims(event: str, comparison: Comparison) -> tuple[System, System]:
    """Turn a comparison into the scorer's system claims and system conflicts."""
    claims: System = []
    conflicts: System = []
    for claim in comparison.claims:
        side: dict[str, list[list[Any]]] = {}
        cells = []
        for cell in claim.cells:
            spans = [list(s) for s in cell.source_spans]
            cells.append({"doc": cell.outlet, "spans": spans})
            side[cell.outlet] = [[cell.outlet, a, b] for a, b in spans]
        # the outlets this claim's omissions are uncertain for (a close sentence exists):
        # not read by the shared scorer, only by omission_precision below
        uncertain = sorted(n.outlet for n in claim.nearest)
        claims.append({"event": event, "cells": cells, "uncertain": uncertain})
        for f in claim.conflicts:
            conflicts.append(
                {"event": event, "spans": [side[f.left], side[f.right]], "type": f.kind}
            )
    return claims, conflicts


def _sentences(article: Article) -> tuple[list[str], Spans]:
    text = clean(article.text, title=article.title).text
    sents = split_sentences(text)
    return [s.text for s in sents], source_spans(article.text, text, sents)


def _merge(
    event: str,
    docs: Sequence[Article],
    spans: Sequence[Spans],
    pairs: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    *,
    one_per_outlet: bool,
) -> System:
    """Union the pairs in order into claims (optionally one sentence per outlet each)."""
    keys = [(r, i) for r, ss in enumerate(spans) for i in range(len(ss))]
    parent = {k: k for k in keys}
    outlets = {k: {k[0]} for k in keys}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            k = parent[k]
        return k

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra == rb or (one_per_outlet and outlets[ra] & outlets[rb]):
            continue
        parent[rb] = ra
        outlets[ra] |= outlets.pop(rb)
    groups: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for k in keys:
        groups[find(k)].append(k)
    out: System = []
    for members in groups.values():
        by_doc: dict[int, list[list[int]]] = defaultdict(list)
        for r, i in sorted(members):
            by_doc[r].append(list(spans[r][i]))
        out.append(
            {
                "event": event,
                "cells": [{"doc": docs[r].id, "spans": s} for r, s in sorted(by_doc.items())],
            }
        )
    return out


def tfidf_greedy(event: str, docs: Sequence[Article], *, threshold: float) -> System:
    """Align by the TF-IDF anchor: word cosine, best pairs first, one sentence per outlet."""
    split = [_sentences(a) for a in docs]
    keys = [(r, i) for r, (ss, _) in enumerate(split) for i in range(len(ss))]
    texts = [split[r][0][i] for r, i in keys]
    matrix = TfidfVectorizer(lowercase=True, sublinear_tf=True).fit_transform(texts)
    sims = (matrix @ matrix.T).toarray()
    pairs = []
    for x, y in itertools.combinations(range(len(keys)), 2):
        if keys[x][0] != keys[y][0] and sims[x, y] >= threshold:
            pairs.append((-float(sims[x, y]), keys[x], keys[y]))
    pairs.sort()
    return _merge(
        event, docs, [s for _, s in split], [(a, b) for _, a, b in pairs], one_per_outlet=True
    )


def difflib_system(event: str, docs: Sequence[Article]) -> System:
    """Align by the difflib anchor: ndiff's equal and fuzzy "changed" sentence pairs, merged."""
    split = [_sentences(a) for a in docs]
    pairs = []
    for ra, rb in itertools.combinations(range(len(docs)), 2):
        for i, j in sorted(difflib_pairs(split[ra][0], split[rb][0])):
            pairs.append(((ra, i), (rb, j)))
    return _merge(event, docs, [s for _, s in split], pairs, one_per_outlet=False)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def omission_precision(gold: Path, claims: System) -> dict[str, Any]:
    """Return how often the table's "not reported" cells are right, confident and uncertain.

    A "not reported" cell is a (system claim, outlet) where the outlet has no sentence in
    the claim. It is wrong when a gold unit placed in the claim belongs to a gold claim that
    the outlet carries. Units are placed as the shared scorer places them (the system claim
    whose spans cover most of the unit, at least half). A cell is *uncertain* when the claim
    names the outlet in its ``uncertain`` list (a close sentence exists:
    :attr:`storymatch.models.Claim.nearest`), *confident* otherwise.
    """
    units = [json.loads(line) for line in _lines(gold / "units.jsonl")]
    gold_claims = [json.loads(line) for line in _lines(gold / "claims.jsonl")]
    outlets_of_claim = {c["id"]: {u.split("#")[0] for u in c["units"]} for c in gold_claims}
    claim_of_unit = {u: c["id"] for c in gold_claims for u in c["units"]}
    docs_of_event: dict[str, set[str]] = defaultdict(set)
    for u in units:
        docs_of_event[u["event"]].add(u["doc"])
    placed: dict[int, set[str]] = defaultdict(set)  # system claim -> gold claims placed in it
    for u in units:
        if u["id"] not in claim_of_unit:
            continue  # chrome
        cover: dict[int, int] = defaultdict(int)
        for k, claim in enumerate(claims):
            if claim["event"] != u["event"]:
                continue
            for cell in claim["cells"]:
                if cell["doc"] == u["doc"]:
                    for a, b in cell["spans"]:
                        cover[k] += max(0, min(b, u["end"]) - max(a, u["start"]))
        if cover:
            k, size = max(cover.items(), key=lambda kv: (kv[1], -kv[0]))
            if 2 * size >= u["end"] - u["start"]:
                placed[k].add(claim_of_unit[u["id"]])
    counts = {("confident", True): 0, ("confident", False): 0}
    counts |= {("uncertain", True): 0, ("uncertain", False): 0}
    for k, claim in enumerate(claims):
        present = {cell["doc"] for cell in claim["cells"]}
        for doc in sorted(docs_of_event[claim["event"]] - present):
            right = not any(doc in outlets_of_claim[g] for g in placed[k])
            kind = "uncertain" if doc in claim.get("uncertain", ()) else "confident"
            counts[kind, right] += 1
    out: dict[str, Any] = {}
    for kind in ("confident", "uncertain"):
        n = counts[kind, True] + counts[kind, False]
        out[kind] = {"cells": n, "right": counts[kind, True]}
        out[kind]["precision"] = round(counts[kind, True] / n, 4) if n else None
    return out


def _figures(result: dict[str, Any], seconds: float) -> dict[str, Any]:
    o = result["overall"]
    out = {
        "pair_p": o["pair_p"],
        "pair_r": o["pair_r"],
        "pair_f1": o["pair_f1"],
        "b3_f1": o["b3_f1"],
        "false_omission_rate": o["false_omission_rate"],
        "false_only_one_rate": o["false_only_one_rate"],
        "chrome_in_multi": o["chrome_in_multi"],
        "tp": o["tp"],
        "fp": o["fp"],
        "fn": o["fn"],
        "seconds": round(seconds, 3),
        "per_event": {
            r["event"]: {"pair_p": r["pair_p"], "pair_r": r["pair_r"], "pair_f1": r["pair_f1"]}
            for r in result["events"]
        },
    }
    if "conflicts" in result:
        c = result["conflicts"]
        out["conflicts"] = {
            k: c[k]
            for k in ("system_conflicts", "gold_conflicts", "p", "r", "r_not_minor", "typed_p")
        }
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


def run(
    gold: Path, *, scorer_path: Path = DEFAULT_SCORER, out: Path | None = None, **options: Any
) -> dict[str, Any]:
    """Run storymatch and both anchors on every gold event; return the JSON-ready results.

    Parameters
    ----------
    gold : Path
        Folder with ``docs.jsonl``, ``units.jsonl`` and ``claims.jsonl``.
    scorer_path : Path
        The shared scorer ``score_claims.py``.
    out : Path or None
        Folder where the system files are written (none when None).
    **options
        Passed to :func:`storymatch.compare`.
    """
    scoring = load_scorer(scorer_path)
    gold_data = scoring.Gold(str(gold))
    events = load_events(gold)
    systems: dict[str, tuple[System, System | None, float]] = {}

    default = scorer_name(claim_scorer())
    names = _available_scorers()
    if "combined" in names:  # load the model before timing: once per process
        compare(["Rain fell in the city.", "It rained in the city."], scorer="combined")
    for name in ("default", *names):
        if "combined" in names:  # every row embeds its sentences: no row reuses another's
            from storymatch.differ.semantic import clear_cache

            clear_cache()
        started = time.perf_counter()
        claims, conflicts = _storymatch(
            events, scorer=None if name == "default" else name, **options
        )
        label = "storymatch" if name == "default" else f"storymatch_{name}"
        systems[label] = (claims, conflicts, time.perf_counter() - started)

    started = time.perf_counter()
    claims = [c for e, d in events.items() for c in tfidf_greedy(e, d, threshold=TFIDF_THRESHOLD)]
    systems["tfidf_greedy"] = (claims, None, time.perf_counter() - started)

    started = time.perf_counter()
    claims = [c for e, d in events.items() for c in difflib_system(e, d)]
    systems["difflib"] = (claims, None, time.perf_counter() - started)

    results: dict[str, Any] = {}
    for name, (claims, conflicts_or_none, seconds) in systems.items():
        scored = scoring.run(gold_data, claims, None, conflicts_or_none)
        results[name] = _figures(scored, seconds)
        results[name]["omissions"] = omission_precision(gold, claims)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            _write_jsonl(out / f"claims_{name}.jsonl", claims)
            if conflicts_or_none is not None:
                _write_jsonl(out / f"claims_{name}_conflicts.jsonl", conflicts_or_none)
    return {
        "date": dt.date.today().isoformat(),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "gold": gold.name,
        "events": len(events),
        "options": options,
        "default_scorer": default,
        "tfidf_threshold": TFIDF_THRESHOLD,
        "systems": results,
    }


def _available_scorers() -> list[str]:
    from storymatch.differ.semantic import semantic_available

    return ["lexical", "combined", "semantic"] if semantic_available() else ["lexical"]


def _storymatch(
    events: dict[str, list[Article]], *, scorer: Scorer | str | None, **options: Any
) -> tuple[System, System]:
    claims: System = []
    conflicts: System = []
    for event, docs in events.items():
        c, f = comparison_claims(event, compare(docs, event=event, scorer=scorer, **options))
        claims += c
        conflicts += f
    return claims, conflicts


GRID_WEIGHTS = (0.3, 0.5, 0.7)
GRID_THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
GRID_LINKAGE = ((0.75, 2 / 3), (0.8, 2 / 3), (0.85, 2 / 3), (1.0, 2 / 3), (0.7, 0.8))
"""``(link, mutual)`` points scored at the default scorer beside the defaults (0.7, 2/3)."""


def grid(gold: Path, *, scorer_path: Path = DEFAULT_SCORER) -> list[dict[str, Any]]:
    """Score the claim scorers over the coarse grid of weight and threshold.

    Parameters
    ----------
    gold : Path
        The claims gold folder.
    scorer_path : Path
        The shared scorer ``score_claims.py``.

    Returns
    -------
    list of dict
        One row per point: ``scorer``, ``weight`` (of the TF-IDF cosine), ``threshold`` and
        the overall figures.
    """
    from storymatch.differ.semantic import CombinedScorer, SemanticScorer, semantic_available

    scoring = load_scorer(scorer_path)
    gold_data = scoring.Gold(str(gold))
    events = load_events(gold)
    points: list[tuple[str, float, float, Scorer, dict[str, float]]] = [
        ("lexical", 1.0, t, CosineScorer(t), {}) for t in (0.2, *GRID_THRESHOLDS[:3])
    ]
    if semantic_available():
        points += [("semantic", 0.0, t, SemanticScorer(t), {}) for t in (0.4, 0.5, 0.6, 0.7, 0.8)]
        points += [
            ("combined", w, t, CombinedScorer(t, weight=w), {})
            for w in GRID_WEIGHTS
            for t in GRID_THRESHOLDS
        ]
    default = claim_scorer()
    weight = float(getattr(default, "weight", 1.0))
    points += [
        (
            scorer_name(default),
            weight,
            default.threshold,
            default,
            {"link": link, "mutual": mutual},
        )
        for link, mutual in GRID_LINKAGE
    ]
    rows = []
    for name, weight, threshold, scorer, linkage in points:
        claims, conflicts = _storymatch(events, scorer=scorer, **linkage)
        o = scoring.run(gold_data, claims, None, conflicts)["overall"]
        rows.append(
            {
                "scorer": name,
                "weight": weight,
                "threshold": threshold,
                "link": round(linkage.get("link", 0.7), 3),
                "mutual": round(linkage.get("mutual", 2 / 3), 3),
                **{
                    k: round(o[k], 4)
                    for k in ("pair_p", "pair_r", "pair_f1", "b3_f1", "false_omission_rate")
                },
            }
        )
    return rows


def grid_markdown(rows: Sequence[dict[str, Any]]) -> str:
    """Render the grid as a Markdown table, the best F1 at pair precision >= 0.75 marked."""
    best: dict[str, float] = {}
    for r in rows:
        if r["pair_p"] >= 0.75:
            key = f"{r['scorer']} {r['weight']} {r['link']} {r['mutual']}"
            best[key] = max(best.get(key, 0.0), r["pair_f1"])
    lines = [
        "| scorer | TF-IDF weight | threshold | link | mutual | pair P | pair R | pair F1 | "
        "B3 F1 | false omission |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        key = f"{r['scorer']} {r['weight']} {r['link']} {r['mutual']}"
        mark = "**" if best.get(key) == r["pair_f1"] else ""
        lines.append(
            f"| {r['scorer']} | {r['weight']} | {r['threshold']} | {r['link']} | "
            f"{r['mutual']} | {r['pair_p']:.3f} | "
            f"{r['pair_r']:.3f} | {mark}{r['pair_f1']:.3f}{mark} | {r['b3_f1']:.3f} | "
            f"{r['false_omission_rate']:.3f} |"
        )
    lines += [
        "",
        "Bold: the best pair F1 at pair precision >= 0.75 for the weight (and linkage). "
        "`link` and `mutual` are the aligner's linkage settings (defaults 0.7 and 2/3).",
        "",
    ]
    return "\n".join(lines)


def _write_jsonl(path: Path, records: System) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def _fmt(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _omissions(o: dict[str, Any] | None) -> str:
    if not o:
        return "-"
    conf, unc = o["confident"], o["uncertain"]
    if not unc["cells"]:
        return f"{_fmt(conf['precision'])} of {conf['cells']}"
    return (
        f"{_fmt(conf['precision'])} of {conf['cells']} / {_fmt(unc['precision'])} of {unc['cells']}"
    )


def to_markdown(result: dict[str, Any]) -> str:
    """Render the results as a Markdown table."""
    lines = [
        f"## Claim table quality ({result['date']}, {result['gold']}, {result['events']} events)",
        "",
        "| system | pair P | pair R | pair F1 | B3 F1 | false omission | false only-one | "
        'chrome in multi | conflicts P / R (R not minor) | "not reported" right: '
        "confident / uncertain | seconds |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in result["systems"].items():
        c = s.get("conflicts")
        conflicts = (
            f"{_fmt(c['p'])} / {_fmt(c['r'])} ({_fmt(c['r_not_minor'])}; "
            f"{c['system_conflicts']} flagged)"
            if c
            else "-"
        )
        lines.append(
            f"| {name} | {_fmt(s['pair_p'])} | {_fmt(s['pair_r'])} | {_fmt(s['pair_f1'])} | "
            f"{_fmt(s['b3_f1'])} | {_fmt(s['false_omission_rate'])} | "
            f"{_fmt(s['false_only_one_rate'])} | {s['chrome_in_multi']} | {conflicts} | "
            f"{_omissions(s.get('omissions'))} | {s['seconds']} |"
        )
    lines += [
        "",
        f"Default scorer: {result['default_scorer']}. "
        f"TF-IDF anchor threshold {result['tfidf_threshold']}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.claims_quality")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--gold", type=Path, default=None, help="claims gold (claims_dev)")
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument("--out", type=Path, default=Path("benchmarks") / "results")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument(
        "--grid",
        action="store_true",
        help="also score the weight x threshold grid and the linkage points",
    )
    args = parser.parse_args(argv)
    gold = args.gold or args.data / "claims_dev"
    options = {"threshold": args.threshold} if args.threshold is not None else {}
    day = dt.date.today().isoformat()
    folder = args.out / day
    result = run(gold, scorer_path=args.scorer, out=folder, **options)
    markdown = to_markdown(result)
    print(markdown)
    write_results(args.out, day, "claims_quality", result, markdown)
    if args.grid:
        rows = grid(gold, scorer_path=args.scorer)
        table = grid_markdown(rows)
        print(table)
        write_results(args.out, day, "claims_grid", rows, table)
    print(f"written to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = [
    "comparison_claims",
    "difflib_system",
    "grid",
    "grid_markdown",
    "main",
    "run",
    "tfidf_greedy",
    "to_markdown",
]
_ = np  # numpy is the matrices' type; kept for readers of the anchors
