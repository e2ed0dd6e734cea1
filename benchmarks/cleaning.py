"""Page cleaning on real data: what it keeps, what it costs, what the template model learns.

Run::

    python -m benchmarks.cleaning [--data ../shared/data] [--out benchmarks/results]

Sections:

1. ``retention``: on clean real articles (ECB+ ``sentences``, BASIL ``paragraphs``, news_pool
   texts split into sentences at ``. ! ?``), the share of sentences still in the cleaned body.
   ``body`` leaves out of the count the sentences returned as metadata (the headline line
   returned as ``title``, the first byline and dateline); ``all`` counts them as lost;
   ``incl_metadata`` counts them as kept. Lost sentences are listed by the rule that took them.
   ``idempotent`` is the share of documents with ``clean(clean(t).text).text == clean(t).text``.
2. ``speed``: microseconds per page of :func:`storymatch.text.boilerplate.clean` on syndication and
   news_pool (best of 5 passes), with :func:`storymatch.text.boilerplate.strip_widgets` (the
   function already on the dedup hot path) timed in the same run as the anchor.
3. ``templates``: a :class:`~storymatch.text.boilerplate.BoilerplateModel` fitted on
   ``syndication/docs.jsonl.gz``: template lines learned per outlet, lines shared across
   outlets, the mean word 5-gram Jaccard of pairs of *different* articles (different gold
   ``cluster``) of the same outlet and of copy pairs (same ``cluster``) on the raw page, after
   :func:`clean` and after the model, and the template lines removed from originals
   (``copy_of`` null) -- which must be none; then the same for looser models
   (``min_share`` 0.3 down to 0.02), to show where per-site learning starts to take
   article text.

Results are printed as Markdown and written to ``<out>/<date>/cleaning.{json,md}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import itertools
import json
import platform
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.results import write_results
from benchmarks.timing import best_time
from storymatch.models import Article
from storymatch.text.boilerplate import BoilerplateModel, CleanedText, clean, strip_widgets
from storymatch.text.shingles import shingle_batch

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SHARE_SWEEP = (0.3, 0.1, 0.05, 0.02)
_SPLIT = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"'\u201d\u2019])\s+")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _norm(text: str) -> str:
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences at line breaks and after ``. ! ?`` (for news_pool)."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(s for s in _SPLIT.split(line.strip()) if s.strip())
    return out


def _returned(kind: str, text: str, result: CleanedText) -> bool:
    """Tell whether a removed line is the one returned as title, byline or dateline."""
    if kind == "headline":
        return result.title is not None and result.title in text
    if kind == "byline":
        return result.byline is not None and text.endswith(result.byline)
    return kind == "dateline" and text == result.dateline


def _metadata_lines(result: CleanedText) -> set[str]:
    """Texts of the removed lines that came back as title, standfirst, byline or dateline.

    Only the first headline, byline and dateline line count (those are the ones returned);
    every standfirst line does (the standfirst returns them all).
    """
    meta: set[str] = set()
    seen: set[str] = set()
    for r in result.removed:
        if r.kind == "standfirst":
            meta.add(_norm(r.text))
        elif r.kind in seen:
            continue
        elif _returned(r.kind, r.text, result):
            meta.add(_norm(r.text))
            seen.add(r.kind)
    return meta


def retention(
    docs: Iterable[tuple[str, str | None, Sequence[str]]], *, examples: int = 8
) -> dict[str, Any]:
    """Share of sentences kept by :func:`clean` over ``(text, title, sentences)`` triples."""
    n_docs = total = kept = meta_total = 0
    idempotent = 0
    lost_by: Counter[str] = Counter()
    lost_examples: list[dict[str, str]] = []
    for text, title, sentences in docs:
        n_docs += 1
        result = clean(text, title=title)
        body = _norm(result.text)
        meta = _metadata_lines(result)
        removed_kind = {_norm(r.text): r.kind for r in result.removed}
        for sentence in sentences:
            s = _norm(sentence)
            if not s:
                continue
            total += 1
            if s in body:
                kept += 1
            elif s in meta:
                meta_total += 1
            else:
                kind = next((k for t, k in removed_kind.items() if s in t), "split")
                lost_by[kind] += 1
                if len(lost_examples) < examples:
                    lost_examples.append({"kind": kind, "sentence": s[:160]})
        if clean(result.text).text == result.text:
            idempotent += 1
    body_total = total - meta_total
    return {
        "docs": n_docs,
        "sentences": total,
        "metadata_sentences": meta_total,
        "body": round(kept / body_total, 5) if body_total else 1.0,
        "all": round(kept / total, 5) if total else 1.0,
        "incl_metadata": round((kept + meta_total) / total, 5) if total else 1.0,
        "lost": body_total - kept,
        "lost_by_rule": dict(lost_by.most_common()),
        "lost_examples": lost_examples,
        "idempotent": round(idempotent / n_docs, 5) if n_docs else 1.0,
    }


def retention_table(data: Path) -> list[dict[str, Any]]:
    """Retention on ECB+, BASIL and news_pool."""
    rows: list[dict[str, Any]] = []
    ecb = _read_jsonl(data / "ecbplus" / "docs.jsonl")
    rows.append({"dataset": "ecbplus", **retention((r["text"], None, r["sentences"]) for r in ecb)})
    basil = _read_jsonl(data / "basil" / "docs.jsonl")
    rows.append(
        {
            "dataset": "basil",
            **retention(
                (r["text"], r.get("title"), [s for p in r["paragraphs"] for s in p]) for r in basil
            ),
        }
    )
    pool = _read_jsonl(data / "news_pool" / "docs.jsonl.gz")

    def pool_docs() -> Iterable[tuple[str, str | None, list[str]]]:
        for r in pool:
            text, title = r["text"], r.get("title")
            body = text.split("\n\n", 1)[1] if title and text.startswith(title) else text
            yield text, title, split_sentences(body)

    rows.append({"dataset": "news_pool", **retention(pool_docs())})
    return rows


def _run_all(fn: Callable[[str], object], texts: Sequence[str]) -> None:
    for text in texts:
        fn(text)


def speed_table(data: Path) -> list[dict[str, Any]]:
    """Microseconds per page of clean and of strip_widgets (anchor), same run."""
    rows: list[dict[str, Any]] = []
    sets = {
        "syndication": [r["text"] for r in _read_jsonl(data / "syndication" / "docs.jsonl.gz")],
        "news_pool": [r["text"] for r in _read_jsonl(data / "news_pool" / "docs.jsonl.gz")],
    }
    for name, texts in sets.items():
        n = len(texts)
        t_clean, _ = best_time(partial(_run_all, clean, texts), 5)
        t_widgets, _ = best_time(partial(_run_all, strip_widgets, texts), 5)
        rows.append(
            {
                "dataset": name,
                "pages": n,
                "mean_chars": round(sum(map(len, texts)) / n),
                "clean_us_per_page": round(t_clean / n * 1e6, 2),
                "strip_widgets_us_per_page": round(t_widgets / n * 1e6, 2),
                "ratio_vs_strip_widgets": round(t_clean / t_widgets, 2),
            }
        )
    return rows


def _mean_jaccard(sets: list[set[int]], pairs: Sequence[tuple[int, int]]) -> float:
    total = 0.0
    for i, j in pairs:
        a, b = sets[i], sets[j]
        union = len(a | b)
        total += len(a & b) / union if union else 0.0
    return round(total / len(pairs), 5) if pairs else 0.0


def template_table(data: Path) -> dict[str, Any]:
    """Fit the template model on syndication and measure what it changes."""
    records = _read_jsonl(data / "syndication" / "docs.jsonl.gz")
    articles = [Article.from_dict(r) for r in records]
    start = time.perf_counter()
    model = BoilerplateModel().fit(articles)
    fit_s = time.perf_counter() - start
    raw = [a.text for a in articles]
    cleaned = [clean(a.text).text for a in articles]
    modelled_results = [model.clean(a.text, source=a.source) for a in articles]
    modelled = [r.text for r in modelled_results]

    by_source: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        if a.source is not None:
            by_source[a.source].append(i)
    different: list[tuple[int, int]] = []
    for pages in by_source.values():
        for i, j in itertools.combinations(pages, 2):
            if records[i]["cluster"] != records[j]["cluster"]:
                different.append((i, j))
    by_cluster: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_cluster[r["cluster"]].append(i)
    copies = [p for pages in by_cluster.values() for p in itertools.combinations(pages, 2)]

    jaccard: dict[str, dict[str, float]] = {}
    for label, texts in (("raw", raw), ("clean", cleaned), ("model", modelled)):
        sets = [
            set(s.tolist())
            for s in shingle_batch(texts, kind="word", shingle_size=5, seed=0, ocr_fold=False)
        ]
        jaccard[label] = {
            "same_outlet_different_articles": _mean_jaccard(sets, different),
            "copies_same_cluster": _mean_jaccard(sets, copies),
        }

    originals = [i for i, r in enumerate(records) if r["copy_of"] is None]
    template_on_originals = [
        {"id": articles[i].id, "text": rem.text}
        for i in originals
        for rem in modelled_results[i].removed
        if rem.kind == "template"
    ]
    lost_original_lines = 0
    for i in originals:
        body = _norm(modelled[i])
        plain = _norm(cleaned[i])
        for line in raw[i].split("\n"):
            s = _norm(line)
            if s and s in plain and s not in body:
                lost_original_lines += 1
    per_outlet = [
        {
            "source": src,
            "pages": model.n_pages_[src],
            "template_lines": len(keys),
            "lines": sorted(keys),
        }
        for src, keys in model.templates_.items()
    ]
    template_kinds = Counter(
        rem.kind for res in modelled_results for rem in res.removed if rem.kind == "template"
    )
    # min_share sweep: what a looser model learns, and whether originals lose lines.
    different_sample = different[:: max(1, len(different) // 20000)]
    sweep = []
    for share in SHARE_SWEEP:
        swept = BoilerplateModel(min_share=share).fit(articles)
        results = [swept.clean(a.text, source=a.source) for a in articles]
        sets = [
            set(s.tolist())
            for s in shingle_batch(
                [r.text for r in results], kind="word", shingle_size=5, seed=0, ocr_fold=False
            )
        ]
        on_originals = [
            rem.text for i in originals for rem in results[i].removed if rem.kind == "template"
        ]
        sweep.append(
            {
                "min_share": share,
                "template_lines": sum(len(v) for v in swept.templates_.values()),
                "shared_lines": len(swept.shared_),
                "template_removals": sum(
                    1 for r in results for rem in r.removed if rem.kind == "template"
                ),
                "removals_on_originals": len(on_originals),
                "examples_on_originals": sorted(set(on_originals))[:5],
                "j5_same_outlet_different_articles_sample": _mean_jaccard(sets, different_sample),
            }
        )
    return {
        "pages": len(articles),
        "fit_seconds": round(fit_s, 2),
        "outlets_with_templates": len(per_outlet),
        "template_lines_total": sum(row["template_lines"] for row in per_outlet),
        "shared_lines": sorted(model.shared_),
        "per_outlet": per_outlet,
        "pairs_same_outlet_different_articles": len(different),
        "pairs_copies": len(copies),
        "jaccard_word5": jaccard,
        "template_removals": template_kinds.get("template", 0),
        "template_removals_on_originals": len(template_on_originals),
        "template_removals_on_originals_examples": template_on_originals[:10],
        "original_lines_lost_to_model": lost_original_lines,
        "min_share_sweep": sweep,
    }


def _markdown(rows: list[dict[str, Any]], skip: Sequence[str] = ()) -> str:
    columns = [c for c in rows[0] if c not in skip]
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = []
        for c in columns:
            value = row[c]
            cells.append(
                json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
            )
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cleaning benchmark and write its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    result: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "retention": retention_table(args.data),
        "speed": speed_table(args.data),
        "templates": template_table(args.data),
    }
    tpl = result["templates"]
    md = [
        f"# Page cleaning ({result['date']}, {result['machine']})",
        "",
        "## retention (share of sentences kept in the cleaned body)",
        "",
        _markdown(result["retention"], skip=("lost_examples",)),
        "",
        "## speed (microseconds per page, best of 5)",
        "",
        _markdown(result["speed"]),
        "",
        "## templates (BoilerplateModel fitted on syndication)",
        "",
        f"- pages: {tpl['pages']}, fit: {tpl['fit_seconds']} s",
        f"- outlets with template lines: {tpl['outlets_with_templates']}, "
        f"template lines: {tpl['template_lines_total']}, shared lines: {len(tpl['shared_lines'])}",
        f"- template removals: {tpl['template_removals']}; on originals: "
        f"{tpl['template_removals_on_originals']}; original lines lost to the model: "
        f"{tpl['original_lines_lost_to_model']}",
        "",
        "| text | same outlet, different articles (mean J5) | copies, same cluster (mean J5) |",
        "|---|---|---|",
    ]
    for label, values in tpl["jaccard_word5"].items():
        md.append(
            f"| {label} | {values['same_outlet_different_articles']} | "
            f"{values['copies_same_cluster']} |"
        )
    md += ["", "| outlet | pages | template lines |", "|---|---|---|"]
    md += [f"| {r['source']} | {r['pages']} | {r['template_lines']} |" for r in tpl["per_outlet"]]
    md += ["", "### min_share sweep", "", _markdown(tpl["min_share_sweep"])]
    text = "\n".join(md) + "\n"
    print(text)
    write_results(args.out, result["date"], "cleaning", result, text, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
