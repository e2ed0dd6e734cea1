from __future__ import annotations

import pytest
from tests.report.builders import word_opcodes

from storymatch.models import Cell, Claim, Comparison, Conflict, DiffOp, Outlet, PairDiff, Sentence
from storymatch.report import render_html, render_markdown, render_text
from storymatch.report._common import (
    CONFLICT,
    DIFF,
    PLAIN,
    cell_segments,
    claim_summary,
    describe_conflict,
    format_date,
    format_position,
    outlet_labels,
    safe_url,
    status_label,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2", id="https"),
        pytest.param("  http://example.org/  ", "http://example.org/", id="stripped"),
        pytest.param("HTTPS://Example.org", "HTTPS://Example.org", id="upper-scheme"),
        pytest.param(None, None, id="none"),
        pytest.param("", None, id="empty"),
        pytest.param("javascript:alert(1)", None, id="javascript"),
        pytest.param(" JavaScript:alert(1)", None, id="javascript-case"),
        pytest.param("java\tscript:alert(1)", None, id="javascript-tab"),
        pytest.param("data:text/html,<script>1</script>", None, id="data"),
        pytest.param("vbscript:msgbox", None, id="vbscript"),
        pytest.param("//evil.example/x", None, id="protocol-relative"),
        pytest.param("/relative/path", None, id="relative"),
        pytest.param("http:///no-host", None, id="no-host"),
        pytest.param("https://exa mple.org", None, id="space"),
        pytest.param("https://example.org/\x00", None, id="nul"),
        pytest.param("http://[::1", None, id="bad-ipv6"),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def _outlet(oid: str, name: str) -> Outlet:
    return Outlet(oid, name, None, None, None, 1)


def test_outlet_labels_disambiguate_equal_names_and_fall_back_to_ids():
    comparison = Comparison(
        outlets=(_outlet("a", "Post"), _outlet("b", "Post"), _outlet("c", ""), _outlet("d", "X")),
        claims=(),
        coverage=(),
        threshold=0.5,
    )
    assert outlet_labels(comparison) == {"a": "Post (a)", "b": "Post (b)", "c": "c", "d": "X"}


def test_status_label_in_words(comparison):
    labels = outlet_labels(comparison)
    words = {c.id: status_label(c, comparison, labels) for c in comparison.claims}
    assert words["c1"] == "all 4"
    assert words["c3"] == "3 of 4"
    assert words["c7"] == "only Daily Planet"


def test_claim_summary_counts(comparison):
    assert claim_summary(comparison) == (
        "4 reports, 8 claims: 2 carried by all, 4 by some, 2 by one outlet only, "
        "2 with conflicts, 1 moved"
    )


def test_describe_conflict_uses_labels_and_says_nothing_for_missing_words():
    conflict = Conflict("date", "a", "b", ("Tuesday",), ())
    assert describe_conflict(conflict, {"a": "Post"}) == 'date: "Tuesday" (Post) vs nothing (b)'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01", "2024-05-01"),
        ("2024-05-01T08:30:00Z", "2024-05-01 08:30"),
        ("2024-05-01T08:30:00+02:00", "2024-05-01 08:30"),
        ("  2024-05-01 ", "2024-05-01"),
        ("yesterday", "yesterday"),
        ("", ""),
        (None, ""),
    ],
)
def test_format_date(value, expected):
    assert format_date(value) == expected


def test_format_position_single_range_and_empty():
    one = Cell("a", (Sentence("x", 0, 1, index=2),))
    two = Cell("a", (Sentence("x", 0, 1, index=2), Sentence("y", 2, 3, index=3)))
    assert format_position(one) == "3"
    assert format_position(two) == "3, 4"
    assert format_position(Cell("a", ())) == ""


def _claim(texts: dict[str, str], conflicts=(), pairs=None) -> Claim:
    cells = tuple(Cell(k, (Sentence(v, 0, len(v)),)) for k, v in texts.items())
    if pairs is None:
        items = list(texts.items())
        pairs = tuple(
            PairDiff(a, b, 0.9, word_opcodes(ta, tb))
            for i, (a, ta) in enumerate(items)
            for b, tb in items[i + 1 :]
        )
    status = "all" if len(cells) > 1 else "one"
    return Claim("c1", cells, status, tuple(conflicts), pairs)  # type: ignore[arg-type]


def _joined(segments):
    return "".join(text for text, _ in segments)


def test_segments_plain_without_conflicts():
    claim = _claim({"a": "Twelve died.", "b": "Fifteen died."})
    for cell in claim.cells:
        assert cell_segments(claim, cell) == [(cell.text, PLAIN)]


def test_segments_mark_conflict_words_and_diff_words():
    claim = _claim(
        {"a": "At least 12 people were killed on Tuesday.", "b": "At least 15 people died."},
        conflicts=[Conflict("number", "a", "b", ("12",), ("15",))],
    )
    a, b = claim.cells
    seg_a = cell_segments(claim, a)
    seg_b = cell_segments(claim, b)
    assert _joined(seg_a) == a.text
    assert _joined(seg_b) == b.text
    assert ("12", CONFLICT) in seg_a
    assert ("15", CONFLICT) in seg_b
    assert ("were killed on Tuesday.", DIFF) in seg_a
    assert ("died.", DIFF) in seg_b
    # highlights never begin or end with whitespace
    for text, level in seg_a + seg_b:
        if level != PLAIN:
            assert text == text.strip()


def test_segments_use_the_most_similar_conflicting_pair():
    texts = {"a": "He said 12 died.", "b": "He said 15 died.", "c": "Officials say 12 died."}
    conflicts = [
        Conflict("number", "a", "b", ("12",), ("15",)),
        Conflict("number", "b", "c", ("15",), ("12",)),
    ]
    pairs = (
        PairDiff("a", "b", 0.9, word_opcodes(texts["a"], texts["b"])),
        PairDiff("a", "c", 0.7, word_opcodes(texts["a"], texts["c"])),
        PairDiff("b", "c", 0.6, word_opcodes(texts["b"], texts["c"])),
    )
    claim = _claim(texts, conflicts, pairs)
    b = claim.cell("b")
    assert b is not None
    marked = [t for t, level in cell_segments(claim, b) if level != PLAIN]
    assert marked == ["15"]  # against a (0.9), not against c (0.6)


def test_segments_fall_back_to_case_insensitive_words_and_all_pairs():
    texts = {"a": "The MAYOR spoke.", "b": "The governor spoke."}
    # the conflict names a pair that has no diff: every pair with the cell is used instead
    claim = _claim(
        texts,
        [Conflict("name", "a", "x", ("mayor",), ())],
    )
    a = claim.cell("a")
    assert a is not None
    assert ("MAYOR", CONFLICT) in cell_segments(claim, a)


def test_segments_clamp_bad_offsets_and_skip_empty_words():
    text = "Twelve died."
    ops = (DiffOp("replace", 0, 99, 0, 3), DiffOp("delete", 50, 60, 3, 3))
    claim = _claim(
        {"a": text, "b": "Ten died."},
        [Conflict("number", "a", "b", ("", " "), ())],
        (PairDiff("a", "b", 0.5, ops),),
    )
    a = claim.cell("a")
    assert a is not None
    segments = cell_segments(claim, a)
    assert _joined(segments) == text
    assert all(level != CONFLICT for _, level in segments)


def test_segments_of_an_empty_cell():
    claim = Claim("c1", (Cell("a", ()),), "one")
    assert cell_segments(claim, claim.cells[0]) == []


def test_segments_of_a_conflict_without_pairs_mark_only_the_words():
    text = "Twelve died."
    claim = _claim(
        {"a": text, "b": "Ten died."}, [Conflict("number", "a", "b", ("Twelve",), ())], ()
    )
    a = claim.cell("a")
    assert a is not None
    assert cell_segments(claim, a) == [("Twelve", CONFLICT), (" died.", PLAIN)]


def test_every_view_lists_each_sentence_number_of_a_cell():
    """A cell of sentences 2, 3, 6 and 12 is labelled with all four, gaps visible (issue 15)."""
    texts = ("First.", "Second.", "Third.", "Fourth.")
    sentences = tuple(
        Sentence(t, 0, len(t), index=i) for t, i in zip(texts, (1, 2, 5, 11), strict=True)
    )
    cell = Cell("a", sentences)
    comparison = Comparison(
        outlets=(Outlet("a", "A", None, None, None, 12),),
        claims=(Claim("c1", (cell,), "one"),),
        coverage=(),
        threshold=0.5,
    )
    assert format_position(cell) == "2, 3, 6, 12"
    assert "    \u00a72, 3, 6, 12 First." in render_text(comparison)
    assert "\u00a72, 3, 6, 12 First." in render_markdown(comparison)
    html = render_html(comparison)
    assert '<span class="vh">sentences </span>&sect;2, 3, 6, 12</span>' in html
    assert cell.label == "\u00a7" + format_position(cell)
