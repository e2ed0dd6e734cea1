"""Does the compiled shingling kernel earn its place? The same work in vectorised numpy.

Run::

    python -m benchmarks.kernel_vs_numpy [--data ../shared/data] [--docs 20000]

Both sides take the same lower-cased ASCII texts and produce, per document, the sorted distinct
hashes of its word 5-grams: storymatch's numba kernel (:func:`storymatch.text.shingles.
shingle_batch`) and a numpy implementation written the way one would without a compiler —
one pass over the bytes of the whole batch to find token boundaries, token hashes from prefix
sums of a polynomial hash, n-gram hashes from shifted token arrays, one global sort of
``document << 40 | hash`` keys. The numpy version ignores storymatch's line rule (n-grams do not
cross line breaks) and hashes differently, so only the time and the shingle counts are compared.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.corpus import build_corpus
from benchmarks.timing import best_time
from storymatch.text.shingles import shingle_batch

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_MASK40 = np.uint64((1 << 40) - 1)


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def numpy_shingles(texts: Sequence[str], size: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Word n-gram hashes per document, vectorised with numpy; returns (offsets, values)."""
    data = np.frombuffer("\n".join(texts).encode("ascii", "replace"), dtype=np.uint8)
    word = np.zeros(256, dtype=bool)
    word[ord("0") : ord("9") + 1] = True
    word[ord("a") : ord("z") + 1] = True
    is_word = word[data]
    edges = np.diff(is_word.view(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    # polynomial hash of each token from prefix sums: sum b[k] * R**(k - start)
    base = np.uint64(0x100000001B3)
    powers = np.empty(data.shape[0] + 1, dtype=np.uint64)
    powers[0] = 1
    powers[1:] = base
    powers = np.cumprod(powers)
    inverse = np.uint64(pow(int(base), -1, 2**64))
    inv_powers = np.empty(data.shape[0] + 1, dtype=np.uint64)
    inv_powers[0] = 1
    inv_powers[1:] = inverse
    inv_powers = np.cumprod(inv_powers)
    prefix = np.zeros(data.shape[0] + 1, dtype=np.uint64)
    np.cumsum(data.astype(np.uint64) * powers[:-1], out=prefix[1:])
    tokens = _mix((prefix[ends] - prefix[starts]) * inv_powers[starts])
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    doc_start = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    doc = np.searchsorted(doc_start, starts, side="right") - 1
    n = tokens.shape[0] - size + 1
    grams = tokens[:n].copy()
    for k in range(1, size):
        grams = grams * np.uint64(0x9E3779B97F4A7C15) + tokens[k : n + k]
    valid = doc[:n] == doc[size - 1 :]
    keys = (doc[:n][valid].astype(np.uint64) << np.uint64(40)) | (_mix(grams[valid]) & _MASK40)
    keys.sort()
    keep = np.empty(keys.shape[0], dtype=bool)
    keep[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    keys = keys[keep]
    counts = np.bincount((keys >> np.uint64(40)).astype(np.int64), minlength=len(texts))
    offsets = np.concatenate(([0], np.cumsum(counts)))
    return offsets, keys & _MASK40


def main(argv: Sequence[str] | None = None) -> int:
    """Time both implementations on the same texts."""
    parser = argparse.ArgumentParser(description="numba kernel vs numpy shingling")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--docs", type=int, default=20000)
    args = parser.parse_args(argv)
    articles, _ = build_corpus(args.docs, data_dir=args.data, seed=0)
    texts = [a.text.lower().encode("ascii", "replace").decode() for a in articles]
    shingle_batch(texts[:10])  # load the compiled kernel before timing
    numpy_shingles(texts[:10])
    timings = {}
    for name, run in (
        ("numba kernel (storymatch)", lambda: shingle_batch(texts, seed=0, ocr_fold=False).sizes),
        ("vectorised numpy", lambda: np.diff(numpy_shingles(texts)[0])),
    ):
        best, sizes = best_time(run, 3)
        timings[name] = (best, int(sizes.sum()))
    kernel = timings["numba kernel (storymatch)"][0]
    print(f"{len(texts):,} documents (best of 3)")
    print("| implementation | seconds | docs/s | shingles | relative time |")
    print("|---|---:|---:|---:|---:|")
    for name, (seconds, count) in timings.items():
        print(
            f"| {name} | {seconds:.2f} | {len(texts) / seconds:,.0f} | {count:,} | "
            f"{seconds / kernel:.1f}x |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
