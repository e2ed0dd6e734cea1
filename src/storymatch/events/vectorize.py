"""TF-IDF rows of the event stage: scikit-learn's matrix, bit for bit, counted faster.

:func:`fit_tfidf` returns what ``vectorizer.fit_transform(docs)`` returns and leaves the
vectorizer fitted as that call would (its ``vocabulary_`` and ``idf_``, so ``transform`` gives
the same rows). Counting (the analyzer's words and bigrams, and a dictionary lookup for each)
is most of the time. Here every word is numbered once by a dictionary lookup (its tokens found
by the vectorizer's pattern, as scikit-learn finds them) and a compiled kernel
(:func:`storymatch._kernels.count_terms`) drops the stop words, forms the bigrams and counts
every document's terms; only the terms kept after ``min_df`` are ever made into strings. 8,000
news articles: 1.5 s of CPU against 2.3 s with a Python ``Counter`` per document and 3.2 s for
scikit-learn's ``fit_transform``.

The columns are numbered as scikit-learn numbers them (in order of first sight), then its steps
follow in its order: rare terms dropped (``min_df``), the columns sorted by term, TF-IDF
weights and L2 norms by :class:`TfidfTransformer`; so every row keeps its entries in the same
order and every float the same bits. A test compares the result with ``fit_transform``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["CodedTokens", "code_tokens", "fit_tfidf", "fit_tfidf_coded", "join_coded"]

logger = logging.getLogger(__name__)

_Counts = tuple[dict[str, int], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]


_SortedTerms = Callable[[npt.NDArray[np.int64]], tuple[npt.NDArray[np.int64], list[str]] | None]
"""The order that sorts some columns' terms and the terms in that order (None: not known)."""

_DEFAULT_PATTERN = r"(?u)\b\w\w+\b"
"""scikit-learn's token pattern: the one whose words :func:`_word_table` lets a kernel find."""

_BATCH_CHARS = 1 << 22
"""Code points handed to :func:`storymatch._kernels.number_words` at a time (16 MB)."""


@functools.cache
def _word_table() -> npt.NDArray[np.int32]:
    r"""Return what every code point is in lower-cased text, as this Python's ``re`` reads it.

    Entry ``c`` is ``ord(chr(c).lower())`` where that character is a word character (``\w``
    of a ``str`` pattern), 0 where it is not, and -1 where ``str.lower`` does not map the code
    point to one code point by itself: ``İ`` (two code points) and ``Σ`` (small or final sigma
    by its neighbours). Made from this Python's own ``str.lower`` and ``re``, so the words are
    the token pattern's (about 0.1 s, once per process).
    """
    everything = np.arange(0x110000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    dotted = ord("\u0130")
    lowered = everything[:dotted].lower() + "\0" + everything[dotted + 1 :].lower()
    table = np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    is_word = np.zeros(table.shape[0], dtype=bool)
    for match in re.finditer(r"(?u)\w+", lowered):
        is_word[match.start() : match.end()] = True
    words = np.where(is_word, table, 0).astype(np.int32)
    words[[dotted, ord("\u03a3")]] = -1
    return words


def _is_one_word(word: str, table: npt.NDArray[np.int32]) -> bool:
    """Whether the token pattern finds ``word`` as it is in lower-cased text."""
    return len(word) > 1 and all(table[ord(c)] == ord(c) for c in word)


class _Units:
    """How documents become the token numbers that :func:`storymatch._kernels.count_terms` reads.

    For lower-cased words and bigrams (what the event stage uses), each word is numbered once
    (the stop words first, numbered below ``n_skip``, so that the kernel drops them) and the
    kernel forms the bigrams of neighbouring kept words: the terms of scikit-learn's word
    analyzer, in its order. With scikit-learn's token pattern the words are found and numbered
    by a compiled kernel (:func:`storymatch._kernels.number_words`) in the documents' code
    points; a document it cannot read (a character that lower-cases to two, or a capital
    sigma) and any other pattern go through the pattern in the lower-cased text and a
    dictionary. Any other setting numbers the terms of scikit-learn's own analyzer, as they
    are.
    """

    def __init__(self, vectorizer: Any) -> None:
        self.bigrams = (
            vectorizer.analyzer == "word"
            and tuple(vectorizer.ngram_range) == (1, 2)
            and vectorizer.lowercase
            and vectorizer.strip_accents is None
            and vectorizer.preprocessor is None
            and vectorizer.tokenizer is None
            and vectorizer.input == "content"
            and not re.compile(vectorizer.token_pattern).groups
        )
        self.compiled = self.bigrams and vectorizer.token_pattern == _DEFAULT_PATTERN
        self.numbers: defaultdict[str, int] = defaultdict()
        self.numbers.default_factory = self.numbers.__len__  # a new unit gets the next number
        self.n_skip = 0
        self._names: list[str] = []
        self._n_units = 0
        if self.bigrams:
            for word in sorted(vectorizer.get_stop_words() or ()):
                self.numbers[word]  # numbered on lookup
            self.n_skip = len(self.numbers)
            findall = re.compile(vectorizer.token_pattern).findall
            self.split: Callable[[Any], list[str]] = lambda doc: findall(doc.lower())
        else:
            self.split = vectorizer.build_analyzer()

    @property
    def n_units(self) -> int:
        """How many numbers were given (after :meth:`number`)."""
        return self._n_units

    def number(self, docs: Sequence[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Return the token numbers of all ``docs`` and the offsets of each document's."""
        if self.compiled:
            return self._number_compiled(docs)
        return self._number_split(docs)

    def _number_split(
        self, docs: Sequence[Any]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Return the unit numbers of ``docs`` and their offsets, numbered by a dictionary.

        Units are numbered in order of first sight, after those numbered before:
        ``dict.fromkeys`` finds the distinct ones in that order, then every unit is looked up
        (a new unit costs no call of its own).
        """
        split = self.split
        tokens = [split(doc) for doc in docs]
        offsets = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in tokens], out=offsets[1:])
        numbers = self.numbers
        for unit in dict.fromkeys(itertools.chain.from_iterable(tokens)):
            if unit not in numbers:
                numbers[unit] = len(numbers)
        units = np.fromiter(
            map(numbers.__getitem__, itertools.chain.from_iterable(tokens)),
            dtype=np.int64,
            count=int(offsets[-1]),
        )
        self._names = list(numbers)
        self._n_units = len(self._names)
        return units, offsets

    def _number_compiled(
        self, docs: Sequence[Any]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        from storymatch._kernels import number_words, place_units  # noqa: PLC0415

        table = _word_table()
        # the stop words that can be words are numbered first, below n_skip (the others are
        # never a word); then every word in order of first sight
        stop = " ".join(w for w in self.numbers if _is_one_word(w, table))
        codes = np.frombuffer(stop.encode("utf-32-le"), dtype=np.uint32)
        state: tuple[Any, ...] = (
            np.full(1 << 16, -1, dtype=np.int64),  # slots
            np.zeros(1 << 14, dtype=np.uint64),  # hashes
            np.zeros((1 << 14) + 1, dtype=np.int64),  # bounds
            np.zeros(1 << 16, dtype=np.uint32),  # pool
            0,  # n_words
        )
        *_, n_skip = state = tuple(
            number_words(codes, np.array([0, len(stop)], dtype=np.int64), table, *state)[3:]
        )
        parts: list[npt.NDArray[np.int64]] = []
        lengths = np.zeros(len(docs), dtype=np.int64)
        other: list[int] = []
        first = 0
        while first < len(docs):
            batch: list[str] = []
            size = 0
            while first + len(batch) < len(docs) and (size < _BATCH_CHARS or not batch):
                doc = docs[first + len(batch)]
                if not isinstance(doc, str):
                    other.append(first + len(batch))
                    doc = ""
                batch.append(doc)
                size += len(doc)
            codes = np.frombuffer("".join(batch).encode("utf-32-le", "surrogatepass"), np.uint32)
            ends = np.zeros(len(batch) + 1, dtype=np.int64)
            np.cumsum([len(doc) for doc in batch], out=ends[1:])
            units, unit_offsets, simple, *rest = number_words(codes, ends, table, *state)
            state = tuple(rest)
            parts.append(units)
            lengths[first : first + len(batch)] = np.diff(unit_offsets)
            other.extend((first + np.flatnonzero(~simple)).tolist())
            first += len(batch)
        _, _, bounds, pool, n_words = state
        self.n_skip = n_skip
        text = pool[: bounds[n_words]].tobytes().decode("utf-32-le")
        starts = bounds[: n_words + 1].tolist()
        self._names = [text[a:b] for a, b in itertools.pairwise(starts)]
        units = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        if other:  # read by the pattern, numbered by a dictionary of the kernel's words
            other = sorted(set(other))
            self.numbers = defaultdict()
            self.numbers.default_factory = self.numbers.__len__
            for word in self._names:
                self.numbers[word]  # numbered on lookup, as the kernel numbered it
            found, found_offsets = self._number_split([docs[i] for i in other])
            placed = np.zeros(len(docs) + 1, dtype=np.int64)
            kernel_lengths = lengths.copy()
            kernel_lengths[other] = 0
            lengths[other] = np.diff(found_offsets)
            np.cumsum(lengths, out=placed[1:])
            out = np.empty(placed[-1], dtype=np.int64)
            kernel_offsets = np.zeros(len(docs) + 1, dtype=np.int64)
            np.cumsum(kernel_lengths, out=kernel_offsets[1:])
            everyone = np.arange(len(docs), dtype=np.int64)
            place_units(units, kernel_offsets, everyone, kernel_lengths, placed, out)
            place_units(found, found_offsets, np.array(other, dtype=np.int64),
                        np.diff(found_offsets), placed, out)  # fmt: skip
            self._n_units = len(self.numbers)
            return out, placed
        self._n_units = n_words
        offsets = np.zeros(len(docs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return units, offsets

    def sorted_terms(
        self, keys: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], list[str]] | None:
        """Return the order that sorts the terms of column keys, and the terms in that order.

        For the token pattern's words and bigrams only (None otherwise). Their words hold word
        characters alone, all above the space that joins a bigram's two, so the terms sort as
        pairs of their words' ranks (a word before its bigrams, ``"a"`` < ``"a b"`` <
        ``"a c"`` < ``"ab"``): only the distinct words are sorted as strings, and each
        term's column comes from that order, not from a dictionary lookup per term.
        """
        if not self.compiled:
            return None
        n = self.n_units
        word = keys < n
        first = np.where(word, keys, (keys - n) // n)
        second = np.where(word, 0, (keys - n) % n)
        is_used = np.zeros(max(n, 1), dtype=bool)
        is_used[first] = True
        is_used[second[~word]] = True
        used = np.flatnonzero(is_used)
        names = self._names
        used_words = [names[w] for w in used.tolist()]
        rank = np.zeros(max(n, 1), dtype=np.int64)
        by_word = np.array(sorted(range(len(used_words)), key=used_words.__getitem__), np.int64)
        rank[used[by_word]] = np.arange(1, len(used_words) + 1, dtype=np.int64)
        # a term's place: its first word's rank, then its second's (0: none, a word alone)
        place = rank[first] * (len(used_words) + 1) + np.where(word, 0, rank[second])
        order = np.argsort(place)  # the places are distinct: any sort gives one order
        return order, self.terms(keys[order])

    def terms(self, keys: npt.NDArray[np.int64]) -> list[str]:
        """Return the terms of column keys (see :func:`storymatch._kernels.count_terms`)."""
        n, names = self.n_units, self._names
        if not self.bigrams:  # every key is a unit's number
            return [names[k] for k in keys.tolist()]
        word = keys < n
        first = np.where(word, keys, (keys - n) // n).tolist()
        second = np.where(word, -1, (keys - n) % n).tolist()
        return [
            names[a] if b < 0 else f"{names[a]} {names[b]}"
            for a, b in zip(first, second, strict=True)
        ]


def fit_tfidf(vectorizer: Any, docs: Sequence[Any]) -> Any:
    """Fit ``vectorizer`` on ``docs`` and return their TF-IDF rows.

    Parameters
    ----------
    vectorizer : sklearn.feature_extraction.text.TfidfVectorizer
        Unfitted; its vocabulary must be learnt (no ``vocabulary``), with no ``max_features``
        and a ``max_df`` of 1.0 (what the event stage uses).
    docs : sequence of str, or of token lists
        The documents, as the vectorizer's analyzer reads them (token lists for a callable
        analyzer that returns them as they are).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``vectorizer.fit_transform(docs)``, bit for bit.

    Raises
    ------
    ValueError
        As ``fit_transform`` does: no term left (``"empty vocabulary"`` or after ``min_df``).

    Examples
    --------
    >>> from sklearn.feature_extraction.text import TfidfVectorizer
    >>> docs = ["the bridge fell", "a bridge fell down", "rates rose"]
    >>> fit_tfidf(TfidfVectorizer(), docs).shape
    (3, 6)
    """
    from storymatch._kernels import count_terms  # noqa: PLC0415 - compiled on first use

    started = time.perf_counter()
    units = _Units(vectorizer)
    numbers, offsets = units.number(docs)
    indptr, columns, counts, keys = count_terms(
        numbers, offsets, units.n_skip, units.n_units, units.bigrams
    )
    if keys.shape[0] == 0:
        msg = "empty vocabulary; perhaps the documents only contain stop words"
        raise ValueError(msg)
    counted = time.perf_counter()
    rows = _weighted(
        vectorizer,
        (indptr, columns, counts),
        lambda c: units.terms(keys[c]),
        lambda c: units.sorted_terms(keys[c]),
    )
    logger.debug(
        "tfidf: %d docs counted %.2fs, %d of %d terms kept, sorted and weighted %.2fs",
        len(docs),
        counted - started,
        len(vectorizer.vocabulary_),
        keys.shape[0],
        time.perf_counter() - counted,
    )
    return rows


@dataclass(frozen=True, slots=True, eq=False)  # arrays: compare lists() instead
class CodedTokens:
    """Token lists as codes: list ``i`` is ``[words[c] for c in codes[offsets[i]:offsets[i + 1]]]``.

    Each distinct word has one code (its place in ``words``). Token lists found in a worker
    process travel as these (a few arrays and each word once, not every token's string), and
    :func:`fit_tfidf_coded` counts them without a dictionary lookup per token.
    """

    words: list[str]
    codes: npt.NDArray[np.int64]
    offsets: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.offsets.shape[0]) - 1

    def lists(self) -> list[list[str]]:
        """Return the token lists."""
        words, codes, ends = self.words, self.codes.tolist(), self.offsets.tolist()
        return [[words[c] for c in codes[a:b]] for a, b in itertools.pairwise(ends)]


def code_tokens(lists: Sequence[Sequence[str]]) -> CodedTokens:
    """Return token lists as :class:`CodedTokens` (words coded in order of first sight).

    Examples
    --------
    >>> coded = code_tokens([["b", "a", "b"], [], ["c"]])
    >>> coded.words, coded.codes.tolist(), coded.offsets.tolist()
    (['b', 'a', 'c'], [0, 1, 0, 2], [0, 3, 3, 4])
    >>> coded.lists()
    [['b', 'a', 'b'], [], ['c']]
    """
    words = list(dict.fromkeys(itertools.chain.from_iterable(lists)))
    numbering = dict(zip(words, range(len(words)), strict=True))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(tokens) for tokens in lists], out=offsets[1:])
    codes = np.fromiter(
        map(numbering.__getitem__, itertools.chain.from_iterable(lists)),
        dtype=np.int64,
        count=int(offsets[-1]),
    )
    return CodedTokens(words, codes, offsets)


def join_coded(parts: Sequence[CodedTokens], rows: npt.NDArray[np.int64]) -> CodedTokens:
    """Return list ``rows[j]`` of ``parts`` (their lists end to end) as list ``j``, coded once.

    Examples
    --------
    >>> parts = [code_tokens([["x"], ["y", "x"]]), code_tokens([["y", "z"]])]
    >>> join_coded(parts, np.array([2, 0])).lists()
    [['y', 'z'], ['x']]
    """
    # every part's words end to end, each coded by its first place: C loops, no call per word
    every = [word for part in parts for word in part.words]
    words = list(dict.fromkeys(every))
    numbering = dict(zip(words, range(len(words)), strict=True))
    recoded = np.fromiter(map(numbering.__getitem__, every), dtype=np.int64, count=len(every))
    word_ends = list(itertools.accumulate((len(part.words) for part in parts), initial=0))
    codes = [  # each part's codes, as codes of the words of all parts
        recoded[word_ends[k] : word_ends[k + 1]][part.codes] for k, part in enumerate(parts)
    ]
    starts = np.concatenate(
        [part.offsets[:-1] + shift for part, shift in zip(parts, _ends(parts), strict=True)]
    )
    lengths = np.concatenate([np.diff(part.offsets) for part in parts])[rows]
    offsets = np.zeros(rows.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # every token of the chosen lists, by its place among all the parts' tokens
    places = np.repeat(starts[rows] - offsets[:-1], lengths) + np.arange(offsets[-1])
    joined = np.concatenate(codes)[places] if codes else np.empty(0, dtype=np.int64)
    return CodedTokens(words, joined, offsets)


def _ends(parts: Sequence[CodedTokens]) -> list[int]:
    """Return where each part's tokens start among all the parts' tokens, end to end."""
    return list(itertools.accumulate((int(part.offsets[-1]) for part in parts[:-1]), initial=0))


def fit_tfidf_coded(vectorizer: Any, tokens: CodedTokens) -> Any:
    """:func:`fit_tfidf` of coded token lists, for a vectorizer that reads token lists as they are.

    Parameters
    ----------
    vectorizer : sklearn.feature_extraction.text.TfidfVectorizer
        Unfitted, with a callable ``analyzer`` that returns a token list as it is, and the
        other requirements of :func:`fit_tfidf`.
    tokens : CodedTokens
        The documents.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``vectorizer.fit_transform(tokens.lists())``, bit for bit.

    Raises
    ------
    ValueError
        As ``fit_transform`` does, when no list holds a token.
    """
    from storymatch._kernels import count_terms  # noqa: PLC0415 - compiled on first use

    n_words = len(tokens.words)
    # columns in order of first sight, whatever the codes: the order fit_transform gives
    indptr, columns, counts, keys = count_terms(tokens.codes, tokens.offsets, 0, n_words, False)
    if keys.shape[0] == 0:
        msg = "empty vocabulary; perhaps the documents only contain stop words"
        raise ValueError(msg)
    words = tokens.words
    return _weighted(
        vectorizer, (indptr, columns, counts), lambda c: [words[k] for k in keys[c].tolist()]
    )


def _weighted(
    vectorizer: Any,
    counted: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]],
    terms: Callable[[npt.NDArray[np.int64]], list[str]],
    sorted_terms: _SortedTerms | None = None,
) -> Any:
    """Return the TF-IDF rows of counted terms and fit ``vectorizer`` (see :func:`fit_tfidf`)."""
    from sklearn.feature_extraction.text import TfidfTransformer  # noqa: PLC0415

    matrix, vocabulary = _limit_and_sort(
        counted, terms, vectorizer.min_df, vectorizer.dtype, sorted_terms
    )
    transformer = TfidfTransformer(
        norm=vectorizer.norm,
        use_idf=vectorizer.use_idf,
        smooth_idf=vectorizer.smooth_idf,
        sublinear_tf=vectorizer.sublinear_tf,
    ).fit(matrix)
    vectorizer.vocabulary_ = vocabulary
    vectorizer.idf_ = transformer.idf_
    return transformer.transform(matrix, copy=False)


def _limit_and_sort(
    counted: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]],
    terms: Callable[[npt.NDArray[np.int64]], list[str]],
    min_df: int,
    dtype: Any,
    sorted_terms: _SortedTerms | None = None,
) -> tuple[Any, dict[str, int]]:
    """Drop the terms of fewer than ``min_df`` documents, then number the columns by term.

    The steps of scikit-learn's ``CountVectorizer.fit_transform`` (``_limit_features`` with
    ``max_df=1.0``, then ``_sort_features``), in its order, so the rows keep its entry order
    (sorted by first sight). ``counted`` is :func:`storymatch._kernels.count_terms`'s CSR
    ``indptr``, ``columns`` and ``counts`` (columns in order of first sight, unsorted in a
    row); ``terms`` names its columns; only the kept ones are named. ``sorted_terms``, where
    it gives them (see :meth:`_Units.sorted_terms`), names them in sorted order with the order.
    """
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

    from storymatch._kernels import kept_rows  # noqa: PLC0415 - compiled on first use

    indptr, columns, counts = counted
    document_frequency = np.bincount(columns)  # a row lists a column once
    keep = document_frequency >= min_df
    kept = np.flatnonzero(keep)
    if kept.shape[0] == 0:
        msg = "After pruning, no terms remain. Try a lower min_df or a higher max_df."
        raise ValueError(msg)
    position = np.full(document_frequency.shape[0], -1, dtype=np.int64)  # -1: dropped
    ordered = sorted_terms(kept) if sorted_terms is not None else None
    if ordered is not None:
        order, names = ordered
        vocabulary = dict(zip(names, range(len(names)), strict=True))
        position[kept[order]] = np.arange(len(names), dtype=np.int64)
    else:
        names = terms(kept)
        # the terms are distinct: sorted, each one's place is its column
        vocabulary = dict(zip(sorted(names), range(len(names)), strict=True))
        position[kept] = np.fromiter(map(vocabulary.__getitem__, names), np.int64, len(names))
    # one compiled pass instead of scipy's sort_indices and a mask over every entry
    ends, kept_columns, kept_counts = kept_rows(indptr, columns, counts, position)
    matrix = csr_matrix(
        (kept_counts.astype(dtype), kept_columns, ends),
        shape=(indptr.shape[0] - 1, len(names)),
    )
    return matrix, vocabulary
