"""Near-duplicate detection: MinHash signatures, LSH, verified groups, persistent indexes.

Modules: :mod:`~storymatch.dedup.minhash` (signatures), :mod:`~storymatch.dedup.lsh` (band
choice, candidate pairs), :mod:`~storymatch.dedup.verify` (the public steps every engine
composes, and the defaults), :mod:`~storymatch.dedup.cluster` (the estimator),
:mod:`~storymatch.dedup.index` and :mod:`~storymatch.dedup.storage` (the persistent index) and
:mod:`~storymatch.dedup.spark` (the same steps on Spark; imported only on use).
"""

from __future__ import annotations

from storymatch.dedup.cluster import DedupStats, NearDuplicateClusterer, find_duplicates, group_id
from storymatch.dedup.index import LSHIndex, Match, QueryResult
from storymatch.dedup.lsh import candidate_pairs, collision_probability, optimal_params
from storymatch.dedup.minhash import SIGNATURE_VERSION, MinHasher, Signatures
from storymatch.dedup.storage import (
    MemoryStorage,
    RedisStorage,
    SQLiteStorage,
    Storage,
    StoredDocument,
    open_storage,
)

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
    "find_duplicates",
    "group_id",
    "open_storage",
    "optimal_params",
]

# Originals and copy edits (issue 14): computed only when asked, never by find_duplicates.
from storymatch.dedup.copies import copy_edits

__all__ += ["copy_edits"]
