"""Helpers of the conflict tests: the conflicts of two texts in short form."""

from __future__ import annotations

from storymatch.differ.conflicts import find_conflicts


def flags(left: str, right: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Return the conflicts of two texts as (kind, left words, right words)."""
    return [(c.kind, c.left_words, c.right_words) for c in find_conflicts("a", left, "b", right)]


def kinds(left: str, right: str) -> set[str]:
    return {c.kind for c in find_conflicts("a", left, "b", right)}
