"""Name conflicts (storymatch.differ.conflicts.names)."""

from __future__ import annotations

import pytest
from tests.differ.conflicts.support import flags, kinds


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "The summit was held in Paris on Friday.",
            "The summit was held in Lyon on Friday.",
            ("Paris",),
            ("Lyon",),
            id="place",
        ),
        pytest.param(
            "The plan is dead, said John Smith, the party leader.",
            "The plan is dead, said Bob Jones, the party leader.",
            ("John Smith",),
            ("Bob Jones",),
            id="person",
        ),
        pytest.param(
            '"We are pleased," Coke spokeswoman Sonya Soutus said.',
            '"We are pleased," said Coke spokesman Ben Deutsch.',
            ("Sonya Soutus",),
            ("Ben Deutsch",),
            id="speaker",
        ),
        pytest.param(
            "The case was handed to the FBI last week.",
            "The case was handed to the CIA last week.",
            ("FBI",),
            ("CIA",),
            id="acronyms",
        ),
        pytest.param(
            "Shares of Standard & Poor rose sharply in early trading on Friday.",
            "Shares of Moody rose sharply in early trading on Friday.",
            ("Standard & Poor",),
            ("Moody",),
            id="linked-name",
        ),
    ],
)
def test_name_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "name"] == [
        (left_words, right_words)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("U.S. officials said no.", "United States officials said no.", id="initials"),
        pytest.param("U.N. troops arrived.", "UN troops arrived.", id="dotted-acronym"),
        pytest.param(
            "Obama said the talks failed.", "Barack Obama said the talks failed.", id="given"
        ),
        pytest.param(
            "Mr. Obama said the talks failed.", "Obama said the talks failed.", id="title"
        ),
        pytest.param(
            "President Obama said the talks failed.",
            "Barack Obama said the talks failed.",
            id="title-vs-given",
        ),
        pytest.param("Talks in Beijing failed.", "Talks in China failed.", id="metonym"),
        pytest.param("It angered Gadhafi most.", "It angered Qaddafi most.", id="spelling"),
        pytest.param("It angered French officials.", "It angered Macron officials.", id="demonym"),
        pytest.param("Police said no.", "Officials said no.", id="sentence-initial"),
        pytest.param(
            "Ten Dead As Storm Hits Paris Suburbs",
            "Ten Dead As Storm Hits Lyon Suburbs",
            id="title-case",
        ),
        pytest.param(
            "His sister Katie Jenkin was found.",
            "His sister Kathryn Jenkin was found.",
            id="first-name-variant",
        ),
        pytest.param(
            "The smuggling ended in Blaine, Wash., last month.",
            "The smuggling ended in Blaine, Washington, last month.",
            id="state-abbreviation",
        ),
        pytest.param("The summit was held in Paris.", "The summit was held.", id="one-side"),
        pytest.param(
            "Colin Powell said on Iran no.", "Secretary Colin Powell said no.", id="roles"
        ),
    ],
)
def test_name_agreements(left: str, right: str) -> None:
    assert "name" not in kinds(left, right)
