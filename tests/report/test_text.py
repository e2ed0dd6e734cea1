from __future__ import annotations

import json
import re

import pytest

from storymatch.models import (
    Cell,
    Claim,
    Comparison,
    Conflict,
    Coverage,
    DiffOp,
    Outlet,
    PairDiff,
    Sentence,
)
from storymatch.report import render_json, render_text
from storymatch.report._common import outlet_labels

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_plain_text_has_no_escape_codes_and_fits_the_width(comparison):
    for width in (40, 60, 100):
        text = render_text(comparison, width=width)
        assert "\x1b" not in text
        assert max(len(line) for line in text.splitlines()) <= width, width
    assert text.endswith("\n")


def test_every_report_and_claim_is_shown(comparison):
    text = render_text(comparison)
    labels = outlet_labels(comparison)
    for outlet in comparison.outlets:
        assert labels[outlet.id] in text
    heads = [line for line in text.splitlines() if re.match(r"^c\d+ ", line)]
    assert [h.split()[0] for h in heads] == [c.id for c in comparison.claims]
    assert heads[0] == "c1 [all] all 4"
    assert heads[1] == "c2 [all] all 4 CONFLICT"
    assert heads[2] == "c3 [some] 3 of 4 MOVED"
    assert heads[6] == "c7 [one] only Daily Planet"
    missing = sum(len(comparison.outlets) - len(c.cells) for c in comparison.claims)
    assert text.count("- not reported") == missing


def test_conflicts_coverage_and_reports(comparison):
    text = render_text(comparison)
    assert '  ! number: "12" (Daily Planet) vs "15" (Riverside Gazette)' in text
    assert "  Daily Planet                    4 #####.....      1       3         1" in text
    assert "[2] Riverside Gazette | 2024-05-01 10:05" in text
    assert "javascript:" not in text.split("Coverage")[0]  # the unsafe address is not shown
    assert "    \u00a75, 6 Forecasters expect more rain. It could fall on Thursday and Friday." in (
        text
    )


def test_colour_marks_status_and_conflicting_words(comparison):
    text = render_text(comparison, color=True)
    assert "\x1b[32mc1 [all] all 4\x1b[0m" in text
    assert "\x1b[1;31m15\x1b[0m" in text
    assert "\x1b[1;31mc2 [all] all 4 CONFLICT\x1b[0m" in text
    assert "\x1b[4maccording\x1b[0m" in text
    assert "\x1b[2m- not reported\x1b[0m" in text
    assert _ANSI.sub("", text) == render_text(comparison)


def _one_cell(text: str, name: str = "A") -> Comparison:
    return Comparison(
        outlets=(Outlet("a", name, None, None, None, 1),),
        claims=(Claim("c1", (Cell("a", (Sentence(text, 0, len(text)),)),), "all"),),
        coverage=(Coverage("a", 1, 0, 0, 0),),
        threshold=0.5,
    )


def test_terminal_control_sequences_in_article_text_are_neutralised():
    hostile = "Hello \x1b[2J\x1b]0;owned\x07 world \u202eevil\u202c end\x9b31m"
    text = render_text(_one_cell(hostile, name="Out\x1b[31mlet"), color=True)
    payload = _ANSI.sub("", text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", payload)
    assert "Hello \ufffd[2J\ufffd]0;owned\ufffd world \ufffdevil\ufffd end\ufffd31m" in payload
    assert "Out\ufffd[31mlet" in payload


def test_long_words_are_cut_and_width_has_a_floor():
    text = render_text(_one_cell("x" * 150 + " tail"), width=10)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert "    " + "x" * 36 in lines
    assert lines[-1] == "    xxxxxx tail"
    exact = render_text(_one_cell("y" * 72 + " end"), width=40).splitlines()
    assert exact[-3:] == ["    " + "y" * 36, "    " + "y" * 36, "    end"]


def test_long_outlet_names_are_shortened():
    text = render_text(_one_cell("Fine.", name="N" * 60))
    assert "  " + "N" * 23 + "\u2026" in text.splitlines()


def test_missing_coverage_empty_claims_and_empty_comparison():
    outlet = Outlet("a", "A", None, None, None, 1)
    no_claims = render_text(Comparison(outlets=(outlet,), claims=(), coverage=(), threshold=0.5))
    assert "  A     (no summary)" in no_claims
    assert "  No claims to compare." in no_claims
    empty = Comparison(outlets=(), claims=(), coverage=(), threshold=0.5, event="e-9")
    assert render_text(empty, title="Nothing") == "Nothing\nEvent e-9: 0 reports, 0 claims\n"


@pytest.mark.parametrize("color", [False, True])
def test_cell_with_no_sentences(color):
    comparison = Comparison(
        outlets=(Outlet("a", "A", None, None, None, 0),),
        claims=(Claim("c1", (Cell("a", ()),), "all"),),
        coverage=(),
        threshold=0.5,
    )
    lines = render_text(comparison, color=color).splitlines()
    assert _ANSI.sub("", lines[-1]) == "  A"


# ------------------------------------------------------------------------------ json


def test_json_is_to_dict_indented_and_unicode(comparison):
    text = render_json(comparison)
    assert text.endswith("}\n")
    assert json.loads(text) == comparison.to_dict()
    assert list(json.loads(text)) == ["schema", "event", "threshold", "scorer", "outlets",
                                      "coverage", "claims"]  # fmt: skip
    assert "\u00a7" not in text
    assert "\\u" not in render_json(_one_cell("Café — naïve"))
    assert "Café — naïve" in render_json(_one_cell("Café — naïve"))
    assert '\n  "schema": 1,' in text


# ------------------------------------------------------------------------------ quotes (issue 15)


def _quote_conflict() -> Comparison:
    """Two cells whose word diff and conflict marks start and end inside quoted words."""
    left = '"Inflation has proved more stubborn than we expected," she said.'
    right = 'She said inflation had proved "more stubborn than we expected."'
    # the differ's diff splits punctuation off words: the marks start after '"', end before ','
    ops = (
        DiffOp("replace", 1, 14, 0, 22),
        DiffOp("equal", 15, 21, 23, 29),
        DiffOp("insert", 22, 22, 30, 31),
        DiffOp("equal", 22, 52, 31, 61),
        DiffOp("replace", 52, 64, 61, 63),
    )
    cells = (
        Cell("a", (Sentence(left, 0, len(left), index=3),)),
        Cell("b", (Sentence(right, 0, len(right), index=1),)),
    )
    claim = Claim(
        "c1",
        cells,
        "all",
        conflicts=(Conflict("quote", "a", "b", ("Inflation",), ("inflation",)),),
        pairs=(PairDiff("a", "b", 0.8, ops),),
    )
    outlets = (Outlet("a", "A", None, None, None, 4), Outlet("b", "B", None, None, None, 2))
    return Comparison(outlets=outlets, claims=(claim,), coverage=(), threshold=0.5)


@pytest.mark.parametrize("color", [False, True])
def test_highlights_inside_a_word_keep_its_punctuation_attached(color):
    comparison = _quote_conflict()
    left, right = (c.sentences[0].text for c in comparison.claims[0].cells)
    text = _ANSI.sub("", render_text(comparison, color=color, width=200))
    assert f"    \u00a74 {left}" in text.splitlines()
    assert f"    \u00a72 {right}" in text.splitlines()
    assert ' , "' not in text
    assert '" Inflation' not in text
    # the colours still mark the words of the conflict, and only them
    if color:
        assert '"\x1b[1;31mInflation\x1b[0m' in render_text(comparison, color=True, width=200)
