"""Near-duplicate detection: MinHash signatures, LSH, verified groups, persistent indexes.

Modules: :mod:`~storymatch.dedup.minhash` (signatures), :mod:`~storymatch.dedup.lsh` (band
choice, candidate pairs), :mod:`~storymatch.dedup.verify` (the public steps every engine
composes, and the defaults), :mod:`~storymatch.dedup.cluster` (the estimator),
:mod:`~storymatch.dedup.index` and :mod:`~storymatch.dedup.storage` (the persistent index) and
:mod:`~storymatch.dedup.spark` (the same steps on Spark; imported only on use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storymatch._lazy import attach as _attach
from storymatch.dedup.cluster import DedupStats, NearDuplicateClusterer, find_duplicates, group_id
from storymatch.dedup.lsh import candidate_pairs, collision_probability, optimal_params
from storymatch.dedup.minhash import SIGNATURE_VERSION, MinHasher, Signatures

if TYPE_CHECKING:
    from storymatch.dedup.copies import copy_edits
    from storymatch.dedup.index import LSHIndex, Match, QueryResult
    from storymatch.dedup.storage import (
        MemoryStorage,
        RedisStorage,
        SQLiteStorage,
        Storage,
        StoredDocument,
        open_storage,
    )

# Loaded on first use: `storymatch dedup` groups a corpus without the persistent index, its
# storage backends (sqlite3) or the copies' edits (issue 14; never computed by find_duplicates).
_LAZY = {
    "LSHIndex": "storymatch.dedup.index",
    "Match": "storymatch.dedup.index",
    "QueryResult": "storymatch.dedup.index",
    "MemoryStorage": "storymatch.dedup.storage",
    "RedisStorage": "storymatch.dedup.storage",
    "SQLiteStorage": "storymatch.dedup.storage",
    "Storage": "storymatch.dedup.storage",
    "StoredDocument": "storymatch.dedup.storage",
    "copy_edits": "storymatch.dedup.copies",
    "open_storage": "storymatch.dedup.storage",
}


__getattr__, __dir__ = _attach(__name__, _LAZY)


__all__ = [
    "SIGNATURE_VERSION",
    "DedupStats",
    "LSHIndex",
    "Match",
    "MemoryStorage",
    "MinHasher",
    "NearDuplicateClusterer",
    "QueryResult",
    "RedisStorage",
    "SQLiteStorage",
    "Signatures",
    "Storage",
    "StoredDocument",
    "candidate_pairs",
    "collision_probability",
    "copy_edits",
    "find_duplicates",
    "group_id",
    "open_storage",
    "optimal_params",
]
