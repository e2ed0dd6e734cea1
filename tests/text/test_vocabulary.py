"""Known words: the whole words of the shipped WordPiece vocabulary."""

from __future__ import annotations

from storymatch.text.vocabulary import known_words, unknown_words


def test_known_words_are_lower_case_letters_only() -> None:
    words = known_words()
    assert len(words) > 20_000
    assert all(w.isalpha() and w == w.lower() for w in words)
    assert {"media", "justice", "appear"} <= words


def test_misreads_are_unknown_and_names_count_alike() -> None:
    assert unknown_words("Stone will appear on Fox News") == 0
    assert unknown_words("Stone willappcar on Fox rnedia") == 2
    assert unknown_words("Justicc Department, 404 yards") == 1
