"""N-way alignment of sentences into claims (storymatch.differ.align)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storymatch.differ.align import align_sentences
from storymatch.differ.similarity import TokenSetScorer
from storymatch.errors import InvalidParameterError

SCORER = TokenSetScorer(threshold=0.7)

STORM = [
    "A storm killed 12 people in the coastal town of Marrow on Monday.",
    "Rescue teams from the capital searched collapsed houses through the night.",
    "The mayor said rebuilding the harbour would take at least two years.",
    "Power was cut to 40,000 homes across the region.",
    "Schools will stay closed until Thursday, officials said.",
    "Forecasters had warned of gusts above 150 km/h.",
]


def as_sets(clusters: tuple[tuple[tuple[int, int], ...], ...]) -> set[frozenset[tuple[int, int]]]:
    return {frozenset(c) for c in clusters}


def texts_of(reports: list[list[str]], clusters: tuple[tuple[tuple[int, int], ...], ...]) -> set:
    return {frozenset((r, reports[r][i]) for r, i in c) for c in clusters}


def check_partition(reports: list[list[str]], clusters) -> None:
    seen = [key for c in clusters for key in c]
    expected = [(r, i) for r, sents in enumerate(reports) for i in range(len(sents))]
    assert sorted(seen) == expected  # every sentence exactly once


def test_identical_reports_give_all_shared_claims():
    reports = [STORM, STORM, STORM]
    result = align_sentences(reports, scorer=SCORER)
    check_partition(reports, result.clusters)
    assert len(result.clusters) == len(STORM)
    assert all(len(c) == 3 and {r for r, _ in c} == {0, 1, 2} for c in result.clusters)


def test_removed_sentence_is_an_omission_of_that_report_only():
    shorter = [s for i, s in enumerate(STORM) if i != 3]
    reports = [STORM, shorter, STORM]
    result = align_sentences(reports, scorer=SCORER)
    check_partition(reports, result.clusters)
    missing = [c for c in result.clusters if {r for r, _ in c} != {0, 1, 2}]
    assert len(missing) == 1
    assert {(r, reports[r][i]) for r, i in missing[0]} == {(0, STORM[3]), (2, STORM[3])}


def test_reordering_a_report_does_not_change_the_claims():
    other = [
        "Twelve people died when a storm hit the coastal town of Marrow on Monday.",
        "Officials said schools would stay closed until Thursday.",
        "About 40,000 homes across the region lost power.",
        "The town's mayor said it would take at least two years to rebuild the harbour.",
    ]
    shuffled = other[:]
    random.Random(3).shuffle(shuffled)
    base = texts_of([STORM, other], align_sentences([STORM, other], scorer=SCORER).clusters)
    moved = texts_of([STORM, shuffled], align_sentences([STORM, shuffled], scorer=SCORER).clusters)
    assert base == moved


def test_one_sentence_may_match_two_of_another_report():
    a = ["The storm killed 12 people and destroyed 300 homes in the coastal town of Marrow."]
    b = [
        "The storm killed 12 people in the coastal town of Marrow.",
        "It destroyed 300 homes.",
        "The mayor asked for help.",
    ]
    result = align_sentences([a, b], scorer=SCORER)
    check_partition([a, b], result.clusters)
    assert as_sets(result.clusters) == {
        frozenset({(0, 0), (1, 0), (1, 1)}),
        frozenset({(1, 2)}),
    }


class TableScorer:
    """Scores from a table: the linkage logic tested apart from any real scorer."""

    threshold = 0.7

    def __init__(self, table: dict[frozenset[str], float]) -> None:
        self.table = table

    def __call__(self, a, b):
        import numpy as np

        return np.array(
            [self.table.get(frozenset((x, y)), 0.0) for x, y in zip(a, b, strict=False)]
        )


CHAIN = (
    ["The council approved the new budget for the harbour on Monday evening."],
    ["The council approved the new budget on Monday, and the harbour police chief resigned."],
    ["The harbour police chief resigned on Monday after the budget vote."],
)


@pytest.mark.parametrize(("link", "joined"), [(1.0, False), (0.0, True)])
def test_average_linkage_blocks_chains(link, joined):
    # b matches a and c, but a and c state different things: with linkage b joins one of them
    a, b, c = CHAIN
    table = {
        frozenset((a[0], b[0])): 0.9,
        frozenset((b[0], c[0])): 0.8,
        frozenset((a[0], c[0])): 0.1,
    }
    result = align_sentences(list(CHAIN), scorer=TableScorer(table), link=link)
    sizes = sorted(len(cl) for cl in result.clusters)
    assert sizes == ([3] if joined else [1, 2])
    if not joined:
        assert frozenset({(0, 0), (1, 0)}) in as_sets(result.clusters)  # the stronger pair wins


def test_unrelated_reports_share_nothing():
    a = ["The central bank raised interest rates by half a point."]
    b = ["A volcano erupted on the island, forcing thousands to flee."]
    result = align_sentences([a, b], scorer=SCORER)
    assert as_sets(result.clusters) == {frozenset({(0, 0)}), frozenset({(1, 0)})}


def test_empty_and_single_reports():
    assert align_sentences([], scorer=SCORER).clusters == ()
    assert align_sentences([[], []], scorer=SCORER).clusters == ()
    result = align_sentences([STORM[:2], []], scorer=SCORER)
    assert as_sets(result.clusters) == {frozenset({(0, 0)}), frozenset({(0, 1)})}
    tiny = align_sentences([["Hi"], ["Ok"]], scorer=SCORER)  # no character 3-grams at all
    assert tiny.n_candidates == 0


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("threshold", 0.0),
        ("threshold", 1.5),
        ("link", -0.1),
        ("candidates", 0),
        ("join_coverage", 2.0),
    ],
)
def test_bad_options_raise(option, value):
    with pytest.raises(InvalidParameterError, match=option):
        align_sentences([STORM, STORM], scorer=SCORER, **{option: value})


sentence_lists = st.lists(st.sampled_from(STORM), min_size=0, max_size=6)


@given(st.lists(sentence_lists, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_partition_and_order_free_property(reports, rnd):
    result = align_sentences(reports, scorer=SCORER)
    check_partition(reports, result.clusters)
    # at most one report per claim unless a report repeats itself (many-to-one cells)
    shuffled = [rnd.sample(r, len(r)) for r in reports]
    again = align_sentences(shuffled, scorer=SCORER)
    check_partition(shuffled, again.clusters)
    assert sorted(sorted(t for t in c) for c in texts_of(reports, result.clusters)) == sorted(
        sorted(t for t in c) for c in texts_of(shuffled, again.clusters)
    )
