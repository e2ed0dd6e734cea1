"""The sentence-pair scorers: contract, behaviour, and quality floors on real pair sets."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests import shared_data

from storymatch.differ.similarity import (
    FEATURE_NAMES,
    LexicalScorer,
    Scorer,
    TokenSetScorer,
    default_scorer,
    pair_features,
)
from storymatch.errors import InvalidParameterError

REPO = Path(__file__).resolve().parents[2]

KILLED = "Police said 12 people were killed when a bomb exploded in a market in Baghdad on Monday."
KILLED_PARAPHRASE = "A bomb blast in a Baghdad market killed 12 people on Monday, police said."
KILLED_15 = (
    "Police said 15 people were killed when a bomb exploded in a market in Baghdad on Monday."
)
RATES = "The central bank left its benchmark interest rate unchanged at 4.5 percent."
MATCH = "Manchester United beat Arsenal 2-1 in the Premier League on Saturday."

SENTENCES = [KILLED, KILLED_PARAPHRASE, KILLED_15, RATES, MATCH]


@pytest.fixture(scope="module")
def scorer() -> LexicalScorer:
    return LexicalScorer()


# ------------------------------------------------------------------------------ contract


def test_scorers_conform_to_the_protocol(scorer: LexicalScorer) -> None:
    assert isinstance(scorer, Scorer)
    assert isinstance(default_scorer(), Scorer)
    assert isinstance(default_scorer(), LexicalScorer)
    assert isinstance(TokenSetScorer(), Scorer)


def test_default_threshold_comes_from_the_shipped_weights(scorer: LexicalScorer) -> None:
    assert scorer.threshold == shipped_provenance()["threshold"] == scorer.default_threshold
    assert 0.0 < scorer.threshold < 1.0
    assert LexicalScorer(threshold=0.8).threshold == 0.8
    assert LexicalScorer(threshold=1).threshold == 1.0
    assert repr(LexicalScorer(threshold=0.5)) == "LexicalScorer(threshold=0.5)"


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "0.5", True])
def test_bad_threshold_is_refused(bad: Any) -> None:
    with pytest.raises(InvalidParameterError, match="'threshold' parameter of LexicalScorer"):
        LexicalScorer(threshold=bad)


def shipped_provenance() -> dict[str, Any]:
    """The JSON that ships beside the weights (package data, read as the library reads it)."""
    text = resources.files("storymatch.differ").joinpath("pair_weights.json").read_text("utf-8")
    provenance: dict[str, Any] = json.loads(text)
    return provenance


def test_shipped_weights_match_the_features() -> None:
    n = len(FEATURE_NAMES)
    provenance = shipped_provenance()
    assert tuple(provenance["feature_names"]) == FEATURE_NAMES
    weights = resources.files("storymatch.differ").joinpath("pair_weights.npz")
    with weights.open("rb") as f, np.load(f) as arrays:
        w = {name: arrays[name] for name in arrays.files}
    assert set(w) == {
        "feature_mean",
        "feature_scale",
        "hidden_weights",
        "hidden_bias",
        "output_weights",
        "output_bias",
    }
    assert all(a.dtype == np.float64 for a in w.values())
    assert w["feature_mean"].shape == w["feature_scale"].shape == (n,)
    assert (w["feature_scale"] > 0).all()
    hidden = len(w["hidden_bias"])
    assert w["hidden_weights"].shape == (n, hidden)
    assert w["output_weights"].shape == (hidden,)
    assert w["output_bias"].shape == ()
    assert provenance["trained_on"]
    assert all(len(d["sha256"]) == 64 for d in provenance["trained_on"])
    assert provenance["trained_at"]
    assert provenance["sklearn"]


def test_training_tool_writes_the_shipped_files_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        "train_pair_scorer", REPO / "tools" / "train_pair_scorer.py"
    )
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, tool)  # for its dataclasses
    spec.loader.exec_module(tool)
    shipped = resources.files("storymatch.differ")
    with shipped.joinpath("pair_weights.npz").open("rb") as f, np.load(f) as arrays:
        w = {name: arrays[name] for name in arrays.files}
    tool.write_weights(tmp_path, w, shipped_provenance())
    assert (tmp_path / "pair_weights.npz").read_bytes() == shipped.joinpath(
        "pair_weights.npz"
    ).read_bytes()
    assert (tmp_path / "pair_weights.json").read_bytes() == shipped.joinpath(
        "pair_weights.json"
    ).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pair_weights.json", "pair_weights.npz"]


def test_length_mismatch_raises(scorer: LexicalScorer) -> None:
    with pytest.raises(InvalidParameterError, match="equally long"):
        scorer(["a b"], ["a b", "c d"])
    with pytest.raises(InvalidParameterError, match="equally long"):
        pair_features(["a"], [])


def test_non_string_raises(scorer: LexicalScorer) -> None:
    with pytest.raises(TypeError, match=r"b\[0\] must be a str"):
        scorer(["a b"], [None])  # type: ignore[list-item]


def test_empty_call(scorer: LexicalScorer) -> None:
    out = scorer([], [])
    assert out.shape == (0,)
    assert out.dtype == np.float64
    assert pair_features([], []).shape == (0, len(FEATURE_NAMES))


def test_empty_and_wordless_sentences_score_zero(scorer: LexicalScorer) -> None:
    a = ["", "", "...", KILLED, "   "]
    b = ["", KILLED, "!!", "", MATCH]
    out = scorer(a, b)
    assert out.tolist() == [0.0, 0.0, 0.0, 0.0, 0.0]
    assert np.isfinite(pair_features(a, b)).all()


# ----------------------------------------------------------------------------- behaviour


def test_scores_are_probabilities(scorer: LexicalScorer) -> None:
    a = [x for x in SENTENCES for _ in SENTENCES]
    b = [y for _ in SENTENCES for y in SENTENCES]
    out = scorer(a, b)
    assert out.shape == (len(a),)
    assert out.dtype == np.float64
    assert ((out >= 0.0) & (out <= 1.0)).all()
    features = pair_features(a, b)
    assert features.shape == (len(a), len(FEATURE_NAMES))
    assert np.isfinite(features).all()


def test_scores_are_symmetric(scorer: LexicalScorer) -> None:
    a = [x for x in SENTENCES for _ in SENTENCES]
    b = [y for _ in SENTENCES for y in SENTENCES]
    np.testing.assert_allclose(scorer(a, b), scorer(b, a), rtol=0, atol=1e-12)
    np.testing.assert_allclose(pair_features(a, b), pair_features(b, a), rtol=0, atol=1e-12)


def test_identical_sentences_score_high(scorer: LexicalScorer) -> None:
    out = scorer(SENTENCES, SENTENCES)
    assert (out > 0.9).all(), out


def test_paraphrase_is_same_claim_and_unrelated_is_not(scorer: LexicalScorer) -> None:
    pairs = [(KILLED, KILLED_PARAPHRASE), (KILLED, RATES), (KILLED, MATCH), (RATES, MATCH)]
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    # one pair per call, as `storymatch pairs` on a one-line file scores it: the IDF knows
    # little then (small calls are topped up with a background, see LexicalScorer's Notes)
    alone = np.array([scorer([x], [y])[0] for x, y in pairs])
    # all four pairs in one call, and with some context, as the aligner makes its calls
    context = [
        (
            "Shares in the carmaker fell 3 percent after it cut its forecast.",
            "The carmaker's shares dropped 3 percent as it lowered its outlook.",
        ),
        (
            "Floods forced thousands from their homes in the north of the country.",
            "Thousands were evacuated as floods hit the country's north.",
        ),
        (
            "The president will visit Japan next week, the White House said.",
            "The White House said the president travels to Japan next week.",
        ),
    ]
    together = scorer(a, b)
    batched = scorer(a + [x for x, _ in context], b + [y for _, y in context])
    for out in (alone, together, batched[: len(pairs)]):
        assert out[0] >= scorer.threshold, out
        assert (out[1:] < scorer.threshold / 2).all(), out
    assert (batched[len(pairs) :] >= scorer.threshold).all(), batched


def test_a_changed_number_lowers_the_score(scorer: LexicalScorer) -> None:
    same, changed = scorer([KILLED, KILLED], [KILLED, KILLED_15])
    assert changed < same
    # one digit apart, everything else equal: still much alike, but the number conflict counts
    features = pair_features([KILLED], [KILLED_15])[0]
    named = dict(zip(FEATURE_NAMES, features, strict=True))
    assert named["number_conflict"] == 1.0
    assert named["number_jaccard"] < 1.0


def test_number_words_and_digits_agree() -> None:
    rows = pair_features(["Five people died on Monday."], ["5 people died on Monday."])
    named = dict(zip(FEATURE_NAMES, rows[0], strict=True))
    assert named["number_jaccard"] == 1.0
    assert named["number_conflict"] == 0.0


def test_different_names_conflict() -> None:
    rows = pair_features(
        ["Police arrested John Smith in Boston on Friday."],
        ["Police arrested Maria Lopez in Denver on Friday."],
    )
    named = dict(zip(FEATURE_NAMES, rows[0], strict=True))
    assert named["name_conflict"] == 1.0
    assert named["name_coverage"] == 0.0


def test_scores_are_deterministic(scorer: LexicalScorer) -> None:
    a = [x for x in SENTENCES for _ in SENTENCES]
    b = [y for _ in SENTENCES for y in SENTENCES]
    first = scorer(a, b)
    assert np.array_equal(first, scorer(a, b))
    assert np.array_equal(first, LexicalScorer()(a, b))


def test_scores_do_not_depend_on_the_hash_seed(scorer: LexicalScorer) -> None:
    a = [x for x in SENTENCES for _ in SENTENCES]
    b = [y for _ in SENTENCES for y in SENTENCES]
    code = (
        "import json, sys\n"
        "from storymatch.differ.similarity import LexicalScorer\n"
        "a, b = json.loads(sys.stdin.read())\n"
        "print(json.dumps([float(x).hex() for x in LexicalScorer()(a, b)]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps([a, b]),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(done.stdout) == [float(x).hex() for x in scorer(a, b)]


IDF_FEATURES = frozenset(
    {
        "tfidf_word",
        "tfidf_char",
        "idf_shared",
        "idf_unmatched_min",
        "idf_unmatched_max",
        "idf_coverage_min",
        "name_idf_shared",
        "name_idf_unmatched",
    }
)


def test_other_pairs_of_a_call_matter_only_through_the_idf() -> None:
    alone = pair_features([KILLED], [KILLED_PARAPHRASE])[0]
    crowd = pair_features(
        [RATES, KILLED, MATCH, KILLED_15], [MATCH, KILLED_PARAPHRASE, RATES, KILLED]
    )[1]
    for name, x, y in zip(FEATURE_NAMES, alone, crowd, strict=True):
        if name not in IDF_FEATURES:
            assert x == y, name
    # the order of the pairs in a call changes nothing
    a = [RATES, KILLED, MATCH]
    b = [MATCH, KILLED_PARAPHRASE, KILLED_15]
    forward = pair_features(a, b)
    backward = pair_features(a[::-1], b[::-1])[::-1]
    np.testing.assert_allclose(forward, backward, rtol=0, atol=1e-12)


def test_token_set_scorer() -> None:
    out = TokenSetScorer()(["a b c", KILLED], ["c b a", RATES])
    assert out[0] == 1.0
    assert out[1] < 0.5
    with pytest.raises(InvalidParameterError, match="equally long"):
        TokenSetScorer()(["a"], [])


# ---------------------------------------------------------------------- real pair sets


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _pairs(relative: str) -> list[dict[str, Any]]:
    return _read_jsonl(shared_data.data_file(relative))


def _f1(label: np.ndarray[Any, Any], pred: np.ndarray[Any, Any]) -> float:
    tp = float(np.sum(pred & (label == 1)))
    return 2 * tp / float(pred.sum() + (label == 1).sum())


def _cv_f1(
    features: np.ndarray[Any, Any], label: np.ndarray[Any, Any], folds: np.ndarray[Any, Any]
) -> float:
    """Mean held-out F1 of a logistic regression over the features, threshold tuned in-fold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    scores = []
    for f in np.unique(folds):
        train, test = folds != f, folds == f
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(features[train], label[train])
        p_train = model.predict_proba(features[train])[:, 1]
        grid = np.linspace(0.05, 0.95, 91)
        best = max(grid, key=lambda t: _f1(label[train], p_train >= t))
        scores.append(_f1(label[test], model.predict_proba(features[test])[:, 1] >= best))
    return float(np.mean(scores))


@pytest.fixture(scope="module")
def msrp() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    records = _pairs("msrp/pairs.jsonl")
    assert len(records) == 4076
    a, b = [r["a"] for r in records], [r["b"] for r in records]
    label = np.array([r["label"] for r in records])
    return pair_features(a, b), LexicalScorer()(a, b), label


@pytest.fixture(scope="module")
def ecbplus() -> tuple[
    np.ndarray[Any, Any],
    np.ndarray[Any, Any],
    np.ndarray[Any, Any],
    np.ndarray[Any, Any],
    np.ndarray[Any, Any],
]:
    records = _pairs("ecbplus/sentence_pairs.jsonl.gz")
    assert len(records) == 30768
    topics = np.array([r["topic"] for r in records])
    label = np.array([r["label"] for r in records])
    features = np.zeros((len(records), len(FEATURE_NAMES)))
    scores = np.zeros(len(records))
    scorer = LexicalScorer()
    for topic in np.unique(topics):  # one call per topic, as the aligner scores one event
        idx = np.flatnonzero(topics == topic)
        a, b = [records[i]["a"] for i in idx], [records[i]["b"] for i in idx]
        features[idx] = pair_features(a, b)
        scores[idx] = scorer(a, b)
    # and all in one call, as `storymatch pairs` scores a file
    one_call = scorer([r["a"] for r in records], [r["b"] for r in records])
    return features, scores, one_call, label, topics


def test_msrp_quality_floor(msrp: Any) -> None:
    features, scores, label = msrp
    threshold = LexicalScorer().threshold
    # shipped scorer at its default threshold (in-sample: it was trained on these pairs)
    assert _f1(label, scores >= threshold) >= MSRP_SHIPPED_F1
    # held-out signal of the features: 5-fold logistic regression (the shipped model does better)
    folds = np.arange(len(label)) % 5
    assert _cv_f1(features, label, folds) >= MSRP_CV_F1


def test_ecbplus_quality_floor(ecbplus: Any) -> None:
    features, scores, one_call, label, topics = ecbplus
    threshold = LexicalScorer().threshold
    assert _f1(label, scores >= threshold) >= ECB_SHIPPED_F1
    assert _f1(label, one_call >= threshold) >= ECB_ONE_CALL_F1
    # held-out topics: train on four fifths of the topics, test on the rest
    folds = np.searchsorted(np.unique(topics), topics) % 5
    assert _cv_f1(features, label, folds) >= ECB_CV_F1


def test_sts_news_correlation_floor() -> None:
    records = _pairs("sts_news/pairs.jsonl")
    scores = LexicalScorer()([r["a"] for r in records], [r["b"] for r in records])
    gold = np.array([r["label"] for r in records])
    assert float(np.corrcoef(scores, gold)[0, 1]) >= STS_SHIPPED_R


# Floors at the figures measured on 2026-12-06 with the shipped weights (written 2026-11-28 by
# tools/train_pair_scorer.py) less their noise. In-sample (the scorer was trained on these
# pairs), so they guard against regressions, not generalisation: MSRP F1 0.852 (a scorer that
# calls every pair a paraphrase gets 0.806), ECB+ F1 0.680 one call per topic and 0.664 in one
# call, STS news r 0.795. Held-out signal of the 27 features (logistic regression, 5 folds;
# spread over 5 fold draws): MSRP F1 0.843 (sd 0.001), ECB+ by whole topics 0.662 (sd 0.006).
# The scorer's own cross-validated figures (2 x 5 folds: MSRP 0.836, ECB+ 0.653, STS 0.771) take
# minutes and are gated by `make bench` (benchmarks/floors.json).
MSRP_SHIPPED_F1 = 0.845
MSRP_CV_F1 = 0.838
ECB_SHIPPED_F1 = 0.67
ECB_ONE_CALL_F1 = 0.655
ECB_CV_F1 = 0.65
STS_SHIPPED_R = 0.785
