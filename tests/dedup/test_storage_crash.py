"""A writer killed (SIGKILL) in the middle of a batch leaves the shared index consistent.

The writer (``crash_writer.py``) runs in a child process. Either it stops half-way through one
batch's write and waits (SQLite: inside the transaction, after half of the batch's documents;
Redis: after half of the bytes of the batch's script call reached the server) or it runs freely
and is killed at an arbitrary moment. The free-running writer never stops by itself (it adds
the same batches again and again, which is idempotent), so the kill always lands while it runs;
the moment is drawn afresh each run, up to the time the first pass takes as measured in that
very run. Then the store must hold whole batches only, every document fully (record, keys,
every bucket, fingerprint), and a re-run of the same batches must complete and give the local
engine's groups.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dedup import crash_writer

from storymatch.dedup import LSHIndex, NearDuplicateClusterer
from storymatch.dedup.storage import RedisStorage, SQLiteStorage, Storage
from storymatch.models import Article

WRITER = Path(__file__).with_name("crash_writer.py")
REPO = Path(__file__).resolve().parents[2]


def _start(url: str, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), url, *options],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def _wait_for(proc: subprocess.Popen[str], line: str, timeout: float = 120.0) -> list[str]:
    seen = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        got = proc.stdout.readline().strip()
        if not got and proc.poll() is not None:
            break
        seen.append(got)
        if got == line:
            return seen
    _kill(proc)
    pytest.fail(f"the writer never printed {line!r}; it printed {seen}")


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    if proc.stdout is not None:
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL


def _assert_consistent(storage: Storage, articles: list[Article]) -> int:
    """Whole batches only, each document fully present; return how many batches."""
    assert storage.check() == []
    keys = storage.keys()
    assert len(keys) % crash_writer.BATCH == 0 or len(keys) == len(articles), len(keys)
    assert keys == [a.id for a in articles[: len(keys)]]
    docs = storage.get(keys)
    assert set(docs) == set(keys)
    for doc in docs.values():
        assert doc.shingles is not None
        assert doc.length is not None
        if not doc.empty:
            assert doc.key in storage.members(doc.band_keys[None, :])[0]
    return -(-len(keys) // crash_writer.BATCH)


def _url(storage: Storage, request: pytest.FixtureRequest) -> str:
    if isinstance(storage, SQLiteStorage):
        return f"sqlite:{storage.path}"
    assert isinstance(storage, RedisStorage)
    return f"{request.getfixturevalue('redis_url')}?prefix={storage.prefix}"


@pytest.fixture(params=["sqlite", "redis"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Storage, str]]:
    from tests.dedup.backends import make_storage

    storage = make_storage(request.param, request, tmp_path)
    yield storage, _url(storage, request)
    storage.close()


def _finish_and_compare(
    storage: Storage, url: str, articles: list[Article], clusterer: NearDuplicateClusterer
) -> None:
    rerun = _start(url)
    out, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out
    assert out.strip().endswith("done")
    assert _assert_consistent(storage, articles) * crash_writer.BATCH >= len(articles)
    assert LSHIndex.open(storage).groups() == clusterer.fit(articles).groups_


@pytest.mark.slow
def test_kill_in_the_middle_of_a_batch(shared: tuple[Storage, str]) -> None:
    storage, url = shared
    articles = crash_writer.corpus()
    assert len(articles) > 3 * crash_writer.BATCH
    clusterer = NearDuplicateClusterer()
    LSHIndex.from_clusterer(clusterer, storage=storage)
    writer = _start(url, "--pause-batch", "2")
    seen = _wait_for(writer, "paused")
    assert seen[-2:] == ["batch 2", "paused"]
    _kill(writer)
    assert _assert_consistent(storage, articles) == 2  # batch 2 left nothing behind
    _finish_and_compare(storage, url, articles, clusterer)


@pytest.mark.slow
def test_kill_at_an_arbitrary_moment(shared: tuple[Storage, str]) -> None:
    storage, url = shared
    articles = crash_writer.corpus()
    batches = -(-len(articles) // crash_writer.BATCH)
    assert batches >= 3
    clusterer = NearDuplicateClusterer()
    LSHIndex.from_clusterer(clusterer, storage=storage)
    writer = _start(url, "--forever")
    _wait_for(writer, "batch 0")
    started = time.monotonic()
    _wait_for(writer, "batch 1")
    one_batch = time.monotonic() - started
    # any moment from here to about the end of the first pass; the writer keeps running after
    delay = random.uniform(0.0, (batches - 1) * one_batch)
    time.sleep(delay)
    assert writer.poll() is None, f"the writer stopped by itself (killed after {delay:.3f} s)"
    _kill(writer)
    _assert_consistent(storage, articles)
    _finish_and_compare(storage, url, articles, clusterer)
