"""Typed result objects shared by every stage.

All are frozen, slotted dataclasses. ``to_dict``/``from_dict`` exist for IO only; the library
passes the objects themselves around.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["Article", "DuplicateGroup", "Sentence", "stable_id"]

_KNOWN_FIELDS = ("id", "text", "source", "title", "date", "url")


def stable_id(prefix: str, members: Iterable[str]) -> str:
    """Return ``prefix`` and 16 hex digits of a hash of the sorted member ids.

    The same members give the same id on every run and machine, in any order; group and event
    ids are made this way.

    Examples
    --------
    >>> stable_id("g-", ["b", "a"]) == stable_id("g-", ["a", "b"])
    True
    """
    digest = hashlib.blake2b("\x1f".join(sorted(members)).encode(), digest_size=8)
    return prefix + digest.hexdigest()


def _parse_date(value: str) -> datetime:
    """Parse an ISO 8601 date or datetime; naive values are taken as UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


@dataclass(frozen=True, slots=True)
class Article:
    """One input document: a news report as read from a file or built in Python.

    Parameters
    ----------
    id : str
        Unique identifier within a corpus.
    text : str
        The text as scraped (page chrome included, if any).
    source : str or None, default=None
        The outlet (for example a host name).
    title : str or None, default=None
        The headline, when known separately from ``text``.
    date : str or None, default=None
        Publication date or datetime in ISO 8601 form, as given in the input.
    url : str or None, default=None
        Where the report was published.
    meta : Mapping[str, Any], default={}
        Every other field of the input record, written back out unchanged.
    """

    id: str
    text: str
    source: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def published(self) -> datetime | None:
        """The parsed ``date`` (timezone-aware, UTC when none was given), or None."""
        if self.date is None:
            return None
        return _parse_date(self.date)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a plain dict, known fields first, then ``meta``."""
        out: dict[str, Any] = {"id": self.id, "text": self.text}
        for name in ("source", "title", "date", "url"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for key, value in self.meta.items():
            out.setdefault(key, value)
        return out

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Article:
        """Build an article from a record; unknown fields go to ``meta``.

        ``published`` is accepted as an alias of ``date``. Validation of types and
        required fields is done by :mod:`storymatch.io`, which knows file and line.
        """
        date = record.get("date")
        if date is None:
            date = record.get("published")
        meta = {k: v for k, v in record.items() if k not in _KNOWN_FIELDS}
        if record.get("date") is None and "published" in meta:
            del meta["published"]
        return cls(
            id=str(record["id"]),
            text=record["text"],
            source=record.get("source"),
            title=record.get("title"),
            date=date,
            url=record.get("url"),
            meta=meta,
        )


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """A set of articles that are copies of one text.

    Parameters
    ----------
    id : str
        Stable group id derived from the member ids (``"g-"`` + 16 hex digits), identical
        on every run and machine for the same members.
    representative : str
        Id of the member chosen to stand for the group: the earliest dated one, else the
        longest text, ties broken by id.
    members : tuple of str
        Ids of all members, representative first, then by id.
    similarities : tuple of float
        For each member (same order), the verified similarity to the representative
        (1.0 for the representative itself; see ``NearDuplicateClusterer`` for the score).
    """

    id: str
    representative: str
    members: tuple[str, ...]
    similarities: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a plain dict for JSON output."""
        return {
            "id": self.id,
            "representative": self.representative,
            "members": list(self.members),
            "similarities": list(self.similarities),
        }


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document, with its span in the document's original text.

    Parameters
    ----------
    text : str
        The sentence as it stands in the original text: ``doc_text[start:end] == text``.
    start : int
        Offset of its first character in the original text.
    end : int
        Offset just past its last character.
    index : int, default=0
        Position of the sentence in its document (0-based).
    paragraph : int, default=0
        Index of the paragraph (block separated by a blank line) it belongs to.
    """

    text: str
    start: int
    end: int
    index: int = 0
    paragraph: int = 0

    def __len__(self) -> int:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        """Return the sentence as a plain dict for JSON output."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "index": self.index,
            "paragraph": self.paragraph,
        }
