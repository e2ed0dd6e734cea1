"""Candidate pairs and clusters of the event stage, without an all-pairs matrix.

:func:`top_k_pairs` finds the ``k`` nearest TF-IDF neighbours of every representative: a
row's products with the others, of which only the best are kept (exact up to 20,000 rows, a
search by each row's heaviest rarer terms above), on all cores.
:func:`average_linkage` clusters the resulting sparse similarity graph (a compiled heap loop,
:func:`storymatch._kernels.average_linkage_roots`); a pair that is not a candidate counts as
similarity 0. See ``docs/concepts/events.md`` for measured speed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["average_linkage", "row_cosines", "top_k_pairs"]

_EXACT_ROWS = 20_000
"""Up to this many representatives the neighbour search is exact (see :func:`top_k_pairs`)."""
_SEARCH_TERMS = 40
"""Heaviest terms of a representative that look for its neighbours in larger corpora."""
_LINKAGE_POOL = 1024
"""Smallest pool of the linkage's per-cluster lists (grown as merges need)."""
_SEARCH_DF_SHARE = 50
"""In larger corpora, terms in more than ``n // _SEARCH_DF_SHARE`` rows find no neighbours."""


def _float32_csr(matrix: Any, *, sort: bool) -> Any:
    """Return ``matrix`` as a float32 CSR matrix, with sorted indices if ``sort``."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

    out = csr_matrix(matrix, dtype=np.float32)
    if sort and not out.has_sorted_indices:
        out = out.sorted_indices()
    return out


def row_cosines(
    matrix: Any, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Return the dot products of the given row pairs of an L2-normalised sparse matrix.

    Each product is summed in float32 over the columns the two rows share, in ascending order,
    on all cores (:func:`storymatch._kernels.sparse_row_dots`).

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        One L2-normalised row per document.
    left, right : numpy.ndarray of int64
        The pairs, as row numbers.

    Returns
    -------
    numpy.ndarray of float64
        The cosine of each pair.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> rows = csr_matrix(np.array([[0.6, 0.8, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
    >>> row_cosines(rows, np.array([0, 0]), np.array([1, 2])).round(3).tolist()
    [0.6, 0.0]
    """
    from storymatch._kernels import sparse_row_dots  # noqa: PLC0415 - compiled on first use

    rows = _float32_csr(matrix, sort=True)
    dots: npt.NDArray[np.float64] = sparse_row_dots(
        rows.indptr.astype(np.int64),
        rows.indices.astype(np.int64),
        rows.data,
        rows.shape[1],
        np.ascontiguousarray(left, dtype=np.int64),
        np.ascontiguousarray(right, dtype=np.int64),
    )
    return dots


def top_k_pairs(
    tfidf: Any, k: int, min_similarity: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Return the pairs ``i < j`` where one is among the other's ``k`` best cosine neighbours.

    Up to ``_EXACT_ROWS`` rows the search is exact: every row's products with all the others
    over all its terms. Above, that is quadratic in time, so neighbours are ranked by the
    cosine of each row's ``_SEARCH_TERMS`` heaviest terms against the other rows' terms held by
    at most ``n // _SEARCH_DF_SHARE`` rows (words in more than 2 % of a large corpus, "said" or
    "government", join every pair and find no event). Either way a row's neighbours are the
    ``k`` others of highest positive product (ties to the lower row), searched on all cores
    (:func:`storymatch._kernels.top_k_neighbours`: products summed in float32 in the order of
    the row's entries, as scipy's sparse product sums them); the kept pairs get their exact
    cosine over all terms, and those below ``min_similarity`` are dropped. In the exact search,
    when one order of the terms holds every row's (the TF-IDF rows list their terms in order of
    first sight), each pair's product is summed once for both rows
    (:func:`storymatch._kernels.top_k_neighbours_symmetric`): the same float32 value either
    row would sum, the same neighbours, about 30 % less CPU at 8,000 rows.

    Parameters
    ----------
    tfidf : scipy.sparse.csr_matrix
        One L2-normalised TF-IDF row per representative.
    k : int
        Neighbours per row.
    min_similarity : float
        Cosine below which a pair is dropped.

    Returns
    -------
    left, right : numpy.ndarray of int64
        The pairs (``left < right``), each once.
    cosines : numpy.ndarray of float64
        Their cosines.

    Examples
    --------
    >>> from scipy.sparse import csr_matrix
    >>> rows = csr_matrix(np.array([[0.6, 0.8, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]))
    >>> left, right, cos = top_k_pairs(rows, 1, 0.1)
    >>> left.tolist(), right.tolist(), cos.round(3).tolist()
    ([0], [1], [0.6])
    """
    n = tfidf.shape[0]
    k = min(k, n - 1)
    empty = np.empty(0, dtype=np.int64)
    if k < 1:
        return empty, empty, np.empty(0, dtype=np.float64)
    tfidf = _float32_csr(tfidf, sort=False)
    if n <= _EXACT_ROWS:
        a, b = _neighbours(tfidf, tfidf, k, max_terms=0)
    else:
        df = np.bincount(tfidf.indices, minlength=tfidf.shape[1])
        rare = (df <= max(2, n // _SEARCH_DF_SHARE)).astype(np.float32)
        index = _float32_csr(tfidf.multiply(rare[None, :]), sort=False)
        index.eliminate_zeros()
        a, b = _neighbours(index, index, k, max_terms=_SEARCH_TERMS)
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    _, first_seen = np.unique(lo * n + hi, return_index=True)
    lo, hi = lo[first_seen], hi[first_seen]
    cos = row_cosines(tfidf, lo, hi)
    keep = cos >= min_similarity
    return lo[keep], hi[keep], cos[keep]


def _neighbours(
    query: Any, searched: Any, k: int, *, max_terms: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return the pairs (row, neighbour) of the ``k`` best neighbours of every row of ``query``."""
    from storymatch._kernels import (  # noqa: PLC0415 - compiled on first use
        posting_places,
        top_k_neighbours,
        top_k_neighbours_symmetric,
    )

    transposed = searched.T.tocsr()
    query_type, posting_type = _index_types(query.shape[1], searched.shape[0], max_terms)
    indptr = query.indptr.astype(np.int64)
    indices: npt.NDArray[Any] = np.asarray(query.indices, dtype=query_type)
    t_indptr = transposed.indptr.astype(np.int64)
    t_indices: npt.NDArray[Any] = np.asarray(transposed.indices, dtype=posting_type)
    places = np.empty(indices.shape[0], dtype=np.int64)
    if (
        max_terms == 0
        and query is searched
        and posting_places(indptr, indices, query.shape[1], t_indptr, t_indices, places)
    ):  # every pair's product summed once, for both rows: the same neighbours
        counts, cols = top_k_neighbours_symmetric(
            indptr,
            indices,
            query.data,
            t_indptr,
            t_indices,
            transposed.data,
            places,
            k,
            _lanes(query.shape[0], k),
        )
    else:
        counts, cols = top_k_neighbours(
            indptr,
            indices,
            query.data,
            t_indptr,
            t_indices,
            transposed.data,
            searched.shape[0],
            k,
            max_terms,
            max_terms == 0,  # every term: a dense accumulator per row (the same neighbours)
        )
    n = query.shape[0]
    found = np.arange(k)[None, :] < counts[:, None]
    rows = np.broadcast_to(np.arange(n, dtype=np.int64)[:, None], (n, k))[found]
    return rows, cols.reshape(n, k)[found]


_LANE_BYTES = 1 << 28
"""Most memory the symmetric search's lanes keep their best lists in (256 MB)."""


def _lanes(n: int, k: int) -> int:
    """Lanes of the symmetric search: one per thread of numba's parallel loops.

    Each lane keeps the best ``k`` of all ``n`` rows (12 bytes each): fewer lanes where that
    would pass ``_LANE_BYTES`` (many threads, a large ``k``).
    """
    import numba  # noqa: PLC0415 - keep imports light

    return max(1, min(int(numba.get_num_threads()), _LANE_BYTES // max(1, 12 * n * k)))


def _index_types(n_terms: int, n_rows: int, max_terms: int) -> tuple[type, type]:
    """Return the integer types of the query's term numbers and of the postings' row numbers.

    The exact search (every term, ``max_terms == 0``) streams every posting of every term of
    every row: the smallest type that holds the numbers means less memory to read (row
    numbers in 16 bits up to 65,536 rows, which the exact search never passes: 0.61 -> 0.49 s
    at 8,000 rows against 32 bits). The search by heaviest terms keeps int64 (no faster).
    """
    if max_terms != 0:
        return np.int64, np.int64
    query_type = np.int32 if n_terms <= np.iinfo(np.int32).max else np.int64
    if n_rows <= np.iinfo(np.uint16).max + 1:
        return query_type, np.uint16
    return query_type, np.int32 if n_rows <= np.iinfo(np.int32).max else np.int64


def average_linkage(
    n: int,
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
    threshold: float,
    *,
    outlets: npt.NDArray[np.int64] | None = None,
    cohesion: float = 0.0,
    cohesion_min_size: int = 2,
) -> npt.NDArray[np.int64]:
    """Return the average-linkage clusters of a sparse similarity graph (missing edges count 0).

    Merges the two clusters of highest mean pair similarity while it reaches ``threshold``;
    ties go to the lower cluster ids, so the result does not depend on hashing.

    With ``outlets``, two clusters that hold reports of one outlet are checked before they
    merge: an outlet tells one development once, so its own reports on either side must agree
    too — the mean similarity of the pairs of one outlet across the two clusters (missing
    edges count 0) must also reach ``threshold``. A follow-up that an outlet wrote about its
    own report passes (they share most of their words); the outlet's reports of two
    developments of one story do not. Until one of the two clusters grows, the pair waits.

    With ``cohesion``, two clusters of at least ``cohesion_min_size`` nodes each are checked
    too: their mean similarity must also reach ``cohesion`` times the lower of their two
    within-cluster means (a cluster's mean over its pairs of nodes, missing edges 0), as in
    the relative closeness of CHAMELEON (Karypis, Han and Kumar, 1999). Two well-formed events
    of one kind (two arrests of two players of one team) agree with each other far less than
    each one's reports agree among themselves, though enough to pass ``threshold``; the
    reports of one event that an outlet's wording split apart do not. The pair waits as above.

    Parameters
    ----------
    n : int
        Number of nodes.
    left, right : numpy.ndarray of int64
        The edges.
    scores : numpy.ndarray of float64
        Their similarities.
    threshold : float
        Mean similarity at which two clusters merge.
    outlets : numpy.ndarray of int64 or None, default=None
        The outlet of every node as a code, -1 where unknown; None checks nothing.
    cohesion : float, default=0.0
        Share of the lower within-cluster mean that the mean between two clusters must
        reach; 0 checks nothing.
    cohesion_min_size : int, default=2
        Clusters smaller than this are not checked (a single node has no pairs within).

    Returns
    -------
    numpy.ndarray of int64
        The cluster of each node, named by its smallest node.

    Examples
    --------
    >>> pairs = np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3])
    >>> scores = np.array([0.9, 0.5, 0.5, 0.9])
    >>> average_linkage(4, *pairs, scores, 0.2).tolist()
    [0, 0, 0, 0]
    >>> average_linkage(4, *pairs, scores, 0.2, outlets=np.array([0, 1, 1, 0])).tolist()
    [0, 0, 2, 2]
    >>> pairs = np.array([0, 2, 0]), np.array([1, 3, 2])
    >>> scores = np.array([1.0, 1.0, 0.9])
    >>> average_linkage(4, *pairs, scores, 0.2).tolist()
    [0, 0, 0, 0]
    >>> average_linkage(4, *pairs, scores, 0.2, cohesion=0.5).tolist()
    [0, 0, 2, 2]
    """
    from storymatch._kernels import average_linkage_roots  # noqa: PLC0415 - compiled on first use

    codes = np.full(n, -1, dtype=np.int64) if outlets is None else outlets
    roots: npt.NDArray[np.int64] = average_linkage_roots(
        n,
        np.ascontiguousarray(left, dtype=np.int64),
        np.ascontiguousarray(right, dtype=np.int64),
        np.ascontiguousarray(scores, dtype=np.float64),
        float(threshold),
        np.ascontiguousarray(codes, dtype=np.int64),
        outlets is not None,
        _LINKAGE_POOL,
        float(cohesion),
        max(int(cohesion_min_size), 2),
    )
    return roots
