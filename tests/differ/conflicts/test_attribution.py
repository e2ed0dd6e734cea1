"""Hedges are conflicts, reporting verbs are framing (storymatch.differ.conflicts.attribution)."""

from __future__ import annotations

import pytest
from tests.differ.conflicts.support import flags, kinds

from storymatch.differ.conflicts import find_framing


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "Police said the man fled.",
            "Police claimed the man fled.",
            ("said",),
            ("claimed",),
            id="said-claimed",
        ),
        pytest.param(
            "The minister said the plan would work.",
            "The minister insisted the plan would work.",
            ("said",),
            ("insisted",),
            id="said-insisted",
        ),
        pytest.param(
            "Wolfowitz said bribery cannot solve the problem.",
            "Wolfowitz admitted bribery cannot solve the problem.",
            ("said",),
            ("admitted",),
            id="said-admitted",
        ),
        pytest.param(
            "The company says the report is wrong.",
            "The company denies the report is wrong.",
            ("says",),
            ("denies",),
            id="says-denies",
        ),
        pytest.param(
            "The watchdog said the pesticides harm children.",
            "The watchdog warned the pesticides harm children.",
            ("said",),
            ("warned",),
            id="said-warned",
        ),
    ],
)
def test_reporting_verbs_are_framing_not_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert "attribution" not in kinds(left, right)
    framing = find_framing("a", left, "b", right)
    assert [(c.left_words, c.right_words) for c in framing] == [(left_words, right_words)]
    backward = find_framing("b", right, "a", left)
    assert [(c.left_words, c.right_words) for c in backward] == [(right_words, left_words)]


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "The man allegedly stabbed two people.",
            "The man stabbed two people.",
            ("allegedly",),
            (),
            id="hedge-one-side",
        ),
        pytest.param(
            "The company may cut 100 jobs.",
            "The company will cut 100 jobs.",
            ("may",),
            ("will",),
            id="may-will",
        ),
        pytest.param(
            "The alleged attacker was arrested on Friday.",
            "The attacker was arrested on Friday.",
            ("alleged",),
            (),
            id="hedge-adjective",
        ),
    ],
)
def test_attribution_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "attribution"] == [
        (left_words, right_words)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Police said the man fled.", "Police told reporters the man fled.", id="told"),
        pytest.param("Police said the man fled.", "The man fled, according to police.", id="per"),
        pytest.param(
            "The group claimed responsibility for the attack.",
            "The group said it carried out the attack.",
            id="claimed-responsibility",
        ),
        pytest.param(
            "He was admitted to hospital on Friday.",
            "He was taken to hospital on Friday, police said.",
            id="admitted-to-hospital",
        ),
        pytest.param(
            '"I don\'t blame him," Street said.',
            '"I don\'t blame him," Street told them.',
            id="quoted",
        ),
        pytest.param(
            "McBride dismissed Novell's ownership claims as desperate.",
            "McBride said the position was desperate.",
            id="noun",
        ),
        pytest.param(
            "The man allegedly stabbed two people.",
            "The man reportedly stabbed two people.",
            id="hedges-both-sides",
        ),
        pytest.param(
            "The delegates could not leave on Friday.",
            "The delegates may not leave on Friday.",
            id="weak-modal",
        ),
        pytest.param(
            "Man denies arson at the store.",
            "The site manager says it will take days to assess the damage.",
            id="different-speakers",
        ),
        pytest.param(
            "The minister said the plan would work.",
            "The minister said the plan would work, and admitted it was costly.",
            id="extra-verb-one-side",
        ),
    ],
)
def test_attribution_agreements(left: str, right: str) -> None:
    assert "attribution" not in kinds(left, right)
