"""Tests for storymatch.events.vectorize: scikit-learn's TF-IDF matrix, counted faster."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from storymatch.events.vectorize import fit_tfidf

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "articles.jsonl"


def _vectorizer(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, stop_words="english", min_df=min_df,
        dtype=np.float32,
    )  # fmt: skip


def _docs() -> list[str]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [(r.get("title") or "") + "\n" + r["text"] for r in map(json.loads, lines)]


@pytest.mark.parametrize("min_df", [1, 2, 3])
def test_the_same_matrix_and_vectorizer_as_fit_transform(min_df):
    docs = _docs()
    expected_vectorizer = _vectorizer(min_df)
    expected = expected_vectorizer.fit_transform(docs)
    vectorizer = _vectorizer(min_df)
    got = fit_tfidf(vectorizer, docs)
    assert got.dtype == expected.dtype == np.float32
    assert got.shape == expected.shape
    # the same entries in the same order, bit for bit
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data.view(np.uint32), expected.data.view(np.uint32))
    assert vectorizer.vocabulary_ == expected_vectorizer.vocabulary_
    assert np.array_equal(vectorizer.idf_, expected_vectorizer.idf_)
    # the fitted vectorizer transforms new text as the other one does
    new = ["Flood waters rose in Millbrook as the river burst its banks again today."]
    a, b = vectorizer.transform(new), expected_vectorizer.transform(new)
    assert a.nnz > 0
    assert (a != b).nnz == 0


def test_nothing_to_count_raises_as_fit_transform_does():
    for docs in (["the and of", "a an the"], []):
        with pytest.raises(ValueError, match="empty vocabulary"):
            _vectorizer(1).fit_transform(docs)
        with pytest.raises(ValueError, match="empty vocabulary"):
            fit_tfidf(_vectorizer(1), docs)
    with pytest.raises(ValueError, match="no terms remain"):
        _vectorizer(2).fit_transform(["one river", "two bridges"])
    with pytest.raises(ValueError, match="no terms remain"):
        fit_tfidf(_vectorizer(2), ["one river", "two bridges"])


def _same_fit(vectorizer: TfidfVectorizer, expected_vectorizer: TfidfVectorizer, docs) -> None:
    expected = expected_vectorizer.fit_transform(docs)
    got = fit_tfidf(vectorizer, docs)
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data.view(np.uint32), expected.data.view(np.uint32))
    assert vectorizer.vocabulary_ == expected_vectorizer.vocabulary_


def test_the_numbered_words_and_bigrams_are_scikit_learn_s_terms():
    # stop words between two words break the bigram; case, accents, digits, underscores and
    # one-letter words as scikit-learn's analyzer reads them; a stop word as a document's
    # only word; one word in many documents and the same bigram twice in one
    docs = [
        *_docs(),
        "",
        "The the THE",
        "x y zz",
        "Ünïcödé  ÉCOLE, l'été: 2024-05-01 a1 b_2",
        "river of the bridge river bridge river bridge",
        "bridge river",
        "\u03a3\u039f\u03a3 \u03c3\u03bf\u03c2 and\nnew-line words",
    ]
    _same_fit(_vectorizer(1), _vectorizer(1), docs)
    _same_fit(_vectorizer(2), _vectorizer(2), docs)
    # other settings count scikit-learn's own analyzer's terms
    other = {"ngram_range": (1, 3), "stop_words": "english", "dtype": np.float32}
    _same_fit(TfidfVectorizer(**other), TfidfVectorizer(**other), docs)
    chars = {"analyzer": "char_wb", "ngram_range": (2, 3), "dtype": np.float32}
    _same_fit(TfidfVectorizer(**chars), TfidfVectorizer(**chars), docs[-6:])


def test_bags_of_tokens_as_the_event_stage_weighs_names():
    from storymatch.events.clusterer import _identity

    tokens = [["tara reid", "malibu", "tara reid"], [], ["malibu"], ["n:14", "y:2009", "n:14"]]
    expected_vectorizer = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, dtype=np.float32, lowercase=False
    )
    expected = expected_vectorizer.fit_transform(tokens)
    vectorizer = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, dtype=np.float32, lowercase=False
    )
    got = fit_tfidf(vectorizer, tokens)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data.view(np.uint32), expected.data.view(np.uint32))
    assert vectorizer.vocabulary_ == expected_vectorizer.vocabulary_
    assert (
        vectorizer.transform([["malibu"]]) != expected_vectorizer.transform([["malibu"]])
    ).nnz == 0
