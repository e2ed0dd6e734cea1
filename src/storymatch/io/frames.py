"""Articles from data frames: a pandas DataFrame or a pyarrow Table, one row per record.

The rows meet the input contract of the files (see ``DESIGN.md``): columns ``id`` and ``text``
are required, ``source``, ``title``, ``date``/``published`` and ``url`` optional, and every other
column is kept in :attr:`Article.meta <storymatch.models.Article.meta>`. The columns can be
mapped (:class:`~storymatch.io.columns.ColumnMap`), every row is checked by
:func:`~storymatch.io.records.check_record` as a line of a file is, and a bad row is named by its
index label (a pyarrow Table's rows by their position).

Cells become the plain Python values a JSON record would hold: a missing value (``None``,
``NaN``, ``NaT``, ``pd.NA``) is null, numpy scalars become ``int``/``float``/``bool``, arrays and
lists become lists, and dates and timestamps become ISO 8601 strings (a timestamp without a
time zone at midnight becomes its date, so ``pd.read_json``'s parsed ``date`` column gives back
``"2026-03-10"``).

Neither pandas nor pyarrow is imported here: a frame is recognised by the modules its caller
has already imported (the ``frames`` extra installs both).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Hashable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, Final, Literal, TypeAlias

from storymatch.errors import InvalidInputError
from storymatch.io.columns import ColumnMap
from storymatch.io.records import (
    ErrorPolicy,
    OnError,
    SkippedRecord,
    check_record,
    record_from_html,
)
from storymatch.models import Article

__all__ = ["FRAME_LABELS", "Frame", "frame_kind", "is_frame", "iter_frame"]

Frame: TypeAlias = Any
"""A ``pandas.DataFrame`` or a ``pyarrow.Table`` (typed loosely: neither is a dependency)."""
FrameKind: TypeAlias = Literal["pandas", "arrow"]

FRAME_LABELS: Final[dict[FrameKind, str]] = {"pandas": "<DataFrame>", "arrow": "<Table>"}
"""The ``path`` that errors and skipped records give for a frame's rows."""
_CHUNK: Final = 10_000  # rows turned into Python values at a time


def frame_kind(obj: object) -> FrameKind | None:
    """Return ``"pandas"`` or ``"arrow"`` for a DataFrame or a Table, else None.

    Only looks at pandas and pyarrow when they are already imported (an object of theirs cannot
    exist otherwise), so calling this never imports them.
    """
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(obj, pandas.DataFrame):
        return "pandas"
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None and isinstance(obj, pyarrow.Table | pyarrow.RecordBatch):
        return "arrow"
    return None


def is_frame(obj: object) -> bool:
    """Return True for a pandas DataFrame or a pyarrow Table (or RecordBatch)."""
    return frame_kind(obj) is not None


def plain(value: object) -> Any:
    """Return a cell as the plain value a JSON record would hold (None for a missing one).

    Examples
    --------
    >>> from datetime import datetime
    >>> plain(float("nan")), plain(datetime(2026, 3, 10)), plain(datetime(2026, 3, 10, 6, 5))
    (None, '2026-03-10', '2026-03-10T06:05:00')
    """
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time(0) and not getattr(value, "nanosecond", 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist) and type(value).__module__ == "numpy":
        return plain(tolist())
    return value


def _column_names(frame: Frame, kind: FrameKind, label: str) -> list[str]:
    """Return the frame's column names, or raise if they cannot be a record's keys."""
    names = list(frame.columns) if kind == "pandas" else list(frame.schema.names)
    bad = [name for name in names if not isinstance(name, str)]
    if bad:
        msg = (
            f"column names must be strings (the keys of a record); got {bad[0]!r} "
            f"({type(bad[0]).__name__}); rename the columns, e.g. df.columns = [...]"
        )
        raise InvalidInputError(msg, path=label)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            msg = f"duplicate column {name!r}"
            raise InvalidInputError(msg, path=label)
        seen.add(name)
    return names


def _pandas_rows(frame: Frame, names: Sequence[str]) -> Iterator[tuple[Hashable, dict[str, Any]]]:
    """Yield ``(index label, record)`` per row of a DataFrame, in row order."""
    for start in range(0, len(frame), _CHUNK):
        chunk = frame.iloc[start : start + _CHUNK]
        columns = []
        for i in range(len(names)):
            series = chunk.iloc[:, i]
            missing = series.isna().tolist()
            values = series.tolist()
            columns.append([None if m else plain(v) for v, m in zip(values, missing, strict=True)])
        for label, *row in zip(chunk.index.tolist(), *columns, strict=True):
            yield label, dict(zip(names, row, strict=True))


def _arrow_rows(frame: Frame, names: Sequence[str]) -> Iterator[tuple[Hashable, dict[str, Any]]]:
    """Yield ``(position, record)`` per row of a Table or RecordBatch, in row order."""
    batches = frame.to_batches(max_chunksize=_CHUNK) if hasattr(frame, "to_batches") else [frame]
    position = 0
    for batch in batches:
        columns = [[plain(v) for v in batch.column(i).to_pylist()] for i in range(len(names))]
        for row in zip(*columns, strict=True):
            yield position, dict(zip(names, row, strict=True))
            position += 1


def iter_frame(
    frame: Frame,
    *,
    columns: ColumnMap,
    on_error: OnError,
    skipped: list[SkippedRecord] | None,
) -> Iterator[Article]:
    """Yield the articles of a DataFrame or a Table, checking each row like a line of a file.

    Parameters
    ----------
    frame : pandas.DataFrame or pyarrow.Table
        One row per article.
    columns : ColumnMap
        Which column holds each field.
    on_error : {"raise", "skip"}
        Raise at the first bad row, or log it, report it in ``skipped`` and go on.
    skipped : list of SkippedRecord or None
        Receives the skipped rows (``path`` ``"<DataFrame>"`` or ``"<Table>"``, ``line`` the
        1-based position, ``row`` the index label).

    Yields
    ------
    Article
        The valid rows, in row order.

    Raises
    ------
    InvalidInputError
        If a required or mapped column is missing (every one named at once), a column name is
        not a string or appears twice, or (with ``on_error="raise"``) a row is bad: the
        message names its index label.
    """
    kind = frame_kind(frame)
    if kind is None:  # pragma: no cover - the callers check
        msg = f"not a DataFrame or Table: {type(frame).__name__}"
        raise TypeError(msg)
    label = FRAME_LABELS[kind]
    names = _column_names(frame, kind, label)
    what = "the DataFrame" if kind == "pandas" else "the Table"
    try:
        fields = columns.rename_columns(names, what)
    except ValueError as exc:
        raise InvalidInputError(str(exc), path=label) from None
    return _validated(frame, kind, label, fields, ErrorPolicy(on_error, skipped))


def _validated(
    frame: Frame, kind: FrameKind, label: str, fields: Sequence[str], policy: ErrorPolicy
) -> Iterator[Article]:
    """Check each row of a frame whose columns are already checked and renamed."""
    rows = _pandas_rows(frame, fields) if kind == "pandas" else _arrow_rows(frame, fields)
    seen: dict[str, Hashable] = {}
    for position, (row, cells) in enumerate(rows, start=1):
        record = cells
        reason = check_record(record)
        if reason is None and "text" not in record:
            record, reason = record_from_html(record)
        if reason is None:
            article_id = str(record["id"])
            if article_id not in seen:
                seen[article_id] = row
                yield Article.from_dict(record)
                continue
            reason = f"duplicate id {article_id!r} (first seen at row {seen[article_id]!r})"
        policy.fail(label, position, reason, row=row)
