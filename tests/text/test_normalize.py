"""Tests for storymatch.text.normalize."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.strategies import any_text, news_texts, word_texts

from storymatch.text.normalize import fold_unicode, normalize


@given(st.one_of(any_text(), news_texts(), word_texts()), st.booleans())
# Deleting an invisible character (zero-width space, soft hyphen) can bring a base character
# and a combining mark together, so the result is no longer NFKC: a second pass composes them.
@example("e\u200b\u0301", True)
@example("e\u00ad\u0301", False)
@example("\u1100\u200b\u1161", True)  # Hangul jamo L + V compose to a syllable
def test_normalize_is_idempotent(text: str, casefold: bool) -> None:
    once = normalize(text, casefold=casefold)
    assert normalize(once, casefold=casefold) == once


@given(st.one_of(any_text(), news_texts()))
def test_normalize_output_shape(text: str) -> None:
    out = normalize(text)
    assert out == out.strip()
    assert "\r" not in out
    assert "\t" not in out
    assert "  " not in out
    assert "\n\n\n" not in out
    assert " \n" not in out
    assert "\n " not in out
    for invisible in "\u00ad\u200b\u200c\u200d\u2060\ufeff":
        assert invisible not in out


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("\u201cQuoted\u201d text", '"quoted" text', id="curly-double-quotes"),
        pytest.param("It\u2019s \u2018fine\u2019", "it's 'fine'", id="curly-single-quotes"),
        pytest.param(
            "\u201eLow\u201c and \u00abguillemets\u00bb",
            '"low" and "guillemets"',
            id="low-9-and-guillemets",
        ),
        pytest.param("a \u2014 b \u2013 c \u2212 d \u2010e", "a - b - c - d -e", id="dashes"),
        pytest.param("non\u00a0breaking\u202fspaces", "non breaking spaces", id="nbsp"),
        pytest.param("\uff34\uff45\uff58\uff54 \uff11\uff12\uff13", "text 123", id="full-width"),
        pytest.param("\ufb01nance \ufb02ow", "finance flow", id="ligatures"),
        pytest.param("co\u00adop\u00aderation", "cooperation", id="soft-hyphen"),
        pytest.param("zero\u200bwidth\u200d\ufeffjoin", "zerowidthjoin", id="zero-width"),
        pytest.param("line one\r\nline two\r\n", "line one\nline two", id="crlf"),
        pytest.param("line one\rline two\r", "line one\nline two", id="cr"),
        pytest.param("para one\r\n\r\npara two", "para one\n\npara two", id="crlf-blank-line"),
        pytest.param("para one\n\n\n\n\npara two", "para one\n\npara two", id="blank-line-run"),
        pytest.param("a \n \n \n b", "a\n\nb", id="blank-lines-with-spaces"),
        pytest.param("tabs\tand   spaces", "tabs and spaces", id="tabs-and-space-runs"),
        pytest.param("  padded  \n", "padded", id="strip"),
        pytest.param("line\u2028sep\u2029para", "line\nsep\npara", id="unicode-line-separators"),
        pytest.param("Stra\u00dfe GROSS", "strasse gross", id="casefold-sharp-s"),
        pytest.param("Cafe\u0301", "caf\u00e9", id="nfkc-composes"),
        pytest.param("", "", id="empty"),
        pytest.param(" \n\t\u00a0 ", "", id="whitespace-only"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("\u201cHello\u201d \u2014 World", '"Hello" - World', id="keeps-case"),
        pytest.param("\uff21\uff22\uff23", "ABC", id="nfkc-still-applies"),
        pytest.param("Stra\u00dfe", "Stra\u00dfe", id="no-sharp-s-folding"),
        pytest.param("Two  Spaces\r\n", "Two Spaces", id="spaces-and-crlf"),
    ],
)
def test_normalize_without_casefold(raw: str, expected: str) -> None:
    assert normalize(raw, casefold=False) == expected


def test_normalize_docstring_example() -> None:
    assert (
        normalize("\u201cQuoted\u201d \u2014 Text\u00a0with   SPACES")
        == '"quoted" - text with spaces'
    )


@given(any_text())
def test_fold_unicode_is_nfkc_of_casefold(text: str) -> None:
    import unicodedata

    expected = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    assert fold_unicode(text) == expected
    assert fold_unicode(text, casefold=False) == unicodedata.normalize("NFKC", text)
