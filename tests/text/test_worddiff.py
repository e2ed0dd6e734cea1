"""The compiled word diff of ASCII texts against the code path it replaces (the oracle here)."""

from __future__ import annotations

import difflib
import itertools

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from tests.strategies import news_texts
from tests.text.oracles import old_word_diff

from storymatch import _kernels
from storymatch.models import DiffOp
from storymatch.text import tokens, worddiff
from storymatch.text.worddiff import word_diff

_WORDS = (
    "the", "The", "THE", "police", "said", "12", "15", "1,200", "1200", "$5", "US$5", "U.S.",
    "us", "it's", "'s", "a", "A", "x_y", "21st", "3.5%", ",", ".", "!", '"', "-", "--",
    "1,2", "US$1,200.50", "1,234,5678", "12,345:6", "1,200s", "A$1,2", "1.5,200", "1,200.5.6",
    "1234,567", "12,345", "$1,000,000", "0,001",
)  # fmt: skip
_NUMBER_CHARS = "0123456789,.:$%AUstndrh "


_sentences = st.lists(st.sampled_from(_WORDS), max_size=16)


@given(_sentences, st.data())
def test_word_diff_of_an_edited_sentence_is_the_old_one(
    words: list[str], data: st.DataObject
) -> None:
    edited = list(words)
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(edited)))
        if edited and data.draw(st.booleans()):
            del edited[min(at, len(edited) - 1)]
        else:
            edited.insert(at, data.draw(st.sampled_from(_WORDS)))
    a, b = " ".join(words), data.draw(st.sampled_from(("", " ", "  ", "\n"))).join(edited)
    assert word_diff(a, b) == old_word_diff(a, b)


@given(
    st.text(alphabet=st.characters(max_codepoint=127), max_size=40),
    st.text(alphabet=st.characters(max_codepoint=127), max_size=40),
)
def test_word_diff_of_any_ascii_texts_is_the_old_one(a: str, b: str) -> None:
    assert word_diff(a, b) == old_word_diff(a, b)


@given(news_texts(), news_texts())
def test_word_diff_of_news_texts_is_the_old_one(a: str, b: str) -> None:
    assert word_diff(a, b) == old_word_diff(a, b)


def test_the_compiled_path_answers_sentences_with_and_without_thousands() -> None:
    a = "Police said 12 people were hurt, the U.S. embassy said 1,200 fled."
    b = "Police said, 15 people were hurt; the US embassy said it's $5 and 1200 fled."
    assert worddiff._ascii_word_diff(a, b) == old_word_diff(a, b)
    assert worddiff._ascii_word_diff("About 1,200 fled.", "About 1200 fled.") == (
        DiffOp("equal", 0, 17, 0, 16),
    )
    assert worddiff._ascii_word_diff("", "Police said.") == ()  # the general path answers


@given(
    st.text(alphabet=_NUMBER_CHARS, max_size=30) | st.lists(st.sampled_from(_WORDS)).map(" ".join)
)
@example("1234,567 12,345 US$1,200.50th 1,2 1,2345 1,234,567:8 A$1,000s 1.5,200")
def test_the_compiled_keys_are_the_token_keys(text: str) -> None:
    codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    keys, ends = _kernels._key_bytes(codes, _kernels.ascii_tokens(codes))
    found = tuple(bytes(keys[a:b]).decode() for a, b in itertools.pairwise(ends.tolist()))
    assert found == tokens._regex_token_keys(text).keys


def _difflib_codes(a: list[int], b: list[int]) -> tuple[np.ndarray, np.ndarray, int]:
    """Number ``b``'s values ``0 ..`` and ``a``'s the same (``-1`` where ``b`` lacks one)."""
    code = {v: c for c, v in enumerate(dict.fromkeys(b))}
    codes_a = np.array([code.get(v, -1) for v in a], dtype=np.int64)
    return codes_a, np.array([code[v] for v in b], dtype=np.int64), len(code)


@given(
    st.lists(st.integers(0, 6), max_size=160),
    st.lists(st.integers(0, 6), max_size=160),
)
@example(list(range(100)), [v for x in range(100) for v in (x, 100 + x % 3)])  # 100 blocks
@example(list(range(30)), [v for x in range(30) for v in (x, 100)])  # 30 blocks: few
def test_the_compiled_opcodes_are_difflibs(a: list[int], b: list[int]) -> None:
    # up to _FEW_BLOCKS matching blocks are put in order by an insertion sort, more by argsort
    codes_a, codes_b, n_values = _difflib_codes(a, b)
    found = [tuple(op) for op in _kernels.diff_opcodes(codes_a, codes_b, n_values).tolist()]
    tags = {"equal": 0, "replace": 1, "delete": 2, "insert": 3}
    expected = [
        (tags[tag], *span)
        for tag, *span in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    ]
    assert found == expected


@given(st.lists(st.sampled_from(_WORDS), min_size=40, max_size=120), st.data())
def test_word_diff_of_long_sentences_with_repeated_words_is_the_old_one(
    words: list[str], data: st.DataObject
) -> None:
    # many tokens of few keys: long chains in the table of keys, many matching blocks
    edited = list(words)
    for _ in range(data.draw(st.integers(0, 30))):
        at = data.draw(st.integers(0, len(edited) - 1))
        if data.draw(st.booleans()):
            del edited[at]
        else:
            edited.insert(at, data.draw(st.sampled_from(_WORDS)))
    a, b = " ".join(words), " ".join(edited)
    assert word_diff(a, b) == old_word_diff(a, b)
    assert word_diff(b, a) == old_word_diff(b, a)
