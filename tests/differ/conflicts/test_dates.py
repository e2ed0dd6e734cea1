"""Date conflicts (storymatch.differ.conflicts.dates)."""

from __future__ import annotations

import pytest
from tests.differ.conflicts.support import flags, kinds


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "Police said 12 people were killed on Monday.",
            "Police said 12 people were killed on Tuesday.",
            ("Monday",),
            ("Tuesday",),
            id="weekday",
        ),
        pytest.param(
            "The attack happened on March 3.",
            "The attack happened on March 4.",
            ("March 3",),
            ("March 4",),
            id="month-day",
        ),
        pytest.param(
            "The attack happened on 3 March.",
            "The attack happened on 4 March.",
            ("3 March",),
            ("4 March",),
            id="day-month",
        ),
        pytest.param(
            "Voting closes on Sept. 7 at noon.",
            "Voting closes on Sept. 9 at noon.",
            ("Sept. 7",),
            ("Sept. 9",),
            id="abbreviated-month",
        ),
        pytest.param(
            "The law took effect 2024-03-03 nationwide.",
            "The law took effect 2024-03-04 nationwide.",
            ("2024-03-03",),
            ("2024-03-04",),
            id="iso",
        ),
        pytest.param(
            "He joined the firm in 1998.",
            "He joined the firm in 1999.",
            ("1998",),
            ("1999",),
            id="year",
        ),
        pytest.param(
            "The law took effect in March.",
            "The law took effect in April.",
            ("March",),
            ("April",),
            id="month",
        ),
        pytest.param(
            "On Monday, the government announced new taxes.",
            "On Tuesday, the government announced new taxes.",
            ("Monday",),
            ("Tuesday",),
            id="sentence-date",
        ),
        pytest.param(
            "Mark Felt, the informant known as Deep Throat, died on Friday.",
            "W. Mark Felt, who became Deep Throat, died on Thursday.",
            ("Friday",),
            ("Thursday",),
            id="died-on",
        ),
    ],
)
def test_date_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "date"] == [
        (left_words, right_words)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("It happened on 3 March.", "It happened on March 3.", id="same-day"),
        pytest.param("It happened on Monday.", "It happened on Monday night.", id="same-weekday"),
        pytest.param("It happened yesterday.", "It happened on Monday.", id="relative"),
        pytest.param("It happened on March 3.", "It happened in March.", id="granularity"),
        pytest.param(
            "Police said on Monday the attack was on Sunday.",
            "The attack was on Sunday, police said.",
            id="statement-date",
        ),
        pytest.param(
            "A man was charged on Saturday after the shooting.",
            "A man has been charged after a shooting at a party on Friday.",
            id="different-events",
        ),
        pytest.param(
            "Black Friday sales were strong.", "Cyber Monday sales were strong.", id="names"
        ),
        pytest.param("Theresa May said no.", "Theresa May told them no.", id="may-the-name"),
        pytest.param("SQL Server 2000 ships.", "SQL Server 2005 ships.", id="version"),
        pytest.param(
            "The firm restated its 2002, 2001 and 2000 results.",
            "The firm restated its 2000, 2001 and 2002 results.",
            id="reordered-years",
        ),
        pytest.param("It happened on Monday.", "It happened.", id="one-side"),
        pytest.param(
            "It happened on Monday and again on Monday.",
            "It happened on Monday.",
            id="repeated-date",
        ),
    ],
)
def test_date_agreements(left: str, right: str) -> None:
    assert "date" not in kinds(left, right)
