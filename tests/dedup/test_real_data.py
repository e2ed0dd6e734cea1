"""Quality of the default NearDuplicateClusterer on real and bundled gold-labelled corpora."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from tests import shared_data

from storymatch.dedup import NearDuplicateClusterer
from storymatch.evaluate import evaluate_clustering
from storymatch.models import Article

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample" / "articles.jsonl"


def _floor(key: str) -> float:
    floors = json.loads((REPO / "benchmarks" / "floors.json").read_text(encoding="utf-8"))
    return float(floors["floors"][key]["floor"])


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_syndication_corpus_quality() -> None:
    path = shared_data.data_file("syndication/docs.jsonl.gz")
    records = _read_jsonl(path)
    assert len(records) == 2665
    articles = [Article.from_dict(r) for r in records]
    labels = NearDuplicateClusterer().fit_predict(articles)
    scores = evaluate_clustering([r["cluster"] for r in records], labels.tolist())
    # the floors of the quality gate (benchmarks/floors.json, one place for them)
    assert scores.ari >= _floor("dedup/syndication/ari"), scores
    assert scores.bcubed.f1 >= _floor("dedup/syndication/bcubed_f1"), scores


def test_bundled_sample_reproduces_gold_copy_groups() -> None:
    records = _read_jsonl(SAMPLE)
    assert len(records) == 22
    articles = [Article.from_dict(r) for r in records]
    assert all("cluster" in a.meta for a in articles)
    model = NearDuplicateClusterer().fit(articles)
    gold = [r["cluster"] for r in records]
    scores = evaluate_clustering(gold, model.labels_.tolist())
    assert scores.ari == 1.0, scores
    assert scores.n_pred_clusters == scores.n_gold_clusters == 17
    # Each copy group is represented by its original: the earliest dated, longest member.
    representatives = {g.representative for g in model.groups_ if len(g) > 1}
    assert representatives == {"e1-ledger-wire", "e2-meridian-press", "e3-ledger-wire"}
