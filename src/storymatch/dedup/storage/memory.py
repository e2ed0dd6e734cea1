"""The in-process storage backend of the LSH index (the default)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from storymatch.dedup.storage.base import Storage, StoredDocument, last_per_key

__all__ = ["MemoryStorage"]

logger = logging.getLogger(__name__)


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
        for doc in last_per_key(docs):
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
