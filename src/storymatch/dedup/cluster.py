"""Near-duplicate groups: candidates, exact verification, union-find, chaining guard.

The flow for a corpus::

    texts ─ strip widgets ─ shingles ─ MinHash ─ LSH bands ─ candidate pairs
          ─ exact Jaccard / containment of the shingle sets ─ union-find ─ chaining guard
          ─ DuplicateGroup (representative, members, similarity to the representative)

A candidate pair is a duplicate when its exact Jaccard similarity reaches ``threshold`` or when
the smaller text is (almost) wholly contained in the larger: ``containment >=
containment_threshold``. The second rule is what keeps abridged copies, which can share less
than a third of their shingles with a full copy wrapped in page chrome, in their group.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch._estimator import EstimatorParams, as_articles, published
from storymatch.dedup.lsh import band_keys, optimal_params, pairs_from_keys
from storymatch.dedup.minhash import MinHasher
from storymatch.errors import EmptyDocumentWarning, InvalidParameterError, NotFittedError
from storymatch.models import Article, DuplicateGroup, stable_id
from storymatch.text.boilerplate import strip_widgets
from storymatch.text.normalize import fold_unicode
from storymatch.text.shingles import ShingleKind, ShingleSets

__all__ = ["DedupStats", "NearDuplicateClusterer", "find_duplicates", "group_id"]

logger = logging.getLogger(__name__)

_BATCH = 2048
_LSH_MIN_SIZE_RATIO = 0.25
"""Smallest size ratio of an abridged copy to its original that LSH is tuned to catch."""

Progress = Callable[[int, int], None]


def group_id(members: Sequence[str]) -> str:
    """Stable id of a group: ``"g-"`` and 16 hex digits of a hash of the sorted member ids."""
    return stable_id("g-", members)


@dataclass(frozen=True, slots=True)
class DedupStats:
    """Counts from one run of :class:`NearDuplicateClusterer`.

    Parameters
    ----------
    n_documents : int
        Documents clustered.
    n_empty : int
        Documents without a single shingle (each is its own group).
    n_candidates : int
        Distinct candidate pairs from LSH.
    n_verified : int
        Candidate pairs that passed exact verification.
    n_chain_splits : int
        Members moved out of a group by the chaining guard.
    bands, rows : int
        The LSH banding used.
    """

    n_documents: int
    n_empty: int
    n_candidates: int
    n_verified: int
    n_chain_splits: int
    bands: int
    rows: int


def _check_unit(name: str, value: object, *, allow_none: bool = False) -> None:
    if allow_none and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        msg = (
            f"The {name!r} parameter of NearDuplicateClusterer must be a float in the range "
            f"[0.0, 1.0]{' or None' if allow_none else ''}. Got {value!r} instead."
        )
        raise InvalidParameterError(msg)


class NearDuplicateClusterer(EstimatorParams):
    """Group copies of the same text.

    Follows the scikit-learn estimator contract (``__init__`` only stores, ``fit`` validates
    and sets ``labels_``, ``groups_``, ``stats_``); ``sklearn.base.clone`` and grid searches
    work on it.

    Parameters
    ----------
    threshold : float, default=0.5
        Exact Jaccard similarity of the shingle sets at which two texts are copies. On
        news copies with page chrome (``shared/data/syndication``) the adjusted Rand index is
        flat between 0.5 and 0.6 and falls on both sides: lower merges independent reports of
        one event that quote the same agency text, higher splits copies with local edits.
    containment_threshold : float or None, default=0.8
        Share of the smaller shingle set that must be found in the larger for an abridged
        copy to count. None turns the rule off (pure Jaccard).
    shingle_size : int, default=5
        Word n-gram size.
    kind : {"word", "char"}, default="word"
        Word or character n-grams. Character 5- to 9-grams tolerate OCR noise better; word
        5-grams separate same-event reports better.
    num_perm : int, default=128
        MinHash signature length.
    bands, rows : int or None, default=None
        LSH banding. By default they are chosen for a candidate threshold low enough to catch
        an abridged copy a quarter the size of its original (see ``lsh_threshold_``).
    chain_guard : float or None, default=0.3
        After union-find, every member must reach this score (the larger of its Jaccard and
        containment) against the group's representative; members that do not are split off
        and grouped among themselves. Guards against chains A~B~C in which A and C have little
        in common. None turns it off (plain connected components).
    strip_boilerplate : bool, default=True
        Remove "Read more"-style widgets before shingling
        (:func:`storymatch.text.boilerplate.strip_widgets`).
    ocr_fold : bool, default=True
        Fold the characters OCR confuses most before hashing words (see
        :func:`storymatch.text.shingles.shingle_batch`). On the syndication set it changes
        nothing for clean copies and keeps OCR-damaged ones in their group.
    max_bucket : int, default=64
        See :func:`storymatch.dedup.lsh.candidate_pairs`.
    seed : int, default=1
        Seed of the hash family.

    Attributes
    ----------
    labels_ : numpy.ndarray of int64
        Group index of every document (groups numbered by their first document).
    groups_ : list of DuplicateGroup
        The groups, singletons included, in label order.
    similarities_ : numpy.ndarray of float64
        Exact Jaccard similarity of every document to its group's representative.
    containments_ : numpy.ndarray of float64
        Containment of the smaller of each document and its representative in the other.
    stats_ : DedupStats
        Counts of the run.
    lsh_threshold_ : float
        Jaccard similarity the LSH banding was tuned for.
    stage_seconds_ : dict of str to float
        Wall time of each stage of the last fit (folding and widget stripping, shingling,
        MinHash and band keys, candidates, verification, guard, groups), also logged at INFO.

    Examples
    --------
    >>> texts = [
    ...     "The council approved the new budget on Tuesday after a long debate.",
    ...     "The council approved the new budget on Tuesday after a long debate. Read on.",
    ...     "Heavy rain flooded the northern districts overnight, officials said.",
    ... ]
    >>> NearDuplicateClusterer().fit_predict(texts).tolist()
    [0, 0, 1]
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        containment_threshold: float | None = 0.8,
        shingle_size: int = 5,
        kind: ShingleKind = "word",
        num_perm: int = 128,
        bands: int | None = None,
        rows: int | None = None,
        chain_guard: float | None = 0.3,
        strip_boilerplate: bool = True,
        ocr_fold: bool = True,
        max_bucket: int = 64,
        seed: int = 1,
    ) -> None:
        self.threshold = threshold
        self.containment_threshold = containment_threshold
        self.shingle_size = shingle_size
        self.kind = kind
        self.num_perm = num_perm
        self.bands = bands
        self.rows = rows
        self.chain_guard = chain_guard
        self.strip_boilerplate = strip_boilerplate
        self.ocr_fold = ocr_fold
        self.max_bucket = max_bucket
        self.seed = seed

    # ------------------------------------------------------------------ validation
    def _validate(self) -> tuple[int, int, float]:
        # the hasher validates num_perm, seed, shingle_size and kind
        MinHasher(
            num_perm=self.num_perm,
            seed=self.seed,
            shingle_size=self.shingle_size,
            kind=self.kind,
            ocr_fold=self.ocr_fold,
        )
        _check_unit("threshold", self.threshold)
        _check_unit("containment_threshold", self.containment_threshold, allow_none=True)
        _check_unit("chain_guard", self.chain_guard, allow_none=True)
        if self.threshold <= 0.0:
            msg = (
                "The 'threshold' parameter of NearDuplicateClusterer must be > 0. "
                f"Got {self.threshold!r} instead."
            )
            raise InvalidParameterError(msg)
        lsh_threshold = float(self.threshold)
        if self.containment_threshold is not None:
            # Jaccard of a copy of relative size rho that is contained at level c in the original
            rho = _LSH_MIN_SIZE_RATIO
            c = float(self.containment_threshold)
            lsh_threshold = min(lsh_threshold, c * rho / (1.0 + rho - c * rho))
        lsh_threshold = min(max(lsh_threshold, 0.01), 0.99)
        if (self.bands is None) != (self.rows is None):
            msg = (
                "The 'bands' and 'rows' parameters of NearDuplicateClusterer "
                "must be given together."
            )
            raise InvalidParameterError(msg)
        if self.bands is None or self.rows is None:
            bands, rows = optimal_params(
                lsh_threshold,
                self.num_perm,
                false_positive_weight=0.05,
                false_negative_weight=0.95,
            )
        else:
            bands, rows = int(self.bands), int(self.rows)
        return bands, rows, lsh_threshold

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        X: Sequence[Article] | Sequence[str],
        y: object = None,
        *,
        progress: Progress | None = None,
    ) -> Self:
        """Group the documents.

        Parameters
        ----------
        X : sequence of Article or str
            The corpus. Plain strings get the ids ``"0"``, ``"1"``, ...
        y : ignored
            Present for API consistency.
        progress : callable or None, default=None
            Called as ``progress(done, total)`` after each batch is hashed.

        Returns
        -------
        NearDuplicateClusterer
            The fitted clusterer.
        """
        bands, rows, lsh_threshold = self._validate()
        hasher = MinHasher(
            num_perm=self.num_perm,
            seed=self.seed,
            shingle_size=self.shingle_size,
            kind=self.kind,
            ocr_fold=self.ocr_fold,
        )
        articles = as_articles(X)
        n = len(articles)
        clock = _StageClock()
        sets, keys = self._hash(articles, hasher, bands, rows, progress, clock)
        sizes = sets.sizes
        n_empty = int(np.count_nonzero(sizes == 0))
        if n_empty:
            empty_ids = [articles[i].id for i in np.flatnonzero(sizes == 0)[:5]]
            msg = (
                f"{n_empty} document(s) have no words to hash and stay alone in their group "
                f"(first: {', '.join(map(repr, empty_ids))})"
            )
            warnings.warn(msg, EmptyDocumentWarning, stacklevel=2)

        pairs = pairs_from_keys(keys, sizes > 0, max_bucket=self.max_bucket)
        del keys
        clock.lap("candidates")
        left = np.ascontiguousarray(pairs[:, 0])
        right = np.ascontiguousarray(pairs[:, 1])
        jac, con = _similarities(sets, left, right)
        keep = self._is_duplicate(jac, con)
        parent = _kernels.union_find(n, left[keep], right[keep])
        clock.lap("verify")

        lengths = np.fromiter((len(a.text) for a in articles), dtype=np.int64, count=n)
        labels, sims, cons, splits = self._guarded_groups(
            articles, sets, parent, lengths, left[keep], right[keep]
        )
        clock.lap("guard")
        self._finish(articles, labels, sims, cons)
        clock.lap("groups")
        self.stats_ = DedupStats(
            n_documents=n,
            n_empty=n_empty,
            n_candidates=int(pairs.shape[0]),
            n_verified=int(np.count_nonzero(keep)),
            n_chain_splits=splits,
            bands=bands,
            rows=rows,
        )
        self.lsh_threshold_ = lsh_threshold
        self.stage_seconds_ = dict(clock.seconds)
        logger.info(
            "dedup: %d documents, %d candidate pairs, %d verified, %d groups (%s)",
            n,
            self.stats_.n_candidates,
            self.stats_.n_verified,
            len(self.groups_),
            clock,
        )
        return self

    def _hash(
        self,
        articles: Sequence[Article],
        hasher: MinHasher,
        bands: int,
        rows: int,
        progress: Progress | None,
        clock: _StageClock,
    ) -> tuple[ShingleSets, npt.NDArray[np.uint64]]:
        """Shingle sets and LSH band keys of every document, batch by batch.

        Signatures live only as long as their batch: what stays is the band keys
        (``bands`` values per document) and the shingle sets, written into one buffer that is
        reserved for the worst case but only touched as far as it is filled.
        """
        n = len(articles)
        keys = np.empty((n, bands), dtype=np.uint64)
        # Shingles per document: at most one per two characters for words, one per character
        # for character n-grams. Unicode folding can lengthen a text, so the buffer still grows
        # when a batch does not fit.
        per_char = 2 if self.kind == "word" else 1
        values = np.empty(sum(len(a.text) // per_char + 1 for a in articles), dtype=np.uint64)
        offsets = np.zeros(n + 1, dtype=np.int64)
        filled = 0
        for start in range(0, n, _BATCH):
            batch = [fold_unicode(a.text) for a in articles[start : start + _BATCH]]
            if self.strip_boilerplate:
                batch = [strip_widgets(t, lowercase=True) for t in batch]
            clock.lap("fold+widgets")
            part = hasher.shingles(batch, casefold=False)
            clock.lap("shingles")
            stop = start + len(batch)
            size = part.values.shape[0]
            if filled + size > values.shape[0]:
                grown = np.empty(max(2 * values.shape[0], filled + size), dtype=np.uint64)
                grown[:filled] = values[:filled]
                values = grown
            values[filled : filled + size] = part.values
            offsets[start + 1 : stop + 1] = part.offsets[1:] + filled
            filled += size
            signatures = hasher.from_shingles(part)
            keys[start:stop] = band_keys(signatures, bands, rows)
            clock.lap("minhash+bands")
            if progress is not None:
                progress(stop, n)
        return ShingleSets(offsets, values[:filled]), keys

    def fit_predict(
        self,
        X: Sequence[Article] | Sequence[str],
        y: object = None,
        *,
        progress: Progress | None = None,
    ) -> npt.NDArray[np.int64]:
        """Fit and return ``labels_``."""
        return self.fit(X, y, progress=progress).labels_

    def _is_duplicate(
        self, jac: npt.NDArray[np.float64], con: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.bool_]:
        keep = jac >= self.threshold
        if self.containment_threshold is not None:
            keep |= con >= self.containment_threshold
        return np.asarray(keep)

    def _guarded_groups(
        self,
        articles: Sequence[Article],
        sets: ShingleSets,
        parent: npt.NDArray[np.int64],
        lengths: npt.NDArray[np.int64],
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64], int]:
        """Split chained members off their group; return roots, similarities, containments."""
        n = parent.shape[0]
        root = parent.copy()
        sims = np.ones(n, dtype=np.float64)
        cons = np.ones(n, dtype=np.float64)
        splits = 0
        # members of groups of two or more, checked against their representative; those the
        # guard splits off are regrouped with the verified edges among them and checked again
        pending = [np.flatnonzero(np.bincount(root, minlength=n)[root] > 1)]
        while pending:
            members = pending.pop()
            if not members.size:
                continue
            comp_root = root[members]
            order = np.argsort(comp_root, kind="stable")
            members = members[order]
            comp_root = comp_root[order]
            bounds = np.flatnonzero(np.diff(comp_root)) + 1
            groups = np.split(members, bounds)
            reps = np.array([self._representative(articles, g, lengths) for g in groups])
            rep_of = np.repeat(reps, [g.size for g in groups])
            jac, con = _similarities(sets, rep_of, members)
            sims[members] = jac
            cons[members] = con
            score = np.maximum(jac, con)
            for g, r in zip(groups, reps, strict=True):
                root[g] = r
            if self.chain_guard is None:
                continue
            bad = (score < self.chain_guard) & (members != rep_of)
            if not bad.any():
                continue
            splits += int(np.count_nonzero(bad))
            out = members[bad]
            mask = np.zeros(n, dtype=bool)
            mask[out] = True
            sub = mask[left] & mask[right]
            sub_parent = _kernels.union_find(n, left[sub], right[sub])
            root[out] = sub_parent[out]
            sims[out] = 1.0
            cons[out] = 1.0
            multi = out[np.bincount(sub_parent[out], minlength=n)[sub_parent[out]] > 1]
            if multi.size:
                pending.append(multi)
        return root, sims, cons, splits

    @staticmethod
    def _representative(
        articles: Sequence[Article], members: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
    ) -> int:
        """Earliest dated member, else the longest text; ties by id."""

        def key(i: int) -> tuple[int, datetime | int, int, str]:
            date = published(articles[int(i)])
            if date is not None:
                return (0, date, -int(lengths[i]), articles[int(i)].id)
            return (1, 0, -int(lengths[i]), articles[int(i)].id)

        return int(min(members.tolist(), key=key))

    def _finish(
        self,
        articles: Sequence[Article],
        root: npt.NDArray[np.int64],
        sims: npt.NDArray[np.float64],
        cons: npt.NDArray[np.float64],
    ) -> None:
        n = root.shape[0]
        # number groups by their first document
        _, first = np.unique(root, return_index=True)
        roots_in_order = root[np.sort(first)]
        label_of_root = np.empty(n, dtype=np.int64)
        label_of_root[roots_in_order] = np.arange(roots_in_order.shape[0], dtype=np.int64)
        labels = label_of_root[root]
        order = np.argsort(labels, kind="stable")
        bounds = np.flatnonzero(np.diff(labels[order])) + 1
        groups = []
        rounded = np.round(sims, 6).tolist()
        for lab, members in enumerate(np.split(order, bounds) if n else []):
            rep = int(roots_in_order[lab])
            if members.shape[0] == 1:
                aid = articles[rep].id
                groups.append(DuplicateGroup(group_id((aid,)), aid, (aid,), (1.0,)))
                continue
            others = sorted((int(m) for m in members if m != rep), key=lambda m: articles[m].id)
            ordered = [rep, *others]
            ids = tuple(articles[m].id for m in ordered)
            groups.append(
                DuplicateGroup(
                    id=group_id(ids),
                    representative=articles[rep].id,
                    members=ids,
                    similarities=tuple(rounded[m] for m in ordered),
                )
            )
        self.labels_ = labels
        self.groups_ = groups
        self.similarities_ = sims
        self.containments_ = cons

    def group_of(self) -> list[DuplicateGroup]:
        """Return the group of every document, in input order."""
        if not hasattr(self, "labels_"):
            msg = "This NearDuplicateClusterer instance is not fitted yet. Call 'fit' first."
            raise NotFittedError(msg)
        return [self.groups_[lab] for lab in self.labels_.tolist()]


class _StageClock:
    """Wall time of the stages of one fit (summed over batches), for the log and benchmarks."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def lap(self, name: str) -> None:
        """Charge the time since the previous lap to ``name``."""
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.seconds.items())


def _similarities(
    sets: ShingleSets, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Exact Jaccard and containment of pairs of shingle sets."""
    left = np.ascontiguousarray(left, dtype=np.int64)
    right = np.ascontiguousarray(right, dtype=np.int64)
    inter = _kernels.intersections(sets.offsets, sets.values, left, right).astype(np.float64)
    sizes = sets.sizes
    a = sizes[left].astype(np.float64)
    b = sizes[right].astype(np.float64)
    union = a + b - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(union > 0, inter / union, 0.0)
        con = np.where(np.minimum(a, b) > 0, inter / np.minimum(a, b), 0.0)
    same = left == right
    jac[same] = 1.0
    con[same] = 1.0
    return jac, con


def find_duplicates(
    articles: Sequence[Article] | Sequence[str],
    *,
    threshold: float = 0.5,
    containment_threshold: float | None = 0.8,
    shingle_size: int = 5,
    num_perm: int = 128,
    seed: int = 1,
    **options: Any,
) -> list[DuplicateGroup]:
    """Group copies of the same text in one call.

    Parameters
    ----------
    articles : sequence of Article or str
        The corpus.
    threshold, containment_threshold, shingle_size, num_perm, seed
        See :class:`NearDuplicateClusterer`.
    **options
        Any other :class:`NearDuplicateClusterer` parameter.

    Returns
    -------
    list of DuplicateGroup
        Every group, singletons included, numbered by first appearance.

    Examples
    --------
    >>> groups = find_duplicates(["a b c d e f g", "a b c d e f g", "z y x w v u"])
    >>> [g.members for g in groups]
    [('0', '1'), ('2',)]
    """
    clusterer = NearDuplicateClusterer(
        threshold=threshold,
        containment_threshold=containment_threshold,
        shingle_size=shingle_size,
        num_perm=num_perm,
        seed=seed,
        **options,
    )
    return clusterer.fit(articles).groups_
