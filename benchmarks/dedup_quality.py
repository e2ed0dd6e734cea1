"""Near-duplicate quality on real data, against the datasketch pipeline a user would write.

Run::

    python -m benchmarks.dedup_quality [--data ../shared/data] [--out benchmarks/results]

Sections:

1. ``syndication``: ARI, B-cubed and pairwise P/R/F1 of storymatch's defaults and of the
   datasketch anchor (word 5-grams, MinHashLSH, exact Jaccard check, union-find) at the
   thresholds a user would pick, on ``syndication/docs.jsonl.gz`` (gold ``cluster``).
2. ``sweep``: how ARI moves with the Jaccard threshold, the containment threshold and the
   shingle choice (word 3/5/7-grams, character 7-grams), one knob at a time around the defaults.
3. ``harsher``: the same set with its copies re-edited harder (deeper trims, OCR-style misreads),
   a stand-in for copies rougher than the ones the defaults were tuned on: defaults against
   stricter settings and the datasketch anchor.
4. ``cleaning``: the dedup defaults (which strip "Read more" widgets, the part of page cleaning
   that changes shingle sets) against the full page cleaner (:func:`storymatch.text.clean.clean`,
   with and without a :class:`~storymatch.text.clean.BoilerplateModel` fitted on the corpus)
   run before hashing, and against no cleaning: ARI and documents per second, end to end.
5. ``lsh_recall``: on a corpus built from ``news_pool`` with planted copies, the share of the
   pairs whose *exact* similarity passes the rule (all pairs computed with a sparse product)
   that storymatch's LSH + verification finds, and the precision of what it reports.

Results are printed as Markdown and written to ``<out>/<date>/dedup_quality.{json,md}``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import platform
import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.baselines import datasketch_dedup
from benchmarks.results import group_scores, write_results
from storymatch.dedup import NearDuplicateClusterer
from storymatch.dedup.lsh import candidate_pairs
from storymatch.dedup.verify import is_duplicate, similarities
from storymatch.models import Article
from storymatch.text.boilerplate import strip_widgets
from storymatch.text.shingles import shingle_batch

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def load_syndication(data: Path) -> tuple[list[Article], list[str]]:
    """Read the syndication set: articles and gold copy-group labels."""
    path = data / "syndication" / "docs.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    return [Article.from_dict(r) for r in records], [r["cluster"] for r in records]


def _score(gold: Sequence[str], labels: Sequence[int], seconds: float) -> dict[str, Any]:
    return group_scores(gold, labels) | {"seconds": round(seconds, 2)}


def run_storymatch(
    articles: Sequence[Article], gold: Sequence[str], **params: Any
) -> dict[str, Any]:
    """Cluster with storymatch and score against ``gold``."""
    start = time.perf_counter()
    labels = NearDuplicateClusterer(**params).fit_predict(articles).tolist()
    return _score(gold, labels, time.perf_counter() - start)


def run_datasketch(
    articles: Sequence[Article], gold: Sequence[str], **params: Any
) -> dict[str, Any]:
    """Cluster with the datasketch anchor and score against ``gold``."""
    start = time.perf_counter()
    labels = datasketch_dedup([a.text for a in articles], **params)
    return _score(gold, labels, time.perf_counter() - start)


def syndication_table(articles: list[Article], gold: list[str]) -> list[dict[str, Any]]:
    """Defaults and anchors on the syndication set."""
    rows = [{"tool": "storymatch (defaults)", **run_storymatch(articles, gold)}]
    rows.append(
        {
            "tool": "storymatch, Jaccard only, no widget stripping (t=0.3)",
            **run_storymatch(
                articles,
                gold,
                threshold=0.3,
                containment_threshold=None,
                strip_boilerplate=False,
                chain_guard=None,
            ),
        }
    )
    for threshold, verify in ((0.3, True), (0.3, False), (0.5, True), (0.8, True)):
        label = f"datasketch t={threshold}{' + exact check' if verify else ''}"
        rows.append(
            {"tool": label, **run_datasketch(articles, gold, threshold=threshold, verify=verify)}
        )
    return rows


def sweep_table(articles: list[Article], gold: list[str]) -> list[dict[str, Any]]:
    """One knob at a time around the defaults."""
    rows = []
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        rows.append(
            {
                "knob": "threshold",
                "value": threshold,
                **run_storymatch(articles, gold, threshold=threshold),
            }
        )
    for containment in (None, 0.7, 0.8, 0.85, 0.9, 0.95):
        rows.append(
            {
                "knob": "containment_threshold",
                "value": containment,
                **run_storymatch(articles, gold, containment_threshold=containment),
            }
        )
    for kind, size in (
        ("word", 3),
        ("word", 4),
        ("word", 5),
        ("word", 7),
        ("char", 7),
        ("char", 9),
    ):
        rows.append(
            {
                "knob": "shingles",
                "value": f"{kind}:{size}",
                **run_storymatch(articles, gold, kind=kind, shingle_size=size),
            }
        )
    for guard in (None, 0.3, 0.5):
        rows.append(
            {
                "knob": "chain_guard",
                "value": guard,
                **run_storymatch(articles, gold, chain_guard=guard),
            }
        )
    rows.append(
        {
            "knob": "strip_boilerplate",
            "value": False,
            **run_storymatch(articles, gold, strip_boilerplate=False),
        }
    )
    return rows


# Misreads seen in the syndication copies (copy word vs original word), one character each.
_MISREADS = {"e": "c", "h": "b", "o": "0", "l": "1", "i": "l", "a": "o", "s": "5", "t": "f"}


def harsher_copies(
    articles: Sequence[Article],
    *,
    seed: int = 7,
    keep: tuple[float, float] = (0.3, 0.6),
    misread_rate: float = 0.03,
) -> list[Article]:
    """Re-edit every copy: keep only the first 30-60% of its article paragraphs, misread words.

    A block of a copy counts as an article paragraph when it also appears in the original's
    text; chrome, widgets and headlines stay as they are. Each word of four letters or more is
    misread (one character swapped for a look-alike) with probability ``misread_rate``.
    """
    rng = random.Random(seed)
    by_id = {a.id: a for a in articles}
    out = []
    for article in articles:
        original = by_id.get(str(article.meta.get("copy_of") or ""))
        if original is None:
            out.append(article)
            continue
        blocks = article.text.split("\n\n")
        body = [
            i for i, b in enumerate(blocks) if len(b.split()) >= 8 and b.strip() in original.text
        ]
        if len(body) > 2:
            kept = max(1, round(len(body) * rng.uniform(*keep)))
            dropped = set(body[kept:])
            blocks = [b for i, b in enumerate(blocks) if i not in dropped]
        words = re.split(r"(\s+)", "\n\n".join(blocks))
        for k in range(0, len(words), 2):
            word = words[k]
            if len(word) >= 4 and rng.random() < misread_rate:
                pos = rng.randrange(len(word))
                swap = _MISREADS.get(word[pos].lower())
                if swap:
                    words[k] = word[:pos] + swap + word[pos + 1 :]
        out.append(dataclasses.replace(article, text="".join(words)))
    return out


def harsher_table(articles: list[Article], gold: list[str]) -> list[dict[str, Any]]:
    """Defaults, stricter settings and the anchor on harsher copies."""
    harsh = harsher_copies(articles)
    rows = [{"tool": "storymatch (defaults)", **run_storymatch(harsh, gold)}]
    rows.append(
        {
            "tool": "storymatch, containment 0.85",
            **run_storymatch(harsh, gold, containment_threshold=0.85),
        }
    )
    rows.append(
        {"tool": "storymatch, no OCR folding", **run_storymatch(harsh, gold, ocr_fold=False)}
    )
    rows.append(
        {
            "tool": "storymatch, Jaccard only",
            **run_storymatch(harsh, gold, containment_threshold=None),
        }
    )
    rows.append(
        {"tool": "datasketch t=0.3 + exact check", **run_datasketch(harsh, gold, threshold=0.3)}
    )
    return rows


def cleaning_table(articles: list[Article], gold: list[str]) -> list[dict[str, Any]]:
    """Dedup quality and throughput with each amount of page cleaning before hashing."""
    import warnings

    from storymatch.text.clean import BoilerplateModel, clean

    def cleaned(texts: Sequence[Article], model: BoilerplateModel | None) -> list[Article]:
        out = []
        for a in texts:
            if model is None:
                result = clean(a.text, title=a.title)
            else:
                result = model.clean(a.text, source=a.source, title=a.title)
            body = "\n\n".join(p for p in (result.title, result.text) if p)
            out.append(dataclasses.replace(a, text=body))
        return out

    rows = []
    for variant in ("harsher", "shared"):
        docs = harsher_copies(articles) if variant == "harsher" else articles
        runs: list[tuple[str, Any, dict[str, Any]]] = [
            ("no cleaning", None, {"strip_boilerplate": False}),
            ("widget rule (dedup default)", None, {}),
            ("clean() before hashing", "clean", {}),
            ("clean() + BoilerplateModel before hashing", "model", {}),
        ]
        for label, mode, params in runs:
            start = time.perf_counter()
            prepared = docs
            if mode == "clean":
                prepared = cleaned(docs, None)
            elif mode == "model":
                prepared = cleaned(docs, BoilerplateModel().fit(docs))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pages that are only chrome become empty
                labels = NearDuplicateClusterer(**params).fit_predict(prepared).tolist()
            seconds = time.perf_counter() - start
            row = {"set": variant, "cleaning": label, **_score(gold, labels, seconds)}
            row["docs_per_s"] = round(len(docs) / seconds)
            rows.append(row)
    return rows


def lsh_recall(data: Path, n_docs: int, seed: int = 0) -> dict[str, Any]:
    """Recall of LSH + verification against exact all-pairs similarity on a planted corpus."""
    import scipy.sparse as sp

    from benchmarks.corpus import build_corpus

    articles, _ = build_corpus(n_docs, data_dir=data, seed=seed)
    clusterer = NearDuplicateClusterer()
    bands, rows, _ = clusterer.check_params()
    texts = [strip_widgets(a.text) for a in articles]
    sets = shingle_batch(texts, shingle_size=5, seed=clusterer.seed)
    # exact ground truth: all pairs sharing a shingle, by a sparse product
    _, cols = np.unique(sets.values, return_inverse=True)
    matrix = sp.csr_matrix(
        (np.ones(cols.shape[0], dtype=np.float32), cols, sets.offsets),
        shape=(len(articles), cols.max() + 1),
    )
    inter = (matrix @ matrix.T).tocoo()
    upper = inter.row < inter.col
    left, right = inter.row[upper].astype(np.int64), inter.col[upper].astype(np.int64)
    threshold, containment = clusterer.threshold, clusterer.containment_threshold
    jac, con = similarities(sets, left, right)
    truth = is_duplicate(jac, con, threshold=threshold, containment_threshold=containment)
    true_pairs = set(zip(left[truth].tolist(), right[truth].tolist(), strict=True))
    from storymatch.dedup.minhash import MinHasher

    sigs = MinHasher(seed=clusterer.seed).from_shingles(sets)
    cand = candidate_pairs(sigs, bands=bands, rows=rows)
    cj, cc = similarities(sets, cand[:, 0], cand[:, 1])
    found_mask = is_duplicate(cj, cc, threshold=threshold, containment_threshold=containment)
    found = set(zip(cand[found_mask, 0].tolist(), cand[found_mask, 1].tolist(), strict=True))
    hit = len(true_pairs & found)
    return {
        "documents": len(articles),
        "bands": bands,
        "rows": rows,
        "true_pairs": len(true_pairs),
        "candidates": int(cand.shape[0]),
        "found": len(found),
        "recall": round(hit / max(len(true_pairs), 1), 4),
        "precision": round(hit / max(len(found), 1), 4),
    }


def table_markdown(rows: list[dict[str, Any]]) -> str:
    """Render result rows as a Markdown table, one column per key of the first row."""
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


SECTIONS = ("syndication", "sweep", "harsher", "cleaning", "lsh_recall")
"""The sections of :func:`run`, in order."""


def run(
    data: Path,
    *,
    sections: Sequence[str] = SECTIONS,
    recall_docs: int = 20000,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Run the chosen sections on the syndication set; return the JSON-ready results.

    ``progress(done, total)`` is called after each section. ``defaults`` records the
    clusterer's default settings (the plots mark the default threshold).
    """
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        msg = f"sections must be among {list(SECTIONS)}. Got {unknown} instead."
        raise ValueError(msg)
    articles, gold = load_syndication(data)
    NearDuplicateClusterer().fit(articles[:10])  # compile / load the kernels before timing
    defaults = NearDuplicateClusterer().get_params()
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "documents": len(articles),
        "gold_groups": len(set(gold)),
        "defaults": {
            k: defaults[k]
            for k in ("threshold", "containment_threshold", "kind", "shingle_size", "chain_guard")
        },
    }
    chosen = [s for s in SECTIONS if s in sections and (s != "lsh_recall" or recall_docs)]
    steps: dict[str, Callable[[], Any]] = {
        "syndication": lambda: syndication_table(articles, gold),
        "sweep": lambda: sweep_table(articles, gold),
        "harsher": lambda: harsher_table(articles, gold),
        "cleaning": lambda: cleaning_table(articles, gold),
        "lsh_recall": lambda: [lsh_recall(data, recall_docs)],
    }
    for done, section in enumerate(chosen, 1):
        result[section] = steps[section]()
        if progress is not None:
            progress(done, len(chosen))
    return result


def to_markdown(result: dict[str, Any]) -> str:
    """Render the results as Markdown, one table per section."""
    md = [f"# Near-duplicate quality ({result['date']})"]
    for section in SECTIONS:
        if section in result:
            md += ["", f"## {section}", "", table_markdown(result[section])]
    return "\n".join(md) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the quality benchmark and write its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--recall-docs", type=int, default=20000)
    parser.add_argument("--no-sweep", action="store_true")
    args = parser.parse_args(argv)
    sections = [s for s in SECTIONS if not (args.no_sweep and s == "sweep")]
    result = run(args.data, sections=sections, recall_docs=args.recall_docs)
    text = to_markdown(result)
    print(text)
    write_results(args.out, result["date"], "dedup_quality", result, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
