"""Open a fresh storage backend by name, for fixtures and for tests that need two of them."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from storymatch.dedup.storage import MemoryStorage, RedisStorage, SQLiteStorage, Storage

BACKENDS = ["memory", "sqlite", "redis"]


def make_storage(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """Open a fresh backend of ``kind`` (for fixtures and tests that need two of them)."""
    if kind == "memory":
        return MemoryStorage()
    if kind == "sqlite":
        return SQLiteStorage(tmp_path / f"index-{uuid.uuid4().hex[:8]}.sqlite")
    url = request.getfixturevalue("redis_url")
    return RedisStorage(url, prefix=f"test-{uuid.uuid4().hex[:12]}")
