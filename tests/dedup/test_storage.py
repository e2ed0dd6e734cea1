"""Tests for storymatch.dedup.storage: every backend behind the same contract, and URLs."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storymatch import _kernels
from storymatch.dedup.storage import (
    MemoryStorage,
    RedisStorage,
    SQLiteStorage,
    Storage,
    StoredDocument,
    open_storage,
)
from storymatch.errors import InvalidParameterError, MissingDependencyError, StorageError


def _doc(
    key: str, bands: list[int], *, shingles: list[int] | None = None, **extra: Any
) -> StoredDocument:
    return StoredDocument(
        key=key,
        band_keys=np.array(bands, dtype=np.uint64),
        signature=np.array([b % 97 for b in bands] * 2, dtype=np.uint64),
        shingles=None if shingles is None else np.array(shingles, dtype=np.uint64),
        **extra,
    )


def _empty(key: str) -> StoredDocument:
    return StoredDocument(
        key=key,
        band_keys=np.array([5, 6, 7], dtype=np.uint64),
        signature=np.full(6, _kernels.EMPTY, dtype=np.uint64),
        shingles=np.zeros(0, dtype=np.uint64),
        length=0,
    )


BIG = 2**64 - 2  # a band value above 2**63: SQLite stores it as a negative integer


# --------------------------------------------------------------------------- StoredDocument


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(
            _doc("a", [1, 2, BIG], shingles=[3, 9, 2**63 + 1], length=40, date="2026-01-02"),
            id="full",
        ),
        pytest.param(_doc("b", [1, 2, 3]), id="bare"),
        pytest.param(_doc("ü/ß", [4, 5, 6], shingles=[], date=""), id="empty-set-empty-date"),
        pytest.param(_empty("e"), id="empty-document"),
    ],
)
def test_stored_document_bytes_round_trip(doc: StoredDocument) -> None:
    back = StoredDocument.from_bytes(doc.key, doc.with_seq(7).to_bytes())
    assert back.same_content(doc)
    assert back.seq == 7
    assert (back.length, back.date) == (doc.length, doc.date)
    assert back.band_keys.dtype == np.uint64


def test_stored_document_same_content_looks_at_every_field() -> None:
    base = _doc("a", [1, 2, 3], shingles=[1, 2], length=3, date="2026-01-01")
    assert base.same_content(base.with_seq(5))
    assert not base.same_content(_doc("a", [1, 2, 4], shingles=[1, 2], length=3, date="2026-01-01"))
    assert not base.same_content(_doc("a", [1, 2, 3], shingles=[1, 5], length=3, date="2026-01-01"))
    assert not base.same_content(_doc("a", [1, 2, 3], length=3, date="2026-01-01"))
    assert not base.same_content(_doc("a", [1, 2, 3], shingles=[1, 2], length=4, date="2026-01-01"))
    assert not base.same_content(_doc("b", [1, 2, 3], shingles=[1, 2], length=3, date="2026-01-01"))
    assert _doc("a", [1]).same_content(_doc("a", [1]))
    assert _empty("e").empty
    assert not base.empty


@pytest.mark.parametrize(
    ("data", "match"),
    [
        pytest.param(b"smd1", "truncated", id="truncated"),
        pytest.param(b"xxxx" + _doc("a", [1]).to_bytes()[4:], "malformed", id="magic"),
        pytest.param(_doc("a", [1]).to_bytes() + b"\0", "malformed", id="length"),
    ],
)
def test_stored_document_rejects_malformed_bytes(data: bytes, match: str) -> None:
    with pytest.raises(StorageError, match=match):
        StoredDocument.from_bytes("a", data)


# --------------------------------------------------------------------------- the contract


def test_put_get_members_delete(storage: Storage) -> None:
    assert len(storage) == 0
    assert storage.keys() == []
    docs = [
        _doc("a", [1, 2, BIG], shingles=[1, 2, 3], length=10, date="2026-01-01"),
        _doc("b", [1, 20, 30], shingles=[1, 2]),
        _doc("c", [10, 20, 31]),
        _empty("e"),
    ]
    assert storage.put(docs) == 4
    assert len(storage) == 4
    assert storage.keys() == ["a", "b", "c", "e"]
    assert "a" in storage
    assert "zz" not in storage
    assert 3 not in storage
    got = storage.get(["a", "zz", "c"])
    assert set(got) == {"a", "c"}
    assert got["a"].same_content(docs[0])
    assert got["c"].shingles is None
    queries = np.array([[1, 0, 0], [0, 20, 0], [0, 0, BIG], [5, 6, 7], [9, 9, 9]], dtype=np.uint64)
    assert storage.members(queries) == [{"a", "b"}, {"b", "c"}, {"a"}, set(), set()]
    assert [d.key for d in storage.documents()] == ["a", "b", "c", "e"]
    seqs = [d.seq for d in storage.documents()]
    assert seqs == sorted(seqs)
    assert storage.check() == []

    assert storage.delete(["b", "zz", "b"]) == 1
    assert storage.delete(["b"]) == 0
    assert storage.members(queries[:2]) == [{"a"}, {"c"}]
    assert len(storage) == 3
    assert storage.check() == []


def test_put_is_idempotent_and_replaces_changed_documents(storage: Storage) -> None:
    docs = [_doc("a", [1, 2, 3], shingles=[1]), _doc("b", [4, 5, 6], shingles=[2])]
    assert storage.put(docs) == 2
    first = {d.key: d.seq for d in storage.documents()}
    assert storage.put(docs) == 0
    assert {d.key: d.seq for d in storage.documents()} == first

    changed = _doc("a", [7, 2, 8], shingles=[1, 5])
    assert storage.put([docs[1], changed]) == 1
    assert storage.keys() == ["b", "a"]  # a replaced document counts as added now
    queries = np.array([[1, 0, 0], [7, 0, 0], [0, 2, 0]], dtype=np.uint64)
    assert storage.members(queries) == [set(), {"a"}, {"a"}]
    assert storage.get(["a"])["a"].same_content(changed)
    assert storage.check() == []


def test_put_keeps_the_last_of_repeated_keys(storage: Storage) -> None:
    assert storage.put([_doc("a", [1, 2, 3]), _doc("a", [4, 5, 6])]) == 1
    assert len(storage) == 1
    assert storage.members(np.array([[1, 2, 3], [4, 0, 0]], dtype=np.uint64)) == [set(), {"a"}]


def test_empty_documents_are_kept_but_join_no_bucket(storage: Storage) -> None:
    storage.put([_empty("e1"), _empty("e2")])
    assert len(storage) == 2
    assert storage.members(np.array([[5, 6, 7]], dtype=np.uint64)) == [set()]
    assert storage.delete(["e1"]) == 1
    assert storage.check() == []


def test_meta_is_set_once(storage: Storage) -> None:
    assert storage.get_meta("settings") is None
    assert storage.init_meta("settings", "one") == "one"
    assert storage.init_meta("settings", "two") == "one"
    assert storage.get_meta("settings") == "one"


def test_storage_is_a_context_manager(storage: Storage) -> None:
    with storage as same:
        assert same is storage


def test_memory_check_reports_broken_buckets() -> None:
    storage = MemoryStorage()
    storage.put([_doc("a", [1, 2, 3]), _doc("b", [1, 5, 6])])
    storage._buckets[1][2].discard("a")
    storage._buckets[2][6].add("ghost")
    problems = storage.check()
    assert any("'a' is missing from bucket 1" in p for p in problems)
    assert len(problems) == 1  # counts agree again: one missing, one extra... reported once
    storage._buckets[0][1].add("ghost2")
    assert any("entries" in p for p in storage.check())
    assert repr(storage) == "MemoryStorage(2 documents)"


# --------------------------------------------------------------------------- SQLite


def test_sqlite_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "index.sqlite"
    with SQLiteStorage(path) as storage:
        storage.put([_doc("a", [1, 2, BIG], shingles=[1, 2])])
        storage.init_meta("settings", "x")
        assert repr(storage) == f"SQLiteStorage({str(path)!r})"
    with SQLiteStorage(path) as storage:
        assert storage.keys() == ["a"]
        assert storage.get_meta("settings") == "x"
        assert storage.members(np.array([[0, 0, BIG]], dtype=np.uint64)) == [{"a"}]
        mode = storage._db.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_sqlite_check_reports_broken_buckets(tmp_path: Path) -> None:
    with SQLiteStorage(tmp_path / "i.sqlite") as storage:
        storage.put([_doc("a", [1, 2, 3]), _doc("b", [4, 5, 6])])
        storage._db.execute("DELETE FROM buckets WHERE band = 1 AND value = 2")
        storage._db.execute("INSERT INTO buckets (band, value, seq) VALUES (0, 9, 999)")
        problems = storage.check()
    assert any("point to no document" in p for p in problems)
    assert any("'a' is in 2 of its 3 buckets" in p for p in problems)
    assert any("entries" in p for p in problems)


def test_sqlite_cannot_open_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot open the SQLite index"):
        SQLiteStorage(tmp_path)


def test_sqlite_rejects_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "not.sqlite"
    path.write_bytes(b"this is not a database, just some bytes" * 100)
    with pytest.raises(StorageError, match=r"not\.sqlite"):
        SQLiteStorage(path)


def test_sqlite_waits_for_a_locked_writer_then_fails(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    SQLiteStorage(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteStorage(path, timeout=0.1) as storage:
            with pytest.raises(StorageError, match="locked"):
                storage.put([_doc("a", [1, 2, 3])])
            assert len(storage) == 0  # readers are not blocked (WAL)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_sqlite_rolls_back_a_failed_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with SQLiteStorage(tmp_path / "i.sqlite") as storage:
        storage.put([_doc("a", [1, 2, 3])])
        calls = []
        original = SQLiteStorage._write_doc

        def failing(self, db, doc):
            calls.append(doc.key)
            if len(calls) == 2:
                msg = "disk I/O error (simulated)"
                raise sqlite3.OperationalError(msg)
            return original(self, db, doc)

        monkeypatch.setattr(SQLiteStorage, "_write_doc", failing)
        with pytest.raises(StorageError, match="simulated"):
            storage.put([_doc("b", [4, 5, 6]), _doc("c", [7, 8, 9])])
        assert storage.keys() == ["a"]
        assert storage.check() == []
        monkeypatch.undo()
        assert storage.put([_doc("b", [4, 5, 6]), _doc("c", [7, 8, 9])]) == 2


def test_sqlite_reports_a_failed_commit(tmp_path: Path) -> None:
    class Broken:
        in_transaction = True

        def __init__(self) -> None:
            self.statements: list[str] = []

        def execute(self, statement: str, *args: object) -> None:
            self.statements.append(statement)
            if statement == "COMMIT":
                msg = "database is full (simulated)"
                raise sqlite3.OperationalError(msg)

    db = Broken()
    transaction = SQLiteStorage._Transaction(db, "IMMEDIATE", tmp_path / "x")  # type: ignore[arg-type]
    with pytest.raises(StorageError, match="cannot commit"), transaction:
        pass
    assert db.statements == ["BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"]


# --------------------------------------------------------------------------- Redis


def test_redis_keys_share_one_hash_slot(redis_storage: RedisStorage) -> None:
    redis_storage.put([_doc("a", [1, 2, 3], shingles=[1])])
    names = sorted(
        bytes(n) for n in redis_storage._r.scan_iter(match=f"{{{redis_storage.prefix}}}:*")
    )
    assert names
    assert all(n.startswith(f"{{{redis_storage.prefix}}}:".encode()) for n in names)
    assert repr(redis_storage).startswith("RedisStorage('redis://")


def test_redis_accepts_a_client(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    storage = RedisStorage(client, prefix="client-test")
    assert len(storage) == 0
    assert storage.url.startswith("<redis.client.Redis")
    storage.close()


def test_redis_rejects_a_decoding_client(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    with pytest.raises(InvalidParameterError, match="decode_responses"):
        RedisStorage(client)
    client.close()


@pytest.mark.parametrize("prefix", ["", "a{b", "x}", 3])
def test_redis_rejects_bad_prefixes(redis_url: str, prefix: object) -> None:
    with pytest.raises(InvalidParameterError, match="'prefix'"):
        RedisStorage(redis_url, prefix=prefix)  # type: ignore[arg-type]


def test_redis_unreachable_server_is_a_storage_error(redis_url: str) -> None:
    # redis_url: the redis package is there (or the test skips/fails as every Redis test does)
    import socket

    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(StorageError, match="cannot reach the Redis server"):
        RedisStorage(f"redis://127.0.0.1:{port}/0?socket_connect_timeout=0.5")


def test_redis_without_the_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(MissingDependencyError, match=r"storymatch\[redis\]"):
        RedisStorage("redis://localhost:6379/0")


def test_redis_script_unlinks_a_replaced_document_with_a_date(redis_storage: RedisStorage) -> None:
    # the script finds the old buckets in the stored record, after a date of any length
    old = _doc("a", [1, 2, 3], shingles=[1], date="2026-03-10T14:05:00+00:00")
    redis_storage.put([old])
    redis_storage.put([_doc("a", [4, 5, 6], shingles=[1], date="x" * 300)])
    redis_storage.put([_doc("a", [7, 8, 9], shingles=[1])])
    assert redis_storage.members(np.array([[1, 2, 3], [4, 5, 6], [7, 0, 0]], dtype=np.uint64)) == [
        set(),
        set(),
        {"a"},
    ]
    assert redis_storage.check() == []


def test_redis_check_reports_broken_state(redis_storage: RedisStorage) -> None:
    r = redis_storage._r
    redis_storage.put([_doc("a", [1, 2, 3]), _doc("b", [4, 5, 6])])
    r.srem(redis_storage._bucket_key(1, 2), "a")
    r.sadd(redis_storage._bucket_key(0, 1), "b")
    r.zadd(redis_storage._order_key, {"ghost": 99})
    r.set(redis_storage._doc_key("stray"), _doc("stray", [7, 7, 7]).to_bytes())
    problems = redis_storage.check()
    assert any("'a' is missing from bucket" in p for p in problems)
    assert any("holds 'b', which is not in it" in p for p in problems)
    assert any("'ghost' is listed but has no record" in p for p in problems)
    assert any("'stray' has a record but is not listed" in p for p in problems)


class _BrokenClient:
    """A Redis client whose every command fails as if the server went away."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        import redis

        def fail(*args: object, **kwargs: object) -> None:
            msg = "connection reset (simulated)"
            raise redis.ConnectionError(msg)

        return fail


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda s: s.get_meta("x"), id="get_meta"),
        pytest.param(lambda s: s.init_meta("x", "y"), id="init_meta"),
        pytest.param(lambda s: s.put([_doc("a", [1, 2, 3])]), id="put"),
        pytest.param(lambda s: s.delete(["a"]), id="delete"),
        pytest.param(lambda s: s.get(["a"]), id="get"),
        pytest.param(lambda s: s.members(np.array([[1, 2, 3]], dtype=np.uint64)), id="members"),
        pytest.param(len, id="len"),
        pytest.param(lambda s: "a" in s, id="contains"),
        pytest.param(lambda s: s.keys(), id="keys"),
        pytest.param(lambda s: s.check(), id="check"),
    ],
)
def test_redis_failures_are_storage_errors(
    redis_storage: RedisStorage, call: Callable[[Storage], object]
) -> None:
    client = redis_storage._r
    redis_storage._r = _BrokenClient()
    try:
        with pytest.raises(StorageError, match="simulated"):
            call(redis_storage)
    finally:
        redis_storage._r = client


# --------------------------------------------------------------------------- URLs


def test_open_storage_memory_and_sqlite(tmp_path: Path) -> None:
    assert isinstance(open_storage("memory:"), MemoryStorage)
    relative = open_storage(f"sqlite:{tmp_path / 'a.sqlite'}")
    assert isinstance(relative, SQLiteStorage)
    assert relative.path == tmp_path / "a.sqlite"
    relative.close()
    absolute = open_storage(f"sqlite://{tmp_path / 'b.sqlite'}")
    assert isinstance(absolute, SQLiteStorage)
    assert absolute.path == tmp_path / "b.sqlite"
    absolute.close()


def test_open_storage_redis(redis_url: str) -> None:
    storage = open_storage(redis_url + "?prefix=urltest")
    assert isinstance(storage, RedisStorage)
    assert storage.prefix == "urltest"
    storage.close()
    default = open_storage(redis_url + "?socket_timeout=5")
    assert isinstance(default, RedisStorage)
    assert default.prefix == "storymatch"
    default.close()


@pytest.mark.parametrize(
    "url", ["", "sqlite:", "memory:x", "postgres://x", "index.sqlite", "redis:"]
)
def test_open_storage_rejects_unknown_urls(url: str) -> None:
    with pytest.raises(InvalidParameterError, match="'url'"):
        open_storage(url)


@pytest.mark.parametrize("n_queries", [3, 40])
def test_members_agree_with_memory_for_few_and_many_rows(storage: Storage, n_queries: int) -> None:
    rng = np.random.default_rng(5)
    values = rng.integers(0, 6, size=(60, 4)).astype(np.uint64) * np.uint64(2**61)
    docs = [_doc(f"k{i}", row.tolist()) for i, row in enumerate(values)]
    reference = MemoryStorage()
    reference.put(docs)
    storage.put(docs)
    queries = rng.integers(0, 6, size=(n_queries, 4)).astype(np.uint64) * np.uint64(2**61)
    assert storage.members(queries) == reference.members(queries)
    assert any(storage.members(queries))


def test_an_empty_batch_writes_nothing(storage: Storage) -> None:
    assert storage.put([]) == 0
    assert storage.delete([]) == 0
    assert len(storage) == 0


# ---------------------------------------------------------------------------------------
# Foreign and corrupt databases (issue 15)


def _foreign_db(path: Path) -> bytes:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)")
    db.execute("INSERT INTO docs (body) VALUES ('mine')")
    db.commit()
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("read_only", [False, True])
def test_sqlite_refuses_a_database_that_is_not_a_store(tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "app.db"
    before = _foreign_db(path)
    with pytest.raises(StorageError, match=r"not a storymatch index.*'docs'"):
        SQLiteStorage(path, read_only=read_only)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]


def test_sqlite_read_only_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    with SQLiteStorage(path) as storage:
        storage.put([_doc("a", [1, 2, 3])])
        storage.init_meta("settings", "x")
    before = path.read_bytes()
    with SQLiteStorage(path, read_only=True) as storage:
        assert storage.keys() == ["a"]
        assert storage.get_meta("settings") == "x"
        with pytest.raises(StorageError, match="read-only"):
            storage.put([_doc("b", [4, 5, 6])])
    assert path.read_bytes() == before


def test_sqlite_read_only_of_an_empty_file_creates_no_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.write_bytes(b"")
    with pytest.raises(StorageError, match="holds no index yet"):
        SQLiteStorage(path, read_only=True)
    assert path.read_bytes() == b""
    with pytest.raises(StorageError, match="there is no SQLite index"):
        SQLiteStorage(tmp_path / "missing.sqlite", read_only=True)
    assert not (tmp_path / "missing.sqlite").exists()
    with SQLiteStorage(path) as storage:  # an empty file becomes a store on add
        storage.put([_doc("a", [1, 2, 3])])
    with SQLiteStorage(path, read_only=True) as storage:
        assert len(storage) == 1


def test_sqlite_corrupt_blob_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    with SQLiteStorage(path) as storage:
        storage.put([_doc("a", [1, 2, 3]), _doc("b", [4, 5, 6])])
        storage._db.execute("UPDATE docs SET signature = x'0102030405' WHERE key = 'b'")
        with pytest.raises(StorageError, match=r"corrupt: document 'b'"):
            storage.get(["a", "b"])
        with pytest.raises(StorageError, match=r"corrupt: document 'b'"):
            list(storage.documents())


def test_sqlite_check_reads_each_table_once(tmp_path: Path) -> None:
    # check() used to count each document's buckets with its own scan of the bucket table:
    # quadratic (4k documents 33 s). Now a fixed number of statements, whatever the size.
    with SQLiteStorage(tmp_path / "i.sqlite") as storage:
        storage.put([_doc(f"d{i}", [i, i + 1, i + 2]) for i in range(200)] + [_empty("e")])
        statements: list[str] = []
        storage._db.set_trace_callback(statements.append)
        assert storage.check() == []
        storage._db.set_trace_callback(None)
        assert len(statements) <= 6
        storage._db.execute("DELETE FROM buckets WHERE band = 2 AND value = 7")
        assert storage.check() == [
            "document 'd5' is in 2 of its 3 buckets",
            "the buckets hold 599 entries, the documents 600",
        ]
