"""The interface of a storage backend of the LSH index, and the record it stores.

:class:`Storage` is what :class:`~storymatch.dedup.LSHIndex` needs from a backend;
:class:`StoredDocument` is one indexed document (band keys, signature, shingle fingerprint,
length and date) with its byte encoding. The backends are in :mod:`storymatch.dedup.storage`'s
other modules, one per optional dependency; the package's docstring says how they keep
batches consistent.
"""

from __future__ import annotations

import logging
import struct
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch.errors import StorageError

__all__ = ["CHUNK", "Storage", "StoredDocument", "chunks", "last_per_key", "u64_from_bytes"]

logger = logging.getLogger(__name__)

_U64 = np.dtype("<u8")
CHUNK = 500
"""Keys per ``IN (...)`` list or ``MGET``: well under SQLite's limit of bound parameters."""


def u64_from_bytes(data: bytes) -> npt.NDArray[np.uint64]:
    """Decode little-endian 64-bit unsigned integers (a helper of the backends)."""
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

    HEADER = struct.Struct("<4sHHqqqi")
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
        head = self.HEADER.pack(
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
        size = cls.HEADER.size
        try:
            magic, bands, num_perm, seq, length, n_shingles, n_date = cls.HEADER.unpack_from(data)
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
        band_keys = u64_from_bytes(data[pos : pos + 8 * bands])
        pos += 8 * bands
        signature = u64_from_bytes(data[pos : pos + 8 * num_perm])
        pos += 8 * num_perm
        shingles = None if n_shingles < 0 else u64_from_bytes(data[pos:])
        return cls(key, band_keys, signature, shingles, None if length < 0 else length, date, seq)


def last_per_key(docs: Sequence[StoredDocument]) -> list[StoredDocument]:
    """Drop all but the last document of each key (a later one replaces an earlier one).

    A helper of the backends' :meth:`Storage.put`.
    """
    last = {doc.key: doc for doc in docs}
    if len(last) == len(docs):
        return list(docs)
    return list(last.values())


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Yield ``items`` in slices of ``size`` (a helper of the backends' batched reads)."""
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
