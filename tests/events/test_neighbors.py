"""Tests for storymatch.events.neighbors: sparse top-k neighbours and average linkage."""

from __future__ import annotations

import numpy as np
import pytest

from storymatch.events import EventClusterer, neighbors
from storymatch.events.neighbors import average_linkage


def test_top_k_sparse_search_finds_the_nearest_rows(monkeypatch):
    texts = [
        "Dock workers in Marrowgate strike over pay; Ines Valcourt leads the union.",
        "A bridge collapsed into the River Lisle in Brackenford, injuring fourteen.",
        "The Estmark Reserve Bank raised rates to 4.25% as inflation climbed.",
        "Chess club in Ortham elects Baptiste Merle as its new chair.",
    ]
    texts += [t + " More to follow." for t in texts]
    exact = EventClusterer(min_df=1, dedup=False).fit(texts)
    monkeypatch.setattr(neighbors, "_EXACT_ROWS", 0)
    monkeypatch.setattr(neighbors, "_SEARCH_DF_SHARE", 1)
    approx = EventClusterer(min_df=1, dedup=False).fit(texts)
    assert approx.labels_.tolist() == exact.labels_.tolist()
    assert approx.labels_.tolist() == [0, 1, 2, 3] * 2


def test_average_linkage_resists_chaining():
    # 0-1 and 1-2 are strong, 0-2 is no candidate (similarity 0): the mean of {0, 1} to 2 is
    # (0.0 + 0.9) / 2 = 0.45, below the threshold, so 2 stays alone.
    left = np.array([0, 1], dtype=np.int64)
    right = np.array([1, 2], dtype=np.int64)
    scores = np.array([0.95, 0.9], dtype=np.float64)
    assert average_linkage(3, left, right, scores, 0.5).tolist() == [0, 0, 2]
    assert average_linkage(3, left, right, scores, 0.4).tolist() == [0, 0, 0]


def test_average_linkage_without_edges():
    empty = np.empty(0, dtype=np.int64)
    labels = average_linkage(3, empty, empty, np.empty(0, dtype=np.float64), 0.1)
    assert labels.tolist() == [0, 1, 2]


def _dense_average_linkage(n, left, right, scores, threshold, outlets, cohesion=0.0, min_size=2):
    """Average linkage by brute force: every mean recomputed from the dense similarities."""
    sim = np.zeros((n, n))
    np.add.at(sim, (left, right), scores)
    sim = sim + sim.T
    members = {i: [i] for i in range(n)}
    blocked = set()  # pairs refused by a check, until one of the two grows

    def within(nodes):
        return sim[np.ix_(nodes, nodes)].sum() / 2 / (len(nodes) * (len(nodes) - 1) / 2)

    while True:
        best = None
        for a in sorted(members):
            for b in sorted(members):
                if a >= b or (a, b) in blocked:
                    continue
                mean = sim[np.ix_(members[a], members[b])].sum() / (
                    len(members[a]) * len(members[b])
                )
                if mean >= threshold and (best is None or (-mean, a, b) < best):
                    best = (-mean, a, b)
        if best is None:
            break
        neg, a, b = best
        if (
            cohesion > 0
            and min(len(members[a]), len(members[b])) >= min_size
            and -neg < cohesion * min(within(members[a]), within(members[b]))
        ):
            blocked.add((a, b))
            continue
        if outlets is not None:
            pairs = [(x, y) for x in members[a] for y in members[b]]
            same = [(x, y) for x, y in pairs if outlets[x] >= 0 and outlets[x] == outlets[y]]
            if same and sum(sim[x, y] for x, y in same) / len(same) < threshold:
                blocked.add((a, b))
                continue
        members[a] += members.pop(b)
        blocked = {p for p in blocked if a not in p and b not in p}
    roots = np.empty(n, dtype=np.int64)
    for root, nodes in members.items():
        roots[nodes] = root
    return roots


def _random_graph(rng, low, high):
    """A random graph of ``low`` to ``high - 1`` nodes: (n, left, right, scores, outlets).

    About three edges per node, ``left < right``; scores in eighths keep every sum exact, so
    ties fall to the lower ids in the compiled loop and the brute force alike.
    """
    n = int(rng.integers(low, high))
    left = rng.integers(0, n, 3 * n)
    right = rng.integers(0, n, 3 * n)
    keep = left != right
    left, right = np.minimum(left, right)[keep], np.maximum(left, right)[keep]
    scores = rng.integers(0, 8, left.shape[0]) / 8
    return n, left, right, scores, rng.integers(-1, 3, n)


@pytest.mark.parametrize("pool", [1024, 1])
def test_average_linkage_is_the_brute_force_one(monkeypatch, pool):
    # the compiled loop (heap, summed scores, outlet check) against every mean recomputed;
    # scores in eighths keep every sum exact, so ties fall to the lower ids on both sides;
    # a pool of 1 entry is packed and grown at almost every merge
    monkeypatch.setattr(neighbors, "_LINKAGE_POOL", pool)
    for seed in range(40):
        rng = np.random.default_rng(seed)
        n, left, right, scores, outlets = _random_graph(rng, 2, 14)
        threshold = float(rng.choice([0.125, 0.25, 0.375]))
        for codes in (None, outlets):
            expected = _dense_average_linkage(n, left, right, scores, threshold, codes)
            got = average_linkage(n, left, right, scores, threshold, outlets=codes)
            assert got.tolist() == expected.tolist(), (seed, codes is None)


@pytest.mark.parametrize("pool", [1024, 1])
def test_average_linkage_cohesion_is_the_brute_force_one(monkeypatch, pool):
    # the cohesion check (the mean between two clusters against their within-cluster means,
    # kept per root in the compiled loop) against every mean recomputed, with and without the
    # outlet check; it must change some of these graphs' clusters, or it is not tested
    monkeypatch.setattr(neighbors, "_LINKAGE_POOL", pool)
    changed = 0
    for seed in range(60):
        rng = np.random.default_rng(1000 + seed)
        n, left, right, scores, outlets = _random_graph(rng, 4, 16)
        threshold = float(rng.choice([0.125, 0.25]))
        cohesion = float(rng.choice([0.5, 0.75]))
        min_size = int(rng.choice([2, 3]))
        for codes in (None, outlets):
            expected = _dense_average_linkage(
                n, left, right, scores, threshold, codes, cohesion, min_size
            )
            got = average_linkage(
                n,
                left,
                right,
                scores,
                threshold,
                outlets=codes,
                cohesion=cohesion,
                cohesion_min_size=min_size,
            )
            assert got.tolist() == expected.tolist(), (seed, codes is None)
            plain = average_linkage(n, left, right, scores, threshold, outlets=codes)
            changed += got.tolist() != plain.tolist()
    assert changed >= 5


def test_average_linkage_cohesion_keeps_two_tight_clusters_apart():
    # two tight pairs joined by one strong cross edge: the mean between them (0.9 / 4) passes
    # the threshold but is far below the pairs' own agreement (1.0)
    left, right = np.array([0, 2, 0]), np.array([1, 3, 2])
    scores = np.array([1.0, 1.0, 0.9])
    assert average_linkage(4, left, right, scores, 0.2).tolist() == [0, 0, 0, 0]
    apart = average_linkage(4, left, right, scores, 0.2, cohesion=0.5)
    assert apart.tolist() == [0, 0, 2, 2]
    assert average_linkage(4, left, right, scores, 0.2, cohesion=0.2).tolist() == [0, 0, 0, 0]
    # clusters smaller than cohesion_min_size are not checked
    small = average_linkage(4, left, right, scores, 0.2, cohesion=0.5, cohesion_min_size=3)
    assert small.tolist() == [0, 0, 0, 0]


def _random_rows(
    seed: int, n: int = 300, terms: int = 400, *, sort: bool = True, density: float = 0.03
):
    from scipy.sparse import random as sparse_random
    from sklearn.preprocessing import normalize

    rng = np.random.default_rng(seed)
    matrix = sparse_random(n, terms, density=density, format="lil", dtype=np.float32, rng=rng)
    matrix[5] = matrix[4]  # two equal rows: tied neighbours of everyone
    matrix = matrix.tocsr()
    matrix.data = np.round(matrix.data * 4) / 4 + 0.25  # repeated weights: ties happen
    matrix = normalize(matrix).astype(np.float32).tocsr()
    if not sort:  # the same matrix with each row's entries stored backwards
        from scipy.sparse import csr_matrix

        indices = np.concatenate(
            [
                matrix.indices[a:b][::-1]
                for a, b in zip(matrix.indptr, matrix.indptr[1:], strict=False)
            ]
        )
        data = np.concatenate(
            [matrix.data[a:b][::-1] for a, b in zip(matrix.indptr, matrix.indptr[1:], strict=False)]
        )
        matrix = csr_matrix((data, indices, matrix.indptr.copy()), shape=matrix.shape)
        matrix.has_sorted_indices = False
    return matrix


def test_row_cosines_equal_scipy_float32_sums_bit_for_bit():
    # short rows, rows stored unsorted, and long rows (numpy sums over 8 and 128 terms apart)
    for sort, density in ((True, 0.03), (False, 0.03), (True, 0.8)):
        matrix = _random_rows(1, sort=sort, density=density)
        rng = np.random.default_rng(2)
        left = rng.integers(0, 300, 5000)
        right = rng.integers(0, 300, 5000)
        canonical = matrix.sorted_indices()
        expected = np.asarray(
            canonical[left].multiply(canonical[right]).sum(axis=1), dtype=np.float64
        ).ravel()
        got = neighbors.row_cosines(matrix, left, right)
        assert got.dtype == np.float64
        assert np.array_equal(got, expected)
        assert (got > 0).sum() > 100


def _reference_top_k(query, searched, k):
    """Each row's k best others by the float32 scipy product: highest first, ties to lower."""
    product = (query @ searched.T.tocsr()).toarray()
    pairs = set()
    for r in range(product.shape[0]):
        order = sorted(
            (c for c in np.flatnonzero(product[r] > 0) if c != r),
            key=lambda c: (-product[r, c], c),
        )
        pairs |= {(min(r, c), max(r, c)) for c in order[:k]}
    return pairs


def test_neighbour_search_equals_the_sparse_product_ranking():
    for seed in (3, 4):
        matrix = _random_rows(seed)
        left, right, cos = neighbors.top_k_pairs(matrix, 5, 0.0)
        assert set(zip(left.tolist(), right.tolist(), strict=True)) == _reference_top_k(
            matrix, matrix, 5
        )
        assert np.array_equal(cos, neighbors.row_cosines(matrix, left, right))
        assert (4, 5) in set(zip(left.tolist(), right.tolist(), strict=True))


def test_neighbour_search_by_heaviest_terms(monkeypatch):
    matrix = _random_rows(5)
    # the reference query: every row cut to its 3 heaviest terms (ties kept)
    query = matrix.copy()
    for r in range(matrix.shape[0]):
        row = query.data[query.indptr[r] : query.indptr[r + 1]]
        if row.shape[0] > 3:
            row[row < np.sort(row)[-3]] = 0.0
    query.eliminate_zeros()
    monkeypatch.setattr(neighbors, "_EXACT_ROWS", 0)
    monkeypatch.setattr(neighbors, "_SEARCH_DF_SHARE", 1)  # every term counts as rare
    monkeypatch.setattr(neighbors, "_SEARCH_TERMS", 3)
    left, right, _ = neighbors.top_k_pairs(matrix, 4, 0.0)
    expected = _reference_top_k(query, matrix, 4)
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == expected
    assert expected != _reference_top_k(matrix, matrix, 4)


@pytest.mark.parametrize(
    ("index_type", "posting_type"),
    [(np.int32, np.int32), (np.int64, np.int64), (np.int32, np.uint16)],
    ids=str,
)
def test_dense_neighbour_kernel_equals_the_marked_one(index_type, posting_type):
    # the exact search's dense accumulator against the kernel that marks the columns it
    # reaches (the one before, still used for the search by heaviest terms): the same
    # neighbours in the same order, on tied rows, unsorted rows, empty rows and k above the
    # number of neighbours a row has
    from scipy.sparse import csr_matrix

    from storymatch._kernels import top_k_neighbours

    cases = [
        _random_rows(6),
        _random_rows(7, sort=False),
        _random_rows(8, n=120, density=0.3),
        _random_rows(9, n=50, density=0.005),  # most rows empty or alone
        csr_matrix((3, 4), dtype=np.float32),
    ]
    for matrix in cases:
        transposed = matrix.T.tocsr()
        for k in (1, 5, 60):
            got = [
                top_k_neighbours(
                    matrix.indptr.astype(np.int64),
                    matrix.indices.astype(index_type),
                    matrix.data,
                    transposed.indptr.astype(np.int64),
                    transposed.indices.astype(posting_type),
                    transposed.data,
                    matrix.shape[0],
                    k,
                    0,
                    dense,
                )
                for dense in (False, True)
            ]
            (marked_counts, marked_cols), (dense_counts, dense_cols) = got
            assert np.array_equal(marked_counts, dense_counts)
            found = np.arange(k)[None, :] < marked_counts[:, None]
            assert np.array_equal(
                marked_cols.reshape(-1, k)[found], dense_cols.reshape(-1, k)[found]
            )
        assert marked_counts.sum() > 0 or matrix.nnz == 0


def test_index_types_hold_every_number():
    from storymatch.events.neighbors import _index_types

    assert _index_types(109_370, 8_048, 0) == (np.int32, np.uint16)
    assert _index_types(109_370, 65_536, 0) == (np.int32, np.uint16)  # rows 0 .. 65,535
    assert _index_types(109_370, 65_537, 0) == (np.int32, np.int32)
    assert _index_types(2**31, 10, 0) == (np.int64, np.uint16)
    assert _index_types(100, 10, 40) == (np.int64, np.int64)


def _mixed_order_rows(seed: int):
    # the rows of _random_rows with every other row stored backwards: no one order of the
    # terms holds every row's order (rows 4 and 5 are equal, one forwards, one backwards)
    from scipy.sparse import csr_matrix

    matrix = _random_rows(seed)
    indices, data = [], []
    for r, (a, b) in enumerate(zip(matrix.indptr, matrix.indptr[1:], strict=False)):
        step = -1 if r % 2 else 1
        indices.append(matrix.indices[a:b][::step])
        data.append(matrix.data[a:b][::step])
    mixed = csr_matrix((np.concatenate(data), np.concatenate(indices), matrix.indptr.copy()),
                       shape=matrix.shape)  # fmt: skip
    mixed.has_sorted_indices = False
    return mixed


def _tfidf_rows(seed: int):
    # the event stage's rows: TF-IDF of word 1-2 grams, each row's terms in order of first sight
    from sklearn.feature_extraction.text import TfidfVectorizer

    from storymatch.events.vectorize import fit_tfidf

    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(60)]
    docs = [" ".join(rng.choice(words, size=rng.integers(3, 30))) for _ in range(200)]
    docs[5] = docs[4]  # tied neighbours
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32)
    return fit_tfidf(vectorizer, docs).tocsr()


def _places(matrix):
    from storymatch._kernels import posting_places

    transposed = matrix.T.tocsr()
    places = np.empty(matrix.nnz, dtype=np.int64)
    ok = posting_places(
        matrix.indptr.astype(np.int64),
        matrix.indices.astype(np.int32),
        matrix.shape[1],
        transposed.indptr.astype(np.int64),
        transposed.indices.astype(np.uint16),
        places,
    )
    return ok, places, transposed


def test_posting_places_tells_one_order_of_terms_from_none():
    for matrix in (_tfidf_rows(15), _random_rows(11), _random_rows(12, sort=False)):
        ok, places, transposed = _places(matrix)
        assert ok
        rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        assert np.array_equal(transposed.indices[places], rows)  # each entry's posting
        assert np.array_equal(transposed.data[places], matrix.data)
    assert not _places(_mixed_order_rows(13))[0]


@pytest.mark.parametrize("lanes", [1, 2, 3, 7])
def test_symmetric_neighbour_kernel_equals_the_dense_one(lanes):
    # each pair's product summed once for both rows: the same neighbours in the same order as
    # the dense kernel that sums every row's products over its own terms, on tied rows, rows
    # stored in descending order, near-empty rows and k above a row's number of neighbours
    from scipy.sparse import csr_matrix

    from storymatch._kernels import top_k_neighbours, top_k_neighbours_symmetric

    cases = [
        _tfidf_rows(10),  # terms in order of first sight
        _random_rows(6),
        _random_rows(7, sort=False),
        _random_rows(8, n=120, density=0.3),
        _random_rows(9, n=50, density=0.005),
        csr_matrix((3, 4), dtype=np.float32),
    ]
    for matrix in cases:
        ok, places, transposed = _places(matrix)
        assert ok
        args = (
            matrix.indptr.astype(np.int64),
            matrix.indices.astype(np.int32),
            matrix.data,
            transposed.indptr.astype(np.int64),
            transposed.indices.astype(np.uint16),
            transposed.data,
        )
        for k in (1, 5, 60):
            counts, cols = top_k_neighbours(*args, matrix.shape[0], k, 0, True)
            sym_counts, sym_cols = top_k_neighbours_symmetric(*args, places, k, lanes)
            assert np.array_equal(counts, sym_counts)
            found = np.arange(k)[None, :] < counts[:, None]
            assert np.array_equal(cols.reshape(-1, k)[found], sym_cols.reshape(-1, k)[found])


def test_top_k_pairs_without_one_order_of_terms_searches_row_by_row():
    # rows in no common order fall back to the dense kernel: the reference's pairs
    matrix = _mixed_order_rows(14)
    left, right, _ = neighbors.top_k_pairs(matrix, 4, 0.0)
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == _reference_top_k(
        matrix, matrix, 4
    )


def test_lanes_keep_their_best_lists_within_the_memory_bound():
    import numba

    from storymatch.events.neighbors import _LANE_BYTES, _lanes

    assert _lanes(8_048, 20) == numba.get_num_threads()
    assert _lanes(20_000, 20_000) == 1  # one lane's lists alone pass the bound
    assert 12 * 20_000 * 500 * _lanes(20_000, 500) <= _LANE_BYTES
