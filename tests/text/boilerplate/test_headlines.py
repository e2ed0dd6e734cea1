"""Tests for storymatch.text.boilerplate.headlines: the headline, its copies and standfirsts."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import news_texts
from tests.text.boilerplate.pages import (
    BODY_ONE,
    BODY_TWO,
    DATA,
    read_jsonl,
)

from storymatch.text.boilerplate import Removal, clean, headlines

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


def test_the_title_line_is_the_headline_whatever_the_line_rules_say() -> None:
    # The line pass does not ask the line rules about the line equal to the title (issue 14):
    # it is a copy of the headline even when it reads as a byline, a dateline or chrome.
    for title in ("By Jane Doe", "Posted 12/19/2005 3: 36 PM", "Advertisement"):
        page = f"{title}\n\n{BODY_ONE}\n\nBy Jane Doe"
        result = clean(page, title=title)
        assert result.title == title
        assert result.removed[0] == Removal("headline", title, 0, len(title))
        assert result.text == BODY_ONE
    assert clean(f"By Jane Doe\n\n{BODY_ONE}", title="By Jane Doe").byline is None
    # A widget marker stays a widget, with the line it quotes.
    result = clean(f"Read more\n\nOther story\n\n{BODY_ONE}", title="Read more")
    assert [(r.kind, r.text) for r in result.removed] == [
        ("widget", "Read more"),
        ("widget", "Other story"),
    ]


# --------------------------------------------------------------------------- quiet pages


def _titles(page: str, rng: random.Random) -> list[str | None]:
    lines = [line for line in page.split("\n") if line.strip()]
    picks: list[str | None] = [None, "", " ", rng.choice(lines), f"  {rng.choice(lines)} "]
    picks.append(f"BREAKING: {rng.choice(lines)[:40]}")
    picks.append(rng.choice(lines)[: rng.randint(1, 60)])
    return picks


def _with_and_without_shortcut(pages: list[tuple[str, str | None]]) -> int:
    """Clean each page with the quiet-page shortcut and with the rounds alone; return how
    many pages took the shortcut."""
    taken = 0
    real = headlines._quiet_page

    def counting(*args: Any) -> bool:
        nonlocal taken
        quiet = real(*args)
        taken += quiet
        return quiet

    for page, title in pages:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(headlines, "_quiet_page", counting)
            fast = [clean(page, title=title), clean(page, title=title, chrome=False)]
            mp.setattr(headlines, "_quiet_page", lambda *args: False)
            slow = [clean(page, title=title), clean(page, title=title, chrome=False)]
        assert fast == slow, (page, title)
    return taken


def _copies(title: str, rng: random.Random) -> list[str]:
    """Lines a headline rule may mark: copies of ``title``, truncated, glued, fuller, kicked."""
    glue = "".join(rng.choices("abcdefghij", k=rng.randint(1, 30)))
    return [
        title,
        title.upper(),
        title[: rng.randint(1, max(1, len(title)))],
        glue.capitalize() + title,
        title + glue,
        f"{title} {glue}",
        f"UPDATE 1-{title}",
        f"{glue} {title}.",
    ]


@settings(max_examples=300, deadline=None)
@given(news_texts(), st.integers(min_value=0, max_value=2**32 - 1), st.lists(st.text(), max_size=3))
def test_quiet_pages_are_answered_as_the_rounds_answer_them(
    page: str, seed: int, extra: list[str]
) -> None:
    # mark_headlines answers a quiet page (no rule can mark a line of it) without a round
    # (issue 14); the rounds, run on every page, must give the same result.
    rng = random.Random(seed)
    page = "\n\n".join([page, *extra]) if extra else page
    pages: list[tuple[str, str | None]] = []
    for title in _titles(page, rng):
        lines = page.split("\n")
        if title and title.strip():  # a copy of the title, or of a line, somewhere on the page
            pool = _copies(title.strip(), rng) + _copies(rng.choice(lines) or "x", rng)
            for _ in range(rng.randint(1, 3)):
                lines.insert(rng.randrange(len(lines) + 1), rng.choice(pool))
        pages.append(("\n".join(lines), title))
    _with_and_without_shortcut(pages)


def test_quiet_pages_of_real_corpora_are_answered_as_the_rounds_answer_them() -> None:
    rng = random.Random(14)
    records = list(read_jsonl(DATA / "syndication" / "docs.jsonl.gz"))
    records += rng.sample(list(read_jsonl(DATA / "news_pool" / "docs.jsonl.gz")), 600)
    records += list(read_jsonl(DATA / "ecbplus" / "docs.jsonl"))
    pages: list[tuple[str, str | None]] = []
    for r in records:
        pages += [(r["text"], r["title"]), (r["text"], None)]
        if r["title"]:
            pages.append((r["text"], r["title"].upper()))
    taken = _with_and_without_shortcut(pages)
    assert taken > len(pages) // 4  # the shortcut is taken, on a good part of the pages
