"""Tests for storymatch.text.boilerplate.rules: each kind of chrome line, through clean()."""

from __future__ import annotations

import pytest
from tests.text.boilerplate.pages import (
    BODY_ONE,
    BODY_THREE,
    BODY_TWO,
    check_spans,
    page_with,
)

from storymatch.text.boilerplate import clean

# --------------------------------------------------------------------------- chrome lines


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        pytest.param("Skip to content", "navigation", id="skip"),
        pytest.param("Menu", "navigation", id="menu"),
        pytest.param("Search", "navigation", id="search"),
        pytest.param("Sign in | Register", "navigation", id="sign-in"),
        pytest.param("Home \u00bb World \u00bb News", "navigation", id="breadcrumb"),
        pytest.param(
            "Home | News | Sport | Business | Opinion | Weather", "navigation", id="menu-bar"
        ),
        pytest.param("Tags: news, world", "navigation", id="tags"),
        pytest.param("Back to top button", "navigation", id="back-to-top"),
        pytest.param("Share this: Facebook Twitter Email", "share", id="share-this"),
        pytest.param("Share on Twitter", "share", id="share-on"),
        pytest.param("Follow us on social media", "share", id="follow-us"),
        pytest.param("Facebook Twitter", "share", id="platforms"),
        pytest.param("Leave a Reply", "comment", id="leave-a-reply"),
        pytest.param("Comments (0)", "comment", id="comments-count"),
        pytest.param("12 comments", "comment", id="n-comments"),
        pytest.param("Advertisement", "advertisement", id="advertisement"),
        pytest.param("ADVERTISEMENT", "advertisement", id="advertisement-upper"),
        pytest.param("Story continues below", "advertisement", id="story-continues"),
        pytest.param("Subscribe", "advertisement", id="subscribe"),
        pytest.param(
            "\u00a9 Coastal Herald. All rights reserved.", "copyright", id="copyright-sign"
        ),
        pytest.param("Copyright Metro Dispatch", "copyright", id="copyright-word"),
        pytest.param(
            "Copyright 2013 The Associated Press. All rights reserved.",
            "copyright",
            id="copyright-ap",
        ),
        pytest.param("Terms of use | Privacy policy | Contact us", "copyright", id="legal-links"),
        pytest.param("Source", "credit", id="source"),
        pytest.param("Source: Reuters", "credit", id="source-agency"),
        pytest.param("This is a developing story and will be updated.", "note", id="note"),
        pytest.param(
            "FILE PHOTO: An Iranian military drone, 2021. \u00a9 Iranian Army office / AFP",
            "caption",
            id="file-photo",
        ),
        pytest.param("Photo: Jane Doe for the Herald", "caption", id="photo-colon"),
        pytest.param("(Reuters)", "caption", id="reuters-credit"),
        pytest.param("REUTERS/Kevin Lamarque", "caption", id="reuters-slash"),
        pytest.param("AFP/Getty Images", "caption", id="afp-getty"),
        pytest.param(
            "Rescuers at the scene. \u00a9 Jane Doe / AP", "caption", id="copyright-agency"
        ),
        pytest.param("By Jane Doe", "byline", id="by-name"),
        pytest.param("By Harbor Times Digital Team", "byline", id="by-team"),
        pytest.param("BY JOHN SMITH and MARY JONES, Associated Press", "byline", id="by-upper"),
        pytest.param("By Staff Reporter", "byline", id="by-staff"),
        pytest.param("Metro Dispatch Wire", "byline", id="desk-wire"),
        pytest.param("Daily Ledger News Desk", "byline", id="news-desk"),
        pytest.param(
            "Reporting by wire services; additional reporting by our staff.",
            "byline",
            id="reporting-by",
        ),
        pytest.param("PUBLISHED FRIDAY, MARCH 8, 2013 AT 12: 46 PM", "dateline", id="published"),
        pytest.param("Posted 12/19/2005 3: 36 PM", "dateline", id="posted"),
        pytest.param("on Dec 23 2012, 5: 03p", "dateline", id="on-date"),
        pytest.param("Last Updated: Tuesday, 20 December 2005, 10: 39 GMT", "dateline", id="last"),
        pytest.param("Updated 7:20 PM", "dateline", id="updated-time"),
        pytest.param("May 2, 2013 | 5: 03pm", "dateline", id="date-bar-time"),
        pytest.param("WASHINGTON, DC, April 28, 2009", "dateline", id="place-date"),
        pytest.param("Reuters Sep 18, 2013, 02. 16PM IST", "dateline", id="agency-date"),
    ],
)
def test_chrome_line_is_removed_with_its_kind(line: str, kind: str) -> None:
    page = page_with(line)
    result = clean(page)
    assert result.text == f"{BODY_ONE}\n\n{BODY_TWO}\n\n{BODY_THREE}"
    assert [(r.kind, r.text) for r in result.removed] == [(kind, line)]
    check_spans(page, result)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(
            "By the end of the year, the council expects to have reopened every bridge.",
            id="by-the-end",
        ),
        pytest.param("By Monday, all residents had returned home.", id="by-monday"),
        pytest.param(
            "Source: the ministry said the repairs would cost about 40 million crowns.",
            id="source-sentence",
        ),
        pytest.param(
            "Read more about the plan in the report published on Monday, officials said.",
            id="read-more-sentence",
        ),
        pytest.param(
            "Photographs taken by residents showed the central span folding into the river.",
            id="photographs-prose",
        ),
        pytest.param(
            "Photo by photo, the exhibition traces the bridge from 1902 to its collapse.",
            id="photo-by-prose",
        ),
        pytest.param(
            "\u201cThe \u00a9 on the plaque was added later,\u201d the curator said, pointing at "
            "the old bronze sign at the entrance of the museum that had stood there since the "
            "bridge opened in 1902 and survived two floods, a fire and several renovations.",
            id="copyright-sign-in-a-long-quote",
        ),
        pytest.param(
            "Copyright infringement claims rose 20 percent last year.", id="copyright-sentence"
        ),
        pytest.param("He was 75.", id="short-fact"),
        pytest.param("Jackson is due in court Feb. 17.", id="sentence-with-date"),
        pytest.param("Share prices fell 3 percent on Monday.", id="share-prices"),
        pytest.param("Home prices rose in every region last year, the survey found.", id="home"),
        pytest.param("Search teams worked through the night.", id="search-teams"),
        pytest.param("Subscribers will get a refund, the company said.", id="subscribers"),
        pytest.param("The related case was heard on Monday.", id="related-word"),
        pytest.param("End of Watch: Friday, June 24, 2005", id="memorial-line"),
        pytest.param("News of the collapse spread quickly across the valley.", id="news-word"),
    ],
)
def test_article_text_that_looks_like_chrome_is_kept(line: str) -> None:
    page = page_with(line)
    result = clean(page)
    assert result.text == f"{BODY_ONE}\n\n{line}\n\n{BODY_TWO}\n\n{BODY_THREE}"
    assert result.removed == ()


def test_a_long_paragraph_after_a_read_more_marker_is_kept() -> None:
    paragraph = " ".join([BODY_THREE] * 3)
    page = f"{BODY_ONE}\n\nRead more\n\n{paragraph}\n\n{BODY_TWO}"
    result = clean(page)
    assert result.text == f"{BODY_ONE}\n\n{paragraph}\n\n{BODY_TWO}"
    assert [(r.kind, r.text) for r in result.removed] == [("widget", "Read more")]


def test_section_label_is_chrome_only_above_the_body() -> None:
    top = clean(f"News\n\n{BODY_ONE}\n\n{BODY_TWO}")
    assert [(r.kind, r.text) for r in top.removed] == [("navigation", "News")]
    inside = clean(f"{BODY_ONE}\n\nWorld\n\n{BODY_TWO}")
    assert inside.removed == ()
