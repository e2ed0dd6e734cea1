from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from tests.report.builders import PWNED_URL

from storymatch.models import Cell, Claim, Comparison, Outlet, Sentence
from storymatch.report import render_markdown

# A table row splits into cells on pipes that are not backslash-escaped.
_PIPE = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    assert line.startswith("| ")
    assert line.endswith(" |")
    return [c.strip() for c in _PIPE.split(line)[1:-1]]


def _table(markdown: str, heading: str) -> list[list[str]]:
    section = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [_cells(line) for line in section.splitlines() if line.startswith("|")]


def test_sections_in_order(comparison):
    text = render_markdown(comparison)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Comparison of 4 reports",
        "## Reports",
        "## Coverage",
        "## Claims",
        "## Conflicts",
    ]
    assert text.endswith("\n")
    assert render_markdown(comparison, title="Flood | *live*").startswith(
        "# Flood \\| \\*live\\*\n"
    )


def test_claims_table_has_a_column_per_outlet_and_a_row_per_claim(comparison):
    rows = _table(render_markdown(comparison), "Claims")
    header, rule, *body = rows
    n = len(comparison.outlets)
    assert len(header) == n + 1
    assert rule == ["---"] * (n + 1)
    assert len(body) == len(comparison.claims)
    for row, claim in zip(body, comparison.claims, strict=True):
        assert len(row) == n + 1, row
        assert row[0].startswith(claim.id + " ")
        assert sum(cell == "_not reported_" for cell in row[1:]) == n - len(claim.cells)


def test_status_moved_and_conflict_marks(comparison):
    body = _table(render_markdown(comparison), "Claims")[2:]
    heads = {row[0].split()[0]: row[0] for row in body}
    assert heads["c1"] == "c1 \u2714 all 4"
    assert heads["c2"] == "c2 \u2714 all 4 \u26a0 conflict"
    assert heads["c3"] == "c3 \u25d0 3 of 4 \u2195 moved"
    assert heads["c7"] == "c7 \u25cf only Daily Planet"


def test_conflicting_words_in_bold_and_positions(comparison):
    body = _table(render_markdown(comparison), "Claims")[2:]
    c2 = body[1]
    assert c2[1] == "§2 At least **12** people were killed, the fire service said."
    assert c2[2] == "§2 At least **15** people were killed, the fire service said."
    c4 = body[3]
    assert '"We **may not** rebuild every home."' in c4[4]
    c8 = body[7]
    assert c8[3].startswith("§5, 6 Forecasters expect more rain. It could fall")


def test_conflicts_list(comparison):
    text = render_markdown(comparison)
    items = [line for line in text.split("## Conflicts\n", 1)[1].splitlines() if line]
    assert items[0] == '- **c2** number: "12" (Daily Planet) vs "15" (Riverside Gazette)'
    assert len(items) == 4


def test_coverage_and_reports_tables(comparison):
    text = render_markdown(comparison)
    coverage = _table(text, "Coverage")
    assert coverage[0] == ["Outlet", "Carried", "Unique", "Omissions", "Conflicts", "Leads with"]
    assert coverage[2] == ["Daily Planet", "4", "1", "3", "1", "c1, c2, c3"]
    reports = _table(text, "Reports")
    assert reports[2][4] == "[open article](https://dailyplanet.example/news/millbrook-flood)"
    assert reports[3][4] == "[open article](https://gazette.example/story?id=7&ref=home)"
    assert reports[4][4] == ""  # no url
    assert reports[5][4] == ""  # javascript: is not linked
    assert reports[2][2] == "2024-05-01 08:30"


def test_untrusted_text_is_escaped(comparison):
    text = render_markdown(comparison)
    assert re.search(r"(?<!\\)[<>]", text) is None  # every angle bracket is escaped
    assert "](javascript" not in text
    assert f"({PWNED_URL})" not in text
    links = re.findall(r"\]\(([^)]*)\)", text)
    assert links
    assert all(link.startswith(("http://", "https://")) for link in links)
    assert "\\<script\\>window.\\_\\_pwned=1\\</script\\>" in text


def test_link_destinations_are_percent_encoded():
    outlet = Outlet("a", "A", None, None, "https://x.example/a b(c)|d<e>", 1)
    text = "Something."
    comparison = Comparison(
        outlets=(outlet, Outlet("b", "B", None, None, None, 1)),
        claims=(Claim("c1", (Cell("a", (Sentence(text, 0, len(text)),)),), "one"),),
        coverage=(),
        threshold=0.5,
    )
    # a space makes the address unsafe: not linked at all
    assert "x.example" not in render_markdown(comparison)
    outlet = Outlet("a", "A", None, None, "https://x.example/a(c)|d<e>", 1)
    comparison = Comparison(
        outlets=(outlet, Outlet("b", "B", None, None, None, 1)),
        claims=comparison.claims,
        coverage=(),
        threshold=0.5,
    )
    markdown = render_markdown(comparison)
    assert "(https://x.example/a%28c%29%7Cd%3Ce%3E)" in markdown
    coverage = _table(markdown, "Coverage")
    assert coverage[2] == ["A", "-", "-", "-", "-", ""]


def test_empty_comparison():
    empty = Comparison(outlets=(), claims=(), coverage=(), threshold=0.5, event="e-1")
    assert render_markdown(empty) == (
        "# Comparison of 0 reports\n\nEvent e-1: 0 reports, 0 claims\n\nNo claims to compare.\n"
    )


_cell_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60)


@given(name=_cell_text, text=_cell_text)
def test_any_text_stays_inside_its_cell(name, text):
    comparison = Comparison(
        outlets=(Outlet("a", name, name, None, None, 1), Outlet("b", "B", None, None, None, 1)),
        claims=(Claim("c1", (Cell("a", (Sentence(text, 0, len(text)),)),), "one"),),
        coverage=(),
        threshold=0.5,
    )
    markdown = render_markdown(comparison)
    rows = _table(markdown, "Claims")
    assert len(rows) == 3
    assert all(len(row) == 3 for row in rows)
    assert rows[2][2] == "_not reported_"
    assert re.search(r"(?<!\\)[<>]", markdown) is None
    assert rows[2][1].startswith("§1")
    assert "\n" not in rows[2][1]
