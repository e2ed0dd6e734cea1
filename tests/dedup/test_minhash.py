"""Tests for storymatch.dedup.minhash: properties, a statistical check, datasketch interop."""

from __future__ import annotations

import math
import random
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import reference as ref
from tests.strategies import news_texts, paragraph, word_texts

from storymatch import _kernels
from storymatch.dedup import SIGNATURE_VERSION, LSHIndex, MinHasher, Signatures
from storymatch.errors import IncompatibleSignatureError, InvalidParameterError
from storymatch.text.shingles import ShingleSets

NUM_PERM = 128


@pytest.fixture(scope="module")
def hasher() -> MinHasher:
    return MinHasher(num_perm=NUM_PERM, seed=1)


def _copies_corpus() -> tuple[list[str], list[str]]:
    """Ten originals and a copy of each in page chrome with one word changed (``oK-copy``)."""
    rng = random.Random(7)
    keys, texts = [], []
    for k in range(10):
        paras = [paragraph(rng, min_sentences=2) for _ in range(4)]
        copy = list(paras)
        copy[1] = copy[1].replace(" ", " said ", 1)
        keys += [f"o{k}", f"o{k}-copy"]
        texts += ["\n\n".join(paras), "Advertisement\n\n" + "\n\n".join(copy) + "\n\nLeave a Reply"]
    return keys, texts


# --------------------------------------------------------------------------- properties


@given(st.lists(st.one_of(word_texts(), news_texts()), min_size=2, max_size=4))
@settings(max_examples=60)
def test_self_similarity_and_symmetry(texts: list[str]) -> None:
    sigs = MinHasher(num_perm=64, seed=5).signatures(texts)
    for i in range(len(texts)):
        expected = 0.0 if sigs.empty[i] else 1.0
        assert sigs.jaccard(i) == expected
        assert sigs.jaccard(i, j=i) == expected
        for j in range(len(texts)):
            assert sigs.jaccard(i, j=j) == sigs.jaccard(j, j=i)
            assert 0.0 <= sigs.jaccard(i, j=j) <= 1.0


@given(st.lists(st.one_of(word_texts(), news_texts()), min_size=1, max_size=5))
@settings(max_examples=40)
def test_rows_depend_only_on_their_own_text(texts: list[str]) -> None:
    hasher = MinHasher(num_perm=32, seed=2)
    batch = hasher.signatures(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(batch.values[i], hasher.signature(text).values[0])
    streamed = list(hasher.iter_signatures(iter(texts), batch_size=2))
    assert [len(s) for s in streamed] == [min(2, len(texts) - k) for k in range(0, len(texts), 2)]
    assert np.array_equal(np.concatenate([s.values for s in streamed]), batch.values)


def test_docstring_example() -> None:
    sigs = MinHasher(num_perm=64, seed=1).signatures(
        ["the cat sat on the mat today", "the cat sat on the mat today"]
    )
    assert sigs.jaccard(0, j=1) == 1.0


def test_signature_layout(hasher: MinHasher) -> None:
    sigs = hasher.signatures(
        ["one two three four five six seven", "another text entirely here now"]
    )
    assert sigs.values.shape == (2, NUM_PERM)
    assert sigs.values.dtype == np.uint64
    assert sigs.num_perm == NUM_PERM
    assert sigs.seed == 1
    assert sigs.shingling == "word:5:ocr"  # OCR folding is on by default, as in the clusterer
    assert len(sigs) == 2
    assert np.all(sigs.values < 2**32), "values are 32-bit, stored as uint64 like datasketch"
    assert repr(hasher).startswith("MinHasher(num_perm=128, seed=1, shingle_size=5, kind='word'")


# Signature of a fixed text for each SIGNATURE_VERSION (see test_shingles for the rule).
PINNED_SIGNATURE = {
    1: [225356826, 4282944762, 225356826, 4282944762, 1621503500, 225356826, 1621503500, 4282944762]
}


def test_signature_is_pinned_per_signature_version() -> None:
    sig = MinHasher(num_perm=8, seed=1, ocr_fold=False).signature(
        "one two three four five six seven"
    )
    assert sig.version == SIGNATURE_VERSION
    assert sig.values[0].tolist() == PINNED_SIGNATURE[SIGNATURE_VERSION]


def test_identical_texts_identical_signatures_and_seed_changes_them() -> None:
    text = "The council approved the new budget on Tuesday after a long debate in the chamber."
    a = MinHasher(seed=1).signature(text).values
    assert np.array_equal(a, MinHasher(seed=1).signature(text.upper()).values)
    assert not np.array_equal(a, MinHasher(seed=2).signature(text).values)


def test_empty_text_gives_an_empty_row_and_no_warning(hasher: MinHasher) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sigs = hasher.signatures(["", "one two three four five six", "  \n\n ...  "])
    assert sigs.empty.tolist() == [True, False, True]
    assert np.all(sigs.values[0] == np.uint64(2**64 - 1))
    assert np.all(sigs.values[0] == _kernels.EMPTY)
    assert sigs.jaccard(0, j=2) == 0.0
    assert sigs.jaccard(0) == 0.0
    assert sigs.jaccard(0, j=1) == 0.0


def test_concat_keeps_rows_in_order(hasher: MinHasher) -> None:
    a = hasher.signatures(["one two three four five six"])
    b = hasher.signatures(["seven eight nine ten eleven twelve", ""])
    both = a.concat(b)
    assert len(both) == 3
    assert np.array_equal(both.values, np.concatenate([a.values, b.values]))
    assert (both.num_perm, both.seed, both.shingling) == (a.num_perm, a.seed, a.shingling)


def test_from_shingles_matches_signatures(hasher: MinHasher) -> None:
    texts = ["one two three four five six", "", "x y"]
    assert np.array_equal(
        hasher.from_shingles(hasher.shingles(texts)).values, hasher.signatures(texts).values
    )


# --------------------------------------------------------------------------- statistics


def _overlapping_pair(rng: random.Random, length: int, shift: int) -> tuple[str, str]:
    tokens = [f"w{rng.getrandbits(40):x}" for _ in range(length + shift)]
    return " ".join(tokens[:length]), " ".join(tokens[shift:])


@pytest.mark.statistical
def test_estimate_error_is_within_binomial_tolerance() -> None:
    """The estimate of J from num_perm bins has standard error sqrt(J(1-J)/num_perm).

    Pairs are windows of one token stream shifted so that their exact Jaccard (from the
    oracle) is spread over [0.05, 0.95]. Every pair must be within 4 standard errors of its exact
    value except at most 1 % (a normal tail beyond 4 sigma is 6e-5; the slack covers the
    lattice of k/num_perm values and densification), and the mean error of the N pairs must
    be within 4 standard errors of the mean, sqrt(sum J(1-J)/num_perm) / N.
    """
    num_perm = 128
    n_pairs = 400
    rng = random.Random(20240601)
    texts: list[str] = []
    for _ in range(n_pairs):
        # Windows of length L shifted by s share L - s tokens: J is about (L - s) / (L + s).
        length, target = rng.randint(150, 600), rng.uniform(0.05, 0.95)
        texts += _overlapping_pair(rng, length, round(length * (1 - target) / (1 + target)))
    sigs = MinHasher(num_perm=num_perm, seed=11).signatures(texts)
    exact = np.array(
        [
            ref.jaccard(ref.word_shingles(texts[2 * p], 5), ref.word_shingles(texts[2 * p + 1], 5))
            for p in range(n_pairs)
        ]
    )
    estimate = np.array([sigs.jaccard(2 * p, j=2 * p + 1) for p in range(n_pairs)])
    assert exact.min() > 0.03
    assert exact.max() < 0.97
    error = estimate - exact
    sigma = np.sqrt(exact * (1.0 - exact) / num_perm)
    within = np.abs(error) <= 4.0 * sigma
    assert within.mean() >= 0.99, f"{(~within).sum()} of {n_pairs} pairs outside 4 sigma"
    mean_tolerance = 4.0 * math.sqrt(float(np.sum(sigma**2))) / n_pairs
    assert abs(float(error.mean())) <= mean_tolerance


@pytest.mark.statistical
def test_estimate_on_random_shingle_sets_of_every_size() -> None:
    """Same check straight on shingle hashes, down to sets smaller than num_perm (densified)."""
    num_perm = 64
    rng = np.random.default_rng(3)
    sets, exact = [], []
    for size in [8, 20, 50, 100, 400, 1500] * 50:
        inter = int(rng.integers(1, size))
        values = rng.integers(0, 2**63, size=2 * size - inter, dtype=np.uint64)
        a, b = np.unique(values[:size]), np.unique(values[size - inter :])
        sets += [a, b]
        exact.append(len(np.intersect1d(a, b)) / len(np.union1d(a, b)))
    offsets = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in sets], out=offsets[1:])
    sigs = MinHasher(num_perm=num_perm, seed=4).from_shingles(
        ShingleSets(offsets, np.concatenate(sets))
    )
    exact_a = np.array(exact)
    estimate = np.array([sigs.jaccard(2 * p, j=2 * p + 1) for p in range(len(exact))])
    sigma = np.sqrt(exact_a * (1.0 - exact_a) / num_perm)
    # Densified bins of very small sets are correlated: allow 1.5x the variance there.
    inflation = np.where(np.array([len(s) for s in sets[::2]]) < num_perm, math.sqrt(1.5), 1.0)
    within = np.abs(estimate - exact_a) <= 4.0 * sigma * inflation + 1e-12
    assert within.mean() >= 0.99
    mean_tolerance = 4.0 * math.sqrt(float(np.sum((sigma * inflation) ** 2))) / len(exact)
    assert abs(float((estimate - exact_a).mean())) <= mean_tolerance


# --------------------------------------------------------------------------- compatibility


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(MinHasher(num_perm=128, seed=2), id="seed"),
        pytest.param(MinHasher(num_perm=64, seed=1), id="num_perm"),
        pytest.param(MinHasher(num_perm=128, seed=1, shingle_size=3), id="shingle_size"),
        pytest.param(MinHasher(num_perm=128, seed=1, kind="char"), id="kind"),
    ],
)
def test_incompatible_signatures_raise(hasher: MinHasher, other: MinHasher) -> None:
    text = "one two three four five six seven"
    mine, theirs = hasher.signature(text), other.signature(text)
    with pytest.raises(IncompatibleSignatureError):
        mine.jaccard(0, theirs, 0)
    with pytest.raises(IncompatibleSignatureError):
        mine.concat(theirs)
    with pytest.raises(ValueError, match="different settings"):
        mine.check_compatible(theirs)


def test_incompatible_version_raises(hasher: MinHasher) -> None:
    sig = hasher.signature("one two three four five six seven")
    old = Signatures(sig.values, sig.num_perm, sig.seed, sig.shingling, version=sig.version + 1)
    with pytest.raises(IncompatibleSignatureError):
        sig.jaccard(0, old, 0)


@pytest.mark.parametrize(
    ("options", "name"),
    [
        pytest.param({"num_perm": 1}, "num_perm", id="num_perm-too-small"),
        pytest.param({"num_perm": 4097}, "num_perm", id="num_perm-too-large"),
        pytest.param({"num_perm": 128.0}, "num_perm", id="num_perm-float"),
        pytest.param({"num_perm": True}, "num_perm", id="num_perm-bool"),
        pytest.param({"seed": -1}, "seed", id="seed"),
        pytest.param({"shingle_size": 0}, "shingle_size", id="shingle_size"),
        pytest.param({"kind": "token"}, "kind", id="kind"),
    ],
)
def test_invalid_parameters_raise(options: dict[str, object], name: str) -> None:
    with pytest.raises(InvalidParameterError, match=f"'{name}'"):
        MinHasher(**options)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- datasketch interop


def test_to_datasketch_jaccard_equals_signatures_jaccard(hasher: MinHasher) -> None:
    _, texts = _copies_corpus()
    sigs = hasher.signatures(texts[:6])
    converted = [sigs.to_datasketch(i) for i in range(len(sigs))]
    assert np.array_equal(converted[0].hashvalues, sigs.values[0])
    for i in range(len(sigs)):
        for j in range(len(sigs)):
            assert converted[i].jaccard(converted[j]) == pytest.approx(
                sigs.jaccard(i, j=j), abs=1e-12
            )


def test_to_datasketch_signatures_work_in_minhash_lsh(hasher: MinHasher) -> None:
    from datasketch import MinHashLSH

    keys, texts = _copies_corpus()
    sigs = hasher.signatures(texts)
    lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    for row, key in enumerate(keys):
        lsh.insert(key, sigs.to_datasketch(row))
    for row, key in enumerate(keys):
        found = set(lsh.query(sigs.to_datasketch(row)))
        partner = key.removesuffix("-copy") if key.endswith("-copy") else f"{key}-copy"
        assert {key, partner} <= found


def _datasketch_minhash(sigs: Signatures, row: int) -> object:
    """A datasketch MinHash holding storymatch's values (independent of to_datasketch)."""
    import inspect

    from datasketch import MinHash

    options: dict[str, object] = {}
    if "scheme" in inspect.signature(MinHash).parameters:
        options["scheme"] = "legacy"  # datasketch >= 2: uint64 values, no re-typing
    return MinHash(
        num_perm=sigs.num_perm, seed=sigs.seed, hashvalues=sigs.values[row].copy(), **options
    )


@pytest.mark.parametrize(("bands", "rows"), [(64, 2), (32, 4), (16, 8), (9, 13)], ids=str)
def test_lsh_banding_agrees_with_datasketch(hasher: MinHasher, bands: int, rows: int) -> None:
    from datasketch import MinHashLSH

    keys, texts = _copies_corpus()
    sigs = hasher.signatures(texts)
    theirs = MinHashLSH(num_perm=NUM_PERM, params=(bands, rows))
    ours = LSHIndex(num_perm=NUM_PERM, bands=bands, rows=rows)
    ours.insert_many(keys, sigs)
    for row, key in enumerate(keys):
        theirs.insert(key, _datasketch_minhash(sigs, row))
    for row in range(len(keys)):
        assert ours.candidates(sigs, row) == set(theirs.query(_datasketch_minhash(sigs, row)))
