"""Near-duplicate detection: MinHash signatures, LSH, verified groups."""

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

__all__ = [
    "SIGNATURE_VERSION",
    "DedupStats",
    "LSHIndex",
    "Match",
    "MinHasher",
    "NearDuplicateClusterer",
    "Signatures",
    "candidate_pairs",
    "collision_probability",
    "find_duplicates",
    "group_id",
    "optimal_params",
]
