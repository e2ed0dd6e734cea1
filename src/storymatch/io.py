"""Read articles from files and write JSON lines, validating every record.

Readers
-------
:func:`iter_articles` streams :class:`~storymatch.models.Article` objects from one source;
:func:`read_articles` collects them into a :class:`ReadResult`. A source is one of:

- a JSON-lines file: ``.jsonl``, ``.ndjson`` or ``.json`` (one object per line);
- a gzip-compressed one: ``.jsonl.gz`` or plain ``.gz`` (``.csv.gz`` is gzip CSV). Files are
  recognised as gzip by their first bytes, so a compressed file with another name works too;
- a CSV file (``.csv``): UTF-8, a header row naming the columns, parsed with :mod:`csv`;
- a ``.txt`` file: the whole file is one article whose ``id`` is the file name without suffix;
- an ``.html``/``.htm`` file: likewise one article, its text extracted by trafilatura (the
  ``html`` extra, see :mod:`storymatch.text.html`), with the page's headline, date and URL;
- a folder, read recursively in sorted order of the relative paths: each ``.txt`` file is one
  article whose ``id`` is its path relative to the folder, without the suffix and with ``/``
  separators, and each ``.html``/``.htm`` file likewise; ``.jsonl``, ``.ndjson``, ``.jsonl.gz``,
  ``.ndjson.gz``, ``.csv`` and ``.csv.gz``
  files add their records; hidden files and folders (names starting with ``.``) and files of
  other types are ignored;
- ``"-"``: standard input, read as JSON lines (or CSV with ``format="csv"``).

The format follows the suffix unless ``format=`` says otherwise.

Every record is checked against the input contract (see ``DESIGN.md``): a JSON object with a
non-empty string (or integer) ``id`` that is unique across the whole source, a string ``text``,
and optional ``source``, ``title``, ``date``/``published`` (ISO 8601) and ``url`` that are
strings or null. Other fields are kept in :attr:`Article.meta <storymatch.models.Article.meta>`
and written back out by :meth:`Article.to_dict <storymatch.models.Article.to_dict>`. A record with
an ``html`` field instead of ``text`` gets its text from the page (see above). A bad
record raises :class:`~storymatch.errors.InvalidInputError` naming the file and line, or, with
``on_error="skip"``, is logged at WARNING, reported as a :class:`SkippedRecord` and left out.

Writers
-------
:func:`atomic_write` replaces a file only once its new content is complete and on disk;
:func:`write_jsonl` writes records as compact, deterministic JSON lines, gzip-compressed when the
path ends with ``.gz``.

The optional ``fast-json`` extra (orjson) speeds up parsing; the results, and the error messages,
are the same with or without it.
"""

from __future__ import annotations

import csv
import gzip
import importlib
import json
import logging
import math
import os
import stat
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO, Final, Literal, TextIO, TypeAlias, cast, overload

from storymatch.errors import InvalidInputError, InvalidParameterError
from storymatch.models import Article, SentencePair

__all__ = [
    "ReadResult",
    "SkippedRecord",
    "atomic_write",
    "iter_articles",
    "iter_pairs",
    "read_articles",
    "write_jsonl",
    "write_lines",
]

logger = logging.getLogger(__name__)

_Format: TypeAlias = Literal["jsonl", "csv", "txt", "html"]
_OnError: TypeAlias = Literal["raise", "skip"]
_Line: TypeAlias = tuple[int, bytes | str]

_FORMATS: Final = ("jsonl", "csv", "txt", "html")
_WHOLE_FILE_FORMATS: Final = ("txt", "html")  # one file, one article
_ON_ERROR: Final = ("raise", "skip")
_STDIN: Final = "-"
_STDIN_LABEL: Final = "<stdin>"
_GZIP_MAGIC: Final = b"\x1f\x8b"
_JSON_WHITESPACE: Final = " \t\r\n"
_BOM: Final = "\ufeff"
_OPTIONAL_FIELDS: Final = ("source", "title", "date", "published", "url")
_DATE_FIELDS: Final = ("date", "published")
_WRITE_BATCH: Final = 1024
_SHOWN_CHARS: Final = 40  # longest string value quoted whole in an error message
# Position of a seen id, packed into one int to keep the id set small: file number and line.
_LINE_BITS: Final = 40

# Suffix (after removing ``.gz``) -> format, for a file named directly / found in a folder.
_FILE_SUFFIXES: Final[dict[str, _Format]] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
}
# A stray ``config.json`` or ``archive.gz`` in a folder is not taken for records.
_FOLDER_SUFFIXES: Final[dict[str, _Format]] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
_SUPPORTED: Final = (
    "supported: .jsonl, .ndjson or .json (JSON lines), .jsonl.gz or .gz (gzip JSON lines), "
    ".csv, .csv.gz, .txt, .html, a folder, or '-' for standard input; pass format= to choose one"
)


def _load_orjson() -> Any:
    """Return the ``orjson`` module, or None when the ``fast-json`` extra is not installed."""
    try:
        return importlib.import_module("orjson")
    except ImportError:  # pragma: no cover - depends on the environment
        return None


_orjson: Any = _load_orjson()


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record left out by ``on_error="skip"``.

    Parameters
    ----------
    path : str
        The file the record came from (``"<stdin>"`` for standard input).
    line : int
        The 1-based line where the record starts (for a CSV row, its first physical line; for
        a text file, 1, or the line of a byte that is not UTF-8).
    reason : str
        What was wrong, as the message of the :class:`~storymatch.errors.InvalidInputError`
        that ``on_error="raise"`` would have raised.
    """

    path: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Everything read from one source by :func:`read_articles`.

    Parameters
    ----------
    articles : tuple of Article
        The valid records, in input order.
    skipped : tuple of SkippedRecord
        The records left out (always empty with ``on_error="raise"``), in input order.
    """

    articles: tuple[Article, ...]
    skipped: tuple[SkippedRecord, ...]


class _BadRecordError(Exception):
    """Internal: a record is invalid; ``reason`` says why (the location is added later)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_BLANK: Final = object()
_JSON_SCALARS: Final = frozenset({str, int, bool, type(None)})


# --------------------------------------------------------------------------------------------
# Parsing and validating one record


def _reject_constant(name: str) -> float:
    """Refuse ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON (orjson agrees)."""
    msg = f"{name} is not a JSON value"
    raise ValueError(msg)


def _parse_finite_float(literal: str) -> float:
    """Parse a JSON number, refusing one too large for a double (orjson agrees)."""
    value = float(literal)
    if math.isinf(value):
        msg = f"number {literal} is out of range"
        raise ValueError(msg)
    return value


_DECODER: Final = json.JSONDecoder(parse_float=_parse_finite_float, parse_constant=_reject_constant)


def _utf8_reason(exc: UnicodeDecodeError, start: int = 0) -> str:
    """Describe a decoding error; ``start`` is the offset of the line in the decoded bytes."""
    return f"not UTF-8: {exc.reason} at byte {exc.start - start + 1}"


def _contains_float(value: object) -> bool:
    """Return True if a parsed JSON value holds a float anywhere."""
    values: Iterable[object]
    if isinstance(value, dict):
        values = value.values()
    elif isinstance(value, list):
        values = value
    else:
        return isinstance(value, float)
    kinds = set(map(type, values))
    if kinds <= _JSON_SCALARS:  # the usual record: strings, and perhaps ints, bools, nulls
        return False
    return float in kinds or any(
        _contains_float(item) for item in values if isinstance(item, dict | list)
    )


def _parse_json_line(raw: bytes | str, lineno: int) -> object:
    """Parse one line of JSON lines; return ``_BLANK`` for a blank line.

    orjson, when installed, parses first. Whatever it refuses, and every value with a float in
    it (orjson turns integers beyond 64 bits into floats), is parsed again by :mod:`json`, so
    results and error messages do not depend on orjson.
    """
    if _orjson is not None:
        try:
            value = _orjson.loads(raw)
        except ValueError:
            pass
        else:
            if not _contains_float(value):
                return value
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _BadRecordError(_utf8_reason(exc)) from None
    else:
        text = raw
    if lineno == 1:
        text = text.removeprefix(_BOM)
    text = text.rstrip("\r\n")  # so that an error at the end of the line gets its column
    if not text.strip(_JSON_WHITESPACE):
        return _BLANK
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} (column {exc.colno})"
        if lineno == 1 and text.lstrip(_JSON_WHITESPACE).startswith("["):
            msg += "; JSON lines hold one object per line, not an array"
        raise _BadRecordError(msg) from None
    except ValueError as exc:  # NaN/Infinity, out-of-range numbers, over-long integers
        msg = f"not valid JSON: {exc}"
        raise _BadRecordError(msg) from None
    except RecursionError:
        msg = "not valid JSON: nested too deeply"
        raise _BadRecordError(msg) from None


def _describe(value: object) -> str:
    """Name a JSON value's type (and show a scalar) for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= _SHOWN_CHARS else value[: _SHOWN_CHARS - 3] + "..."
        return f"string {shown!r}"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _is_iso_date(value: str) -> bool:
    """Return True if ``value`` parses as an ISO 8601 date or datetime."""
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _from_html(record: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Fill ``text`` (and missing ``title``/``date``/``url``) from the record's ``html``.

    A page file's bytes are not kept; an ``html`` field of a JSON record is, like any other
    field. Returns the new record and an error reason (None when the page had text).
    """
    from storymatch.text.html import extract_html  # noqa: PLC0415 - only for HTML input

    html = record["html"]
    page = extract_html(html, url=record.get("url"))
    if not page.text:
        return record, "no article text found in the HTML"
    out = {k: v for k, v in record.items() if not (k == "html" and isinstance(v, bytes))}
    out["text"] = page.text
    for name, value in (("title", page.title), ("date", page.date), ("url", page.url)):
        if out.get(name) is None and value is not None:
            out[name] = value
    if out.get("date") is not None and not _is_iso_date(out["date"]):
        del out["date"]
    return out, None


def _check_record(obj: object) -> str | None:
    """Return what is wrong with a parsed record, or None if it meets the input contract."""
    if not isinstance(obj, dict):
        return f"record must be a JSON object; got {_describe(obj)} instead"
    if "id" not in obj:
        return "missing required field 'id'"
    article_id = obj["id"]
    if isinstance(article_id, bool) or not isinstance(article_id, str | int):
        return f"field 'id' must be a string or an integer; got {_describe(article_id)} instead"
    if article_id == "":
        return "field 'id' must not be empty"
    if "text" not in obj:
        if "html" in obj:
            if not isinstance(obj["html"], str | bytes):
                return f"field 'html' must be a string; got {_describe(obj['html'])} instead"
            return _check_optional(obj)
        return "missing required field 'text'"
    if not isinstance(obj["text"], str):
        return f"field 'text' must be a string; got {_describe(obj['text'])} instead"
    return _check_optional(obj)


def _check_optional(obj: dict[str, Any]) -> str | None:
    """Return what is wrong with the optional fields of a record, or None."""
    for name in _OPTIONAL_FIELDS:
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return f"field {name!r} must be a string or null; got {_describe(value)} instead"
        if name in _DATE_FIELDS and not _is_iso_date(value):
            return f"field {name!r} must be an ISO 8601 date; got {value!r} instead"
    return None


# --------------------------------------------------------------------------------------------
# Sources


def _format_from_name(
    name: str, suffixes: Mapping[str, _Format], *, bare_gz: bool
) -> _Format | None:
    """Return the format a file name implies, or None."""
    lower = name.lower()
    compressed = lower.endswith(".gz")
    if compressed:
        lower = lower[:-3]
    fmt = suffixes.get(PurePosixPath(lower).suffix)
    if fmt is None and compressed and bare_gz:
        return "jsonl"
    if compressed and fmt in _WHOLE_FILE_FORMATS:
        return None
    return fmt


def _check_options(function: str, on_error: object, fmt: object) -> None:
    """Validate the options shared by the readers."""
    if on_error not in _ON_ERROR:
        msg = (
            f"The 'on_error' parameter of {function} must be one of 'raise' or 'skip'. "
            f"Got {on_error!r} instead."
        )
        raise InvalidParameterError(msg)
    if fmt is not None and fmt not in _FORMATS:
        msg = (
            f"The 'format' parameter of {function} must be one of 'jsonl', 'csv', 'txt', "
            f"'html' or None. Got {fmt!r} instead."
        )
        raise InvalidParameterError(msg)


def _resolve(
    source: str | os.PathLike[str], fmt: _Format | None
) -> tuple[Path | None, _Format | None]:
    """Check that a source exists and has a known format; ``None`` path means stdin.

    For a folder the returned format is the override (None: by each file's suffix).
    """
    name = os.fspath(source)
    if name == _STDIN:
        if fmt in _WHOLE_FILE_FORMATS:
            msg = f"format={fmt!r} cannot read standard input; use 'jsonl' or 'csv'"
            raise InvalidParameterError(msg)
        return None, fmt or "jsonl"
    path = Path(name)
    if path.is_dir():
        return path, fmt
    if not path.exists():
        msg = "no such file or directory"
        raise InvalidInputError(msg, path=name)
    detected = fmt or _format_from_name(path.name, _FILE_SUFFIXES, bare_gz=True)
    if detected is None:
        msg = f"cannot tell the format from the file name; {_SUPPORTED}"
        raise InvalidInputError(msg, path=name)
    return path, detected


def _list_folder(root: Path, fmt: _Format | None) -> list[tuple[str, _Format]]:
    """List a folder's readable files as (relative POSIX path, format), sorted by path."""
    found: list[tuple[str, _Format]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        base = Path(dirpath).relative_to(root)
        for filename in filenames:
            if filename.startswith("."):
                continue
            rel = (base / filename).as_posix()
            file_fmt = fmt
            if file_fmt is None:
                lower = filename.lower()
                if lower.endswith(".txt"):
                    file_fmt = "txt"
                elif lower.endswith((".html", ".htm")):
                    file_fmt = "html"
                else:
                    file_fmt = _format_from_name(filename, _FOLDER_SUFFIXES, bare_gz=False)
            if file_fmt is None:
                logger.debug("%s: ignored (not a supported file type)", root / rel)
                continue
            found.append((rel, file_fmt))
    found.sort()
    return found


def _numbered_lines(stream: Iterable[bytes | str], label: str) -> Iterator[_Line]:
    """Yield ``(line number, line)`` and turn read failures into InvalidInputError."""
    lines = iter(stream)
    lineno = 0
    while True:
        try:
            raw = next(lines)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error) as exc:
            msg = f"cannot read the file: {exc}"
            raise InvalidInputError(msg, path=label, line=lineno + 1) from exc
        lineno += 1
        yield lineno, raw


# --------------------------------------------------------------------------------------------
# The reader


class _Reader:
    """State of one :func:`iter_articles` call: the error policy and the ids seen so far."""

    def __init__(self, on_error: _OnError, skipped: list[SkippedRecord] | None) -> None:
        self.on_error = on_error
        self.skipped = skipped
        self.labels: list[str] = []
        # id -> (file number << _LINE_BITS) | line, for duplicate messages.
        self.seen: dict[str, int] = {}

    def fail(self, label: str, line: int, reason: str) -> None:
        """Raise for a bad record, or log and record it when skipping."""
        if self.on_error == "raise":
            raise InvalidInputError(reason, path=label, line=line)
        logger.warning("skipped %s:%d: %s", label, line, reason)
        if self.skipped is not None:
            self.skipped.append(SkippedRecord(label, line, reason))

    def accept(self, obj: object, file_no: int, line: int) -> Article | None:
        """Validate a parsed record; return its article, or None if it was skipped."""
        label = self.labels[file_no]
        reason = _check_record(obj)
        if reason is None and "text" not in cast("dict[str, Any]", obj):
            obj, reason = _from_html(cast("dict[str, Any]", obj))
        if reason is None:
            record = cast("dict[str, Any]", obj)
            article_id = str(record["id"])
            first = self.seen.get(article_id)
            if first is None:
                self.seen[article_id] = (file_no << _LINE_BITS) | line
                return Article.from_dict(record)
            first_file, first_line = first >> _LINE_BITS, first & ((1 << _LINE_BITS) - 1)
            where = (
                f"line {first_line}"
                if first_file == file_no
                else f"{self.labels[first_file]}:{first_line}"
            )
            reason = f"duplicate id {article_id!r} (first seen at {where})"
        self.fail(label, line, reason)
        return None

    def open_file(self, label: str) -> int:
        """Register a file and return its number."""
        self.labels.append(label)
        return len(self.labels) - 1

    # -- sources ---------------------------------------------------------------------------

    def read(
        self, path: Path | None, fmt: _Format | None, stdin: TextIO | None
    ) -> Iterator[Article]:
        """Read a resolved source."""
        if path is None:
            yield from self.read_stdin(fmt or "jsonl", stdin)
        elif path.is_dir():
            yield from self.read_folder(path, fmt)
        else:
            label = os.fspath(path)
            yield from self.read_file(path, label, fmt or "jsonl", PurePosixPath(path.name).stem)

    def read_stdin(self, fmt: _Format, stdin: TextIO | None) -> Iterator[Article]:
        """Read standard input (or the given text stream)."""
        stream: Iterable[bytes | str]
        if stdin is not None:
            stream = stdin
        elif sys.stdin is None:  # pragma: no cover - pythonw and similar
            msg = "standard input is not available"
            raise InvalidInputError(msg, path=_STDIN_LABEL)
        else:
            buffer: BinaryIO | None = getattr(sys.stdin, "buffer", None)
            if buffer is None:
                stream = sys.stdin
            elif getattr(buffer, "peek", lambda _: b"")(2)[:2] == _GZIP_MAGIC:
                stream = cast("BinaryIO", gzip.GzipFile(fileobj=buffer, mode="rb"))
            else:
                stream = buffer
        file_no = self.open_file(_STDIN_LABEL)
        yield from self.read_records(_numbered_lines(stream, _STDIN_LABEL), file_no, fmt)

    def read_folder(self, root: Path, fmt: _Format | None) -> Iterator[Article]:
        """Read every supported file under a folder, in sorted order."""
        entries = _list_folder(root, fmt)
        if not entries:
            logger.warning("%s: the folder holds no files to read", root)
        for rel, file_fmt in entries:
            path = root / rel
            article_id = str(PurePosixPath(rel).with_suffix(""))
            yield from self.read_file(path, os.fspath(path), file_fmt, article_id)

    def read_file(self, path: Path, label: str, fmt: _Format, text_id: str) -> Iterator[Article]:
        """Read one file; ``text_id`` is the article id if it is a text file."""
        file_no = self.open_file(label)
        try:
            raw = path.open("rb")
        except FileNotFoundError:
            msg = "no such file or directory"
            raise InvalidInputError(msg, path=label) from None
        except OSError as exc:
            msg = f"cannot open the file: {exc.strerror}"
            raise InvalidInputError(msg, path=label) from exc
        with raw:
            if fmt == "txt":
                yield from self.read_text(raw, file_no, text_id)
                return
            if fmt == "html":
                yield from self.read_html(raw, file_no, text_id)
                return
            if raw.peek(2)[:2] == _GZIP_MAGIC:
                with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                    lines = _numbered_lines(cast("BinaryIO", unzipped), label)
                    yield from self.read_records(lines, file_no, fmt)
            else:
                yield from self.read_records(_numbered_lines(raw, label), file_no, fmt)

    def read_records(self, lines: Iterator[_Line], file_no: int, fmt: _Format) -> Iterator[Article]:
        """Read JSON lines or CSV records."""
        if fmt == "csv":
            yield from self.read_csv(lines, file_no)
        else:
            yield from self.read_jsonl(lines, file_no)

    def read_text(self, raw: IO[bytes], file_no: int, article_id: str) -> Iterator[Article]:
        """Read a whole text file as one article."""
        label = self.labels[file_no]
        try:
            data = raw.read()
        except OSError as exc:
            msg = f"cannot read the file: {exc}"
            raise InvalidInputError(msg, path=label) from exc
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            line_start = data.rfind(b"\n", 0, exc.start) + 1
            self.fail(label, line, _utf8_reason(exc, line_start))
            return
        article = self.accept({"id": article_id, "text": text.removeprefix(_BOM)}, file_no, 1)
        if article is not None:
            yield article

    def read_html(self, raw: IO[bytes], file_no: int, article_id: str) -> Iterator[Article]:
        """Read a whole HTML page as one article (trafilatura extracts the text)."""
        label = self.labels[file_no]
        try:
            data = raw.read()
        except OSError as exc:
            msg = f"cannot read the file: {exc}"
            raise InvalidInputError(msg, path=label) from exc
        record: dict[str, Any] = {"id": article_id, "html": data}
        article = self.accept(record, file_no, 1)
        if article is not None:
            yield article

    def read_jsonl(self, lines: Iterator[_Line], file_no: int) -> Iterator[Article]:
        """Read JSON lines: one object per line, blank lines ignored."""
        records = 0
        for lineno, raw in lines:
            try:
                obj = _parse_json_line(raw, lineno)
            except _BadRecordError as exc:
                records += 1
                self.fail(self.labels[file_no], lineno, exc.reason)
                continue
            if obj is _BLANK:
                continue
            records += 1
            article = self.accept(obj, file_no, lineno)
            if article is not None:
                yield article
        if records == 0:
            logger.warning("%s: empty file, no records", self.labels[file_no])

    def read_csv(self, lines: Iterator[_Line], file_no: int) -> Iterator[Article]:
        """Read CSV: a header row, then one record per row (which may span lines)."""
        label = self.labels[file_no]
        bad_lines: dict[int, str] = {}

        def text_lines() -> Iterator[str]:
            for lineno, raw in lines:
                if isinstance(raw, bytes):
                    try:
                        text = raw.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        bad_lines[lineno] = _utf8_reason(exc)
                        text = raw.decode("utf-8", "replace")
                else:
                    text = raw
                yield text.removeprefix(_BOM) if lineno == 1 else text

        reader = csv.reader(text_lines())
        header: list[str] = []
        while not header:
            start = reader.line_num + 1
            try:
                header = next(reader)
            except StopIteration:
                logger.warning("%s: empty file, no records", label)
                return
            except csv.Error as exc:
                msg = f"not valid CSV: {exc}"
                raise InvalidInputError(msg, path=label, line=start) from exc
        if bad_lines:
            line = min(bad_lines)
            raise InvalidInputError(bad_lines[line], path=label, line=line)
        columns = _check_header(header, label, start)

        records = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                records += 1
                bad_lines.clear()
                self.fail(label, start, f"not valid CSV: {exc}")
                continue
            if bad_lines:
                line = min(bad_lines)
                reason = bad_lines[line]
                bad_lines.clear()
                records += 1
                self.fail(label, line, reason)
                continue
            if not any(cell.strip() for cell in row):
                continue
            records += 1
            if len(row) != len(columns):
                self.fail(label, start, f"row has {len(row)} fields; the header has {len(columns)}")
                continue
            record: dict[str, Any] = dict(zip(columns, row, strict=True))
            for name in _OPTIONAL_FIELDS:
                if record.get(name) == "":
                    del record[name]
            article = self.accept(record, file_no, start)
            if article is not None:
                yield article
        if records == 0:
            logger.warning("%s: a header but no records", label)


def _check_header(header: list[str], label: str, line: int) -> list[str]:
    """Return the column names of a CSV header, or raise if it cannot give valid records."""
    columns = [name.strip() for name in header]
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            msg = f"duplicate column {name!r} in the CSV header"
            raise InvalidInputError(msg, path=label, line=line)
        seen.add(name)
    for required in ("id", "text"):
        if required not in seen:
            found = ", ".join(repr(name) for name in columns)
            msg = f"the CSV header has no {required!r} column; found {found}"
            raise InvalidInputError(msg, path=label, line=line)
    return columns


# --------------------------------------------------------------------------------------------
# Public readers


def iter_articles(
    source: str | os.PathLike[str],
    *,
    format: Literal["jsonl", "csv", "txt", "html"] | None = None,
    on_error: Literal["raise", "skip"] = "raise",
    skipped: list[SkippedRecord] | None = None,
    stdin: TextIO | None = None,
) -> Iterator[Article]:
    r"""Stream the articles of a file, a folder or standard input, validating each record.

    Only the ids seen so far are kept in memory, so a file of any size can be read.

    Parameters
    ----------
    source : str or os.PathLike
        A ``.jsonl``/``.ndjson``/``.json`` file (JSON lines), a gzip-compressed one
        (``.jsonl.gz``, ``.gz``), a ``.csv`` (or ``.csv.gz``) file, a ``.txt`` file, a folder
        (see the module docstring), or ``"-"`` for standard input.
    format : {"jsonl", "csv", "txt", "html"} or None, default=None
        Read the source (every file of a folder, or standard input) in this format instead of
        the one its suffix implies. ``"txt"`` makes each file one article and cannot be used
        with standard input.
    on_error : {"raise", "skip"}, default="raise"
        ``"raise"`` stops at the first bad record. ``"skip"`` logs it at WARNING, appends a
        :class:`SkippedRecord` to ``skipped`` and goes on. Problems with a file as a whole (it
        is missing or unreadable, corrupt gzip, a CSV header without ``id`` or ``text``)
        raise in both modes.
    skipped : list of SkippedRecord or None, default=None
        With ``on_error="skip"``, receives one entry per skipped record, in input order.
    stdin : TextIO or None, default=None
        The stream that ``"-"`` reads; None reads :data:`sys.stdin` (its bytes, so that a line
        that is not UTF-8 is reported like one in a file; gzip input is recognised).

    Returns
    -------
    Iterator of Article
        The valid records in input order (files of a folder in sorted order of their paths).
        The options and the source's existence and format are checked at once; records are
        read as the iterator is consumed.

    Raises
    ------
    InvalidParameterError
        If ``on_error`` or ``format`` has an unknown value.
    InvalidInputError
        If the source does not exist or has an unknown suffix, or (with ``on_error="raise"``)
        when a record is invalid: not UTF-8, not JSON, not an object, without ``id`` or
        ``text``, with a field of the wrong type or a date that is not ISO 8601, or with an
        ``id`` seen before. ``path`` and ``line`` say where.

    See Also
    --------
    read_articles : Read everything at once, with the skipped records.

    Notes
    -----
    An empty file yields nothing and logs a warning. In CSV, an empty cell of ``source``,
    ``title``, ``date``, ``published`` or ``url`` means null; other empty cells are kept as
    empty strings. Fields wider than :func:`csv.field_size_limit` (128 KiB by default) are
    reported as invalid rows; raise the limit before reading if your texts are longer.

    Examples
    --------
    >>> import io
    >>> from storymatch.io import iter_articles
    >>> lines = io.StringIO('{"id": "a1", "text": "Hello.", "lang": "en"}\n')
    >>> [(a.id, a.text, dict(a.meta)) for a in iter_articles("-", stdin=lines)]
    [('a1', 'Hello.', {'lang': 'en'})]
    """
    _check_options("iter_articles", on_error, format)
    path, fmt = _resolve(source, format)
    return _Reader(on_error, skipped).read(path, fmt, stdin)


def _pair_reason(obj: object) -> str | None:
    if not isinstance(obj, dict):
        return f"expected a JSON object, got {_describe(obj)}"
    for name in ("id", "a", "b"):
        if name not in obj:
            return f"missing required field {name!r}"
    if not isinstance(obj["id"], str | int) or isinstance(obj["id"], bool):
        return f"field 'id' must be a string, got {_describe(obj['id'])}"
    for name in ("a", "b"):
        if not isinstance(obj[name], str):
            return f"field {name!r} must be a string, got {_describe(obj[name])}"
    label = obj.get("label")
    if label is not None and (isinstance(label, bool) or not isinstance(label, int | float)):
        return f"field 'label' must be a number, got {_describe(label)}"
    return None


def iter_pairs(
    source: str | os.PathLike[str],
    *,
    on_error: Literal["raise", "skip"] = "raise",
    skipped: list[SkippedRecord] | None = None,
    stdin: TextIO | None = None,
) -> Iterator[SentencePair]:
    r"""Stream sentence pairs ``{"id", "a", "b"}`` (``label`` optional) from JSON lines.

    Parameters
    ----------
    source : str or os.PathLike
        A JSON lines file (gzip-compressed or not), or ``"-"`` for standard input.
    on_error : {"raise", "skip"}, default="raise"
        As in :func:`iter_articles`.
    skipped : list of SkippedRecord or None, default=None
        With ``on_error="skip"``, receives one entry per skipped line.
    stdin : TextIO or None, default=None
        The stream that ``"-"`` reads; None reads :data:`sys.stdin`.

    Returns
    -------
    Iterator of SentencePair

    Raises
    ------
    InvalidInputError
        If the file is missing, or (with ``on_error="raise"``) a line is not a JSON object
        with string fields ``id``, ``a`` and ``b``, or repeats an id; ``path`` and ``line``
        say where.

    Examples
    --------
    >>> import io
    >>> lines = io.StringIO('{"id": "p1", "a": "Rain fell.", "b": "It rained."}\n')
    >>> [p.id for p in iter_pairs("-", stdin=lines)]
    ['p1']
    """
    _check_options("iter_pairs", on_error, None)
    if os.fspath(source) == _STDIN:
        label = _STDIN_LABEL
        stream: Iterable[bytes | str]
        if stdin is not None:
            stream = stdin
        else:
            buffer: BinaryIO | None = getattr(sys.stdin, "buffer", None)
            stream = buffer if buffer is not None else sys.stdin
        return _pairs_from(_numbered_lines(stream, label), label, on_error, skipped)
    path = Path(source)
    label = os.fspath(path)
    if not path.is_file():
        msg = "no such file"
        raise InvalidInputError(msg, path=label)
    return _pairs_from_file(path, label, on_error, skipped)


def _pairs_from_file(
    path: Path, label: str, on_error: _OnError, skipped: list[SkippedRecord] | None
) -> Iterator[SentencePair]:
    with path.open("rb") as raw:
        if raw.peek(2)[:2] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                lines = _numbered_lines(cast("BinaryIO", unzipped), label)
                yield from _pairs_from(lines, label, on_error, skipped)
        else:
            yield from _pairs_from(_numbered_lines(raw, label), label, on_error, skipped)


def _pairs_from(
    lines: Iterator[_Line], label: str, on_error: _OnError, skipped: list[SkippedRecord] | None
) -> Iterator[SentencePair]:
    reader = _Reader(on_error, skipped)
    seen: dict[str, int] = {}
    for lineno, raw in lines:
        try:
            obj = _parse_json_line(raw, lineno)
        except _BadRecordError as exc:
            reader.fail(label, lineno, exc.reason)
            continue
        if obj is _BLANK:
            continue
        reason = _pair_reason(obj)
        if reason is None:
            record = cast("dict[str, Any]", obj)
            pair_id = str(record["id"])
            if pair_id in seen:
                reason = f"duplicate id {pair_id!r} (first seen at line {seen[pair_id]})"
            else:
                seen[pair_id] = lineno
                label_value = record.get("label")
                yield SentencePair(
                    pair_id,
                    record["a"],
                    record["b"],
                    None if label_value is None else float(label_value),
                )
                continue
        reader.fail(label, lineno, reason)


def read_articles(
    source: str | os.PathLike[str],
    *,
    format: Literal["jsonl", "csv", "txt", "html"] | None = None,
    on_error: Literal["raise", "skip"] = "raise",
    stdin: TextIO | None = None,
) -> ReadResult:
    """Read all articles of a source, with the records that were skipped.

    Parameters
    ----------
    source : str or os.PathLike
        A file, a folder or ``"-"``, as for :func:`iter_articles`.
    format : {"jsonl", "csv", "txt", "html"} or None, default=None
        Overrides the format implied by the suffix, as for :func:`iter_articles`.
    on_error : {"raise", "skip"}, default="raise"
        Stop at the first bad record, or leave it out and report it in ``skipped``.
    stdin : TextIO or None, default=None
        The stream that ``"-"`` reads; None reads :data:`sys.stdin`.

    Returns
    -------
    ReadResult
        ``articles`` in input order and the ``skipped`` records.

    Raises
    ------
    InvalidParameterError
        If ``on_error`` or ``format`` has an unknown value.
    InvalidInputError
        As for :func:`iter_articles`.

    See Also
    --------
    iter_articles : Stream the articles without holding them all.
    """
    _check_options("read_articles", on_error, format)
    skipped: list[SkippedRecord] = []
    articles = tuple(
        iter_articles(source, format=format, on_error=on_error, skipped=skipped, stdin=stdin)
    )
    return ReadResult(articles=articles, skipped=tuple(skipped))


# --------------------------------------------------------------------------------------------
# Writers


def _new_file_mode(target: Path) -> int:
    """Permissions for the replacement: the target's own, else what the umask allows."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems that refuse
        pass
    finally:
        os.close(fd)


@contextmanager
def _atomic_write(name: str, mode: str, encoding: str) -> Iterator[IO[Any]]:
    """Implement :func:`atomic_write` (typed by its overloads)."""
    if name == _STDIN:
        stream: IO[Any] = sys.stdout.buffer if mode == "wb" else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    binary = mode == "wb"
    tmp_path: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            mode=mode,
            encoding=None if binary else encoding,
            newline=None if binary else "\n",
            delete=False,
            dir=target.parent,
            prefix=f".{target.name}.",
            suffix=".tmp",
        ) as tmp:
            tmp_path = Path(tmp.name)
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        tmp_path.chmod(_new_file_mode(target))
        tmp_path.replace(target)
    except BaseException:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


@overload
def atomic_write(
    path: str | os.PathLike[str], *, mode: Literal["w"] = "w", encoding: str = "utf-8"
) -> AbstractContextManager[TextIO]: ...
@overload
def atomic_write(
    path: str | os.PathLike[str], *, mode: Literal["wb"], encoding: str = "utf-8"
) -> AbstractContextManager[BinaryIO]: ...
def atomic_write(
    path: str | os.PathLike[str], *, mode: Literal["w", "wb"] = "w", encoding: str = "utf-8"
) -> AbstractContextManager[TextIO] | AbstractContextManager[BinaryIO]:
    r"""Write a file so that readers see either the old content or the complete new one.

    The body writes to a temporary file in the target's folder (``.NAME.XXXX.tmp``); when it
    finishes, the file is flushed, synced to disk and renamed over the target with
    :func:`os.replace`. If the body raises, the temporary file is removed and the target is
    left as it was. Missing parent folders are created.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write. ``"-"`` means standard output, written directly (not atomic, and
        not closed).
    mode : {"w", "wb"}, default="w"
        Text (newlines are written as ``\n`` on every platform) or bytes.
    encoding : str, default="utf-8"
        The text encoding; ignored in ``"wb"`` mode.

    Returns
    -------
    contextlib.AbstractContextManager
        Yields the stream to write to.

    Raises
    ------
    InvalidParameterError
        If ``mode`` is not ``"w"`` or ``"wb"``.

    Notes
    -----
    The new file keeps the permissions of the file it replaces; a new file gets the
    permissions the process umask allows. Reading the umask sets it for a moment, which
    another thread creating a file at that instant could notice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from storymatch.io import atomic_write
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as out:
    ...     _ = out.write("done\n")
    >>> target.read_text()
    'done\n'
    """
    if mode not in ("w", "wb"):
        msg = (
            f"The 'mode' parameter of atomic_write must be one of 'w' or 'wb'. "
            f"Got {mode!r} instead."
        )
        raise InvalidParameterError(msg)
    manager = _atomic_write(os.fspath(path), mode, encoding)
    if mode == "wb":
        return cast("AbstractContextManager[BinaryIO]", manager)
    return cast("AbstractContextManager[TextIO]", manager)


def _json_default(value: object) -> object:
    """Serialise mappings that are not dicts (``Article.meta`` may be any Mapping)."""
    if isinstance(value, Mapping):
        return dict(value)
    msg = f"Object of type {type(value).__name__} is not JSON serializable"
    raise TypeError(msg)


_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default
)


def _json_lines(records: Iterable[Mapping[str, Any] | Article]) -> Iterator[str]:
    """Yield each record as one line of compact JSON, newline included."""
    for record in records:
        data = record.to_dict() if isinstance(record, Article) else record
        yield _ENCODER.encode(data) + "\n"


def _write_lines(sink: IO[bytes], lines: Iterable[str]) -> int:
    """Write lines as UTF-8 in batches; return how many."""
    count = 0
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        count += 1
        if len(batch) >= _WRITE_BATCH:
            sink.write("".join(batch).encode("utf-8"))
            batch.clear()
    if batch:
        sink.write("".join(batch).encode("utf-8"))
    return count


def write_jsonl(
    path: str | os.PathLike[str], records: Iterable[Mapping[str, Any] | Article]
) -> int:
    r"""Write records as JSON lines, atomically, gzip-compressed if the path ends with ``.gz``.

    Lines are compact (``","`` and ``":"`` separators), keep non-ASCII characters as they are
    (UTF-8), keep the key order of each record and end with ``\n``, so the same records give
    the same bytes on every machine. Gzip output has no timestamp or file name in its header,
    so it is byte-identical too.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write (see :func:`atomic_write`); ``"-"`` writes uncompressed lines to
        standard output.
    records : iterable of Mapping or Article
        The records; an :class:`~storymatch.models.Article` is written as its
        :meth:`~storymatch.models.Article.to_dict`. Consumed once, lazily.

    Returns
    -------
    int
        The number of lines written.

    Raises
    ------
    ValueError
        If a record holds NaN or an infinite float (not JSON), or a string that cannot be
        encoded as UTF-8 (a lone surrogate); the target is then left untouched.
    TypeError
        If a record holds a value JSON cannot represent.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from storymatch.io import read_articles, write_jsonl
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "articles.jsonl.gz"
    >>> write_jsonl(target, [{"id": "a1", "text": "Grüße"}, {"id": "a2", "text": ""}])
    2
    >>> [a.text for a in read_articles(target).articles]
    ['Grüße', '']
    """
    return write_lines(path, _json_lines(records))


def write_lines(path: str | os.PathLike[str], lines: Iterable[str]) -> int:
    r"""Write text lines (each ending with ``\n``) like :func:`write_jsonl` writes records.

    For callers that format their lines themselves (the command line formats its fixed-shape
    output rows this way, several times faster than encoding a dict per row). Atomic,
    gzip-compressed when the path ends with ``.gz``, standard output for ``"-"``.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write (see :func:`atomic_write`).
    lines : iterable of str
        The lines, newline included. Consumed once, lazily.

    Returns
    -------
    int
        The number of lines written.
    """
    name = os.fspath(path)
    count = 0
    if name == _STDIN:
        with atomic_write(name) as text_out:
            for line in lines:
                text_out.write(line)
                count += 1
        return count
    with atomic_write(name, mode="wb") as out:
        if name.lower().endswith(".gz"):
            # filename="" and mtime=0 keep the temporary name and the time out of the header;
            # level 6 (the gzip tool's default) is several times faster than 9, for ~1% size.
            with gzip.GzipFile(
                filename="", mode="wb", fileobj=out, mtime=0, compresslevel=6
            ) as unzipped:
                count = _write_lines(cast("IO[bytes]", unzipped), lines)
        else:
            count = _write_lines(out, lines)
    return count
