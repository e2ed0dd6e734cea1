"""The compiled keys of sentences that are not ASCII (issue 14, speed): fold_key's, exactly.

A body that is not ASCII (``£``, mojibake ``Â``, accented names, curly quotes) is split and
folded in one compiled call (``_wide_sentences``) where each of its characters folds alone
(``_wide_fold``). The oracle is the Python path it replaces: ``line_spans`` and ``fold_key``
per sentence (``_keyed_sentences``), on generated texts, on every character of the table's
blocks and on the shared real data.
"""

from __future__ import annotations

import random
import sys
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import shared_data
from tests.strategies import any_text, splitter_texts

from storymatch.dedup import copies
from storymatch.dedup.copies import fold_key
from storymatch.text.sentences import line_spans


def _oracle(text: str) -> list[tuple[object, ...]]:
    return [tuple(s) for s in copies._keyed_sentences(text, text, line_spans(text).tolist())]


def _wide(text: str) -> list[tuple[object, ...]]:
    return [tuple(s) for s in copies._wide_sentences(text, text)]


def _compiled(text: str) -> bool:
    """Whether the compiled path reads ``text`` (every character in the table)."""
    _, lengths = copies._wide_fold()
    return all(ord(c) < len(lengths) and lengths[ord(c)] >= -1 for c in text)


# characters the table folds (accents, mojibake, currency, quotes, dashes, ligature letters)
# and some it leaves to fold_key (combining marks, CJK, Hangul vowels, a spacing accent)
_FOLDED = (
    "£Âéüß»«¿¡ÅåÆøÐþ\xa0\xad\x85ĲŉǅǈΣςΐ\u0410яẞờ\u2018\u2019\u201c\u201d\u2013\u2014\u2026€\u2028"
)
_LEFT = "\u0301\u0327中文\u1161\u0b3e\u00b4\u3002\uff01\ufb01"


@st.composite
def wide_texts(draw: st.DrawFn, *, extra: str = "") -> str:
    # the splitter's text, its characters outside the table made letters unless asked for
    base = draw(splitter_texts())
    chars = [c if extra or _compiled(c) else "x" for c in base]
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(chars)))
        chars.insert(at, draw(st.sampled_from(_FOLDED + extra)))
    return "".join(chars)


@given(wide_texts())
@settings(max_examples=600)
def test_compiled_keys_are_fold_keys(text: str) -> None:
    assert _compiled(text)
    assert _wide(text) == _oracle(text)


@given(st.one_of(wide_texts(extra=_LEFT), any_text()))
@settings(max_examples=400)
def test_any_text_reads_as_before(text: str) -> None:
    assert _wide(text) == _oracle(text)


def test_the_table_folds_each_character_as_fold_key_does() -> None:
    fold, lengths = copies._wide_fold()
    assert (lengths[:128] >= -1).all()
    n_folded = 0
    for code in range(len(lengths)):
        char = chr(code)
        if lengths[code] == -1:
            assert char.isspace()
            assert fold_key(char) == ""
        elif lengths[code] >= 0:
            n_folded += 1
            assert "".join(map(chr, fold[code, : lengths[code]])) == fold_key(char), hex(code)
            assert not char.isspace()
    assert n_folded > 1000  # Latin, Greek, Cyrillic, punctuation


def test_characters_that_fold_alone_fold_alone_beside_any() -> None:
    # each folded character between others (ASCII, folded ones, combining marks, the ones left
    # to fold_key): its fold is the same as alone, or the neighbour is one left to fold_key
    _, lengths = copies._wide_fold()
    folded = [chr(c) for c in range(len(lengths)) if lengths[c] >= -1]
    rng = random.Random(14)
    neighbours = [*"aeiouAcC01 .'-", *_FOLDED, *rng.sample(folded, 200)]
    for char in folded:
        for other in neighbours:
            assert fold_key(char + other) == fold_key(char) + fold_key(other), (char, other)
            assert fold_key(other + char) == fold_key(other) + fold_key(char), (other, char)
    # and a combining mark after one: composed into it, so the text is left to fold_key
    assert fold_key("e\u0301") != fold_key("e") + fold_key("\u0301")
    assert not _compiled("e\u0301")


def test_composing_starters_lie_in_the_listed_ranges() -> None:
    # every starter that composes with the character before it (NFC): the ranges that
    # _folds_alone refuses as the first of a character's decomposition hold them all
    found = []
    for code in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(code))
        if not decomposition or decomposition.startswith("<"):
            continue
        parts = [int(p, 16) for p in decomposition.split()]
        if (
            len(parts) == 2
            and not unicodedata.combining(chr(parts[1]))
            and unicodedata.normalize("NFC", chr(parts[0]) + chr(parts[1])) == chr(code)
        ):
            found.append(parts[1])
    found.extend([*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)])  # Hangul, by rule
    assert found
    for code in found:
        assert any(lo <= code < hi for lo, hi in copies._COMPOSING_STARTERS), hex(code)


def test_mojibake_pound_and_curly_quotes_take_the_compiled_path() -> None:
    text = (
        "Rates rose to \xc2\xa35m. \u201cIt was Z\u00fcrich,\u201d she said.\n"
        "Gro\u00dfe Stra\u00dfe."
    )
    assert _compiled(text)
    got = copies._wide_sentences(text, text)
    assert [s.key for s in got] == [fold_key(s.text) for s in got]
    assert [s.key for s in got][-1] == "grossestrasse"
    assert [s.paragraph for s in got] == [0, 0, 1]


_DOCS = ("basil/docs.jsonl", "ecbplus/docs.jsonl", "news_pool/docs.jsonl.gz")


@pytest.mark.parametrize("relative", [*_DOCS, "syndication/docs.jsonl.gz"])
def test_real_texts_read_as_before(relative: str) -> None:
    wide = [t for t in shared_data.record_texts(relative) if not t.isascii()]
    assert wide
    compiled = 0
    for text in wide:
        compiled += _compiled(text)
        assert _wide(text) == _oracle(text), text[:200]
    assert compiled


def test_the_warm_up_loads_the_wide_kernels() -> None:
    from storymatch import _kernels

    copies._load_kernels()
    assert _kernels.wide_sentence_keys.signatures
    assert _kernels.fold_wide_sentences.signatures
    loaded = (
        len(_kernels.wide_sentence_keys.signatures),
        len(_kernels.fold_wide_sentences.signatures),
    )
    # a Latin-1 body and one beyond it, with lines left to the regexes: nothing new to load
    for text in (
        "Rates rose to \xc2\xa35m \xbbhere\xab. Then fell.",
        "\u201cIt rained.\u201d \xa35",
    ):
        copies._wide_sentences(text, text)
    assert loaded == (
        len(_kernels.wide_sentence_keys.signatures),
        len(_kernels.fold_wide_sentences.signatures),
    )
    assert np.asarray(copies._wide_fold()[1]).dtype == np.int8
