"""The Redis storage backend of the LSH index: shared by processes on several machines.

Needs the optional extra ``storymatch[redis]`` (redis-py), imported when a
:class:`RedisStorage` is made, so this module imports without it.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from storymatch.dedup.storage.base import CHUNK, Storage, StoredDocument, chunks, last_per_key
from storymatch.errors import InvalidParameterError, MissingDependencyError, StorageError

__all__ = ["RedisStorage"]

logger = logging.getLogger(__name__)

_REDIS_CHUNK = 10_000
"""Commands per pipeline round trip for reads."""

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
        head = StoredDocument.HEADER
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
        docs = last_per_key(docs)
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
            for chunk in chunks(keys, CHUNK * 2):
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
            for chunk in chunks(rows, _REDIS_CHUNK // 10):
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
        for chunk in chunks(keys, CHUNK * 2):
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
