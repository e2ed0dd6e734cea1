"""Where an :class:`~storymatch.dedup.lsh.LSHIndex` keeps its documents: storage backends.

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
"""

from __future__ import annotations

import logging
import sqlite3
import struct
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch.errors import InvalidParameterError, MissingDependencyError, StorageError

__all__ = [
    "MemoryStorage",
    "RedisStorage",
    "SQLiteStorage",
    "Storage",
    "StoredDocument",
    "open_storage",
]

logger = logging.getLogger(__name__)

_U64 = np.dtype("<u8")
_I64 = np.dtype("<i8")
_CHUNK = 500
"""Keys per ``IN (...)`` list or ``MGET``: well under SQLite's limit of bound parameters."""
_REDIS_CHUNK = 10_000
"""Commands per pipeline round trip for reads."""


def _u64(data: bytes) -> npt.NDArray[np.uint64]:
    return np.frombuffer(data, dtype=_U64).astype(np.uint64, copy=False)


@dataclass(frozen=True, slots=True, eq=False)
class StoredDocument:
    """One indexed document as a storage backend keeps it.

    Parameters
    ----------
    key : str
        The document's key (its article id).
    band_keys : numpy.ndarray of uint64, shape (bands,)
        The 64-bit hash of each LSH band of its signature.
    signature : numpy.ndarray of uint64, shape (num_perm,)
        Its MinHash signature (all ``2**64 - 1`` for a document without shingles).
    shingles : numpy.ndarray of uint64 or None, default=None
        Its shingle fingerprint (sorted, distinct shingle hashes) for exact verification.
    length : int or None, default=None
        Length of its original text, used to choose a group's representative.
    date : str or None, default=None
        Its ISO 8601 date, used to choose a group's representative.
    seq : int, default=-1
        Position in the order of insertion, assigned by the backend (-1 before it is stored).
    """

    key: str
    band_keys: npt.NDArray[np.uint64]
    signature: npt.NDArray[np.uint64]
    shingles: npt.NDArray[np.uint64] | None = None
    length: int | None = None
    date: str | None = None
    seq: int = -1

    _HEAD = struct.Struct("<4sHHqqqi")
    _MAGIC = b"smd1"

    @property
    def empty(self) -> bool:
        """Whether the document had no shingle (it is then in no bucket)."""
        return bool(self.signature.shape[0] == 0 or self.signature[0] == _kernels.EMPTY)

    def same_content(self, other: StoredDocument) -> bool:
        """Whether ``other`` holds the same data (everything but ``seq``)."""
        if (self.key, self.length, self.date) != (other.key, other.length, other.date):
            return False
        if (self.shingles is None) != (other.shingles is None):
            return False
        same = np.array_equal(self.band_keys, other.band_keys) and np.array_equal(
            self.signature, other.signature
        )
        if self.shingles is not None and other.shingles is not None:
            same = same and np.array_equal(self.shingles, other.shingles)
        return bool(same)

    def with_seq(self, seq: int) -> StoredDocument:
        """Return a copy placed at position ``seq``."""
        return StoredDocument(
            self.key, self.band_keys, self.signature, self.shingles, self.length, self.date, seq
        )

    def to_bytes(self) -> bytes:
        """Encode everything but the key as bytes (little-endian; no pickle)."""
        date = b"" if self.date is None else self.date.encode()
        head = self._HEAD.pack(
            self._MAGIC,
            self.band_keys.shape[0],
            self.signature.shape[0],
            self.seq,
            -1 if self.length is None else self.length,
            -1 if self.shingles is None else self.shingles.shape[0],
            -1 if self.date is None else len(date),
        )
        parts = [head, date, self.band_keys.astype(_U64).tobytes()]
        parts.append(self.signature.astype(_U64).tobytes())
        if self.shingles is not None:
            parts.append(self.shingles.astype(_U64).tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, key: str, data: bytes) -> StoredDocument:
        """Decode what :meth:`to_bytes` wrote; malformed data raises :class:`StorageError`."""
        size = cls._HEAD.size
        try:
            magic, bands, num_perm, seq, length, n_shingles, n_date = cls._HEAD.unpack_from(data)
        except struct.error as exc:
            msg = f"the stored record of document {key!r} is truncated ({len(data)} bytes)"
            raise StorageError(msg) from exc
        date_len = max(n_date, 0)
        expected = size + date_len + 8 * (bands + num_perm + max(n_shingles, 0))
        if magic != cls._MAGIC or len(data) != expected:
            msg = (
                f"the stored record of document {key!r} is malformed "
                f"(magic {magic!r}, {len(data)} bytes where {expected} were expected)"
            )
            raise StorageError(msg)
        pos = size + date_len
        date = None if n_date < 0 else data[size:pos].decode()
        band_keys = _u64(data[pos : pos + 8 * bands])
        pos += 8 * bands
        signature = _u64(data[pos : pos + 8 * num_perm])
        pos += 8 * num_perm
        shingles = None if n_shingles < 0 else _u64(data[pos:])
        return cls(key, band_keys, signature, shingles, None if length < 0 else length, date, seq)


def _last_per_key(docs: Sequence[StoredDocument]) -> list[StoredDocument]:
    """Drop all but the last document of each key (a later one replaces an earlier one)."""
    last = {doc.key: doc for doc in docs}
    if len(last) == len(docs):
        return list(docs)
    return list(last.values())


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Storage(ABC):
    """The interface of a storage backend for :class:`~storymatch.dedup.lsh.LSHIndex`.

    A backend keeps :class:`StoredDocument` records by key, the LSH buckets, and named
    settings. Writes are atomic per call. Backends are context managers; leaving the ``with``
    block calls :meth:`close`. Subclass it to keep an index elsewhere (datasketch's
    ``storage.py`` plays the same role for ``MinHashLSH``).
    """

    # ------------------------------------------------------------------ settings
    @abstractmethod
    def get_meta(self, name: str) -> str | None:
        """Return the setting ``name``, or None when it was never stored."""

    @abstractmethod
    def init_meta(self, name: str, value: str) -> str:
        """Store ``value`` under ``name`` unless a value is there; return the stored value.

        Atomic: of two processes initialising the same name, one wins and both get its value.
        """

    # ------------------------------------------------------------------ documents
    @abstractmethod
    def put(self, docs: Sequence[StoredDocument]) -> int:
        """Add or replace documents, all in one transaction.

        A document whose key is stored with the same content is left as it is (an
        idempotent add); one with different content replaces the stored one. When a key
        occurs twice in ``docs`` the last occurrence wins. Documents without shingles
        (:attr:`StoredDocument.empty`) are kept but join no bucket.

        Parameters
        ----------
        docs : sequence of StoredDocument
            The documents; their ``seq`` is ignored and assigned anew.

        Returns
        -------
        int
            How many documents were written (new or replaced).
        """

    @abstractmethod
    def delete(self, keys: Sequence[str]) -> int:
        """Remove documents, all in one transaction; return how many were present."""

    @abstractmethod
    def get(self, keys: Sequence[str]) -> dict[str, StoredDocument]:
        """Return the stored documents of ``keys`` (missing keys are left out)."""

    @abstractmethod
    def members(self, band_keys: npt.NDArray[np.uint64]) -> list[set[str]]:
        """For each row of band keys, the keys of the documents sharing at least one band.

        Parameters
        ----------
        band_keys : numpy.ndarray of uint64, shape (n_queries, bands)
            Band keys of the query documents.

        Returns
        -------
        list of set of str
            One set per row.
        """

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def __contains__(self, key: object) -> bool: ...

    @abstractmethod
    def keys(self) -> list[str]:
        """Return the keys of the stored documents, in the order they were added."""

    @abstractmethod
    def documents(self) -> Iterator[StoredDocument]:
        """Yield every stored document, in the order they were added."""

    @abstractmethod
    def check(self) -> list[str]:
        """Check that buckets, keys and records agree; return the problems found (none: [])."""

    def close(self) -> None:  # noqa: B027 - optional hook: backends without resources keep it
        """Release the backend's resources (connections); the default does nothing."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# ---------------------------------------------------------------------------------- memory
class MemoryStorage(Storage):
    """Keep the index in dicts in this process: fast, and gone when the process ends.

    The default of :class:`~storymatch.dedup.lsh.LSHIndex`. Not shared between processes;
    :meth:`~storymatch.dedup.lsh.LSHIndex.save` writes such an index to a file.

    Examples
    --------
    >>> storage = MemoryStorage()
    >>> len(storage)
    0
    """

    def __init__(self) -> None:
        self._meta: dict[str, str] = {}
        self._docs: dict[str, StoredDocument] = {}
        self._buckets: list[dict[int, set[str]]] = []
        self._seq = 0

    def __repr__(self) -> str:
        return f"MemoryStorage({len(self._docs)} documents)"

    def get_meta(self, name: str) -> str | None:
        """Return the setting ``name``, or None."""
        return self._meta.get(name)

    def init_meta(self, name: str, value: str) -> str:
        """Store ``value`` under ``name`` unless set; return the stored value."""
        return self._meta.setdefault(name, value)

    def _unlink(self, doc: StoredDocument) -> None:
        if doc.empty:
            return
        for b, value in enumerate(doc.band_keys.tolist()):
            members = self._buckets[b].get(value)
            if members is not None:
                members.discard(doc.key)
                if not members:
                    del self._buckets[b][value]

    def put(self, docs: Sequence[StoredDocument]) -> int:
        """Add or replace documents (see :meth:`Storage.put`)."""
        written = 0
        for doc in _last_per_key(docs):
            old = self._docs.get(doc.key)
            if old is not None:
                if old.same_content(doc):
                    continue
                self._unlink(old)
                del self._docs[doc.key]
            self._docs[doc.key] = doc.with_seq(self._seq)
            self._seq += 1
            written += 1
            if doc.empty:
                continue
            values = doc.band_keys.tolist()
            while len(self._buckets) < len(values):
                self._buckets.append({})
            for bucket, value in zip(self._buckets, values, strict=False):
                members = bucket.get(value)
                if members is None:
                    bucket[value] = {doc.key}
                else:
                    members.add(doc.key)
        return written

    def delete(self, keys: Sequence[str]) -> int:
        """Remove documents; return how many were present."""
        removed = 0
        for key in keys:
            old = self._docs.pop(key, None)
            if old is not None:
                self._unlink(old)
                removed += 1
        return removed

    def get(self, keys: Sequence[str]) -> dict[str, StoredDocument]:
        """Return the stored documents of ``keys``."""
        docs = self._docs
        return {key: docs[key] for key in keys if key in docs}

    def members(self, band_keys: npt.NDArray[np.uint64]) -> list[set[str]]:
        """For each row of band keys, the keys sharing at least one band."""
        out: list[set[str]] = []
        buckets = self._buckets
        for row in band_keys.tolist():
            found: set[str] = set()
            for bucket, value in zip(buckets, row, strict=False):
                members = bucket.get(value)
                if members:
                    found.update(members)
            out.append(found)
        return out

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, key: object) -> bool:
        return key in self._docs

    def keys(self) -> list[str]:
        """Return the keys, in the order they were added."""
        return list(self._docs)

    def documents(self) -> Iterator[StoredDocument]:
        """Yield every document, in the order they were added."""
        yield from list(self._docs.values())

    def check(self) -> list[str]:
        """Check buckets against records."""
        problems: list[str] = []
        expected = 0
        for doc in self._docs.values():
            if doc.empty:
                continue
            expected += doc.band_keys.shape[0]
            for b, value in enumerate(doc.band_keys.tolist()):
                if doc.key not in self._buckets[b].get(value, ()):
                    problems.append(f"document {doc.key!r} is missing from bucket {b}:{value:x}")
        total = sum(len(m) for bucket in self._buckets for m in bucket.values())
        if total != expected:
            problems.append(f"the buckets hold {total} entries, the documents {expected}")
        return problems


# ---------------------------------------------------------------------------------- SQLite
_SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    band_keys BLOB NOT NULL,
    signature BLOB NOT NULL,
    shingles BLOB,
    length INTEGER,
    date TEXT
);
CREATE TABLE IF NOT EXISTS buckets (
    band INTEGER NOT NULL,
    value INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (band, value, seq)
) WITHOUT ROWID;
"""
_SQLITE_TABLES = ("meta", "docs", "buckets")
_SQLITE_CACHE_KIB = 64 * 1024
"""Page cache of a connection (SQLite's default, 2 MiB, makes large batches thrash)."""
_SQLITE_FEW_ROWS = 16
"""Below this many query rows, buckets are looked up by (band, value) pairs, else by band."""
_DOC_COLUMNS = "seq, key, band_keys, signature, shingles, length, date"


def _signed(values: npt.NDArray[np.uint64]) -> list[int]:
    """uint64 values as the signed 64-bit integers SQLite stores."""
    as_int: list[int] = values.astype(_U64).view(_I64).tolist()
    return as_int


class SQLiteStorage(Storage):
    """Keep the index in one SQLite file: survives restarts, shared by local processes.

    Uses the standard library's :mod:`sqlite3` in WAL mode (readers never wait for a writer)
    with ``synchronous=NORMAL``. Every :meth:`put` and :meth:`delete` is one ``BEGIN
    IMMEDIATE`` transaction, so a process killed mid-batch leaves all or nothing of the
    batch; a power cut may lose the last committed batches but never leaves half of one.
    Several processes on one machine can open the same file: writers take turns, each
    waiting up to ``timeout`` seconds for the lock. The file must be on a local disk (WAL
    needs shared memory, which network file systems do not provide).

    Parameters
    ----------
    path : str or os.PathLike
        The database file; created (with its folder) when missing.
    timeout : float, default=30.0
        Seconds to wait for another process's write lock before failing with
        :class:`~storymatch.errors.StorageError`.
    create : bool, default=True
        Create the file when it is missing; False raises
        :class:`~storymatch.errors.StorageError` instead.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "index.sqlite"
    >>> with SQLiteStorage(path) as storage:
    ...     len(storage)
    0
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0, create: bool = True) -> None:
        self.path = Path(path)
        self.timeout = timeout
        if not create and not self.path.is_file():
            msg = f"there is no SQLite index at {self.path}"
            raise StorageError(msg)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            msg = f"cannot open the SQLite index {self.path}: {exc}"
            raise StorageError(msg) from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
            tables = self._db.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' "
                "AND name IN ('meta', 'docs', 'buckets')"
            ).fetchone()[0]
            if tables != len(_SQLITE_TABLES):  # a new file: create the schema (a write)
                with self._transaction():
                    for statement in _SQLITE_SCHEMA.split(";"):
                        if statement.strip():
                            self._db.execute(statement)
        except sqlite3.Error as exc:
            self._db.close()
            msg = f"cannot open the SQLite index {self.path}: {exc}"
            raise StorageError(msg) from exc

    def __repr__(self) -> str:
        return f"SQLiteStorage({str(self.path)!r})"

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    class _Transaction:
        def __init__(self, db: sqlite3.Connection, mode: str, path: Path) -> None:
            self.db = db
            self.mode = mode
            self.path = path

        def __enter__(self) -> sqlite3.Connection:
            try:
                self.db.execute(f"BEGIN {self.mode}")
            except sqlite3.Error as exc:
                msg = f"cannot start a transaction on the SQLite index {self.path}: {exc}"
                raise StorageError(msg) from exc
            return self.db

        def __exit__(
            self,
            exc_type: type[BaseException] | None,
            exc: BaseException | None,
            tb: TracebackType | None,
        ) -> None:
            if exc_type is None:
                try:
                    self.db.execute("COMMIT")
                except sqlite3.Error as error:
                    if self.db.in_transaction:
                        self.db.execute("ROLLBACK")
                    msg = f"cannot commit to the SQLite index {self.path}: {error}"
                    raise StorageError(msg) from error
                return
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                msg = f"the SQLite index {self.path} failed: {exc}"
                raise StorageError(msg) from exc

    def _transaction(self, mode: str = "IMMEDIATE") -> SQLiteStorage._Transaction:
        return SQLiteStorage._Transaction(self._db, mode, self.path)

    def get_meta(self, name: str) -> str | None:
        """Return the setting ``name``, or None."""
        with self._transaction("DEFERRED") as db:
            row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def init_meta(self, name: str, value: str) -> str:
        """Store ``value`` under ``name`` unless set; return the stored value."""
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)", (name, value))
            row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(row[0])

    @staticmethod
    def _decode(row: tuple[Any, ...]) -> StoredDocument:
        seq, key, band_keys, signature, shingles, length, date = row
        return StoredDocument(
            key=key,
            band_keys=_u64(band_keys),
            signature=_u64(signature),
            shingles=None if shingles is None else _u64(shingles),
            length=length,
            date=date,
            seq=seq,
        )

    def _fetch(self, db: sqlite3.Connection, keys: Sequence[str]) -> dict[str, StoredDocument]:
        out: dict[str, StoredDocument] = {}
        for chunk in _chunks(keys, _CHUNK):
            marks = ",".join("?" * len(chunk))
            rows = db.execute(f"SELECT {_DOC_COLUMNS} FROM docs WHERE key IN ({marks})", chunk)
            for row in rows:
                doc = self._decode(row)
                out[doc.key] = doc
        return out

    @staticmethod
    def _bucket_rows(doc: StoredDocument) -> list[tuple[int, int, int]]:
        return [(b, value, doc.seq) for b, value in enumerate(_signed(doc.band_keys))]

    def _write_doc(self, db: sqlite3.Connection, doc: StoredDocument) -> StoredDocument:
        """Insert one document row (inside the caller's transaction); return it with its seq."""
        cursor = db.execute(
            "INSERT INTO docs (key, band_keys, signature, shingles, length, date) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                doc.key,
                doc.band_keys.astype(_U64).tobytes(),
                doc.signature.astype(_U64).tobytes(),
                None if doc.shingles is None else doc.shingles.astype(_U64).tobytes(),
                doc.length,
                doc.date,
            ),
        )
        return doc.with_seq(int(cursor.lastrowid or 0))

    def _remove_doc(self, db: sqlite3.Connection, old: StoredDocument) -> None:
        if not old.empty:
            db.executemany(
                "DELETE FROM buckets WHERE band = ? AND value = ? AND seq = ?",
                self._bucket_rows(old),
            )
        db.execute("DELETE FROM docs WHERE seq = ?", (old.seq,))

    def put(self, docs: Sequence[StoredDocument]) -> int:
        """Add or replace documents in one transaction (see :meth:`Storage.put`)."""
        docs = _last_per_key(docs)
        written = 0
        buckets: list[tuple[int, int, int]] = []
        with self._transaction() as db:
            olds = self._fetch(db, [doc.key for doc in docs])
            for doc in docs:
                old = olds.get(doc.key)
                if old is not None:
                    if old.same_content(doc):
                        continue
                    self._remove_doc(db, old)
                stored = self._write_doc(db, doc)
                if not stored.empty:
                    buckets += self._bucket_rows(stored)
                written += 1
            # in key order, the rows land on neighbouring pages of the bucket index
            buckets.sort()
            db.executemany("INSERT INTO buckets (band, value, seq) VALUES (?, ?, ?)", buckets)
        logger.debug("sqlite %s: wrote %d of %d documents", self.path, written, len(docs))
        return written

    def delete(self, keys: Sequence[str]) -> int:
        """Remove documents in one transaction; return how many were present."""
        with self._transaction() as db:
            olds = self._fetch(db, list(dict.fromkeys(keys)))
            for old in olds.values():
                self._remove_doc(db, old)
        return len(olds)

    def get(self, keys: Sequence[str]) -> dict[str, StoredDocument]:
        """Return the stored documents of ``keys``."""
        with self._transaction("DEFERRED") as db:
            return self._fetch(db, keys)

    def members(self, band_keys: npt.NDArray[np.uint64]) -> list[set[str]]:
        """For each row of band keys, the keys sharing at least one band.

        A few rows look all their buckets up in one statement; many rows look up one band at
        a time, all the rows' values of the band in one ``IN`` list.
        """
        signed = band_keys.astype(_U64).view(_I64)
        found: dict[tuple[int, int], list[str]] = {}
        with self._transaction("DEFERRED") as db:
            if signed.shape[0] < _SQLITE_FEW_ROWS:
                self._members_by_pair(db, signed, found)
            else:
                self._members_by_band(db, signed, found)
        out: list[set[str]] = []
        for row in signed.tolist():
            keys: set[str] = set()
            for pair in enumerate(row):
                members = found.get(pair)
                if members:
                    keys.update(members)
            out.append(keys)
        return out

    @staticmethod
    def _members_by_pair(
        db: sqlite3.Connection,
        signed: npt.NDArray[np.int64],
        found: dict[tuple[int, int], list[str]],
    ) -> None:
        pairs = sorted({(b, v) for row in signed.tolist() for b, v in enumerate(row)})
        for chunk in _chunks(pairs, _CHUNK // 2):
            values = ",".join(["(?,?)"] * len(chunk))
            rows = db.execute(
                f"WITH q(band, value) AS (VALUES {values}) "
                "SELECT q.band, q.value, d.key FROM q "
                "JOIN buckets AS b ON b.band = q.band AND b.value = q.value "
                "JOIN docs AS d ON d.seq = b.seq",
                [x for pair in chunk for x in pair],
            )
            for band, value, key in rows:
                found.setdefault((band, value), []).append(key)

    @staticmethod
    def _members_by_band(
        db: sqlite3.Connection,
        signed: npt.NDArray[np.int64],
        found: dict[tuple[int, int], list[str]],
    ) -> None:
        for band in range(signed.shape[1]):
            for chunk in _chunks(np.unique(signed[:, band]).tolist(), _CHUNK):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    "SELECT b.value, d.key FROM buckets AS b JOIN docs AS d ON d.seq = b.seq "
                    f"WHERE b.band = ? AND b.value IN ({marks})",
                    (band, *chunk),
                )
                for value, key in rows:
                    found.setdefault((band, value), []).append(key)

    def __len__(self) -> int:
        with self._transaction("DEFERRED") as db:
            return int(db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        with self._transaction("DEFERRED") as db:
            row = db.execute("SELECT 1 FROM docs WHERE key = ?", (key,)).fetchone()
        return row is not None

    def keys(self) -> list[str]:
        """Return the keys, in the order they were added."""
        with self._transaction("DEFERRED") as db:
            return [str(row[0]) for row in db.execute("SELECT key FROM docs ORDER BY seq")]

    def documents(self) -> Iterator[StoredDocument]:
        """Yield every document, in the order they were added (one read snapshot)."""
        with self._transaction("DEFERRED") as db:
            rows = db.execute(f"SELECT {_DOC_COLUMNS} FROM docs ORDER BY seq").fetchall()
        for row in rows:
            yield self._decode(row)

    def check(self) -> list[str]:
        """Check buckets against records."""
        problems: list[str] = []
        with self._transaction("DEFERRED") as db:
            orphans = db.execute(
                "SELECT COUNT(*) FROM buckets AS b LEFT JOIN docs AS d ON d.seq = b.seq "
                "WHERE d.seq IS NULL"
            ).fetchone()[0]
            if orphans:
                problems.append(f"{orphans} bucket entries point to no document")
            rows = db.execute(f"SELECT {_DOC_COLUMNS} FROM docs ORDER BY seq").fetchall()
            entries = int(db.execute("SELECT COUNT(*) FROM buckets").fetchone()[0])
            expected = 0
            for row in rows:
                doc = self._decode(row)
                if doc.empty:
                    continue
                expected += doc.band_keys.shape[0]
                present = db.execute(
                    "SELECT COUNT(*) FROM buckets WHERE seq = ?", (doc.seq,)
                ).fetchone()[0]
                if present != doc.band_keys.shape[0]:
                    problems.append(
                        f"document {doc.key!r} is in {present} of its "
                        f"{doc.band_keys.shape[0]} buckets"
                    )
        if entries != expected + orphans:
            problems.append(f"the buckets hold {entries} entries, the documents {expected}")
        return problems


# ---------------------------------------------------------------------------------- Redis
_REDIS_WRITE = """
-- Add (ARGV[3] == 'put') or remove ('del') documents, atomically: Redis runs a script alone.
-- KEYS[1]: sorted set of the documents (score: position of insertion); KEYS[2]: counter.
-- ARGV[1]: prefix of document keys; ARGV[2]: prefix of bucket keys; then for 'put' triples
-- (key, record, 1 if the document joins buckets else 0), for 'del' keys.
local order, counter, dprefix, bprefix, mode = KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3]
local head, bands_at, date_at = %(head)d, %(bands_at)d, %(date_at)d

local function u16(s, at)
  return string.byte(s, at) + 256 * string.byte(s, at + 1)
end

local function buckets(record)
  -- the names of a record's buckets: its band keys follow the header and the date
  local bands = u16(record, bands_at)
  local n_date = u16(record, date_at) + 65536 * u16(record, date_at + 2)
  if n_date >= 2147483648 then n_date = 0 end  -- -1: no date
  local at = head + n_date + 1
  local names = {}
  for b = 0, bands - 1 do
    local band = string.char(b %% 256, math.floor(b / 256))
    names[b + 1] = bprefix .. band .. string.sub(record, at, at + 7)
    at = at + 8
  end
  return names
end

local function unlink(key, record)
  for _, name in ipairs(buckets(record)) do
    redis.call('SREM', name, key)
  end
  redis.call('DEL', dprefix .. key)
  redis.call('ZREM', order, key)
end

local changed = 0
if mode == 'put' then
  for i = 4, #ARGV, 3 do
    local key, record, linked = ARGV[i], ARGV[i + 1], ARGV[i + 2]
    local old = redis.call('GET', dprefix .. key)
    if old ~= record then
      if old then unlink(key, old) end
      redis.call('SET', dprefix .. key, record)
      redis.call('ZADD', order, redis.call('INCR', counter), key)
      if linked == '1' then
        for _, name in ipairs(buckets(record)) do
          redis.call('SADD', name, key)
        end
      end
      changed = changed + 1
    end
  end
else
  for i = 4, #ARGV do
    local old = redis.call('GET', dprefix .. ARGV[i])
    if old then
      unlink(ARGV[i], old)
      changed = changed + 1
    end
  end
end
return changed
"""


class RedisStorage(Storage):
    """Keep the index on a Redis server, shared by processes on several machines.

    Needs the extra ``storymatch[redis]`` (redis-py). Every document is one string key
    holding its :class:`StoredDocument` bytes, every bucket a set of document keys, and a
    sorted set lists the documents in the order they were added. All keys start with
    ``{prefix}:``, the braces putting them in one hash slot of a Redis Cluster.

    A batch of writes is one call of a Lua script (``EVALSHA``) that Redis runs alone, from
    start to end: other clients see all of the batch or none of it, and a client that dies
    while sending it leaves nothing, since an incomplete command never runs. The script also
    makes the add idempotent (an unchanged document is not rewritten) and replaces changed
    documents, so concurrent writers need no locks or retries. Lookups are pipelined: one
    round trip for the buckets of a whole batch of queries, one for the candidates' records.

    Redis runs nothing else while a script runs, so keep batches to a few thousand documents
    (about 50 ms of server time per thousand at 64 bands). Durability is the server's: with
    ``appendonly yes`` committed batches survive a restart of the server; a server crash with
    the default snapshots may lose recent batches but never splits one.

    Parameters
    ----------
    url_or_client : str or redis.Redis
        A URL such as ``"redis://localhost:6379/0"`` (see ``redis.Redis.from_url``), or a
        client made with ``decode_responses=False`` (the default).
    prefix : str, default="storymatch"
        Namespace of this index's keys: several indexes can share one database.

    Raises
    ------
    MissingDependencyError
        If the ``redis`` package is not installed.
    StorageError
        If the server cannot be reached.
    """

    def __init__(self, url_or_client: str | Any, *, prefix: str = "storymatch") -> None:
        try:
            import redis  # noqa: PLC0415 - optional extra
        except ImportError as exc:
            msg = (
                "RedisStorage needs the 'redis' package, which is not installed: "
                "pip install 'storymatch[redis]'"
            )
            raise MissingDependencyError(msg) from exc
        if not isinstance(prefix, str) or not prefix or "}" in prefix or "{" in prefix:
            msg = (
                "The 'prefix' parameter of RedisStorage must be a non-empty str without "
                f"braces. Got {prefix!r} instead."
            )
            raise InvalidParameterError(msg)
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        if isinstance(url_or_client, str):
            self.url = url_or_client
            client = redis.Redis.from_url(url_or_client)
        else:
            client = url_or_client
            self.url = repr(client)
        if client.get_connection_kwargs().get("decode_responses"):
            msg = "The Redis client of RedisStorage must be made with decode_responses=False."
            raise InvalidParameterError(msg)
        self._r: Any = client
        self.prefix = prefix
        base = f"{{{prefix}}}:"
        self._meta_key = base + "meta"
        self._order_key = base + "docs"
        self._seq_key = base + "seq"
        self._doc_prefix = (base + "d:").encode()
        self._bucket_prefix = (base + "b:").encode()
        head = StoredDocument._HEAD
        self._script = self._r.register_script(
            _REDIS_WRITE % {"head": head.size, "bands_at": 5, "date_at": head.size - 3}
        )
        try:
            self._r.ping()
        except self._errors as exc:
            msg = f"cannot reach the Redis server {self.url}: {exc}"
            raise StorageError(msg) from exc

    def __repr__(self) -> str:
        return f"RedisStorage({self.url!r}, prefix={self.prefix!r})"

    def close(self) -> None:
        """Close the client's connections."""
        self._r.close()

    def _doc_key(self, key: str) -> bytes:
        return self._doc_prefix + key.encode()

    def _bucket_key(self, band: int, value: int) -> bytes:
        return self._bucket_prefix + struct.pack("<HQ", band, value)

    def _buckets_of(self, doc: StoredDocument) -> list[bytes]:
        if doc.empty:
            return []
        return [self._bucket_key(b, v) for b, v in enumerate(doc.band_keys.tolist())]

    def _fail(self, exc: BaseException, what: str) -> StorageError:
        return StorageError(f"Redis index {self.url} (prefix {self.prefix!r}): {what}: {exc}")

    def get_meta(self, name: str) -> str | None:
        """Return the setting ``name``, or None."""
        try:
            value = self._r.hget(self._meta_key, name)
        except self._errors as exc:
            raise self._fail(exc, "cannot read settings") from exc
        return None if value is None else bytes(value).decode()

    def init_meta(self, name: str, value: str) -> str:
        """Store ``value`` under ``name`` unless set; return the stored value."""
        try:
            self._r.hsetnx(self._meta_key, name, value)
            stored = self._r.hget(self._meta_key, name)
        except self._errors as exc:
            raise self._fail(exc, "cannot write settings") from exc
        return bytes(stored).decode()

    def _run(self, mode: str, args: list[Any]) -> int:
        try:
            changed = self._script(
                keys=[self._order_key, self._seq_key],
                args=[self._doc_prefix, self._bucket_prefix, mode, *args],
                client=self._r,
            )
        except self._errors as exc:
            raise self._fail(exc, "cannot write") from exc
        return int(changed)

    def put(self, docs: Sequence[StoredDocument]) -> int:
        """Add or replace documents in one atomic script (see :meth:`Storage.put`)."""
        docs = _last_per_key(docs)
        if not docs:
            return 0
        args: list[Any] = []
        for doc in docs:
            args += [doc.key, doc.with_seq(-1).to_bytes(), 0 if doc.empty else 1]
        written = self._run("put", args)
        logger.debug("redis %s: wrote %d of %d documents", self.url, written, len(docs))
        return written

    def delete(self, keys: Sequence[str]) -> int:
        """Remove documents in one atomic script; return how many were present."""
        keys = list(dict.fromkeys(keys))
        return self._run("del", list(keys)) if keys else 0

    def _read(self, keys: Sequence[str]) -> list[StoredDocument]:
        """Read the records and positions of ``keys`` (those present) in one round trip."""
        pipe = self._r.pipeline(transaction=True)  # one snapshot of records and positions
        pipe.mget([self._doc_key(k) for k in keys])
        pipe.zmscore(self._order_key, list(keys))
        raw, seqs = pipe.execute()
        return [
            StoredDocument.from_bytes(key, data).with_seq(int(seq))
            for key, data, seq in zip(keys, raw, seqs, strict=True)
            if data is not None and seq is not None
        ]

    def get(self, keys: Sequence[str]) -> dict[str, StoredDocument]:
        """Return the stored documents of ``keys``."""
        out: dict[str, StoredDocument] = {}
        try:
            for chunk in _chunks(keys, _CHUNK * 2):
                for doc in self._read(chunk):
                    out[doc.key] = doc
        except self._errors as exc:
            raise self._fail(exc, "cannot read documents") from exc
        return out

    def members(self, band_keys: npt.NDArray[np.uint64]) -> list[set[str]]:
        """For each row of band keys, the keys sharing at least one band.

        One ``SUNION`` of the row's buckets per row, pipelined: the server forms the unions.
        """
        out: list[set[str]] = []
        rows = band_keys.tolist()
        try:
            for chunk in _chunks(rows, _REDIS_CHUNK // 10):
                pipe = self._r.pipeline(transaction=False)
                for row in chunk:
                    pipe.sunion([self._bucket_key(b, v) for b, v in enumerate(row)])
                out += [{bytes(k).decode() for k in found} for found in pipe.execute()]
        except self._errors as exc:
            raise self._fail(exc, "cannot read buckets") from exc
        return out

    def __len__(self) -> int:
        try:
            return int(self._r.zcard(self._order_key))
        except self._errors as exc:
            raise self._fail(exc, "cannot count documents") from exc

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            return self._r.zscore(self._order_key, key) is not None
        except self._errors as exc:
            raise self._fail(exc, "cannot look up a document") from exc

    def keys(self) -> list[str]:
        """Return the keys, in the order they were added."""
        try:
            return [bytes(k).decode() for k in self._r.zrange(self._order_key, 0, -1)]
        except self._errors as exc:
            raise self._fail(exc, "cannot list documents") from exc

    def documents(self) -> Iterator[StoredDocument]:
        """Yield every document, in the order they were added.

        Documents removed by another process while this runs are left out.
        """
        keys = self.keys()
        for chunk in _chunks(keys, _CHUNK * 2):
            found = self.get(chunk)
            for key in chunk:
                if key in found:
                    yield found[key]

    def check(self) -> list[str]:
        """Check buckets, records and the list of keys against each other."""
        problems: list[str] = []
        try:
            listed = set(self.keys())
            start = len(self._doc_prefix)
            records = {
                bytes(name)[start:].decode()
                for name in self._r.scan_iter(match=self._doc_prefix + b"*", count=1000)
            }
            raw = self._r.mget([self._doc_key(k) for k in sorted(records)]) if records else []
            docs = [
                StoredDocument.from_bytes(key, data)
                for key, data in zip(sorted(records), raw, strict=True)
                if data is not None
            ]
            problems += [
                f"document {k!r} is listed but has no record" for k in sorted(listed - records)
            ]
            problems += [
                f"document {k!r} has a record but is not listed" for k in sorted(records - listed)
            ]
            expected = {(name, doc.key) for doc in docs for name in self._buckets_of(doc)}
            seen: set[tuple[bytes, str]] = set()
            for name in self._r.scan_iter(match=self._bucket_prefix + b"*", count=1000):
                for member in self._r.smembers(name):
                    entry = (bytes(name), bytes(member).decode())
                    if entry not in expected:
                        where = self._describe(entry[0])
                        problems.append(f"bucket {where} holds {entry[1]!r}, which is not in it")
                    seen.add(entry)
            problems += [
                f"document {key!r} is missing from bucket {self._describe(name)}"
                for name, key in sorted(expected - seen)
            ]
        except self._errors as exc:
            raise self._fail(exc, "cannot check") from exc
        return problems

    def _describe(self, name: bytes) -> str:
        band, value = struct.unpack("<HQ", name[len(self._bucket_prefix) :])
        return f"{band}:{value:x}"


# ---------------------------------------------------------------------------------- URLs
def open_storage(url: str, *, create: bool = True) -> Storage:
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
        return SQLiteStorage(path, create=create)
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
