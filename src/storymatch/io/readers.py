"""Article readers: files, folders and standard input, every record validated.

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

JSON lines are parsed with orjson (a dependency) and, where it is not installed, with
:mod:`json`: the results, and the error messages, are the same either way.
"""

from __future__ import annotations

import csv
import gzip
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO, Final, Literal, TextIO, TypeAlias, cast

from storymatch._gcpause import paused_gc
from storymatch.errors import InvalidInputError, InvalidParameterError
from storymatch.io.columns import ColumnMap
from storymatch.io.frames import Frame, is_frame, iter_frame
from storymatch.io.records import (
    BLANK_LINE,
    BOM,
    GZIP_MAGIC,
    OPTIONAL_FIELDS,
    STDIN,
    STDIN_LABEL,
    BadRecordError,
    ErrorPolicy,
    Line,
    OnError,
    SkippedRecord,
    check_options,
    check_record,
    numbered_lines,
    parse_json_line,
    record_from_html,
    surrogate_reason,
    utf8_reason,
)
from storymatch.models import Article

__all__ = ["ReadResult", "iter_articles", "read_articles"]

logger = logging.getLogger(__name__)

_Format: TypeAlias = Literal["jsonl", "csv", "txt", "html"]

_WHOLE_FILE_FORMATS: Final = ("txt", "html")  # one file, one article
# Position of a seen id, packed into one int to keep the id set small: file number and line.
_LINE_BITS: Final = 40
# The widest CSV field read (characters): the csv module's own default is 128 KiB, far below a
# long article; 2**31 - 1 is the largest limit every platform's C long holds. The limit is
# process-wide, so it is raised only while a row is parsed and put back at once.
_CSV_FIELD_LIMIT: Final = 2**31 - 1


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


def _resolve(
    source: str | os.PathLike[str], fmt: _Format | None
) -> tuple[Path | None, _Format | None]:
    """Check that a source exists and has a known format; ``None`` path means stdin.

    For a folder the returned format is the override (None: by each file's suffix).
    """
    name = os.fspath(source)
    if name == STDIN:
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


# --------------------------------------------------------------------------------------------
# The reader


class _Reader(ErrorPolicy):
    """State of one :func:`iter_articles` call: the error policy and the ids seen so far."""

    def __init__(
        self, on_error: OnError, skipped: list[SkippedRecord] | None, columns: ColumnMap
    ) -> None:
        super().__init__(on_error, skipped)
        self.columns = columns
        self.labels: list[str] = []
        # id -> (file number << _LINE_BITS) | line, for duplicate messages.
        self.seen: dict[str, int] = {}

    def accept(self, obj: object, file_no: int, line: int) -> Article | None:
        """Validate a parsed record; return its article, or None if it was skipped."""
        reason = check_record(obj)
        record: dict[str, Any] = obj  # type: ignore[assignment] # a dict when reason is None
        if reason is None and "text" not in record:
            record, reason = record_from_html(record)
        if reason is None:
            article_id = record["id"]
            if type(article_id) is not str:
                article_id = str(article_id)
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
        self.fail(self.labels[file_no], line, reason)
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
            raise InvalidInputError(msg, path=STDIN_LABEL)
        else:
            buffer: BinaryIO | None = getattr(sys.stdin, "buffer", None)
            if buffer is None:
                stream = sys.stdin
            elif getattr(buffer, "peek", lambda _: b"")(2)[:2] == GZIP_MAGIC:
                stream = cast("BinaryIO", gzip.GzipFile(fileobj=buffer, mode="rb"))
            else:
                stream = buffer
        file_no = self.open_file(STDIN_LABEL)
        yield from self.read_records(numbered_lines(stream, STDIN_LABEL), file_no, fmt)

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
        shown = _printable_path(label)
        file_no = self.open_file(shown)
        if shown != label and fmt in _WHOLE_FILE_FORMATS:
            # The id would come from a name that is not text (os.fsdecode's escapes).
            self.fail(
                shown, 1, "the file name is not UTF-8, so it cannot be the article's id; rename it"
            )
            return
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
            if raw.peek(2)[:2] == GZIP_MAGIC:
                with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                    lines = numbered_lines(cast("BinaryIO", unzipped), label)
                    yield from self.read_records(lines, file_no, fmt)
            else:
                yield from self.read_records(numbered_lines(raw, label), file_no, fmt)

    def read_records(self, lines: Iterator[Line], file_no: int, fmt: _Format) -> Iterator[Article]:
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
            self.fail(label, line, utf8_reason(exc, line_start))
            return
        article = self.accept({"id": article_id, "text": text.removeprefix(BOM)}, file_no, 1)
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

    def read_jsonl(self, lines: Iterator[Line], file_no: int) -> Iterator[Article]:
        """Read JSON lines: one object per line, blank lines ignored."""
        records = 0
        rename = self.columns.rename_record if self.columns.renames else None
        for lineno, raw in lines:
            try:
                obj = parse_json_line(raw, lineno)
                if rename is not None and isinstance(obj, dict):
                    obj = rename(obj)
            except (BadRecordError, ValueError) as exc:
                records += 1
                reason = exc.reason if isinstance(exc, BadRecordError) else str(exc)
                self.fail(self.labels[file_no], lineno, reason)
                continue
            if obj is BLANK_LINE:
                continue
            records += 1
            article = self.accept(obj, file_no, lineno)
            if article is not None:
                yield article
        if records == 0:
            logger.warning("%s: empty file, no records", self.labels[file_no])

    def read_csv(self, lines: Iterator[Line], file_no: int) -> Iterator[Article]:
        """Read CSV: a header row, then one record per row (which may span lines)."""
        label = self.labels[file_no]
        bad_lines: dict[int, str] = {}

        def text_lines() -> Iterator[str]:
            for lineno, raw in lines:
                if isinstance(raw, bytes):
                    try:
                        text = raw.decode("utf-8")
                    except UnicodeDecodeError as exc:
                        bad_lines[lineno] = utf8_reason(exc)
                        text = raw.decode("utf-8", "replace")
                else:
                    text = raw
                    reason = surrogate_reason(text)
                    if reason is not None:
                        bad_lines[lineno] = reason.replace("the record", "the line")
                yield text.removeprefix(BOM) if lineno == 1 else text

        # strict: a quote left open at the end of the file, or text after a closing quote, is
        # an error naming the row instead of rows silently merged into one field.
        reader = csv.reader(text_lines(), strict=True)
        header: list[str] = []
        while not header:
            start = reader.line_num + 1
            try:
                header = _next_row(reader)
            except StopIteration:
                logger.warning("%s: empty file, no records", label)
                return
            except csv.Error as exc:
                msg = _csv_reason(exc)
                raise InvalidInputError(msg, path=label, line=start) from exc
        if bad_lines:
            line = min(bad_lines)
            raise InvalidInputError(bad_lines[line], path=label, line=line)
        columns = _check_header(header, label, start, self.columns)

        records = 0
        while True:
            start = reader.line_num + 1
            try:
                row = _next_row(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                records += 1
                bad_lines.clear()
                self.fail(label, start, _csv_reason(exc))
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
            for name in OPTIONAL_FIELDS:
                if record.get(name) == "":
                    del record[name]
            article = self.accept(record, file_no, start)
            if article is not None:
                yield article
        if records == 0:
            logger.warning("%s: a header but no records", label)


def _next_row(reader: Iterator[list[str]]) -> list[str]:
    """Parse the next CSV row with the field limit raised (a text may be longer than 128 KiB)."""
    limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(limit)


def _csv_reason(exc: csv.Error) -> str:
    """Describe a CSV parse error; a quote left open at the end of the file is named as such."""
    if str(exc) == "unexpected end of data":
        return "not valid CSV: a quote opened in this row is never closed (end of file reached)"
    return f"not valid CSV: {exc}"


def _printable_path(label: str) -> str:
    r"""Return a path as text that can be printed and written.

    Bytes of a file name that are not UTF-8 (kept by :func:`os.fsdecode` as lone surrogates)
    are shown as ``\xNN``.
    """
    try:
        label.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(label).decode("utf-8", "backslashreplace")
    return label


def _check_header(header: list[str], label: str, line: int, mapping: ColumnMap) -> list[str]:
    """Return the fields of a CSV header's columns, or raise if it cannot give valid records."""
    columns = [name.strip() for name in header]
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            msg = f"duplicate column {name!r} in the CSV header"
            raise InvalidInputError(msg, path=label, line=line)
        seen.add(name)
    try:
        return mapping.rename_columns(columns, "the CSV header")
    except ValueError as exc:
        raise InvalidInputError(str(exc), path=label, line=line) from None


# --------------------------------------------------------------------------------------------
# Public readers


def iter_articles(
    source: str | os.PathLike[str] | Frame,
    *,
    format: Literal["jsonl", "csv", "txt", "html"] | None = None,
    on_error: Literal["raise", "skip"] = "raise",
    skipped: list[SkippedRecord] | None = None,
    stdin: TextIO | None = None,
    id_field: str = "id",
    text_field: str = "text",
    source_field: str = "source",
    title_field: str = "title",
    date_field: str = "date",
    url_field: str = "url",
) -> Iterator[Article]:
    r"""Stream the articles of a file, a folder, standard input or a data frame, validated.

    Only the ids seen so far are kept in memory, so a file of any size can be read.

    Parameters
    ----------
    source : str, os.PathLike, pandas.DataFrame or pyarrow.Table
        A ``.jsonl``/``.ndjson``/``.json`` file (JSON lines), a gzip-compressed one
        (``.jsonl.gz``, ``.gz``), a ``.csv`` (or ``.csv.gz``) file, a ``.txt`` file, a folder
        (see the module docstring), ``"-"`` for standard input, or a data frame with one row
        per article (see :mod:`storymatch.io.frames`; a bad row is named by its index label).
    format : {"jsonl", "csv", "txt", "html"} or None, default=None
        Read the source (every file of a folder, or standard input) in this format instead of
        the one its suffix implies. ``"txt"`` makes each file one article and cannot be used
        with standard input; no format applies to a data frame.
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
    id_field, text_field, source_field, title_field, date_field, url_field : str
        The column (CSV, data frame) or key (JSON lines) that holds each field of the record,
        by default the field's own name (:class:`~storymatch.io.columns.ColumnMap`). A CSV
        header or a frame without one of them (``id``, ``text`` or any mapped one) is an
        error that lists every missing column at once.
    -------
    Iterator of Article
        The valid records in input order (files of a folder in sorted order of their paths).
        The options and the source's existence and format are checked at once; records are
        read as the iterator is consumed.

    Raises
    ------
    InvalidParameterError
        If ``on_error`` or ``format`` has an unknown value, ``format`` is given with a data
        frame, or a ``*_field`` is not a non-empty string or names the column of another.
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
    empty strings. Fields of any length are read (the process-wide
    :func:`csv.field_size_limit` is raised only while a row is parsed). A quote left open at the
    end of the file, or text after a closing quote, makes the row invalid (its first line is
    named) instead of merging the rows that follow into one field. A string holding a lone
    surrogate (a JSON escape such as ``\ud800`` that is not half of a pair), and a text or
    HTML file whose name is not UTF-8, are invalid records too: no UTF-8 output could hold them.

    Examples
    --------
    >>> import io
    >>> from storymatch.io import iter_articles
    >>> lines = io.StringIO('{"id": "a1", "text": "Hello.", "lang": "en"}\n')
    >>> [(a.id, a.text, dict(a.meta)) for a in iter_articles("-", stdin=lines)]
    [('a1', 'Hello.', {'lang': 'en'})]
    """
    check_options("iter_articles", on_error, format)
    columns = ColumnMap.from_keywords(
        "iter_articles",
        id_field=id_field,
        text_field=text_field,
        source_field=source_field,
        title_field=title_field,
        date_field=date_field,
        url_field=url_field,
    )
    return _open(source, "iter_articles", format, on_error, skipped, stdin, columns)


def _open(
    source: str | os.PathLike[str] | Frame,
    owner: str,
    format: Literal["jsonl", "csv", "txt", "html"] | None,
    on_error: OnError,
    skipped: list[SkippedRecord] | None,
    stdin: TextIO | None,
    columns: ColumnMap,
) -> Iterator[Article]:
    """Check the source against ``format`` and return its reader (``owner`` names the caller)."""
    if is_frame(source):
        if format is not None:
            msg = (
                f"The 'format' parameter of {owner} must be None for a data frame. "
                f"Got {format!r} instead."
            )
            raise InvalidParameterError(msg)
        return iter_frame(source, columns=columns, on_error=on_error, skipped=skipped)
    path, fmt = _resolve(source, format)
    return _Reader(on_error, skipped, columns).read(path, fmt, stdin)


def read_articles(
    source: str | os.PathLike[str] | Frame,
    *,
    format: Literal["jsonl", "csv", "txt", "html"] | None = None,
    on_error: Literal["raise", "skip"] = "raise",
    stdin: TextIO | None = None,
    id_field: str = "id",
    text_field: str = "text",
    source_field: str = "source",
    title_field: str = "title",
    date_field: str = "date",
    url_field: str = "url",
) -> ReadResult:
    """Read all articles of a source, with the records that were skipped.

    Parameters
    ----------
    source : str, os.PathLike, pandas.DataFrame or pyarrow.Table
        A file, a folder, ``"-"`` or a data frame, as for :func:`iter_articles`.
    format : {"jsonl", "csv", "txt", "html"} or None, default=None
        Overrides the format implied by the suffix, as for :func:`iter_articles`.
    on_error : {"raise", "skip"}, default="raise"
        Stop at the first bad record, or leave it out and report it in ``skipped``.
    stdin : TextIO or None, default=None
        The stream that ``"-"`` reads; None reads :data:`sys.stdin`.
    id_field, text_field, source_field, title_field, date_field, url_field : str
        The column or key of each field of the record, as for :func:`iter_articles`.

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

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"key": ["a1", "a2"], "body": ["Hello.", None], "lang": ["en", "de"]})
    >>> result = read_articles(df, id_field="key", text_field="body", on_error="skip")
    >>> [(a.id, a.text, dict(a.meta)) for a in result.articles]
    [('a1', 'Hello.', {'lang': 'en'})]
    >>> result.skipped[0].row, result.skipped[0].reason
    (1, "field 'text' must be a string; got null instead")
    """
    check_options("read_articles", on_error, format)
    columns = ColumnMap.from_keywords(
        "read_articles",
        id_field=id_field,
        text_field=text_field,
        source_field=source_field,
        title_field=title_field,
        date_field=date_field,
        url_field=url_field,
    )
    skipped: list[SkippedRecord] = []
    # Every article outlives the read: the cyclic collector would only scan them again and
    # again (storymatch._gcpause), so it waits until the end.
    with paused_gc():
        articles = tuple(_open(source, "read_articles", format, on_error, skipped, stdin, columns))
    return ReadResult(articles=articles, skipped=tuple(skipped))
