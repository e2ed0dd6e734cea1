"""Tests for storymatch.dedup.lsh: banding, candidate pairs against brute force, LSHIndex."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import reference as ref
from tests.strategies import paragraph, planted_corpus

from storymatch.dedup import (
    LSHIndex,
    Match,
    MinHasher,
    NearDuplicateClusterer,
    Signatures,
    candidate_pairs,
    collision_probability,
    lsh,
    optimal_params,
)
from storymatch.errors import IncompatibleSignatureError, InvalidParameterError, StorageError
from storymatch.text.shingles import ShingleSets

NUM_PERM = 128


@pytest.fixture(scope="module")
def hasher() -> MinHasher:
    return MinHasher(num_perm=NUM_PERM, seed=1)


@pytest.fixture(scope="module")
def small_corpus() -> tuple[list[str], list[str]]:
    """Eight originals, a copy of each (one word changed) and two empty documents."""
    rng = random.Random(3)
    keys, texts = [], []
    for k in range(8):
        paras = [paragraph(rng, min_sentences=2) for _ in range(3)]
        copy = list(paras)
        copy[0] = "Updated: " + copy[0]
        keys += [f"d{k}", f"d{k}-copy"]
        texts += ["\n\n".join(paras), "\n\n".join(copy)]
    keys += ["empty-1", "empty-2"]
    texts += ["", "..."]
    return keys, texts


# --------------------------------------------------------------------------- banding


def test_optimal_params_like_datasketch() -> None:
    assert optimal_params(0.8, 128) == (9, 13)


@pytest.mark.parametrize(
    ("threshold", "num_perm"),
    [(0.3, 64), (0.5, 128), (0.7, 128), (0.9, 128), (0.5, 256)],
    ids=str,
)
def test_optimal_params_equal_datasketch_optimum(threshold: float, num_perm: int) -> None:
    import datasketch.lsh

    # A private helper of datasketch: skip rather than fail if a release renames it.
    _optimal_param = getattr(datasketch.lsh, "_optimal_param", None)
    if _optimal_param is None:
        pytest.skip("datasketch.lsh._optimal_param is not available")
    assert optimal_params(threshold, num_perm) == tuple(
        _optimal_param(threshold, num_perm, 0.5, 0.5)
    )


@pytest.mark.parametrize("threshold", [0.0, 1.0, -0.1, 1.5])
def test_optimal_params_rejects_thresholds_outside_the_open_interval(threshold: float) -> None:
    with pytest.raises(InvalidParameterError, match="'threshold'"):
        optimal_params(threshold, 128)


def test_recall_leaning_weights_lower_the_s_curve() -> None:
    bands, rows = optimal_params(0.5, 128)
    b2, r2 = optimal_params(0.5, 128, false_positive_weight=0.1, false_negative_weight=0.9)
    assert collision_probability(0.5, b2, r2) >= collision_probability(0.5, bands, rows)
    assert b2 * r2 <= 128


@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.integers(1, 64),
    st.integers(1, 16),
)
def test_collision_probability_is_monotone(s1: float, s2: float, bands: int, rows: int) -> None:
    lo, hi = sorted((s1, s2))
    assert collision_probability(lo, bands, rows) <= collision_probability(hi, bands, rows)
    assert collision_probability(hi, bands, rows) <= collision_probability(hi, bands + 1, rows)
    assert collision_probability(hi, bands, rows + 1) <= collision_probability(hi, bands, rows)
    assert 0.0 <= collision_probability(lo, bands, rows) <= 1.0


def test_collision_probability_values() -> None:
    assert collision_probability(0.0, 20, 5) == 0.0
    assert collision_probability(1.0, 20, 5) == 1.0
    assert collision_probability(0.5, 1, 1) == pytest.approx(0.5)
    assert collision_probability(0.5, 2, 1) == pytest.approx(0.75)
    assert collision_probability(0.5, 1, 2) == pytest.approx(0.25)


# --------------------------------------------------------------------------- candidate pairs


def test_candidate_pairs_recall_against_brute_force(hasher: MinHasher) -> None:
    docs = planted_corpus(seed=5, n_originals=110)
    texts = [d.text for d in docs]
    assert 250 <= len(texts) <= 400
    stats = NearDuplicateClusterer().fit(texts).stats_
    pairs = candidate_pairs(hasher.signatures(texts), bands=stats.bands, rows=stats.rows)
    found = set(map(tuple, pairs.tolist()))
    sets = [frozenset(ref.word_shingles(t, 5)) for t in texts]
    truth = [
        (i, j)
        for i, j in itertools.combinations(range(len(texts)), 2)
        if not sets[i].isdisjoint(sets[j]) and ref.jaccard(sets[i], sets[j]) >= 0.5
    ]
    assert len(truth) >= 150
    recall = sum(p in found for p in truth) / len(truth)
    assert recall >= 0.98
    # Candidates are cheap to verify but not free: far fewer than all pairs.
    assert len(found) < 0.05 * len(texts) * (len(texts) - 1) / 2


def test_candidate_pairs_shape_and_order(
    hasher: MinHasher, small_corpus: tuple[list[str], list[str]]
) -> None:
    keys, texts = small_corpus
    pairs = candidate_pairs(hasher.signatures(texts), bands=32, rows=4)
    assert pairs.dtype == np.int64
    assert pairs.ndim == 2
    assert pairs.shape[1] == 2
    assert np.all(pairs[:, 0] < pairs[:, 1])
    as_list = [tuple(p) for p in pairs.tolist()]
    assert as_list == sorted(set(as_list))
    empty = {keys.index("empty-1"), keys.index("empty-2")}
    assert not empty & set(pairs.ravel().tolist()), "empty documents take no part"
    for k in range(8):
        assert (2 * k, 2 * k + 1) in as_list


def test_candidate_pairs_of_identical_texts_large_bucket(hasher: MinHasher) -> None:
    text = "The same wire story printed by seventy outlets on the same day."
    sigs = hasher.signatures([text] * 70 + ["Something else entirely, nothing alike at all."])
    pairs = candidate_pairs(sigs, bands=16, rows=8, max_bucket=64)
    # Buckets over max_bucket contribute a star around their smallest member.
    assert pairs.tolist() == [[0, j] for j in range(1, 70)]
    full = candidate_pairs(sigs, bands=16, rows=8, max_bucket=100)
    assert len(full) == 70 * 69 // 2


def test_candidate_pairs_without_any_collision(hasher: MinHasher) -> None:
    sigs = hasher.signatures(["alpha beta gamma delta epsilon", "one two three four five"])
    assert candidate_pairs(sigs, bands=4, rows=32).shape == (0, 2)
    assert candidate_pairs(hasher.signatures([]), bands=4, rows=32).shape == (0, 2)


def _brute_force_pairs(keys: np.ndarray, valid: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of valid documents that share a key in some band (no bucket is over the limit)."""
    docs = np.flatnonzero(valid).tolist()
    return [(i, j) for i, j in itertools.combinations(docs, 2) if np.any(keys[i] == keys[j])]


@pytest.mark.parametrize("all_valid", [True, False])
@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
def test_candidate_columns_against_brute_force(
    monkeypatch: pytest.MonkeyPatch, all_valid: bool, chunk: int
) -> None:
    # keys from a small range, so that many pairs collide in several bands (duplicates that
    # the distinct step removes, across its chunks when they are small)
    rng = np.random.default_rng(7)
    keys = rng.integers(0, 12, size=(40, 6)).astype(np.uint64)
    valid = np.ones(40, dtype=bool) if all_valid else rng.random(40) < 0.7
    monkeypatch.setattr(lsh, "_COMPACT_CHUNK", chunk)
    left, right = lsh.candidate_columns(keys, valid)
    assert left.dtype == right.dtype == np.int64
    assert left.flags.c_contiguous
    assert right.flags.c_contiguous
    expected = _brute_force_pairs(keys, valid)
    assert len(expected) > 100
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == expected
    pairs = lsh.pairs_from_keys(keys, valid)
    assert pairs.tolist() == [list(p) for p in expected]


def test_candidate_columns_without_pairs() -> None:
    keys = np.arange(12, dtype=np.uint64).reshape(4, 3)
    left, right = lsh.candidate_columns(keys, np.ones(4, dtype=bool))
    assert left.shape == right.shape == (0,)
    assert lsh.pairs_from_keys(keys, np.ones(4, dtype=bool)).shape == (0, 2)


@pytest.mark.parametrize(("bands", "rows"), [(0, 4), (4, 0), (33, 4)], ids=str)
def test_candidate_pairs_rejects_bad_banding(hasher: MinHasher, bands: int, rows: int) -> None:
    with pytest.raises(InvalidParameterError, match="'bands'"):
        candidate_pairs(hasher.signatures(["a b c d e"]), bands=bands, rows=rows)


# --------------------------------------------------------------------------- LSHIndex


def test_index_add_query_remove(
    hasher: MinHasher, small_corpus: tuple[list[str], list[str]]
) -> None:
    keys, texts = small_corpus
    sigs, sets = hasher.signatures(texts), hasher.shingles(texts)
    index = LSHIndex(threshold=0.5, num_perm=NUM_PERM)
    index.insert_many(keys, sigs, sets)
    assert len(index) == len(keys)
    assert "d3" in index
    assert "nope" not in index
    assert set(index.keys()) == set(keys)

    matches = index.query(sigs, keys.index("d3"), sets)
    assert [m.id for m in matches] == ["d3", "d3-copy"]
    assert isinstance(matches[0], Match)
    assert matches[0].jaccard == 1.0
    assert matches[0].containment == 1.0
    exact = ref.jaccard(
        ref.word_shingles(texts[keys.index("d3")], 5),
        ref.word_shingles(texts[keys.index("d3-copy")], 5),
    )
    assert matches[1].jaccard == pytest.approx(exact, abs=1e-12)

    index.remove("d3-copy")
    assert "d3-copy" not in index
    assert len(index) == len(keys) - 1
    assert [m.id for m in index.query(sigs, keys.index("d3"), sets)] == ["d3"]
    with pytest.raises(KeyError):
        index.remove("d3-copy")
    # An empty document is indexed but never a candidate.
    assert "empty-1" in index
    assert index.candidates(sigs, keys.index("empty-1")) == set()
    assert index.query(sigs, keys.index("empty-2"), sets) == []


def test_index_query_without_shingles_uses_the_estimate(
    hasher: MinHasher, small_corpus: tuple[list[str], list[str]]
) -> None:
    keys, texts = small_corpus
    sigs = hasher.signatures(texts)
    index = LSHIndex(threshold=0.5, num_perm=NUM_PERM)
    index.insert_many(keys, sigs)
    row = keys.index("d5")
    matches = index.query(sigs, row)
    assert [m.id for m in matches] == ["d5", "d5-copy"]
    assert matches[1].jaccard == sigs.jaccard(row, j=keys.index("d5-copy"))
    assert np.isnan(matches[1].containment)


def test_index_containment_threshold_keeps_abridged_copies(hasher: MinHasher) -> None:
    rng = random.Random(11)
    paras = [paragraph(rng, min_sentences=3) for _ in range(6)]
    texts = ["\n\n".join(paras), "\n\n".join(paras[:2])]
    sigs, sets = hasher.signatures(texts), hasher.shingles(texts)
    plain = LSHIndex(threshold=0.6, num_perm=NUM_PERM, bands=64, rows=2, containment_threshold=None)
    with_containment = LSHIndex(
        threshold=0.6, num_perm=NUM_PERM, bands=64, rows=2, containment_threshold=0.9
    )
    for index in (plain, with_containment):
        index.insert_many(["full"], _rows(sigs, [0]), _set_rows(sets, [0]))
    assert plain.query(sigs, 1, sets) == []
    [match] = with_containment.query(sigs, 1, sets)
    assert match.id == "full"
    assert match.containment == 1.0
    assert match.jaccard < 0.6


def _plain(matches: list[Match]) -> list[tuple[str, float, float | None]]:
    """Matches as tuples, NaN containment as None, so that lists compare with ==."""
    return [(m.id, m.jaccard, None if np.isnan(m.containment) else m.containment) for m in matches]


def _rows(sigs: Signatures, rows: list[int]) -> Signatures:
    return Signatures(sigs.values[rows], sigs.num_perm, sigs.seed, sigs.shingling, sigs.version)


def _set_rows(sets: ShingleSets, rows: list[int]) -> ShingleSets:
    return ShingleSets.concat(
        [ShingleSets(np.array([0, len(sets[r])], dtype=np.int64), sets[r]) for r in rows]
    )


def test_adding_the_same_key_twice_is_idempotent(
    hasher: MinHasher, small_corpus: tuple[list[str], list[str]]
) -> None:
    keys, texts = small_corpus
    sigs, sets = hasher.signatures(texts), hasher.shingles(texts)
    index = LSHIndex(num_perm=NUM_PERM)
    index.insert_many(keys, sigs, sets)
    before = [_plain(index.query(sigs, row, sets)) for row in range(len(keys))]
    index.insert_many(keys, sigs, sets)
    index.insert_many(["d0", "d0"], _rows(sigs, [0, 0]), _set_rows(sets, [0, 0]))
    assert len(index) == len(keys)
    assert [_plain(index.query(sigs, row, sets)) for row in range(len(keys))] == before


def test_re_adding_a_key_replaces_its_document(
    hasher: MinHasher, small_corpus: tuple[list[str], list[str]]
) -> None:
    _, texts = small_corpus
    sigs = hasher.signatures(texts)
    index = LSHIndex(num_perm=NUM_PERM)
    index.insert_many(["x"], _rows(sigs, [0]))
    index.insert_many(["x"], _rows(sigs, [4]))
    assert index.candidates(sigs, 0) == set()
    assert index.candidates(sigs, 4) == {"x"}


def test_save_load_round_trip(
    tmp_path: Path, hasher: MinHasher, small_corpus: tuple[list[str], list[str]]
) -> None:
    keys, texts = small_corpus
    sigs, sets = hasher.signatures(texts), hasher.shingles(texts)
    index = LSHIndex(threshold=0.4, num_perm=NUM_PERM, containment_threshold=0.8)
    index.insert_many(keys[:10], _rows(sigs, list(range(10))), _set_rows(sets, list(range(10))))
    index.insert_many(keys[10:], _rows(sigs, list(range(10, len(keys)))))  # no shingles kept
    path = tmp_path / "index.npz"
    index.save(path)

    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    assert set(arrays) == {"header", "signatures", "offsets", "values"}
    header = json.loads(arrays["header"].tobytes().decode())
    assert header["keys"] == sorted(keys)

    loaded = LSHIndex.load(path)
    assert (
        loaded.threshold,
        loaded.num_perm,
        loaded.bands,
        loaded.rows,
        loaded.containment_threshold,
    ) == (
        index.threshold,
        index.num_perm,
        index.bands,
        index.rows,
        index.containment_threshold,
    )
    assert len(loaded) == len(index)
    assert set(loaded.keys()) == set(index.keys())
    for row in range(len(keys)):
        assert loaded.candidates(sigs, row) == index.candidates(sigs, row)
        assert _plain(loaded.query(sigs, row, sets)) == _plain(index.query(sigs, row, sets))
        assert _plain(loaded.query(sigs, row)) == _plain(index.query(sigs, row))


def test_save_load_empty_index(tmp_path: Path) -> None:
    path = tmp_path / "empty.npz"
    LSHIndex(num_perm=64, bands=16, rows=4).save(str(path))
    loaded = LSHIndex.load(str(path))
    assert len(loaded) == 0
    assert (loaded.bands, loaded.rows) == (16, 4)


def test_load_rejects_a_file_that_is_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "garbage.npz"
    path.write_bytes(b"not an npz file")
    with pytest.raises(StorageError, match=r"garbage\.npz"):
        LSHIndex.load(path)


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(MinHasher(num_perm=NUM_PERM, seed=2), id="seed"),
        pytest.param(MinHasher(num_perm=NUM_PERM, seed=1, shingle_size=3), id="shingling"),
        pytest.param(MinHasher(num_perm=64, seed=1), id="num_perm"),
    ],
)
def test_index_rejects_incompatible_signatures(hasher: MinHasher, other: MinHasher) -> None:
    text = "one two three four five six seven eight"
    index = LSHIndex(num_perm=NUM_PERM)
    index.insert_many(["a"], hasher.signature(text))
    with pytest.raises(IncompatibleSignatureError):
        index.insert_many(["b"], other.signature(text))
    with pytest.raises(IncompatibleSignatureError):
        index.query(other.signature(text))
    assert len(index) == 1


@pytest.mark.parametrize(
    ("options", "name"),
    [
        pytest.param({"threshold": 0.0}, "threshold", id="threshold-zero"),
        pytest.param({"threshold": 1.5}, "threshold", id="threshold-above-one"),
        pytest.param({"bands": 4}, "bands", id="bands-without-rows"),
        pytest.param({"rows": 4}, "rows", id="rows-without-bands"),
        pytest.param({"bands": 20, "rows": 8}, "bands", id="too-many-values"),
    ],
)
def test_index_invalid_parameters(options: dict[str, object], name: str) -> None:
    with pytest.raises(InvalidParameterError, match=f"'{name}'"):
        LSHIndex(**options)  # type: ignore[arg-type]


def test_index_keys_must_match_rows(hasher: MinHasher) -> None:
    with pytest.raises(InvalidParameterError, match="'keys'"):
        LSHIndex(num_perm=NUM_PERM).insert_many(
            ["a", "b"], hasher.signature("one two three four five")
        )


def test_add_one_document_at_a_time_matches_insert_many(hasher: MinHasher) -> None:
    texts = [
        "the council approved the budget for the coming year after a long debate",
        "the council approved the budget for the coming year after a long debate today",
        "heavy rain flooded the northern districts overnight officials said on monday",
    ]
    sigs = hasher.signatures(texts)
    sets = hasher.shingles(texts)
    one_by_one = LSHIndex(num_perm=sigs.num_perm, threshold=0.5)
    for row in range(len(texts)):
        one_by_one.add(f"d{row}", sigs, row, sets)
    batch = LSHIndex(num_perm=sigs.num_perm, threshold=0.5)
    batch.insert_many(["d0", "d1", "d2"], sigs, sets)
    for row in range(len(texts)):
        assert one_by_one.query(sigs, row, sets) == batch.query(sigs, row, sets)
    assert [m.id for m in one_by_one.query(sigs, 0, sets)] == ["d0", "d1"]
    one_by_one.remove("d1")
    assert [m.id for m in one_by_one.query(sigs, 0, sets)] == ["d0"]


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.3, 64), (0.437, 128), (0.9, 256)], ids=str)
def test_banding_errors_equal_one_trapezoid_per_candidate(threshold: float, num_perm: int) -> None:
    from storymatch.dedup.lsh import _banding_errors

    grid_lo = np.linspace(0.0, threshold, 200)
    grid_hi = np.linspace(threshold, 1.0, 200)
    candidates = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    expected = [
        0.05 * np.trapezoid(1.0 - (1.0 - grid_lo**r) ** b, grid_lo)
        + 0.95 * np.trapezoid((1.0 - grid_hi**r) ** b, grid_hi)
        for b, r in candidates
    ]
    assert _banding_errors(threshold, candidates, 0.05, 0.95).tolist() == expected
