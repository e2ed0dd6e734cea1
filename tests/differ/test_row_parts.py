"""Rows of the claim scorers: distinct texts analysed once, dense columns kept apart."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from storymatch.differ.align import _products
from storymatch.differ.cosine import CosineScorer, row_parts

TEXTS = [
    "The storm killed 12 people in Marrow.",
    "Schools closed on Monday.",
    "The storm killed 12 people in Marrow.",
    "A storm in Marrow killed 12 people, officials said.",
    "Schools closed on Monday.",
    "The mayor resigned.",
]


def _tfidf_on_all(texts: list[str]) -> sp.csr_matrix:
    parts = []
    for options in (
        {"stop_words": "english", "token_pattern": r"(?u)\b\w+\b"},
        {"analyzer": "char_wb", "ngram_range": (3, 5)},
    ):
        vectorizer = TfidfVectorizer(lowercase=True, sublinear_tf=True, dtype=np.float32, **options)
        parts.append(vectorizer.fit_transform(texts).tocsr())
    return sp.hstack(parts, format="csr", dtype=np.float32) * np.float32(np.sqrt(0.5))


def test_cosine_rows_equal_tfidf_fitted_on_every_text_to_the_bit() -> None:
    ours, theirs = CosineScorer().matrix(TEXTS), _tfidf_on_all(TEXTS)
    assert ours.shape == theirs.shape
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert np.array_equal(ours.data, theirs.data)


def test_a_plain_row_scorer_has_no_dense_part() -> None:
    rows, dense = row_parts(CosineScorer(), TEXTS)
    assert dense is None
    assert rows.shape[0] == len(TEXTS)


@pytest.mark.parametrize("name", ["combined", "semantic"])
def test_dense_parts_give_the_scores_of_the_stacked_rows(name: str) -> None:
    pytest.importorskip("onnxruntime")
    from storymatch.differ import semantic

    if not semantic.semantic_available():
        pytest.skip("the semantic extra is not installed")
    scorer = semantic.CombinedScorer() if name == "combined" else semantic.SemanticScorer()
    rows, dense = row_parts(scorer, TEXTS)
    assert dense is not None
    assert dense.shape == (len(TEXTS), 384)
    stacked = scorer.matrix(TEXTS)
    a = np.array([0, 0, 1, 3, 5], dtype=np.intp)
    b = np.array([2, 3, 4, 5, 1], dtype=np.intp)
    expected = np.asarray(stacked[a].multiply(stacked[b]).sum(axis=1)).ravel()
    values = _products(rows, dense, a, b)
    np.testing.assert_allclose(values, expected, atol=2e-6)
    # a pair's value does not depend on where it sits in the call (order-free)
    flipped = _products(rows, dense, a[::-1].copy(), b[::-1].copy())
    assert np.array_equal(values, flipped[::-1])
