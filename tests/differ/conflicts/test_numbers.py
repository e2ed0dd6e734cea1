"""Number conflicts: amounts as intervals, paired by unit (storymatch.differ.conflicts.numbers)."""

from __future__ import annotations

import pytest
from tests.differ.conflicts.support import flags, kinds


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "12 killed and 40 injured in the blast",
            "15 killed and 40 injured in the blast",
            ("12 killed",),
            ("15 killed",),
            id="paired-by-unit",
        ),
        pytest.param(
            "Police said 12 people were killed in the attack.",
            "Police said 15 people were killed in the attack.",
            ("12 people",),
            ("15 people",),
            id="people-killed",
        ),
        pytest.param(
            "The storm killed 12 people and injured 40.",
            "The storm killed 15 people and injured 40.",
            ("12 people",),
            ("15 people",),
            id="after-the-verb",
        ),
        pytest.param(
            "Rebels killed 12 villagers overnight.",
            "12 villagers were killed overnight." + " Rebels killed 14 villagers, officials said.",
            (),
            (),
            id="same-value-present-wins",
        ),
        pytest.param(
            "The deal is worth $2.5 billion.",
            "The deal is worth $1.8 billion.",
            ("$2.5 billion",),
            ("$1.8 billion",),
            id="money",
        ),
        pytest.param(
            "Shares fell 4.4% on Friday.",
            "Shares fell 4.6% on Friday.",
            ("4.4%",),
            ("4.6%",),
            id="percent",
        ),
        pytest.param(
            "Unemployment rose to 5 percent last year.",
            "Unemployment rose to 7 per cent last year.",
            ("5 percent",),
            ("7 per cent",),
            id="percent-words",
        ),
        pytest.param(
            "More than 100 people were arrested.",
            "Fewer than 50 people were arrested.",
            ("More than 100 people",),
            ("Fewer than 50 people",),
            id="bounds-that-exclude",
        ),
        pytest.param(
            "Three people died in the fire.",
            "Five people died in the fire.",
            ("Three people",),
            ("Five people",),
            id="number-words",
        ),
        pytest.param(
            "Twenty-five people were hurt in the crash.",
            "Thirty people were hurt in the crash.",
            ("Twenty-five people",),
            ("Thirty people",),
            id="compound-number-words",
        ),
        pytest.param(
            "Hundreds of people were evacuated from the town.",
            "Thousands of people were evacuated from the town.",
            ("Hundreds of people",),
            ("Thousands of people",),
            id="vague-amounts-that-exclude",
        ),
        pytest.param(
            "Dozens of people were evacuated.",
            "About 400 people were evacuated.",
            ("Dozens of people",),
            ("About 400 people",),
            id="dozens-vs-hundreds",
        ),
        pytest.param(
            "John Smith, 45, was arrested at the scene.",
            "John Smith, 46, was arrested at the scene.",
            ("45",),
            ("46",),
            id="age-in-apposition",
        ),
        pytest.param(
            "A 12-year-old boy was hurt.",
            "A 13-year-old boy was hurt.",
            ("12-year-old",),
            ("13-year-old",),
            id="age-compound",
        ),
        pytest.param(
            "The company will cut 1,200 jobs by March.",
            "The company will cut 2,100 jobs by March.",
            ("1,200 jobs",),
            ("2,100 jobs",),
            id="thousands",
        ),
        pytest.param(
            "Rebels killed 12 people, officials said.",
            "15 people were killed by rebels, officials said.",
            ("12 people",),
            ("15 people",),
            id="reordered-clause",
        ),
        pytest.param(
            "The fire destroyed 1.2 million acres.",
            "The fire destroyed 2 million acres.",
            ("1.2 million acres",),
            ("2 million acres",),
            id="scaled-decimals",
        ),
    ],
)
def test_number_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    found = [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "number"]
    assert found == ([(left_words, right_words)] if left_words else [])


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Hundreds were evacuated.", "Several hundred were evacuated.", id="vague"),
        pytest.param(
            "More than 100 people were arrested.", "Police arrested 120 people.", id="lower-bound"
        ),
        pytest.param("At least 12 people died.", "15 people died in the crash.", id="at-least"),
        pytest.param("Up to 50 homes were lost.", "40 homes were lost.", id="upper-bound"),
        pytest.param("About 100 people came.", "110 people came.", id="about"),
        pytest.param("Nearly 50 people came.", "48 people came.", id="nearly"),
        pytest.param("The firm cut 1,200 jobs.", "The firm cut 1200 jobs.", id="separator"),
        pytest.param("It is worth $2.5bn.", "It is worth $2.5 billion.", id="abbreviated-scale"),
        pytest.param("It is worth $10-million.", "It is worth $10 million.", id="hyphen-scale"),
        pytest.param("twenty-five people were hurt", "25 people were hurt", id="words-digits"),
        pytest.param("a dozen people were hurt", "twelve people were hurt", id="a-dozen"),
        pytest.param(
            "The fire destroyed 2 million acres.",
            "The fire destroyed 2.4 million acres.",
            id="rounded",
        ),
        pytest.param("Shares fell 4% on Friday.", "Shares fell 4.4% on Friday.", id="rounded-pct"),
        pytest.param(
            "The storm killed 12 people and injured 40.",
            "The storm injured 40 and killed 12 people.",
            id="reordered",
        ),
        pytest.param(
            "12 people were killed.", "40 people were injured.", id="different-units-one-each"
        ),
        pytest.param("12 people died in the attack.", "People died in the attack.", id="one-side"),
        pytest.param("Between 10 and 20 people died.", "15 people died.", id="between"),
        pytest.param("10-12 people died.", "11 people died.", id="dash-range"),
        pytest.param(
            "Trans fats are 1 percent to 3 percent of fat.",
            "Trans fats are 2.5 percent of fat.",
            id="to-range",
        ),
        pytest.param("The team won 3-1 on Sunday.", "The team won 3-2 on Sunday.", id="score"),
        pytest.param("Flight 370 vanished.", "Flight 380 vanished.", id="label"),
        pytest.param("The meeting starts at 10:30.", "The meeting starts at 11:30.", id="time"),
        pytest.param("He came third in 2003.", "He came fourth in 2003.", id="ordinal-words"),
        pytest.param("No one was hurt.", "Two people were hurt.", id="no-one"),
        pytest.param(
            "John Jenkin, 23, was arrested.",
            "Kathryn Jenkin, 20, was found dead.",
            id="ages-of-two-people",
        ),
        pytest.param(
            "Prices rose in 2003.", "Prices rose in 2004.", id="years-are-dates-not-numbers"
        ),
        pytest.param(
            "He was sentenced to seven life sentences.",
            "He killed four people.",
            id="unrelated-amounts",
        ),
    ],
)
def test_number_agreements(left: str, right: str) -> None:
    assert "number" not in kinds(left, right)
