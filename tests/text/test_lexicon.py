"""Tests for storymatch.text.lexicon: the one vocabulary, pinned (its words change outputs)."""

from __future__ import annotations

import calendar

import pytest

from storymatch.text import lexicon


def test_month_and_weekday_tables_agree_with_the_calendar() -> None:
    assert tuple(m.lower() for m in calendar.month_name[1:]) == lexicon.MONTH_NAMES
    assert tuple(d.lower() for d in calendar.day_name) == lexicon.WEEKDAY_NAMES
    assert set(lexicon.MONTH_NUMBERS) == lexicon.MONTH_WORDS
    for word, month in lexicon.MONTH_NUMBERS.items():
        assert lexicon.MONTH_NAMES[month - 1].startswith(word)
    assert "may" not in lexicon.MONTH_ABBREVIATIONS
    assert lexicon.MONTH_NUMBERS["sept"] == lexicon.MONTH_NUMBERS["sep"] == 9


@pytest.mark.parametrize(
    ("name", "size"),
    [
        pytest.param("STOP_WORDS", 86, id="base"),
        pytest.param("MORE_FUNCTION_WORDS", 33, id="more"),
        pytest.param("NOT_NAME_WORDS", 172, id="not-names"),
        pytest.param("ALIGNMENT_STOP_WORDS", 96, id="alignment"),
        pytest.param("CLAIM_STOP_WORDS", 153, id="claims"),
        pytest.param("DATING_WORDS", 28, id="dating"),
        pytest.param("MONTH_WORDS", 24, id="months"),
        pytest.param("WEEKDAY_WORDS", 17, id="weekdays"),
        pytest.param("NAME_JOINERS", 9, id="name-joiners"),
    ],
)
def test_sizes_are_pinned(name: str, size: int) -> None:
    # A changed size changes event names, datelines or claims: update it on purpose only.
    assert len(getattr(lexicon, name)) == size


def test_every_stop_list_is_built_on_the_base() -> None:
    for derived in (
        lexicon.NOT_NAME_WORDS,
        lexicon.ALIGNMENT_STOP_WORDS,
        lexicon.CLAIM_STOP_WORDS,
    ):
        assert derived >= lexicon.STOP_WORDS
    assert lexicon.MONTH_WORDS <= lexicon.NOT_NAME_WORDS
    assert "said" in lexicon.ALIGNMENT_STOP_WORDS
    assert "said" not in lexicon.NOT_NAME_WORDS
    assert all(w == w.lower() for w in lexicon.CLAIM_STOP_WORDS)


def test_all_is_sorted_and_complete() -> None:
    public = {n for n in vars(lexicon) if n.isupper() and not n.startswith("_")}
    assert lexicon.__all__ == sorted(lexicon.__all__)
    assert set(lexicon.__all__) == public
