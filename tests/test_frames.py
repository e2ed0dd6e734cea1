"""Data frames out: the tables of an analysis, a comparison and the copies' edits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import storymatch as sm
from storymatch.frames import SCHEMAS, claims_frame, edits_frame

pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample" / "articles.jsonl"

# The documented tables (docs/notebooks.md): names, order and dtypes are a stable interface, so
# they are written out here rather than read from storymatch.frames.SCHEMAS.
STABLE = {
    "articles": [
        ("id", "string"),
        ("source", "string"),
        ("group", "string"),
        ("representative", "string"),
        ("similarity", "float64"),
        ("event", "string"),
        ("story", "string"),
    ],
    "groups": [
        ("group", "string"),
        ("representative", "string"),
        ("size", "int64"),
        ("event", "string"),
        ("original", "string"),
    ],
    "events": [
        ("event", "string"),
        ("story", "string"),
        ("label", "string"),
        ("size", "int64"),
        ("groups", "int64"),
        ("outlets", "int64"),
        ("start", "datetime64[ns, UTC]"),
        ("end", "datetime64[ns, UTC]"),
        ("compared", "bool"),
        ("claims", "int64"),
    ],
    "claims": [
        ("event", "string"),
        ("row", "int64"),
        ("claim", "string"),
        ("status", "string"),
        ("report", "string"),
        ("outlet", "string"),
        ("carried", "bool"),
        ("sentences", "string"),
        ("text", "string"),
        ("conflict_kinds", "string"),
        ("moved", "bool"),
        ("closest", "string"),
    ],
    "coverage": [
        ("event", "string"),
        ("report", "string"),
        ("outlet", "string"),
        ("carried", "int64"),
        ("unique", "int64"),
        ("omitted", "int64"),
        ("conflicts", "int64"),
        ("lead", "string"),
    ],
    "edits": [
        ("group", "string"),
        ("original", "string"),
        ("copy", "string"),
        ("parent", "string"),
        ("similarity", "float64"),
        ("op", "string"),
        ("old", "string"),
        ("new", "string"),
        ("text", "string"),
        ("at", "string"),
        ("paragraph", "bool"),
    ],
}


@pytest.fixture(scope="module")
def analysis() -> sm.Analysis:
    return sm.analyze(pd.read_json(SAMPLE, lines=True, dtype=False))


@pytest.fixture(scope="module")
def frames(analysis):
    return analysis.to_frames()


def _columns(frame) -> list[tuple[str, str]]:
    return [(str(name), str(dtype)) for name, dtype in frame.dtypes.items()]


def test_the_tables_have_the_documented_columns_and_dtypes(frames):
    assert list(frames) == list(STABLE)
    for name, frame in frames.items():
        assert _columns(frame) == STABLE[name], name
    assert {k: list(v.items()) for k, v in SCHEMAS.items()} == STABLE


def test_empty_tables_keep_their_dtypes():
    empty = sm.Analysis(articles=(), groups=(), events=(), comparisons={}).to_frames()
    for name, frame in empty.items():
        assert len(frame) == 0
        assert _columns(frame) == STABLE[name], name


def test_articles_groups_and_events_match_the_analysis(analysis, frames):
    articles = frames["articles"]
    assert articles["id"].tolist() == [a.id for a in analysis.articles]
    for row in articles.itertuples():
        group = analysis.group_of(row.id)
        assert (row.group, row.representative) == (group.id, group.representative)
        assert row.similarity == group.similarities[group.members.index(row.id)]
        event = next(e for e in analysis.events if e.id == row.event)
        assert row.id in event.members
        assert row.story == event.story
    groups = frames["groups"]
    assert groups["group"].tolist() == [g.id for g in analysis.groups]
    assert groups["size"].tolist() == [len(g) for g in analysis.groups]
    originals = dict(zip(groups["group"], groups["original"], strict=True))
    for copies in analysis.copies:
        assert originals[copies.group] == copies.original
    singles = groups[groups["size"] == 1]
    assert singles["original"].isna().all()
    events = frames["events"]
    assert events["event"].tolist() == [e.id for e in analysis.events]
    assert events["compared"].tolist() == [e.id in analysis.comparisons for e in analysis.events]
    assert events["story"].tolist() == [e.story for e in analysis.events]
    assert events["story"].notna().all()  # every event of the sample is in a story
    for row in events.itertuples():
        comparison = analysis.comparisons.get(row.event)
        assert row.claims == (0 if comparison is None else len(comparison.claims))


def test_claims_are_one_row_per_claim_and_report(analysis, frames):
    claims = frames["claims"]
    expected = sum(len(c.claims) * len(c.outlets) for c in analysis.comparisons.values())
    assert len(claims) == expected
    comparison = next(iter(analysis.comparisons.values()))
    table = comparison.to_frame()
    assert _columns(table) == STABLE["claims"]
    assert set(table["event"]) == {comparison.event}
    by_key = {(r.claim, r.report): r for r in table.itertuples()}
    for claim in comparison.claims:
        for outlet in comparison.outlets:
            row = by_key[(claim.id, outlet.id)]
            cell = claim.cell(outlet.id)
            assert row.outlet == outlet.name
            assert row.status == claim.status
            assert row.carried is (cell is not None)
            if cell is None:
                assert pd.isna(row.text)
                assert pd.isna(row.sentences)
            else:
                assert row.text == cell.text
                assert row.sentences == cell.label.removeprefix("§")
    pd.testing.assert_frame_equal(
        claims[claims["event"] == comparison.event].reset_index(drop=True), table
    )


def test_one_outlets_conflicts_and_omissions_filter_as_the_comparison_says(analysis):
    comparison = next(c for c in analysis.comparisons.values() if c.conflicts)
    table = claims_frame(comparison)
    claim = comparison.conflicts[0]
    conflict = claim.conflicts[0]
    outlet = conflict.left
    mine = table[table["report"] == outlet]
    flagged = mine[mine["conflict_kinds"] != ""]
    expected = [
        c.id for c in comparison.claims if any(outlet in (x.left, x.right) for x in c.conflicts)
    ]
    assert flagged["claim"].tolist() == expected
    assert conflict.kind in flagged.set_index("claim").loc[claim.id, "conflict_kinds"].split(", ")
    omitted = mine[~mine["carried"]]
    assert omitted["claim"].tolist() == [c.id for c in comparison.omissions(outlet)]


def test_coverage_rows_match_the_comparisons(analysis, frames):
    coverage = frames["coverage"]
    rows = [
        (c.event, cov.outlet, cov.carried, cov.omitted, cov.conflicts)
        for c in analysis.comparisons.values()
        for cov in c.coverage
    ]
    got = coverage[["event", "report", "carried", "omitted", "conflicts"]]
    assert sorted(map(tuple, got.itertuples(index=False))) == sorted(rows)


def test_copies_edits_are_one_row_per_edit(analysis, frames):
    edits = frames["edits"]
    expected = [
        (g.group, c.id, e.op, e.old, e.new)
        for g in analysis.copies
        for c in g.copies
        for e in c.edits
    ]
    assert expected  # the sample has wire copies with edits
    got = edits[["group", "copy", "op", "old", "new"]].astype(object).where(edits.notna(), None)
    assert [tuple(r) for r in got.itertuples(index=False)] == expected
    one = analysis.copies[0]
    pd.testing.assert_frame_equal(
        one.to_frame(), edits[edits["group"] == one.group].reset_index(drop=True)
    )
    found = sm.copy_edits(analysis.groups, list(analysis.articles))
    pd.testing.assert_frame_equal(edits_frame(found), edits)


def test_parquet_round_trip_gives_the_same_rows(frames, tmp_path):
    for name, frame in frames.items():
        path = tmp_path / f"{name}.parquet"
        frame.to_parquet(path)
        back = pd.read_parquet(path)
        pd.testing.assert_frame_equal(back, frame, check_exact=True)
        assert len(back) == len(frame) > 0, name


def test_without_pandas_the_error_names_the_extra():
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import storymatch as sm\n"
        "a = sm.Analysis(articles=(), groups=(), events=(), comparisons={})\n"
        "try:\n"
        "    a.to_frames()\n"
        "except sm.MissingDependencyError as exc:\n"
        "    print(exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'storymatch[frames]'" in proc.stdout
