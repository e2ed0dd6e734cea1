"""Tests for storymatch.dedup.verify: the shared steps and the one set of defaults."""

from __future__ import annotations

import inspect
import itertools
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import reference as ref
from tests.strategies import any_text, news_texts, paragraph

from storymatch.dedup import MinHasher, NearDuplicateClusterer, find_duplicates, verify
from storymatch.dedup import spark as spark_engine
from storymatch.dedup.lsh import choose_bands
from storymatch.dedup.verify import (
    StageClock,
    _min_shared,
    check_unit,
    duplicate_pairs,
    group_id,
    hash_corpus,
    is_duplicate,
    label_groups,
    prepare_batch,
    prepare_texts,
    similarities,
)
from storymatch.errors import InvalidParameterError
from storymatch.text.boilerplate.widgets import MARKER_PHRASES
from storymatch.text.shingles import ShingleSets, encode_batch, shingle_codes


def _sets(*docs: list[int]) -> ShingleSets:
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in docs], out=offsets[1:])
    values = np.concatenate([np.array(sorted(d), dtype=np.uint64) for d in docs])
    return ShingleSets(offsets, values)


def test_similarities_are_exact_jaccard_and_containment() -> None:
    sets = _sets([1, 2, 3, 4], [3, 4], [9], [])
    left = np.array([0, 0, 0, 3, 2], dtype=np.int64)
    right = np.array([1, 2, 0, 3, 3], dtype=np.int64)
    jac, con = similarities(sets, left, right)
    assert jac.tolist() == [0.5, 0.0, 1.0, 1.0, 0.0]
    assert con.tolist() == [1.0, 0.0, 1.0, 1.0, 0.0]


def test_similarities_equal_the_reference_on_real_shingles() -> None:
    rng = random.Random(3)
    texts = [paragraph(rng, min_sentences=3) for _ in range(6)]
    texts.append(texts[0] + " " + texts[1])
    hasher = MinHasher(ocr_fold=False)
    sets = hasher.shingles(texts)
    left, right = np.triu_indices(len(texts), k=1)
    jac, _ = similarities(sets, left.astype(np.int64), right.astype(np.int64))
    for a, b, value in zip(left.tolist(), right.tolist(), jac.tolist(), strict=True):
        expected = ref.jaccard(ref.word_shingles(texts[a], 5), ref.word_shingles(texts[b], 5))
        assert value == pytest.approx(expected)


def test_is_duplicate_applies_either_rule() -> None:
    jac = np.array([0.5, 0.49, 0.1])
    con = np.array([0.0, 0.8, 0.79])
    assert is_duplicate(jac, con).tolist() == [True, True, False]
    assert is_duplicate(jac, con, containment_threshold=None).tolist() == [True, False, False]
    assert is_duplicate(jac, con, threshold=0.1, containment_threshold=None).all()


def test_label_groups_number_by_first_document_and_order_members_by_id() -> None:
    ids = ["c", "a", "b", "d"]
    root = np.array([1, 1, 2, 1], dtype=np.int64)
    sims = np.array([0.5, 1.0, 1.0, 0.1234567])
    labels, groups = label_groups(ids, root, sims)
    assert labels.tolist() == [0, 0, 1, 0]
    assert groups[0].representative == "a"
    assert groups[0].members == ("a", "c", "d")
    assert groups[0].similarities == (1.0, 0.5, 0.123457)
    assert groups[0].id == group_id(["d", "c", "a"])
    assert groups[1].members == ("b",)


def test_hash_corpus_is_batch_independent_and_reports_progress() -> None:
    texts = [f"word{i} " * 9 + "closing words of the text" for i in range(5)]
    hasher = MinHasher(num_perm=32)
    seen: list[tuple[str, int, int]] = []
    clock = StageClock()
    sets, keys = hash_corpus(
        texts,
        hasher,
        bands=8,
        rows=4,
        strip_boilerplate=True,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
        clock=clock,
    )
    assert seen == [("hashing", 5, 5)]
    assert set(clock.seconds) == {"fold+widgets", "shingles", "minhash+bands"}
    assert "shingles" in str(clock)
    one, one_keys = hash_corpus(texts[2:3], hasher, bands=8, rows=4, strip_boilerplate=True)
    assert np.array_equal(one[0], sets[2])
    assert np.array_equal(one_keys[0], keys[2])


def test_check_unit_names_owner_and_parameter() -> None:
    check_unit("X", "p", None, allow_none=True)
    with pytest.raises(InvalidParameterError, match=r"'p' parameter of X .* or None\. Got 2"):
        check_unit("X", "p", 2, allow_none=True)
    with pytest.raises(InvalidParameterError, match="Got True"):
        check_unit("X", "p", True)


def test_choose_bands_needs_both_or_neither() -> None:
    with pytest.raises(InvalidParameterError, match="'bands' and 'rows' parameters of Y"):
        choose_bands(0.5, 0.8, 128, bands=4, owner="Y")
    assert choose_bands(0.5, None, 128, bands=4, rows=8) == (4, 8, 0.5)


def _defaults(func: object) -> dict[str, object]:
    params = inspect.signature(func).parameters.values()  # type: ignore[arg-type]
    return {p.name: p.default for p in params if p.default is not inspect.Parameter.empty}


@pytest.mark.parametrize(
    "func", [find_duplicates, spark_engine.find_duplicates], ids=["local", "spark"]
)
def test_find_duplicates_spells_out_the_clusterers_parameters(func: object) -> None:
    clusterer = _defaults(NearDuplicateClusterer.__init__)
    options = _defaults(func)
    assert {k: options[k] for k in clusterer} == clusterer
    assert not any(
        p.kind is inspect.Parameter.VAR_KEYWORD
        for p in inspect.signature(func).parameters.values()  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- text preparation

_WIDGET_PAGES = [
    "Body one of the story goes here.\n\nOther story headline\n\nRead more\n\nOther story "
    "headline\n\nBody two of the story goes on.",
    "Body one of the story goes here.\n  \tRELATED: Council approves new cycle lanes today\n"
    "Body two of the story goes on and on.",
    "Body one.\nSEE ALSO:\nA quoted headline of another article\nBody two of the story.",
    "Body one.\nMore from Reuters\nA quoted headline of another article\nBody two.",
    "Ünïcödé body one of the story.\nREAD MORE\nAn other headline\nBody two of the story.",
    # a marker phrase inside a line is no widget; case and spaces vary
    "They read more books than ever before, the survey of five towns said.",
    "Recommended reading: the council's report, published on Tuesday morning.",
    "\u017fee al\u017fo\nquoted headline here now\nbody text of the article goes on",
    "\u13a0\u13a1 CHEROKEE \uab70\uab71 text with related words\nrelated\nquoted line here\nBody.",
    "",
]


def _assert_prepared_alike(texts: list[str], *, strip: bool) -> None:
    """prepare_batch and prepare_texts give the same shingles, word and char."""
    for kind in ("word", "char"):
        expected = shingle_codes(
            *encode_batch(prepare_texts(texts, strip_boilerplate=strip), casefold=False),
            kind=kind,
        )
        got = shingle_codes(*prepare_batch(texts, strip_boilerplate=strip), kind=kind)
        assert np.array_equal(got.offsets, expected.offsets)
        assert np.array_equal(got.values, expected.values)


@pytest.mark.parametrize("strip", [True, False])
def test_prepare_batch_shingles_like_prepare_texts(strip: bool) -> None:
    rng = random.Random(3)
    texts = [*_WIDGET_PAGES, *(paragraph(rng) + "\nRead more\n" + paragraph(rng) for _ in range(5))]
    _assert_prepared_alike(texts + [t.upper() for t in texts], strip=strip)


_MARKER_LINES = st.builds(
    lambda lead, phrase, upper, tail: lead + (phrase.upper() if upper else phrase) + tail,
    st.sampled_from(("", " ", "\t ", "  ")),
    st.sampled_from((*MARKER_PHRASES, "related stories", "\u017fee also", "Read More")),
    st.booleans(),
    st.sampled_from(("", ":", " :", ": Council approves new cycle lanes", " now", "\r")),
)


@given(
    st.lists(
        st.lists(st.one_of(_MARKER_LINES, news_texts(), any_text()), max_size=6).map("\n".join),
        min_size=1,
        max_size=4,
    )
)
def test_prepare_batch_agrees_on_pages_with_widgets(texts: list[str]) -> None:
    _assert_prepared_alike(texts, strip=True)


# ------------------------------------------------------------------ early-exit verification


@pytest.mark.parametrize(
    ("threshold", "containment_threshold"),
    [(0.5, 0.8), (0.5, None), (0.3, 0.9), (1.0, 1.0), (0.01, 0.0), (0.7, 0.2), (1e-9, None)],
)
def test_fewest_shared_shingles_match_a_search_with_the_float_rule(
    threshold: float, containment_threshold: float | None
) -> None:
    a, b = np.meshgrid(np.arange(0, 70), np.arange(0, 70))
    a, b = a.ravel(), b.ravel()
    rng = np.random.default_rng(0)
    a = np.concatenate([a, rng.integers(0, 100_000, 2000)])
    b = np.concatenate([b, rng.integers(0, 100_000, 2000)])
    needed = _min_shared(a, b, threshold=threshold, containment_threshold=containment_threshold)
    for k in range(0, a.shape[0], 7):
        small = min(a[k], b[k])
        inter = np.arange(small + 1, dtype=np.float64)
        union = a[k] + b[k] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            jac = np.where(union > 0, inter / union, 0.0)
            con = np.where(small > 0, inter / small, 0.0) * np.ones_like(inter)
        ok = np.flatnonzero(
            is_duplicate(jac, con, threshold=threshold, containment_threshold=containment_threshold)
        )
        assert needed[k] == (ok[0] if ok.size else small + 1), (a[k], b[k])


@given(
    st.lists(st.lists(st.integers(0, 40), max_size=40), min_size=2, max_size=12),
    st.sampled_from([(0.5, 0.8), (0.5, None), (0.2, 0.5), (0.9, 0.95)]),
)
def test_duplicate_pairs_agree_with_similarities(docs, thresholds) -> None:
    threshold, containment_threshold = thresholds
    sets = _sets(*[sorted(set(d)) for d in docs])
    left, right = (
        np.array(x, dtype=np.int64)
        for x in zip(*itertools.combinations(range(len(docs)), 2), strict=True)
    )
    jac, con = similarities(sets, left, right)
    expected = is_duplicate(
        jac, con, threshold=threshold, containment_threshold=containment_threshold
    )
    got = duplicate_pairs(
        sets, left, right, threshold=threshold, containment_threshold=containment_threshold
    )
    assert got.tolist() == expected.tolist()


@pytest.mark.parametrize("chunk", [1, 4, 1 << 20])
def test_duplicate_pairs_in_chunks_agree_with_similarities(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    rng = np.random.default_rng(3)
    base = rng.choice(60, size=30, replace=False).tolist()
    # copies of one set with a few shingles changed, and unrelated sets: both verdicts occur
    docs = [sorted(set(base[: 30 - k]) | {100 + k}) for k in range(6)]
    docs += [sorted(rng.choice(200, size=20, replace=False).tolist()) for _ in range(5)]
    sets = _sets(*docs)
    left, right = (
        np.array(x, dtype=np.int64)
        for x in zip(*itertools.combinations(range(len(docs)), 2), strict=True)
    )
    expected = is_duplicate(*similarities(sets, left, right), threshold=0.5)
    assert 0 < int(expected.sum()) < expected.shape[0]
    monkeypatch.setattr(verify, "_VERIFY_CHUNK", chunk)
    got = duplicate_pairs(sets, left, right, threshold=0.5)
    assert got.dtype == np.bool_
    assert got.tolist() == expected.tolist()
    empty = np.zeros(0, dtype=np.int64)
    assert duplicate_pairs(sets, empty, empty).shape == (0,)
