"""Fixtures of the persistent index tests: a real Redis server and every storage backend.

``redis_url`` starts Debian's ``redis-server`` on 127.0.0.1 at a free port, without
persistence, for the whole session, and stops it afterwards. Without ``redis-server`` (or the
``redis`` client) the Redis tests skip, saying why, unless ``STORYMATCH_REQUIRE_REDIS`` is set
(``.ci/run`` sets it): then they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dedup.backends import BACKENDS, make_storage

from storymatch.dedup.storage import RedisStorage, Storage


def _unavailable(reason: str) -> None:
    if os.environ.get("STORYMATCH_REQUIRE_REDIS"):
        pytest.fail(f"{reason}, and STORYMATCH_REQUIRE_REDIS is set")
    pytest.skip(
        f"{reason}: the Redis tests need it (apt-get install redis-server; pip install redis)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(exe: str, folder: Path) -> tuple[subprocess.Popen[bytes], str] | None:
    import redis

    port = _free_port()
    log = folder / f"redis-{port}.log"
    proc = subprocess.Popen(
        [
            exe,
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--save", "",
            "--appendonly", "no",
            "--dir", str(folder),
            "--logfile", str(log),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 10.0
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:  # exited: most likely the port was taken meanwhile
                return None
            try:
                client.ping()
            except redis.ConnectionError:
                time.sleep(0.05)
                continue
            return proc, url
    finally:
        client.close()
    proc.kill()
    proc.wait()
    return None


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a private Redis server for this test session."""
    exe = shutil.which("redis-server")
    if exe is None:
        _unavailable("redis-server is not installed")
    try:
        import redis  # noqa: F401
    except ImportError:
        _unavailable("the redis client package is not installed")
    folder = tmp_path_factory.mktemp("redis")
    for _attempt in range(5):
        started = _start(str(exe), folder)
        if started is not None:
            break
    else:
        _unavailable("redis-server could not be started")
        return  # pragma: no cover - _unavailable raises
    proc, url = started
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
            proc.wait()


@pytest.fixture
def redis_storage(redis_url: str) -> Iterator[RedisStorage]:
    """A RedisStorage under a fresh prefix, emptied afterwards."""
    storage = RedisStorage(redis_url, prefix=f"test-{uuid.uuid4().hex[:12]}")
    try:
        yield storage
    finally:
        client = storage._r
        names = list(client.scan_iter(match=f"{{{storage.prefix}}}:*", count=1000))
        if names:
            client.delete(*names)
        storage.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The name of each backend in turn."""
    return str(request.param)


@pytest.fixture
def storage(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """A fresh backend of each kind in turn (Redis under a fresh prefix)."""
    store = make_storage(backend, request, tmp_path)
    try:
        yield store
    finally:
        if isinstance(store, RedisStorage):
            client = store._r
            names = list(client.scan_iter(match=f"{{{store.prefix}}}:*", count=1000))
            if names:
                client.delete(*names)
        store.close()
