"""Tests for stories: developments of one story are linked into one thread, never merged."""

from __future__ import annotations

import numpy as np
import pytest

from storymatch.events import EventClusterer, Story
from storymatch.events.stories import link_stories, story_of
from storymatch.models import Article

# One story in three developments five days apart (a secret visit, the announcement it led
# to, the vote on the pact), each told by three outlets, and one unrelated event.
VISIT = [
    (
        "Dravic minister Ilse Marrant made secret visit to Korvassa",
        "Dravic foreign minister Ilse Marrant flew in secret to Korvassa on Monday and met "
        "President Tamas Oleandro for six hours at his residence, officials said.",
    ),
    (
        "Ilse Marrant held secret talks with Tamas Oleandro in Korvassa",
        "Ilse Marrant, the Dravic foreign minister, travelled unannounced to Korvassa on Monday "
        "for talks with President Tamas Oleandro, two officials confirmed.",
    ),
    (
        "Secret trip: Marrant met Oleandro in Korvassa",
        "The Dravic foreign minister Ilse Marrant quietly visited Korvassa on Monday, where "
        "she met President Tamas Oleandro behind closed doors, officials said.",
    ),
]
PACT = [
    (
        "Korvassa announces port pact with Dravic",
        "President Tamas Oleandro announced on Saturday that Korvassa will sign a port pact "
        "with Dravic giving its ships access to the harbour of Selm for 40 years.",
    ),
    (
        "Oleandro unveils 40-year harbour deal with Dravic",
        "Korvassa's President Tamas Oleandro unveiled on Saturday a 40-year pact that opens "
        "the harbour of Selm to Dravic ships, after talks with Ilse Marrant.",
    ),
    (
        "Dravic ships to use Selm harbour under Korvassa pact",
        "Korvassa announced on Saturday a port pact with Dravic: Dravic ships may use the "
        "harbour of Selm for 40 years, President Tamas Oleandro said.",
    ),
]
VOTE = [
    (
        "Korvassa parliament ratifies Selm port pact with Dravic",
        "The Korvassa parliament ratified on Thursday the Selm port pact with Dravic by 212 "
        "votes to 87, handing President Tamas Oleandro a clear win.",
    ),
    (
        "Lawmakers back Oleandro's Dravic harbour pact, 212 to 87",
        "Korvassa lawmakers voted 212 to 87 on Thursday to ratify the harbour pact with "
        "Dravic, opening Selm to Dravic ships as President Tamas Oleandro had promised.",
    ),
    (
        "Selm pact with Dravic passes Korvassa parliament",
        "Korvassa's parliament approved on Thursday the Selm harbour pact with Dravic, 212 "
        "votes to 87, after a long debate; President Tamas Oleandro welcomed the vote.",
    ),
]
FLOOD = [
    (
        "River Ostra floods the town of Pellwick",
        "The River Ostra burst its banks in Pellwick on Wednesday, flooding 300 homes; "
        "mayor Brenna Lusk ordered the lower town evacuated.",
    ),
    (
        "300 homes flooded as Ostra breaks banks in Pellwick",
        "Floodwater from the River Ostra filled 300 homes in Pellwick on Wednesday and "
        "mayor Brenna Lusk ordered an evacuation of the lower town.",
    ),
    (
        "Pellwick evacuates lower town after Ostra flood",
        "Mayor Brenna Lusk of Pellwick evacuated the lower town on Wednesday after the River "
        "Ostra flooded some 300 homes.",
    ),
]
OUTLETS = ("north.example", "south.example", "west.example")
DATES = {"visit": "2026-03-02", "pact": "2026-03-07", "vote": "2026-03-12", "flood": "2026-03-04"}
WEEKLY = {"visit": "2026-03-02", "pact": "2026-03-14", "vote": "2026-03-26", "flood": "2026-03-04"}


def _articles(name: str, reports: list[tuple[str, str]], dates: dict[str, str]) -> list[Article]:
    return [
        Article(f"{name}-{i}", text, source=outlet, title=title, date=dates[name])
        for i, ((title, text), outlet) in enumerate(zip(reports, OUTLETS, strict=True))
    ]


def _corpus(dates: dict[str, str] = WEEKLY) -> list[Article]:
    return (
        _articles("visit", VISIT, dates)
        + _articles("pact", PACT, dates)
        + _articles("vote", VOTE, dates)
        + _articles("flood", FLOOD, dates)
    )


def _event_of(model: EventClusterer, article_id: str):
    return next(e for e in model.events_ if article_id in e.members)


@pytest.mark.parametrize(
    ("dates", "options"),
    [
        pytest.param(WEEKLY, {}, id="twelve-days-apart-defaults"),
        # five days apart (Monday, Saturday, Thursday) the defaults merge two developments
        # that share actors and words; a one-day window for reported days splits them
        pytest.param(DATES, {"reported_window_days": 1.0}, id="days-apart-reported-window"),
    ],
)
def test_developments_are_separate_events_linked_into_one_story(dates, options):
    model = EventClusterer(dedup=False, **options).fit(_corpus(dates))
    visit, pact, vote, flood = (
        _event_of(model, f"{n}-0") for n in ("visit", "pact", "vote", "flood")
    )
    # one event per development: three reports each, none merged with another development
    for event, name in ((visit, "visit"), (pact, "pact"), (vote, "vote"), (flood, "flood")):
        assert event.members == tuple(f"{name}-{i}" for i in range(3))
    assert len(model.events_) == 4
    # the three developments are one story, in date order; the flood is a story of its own
    assert visit.story == pact.story == vote.story
    assert flood.story != visit.story
    story = next(s for s in model.stories_ if s.id == visit.story)
    assert isinstance(story, Story)
    assert story.events == (visit.id, pact.id, vote.id)
    assert story.label == visit.label
    assert [s.events for s in model.stories_ if s.id == flood.story] == [(flood.id,)]
    assert sorted(len(s) for s in model.stories_) == [1, 3]


def test_story_links_need_the_window():
    model = EventClusterer(dedup=False, story_window_days=1.0).fit(_corpus())
    stories = {_event_of(model, f"{n}-0").story for n in ("visit", "pact", "vote")}
    assert len(stories) == 3  # developments five days apart: no pair within a day


def test_assign_and_partial_fit_keep_stories_as_news_arrives():
    articles = _corpus()
    first = [a for a in articles if not a.id.startswith("vote")]
    model = EventClusterer(dedup=False).fit(first)
    before = {a.id: _event_of(model, a.id).story for a in first}
    stories_before = {s.id for s in model.stories_}
    visit_story = before["visit-0"]
    assert before["pact-0"] == visit_story != before["flood-0"]
    model.partial_fit([a for a in articles if a.id.startswith("vote")])
    after = {a.id: _event_of(model, a.id).story for a in articles}
    # every earlier article keeps its story; the new development joins the visit's story
    assert {k: after[k] for k in before} == before
    assert after["vote-0"] == after["vote-1"] == after["vote-2"] == visit_story
    assert {s.id for s in model.stories_} == stories_before
    story = next(s for s in model.stories_ if s.id == visit_story)
    assert story.events[-1] == _event_of(model, "vote-0").id
    assert len(story.events) == 3
    # an unrelated report opens a story of its own
    event = model.assign(
        Article(
            "x",
            "A violinist, Orla Fenn, won the Brightwater prize for her concerto.",
            date="2026-03-11",
        )
    )
    assert event.story not in stories_before
    assert model.stories_[-1].events == (event.id,)


def test_link_stories_leaves_out_pairs_far_apart_and_without_a_shared_name():
    rep_event = np.array([0, 1, 2])
    left, right = np.array([0, 0]), np.array([1, 2])
    agreement = np.array([0.5, 0.5])
    days = np.array([0.0, 30.0, np.nan])
    labels = link_stories(
        rep_event, left, right, agreement, days, n_events=3, threshold=0.13, window_days=14.0
    )
    assert labels.tolist() == [0, 1, 0]  # 30 days apart: no link; an unknown day counts
    none_shared = link_stories(
        rep_event, left, right, np.zeros(2), days, n_events=3, threshold=0.13, window_days=14.0
    )
    assert none_shared.tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("agreement", "expected"),
    [
        pytest.param([0.2, 0.0], -1, id="one-of-two-reports-too-weak"),
        pytest.param([0.2, 0.2], 0, id="both-reports-agree"),
    ],
)
def test_story_of_takes_the_mean_over_the_event(agreement, expected):
    found = story_of(
        np.array([0, 0]),
        np.array(agreement),
        np.array([1.0, 1.0]),
        np.array([2]),
        threshold=0.13,
        window_days=14.0,
    )
    assert found == expected
