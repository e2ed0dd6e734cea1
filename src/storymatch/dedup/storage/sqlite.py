"""The SQLite storage backend of the LSH index: one file, shared by processes on one machine.

Uses only the standard library's :mod:`sqlite3`.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch.dedup.storage.base import (
    CHUNK,
    Storage,
    StoredDocument,
    chunks,
    last_per_key,
    u64_from_bytes,
)
from storymatch.errors import StorageError

__all__ = ["SQLiteStorage"]

logger = logging.getLogger(__name__)

_U64 = np.dtype("<u8")
_I64 = np.dtype("<i8")
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
# The columns of each table: a database whose tables differ is not a storymatch index.
_SQLITE_COLUMNS = {
    "meta": ("name", "value"),
    "docs": ("seq", "key", "band_keys", "signature", "shingles", "length", "date"),
    "buckets": ("band", "value", "seq"),
}
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

    A database is taken for an index only when it is empty (no tables: the schema is then
    created, by a writer) or holds the index's tables with their columns; the database of
    another application is refused with :class:`~storymatch.errors.StorageError` before
    anything is written to it. A stored record that cannot be decoded (a corrupt blob) is a
    :class:`~storymatch.errors.StorageError` naming its key.

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
    read_only : bool, default=False
        Open for queries only: the file is never created nor changed (no schema, no journal
        mode); a missing file, or one that holds no index yet, raises
        :class:`~storymatch.errors.StorageError`, and so does every write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "index.sqlite"
    >>> with SQLiteStorage(path) as storage:
    ...     len(storage)
    0
    """

    def __init__(
        self,
        path: str | Path,
        *,
        timeout: float = 30.0,
        create: bool = True,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.read_only = read_only
        if (read_only or not create) and not self.path.is_file():
            msg = f"there is no SQLite index at {self.path}"
            raise StorageError(msg)
        try:
            if read_only:  # never creates or changes the file (nor its journal mode)
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self._db = sqlite3.connect(uri, timeout=timeout, isolation_level=None, uri=True)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            msg = f"cannot open the SQLite index {self.path}: {exc}"
            raise StorageError(msg) from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._db.execute(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
            new = self._check_schema()
            if read_only:
                if new:
                    msg = (
                        f"the SQLite file {self.path} holds no index yet: add documents to it "
                        "first ('storymatch index add')"
                    )
                    raise StorageError(msg)
                self._db.execute("PRAGMA query_only = ON")
            else:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                if new:  # a new or empty file: create the schema (a write)
                    with self._transaction():
                        for statement in _SQLITE_SCHEMA.split(";"):
                            if statement.strip():
                                self._db.execute(statement)
        except sqlite3.Error as exc:
            self._db.close()
            msg = f"cannot open the SQLite index {self.path}: {exc}"
            raise StorageError(msg) from exc
        except StorageError:
            self._db.close()
            raise

    def _check_schema(self) -> bool:
        """Return True for a database without tables; raise if it is not a storymatch index.

        Only reads: a database of another application is refused before anything is written
        to it (not even the journal mode).
        """
        tables = {
            str(name): str(sql or "")
            for name, sql in self._db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%'"
            )
        }
        if not tables:
            return True
        mismatched = [
            name
            for name, columns in _SQLITE_COLUMNS.items()
            if name not in tables
            or tuple(str(row[1]) for row in self._db.execute(f"PRAGMA table_info({name})"))
            != columns
        ]
        if mismatched:
            found = ", ".join(repr(name) for name in sorted(tables))
            msg = (
                f"{self.path} is not a storymatch index: it holds the tables {found}, and "
                f"{', '.join(repr(n) for n in mismatched)} "
                f"{'is' if len(mismatched) == 1 else 'are'} missing or different; it was left "
                "as it is. Give the path of a new file or of an index that storymatch made."
            )
            raise StorageError(msg)
        return False

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
        if mode == "IMMEDIATE" and self.read_only:
            msg = f"the SQLite index {self.path} was opened read-only (for queries): cannot write"
            raise StorageError(msg)
        return SQLiteStorage._Transaction(self._db, mode, self.path)

    def get_meta(self, name: str) -> str | None:
        """Return the setting ``name``, or None."""
        with self._transaction("DEFERRED") as db:
            row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def init_meta(self, name: str, value: str) -> str:
        """Store ``value`` under ``name`` unless set; return the stored value."""
        stored = self.get_meta(name)  # set already: no write (a read-only store can answer)
        if stored is not None:
            return stored
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)", (name, value))
            row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(row[0])

    def _decode(self, row: tuple[Any, ...]) -> StoredDocument:
        seq, key, band_keys, signature, shingles, length, date = row
        blobs = {"band_keys": band_keys, "signature": signature, "shingles": shingles}
        for column, blob in blobs.items():
            if (blob is None and column == "shingles") or (
                isinstance(blob, bytes) and len(blob) % _U64.itemsize == 0
            ):
                continue
            size = f"{len(blob)} bytes" if isinstance(blob, bytes) else type(blob).__name__
            msg = (
                f"the SQLite index {self.path} is corrupt: document {key!r} has a {column} "
                f"of {size}, not a whole number of 8-byte values; rebuild the index with "
                "'storymatch index add'"
            )
            raise StorageError(msg)
        return StoredDocument(
            key=key,
            band_keys=u64_from_bytes(band_keys),
            signature=u64_from_bytes(signature),
            shingles=None if shingles is None else u64_from_bytes(shingles),
            length=length,
            date=date,
            seq=seq,
        )

    def _fetch(self, db: sqlite3.Connection, keys: Sequence[str]) -> dict[str, StoredDocument]:
        out: dict[str, StoredDocument] = {}
        for chunk in chunks(keys, CHUNK):
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
        docs = last_per_key(docs)
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
        for chunk in chunks(pairs, CHUNK // 2):
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
            for chunk in chunks(np.unique(signed[:, band]).tolist(), CHUNK):
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
        """Check buckets against records, in one pass over each table (one read snapshot).

        The bucket entries are counted per document with one ``GROUP BY`` (entries of no
        document are the orphans), and the documents are streamed (band keys and the first
        value of the signature only), so the time grows with the size of the index, not its
        square.
        """
        problems: list[str] = []
        with self._transaction("DEFERRED") as db:
            present: dict[int, int] = dict(
                db.execute("SELECT seq, COUNT(*) FROM buckets GROUP BY seq").fetchall()
            )
            entries = sum(present.values())
            expected = 0
            mismatched: list[str] = []
            rows = db.execute(
                "SELECT seq, key, length(band_keys), substr(signature, 1, 8) FROM docs ORDER BY seq"
            )
            for seq, key, size, head in rows:
                found = present.pop(seq, 0)
                if not head or u64_from_bytes(head)[0] == _kernels.EMPTY:
                    continue  # an empty document is in no bucket
                bands = int(size) // _U64.itemsize
                expected += bands
                if found != bands:
                    mismatched.append(f"document {key!r} is in {found} of its {bands} buckets")
        orphans = sum(present.values())  # what is left points to no document
        if orphans:
            problems.append(f"{orphans} bucket entries point to no document")
        problems += mismatched
        if entries != expected + orphans:
            problems.append(f"the buckets hold {entries} entries, the documents {expected}")
        return problems
