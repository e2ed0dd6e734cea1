"""The token reading of the text stage: tokens, their keys, and the diff over them."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st
from tests.text.oracles import old_token_opcodes

from storymatch.text import tokens
from storymatch.text.tokens import (
    NUM,
    PUNCT,
    WORD,
    key_opcodes,
    token_keys,
    token_opcodes,
    tokenize,
)


def test_token_keys_are_the_keys_kinds_and_spans_of_the_tokens() -> None:
    text = "Police said, \u201c1,200 people\u201d fled."
    found = token_keys(text)
    assert found.keys == ("police", "said", ",", '"', "1200", "people", '"', "fled", ".")
    assert found.kinds == (WORD, WORD, PUNCT, PUNCT, NUM, WORD, PUNCT, WORD, PUNCT)
    assert [text[a:b] for a, b in zip(found.starts, found.ends, strict=True)] == [
        "Police",
        "said",
        ",",
        "\u201c",
        "1,200",
        "people",
        "\u201d",
        "fled",
        ".",
    ]


@given(st.text(max_size=80))
def test_token_keys_agree_with_tokenize(text: str) -> None:
    tokens = tokenize(text)
    found = token_keys(text)
    assert found.keys == tuple(t.key for t in tokens)
    assert found.kinds == tuple(t.kind for t in tokens)
    assert found.starts == tuple(t.start for t in tokens)
    assert found.ends == tuple(t.end for t in tokens)


def test_token_opcodes_split_punctuation_off_a_replaced_word() -> None:
    ops = token_opcodes("Police said 12 people", "Police said, 15 people")
    assert [op[0] for op in ops] == ["equal", "insert", "replace", "equal"]


# The compiled paths against the code they replace, kept here as the oracle: the token regex
# (still what reads non-ASCII text) and difflib's SequenceMatcher.

_TRICKY = "aAsStThndrx09$%'.,:_-\"? \t\n\x1c"
_PIECES = (
    "U.S.", "US$5", "A$4.56", "USD$5", "$2.5", "1,200", "1,2,3", "3.5%", "10:30", "21st",
    "2nds", "5th_", "1990s", "it's", "it'sx", "O'Brien's", "rock'n'roll", "don'", "p.m.", "a.b",
)  # fmt: skip


_ascii_texts = st.one_of(
    st.text(alphabet=_TRICKY, max_size=40),
    st.lists(st.sampled_from(_PIECES + tuple(_TRICKY)), max_size=12).map("".join),
    st.text(alphabet=st.characters(max_codepoint=127), max_size=40),
)


@given(_ascii_texts)
def test_the_ascii_scanner_finds_the_tokens_the_regex_finds(text: str) -> None:
    assert tokens._ascii_token_keys(text) == tokens._regex_token_keys(text)


def test_the_ascii_scanner_reads_prefixed_amounts_abbreviations_and_apostrophes() -> None:
    text = "US$5 and USD$5 in the U.S. on the 21st, 2nds; it's O'Brien's rock'n'roll 5th_ 1,200"
    found = tokens._ascii_token_keys(text)
    assert found == tokens._regex_token_keys(text)
    words = [text[a:b] for a, b in zip(found.starts, found.ends, strict=True)]
    assert words == [
        "US$5", "and", "USD", "$5", "in", "the", "U.S.", "on", "the", "21st", ",", "2",
        "nds", ";", "it", "'s", "O'Brien", "'s", "rock'n'roll", "5", "th", "_", "1,200",
    ]  # fmt: skip
    assert found.keys[0] == "us$5"
    assert found.keys[-1] == "1200"
    assert found.kinds[:4] == (NUM, WORD, WORD, NUM)


@given(
    st.integers(1, 6).flatmap(
        lambda size: st.tuples(
            st.lists(st.integers(0, size), max_size=30), st.lists(st.integers(0, size), max_size=30)
        )
    )
)
def test_key_opcodes_are_difflibs_opcodes(pair: tuple[list[int], list[int]]) -> None:
    a, b = pair
    want = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert key_opcodes(a, b) == want


@given(st.lists(st.sampled_from((*_PIECES, "the", "said", "12", "15", ",", ".")), max_size=20))
def test_key_opcodes_match_difflib_on_an_edited_copy(words: list[str]) -> None:
    edited = [w for i, w in enumerate(words) if i % 3] + ["the", "15"] + words[:4]
    want = difflib.SequenceMatcher(None, words, edited, autojunk=False).get_opcodes()
    assert key_opcodes(words, edited) == want


@given(_ascii_texts, _ascii_texts)
def test_token_opcodes_are_those_of_the_regex_and_difflib(a: str, b: str) -> None:
    assert token_opcodes(a, b) == old_token_opcodes(a, b)


def test_token_opcodes_of_sentences_with_repeated_words_are_difflibs() -> None:
    a = "The the police said 12 people, the police said, were hurt in the the blast."
    b = "Police said 15 people were hurt; the police said the blast was the the worst."
    assert token_opcodes(a, b) == old_token_opcodes(a, b)
    assert token_opcodes("Café owners said 12", "Cafe owners said 15") == old_token_opcodes(
        "Café owners said 12", "Cafe owners said 15"
    )
