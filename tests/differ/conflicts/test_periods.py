"""Date conflicts by verb (storymatch.differ.conflicts.periods): relative dates and bounds."""

from __future__ import annotations

import datetime as dt

import pytest

from storymatch.differ.conflicts import find_conflicts

JUNE_2021 = dt.date(2021, 6, 10)
MARCH_2021 = dt.date(2021, 3, 10)  # a Wednesday


def dates(
    left: str,
    right: str,
    published: dt.date | None = JUNE_2021,
    *,
    confident: bool = True,
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    found = find_conflicts(
        "a",
        left,
        "b",
        right,
        left_published=published,
        right_published=published,
        confident=confident,
    )
    return [(c.left_words, c.right_words) for c in found if c.kind == "date"]


@pytest.mark.parametrize(
    ("left", "right", "published", "left_words", "right_words"),
    [
        pytest.param(
            "The mayor repaid the loan earlier this year, the council said.",
            "The mayor repaid the loan in 2020.",
            JUNE_2021,
            ("earlier this year",),
            ("2020",),
            id="earlier-this-year-vs-year",
        ),
        pytest.param(
            "Officials said in 2019 that the company paid the fine.",
            "The company paid the fine last month.",
            JUNE_2021,
            ("said in 2019",),
            ("last month",),
            id="dated-statement-bounds-its-clause",
        ),
        pytest.param(
            "In 2019, officials said the company had already paid the fine.",
            "The company paid the fine last month.",
            JUNE_2021,
            ("2019",),
            ("last month",),
            id="leading-dated-statement",
        ),
        pytest.param(
            "The plant closed yesterday.",
            "The plant closed last week.",
            MARCH_2021,
            ("yesterday",),
            ("last week",),
            id="yesterday-vs-last-week",
        ),
        pytest.param(
            "The museum reopened this month after repairs.",
            "The museum reopened in 2020 after repairs.",
            MARCH_2021,
            ("this month",),
            ("2020",),
            id="this-month-vs-year",
        ),
    ],
)
def test_period_conflicts(
    left: str,
    right: str,
    published: dt.date,
    left_words: tuple[str, ...],
    right_words: tuple[str, ...],
) -> None:
    assert dates(left, right, published) == [(left_words, right_words)]


@pytest.mark.parametrize(
    ("left", "right", "published"),
    [
        pytest.param(
            "The mayor repaid the loan earlier this year.",
            "The mayor repaid the loan in 2020.",
            None,
            id="no-publication-date",
        ),
        pytest.param(
            "The mayor repaid the loan earlier this year.",
            "The mayor repaid the loan in 2021.",
            JUNE_2021,
            id="same-year",
        ),
        pytest.param(
            "Officials said in 2019 that the company paid the fine.",
            "The company paid the fine in 2018.",
            JUNE_2021,
            id="within-the-bound",
        ),
        pytest.param(
            "Officials said in 2019 that the company would pay the fine.",
            "The company paid the fine last month.",
            JUNE_2021,
            id="future-clause",
        ),
        pytest.param(
            "Officials said in 2019 that the company had not paid the fine.",
            "The company paid the fine last month.",
            JUNE_2021,
            id="negated-clause",
        ),
        pytest.param(
            "The company paid the fine last month.",
            "The company was fined in 2019.",
            JUNE_2021,
            id="different-verbs",
        ),
        pytest.param(
            "Prices rose sharply over the last year.",
            "Prices rose sharply in 2019.",
            JUNE_2021,
            id="the-last-year-is-twelve-months",
        ),
        pytest.param(
            '"We repaid the loan last year," the mayor said.',
            "The mayor repaid the loan in 2018.",
            JUNE_2021,
            id="inside-a-quotation",
        ),
        pytest.param(
            "The mayor repaid the loan this year for costs dating back to 2015.",
            "The mayor repaid the loan earlier this year.",
            JUNE_2021,
            id="date-of-another-verb",
        ),
    ],
)
def test_period_agreements(left: str, right: str, published: dt.date | None) -> None:
    assert dates(left, right, published) == []


def test_weak_alignment_needs_an_agreeing_amount() -> None:
    with_amount = (
        "Lawyers said in 2017 that the senator repaid about $40,000 to the party.",
        "The senator repaid the party more than $40,000 earlier this year, records show.",
    )
    without = (
        "Lawyers said in 2017 that the senator repaid the party.",
        "The senator repaid the party earlier this year, records show.",
    )
    assert dates(*with_amount) == [(("said in 2017",), ("earlier this year",))]
    assert dates(*with_amount, confident=False) == [(("said in 2017",), ("earlier this year",))]
    assert dates(*without) == [(("said in 2017",), ("earlier this year",))]
    assert dates(*without, confident=False) == []


def test_weak_alignment_gives_no_other_kind() -> None:
    left = "The senator repaid $40,000 in 2017 and 12 staff left on Monday."
    right = "The senator repaid $40,000 in 2017 and 15 staff left on Tuesday."
    kinds = {c.kind for c in find_conflicts("a", left, "b", right)}
    assert kinds == {"number", "date"}
    assert find_conflicts("a", left, "b", right, confident=False) == ()
