"""One record at a time: parse a line of JSON, check it against the input contract.

The steps that every reader of :mod:`storymatch.io` shares: numbering the lines of a stream
(:func:`numbered_lines`), parsing one line of JSON lines (:func:`parse_json_line`, with orjson
when it is installed, as it is by default, and the same results without it), checking a parsed
record (:func:`check_record`: ``id`` and ``text`` required, optional ``source``, ``title``,
``date``/``published`` and ``url``; see ``DESIGN.md``), filling ``text`` from a record's
``html`` (:func:`record_from_html`, the ``html`` extra) and the error policy of a read
(:class:`ErrorPolicy`: raise :class:`~storymatch.errors.InvalidInputError` naming file and
line, or log and report a :class:`SkippedRecord`).

:mod:`storymatch.io.readers` and :mod:`storymatch.io.pairs` build their readers from these.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import re
import zlib
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal, TypeAlias

from storymatch.errors import InvalidInputError, InvalidParameterError

__all__ = [
    "BLANK_LINE",
    "BOM",
    "FORMATS",
    "GZIP_MAGIC",
    "OPTIONAL_FIELDS",
    "STDIN",
    "STDIN_LABEL",
    "BadRecordError",
    "ErrorPolicy",
    "Line",
    "OnError",
    "SkippedRecord",
    "check_options",
    "check_record",
    "describe_value",
    "numbered_lines",
    "parse_json_line",
    "record_from_html",
    "surrogate_reason",
    "utf8_reason",
]

logger = logging.getLogger(__name__)

OnError: TypeAlias = Literal["raise", "skip"]
"""What a reader does with a bad record: raise, or skip it and go on."""
Line: TypeAlias = tuple[int, bytes | str]
"""A line of input and its 1-based number."""

FORMATS: Final = ("jsonl", "csv", "txt", "html")
"""The input formats a reader accepts as ``format=``."""
_ON_ERROR: Final = ("raise", "skip")
STDIN: Final = "-"
"""The source name that means standard input."""
STDIN_LABEL: Final = "<stdin>"
"""The path that messages give for standard input."""
GZIP_MAGIC: Final = b"\x1f\x8b"
"""The first bytes of a gzip stream."""
BOM: Final = "\ufeff"
"""A UTF-8 byte order mark, dropped from the start of a file."""
OPTIONAL_FIELDS: Final = ("source", "title", "date", "published", "url")
"""The optional fields of the input contract (strings or null)."""
_JSON_WHITESPACE: Final = " \t\r\n"
_DATE_FIELDS: Final = ("date", "published")
_SHOWN_CHARS: Final = 40  # longest string value quoted whole in an error message
# A lone surrogate (U+D800..U+DFFF) is not a character: it cannot be written as UTF-8, so a
# record that holds one (from a JSON escape such as "\ud800") would fail in every writer.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _load_orjson() -> Any:
    """Return the ``orjson`` module (a dependency), or None where it was left out."""
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
    row : Hashable or None, default=None
        For a row of a data frame (``path`` ``"<DataFrame>"`` or ``"<Table>"``, ``line`` its
        1-based position): its index label.
    """

    path: str
    line: int
    reason: str
    row: Hashable | None = None


class BadRecordError(Exception):
    """A record is invalid; ``reason`` says why (the reader adds the file and line).

    Raised and caught inside :mod:`storymatch.io`; users see
    :class:`~storymatch.errors.InvalidInputError`.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


BLANK_LINE: Final = object()
"""What :func:`parse_json_line` returns for a blank line."""


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


def utf8_reason(exc: UnicodeDecodeError, start: int = 0) -> str:
    """Describe a decoding error; ``start`` is the offset of the line in the decoded bytes."""
    return f"not UTF-8: {exc.reason} at byte {exc.start - start + 1}"


def _first_surrogate(value: object) -> str | None:
    """Return the first string in a parsed JSON value (keys too) with a lone surrogate."""
    if isinstance(value, str):
        return value if _SURROGATE.search(value) else None
    items: Iterable[object]
    if isinstance(value, dict):
        items = (item for pair in value.items() for item in pair)
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found = _first_surrogate(item)
        if found is not None:
            return found
    return None


def surrogate_reason(value: object) -> str | None:
    """Say where a parsed record holds a lone surrogate (which no UTF-8 file can hold), or None.

    A record is a JSON object whose top-level field is named; any other value is described.
    """
    fields = value.items() if isinstance(value, dict) else [(None, value)]
    for key, item in fields:
        if key is not None and _first_surrogate(key) is not None:
            name = key.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
            return f"field name '{name}' holds a lone surrogate, which is not valid Unicode"
        found = _first_surrogate(item)
        match = None if found is None else _SURROGATE.search(found)
        if match is not None:
            code = f"\\u{ord(match.group()):04x}"
            where = "the record" if key is None else f"field {key!r}"
            return (
                f"{where} holds a lone surrogate ({code} at character {match.start() + 1}), "
                f"which is not valid Unicode; fix the JSON escape or drop the record"
            )
    return None


def _contains_float(value: object) -> bool:
    """Return True if a parsed JSON value holds a float anywhere."""
    values: Iterable[object]
    if isinstance(value, dict):
        values = value.values()
    elif isinstance(value, list):
        values = value
    else:
        return isinstance(value, float)
    for item in values:
        kind = type(item)
        # the usual record: strings, and perhaps ints, bools, nulls (JSON parsers give exact types)
        if kind is str or item is None or kind is int or kind is bool:
            continue
        if kind is float or _contains_float(item):
            return True
    return False


def parse_json_line(raw: bytes | str, lineno: int) -> object:
    """Parse one line of JSON lines; return ``BLANK_LINE`` for a blank line.

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
            raise BadRecordError(utf8_reason(exc)) from None
    else:
        text = raw
    if lineno == 1:
        text = text.removeprefix(BOM)
    text = text.rstrip("\r\n")  # so that an error at the end of the line gets its column
    if not text.strip(_JSON_WHITESPACE):
        return BLANK_LINE
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} (column {exc.colno})"
        if lineno == 1 and text.lstrip(_JSON_WHITESPACE).startswith("["):
            msg += "; JSON lines hold one object per line, not an array"
        raise BadRecordError(msg) from None
    except ValueError as exc:  # NaN/Infinity, out-of-range numbers, over-long integers
        msg = f"not valid JSON: {exc}"
        raise BadRecordError(msg) from None
    except RecursionError:
        msg = "not valid JSON: nested too deeply"
        raise BadRecordError(msg) from None
    # Decoded bytes hold no surrogates; only a JSON escape (or a text stream) can bring one.
    if not isinstance(raw, bytes) or "\\u" in text:
        reason = surrogate_reason(value)
        if reason is not None:
            raise BadRecordError(reason)
    return value


def describe_value(value: object) -> str:
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


def record_from_html(record: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
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


def check_record(obj: object) -> str | None:
    """Return what is wrong with a parsed record, or None if it meets the input contract."""
    if type(obj) is dict:
        # the usual record, by exact types (as JSON parsers give them): a non-empty string id
        # and a string text; anything else takes the checks below, which say what is wrong
        article_id = obj.get("id")
        if type(obj.get("text")) is str and type(article_id) is str and article_id:
            return _check_optional(obj)
    if not isinstance(obj, dict):
        return f"record must be a JSON object; got {describe_value(obj)} instead"
    if "id" not in obj:
        return "missing required field 'id'"
    article_id = obj["id"]
    if isinstance(article_id, bool) or not isinstance(article_id, str | int):
        return (
            f"field 'id' must be a string or an integer; got {describe_value(article_id)} instead"
        )
    if article_id == "":
        return "field 'id' must not be empty"
    if "text" not in obj:
        if "html" in obj:
            if not isinstance(obj["html"], str | bytes):
                return f"field 'html' must be a string; got {describe_value(obj['html'])} instead"
            return _check_optional(obj)
        return "missing required field 'text'"
    if not isinstance(obj["text"], str):
        return f"field 'text' must be a string; got {describe_value(obj['text'])} instead"
    return _check_optional(obj)


def _check_optional(obj: dict[str, Any]) -> str | None:
    """Return what is wrong with the optional fields of a record, or None."""
    for name in OPTIONAL_FIELDS:
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            return f"field {name!r} must be a string or null; got {describe_value(value)} instead"
        if name in _DATE_FIELDS and not _is_iso_date(value):
            return f"field {name!r} must be an ISO 8601 date; got {value!r} instead"
    return None


def check_options(function: str, on_error: object, fmt: object) -> None:
    """Validate the options shared by the readers."""
    if on_error not in _ON_ERROR:
        msg = (
            f"The 'on_error' parameter of {function} must be one of 'raise' or 'skip'. "
            f"Got {on_error!r} instead."
        )
        raise InvalidParameterError(msg)
    if fmt is not None and fmt not in FORMATS:
        msg = (
            f"The 'format' parameter of {function} must be one of 'jsonl', 'csv', 'txt', "
            f"'html' or None. Got {fmt!r} instead."
        )
        raise InvalidParameterError(msg)


def numbered_lines(stream: Iterable[bytes | str], label: str) -> Iterator[Line]:
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


class ErrorPolicy:
    """The error policy of one read: raise at the first bad record, or skip and report it.

    Parameters
    ----------
    on_error : {"raise", "skip"}
        ``"raise"`` raises :class:`~storymatch.errors.InvalidInputError`; ``"skip"`` logs the
        record at WARNING and appends a :class:`SkippedRecord` to ``skipped``.
    skipped : list of SkippedRecord or None
        Receives the skipped records (None: they are only logged).
    """

    def __init__(self, on_error: OnError, skipped: list[SkippedRecord] | None) -> None:
        self.on_error = on_error
        self.skipped = skipped

    def fail(self, label: str, line: int, reason: str, *, row: Hashable | None = None) -> None:
        """Raise for a bad record, or log and record it when skipping.

        The log record carries ``skipped_record=True`` (``extra``), so that a caller that
        lists the skipped records itself (the CLI, at the end of a run) can leave it out.

        Parameters
        ----------
        label : str
            The file the record came from.
        line : int
            Its 1-based line.
        reason : str
            What is wrong with it.
        row : Hashable or None, default=None
            For a row of a data frame, its index label (``line`` is its position).

        Raises
        ------
        InvalidInputError
            With ``on_error="raise"``.
        """
        if self.on_error == "raise":
            raise InvalidInputError(reason, path=label, line=line, row=row)
        skipped = {"skipped_record": True}
        if row is None:
            logger.warning("skipped %s:%d: %s", label, line, reason, extra=skipped)
        else:
            logger.warning("skipped %s row %r: %s", label, row, reason, extra=skipped)
        if self.skipped is not None:
            self.skipped.append(SkippedRecord(label, line, reason, row))
