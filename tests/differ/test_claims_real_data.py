"""The claim table against hand-labelled claims (``../shared/data/claims_dev``, issue 12).

Floors are the figures measured by ``python -m benchmarks.claims_quality`` on 2026-12-06
(pair P 0.758, R 0.364, F1 0.492, false omissions 0.493, chrome in multi 0, conflicts P 0.60)
less their noise: with six events, one claim more or less moves pair figures by about 0.03,
so the floors sit about 0.05 below.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from tests.shared_data import SHARED, data_file, require


def _scorer() -> ModuleType:
    path = require(SHARED / "tools" / "score_claims.py")
    spec = importlib.util.spec_from_file_location("score_claims", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scored() -> dict[str, Any]:
    from benchmarks.claims_quality import comparison_claims, load_events, tfidf_greedy

    from storymatch.differ.comparison import compare

    gold = Path(data_file("claims_dev/claims.jsonl")).parent
    scoring = _scorer()
    gold_data = scoring.Gold(str(gold))
    claims: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    anchor: list[dict[str, Any]] = []
    for event, docs in load_events(gold).items():
        c, f = comparison_claims(event, compare(docs, event=event))
        claims += c
        conflicts += f
        anchor += tfidf_greedy(event, docs, threshold=0.25)
    return {
        "ours": scoring.run(gold_data, claims, None, conflicts),
        "anchor": scoring.run(gold_data, anchor)["overall"],
    }


def test_pair_precision_and_f1_floors(scored: dict[str, Any]) -> None:
    overall = scored["ours"]["overall"]
    assert overall["pair_p"] >= 0.70
    assert overall["pair_f1"] >= 0.44


def test_beats_the_tfidf_greedy_anchor_on_f1(scored: dict[str, Any]) -> None:
    assert scored["ours"]["overall"]["pair_f1"] >= scored["anchor"]["pair_f1"] + 0.01


def test_false_omissions_and_chrome(scored: dict[str, Any]) -> None:
    overall = scored["ours"]["overall"]
    assert overall["false_omission_rate"] <= 0.55
    assert overall["chrome_in_multi"] == 0


def test_conflict_precision_floor(scored: dict[str, Any]) -> None:
    conflicts = scored["ours"]["conflicts"]
    assert conflicts["system_conflicts"] >= 1
    assert conflicts["p"] >= 0.5
