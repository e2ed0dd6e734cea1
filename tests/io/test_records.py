"""Tests for storymatch.io.records: the input contract of one record and the error policy."""

from __future__ import annotations

import json
import logging

import pytest
from tests.io.support import GOOD, jl, write_lines

from storymatch.errors import InvalidInputError
from storymatch.io import SkippedRecord, iter_articles, read_articles, write_jsonl

# ---------------------------------------------------------------------------------------
# Fields


def test_integer_id_becomes_string(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", ['{"id": 12, "text": "t"}'])
    assert [a.id for a in iter_articles(path)] == ["12"]


def test_published_is_an_alias_of_date(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [jl(id="a", text="t", published="2024-02-29")])
    (article,) = iter_articles(path)
    assert article.date == "2024-02-29"
    assert article.meta == {}


def test_unknown_fields_are_kept_and_written_back(tmp_path):
    record = {"id": "a", "text": "t", "lang": "fr", "score": 0.5, "n": 2**70, "nested": {"k": [1]}}
    source = write_lines(tmp_path / "in.jsonl", [json.dumps(record)])
    (article,) = iter_articles(source)
    assert article.meta == {"lang": "fr", "score": 0.5, "n": 2**70, "nested": {"k": [1]}}
    target = tmp_path / "out.jsonl"
    write_jsonl(target, [article.to_dict()])
    assert json.loads(target.read_text(encoding="utf-8")) == record


@pytest.mark.parametrize(
    "line",
    [
        pytest.param('{"id": "a", "text": "t", "big": 18446744073709551616}', id="beyond-u64"),
        pytest.param('{"id": "a", "text": "t", "small": -9223372036854775809}', id="below-i64"),
        pytest.param('{"id": "a", "text": "t", "x": [1e-7, 0.1, 5e-324]}', id="floats"),
        pytest.param('{"id": "a", "text": "t", "k": 1, "k": 2}', id="duplicate-key"),
        pytest.param('{"id": "a", "text": "\\ud83d\\ude00 \\u00e9"}', id="escapes"),
    ],
)
def test_parsers_agree(tmp_path, backend, line):
    path = write_lines(tmp_path / "a.jsonl", [line])
    (article,) = iter_articles(path)
    assert article.to_dict() == json.loads(line)


# ---------------------------------------------------------------------------------------
# Errors


ERROR_CASES = [
    pytest.param(
        [GOOD, '{"id": "a1", "text": "x" "y"}'],
        2,
        "not valid JSON: Expecting ',' delimiter (column 26)",
        id="bad-json",
    ),
    pytest.param([GOOD, jl(text="t")], 2, "missing required field 'id'", id="missing-id"),
    pytest.param([jl(id="a")], 1, "missing required field 'text'", id="missing-text"),
    pytest.param(
        [jl(id="a", text=42)],
        1,
        "field 'text' must be a string; got number 42 instead",
        id="text-not-string",
    ),
    pytest.param(
        [jl(id="a", text=None)],
        1,
        "field 'text' must be a string; got null instead",
        id="text-null",
    ),
    pytest.param(
        [jl(id="a", text={"body": "x"})],
        1,
        "field 'text' must be a string; got object instead",
        id="text-object",
    ),
    pytest.param([jl(id="", text="t")], 1, "field 'id' must not be empty", id="empty-id"),
    pytest.param(
        [jl(id=True, text="t")],
        1,
        "field 'id' must be a string or an integer; got boolean true instead",
        id="id-bool",
    ),
    pytest.param(
        [jl(id=1.5, text="t")],
        1,
        "field 'id' must be a string or an integer; got number 1.5 instead",
        id="id-float",
    ),
    pytest.param(
        [jl(id="a", text="t", source=["x"])],
        1,
        "field 'source' must be a string or null; got array instead",
        id="source-not-string",
    ),
    pytest.param(
        [GOOD, GOOD],
        2,
        "duplicate id 'ok' (first seen at line 1)",
        id="duplicate-id",
    ),
    pytest.param(
        [jl(id="a", text="t", date="2024-13-01")],
        1,
        "field 'date' must be an ISO 8601 date; got '2024-13-01' instead",
        id="bad-date",
    ),
    pytest.param(
        [jl(id="a", text="t", published="May 1st")],
        1,
        "field 'published' must be an ISO 8601 date; got 'May 1st' instead",
        id="bad-published",
    ),
    pytest.param(
        [GOOD, "", b'{"id": "b", "text": "caf\xe9"}'],
        3,
        "not UTF-8: invalid continuation byte at byte 25",
        id="not-utf8",
    ),
    pytest.param(
        [GOOD, b'\xff{"id": "b"}'],
        2,
        "not UTF-8: invalid start byte at byte 1",
        id="not-utf8-start",
    ),
    pytest.param(["[1, 2]"], 1, "record must be a JSON object; got array instead", id="array"),
    pytest.param(
        [GOOD, '"just a string"'],
        2,
        "record must be a JSON object; got string 'just a string' instead",
        id="string",
    ),
    pytest.param(
        [jl(id="a", text="t")[:-1] + ', "x": NaN}'],
        1,
        "not valid JSON: NaN is not a JSON value",
        id="nan",
    ),
    pytest.param(
        ['{"id": "a", "text": "t", "x": 1e400}'],
        1,
        "not valid JSON: number 1e400 is out of range",
        id="infinite-number",
    ),
    pytest.param(
        ["[", GOOD],
        1,
        "not valid JSON: Expecting value (column 2); "
        "JSON lines hold one object per line, not an array",
        id="json-array-file",
    ),
    pytest.param(
        [GOOD, "[" * 100_000 + "]" * 100_000],
        2,
        "not valid JSON: nested too deeply",
        id="too-deep",
    ),
]


@pytest.mark.parametrize(("lines", "line", "reason"), ERROR_CASES)
def test_invalid_record_raises(tmp_path, backend, lines, line, reason):
    path = write_lines(tmp_path / "bad.jsonl", lines)
    with pytest.raises(InvalidInputError) as info:
        list(iter_articles(path))
    error = info.value
    assert isinstance(error, ValueError)
    assert error.path == str(path)
    assert error.line == line
    assert error.reason == reason
    assert str(error) == f"{path}:{line}: {reason}"


@pytest.mark.parametrize(("lines", "line", "reason"), ERROR_CASES)
def test_invalid_record_skipped(tmp_path, backend, caplog, lines, line, reason):
    path = write_lines(tmp_path / "bad.jsonl", lines)
    with caplog.at_level(logging.WARNING, logger="storymatch.io"):
        result = read_articles(path, on_error="skip")
    assert result.skipped == (SkippedRecord(str(path), line, reason),)
    expected_ids = ["ok"] if GOOD in lines else []
    assert [a.id for a in result.articles] == expected_ids
    assert f"skipped {path}:{line}: {reason}" in caplog.messages


def test_bom_on_first_line_is_ignored(tmp_path, backend):
    path = write_lines(tmp_path / "bom.jsonl", [b"\xef\xbb\xbf" + GOOD.encode()])
    assert [a.id for a in iter_articles(path)] == ["ok"]


def test_skip_keeps_every_good_record(tmp_path, caplog):
    path = write_lines(
        tmp_path / "mixed.jsonl",
        [
            jl(id="a", text="1"),
            "not json",
            jl(id="b", text="2"),
            "",
            jl(id="a", text="again"),
            jl(id="c"),
            jl(id="d", text="4"),
        ],
    )
    skipped: list[SkippedRecord] = []
    with caplog.at_level(logging.WARNING, logger="storymatch.io"):
        ids = [a.id for a in iter_articles(path, on_error="skip", skipped=skipped)]
    assert ids == ["a", "b", "d"]
    assert [(s.line, s.reason) for s in skipped] == [
        (2, "not valid JSON: Expecting value (column 1)"),
        (5, "duplicate id 'a' (first seen at line 1)"),
        (6, "missing required field 'text'"),
    ]
    assert all(s.path == str(path) for s in skipped)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 3


def test_skip_without_a_list(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", ["{", GOOD])
    assert [a.id for a in iter_articles(path, on_error="skip")] == ["ok"]


def test_blank_lines_are_skipped_silently(tmp_path, caplog):
    path = write_lines(tmp_path / "a.jsonl", ["", GOOD, "   ", "\t"])
    with caplog.at_level(logging.WARNING, logger="storymatch.io"):
        assert [a.id for a in iter_articles(path)] == ["ok"]
    assert caplog.messages == []
