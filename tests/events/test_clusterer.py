"""Tests for storymatch.events.clusterer: EventClusterer on samples, real data, incrementally."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from tests import shared_data

from storymatch.dedup.cluster import NearDuplicateClusterer
from storymatch.errors import InvalidParameterError, NotFittedError
from storymatch.evaluate import bcubed_scores
from storymatch.events import (
    Event,
    EventClusterer,
    event_id,
)
from storymatch.events.signals import extract_names, extract_numbers
from storymatch.models import Article

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample" / "articles.jsonl"


def _load(path: Path) -> tuple[list[Article], list[str], list[int | None]]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return (
        [Article.from_dict(r) for r in records],
        [str(r.get("cluster", r.get("event"))) for r in records],
        [r.get("topic") for r in records],
    )


def test_unknown_and_unreadable_dates_do_not_break_fit():
    texts = [
        "Dock workers in Marrowgate strike over pay, union leader Ines Valcourt says.",
        "Marrowgate dock workers strike; Ines Valcourt speaks for the union on pay.",
        "Bridge collapse in Brackenford injures fourteen near the River Lisle.",
    ]
    articles = [
        Article("a", texts[0], date="2026-03-10"),
        Article("b", texts[1], date=None),
        Article("c", texts[2], date="not a date"),
    ]
    labels = EventClusterer(min_df=1).fit_predict(articles).tolist()
    assert labels[0] == labels[1] != labels[2]


def test_distant_dates_split_identical_wording():
    text = "Storm floods the Lisle valley; the mayor of Brackenford orders evacuations."
    articles = [
        Article("a", text, date="2026-03-10"),
        Article("b", text + " More rain.", date="2026-03-11"),
        Article("c", text + " Again.", date="2027-06-01"),
    ]
    model = EventClusterer(min_df=1, dedup=False, time_weight=2.0)
    labels = model.fit_predict(articles).tolist()
    assert labels[0] == labels[1] != labels[2]


# ------------------------------------------------------------------------------ sample
@pytest.fixture(scope="module")
def sample() -> tuple[list[Article], list[str]]:
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return [Article.from_dict(r) for r in records], [r["event"] for r in records]


def test_sample_events_recovered(sample):
    articles, gold = sample
    model = EventClusterer().fit(articles)
    assert bcubed_scores(gold, model.labels_.tolist()).f1 == 1.0
    assert len(model.events_) == 3
    assert sum(len(e) for e in model.events_) == len(articles)
    for event in model.events_:
        assert event.id == event_id(event.members)
        assert event.start is not None
        assert event.end is not None
        assert event.start <= event.end
        assert event.label
        assert len(event.outlets) >= 4


def test_text_signals_in_a_child_process_change_nothing(sample, monkeypatch):
    from storymatch._background import usable_cores
    from storymatch.events import clusterer

    articles, _ = sample
    inline = EventClusterer().fit(articles)
    monkeypatch.setattr(clusterer, "_BACKGROUND_MIN_REPORTS", 0)  # fork even for the sample
    monkeypatch.setattr(clusterer, "_SIGNAL_CHUNK", 3)  # many chunks, shared by the two ends
    children: list[int] = []
    real_fork = clusterer.Background.__init__

    def counting(self, *args, **kwargs):
        real_fork(self, *args, **kwargs)
        children.append(self._pid)

    monkeypatch.setattr(clusterer.Background, "__init__", counting)
    forked = EventClusterer().fit(articles)
    if usable_cores() > 1:
        assert [pid for pid in children if pid is not None]
    assert forked.labels_.tolist() == inline.labels_.tolist()
    assert forked.events_ == inline.events_
    assert forked.stories_ == inline.stories_
    assert forked.n_candidates_ == inline.n_candidates_


def test_signal_chunks_a_child_left_undone_are_done_by_the_caller(sample, monkeypatch):
    from storymatch.events import clusterer

    monkeypatch.setattr(clusterer, "_SIGNAL_CHUNK", 3)
    monkeypatch.setattr(clusterer, "_MEMO_ENTRIES", 4)  # the chunks' memo cleared now and then
    articles, _ = sample
    model = EventClusterer()
    corpus = articles[:10]
    skip = np.zeros(10, dtype=bool)
    skip[[2, 7]] = True  # two copies: their signals are never needed
    rows = [9, 0, 1, 3, 4, 5, 6, 8]  # the reports, in the groups' order
    whole = model._text_signals([corpus[i] for i in rows])
    chunks = model._signal_chunks(corpus, skip, range(4).__iter__)
    assert sorted(chunks) == [0, 1, 2, 3]  # 10 articles in chunks of 3
    assert [chunks[c][0] for c in range(4)] == [[0, 1], [3, 4, 5], [6, 8], [9]]
    packed = model._packed_signal_chunks(corpus, skip, range(4).__iter__)
    assert packed.keys() == chunks.keys()
    for chunk, data in packed.items():
        found, (names, numbers, days, reported, nums) = pickle.loads(data)
        assert found == chunks[chunk][0]
        assert (names.lists(), numbers, nums.lists()) == (
            chunks[chunk][1][0].lists(),
            chunks[chunk][1][1],
            chunks[chunk][1][4].lists(),
        )
        assert np.array_equal(days, chunks[chunk][1][2], equal_nan=True)
        assert reported.tolist() == chunks[chunk][1][3].tolist()
    joined = model._joined_signals(corpus, skip, rows, {1: pickle.loads(packed[1])})
    assert joined[0].lists() == whole[0].lists()  # chunks 0, 2 and 3 were left undone
    assert joined[1] == whole[1]
    assert np.array_equal(joined[2], whole[2], equal_nan=True)
    assert joined[3].tolist() == whole[3].tolist()
    assert joined[4].lists() == whole[4].lists()
    assert joined[0].lists() == [extract_names(model._document(corpus[i])) for i in rows]
    full = [extract_numbers(corpus[i].text) for i in rows]
    assert joined[4].lists() == [[t for t in tokens if t[:2] != "k:"] for tokens in full]
    # the conflicts read the years and the unit values alone
    assert joined[1] == [[t for t in tokens if t[:2] in ("y:", "k:")] for tokens in full]
    assert any(t.startswith("k:") for tokens in full for t in tokens)  # some were dropped
    assert any(t.startswith("n:") for tokens in full for t in tokens)


def test_copies_never_split(sample):
    articles, _ = sample
    model = EventClusterer().fit(articles)
    label = dict(zip((a.id for a in articles), model.labels_.tolist(), strict=True))
    copies = [a.id for a in articles if "~copy-" in a.id]
    assert len(copies) == 5
    for copy in copies:
        assert label[copy] == label[copy.split("~copy-")[0]]
    for group in model.groups_:
        assert len({label[m] for m in group.members}) == 1


def test_precomputed_groups_are_followed(sample):
    articles, _ = sample
    # force two unrelated articles into one "group": the event must keep them together
    groups = NearDuplicateClusterer().fit(articles).groups_
    merged = [g for g in groups if len(g) == 1][:2]
    rest = [g for g in groups if g not in merged]
    members = merged[0].members + merged[1].members
    forced = type(merged[0])(merged[0].id, members[0], members, (1.0, 1.0))
    model = EventClusterer().fit(articles, groups=[*rest, forced])
    label = dict(zip((a.id for a in articles), model.labels_.tolist(), strict=True))
    assert label[members[0]] == label[members[1]]


def test_groups_must_cover_every_article(sample):
    articles, _ = sample
    groups = NearDuplicateClusterer().fit(articles).groups_
    with pytest.raises(InvalidParameterError):
        EventClusterer().fit(articles, groups=groups[1:])


def test_labels_survive_permutation(sample):
    articles, _ = sample
    forward = EventClusterer().fit(articles)
    backward = EventClusterer().fit(articles[::-1])
    assert {e.id for e in forward.events_} == {e.id for e in backward.events_}


def test_event_to_dict():
    event = Event("e-1", ("a", "b"), ("x.example",), None, None, "Label")
    assert event.to_dict()["members"] == ["a", "b"]
    assert len(event) == 2


# ------------------------------------------------------------------------------ contract
def test_estimator_contract():
    sklearn_base = pytest.importorskip("sklearn.base")
    model = EventClusterer(threshold=0.2, names_weight=0.0)
    params = model.get_params()
    assert params["threshold"] == 0.2
    assert params["names_weight"] == 0.0
    twin = sklearn_base.clone(model)
    assert twin.get_params() == params
    assert twin is not model
    assert model.set_params(threshold=0.3).threshold == 0.3
    with pytest.raises(InvalidParameterError):
        model.set_params(nope=1)


def test_not_fitted_and_invalid_params():
    with pytest.raises(NotFittedError):
        EventClusterer().document_events()
    with pytest.raises(InvalidParameterError):
        EventClusterer(threshold=-1.0).fit(["a b c"])
    with pytest.raises(InvalidParameterError):
        EventClusterer(n_neighbors=0).fit(["a b c"])
    with pytest.raises(InvalidParameterError):
        EventClusterer(dedup="yes").fit(["a b c"])  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="cohesion"):
        EventClusterer(cohesion=-0.1).fit(["a b c"])
    with pytest.raises(InvalidParameterError, match="cohesion_min_size"):
        EventClusterer(cohesion_min_size=1).fit(["a b c"])


def test_small_inputs():
    assert EventClusterer().fit_predict([]).tolist() == []
    assert EventClusterer().fit_predict(["only one"]).tolist() == [0]
    model = EventClusterer().fit(["the and of", "a an the"])
    assert len(model.events_) == 2
    assert model.document_events()[0] is model.events_[model.labels_[0]]


# ------------------------------------------------------------------------------ real data
# Floors: those of the quality gate (benchmarks/floors.json: what the defaults measured on the
# shared sets with benchmarks/events_quality.py, minus a small margin).
@pytest.mark.slow
@pytest.mark.parametrize("name", ["ecbplus", "basil"])
def test_real_data_floor(name):
    path = shared_data.data_dir() / name / "docs.jsonl"
    shared_data.require(path)
    floors = json.loads(
        (Path(__file__).resolve().parents[2] / "benchmarks" / "floors.json").read_text("utf-8")
    )["floors"]
    articles, gold, _ = _load(path)
    labels = EventClusterer().fit_predict(articles).tolist()
    assert bcubed_scores(gold, labels).f1 >= floors[f"events/{name}/bcubed_f1"]["floor"]


# ------------------------------------------------------------------------------ incremental
def test_assign_joins_an_event_or_opens_one(sample):
    articles, gold = sample
    held = [i for i, a in enumerate(articles) if "~copy-" not in a.id][-3:]
    first = [a for i, a in enumerate(articles) if i not in held]
    model = EventClusterer().fit(first)
    n_events = len(model.events_)
    n_groups = len(model.groups_)
    for i in held:
        event = model.assign(articles[i])
        assert articles[i].id in event.members
        assert event in model.events_
        assert event.id == event_id(event.members)
        assert articles[i].source in event.outlets
    assert len(model.events_) == n_events  # all three belong to known events
    order = [a.id for a in first] + [articles[i].id for i in held]
    by_id = dict(zip(order, model.labels_.tolist(), strict=True))
    labels = [by_id[a.id] for a in articles]
    assert bcubed_scores(gold, labels).f1 == 1.0
    assert sum(len(e) for e in model.events_) == len(articles)
    assert len(model.groups_) == n_groups + 3  # each assigned article is its own group
    unrelated = Article("new", "Chess club in Ortham elects Baptiste Merle as its new chair.")
    event = model.assign(unrelated)
    assert event.members == ("new",)
    assert len(model.events_) == n_events + 1
    assert model.labels_[-1] == n_events
    assert model.document_events()[-1] is event


def test_assign_errors():
    with pytest.raises(NotFittedError):
        EventClusterer().assign("text")
    model = EventClusterer(min_df=1).fit(["one text about Ortham", "another about Lisle"])
    with pytest.raises(InvalidParameterError):
        model.assign(Article("0", "duplicate id"))
    with pytest.raises(InvalidParameterError):
        model.assign(42)  # type: ignore[arg-type]


def test_assign_after_a_degenerate_fit_refits():
    model = EventClusterer(min_df=1, dedup=False).fit(["Storm floods the Lisle valley."])
    event = model.assign("Storm floods the Lisle valley; Brackenford evacuates.")
    assert model.labels_.tolist() == [0, 0]
    assert event.members == ("0", "1")


def test_partial_fit_matches_fit_on_the_sample(sample):
    articles, gold = sample
    model = EventClusterer().partial_fit(articles[:12])  # not fitted yet: fit
    model.partial_fit(articles[12:])
    assert len(model.labels_) == len(articles)
    assert bcubed_scores(gold, model.labels_.tolist()).f1 >= 0.9
    copies = [a.id for a in articles if "~copy-" in a.id]
    label = dict(zip((a.id for a in articles), model.labels_.tolist(), strict=True))
    for copy in copies:
        assert label[copy] == label[copy.split("~copy-")[0]]
