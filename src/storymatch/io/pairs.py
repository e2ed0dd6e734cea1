"""Sentence-pair files: ``{"id", "a", "b"}`` per line (``label`` optional).

:func:`iter_pairs` reads the input of ``storymatch pairs`` and of the pair benchmarks as
:class:`~storymatch.models.SentencePair` objects, with the same error policy, gzip detection
and messages as the article readers of :mod:`storymatch.io.readers`.
"""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal, TextIO, cast

from storymatch.errors import InvalidInputError
from storymatch.io.records import (
    BLANK_LINE,
    GZIP_MAGIC,
    STDIN,
    STDIN_LABEL,
    BadRecordError,
    ErrorPolicy,
    Line,
    OnError,
    SkippedRecord,
    check_options,
    describe_value,
    numbered_lines,
    parse_json_line,
)
from storymatch.models import SentencePair

__all__ = ["iter_pairs"]


def _pair_reason(obj: object) -> str | None:
    if not isinstance(obj, dict):
        return f"expected a JSON object, got {describe_value(obj)}"
    for name in ("id", "a", "b"):
        if name not in obj:
            return f"missing required field {name!r}"
    if not isinstance(obj["id"], str | int) or isinstance(obj["id"], bool):
        return f"field 'id' must be a string, got {describe_value(obj['id'])}"
    for name in ("a", "b"):
        if not isinstance(obj[name], str):
            return f"field {name!r} must be a string, got {describe_value(obj[name])}"
    label = obj.get("label")
    if label is not None and (isinstance(label, bool) or not isinstance(label, int | float)):
        return f"field 'label' must be a number, got {describe_value(label)}"
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
    >>> from storymatch.io import iter_pairs
    >>> lines = io.StringIO('{"id": "p1", "a": "Rain fell.", "b": "It rained."}\n')
    >>> [p.id for p in iter_pairs("-", stdin=lines)]
    ['p1']
    """
    check_options("iter_pairs", on_error, None)
    if os.fspath(source) == STDIN:
        label = STDIN_LABEL
        stream: Iterable[bytes | str]
        if stdin is not None:
            stream = stdin
        else:
            buffer: BinaryIO | None = getattr(sys.stdin, "buffer", None)
            stream = buffer if buffer is not None else sys.stdin
        return _pairs_from(numbered_lines(stream, label), label, on_error, skipped)
    path = Path(source)
    label = os.fspath(path)
    if not path.is_file():
        msg = "no such file"
        raise InvalidInputError(msg, path=label)
    return _pairs_from_file(path, label, on_error, skipped)


def _pairs_from_file(
    path: Path, label: str, on_error: OnError, skipped: list[SkippedRecord] | None
) -> Iterator[SentencePair]:
    with path.open("rb") as raw:
        if raw.peek(2)[:2] == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                lines = numbered_lines(cast("BinaryIO", unzipped), label)
                yield from _pairs_from(lines, label, on_error, skipped)
        else:
            yield from _pairs_from(numbered_lines(raw, label), label, on_error, skipped)


def _pairs_from(
    lines: Iterator[Line], label: str, on_error: OnError, skipped: list[SkippedRecord] | None
) -> Iterator[SentencePair]:
    reader = ErrorPolicy(on_error, skipped)
    seen: dict[str, int] = {}
    for lineno, raw in lines:
        try:
            obj = parse_json_line(raw, lineno)
        except BadRecordError as exc:
            reader.fail(label, lineno, exc.reason)
            continue
        if obj is BLANK_LINE:
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
