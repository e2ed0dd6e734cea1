"""The stress set of issue 16: same-kind and same-person event pairs, scored against its floor."""

from __future__ import annotations

import json

from tests import shared_data
from tests.test_quality_gate import FLOORS, _benchmarks

from storymatch.evaluate import evaluate_clustering
from storymatch.events import EventClusterer


def test_stress_set_bcubed_reaches_its_floor_and_beats_the_tfidf_baseline():
    data = shared_data.data_dir()
    shared_data.require(data / "ecbplus" / "docs.jsonl")
    shared_data.require(data / "basil" / "docs.jsonl")
    quality = _benchmarks("events_quality")
    articles, gold, pairs = quality.stress_set(data)
    assert len(pairs) == 48  # 33 ECB+ topics, 15 BASIL same-person pairs within a month
    floor = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]["events/stress/bcubed_f1"]
    labels = EventClusterer().fit_predict(articles).tolist()
    ours = evaluate_clustering(gold, labels).bcubed.f1
    assert ours >= floor["floor"]
    # the baseline at the distance its benchmark tunes on the ECB+ dev topics (0.78)
    baseline = evaluate_clustering(gold, quality.agglomerative(articles, 0.78)).bcubed.f1
    assert ours >= baseline
    # fewer merged developments than the baseline
    merged = quality.merged_pairs(gold, labels, pairs)
    assert len(merged) < len(
        quality.merged_pairs(gold, quality.agglomerative(articles, 0.78), pairs)
    )
