"""Where an :class:`~storymatch.dedup.LSHIndex` keeps its documents: storage backends.

A backend stores, for every indexed document, one :class:`StoredDocument` (band keys, MinHash
signature, shingle fingerprint, text length and date) and the LSH buckets (which documents
share the value of a band), plus a few named settings. Three backends come with storymatch;
each is passed to the index as an object (``LSHIndex(storage=SQLiteStorage(path))``):

============================  ============================================================
:class:`MemoryStorage`        dicts in the process (the default); gone when it exits
:class:`SQLiteStorage`        one SQLite file (stdlib :mod:`sqlite3`, WAL mode); survives
                              restarts, shared by several processes on one machine
:class:`RedisStorage`         a Redis server (extra ``storymatch[redis]``); shared by
                              processes on several machines
============================  ============================================================

Consistency
-----------
Every write (:meth:`Storage.put`, :meth:`Storage.delete`) is one transaction: a writer killed
half-way leaves all or nothing of its batch, so a document is either fully present (record,
bucket memberships, key) or absent. SQLite runs each batch in ``BEGIN IMMEDIATE`` ...
``COMMIT``; Redis runs it as one Lua script, which the server executes alone from start to end
(a client that dies while sending it leaves nothing: an incomplete command never runs).
Writing a document that is already stored with the same content changes nothing, so re-running
a batch after a crash is safe. :meth:`Storage.check` lists
inconsistencies (there should be none) for tests and operators.

URLs
----
:func:`open_storage` turns ``memory:``, ``sqlite:PATH`` and ``redis://HOST:PORT/DB`` (also
``rediss://`` and ``unix://``; ``?prefix=NAME`` picks the key prefix) into a backend; the
command line's ``--store`` takes the same strings.

Modules
-------
:mod:`~storymatch.dedup.storage.base` (the interface and the stored record),
:mod:`~storymatch.dedup.storage.memory`, :mod:`~storymatch.dedup.storage.sqlite` and
:mod:`~storymatch.dedup.storage.redis` (one backend each, with its own dependency).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit, urlunsplit

from storymatch.dedup.storage.base import Storage, StoredDocument
from storymatch.dedup.storage.memory import MemoryStorage
from storymatch.dedup.storage.redis import RedisStorage
from storymatch.dedup.storage.sqlite import SQLiteStorage
from storymatch.errors import InvalidParameterError

__all__ = [
    "MemoryStorage",
    "RedisStorage",
    "SQLiteStorage",
    "Storage",
    "StoredDocument",
    "open_storage",
]


def open_storage(url: str, *, create: bool = True, read_only: bool = False) -> Storage:
    """Open a storage backend from a URL.

    Parameters
    ----------
    url : str
        ``memory:`` for an in-process index; ``sqlite:PATH`` for a SQLite file (a relative
        or absolute path: ``sqlite:index.db``, ``sqlite:/var/lib/index.db``); a Redis URL
        (``redis://HOST:PORT/DB``, ``rediss://...``, ``unix://PATH?db=N``), optionally with
        ``?prefix=NAME`` to choose the key prefix (default ``storymatch``).
    create : bool, default=True
        Whether a missing SQLite file is created (False: :class:`StorageError`).
    read_only : bool, default=False
        Open a SQLite file for queries only (see :class:`SQLiteStorage`): nothing is created
        or changed. The memory and Redis backends ignore it.

    Returns
    -------
    Storage
        The backend; close it (or use it in a ``with`` block) when done.

    Raises
    ------
    InvalidParameterError
        If the URL has none of these forms.
    MissingDependencyError
        For a Redis URL when the ``redis`` package is not installed.
    StorageError
        If the store cannot be opened.

    Examples
    --------
    >>> open_storage("memory:")
    MemoryStorage(0 documents)
    """
    scheme, _, rest = url.partition(":")
    scheme = scheme.lower()
    if scheme == "memory" and rest in ("", "//"):
        return MemoryStorage()
    if scheme == "sqlite" and rest:
        path = rest[2:] if rest.startswith("///") else rest
        return SQLiteStorage(path, create=create, read_only=read_only)
    if scheme in ("redis", "rediss", "unix") and rest:
        parts = urlsplit(url)
        query = parse_qs(parts.query, keep_blank_values=True)
        prefix = query.pop("prefix", ["storymatch"])[-1]
        kept = "&".join(f"{k}={v}" for k, values in query.items() for v in values)
        return RedisStorage(urlunsplit(parts._replace(query=kept)), prefix=prefix)
    msg = (
        "The 'url' parameter of open_storage must be 'memory:', 'sqlite:PATH' or a Redis URL "
        f"such as 'redis://localhost:6379/0'. Got {url!r} instead."
    )
    raise InvalidParameterError(msg)
