"""storymatch.compare(): claims, statuses, omissions, conflicts, coverage, JSON shape."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storymatch.differ.comparison import compare, report_sentences
from storymatch.errors import InvalidParameterError
from storymatch.models import Article, Comparison

LINES = [
    "A storm killed 12 people in the coastal town of Marrow on Monday.",
    "Rescue teams from the capital searched collapsed houses through the night.",
    "The mayor, Ines Valcourt, said rebuilding the harbour would take at least two years.",
    "Power was cut to 40,000 homes across the region.",
    "Schools will stay closed until Thursday, officials said.",
    "Forecasters had warned of gusts above 150 kilometres an hour.",
]


def article(aid: str, lines: list[str], source: str | None = None) -> Article:
    return Article(id=aid, text="\n\n".join(lines), source=source or f"{aid}.example")


def claim_texts(result: Comparison) -> set[frozenset[tuple[str, str]]]:
    return {frozenset((c.outlet, c.text) for c in claim.cells) for claim in result.claims}


def check_cover(result: Comparison, reports: list[Article]) -> None:
    for report in reports:
        got = sorted(
            s.index
            for claim in result.claims
            for c in claim.cells
            if c.outlet == report.id
            for s in c.sentences
        )
        assert got == list(range(len(report_sentences(report))))


def test_identical_reports_share_every_claim():
    reports = [article(x, LINES) for x in "abc"]
    result = compare(reports)
    check_cover(result, reports)
    assert len(result.claims) == len(LINES)
    assert {c.status for c in result.claims} == {"all"}
    assert not result.conflicts
    assert [c.carried for c in result.coverage] == [len(LINES)] * 3
    assert all(p.score > 0.9 for c in result.claims for p in c.pairs)
    assert all([op.tag for op in p.opcodes] == ["equal"] for c in result.claims for p in c.pairs)


def test_removing_a_sentence_makes_exactly_that_claim_an_omission():
    shorter = [s for i, s in enumerate(LINES) if i != 3]
    reports = [article("a", LINES), article("b", shorter), article("c", LINES)]
    result = compare(reports)
    check_cover(result, reports)
    omitted = result.omissions("b")
    assert len(omitted) == 1
    assert omitted[0].status == "some"
    assert omitted[0].cell("a").text == LINES[3]
    assert result.omissions("a") == ()
    assert result.omissions("c") == ()
    cov = {c.outlet: c for c in result.coverage}
    assert cov["b"].omitted == 1
    assert cov["a"].omitted == 0


def test_a_sentence_only_one_outlet_carries_is_unique():
    extra = "The governor declared a state of emergency in three districts."
    reports = [article("a", LINES), article("b", [*LINES, extra])]
    result = compare(reports)
    unique = result.by_status("one")
    assert [c.cell("b").text for c in unique] == [extra]
    cov = {c.outlet: c for c in result.coverage}
    assert cov["b"].unique == 1
    assert cov["a"].unique == 0
    assert cov["a"].omitted == 1


def test_a_number_change_is_flagged_as_a_conflict():
    changed = [LINES[0].replace("12 people", "15 people"), *LINES[1:]]
    result = compare([article("a", LINES), article("b", changed)])
    flagged = result.conflicts
    assert len(flagged) == 1
    conflict = flagged[0].conflicts[0]
    assert conflict.kind == "number"
    assert any("12" in w for w in conflict.left_words)
    assert any("15" in w for w in conflict.right_words)
    assert {c.outlet: c.conflicts for c in result.coverage} == {"a": 1, "b": 1}
    pair = flagged[0].pairs[0]
    assert "replace" in [op.tag for op in pair.opcodes]


def test_reordering_a_report_does_not_change_the_claims():
    other = [
        "Twelve people died when a storm hit the coastal town of Marrow on Monday.",
        "Officials said schools would stay closed until Thursday.",
        "About 40,000 homes across the region lost power.",
        "Mayor Ines Valcourt said it would take at least two years to rebuild the harbour.",
        "Emergency crews worked through the night.",
    ]
    shuffled = other[:]
    random.Random(7).shuffle(shuffled)
    a = compare([article("a", LINES), article("b", other)])
    b = compare([article("a", LINES), article("b", shuffled)])
    assert claim_texts(a) == claim_texts(b)


def test_a_claim_moved_from_top_to_bottom_is_marked():
    moved = [*LINES[1:], LINES[0]]
    result = compare([article("a", LINES), article("b", moved)])
    flagged = [c for c in result.claims if c.moved]
    assert [c.cell("a").text for c in flagged] == [LINES[0]]
    cov = {c.outlet: c for c in result.coverage}
    assert cov["a"].lead[0] == flagged[0].id
    assert flagged[0].id not in cov["b"].lead


def test_one_report_and_strings():
    result = compare(["One sentence here. And a second one."])
    assert [c.status for c in result.claims] == ["all", "all"]
    assert result.outlets[0].id == "0"
    assert result.outlets[0].name == "0"


def test_empty_report_is_a_column_without_cells():
    result = compare([article("a", LINES[:2]), Article(id="b", text="", source="b.example")])
    assert [c.status for c in result.claims] == ["one", "one"]
    assert result.outlet("b").n_sentences == 0
    assert len(result.omissions("b")) == 2
    cov = {c.outlet: c for c in result.coverage}
    assert (cov["b"].carried, cov["b"].omitted, cov["a"].unique) == (0, 2, 2)


@pytest.mark.parametrize(
    "bad", [[], [Article("a", "x"), Article("a", "y")], [1, 2]], ids=["empty", "dup", "type"]
)
def test_bad_input_raises(bad):
    with pytest.raises(InvalidParameterError):
        compare(bad)


def test_to_dict_is_json_with_the_documented_shape():
    changed = [LINES[0].replace("12", "15"), *LINES[1:4]]
    result = compare([article("a", LINES), article("b", changed)], event="e-1")
    data = json.loads(json.dumps(result.to_dict()))
    assert data["schema"] == 1
    assert data["event"] == "e-1"
    assert [o["id"] for o in data["outlets"]] == ["a", "b"]
    assert {"id", "status", "outlets", "cells", "conflicts", "pairs", "moved"} <= set(
        data["claims"][0]
    )
    op = data["claims"][0]["pairs"][0]["opcodes"][0]
    assert op[0] in {"equal", "replace", "insert", "delete"}
    assert len(op) == 5
    assert {c["outlet"] for c in data["coverage"]} == {"a", "b"}


def test_sentence_spans_point_into_the_cleaned_text():
    page = "Home | World | Sport\n\n" + "\n\n".join(LINES) + "\n\nShare this article"
    result = compare([Article("a", page, source="a.example"), article("b", LINES)])
    for claim in result.claims:
        for cell in claim.cells:
            assert "Share this" not in cell.text
            assert "Home |" not in cell.text


@settings(max_examples=25)
@given(
    st.lists(
        st.lists(st.sampled_from(LINES), min_size=0, max_size=6, unique=True),
        min_size=1,
        max_size=4,
    )
)
def test_every_sentence_lands_in_exactly_one_claim(bodies):
    reports = [article(f"r{i}", body) for i, body in enumerate(bodies)]
    result = compare(reports)
    check_cover(result, reports)
    for claim in result.claims:
        outlets = [c.outlet for c in claim.cells]
        assert len(outlets) == len(set(outlets))  # at most one cell per outlet


def test_relative_dates_in_conflicts_count_from_each_articles_date() -> None:
    left = "The mayor repaid the city loan of $40,000 earlier this year, officials said."
    right = "The mayor repaid the city loan of $40,000 in 2020, officials said."

    def date_conflicts(date: str | None) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        result = compare([Article("a", left, date=date), Article("b", right, date=date)])
        return [
            (f.left_words, f.right_words)
            for c in result.claims
            for f in c.conflicts
            if f.kind == "date"
        ]

    assert date_conflicts("2021-06-10") == [(("earlier this year",), ("2020",))]
    assert date_conflicts("2020-06-10") == []  # "earlier this year" is 2020 then
    assert date_conflicts(None) == []  # no publication date: relative dates unread
    assert date_conflicts("not a date") == []
