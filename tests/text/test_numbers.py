"""The number reading of the text stage: intervals, units, pairing by what is counted."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storymatch.text.numbers import pair_quantities, quantities, read_quantities
from storymatch.text.tokens import tokenize


@pytest.mark.parametrize(
    ("text", "lo", "hi", "unit"),
    [
        pytest.param("41 vessels docked.", 41.0, 41.0, "count", id="plain"),
        pytest.param("About 40 people were hurt.", 32.0, 48.0, "count", id="about"),
        pytest.param("Between 3 and 5 boats sank.", 3.0, 5.0, "count", id="range"),
        pytest.param("It cost $2.5bn.", 2.45e9, 2.55e9, "money:$", id="money"),
    ],
)
def test_reads_amounts_as_intervals(text: str, lo: float, hi: float, unit: str) -> None:
    [q] = quantities(text)
    assert q.lo == pytest.approx(lo)
    assert q.hi == pytest.approx(hi, rel=1e-6)
    assert q.unit == unit


def test_pairs_amounts_by_what_they_count() -> None:
    old, new = "12 people were killed and 40 injured.", "15 people were killed and 40 injured."
    left, right = quantities(old), quantities(new)
    pairs = pair_quantities(left, len(tokenize(old)), right, len(tokenize(new)))
    assert sorted(pairs) == [(0, 0, True), (1, 1, False)]


def test_overlapping_intervals_agree() -> None:
    old, new = "Hundreds were evacuated.", "Several hundred were evacuated."
    left, right = quantities(old), quantities(new)
    pairs = pair_quantities(left, len(tokenize(old)), right, len(tokenize(new)))
    assert all(not differ for _, _, differ in pairs)


_AMOUNT_WORDS = (
    "a", "an", "about", "some", "nearly", "five", "twenty", "hundred", "dozens", "12", "1,200",
    "$2.5", "4.4%", "people", "were", "killed", "and", "to", "between", "the", "said", ",", ".",
)  # fmt: skip


@given(st.lists(st.sampled_from(_AMOUNT_WORDS), max_size=12).map(" ".join))
def test_quantities_skips_only_texts_where_no_token_starts_an_amount(text: str) -> None:
    assert quantities(text) == read_quantities(tokenize(text), frozenset())
