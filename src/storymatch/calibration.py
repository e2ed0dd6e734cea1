"""Choose near-duplicate settings for your own corpus from a small labelled sample.

Give articles whose copies are labelled (a ``cluster`` field: the same value for copies of one
text, anything unique for the rest); :func:`calibrate` runs :class:`NearDuplicateClusterer`
over a grid of shingle settings and thresholds, scores each run against the labels, and
recommends the settings that maximise the chosen metric, with the precision and recall to
expect.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from storymatch._estimator import as_articles
from storymatch.dedup.cluster import NearDuplicateClusterer
from storymatch.errors import InvalidParameterError
from storymatch.evaluate import ClusteringScores, evaluate_clustering
from storymatch.models import Article, Progress
from storymatch.progress import resolved, with_progress

__all__ = ["Calibration", "CalibrationPoint", "Metric", "calibrate", "choose"]

logger = logging.getLogger(__name__)

Metric = Literal["ari", "bcubed_f1", "pairwise_f1", "bcubed_precision", "pairwise_precision"]
_METRICS: tuple[str, ...] = (
    "ari",
    "bcubed_f1",
    "pairwise_f1",
    "bcubed_precision",
    "pairwise_precision",
)
_DEFAULTS = NearDuplicateClusterer()


@dataclass(frozen=True, slots=True)
class CalibrationPoint:
    """One setting of the grid and its scores against the labels.

    Parameters
    ----------
    kind : {"word", "char"}
        Shingle kind.
    shingle_size : int
        Shingle length (words or characters).
    threshold : float
        Jaccard threshold.
    containment_threshold : float or None
        Containment threshold for abridged copies (None: Jaccard only).
    scores : ClusteringScores
        ARI, B-cubed and pairwise scores of the run.
    """

    kind: Literal["word", "char"]
    shingle_size: int
    threshold: float
    containment_threshold: float | None
    scores: ClusteringScores

    def value(self, metric: Metric) -> float:
        """Return the score named ``metric``."""
        if metric == "ari":
            return self.scores.ari
        family, part = metric.split("_")
        prf = self.scores.bcubed if family == "bcubed" else self.scores.pairwise
        return float(getattr(prf, "f1" if part == "f1" else "precision"))

    def params(self) -> dict[str, Any]:
        """Return the settings as keyword arguments of :class:`NearDuplicateClusterer`."""
        return {
            "kind": self.kind,
            "shingle_size": self.shingle_size,
            "threshold": self.threshold,
            "containment_threshold": self.containment_threshold,
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the point as plain JSON-ready data."""
        return {**self.params(), "scores": self.scores.to_dict()}


@dataclass(frozen=True, slots=True)
class Calibration:
    """The result of :func:`calibrate`.

    Parameters
    ----------
    metric : str
        The metric that was maximised.
    points : tuple of CalibrationPoint
        Every setting tried, in grid order.
    best : CalibrationPoint
        The recommended setting: highest ``metric``; among ties, the library defaults, else
        the middle of the widest plateau (see :func:`choose`).
    defaults : CalibrationPoint
        The library defaults scored on the same sample, for comparison.
    n_articles : int
        Size of the labelled sample.
    """

    metric: Metric
    points: tuple[CalibrationPoint, ...]
    best: CalibrationPoint
    defaults: CalibrationPoint
    n_articles: int

    def curve(
        self, kind: str | None = None, shingle_size: int | None = None
    ) -> list[CalibrationPoint]:
        """Return the points of one shingle setting (the best one by default), by threshold."""
        kind = self.best.kind if kind is None else kind
        size = self.best.shingle_size if shingle_size is None else shingle_size
        return [
            p
            for p in self.points
            if p.kind == kind
            and p.shingle_size == size
            and p.containment_threshold == self.best.containment_threshold
        ]

    def cli_options(self) -> str:
        """Return the ``storymatch dedup`` options that select the recommended setting."""
        b = self.best
        cont = "none" if b.containment_threshold is None else f"{b.containment_threshold:g}"
        return (
            f"--kind {b.kind} --shingle-size {b.shingle_size} --threshold {b.threshold:g} "
            f"--containment-threshold {cont}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the calibration as plain JSON-ready data."""
        return {
            "metric": self.metric,
            "n_articles": self.n_articles,
            "best": self.best.to_dict(),
            "defaults": self.defaults.to_dict(),
            "points": [p.to_dict() for p in self.points],
        }


_ARTICLE_FIELDS: Final = ("id", "text", "source", "title", "date", "url")


def _labels(articles: Sequence[Article], label_field: str) -> list[Hashable]:
    """Read each article's gold group from ``label_field``: a field of its record or ``meta``."""
    out: list[Hashable] = []
    for a in articles:
        if label_field in a.meta:
            value = a.meta[label_field]
        elif label_field in _ARTICLE_FIELDS and getattr(a, label_field) is not None:
            value = getattr(a, label_field)
        else:
            msg = (
                f"Article {a.id!r} has no {label_field!r} field: calibrate needs a label on "
                "every article (the same value for copies of one text)"
            )
            raise InvalidParameterError(msg)
        out.append(value if isinstance(value, Hashable) else repr(value))
    return out


def _setting(p: CalibrationPoint) -> tuple[str, int, float | None]:
    return (p.kind, p.shingle_size, p.containment_threshold)


def choose(
    points: Sequence[CalibrationPoint], metric: Metric, *, tol: float = 1e-3
) -> CalibrationPoint:
    """Pick the most robust of the best points.

    Points within ``tol`` of the best ``metric`` tie. The library defaults win a tie; otherwise
    the shingle setting with the widest plateau of tied thresholds wins (ties: closest to the
    default shingle size, then Jaccard-only last), and the middle threshold of that plateau is
    chosen, so that a small shift of the data does not fall off an edge.

    Parameters
    ----------
    points : sequence of CalibrationPoint
        Scored settings (not empty).
    metric : str
        The metric to maximise.
    tol : float, default=1e-3
        Scores this close to the best tie.

    Returns
    -------
    CalibrationPoint
    """
    top = max(p.value(metric) for p in points)
    tied = [p for p in points if p.value(metric) >= top - tol]
    for p in tied:
        if p.params() == {k: getattr(_DEFAULTS, k) for k in p.params()}:
            return p
    groups: dict[tuple[str, int, float | None], list[CalibrationPoint]] = {}
    for p in tied:
        groups.setdefault(_setting(p), []).append(p)
    key = max(
        groups,
        key=lambda g: (
            len(groups[g]),
            -abs(g[1] - _DEFAULTS.shingle_size),
            g[2] == _DEFAULTS.containment_threshold,
            g[2] is not None,
        ),
    )
    plateau = sorted(groups[key], key=lambda p: p.threshold)
    return plateau[(len(plateau) - 1) // 2]


@with_progress
def calibrate(
    articles: Sequence[Article] | Sequence[str],
    labels: Sequence[Hashable] | None = None,
    *,
    metric: Metric = "bcubed_f1",
    label_field: str = "cluster",
    kinds: Sequence[Literal["word", "char"]] = ("word",),
    shingle_sizes: Sequence[int] = (3, 4, 5, 7),
    thresholds: Sequence[float] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    containment_thresholds: Sequence[float | None] = (None, 0.7, 0.8, 0.9),
    progress: Progress | bool | None = None,
) -> Calibration:
    """Sweep near-duplicate settings on a labelled sample and recommend the best.

    Parameters
    ----------
    articles : sequence of Article or str
        The labelled sample (a few hundred to a few thousand articles is enough).
    labels : sequence of hashable or None, default=None
        Gold group of each article; None reads ``label_field`` from each article's ``meta``.
    metric : {"ari", "bcubed_f1", "pairwise_f1", "bcubed_precision", "pairwise_precision"}
        What to maximise. Default B-cubed F1.
    label_field : str, default="cluster"
        Field holding the label when ``labels`` is None: a key of ``meta`` or one of the
        record fields (``source``, ``title``, ``date``, ``url``, ``id``, ``text``).
    kinds, shingle_sizes, thresholds, containment_thresholds : sequences
        The grid. Character shingles want larger sizes (for example 9-13) than words.
    progress : callable, bool or None, default=None
        ``progress("calibrating", done, total)`` after each run; True draws a bar, False
        nothing, None a bar in a Jupyter notebook only (:mod:`storymatch.progress`).

    Returns
    -------
    Calibration

    Raises
    ------
    InvalidParameterError
        When the metric is unknown, the grid is empty, or labels are missing or of the wrong
        length.

    Examples
    --------
    >>> docs = ["the same words in the same order here again and again"] * 2 + [
    ...     "something else entirely about other things in another place"]
    >>> result = calibrate(docs, ["a", "a", "b"], shingle_sizes=(3,), thresholds=(0.5,),
    ...                    containment_thresholds=(None,))
    >>> result.best.value("bcubed_f1")
    1.0
    """
    if metric not in _METRICS:
        msg = f"The 'metric' parameter must be one of {', '.join(_METRICS)}. Got {metric!r}."
        raise InvalidParameterError(msg)
    items = as_articles(articles, name="articles", function="calibrate")
    gold = list(labels) if labels is not None else _labels(items, label_field)
    if len(gold) != len(items):
        msg = f"labels has {len(gold)} entries for {len(items)} articles"
        raise InvalidParameterError(msg)
    grid = list(itertools.product(kinds, shingle_sizes, containment_thresholds, thresholds))
    if not grid or not items:
        msg = "calibrate needs articles and a non-empty grid of settings"
        raise InvalidParameterError(msg)

    def run(clusterer: NearDuplicateClusterer) -> ClusteringScores:
        labels_ = clusterer.fit_predict(items, progress=False)
        return evaluate_clustering(gold, labels_.tolist())

    points: list[CalibrationPoint] = []
    for done, (kind, size, cont, thr) in enumerate(grid, start=1):
        params = {
            "kind": kind,
            "shingle_size": size,
            "threshold": thr,
            "containment_threshold": cont,
        }
        scores = run(NearDuplicateClusterer(**params))  # type: ignore[arg-type]
        points.append(CalibrationPoint(kind, size, thr, cont, scores))
        logger.debug("calibrate %s: %s %.4f", params, metric, points[-1].value(metric))
        resolved(progress)("calibrating", done, len(grid))
    default_point = CalibrationPoint(
        _DEFAULTS.kind,
        _DEFAULTS.shingle_size,
        _DEFAULTS.threshold,
        _DEFAULTS.containment_threshold,
        run(NearDuplicateClusterer()),
    )

    best = choose(points, metric)
    logger.info(
        "calibrate: %d settings on %d articles; best %s = %.4f (defaults %.4f)",
        len(points),
        len(items),
        metric,
        best.value(metric),
        default_point.value(metric),
    )
    return Calibration(
        metric=metric,
        points=tuple(points),
        best=best,
        defaults=default_point,
        n_articles=len(items),
    )
