"""Tests for storymatch.text.boilerplate.cleaner: clean() end to end, its switches and results."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import any_text, news_texts, word_texts
from tests.text.boilerplate.pages import (
    BODY_ONE,
    DATA,
    HEADLINE,
    check_spans,
    nonblank_lines,
    page_with,
    read_jsonl,
)

from storymatch.text.boilerplate import CleanedText, Removal, clean, strip_widgets
from storymatch.text.boilerplate.cleaner import _forget_lines

# --------------------------------------------------------------------------- the seed page


def _seed_expected_body(page: str) -> str:
    lines = nonblank_lines(page)
    first = next(i for i, line in enumerate(lines) if line.startswith("Tehran will not help"))
    last = next(i for i, line in enumerate(lines) if line.endswith("completely unprovoked."))
    widget = {
        line for line in lines if line == "Read more" or line.startswith("US claims Iran to send")
    }
    paragraphs = [line for line in lines[first : last + 1] if line not in widget]
    return "\n\n".join(paragraphs)


def test_seed_page_is_exactly_the_article_body(seed_page: str) -> None:
    result = clean(seed_page)
    expected = _seed_expected_body(seed_page)
    assert len(expected.split("\n\n")) == 9
    assert result.text == expected
    assert result.title == HEADLINE
    assert result.standfirst == (
        "Iranian foreign minister says Tehran will not back any side in the Russia-Ukraine conflict"
    )


def test_seed_page_removals_are_labelled_and_located(seed_page: str) -> None:
    result = clean(seed_page)
    check_spans(seed_page, result)
    kinds = [(r.kind, r.text[:24]) for r in result.removed]
    assert kinds == [
        ("navigation", "News"),
        ("headline", HEADLINE[:24]),
        ("standfirst", "Iranian foreign minister"),
        ("headline", HEADLINE[:24]),
        ("caption", "FILE PHOTO: An Iranian m"),
        ("widget", "US claims Iran to send '"),
        ("widget", "US claims Iran to send '"),
        ("widget", "Read more"),
        ("widget", "US claims Iran to send \u2018"),
        ("credit", "Source"),
        ("comment", "Leave a Reply"),
        ("navigation", "Back to top button"),
    ]
    # Every line of the page is either in the body or removed, exactly once.
    assert sorted(nonblank_lines(result.text) + [r.text for r in result.removed]) == sorted(
        nonblank_lines(seed_page)
    )


def test_seed_page_widget_removal_agrees_with_strip_widgets(seed_page: str) -> None:
    widgets_only = clean(
        seed_page, headlines=False, captions=False, bylines=False, datelines=False, chrome=False
    )
    assert nonblank_lines(widgets_only.text) == nonblank_lines(strip_widgets(seed_page))
    assert {r.kind for r in widgets_only.removed} == {"widget"}


def test_metadata_keeps_the_first_byline_and_dateline() -> None:
    page = "\n\n".join(
        ["By Jane Doe", "Posted 12/19/2005 3: 36 PM", "Updated 12/19/2005 5: 10 PM", BODY_ONE]
    )
    result = clean(page)
    assert result.byline == "Jane Doe"
    assert result.dateline == "Posted 12/19/2005 3: 36 PM"
    assert [r.kind for r in result.removed] == ["byline", "dateline", "dateline"]


# --------------------------------------------------------------------------- switches


@pytest.mark.parametrize(
    ("step", "line"),
    [
        pytest.param("widgets", "Read more", id="widgets"),
        pytest.param("captions", "FILE PHOTO: A drone. \u00a9 Army office / AFP", id="captions"),
        pytest.param("bylines", "By Jane Doe", id="bylines"),
        pytest.param("datelines", "Posted 12/19/2005 3: 36 PM", id="datelines"),
        pytest.param("chrome", "Share on Twitter", id="chrome"),
    ],
)
def test_each_line_step_can_be_switched_off(step: str, line: str) -> None:
    page = page_with(line)
    assert line not in clean(page).text
    switch: dict[str, Any] = {step: False}
    kept = clean(page, **switch)
    assert line in nonblank_lines(kept.text)
    assert kept.removed == () or all(r.text != line for r in kept.removed)


def test_headline_step_can_be_switched_off() -> None:
    headline = "Bridge collapse sends cars into River Lisle"
    page = "\n\n".join([headline, headline, BODY_ONE])
    off = clean(page, headlines=False)
    assert off.title is None
    assert off.text == page
    assert clean(page, headlines=False, title="Given").title == "Given"


def test_everything_off_only_normalises_whitespace() -> None:
    page = "  Skip to content \r\n\r\n\r\nBody line one.\r\nBody line two.  \n\n\nAdvertisement"
    result = clean(
        page,
        headlines=False,
        widgets=False,
        captions=False,
        bylines=False,
        datelines=False,
        chrome=False,
    )
    assert result.text == "Skip to content\n\nBody line one.\nBody line two.\n\nAdvertisement"
    assert result.removed == ()


# --------------------------------------------------------------------------- result objects


def test_result_round_trips_through_a_dict(seed_page: str) -> None:
    result = clean(seed_page)
    record = json.loads(json.dumps(result.to_dict()))
    assert CleanedText.from_dict(record) == result
    assert record["removed"][0] == {"kind": "navigation", "text": "News", "start": 0, "end": 4}
    assert Removal.from_dict(record["removed"][1]) == result.removed[1]


def test_empty_and_blank_pages() -> None:
    assert clean("") == CleanedText(text="")
    assert clean(" \n\r\n\t") == CleanedText(text="")


# --------------------------------------------------------------------------- properties


page_texts = st.one_of(news_texts(), word_texts(), any_text())


@given(page_texts)
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean(text).text
    assert clean(once).text == once


@given(page_texts)
def test_cleaning_never_adds_text(text: str) -> None:
    result = clean(text)
    assert len(result.text) <= len(text)
    source = set(nonblank_lines(text))
    for line in result.text.split("\n"):
        assert not line or line in source
    check_spans(text, result)


@given(page_texts)
def test_kept_text_is_stripped_lines_in_blocks(text: str) -> None:
    # The copies read a page's body by one replace of the blank lines (issue 14): the kept
    # text is stripped, non-blank lines, its blocks joined by single blank lines.
    kept = clean(text).text
    assert kept.replace("\n\n", "\n") == "\n".join(filter(None, kept.split("\n")))
    assert all(line == line.strip() for line in kept.split("\n"))


@given(news_texts())
def test_every_non_blank_line_is_kept_or_removed(text: str) -> None:
    result = clean(text)
    kept_and_removed = nonblank_lines(result.text) + [r.text for r in result.removed]
    assert sorted(kept_and_removed) == sorted(nonblank_lines(text))
    starts = [r.start for r in result.removed]
    assert starts == sorted(starts)


# --------------------------------------------------------------------------- real data

_SPLIT = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"'\u201d\u2019])\s+")
RETENTION_FLOOR = 0.995


def _norm(text: str) -> str:
    return " ".join(text.split())


def _retention(docs: Iterator[tuple[str, str | None, list[str]]]) -> tuple[float, float]:
    """(body retention, all-sentence retention) of clean over (text, title, sentences).

    Body retention leaves out of the count the lines returned as metadata: the headline line
    returned as title, every standfirst line, the first byline and the first dateline.
    """
    total = kept = metadata = 0
    for text, title, sentences in docs:
        result = clean(text, title=title)
        body = _norm(result.text)
        meta = {_norm(r.text) for r in result.removed if r.kind == "standfirst"}
        firsts: dict[str, str] = {}
        for r in result.removed:
            firsts.setdefault(r.kind, _norm(r.text))
        if result.title is not None and result.title in firsts.get("headline", ""):
            meta.add(firsts["headline"])
        if result.dateline is not None:
            meta.add(_norm(result.dateline))
        if result.byline is not None and "byline" in firsts:
            meta.add(firsts["byline"])
        for sentence in sentences:
            s = _norm(sentence)
            if not s:
                continue
            total += 1
            if s in body:
                kept += 1
            elif s in meta:
                metadata += 1
    return kept / (total - metadata), kept / total


def test_retention_on_ecbplus() -> None:
    docs = read_jsonl(DATA / "ecbplus" / "docs.jsonl")
    body, overall = _retention((r["text"], None, r["sentences"]) for r in docs)
    assert body >= RETENTION_FLOOR
    assert overall >= 0.9  # headlines and datelines go to metadata: ~7% of ECB+ lines


def test_retention_on_basil() -> None:
    docs = read_jsonl(DATA / "basil" / "docs.jsonl")
    body, overall = _retention(
        (r["text"], r.get("title"), [s for p in r["paragraphs"] for s in p]) for r in docs
    )
    assert body >= RETENTION_FLOOR
    assert overall >= RETENTION_FLOOR


def _pool_docs(path: Path) -> Iterator[tuple[str, str | None, list[str]]]:
    for r in read_jsonl(path):
        text, title = r["text"], r.get("title")
        rest = text.split("\n\n", 1)[1] if title and text.startswith(title) else text
        sentences = [s for line in rest.split("\n") for s in _SPLIT.split(line.strip()) if s]
        yield text, title, sentences


def test_retention_on_news_pool() -> None:
    body, overall = _retention(_pool_docs(DATA / "news_pool" / "docs.jsonl.gz"))
    assert body >= RETENTION_FLOOR
    assert overall >= RETENTION_FLOOR


def test_the_historical_import_path_still_works() -> None:
    from storymatch.text import boilerplate
    from storymatch.text import clean as legacy

    assert legacy.clean is boilerplate.clean
    assert legacy.CleanedText is CleanedText
    assert legacy.Removal is Removal
    assert legacy.BoilerplateModel is boilerplate.BoilerplateModel


# --------------------------------------------------------------------------- line cache


SWITCHES = ("headlines", "widgets", "captions", "bylines", "datelines", "chrome")


@given(news_texts(), st.lists(st.fixed_dictionaries({k: st.booleans() for k in SWITCHES})))
def test_lines_read_once_clean_as_lines_read_anew(
    page: str, settings: list[dict[str, bool]]
) -> None:
    # The line rules run once per distinct line and set of switches (issue 14): a page cleaned
    # after others, under other switches, is cleaned as if its lines were read for the first
    # time.
    for switches in settings:
        clean(page, **switches)
    for switches in settings:
        warm = clean(page, **switches)
        _forget_lines()
        assert clean(page, **switches) == warm


def test_switches_are_part_of_a_line_read_once() -> None:
    page = "Skip to content\n\nThe bridge reopened on Monday.\n\nShare this: Facebook Twitter Email"
    assert clean(page).text == "The bridge reopened on Monday."
    assert "Share this: Facebook Twitter Email" in clean(page, chrome=False).text
    assert clean(page).text == "The bridge reopened on Monday."
