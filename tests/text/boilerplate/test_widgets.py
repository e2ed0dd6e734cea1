"""Tests for storymatch.text.boilerplate.widgets: strip_widgets and the widget rule."""

from __future__ import annotations

import pytest
from tests.text.boilerplate.pages import BODY_ONE, BODY_TWO

from storymatch.text.boilerplate import strip_widgets
from storymatch.text.boilerplate.widgets import is_widget_marker, widget_lines


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def test_seed_page_widget_and_quoted_headline_are_removed(seed_page: str) -> None:
    out = strip_widgets(seed_page)
    quoted = [
        line
        for line in _lines(seed_page)
        if "hundreds of drones\u2019 to Russia" in line or "hundreds of drones' to Russia" in line
    ]
    assert len(quoted) == 3  # twice plain before the marker, once typographic after it
    assert "Read more" in seed_page
    for line in _lines(out):
        assert "US claims Iran to send" not in line
        assert line.strip() != "Read more"


def test_seed_page_keeps_every_other_line(seed_page: str) -> None:
    out = strip_widgets(seed_page)
    removed = {
        line
        for line in _lines(seed_page)
        if line.startswith("US claims Iran to send") or line == "Read more"
    }
    assert len(removed) == 3  # plain and typographic quote, marker
    assert _lines(out) == [line for line in _lines(seed_page) if line not in removed]


def test_seed_page_article_paragraphs_remain(seed_page: str) -> None:
    out = strip_widgets(seed_page)
    paragraphs = [line for line in _lines(seed_page) if len(line.split()) >= 15]
    assert len(paragraphs) >= 8
    for paragraph in paragraphs:
        assert paragraph in out
    # The page's own headline (three times) is not a widget quote and stays.
    headline = "Iran responds to US claims of drone shipments to Russia"
    assert out.count(headline) == seed_page.count(headline)


def test_docstring_example() -> None:
    page = "Body one.\n\nOther story\n\nRead more\n\nOther story\n\nBody two."
    assert strip_widgets(page) == "Body one.\n\nBody two."


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param("Read more", id="read-more"),
        pytest.param("READ MORE:", id="read-more-upper-colon"),
        pytest.param("Also read:", id="also-read"),
        pytest.param("RELATED:", id="related"),
        pytest.param("Related stories", id="related-stories"),
        pytest.param("SEE ALSO:", id="see-also"),
        pytest.param("Most read", id="most-read"),
        pytest.param("Recommended for you", id="recommended"),
        pytest.param("More from Reuters", id="more-from"),
        pytest.param("  Read more  ", id="padded"),
    ],
)
def test_markers_remove_the_quoted_headline(marker: str) -> None:
    quote = "Storm warning issued for Lisle valley as rain continues"
    page = f"{BODY_ONE}\n\n{quote}\n\n{marker}\n\n{quote}\n\n{BODY_TWO}"
    assert strip_widgets(page) == f"{BODY_ONE}\n\n{BODY_TWO}"


def test_ocr_noisy_and_restyled_repeats_are_removed() -> None:
    quote = "Brackenford council approves budget for flood defences"
    page = "\n\n".join(
        [
            BODY_ONE,
            "Brackenford counci1 approves budgct for flood defences",  # OCR noise
            "\u201cBrackenford council approves budget for flood defences\u201d",  # restyled
            "Read more",
            quote,
            "BRACKENFORD COUNCIL APPROVES BUDGET FOR FLOOD DEFENCES",  # re-cased
            BODY_TWO,
        ]
    )
    assert strip_widgets(page) == f"{BODY_ONE}\n\n{BODY_TWO}"


def test_marker_at_the_end_removes_the_quote_before_it() -> None:
    quote = "Estmark crown hits three-month high against dollar"
    page = f"{BODY_ONE}\n\n{BODY_TWO}\n\n{quote}\n\nRead more"
    assert strip_widgets(page) == f"{BODY_ONE}\n\n{BODY_TWO}"


def test_two_widgets_on_one_page() -> None:
    first, second = (
        "Rail freight operators brace for timetable cuts",
        "Council approves new cycle lanes",
    )
    page = "\n\n".join(
        [
            BODY_ONE,
            first,
            "Read more",
            first,
            BODY_TWO,
            "RELATED:",
            second,
            second,
            "The end of the article.",
        ]
    )
    assert strip_widgets(page) == f"{BODY_ONE}\n\n{BODY_TWO}\n\nThe end of the article."


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"{BODY_ONE}\n\n{BODY_TWO}", id="no-marker-word"),
        pytest.param(
            "The related case was heard on Monday.\n\nRead more about it below.",
            id="marker-words-in-sentences",
        ),
        pytest.param("", id="empty"),
        pytest.param("Line one\r\n\r\n\r\n\r\nLine two\n\n\n\n", id="untouched-whitespace"),
    ],
)
def test_without_a_marker_line_the_same_object_is_returned(text: str) -> None:
    assert strip_widgets(text) is text


def test_long_paragraph_after_a_marker_is_kept() -> None:
    paragraph = " ".join(
        ["The minister said the review would cover every bridge in the region."] * 5
    )
    assert len(paragraph.split()) > 40
    page = f"{BODY_ONE}\n\nRead more\n\n{paragraph}\n\n{BODY_TWO}"
    out = strip_widgets(page)
    assert paragraph in out
    assert "Read more" not in out
    assert out == f"{BODY_ONE}\n\n{paragraph}\n\n{BODY_TWO}"


def test_article_paragraph_next_to_a_widget_is_kept() -> None:
    quote = "Storm warning issued for Lisle valley as rain continues"
    page = f"{BODY_ONE}\n\nRead more\n\n{quote}\n\n{BODY_TWO}"
    out = strip_widgets(page)
    assert BODY_ONE in out
    assert BODY_TWO in out
    assert quote not in out


@pytest.mark.parametrize(
    "marker",
    [
        pytest.param("RELATED: Council approves new cycle lanes for Old Town", id="related"),
        pytest.param("Read more: Council approves new cycle lanes for Old Town", id="read-more"),
        pytest.param("SEE ALSO:  council approves new cycle lanes for old town", id="see-also"),
    ],
)
def test_inline_widget_and_the_headline_it_repeats_are_removed(marker):
    page = (
        "Dockworkers walked out on Tuesday over pay and automation at the port.\n\n"
        "Council approves new cycle lanes for Old Town\n\n"
        f"{marker}\n\n"
        "The union said the strike would last 72 hours."
    )
    assert strip_widgets(page) == (
        "Dockworkers walked out on Tuesday over pay and automation at the port.\n\n"
        "The union said the strike would last 72 hours."
    )


def test_marker_words_inside_prose_are_kept():
    page = (
        "Officials said related documents were published last week in full on its website.\n\n"
        "Read more about the plan in the report the ministry will publish on Monday."
    )
    assert strip_widgets(page) == page


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("Read more", True, id="marker"),
        pytest.param("  ALSO READ:", True, id="indented-caps-colon"),
        pytest.param("RELATED: Council approves new cycle lanes", True, id="inline"),
        pytest.param("Read more about the budget below.", False, id="prose"),
        pytest.param("The related cases were heard today.", False, id="word-inside"),
    ],
)
def test_is_widget_marker(line: str, expected: bool) -> None:
    assert is_widget_marker(line) is expected


def test_widget_lines_are_the_marker_and_the_quote() -> None:
    lines = ["Body.", "", "Other story", "", "Read more", "", "Other story", "", "Body two."]
    assert widget_lines(lines, [4]) == {2, 4, 6}
