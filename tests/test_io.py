from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import storymatch.io.records as sm_io
from storymatch.errors import InvalidInputError, InvalidParameterError
from storymatch.io import (
    ReadResult,
    SkippedRecord,
    atomic_write,
    iter_articles,
    read_articles,
    write_jsonl,
)
from storymatch.models import Article

try:
    import orjson as _orjson_module
except ImportError:  # the optional 'fast-json' extra
    _orjson_module = None

BACKENDS = [
    pytest.param("json", id="json"),
    pytest.param(
        "orjson",
        id="orjson",
        marks=pytest.mark.skipif(_orjson_module is None, reason="orjson is not installed"),
    ),
]


@contextmanager
def use_backend(name: str) -> Iterator[None]:
    """Parse with the stdlib json module or with orjson (restored afterwards)."""
    saved = sm_io._orjson
    sm_io._orjson = _orjson_module if name == "orjson" else None
    try:
        yield
    finally:
        sm_io._orjson = saved


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    with use_backend(request.param):
        yield request.param


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    data = b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)
    path.write_bytes(data)
    return path


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def jl(**record: Any) -> str:
    return json.dumps(record)


RECORDS: list[dict[str, Any]] = [
    {
        "id": "a1",
        "text": "Storm hits the coast.\nThousands without power.",
        "source": "example.com",
        "title": "Storm",
        "date": "2024-05-01T10:00:00Z",
        "url": "https://example.com/storm",
        "lang": "en",
        "tags": ["weather", {"level": 3}],
    },
    {"id": "a2", "text": "Grüße aus Köln — «ça va?» 日本語 🙂", "source": "beispiel.de"},
    {"id": "a3", "text": ""},
]


# ---------------------------------------------------------------------------------------
# Round trips


def test_jsonl_round_trip(tmp_path, backend):
    path = tmp_path / "articles.jsonl"
    assert write_jsonl(path, RECORDS) == len(RECORDS)
    result = read_articles(path)
    assert isinstance(result, ReadResult)
    assert result.skipped == ()
    assert [a.to_dict() for a in result.articles] == RECORDS
    assert result.articles[0].meta == {"lang": "en", "tags": ["weather", {"level": 3}]}
    assert result.articles[0].published is not None


def test_jsonl_output_is_compact_utf8(tmp_path):
    path = tmp_path / "out.jsonl"
    write_jsonl(path, [{"id": "x", "text": "é"}])
    assert path.read_bytes() == '{"id":"x","text":"é"}\n'.encode()


def test_jsonl_gz_round_trip(tmp_path, backend):
    path = tmp_path / "articles.jsonl.gz"
    write_jsonl(path, RECORDS)
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    articles = list(iter_articles(path))
    assert [a.to_dict() for a in articles] == RECORDS


def test_bare_gz_suffix_is_jsonl(tmp_path):
    path = tmp_path / "dump.gz"
    write_jsonl(path, RECORDS)
    assert [a.id for a in iter_articles(path)] == ["a1", "a2", "a3"]


def test_gzip_is_detected_by_content(tmp_path):
    path = tmp_path / "compressed.jsonl"
    path.write_bytes(gzip.compress(b'{"id": "a", "text": "t"}\n'))
    assert [a.id for a in iter_articles(path)] == ["a"]


def test_write_jsonl_accepts_articles(tmp_path):
    articles = [Article.from_dict(r) for r in RECORDS]
    path = tmp_path / "out.jsonl"
    write_jsonl(path, articles)
    assert read_articles(path).articles == tuple(articles)


def test_csv_round_trip(tmp_path):
    path = tmp_path / "articles.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text", "source", "title", "date", "url", "lang"])
        writer.writerow(["a1", "Line one,\nline two.", "example.com", "", "2024-05-01", "", "en"])
        writer.writerow(["7", "Café", "", "Title", "", "https://x.org/", ""])
    articles = list(iter_articles(path))
    assert articles == [
        Article(
            id="a1",
            text="Line one,\nline two.",
            source="example.com",
            date="2024-05-01",
            meta={"lang": "en"},
        ),
        Article(id="7", text="Café", title="Title", url="https://x.org/", meta={"lang": ""}),
    ]


def test_csv_with_bom_and_crlf(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b'\xef\xbb\xbfid,text\r\na,"x\r\ny"\r\nb,z\r\n')
    articles = list(iter_articles(path))
    assert [(a.id, a.text) for a in articles] == [("a", "x\r\ny"), ("b", "z")]


def test_csv_published_column_is_the_date(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,text,published\na,t,2024-01-02T03:04:05+02:00\nb,t,\n", encoding="utf-8")
    articles = list(iter_articles(path))
    assert [a.date for a in articles] == ["2024-01-02T03:04:05+02:00", None]
    assert [dict(a.meta) for a in articles] == [{}, {}]


def test_txt_folder(tmp_path):
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "z.txt").write_text("Last.", encoding="utf-8")
    (root / "b" / "deep" / "one.txt").write_text("Deep\r\ntext.\n", encoding="utf-8")
    (root / "a.txt").write_bytes("\ufeffWith BOM.".encode())
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "README.md").write_text("not an article", encoding="utf-8")
    (root / ".hidden" / "x.txt").write_text("ignored", encoding="utf-8")
    (root / ".notes.txt").write_text("ignored", encoding="utf-8")
    (root / "config.json").write_text('{"not": "records"}', encoding="utf-8")
    write_jsonl(root / "b" / "more.jsonl", [{"id": "j1", "text": "From JSONL."}])
    write_jsonl(root / "c.jsonl.gz", [{"id": "g1", "text": "From gzip."}])
    (root / "d.csv").write_text("id,text\nc1,From CSV.\n", encoding="utf-8")

    articles = list(iter_articles(root))

    assert [(a.id, a.text) for a in articles] == [
        ("a", "With BOM."),
        ("b/deep/one", "Deep\r\ntext.\n"),
        ("j1", "From JSONL."),
        ("g1", "From gzip."),
        ("c1", "From CSV."),
        ("empty", ""),
        ("z", "Last."),
    ]
    assert all(a.source is None and a.title is None for a in articles if a.id in {"a", "z"})


def test_single_txt_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Once.", encoding="utf-8")
    assert list(iter_articles(path)) == [Article(id="story", text="Once.")]


def test_format_override(tmp_path):
    path = tmp_path / "records.log"
    write_lines(path, [jl(id="a", text="t")])
    with pytest.raises(InvalidInputError, match="cannot tell the format"):
        iter_articles(path)
    assert [a.id for a in iter_articles(path, format="jsonl")] == ["a"]
    assert [a.id for a in iter_articles(path, format="txt")] == ["records"]


def test_format_override_applies_to_every_file_of_a_folder(tmp_path):
    (tmp_path / "one.md").write_text("First.", encoding="utf-8")
    (tmp_path / "two.md").write_text("Second.", encoding="utf-8")
    assert [a.id for a in iter_articles(tmp_path, format="txt")] == ["one", "two"]


def test_stdin_jsonl(backend):
    stream = io.StringIO("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n")
    result = read_articles("-", stdin=stream)
    assert [a.to_dict() for a in result.articles] == RECORDS


def test_sys_stdin_is_read_as_bytes(monkeypatch):
    data = GOOD.encode() + b"\n" + b'{"id": "b", "text": "\xff"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    skipped: list[SkippedRecord] = []
    assert [a.id for a in iter_articles("-", on_error="skip", skipped=skipped)] == ["ok"]
    assert skipped == [SkippedRecord("<stdin>", 2, "not UTF-8: invalid start byte at byte 22")]


def test_sys_stdin_gzip(monkeypatch):
    data = gzip.compress(GOOD.encode() + b"\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    assert [a.id for a in iter_articles("-")] == ["ok"]


def test_stdin_csv():
    stream = io.StringIO("id,text\na,Hello\n")
    assert list(iter_articles("-", format="csv", stdin=stream)) == [Article(id="a", text="Hello")]


def test_stdin_errors_name_stdin():
    stream = io.StringIO('{"id": "a", "text": "t"}\n{"id": "a"}\n')
    with pytest.raises(InvalidInputError) as info:
        list(iter_articles("-", stdin=stream))
    assert (info.value.path, info.value.line) == ("<stdin>", 2)


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


GOOD = jl(id="ok", text="fine")

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


@pytest.mark.parametrize(
    "content",
    [pytest.param(b"", id="empty"), pytest.param(b"\n  \n\r\n", id="blank-lines")],
)
def test_empty_file_yields_nothing_and_warns(tmp_path, caplog, content):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="storymatch.io"):
        assert list(iter_articles(path)) == []
    assert f"{path}: empty file, no records" in caplog.messages


def test_blank_lines_are_skipped_silently(tmp_path, caplog):
    path = write_lines(tmp_path / "a.jsonl", ["", GOOD, "   ", "\t"])
    with caplog.at_level(logging.WARNING, logger="storymatch.io"):
        assert [a.id for a in iter_articles(path)] == ["ok"]
    assert caplog.messages == []


def test_duplicate_across_files_names_the_first_file(tmp_path):
    write_jsonl(tmp_path / "1.jsonl", [{"id": "x", "text": "a"}, {"id": "y", "text": "b"}])
    write_jsonl(tmp_path / "2.jsonl", [{"id": "y", "text": "c"}])
    with pytest.raises(InvalidInputError) as info:
        list(iter_articles(tmp_path))
    assert info.value.path == str(tmp_path / "2.jsonl")
    assert info.value.line == 1
    assert info.value.reason == f"duplicate id 'y' (first seen at {tmp_path / '1.jsonl'}:2)"


def test_txt_id_clashing_with_a_record(tmp_path):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    write_jsonl(tmp_path / "b.jsonl", [{"id": "a", "text": "t"}])
    with pytest.raises(InvalidInputError, match="duplicate id 'a'") as info:
        list(iter_articles(tmp_path))
    assert info.value.path == str(tmp_path / "b.jsonl")


def test_txt_not_utf8_names_the_line(tmp_path):
    (tmp_path / "good.txt").write_text("fine", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"line one\nline \xfftwo\n")
    skipped: list[SkippedRecord] = []
    articles = list(iter_articles(tmp_path, on_error="skip", skipped=skipped))
    assert [a.id for a in articles] == ["good"]
    assert skipped == [
        SkippedRecord(str(tmp_path / "bad.txt"), 2, "not UTF-8: invalid start byte at byte 6")
    ]


def test_missing_path():
    with pytest.raises(InvalidInputError) as info:
        iter_articles("no/such/file.jsonl")
    assert str(info.value) == "no/such/file.jsonl: no such file or directory"


def test_unknown_suffix_names_supported_formats(tmp_path):
    path = tmp_path / "data.xml"
    path.write_text("<x/>", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"supported: \.jsonl") as info:
        read_articles(path)
    assert info.value.path == str(path)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"on_error": "ignore"}, "'on_error' parameter", id="on_error"),
        pytest.param({"format": "xml"}, "'format' parameter", id="format"),
    ],
)
def test_invalid_options(tmp_path, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        iter_articles(tmp_path, **kwargs)
    with pytest.raises(InvalidParameterError, match=match):
        read_articles(tmp_path, **kwargs)


def test_txt_format_cannot_read_stdin():
    with pytest.raises(InvalidParameterError, match="standard input"):
        iter_articles("-", format="txt", stdin=io.StringIO(""))


def test_empty_folder_warns(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="storymatch.io"):
        assert list(iter_articles(tmp_path)) == []
    assert any("no files to read" in m for m in caplog.messages)


def test_corrupt_gzip_raises_even_when_skipping(tmp_path):
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(GOOD.encode() + b"\n" for _ in range(3)))[:-8])
    with pytest.raises(InvalidInputError, match="cannot read the file") as info:
        list(iter_articles(path, on_error="skip"))
    assert info.value.path == str(path)


# ---------------------------------------------------------------------------------------
# CSV errors


def test_csv_errors_report_the_physical_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(
        b'id,text,date\na,"multi\nline\ntext",\n,no id,\nb,short\n'
        b'c,bad date,nope\nd,"caf\xe9\nmore",\na,dup,\ne,fine,2024-01-01\n'
    )
    skipped: list[SkippedRecord] = []
    ids = [a.id for a in iter_articles(path, on_error="skip", skipped=skipped)]
    assert ids == ["a", "e"]
    assert [(s.line, s.reason) for s in skipped] == [
        (5, "field 'id' must not be empty"),
        (6, "row has 2 fields; the header has 3"),
        (7, "field 'date' must be an ISO 8601 date; got 'nope' instead"),
        (8, "not UTF-8: invalid continuation byte at byte 7"),
        (10, "duplicate id 'a' (first seen at line 2)"),
    ]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        pytest.param(b"id,body\na,t\n", "no 'text' column", id="no-text-column"),
        pytest.param(b"text\nt\n", "no 'id' column", id="no-id-column"),
        pytest.param(b"id,text,id\na,t,b\n", "duplicate column 'id'", id="duplicate-column"),
        pytest.param(b"id,t\xffext\n", "not UTF-8", id="header-not-utf8"),
    ],
)
def test_csv_bad_header_raises_even_when_skipping(tmp_path, content, match):
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=match) as info:
        list(iter_articles(path, on_error="skip"))
    assert info.value.line == 1


def test_csv_header_only_warns(tmp_path, caplog):
    path = tmp_path / "a.csv"
    path.write_text("id,text\n\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="storymatch.io"):
        assert list(iter_articles(path)) == []
    assert f"{path}: a header but no records" in caplog.messages


def test_csv_empty_file_warns(tmp_path, caplog):
    path = tmp_path / "a.csv"
    path.write_text("", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="storymatch.io"):
        assert list(iter_articles(path)) == []
    assert f"{path}: empty file, no records" in caplog.messages


def test_csv_field_too_large(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("id,text\na,short\nb," + "x" * 50 + "\nc,ok\n", encoding="utf-8")
    old_limit = csv.field_size_limit(20)
    try:
        skipped: list[SkippedRecord] = []
        ids = [a.id for a in iter_articles(path, on_error="skip", skipped=skipped)]
    finally:
        csv.field_size_limit(old_limit)
    assert ids == ["a", "c"]
    assert [(s.line, s.reason) for s in skipped] == [
        (3, "not valid CSV: field larger than field limit (20)")
    ]


# ---------------------------------------------------------------------------------------
# Writers


def test_atomic_write_replaces_the_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with atomic_write(target) as out:
        out.write("new\n")
        assert target.read_text(encoding="utf-8") == "old"
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert names(tmp_path) == ["out.txt"]


def test_atomic_write_keeps_the_old_file_when_the_body_raises(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old content\n")

    def write_then_fail() -> None:
        with atomic_write(target, mode="wb") as out:
            out.write(b"partial")
            msg = "boom"
            raise RuntimeError(msg)

    with pytest.raises(RuntimeError, match="boom"):
        write_then_fail()
    assert target.read_bytes() == b"old content\n"
    assert names(tmp_path) == ["out.jsonl"]


def test_write_jsonl_failure_leaves_no_file(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(ValueError, match="Out of range float"):
        write_jsonl(target, [{"id": "a", "text": "t"}, {"id": "b", "text": "t", "x": float("nan")}])
    assert names(tmp_path) == []


def test_write_jsonl_unserialisable_value(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        write_jsonl(target, [{"id": "a", "text": "t", "tags": {"x"}}])
    assert names(tmp_path) == []


def test_atomic_write_creates_parents_with_umask_permissions(tmp_path):
    target = tmp_path / "new" / "dir" / "out.txt"
    with atomic_write(target) as out:
        out.write("x")
    assert target.read_text(encoding="utf-8") == "x"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_atomic_write_rejects_unknown_mode(tmp_path):
    with pytest.raises(InvalidParameterError, match="'mode' parameter"):
        atomic_write(tmp_path / "x", mode="a")  # type: ignore[call-overload]


def test_atomic_write_dash_is_stdout(capsys):
    with atomic_write("-") as out:
        out.write("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"


def test_write_jsonl_to_stdout(capsys):
    assert write_jsonl("-", [{"id": "a", "text": "é"}]) == 1
    assert capsys.readouterr().out == '{"id":"a","text":"é"}\n'


def test_write_jsonl_gz_is_deterministic(tmp_path):
    records = [{"id": str(i), "text": f"text {i} ü"} for i in range(2000)]
    first, second = tmp_path / "one.jsonl.gz", tmp_path / "sub" / "two.jsonl.gz"
    write_jsonl(first, records)
    write_jsonl(second, records)
    assert first.read_bytes() == second.read_bytes()
    write_jsonl(first, records)
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()).count(b"\n") == 2000


def test_write_jsonl_accepts_any_mapping(tmp_path):
    from types import MappingProxyType

    target = tmp_path / "out.jsonl"
    write_jsonl(target, [MappingProxyType({"id": "a", "text": "t", "m": MappingProxyType({})})])
    assert target.read_text(encoding="utf-8") == '{"id":"a","text":"t","m":{}}\n'


# ---------------------------------------------------------------------------------------
# Property: write_jsonl + read_articles is the identity


_KNOWN = {"id", "text", "source", "title", "date", "published", "url"}
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
_dates = st.datetimes().map(lambda d: d.isoformat()) | st.dates().map(lambda d: d.isoformat())


@st.composite
def _records(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {"id": draw(st.text(min_size=1)), "text": draw(st.text())}
    for name in ("source", "title", "url"):
        if draw(st.booleans()):
            record[name] = draw(st.text())
    if draw(st.booleans()):
        record["date"] = draw(_dates)
    meta_keys = st.text(max_size=8).filter(lambda k: k not in _KNOWN)
    record.update(draw(st.dictionaries(meta_keys, _json_values, max_size=3)))
    return record


@pytest.mark.parametrize("backend_name", BACKENDS)
@given(records=st.lists(_records(), max_size=8, unique_by=lambda r: r["id"]))
def test_write_read_round_trip(backend_name, records):
    with use_backend(backend_name), tempfile.TemporaryDirectory() as tmp:
        for name in ("a.jsonl", "a.jsonl.gz"):
            path = Path(tmp) / name
            assert write_jsonl(path, records) == len(records)
            result = read_articles(path)
            assert result.skipped == ()
            assert result.articles == tuple(Article.from_dict(r) for r in records)
            assert [a.to_dict() for a in result.articles] == records


def test_dedup_and_events_lines_match_json_dumps():
    from storymatch.io.writers import dedup_line, dedup_lines, events_line, events_lines
    from storymatch.models import DuplicateGroup, Event

    ids = ['quote"d \\ id', "ünïcode-€", "3"]
    groups = [
        DuplicateGroup("g-ü", ids[0], (ids[0], ids[1]), (1.0, 0.8)),
        DuplicateGroup("g2", "3", ("3",), (1.0,)),
    ]
    events = [Event("e\n1", tuple(ids), (), None, None, "")]
    sims = [1.0, 0.123456789, 1.0]

    def dumps(row: dict[str, Any]) -> str:
        return json.dumps(row, ensure_ascii=False, separators=(",", ":"))

    expected = [
        dumps({"id": i, "group": g.id, "representative": g.representative, "similarity": s})
        for i, g, s in zip(
            ids, [groups[0], groups[0], groups[1]], [1.0, 0.123457, 1.0], strict=True
        )
    ]
    assert list(dedup_lines(ids, groups, [0, 0, 1], sims)) == [e + "\n" for e in expected]
    assert dedup_line(ids[1], "g-ü", ids[0], 0.123457) == expected[1]
    rows = [
        dumps({"id": i, "group": g, "event": "e\n1"})
        for i, g in zip(ids, ["g-ü", "g-ü", "g2"], strict=True)
    ]
    assert list(events_lines(ids, groups, events, [0, 0, 0])) == [r + "\n" for r in rows]
    assert events_line(ids[2], "g2", "e\n1") == rows[2]
