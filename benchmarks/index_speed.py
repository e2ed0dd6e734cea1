"""Throughput of the persistent near-duplicate index on each backend, against datasketch.

Run from the repository root::

    python -m benchmarks.index_speed [--data ../shared/data] [--n-docs 20000]
        [--queries 2000] [--batch-size 1000] [--redis redis://HOST:PORT/DB] [--out DIR]

A corpus of ``--n-docs`` documents is built with :func:`benchmarks.corpus.build_corpus` and
hashed once, with the settings of ``NearDuplicateClusterer()`` (word 5-grams, 128 values,
64 bands of 2 rows); every contender gets the same signatures (not timed). Then, for each
backend of :class:`storymatch.dedup.LSHIndex` (memory, SQLite in a temporary folder, Redis):

``add``
    ``insert_many`` in batches of ``--batch-size`` (one transaction each), with the shingle
    fingerprints, text lengths and dates.
``re-add``
    The same batches again: the idempotent add a writer runs after a crash (reads, compares,
    writes nothing).
``query (batch)``
    ``query_many`` over ``--queries`` documents of the corpus in batches of ``--batch-size``:
    candidates, then exact verification against the stored fingerprints.
``query (one)``
    ``query`` one document per call (a request-per-article service), over a quarter of them.
``groups``
    ``groups()`` over the whole index, once.

The anchor is datasketch's ``MinHashLSH`` with ``params=(64, 2)`` and
``storage_config={"type": "redis", ...}`` on the same Redis server, fed the same signatures
through :meth:`storymatch.dedup.Signatures.to_datasketch` (conversion not timed): inserts in
one ``insertion_session()``, queries one ``query(minhash)`` per document (datasketch has no
per-document batched query), candidates only, without verification. datasketch in memory is
listed for reference. Ratios divide by the anchor's documents per second.

Without ``--redis`` a private ``redis-server`` (Debian's package) is started on a free
loopback port without persistence, and stopped at the end; the database is flushed before each
contender. Results go to ``<out>/<YYYY-MM-DD>/index_speed.{json,md}``; the table is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import platform
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from benchmarks.corpus import build_corpus, fingerprint
from benchmarks.results import cpu_model, package_versions, usable_cores, write_results
from benchmarks.timing import timed
from storymatch.dedup import (
    LSHIndex,
    MemoryStorage,
    NearDuplicateClusterer,
    RedisStorage,
    Signatures,
    SQLiteStorage,
    Storage,
)
from storymatch.models import Article
from storymatch.text.shingles import ShingleSets

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "benchmarks" / "results"
ANCHOR = "datasketch MinHashLSH (Redis)"


# ---------------------------------------------------------------------------------- helpers
def _versions() -> dict[str, str | None]:
    out = package_versions(
        ("storymatch", "numpy", "numba", "datasketch", "redis"), missing="not installed"
    )
    server = shutil.which("redis-server")
    if server:
        done = subprocess.run([server, "--version"], capture_output=True, text=True, check=False)
        out["redis-server"] = done.stdout.split()[2].removeprefix("v=") if done.stdout else "?"
    out["sqlite"] = sqlite3.sqlite_version
    return out


def _machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "usable_cores": usable_cores(),
        "python": platform.python_version(),
        **_versions(),
    }


@contextlib.contextmanager
def _redis_server(url: str | None) -> Iterator[str]:
    """Yield the URL of a Redis server: the one given, or a private one started here."""
    if url is not None:
        yield url
        return
    exe = shutil.which("redis-server")
    if exe is None:
        msg = "redis-server is not installed: apt-get install redis-server, or pass --redis URL"
        raise SystemExit(msg)
    import redis

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="index-bench-redis-")
    args = [exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(
        [*args, "--dir", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            msg = "the private redis-server did not start"
            raise SystemExit(msg)
        yield url
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def _flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


def _rows(sigs: Signatures, start: int, stop: int) -> Signatures:
    return Signatures(sigs.values[start:stop], sigs.num_perm, sigs.seed, sigs.shingling)


def _set_rows(sets: ShingleSets, start: int, stop: int) -> ShingleSets:
    offsets = sets.offsets[start : stop + 1]
    return ShingleSets(offsets - offsets[0], sets.values[offsets[0] : offsets[-1]])


def _take(
    sigs: Signatures, sets: ShingleSets, rows: Sequence[int]
) -> tuple[Signatures, ShingleSets]:
    parts = [_set_rows(sets, r, r + 1) for r in rows]
    values = sigs.values[list(rows)]
    return Signatures(values, sigs.num_perm, sigs.seed, sigs.shingling), ShingleSets.concat(parts)


# ---------------------------------------------------------------------------------- contenders
def _storymatch(
    name: str,
    storage: Storage,
    clusterer: NearDuplicateClusterer,
    articles: Sequence[Article],
    sigs: Signatures,
    sets: ShingleSets,
    queries: Sequence[int],
    batch: int,
) -> dict[str, Any]:
    n = len(articles)
    index = LSHIndex.from_clusterer(clusterer, storage=storage)
    keys = [a.id for a in articles]
    lengths = [len(a.text) for a in articles]
    dates = [a.date for a in articles]

    def add() -> None:
        for start in range(0, n, batch):
            stop = min(start + batch, n)
            index.insert_many(
                keys[start:stop],
                _rows(sigs, start, stop),
                _set_rows(sets, start, stop),
                lengths=lengths[start:stop],
                dates=dates[start:stop],
            )

    add_s, _ = timed(add)
    readd_s, _ = timed(add)
    qsigs, qsets = _take(sigs, sets, queries)

    def query_batches() -> list[list[Any]]:
        out = []
        for start in range(0, len(queries), batch):
            stop = min(start + batch, len(queries))
            out += index.query_many(_rows(qsigs, start, stop), _set_rows(qsets, start, stop))
        return out

    query_s, matches = timed(query_batches)
    singles = queries[: max(1, len(queries) // 4)]
    one_s, _ = timed(lambda: [index.query(qsigs, i, qsets) for i in range(len(singles))])
    groups_s, groups = timed(index.groups)
    candidates = [index.candidates(qsigs, i) for i in range(len(singles))]
    print(f"  {name}: add {add_s:.2f} s, query {query_s:.2f} s", file=sys.stderr)
    return {
        "name": name,
        "add_s": add_s,
        "add_docs_per_s": n / add_s,
        "readd_s": readd_s,
        "readd_docs_per_s": n / readd_s,
        "query_s": query_s,
        "query_docs_per_s": len(queries) / query_s,
        "query_one_s": one_s,
        "query_one_docs_per_s": len(singles) / one_s,
        "groups_s": groups_s,
        "n_groups": len(groups),
        "n_multi_groups": sum(len(g) > 1 for g in groups),
        "mean_matches": float(np.mean([len(m) for m in matches])),
        "_candidates": candidates,
        "_matches": [[(m.id, m.jaccard) for m in row] for row in matches],
    }


def _datasketch(
    name: str,
    storage_config: dict[str, Any] | None,
    articles: Sequence[Article],
    sigs: Signatures,
    queries: Sequence[int],
    bands: int,
    rows: int,
) -> dict[str, Any]:
    from datasketch import MinHashLSH

    convert_s, minhashes = timed(lambda: [sigs.to_datasketch(i) for i in range(len(sigs))])
    lsh = MinHashLSH(num_perm=sigs.num_perm, params=(bands, rows), storage_config=storage_config)
    keys = [a.id for a in articles]

    def add() -> None:
        with lsh.insertion_session() as session:
            for key, minhash in zip(keys, minhashes, strict=True):
                session.insert(key, minhash)

    add_s, _ = timed(add)
    query_s, found = timed(lambda: [set(lsh.query(minhashes[q])) for q in queries])
    print(f"  {name}: add {add_s:.2f} s, query {query_s:.2f} s", file=sys.stderr)
    return {
        "name": name,
        "convert_s": convert_s,
        "add_s": add_s,
        "add_docs_per_s": len(keys) / add_s,
        "query_s": query_s,
        "query_docs_per_s": len(queries) / query_s,
        "_candidates": found,
    }


# ---------------------------------------------------------------------------------- report
def _ratio(value: float | None, anchor: float | None) -> str:
    if value is None or not anchor:
        return "—"
    return f"{value / anchor:.1f}x"


def to_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    s = report["settings"]
    anchor = next(r for r in report["results"] if r["name"] == ANCHOR)
    lines = [
        f"## Persistent index throughput ({report['date']})",
        "",
        f"Machine: {m['cpu']}, {m['usable_cores']} usable cores, {m['platform']}; Python "
        f"{m['python']}, storymatch {m['storymatch']}, datasketch {m['datasketch']}, redis-py "
        f"{m['redis']}, redis-server {m.get('redis-server', '?')} (loopback, no persistence), "
        f"SQLite {m['sqlite']}.",
        "",
        f"Corpus: `build_corpus({s['n_docs']}, seed={s['seed']})`, fingerprint "
        f"`{report['fingerprint'][:16]}`, hashed once with `NearDuplicateClusterer()` settings "
        f"({s['bands']} bands x {s['rows']} rows); add in batches of {s['batch_size']:,}, "
        f"queries over {s['queries']:,} documents of the corpus. Documents per second; "
        "ratios against the anchor, datasketch `MinHashLSH` on the same Redis.",
        "",
        "| contender | add (docs/s) | vs anchor | re-add (docs/s) | query, batches (docs/s) "
        "| vs anchor | query, one per call (docs/s) | vs anchor | groups() (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        one = r.get("query_one_docs_per_s")
        readd = r.get("readd_docs_per_s")
        groups = r.get("groups_s")
        lines.append(
            f"| {r['name']} | {r['add_docs_per_s']:,.0f} "
            f"| {_ratio(r['add_docs_per_s'], anchor['add_docs_per_s'])} "
            f"| {'—' if readd is None else format(readd, ',.0f')} "
            f"| {r['query_docs_per_s']:,.0f} "
            f"| {_ratio(r['query_docs_per_s'], anchor['query_docs_per_s'])} "
            f"| {'—' if one is None else format(one, ',.0f')} "
            f"| {_ratio(one, anchor['query_docs_per_s'])} "
            f"| {'—' if groups is None else format(groups, '.2f')} |"
        )
    lines += [
        "",
        "storymatch's queries include reading the candidates' fingerprints and exact "
        "verification; datasketch's return unverified candidates and it has no batched "
        "per-document query, so its one query per call is the anchor for both query columns. "
        f"Candidate sets agree with datasketch's on the sampled queries: "
        f"{report['candidates_agree']}. Matches identical on every backend: "
        f"{report['matches_agree']}. Converting the signatures to datasketch `MinHash` "
        f"objects took {anchor['convert_s']:.2f} s (not timed above).",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write its report; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--n-docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--batch-size", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--redis", default=None, help="a Redis URL (default: a private server)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    articles, _ = build_corpus(args.n_docs, data_dir=args.data, seed=args.seed)
    print(
        f"corpus of {len(articles):,} built in {time.perf_counter() - start:.1f} s", file=sys.stderr
    )
    clusterer = NearDuplicateClusterer()
    hashing = LSHIndex.from_clusterer(clusterer)
    parts = [hashing.hash_articles(articles[i : i + 4096]) for i in range(0, len(articles), 4096)]
    sigs = parts[0][0]
    for part, _ in parts[1:]:
        sigs = sigs.concat(part)
    sets = ShingleSets.concat([p for _, p in parts])
    queries = sorted(random.Random(args.seed).sample(range(len(articles)), args.queries))
    bands, rows = hashing.bands, hashing.rows

    results: list[dict[str, Any]] = []
    common = (clusterer, articles, sigs, sets, queries, args.batch_size)
    with _redis_server(args.redis) as url, tempfile.TemporaryDirectory() as tmp:
        results.append(_storymatch("storymatch memory", MemoryStorage(), *common))
        with SQLiteStorage(Path(tmp) / "index.sqlite") as sqlite:
            results.append(_storymatch("storymatch SQLite", sqlite, *common))
        _flush(url)
        with RedisStorage(url, prefix="bench") as redis_storage:
            results.append(_storymatch("storymatch Redis", redis_storage, *common))
        _flush(url)
        parts_url = urlsplit(url)
        config = {
            "type": "redis",
            "basename": b"bench",
            "redis": {
                "host": parts_url.hostname,
                "port": parts_url.port,
                "db": int(parts_url.path.strip("/") or 0),
            },
        }
        results.append(_datasketch(ANCHOR, config, articles, sigs, queries, bands, rows))
        _flush(url)
        results.append(
            _datasketch(
                "datasketch MinHashLSH (memory)", None, articles, sigs, queries, bands, rows
            )
        )

    ours = [r for r in results if r["name"].startswith("storymatch")]
    anchor = next(r for r in results if r["name"] == ANCHOR)
    n_singles = len(ours[0]["_candidates"])
    candidates_agree = all(r["_candidates"] == anchor["_candidates"][:n_singles] for r in ours)
    matches_agree = all(r["_matches"] == ours[0]["_matches"] for r in ours)
    for r in results:
        r.pop("_candidates", None)
        r.pop("_matches", None)
    report = {
        "date": dt.date.today().isoformat(),
        "machine": _machine(),
        "fingerprint": fingerprint(articles),
        "settings": {
            "n_docs": len(articles),
            "seed": args.seed,
            "queries": len(queries),
            "batch_size": args.batch_size,
            "bands": bands,
            "rows": rows,
            "redis": "given" if args.redis else "private loopback server",
        },
        "candidates_agree": candidates_agree,
        "matches_agree": matches_agree,
        "results": results,
    }
    markdown = to_markdown(report)
    write_results(args.out, str(report["date"]), "index_speed", report, markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
