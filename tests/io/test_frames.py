"""Data frames in: a pandas DataFrame or a pyarrow Table read like a file, columns mapped."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest

import storymatch as sm
from storymatch.errors import InvalidInputError, InvalidParameterError
from storymatch.io import iter_articles, read_articles

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "articles.jsonl"


def sample_frame():
    return pd.read_json(SAMPLE, lines=True, dtype=False)


# --------------------------------------------------------------------------------------------
# Same articles as the file


def test_a_dataframe_of_the_sample_reads_as_the_file_does():
    from_file = read_articles(SAMPLE).articles
    from_frame = read_articles(sample_frame()).articles
    assert from_frame == from_file
    assert from_frame[0].meta == {"cluster": from_file[0].meta["cluster"], "event": "e1"}


def test_a_pyarrow_table_reads_as_the_file_does():
    table = pa.Table.from_pandas(sample_frame(), preserve_index=False)
    assert read_articles(table).articles == read_articles(SAMPLE).articles


def test_pandas_parsed_dates_come_back_as_iso_strings():
    # pandas parses dates into timestamps (pd.to_datetime, read_csv(parse_dates=...)): a
    # timestamp at midnight without a time zone is a date
    df = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "text": ["x", "y", "z"],
            "date": pd.to_datetime(["2026-03-10", "2026-03-10 06:05", None], format="ISO8601"),
        }
    )
    assert [a.date for a in read_articles(df).articles] == [
        "2026-03-10",
        "2026-03-10T06:05:00",
        None,
    ]


def test_cells_become_plain_json_values():
    df = pd.DataFrame(
        {
            "id": [1, 2],
            "text": ["one", "two"],
            "source": ["a.example", None],
            "score": [0.5, np.nan],
            "n": np.array([3, 4], dtype=np.int64),
            "flag": [True, False],
            "tags": [["x", "y"], []],
            "seen": [datetime(2026, 1, 2, 3, 4, tzinfo=UTC), pd.NaT],
            "day": [date(2026, 1, 2), None],
        }
    )
    first, second = read_articles(df).articles
    assert first.id == "1"  # integer ids are accepted and become strings, as in files
    assert second.source is None
    assert first.meta == {
        "score": 0.5,
        "n": 3,
        "flag": True,
        "tags": ["x", "y"],
        "seen": "2026-01-02T03:04:00+00:00",
        "day": "2026-01-02",
    }
    assert type(first.meta["n"]) is int
    assert type(first.meta["flag"]) is bool
    assert second.meta["score"] is None
    assert second.meta["seen"] is None
    # meta stays writable as JSON
    json.dumps(first.to_dict())


# --------------------------------------------------------------------------------------------
# Validation: the same errors, bad rows named by their index label


def test_a_bad_row_is_named_by_its_index_label():
    df = pd.DataFrame(
        {"id": ["a", "b", "c"], "text": ["fine", None, "fine"]}, index=["r1", "r2", "r3"]
    )
    with pytest.raises(InvalidInputError) as info:
        read_articles(df)
    assert (
        str(info.value) == "<DataFrame> row 'r2': field 'text' must be a string; got null instead"
    )
    assert info.value.row == "r2"
    assert info.value.path == "<DataFrame>"
    assert info.value.line == 2


def test_skip_leaves_out_bad_rows_and_reports_each(caplog):
    df = pd.DataFrame(
        {
            "id": ["a", "b", "a", "d", ""],
            "text": ["one", 5, "three", "four", "five"],
            "date": ["2026-01-01", None, None, "yesterday", None],
        },
        index=[10, 20, 30, 40, 50],
    )
    with caplog.at_level(logging.WARNING):
        result = read_articles(df, on_error="skip")
    assert [a.id for a in result.articles] == ["a"]
    assert [(s.row, s.line, s.reason) for s in result.skipped] == [
        (20, 2, "field 'text' must be a string; got number 5 instead"),
        (30, 3, "duplicate id 'a' (first seen at row 10)"),
        (40, 4, "field 'date' must be an ISO 8601 date; got 'yesterday' instead"),
        (50, 5, "field 'id' must not be empty"),
    ]
    assert {s.path for s in result.skipped} == {"<DataFrame>"}
    assert "skipped <DataFrame> row 20: field 'text'" in caplog.text


def test_table_rows_are_named_by_position():
    table = pa.table({"id": ["a", "b"], "text": ["one", None]})
    with pytest.raises(InvalidInputError, match=r"^<Table> row 1: field 'text' must be a string"):
        read_articles(table)


def test_missing_columns_are_listed_at_once():
    df = pd.DataFrame({"key": ["a"], "body": ["x"]})
    with pytest.raises(InvalidInputError) as info:
        read_articles(df)
    assert str(info.value) == (
        "<DataFrame>: the DataFrame has no 'id' or 'text' columns; found 'key', 'body'"
    )


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        pytest.param(lambda: pd.DataFrame([["a", "x"]]), "column names must be strings", id="int"),
        pytest.param(
            lambda: pd.DataFrame([["a", "x", "y"]], columns=["id", "text", "text"]),
            "duplicate column 'text'",
            id="duplicate",
        ),
    ],
)
def test_frame_level_problems_raise_even_when_skipping(frame, match):
    with pytest.raises(InvalidInputError, match=match):
        read_articles(frame(), on_error="skip")


@pytest.mark.parametrize("read", [iter_articles, read_articles])
def test_format_is_refused_with_a_frame_naming_the_function_called(read):
    with pytest.raises(InvalidParameterError, match=f"'format' parameter of {read.__name__}"):
        read(sample_frame(), format="csv")


def test_every_function_that_takes_articles_takes_a_frame():
    df = sample_frame()
    groups = sm.find_duplicates(df)
    assert groups == sm.find_duplicates(read_articles(SAMPLE).articles)
    assert sm.NearDuplicateClusterer().fit(df).groups_ == groups
    events = sm.EventClusterer().fit(df).events_
    assert events == sm.EventClusterer().fit(read_articles(SAMPLE).articles).events_
    first = df[df["event"] == "e1"].head(3)
    assert sm.compare(first).outlets == sm.compare(read_articles(first).articles).outlets


def test_a_read_result_is_accepted_where_articles_are():
    result = read_articles(sample_frame(), on_error="skip")
    assert sm.find_duplicates(result) == sm.find_duplicates(result.articles)


def test_estimators_reject_bad_rows_with_their_label():
    df = pd.DataFrame({"id": ["a", "b"], "text": ["fine", None]}, index=["x", "y"])
    with pytest.raises(InvalidInputError, match="row 'y'"):
        sm.find_duplicates(df)


# --------------------------------------------------------------------------------------------
# Column mapping: one implementation for frames, CSV and JSON lines


MAPPING = {"id_field": "key", "text_field": "body", "source_field": "outlet", "title_field": "head"}


def _mapped_records() -> list[dict[str, object]]:
    return [
        {"key": "a1", "body": "First text.", "outlet": "one.example", "head": "A", "lang": "en"},
        {"key": "a2", "body": "Second text.", "outlet": "two.example", "head": "B", "lang": "de"},
    ]


def _expected() -> list[sm.Article]:
    return [
        sm.Article("a1", "First text.", source="one.example", title="A", meta={"lang": "en"}),
        sm.Article("a2", "Second text.", source="two.example", title="B", meta={"lang": "de"}),
    ]


def test_columns_map_the_same_in_a_frame_a_csv_and_json_lines(tmp_path):
    records = _mapped_records()
    df = pd.DataFrame(records)
    df.to_csv(tmp_path / "a.csv", index=False)
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    for source in (df, tmp_path / "a.csv", tmp_path / "a.jsonl"):
        assert list(read_articles(source, **MAPPING).articles) == _expected(), source


def test_a_missing_mapped_column_is_named_with_its_field(tmp_path):
    df = pd.DataFrame({"id": ["a"], "text": ["x"]})
    with pytest.raises(InvalidInputError) as info:
        read_articles(df, id_field="key", title_field="head")
    assert str(info.value) == (
        "<DataFrame>: the DataFrame has no 'key' (for 'id') or 'head' (for 'title') columns; "
        "found 'id', 'text'"
    )
    path = tmp_path / "a.csv"
    df.to_csv(path, index=False)
    with pytest.raises(InvalidInputError, match=r"a\.csv:1: the CSV header has no 'key' \(for"):
        read_articles(path, id_field="key", title_field="head")


def test_json_lines_name_the_missing_mapped_key(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"key": "a", "body": "x"}\n{"id": "b", "body": "y"}\n')
    result = read_articles(path, id_field="key", text_field="body", on_error="skip")
    assert [a.id for a in result.articles] == ["a"]
    assert [(s.line, s.reason) for s in result.skipped] == [
        (2, "missing required field 'key' (read as 'id')")
    ]


def test_a_column_that_a_mapped_one_would_replace_is_an_error(tmp_path):
    df = pd.DataFrame({"id": ["x"], "key": ["a"], "text": ["t"]})
    with pytest.raises(InvalidInputError, match="has a column 'id' while 'key' is read as 'id'"):
        read_articles(df, id_field="key")
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "x", "key": "a", "text": "t"}\n')
    with pytest.raises(InvalidInputError, match=r"a\.jsonl:1: the record has a column 'id'"):
        read_articles(path, id_field="key")


@pytest.mark.parametrize(
    ("keywords", "match"),
    [
        pytest.param({"id_field": ""}, "'id_field' parameter of read_articles", id="empty"),
        pytest.param({"text_field": 3}, "'text_field' parameter of read_articles", id="type"),
        pytest.param(
            {"id_field": "key", "text_field": "key"},
            "must name another column than 'id_field'",
            id="twice",
        ),
    ],
)
def test_bad_field_keywords_are_parameter_errors(keywords, match):
    with pytest.raises(InvalidParameterError, match=match):
        read_articles(SAMPLE, **keywords)


def test_importing_storymatch_never_imports_pandas_or_pyarrow():
    code = (
        "import sys, storymatch, storymatch.io, storymatch.frames, storymatch.progress\n"
        "storymatch.read_articles\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'tqdm') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
