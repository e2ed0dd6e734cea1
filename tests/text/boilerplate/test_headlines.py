"""Tests for storymatch.text.boilerplate.headlines: the headline, its copies and standfirsts."""

from __future__ import annotations

from tests.text.boilerplate.pages import (
    BODY_ONE,
    BODY_TWO,
)

from storymatch.text.boilerplate import clean

# --------------------------------------------------------------------------- headlines


def test_repeated_headline_is_the_title_and_short_lines_above_it_are_masthead() -> None:
    headline = "Bridge collapse sends cars into River Lisle"
    page = "\n\n".join(
        [
            "Lisle Valley Courier",
            headline,
            "Lisle Valley Courier Newsroom",
            headline,
            BODY_ONE,
            BODY_TWO,
        ]
    )
    result = clean(page)
    assert result.title == headline
    assert result.text == f"{BODY_ONE}\n\n{BODY_TWO}"
    assert [r.kind for r in result.removed] == ["navigation", "headline", "byline", "headline"]
    assert result.byline == "Lisle Valley Courier Newsroom"


def test_truncated_and_kicker_copies_of_the_headline_are_removed() -> None:
    headline = "Bridge collapse sends cars into River Lisle"
    page = "\n\n".join(["Bridge collapse", f"UPDATE 1-{headline}", headline, BODY_ONE, BODY_TWO])
    result = clean(page)
    assert result.title == headline
    assert result.text == f"{BODY_ONE}\n\n{BODY_TWO}"
    assert [r.kind for r in result.removed] == ["headline", "headline", "headline"]


def test_a_body_sentence_that_starts_like_the_headline_is_kept() -> None:
    head = "Striking yet another blow at"
    sentence = f"{head} the very heart of piracy, the navy captured 23 pirates on Saturday."
    page = "\n\n".join([head, head, head, sentence, BODY_TWO])
    result = clean(page)
    assert result.title == head
    assert result.text == f"{sentence}\n\n{BODY_TWO}"


def test_ecb_style_headline_block_goes_to_title_standfirst_and_dateline() -> None:
    page = "\n".join(
        [
            "Fred LaRue, Watergate Figure, Dies at 75",
            "Nixon aide was 'bagman' in cover-up",
            "Published: July 29, 2004",
            BODY_ONE,
            "He was 75.",
        ]
    )
    result = clean(page)
    assert result.title == "Fred LaRue, Watergate Figure, Dies at 75"
    assert result.standfirst == "Nixon aide was 'bagman' in cover-up"
    assert result.dateline == "Published: July 29, 2004"
    assert result.text == f"{BODY_ONE}\nHe was 75."


def test_a_first_sentence_is_not_a_headline() -> None:
    page = "\n".join(["Well it's better late than never, Tara.", BODY_ONE, BODY_TWO])
    result = clean(page)
    assert result.title is None
    assert result.text == page


def test_a_paragraph_wrapped_over_lines_is_not_a_headline() -> None:
    page = "The council said on Monday that the\nbridge would stay closed for a month.\n\nMore."
    assert clean(page).text == page


def test_given_title_is_removed_and_returned() -> None:
    title = "Bridge collapse sends cars into River Lisle"
    page = f"{title}\n\n{BODY_ONE}\n\n{BODY_TWO}"
    result = clean(page, title=title)
    assert result.title == title
    assert result.text == f"{BODY_ONE}\n\n{BODY_TWO}"
    missing = clean(f"{BODY_ONE}\n\n{BODY_TWO}", title=title)
    assert missing.title == title
    assert missing.text == f"{BODY_ONE}\n\n{BODY_TWO}"
