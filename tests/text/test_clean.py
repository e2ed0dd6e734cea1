"""Tests for storymatch.text.clean: the page cleaner and the corpus template model."""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import shared_data
from tests.strategies import any_text, news_texts, word_texts

from storymatch.errors import InvalidInputError, InvalidParameterError, NotFittedError
from storymatch.models import Article
from storymatch.text.boilerplate import strip_widgets
from storymatch.text.clean import BoilerplateModel, CleanedText, Removal, clean

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEED_PAGE = SHARED / "seed" / "000_3418e995a78ff2f8.txt"
DATA = Path(os.environ.get("STORYMATCH_DATA", SHARED / "data"))

HEADLINE = "Iran responds to US claims of drone shipments to Russia"
BODY_ONE = (
    "The Kestrel Street Bridge collapsed into the River Lisle on Thursday evening, sending two "
    "cars and a delivery van into the water."
)
BODY_TWO = "All three drivers were rescued and taken to St. Aldric's Hospital, officials said."
BODY_THREE = (
    "Engineers from the regional transport authority will inspect the remaining bridges on the "
    "river before the end of the month, the council said in a statement."
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _check_spans(original: str, result: CleanedText) -> None:
    for r in result.removed:
        assert original[r.start : r.end] == r.text
        assert r.text == r.text.strip()
        assert r.text


# --------------------------------------------------------------------------- the seed page


@pytest.fixture(scope="module")
def seed_page() -> str:
    return shared_data.require(SEED_PAGE).read_text(encoding="utf-8")


def _seed_expected_body(page: str) -> str:
    lines = _lines(page)
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
    _check_spans(seed_page, result)
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
    assert sorted(_lines(result.text) + [r.text for r in result.removed]) == sorted(
        _lines(seed_page)
    )


def test_seed_page_widget_removal_agrees_with_strip_widgets(seed_page: str) -> None:
    widgets_only = clean(
        seed_page, headlines=False, captions=False, bylines=False, datelines=False, chrome=False
    )
    assert _lines(widgets_only.text) == _lines(strip_widgets(seed_page))
    assert {r.kind for r in widgets_only.removed} == {"widget"}


# --------------------------------------------------------------------------- chrome lines


def _page(line: str) -> str:
    return f"{BODY_ONE}\n\n{line}\n\n{BODY_TWO}\n\n{BODY_THREE}"


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
    page = _page(line)
    result = clean(page)
    assert result.text == f"{BODY_ONE}\n\n{BODY_TWO}\n\n{BODY_THREE}"
    assert [(r.kind, r.text) for r in result.removed] == [(kind, line)]
    _check_spans(page, result)


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
    page = _page(line)
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
    page = _page(line)
    assert line not in clean(page).text
    switch: dict[str, Any] = {step: False}
    kept = clean(page, **switch)
    assert line in _lines(kept.text)
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
    source = set(_lines(text))
    for line in result.text.split("\n"):
        assert not line or line in source
    _check_spans(text, result)


@given(news_texts())
def test_every_non_blank_line_is_kept_or_removed(text: str) -> None:
    result = clean(text)
    assert sorted(_lines(result.text) + [r.text for r in result.removed]) == sorted(_lines(text))
    starts = [r.start for r in result.removed]
    assert starts == sorted(starts)


# --------------------------------------------------------------------------- template model


def _site_pages(site: str, n: int) -> list[str]:
    facts = [
        ("bridge", "The Kestrel Street bridge reopened after six weeks of repairs on Monday."),
        ("budget", "The council approved a budget that doubles spending on flood defences."),
        ("strike", "Port workers ended a three-day strike after a new offer on pay and hours."),
        ("storm", "A storm cut power to nine villages in the valley overnight, the utility said."),
        ("rail", "Rail freight operators warned that timetable cuts would delay deliveries."),
        ("school", "Two new schools will open in Saltby next autumn, the education board said."),
    ]
    pages = []
    for topic, fact in facts[:n]:
        pages.append(
            "\n\n".join(
                [
                    site,
                    f"Local news: {topic} update",
                    fact,
                    f"More details on the {topic} story were not immediately available.",
                    f"Readers can send tips to the {site} newsroom.",
                ]
            )
        )
    return pages


def test_model_learns_a_site_template_from_five_pages() -> None:
    pages = _site_pages("Harbor Times", 5)
    model = BoilerplateModel().fit(pages, sources=["harbortimes.example"] * 5)
    assert model.templates_["harbortimes.example"] == frozenset(
        {"harbor times", "readers can send tips to the harbor times newsroom."}
    )
    assert model.n_pages_ == {"harbortimes.example": 5}
    result = model.clean(pages[0], source="harbortimes.example")
    assert [r.kind for r in result.removed].count("template") == 2
    assert "Harbor Times" not in result.text
    assert "The Kestrel Street bridge reopened" in result.text
    # Another site's pages are not touched by this site's template.
    other = model.clean(pages[0], source="other.example")
    assert "template" not in {r.kind for r in other.removed}


def test_model_needs_enough_pages_and_share() -> None:
    pages = _site_pages("Harbor Times", 2)
    model = BoilerplateModel().fit(pages, sources=["harbortimes.example"] * 2)
    assert model.templates_ == {}


def test_model_does_not_learn_a_wire_story_republished_by_five_sites() -> None:
    paragraphs = [
        "The Kestrel Street Bridge collapsed into the River Lisle on Thursday evening.",
        "All three drivers were rescued and taken to hospital, officials said.",
        "Engineers will inspect the remaining bridges on the river this month.",
        "The bridge was built in 1902 and last renovated in 1988.",
        "Kestrel Street closed",  # a short sub-heading, no sentence ending
    ]
    pages, sources = [], []
    for k in range(5):
        body = paragraphs if k % 2 == 0 else paragraphs[:4]  # some copies trimmed
        pages.append("\n\n".join([f"Outlet {k} Online", *body]))
        sources.append(f"outlet{k}.example")
    # Each site also publishes other stories, so its own template can be learned.
    for k in range(5):
        for topic in ("storm", "budget", "rail"):
            pages.append(
                f"Outlet {k} Online\n\nA {topic} story from outlet {k}, with its own facts and "
                f"words about the {topic}, told in outlet {k}'s way."
            )
            sources.append(f"outlet{k}.example")
    model = BoilerplateModel().fit(pages, sources=sources)
    learned = set(model.shared_).union(*model.templates_.values())
    assert "outlet 0 online" in learned
    for paragraph in paragraphs:
        assert paragraph.casefold() not in learned
    for page, source in zip(pages[:5], sources[:5], strict=True):
        result = model.clean(page, source=source)
        for paragraph in paragraphs[:4]:
            assert paragraph in result.text


def test_model_learns_chrome_shared_by_sites_but_not_short_sentences() -> None:
    pages, sources = [], []
    for k in range(4):
        for topic in ("storm", "budget"):
            pages.append(
                f"A {topic} story from outlet {k}, with its own facts, told its own way.\n\n"
                "Most popular this week\n\nHe was 75."
            )
            sources.append(f"outlet{k}.example")
    model = BoilerplateModel(min_share=0.9).fit(pages, sources=sources)
    assert "most popular this week" in model.shared_
    assert "he was 75." not in model.shared_


def test_model_fit_accepts_articles_and_transform_uses_their_sources() -> None:
    pages = _site_pages("Harbor Times", 5)
    articles = [Article(id=str(k), text=t, source="ht.example") for k, t in enumerate(pages)]
    model = BoilerplateModel().fit(articles)
    results = model.transform(articles)
    assert len(results) == 5
    assert all("Harbor Times" not in r.text for r in results)
    plain = model.transform(pages)  # no source: only shared lines apply
    assert all("Harbor Times" in r.text for r in plain)


def test_model_save_and_load_round_trip(tmp_path: Path) -> None:
    pages = _site_pages("Harbor Times", 5)
    model = BoilerplateModel(min_pages=3, min_share=0.5).fit(
        pages, sources=["harbortimes.example"] * 5
    )
    path = tmp_path / "model.json"
    model.save(path)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["format"] == "storymatch.BoilerplateModel"
    loaded = BoilerplateModel.load(path)
    assert loaded.templates_ == model.templates_
    assert loaded.shared_ == model.shared_
    assert loaded.n_pages_ == model.n_pages_
    assert loaded.min_share == 0.5
    for page in pages:
        assert loaded.clean(page, source="harbortimes.example") == model.clean(
            page, source="harbortimes.example"
        )


def test_model_load_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"bad\.json"):
        BoilerplateModel.load(bad)
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else", "version": 1}', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="Not a saved BoilerplateModel"):
        BoilerplateModel.load(other)


def test_model_errors() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        BoilerplateModel().clean("text")
    with pytest.raises(InvalidParameterError, match="'min_share' parameter"):
        BoilerplateModel(min_share=1.5).fit(["a"])
    with pytest.raises(InvalidParameterError, match="'min_pages' parameter"):
        BoilerplateModel(min_pages=0).fit(["a"])
    with pytest.raises(InvalidInputError, match="one source per article"):
        BoilerplateModel().fit(["a", "b"], sources=["x"])
    with pytest.raises(InvalidInputError, match="must be an Article or a str"):
        BoilerplateModel().fit([b"bytes"])  # type: ignore[list-item]


# --------------------------------------------------------------------------- real data

_SPLIT = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"'\u201d\u2019])\s+")
RETENTION_FLOOR = 0.995


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    shared_data.require(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


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
    docs = _read_jsonl(DATA / "ecbplus" / "docs.jsonl")
    body, overall = _retention((r["text"], None, r["sentences"]) for r in docs)
    assert body >= RETENTION_FLOOR
    assert overall >= 0.9  # headlines and datelines go to metadata: ~7% of ECB+ lines


def test_retention_on_basil() -> None:
    docs = _read_jsonl(DATA / "basil" / "docs.jsonl")
    body, overall = _retention(
        (r["text"], r.get("title"), [s for p in r["paragraphs"] for s in p]) for r in docs
    )
    assert body >= RETENTION_FLOOR
    assert overall >= RETENTION_FLOOR


def _pool_docs(path: Path) -> Iterator[tuple[str, str | None, list[str]]]:
    for r in _read_jsonl(path):
        text, title = r["text"], r.get("title")
        rest = text.split("\n\n", 1)[1] if title and text.startswith(title) else text
        sentences = [s for line in rest.split("\n") for s in _SPLIT.split(line.strip()) if s]
        yield text, title, sentences


def test_retention_on_news_pool() -> None:
    body, overall = _retention(_pool_docs(DATA / "news_pool" / "docs.jsonl.gz"))
    assert body >= RETENTION_FLOOR
    assert overall >= RETENTION_FLOOR


def test_template_model_on_syndication_removes_nothing_from_originals() -> None:
    records = list(_read_jsonl(DATA / "syndication" / "docs.jsonl.gz"))
    articles = [Article.from_dict(r) for r in records]
    model = BoilerplateModel().fit(articles)
    outlets = [s for s in model.templates_ if s.endswith(".example")]
    assert len(outlets) >= 10
    for article, record in zip(articles, records, strict=True):
        if record["copy_of"] is None:
            result = model.clean(article.text, source=article.source)
            assert "template" not in {r.kind for r in result.removed}, article.id


def test_boilerplate_model_follows_the_estimator_contract() -> None:
    from sklearn.base import clone

    from storymatch.text.clean import BoilerplateModel

    model = BoilerplateModel(min_pages=4, min_share=0.5)
    assert model.get_params()["min_pages"] == 4
    copy = clone(model)
    assert copy is not model
    assert copy.get_params() == model.get_params()
    assert model.set_params(min_sources=7).min_sources == 7
