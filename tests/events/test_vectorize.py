"""Tests for storymatch.events.vectorize: scikit-learn's TF-IDF matrix, counted faster."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


# the words as the compiled kernel finds them, and the documents it leaves to the pattern
EDGE_DOCS = [
    "snake_case __init__ _ a_ _b x1 1x 42 4 2024-05-01 3.14 1,000",  # underscores and digits
    "I a o K. U.S. e.g. x y z",  # one-letter words, dotted abbreviations
    "don't it's O'Neill rock'n'roll l'été",  # apostrophes
    "well-known state-of-the-art co-op - -- ---x",  # hyphens
    "Crème brûlée, naïve CAFÉ; straße STRASSE \u1e9eTRASSE",  # accents, sharp s
    "\u212aelvin kelvin \u2126hm \u00b2 x\u00b2 \u2167 \u216b",  # Kelvin sign, numerals
    "e\u0301te\u0301 cafe\u0301 \u0627\u0644\u0639\u0631\u0628\u064a \u4e2d\u6587",  # scripts
    "\U0001d400\U0001d401 emoji\U0001f600face \U00010400\U00010401 x",  # astral planes
    "\u0130stanbul \u0131stanbul ISTANBUL",  # dotted capital I: lower-cases to two code points
    "\u03a3\u039f\u03a3 \u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3",  # capital sigma
    "tab\tnew\nline\r\nform\x0cfeed\x00nul\u2028sep\u00a0nbsp",  # separators
    "\ud800lone surrogate\udfff here",  # lone surrogates (Python strings may hold them)
    "",
    "plain ascii words again: snake_case kelvin istanbul",
]


def test_the_compiled_words_are_the_token_pattern_s():
    import re

    from storymatch._kernels import number_words
    from storymatch.events.vectorize import _word_table

    table = _word_table()
    words = re.compile(r"(?u)\b\w\w+\b").findall
    codes = np.frombuffer("".join(EDGE_DOCS).encode("utf-32-le", "surrogatepass"), np.uint32)
    ends = np.zeros(len(EDGE_DOCS) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in EDGE_DOCS], out=ends[1:])
    state = (
        np.full(4, -1, dtype=np.int64),  # tiny tables, so that they grow
        np.zeros(1, dtype=np.uint64),
        np.zeros(2, dtype=np.int64),
        np.zeros(1, dtype=np.uint32),
        0,
    )
    units, offsets, simple, _, _, bounds, pool, n_words = number_words(codes, ends, table, *state)
    text = pool[: bounds[n_words]].tobytes().decode("utf-32-le")
    names = [text[bounds[w] : bounds[w + 1]] for w in range(n_words)]
    assert len(set(names)) == n_words  # each word numbered once
    for d, doc in enumerate(EDGE_DOCS):
        expected = words(doc.lower())
        got = [names[u] for u in units[offsets[d] : offsets[d + 1]]]
        if simple[d]:
            assert got == expected, doc
        else:  # left to the pattern: a capital sigma or a dotted capital I
            assert got == []
            assert "\u03a3" in doc or "\u0130" in doc
    assert simple.sum() == len(EDGE_DOCS) - 2
    assert {"kelvin", "snake_case", "x\u00b2", "\U0001d400\U0001d401"} <= set(names)


def test_mixed_documents_count_as_scikit_learn_counts(monkeypatch):
    from storymatch.events import vectorize

    # small batches, so that words and tables carry over from one kernel call to the next;
    # many distinct words, so that the tables grow; documents for the pattern in between
    monkeypatch.setattr(vectorize, "_BATCH_CHARS", 64)
    many = [" ".join(f"w{i}x{j} w{i}" for j in range(300)) for i in range(60)]
    docs = [*EDGE_DOCS, *many, *EDGE_DOCS[::-1], *_docs()[:5]]
    _same_fit(_vectorizer(1), _vectorizer(1), docs)
    _same_fit(_vectorizer(2), _vectorizer(2), docs)
    # a pattern of its own is read by the pattern, as scikit-learn reads it
    own = {"ngram_range": (1, 2), "stop_words": "english", "token_pattern": r"(?u)\b\w+\b"}
    _same_fit(TfidfVectorizer(**own), TfidfVectorizer(**own), docs)
    # no stop words, and a document that only the pattern reads first in the corpus
    none = {"ngram_range": (1, 2), "dtype": np.float32}
    _same_fit(TfidfVectorizer(**none), TfidfVectorizer(**none), [EDGE_DOCS[8], *docs])


def _reference_counts(units, offsets, n_skip, n_units, bigrams):
    """count_terms by dictionaries: columns in order of first sight, each document's in order."""
    column: dict[int, int] = {}
    indptr, columns, counts = [0], [], []
    for d in range(len(offsets) - 1):
        words = [int(u) for u in units[offsets[d] : offsets[d + 1]] if u >= n_skip]
        terms = words + (
            [n_units + a * n_units + b for a, b in itertools.pairwise(words)] if bigrams else []
        )
        mine: dict[int, int] = {}
        for key in terms:
            col = column.setdefault(key, len(column))
            mine[col] = mine.get(col, 0) + 1
        columns += list(mine)
        counts += list(mine.values())
        indptr.append(len(columns))
    return indptr, columns, counts, list(column)


@pytest.mark.parametrize("bigrams", [True, False])
def test_term_counts_equal_the_dictionary_counts(bigrams):
    # enough distinct bigrams (about 150,000) that their sort has long runs and short ones;
    # stop words dropped, empty documents, one-word documents
    from storymatch._kernels import count_terms

    rng = np.random.default_rng(0)
    # bigram keys of 22 bits and of 43 (the sort's passes), a few units, a single one
    for n_units, n_skip in ((2000, 40), (3_000_000, 5), (3, 1), (1, 0)):
        units = rng.integers(0, n_units, 200_000).astype(np.int64)
        cuts = rng.integers(0, units.shape[0], 3000)
        offsets = np.unique(np.concatenate([[0, units.shape[0]], cuts, cuts + 1])).astype(np.int64)
        offsets = np.concatenate([offsets[:5], offsets[4:5], offsets[5:]])  # an empty document
        got = count_terms(units, offsets, n_skip, n_units, bigrams)
        expected = _reference_counts(units, offsets, n_skip, n_units, bigrams)
        for g, e in zip(got, expected, strict=True):
            assert g.tolist() == e
    assert len(expected[3]) == (2 if bigrams else 1)  # the last corpus: one word (and its pair)


def _identity_vectorizer() -> TfidfVectorizer:
    from storymatch.events.clusterer import _identity

    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32, lowercase=False)


def test_coded_token_lists_fit_as_the_lists_do():
    # lists coded in parts (as the forked child sends them), joined in another order, some
    # lists in none of the chosen rows, words repeated across parts under other codes
    from storymatch.events.vectorize import code_tokens, fit_tfidf_coded, join_coded

    rng = np.random.default_rng(1)
    vocabulary = [f"w{i}" for i in range(300)] + ["tara reid", "ünï", "k:x=1", ""]
    lists = [
        [vocabulary[j] for j in rng.integers(0, len(vocabulary), rng.integers(0, 30))]
        for _ in range(400)
    ]
    lists[7] = []
    parts = [code_tokens(lists[a : a + 64]) for a in range(0, len(lists), 64)]
    parts.insert(2, code_tokens([]))  # a part whose lists were all skipped
    assert [t for part in parts for t in part.lists()] == lists
    rows = rng.permutation(len(lists))[:350]
    joined = join_coded(parts, rows)
    chosen = [lists[r] for r in rows]
    assert joined.lists() == chosen
    assert len(set(joined.words)) == len(joined.words)
    expected_vectorizer = _identity_vectorizer()
    expected = expected_vectorizer.fit_transform(chosen)
    vectorizer = _identity_vectorizer()
    got = fit_tfidf_coded(vectorizer, joined)
    assert np.array_equal(got.indptr, expected.indptr)
    assert np.array_equal(got.indices, expected.indices)
    assert np.array_equal(got.data.view(np.uint32), expected.data.view(np.uint32))
    assert vectorizer.vocabulary_ == expected_vectorizer.vocabulary_
    assert np.array_equal(vectorizer.idf_, expected_vectorizer.idf_)
    with pytest.raises(ValueError, match="empty vocabulary"):
        fit_tfidf_coded(_identity_vectorizer(), code_tokens([[], []]))


@pytest.mark.parametrize("min_df", [1, 2, 5])
def test_kept_rows_are_scipy_s_sorted_and_masked_rows(min_df):
    # the compiled pass against scipy's sort_indices and a mask, on counts with long rows,
    # empty rows and rows whose every column is dropped
    from scipy.sparse import csr_matrix

    from storymatch._kernels import count_terms, kept_rows

    rng = np.random.default_rng(2)
    units = rng.zipf(1.3, 100_000).astype(np.int64) % 5000
    offsets = np.unique(np.concatenate([[0, 0, units.shape[0]], rng.integers(0, 100_000, 900)]))
    offsets = np.concatenate([[0], offsets]).astype(np.int64)  # an empty first document
    indptr, columns, counts, keys = count_terms(units, offsets, 3, 5000, True)
    frequency = np.bincount(columns)
    keep = frequency >= min_df
    position = np.full(keys.shape[0], -1, dtype=np.int64)
    position[keep] = rng.permutation(int(keep.sum()))
    shape = (offsets.shape[0] - 1, keys.shape[0])
    raw = csr_matrix((counts.copy(), columns.copy(), indptr.copy()), shape=shape)
    raw.sort_indices()  # in place
    entries = keep[raw.indices]
    got_ptr, got_columns, got_counts = kept_rows(indptr, columns, counts, position)
    assert np.array_equal(got_ptr, np.concatenate(([0], np.cumsum(entries)))[raw.indptr])
    assert np.array_equal(got_columns, position[raw.indices[entries]])
    assert np.array_equal(got_counts, raw.data[entries])
    assert min_df == 1 or not keep.all()


# words that are prefixes of others (the space of a bigram sorts before any word character),
# digits and underscores (below the letters), accents and a capital sigma (read by the pattern)
_PREFIX_WORDS = ["ab", "abc", "ab_", "a1", "a10", "ba", "baa", "b0", "zz", "\u00e9a", "ea", "Ab",
                 "ABC", "the", "x", "\u03a3a", "_a", "99"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_PREFIX_WORDS), max_size=12).map(" ".join),
        min_size=2,  # no fewer documents than min_df (scikit-learn's max_df check)
        max_size=12,
    ),
    st.sampled_from([1, 2]),
)
def test_terms_sorted_by_their_words_ranks_as_by_their_strings(docs, min_df):
    # fit_tfidf sorts the kept terms as pairs of their words' ranks (_Units.sorted_terms), not
    # as strings: the vocabulary and every entry must still be fit_transform's
    reference = _vectorizer(min_df)
    try:
        reference.fit(docs)
    except ValueError as error:  # nothing left to count: fit_tfidf says the same
        with pytest.raises(ValueError, match=re.escape(str(error))):
            fit_tfidf(_vectorizer(min_df), docs)
        return
    _same_fit(_vectorizer(min_df), _vectorizer(min_df), docs)


@pytest.mark.parametrize("largest", [0, 1, 2047, 2048, 5000, 2**40, 2**62])
def test_radix_order_is_numpy_s_stable_order(largest):
    from storymatch._kernels import _radix_order

    rng = np.random.default_rng(largest % 1000)
    for n in (0, 1, 7, 20_000):
        keys = rng.integers(0, largest + 1, n, dtype=np.int64)
        keys[: n // 3] = keys[n // 3 : 2 * (n // 3)]  # repeated keys: the order among them
        assert _radix_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()
