"""Child process of ``test_crash.py``: adds a planted corpus to an index, batch by batch.

Usage: ``python crash_writer.py URL [--pause-batch K --pause-after N | --forever]``. Prints
``batch I`` before each batch and ``done`` at the end. With ``--forever`` it never ends: after
the last batch it prints ``round R`` and adds the same batches again (adding is idempotent), so
a kill at any moment finds it running. With ``--pause-batch``, batch ``K`` stops half-way
through its write and waits to be killed, after printing ``paused``:

- SQLite: after ``N`` documents of the batch were written inside its transaction;
- Redis: after half of the bytes of the batch's command (``EVALSHA`` of the write script) were
  sent to the server.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.strategies import planted_corpus

from storymatch.dedup import LSHIndex
from storymatch.dedup.storage import SQLiteStorage, open_storage
from storymatch.models import Article

SEED = 31
N_ORIGINALS = 250
BATCH = 200


def corpus() -> list[Article]:
    """The articles every run adds, in order."""
    return [Article(id=d.id, text=d.text) for d in planted_corpus(SEED, n_originals=N_ORIGINALS)]


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _pause() -> None:
    _say("paused")
    time.sleep(600)


def _hook_sqlite(after: int, state: dict[str, int]) -> None:
    original = SQLiteStorage._write_doc

    def write_doc(self: SQLiteStorage, db: Any, doc: Any) -> Any:
        stored = original(self, db, doc)
        if state["batch"] == state["pause"]:
            state["written"] += 1
            if state["written"] >= after:
                _pause()
        return stored

    SQLiteStorage._write_doc = write_doc  # type: ignore[method-assign]


def _hook_redis(state: dict[str, int]) -> None:
    from redis.connection import AbstractConnection

    original: Any = AbstractConnection.send_packed_command

    def send(self: Any, command: Any, check_health: bool = True) -> Any:
        payload = command if isinstance(command, bytes | str) else b"".join(command)
        if (
            state["batch"] == state["pause"]
            and isinstance(payload, bytes)
            and b"EVALSHA" in payload[:32]
        ):
            self._sock.sendall(payload[: len(payload) // 2])
            _pause()
        return original(self, command, check_health)

    AbstractConnection.send_packed_command = send  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--pause-batch", type=int, default=-1)
    parser.add_argument("--pause-after", type=int, default=BATCH // 2)
    parser.add_argument("--forever", action="store_true")
    args = parser.parse_args()
    state = {"batch": -1, "pause": args.pause_batch, "written": 0}
    if args.pause_batch >= 0:
        if args.url.startswith("sqlite:"):
            _hook_sqlite(args.pause_after, state)
        else:
            _hook_redis(state)
    articles = corpus()
    with open_storage(args.url) as storage:
        index = LSHIndex.open(storage)
        rounds = itertools.count() if args.forever else range(1)
        for round_ in rounds:
            if round_:
                _say(f"round {round_}")
            for number, start in enumerate(range(0, len(articles), BATCH)):
                state["batch"] = number
                _say(f"batch {number}")
                index.add_articles(articles[start : start + BATCH], batch_size=BATCH)
    _say("done")


if __name__ == "__main__":
    main()
