"""Column mapping: which input column holds each field of the record contract.

The one mapping behind the readers' ``id_field=``, ``text_field=``, ``source_field=``,
``title_field=``, ``date_field=`` and ``url_field=`` keywords and the command line's
``--id-field`` ... ``--url-field`` options, for every tabular input alike: CSV headers, the keys
of JSON-lines records and the columns of a pandas DataFrame or a pyarrow Table.

A mapped column is renamed to its field before the record is checked, so the checks, the error
messages and :attr:`Article.meta <storymatch.models.Article.meta>` see the contract's names
(``id_field="article_id"``: the ``article_id`` column becomes the article's ``id`` and is not
kept again in ``meta``). A column of the input that already bears the name a mapped column
takes (an ``id`` column next to ``id_field="article_id"``) would be lost, so it is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Final

from storymatch.errors import InvalidParameterError

__all__ = ["FIELD_KEYWORDS", "ColumnMap", "quote_names"]

FIELD_KEYWORDS: Final = (
    "id_field",
    "text_field",
    "source_field",
    "title_field",
    "date_field",
    "url_field",
)
"""The keyword arguments of the readers that map columns, in the contract's order."""
_REQUIRED: Final = ("id", "text")
_SHOWN_NAMES: Final = 12  # at most this many column names listed in an error message
_SHOWN_CHARS: Final = 40  # longest column name shown whole


def quote_names(names: Sequence[str]) -> str:
    """List column names for an error message: quoted, long names and long lists cut short.

    Examples
    --------
    >>> quote_names(["id", "body"])
    "'id', 'body'"
    >>> quote_names([str(i) for i in range(14)])
    "'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11' and 2 more"
    """
    shown = [
        repr(name if len(name) <= _SHOWN_CHARS else name[: _SHOWN_CHARS - 3] + "...")
        for name in names[:_SHOWN_NAMES]
    ]
    text = ", ".join(shown)
    if len(names) > _SHOWN_NAMES:
        text += f" and {len(names) - _SHOWN_NAMES} more"
    return text or "none"


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which input column holds each field of the record contract (the defaults: its own name).

    Validates in :meth:`from_keywords` (a value object). Build one with
    :meth:`from_keywords`; the readers do.

    Parameters
    ----------
    id, text, source, title, date, url : str
        The column of each field.

    Examples
    --------
    >>> columns = ColumnMap.from_keywords("read_articles", id_field="key", text_field="body")
    >>> columns.rename_columns(["key", "body", "lang"], "the CSV header")
    ['id', 'text', 'lang']
    >>> columns.rename_record({"key": 7, "body": "Hello.", "lang": "en"})
    {'id': 7, 'text': 'Hello.', 'lang': 'en'}
    """

    id: str = "id"
    text: str = "text"
    source: str = "source"
    title: str = "title"
    date: str = "date"
    url: str = "url"

    @classmethod
    def from_keywords(
        cls,
        function: str,
        *,
        id_field: str = "id",
        text_field: str = "text",
        source_field: str = "source",
        title_field: str = "title",
        date_field: str = "date",
        url_field: str = "url",
    ) -> ColumnMap:
        """Check the ``*_field`` keywords of ``function`` and return their mapping.

        Raises
        ------
        InvalidParameterError
            If a value is not a non-empty string, or two fields name the same column.
        """
        given = (id_field, text_field, source_field, title_field, date_field, url_field)
        seen: dict[str, str] = {}
        for keyword, column in zip(FIELD_KEYWORDS, given, strict=True):
            if not isinstance(column, str) or not column:
                msg = (
                    f"The {keyword!r} parameter of {function} must be a non-empty str. "
                    f"Got {column!r} instead."
                )
                raise InvalidParameterError(msg)
            if column in seen:
                msg = (
                    f"The {keyword!r} parameter of {function} must name another column than "
                    f"{seen[column]!r}. Got {column!r} for both."
                )
                raise InvalidParameterError(msg)
            seen[column] = keyword
        return cls(*given)

    @property
    def renames(self) -> dict[str, str]:
        """Column → field, for the fields read from a column of another name."""
        return {
            getattr(self, f.name): f.name for f in fields(self) if getattr(self, f.name) != f.name
        }

    def needed(self) -> list[str]:
        """Return the columns an input must have: ``id``, ``text`` and every mapped one."""
        return [
            getattr(self, f.name)
            for f in fields(self)
            if f.name in _REQUIRED or getattr(self, f.name) != f.name
        ]

    def _displaced(self, columns: Sequence[str] | Mapping[str, Any]) -> list[str]:
        """Columns named like a field that a mapped column replaces (they would be lost)."""
        renames = self.renames
        targets = set(renames.values())
        return [name for name in columns if name in targets and name not in renames]

    def rename_columns(self, columns: Sequence[str], what: str) -> list[str]:
        """Return the contract's names of a table's columns, or raise naming what is wrong.

        Parameters
        ----------
        columns : sequence of str
            The column names, as the input has them.
        what : str
            The input, for the message (``"the CSV header"``, ``"the DataFrame"``).

        Returns
        -------
        list of str
            The names, mapped columns renamed to their fields, the others unchanged.

        Raises
        ------
        ValueError
            Naming every missing column at once (``id``, ``text`` and every mapped one), or a
            column that a mapped one would replace; the readers turn it into
            :class:`~storymatch.errors.InvalidInputError` with the input's place.
        """
        present = set(columns)
        missing = [name for name in self.needed() if name not in present]
        if missing:
            noun = "column" if len(missing) == 1 else "columns"
            msg = (
                f"{what} has no {self._describe(missing)} {noun}; "
                f"found {quote_names(list(columns))}"
            )
            raise ValueError(msg)
        displaced = self._displaced(columns)
        if displaced:
            msg = f"{what} has {self._describe_displaced(displaced)}"
            raise ValueError(msg)
        renames = self.renames
        return [renames.get(name, name) for name in columns]

    def rename_record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Return a record (one JSON object) with its mapped keys renamed to their fields.

        The optional fields may be absent; a record without the ``id`` or ``text`` key
        is an error that names the key.

        Raises
        ------
        ValueError
            If the record lacks the key of ``id`` or ``text``, or has a key that a mapped key
            would replace.
        """
        renames = self.renames
        if not renames:
            return dict(record)
        for field in _REQUIRED:
            column = getattr(self, field)
            if (
                column != field
                and column not in record
                and not (field == "text" and "html" in record)
            ):
                raise ValueError(self.describe_missing(field))
        displaced = self._displaced(record)
        if displaced:
            msg = f"the record has {self._describe_displaced(displaced)}"
            raise ValueError(msg)
        return {renames.get(key, key): value for key, value in record.items()}

    def describe_missing(self, field: str) -> str:
        """Say that a record lacks ``field``, naming the column it is read from."""
        column = getattr(self, field)
        if column == field:
            return f"missing required field {field!r}"
        return f"missing required field {column!r} (read as {field!r})"

    def _describe(self, columns: Sequence[str]) -> str:
        """``'key' (for 'id') or 'body' (for 'text')``: columns and the fields they give."""
        renames = self.renames
        parts = [
            repr(name) if name not in renames else f"{name!r} (for {renames[name]!r})"
            for name in columns
        ]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]

    def _describe_displaced(self, names: Sequence[str]) -> str:
        """Say which columns a mapped column would replace."""
        by_field = {field: column for column, field in self.renames.items()}
        parts = [
            f"a column {name!r} while {by_field[name]!r} is read as {name!r}" for name in names
        ]
        return "; ".join(parts) + " (rename or drop it, or map it too)"
