"""Near-duplicate detection: MinHash signatures, LSH, verified groups, persistent indexes."""

from __future__ import annotations

from storymatch.dedup.cluster import DedupStats, NearDuplicateClusterer, find_duplicates, group_id
from storymatch.dedup.lsh import (
    LSHIndex,
    Match,
    candidate_pairs,
    collision_probability,
    optimal_params,
)
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
