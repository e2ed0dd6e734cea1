"""Compiled kernels (numba) for the hot loops of near-duplicate detection and event grouping.

Private: the public functions in :mod:`storymatch.text.shingles`, :mod:`storymatch.dedup.minhash`,
:mod:`storymatch.dedup.lsh` and :mod:`storymatch.dedup.cluster` validate their arguments and call
these. Every kernel works on plain numpy arrays, is deterministic (parallel loops write disjoint
slices) and is cached on disk after its first compilation.

Hashing is 64-bit FNV-1a over code points for tokens, combined into n-gram hashes and finished
with the splitmix64 mixer; all arithmetic wraps modulo 2**64, so results do not depend on the
machine, the thread count or ``PYTHONHASHSEED``.

One file on purpose, though it serves several subjects (shingles, MinHash and LSH,
verification, event term counts, neighbours, linkage, word diffs; the ``# ---`` rulers mark
them): numba's on-disk cache is invalidated only when the file that defines a kernel changes,
and a compiled kernel holds the helpers and constants it calls (``mix64``, the FNV constants,
the tables) inlined. Split over several files, an edit of a shared helper would leave the
kernels of the other files loading stale machine code from the cache (numba's documented
caching limitation: invalidation does not see changes to symbols defined in another file). A
split was made and measured bit-identical on 2026-12-06, and not kept for this reason.
"""

from __future__ import annotations

import heapq
import importlib
import logging
import sys
from collections.abc import Callable
from importlib.resources import files
from typing import Any, TypeVar, cast

import numba as nb
import numpy as np
from numba.core import event as nb_event

from storymatch.text.lexicon import MONTH_NAMES, NAME_JOINERS

logger = logging.getLogger(__name__)

_BLAS_PROBE = "scipy.linalg.cython_blas"


def _load_numba_arrays_without_blas() -> None:
    """Import numba's array implementations without letting them import scipy's BLAS.

    The first call of any compiled function, even one loaded from the on-disk cache, loads
    numba's implementations of numpy functions (``numba.np.arraymath``), and that module probes
    for a BLAS by importing ``scipy.linalg``: about 0.3 s of CPU, a tenth of ``storymatch
    dedup`` at 50,000 documents. These kernels use no BLAS. With the probe answered "not
    installed", numba's ``np.correlate``/``np.convolve`` on floats use a plain loop instead of
    BLAS in this process; every other numba function is unaffected, and nothing changes when
    scipy's BLAS or numba's array module is loaded already.
    """
    if _BLAS_PROBE in sys.modules or "numba.np.arraymath" in sys.modules:
        return
    sys.modules[_BLAS_PROBE] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        importlib.import_module("numba.np.arraymath")
    finally:
        del sys.modules[_BLAS_PROBE]


_load_numba_arrays_without_blas()

_F = TypeVar("_F", bound=Callable[..., Any])

COMPILING_MESSAGE = (
    "compiling the kernels, first run only (about 10 s; later runs load them from the cache)"
)
"""Logged at INFO, once per process, when a kernel is compiled rather than loaded."""


class _CompileNotice(nb_event.Listener):
    """Log :data:`COMPILING_MESSAGE` when numba starts compiling one of these kernels.

    numba raises its ``numba:compile`` event only on a cache miss (an empty or stale cache:
    the first run, or the first after an upgrade); a run that loads every kernel from the
    cache never calls this, so the notice costs nothing on a warm start.
    """

    def __init__(self) -> None:
        self.told = False

    def on_start(self, event: Any) -> None:
        dispatcher = event.data.get("dispatcher") if isinstance(event.data, dict) else None
        module = getattr(getattr(dispatcher, "py_func", None), "__module__", None)
        if not self.told and module == __name__:
            self.told = True
            logger.info(COMPILING_MESSAGE)

    def on_end(self, event: Any) -> None:
        """Nothing to do when a compilation ends."""


nb_event.register("numba:compile", _CompileNotice())  # type: ignore[no-untyped-call]


def _jit(fn: _F) -> _F:
    """Compile with numba (cached on disk, releases the GIL)."""
    return cast("_F", nb.njit(cache=True, nogil=True)(fn))


def _pjit(fn: _F) -> _F:
    """Compile with numba, running ``prange`` loops on all cores."""
    return cast("_F", nb.njit(cache=True, nogil=True, parallel=True)(fn))


_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S32 = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)
EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)
"""Signature value of a bin that no shingle fell into (only seen for empty documents)."""


@_jit
def mix64(x: Any) -> Any:
    """Splitmix64 finaliser: a bijective, well-avalanching mix of a 64-bit integer."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


# ---------------------------------------------------------------------------- shingles

_WORD_TABLE_SIZE = 0x40000


def _word_table() -> np.ndarray[Any, Any]:
    """Which code points are part of a word: Unicode letters, marks and numbers (L*, M*, N*).

    Covers the Basic Multilingual Plane and the supplementary ideographic planes; code points
    above them (tags, private use) are separators. The table ships with the package (made by
    ``tools/make_word_table.py`` from Unicode 14.0), so tokens, and so hashes, are the same
    whichever Python, and Unicode database, runs the code.
    """
    packed = (files("storymatch") / "_data" / "word_chars.bin").read_bytes()
    table = np.unpackbits(np.frombuffer(packed, dtype=np.uint8))[:_WORD_TABLE_SIZE]
    return table.astype(np.bool_)


_WORD = _word_table()


OCR_LOOKALIKES: tuple[tuple[str, str], ...] = (
    ("0", "o"),
    ("1", "l"),
    ("i", "l"),
    ("c", "e"),
    ("b", "h"),
)
"""Characters OCR confuses most often in news copies (measured on shared/data/syndication), as
(misread, folded) pairs: folding them makes a misread letter invisible (word shingles with
``ocr_fold``, and the copies' comparison keys)."""


def _latin1_tables() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Return what the tokeniser hashes for each code point below 256, without and with OCR.

    ASCII letters are lower-cased (and, with OCR folding, the look-alikes folded); other word
    characters stand for themselves; 0 marks a character that is not part of a word.
    """
    lower = np.arange(256, dtype=np.uint64)
    lower[65:91] += np.uint64(32)
    ocr = lower.copy()
    for src, dst in OCR_LOOKALIKES:
        ocr[ord(src)] = ord(dst)
        ocr[ord(src.upper())] = ord(dst)
    is_word = _WORD[:256]
    lower[~is_word] = 0
    ocr[~is_word] = 0
    return lower, ocr


_LATIN1_LOWER, _LATIN1_OCR = _latin1_tables()


@_jit
def _is_word(c: Any) -> Any:
    return c < _WORD_TABLE_SIZE and _WORD[c]


@_jit
def _is_line_break(c: Any) -> Any:
    # \n, \v, \f, \r, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR
    return (10 <= c <= 13) or c == 0x85 or c == 0x2028 or c == 0x2029


@_jit
def _lower(c: Any) -> Any:
    if 65 <= c <= 90:
        return c + 32
    return c


@_jit
def _doc_tokens(
    codes: Any,
    start: int,
    end: int,
    seed_basis: Any,
    ocr: bool,
    out_hash: Any,
    out_line: Any,
) -> int:
    r"""Hash the tokens of one document; return how many were written.

    A hyphen followed by a line break inside a word ("gov-\nernment") is a wrapped line,
    not two tokens: both characters are skipped.
    """
    n = 0
    line = 0
    in_tok = False
    h = seed_basis
    p = start
    while p < end:
        c = np.uint64(codes[p])
        p += 1
        # one table look-up below 256: the hashed value of a word character, 0 for the others
        if c < 256:
            m = _LATIN1_OCR[c] if ocr else _LATIN1_LOWER[c]
            word = m != 0
        else:
            m = c
            word = _is_word(c)
        if word:
            if not in_tok:
                in_tok = True
                h = seed_basis
            h = (h ^ m) * _FNV_PRIME
        elif c == 45 and in_tok and p + 1 < end and codes[p] == 10 and _is_word(codes[p + 1]):
            p += 1  # de-hyphenate a wrapped word
        else:
            if in_tok:
                out_hash[n] = mix64(h)
                out_line[n] = line
                n += 1
                in_tok = False
            if _is_line_break(c):
                line += 1
    if in_tok:
        out_hash[n] = mix64(h)
        out_line[n] = line
        n += 1
    return n


@_jit
def _window_hash(tokens: Any, i: int, size: int, seed_mix: Any) -> Any:
    # Token hashes are already mixed; a polynomial over them keeps the order and one final mix
    # spreads it (one multiply per token instead of a full mix).
    s = seed_mix
    for k in range(size):
        s = (s ^ tokens[i + k]) * _GOLDEN
    return mix64(s)


@_jit
def _doc_word_shingles(tok: Any, lines: Any, n_tok: int, size: int, seed_mix: Any, out: Any) -> int:
    """Write the word n-gram hashes of one document into ``out``; return the count."""
    m = 0
    # n-grams within lines
    i = 0
    while i < n_tok:
        j = i
        while j < n_tok and lines[j] == lines[i]:
            j += 1
        for w in range(i, j - size + 1):
            out[m] = _window_hash(tok, w, size, seed_mix)
            m += 1
        i = j
    if m == 0 and n_tok > 0:
        # all lines short: shingle across lines, or one shingle of everything
        if n_tok >= size:
            for w in range(n_tok - size + 1):
                out[m] = _window_hash(tok, w, size, seed_mix)
                m += 1
        else:
            out[m] = _window_hash(tok, 0, n_tok, seed_mix)
            m += 1
    return m


@_jit
def _insertion_sort(a: Any, lo: int, hi: int) -> None:
    for i in range(lo + 1, hi):
        v = a[i]
        j = i - 1
        while j >= lo and a[j] > v:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = v


_SMALL_SORT = 16
"""Up to this many values, an insertion sort; a bucket larger than twice this, numba's sort."""


@_jit
def _sort_unique(a: Any, scratch: Any) -> int:
    """Sort ``a`` in place and move its distinct values to the front; return their count.

    The values are hashes, spread evenly over 64 bits: they are first distributed into
    ``len(a) / 2`` to ``len(a)`` buckets by their top bits (a counting sort; ``scratch`` holds
    as many values as ``a``), then each bucket, of a value or two, is sorted by insertion:
    three times faster than a comparison sort on the few hundred shingles of an article. A
    bucket that is large all the same (crafted input) falls back to numba's sort.
    """
    n = a.shape[0]
    if n == 0:
        return 0
    if n <= _SMALL_SORT:
        _insertion_sort(a, 0, n)
    else:
        bits = 0
        while (2 << bits) <= n:
            bits += 1
        n_buckets = 1 << bits
        shift = np.uint64(64 - bits)
        ends = np.zeros(n_buckets, dtype=np.int64)
        for i in range(n):
            ends[a[i] >> shift] += 1
        total = 0
        for b in range(n_buckets):
            size = ends[b]
            ends[b] = total
            total += size
        for i in range(n):
            b = a[i] >> shift
            scratch[ends[b]] = a[i]
            ends[b] += 1
        lo = 0
        for b in range(n_buckets):
            hi = ends[b]
            if hi - lo > 2 * _SMALL_SORT:
                scratch[lo:hi].sort()
            else:
                _insertion_sort(scratch, lo, hi)
            lo = hi
        a[:] = scratch[:n]
    k = 1
    for t in range(1, n):
        if a[t] != a[k - 1]:
            a[k] = a[t]
            k += 1
    return k


@_pjit
def word_shingles(codes: Any, offsets: Any, size: int, seed: int, ocr: bool) -> Any:
    """Distinct, sorted word n-gram hashes of every document of a batch (CSR layout)."""
    n_docs = offsets.shape[0] - 1
    seed_basis = mix64(_FNV_OFFSET ^ np.uint64(seed))
    seed_mix = mix64(np.uint64(seed) + _GOLDEN)
    # Upper bound on tokens (and so on shingles) per document: one per two code points, plus one.
    bounds = np.empty(n_docs + 1, dtype=np.int64)
    bounds[0] = 0
    for d in range(n_docs):
        bounds[d + 1] = bounds[d] + (offsets[d + 1] - offsets[d]) // 2 + 1
    shingles = np.empty(bounds[n_docs], dtype=np.uint64)
    counts = np.zeros(n_docs, dtype=np.int64)
    for d in nb.prange(n_docs):
        lo = bounds[d]
        hi = bounds[d + 1]
        # a document's token buffers are its own, small and so in cache: buffers for the whole
        # batch cost more in page faults than the tokenising itself
        tok = np.empty(hi - lo, dtype=np.uint64)
        lines = np.empty(hi - lo, dtype=np.int32)
        n_tok = _doc_tokens(codes, offsets[d], offsets[d + 1], seed_basis, ocr, tok, lines)
        m = _doc_word_shingles(tok, lines, n_tok, size, seed_mix, shingles[lo:hi])
        counts[d] = _sort_unique(shingles[lo : lo + m], tok)
    return _compact(shingles, bounds, counts)


@_pjit
def char_shingles(codes: Any, offsets: Any, size: int, seed: int) -> Any:
    """Distinct, sorted character n-gram hashes (whitespace runs folded to one space)."""
    n_docs = offsets.shape[0] - 1
    seed_mix = mix64(np.uint64(seed) + _GOLDEN)
    bounds = np.empty(n_docs + 1, dtype=np.int64)
    bounds[0] = 0
    for d in range(n_docs):
        bounds[d + 1] = bounds[d] + (offsets[d + 1] - offsets[d]) + 1
    folded = np.empty(bounds[n_docs], dtype=np.uint64)
    shingles = np.empty(bounds[n_docs], dtype=np.uint64)
    counts = np.zeros(n_docs, dtype=np.int64)
    for d in nb.prange(n_docs):
        lo = bounds[d]
        n = 0
        prev_space = True
        for p in range(offsets[d], offsets[d + 1]):
            c = np.uint64(codes[p])
            if c == 32 or c == 10 or c == 9 or c == 13 or c == 11 or c == 12 or c == 0xA0:
                if prev_space:
                    continue
                c = np.uint64(32)
                prev_space = True
            else:
                prev_space = False
            folded[lo + n] = mix64(_FNV_OFFSET ^ (np.uint64(_lower(c)) * _FNV_PRIME))
            n += 1
        if n > 0 and folded[lo + n - 1] == mix64(_FNV_OFFSET ^ (np.uint64(32) * _FNV_PRIME)):
            n -= 1  # trailing space
        m = 0
        if n >= size:
            for w in range(n - size + 1):
                shingles[lo + m] = _window_hash(folded[lo:], w, size, seed_mix)
                m += 1
        elif n > 0:
            shingles[lo] = _window_hash(folded[lo:], 0, n, seed_mix)
            m = 1
        counts[d] = _sort_unique(shingles[lo : lo + m], folded[lo : lo + m])
    return _compact(shingles, bounds, counts)


@_pjit
def line_prefix_docs(codes: Any, offsets: Any, phrases: Any, phrase_offsets: Any) -> Any:
    r"""Which documents have a line that starts with one of ``phrases``.

    Lines end at ``\n``; spaces and tabs at the start of a line are skipped, and ASCII letters
    are compared without case. ``phrases`` holds the lower-case phrases one after another,
    phrase ``k`` being ``phrases[phrase_offsets[k]:phrase_offsets[k + 1]]``.
    """
    n_docs = offsets.shape[0] - 1
    n_phrases = phrase_offsets.shape[0] - 1
    out = np.zeros(n_docs, dtype=np.bool_)
    for d in nb.prange(n_docs):
        p = offsets[d]
        end = offsets[d + 1]
        while p < end and not out[d]:
            while p < end and (codes[p] == 32 or codes[p] == 9):
                p += 1
            for k in range(n_phrases):
                a = phrase_offsets[k]
                size = phrase_offsets[k + 1] - a
                if p + size > end:
                    continue
                t = 0
                while t < size and _lower(np.uint64(codes[p + t])) == phrases[a + t]:
                    t += 1
                if t == size:
                    out[d] = True
                    break
            while p < end and codes[p] != 10:
                p += 1
            p += 1
    return out


# ----------------------------------------------- MinHash, LSH buckets, verification, union-find


@_jit
def _compact(values: Any, bounds: Any, counts: Any) -> Any:
    n_docs = counts.shape[0]
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    for d in range(n_docs):
        offsets[d + 1] = offsets[d] + counts[d]
    out = np.empty(offsets[n_docs], dtype=np.uint64)
    for d in range(n_docs):
        out[offsets[d] : offsets[d + 1]] = values[bounds[d] : bounds[d] + counts[d]]
    return offsets, out


@_pjit
def oph_signatures(offsets: Any, values: Any, num_perm: int, seed: int) -> Any:
    """One-permutation MinHash with optimal densification (Shrivastava, ICML 2017).

    Each shingle hash falls into one of ``num_perm`` bins (from its high 32 bits) and the bin
    keeps the smallest low-32-bit value. An empty bin borrows the value of the first non-empty
    bin on its own seeded probe sequence, which keeps the collision probability of every bin
    equal to the Jaccard similarity. Documents without shingles get ``EMPTY`` everywhere.
    """
    n_docs = offsets.shape[0] - 1
    k = np.uint64(num_perm)
    sig = np.empty((n_docs, num_perm), dtype=np.uint64)
    probe_seed = mix64(np.uint64(seed) ^ np.uint64(0xD1B54A32D192ED03))
    for d in nb.prange(n_docs):
        row = sig[d]
        row[:] = EMPTY
        for t in range(offsets[d], offsets[d + 1]):
            h = values[t]
            b = ((h >> _S32) * k) >> _S32
            v = h & _LOW32
            row[b] = min(row[b], v)
        if offsets[d + 1] == offsets[d]:
            continue
        filled = row != EMPTY
        for j in range(num_perm):
            if filled[j]:
                continue
            attempt = np.uint64(1)
            while True:
                probe = mix64(probe_seed ^ ((np.uint64(j) << _S32) | attempt))
                src = ((probe >> _S32) * k) >> _S32
                if filled[src]:
                    # borrow only from bins a shingle filled, never from a borrowed one
                    row[j] = row[src]
                    break
                attempt += np.uint64(1)
    return sig


@_pjit
def band_keys(sig: Any, bands: int, rows: int, seed: int) -> Any:
    """Hash each band (``rows`` consecutive signature values) of every signature to 64 bits."""
    n = sig.shape[0]
    out = np.empty((n, bands), dtype=np.uint64)
    base = mix64(np.uint64(seed) ^ np.uint64(0x2545F4914F6CDD1D))
    for d in nb.prange(n):
        for b in range(bands):
            h = mix64(base + np.uint64(b))
            for r in range(rows):
                h = (h ^ sig[d, b * rows + r]) * _GOLDEN
            out[d, b] = mix64(h)
    return out


@_jit
def emit_bucket_pairs(order: Any, run_starts: Any, run_ends: Any, max_bucket: int) -> Any:
    """Pairs ``i << 32 | j`` (``i < j``) of the members of each bucket.

    ``order[run_starts[k]:run_ends[k]]`` are the members of bucket ``k``. Buckets larger than
    ``max_bucket`` contribute a star (every member paired with the smallest one) instead of all
    pairs, which keeps the count linear in the bucket size.
    """
    total = 0
    for k in range(run_starts.shape[0]):
        m = run_ends[k] - run_starts[k]
        total += m - 1 if m > max_bucket else m * (m - 1) // 2
    out = np.empty(total, dtype=np.uint64)
    pos = 0
    for k in range(run_starts.shape[0]):
        if run_ends[k] - run_starts[k] == 2:
            # most buckets hold two documents: one pair, without sorting a copy of them
            a = order[run_starts[k]]
            b = order[run_starts[k] + 1]
            if b < a:
                a, b = b, a
            out[pos] = (np.uint64(a) << _S32) | np.uint64(b)
            pos += 1
            continue
        members = np.sort(order[run_starts[k] : run_ends[k]])
        m = members.shape[0]
        if m > max_bucket:
            for t in range(1, m):
                out[pos] = (np.uint64(members[0]) << _S32) | np.uint64(members[t])
                pos += 1
        else:
            for a in range(m):
                for b in range(a + 1, m):
                    out[pos] = (np.uint64(members[a]) << _S32) | np.uint64(members[b])
                    pos += 1
    return out


@_pjit
def intersections(offsets: Any, values: Any, left: Any, right: Any) -> Any:
    """Exact size of ``set(left[p]) & set(right[p])`` for every pair ``p`` (sorted-merge).

    The merge has no branch but the loop's: which side moves on is added, not tested, so the
    processor does not mispredict a random comparison at every step (30% faster).
    """
    n = left.shape[0]
    out = np.empty(n, dtype=np.int64)
    for p in nb.prange(n):
        a0 = offsets[left[p]]
        a1 = offsets[left[p] + 1]
        b0 = offsets[right[p]]
        b1 = offsets[right[p] + 1]
        c = 0
        while a0 < a1 and b0 < b1:
            x = values[a0]
            y = values[b0]
            c += x == y
            a0 += x <= y
            b0 += y <= x
        out[p] = c
    return out


@_pjit
def intersections_until(offsets: Any, values: Any, left: Any, right: Any, needed: Any) -> Any:
    """Like :func:`intersections`, but a pair's merge stops once it cannot reach ``needed[p]``.

    The result is exact for every pair whose intersection reaches ``needed[p]`` and below
    ``needed[p]`` for every other one (most candidate pairs, which then cost a fraction of a
    merge).
    """
    n = left.shape[0]
    out = np.empty(n, dtype=np.int64)
    for p in nb.prange(n):
        a0 = offsets[left[p]]
        a1 = offsets[left[p] + 1]
        b0 = offsets[right[p]]
        b1 = offsets[right[p] + 1]
        need = needed[p]
        c = 0
        while a0 < a1 and b0 < b1 and c + min(a1 - a0, b1 - b0) >= need:
            x = values[a0]
            y = values[b0]
            c += x == y
            a0 += x <= y
            b0 += y <= x
        out[p] = c
    return out


@_jit
def union_find(n: int, left: Any, right: Any) -> Any:
    """Label the connected components of a graph on ``n`` nodes by their smallest node."""
    parent = np.arange(n, dtype=np.int64)
    for p in range(left.shape[0]):
        a = left[p]
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        b = right[p]
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        if a < b:
            parent[b] = a
        elif b < a:
            parent[a] = b
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        parent[i] = r
    return parent


# ---------------------------------------------------------------------------- event term counts


@_jit
def _longest_row(offsets: Any) -> Any:
    """Return the most entries of one row of ``offsets`` (CSR-style row starts and an end)."""
    longest = 0
    for r in range(offsets.shape[0] - 1):
        longest = max(longest, offsets[r + 1] - offsets[r])
    return longest


@_jit
def _grow(a: Any, size: int, fill: int) -> Any:
    """Return ``a`` copied into an array of ``size`` entries, the new ones set to ``fill``."""
    out = np.full(size, fill, dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


_RADIX_BITS = 11
"""Bits of a key sorted per pass of :func:`_radix_order` (2,048 buckets: they stay in cache)."""


@_jit
def _radix_order(keys: Any) -> Any:
    """Return the stable order that sorts non-negative ``keys`` (an LSD radix sort).

    A pass per ``_RADIX_BITS`` bits of the largest key, each a count and a scatter in key
    order: a few linear passes where a hash table of every distinct key misses the cache.
    """
    n = keys.shape[0]
    order = np.arange(n, dtype=np.int64)
    if n == 0:
        return order
    largest = keys.max()
    sorted_keys = keys.copy()
    other_keys = np.empty(n, dtype=np.int64)
    other = np.empty(n, dtype=np.int64)
    n_buckets = 1 << _RADIX_BITS
    mask = n_buckets - 1
    shift = 0
    while (largest >> shift) > 0:
        starts = np.zeros(n_buckets + 1, dtype=np.int64)
        for i in range(n):
            starts[((sorted_keys[i] >> shift) & mask) + 1] += 1
        for b in range(n_buckets):
            starts[b + 1] += starts[b]
        for i in range(n):
            b = (sorted_keys[i] >> shift) & mask
            other_keys[starts[b]] = sorted_keys[i]
            other[starts[b]] = order[i]
            starts[b] += 1
        sorted_keys, other_keys = other_keys, sorted_keys
        order, other = other, order
        shift += _RADIX_BITS
    return order


@_jit
def count_terms(units: Any, offsets: Any, n_skip: int, n_units: int, bigrams: bool) -> Any:
    """Count the terms of every document, numbering them in order of first sight.

    ``units`` holds every document's token numbers (``offsets`` delimit the documents);
    numbers below ``n_skip`` are dropped (stop words). A document's terms are its kept tokens
    and, with ``bigrams``, after them every two neighbouring kept tokens ``(a, b)`` (term key
    ``n_units + a * n_units + b``; a token's key is its number). Each document lists its
    distinct terms in order of first place in it with their counts (CSR ``indptr``,
    ``columns``, ``counts``), columns numbered in order of first sight over the corpus, as
    scikit-learn's ``CountVectorizer`` numbers them; ``keys`` gives the key of every column.

    A document's terms are first found in a small table of its own (its key, its place in the
    row; a stamp per slot tells this document's slots from older ones), so each entry is a
    distinct term of its document. A token's column is then found in an array by its number.
    The bigrams' entries are sorted by key (:func:`_radix_order`, stable: each key's first
    entry leads its run) instead of being looked up one by one in a hash table of every
    distinct bigram (far larger than a core's cache: a miss per entry, and a miss per entry
    again each time it grew); a last pass in entry order numbers each term at its first entry.
    """
    n_docs = offsets.shape[0] - 1
    kept = 0
    for p in range(units.shape[0]):
        if units[p] >= n_skip:
            kept += 1
    bound = 2 * kept if bigrams else kept
    entry_keys = np.empty(bound, dtype=np.int64)
    counts = np.empty(bound, dtype=np.int64)
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    filled = 0
    n_pairs = 0  # entries of bigrams
    longest = _longest_row(offsets)
    words = np.empty(longest, dtype=np.int64)
    local_size = 2
    while local_size < 4 * longest:  # at most half full: a document has < 2 * longest terms
        local_size *= 2
    local = np.empty(2 * local_size, dtype=np.int64)  # per slot: key, place in the row
    stamp = np.full(local_size, -1, dtype=np.int64)  # per slot: the document that filled it
    for d in range(n_docs):
        n_words = 0
        for p in range(offsets[d], offsets[d + 1]):
            if units[p] >= n_skip:
                words[n_words] = units[p]
                n_words += 1
        n_terms = n_words + (max(n_words - 1, 0) if bigrams else 0)
        size = 2
        while size < 2 * n_terms:  # this document's slots: the first ``size``
            size *= 2
        local_mask = np.uint64(size - 1)
        for t in range(n_terms):
            if t < n_words:
                key = words[t]
            else:
                key = n_units + words[t - n_words] * n_units + words[t - n_words + 1]
            at = mix64(np.uint64(key)) & local_mask
            while stamp[at] == d and local[2 * at] != key:
                at = (at + np.uint64(1)) & local_mask
            if stamp[at] == d:  # seen in this document
                counts[local[2 * at + 1]] += 1
                continue
            stamp[at] = d
            local[2 * at] = key
            local[2 * at + 1] = filled
            entry_keys[filled] = key
            counts[filled] = 1
            filled += 1
            if t >= n_words:
                n_pairs += 1
        indptr[d + 1] = filled
    # the bigrams' entries, sorted by key: each run of one key starts at its first entry
    pair_entries = np.empty(n_pairs, dtype=np.int64)
    pair_keys = np.empty(n_pairs, dtype=np.int64)
    k = 0
    for e in range(filled):
        if entry_keys[e] >= n_units:
            pair_entries[k] = e
            pair_keys[k] = entry_keys[e] - n_units
            k += 1
    order = _radix_order(pair_keys)
    first = np.empty(filled, dtype=np.int64)  # a bigram entry's key's first entry
    head = -1
    for i in range(n_pairs):
        e = pair_entries[order[i]]
        if i == 0 or pair_keys[order[i]] != pair_keys[order[i - 1]]:
            head = e
        first[e] = head
    # columns in entry order: a term is numbered at its first entry
    columns = np.empty(filled, dtype=np.int64)
    keys = np.empty(filled, dtype=np.int64)
    word_col = np.full(max(n_units, 1), -1, dtype=np.int64)  # token number -> column
    n_cols = 0
    for e in range(filled):
        key = entry_keys[e]
        if key < n_units:
            col = word_col[key]
            if col < 0:  # first sight
                col = word_col[key] = n_cols
                keys[n_cols] = key
                n_cols += 1
        elif first[e] == e:  # first sight of a bigram
            col = n_cols
            keys[n_cols] = key
            n_cols += 1
        else:
            col = columns[first[e]]
        columns[e] = col
    return indptr, columns, counts[:filled].copy(), keys[:n_cols].copy()


@_jit
def kept_rows(indptr: Any, columns: Any, counts: Any, position: Any) -> Any:
    """Keep the entries of :func:`count_terms` rows whose column is kept, sorted and renumbered.

    Each row's entries whose column has a ``position`` (-1: dropped), in ascending order of
    their column, each column replaced by its position: what scipy's ``sort_indices`` and a
    boolean mask give, in one pass that sorts only the kept entries. Returns the CSR
    ``indptr``, ``columns`` and ``counts`` of the result.
    """
    n_docs = indptr.shape[0] - 1
    out_ptr = np.zeros(n_docs + 1, dtype=np.int64)
    out_columns = np.empty(columns.shape[0], dtype=np.int64)
    out_counts = np.empty(columns.shape[0], dtype=np.int64)
    longest = _longest_row(indptr)
    packed = np.empty(longest, dtype=np.int64)
    filled = 0
    for d in range(n_docs):
        lo = indptr[d]
        row = 0
        for p in range(lo, indptr[d + 1]):
            if position[columns[p]] >= 0:
                # the column above, the entry's place in the row below: one sort orders both
                # (a row's columns are distinct; fewer than 2**31 columns, 2**32 entries a row)
                packed[row] = (columns[p] << 32) | (p - lo)
                row += 1
        packed[:row].sort()
        for i in range(row):
            p = lo + (packed[i] & 0xFFFFFFFF)
            out_columns[filled] = position[columns[p]]
            out_counts[filled] = counts[p]
            filled += 1
        out_ptr[d + 1] = filled
    return out_ptr, out_columns[:filled].copy(), out_counts[:filled].copy()


@_jit
def _number_doc(
    codes: Any,
    lo: int,
    hi: int,
    table: Any,
    slots: Any,
    hashes: Any,
    bounds: Any,
    pool: Any,
    n_words: int,
    run: Any,
    units: Any,
    n: int,
) -> Any:
    """Write the word numbers of ``codes[lo:hi]`` from ``units[n]``; return ``n`` and ``n_words``.

    The arrays have room for every word of the document to be new (the caller grows them):
    nothing is reallocated here, which keeps the loop fast.
    """
    mask = np.uint64(slots.shape[0] - 1)
    p = lo
    while p < hi:
        v = table[codes[p]]
        p += 1
        if v <= 0:
            continue
        length = 0
        h = _FNV_OFFSET
        while True:
            run[length] = v
            length += 1
            h = (h ^ np.uint64(v)) * _FNV_PRIME
            if p == hi:
                break
            v = table[codes[p]]
            if v <= 0:
                break
            p += 1
        if length < 2:  # a word has two characters or more
            continue
        h = mix64(h)
        slot = h & mask
        while slots[slot] != -1:
            w = slots[slot]
            if hashes[w] == h and bounds[w + 1] - bounds[w] == length:
                start = bounds[w]
                same = True
                for k in range(length):
                    if pool[start + k] != run[k]:
                        same = False
                        break
                if same:
                    break
            slot = (slot + np.uint64(1)) & mask
        if slots[slot] == -1:
            start = bounds[n_words]
            for k in range(length):
                pool[start + k] = run[k]
            bounds[n_words + 1] = start + length
            hashes[n_words] = h
            slots[slot] = n_words
            n_words += 1
        units[n] = slots[slot]
        n += 1
    return n, n_words


@_jit
def _rehash_words(hashes: Any, n_words: int, capacity: int) -> Any:
    """Return a table of ``capacity`` slots holding the first ``n_words`` word numbers."""
    slots = np.full(capacity, -1, dtype=np.int64)
    mask = np.uint64(capacity - 1)
    for w in range(n_words):
        slot = hashes[w] & mask
        while slots[slot] != -1:
            slot = (slot + np.uint64(1)) & mask
        slots[slot] = w
    return slots


@_jit
def number_words(
    codes: Any,
    offsets: Any,
    table: Any,
    slots: Any,
    hashes: Any,
    bounds: Any,
    pool: Any,
    n_words: int,
) -> Any:
    r"""Find every document's words and number each distinct word once, in order of first sight.

    ``codes`` holds the code points of the documents (``offsets`` delimit them); ``table``
    gives, for every code point, its lower-cased code point where that is a word character
    (``\w``), 0 for the others and -1 where lower-casing is not one code point for one
    (such a document is skipped: ``simple`` is False for it and it gets no words). A word is a
    run of two or more word characters, as scikit-learn's token pattern ``(?u)\b\w\w+\b``
    finds them in the lower-cased text. The words seen so far are the state (``slots``: an
    open-addressing table of word numbers; ``hashes``, ``bounds`` and ``pool``: each word's
    hash and lower-cased code points); returned grown, with ``n_words``, for the next call.
    Returns ``units`` (every document's word numbers), ``unit_offsets``, ``simple`` and the
    state.
    """
    n_docs = offsets.shape[0] - 1
    units = np.empty(codes.shape[0] // 3 + n_docs + 1, dtype=np.int64)
    unit_offsets = np.zeros(n_docs + 1, dtype=np.int64)
    simple = np.ones(n_docs, dtype=np.bool_)
    longest = _longest_row(offsets)
    run = np.empty(longest, dtype=np.uint32)
    n = 0
    for d in range(n_docs):
        lo, hi = offsets[d], offsets[d + 1]
        for p in range(lo, hi):
            if table[codes[p]] < 0:
                simple[d] = False
                break
        if simple[d]:
            most = (hi - lo + 1) // 3  # new words at most: two characters and a separator each
            if n_words + most > hashes.shape[0]:
                hashes = _grow(hashes, 2 * (n_words + most), 0)
                bounds = _grow(bounds, 2 * (n_words + most) + 1, 0)
            if bounds[n_words] + hi - lo > pool.shape[0]:
                pool = _grow(pool, 2 * (bounds[n_words] + hi - lo), 0)
            if 2 * (n_words + most) > slots.shape[0]:  # keep the table at most half full
                capacity = slots.shape[0]
                while 2 * (n_words + most) > capacity:
                    capacity *= 2
                slots = _rehash_words(hashes, n_words, capacity)
            n, n_words = _number_doc(
                codes, lo, hi, table, slots, hashes, bounds, pool, n_words, run, units, n
            )
        unit_offsets[d + 1] = n
    return units[:n].copy(), unit_offsets, simple, slots, hashes, bounds, pool, n_words


@_jit
def place_units(
    parts: Any, part_offsets: Any, docs: Any, lengths: Any, offsets: Any, out: Any
) -> None:
    """Copy document ``i`` of ``parts`` (``part_offsets``) to document ``docs[i]`` of ``out``.

    ``lengths[i]`` is its number of entries; ``offsets`` delimit the documents of ``out``.
    """
    for i in range(docs.shape[0]):
        a = part_offsets[i]
        b = offsets[docs[i]]
        for k in range(lengths[i]):
            out[b + k] = parts[a + k]


# ---------------------------------------------------------------------------- event neighbours


@_jit
def _offer(c: int, s: Any, found: int, best_col: Any, best_sim: Any) -> int:
    """Put column ``c`` of product ``s`` among the best (highest first, ties to the lower column).

    ``found`` of ``k = best_col.shape[0]`` places are filled; when all are, the caller has
    checked that ``(s, c)`` beats the worst (inline: most columns fail there, and a call per
    column costs more than the search). Returns the new count. The best ``k`` of a row are the
    first ``k`` of that total order, whatever order columns are offered in.
    """
    k = best_col.shape[0]
    if found == k:  # full: the worst goes
        pos = k - 1
    else:
        pos = found
        found += 1
    while pos > 0 and (best_sim[pos - 1] < s or (best_sim[pos - 1] == s and best_col[pos - 1] > c)):
        best_sim[pos] = best_sim[pos - 1]
        best_col[pos] = best_col[pos - 1]
        pos -= 1
    best_sim[pos] = s
    best_col[pos] = c
    return found


@_jit
def _row_neighbours(
    r: int,
    cut: Any,
    indptr: Any,
    indices: Any,
    data: Any,
    t_indptr: Any,
    t_indices: Any,
    t_data: Any,
    acc: Any,
    stamp: Any,
    touched: Any,
    best_col: Any,
    best_sim: Any,
) -> int:
    """Find the ``k = best_col.shape[0]`` best neighbours of row ``r`` (see top_k_neighbours).

    Only the columns the row's terms reach are visited (``stamp`` marks them, ``touched`` lists
    them): for a search by a few terms among many rows.
    """
    n_touched = 0
    for jj in range(indptr[r], indptr[r + 1]):
        v = data[jj]
        if v < cut:
            continue
        term = indices[jj]
        for kk in range(t_indptr[term], t_indptr[term + 1]):
            c = t_indices[kk]
            if stamp[c] != r:
                stamp[c] = r
                acc[c] = 0
                touched[n_touched] = c
                n_touched += 1
            acc[c] += v * t_data[kk]
    k = best_col.shape[0]
    found = 0
    for t in range(n_touched):
        c = touched[t]
        s = acc[c]
        if c == r or not s > 0:
            continue
        # full: beat the worst (lowest similarity, then highest column)
        if found == k and (s < best_sim[k - 1] or (s == best_sim[k - 1] and c > best_col[k - 1])):
            continue
        found = _offer(c, s, found, best_col, best_sim)
    return found


@_jit
def _row_neighbours_dense(
    r: int,
    indptr: Any,
    indices: Any,
    data: Any,
    t_indptr: Any,
    t_indices: Any,
    t_data: Any,
    acc: Any,
    best_col: Any,
    best_sim: Any,
) -> int:
    """:func:`_row_neighbours` with every term, by a dense accumulator: the same neighbours.

    Every column's product starts at 0 and gets the row's terms in stored order (the same
    float32 sums); then all columns are read in order. No marks and no list of the columns
    reached: the inner loop is a plain scatter-add, about twice as fast when the row reaches
    most columns (exact search over all terms), at the price of reading every column once.
    """
    acc[:] = 0
    for jj in range(indptr[r], indptr[r + 1]):
        v = data[jj]
        term = indices[jj]
        for kk in range(t_indptr[term], t_indptr[term + 1]):
            acc[t_indices[kk]] += v * t_data[kk]
    k = best_col.shape[0]
    found = 0
    for c in range(acc.shape[0]):
        s = acc[c]
        if c == r or not s > 0:
            continue
        if found == k and (s < best_sim[k - 1] or (s == best_sim[k - 1] and c > best_col[k - 1])):
            continue
        found = _offer(c, s, found, best_col, best_sim)
    return found


@_pjit
def top_k_neighbours(
    indptr: Any,
    indices: Any,
    data: Any,
    t_indptr: Any,
    t_indices: Any,
    t_data: Any,
    n_cols: int,
    k: int,
    max_terms: int,
    dense: bool,
) -> Any:
    """Find the ``k`` best neighbours of every row of a sparse matrix by the dot product of rows.

    ``(indptr, indices, data)`` are the query rows (CSR, float32) and ``(t_indptr, t_indices,
    t_data)`` the transposed matrix searched (CSR of ``terms x n_cols``). A row's products are
    summed in float32 over its terms in stored order, as scipy's sparse product sums them.
    With ``max_terms > 0`` a row searches with its terms of weight at least its
    ``max_terms``-th largest only (all of them when it has no more). Its neighbours are the
    ``k`` other columns of highest positive product, ties to the lower column; rows run in
    parallel, each in its own slot of the result. ``dense`` (only with ``max_terms == 0``)
    sums into a dense accumulator (:func:`_row_neighbours_dense`): the same result, faster
    when rows reach most columns.

    Returns ``(counts, cols)``: row ``r`` found ``counts[r]`` neighbours, best first, in
    ``cols[r * k : r * k + counts[r]]``.
    """
    n = indptr.shape[0] - 1
    counts = np.zeros(n, dtype=np.int64)
    cols = np.empty(n * k, dtype=np.int64)
    n_chunks = min(n, 64)
    by_all = dense and max_terms <= 0
    for chunk in nb.prange(n_chunks):
        acc = np.zeros(n_cols, dtype=np.float32)
        stamp = np.full(0 if by_all else n_cols, -1, dtype=np.int64)
        touched = np.empty(0 if by_all else n_cols, dtype=np.int64)
        best_col = np.empty(k, dtype=np.int64)
        best_sim = np.empty(k, dtype=np.float32)
        for r in range(chunk * n // n_chunks, (chunk + 1) * n // n_chunks):
            lo = indptr[r]
            hi = indptr[r + 1]
            if by_all:
                found = _row_neighbours_dense(
                    r, indptr, indices, data, t_indptr, t_indices, t_data, acc, best_col, best_sim
                )
            else:
                cut = np.float32(-np.inf)
                if max_terms > 0 and hi - lo > max_terms:
                    cut = np.sort(data[lo:hi])[hi - lo - max_terms]
                found = _row_neighbours(
                    r, cut, indptr, indices, data, t_indptr, t_indices, t_data,
                    acc, stamp, touched, best_col, best_sim,
                )  # fmt: skip
            counts[r] = found
            cols[r * k : r * k + found] = best_col[:found]
    return counts, cols


@_jit
def posting_places(
    indptr: Any, indices: Any, n_terms: int, t_indptr: Any, t_indices: Any, places: Any
) -> bool:
    """Whether the rows of a CSR matrix list their terms in one order, and where each entry is.

    True when one order of the terms has every row's terms in it (the graph of each row's
    consecutive terms has no cycle: any row-wise sorted matrix, or the TF-IDF rows, whose
    terms are in order of first sight) and the transposed matrix ``(t_indptr, t_indices)``
    lists every term's rows in ascending order; then ``places[jj]`` is entry ``jj``'s place in
    its term's postings. Then the products of two rows summed over either row's terms in
    stored order add the same products in the same order: the same float32 value, which
    :func:`top_k_neighbours_symmetric` computes once per pair. False otherwise (``places`` is
    then partly written).
    """
    n_rows = indptr.shape[0] - 1
    cursor = t_indptr[:-1].copy()
    rank = np.full(n_terms, -1, dtype=np.int64)  # order of first sight, row by row
    n_ranked = 0
    by_sight = True
    for r in range(n_rows):
        last = -1
        for jj in range(indptr[r], indptr[r + 1]):
            term = indices[jj]
            p = cursor[term]
            if p >= t_indptr[term + 1] or t_indices[p] != r:
                return False
            places[jj] = p
            cursor[term] = p + 1
            if rank[term] < 0:
                rank[term] = n_ranked
                n_ranked += 1
            by_sight &= rank[term] > last
            last = rank[term]
    if by_sight:  # the TF-IDF rows: no graph needed
        return True
    # the graph's edges by their first term (a term followed by the next in a row)
    starts = np.zeros(n_terms + 1, dtype=np.int64)
    waiting = np.zeros(n_terms, dtype=np.int64)  # edges into a term not yet taken
    for r in range(n_rows):
        for jj in range(indptr[r] + 1, indptr[r + 1]):
            starts[indices[jj - 1] + 1] += 1
            waiting[indices[jj]] += 1
    for t in range(n_terms):
        starts[t + 1] += starts[t]
    ends = starts[:-1].copy()
    nexts = np.empty(starts[n_terms], dtype=np.int64)
    for r in range(n_rows):
        for jj in range(indptr[r] + 1, indptr[r + 1]):
            nexts[ends[indices[jj - 1]]] = indices[jj]
            ends[indices[jj - 1]] += 1
    # take the terms that nothing waits on, and what they free (Kahn): all, unless a cycle
    ready = np.empty(n_terms, dtype=np.int64)
    n_ready = 0
    for t in range(n_terms):
        if waiting[t] == 0:
            ready[n_ready] = t
            n_ready += 1
    taken = 0
    while taken < n_ready:
        t = ready[taken]
        taken += 1
        for e in range(starts[t], starts[t + 1]):
            waiting[nexts[e]] -= 1
            if waiting[nexts[e]] == 0:
                ready[n_ready] = nexts[e]
                n_ready += 1
    return taken == n_terms


@_pjit
def top_k_neighbours_symmetric(
    indptr: Any,
    indices: Any,
    data: Any,
    t_indptr: Any,
    t_indices: Any,
    t_data: Any,
    places: Any,
    k: int,
    n_lanes: int,
) -> Any:
    """:func:`top_k_neighbours` over every term of a matrix against itself, each pair once.

    Only for a matrix whose rows list their terms in one order (:func:`posting_places`, which
    gives ``places``): the product of rows ``r < c`` is summed once, over row ``r``'s terms in
    stored order from the postings after ``r`` (``places``), and offered to both rows' best;
    it is the float32 value that row ``c`` would sum over its own terms. The rows are dealt to
    ``n_lanes`` lanes in turn (row ``r`` to lane ``r % n_lanes``: each lane gets its share of
    the triangle); every lane keeps its own best ``k`` of every row, merged at the end by the
    same total order (product down, column up): the same neighbours as
    :func:`top_k_neighbours`, about half the work. Returns ``(counts, cols)`` as it does.
    """
    n = indptr.shape[0] - 1
    lane_cols = np.empty((n_lanes, n, k), dtype=np.int64)
    lane_sims = np.empty((n_lanes, n, k), dtype=np.float32)
    lane_found = np.zeros((n_lanes, n), dtype=np.int64)
    # the worst of a full best list, by row (0: not full, any positive product gets in)
    bar_sims = np.zeros((n_lanes, n), dtype=np.float32)
    bar_cols = np.zeros((n_lanes, n), dtype=np.int64)
    for lane in nb.prange(n_lanes):
        acc = np.zeros(n, dtype=np.float32)
        cols = lane_cols[lane]
        sims = lane_sims[lane]
        found = lane_found[lane]
        bar_sim = bar_sims[lane]
        bar_col = bar_cols[lane]
        for r in range(lane, n, n_lanes):
            acc[r + 1 :] = 0
            for jj in range(indptr[r], indptr[r + 1]):
                v = data[jj]
                for kk in range(places[jj] + 1, t_indptr[indices[jj] + 1]):
                    acc[t_indices[kk]] += v * t_data[kk]
            worst_sim = bar_sim[r]  # no later row's offer changes row r's list
            worst_col = bar_col[r]
            for c in range(r + 1, n):
                s = acc[c]
                if not s > 0:
                    continue
                if s > worst_sim or (s == worst_sim and c < worst_col):
                    found[r] = _offer(c, s, found[r], cols[r], sims[r])
                    if found[r] == k:
                        worst_sim = sims[r, k - 1]
                        worst_col = cols[r, k - 1]
                if s > bar_sim[c] or (s == bar_sim[c] and r < bar_col[c]):
                    found[c] = _offer(r, s, found[c], cols[c], sims[c])
                    if found[c] == k:
                        bar_sim[c] = sims[c, k - 1]
                        bar_col[c] = cols[c, k - 1]
            bar_sim[r] = worst_sim
            bar_col[r] = worst_col
    counts = np.zeros(n, dtype=np.int64)
    out = np.empty(n * k, dtype=np.int64)
    for r in nb.prange(n):
        best_col = np.empty(k, dtype=np.int64)
        best_sim = np.empty(k, dtype=np.float32)
        got = 0
        for lane in range(n_lanes):
            for i in range(lane_found[lane, r]):
                c = lane_cols[lane, r, i]
                s = lane_sims[lane, r, i]
                if got == k and (
                    s < best_sim[k - 1] or (s == best_sim[k - 1] and c > best_col[k - 1])
                ):
                    break  # a lane's list is best first: the rest of it cannot get in
                got = _offer(c, s, got, best_col, best_sim)
        counts[r] = got
        out[r * k : r * k + got] = best_col[:got]
    return counts, out


_PW_BLOCK = 128


@_jit
def _block_sum(a: Any, lo: int, n: int) -> Any:
    """Sum at most 128 float32 values as numpy does: one, or eight running sums, then the rest."""
    if n < 8:
        res = np.float32(0.0)
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = lo + 8
    stop = lo + n - n % 8
    while i < stop:
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < lo + n:
        res += a[i]
        i += 1
    return res


@_jit
def _pairwise_sum(a: Any, lo: int, n: int) -> Any:
    """Sum ``a[lo:lo + n]`` (float32) pairwise, in numpy's order of additions.

    Blocks of at most 128 values are summed by :func:`_block_sum`; a longer run is split at
    half (rounded down to a multiple of 8) and its halves' sums added. numpy recurses; this
    walks the same tree with a stack (recursion does not compile inside parallel loops).
    """
    if n <= _PW_BLOCK:
        return _block_sum(a, lo, n)
    los = np.empty(64, dtype=np.int64)
    ns = np.empty(64, dtype=np.int64)
    is_right = np.zeros(64, dtype=np.bool_)
    left_sums = np.empty(64, dtype=np.float32)
    top = 0
    los[0] = lo
    ns[0] = n
    while True:
        while ns[top] > _PW_BLOCK:  # down to the leftmost block
            half = ns[top] // 2
            half -= half % 8
            los[top + 1] = los[top]
            ns[top + 1] = half
            is_right[top + 1] = False
            top += 1
        value = _block_sum(a, los[top], ns[top])
        while top > 0 and is_right[top]:  # a right half: add its left half, go up
            top -= 1
            value = left_sums[top] + value
        if top == 0:
            return value
        left_sums[top - 1] = value  # a left half: keep its sum, then do the right half
        los[top] = los[top - 1] + ns[top]
        ns[top] = ns[top - 1] - ns[top]
        is_right[top] = True


@_jit
def _scatter_row(indptr: Any, indices: Any, data: Any, r: int, dense: Any) -> None:
    """Write the values of row ``r`` of a CSR matrix into ``dense``, at their columns."""
    for jj in range(indptr[r], indptr[r + 1]):
        dense[indices[jj]] = data[jj]


@_jit
def _clear_row(indptr: Any, indices: Any, r: int, dense: Any) -> None:
    """Set the columns of row ``r`` of a CSR matrix back to 0 in ``dense``."""
    for jj in range(indptr[r], indptr[r + 1]):
        dense[indices[jj]] = 0


@_pjit
def sparse_row_dots(
    indptr: Any, indices: Any, data: Any, n_cols: int, left: Any, right: Any
) -> Any:
    """Dot product of rows ``left[p]`` and ``right[p]`` of a float32 CSR matrix, sorted indices.

    The same float32 value as scipy's ``matrix[left].multiply(matrix[right]).sum(axis=1)``:
    the non-zero products of the shared columns in ascending order, the first plus numpy's
    pairwise sum of the rest (``numpy.add.reduceat``); returned as float64.

    Row ``left[p]`` is spread over a dense array of the ``n_cols`` columns and row
    ``right[p]`` is read in column order against it: one pass over one row per pair, without
    the branches of a merge of two sorted rows (about twice as fast). Consecutive pairs of one
    left row spread it once, so pairs grouped by ``left`` (as :func:`top_k_neighbours`'s
    callers give them) are the fast case; any order gives the same values.
    """
    n = left.shape[0]
    out = np.empty(n, dtype=np.float64)
    longest = _longest_row(indptr)
    n_chunks = min(n, 64)
    for chunk in nb.prange(n_chunks):
        products = np.empty(max(longest, 1), dtype=np.float32)
        dense = np.zeros(n_cols, dtype=np.float32)
        spread = -1  # the left row now in dense
        for p in range(chunk * n // n_chunks, (chunk + 1) * n // n_chunks):
            if left[p] != spread:
                if spread >= 0:
                    _clear_row(indptr, indices, spread, dense)
                spread = left[p]
                _scatter_row(indptr, indices, data, spread, dense)
            m = 0
            for jj in range(indptr[right[p]], indptr[right[p] + 1]):
                value = dense[indices[jj]]
                if value != 0:
                    product = value * data[jj]
                    if product != 0:
                        products[m] = product
                        m += 1
            out[p] = products[0] + _pairwise_sum(products, 1, m - 1) if m else 0.0
    return out


# ------------------------------------------------------------------------ event number conflicts
@_jit
def _share_one(a: Any, a0: int, a1: int, b: Any, b0: int, b1: int) -> bool:
    """Whether the sorted runs ``a[a0:a1]`` and ``b[b0:b1]`` hold a value in common."""
    while a0 < a1 and b0 < b1:
        if a[a0] == b[b0]:
            return True
        if a[a0] < b[b0]:
            a0 += 1
        else:
            b0 += 1
    return False


@_jit
def _run_end(units: Any, i: int, end: int) -> int:
    """End of the run of equal ``units`` that starts at ``i`` (before ``end``)."""
    j = i + 1
    while j < end and units[j] == units[i]:
        j += 1
    return j


@_pjit
def number_conflicts(
    year_offsets: Any,
    years: Any,
    keyed_offsets: Any,
    units: Any,
    values: Any,
    left: Any,
    right: Any,
) -> Any:
    """Return the number conflict of every pair ``(left[p], right[p])`` of texts, in [0, 1].

    Text ``t`` holds the year codes ``years[year_offsets[t]:year_offsets[t + 1]]`` (sorted)
    and the ``(unit, value)`` codes of its ``unit=value`` tokens at ``keyed_offsets`` (sorted
    by unit, then value; repeats allowed). A pair conflicts by 1 when both texts give years and
    share none, and by a half more for every unit both give a value for with no value in
    common; capped at 1 (:func:`storymatch.events.signals.number_conflict`).
    """
    n = left.shape[0]
    out = np.zeros(n, dtype=np.float64)
    for p in nb.prange(n):
        a = left[p]
        b = right[p]
        a0, a1 = year_offsets[a], year_offsets[a + 1]
        b0, b1 = year_offsets[b], year_offsets[b + 1]
        conflict = 0.0
        if a0 < a1 and b0 < b1 and not _share_one(years, a0, a1, years, b0, b1):
            conflict = 1.0
        i, i_end = keyed_offsets[a], keyed_offsets[a + 1]
        j, j_end = keyed_offsets[b], keyed_offsets[b + 1]
        while i < i_end and j < j_end:
            if units[i] < units[j]:
                i += 1
            elif units[i] > units[j]:
                j += 1
            else:  # a unit both give: its runs of values
                i_next = _run_end(units, i, i_end)
                j_next = _run_end(units, j, j_end)
                if not _share_one(values, i, i_next, values, j, j_next):
                    conflict += 0.5
                i, j = i_next, j_next
        out[p] = min(conflict, 1.0)
    return out


# ---------------------------------------------------------------------------- event linkage
@_jit
def _position(keys: Any, lo: int, count: int, key: int) -> int:
    """Return where ``key`` is in ``keys[lo:lo + count]`` (an index into ``keys``), or -1."""
    for t in range(lo, lo + count):
        if keys[t] == key:
            return t
    return -1


@_jit
def _sparse_lists(
    n: int, left: Any, right: Any, values: Any, keep: Any, mirror: bool, pool: int
) -> Any:
    """Return lists of (key, summed value) per node, all in one pool.

    Node ``i`` holds ``keys[start[i]:start[i] + cnt[i]]`` and ``vals[...]``, unordered.
    Entry ``p`` (where ``keep``) adds ``values[p]`` under key ``right[p]`` to node ``left[p]``
    (repeats add up in input order) and, with ``mirror``, the same sum under ``left[p]`` to
    node ``right[p]``. The pool holds twice the entries, at least ``pool``.
    """
    deg = np.zeros(n, dtype=np.int64)
    for p in range(left.shape[0]):
        if keep[p]:
            deg[left[p]] += 1
            if mirror:
                deg[right[p]] += 1
    start = np.zeros(n, dtype=np.int64)
    for i in range(1, n):
        start[i] = start[i - 1] + deg[i - 1]
    size = max(2 * (start[n - 1] + deg[n - 1]) if n else 0, pool, 1)
    keys = np.empty(size, dtype=np.int64)
    vals = np.empty(size, dtype=np.float64)
    cnt = np.zeros(n, dtype=np.int64)
    for p in range(left.shape[0]):
        if not keep[p]:
            continue
        i = left[p]
        j = right[p]
        t = _position(keys, start[i], cnt[i], j)
        if t < 0:
            t = start[i] + cnt[i]
            keys[t] = j
            vals[t] = 0.0
            cnt[i] += 1
        vals[t] = vals[t] + values[p]
        if mirror:
            u = _position(keys, start[j], cnt[j], i)
            if u < 0:
                u = start[j] + cnt[j]
                keys[u] = i
                cnt[j] += 1
            vals[u] = vals[t]
    end = start[n - 1] + deg[n - 1] if n else 0
    return keys, vals, start, cnt, end


@_jit
def _fold_lists(
    keys: Any, vals: Any, start: Any, cnt: Any, end: int, i: int, j: int, pos: Any, mirror: bool
) -> Any:
    """Fold node ``j``'s list into node ``i``'s: one addition per key both hold.

    With ``mirror`` (a graph: every key is a node holding the reverse entry), ``i`` and ``j``
    drop each other and every neighbour of ``j`` points to ``i`` instead. ``i``'s new list goes
    to the end of the pool (grown, or packed, when full). ``pos`` is an all -1 scratch array
    of one slot per key, left all -1. Returns ``(keys, vals, end)``.
    """
    need = cnt[i] + cnt[j]
    if end + need > keys.shape[0]:  # pack the live lists into a pool twice their size
        live = 0
        for node in range(start.shape[0]):
            live += cnt[node]
        size = 2 * (live + need)
        new_keys = np.empty(size, dtype=np.int64)
        new_vals = np.empty(size, dtype=np.float64)
        end = 0
        for node in range(start.shape[0]):
            lo = start[node]
            new_keys[end : end + cnt[node]] = keys[lo : lo + cnt[node]]
            new_vals[end : end + cnt[node]] = vals[lo : lo + cnt[node]]
            start[node] = end
            end += cnt[node]
        keys = new_keys
        vals = new_vals
    lo = end
    m = lo
    for t in range(start[i], start[i] + cnt[i]):
        c = keys[t]
        if not (mirror and c == j):
            keys[m] = c
            vals[m] = vals[t]
            pos[c] = m
            m += 1
    for t in range(start[j], start[j] + cnt[j]):
        c = keys[t]
        if mirror and c == i:
            continue
        value = vals[t]
        q = pos[c]
        u = _position(keys, start[c], cnt[c], j) if mirror else -1
        if q >= 0:
            vals[q] = vals[q] + value
            if mirror:  # c held both: drop j from c's list, update i there
                last = start[c] + cnt[c] - 1
                keys[u] = keys[last]
                vals[u] = vals[last]
                cnt[c] -= 1
                vals[_position(keys, start[c], cnt[c], i)] = vals[q]
        else:
            keys[m] = c
            vals[m] = value
            pos[c] = m
            m += 1
            if mirror:  # c was j's only: it becomes i's
                keys[u] = i
    for t in range(lo, m):
        pos[keys[t]] = -1
    start[i] = lo
    cnt[i] = m - lo
    cnt[j] = 0
    return keys, vals, m


@_jit
def average_linkage_roots(
    n: int,
    left: Any,
    right: Any,
    scores: Any,
    threshold: float,
    outlets: Any,
    check: bool,
    pool: int,
    cohesion: float,
    cohesion_size: int,
) -> Any:
    """Average linkage over a sparse similarity graph: the root (smallest node) of each node.

    The loop of :func:`storymatch.events.neighbors.average_linkage`: a heap of
    ``(-mean, i, j, size_i, size_j)`` (entries whose clusters have changed are skipped), the
    summed scores between clusters as one list per cluster (each merge adds a pair's two sums
    once, so the order of the lists does not change a value), and with ``check`` the outlets
    of each cluster with their counts (``outlets`` code -1: none) and the summed scores of its
    same-outlet edges, a merge of clusters sharing an outlet needing their same-outlet mean to
    reach ``threshold`` too. The lists of each kind share a pool of at least ``pool`` entries
    (packed and doubled when a merge finds it full). With ``cohesion > 0``, two clusters of at
    least ``cohesion_size`` nodes each merge only when their mean also reaches ``cohesion``
    times the lower of their two within-cluster means (each cluster's summed scores within,
    kept per root, over its pairs of nodes).
    """
    keys, vals, start, cnt, end = _sparse_lists(
        n, left, right, scores, np.ones(left.shape[0], dtype=np.bool_), True, pool
    )
    known = outlets >= 0
    same = known[left] & known[right] & (outlets[left] == outlets[right]) & check
    s_keys, s_vals, s_start, s_cnt, s_end = _sparse_lists(n, left, right, scores, same, True, pool)
    nodes = np.arange(n, dtype=np.int64)
    o_keys, o_vals, o_start, o_cnt, o_end = _sparse_lists(
        n, nodes, np.maximum(outlets, 0), np.ones(n, dtype=np.float64), known & check, False, pool
    )
    held = np.zeros(max(n, int(outlets.max()) + 1 if n else 1), dtype=np.float64)
    pos = np.full(held.shape[0], -1, dtype=np.int64)
    heap = [(0.0, 0, 0, 0, 0)]
    heap.pop()
    for i in range(n):
        for t in range(start[i], start[i] + cnt[i]):
            j = keys[t]
            if i < j and vals[t] >= threshold:
                heapq.heappush(heap, (-vals[t], i, j, 1, 1))
    size = np.ones(n, dtype=np.int64)
    alive = np.ones(n, dtype=np.bool_)
    parent = np.arange(n, dtype=np.int64)
    within = np.zeros(n, dtype=np.float64)
    while len(heap) > 0:
        neg, i, j, si, sj = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or size[i] != si or size[j] != sj:
            continue
        if -neg < threshold:
            break
        if cohesion > 0 and si >= cohesion_size and sj >= cohesion_size:
            mean_i = within[i] / (si * (si - 1) / 2)
            mean_j = within[j] / (sj * (sj - 1) / 2)
            if -neg < cohesion * min(mean_i, mean_j):
                continue
        if check:
            for t in range(o_start[j], o_start[j] + o_cnt[j]):
                held[o_keys[t]] = o_vals[t]
            shared = 0.0
            for t in range(o_start[i], o_start[i] + o_cnt[i]):
                shared += o_vals[t] * held[o_keys[t]]
            for t in range(o_start[j], o_start[j] + o_cnt[j]):
                held[o_keys[t]] = 0.0
            if shared != 0:
                u = _position(s_keys, s_start[i], s_cnt[i], j)
                summed = s_vals[u] if u >= 0 else 0.0
                if not summed / shared >= threshold:
                    continue
        alive[j] = False
        parent[j] = i
        size[i] += size[j]
        u = _position(keys, start[i], cnt[i], j)
        within[i] += within[j] + (vals[u] if u >= 0 else 0.0)
        keys, vals, end = _fold_lists(keys, vals, start, cnt, end, i, j, pos, True)
        if check:
            s_keys, s_vals, s_end = _fold_lists(
                s_keys, s_vals, s_start, s_cnt, s_end, i, j, pos, True
            )
            o_keys, o_vals, o_end = _fold_lists(
                o_keys, o_vals, o_start, o_cnt, o_end, i, j, pos, False
            )
        for t in range(start[i], start[i] + cnt[i]):
            c = keys[t]
            mean = vals[t] / (size[i] * size[c])
            if mean >= threshold:
                a, b = (i, c) if i < c else (c, i)
                heapq.heappush(heap, (-mean, a, b, size[a], size[b]))
    root = np.arange(n, dtype=np.int64)
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        root[i] = r
    return root


# ---------------------------------------------------------------------------- word diff


# The tokens of a sentence (``storymatch.text.tokens``: its regex, replayed on ASCII bytes) and
# difflib's matching over token codes, for the word diffs of the copies and of the differ.

_APOSTROPHE = ord("'")
_DOLLAR = ord("$")
_PERCENT = ord("%")
_DOT = ord(".")
_COMMA = ord(",")
_COLON = ord(":")
_UNDERSCORE = ord("_")
_S, _BIG_S, _T, _N, _D, _R, _H = (ord(c) for c in "sStndrh")


@_jit
def _is_digit(c: Any) -> Any:
    return 48 <= c <= 57


@_jit
def _is_letter(c: Any) -> Any:
    return 65 <= c <= 90 or 97 <= c <= 122


@_jit
def _is_alnum(c: Any) -> Any:
    return _is_digit(c) or _is_letter(c)


@_jit
def _is_space(c: Any) -> Any:
    # what ``\s`` matches in ASCII, for str patterns: \t \n \v \f \r, the separators 28-31, space
    return 9 <= c <= 13 or 28 <= c <= 32


@_jit
def _is_word_byte(c: Any) -> Any:
    r"""Whether an ASCII byte is a word character (``\w``: a letter, a digit or ``_``)."""
    return _is_alnum(c) or c == _UNDERSCORE


@_jit
def _bound(codes: Any, k: int) -> Any:
    r"""Whether a word character before ``k`` ends a word there (``\b``; ``_`` is a word's)."""
    return k >= codes.shape[0] or not _is_word_byte(codes[k])


@_jit
def _is_ordinal(x: Any, y: Any) -> Any:
    """Whether two letters are an ordinal's ending: st, nd, rd, th (lower case)."""
    return (
        (x == _S and y == _T)
        or (x == _N and y == _D)
        or (x == _R and y == _D)
        or (x == _T and y == _H)
    )


@_jit
def _number_end(codes: Any, i: int) -> int:
    """Return where the number token at ``i`` ends (``i``: none), as the ``num`` group reads it."""
    n = codes.shape[0]
    p = i
    if codes[i] == _DOLLAR:
        p = i + 1
    elif 65 <= codes[i] <= 90:  # A$ or US$
        if i + 2 < n and 65 <= codes[i + 1] <= 90 and codes[i + 2] == _DOLLAR:
            p = i + 3
        elif i + 1 < n and codes[i + 1] == _DOLLAR:
            p = i + 2
        else:
            return i
    if p >= n or not _is_digit(codes[p]):
        return i
    j = p
    while j < n and _is_digit(codes[j]):
        j += 1
    while (
        j + 1 < n
        and (codes[j] == _DOT or codes[j] == _COMMA or codes[j] == _COLON)
        and _is_digit(codes[j + 1])
    ):
        j += 1
        while j < n and _is_digit(codes[j]):
            j += 1
    if j < n and codes[j] == _PERCENT:
        return j + 1
    if j + 1 < n and _is_ordinal(codes[j], codes[j + 1]) and _bound(codes, j + 2):
        return j + 2
    if j < n and codes[j] == _S and _bound(codes, j + 1):
        return j + 1
    return j


@_jit
def _abbreviation_end(codes: Any, i: int) -> int:
    """Return where a dotted abbreviation (two letters or more, each with its dot) at ``i`` ends."""
    n = codes.shape[0]
    j = i
    while j + 1 < n and _is_letter(codes[j]) and codes[j + 1] == _DOT:
        j += 2
    return j if j - i >= 4 else i


@_jit
def _is_possessive(codes: Any, i: int) -> Any:
    return (
        codes[i] == _APOSTROPHE
        and i + 1 < codes.shape[0]
        and (codes[i + 1] == _S or codes[i + 1] == _BIG_S)
        and _bound(codes, i + 2)
    )


@_jit
def _word_end(codes: Any, i: int) -> int:
    """Return where the word at ``i`` ends: letters and digits, joined by inner apostrophes."""
    n = codes.shape[0]
    j = i
    while j < n and _is_alnum(codes[j]):
        j += 1
    while j + 1 < n and codes[j] == _APOSTROPHE and _is_alnum(codes[j + 1]):
        if _is_possessive(codes, j):
            break
        j += 1
        while j < n and _is_alnum(codes[j]):
            j += 1
    return j


@_jit
def ascii_tokens(codes: Any) -> Any:
    """Return the tokens of an ASCII text as ``storymatch.text.tokens`` reads them with its regex.

    Parameters
    ----------
    codes : ndarray of uint8
        The text's bytes (ASCII only).

    Returns
    -------
    ndarray of int64, shape (3, n_tokens)
        Start, end and the number of the regex group that matched (1 number, 2 abbreviation,
        3 possessive, 4 word, 5 other character) of each token, left to right: what
        ``finditer`` gives on the same text, in an eighth of its time (the tests compare both).
    """
    n = codes.shape[0]
    out = np.empty((3, n), dtype=np.int64)
    found = 0
    i = 0
    while i < n:
        c = codes[i]
        if _is_space(c):
            i += 1
            continue
        group, end = 5, i + 1
        # a number starts with a digit, $ or a capital (A$, US$), a possessive with its
        # apostrophe: the helpers (a call each, with the array) are asked only there
        e = _number_end(codes, i) if _is_digit(c) or c == _DOLLAR or 65 <= c <= 90 else i
        if e > i:
            group, end = 1, e
        else:
            e = _abbreviation_end(codes, i)
            if e > i:
                group, end = 2, e
            elif c == _APOSTROPHE and _is_possessive(codes, i):
                group, end = 3, i + 2
            elif _is_alnum(c):
                group, end = 4, _word_end(codes, i)
        out[0, found], out[1, found], out[2, found] = i, end, group
        found += 1
        i = end
    return out[:, :found]


@_jit
def _longest_match(
    a: Any,
    b: Any,
    where: Any,
    at: Any,
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    runs: Any,
    rows: Any,
) -> tuple[int, int, int]:
    """Return ``difflib.SequenceMatcher.find_longest_match(alo, ahi, blo, bhi)`` (no junk).

    The longest block of ``a[alo:ahi]`` equal to one of ``b[blo:bhi]``, earliest in ``a``
    then in ``b``, found as difflib finds it: for each ``a[i]``, the places of that value in
    ``b`` (``at[where[v]:where[v + 1]]``, ascending) extend the runs that ended one place
    before in the previous row. ``runs`` (two rows of run lengths by place in ``b``) and
    ``rows`` (the places each row set) are scratch space, all zero on entry and on return.
    """
    best_i, best_j, best = alo, blo, 0
    prev, cur = 0, 1
    n_prev = 0
    for i in range(alo, ahi):
        v = a[i]
        n_cur = 0
        if v >= 0:
            for t in range(where[v], where[v + 1]):
                j = at[t]
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = (runs[prev, j - 1] if j > blo else 0) + 1
                runs[cur, j] = k
                rows[cur, n_cur] = j
                n_cur += 1
                if k > best:
                    best_i, best_j, best = i - k + 1, j - k + 1, k
        for t in range(n_prev):
            runs[prev, rows[prev, t]] = 0
        prev, cur = cur, prev
        n_prev = n_cur
    for t in range(n_prev):
        runs[prev, rows[prev, t]] = 0
    # difflib's extension over equal neighbours (a longest block is maximal: kept for fidelity)
    while best_i > alo and best_j > blo and a[best_i - 1] == b[best_j - 1]:
        best_i, best_j, best = best_i - 1, best_j - 1, best + 1
    while best_i + best < ahi and best_j + best < bhi and a[best_i + best] == b[best_j + best]:
        best += 1
    return best_i, best_j, best


# an insertion sort orders up to this many matching blocks (argsort beyond)
_FEW_BLOCKS = 32


@_jit
def diff_opcodes(a: Any, b: Any, n_values: int) -> Any:
    """Return ``difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()`` as codes.

    Parameters
    ----------
    a, b : ndarray of int64
        The two sequences as value codes: ``b``'s in ``0 .. n_values - 1``, ``a``'s the same
        codes for the same values and ``-1`` for a value that ``b`` lacks.
    n_values : int
        The number of distinct values of ``b``.

    Returns
    -------
    ndarray of int64, shape (n_ops, 5)
        ``(tag, i1, i2, j1, j2)`` per opcode, in difflib's order, with tag 0 ``equal``,
        1 ``replace``, 2 ``delete``, 3 ``insert``: the same opcodes difflib gives (its
        matching blocks, found longest first in a stack of sub-ranges, sorted and joined
        where adjacent), for any input.
    """
    la, lb = a.shape[0], b.shape[0]
    where = np.zeros(n_values + 1, dtype=np.int64)
    for j in range(lb):
        where[b[j] + 1] += 1
    for v in range(n_values):
        where[v + 1] += where[v]
    at = np.empty(lb, dtype=np.int64)
    fill = where[:-1].copy()
    for j in range(lb):
        at[fill[b[j]]] = j
        fill[b[j]] += 1
    runs = np.zeros((2, lb + 1), dtype=np.int64)
    rows = np.zeros((2, lb + 1), dtype=np.int64)
    cap = 2 * min(la, lb) + 2
    stack = np.empty((cap, 4), dtype=np.int64)
    blocks = np.empty((min(la, lb) + 1, 3), dtype=np.int64)
    stack[0, 0], stack[0, 1], stack[0, 2], stack[0, 3] = 0, la, 0, lb
    top, n_blocks = 1, 0
    while top > 0:
        top -= 1
        alo, ahi, blo, bhi = stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3]
        i, j, k = _longest_match(a, b, where, at, alo, ahi, blo, bhi, runs, rows)
        if k:
            blocks[n_blocks, 0], blocks[n_blocks, 1], blocks[n_blocks, 2] = i, j, k
            n_blocks += 1
            if alo < i and blo < j:
                stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3] = alo, i, blo, j
                top += 1
            if i + k < ahi and j + k < bhi:
                stack[top, 0], stack[top, 1] = i + k, ahi
                stack[top, 2], stack[top, 3] = j + k, bhi
                top += 1
    # blocks are disjoint in a (no ties): few, as a rule, and an insertion sort beats argsort
    if n_blocks > _FEW_BLOCKS:
        order = np.argsort(blocks[:n_blocks, 0])
    else:
        order = np.empty(n_blocks, dtype=np.int64)
        for r in range(n_blocks):
            w = r
            while w > 0 and blocks[order[w - 1], 0] > blocks[r, 0]:
                order[w] = order[w - 1]
                w -= 1
            order[w] = r
    joined = np.empty((n_blocks + 1, 3), dtype=np.int64)  # adjacent blocks joined, then the end
    n_joined = 0
    i1, j1, k1 = 0, 0, 0
    for r in range(n_blocks):
        i2, j2, k2 = blocks[order[r], 0], blocks[order[r], 1], blocks[order[r], 2]
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
            continue
        if k1:
            joined[n_joined, 0], joined[n_joined, 1], joined[n_joined, 2] = i1, j1, k1
            n_joined += 1
        i1, j1, k1 = i2, j2, k2
    if k1:
        joined[n_joined, 0], joined[n_joined, 1], joined[n_joined, 2] = i1, j1, k1
        n_joined += 1
    joined[n_joined, 0], joined[n_joined, 1], joined[n_joined, 2] = la, lb, 0
    n_joined += 1
    ops = np.empty((2 * n_joined, 5), dtype=np.int64)
    n_ops = 0
    i = j = 0
    for r in range(n_joined):
        ai, bj, size = joined[r, 0], joined[r, 1], joined[r, 2]
        tag = -1
        if i < ai and j < bj:
            tag = 1
        elif i < ai:
            tag = 2
        elif j < bj:
            tag = 3
        if tag >= 0:
            ops[n_ops, 0], ops[n_ops, 1], ops[n_ops, 2] = tag, i, ai
            ops[n_ops, 3], ops[n_ops, 4] = j, bj
            n_ops += 1
        i, j = ai + size, bj + size
        if size:
            ops[n_ops, 0], ops[n_ops, 1], ops[n_ops, 2] = 0, ai, i
            ops[n_ops, 3], ops[n_ops, 4] = bj, j
            n_ops += 1
    return ops[:n_ops]


@_jit
def _thousands(text: Any, start: int, end: int) -> Any:
    """Whether a number token's key drops its commas, as ``tokens.DIGITS_RE`` reads it in full.

    After its currency prefix: one to three digits, then groups of a comma and three digits
    (one or more), then at most one decimal part; the rest is the token's suffix (``%``,
    ``st``, ``s``...). ``1,200`` and ``US$1,200.50`` drop them; ``1,2`` and ``10:30,5`` keep them.
    """
    p = start
    if text[p] == _DOLLAR:
        p += 1
    elif 65 <= text[p] <= 90:  # A$ or US$
        p += 2 if text[p + 1] == _DOLLAR else 3
    q = p
    while q < end and _is_digit(text[q]):
        q += 1
    if q - p > 3:
        return False
    groups = 0
    while q < end and text[q] == _COMMA:
        r = q + 1
        while r < end and _is_digit(text[r]):
            r += 1
        if r - q != 4:
            return False
        q = r
        groups += 1
    if groups == 0:
        return False
    if q < end and text[q] == _DOT:
        q += 1
        while q < end and _is_digit(text[q]):
            q += 1
    return not (q < end and (text[q] == _DOT or text[q] == _COMMA or text[q] == _COLON))


@_jit
def _key_bytes(text: Any, tokens: Any) -> Any:
    """Return the tokens' keys joined, and where each ends (``ends[t]`` to ``ends[t + 1]``).

    A key is its token lower-cased (what ``casefold`` does to ASCII), without the thousands
    commas of a number (:func:`_thousands`): the key ``tokens._key`` gives it.
    """
    n = tokens.shape[1]
    keys = np.empty(text.shape[0], dtype=np.uint8)
    ends = np.zeros(n + 1, dtype=np.int64)
    m = 0
    for t in range(n):
        start, end = tokens[0, t], tokens[1, t]
        drop = tokens[2, t] == 1 and _thousands(text, start, end)
        for k in range(start, end):
            if not (drop and text[k] == _COMMA):
                keys[m] = _lower(text[k])
                m += 1
        ends[t + 1] = m
    return keys, ends


@_jit
def _key_hashes(keys: Any, ends: Any) -> Any:
    """Return the FNV-1a hash of each key of :func:`_key_bytes`."""
    n = ends.shape[0] - 1
    hashes = np.empty(n, dtype=np.uint64)
    for t in range(n):
        h = _FNV_OFFSET
        for k in range(ends[t], ends[t + 1]):
            h = (h ^ np.uint64(keys[k])) * _FNV_PRIME
        hashes[t] = h
    return hashes


@_jit
def _same_key(keys_a: Any, ends_a: Any, i: int, keys_b: Any, ends_b: Any, j: int) -> Any:
    """Whether key ``i`` of one text and key ``j`` of another (:func:`_key_bytes`) are equal."""
    start_a, start_b = ends_a[i], ends_b[j]
    size = ends_a[i + 1] - start_a
    if size != ends_b[j + 1] - start_b:
        return False
    t = 0
    while t < size and keys_a[start_a + t] == keys_b[start_b + t]:
        t += 1
    return t == size


@_jit
def _key_codes(text_a: Any, tokens_a: Any, text_b: Any, tokens_b: Any) -> Any:
    """Return the tokens' keys as codes for :func:`diff_opcodes`: equal keys, equal codes.

    ``b``'s distinct keys are numbered ``0 ..`` in the order they first occur (found in a
    small open-addressing table by hash, confirmed byte by byte, so a hash collision costs
    time, never a wrong match); an ``a`` key that ``b`` lacks is ``-1``. The opcodes do not
    depend on the numbering, only on which codes are equal.
    """
    keys_a, ends_a = _key_bytes(text_a, tokens_a)
    keys_b, ends_b = _key_bytes(text_b, tokens_b)
    nb = tokens_b.shape[1]
    hashes_b = _key_hashes(keys_b, ends_b)
    size = 2
    while size < 2 * nb:
        size *= 2
    mask = np.uint64(size - 1)
    slots = np.full(size, -1, dtype=np.int64)  # a token of b holding each key, open addressing
    codes_b = np.empty(nb, dtype=np.int64)
    n_values = 0
    for j in range(nb):
        h = hashes_b[j]
        s = np.int64(h & mask)
        while True:
            t = slots[s]
            if t < 0:
                slots[s] = j
                codes_b[j] = n_values
                n_values += 1
                break
            if hashes_b[t] == h and _same_key(keys_b, ends_b, j, keys_b, ends_b, t):
                codes_b[j] = codes_b[t]
                break
            s = (s + 1) & (size - 1)
    hashes_a = _key_hashes(keys_a, ends_a)
    codes_a = np.full(tokens_a.shape[1], -1, dtype=np.int64)
    for i in range(tokens_a.shape[1]):
        h = hashes_a[i]
        s = np.int64(h & mask)
        while slots[s] >= 0:
            t = slots[s]
            if hashes_b[t] == h and _same_key(keys_a, ends_a, i, keys_b, ends_b, t):
                codes_a[i] = codes_b[t]
                break
            s = (s + 1) & (size - 1)
    return codes_a, codes_b, n_values


_PUNCT_GROUP = 5  # the group of ascii_tokens that is a punctuation token


@_jit
def _put_op(out: Any, n: int, x1: int, x2: int, y1: int, y2: int) -> int:
    """Write the opcode of tokens ``x1:x2`` against ``y1:y2`` (if either is there) at ``n``."""
    if x2 > x1 and y2 > y1:
        out[n, 0], out[n, 1], out[n, 2], out[n, 3], out[n, 4] = 1, x1, x2, y1, y2
    elif x2 > x1:
        out[n, 0], out[n, 1], out[n, 2], out[n, 3], out[n, 4] = 2, x1, x2, y1, y1
    elif y2 > y1:
        out[n, 0], out[n, 1], out[n, 2], out[n, 3], out[n, 4] = 3, x1, x1, y1, y2
    else:
        return n
    return n + 1


@_jit
def _split_replaced(ops: Any, groups_a: Any, groups_b: Any) -> Any:
    """Split punctuation off the ends of each replaced stretch, as ``tokens._split_replace``."""
    out = np.empty((3 * ops.shape[0], 5), dtype=np.int64)
    n = 0
    for r in range(ops.shape[0]):
        i1, i2, j1, j2 = ops[r, 1], ops[r, 2], ops[r, 3], ops[r, 4]
        a1, b1 = i1, j1
        if ops[r, 0] == 1:
            while a1 < i2 and groups_a[a1] == _PUNCT_GROUP:
                a1 += 1
            while b1 < j2 and groups_b[b1] == _PUNCT_GROUP:
                b1 += 1
        if ops[r, 0] != 1 or a1 == i2 or b1 == j2:  # not replaced, or punctuation on one side
            out[n, :] = ops[r, :]
            n += 1
            continue
        a2, b2 = i2, j2
        while groups_a[a2 - 1] == _PUNCT_GROUP:
            a2 -= 1
        while groups_b[b2 - 1] == _PUNCT_GROUP:
            b2 -= 1
        n = _put_op(out, n, i1, a1, j1, b1)
        n = _put_op(out, n, a1, a2, b1, b2)
        n = _put_op(out, n, a2, i2, b2, j2)
    return out[:n]


@_jit
def _char_bound(tokens: Any, length: int, i: int) -> Any:
    """Return where the opcode edge before token ``i`` falls in the text (0 and the end outside)."""
    if i == 0:
        return 0
    if i == tokens.shape[1]:
        return length
    return tokens[0, i]


@_jit
def ascii_word_diff(text_a: Any, text_b: Any) -> Any:
    """Return ``storymatch.text.worddiff.word_diff`` of two ASCII texts, from their bytes.

    The tokens (:func:`ascii_tokens`), their keys as codes (:func:`_key_codes`), difflib's
    opcodes (:func:`diff_opcodes`), punctuation split off replaced words and the token edges
    as character offsets, in one call. Empty where a text has no token (the general path
    answers that).

    Returns
    -------
    ndarray of int64, shape (n_ops, 5)
        ``(tag, a_start, a_end, b_start, b_end)``, tags as :func:`diff_opcodes` codes them.
    """
    tokens_a = ascii_tokens(text_a)
    tokens_b = ascii_tokens(text_b)
    if tokens_a.shape[1] == 0 or tokens_b.shape[1] == 0:
        return np.empty((0, 5), dtype=np.int64)
    codes_a, codes_b, n_values = _key_codes(text_a, tokens_a, text_b, tokens_b)
    ops = _split_replaced(diff_opcodes(codes_a, codes_b, n_values), tokens_a[2], tokens_b[2])
    la, lb = text_a.shape[0], text_b.shape[0]
    for r in range(ops.shape[0]):
        ops[r, 1] = _char_bound(tokens_a, la, ops[r, 1])
        ops[r, 2] = _char_bound(tokens_a, la, ops[r, 2])
        ops[r, 3] = _char_bound(tokens_b, lb, ops[r, 3])
        ops[r, 4] = _char_bound(tokens_b, lb, ops[r, 4])
    return ops


# ---------------------------------------------------------------------------- sentences of lines


# The sentence splitter of ``storymatch.text.sentences`` replayed on the bytes of ASCII lines
# (one line: no line or paragraph break inside, so every candidate is terminal punctuation),
# and the folded keys of the copies' sentences (``storymatch.dedup.copies.fold_key``).
# Letters outside ASCII travel as stand-ins beyond the last code point (LETTER_*, as
# ``storymatch.text.sentences`` maps them: upper case, lower case, neither), so that a line of
# "£5" or "Zürich" is read here too; a character that none stands for leaves its line to the
# regexes. Words of the splitter's lists travel as codes (5 bits a character, ``a``-``z`` 1-26 and
# ``.`` 27, at most 12 characters; 0: no such word) with flags saying which lists hold them.

LETTER_UPPER = 0x110000
LETTER_LOWER = 0x110001
LETTER_OTHER = 0x110002
WORD_ABBREVIATION = 1
WORD_TITLE = 2
WORD_ALSO_WORD = 4
WORD_STARTER = 8
WORD_SPEECH_VERB = 16
WORD_NUMBER_SIGN = 32
MAX_WORD_CHARS = 12

_QUOTE_MARK = ord('"')
_QUESTION = ord("?")
_BANG = ord("!")
_HYPHEN = ord("-")
_SLASH = ord("/")
_SEMICOLON = ord(";")
_CLOSERS = tuple(b"\"')]}")  # closing quotes and brackets
_BRACKETS = tuple(b")]}")
_NEXT_OPENERS = tuple(b"\"'([{*-")  # what the next word skips before its letters
_TOKEN_OPENERS = tuple(b"\"'([{")  # what a token loses in front before a list is read
_NOT_OPENING = tuple(b"\"',;:.!?)]}")  # after these, a quote opens nothing
_CLAUSE_ENDS = tuple(b".,;:!?")


def _line_classes() -> np.ndarray[Any, Any]:
    r"""Return the class of each byte for the line pass of :func:`line_sentences`.

    0 most, 1 terminal punctuation (``.?!``), 2 the line break ``"\n"``, 3 what the compiled
    splitter leaves to the regexes (the other line breaks, anything outside ASCII). A table
    lookup per byte and a branch that is nearly always taken: five times the branches of
    comparisons on this loop.
    """
    table = np.zeros(256, dtype=np.uint8)
    for c in b".?!":
        table[c] = 1
    table[10] = 2
    for c in (11, 12, 13, 28, 29, 30, *range(128, 256)):  # (no stand-in: see line_spans)
        table[c] = 3
    return table


_LINE_CLASS = _line_classes()


@_jit
def word_code(codes: Any, lo: int, hi: int, lower: bool) -> int:
    """Return the code of the word ``codes[lo:hi]`` (lower-cased when ``lower``), 0 for none."""
    if hi <= lo or hi - lo > MAX_WORD_CHARS:
        return 0
    out: int = 0
    for i in range(lo, hi):
        c = codes[i]
        if lower and 65 <= c <= 90:
            c += 32
        if 97 <= c <= 122:
            v = c - 96
        elif c == _DOT:
            v = 27
        else:
            return 0
        out = out * 32 + v
    return out


@_jit
def _word_flags(words: Any, flags: Any, code: int) -> Any:
    """Return the list flags of a word code (0 where no list holds it)."""
    if code == 0:
        return 0
    i = np.searchsorted(words, code)
    if i < words.shape[0] and words[i] == code:
        return flags[i]
    return 0


@_jit
def _is_closer(c: Any) -> Any:
    return c in _CLOSERS


@_jit
def _is_terminal(c: Any) -> Any:
    return c in (_DOT, _QUESTION, _BANG)


@_jit
def _is_hspace(c: Any) -> Any:
    # whitespace that breaks no line: tab, unit separator, space
    return c == 32 or c == 9 or c == 31


@_jit
def _is_word_char(c: Any) -> Any:
    # \w: letters (stand-ins too), digits and the underscore
    return _is_alnum(c) or c == _UNDERSCORE or c >= LETTER_UPPER


@_jit
def _is_any_letter(c: Any) -> Any:
    return _is_letter(c) or c >= LETTER_UPPER


@_jit
def _is_upper(c: Any) -> Any:
    return 65 <= c <= 90 or c == LETTER_UPPER


@_jit
def _is_lower(c: Any) -> Any:
    return 97 <= c <= 122 or c == LETTER_LOWER


@_jit
def _is_token_char(c: Any) -> Any:
    # [\w.'-] of the attribution pattern
    return _is_word_char(c) or c in (_DOT, _APOSTROPHE, _HYPHEN)


@_jit
def _is_tail_char(c: Any) -> Any:
    # [\w'-] of the attribution pattern's words after the verb
    return _is_word_char(c) or c in (_APOSTROPHE, _HYPHEN)


@_jit
def _is_clause_end(c: Any) -> Any:
    return c in _CLAUSE_ENDS


@_jit
def _term_match(line: Any, p: int) -> tuple[int, int]:
    """Return the ends of the terminal punctuation and of its closers at ``p``, (-1, -1) for none.

    The ``term`` branch of the candidate pattern, backtracking as the regex does: a spaced
    ellipsis (``. . .``, two spaced dots or more), else a run of ``.?!``; closing quotes and
    brackets; then whitespace or the end.
    """
    n = line.shape[0]
    if line[p] == _DOT:
        pairs = 0
        q = p + 1
        while q + 1 < n and line[q] == 32 and line[q + 1] == _DOT:
            pairs += 1
            q += 2
        while pairs >= 2:
            end = p + 1 + 2 * pairs
            c = end
            while c < n and _is_closer(line[c]):
                c += 1
            if c == n or _is_space(line[c]):
                return end, c
            pairs -= 1
    r = p
    while r < n and _is_terminal(line[r]):
        r += 1
    c = r
    while c < n and _is_closer(line[c]):
        c += 1
    if c == n or _is_space(line[c]):
        return r, c
    return -1, -1


@_jit
def _attribution_tail(line: Any, e: int) -> bool:
    r"""Whether ``(?:\s+[\w'-]+){0,3}\s*[.,;:!?]`` matches at ``e``."""
    n = line.shape[0]
    for _ in range(4):
        j = e
        while j < n and _is_space(line[j]):
            j += 1
        if j < n and _is_clause_end(line[j]):
            return True
        if j == e:
            return False
        k = j
        while k < n and _is_tail_char(line[k]):
            k += 1
        if k == j:
            return False
        e = k
    return False


@_jit
def _attribution(line: Any, pos: int, words: Any, flags: Any) -> bool:
    """Whether a short attribution (the splitter's pattern: "Smith asked.") starts at ``pos``."""
    n = line.shape[0]
    i = pos
    while i < n and _is_space(line[i]):
        i += 1
    if i >= n or not 65 <= line[i] <= 90:
        return False
    i += 1
    while i < n and _is_token_char(line[i]):
        i += 1
    if i >= n or not _is_space(line[i]):
        return False
    while i < n and _is_space(line[i]):
        i += 1
    for _ in range(5):  # the speech verb after none to four words
        e = i
        while e < n and _is_word_char(line[e]):
            e += 1
        code = word_code(line, i, e, False)
        if _word_flags(words, flags, code) & WORD_SPEECH_VERB != 0 and _attribution_tail(line, e):
            return True
        j = i
        while j < n and _is_token_char(line[j]):
            j += 1
        if j == i or j >= n or not _is_space(line[j]):
            return False
        while j < n and _is_space(line[j]):
            j += 1
        i = j
    return False


@_jit
def _odd_quotes(line: Any, end: int) -> bool:
    count = 0
    for i in range(end):
        if line[i] == _QUOTE_MARK:
            count += 1
    return count % 2 == 1


@_jit
def _decide_term(line: Any, p: int, term_end: int, match_end: int, words: Any, flags: Any) -> int:
    """Return where the sentence ends for the candidate at ``p``, or -1: the splitter's rules."""
    n = line.shape[0]
    cut = match_end
    # closing quotes after a space
    late_quote = False
    while True:
        q = cut
        while q < n and _is_hspace(line[q]):
            q += 1
        if q == cut or q >= n or line[q] not in (_QUOTE_MARK, _APOSTROPHE):
            break
        cannot_open = q + 1 >= n or _is_space(line[q + 1]) or line[q + 1] in _NOT_OPENING
        if line[q] == _QUOTE_MARK:
            closing = cannot_open or (
                ((q + 1 < n and _is_lower(line[q + 1])) or _attribution(line, q + 1, words, flags))
                and _odd_quotes(line, q)
            )
        else:
            closing = cannot_open
        if not closing:
            break
        cut = q + 1
        while cut < n and _is_closer(line[cut]):
            cut += 1
        late_quote = True
        if cut < n and not _is_space(line[cut]):
            return -1
    # the next word
    q = cut
    while q < n and _is_space(line[q]):
        q += 1
    while q < n and line[q] in _NEXT_OPENERS:
        q += 1
    w0 = q
    while q < n and _is_word_char(line[q]):
        q += 1
    w1 = q
    dot = w1 < n and line[w1] == _DOT
    if w1 + (1 if dot else 0) >= n and w1 == w0:
        return cut
    first = line[w0] if w1 > w0 else 0
    if _is_lower(first):
        return -1
    upper = _is_upper(first)
    if not (term_end - p == 1 and line[p] == _DOT):
        quoted = late_quote
        for i in range(term_end, match_end):
            if line[i] in (_QUOTE_MARK, _APOSTROPHE):
                quoted = True
        last = line[term_end - 1]
        if (
            quoted
            and last in (_QUESTION, _BANG)
            and upper
            and _attribution(line, cut, words, flags)
        ):
            return -1
        return cut
    # a single full stop; its closers end where the match ends (late quotes aside)
    for i in range(term_end, match_end):
        if line[i] not in _BRACKETS:
            return cut
    lo = max(p - 40, 0)
    if p == 0 or _is_space(line[p - 1]):
        return cut
    start = p
    while start > lo and not _is_space(line[start - 1]):
        start -= 1
    a = start
    while a < p and line[a] in _TOKEN_OPENERS:
        a += 1
    if a == p:
        return cut
    if _is_digit(line[p - 1]):
        if _is_digit(first):
            return -1
        if p - a <= 3:
            digits = True
            for i in range(a, p):
                if not _is_digit(line[i]):
                    digits = False
            blank = True
            for i in range(start):
                if not _is_space(line[i]):
                    blank = False
            if digits and blank:
                return -1
        return cut
    t = p
    while t > a and line[t - 1] not in (_HYPHEN, _SLASH):
        t -= 1
    if t == p:
        t = a
    token_flags = _word_flags(words, flags, word_code(line, t, p, True))
    if token_flags & WORD_ABBREVIATION == 0:
        # a dotted acronym or an initial: letters with a full stop between each two
        if (p - t) % 2 == 0:
            return cut
        for i in range(t, p):
            if (i - t) % 2 == 0:
                if not _is_any_letter(line[i]):
                    return cut
            elif line[i] != _DOT:
                return cut
    if token_flags & WORD_NUMBER_SIGN != 0:  # "no", "nos": no sentence ends before a number
        for i in range(w0, w1):
            if _is_digit(line[i]):
                return -1
        return cut
    starts = not dot and (
        _word_flags(words, flags, word_code(line, w0, w1, True)) & WORD_STARTER != 0
    )
    if token_flags & WORD_TITLE != 0:
        return cut if starts else -1
    if token_flags & WORD_ALSO_WORD != 0 and not _is_upper(line[t]):
        return cut
    if starts:
        return cut
    if upper and line[w0 - 1] == _QUOTE_MARK:
        return cut
    return -1


@_jit
def _emit(line: Any, lo: int, hi: int, offset: int, number: int, out: Any, found: int) -> int:
    """Append ``line[lo:hi]`` without its surrounding whitespace (if any is left) to ``out``."""
    while lo < hi and _is_space(line[lo]):
        lo += 1
    if lo == hi:
        return found
    while _is_space(line[hi - 1]):
        hi -= 1
    out[found, 0] = offset + lo
    out[found, 1] = offset + hi
    out[found, 2] = number
    return found + 1


@_jit
def _line_sentences(
    line: Any,
    terminals: Any,
    offset: int,
    number: int,
    words: Any,
    flags: Any,
    out: Any,
    found: int,
) -> int:
    """Append the sentences of one ASCII line to ``out`` from row ``found``; return the count.

    ``terminals`` holds the offsets (in the text, ``offset`` being the line's) of the line's
    ``.?!``: where the candidate pattern may match.
    """
    n = line.shape[0]
    start = 0
    resume = 0  # where the candidate search goes on: the end of the last match
    for t in range(terminals.shape[0]):
        pos = terminals[t] - offset
        if pos < resume:
            continue
        term_end, match_end = _term_match(line, pos)
        if term_end < 0:
            continue
        cut = _decide_term(line, pos, term_end, match_end, words, flags)
        resume = match_end
        if cut > start:
            found = _emit(line, start, cut, offset, number, out, found)
            start = cut
    if n > start:
        found = _emit(line, start, n, offset, number, out, found)
    return found


@_jit
def line_sentences(codes: Any, words: Any, flags: Any) -> tuple[Any, Any]:
    r"""Return the sentences of each ``"\n"``-separated line of a text, as the splitter finds them.

    Parameters
    ----------
    codes : ndarray of integers
        The text's code points, letters outside ASCII as their ``LETTER_*`` stand-ins.
    words, flags : ndarray of int64
        The splitter's word lists: the word codes (:func:`word_code`), ascending, and their
        ``WORD_*`` flags.

    Returns
    -------
    spans : ndarray of int64, shape (n_sentences, 3)
        ``(start, end, line)`` of each sentence of the lines it read: what
        ``storymatch.text.sentences.sentence_spans`` finds on the line, offset to the text.
    skipped : ndarray of int64
        The lines it did not read (a code outside ASCII and the ``LETTER_*`` stand-ins, or a
        line break other than ``"\n"``: the splitter's other branches), ascending.
    """
    n = codes.shape[0]
    out = np.empty((n // 2 + 1, 3), dtype=np.int64)
    skipped = np.empty(n + 1, dtype=np.int64)
    terminals = np.empty(n + 1, dtype=np.int64)
    n_terminals = 0
    n_skipped = 0
    found = 0
    number = 0
    lo = 0
    simple = True
    # one pass (a for loop: numba proves the index non-negative, several times a while loop)
    for hi in range(n + 1):
        c = codes[hi] if hi < n else 10
        kind = _LINE_CLASS[c] if c < 256 else 0 if c >= LETTER_UPPER else 3
        if kind == 0:
            continue
        if kind == 1:
            terminals[n_terminals] = hi
            n_terminals += 1
            continue
        if kind == 3:
            simple = False
            continue
        if not simple:
            skipped[n_skipped] = number
            n_skipped += 1
        elif hi > lo:
            found = _line_sentences(
                codes[lo:hi], terminals[:n_terminals], lo, number, words, flags, out, found
            )
        number += 1
        lo = hi + 1
        simple = True
        n_terminals = 0
    return out[:found], skipped[:n_skipped]


@_jit
def _put_row(
    rows: Any,
    kept: int,
    start: int,
    end: int,
    paragraph: int,
    key_start: int,
    key_end: int,
    words: int,
) -> int:
    """Write one sentence's row of :func:`fold_sentences` at ``kept``; return the next row."""
    rows[kept, 0] = start
    rows[kept, 1] = end
    rows[kept, 2] = paragraph
    rows[kept, 3] = key_start
    rows[kept, 4] = key_end
    rows[kept, 5] = words
    return kept + 1


@_jit
def fold_sentences(codes: Any, spans: Any, fold: Any) -> tuple[Any, Any]:
    """Return the folded keys and word counts of sentences of an ASCII text.

    Parameters
    ----------
    codes : ndarray of integers
        The text's bytes (ASCII only).
    spans : ndarray of int64, shape (n_sentences, 3)
        ``(start, end, line)`` of the sentences, in text order (:func:`line_sentences`).
    fold : ndarray of uint8, shape (128,) or more
        The folded byte of each byte; 0 for one that the key drops, 1 for whitespace (dropped,
        and it separates words).

    Returns
    -------
    rows : ndarray of int64, shape (n_kept, 6)
        ``(start, end, paragraph, key_start, key_end, words)`` of each sentence whose key is
        not empty: the key is ``keys[key_start:key_end]``, ``words`` its whitespace-separated
        words, ``paragraph`` the number of lines with such a sentence before its own.
    keys : ndarray of uint8
        The keys, one after another.
    """
    k = spans.shape[0]
    rows = np.empty((k, 6), dtype=np.int64)
    keys = np.empty(codes.shape[0], dtype=np.uint8)
    kept = 0
    at = 0
    paragraph = -1
    last_line = -1
    for r in range(k):
        start, end, line = spans[r, 0], spans[r, 1], spans[r, 2]
        key_start = at
        words = 0
        in_word = 0
        for i in range(start, end):  # no branch: spaces and punctuation come unpredictably
            folded = fold[codes[i]]
            other = 1 if folded != 1 else 0
            words += other * (1 - in_word)
            in_word = other
            keys[at] = folded  # (overwritten unless kept: at <= i)
            at += 1 if folded > 1 else 0
        if at == key_start:
            continue
        if line != last_line:
            paragraph += 1
            last_line = line
        kept = _put_row(rows, kept, start, end, paragraph, key_start, at, words)
    return rows[:kept], keys[:at]


@_jit
def line_sentence_keys(codes: Any, words: Any, flags: Any, fold: Any) -> tuple[Any, Any, int]:
    """Return :func:`line_sentences` of an ASCII text and :func:`fold_sentences` of them, at once.

    Returns
    -------
    rows, keys : ndarray
        As :func:`fold_sentences` returns them, valid where ``skipped`` is 0.
    skipped : int
        How many lines :func:`line_sentences` did not read (a count: an array returned costs
        more than its reading here, at a call per member).
    """
    spans, skipped = line_sentences(codes, words, flags)
    rows, keys = fold_sentences(codes, spans, fold)
    return rows, keys, skipped.shape[0]


@_jit
def fold_wide_sentences(codes: Any, spans: Any, fold: Any, lengths: Any) -> tuple[Any, Any]:
    """Return :func:`fold_sentences` of a text of code points, a character folding to several.

    Parameters
    ----------
    codes : ndarray of integers
        The text's code points, each below ``lengths.shape[0]`` with a length of -1 or more.
    spans : ndarray of int64, shape (n_sentences, 3)
        ``(start, end, line)`` of the sentences, in text order.
    fold : ndarray of uint32, shape (n_codes, width)
        The folded characters of each code point, ``lengths[c]`` of them.
    lengths : ndarray of int8, shape (n_codes,)
        How many characters each code point folds to; -1 for whitespace (folds to none, and it
        separates words).

    Returns
    -------
    rows : ndarray of int64, shape (n_kept, 6)
        As :func:`fold_sentences` returns them.
    keys : ndarray of uint32
        The keys' code points, one after another.
    """
    k = spans.shape[0]
    width = fold.shape[1]
    rows = np.empty((k, 6), dtype=np.int64)
    keys = np.empty((codes.shape[0] + 1) * width, dtype=np.uint32)
    kept = 0
    at = 0
    paragraph = -1
    last_line = -1
    for r in range(k):
        start, end, line = spans[r, 0], spans[r, 1], spans[r, 2]
        key_start = at
        words = 0
        in_word = 0
        for i in range(start, end):
            c = codes[i]
            n = lengths[c]
            other = 1 if n >= 0 else 0
            words += other * (1 - in_word)
            in_word = other
            for j in range(width):  # all of them, then only its own kept (no branch)
                keys[at + j] = fold[c, j]
            at += max(n, 0)
        if at == key_start:
            continue
        if line != last_line:
            paragraph += 1
            last_line = line
        kept = _put_row(rows, kept, start, end, paragraph, key_start, at, words)
    return rows[:kept], keys[:at]


@_jit
def wide_sentence_keys(
    codes: Any, stand_ins: Any, words: Any, flags: Any, fold: Any, lengths: Any
) -> tuple[Any, Any, int, bool]:
    """Return :func:`line_sentences` and :func:`fold_wide_sentences` of a text, at once.

    ``codes`` are the text's code points; :func:`line_sentences` reads those below
    ``stand_ins.shape[0]`` as ``stand_ins`` maps them (the ``LETTER_*`` stand-ins), the others
    as they are. ``ok`` is False (and the rest empty) where a code point has no entry in
    ``fold``: one at or past its end, or of length below -1.

    Returns
    -------
    rows, keys : ndarray
        As :func:`fold_wide_sentences` returns them, valid where ``ok`` and ``skipped`` is 0.
    skipped : int
        How many lines :func:`line_sentences` did not read.
    ok : bool
        Whether every code point has its fold.
    """
    n_codes = lengths.shape[0]
    n_stand_ins = stand_ins.shape[0]
    split = np.empty(codes.shape[0], dtype=np.uint32)
    for i in range(codes.shape[0]):
        c = codes[i]
        if c >= n_codes or lengths[c] < -1:
            empty = np.empty((0, 6), dtype=np.int64)
            return empty, np.empty(0, dtype=np.uint32), 0, False
        split[i] = stand_ins[c] if c < n_stand_ins else c
    spans, skipped = line_sentences(split, words, flags)
    rows, keys = fold_wide_sentences(codes, spans, fold, lengths)
    return rows, keys, skipped.shape[0], True


# ---------------------------------------------------------------------------------- arborescence


@_jit
def min_arborescence_dense(costs: Any, root: int) -> Any:
    """Return the parents of a minimum spanning arborescence (Chu-Liu/Edmonds), -1 for none.

    The compiled form of :func:`storymatch.dedup.arborescence.min_arborescence`'s contraction,
    step for step, so that its ties fall alike: the cheapest edge into each node (ties to the
    lower parent), the first cycle met walking from each node in the nodes' order, the cycle
    contracted into a new node (numbered after the highest) whose entering edges cost what
    they save on the cycle (ties between edges to the lowest (parent, child)), the contracted
    graph solved, then expanded.

    Parameters
    ----------
    costs : ndarray of int64, shape (nodes, nodes)
        ``costs[u, v]`` the cost of the edge u -> v (0 or more), ``-1`` for none. Loops and
        edges into ``root`` are ignored.
    root : int
        The node every other one must be reached from.

    Returns
    -------
    ndarray of int64
        The parent of each node (-1 for ``root``); all -2 when a node cannot be reached from
        ``root``.
    """
    nodes = costs.shape[0]
    cap = 2 * nodes  # room for the contracted nodes, numbered on from nodes
    weights = np.full((cap, cap), -1, dtype=np.int64)
    for u in range(nodes):
        for v in range(nodes):
            if u != v and v != root:
                weights[u, v] = costs[u, v]
    order = np.empty((nodes, cap), dtype=np.int64)  # each level's nodes, in their order
    count = np.zeros(nodes, dtype=np.int64)
    best_w = np.empty((nodes, cap), dtype=np.int64)
    best_u = np.empty((nodes, cap), dtype=np.int64)
    inside = np.zeros((nodes, cap), dtype=np.bool_)
    into = np.empty((nodes, cap), dtype=np.int64)  # edge (u, new): the cycle node it enters
    out_of = np.empty((nodes, cap), dtype=np.int64)  # edge (new, v): the cycle node it leaves
    new_id = np.empty(nodes, dtype=np.int64)
    state = np.empty(cap, dtype=np.int64)
    path = np.empty(cap, dtype=np.int64)
    for i in range(nodes):
        order[0, i] = i
    count[0] = nodes
    w = weights
    level = 0
    while True:
        k = count[level]
        for v in range(cap):
            best_w[level, v] = -1
            best_u[level, v] = -1
        for u in range(cap):
            for v in range(cap):
                c = w[u, v]
                if c >= 0 and (best_w[level, v] < 0 or c < best_w[level, v]):
                    best_w[level, v] = c
                    best_u[level, v] = u
        for i in range(k):
            v = order[level, i]
            if v != root and best_u[level, v] < 0:
                return np.full(nodes, -2, dtype=np.int64)
        # the first cycle met from each node in order, as _find_cycle walks them
        state[:] = 0
        found = -1
        length = 0
        for i in range(k):
            v = order[level, i]
            length = 0
            while v != root and state[v] == 0:
                state[v] = 1
                path[length] = v
                length += 1
                v = best_u[level, v]
            if v != root and state[v] == 1:
                found = v
                break
            for j in range(length):
                state[path[j]] = 2
        if found < 0:
            break
        start = 0
        while path[start] != found:
            start += 1
        for j in range(start, length):
            inside[level, path[j]] = True
        new = 0
        for i in range(k):
            new = max(new, order[level, i] + 1)
        new_id[level] = new
        contracted = np.full((cap, cap), -1, dtype=np.int64)
        for u in range(cap):
            for v in range(cap):
                c = w[u, v]
                if c < 0 or (inside[level, u] and inside[level, v]):
                    continue
                if inside[level, v]:
                    a, b, c = u, new, c - best_w[level, v]
                elif inside[level, u]:
                    a, b = new, v
                else:
                    a, b = u, v
                if contracted[a, b] < 0 or c < contracted[a, b]:
                    contracted[a, b] = c
                    if b == new:
                        into[level, a] = v
                    elif a == new:
                        out_of[level, b] = u
        m = 0
        for i in range(k):
            x = order[level, i]
            if not inside[level, x]:
                order[level + 1, m] = x
                m += 1
        order[level + 1, m] = new
        count[level + 1] = m + 1
        w = contracted
        level += 1
    parent = best_u[level].copy()
    while level > 0:
        level -= 1
        new = new_id[level]
        out = np.full(cap, -1, dtype=np.int64)
        for v in range(cap):
            u = parent[v]
            if u < 0 or v == root:
                continue
            if v == new:
                out[into[level, u]] = u
            elif u == new:
                out[v] = out_of[level, v]
            else:
                out[v] = u
        for v in range(cap):
            if inside[level, v] and out[v] < 0:
                out[v] = best_u[level, v]
        parent = out
    result = parent[:nodes].copy()
    result[root] = -1
    return result


# ---------------------------------------------------------------------------------- event names
# The capitalised spans of storymatch.events.signals._NAME_SPAN, in a text's characters as bytes:
# ASCII as it is, and each other character as an ASCII one of its kind for the pattern, or
# _CURLY_APOSTROPHE for the right single quote (both a word's character and a sentence mark).

_HYPHEN = ord("-")
_CURLY_APOSTROPHE = 0x80
# the lexicon's joiners, by length (_is_name_joiner reads words of two and three letters)
_NAME_JOINERS_2 = tuple(tuple(map(ord, w)) for w in NAME_JOINERS if len(w) == 2)
_NAME_JOINERS_3 = tuple(tuple(map(ord, w)) for w in NAME_JOINERS if len(w) == 3)


@_jit
def _is_capital(c: Any) -> Any:
    return 65 <= c <= 90


@_jit
def _is_sentence_mark(c: Any) -> Any:
    # the names' sentence marks: . ! ? : ; " ( [, the line break and the curly apostrophe
    return c in (46, 33, 63, 58, 59, 34, 40, 91, 10, _CURLY_APOSTROPHE)


@_jit
def _starts_sentence(codes: Any, p: int) -> Any:
    """Whether the capital at ``p`` may start a sentence: a mark and at most two white spaces."""
    if p == 0 or _is_sentence_mark(codes[p - 1]):
        return True
    if p >= 2 and _is_space(codes[p - 1]):
        if _is_sentence_mark(codes[p - 2]):
            return True
        return p >= 3 and _is_space(codes[p - 2]) and _is_sentence_mark(codes[p - 3])
    return False


@_jit
def _capital_word_end(codes: Any, i: int) -> int:
    r"""Return where a capitalised word whose capital is just before ``i`` ends.

    Its word, apostrophe and hyphen characters, back to the last word character (the regex's
    ``(?:[\w'-]*\w)?`` backtracks there), and a full stop when a capital follows it (after one
    white space at most).
    """
    n = codes.shape[0]
    end = i
    j = i
    while j < n:
        c = codes[j]
        if _is_word_byte(c):
            end = j + 1
        elif c != _APOSTROPHE and c != _HYPHEN and c != _CURLY_APOSTROPHE:
            break
        j += 1
    if end < n and codes[end] == _DOT:
        if end + 1 < n and _is_capital(codes[end + 1]):
            return end + 1
        if end + 2 < n and _is_space(codes[end + 1]) and _is_capital(codes[end + 2]):
            return end + 1
    return end


@_jit
def _is_name_joiner(codes: Any, a: int, b: int) -> Any:
    """Whether ``codes[a:b]`` is one of the lower-case words a name may hold (``of``, ``van``)."""
    if b - a == 2:
        for word in _NAME_JOINERS_2:
            if codes[a] == word[0] and codes[a + 1] == word[1]:
                return True
    elif b - a == 3:
        for word in _NAME_JOINERS_3:
            if codes[a] == word[0] and codes[a + 1] == word[1] and codes[a + 2] == word[2]:
                return True
    return False


@_jit
def name_spans(codes: Any) -> Any:
    """Return the capitalised spans of a text as ``_NAME_SPAN.finditer`` finds them.

    Parameters
    ----------
    codes : ndarray of uint8
        The text's characters, one byte each: an ASCII character as it is, any other as the
        ASCII character that stands for its kind (``storymatch.events.signals._name_codes``),
        the right single quote as 0x80.

    Returns
    -------
    ndarray of int64, shape (3, n_spans)
        Start and end of each span, left to right, and 1 where its capital may start a
        sentence (the regex's group 1 is set), else 0 (the tests compare both).
    """
    n = codes.shape[0]
    out = np.empty((3, n), dtype=np.int64)
    found = 0
    i = 0
    while i < n:
        if not _is_capital(codes[i]):
            i += 1
            continue
        end = _capital_word_end(codes, i + 1)
        while True:  # more words: white space, maybe a joiner and white space, a capital
            k = end
            while k < n and _is_space(codes[k]):
                k += 1
            if k in (end, n):  # no white space, or nothing after it
                break
            if not _is_capital(codes[k]):
                j = k
                while j < n and 97 <= codes[j] <= 122:  # a to z
                    j += 1
                if j == n or not _is_space(codes[j]) or not _is_name_joiner(codes, k, j):
                    break
                k = j
                while k < n and _is_space(codes[k]):
                    k += 1
                if k == n or not _is_capital(codes[k]):
                    break
            end = _capital_word_end(codes, k + 1)
        out[0, found], out[1, found], out[2, found] = i, end, _starts_sentence(codes, i)
        found += 1
        i = end
    return out[:, :found]


# -------------------------------------------------------------------------------- event numbers
# The numbers and the months of storymatch.events.signals in a lower-cased ASCII text.

_MONTH_KEYS = tuple((ord(m[0]) << 16) | (ord(m[1]) << 8) | ord(m[2]) for m in MONTH_NAMES)
_PERCENT_WORD = tuple(map(ord, "percent"))
_PER_CENT_WORDS = tuple(map(ord, "per cent"))


@_jit
def ascii_month_places(codes: Any) -> Any:
    """Return where a month's first three letters start a word in a lower-cased ASCII text.

    Parameters
    ----------
    codes : ndarray of uint8
        The text's bytes (ASCII, lower case).

    Returns
    -------
    ndarray of int64
        The places, in order: a month's three letters (``jan`` to ``dec``) with no word
        character before them. A date's month is there: the date pattern's first branch
        reads a word boundary before the month, its second white space.
    """
    n = codes.shape[0]
    out = np.empty(n // 3 + 1, dtype=np.int64)
    found = 0
    for i in range(n - 2):
        if i > 0 and _is_word_byte(codes[i - 1]):
            continue
        key = (np.int64(codes[i]) << 16) | (np.int64(codes[i + 1]) << 8) | np.int64(codes[i + 2])
        if key in _MONTH_KEYS:
            out[found] = i
            found += 1
    return out[:found]


@_jit
def _digits_end(codes: Any, i: int) -> int:
    n = codes.shape[0]
    while i < n and _is_digit(codes[i]):
        i += 1
    return i


@_jit
def _is_word_at(codes: Any, i: int, word: Any) -> Any:
    r"""Whether ``word`` is at ``i``, with no word character after it (``\b``)."""
    end = i + len(word)
    if end > codes.shape[0]:
        return False
    for k in range(len(word)):
        if codes[i + k] != word[k]:
            return False
    return _bound(codes, end)


@_jit
def _grouped_number_end(codes: Any, i: int) -> int:
    r"""Return the end of ``\d{0,2}(?:,\d{3})+`` after the digit at ``i``; ``i`` where none."""
    n = codes.shape[0]
    more = 0
    while more < 2 and i + 1 + more < n and _is_digit(codes[i + 1 + more]):
        more += 1
    for k in range(more, -1, -1):  # \d{0,2} gives back a digit at a time
        end = i + 1 + k
        groups = 0
        while (
            end + 3 < n
            and codes[end] == _COMMA
            and _is_digit(codes[end + 1])
            and _is_digit(codes[end + 2])
            and _is_digit(codes[end + 3])
        ):
            end += 4
            groups += 1
        if groups:
            return end
    return i


@_jit
def ascii_numbers(codes: Any) -> Any:
    """Return the matches of ``storymatch.events.signals._NUMBER`` in a lower-cased ASCII text.

    Parameters
    ----------
    codes : ndarray of uint8
        The text's bytes (ASCII, lower case).

    Returns
    -------
    ndarray of int64, shape (6, n_matches)
        Start and end of the pattern's three groups in each match, left to right (the number,
        the percent sign or word, the unit word); a group that did not match as ``0, 0``. The
        same as ``finditer`` gives (the tests compare both).
    """
    n = codes.shape[0]
    # a match and the character after it take two at least ("5%6%"): room for all, not zeroed
    out = np.empty((6, n // 2 + 1), dtype=np.int64)
    found = 0
    i = 0
    while i < n:
        if not _is_digit(codes[i]) or (
            i > 0 and (_is_word_byte(codes[i - 1]) or codes[i - 1] in (_DOT, _COMMA))
        ):
            i += 1
            continue
        end = _grouped_number_end(codes, i)
        if end == i:  # digits, then maybe a point and digits
            end = _digits_end(codes, i)
            if end + 1 < n and codes[end] == _DOT and _is_digit(codes[end + 1]):
                end = _digits_end(codes, end + 1)
        out[0, found], out[1, found] = i, end
        out[2:, found] = 0  # no percent or unit yet
        k = end
        while k < n and _is_space(codes[k]):
            k += 1
        if k < n and codes[k] == _PERCENT:
            out[2, found], out[3, found], end = k, k + 1, k + 1
        elif _is_word_at(codes, k, _PERCENT_WORD):
            out[2, found], out[3, found], end = k, k + 7, k + 7
        elif _is_word_at(codes, k, _PER_CENT_WORDS):
            out[2, found], out[3, found], end = k, k + 8, k + 8
        k = end
        while k < n and (_is_space(codes[k]) or codes[k] == _HYPHEN):
            k += 1
        if k > end:
            j = k
            while j < n and 97 <= codes[j] <= 122:  # a to z
                j += 1
            if j - k >= 3:
                out[4, found], out[5, found], end = k, j, j
        found += 1
        i = end
    return out[:, :found]
