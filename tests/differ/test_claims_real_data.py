"""The claim table against hand-labelled claims (``../shared/data/claims_dev``, issue 12).

Floors are the figures measured by ``python -m benchmarks.claims_quality`` on 2026-12-06
less their noise: with six events, one claim more or less moves pair figures by about 0.03,
so the floors sit about 0.04 below. Per scorer (after the quotation-continuation units of
``storymatch.differ.comparison.quote_groups``):

* ``lexical`` (TF-IDF cosines; the default without the ``semantic`` extra): pair P 0.766,
  R 0.380, F1 0.508, false omissions 0.493, chrome in multi 0, conflicts P 1.00 (non-minor
  recall 0.29);
* ``combined`` (TF-IDF and MiniLM cosines; the default with the extra, which the ``test``
  group installs): pair P 0.782, R 0.473, F1 0.589, false omissions 0.404, chrome in multi 0,
  conflicts P 1.00 (non-minor recall 0.43). It is the default because it beats ``lexical`` on
  F1 at the same precision (+0.081 here); the test keeps half of that margin.
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


FLOORS = {
    # scorer: (pair P, pair F1, false omissions at most)
    "lexical": (0.72, 0.47, 0.53),
    "combined": (0.74, 0.55, 0.44),
}


def _scorers() -> list[str]:
    from storymatch.differ.semantic import semantic_available

    return ["lexical", "combined"] if semantic_available() else ["lexical"]


def _score(gold: Path) -> dict[str, Any]:
    from benchmarks.claims_quality import comparison_claims, load_events, tfidf_greedy

    from storymatch.differ.comparison import compare

    scoring = _scorer()
    gold_data = scoring.Gold(str(gold))
    events = load_events(gold)
    out: dict[str, Any] = {}
    for name in _scorers():
        claims: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        for event, docs in events.items():
            c, f = comparison_claims(event, compare(docs, event=event, scorer=name))
            claims += c
            conflicts += f
        out[name] = scoring.run(gold_data, claims, None, conflicts)
    anchor = [c for e, d in events.items() for c in tfidf_greedy(e, d, threshold=0.25)]
    out["anchor"] = scoring.run(gold_data, anchor)["overall"]
    return out


@pytest.fixture(scope="module")
def scored() -> dict[str, Any]:
    return _score(Path(data_file("claims_dev/claims.jsonl")).parent)


# The ten further BASIL events labelled by reading (benchmarks/claims_gold/basil_extra; ids
# and offsets only, joined with the shared BASIL text at test time). Measured on 2026-12-06
# (python -m benchmarks.claims_quality --gold <materialised>): combined P 0.675, R 0.316,
# F1 0.430, false omissions 0.474; lexical 0.590 / 0.294 / 0.392 / 0.493; TF-IDF greedy
# anchor F1 0.382. Ten events, 269 gold pairs: floors about 0.03 below.
EXTRA_FLOORS = {
    # scorer: (pair P, pair F1, false omissions at most)
    "lexical": (0.56, 0.36, 0.52),
    "combined": (0.645, 0.40, 0.50),
}


@pytest.fixture(scope="module")
def scored_extra(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pytest.importorskip("pysbd")  # the reference split (the bench group installs it)
    from benchmarks.claims_gold import LABELS, materialise

    gold = materialise(LABELS, data_file("basil/docs.jsonl"), tmp_path_factory.mktemp("extra"))
    return _score(gold)


@pytest.mark.parametrize("name", ["lexical", "combined"])
def test_floors_on_the_further_basil_events(scored_extra: dict[str, Any], name: str) -> None:
    if name not in scored_extra:
        pytest.skip("the semantic extra is not installed")
    overall = scored_extra[name]["overall"]
    precision, f1, omissions = EXTRA_FLOORS[name]
    assert overall["pair_p"] >= precision
    assert overall["pair_f1"] >= f1
    assert overall["false_omission_rate"] <= omissions
    assert overall["chrome_in_multi"] == 0
    assert overall["pair_f1"] >= scored_extra["anchor"]["pair_f1"]


@pytest.mark.parametrize("name", ["lexical", "combined"])
def test_pair_precision_and_f1_floors(scored: dict[str, Any], name: str) -> None:
    if name not in scored:
        pytest.skip("the semantic extra is not installed")
    overall = scored[name]["overall"]
    precision, f1, _ = FLOORS[name]
    assert overall["pair_p"] >= precision
    assert overall["pair_f1"] >= f1


@pytest.mark.parametrize("name", ["lexical", "combined"])
def test_beats_the_tfidf_greedy_anchor_on_f1(scored: dict[str, Any], name: str) -> None:
    if name not in scored:
        pytest.skip("the semantic extra is not installed")
    assert scored[name]["overall"]["pair_f1"] >= scored["anchor"]["pair_f1"] + 0.01


def test_combined_beats_lexical_at_the_same_precision(scored: dict[str, Any]) -> None:
    if "combined" not in scored:
        pytest.skip("the semantic extra is not installed")
    combined, lexical = scored["combined"]["overall"], scored["lexical"]["overall"]
    assert combined["pair_f1"] >= lexical["pair_f1"] + 0.04
    assert combined["pair_p"] >= lexical["pair_p"] - 0.03


@pytest.mark.parametrize("name", ["lexical", "combined"])
def test_false_omissions_and_chrome(scored: dict[str, Any], name: str) -> None:
    if name not in scored:
        pytest.skip("the semantic extra is not installed")
    overall = scored[name]["overall"]
    assert overall["false_omission_rate"] <= FLOORS[name][2]
    assert overall["chrome_in_multi"] == 0


@pytest.mark.parametrize("name", ["lexical", "combined"])
def test_conflict_precision_floor(scored: dict[str, Any], name: str) -> None:
    if name not in scored:
        pytest.skip("the semantic extra is not installed")
    conflicts = scored[name]["conflicts"]
    assert conflicts["system_conflicts"] >= 1
    assert conflicts["p"] >= 0.6


# recall of the non-minor gold conflicts (7 on claims_dev): measured 2 of 7 (lexical) and
# 3 of 7 (combined) on 2026-12-06; the floors keep one conflict less
CONFLICT_RECALL = {"lexical": 0.14, "combined": 0.28}


@pytest.mark.parametrize("name", ["lexical", "combined"])
def test_conflict_recall_floor(scored: dict[str, Any], name: str) -> None:
    if name not in scored:
        pytest.skip("the semantic extra is not installed")
    assert scored[name]["conflicts"]["r_not_minor"] >= CONFLICT_RECALL[name]
