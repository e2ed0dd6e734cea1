"""Near-duplicate groups of a corpus in one process: :class:`NearDuplicateClusterer`.

The estimator composes the public steps of :mod:`storymatch.dedup.verify` (which the index and
the Spark engine compose alike) with LSH from :mod:`storymatch.dedup.lsh`. The flow::

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
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch._estimator import EstimatorParams, as_articles
from storymatch.dedup.lsh import DEFAULT_MAX_BUCKET, candidate_columns, choose_bands
from storymatch.dedup.minhash import (
    DEFAULT_KIND,
    DEFAULT_NUM_PERM,
    DEFAULT_OCR_FOLD,
    DEFAULT_SEED,
    DEFAULT_SHINGLE_SIZE,
    MinHasher,
)
from storymatch.dedup.verify import (
    DEFAULT_CHAIN_GUARD,
    DEFAULT_CONTAINMENT_THRESHOLD,
    DEFAULT_THRESHOLD,
    Progress,
    StageClock,
    check_unit,
    duplicate_pairs,
    group_id,
    guarded_groups,
    hash_corpus,
    label_groups,
)
from storymatch.errors import EmptyDocumentWarning, InvalidParameterError, NotFittedError
from storymatch.models import Article, DuplicateGroup
from storymatch.progress import resolved, with_progress
from storymatch.text.shingles import ShingleKind

__all__ = ["DedupStats", "NearDuplicateClusterer", "find_duplicates", "group_id"]

logger = logging.getLogger(__name__)

_OWNER = "NearDuplicateClusterer"


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
        threshold: float = DEFAULT_THRESHOLD,
        containment_threshold: float | None = DEFAULT_CONTAINMENT_THRESHOLD,
        shingle_size: int = DEFAULT_SHINGLE_SIZE,
        kind: ShingleKind = DEFAULT_KIND,
        num_perm: int = DEFAULT_NUM_PERM,
        bands: int | None = None,
        rows: int | None = None,
        chain_guard: float | None = DEFAULT_CHAIN_GUARD,
        strip_boilerplate: bool = True,
        ocr_fold: bool = DEFAULT_OCR_FOLD,
        max_bucket: int = DEFAULT_MAX_BUCKET,
        seed: int = DEFAULT_SEED,
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
    def make_hasher(self) -> MinHasher:
        """Return the :class:`MinHasher` that :meth:`fit` uses for these parameters.

        Raises
        ------
        InvalidParameterError
            If ``num_perm``, ``seed``, ``shingle_size`` or ``kind`` is out of range.
        """
        return MinHasher(
            num_perm=self.num_perm,
            seed=self.seed,
            shingle_size=self.shingle_size,
            kind=self.kind,
            ocr_fold=self.ocr_fold,
        )

    def check_params(self) -> tuple[int, int, float]:
        """Validate the parameters and return the LSH banding that :meth:`fit` uses.

        :meth:`fit` calls it; the index (:meth:`LSHIndex.from_clusterer
        <storymatch.dedup.LSHIndex.from_clusterer>`) and the Spark engine call it to band
        exactly like the clusterer.

        Returns
        -------
        tuple of (int, int, float)
            ``(bands, rows, lsh_threshold)``: see :func:`storymatch.dedup.lsh.choose_bands`.

        Raises
        ------
        InvalidParameterError
            If a parameter is out of range.
        """
        self.make_hasher()  # validates num_perm, seed, shingle_size and kind
        check_unit(_OWNER, "threshold", self.threshold)
        check_unit(_OWNER, "containment_threshold", self.containment_threshold, allow_none=True)
        check_unit(_OWNER, "chain_guard", self.chain_guard, allow_none=True)
        if self.threshold <= 0.0:
            msg = (
                f"The 'threshold' parameter of {_OWNER} must be > 0. "
                f"Got {self.threshold!r} instead."
            )
            raise InvalidParameterError(msg)
        return choose_bands(
            self.threshold,
            self.containment_threshold,
            self.num_perm,
            bands=self.bands,
            rows=self.rows,
            owner=_OWNER,
        )

    # ------------------------------------------------------------------ fitting
    @with_progress
    def fit(
        self,
        X: Sequence[Article] | Sequence[str],
        y: object = None,
        *,
        progress: Progress | bool | None = None,
    ) -> Self:
        """Group the documents.

        Parameters
        ----------
        X : sequence of Article or str, pandas.DataFrame or pyarrow.Table
            The corpus. Plain strings get the ids ``"0"``, ``"1"``, ...; a data frame is read
            as :func:`~storymatch.io.read_articles` reads it.
        y : ignored
            Present for API consistency.
        progress : callable, bool or None, default=None
            Called as ``progress("hashing", done, total)`` after each batch is hashed; True
            draws a bar, False nothing, None a bar in a Jupyter notebook only
            (:mod:`storymatch.progress`).

        Returns
        -------
        NearDuplicateClusterer
            The fitted clusterer.
        """
        bands, rows, lsh_threshold = self.check_params()
        hasher = self.make_hasher()
        articles = as_articles(X, function="NearDuplicateClusterer.fit")
        n = len(articles)
        clock = StageClock()
        sets, keys = hash_corpus(
            [a.text for a in articles],
            hasher,
            bands=bands,
            rows=rows,
            strip_boilerplate=self.strip_boilerplate,
            progress=resolved(progress),
            clock=clock,
        )
        sizes = sets.sizes
        n_empty = int(np.count_nonzero(sizes == 0))
        if n_empty:
            empty_ids = [articles[i].id for i in np.flatnonzero(sizes == 0)[:5]]
            msg = (
                f"{n_empty} document(s) have no words to hash and stay alone in their group "
                f"(first: {', '.join(map(repr, empty_ids))})"
            )
            warnings.warn(msg, EmptyDocumentWarning, stacklevel=2)

        left, right = candidate_columns(keys, sizes > 0, max_bucket=self.max_bucket)
        del keys
        clock.lap("candidates")
        keep = duplicate_pairs(
            sets,
            left,
            right,
            threshold=self.threshold,
            containment_threshold=self.containment_threshold,
        )
        n_candidates = left.shape[0]
        # the candidates are no longer needed, only the copies among them
        left, right = left[keep], right[keep]
        del keep
        parent = _kernels.union_find(n, left, right)
        clock.lap("verify")

        lengths = np.fromiter((len(a.text) for a in articles), dtype=np.int64, count=n)
        root, sims, cons, splits = guarded_groups(
            articles, sets, parent, lengths, left, right, chain_guard=self.chain_guard
        )
        clock.lap("guard")
        self.labels_, self.groups_ = label_groups([a.id for a in articles], root, sims)
        self.similarities_ = sims
        self.containments_ = cons
        clock.lap("groups")
        self.stats_ = DedupStats(
            n_documents=n,
            n_empty=n_empty,
            n_candidates=int(n_candidates),
            n_verified=int(left.shape[0]),
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

    def fit_predict(
        self,
        X: Sequence[Article] | Sequence[str],
        y: object = None,
        *,
        progress: Progress | bool | None = None,
    ) -> npt.NDArray[np.int64]:
        """Fit and return ``labels_``."""
        return self.fit(X, y, progress=progress).labels_

    def document_groups(self) -> list[DuplicateGroup]:
        """Return the group of every document, in input order."""
        if not hasattr(self, "labels_"):
            msg = "This NearDuplicateClusterer instance is not fitted yet. Call 'fit' first."
            raise NotFittedError(msg)
        return [self.groups_[lab] for lab in self.labels_.tolist()]


def find_duplicates(
    articles: Sequence[Article] | Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    containment_threshold: float | None = DEFAULT_CONTAINMENT_THRESHOLD,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    kind: ShingleKind = DEFAULT_KIND,
    num_perm: int = DEFAULT_NUM_PERM,
    bands: int | None = None,
    rows: int | None = None,
    chain_guard: float | None = DEFAULT_CHAIN_GUARD,
    strip_boilerplate: bool = True,
    ocr_fold: bool = DEFAULT_OCR_FOLD,
    max_bucket: int = DEFAULT_MAX_BUCKET,
    seed: int = DEFAULT_SEED,
    progress: Progress | bool | None = None,
) -> list[DuplicateGroup]:
    """Group copies of the same text in one call.

    ``find_duplicates(articles, **params)`` is
    ``NearDuplicateClusterer(**params).fit(articles).groups_``.

    Parameters
    ----------
    articles : sequence of Article or str, pandas.DataFrame or pyarrow.Table
        The corpus. Plain strings get the ids ``"0"``, ``"1"``, ...; a data frame is read as
        :func:`~storymatch.io.read_articles` reads it.
    threshold : float, default=0.5
    containment_threshold : float or None, default=0.8
    shingle_size : int, default=5
    kind : {"word", "char"}, default="word"
    num_perm : int, default=128
    bands, rows : int or None, default=None
    chain_guard : float or None, default=0.3
    strip_boilerplate : bool, default=True
    ocr_fold : bool, default=True
    max_bucket : int, default=64
    seed : int, default=1
        The parameters of :class:`NearDuplicateClusterer`, which explains each.
    progress : callable, bool or None, default=None
        Called as ``progress("hashing", done, total)`` after each batch is hashed; True draws
        a bar, False nothing, None a bar in a Jupyter notebook only.

    Returns
    -------
    list of DuplicateGroup
        Every group, singletons included, numbered by first appearance.

    Raises
    ------
    InvalidParameterError
        If a parameter is out of range.

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
        kind=kind,
        num_perm=num_perm,
        bands=bands,
        rows=rows,
        chain_guard=chain_guard,
        strip_boilerplate=strip_boilerplate,
        ocr_fold=ocr_fold,
        max_bucket=max_bucket,
        seed=seed,
    )
    checked = as_articles(articles, name="articles", function="find_duplicates")
    return clusterer.fit(checked, progress=progress).groups_
