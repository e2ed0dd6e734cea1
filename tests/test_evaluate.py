"""Tests for storymatch.evaluate against a brute-force O(n^2) reference."""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from collections.abc import Hashable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storymatch.errors import InvalidParameterError
from storymatch.evaluate import (
    PRF,
    ClusteringScores,
    adjusted_rand_index,
    bcubed_scores,
    evaluate_clustering,
    pairwise_scores,
)

TOL = 1e-12


# --- brute-force reference -------------------------------------------------------------------


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def reference_pairwise(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PRF:
    tp = pred_pairs = gold_pairs = 0
    for i, j in itertools.combinations(range(len(gold)), 2):
        same_gold = gold[i] == gold[j]
        same_pred = pred[i] == pred[j]
        gold_pairs += same_gold
        pred_pairs += same_pred
        tp += same_gold and same_pred
    precision, recall = _ratio(tp, pred_pairs), _ratio(tp, gold_pairs)
    return PRF(precision, recall, _f1(precision, recall))


def reference_bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PRF:
    n = len(gold)
    if n == 0:
        return PRF(1.0, 1.0, 1.0)
    precision = recall = 0.0
    for i in range(n):
        in_pred = [j for j in range(n) if pred[j] == pred[i]]
        in_gold = [j for j in range(n) if gold[j] == gold[i]]
        both = sum(1 for j in in_pred if gold[j] == gold[i])
        precision += both / len(in_pred)
        recall += both / len(in_gold)
    precision /= n
    recall /= n
    return PRF(precision, recall, _f1(precision, recall))


def reference_ari(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Hubert-Arabie ARI from the pair counts, with sklearn's special cases."""
    n = len(gold)
    a = b = c = d = 0  # same/same, same gold only, same pred only, different/different
    for i, j in itertools.combinations(range(n), 2):
        same_gold = gold[i] == gold[j]
        same_pred = pred[i] == pred[j]
        if same_gold and same_pred:
            a += 1
        elif same_gold:
            b += 1
        elif same_pred:
            c += 1
        else:
            d += 1
    if b == 0 and c == 0:
        return 1.0
    return 2.0 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d))


def assert_prf_close(got: PRF, expected: PRF) -> None:
    assert got.precision == pytest.approx(expected.precision, abs=TOL)
    assert got.recall == pytest.approx(expected.recall, abs=TOL)
    assert got.f1 == pytest.approx(expected.f1, abs=TOL)


# --- strategies --------------------------------------------------------------------------------

label: st.SearchStrategy[Hashable] = st.one_of(
    st.integers(0, 6), st.sampled_from(["a", "b", "c", ("t", 1)])
)


@st.composite
def labellings(draw: st.DrawFn) -> tuple[list[Hashable], list[Hashable]]:
    n = draw(st.integers(0, 40))
    gold = draw(st.lists(label, min_size=n, max_size=n))
    pred = draw(st.lists(label, min_size=n, max_size=n))
    return gold, pred


# --- properties --------------------------------------------------------------------------------


@settings(derandomize=True, deadline=None, max_examples=300)
@given(labellings())
def test_matches_brute_force_reference(pair: tuple[list[Hashable], list[Hashable]]) -> None:
    gold, pred = pair
    assert_prf_close(pairwise_scores(gold, pred), reference_pairwise(gold, pred))
    assert_prf_close(bcubed_scores(gold, pred), reference_bcubed(gold, pred))
    assert adjusted_rand_index(gold, pred) == pytest.approx(reference_ari(gold, pred), abs=TOL)

    scores = evaluate_clustering(gold, pred)
    assert_prf_close(scores.pairwise, reference_pairwise(gold, pred))
    assert_prf_close(scores.bcubed, reference_bcubed(gold, pred))
    assert scores.ari == pytest.approx(reference_ari(gold, pred), abs=TOL)
    assert scores.n_items == len(gold)
    assert scores.n_gold_clusters == len(set(gold))
    assert scores.n_pred_clusters == len(set(pred))


@settings(derandomize=True, deadline=None, max_examples=300)
@given(st.lists(st.integers(0, 8), max_size=60), st.data())
def test_ari_equals_sklearn(gold: list[int], data: st.DataObject) -> None:
    from sklearn.metrics import adjusted_rand_score

    pred = data.draw(st.lists(st.integers(0, 8), min_size=len(gold), max_size=len(gold)))
    expected = adjusted_rand_score(gold, pred)
    assert adjusted_rand_index(gold, pred) == pytest.approx(expected, abs=TOL)


@settings(derandomize=True, deadline=None, max_examples=100)
@given(labellings(), st.randoms(use_true_random=False))
def test_invariant_to_renaming_and_order(
    pair: tuple[list[Hashable], list[Hashable]], rng: random.Random
) -> None:
    gold, pred = pair
    before = evaluate_clustering(gold, pred)
    order = list(range(len(gold)))
    rng.shuffle(order)
    renamed_pred = [("renamed", pred[i]) for i in order]
    after = evaluate_clustering([gold[i] for i in order], renamed_pred)
    assert_prf_close(after.pairwise, before.pairwise)
    assert_prf_close(after.bcubed, before.bcubed)
    assert after.ari == pytest.approx(before.ari, abs=TOL)


@settings(derandomize=True, deadline=None, max_examples=100)
@given(labellings())
def test_swapping_gold_and_pred_swaps_precision_and_recall(
    pair: tuple[list[Hashable], list[Hashable]],
) -> None:
    gold, pred = pair
    forward, backward = evaluate_clustering(gold, pred), evaluate_clustering(pred, gold)
    for one, other in ((forward.pairwise, backward.pairwise), (forward.bcubed, backward.bcubed)):
        assert one.precision == pytest.approx(other.recall, abs=TOL)
        assert one.recall == pytest.approx(other.precision, abs=TOL)
    assert forward.ari == pytest.approx(backward.ari, abs=TOL)


# --- known cases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold",
    [
        pytest.param(["a", "a", "b", "c", "c", "c"], id="mixed"),
        pytest.param(["a"] * 5, id="one-cluster"),
        pytest.param(list(range(5)), id="all-singletons"),
        pytest.param([], id="empty"),
    ],
)
def test_perfect_clustering_scores_one_everywhere(gold: list[Hashable]) -> None:
    pred = [("renamed", g) for g in gold]
    scores = evaluate_clustering(gold, pred)
    assert scores.ari == 1.0
    assert scores.pairwise == PRF(1.0, 1.0, 1.0)
    assert scores.bcubed == PRF(1.0, 1.0, 1.0)


def test_all_singletons_predicted_against_gold_pairs() -> None:
    gold = ["a", "a", "b", "b", "b", "c"]
    pred = list(range(len(gold)))
    pairwise = pairwise_scores(gold, pred)
    assert pairwise.recall == 0.0
    assert pairwise.precision == 1.0  # no predicted pair, so none is wrong
    assert pairwise.f1 == 0.0
    bcubed = bcubed_scores(gold, pred)
    assert bcubed.precision == 1.0
    assert bcubed.recall == pytest.approx((2 * 0.5 + 3 / 3 + 1) / 6, abs=TOL)
    assert adjusted_rand_index(gold, pred) == pytest.approx(0.0, abs=TOL)


def test_one_predicted_cluster_has_full_recall() -> None:
    gold = ["a", "a", "b", "b"]
    pred = ["x"] * 4
    pairwise = pairwise_scores(gold, pred)
    assert pairwise == PRF.from_precision_recall(2 / 6, 1.0)
    bcubed = bcubed_scores(gold, pred)
    assert bcubed.recall == 1.0
    assert bcubed.precision == pytest.approx(0.5, abs=TOL)


def test_known_small_case() -> None:
    gold = ["a", "a", "b", "b"]
    pred = [1, 1, 1, 2]
    assert pairwise_scores(gold, pred) == PRF.from_precision_recall(1 / 3, 1 / 2)
    bcubed = bcubed_scores(gold, pred)
    assert bcubed.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4, abs=TOL)
    assert bcubed.recall == pytest.approx((1 + 1 + 0.5 + 0.5) / 4, abs=TOL)


def test_prf_f1_is_zero_when_both_are_zero() -> None:
    assert PRF.from_precision_recall(0.0, 0.0) == PRF(0.0, 0.0, 0.0)


def test_accepts_unsortable_mixed_labels() -> None:
    gold: list[Hashable] = [1, "1", (1,), None, None]
    pred: list[Hashable] = ["x", "y", "z", frozenset(), frozenset()]
    assert evaluate_clustering(gold, pred).ari == 1.0


def test_large_input_does_not_overflow() -> None:
    n = 200_000
    gold = [0] * n
    pred = [i % 2 for i in range(n)]
    scores = evaluate_clustering(gold, pred)
    half = n // 2
    assert scores.pairwise.precision == 1.0
    assert scores.pairwise.recall == pytest.approx(
        2 * (half * (half - 1) / 2) / (n * (n - 1) / 2), abs=TOL
    )
    assert math.isfinite(scores.ari)
    assert scores.ari == pytest.approx(0.0, abs=TOL)


# --- results and errors ------------------------------------------------------------------------


def test_to_dict_is_json_serialisable() -> None:
    scores = evaluate_clustering(["a", "a", "b"], ["x", "y", "y"])
    as_dict = scores.to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert set(as_dict) == {
        "ari",
        "bcubed",
        "pairwise",
        "n_items",
        "n_gold_clusters",
        "n_pred_clusters",
    }
    assert as_dict["bcubed"] == scores.bcubed.to_dict()
    assert as_dict["n_items"] == 3


def test_results_are_frozen_and_slotted() -> None:
    scores = evaluate_clustering([0, 1], [0, 1])
    assert isinstance(scores, ClusteringScores)
    with pytest.raises(AttributeError):
        scores.ari = 0.0  # type: ignore[misc]
    assert not hasattr(scores, "__dict__")
    assert not hasattr(scores.pairwise, "__dict__")


@pytest.mark.parametrize(
    "function",
    [
        pytest.param(pairwise_scores, id="pairwise"),
        pytest.param(bcubed_scores, id="bcubed"),
        pytest.param(adjusted_rand_index, id="ari"),
        pytest.param(evaluate_clustering, id="all"),
    ],
)
def test_length_mismatch_raises(function: object) -> None:
    gold = list(range(12))
    pred = list(range(11))
    expected = "The 'pred' parameter must have the same length as 'gold' (12). Got 11 instead."
    assert callable(function)
    with pytest.raises(InvalidParameterError, match=re.escape(expected)):
        function(gold, pred)
    with pytest.raises(ValueError, match="same length"):
        function(gold, pred)
