"""Candidate pairs and clusters of the event stage, without an all-pairs matrix.

:func:`top_k_pairs` finds the ``k`` nearest TF-IDF neighbours of every representative: a
sparse product computed a block of rows at a time, of which only the best cosines per row are
kept (exact up to 20,000 rows, a search by each row's heaviest rarer terms above).
:func:`average_linkage` clusters the resulting sparse similarity graph; a pair that is not a
candidate counts as similarity 0. See ``docs/concepts/events.md`` for measured speed.
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["average_linkage", "row_cosines", "top_k_pairs"]

_BLOCK_CELLS = 1 << 24
"""Rows x corpus size of the block of similarities computed at once in the neighbour search."""
_PAIR_CHUNK = 1 << 16
"""Candidate pairs whose rows are gathered at once (bounds the memory of the pair signals)."""
_EXACT_ROWS = 20_000
"""Up to this many representatives the neighbour search is exact (see :func:`top_k_pairs`)."""
_SEARCH_TERMS = 40
"""Heaviest terms of a representative that look for its neighbours in larger corpora."""
_SEARCH_DF_SHARE = 50
"""In larger corpora, terms in more than ``n // _SEARCH_DF_SHARE`` rows find no neighbours."""
_SPARSE_BLOCK_ROWS = 2048
"""Rows of one block of the sparse neighbour search."""


def row_cosines(
    matrix: Any, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Return the dot products of the given row pairs of an L2-normalised sparse matrix.

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
    """
    out = np.empty(left.shape[0], dtype=np.float64)
    for start in range(0, left.shape[0], _PAIR_CHUNK):
        stop = start + _PAIR_CHUNK
        product = matrix[left[start:stop]].multiply(matrix[right[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1), dtype=np.float64).ravel()
    return out


def top_k_pairs(
    tfidf: Any, k: int, min_similarity: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Return the pairs ``i < j`` where one is among the other's ``k`` best cosine neighbours.

    Up to ``_EXACT_ROWS`` rows the search is exact: the sparse product is computed a block of
    rows at a time as a dense ``block x n`` array (``_BLOCK_CELLS`` cells), of which the ``k``
    best of each row are kept. Above, that product is quadratic in time, so neighbours are
    ranked by the cosine of each row's ``_SEARCH_TERMS`` heaviest terms against the other rows'
    terms held by at most ``n // _SEARCH_DF_SHARE`` rows (words in more than 2 % of a large
    corpus, "said" or "government", join every pair and find no event); the product is then
    sparse and the top ``k`` of each row are taken from its entries. Either way the kept pairs
    get their exact cosine over all terms, and those below ``min_similarity`` are dropped.

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
    """
    n = tfidf.shape[0]
    k = min(k, n - 1)
    empty = np.empty(0, dtype=np.int64)
    if k < 1:
        return empty, empty, np.empty(0, dtype=np.float64)
    if n <= _EXACT_ROWS:
        a, b = _top_k_dense(tfidf, k)
    else:
        a, b = _top_k_sparse(tfidf, k)
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    _, first_seen = np.unique(lo * n + hi, return_index=True)
    lo, hi = lo[first_seen], hi[first_seen]
    cos = row_cosines(tfidf, lo, hi)
    keep = cos >= min_similarity
    return lo[keep], hi[keep], cos[keep]


def _top_k_dense(tfidf: Any, k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Exact top-``k`` neighbours of every row, a dense block of rows at a time."""
    n = tfidf.shape[0]
    transposed = tfidf.T.tocsc()
    block = max(1, _BLOCK_CELLS // max(n, 1))
    lefts: list[npt.NDArray[np.int64]] = []
    rights: list[npt.NDArray[np.int64]] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        dense = np.asarray((tfidf[start:stop] @ transposed).todense(), dtype=np.float64)
        rows = np.arange(stop - start)
        dense[rows, rows + start] = -1.0
        top: npt.NDArray[np.intp] = np.argpartition(-dense, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(dense, top, axis=1)
        keep = values > 0
        row_idx = np.broadcast_to((rows + start)[:, None], top.shape)[keep]
        lefts.append(row_idx.astype(np.int64))
        rights.append(top[keep].astype(np.int64))
    return np.concatenate(lefts), np.concatenate(rights)


def _top_k_sparse(tfidf: Any, k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Approximate top-``k`` neighbours: heaviest terms of each row against the rarer terms."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

    n = tfidf.shape[0]
    df = np.bincount(tfidf.indices, minlength=tfidf.shape[1])
    rare = (df <= max(2, n // _SEARCH_DF_SHARE)).astype(np.float32)
    index = csr_matrix(tfidf.multiply(rare[None, :]))
    index.eliminate_zeros()
    # queries: the _SEARCH_TERMS heaviest rare terms of each row
    query = index.copy()
    for r in range(n):
        lo, hi = query.indptr[r], query.indptr[r + 1]
        if hi - lo > _SEARCH_TERMS:
            row = query.data[lo:hi]
            cut = np.partition(row, hi - lo - _SEARCH_TERMS)[hi - lo - _SEARCH_TERMS]
            row[row < cut] = 0.0
    query.eliminate_zeros()
    transposed = index.T.tocsr()
    block = _SPARSE_BLOCK_ROWS
    lefts: list[npt.NDArray[np.int64]] = []
    rights: list[npt.NDArray[np.int64]] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        product = (query[start:stop] @ transposed).tocsr()
        rows = np.repeat(
            np.arange(start, stop, dtype=np.int64), np.diff(product.indptr).astype(np.int64)
        )
        cols = product.indices.astype(np.int64)
        sims = np.asarray(product.data, dtype=np.float64)
        other = cols != rows
        rows, cols, sims = rows[other], cols[other], sims[other]
        # best first within each row (rows ascending; cosines are in [0, 1]); a stable sort
        # over the columns in ascending order sends ties to the lower id
        by_col = np.argsort(cols, kind="stable")
        key = (rows[by_col] - start) * 2.0 + (1.0 - np.clip(sims[by_col], 0.0, 1.0))
        order = by_col[np.argsort(key, kind="stable")]
        rows, cols = rows[order], cols[order]
        first = np.searchsorted(rows, rows, side="left")
        top = (np.arange(rows.shape[0]) - first) < k
        lefts.append(rows[top])
        rights.append(cols[top])
    return np.concatenate(lefts), np.concatenate(rights)


def average_linkage(
    n: int,
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
    threshold: float,
    *,
    outlets: npt.NDArray[np.int64] | None = None,
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
    """
    size = [1] * n
    links: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, s in zip(left.tolist(), right.tolist(), scores.tolist(), strict=True):
        links[i][j] = links[i].get(j, 0.0) + s
        links[j][i] = links[j].get(i, 0.0) + s
    check = _OutletCheck(n, left, right, scores, outlets) if outlets is not None else None
    heap: list[tuple[float, int, int, int, int]] = []
    for i in range(n):
        for j, s in links[i].items():
            if i < j and s >= threshold:
                heapq.heappush(heap, (-s, i, j, 1, 1))
    alive = [True] * n
    parent = list(range(n))
    while heap:
        neg, i, j, si, sj = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or size[i] != si or size[j] != sj:
            continue
        if -neg < threshold:
            break
        if check is not None and not check.agrees(i, j, threshold):
            continue
        # merge j into i (keep the smaller id as the cluster's name)
        alive[j] = False
        parent[j] = i
        size[i] += size[j]
        del links[i][j]
        del links[j][i]
        for c, s in links[j].items():
            del links[c][j]
            links[i][c] = links[i].get(c, 0.0) + s
            links[c][i] = links[i][c]
        links[j] = {}
        if check is not None:
            check.merge(i, j)
        for c, s in links[i].items():
            mean = s / (size[i] * size[c])
            if mean >= threshold:
                a, b = (i, c) if i < c else (c, i)
                heapq.heappush(heap, (-mean, a, b, size[a], size[b]))
    root = np.arange(n, dtype=np.int64)
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        root[i] = r
    return root


class _OutletCheck:
    """The outlets of every cluster and the summed scores of its same-outlet edges."""

    def __init__(
        self,
        n: int,
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
        scores: npt.NDArray[np.float64],
        outlets: npt.NDArray[np.int64],
    ) -> None:
        codes = outlets.tolist()
        self.counts: list[dict[int, int]] = [{o: 1} if o >= 0 else {} for o in codes]
        self.links: list[dict[int, float]] = [{} for _ in range(n)]
        same = (outlets[left] == outlets[right]) & (outlets[left] >= 0)
        for i, j, s in zip(
            left[same].tolist(), right[same].tolist(), scores[same].tolist(), strict=True
        ):
            self.links[i][j] = self.links[i].get(j, 0.0) + s
            self.links[j][i] = self.links[j].get(i, 0.0) + s

    def agrees(self, i: int, j: int, threshold: float) -> bool:
        """Whether clusters ``i`` and ``j`` share no outlet, or their shared outlets agree."""
        a, b = self.counts[i], self.counts[j]
        if len(a) > len(b):
            a, b = b, a
        shared = sum(k * b.get(o, 0) for o, k in a.items())
        return shared == 0 or self.links[i].get(j, 0.0) / shared >= threshold

    def merge(self, i: int, j: int) -> None:
        """Fold cluster ``j`` into cluster ``i``."""
        for o, k in self.counts[j].items():
            self.counts[i][o] = self.counts[i].get(o, 0) + k
        self.counts[j] = {}
        self.links[i].pop(j, None)
        self.links[j].pop(i, None)
        for c, s in self.links[j].items():
            del self.links[c][j]
            self.links[i][c] = self.links[i].get(c, 0.0) + s
            self.links[c][i] = self.links[i][c]
        self.links[j] = {}
