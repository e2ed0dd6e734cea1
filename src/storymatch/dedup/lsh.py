"""Locality-sensitive hashing over MinHash signatures: the choice of bands and candidate pairs.

A signature of ``num_perm`` values is cut into ``bands`` bands of ``rows`` values; two documents
become a candidate pair when all values of at least one band agree. For Jaccard similarity ``s``
that happens with probability ``1 - (1 - s**rows)**bands``, an S-curve whose steep part sits
near ``(1/bands)**(1/rows)``. :func:`optimal_params` picks the bands and rows that minimise a
weighted sum of the area under the curve below the threshold (false positives) and above it
(false negatives), as datasketch's ``MinHashLSH`` does. :func:`choose_bands`, which the
clusterer, the index and the Spark engine use, calls it with storymatch's weights
(:data:`FALSE_POSITIVE_WEIGHT`, :data:`FALSE_NEGATIVE_WEIGHT`) leaning towards recall: every
candidate is verified exactly afterwards, so a false positive costs a few hundred nanoseconds
while a false negative loses a copy for good.

:func:`candidate_pairs` and :func:`pairs_from_keys` (or :func:`candidate_columns`, the same
pairs as two arrays) find the pairs of a whole corpus at once;
the incremental index is :class:`storymatch.dedup.index.LSHIndex`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch.dedup.minhash import Signatures
from storymatch.errors import InvalidParameterError

__all__ = [
    "DEFAULT_MAX_BUCKET",
    "FALSE_NEGATIVE_WEIGHT",
    "FALSE_POSITIVE_WEIGHT",
    "MIN_BUCKET",
    "MIN_SIZE_RATIO",
    "band_keys",
    "candidate_columns",
    "candidate_pairs",
    "check_bands",
    "choose_bands",
    "collision_probability",
    "lsh_threshold",
    "optimal_params",
    "pairs_from_keys",
]

FALSE_POSITIVE_WEIGHT = 0.05
"""Weight of false positives when storymatch chooses the banding (see :func:`choose_bands`)."""
FALSE_NEGATIVE_WEIGHT = 0.95
"""Weight of false negatives when storymatch chooses the banding: every candidate is verified
exactly afterwards, so a missed copy costs far more than a spurious candidate."""
DEFAULT_MAX_BUCKET = 64
"""Buckets larger than this pair each member with the bucket's first only (candidate_pairs)."""
MIN_BUCKET = 2
"""Smallest allowed ``max_bucket``."""
MIN_SIZE_RATIO = 0.25
"""Smallest size ratio of an abridged copy to its original that the banding is tuned to catch."""


def collision_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that two documents of Jaccard ``similarity`` share at least one band."""
    return float(1.0 - (1.0 - similarity**rows) ** bands)


def optimal_params(
    threshold: float,
    num_perm: int,
    *,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> tuple[int, int]:
    """Choose ``(bands, rows)`` for a Jaccard threshold.

    Parameters
    ----------
    threshold : float
        Jaccard similarity above which pairs should become candidates.
    num_perm : int
        Signature length; ``bands * rows <= num_perm``.
    false_positive_weight : float, default=0.5
        Weight of the probability mass of candidates below ``threshold``.
    false_negative_weight : float, default=0.5
        Weight of the probability mass of missed pairs above ``threshold``.

    Returns
    -------
    tuple of int
        ``(bands, rows)`` minimising the weighted error.

    Examples
    --------
    >>> optimal_params(0.8, 128)
    (9, 13)
    """
    if not 0.0 < threshold < 1.0:
        msg = (
            "The 'threshold' parameter of optimal_params must be a float in the range (0, 1). "
            f"Got {threshold!r} instead."
        )
        raise InvalidParameterError(msg)
    candidates = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    errors = _banding_errors(
        threshold, candidates, false_positive_weight, false_negative_weight
    ).tolist()
    best = (1, 1)
    best_error = float("inf")
    for candidate, error in zip(candidates, errors, strict=True):
        if error < best_error - 1e-12:
            best_error = error
            best = candidate
    return best


def _banding_errors(
    threshold: float,
    candidates: list[tuple[int, int]],
    false_positive_weight: float,
    false_negative_weight: float,
) -> npt.NDArray[np.float64]:
    """Return the weighted error of every ``(bands, rows)`` candidate, all in one array.

    The false-positive and false-negative masses are trapezoid integrals of the S-curve over
    200 points below and above ``threshold``, one row per candidate (the same floats as one
    :func:`numpy.trapezoid` per candidate: each row is summed alone, pairwise).
    """
    bands = np.array([b for b, _ in candidates], dtype=np.float64)[:, None]
    rows = np.array([r for _, r in candidates], dtype=np.float64)[:, None]
    grid_lo = np.linspace(0.0, threshold, 200)
    grid_hi = np.linspace(threshold, 1.0, 200)
    fp = np.trapezoid(1.0 - _power(1.0 - _power(grid_lo, rows), bands), grid_lo, axis=-1)
    fn = np.trapezoid(_power(1.0 - _power(grid_hi, rows), bands), grid_hi, axis=-1)
    errors: npt.NDArray[np.float64] = np.asarray(
        false_positive_weight * fp + false_negative_weight * fn, dtype=np.float64
    )
    return errors


def _power(
    base: npt.NDArray[np.float64], exponents: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Return ``base ** exponents`` (a column of exponents) as ``base ** e`` gives each row.

    numpy squares for the exponent 2 (``x * x``) where ``pow`` can differ in the last bit.
    """
    powered: npt.NDArray[np.float64] = base**exponents
    squared = exponents[:, 0] == 2  # noqa: PLR2004 - numpy's fast path
    powered[squared] = np.square(np.broadcast_to(base, powered.shape)[squared])
    return powered


def lsh_threshold(threshold: float, containment_threshold: float | None) -> float:
    """Return the Jaccard similarity the banding is tuned for.

    The verification threshold, lowered when the containment rule is on to the Jaccard
    similarity of an abridged copy :data:`MIN_SIZE_RATIO` the size of its original that is
    contained at level ``containment_threshold`` in it; clipped to ``[0.01, 0.99]``.

    Parameters
    ----------
    threshold : float
        Jaccard threshold of the verification.
    containment_threshold : float or None
        Containment threshold of the verification (None: rule off).

    Returns
    -------
    float
        The candidate threshold.

    Examples
    --------
    >>> round(lsh_threshold(0.5, 0.8), 4)
    0.1905
    >>> lsh_threshold(0.5, None)
    0.5
    """
    target = float(threshold)
    if containment_threshold is not None:
        # Jaccard of a copy of relative size rho that is contained at level c in the original
        rho = MIN_SIZE_RATIO
        c = float(containment_threshold)
        target = min(target, c * rho / (1.0 + rho - c * rho))
    return min(max(target, 0.01), 0.99)


def choose_bands(
    threshold: float,
    containment_threshold: float | None,
    num_perm: int,
    *,
    bands: int | None = None,
    rows: int | None = None,
    owner: str = "choose_bands",
) -> tuple[int, int, float]:
    """Choose the banding of the clusterer, the index and the Spark engine.

    Parameters
    ----------
    threshold, containment_threshold : float, float or None
        The verification thresholds (see :func:`lsh_threshold`).
    num_perm : int
        Signature length.
    bands, rows : int or None, default=None
        An explicit banding (both or neither); by default :func:`optimal_params` for
        :func:`lsh_threshold` with the weights :data:`FALSE_POSITIVE_WEIGHT` and
        :data:`FALSE_NEGATIVE_WEIGHT`.
    owner : str, default="choose_bands"
        Named in error messages.

    Returns
    -------
    tuple of (int, int, float)
        ``(bands, rows, lsh_threshold)``.

    Raises
    ------
    InvalidParameterError
        If only one of ``bands`` and ``rows`` is given, or they do not fit ``num_perm``.
    """
    target = lsh_threshold(threshold, containment_threshold)
    if (bands is None) != (rows is None):
        msg = f"The 'bands' and 'rows' parameters of {owner} must be given together."
        raise InvalidParameterError(msg)
    if bands is None or rows is None:
        bands, rows = optimal_params(
            target,
            num_perm,
            false_positive_weight=FALSE_POSITIVE_WEIGHT,
            false_negative_weight=FALSE_NEGATIVE_WEIGHT,
        )
    bands, rows = int(bands), int(rows)
    check_bands(bands, rows, num_perm)
    return bands, rows, target


def check_bands(bands: int, rows: int, num_perm: int) -> None:
    """Raise :class:`InvalidParameterError` unless ``bands * rows <= num_perm``, both positive."""
    if bands < 1 or rows < 1 or bands * rows > num_perm:
        msg = (
            "The 'bands' and 'rows' parameters must be positive with bands * rows <= num_perm "
            f"({num_perm}). Got bands={bands}, rows={rows} instead."
        )
        raise InvalidParameterError(msg)


def band_keys(signatures: Signatures, bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """Hash every band of every signature to one 64-bit key, shape ``(n_docs, bands)``."""
    check_bands(bands, rows, signatures.num_perm)
    keys: npt.NDArray[np.uint64] = _kernels.band_keys(
        signatures.values, bands, rows, signatures.seed
    )
    return keys


def candidate_pairs(
    signatures: Signatures, *, bands: int, rows: int, max_bucket: int = DEFAULT_MAX_BUCKET
) -> npt.NDArray[np.int64]:
    """All pairs of documents that share a band, for a whole corpus at once.

    Parameters
    ----------
    signatures : Signatures
        One row per document.
    bands : int
        Number of bands.
    rows : int
        Values per band.
    max_bucket : int, default=64
        Buckets with more members than this (many copies of one text, or a degenerate
        signature) contribute each member paired with the bucket's smallest index, not every
        pair, so that the work stays linear; their members still end up in one group when they
        verify against it.

    Returns
    -------
    numpy.ndarray of int64, shape (n_pairs, 2)
        Distinct pairs ``(i, j)`` with ``i < j``, sorted. Empty documents take no part.
    """
    keys = band_keys(signatures, bands, rows)
    return pairs_from_keys(keys, ~signatures.empty, max_bucket=max_bucket)


def _band_pairs(col: npt.NDArray[np.uint64], max_bucket: int) -> npt.NDArray[np.uint64] | None:
    order = np.argsort(col)
    ordered = col[order]
    breaks = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [ordered.shape[0]]))
    multi = ends - starts > 1
    if not multi.any():
        return None
    pairs: npt.NDArray[np.uint64] = _kernels.emit_bucket_pairs(
        order, starts[multi], ends[multi], max_bucket
    )
    return pairs


_COMPACT_CHUNK = 1 << 20  # values compacted at a time by _sorted_distinct


def _sorted_distinct(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """``np.unique(values)``, sorting ``values`` in place and keeping no second array.

    numpy's ``unique`` goes through a hash table and sorts afterwards; one in-place sort and a
    comparison with the neighbour is over twenty times faster on millions of packed pairs. The
    distinct values are moved to the front of ``values`` a chunk at a time and the array is cut
    to them, so that the peak memory is ``values`` itself (the pairs of every band before
    they are made distinct: the largest array of the candidate search).
    """
    values.sort()
    kept = _compact_sorted(values)
    if kept < values.shape[0]:
        try:
            values.resize(kept, refcheck=False)  # in place: no view of it is left
        except ValueError:  # it does not own its memory: copy
            values = values[:kept].copy()
    return values


def _compact_sorted(values: npt.NDArray[np.uint64]) -> int:
    """Move the distinct values of a sorted array to its front; return how many there are."""
    n = int(values.shape[0])
    kept = min(1, n)  # values[0] stays where it is
    for start in range(1, n, _COMPACT_CHUNK):
        stop = min(start + _COMPACT_CHUNK, n)
        chunk = values[start:stop]
        fresh = chunk[chunk != values[start - 1 : stop - 1]]  # a copy: safe to write back
        values[kept : kept + fresh.shape[0]] = fresh
        kept += int(fresh.shape[0])
    return kept


def _bands_pairs(keys: npt.NDArray[np.uint64], max_bucket: int) -> list[npt.NDArray[np.uint64]]:
    """Return the packed pairs of every band that has any (see :func:`_band_pairs`)."""
    # Sorting releases the GIL, so the bands are spread over the cores.
    with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, 8)) as pool:
        return [
            part
            for part in pool.map(
                lambda b: _band_pairs(np.ascontiguousarray(keys[:, b]), max_bucket),
                range(keys.shape[1]),
            )
            if part is not None
        ]


def _joined(parts: list[npt.NDArray[np.uint64]]) -> npt.NDArray[np.uint64]:
    """Concatenate the bands' pairs, releasing each part once copied (``parts`` is emptied)."""
    out = np.empty(sum(part.shape[0] for part in parts), dtype=np.uint64)
    filled = 0
    while parts:
        part = parts.pop()
        out[filled : filled + part.shape[0]] = part
        filled += part.shape[0]
        del part
    return out


def candidate_columns(
    keys: npt.NDArray[np.uint64],
    valid: npt.NDArray[np.bool_],
    *,
    max_bucket: int = DEFAULT_MAX_BUCKET,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Candidate pairs from precomputed band keys as two columns (see :func:`pairs_from_keys`).

    The pairs of :func:`pairs_from_keys` without their ``(n_pairs, 2)`` array: the clusterer
    verifies the two columns as they are, and building neither the array nor copies of its
    columns halves the memory that the pairs take while they are verified.

    Parameters
    ----------
    keys : numpy.ndarray of uint64, shape (n_docs, bands)
        Band keys, e.g. from :func:`band_keys`.
    valid : numpy.ndarray of bool, shape (n_docs,)
        Documents that take part (False for empty documents).
    max_bucket : int, default=64
        See :func:`candidate_pairs`.

    Returns
    -------
    left, right : numpy.ndarray of int64, shape (n_pairs,)
        Distinct pairs ``(left[p], right[p])`` with ``left[p] < right[p]``, sorted by
        ``left`` and then ``right``; both C-contiguous.
    """
    index = np.flatnonzero(valid)
    if index.shape[0] >= 2**32:
        msg = "candidate_pairs handles at most 2**32 documents at once"
        raise InvalidParameterError(msg)
    everyone = index.shape[0] == keys.shape[0]
    # no copy of the keys when every document takes part
    parts = _bands_pairs(keys if everyone else keys[index], max_bucket)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    packed = _sorted_distinct(_joined(parts))
    # positions below 2**32: the two halves of a packed pair read the same as int64
    left = (packed >> np.uint64(32)).view(np.int64)
    np.bitwise_and(packed, np.uint64(0xFFFFFFFF), out=packed)
    right = packed.view(np.int64)
    if not everyone:
        left, right = index[left], index[right]
    return left, right


def pairs_from_keys(
    keys: npt.NDArray[np.uint64],
    valid: npt.NDArray[np.bool_],
    *,
    max_bucket: int = DEFAULT_MAX_BUCKET,
) -> npt.NDArray[np.int64]:
    """Candidate pairs from precomputed band keys (see :func:`candidate_pairs`).

    Parameters
    ----------
    keys : numpy.ndarray of uint64, shape (n_docs, bands)
        Band keys, e.g. from :func:`band_keys`.
    valid : numpy.ndarray of bool, shape (n_docs,)
        Documents that take part (False for empty documents).
    max_bucket : int, default=64
        See :func:`candidate_pairs`.

    Returns
    -------
    numpy.ndarray of int64, shape (n_pairs, 2)
        Distinct pairs ``(i, j)`` with ``i < j``, sorted.
    """
    left, right = candidate_columns(keys, valid, max_bucket=max_bucket)
    return np.stack([left, right], axis=1)
