"""storymatch.pipeline: analyze() and the one choice of an event's reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storymatch.cli import main
from storymatch.errors import InvalidParameterError
from storymatch.io import read_articles
from storymatch.models import Analysis, Article, DuplicateGroup, Event
from storymatch.pipeline import analyze, event_reports, find_event_reports

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample" / "articles.jsonl"


@pytest.fixture(scope="module")
def sample() -> list[Article]:
    return list(read_articles(SAMPLE).articles)


@pytest.fixture(scope="module")
def analysis(sample: list[Article]) -> Analysis:
    return analyze(sample)


def _event(members: tuple[str, ...]) -> Event:
    return Event("e1", members, (), None, None, "")


def _group(gid: str, members: tuple[str, ...]) -> DuplicateGroup:
    return DuplicateGroup(gid, members[0], members, tuple(1.0 for _ in members))


def test_one_report_per_group_earliest_first_undated_last_ties_by_id():
    docs = {
        "late": Article("late", "x", date="2024-05-03"),
        "copy": Article("copy", "x", date="2024-05-01"),
        "early": Article("early", "x", date="2024-05-01"),
        "b-undated": Article("b-undated", "x"),
        "a-undated": Article("a-undated", "x"),
        "elsewhere": Article("elsewhere", "x", date="2024-01-01"),
    }
    groups = [
        _group("g1", ("late", "copy")),  # represented by "late", not by its dated copy
        _group("g2", ("early",)),
        _group("g3", ("b-undated",)),
        _group("g4", ("a-undated",)),
        _group("g5", ("elsewhere",)),  # not in the event
    ]
    event = _event(("late", "copy", "early", "b-undated", "a-undated"))
    chosen = event_reports(event, groups, docs)
    assert [a.id for a in chosen] == ["early", "late", "a-undated", "b-undated"]
    assert [a.id for a in event_reports(event, groups, docs, max_reports=2)] == ["early", "late"]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "3"])
def test_max_reports_must_be_a_positive_int(bad):
    docs = {"a": Article("a", "x")}
    with pytest.raises(InvalidParameterError, match="'max_reports' parameter of event_reports"):
        event_reports(_event(("a",)), [_group("g", ("a",))], docs, max_reports=bad)


def test_unknown_event_is_a_parameter_error(sample):
    with pytest.raises(InvalidParameterError, match="'e-0000'"):
        find_event_reports(sample, "e-0000")


def test_analyze_compares_each_event_of_two_or_more_reports(analysis):
    by_id = {a.id: a for a in analysis.articles}
    for event in analysis.events:
        chosen = event_reports(event, analysis.groups, by_id)
        if len(chosen) >= 2:
            comparison = analysis.comparisons[event.id]
            assert [o.id for o in comparison.outlets] == [a.id for a in chosen]
            assert comparison.event == event.id
        else:
            assert event.id not in analysis.comparisons
    assert analysis.comparisons


def test_analyze_reports_progress_by_stage(sample):
    calls: list[tuple[str, int, int]] = []
    analyze(sample[:6], progress=lambda stage, done, total: calls.append((stage, done, total)))
    stages = [stage for stage, _, _ in calls]
    assert stages[:4] == ["dedup", "dedup", "events", "events"]
    assert calls[-1][0] == "compare"
    assert calls[-1][1] == calls[-1][2]


def test_compare_event_and_report_pick_the_same_reports(analysis, sample, tmp_path):
    assert len(analysis.comparisons) >= 2
    for event_id, comparison in analysis.comparisons.items():
        assert [a.id for a in find_event_reports(sample, event_id)] == [
            o.id for o in comparison.outlets
        ]
        out = tmp_path / f"{event_id}.json"
        argv = ["-q", "compare", str(SAMPLE), "--event", event_id, "-f", "json", "-o", str(out)]
        assert main(argv) == 0
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["event"] == event_id
        assert [o["id"] for o in data["outlets"]] == [o.id for o in comparison.outlets]
