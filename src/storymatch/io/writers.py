"""Writers: JSON lines, atomically, and the fixed line formats of the command line.

:func:`write_jsonl` writes records as compact, deterministic JSON lines (gzip-compressed when
the path ends with ``.gz``); :func:`write_lines` writes lines formatted elsewhere the same way
(:func:`json_line` formats one record as :func:`write_jsonl` does). Both write through
:func:`~storymatch._files.atomic_write`.

The output rows of ``storymatch dedup`` and ``storymatch events`` (``DESIGN.md``) are formatted
here once, for the command line and the Spark engine alike: :func:`dedup_line` /
:func:`dedup_lines` give ``{"id", "group", "representative", "similarity"}`` and
:func:`events_line` / :func:`events_lines` give ``{"id", "group", "event", "story"}``, byte for byte
what ``json.dumps(row, ensure_ascii=False, separators=(",", ":"))`` gives, several times
faster than encoding a dict per row.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final, cast

import numpy as np
import numpy.typing as npt

from storymatch._files import STDOUT, atomic_write
from storymatch.models import Article, DuplicateGroup, Event

__all__ = [
    "dedup_line",
    "dedup_lines",
    "events_line",
    "events_lines",
    "json_line",
    "write_jsonl",
    "write_lines",
]

_WRITE_BATCH: Final = 1024
_encode: Final = json.JSONEncoder(ensure_ascii=False).encode


def _json_default(value: object) -> object:
    """Serialise mappings that are not dicts (``Article.meta`` may be any Mapping)."""
    if isinstance(value, Mapping):
        return dict(value)
    msg = f"Object of type {type(value).__name__} is not JSON serializable"
    raise TypeError(msg)


_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default
)


def json_line(record: Mapping[str, Any]) -> str:
    r"""Return one record as the line :func:`write_jsonl` writes for it, newline included.

    For callers that format lines where the records are made (a worker process sends the
    lines, not the records) and write them with :func:`write_lines`.

    Parameters
    ----------
    record : mapping
        The record.

    Returns
    -------
    str
        Compact JSON (``","`` and ``":"`` separators, non-ASCII kept), then ``"\n"``.

    Raises
    ------
    ValueError, TypeError
        As :func:`write_jsonl` does for a value JSON cannot represent.

    Examples
    --------
    >>> json_line({"id": "a1", "text": "Grüße", "n": 2})
    '{"id":"a1","text":"Grüße","n":2}\n'
    """
    return _ENCODER.encode(record) + "\n"


def _json_lines(records: Iterable[Mapping[str, Any] | Article]) -> Iterator[str]:
    """Yield each record as one line of compact JSON, newline included."""
    for record in records:
        yield json_line(record.to_dict() if isinstance(record, Article) else record)


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
    if name == STDOUT:
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


# --------------------------------------------------------------------------------------------
# The line formats of ``storymatch dedup`` and ``storymatch events``


def _dedup_head(group: str, representative: str) -> str:
    """Return the part of a dedup line after the id and before the similarity."""
    return f',"group":{_encode(group)},"representative":{_encode(representative)},"similarity":'


def dedup_line(article_id: str, group: str, representative: str, similarity: float) -> str:
    """Format one ``storymatch dedup`` row, without the newline.

    Parameters
    ----------
    article_id : str
        The article.
    group : str
        The id of its near-duplicate group.
    representative : str
        The id of the group's representative.
    similarity : float
        The article's similarity to the representative, already rounded (the command line
        rounds to 6 decimals with :func:`numpy.round`).

    Returns
    -------
    str
        ``{"id":...,"group":...,"representative":...,"similarity":...}``.

    Examples
    --------
    >>> dedup_line("a2", "g1", "a1", 0.75)
    '{"id":"a2","group":"g1","representative":"a1","similarity":0.75}'
    """
    return (
        f'{{"id":{_encode(article_id)}{_dedup_head(group, representative)}{float(similarity)!r}}}'
    )


def dedup_lines(
    ids: Iterable[str],
    groups: Sequence[DuplicateGroup],
    labels: npt.ArrayLike,
    similarities: npt.ArrayLike,
) -> Iterator[str]:
    r"""Format the ``storymatch dedup`` output: one line per article, newline included.

    Parameters
    ----------
    ids : iterable of str
        The article ids, in input order.
    groups : sequence of DuplicateGroup
        The groups, indexed by ``labels``.
    labels : array-like of int
        Each article's group (a clusterer's ``labels_``).
    similarities : array-like of float
        Each article's similarity to its representative (``similarities_``), rounded here to
        6 decimals.

    Yields
    ------
    str
        One line per article, as :func:`dedup_line` formats it, plus ``"\n"``; the strings
        of a group are encoded once, not once per member.
    """
    heads = [_dedup_head(g.id, g.representative) for g in groups]
    sims = np.round(np.asarray(similarities, dtype=np.float64), 6).tolist()
    for article_id, label, sim in zip(ids, np.asarray(labels).tolist(), sims, strict=True):
        yield f'{{"id":{_encode(article_id)}{heads[label]}{float(sim)!r}}}\n'


def events_line(article_id: str, group: str, event: str, story: str | None = None) -> str:
    """Format one ``storymatch events`` row, without the newline.

    Parameters
    ----------
    article_id : str
        The article.
    group : str
        The id of its near-duplicate group.
    event : str
        The id of its event.
    story : str or None, default=None
        The id of the event's story (``null`` when None).

    Returns
    -------
    str
        ``{"id":...,"group":...,"event":...,"story":...}``.

    Examples
    --------
    >>> events_line("a2", "g1", "e1", "s1")
    '{"id":"a2","group":"g1","event":"e1","story":"s1"}'
    """
    return (
        f'{{"id":{_encode(article_id)},"group":{_encode(group)},"event":{_encode(event)},'
        f'"story":{_encode(story)}}}'
    )


def events_lines(
    ids: Iterable[str],
    groups: Iterable[DuplicateGroup],
    events: Sequence[Event],
    labels: npt.ArrayLike,
) -> Iterator[str]:
    r"""Format the ``storymatch events`` output: one line per article, newline included.

    Parameters
    ----------
    ids : iterable of str
        The article ids, in input order.
    groups : iterable of DuplicateGroup
        The near-duplicate groups; every article is a member of one.
    events : sequence of Event
        The events, indexed by ``labels``.
    labels : array-like of int
        Each article's event (an event clusterer's ``labels_``).

    Yields
    ------
    str
        One line per article, as :func:`events_line` formats it, plus ``"\n"``.
    """
    group_of = {mid: g.id for g in groups for mid in g.members}
    event_ids = [f'{_encode(e.id)},"story":{_encode(e.story)}' for e in events]
    for article_id, label in zip(ids, np.asarray(labels).tolist(), strict=True):
        yield (
            f'{{"id":{_encode(article_id)},"group":{_encode(group_of[article_id])},'
            f'"event":{event_ids[label]}}}\n'
        )
