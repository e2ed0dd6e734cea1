"""All kinds of conflict together: order, symmetry, robustness (storymatch.differ.conflicts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from tests.strategies import any_text, news_texts

from storymatch.differ.conflicts import find_conflicts
from storymatch.models import Conflict

KINDS = ("number", "date", "quote", "name", "attribution")


def test_conflicts_are_ordered_by_kind_then_position() -> None:
    left = "Police said 12 people were killed on Monday and 40 homes were lost."
    right = "Police claimed 15 people were killed on Tuesday and 60 homes were lost."
    found = find_conflicts("a", left, "b", right)
    assert [(c.kind, c.left_words) for c in found] == [
        ("number", ("12 people",)),
        ("number", ("40 homes",)),
        ("date", ("Monday",)),
    ]
    assert all((c.left, c.right) == ("a", "b") for c in found)
    assert found[0].describe() == 'number: "12 people" (a) vs "15 people" (b)'


SWAPPABLE = [
    ("12 killed and 40 injured in the blast", "15 killed and 40 injured in the blast"),
    ("The attack happened on March 3.", "The attack happened on March 4."),
    ('"We will fight on the beaches," he said.', '"We shall fight on the beaches," he said.'),
    ("The summit was held in Paris on Friday.", "The summit was held in Lyon on Friday."),
    ("The man allegedly stabbed two people.", "The man stabbed two people."),
]


@pytest.mark.parametrize(("left", "right"), SWAPPABLE)
def test_conflicts_are_symmetric(left: str, right: str) -> None:
    forward = find_conflicts("a", left, "b", right)
    backward = find_conflicts("b", right, "a", left)
    assert forward
    assert [(c.kind, c.left_words, c.right_words) for c in forward] == [
        (c.kind, c.right_words, c.left_words) for c in backward
    ]


@given(news_texts(), news_texts())
def test_find_conflicts_never_fails_on_news(a: str, b: str) -> None:
    found = find_conflicts("a", a, "b", b)
    assert isinstance(found, tuple)
    for c in found:
        assert isinstance(c, Conflict)
        assert c.kind in KINDS
        assert (c.left, c.right) == ("a", "b")
        assert c.left_words or c.right_words
        assert all(w in a for w in c.left_words)
        assert all(w in b for w in c.right_words)
    assert find_conflicts("a", a, "b", a) == ()


@given(any_text(), any_text())
def test_find_conflicts_never_fails_on_any_text(a: str, b: str) -> None:
    found = find_conflicts("a", a, "b", b)
    assert all(c.kind in KINDS for c in found)
