"""The claim table's failure kinds (issue 12), each as a small synthetic table."""

from __future__ import annotations

import pytest

from storymatch import Article
from storymatch.differ.comparison import compare
from storymatch.models import Claim, Comparison
from storymatch.report.html import render_html
from storymatch.report.markdown import render_markdown
from storymatch.report.terminal import render_text


def _cells_of(result: Comparison, needle: str) -> list[tuple[str, ...]]:
    """Return, for each claim holding a sentence with ``needle``, its outlets."""
    return [
        claim.outlets
        for claim in result.claims
        if any(needle in s.text for cell in claim.cells for s in cell.sentences)
    ]


def test_distant_sentences_sharing_a_few_words_are_not_glued() -> None:
    a = Article(
        "a",
        "Representative Duncan Hunter was indicted on Tuesday on charges of misusing campaign "
        "money. His lawyer said the charges were politically motivated. The congressman "
        "spent the money on family vacations, prosecutors said.",
        source="one",
    )
    b = Article(
        "b",
        "A grand jury indicted Representative Duncan Hunter on Tuesday for misusing campaign "
        "funds. The weather in San Diego was mild this week. Hunter's lawyer, a former "
        "prosecutor, once worked for a law firm in Washington.",
        source="two",
    )
    result = compare([a, b])
    for claim in result.claims:
        for cell in claim.cells:
            assert len(cell.sentences) == 1, cell.label  # no cell glues two sentences
    assert ("a", "b") in _cells_of(result, "indicted")


def test_a_photo_caption_is_never_a_claim() -> None:
    caption = "Senator Jane Doe speaks in Washington on Monday. (AP Photo/John Roe)"
    a = Article(
        "a",
        f"Senator Jane Doe called for the report to be released.\n\n{caption}\n\n"
        "She said the public deserved to see it.",
        source="one",
    )
    b = Article(
        "b",
        f"{caption}\n\nSenator Jane Doe demanded that the report be released in full.",
        source="two",
    )
    result = compare([a, b])
    assert _cells_of(result, "AP Photo") == []
    apart = {o.id: [s.text for s in o.not_compared] for o in result.outlets}
    assert " ".join(apart["a"]) == caption  # the whole caption line, shown apart
    assert _cells_of(result, "speaks in Washington") == []
    assert ("a", "b") in _cells_of(result, "report")


def test_a_paraphrase_is_not_shown_as_an_omission() -> None:
    a = Article(
        "a",
        "Mitt Romney said on Wednesday that he opposes same-sex marriage. "
        "The campaign released a new advertisement in Ohio.",
        source="one",
    )
    b = Article(
        "b",
        "Romney reiterated his opposition to marriage between people of the same sex, "
        "hours after the president's announcement. Voters in Colorado will decide in November.",
        source="two",
    )
    result = compare([a, b])
    assert ("a", "b") in _cells_of(result, "Romney")


def test_said_against_claimed_is_framing_not_a_conflict() -> None:
    a = Article("a", "Police said the man fled the scene in a red car.", source="one")
    b = Article("b", "Police claimed the man fled the scene in a red car.", source="two")
    result = compare([a, b])
    assert len(result.claims) == 1
    claim = result.claims[0]
    assert claim.conflicts == ()
    assert [(f.left_words, f.right_words) for f in claim.framing] == [(("said",), ("claimed",))]


def test_a_number_conflict_names_its_words_on_both_sides() -> None:
    a = Article("a", "The storm killed 12 people in the town of Marrow.", source="one")
    b = Article("b", "The storm killed 15 people in the town of Marrow.", source="two")
    (claim,) = compare([a, b]).claims
    assert [(c.kind, c.left_words, c.right_words) for c in claim.conflicts] == [
        ("number", ("12 people",), ("15 people",))
    ]


def test_nationality_words_are_not_a_name_conflict() -> None:
    a = Article("a", "An American official met the delegation in Geneva on Friday.", source="1")
    b = Article("b", "A Korean official met the delegation in Geneva on Friday.", source="2")
    result = compare([a, b])
    assert [c.kind for claim in result.claims for c in claim.conflicts if c.kind == "name"] == []


def test_cell_labels_list_sentence_numbers_without_hiding_gaps() -> None:
    from storymatch.models import Cell, Sentence

    cell = Cell("a", tuple(Sentence("x", 0, 1, index=i) for i in (1, 5, 11)))
    assert cell.label == "§2, 6, 12"


def test_spans_point_into_the_original_input_text() -> None:
    text = "Share this\n\n  The storm killed 12 people in Marrow.  \n\nSchools closed on Monday."
    a = Article("a", text, source="one")
    b = Article("b", "A storm in Marrow killed 12 people. Schools closed Monday.", source="two")
    result = compare([a, b])
    for claim in result.claims:
        cell = claim.cell("a")
        if cell is None:
            continue
        for sentence, (start, end) in zip(cell.sentences, cell.source_spans, strict=True):
            assert text[start:end] == sentence.text


def _storm(extra: str) -> Comparison:
    a = Article(
        "a",
        "The storm killed 12 people in Marrow on Monday. The mayor praised the rescue crews "
        "for their work. Schools will reopen next week.",
        source="one",
    )
    b = Article(
        "b",
        "A storm that hit Marrow left twelve people dead. Schools will reopen next week. " + extra,
        source="two",
    )
    return compare([a, b], scorer="lexical")


def _claim_with(result: Comparison, needle: str) -> Claim:
    (claim,) = [
        c
        for c in result.claims
        if any(needle in s.text for cell in c.cells for s in cell.sentences)
    ]
    return claim


def test_an_uncertain_omission_names_the_outlets_closest_sentence() -> None:
    result = _storm("The town leader thanked the crews who pulled residents from the rubble.")
    praised = _claim_with(result, "praised")
    thanked = _claim_with(result, "thanked")
    assert praised.outlets == ("a",)  # below the threshold: not merged ...
    (near,) = praised.nearest  # ... but the omission is marked as one to check
    assert near.outlet == "b"
    assert near.claim == thanked.id
    assert result.threshold / 2 <= near.score < result.threshold
    assert "_not reported (closest: " + thanked.id + ")_" in render_markdown(result)
    assert "not reported (closest: " + thanked.id + ")" in render_text(result, width=100)
    assert f">closest: {thanked.id}</a>" in render_html(result)
    pytest.importorskip("pandas")
    frame = result.to_frame()
    row = frame[(frame["claim"] == praised.id) & (frame["report"] == "b")]
    assert row["closest"].tolist() == [thanked.id]


def test_a_confident_omission_has_no_closest_sentence() -> None:
    result = _storm("A bakery on the high street sold out of bread.")
    assert _claim_with(result, "praised").nearest == ()
    assert _claim_with(result, "bakery").nearest == ()
    assert "closest:" not in render_markdown(result)
