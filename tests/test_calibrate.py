"""storymatch.calibrate: sweeps, the choice of settings, errors (the command: tests/cli)."""

from __future__ import annotations

import json

import pytest
from tests.strategies import planted_corpus

from storymatch.calibration import CalibrationPoint, calibrate, choose
from storymatch.errors import InvalidParameterError
from storymatch.evaluate import evaluate_clustering
from storymatch.models import Article


def labelled(seed: int = 5, n: int = 40) -> tuple[list[Article], list[str]]:
    docs = planted_corpus(seed, n_originals=n)
    # partial overlaps and related reports are not copies: they get their own label
    labels = [d.origin if d.kind not in {"partial", "related"} else d.id for d in docs]
    return [Article(d.id, d.text) for d in docs], labels


def point(threshold: float, f1: float, *, size: int = 5, cont: float | None = 0.8):
    # a labelling with the wanted B-cubed F1 is hard to build; use a real score object and
    # patch its f1 through a tiny gold/pred pair whose F1 we know
    scores = evaluate_clustering(["a", "a", "b"], ["x", "x", "y"])
    prf = type(scores.bcubed)(precision=f1, recall=f1, f1=f1)
    scores = type(scores)(scores.ari, prf, scores.pairwise, 3, 2, 2)
    return CalibrationPoint("word", size, threshold, cont, scores)


def test_sweep_scores_every_setting_and_beats_or_ties_the_defaults():
    articles, labels = labelled()
    result = calibrate(
        articles,
        labels,
        shingle_sizes=(3, 5),
        thresholds=(0.3, 0.5, 0.7, 0.9),
        containment_thresholds=(None, 0.8),
    )
    assert len(result.points) == 2 * 4 * 2
    best = result.best.value("bcubed_f1")
    assert best == max(p.value("bcubed_f1") for p in result.points)
    assert best >= result.defaults.value("bcubed_f1") - 1e-3
    # extremes are worse than the plateau on planted copies
    extreme = next(
        p
        for p in result.points
        if (p.shingle_size, p.threshold, p.containment_threshold) == (5, 0.9, None)
    )
    assert extreme.value("bcubed_f1") < best
    assert len(result.curve()) == 4
    data = json.loads(json.dumps(result.to_dict()))
    assert data["metric"] == "bcubed_f1"
    assert len(data["points"]) == 16
    assert "--shingle-size" in result.cli_options()


def test_labels_from_a_field_and_progress():
    articles, labels = labelled(n=10)
    with_field = [
        Article(a.id, a.text, meta={"gold": lab}) for a, lab in zip(articles, labels, strict=True)
    ]
    calls: list[tuple[int, int]] = []
    result = calibrate(
        with_field,
        label_field="gold",
        metric="ari",
        shingle_sizes=(5,),
        thresholds=(0.5,),
        containment_thresholds=(None,),
        progress=lambda *call: calls.append(call),
    )
    assert calls == [("calibrating", 1, 1)]
    assert result.metric == "ari"
    assert -1.0 <= result.best.value("ari") <= 1.0


def test_choose_prefers_defaults_then_the_middle_of_the_widest_plateau():
    points = [point(t, f) for t, f in ((0.3, 0.90), (0.5, 0.95), (0.6, 0.95), (0.7, 0.90))]
    assert choose(points, "bcubed_f1").threshold == 0.5  # the defaults are tied best
    plateau = [point(t, 0.95, size=4) for t in (0.4, 0.5, 0.6, 0.7, 0.8)]
    edge = [point(0.9, 0.95, size=7)]
    assert choose([*edge, *plateau], "bcubed_f1").threshold == 0.6
    assert choose([*plateau, point(0.5, 0.96, size=3)], "bcubed_f1").shingle_size == 3
    for metric in ("pairwise_f1", "bcubed_precision", "pairwise_precision"):
        assert choose(points, metric) in points


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"metric": "accuracy"}, "metric"),
        ({"labels": ["a"]}, "labels has 1"),
        ({"thresholds": ()}, "non-empty grid"),
    ],
)
def test_bad_arguments_raise(kwargs, match):
    articles, labels = labelled(n=3)
    kwargs.setdefault("labels", labels)
    with pytest.raises(InvalidParameterError, match=match):
        calibrate(articles, **kwargs)


def test_missing_label_field_names_the_article():
    with pytest.raises(InvalidParameterError, match="'x' has no 'cluster'"):
        calibrate([Article("x", "some text here")])
