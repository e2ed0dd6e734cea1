"""Tests for storymatch.io.readers: formats, folders, standard input, file-level errors."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.io.support import BACKENDS, GOOD, RECORDS, jl, use_backend, write_lines

from storymatch.errors import InvalidInputError, InvalidParameterError
from storymatch.io import ReadResult, SkippedRecord, iter_articles, read_articles, write_jsonl
from storymatch.models import Article

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


# ---------------------------------------------------------------------------------------
# Errors


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


def test_csv_field_over_128_kib_is_read_whole(tmp_path):
    # The csv module's default limit is 128 KiB; a longer text used to lose the reader's
    # place and turn the rest of the article into thousands of records.
    long_text = 'word, "quoted" and more\n' * 20_000
    assert len(long_text) > 131_072
    path = tmp_path / "a.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerows([["id", "text"], ["a", long_text], ["b", "short"]])
    limit = csv.field_size_limit()
    skipped: list[SkippedRecord] = []
    articles = list(iter_articles(path, on_error="skip", skipped=skipped))
    assert [(a.id, len(a.text)) for a in articles] == [("a", len(long_text)), ("b", 5)]
    assert articles[0].text == long_text
    assert skipped == []
    assert csv.field_size_limit() == limit  # the process-wide limit is left as it was


@pytest.mark.parametrize(
    ("content", "line"),
    [
        pytest.param('id,text\na,"open quote\nb,second\nc,third\n', 2, id="open-at-eof"),
        pytest.param('id,text\na,ok\nb,"never closed', 3, id="last-line"),
    ],
)
def test_csv_quote_left_open_at_end_of_file_names_the_line(tmp_path, content, line):
    path = tmp_path / "a.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInputError, match="quote") as info:
        list(iter_articles(path))
    assert (info.value.path, info.value.line) == (str(path), line)
    skipped: list[SkippedRecord] = []
    ids = [a.id for a in iter_articles(path, on_error="skip", skipped=skipped)]
    assert ids == (["a"] if line == 3 else [])
    assert [s.line for s in skipped] == [line]


# ---------------------------------------------------------------------------------------
# Lone surrogates and file names that are not UTF-8


@pytest.mark.parametrize(
    ("line", "field"),
    [
        pytest.param(r'{"id": "a\ud800", "text": "t"}', "id", id="id"),
        pytest.param(r'{"id": "a", "text": "one \udc00 two"}', "text", id="text"),
        pytest.param(r'{"id": "a", "text": "t", "title": "\udfff"}', "title", id="title"),
        pytest.param(r'{"id": "a", "text": "t", "tags": ["x", "\ud83d"]}', "tags", id="meta"),
        pytest.param(r'{"id": "a", "text": "t", "\udc80": 1}', "\\udc80", id="key"),
    ],
)
def test_lone_surrogate_is_a_bad_record(tmp_path, line, field):
    path = tmp_path / "a.jsonl"
    path.write_text(
        line + "\n" + r'{"id": "b", "text": "pair \ud83d\ude00 is fine"}' + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError, match="surrogate") as info:
        list(iter_articles(path))
    assert (info.value.line, field in info.value.reason) == (1, True)
    skipped: list[SkippedRecord] = []
    articles = list(iter_articles(path, on_error="skip", skipped=skipped))
    assert [a.text for a in articles] == ["pair \U0001f600 is fine"]
    assert [s.line for s in skipped] == [1]


def test_lone_surrogate_from_a_text_stream(tmp_path):
    stream = io.StringIO('{"id": "a\ud800", "text": "t"}\n{"id": "b", "text": "u"}\n')
    skipped: list[SkippedRecord] = []
    ids = [a.id for a in iter_articles("-", stdin=stream, on_error="skip", skipped=skipped)]
    assert ids == ["b"]
    assert [s.line for s in skipped] == [1]
    csv_stream = io.StringIO("id,text\na\udc80,t\nb,u\n")
    skipped.clear()
    got = iter_articles("-", format="csv", stdin=csv_stream, on_error="skip", skipped=skipped)
    assert [a.id for a in got] == ["b"]
    assert [s.line for s in skipped] == [2]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_folder_file_name_not_utf8(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "good.txt").write_text("A good page.", encoding="utf-8")
    bad = os.fsdecode(bytes(folder) + b"/caf\xe9.txt")
    Path(bad).write_text("A page whose name is Latin-1.", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="file name is not UTF-8") as info:
        list(iter_articles(folder))
    assert "caf\\xe9.txt" in str(info.value)
    str(info.value).encode("utf-8")  # the message itself can be printed and written
    skipped: list[SkippedRecord] = []
    ids = [a.id for a in iter_articles(folder, on_error="skip", skipped=skipped)]
    assert ids == ["good"]
    assert len(skipped) == 1
    skipped[0].path.encode("utf-8")
    # named directly, too
    with pytest.raises(InvalidInputError, match="file name is not UTF-8"):
        list(iter_articles(bad))


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
