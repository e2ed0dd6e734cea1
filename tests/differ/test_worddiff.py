"""The word-level diff with character offsets (storymatch.differ.worddiff)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import any_text, news_texts, word_texts

from storymatch.differ.conflicts import find_conflicts
from storymatch.differ.worddiff import compare_cells, word_diff
from storymatch.models import Cell, DiffOp, PairDiff, Sentence


def spans(a: str, b: str) -> list[tuple[str, str, str]]:
    return [(op.tag, a[op.a_start : op.a_end], b[op.b_start : op.b_end]) for op in word_diff(a, b)]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(
            "Police said, adding more.",
            "Police said adding more.",
            [
                ("equal", "Police said", "Police said "),
                ("delete", ", ", ""),
                ("equal", "adding more.", "adding more."),
            ],
            id="comma-is-its-own-edit",
        ),
        pytest.param(
            "The firm will cut 1,200 jobs.",
            "The firm will cut 1,300 jobs.",
            [
                ("equal", "The firm will cut ", "The firm will cut "),
                ("replace", "1,200 ", "1,300 "),
                ("equal", "jobs.", "jobs."),
            ],
            id="thousands-kept-whole",
        ),
        pytest.param(
            "It costs $2.5 now.",
            "It costs $3.5 now.",
            [
                ("equal", "It costs ", "It costs "),
                ("replace", "$2.5 ", "$3.5 "),
                ("equal", "now.", "now."),
            ],
            id="money-kept-whole",
        ),
        pytest.param(
            "Police said 12 people were killed.",
            "Police said, 15 people were killed.",
            [
                ("equal", "Police said ", "Police said"),
                ("insert", "", ", "),
                ("replace", "12 ", "15 "),
                ("equal", "people were killed.", "people were killed."),
            ],
            id="comma-split-off-a-replaced-number",
        ),
        pytest.param(
            "A 12-year-old boy was hurt.",
            "A 13-year-old boy was hurt.",
            [
                ("equal", "A ", "A "),
                ("replace", "12", "13"),
                ("equal", "-year-old boy was hurt.", "-year-old boy was hurt."),
            ],
            id="hyphenated-compound-split",
        ),
        pytest.param(
            "Smith's plan failed.",
            "Smith plan failed.",
            [
                ("equal", "Smith", "Smith "),
                ("delete", "'s ", ""),
                ("equal", "plan failed.", "plan failed."),
            ],
            id="possessive-is-its-own-token",
        ),
        pytest.param("", "Hello there.", [("insert", "", "Hello there.")], id="empty-left"),
        pytest.param("Hello there.", "", [("delete", "Hello there.", "")], id="empty-right"),
        pytest.param(
            "   ", "Hello.", [("delete", "   ", ""), ("insert", "", "Hello.")], id="blank-left"
        ),
        pytest.param(" ", "  ", [("equal", " ", "  ")], id="both-blank"),
    ],
)
def test_word_diff_spans(a: str, b: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Police said the toll rose.", "POLICE SAID THE TOLL ROSE.", id="case"),
        pytest.param("He said \u201cno\u201d to it.", 'He said "no" to it.', id="quote-style"),
        pytest.param("A \u2014 B and C.", "A - B and C.", id="dash-style"),
        pytest.param(
            "The firm cut 1,200 jobs.", "The firm cut 1200 jobs.", id="thousands-separator"
        ),
        pytest.param("It rained   all day.", "It rained all day.", id="spacing"),
        pytest.param("We don\u2019t know.", "We don't know.", id="apostrophe-style"),
    ],
)
def test_word_diff_equal_ignores_surface(a: str, b: str) -> None:
    assert [op.tag for op in word_diff(a, b)] == ["equal"]


@pytest.mark.parametrize(
    "text",
    [
        "Police said 12 people were killed on Monday.",
        '"We will fight on the beaches," he said.',
        "The U.S. dollar fell 0.4% against the euro, to $1.07.",
        "x",
    ],
)
def test_identical_texts_one_equal_op_and_no_conflicts(text: str) -> None:
    assert word_diff(text, text) == (DiffOp("equal", 0, len(text), 0, len(text)),)
    assert find_conflicts("a", text, "b", text) == ()


def test_word_diff_of_two_empty_texts_is_empty() -> None:
    assert word_diff("", "") == ()


def check_diff(a: str, b: str) -> None:
    ops = word_diff(a, b)
    if a or b:
        assert ops
    a_at = b_at = 0
    for op in ops:
        assert op.tag in {"equal", "replace", "insert", "delete"}
        assert (op.a_start, op.b_start) == (a_at, b_at)  # contiguous
        assert op.a_start <= op.a_end
        assert op.b_start <= op.b_end
        if op.tag == "insert":
            assert op.a_start == op.a_end
            assert op.b_end > op.b_start
        elif op.tag == "delete":
            assert op.b_start == op.b_end
            assert op.a_end > op.a_start
        elif op.tag == "replace":
            assert op.a_end > op.a_start
            assert op.b_end > op.b_start
        a_at, b_at = op.a_end, op.b_end
    assert (a_at, b_at) == (len(a), len(b))  # complete
    assert "".join(a[op.a_start : op.a_end] for op in ops) == a
    assert "".join(b[op.b_start : op.b_end] for op in ops) == b
    assert all(tuple(op) == (op.tag, op.a_start, op.a_end, op.b_start, op.b_end) for op in ops)


@given(any_text(), any_text())
def test_word_diff_covers_both_texts_any_text(a: str, b: str) -> None:
    check_diff(a, b)


@given(news_texts(), news_texts())
def test_word_diff_covers_both_texts_news(a: str, b: str) -> None:
    check_diff(a, b)


@given(word_texts(), st.data())
def test_word_diff_of_an_edited_text(a: str, data: st.DataObject) -> None:
    words = a.split(" ")
    keep = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    b = " ".join(w for w, k in zip(words, keep, strict=True) if k)
    check_diff(a, b)
    check_diff(b, a)


# ------------------------------------------------------------------------------ cells


def cell(outlet: str, *sentences: str) -> Cell:
    out = []
    at = 0
    for i, s in enumerate(sentences):
        out.append(Sentence(s, at, at + len(s), index=i))
        at += len(s) + 1
    return Cell(outlet, tuple(out))


def test_compare_cells() -> None:
    a = cell("bbc", "Police said 12 people died.", "The road is closed.")
    b = cell("cnn", "Police said 15 people died.")
    pair = compare_cells(a, b, 0.8)
    assert isinstance(pair, PairDiff)
    assert (pair.left, pair.right, pair.score) == ("bbc", "cnn", 0.8)
    assert pair.opcodes == word_diff(a.text, b.text)
    assert [op.tag for op in pair.opcodes] == ["equal", "replace", "equal", "delete"]
    assert pair.to_dict()["opcodes"][1] == ["replace", 12, 15, 12, 15]
