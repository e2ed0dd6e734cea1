"""Clustering metrics for near-duplicate and event grouping.

Every metric compares a gold labelling with a predicted one, item by item. Labels are any
hashable values (strings, ints, tuples); only equality matters, so the two labellings need not
use the same vocabulary. All scores are computed from the contingency table of the two
labellings (how many items each gold cluster shares with each predicted cluster), in time linear
in the number of items; no pair of items is ever enumerated.

Metrics
-------
- Pairwise precision/recall/F1 over *same-cluster pairs*: a pair of items is a true positive
  when both labellings put it in one cluster.
- B-cubed precision/recall/F1 (Bagga and Baldwin, 1998): per-item precision and recall of the
  item's predicted cluster against its gold cluster, averaged over items.
- Adjusted Rand Index (Hubert and Arabie, 1985), identical to
  :func:`sklearn.metrics.adjusted_rand_score`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storymatch.errors import InvalidParameterError

__all__ = [
    "PRF",
    "ClusteringScores",
    "adjusted_rand_index",
    "bcubed_scores",
    "evaluate_clustering",
    "pairwise_scores",
]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and their harmonic mean.

    Parameters
    ----------
    precision : float
        Share of the predicted positives that are correct, in [0, 1].
    recall : float
        Share of the gold positives that are found, in [0, 1].
    f1 : float
        Harmonic mean of ``precision`` and ``recall``; 0.0 when both are 0.
    """

    precision: float
    recall: float
    f1: float

    @classmethod
    def from_precision_recall(cls, precision: float, recall: float) -> PRF:
        """Build a result from precision and recall, computing F1.

        Parameters
        ----------
        precision : float
            Precision in [0, 1].
        recall : float
            Recall in [0, 1].

        Returns
        -------
        PRF
            The scores, with ``f1 = 2 * precision * recall / (precision + recall)``, or 0.0
            when ``precision + recall`` is 0.

        Examples
        --------
        >>> PRF.from_precision_recall(1.0, 0.5).f1  # doctest: +ELLIPSIS
        0.666...
        """
        total = precision + recall
        f1 = 2.0 * precision * recall / total if total > 0.0 else 0.0
        return cls(precision=float(precision), recall=float(recall), f1=float(f1))

    def to_dict(self) -> dict[str, float]:
        """Return the scores as a plain dict (for IO only).

        Returns
        -------
        dict of str to float
            Keys ``precision``, ``recall`` and ``f1``.
        """
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True, slots=True)
class ClusteringScores:
    """Every clustering metric of one predicted labelling against a gold labelling.

    Parameters
    ----------
    ari : float
        Adjusted Rand Index, in [-1, 1] (1 for identical partitions, about 0 for chance).
    bcubed : PRF
        B-cubed precision, recall and F1.
    pairwise : PRF
        Precision, recall and F1 of same-cluster pairs.
    n_items : int
        Number of labelled items.
    n_gold_clusters : int
        Number of distinct gold labels.
    n_pred_clusters : int
        Number of distinct predicted labels.

    See Also
    --------
    evaluate_clustering : Compute these scores.
    """

    ari: float
    bcubed: PRF
    pairwise: PRF
    n_items: int
    n_gold_clusters: int
    n_pred_clusters: int

    def to_dict(self) -> dict[str, float | int | dict[str, float]]:
        """Return the scores as a plain, JSON-serialisable dict (for IO only).

        Returns
        -------
        dict
            Keys ``ari``, ``bcubed``, ``pairwise`` (each a dict of ``precision``, ``recall``,
            ``f1``), ``n_items``, ``n_gold_clusters`` and ``n_pred_clusters``.
        """
        return {
            "ari": self.ari,
            "bcubed": self.bcubed.to_dict(),
            "pairwise": self.pairwise.to_dict(),
            "n_items": self.n_items,
            "n_gold_clusters": self.n_gold_clusters,
            "n_pred_clusters": self.n_pred_clusters,
        }


@dataclass(frozen=True, slots=True)
class _Contingency:
    """Sparse contingency table of two labellings.

    ``cell_sizes[k]`` items carry gold cluster ``cell_gold[k]`` and predicted cluster
    ``cell_pred[k]``; only non-empty cells are stored.
    """

    n_items: int
    gold_sizes: npt.NDArray[np.int64]
    pred_sizes: npt.NDArray[np.int64]
    cell_gold: npt.NDArray[np.int64]
    cell_pred: npt.NDArray[np.int64]
    cell_sizes: npt.NDArray[np.int64]


def _contingency(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> _Contingency:
    """Validate two labellings and count their contingency table in O(n)."""
    if len(pred) != len(gold):
        msg = (
            f"The 'pred' parameter must have the same length as 'gold' ({len(gold)}). "
            f"Got {len(pred)} instead."
        )
        raise InvalidParameterError(msg)
    gold_ids: dict[Hashable, int] = {}
    pred_ids: dict[Hashable, int] = {}
    cell_ids: dict[tuple[int, int], int] = {}
    gold_codes = [gold_ids.setdefault(label, len(gold_ids)) for label in gold]
    pred_codes = [pred_ids.setdefault(label, len(pred_ids)) for label in pred]
    cell_codes = [
        cell_ids.setdefault(key, len(cell_ids)) for key in zip(gold_codes, pred_codes, strict=True)
    ]
    # Dicts keep insertion order, so row k of ``cells`` is the cell whose code is k.
    cells = np.array(list(cell_ids), dtype=np.int64).reshape(-1, 2)
    return _Contingency(
        n_items=len(gold_codes),
        gold_sizes=np.bincount(np.asarray(gold_codes, dtype=np.int64), minlength=len(gold_ids)),
        pred_sizes=np.bincount(np.asarray(pred_codes, dtype=np.int64), minlength=len(pred_ids)),
        cell_gold=cells[:, 0],
        cell_pred=cells[:, 1],
        cell_sizes=np.bincount(np.asarray(cell_codes, dtype=np.int64), minlength=len(cell_ids)),
    )


def _sum_pairs(sizes: npt.NDArray[np.int64]) -> int:
    """Return the number of unordered pairs within clusters of the given sizes, exactly."""
    return int((sizes * (sizes - 1) // 2).sum())


def _pairwise(table: _Contingency) -> PRF:
    true_pairs = _sum_pairs(table.cell_sizes)
    pred_pairs = _sum_pairs(table.pred_sizes)
    gold_pairs = _sum_pairs(table.gold_sizes)
    precision = true_pairs / pred_pairs if pred_pairs else 1.0
    recall = true_pairs / gold_pairs if gold_pairs else 1.0
    return PRF.from_precision_recall(precision, recall)


def _bcubed(table: _Contingency) -> PRF:
    if table.n_items == 0:
        return PRF(precision=1.0, recall=1.0, f1=1.0)
    # Each of the n_ij items of a cell has precision n_ij / |pred cluster| and recall
    # n_ij / |gold cluster|; summing over the cell's items gives n_ij**2 / size.
    squares = (table.cell_sizes * table.cell_sizes).astype(np.float64)
    precision = float((squares / table.pred_sizes[table.cell_pred]).sum()) / table.n_items
    recall = float((squares / table.gold_sizes[table.cell_gold]).sum()) / table.n_items
    return PRF.from_precision_recall(precision, recall)


def _ari(table: _Contingency) -> float:
    # Ordered pair counts, as in sklearn.metrics.pair_confusion_matrix; Python ints avoid
    # overflow of the products below on large corpora.
    n = table.n_items
    sum_cells = int((table.cell_sizes * table.cell_sizes).sum())
    sum_gold = int((table.gold_sizes * table.gold_sizes).sum())
    sum_pred = int((table.pred_sizes * table.pred_sizes).sum())
    tp = sum_cells - n
    fp = sum_pred - sum_cells
    fn = sum_gold - sum_cells
    tn = n * n - fp - fn - sum_cells
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def pairwise_scores(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PRF:
    """Score a clustering by its same-cluster pairs.

    A pair of distinct items is *predicted* when ``pred`` puts both in one cluster and *gold*
    when ``gold`` does; precision is the share of predicted pairs that are gold, recall the share
    of gold pairs that are predicted.

    Parameters
    ----------
    gold : sequence of hashable
        The true cluster label of each item.
    pred : sequence of hashable
        The predicted cluster label of each item, in the same order as ``gold``.

    Returns
    -------
    PRF
        Pairwise precision, recall and F1.

    Raises
    ------
    InvalidParameterError
        If ``gold`` and ``pred`` differ in length.

    See Also
    --------
    bcubed_scores : Per-item scores, which weigh large clusters less than pairs do.
    evaluate_clustering : Every metric at once.

    Notes
    -----
    Conventions for empty denominators: when ``pred`` has no same-cluster pair (every item a
    singleton), precision is 1.0, since no predicted pair is wrong; when ``gold`` has none,
    recall is 1.0, since no gold pair is missed. F1 is 0.0 when precision and recall are both 0.
    So two all-singleton labellings (and two empty ones) score 1.0 everywhere.

    Pair counts grow with the square of cluster size, so a few large clusters dominate these
    scores. Labels are compared with ``==`` and ``hash`` (as dict keys), so ``1``, ``1.0`` and
    ``True`` are one label. The cost is O(n) in the number of items.

    Examples
    --------
    >>> pairwise_scores(["a", "a", "b", "b"], [1, 1, 1, 2])
    PRF(precision=0.3333333333333333, recall=0.5, f1=0.4)
    >>> pairwise_scores(["a", "a", "b"], [1, 2, 3])
    PRF(precision=1.0, recall=0.0, f1=0.0)
    """
    return _pairwise(_contingency(gold, pred))


def bcubed_scores(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> PRF:
    """Score a clustering with B-cubed precision, recall and F1.

    For each item, precision is the share of its predicted cluster that shares its gold label,
    and recall the share of its gold cluster that shares its predicted label (the item itself
    included). Both are averaged over all items.

    Parameters
    ----------
    gold : sequence of hashable
        The true cluster label of each item.
    pred : sequence of hashable
        The predicted cluster label of each item, in the same order as ``gold``.

    Returns
    -------
    PRF
        B-cubed precision, recall and F1 (F1 is the harmonic mean of the averaged precision and
        recall).

    Raises
    ------
    InvalidParameterError
        If ``gold`` and ``pred`` differ in length.

    See Also
    --------
    pairwise_scores : Scores over same-cluster pairs.
    evaluate_clustering : Every metric at once.

    Notes
    -----
    Every item counts once, so unlike pairwise scores B-cubed is not dominated by large
    clusters. Predicting all singletons gives precision 1.0; one cluster for everything gives
    recall 1.0. For no items at all, precision and recall are 1.0 by convention. The cost is
    O(n) in the number of items.

    References
    ----------
    .. [1] A. Bagga and B. Baldwin, "Algorithms for scoring coreference chains", LREC 1998
       workshop on linguistic coreference.

    Examples
    --------
    >>> bcubed_scores(["a", "a", "b"], [1, 2, 3])  # doctest: +ELLIPSIS
    PRF(precision=1.0, recall=0.666..., f1=0.8)
    """
    return _bcubed(_contingency(gold, pred))


def adjusted_rand_index(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Compute the Adjusted Rand Index of two labellings.

    Parameters
    ----------
    gold : sequence of hashable
        The true cluster label of each item.
    pred : sequence of hashable
        The predicted cluster label of each item, in the same order as ``gold``.

    Returns
    -------
    float
        The ARI: 1.0 for identical partitions (up to renaming), about 0.0 for a random
        labelling, negative for worse than chance.

    Raises
    ------
    InvalidParameterError
        If ``gold`` and ``pred`` differ in length.

    See Also
    --------
    sklearn.metrics.adjusted_rand_score : The reference implementation; same formula and
        special cases, but it needs sortable labels.

    Notes
    -----
    Computed from the contingency table with the pair-confusion formula of scikit-learn,
    including its special case: when neither labelling has a pair the other lacks (identical
    partitions, empty input, or all singletons in both), the ARI is 1.0. Counts are combined as
    Python integers, so large corpora cannot overflow. The cost is O(n) in the number of items.

    References
    ----------
    .. [1] L. Hubert and P. Arabie, "Comparing partitions", Journal of Classification 2(1),
       1985.

    Examples
    --------
    >>> adjusted_rand_index(["a", "a", "b", "b"], [0, 0, 1, 1])
    1.0
    >>> adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1])
    -0.5
    """
    return _ari(_contingency(gold, pred))


def evaluate_clustering(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> ClusteringScores:
    """Compute every clustering metric of ``pred`` against ``gold`` in one pass.

    Parameters
    ----------
    gold : sequence of hashable
        The true cluster label of each item.
    pred : sequence of hashable
        The predicted cluster label of each item, in the same order as ``gold``.

    Returns
    -------
    ClusteringScores
        ARI, B-cubed and pairwise scores, with the number of items and of clusters on each side.

    Raises
    ------
    InvalidParameterError
        If ``gold`` and ``pred`` differ in length.

    See Also
    --------
    pairwise_scores, bcubed_scores, adjusted_rand_index : The individual metrics, with their
        conventions for degenerate inputs.

    Examples
    --------
    >>> scores = evaluate_clustering(["a", "a", "b"], ["x", "x", "y"])
    >>> scores.ari, scores.bcubed.f1, scores.pairwise.f1
    (1.0, 1.0, 1.0)
    >>> scores.n_items, scores.n_gold_clusters, scores.n_pred_clusters
    (3, 2, 2)
    """
    table = _contingency(gold, pred)
    return ClusteringScores(
        ari=_ari(table),
        bcubed=_bcubed(table),
        pairwise=_pairwise(table),
        n_items=table.n_items,
        n_gold_clusters=len(table.gold_sizes),
        n_pred_clusters=len(table.pred_sizes),
    )
