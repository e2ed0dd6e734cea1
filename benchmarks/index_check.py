"""Time of ``SQLiteStorage.check()`` as the index grows (it used to be quadratic).

Run from the repository root::

    python -m benchmarks.index_check [--sizes 10000,100000] [--bands 64] [--out DIR]

For each size an SQLite index in a temporary folder gets that many synthetic documents
(seeded random band keys and signatures of the default settings, 64 bands of 2 rows and 128
values, no shingle fingerprints: ``check`` does not read them), written by ``put`` in batches
of 1,000 (not timed); then ``check()`` runs once and its wall time is reported, with the
time per document. Before issue 15 ``check`` counted each document's buckets with its own scan
of the bucket table (4,000 documents took 33 s, 15,000 over 5 minutes); it now reads each
table once. Results go to ``<out>/<YYYY-MM-DD>/index_check.{json,md}``; the table is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from storymatch.dedup.storage import SQLiteStorage, StoredDocument

ROOT = Path(__file__).resolve().parents[1]
_BATCH = 1000


def _fill(storage: SQLiteStorage, n_docs: int, bands: int, num_perm: int) -> None:
    rng = np.random.default_rng(15)
    for start in range(0, n_docs, _BATCH):
        size = min(_BATCH, n_docs - start)
        keys = rng.integers(0, 2**63, size=(size, bands), dtype=np.uint64)
        sigs = rng.integers(0, 2**63, size=(size, num_perm), dtype=np.uint64)
        storage.put(
            [
                StoredDocument(key=f"d{start + i:07d}", band_keys=keys[i], signature=sigs[i])
                for i in range(size)
            ]
        )


def measure(n_docs: int, *, bands: int = 64, num_perm: int = 128) -> dict[str, Any]:
    """Fill an index with ``n_docs`` documents and time one ``check()``."""
    with (
        tempfile.TemporaryDirectory() as folder,
        SQLiteStorage(Path(folder) / "index.sqlite") as storage,
    ):
        started = time.perf_counter()
        _fill(storage, n_docs, bands, num_perm)
        filled = time.perf_counter() - started
        started = time.perf_counter()
        problems = storage.check()
        seconds = time.perf_counter() - started
    if problems:
        msg = f"check() found problems in a fresh index: {problems[:3]}"
        raise RuntimeError(msg)
    return {
        "n_docs": n_docs,
        "bucket_entries": n_docs * bands,
        "fill_seconds": round(filled, 2),
        "check_seconds": round(seconds, 3),
        "check_us_per_doc": round(seconds / n_docs * 1e6, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated index sizes")
    parser.add_argument("--bands", type=int, default=64)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    rows = [measure(n, bands=args.bands) for n in sizes]
    machine = f"{platform.node()} ({platform.machine()}, {platform.processor() or 'cpu'})"
    lines = [
        "| documents | bucket entries | fill (s) | check (s) | check per document (us) |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {r['n_docs']:,} | {r['bucket_entries']:,} | {r['fill_seconds']} | "
            f"{r['check_seconds']} | {r['check_us_per_doc']} |"
            for r in rows
        ),
    ]
    table = "\n".join(lines)
    print(table)
    today = dt.date.today().isoformat()
    folder = args.out / today
    folder.mkdir(parents=True, exist_ok=True)
    record = {"date": today, "machine": machine, "python": platform.python_version(), "rows": rows}
    (folder / "index_check.json").write_text(json.dumps(record, indent=2) + "\n")
    (folder / "index_check.md").write_text(f"{today}, {machine}\n\n{table}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
