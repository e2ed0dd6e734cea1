"""The token reading of the text stage: tokens, their keys, and the diff over them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from storymatch.text.tokens import NUM, PUNCT, WORD, token_keys, token_opcodes, tokenize


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
