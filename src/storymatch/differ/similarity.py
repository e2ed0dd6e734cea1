"""Sentence-pair similarity: the :class:`Scorer` protocol and the built-in scorers.

A scorer takes two equally long sequences of sentences and returns one similarity in [0, 1]
per pair, vectorised over all pairs in one call (the aligner sends every candidate pair of a
comparison at once). ``threshold`` is its decision threshold for "the two sentences state the
same claim".

Built-in scorers:

- :class:`LexicalScorer` (what :func:`default_scorer` returns): 27 lexical signals of a pair
  (:func:`pair_features`) combined by a small neural network whose weights ship as data files
  beside this module (``pair_weights.npz``, with their provenance and threshold in
  ``pair_weights.json``; both written by ``tools/train_pair_scorer.py``); its output is a
  probability that the two sentences state the same claim.
- :class:`TokenSetScorer`: rapidfuzz's ``token_set_ratio``, the simplest useful scorer.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storymatch.errors import InvalidParameterError

__all__ = [
    "FEATURE_NAMES",
    "LexicalScorer",
    "Scorer",
    "TokenSetScorer",
    "default_scorer",
    "pair_features",
]

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]


@runtime_checkable
class Scorer(Protocol):
    """What the aligner and ``storymatch pairs`` need from a sentence-pair scorer.

    Attributes
    ----------
    threshold : float
        Scores at or above it mean "same claim".

    Examples
    --------
    An embedding model plugged in as a scorer (``model.encode`` returning unit vectors)::

        class EmbeddingScorer:
            threshold = 0.7

            def __call__(self, a, b):
                ea, eb = model.encode(list(a)), model.encode(list(b))
                return np.clip((ea * eb).sum(axis=1), 0.0, 1.0)
    """

    threshold: float

    def __call__(self, a: Sequence[str], b: Sequence[str], /) -> npt.NDArray[np.float64]:
        """Return the similarity of ``a[i]`` and ``b[i]`` for every ``i``, in [0, 1]."""
        ...


class TokenSetScorer:
    """rapidfuzz's ``token_set_ratio`` scaled to [0, 1]: a simple scorer.

    Parameters
    ----------
    threshold : float, default=0.7
        Decision threshold.
    """

    def __init__(self, threshold: float = 0.7) -> None:
        self.threshold = threshold

    def __call__(self, a: Sequence[str], b: Sequence[str], /) -> npt.NDArray[np.float64]:
        """Return ``token_set_ratio(a[i], b[i]) / 100`` for every ``i``."""
        if len(a) != len(b):
            msg = f"a and b must be equally long. Got {len(a)} and {len(b)} instead."
            raise InvalidParameterError(msg)
        return np.fromiter(
            (fuzz.token_set_ratio(x, y) / 100.0 for x, y in zip(a, b, strict=True)),
            dtype=np.float64,
            count=len(a),
        )


# ------------------------------------------------------------------------- lexical features

FEATURE_NAMES: tuple[str, ...] = (
    "ratio",
    "lcs_containment",
    "token_set_ratio",
    "tfidf_char",
    "tfidf_word",
    "unigram_precision_min",
    "unigram_precision_max",
    "bigram_precision_max",
    "fourgram_precision_max",
    "stem_jaccard",
    "idf_shared",
    "idf_unmatched_min",
    "idf_unmatched_max",
    "idf_coverage_min",
    "unmatched_max",
    "length_min",
    "length_ratio",
    "headline",
    "name_coverage",
    "name_conflict",
    "name_idf_shared",
    "name_idf_unmatched",
    "name_any",
    "number_jaccard",
    "number_conflict",
    "date_conflict",
    "negation_mismatch",
)
"""Columns of :func:`pair_features`, in order (see its Notes for what each one measures)."""

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_STOP_WORDS = ENGLISH_STOP_WORDS
# "one" is left out: it is a pronoun more often than a count.
_NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "dozen": "12",
    "hundred": "100",
    "thousand": "1000",
    "million": "1000000",
    "billion": "1000000000",
    "trillion": "1000000000000",
}
# Words that date a statement; "may" is left out (mostly the verb).
_DATE_WORDS = frozenset(
    [
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("yesterday", "today", "tonight", "tomorrow"),
        *("january", "february", "march", "april", "june", "july", "august"),
        *("september", "october", "november", "december"),
        *("feb", "aug", "sept", "oct", "nov", "dec"),
    ]
)
_NEGATIONS = frozenset(
    ["not", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without", "cannot"]
)
_STEM_LENGTH = 4
_HEADLINE_MIN_WORDS = 3
_HEADLINE_LONG = 6
_HEADLINE_STOP_LENGTH = 3
_HEADLINE_CAPITALISED = 0.6
_MAX_NAME_CONFLICT = 3.0
_CHAR_NGRAMS = (2, 5)
_PAIR_CHUNK = 8192
_IDF_MIN_SENTENCES = 100
_COMMON_RATE = 0.2
_RARE_RATE = 0.001


def _number(token: str) -> str:
    """Normalise a number as written: no thousands separators, no trailing decimal zeros."""
    if "," in token:
        head, _, tail = token.rpartition(",")
        # "1,000" groups thousands; "3,5" (a decimal comma) is kept as "3.5".
        token = token.replace(",", "") if len(tail) == 3 else head.replace(",", "") + "." + tail  # noqa: PLR2004
    if "." in token:
        token = token.rstrip("0").rstrip(".") or "0"
    return token


def _analyse(sentence: str) -> tuple[list[str], list[str], bool, bool]:
    """Split a sentence: (tokens, names, negated, headline).

    Tokens are the lowercased words and normalised numbers (number words as digits), in order;
    names the lowercased capitalised words after the first word, unless the sentence is
    headline-styled (title case or capitals), where capitals say nothing.
    """
    raw = _TOKEN.findall(sentence)
    tokens: list[str] = []
    names: list[str] = []
    negated = False
    words = 0  # content words after the first word
    upper = 0  # ... of them in capitals ("DEFEATS")
    capitalised_stop = 0  # stop words after the first word written with a capital ("Into")
    for i, word in enumerate(raw):
        low = word.lower().replace("\u2019", "'")
        if word[0].isdigit():
            low = _number(low)
        elif low in _NUMBER_WORDS:
            low = _NUMBER_WORDS[low]
        elif low not in _DATE_WORDS:
            if low in _NEGATIONS or low.endswith("n't"):
                negated = True
            if i > 0 and low not in _STOP_WORDS:
                words += 1
                if word[0].isupper():
                    names.append(low)
                    upper += len(word) > 1 and word.isupper()
            elif i > 0 and len(word) >= _HEADLINE_STOP_LENGTH and word[0].isupper():
                capitalised_stop += 1
        tokens.append(low)
    # Title case or capitals: many capitalised words, and either a capitalised stop word or
    # too many of them for a run of names ("Police arrested John Smith in Boston" is prose).
    share = _HEADLINE_CAPITALISED * words
    headline = (
        words >= _HEADLINE_MIN_WORDS
        and len(names) > share
        and (capitalised_stop > 0 or words >= _HEADLINE_LONG or upper > share)
    )
    return tokens, [] if headline else names, negated, headline


def _char_ngrams(word: str) -> list[str]:
    """Return the character n-grams of ``word`` padded with spaces (as scikit-learn's char_wb)."""
    padded = f" {word} "
    size = len(padded)
    low, high = _CHAR_NGRAMS
    return [padded[j : j + n] for n in range(low, min(high, size) + 1) for j in range(size - n + 1)]


@cache
def _stop_word_grams() -> frozenset[str]:
    """Return the character n-grams of the stop words (common in any text)."""
    return frozenset(g for w in _STOP_WORDS for g in _char_ngrams(w))


def _codes(items: list[Any]) -> tuple[npt.NDArray[np.int64], int]:
    """Return ids of ``items`` (numbered in order of first sight) and how many distinct."""
    ids = {x: i for i, x in enumerate(dict.fromkeys(items))}
    return np.fromiter(map(ids.__getitem__, items), dtype=np.int64, count=len(items)), len(ids)


def _dense_ids(keys: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], int]:
    """Renumber integer keys 0..k-1 (k distinct keys)."""
    unique, inverse = np.unique(keys, return_inverse=True)
    return inverse.astype(np.int64).ravel(), len(unique)


def _matrix(
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    shape: tuple[int, int],
    *,
    binary: bool,
) -> Any:
    """Sentence x item matrix of counts (or presence) from (row, column) pairs."""
    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(shape[0], max(shape[1], 1))
    )
    matrix.sum_duplicates()
    if binary:
        matrix.data[:] = 1.0
    return matrix


def _row_sums(matrix: Any) -> FloatArray:
    return np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()


def _pair_dot(
    left: Any, right: Any, ia: npt.NDArray[np.intp], ib: npt.NDArray[np.intp]
) -> FloatArray:
    """``left[ia[i]] · right[ib[i]]`` for every ``i`` (row-wise sparse dot products)."""
    return _row_sums(left[ia].multiply(right[ib]))


def _pair_min(matrix: Any, ia: npt.NDArray[np.intp], ib: npt.NDArray[np.intp]) -> FloatArray:
    """``sum(min(matrix[ia[i]], matrix[ib[i]]))``: clipped counts of shared items."""
    return _row_sums(matrix[ia].minimum(matrix[ib]))


def _ratio(num: FloatArray, den: FloatArray, empty: float) -> FloatArray:
    """``num / den``, ``empty`` where ``den`` is 0."""
    out = np.full(num.shape, empty, dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _idf(counts: Any, common: npt.NDArray[np.bool_]) -> FloatArray:
    """Inverse document frequency of the columns of a sentence x item count matrix.

    Smoothed as scikit-learn's, ``ln((1 + n) / (1 + df)) + 1``. A call of fewer than
    ``_IDF_MIN_SENTENCES`` distinct sentences is topped up with imaginary ones in which each
    ``common`` item (a stop word, or a character n-gram of one) occurs at the rate
    ``_COMMON_RATE`` and every other item at ``_RARE_RATE``: without them every word of a
    one-pair call would look equally rare.
    """
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    n_docs = counts.shape[0]
    background = max(0, _IDF_MIN_SENTENCES - n_docs)
    prior = np.where(common, _COMMON_RATE, _RARE_RATE) * background
    return np.asarray(
        np.log((1.0 + n_docs + background) / (1.0 + df + prior)) + 1.0, dtype=np.float64
    )


def _tfidf(counts: Any, idf: FloatArray) -> Any:
    """Sublinear TF-IDF rows of unit length, as scikit-learn's ``TfidfVectorizer``."""
    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    norms = np.sqrt(_row_sums(weighted.multiply(weighted)))
    scale = _ratio(np.ones_like(norms), norms, 0.0)
    weighted.data *= np.repeat(scale, np.diff(weighted.indptr))
    return weighted


def _check_pairs(a: Sequence[str], b: Sequence[str]) -> None:
    if len(a) != len(b):
        msg = f"a and b must be equally long. Got {len(a)} and {len(b)} instead."
        raise InvalidParameterError(msg)
    for name, seq in (("a", a), ("b", b)):
        for i, s in enumerate(seq):
            if not isinstance(s, str):
                msg = f"{name}[{i}] must be a str. Got {type(s).__name__} instead."
                raise TypeError(msg)


def pair_features(a: Sequence[str], b: Sequence[str], /) -> FloatArray:
    """Return the lexical features of every pair ``(a[i], b[i])``, one row per pair.

    Parameters
    ----------
    a, b : sequence of str
        The sentences, equally long.

    Returns
    -------
    numpy.ndarray of float64, shape (len(a), len(FEATURE_NAMES))
        Column ``j`` is the feature ``FEATURE_NAMES[j]``. Every feature is symmetric: swapping
        ``a`` and ``b`` gives the same rows.

    Raises
    ------
    ValueError
        When ``a`` and ``b`` differ in length.
    TypeError
        When an item is not a str.

    Notes
    -----
    Sentences are lowercased and split into words and numbers (``"1,000"`` becomes ``1000``,
    number words become digits). Eight features depend on the other sentences of the call,
    through the inverse document frequency (IDF) of words and character n-grams, which is fitted
    on the distinct sentences of ``a`` and ``b``: ``tfidf_char``, ``tfidf_word`` and the
    ``idf_*`` / ``name_idf_*`` sums. A call of fewer than 100 distinct sentences is topped up
    with imaginary ones in which stop words (and their character n-grams) are common and every
    other word rare, so that a small call weighs words about as a large one does. Every other
    feature depends on the pair alone, and no feature depends on the order of the pairs. The
    features:

    - ``ratio``, ``token_set_ratio``: rapidfuzz's measures on the lowercased words joined by
      spaces, divided by 100; ``lcs_containment``: the longest common character subsequence of
      the same strings over the length of the shorter (a cheap ``partial_ratio``).
    - ``tfidf_char``, ``tfidf_word``: cosine of sublinear TF-IDF vectors of character 2-5-grams
      (within words) and of words.
    - ``*_precision_min/max``: share of one sentence's word n-grams (n = 1, 2, 4) found in the
      other (clipped counts, as in BLEU), the smaller or larger of the two directions.
    - ``stem_jaccard``: Jaccard similarity of the content words cut to four letters.
    - ``idf_shared``, ``idf_unmatched_min/max``, ``idf_coverage_min``: IDF mass of the content
      words both sentences share, of those only one has (log1p), and the smaller share of a
      sentence's IDF mass that the other covers.
    - ``unmatched_max``: content words of the sentence with more of them that the other lacks
      (log1p); ``length_min``: words of the shorter sentence (log1p); ``length_ratio``.
    - ``headline``: one of the two is written in title case or capitals (its capitalised words
      then do not count as names).
    - ``name_*``: names are the capitalised words after a sentence's first word;
      ``name_coverage`` is the share of both sentences' names found among the other's words,
      ``name_conflict`` the number (capped at 3, scaled to [0, 1]) of names that each side has
      and the other lacks, counted on the side with fewer, ``name_idf_shared`` /
      ``name_idf_unmatched`` the same as IDF mass (log1p), ``name_any`` whether either has one.
    - ``number_jaccard``, ``number_conflict``: Jaccard similarity of the numbers (1 when neither
      has one); both sides state a number the other lacks. ``date_conflict``: the same for
      weekday, month and relative-day words. ``negation_mismatch``: one side is negated.

    Examples
    --------
    >>> rows = pair_features(["Five people died on Monday."], ["5 people died Monday."])
    >>> dict(zip(FEATURE_NAMES, rows[0].round(2)))["number_jaccard"]
    np.float64(1.0)
    """
    _check_pairs(a, b)
    n_pairs = len(a)
    if n_pairs == 0:
        return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float64)
    unique = list(dict.fromkeys(itertools.chain(a, b)))
    position = {s: i for i, s in enumerate(unique)}
    ia = np.fromiter((position[s] for s in a), dtype=np.intp, count=n_pairs)
    ib = np.fromiter((position[s] for s in b), dtype=np.intp, count=n_pairs)
    return _features(unique, ia, ib)


@dataclass(frozen=True, slots=True)
class _Tables:
    """Per-sentence vectors of one call (row ``i`` is the call's ``i``-th distinct sentence)."""

    joined: list[str]  # tokens joined by spaces, for rapidfuzz
    chars: FloatArray  # length of ``joined``
    lengths: FloatArray  # tokens
    counts: Any  # sentence x word counts
    present: Any  # sentence x word presence
    word_tfidf: Any
    char_tfidf: Any
    bigrams: Any  # sentence x bigram counts
    fourgrams: Any
    stems: Any  # sentence x content stem presence
    stem_sizes: FloatArray
    content: Any  # sentence x content word presence
    content_idf: Any  # the same weighted by IDF
    content_sizes: FloatArray
    content_mass: FloatArray
    names: Any  # sentence x name presence (word columns)
    names_idf: Any
    name_sizes: FloatArray
    name_mass: FloatArray
    numbers: Any
    number_sizes: FloatArray
    dates: Any
    date_sizes: FloatArray
    headline: FloatArray
    negated: FloatArray


def _tables(unique: list[str]) -> _Tables:
    n_docs = len(unique)
    analyses = [_analyse(s) for s in unique]
    token_lists = [x[0] for x in analyses]
    joined = [" ".join(tokens) for tokens in token_lists]

    # every token of every sentence in one array: its sentence (row), id, place in the sentence
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=n_docs)
    flat = list(itertools.chain.from_iterable(token_lists))
    token, n_words = _codes(flat)
    words = list(dict.fromkeys(flat))
    if not words:  # no sentence has a word: one that none holds keeps every table's shape
        words, n_words = ["\x00"], 1
    row = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    place = np.arange(len(flat), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    shape = (n_docs, n_words)
    counts = _matrix(row, token, shape, binary=False)
    present = _matrix(row, token, shape, binary=True)
    is_content = np.fromiter((w not in _STOP_WORDS for w in words), dtype=np.bool_, count=n_words)
    idf = _idf(counts, ~is_content)
    idf_diagonal = sparse.diags(idf)

    # character n-grams within words (as scikit-learn's "char_wb"), listed once per distinct
    # word: sentence x n-gram counts = (sentence x word counts) @ (word x n-gram counts)
    grams_per_word = [_char_ngrams(w) for w in words]
    all_grams = list(itertools.chain.from_iterable(grams_per_word))
    gram, n_grams = _codes(all_grams)
    stop_grams = _stop_word_grams()
    gram_is_common = np.fromiter(
        (g in stop_grams for g in dict.fromkeys(all_grams)), dtype=np.bool_, count=n_grams
    )
    gram_row = np.repeat(
        np.arange(n_words, dtype=np.int64),
        np.fromiter(map(len, grams_per_word), dtype=np.int64, count=n_words),
    )
    word_grams = _matrix(gram_row, gram, (n_words, n_grams), binary=False)

    # word bigrams and 4-grams (a 4-gram is coded as the pair of its two bigrams)
    bigram_at = np.flatnonzero(place + 2 <= lengths[row])
    bigram, n_bigrams = _dense_ids(token[bigram_at] * n_words + token[bigram_at + 1])
    bigram_code = np.full(len(flat), -1, dtype=np.int64)
    bigram_code[bigram_at] = bigram
    fourgram_at = np.flatnonzero(place + 4 <= lengths[row])
    fourgram, n_fourgrams = _dense_ids(
        bigram_code[fourgram_at] * n_bigrams + bigram_code[fourgram_at + 2]
    )

    # content words and their stems; names, numbers, dates (all columns of the word vocabulary)
    is_number = np.fromiter((w[0].isdigit() for w in words), dtype=np.bool_, count=n_words)
    is_date = np.fromiter((w in _DATE_WORDS for w in words), dtype=np.bool_, count=n_words)
    content_at = is_content[token]
    content = _matrix(row[content_at], token[content_at], shape, binary=True)
    content_idf = (content @ idf_diagonal).tocsr()
    stem_of, n_stems = _codes([w if w[0].isdigit() else w[:_STEM_LENGTH] for w in words])
    stems = _matrix(row[content_at], stem_of[token[content_at]], (n_docs, n_stems), binary=True)
    word_id = {w: i for i, w in enumerate(words)}
    name_lists = [x[1] for x in analyses]
    name_flat = list(itertools.chain.from_iterable(name_lists))
    names = _matrix(
        np.repeat(
            np.arange(n_docs, dtype=np.int64),
            np.fromiter(map(len, name_lists), dtype=np.int64, count=n_docs),
        ),
        np.fromiter(map(word_id.__getitem__, name_flat), dtype=np.int64, count=len(name_flat)),
        shape,
        binary=True,
    )
    names_idf = (names @ idf_diagonal).tocsr()
    numbers = _matrix(row[is_number[token]], token[is_number[token]], shape, binary=True)
    dates = _matrix(row[is_date[token]], token[is_date[token]], shape, binary=True)

    char_counts = (counts @ word_grams).tocsr()
    return _Tables(
        joined=joined,
        chars=np.fromiter(map(len, joined), dtype=np.float64, count=n_docs),
        lengths=lengths.astype(np.float64),
        counts=counts,
        present=present,
        word_tfidf=_tfidf(counts, idf),
        char_tfidf=_tfidf(char_counts, _idf(char_counts, gram_is_common)),
        bigrams=_matrix(row[bigram_at], bigram, (n_docs, n_bigrams), binary=False),
        fourgrams=_matrix(row[fourgram_at], fourgram, (n_docs, n_fourgrams), binary=False),
        stems=stems,
        stem_sizes=_row_sums(stems),
        content=content,
        content_idf=content_idf,
        content_sizes=_row_sums(content),
        content_mass=_row_sums(content_idf),
        names=names,
        names_idf=names_idf,
        name_sizes=_row_sums(names),
        name_mass=_row_sums(names_idf),
        numbers=numbers,
        number_sizes=_row_sums(numbers),
        dates=dates,
        date_sizes=_row_sums(dates),
        headline=np.fromiter((x[3] for x in analyses), dtype=np.float64, count=n_docs),
        negated=np.fromiter((x[2] for x in analyses), dtype=np.float64, count=n_docs),
    )


def _pair_columns(
    t: _Tables, ia: npt.NDArray[np.intp], ib: npt.NDArray[np.intp]
) -> dict[str, FloatArray]:
    """Compute the features of the pairs ``(ia[i], ib[i])`` of distinct-sentence indices."""
    columns: dict[str, FloatArray] = {}

    # rapidfuzz, in C, one pass over the pairs each
    left = [t.joined[i] for i in ia]
    right = [t.joined[i] for i in ib]
    for name, scorer in (("ratio", fuzz.ratio), ("token_set_ratio", fuzz.token_set_ratio)):
        scores = process.cpdist(left, right, scorer=scorer, workers=1, dtype=np.float64)
        columns[name] = np.asarray(scores, dtype=np.float64) / 100.0
    common = process.cpdist(left, right, scorer=LCSseq.similarity, workers=1, dtype=np.float64)
    columns["lcs_containment"] = _ratio(
        np.asarray(common, dtype=np.float64), np.minimum(t.chars[ia], t.chars[ib]), 0.0
    )

    columns["tfidf_word"] = _pair_dot(t.word_tfidf, t.word_tfidf, ia, ib)
    columns["tfidf_char"] = _pair_dot(t.char_tfidf, t.char_tfidf, ia, ib)

    # word n-gram precision in both directions (clipped counts, as BLEU)
    la, lb = t.lengths[ia], t.lengths[ib]
    for n, label, matrix in (
        (1, "unigram", t.counts),
        (2, "bigram", t.bigrams),
        (4, "fourgram", t.fourgrams),
    ):
        shared = _pair_min(matrix, ia, ib)
        pa = _ratio(shared, np.maximum(la - n + 1, 0.0), 0.0)
        pb = _ratio(shared, np.maximum(lb - n + 1, 0.0), 0.0)
        if n == 1:
            columns["unigram_precision_min"] = np.minimum(pa, pb)
        columns[f"{label}_precision_max"] = np.maximum(pa, pb)

    # content words: stems, IDF mass shared and unmatched, counts, lengths
    shared = _pair_dot(t.stems, t.stems, ia, ib)
    columns["stem_jaccard"] = _ratio(shared, t.stem_sizes[ia] + t.stem_sizes[ib] - shared, 1.0)
    shared_mass = _pair_dot(t.content, t.content_idf, ia, ib)
    unmatched_a = (t.content_mass[ia] - shared_mass).clip(min=0.0)
    unmatched_b = (t.content_mass[ib] - shared_mass).clip(min=0.0)
    columns["idf_shared"] = np.log1p(shared_mass)
    columns["idf_unmatched_min"] = np.log1p(np.minimum(unmatched_a, unmatched_b))
    columns["idf_unmatched_max"] = np.log1p(np.maximum(unmatched_a, unmatched_b))
    columns["idf_coverage_min"] = np.minimum(
        _ratio(shared_mass, t.content_mass[ia], 1.0), _ratio(shared_mass, t.content_mass[ib], 1.0)
    )
    shared = _pair_dot(t.content, t.content, ia, ib)
    columns["unmatched_max"] = np.log1p(
        np.maximum(t.content_sizes[ia], t.content_sizes[ib]) - shared
    )
    columns["length_min"] = np.log1p(np.minimum(la, lb))
    columns["length_ratio"] = _ratio(np.minimum(la, lb), np.maximum(la, lb), 1.0)
    columns["headline"] = np.maximum(t.headline[ia], t.headline[ib])

    # names: found among the other sentence's words (case-blind, so headlines count too)
    found_ab = _pair_dot(t.names, t.present, ia, ib)
    found_ba = _pair_dot(t.names, t.present, ib, ia)
    mass_ab = _pair_dot(t.names_idf, t.present, ia, ib)
    mass_ba = _pair_dot(t.names_idf, t.present, ib, ia)
    total_names = t.name_sizes[ia] + t.name_sizes[ib]
    columns["name_coverage"] = _ratio(found_ab + found_ba, total_names, 1.0)
    missing = np.minimum(t.name_sizes[ia] - found_ab, t.name_sizes[ib] - found_ba)
    columns["name_conflict"] = np.minimum(missing, _MAX_NAME_CONFLICT) / _MAX_NAME_CONFLICT
    columns["name_idf_shared"] = np.log1p(np.maximum(mass_ab, mass_ba))
    columns["name_idf_unmatched"] = np.log1p(
        np.minimum(t.name_mass[ia] - mass_ab, t.name_mass[ib] - mass_ba).clip(min=0.0)
    )
    columns["name_any"] = (total_names > 0).astype(np.float64)

    # numbers and dates: shared, or each side states one the other lacks; negation
    shared = _pair_dot(t.numbers, t.numbers, ia, ib)
    na, nb = t.number_sizes[ia], t.number_sizes[ib]
    columns["number_jaccard"] = _ratio(shared, na + nb - shared, 1.0)
    columns["number_conflict"] = ((na > shared) & (nb > shared)).astype(np.float64)
    shared = _pair_dot(t.dates, t.dates, ia, ib)
    da, db = t.date_sizes[ia], t.date_sizes[ib]
    columns["date_conflict"] = ((da > shared) & (db > shared)).astype(np.float64)
    columns["negation_mismatch"] = np.abs(t.negated[ia] - t.negated[ib])
    return columns


def _features(unique: list[str], ia: npt.NDArray[np.intp], ib: npt.NDArray[np.intp]) -> FloatArray:
    started = time.perf_counter()
    tables = _tables(unique)
    out = np.empty((len(ia), len(FEATURE_NAMES)), dtype=np.float64)
    # pairs a chunk at a time: the row-wise products hold a chunk's rows, not all of them
    for lo in range(0, len(ia), _PAIR_CHUNK):
        hi = min(lo + _PAIR_CHUNK, len(ia))
        columns = _pair_columns(tables, ia[lo:hi], ib[lo:hi])
        for j, name in enumerate(FEATURE_NAMES):
            out[lo:hi, j] = columns[name]
    logger.debug(
        "pair_features: %d pairs, %d sentences, %.3fs",
        len(ia),
        len(unique),
        time.perf_counter() - started,
    )
    return out


# ----------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class _Model:
    mean: FloatArray
    scale: FloatArray
    hidden_weights: FloatArray
    hidden_bias: FloatArray
    output_weights: FloatArray
    output_bias: float
    threshold: float


_WEIGHTS: Final = "pair_weights.npz"
_PROVENANCE: Final = "pair_weights.json"


@cache
def _model() -> _Model:
    """Return the shipped weights as arrays (read once, from the data files beside this module)."""
    here = resources.files(__package__ or "storymatch.differ")
    provenance = json.loads(here.joinpath(_PROVENANCE).read_text(encoding="utf-8"))
    if tuple(provenance["feature_names"]) != FEATURE_NAMES:
        msg = (
            f"storymatch/differ/{_WEIGHTS} was trained on other features than "
            "pair_features computes; run tools/train_pair_scorer.py"
        )
        raise RuntimeError(msg)
    with here.joinpath(_WEIGHTS).open("rb") as f, np.load(f) as arrays:
        return _Model(
            mean=arrays["feature_mean"],
            scale=arrays["feature_scale"],
            hidden_weights=arrays["hidden_weights"],
            hidden_bias=arrays["hidden_bias"],
            output_weights=arrays["output_weights"],
            output_bias=float(arrays["output_bias"]),
            threshold=float(provenance["threshold"]),
        )


def _predict(model: _Model, features: FloatArray) -> FloatArray:
    """Forward pass: standardise, one ReLU layer, logistic output."""
    z = (features - model.mean) / model.scale
    hidden = np.maximum(z @ model.hidden_weights + model.hidden_bias, 0.0)
    logit = hidden @ model.output_weights + model.output_bias
    # the logistic function, written with tanh so that no logit overflows
    return np.asarray(0.5 + 0.5 * np.tanh(0.5 * logit), dtype=np.float64)


_LENGTH_MIN = FEATURE_NAMES.index("length_min")


def _default_threshold() -> float:
    return _model().threshold


class LexicalScorer:
    """The default sentence-pair scorer: lexical signals combined by a small learned model.

    The 27 features of :func:`pair_features` (rapidfuzz ratios, word and character TF-IDF
    cosines, n-gram precision, IDF-weighted overlap, names, numbers, dates, negation) are
    standardised and go through a network with one hidden layer of 80 ReLU units and a logistic
    output (five 16-unit networks trained from different seeds, their logits averaged), whose
    weights ship beside this module (``pair_weights.npz``; ``pair_weights.json`` says how they
    were made); nothing is fitted or downloaded at run time. The score is the network's
    probability that the two sentences state the same claim.

    The weights were fitted by ``tools/train_pair_scorer.py`` on news sentence pairs of three
    kinds: MSRP paraphrases (yes/no), ECB+ sentence pairs (same event or not, with hard
    negatives from similar events) and STS news headlines (graded similarity, as soft labels).

    The scorer validates its parameter at once (value-object mode) and holds no state besides
    it, so one instance can score any number of calls.

    Parameters
    ----------
    threshold : float or None, default=None
        Decision threshold for "same claim", in [0, 1]; None takes the default of the shipped
        model (:attr:`default_threshold`), chosen for the best mean F1 on the training sets. A
        higher value aligns fewer, closer pairs (fewer false matches, more claims left
        unaligned); a lower one aligns loosely related sentences too.

    Attributes
    ----------
    threshold : float
        The threshold in use.

    Raises
    ------
    InvalidParameterError
        When ``threshold`` is not a number in [0, 1].

    See Also
    --------
    pair_features : The features, with what each one measures.
    TokenSetScorer : A simpler scorer (one rapidfuzz ratio).

    Notes
    -----
    Scores are vectorised over the pairs of one call: sentences are analysed once each, and the
    pairwise features come from rapidfuzz's ``cpdist`` and sparse row-wise products. A pair's
    score depends on the other pairs of the call only through the IDF of words and character
    n-grams, fitted on the call's distinct sentences (topped up to 100 in a small call, see
    :func:`pair_features`): words that many sentences of the call share weigh less. The weights
    were fitted on calls of 19 to 8,000 distinct sentences (one event's reports, a whole pair
    set). A call of a single pair works, but its scores are less sure than in a large call
    (``benchmarks/pairs_quality.py`` measures by how much): score many pairs in one call, as
    the aligner does.
    The result is deterministic (the same call gives the same bytes, whatever the process or
    ``PYTHONHASHSEED``), independent of the order of the pairs, and symmetric
    (``scorer(a, b) == scorer(b, a)``). A pair in which either sentence has no word scores 0.

    Examples
    --------
    >>> scorer = LexicalScorer()
    >>> scores = scorer(
    ...     ["Police said 12 people were killed in the blast on Monday.",
    ...      "Police said 12 people were killed in the blast on Monday."],
    ...     ["Twelve people died in Monday's blast, police said.",
    ...      "The central bank left interest rates unchanged."],
    ... )
    >>> bool(scores[0] >= scorer.threshold), bool(scores[1] < scorer.threshold)
    (True, True)
    """

    def __init__(self, threshold: float | None = None) -> None:
        if threshold is None:
            threshold = _default_threshold()
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not 0.0 <= threshold <= 1.0
        ):
            msg = (
                "The 'threshold' parameter of LexicalScorer must be a float in the range "
                f"[0.0, 1.0] or None. Got {threshold!r} instead."
            )
            raise InvalidParameterError(msg)
        self.threshold = float(threshold)

    @property
    def default_threshold(self) -> float:
        """The threshold the shipped model was tuned for."""
        return _default_threshold()

    def __repr__(self) -> str:
        return f"LexicalScorer(threshold={self.threshold!r})"

    def __call__(self, a: Sequence[str], b: Sequence[str], /) -> npt.NDArray[np.float64]:
        """Return the probability that ``a[i]`` and ``b[i]`` state the same claim, for every ``i``.

        Parameters
        ----------
        a, b : sequence of str
            The sentences, equally long.

        Returns
        -------
        numpy.ndarray of float64, shape (len(a),)
            Scores in [0, 1].

        Raises
        ------
        ValueError
            When ``a`` and ``b`` differ in length.
        TypeError
            When an item is not a str.
        """
        features = pair_features(a, b)
        if len(features) == 0:
            return np.zeros(0, dtype=np.float64)
        scores = _predict(_model(), features)
        # length_min is log1p of the shorter sentence's word count: 0 when one has no word
        scores[features[:, _LENGTH_MIN] == 0.0] = 0.0
        return np.clip(scores, 0.0, 1.0)


def default_scorer() -> LexicalScorer:
    """Return the default sentence-pair scorer (a :class:`LexicalScorer` at its threshold).

    Examples
    --------
    >>> scorer = default_scorer()
    >>> isinstance(scorer, Scorer)
    True
    """
    return LexicalScorer()
