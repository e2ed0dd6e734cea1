"""The steps of near-duplicate grouping that every engine shares, and their defaults.

:class:`~storymatch.dedup.NearDuplicateClusterer` (one process),
:meth:`LSHIndex.groups <storymatch.dedup.LSHIndex.groups>` (a persistent index) and
:mod:`storymatch.dedup.spark` (executors of a Spark job) group documents with the same code,
the public functions of this module, so that changing the engine never changes the groups::

    prepare_texts ─ hash_corpus ─ (LSH candidate pairs) ─ similarities ─ is_duplicate
        ─ union-find ─ guarded_groups (chaining guard, representative) ─ label_groups

The defaults of the verification settings are defined here once (:data:`DEFAULT_THRESHOLD`,
:data:`DEFAULT_CONTAINMENT_THRESHOLD`, :data:`DEFAULT_CHAIN_GUARD`); the hashing defaults live
beside :class:`~storymatch.dedup.MinHasher` and the banding defaults beside
:func:`~storymatch.dedup.lsh.choose_bands`. :class:`StageClock` times the stages of a run.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch._estimator import published
from storymatch._gcpause import paused_gc
from storymatch.dedup.lsh import band_keys
from storymatch.dedup.minhash import MinHasher
from storymatch.errors import InvalidParameterError
from storymatch.models import Article, DuplicateGroup, Progress, stable_id
from storymatch.text.boilerplate.widgets import MARKER_PHRASES, strip_widgets
from storymatch.text.normalize import fold_unicode
from storymatch.text.shingles import ShingleSets, encode_batch, shingle_codes

__all__ = [
    "DEFAULT_CHAIN_GUARD",
    "DEFAULT_CONTAINMENT_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "Progress",
    "StageClock",
    "check_unit",
    "duplicate_pairs",
    "group_id",
    "guarded_groups",
    "hash_corpus",
    "is_duplicate",
    "label_groups",
    "prepare_batch",
    "prepare_texts",
    "representative",
    "similarities",
]

DEFAULT_THRESHOLD = 0.5
"""Exact Jaccard similarity at which two texts are copies (see NearDuplicateClusterer)."""
DEFAULT_CONTAINMENT_THRESHOLD = 0.8
"""Share of the smaller shingle set found in the larger at which an abridged copy counts."""
DEFAULT_CHAIN_GUARD = 0.3
"""Score every group member must reach against its representative (see guarded_groups)."""

_BATCH = 2048
"""Documents hashed per batch by :func:`hash_corpus`."""
_VERIFY_CHUNK = 1 << 20  # pairs verified at a time by duplicate_pairs
_PHRASE_OFFSETS = np.cumsum([0, *(len(p) for p in MARKER_PHRASES)], dtype=np.int64)
_PHRASES = np.frombuffer("".join(MARKER_PHRASES).encode("ascii"), dtype=np.uint8)


def check_unit(owner: str, name: str, value: object, *, allow_none: bool = False) -> None:
    """Raise :class:`InvalidParameterError` unless ``value`` is a float in ``[0, 1]``.

    Parameters
    ----------
    owner : str
        The class or function whose parameter it is, for the message.
    name : str
        The parameter's name.
    value : object
        The value received.
    allow_none : bool, default=False
        Whether None is allowed (a rule turned off).
    """
    if allow_none and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        msg = (
            f"The {name!r} parameter of {owner} must be a float in the range "
            f"[0.0, 1.0]{' or None' if allow_none else ''}. Got {value!r} instead."
        )
        raise InvalidParameterError(msg)


def group_id(members: Sequence[str]) -> str:
    """Stable id of a group: ``"g-"`` and 16 hex digits of a hash of the sorted member ids."""
    return stable_id("g-", members)


class StageClock:
    """Wall time of the stages of one run (summed over batches), for the log and benchmarks.

    Examples
    --------
    >>> clock = StageClock()
    >>> clock.lap("shingles")
    >>> sorted(clock.seconds)
    ['shingles']
    """

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def lap(self, name: str) -> None:
        """Charge the time since the previous lap to ``name``."""
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.last
        self.last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.seconds.items())


def prepare_texts(texts: Sequence[str], *, strip_boilerplate: bool) -> list[str]:
    """Fold Unicode and case and, when asked, remove "Read more" widgets before hashing.

    Parameters
    ----------
    texts : sequence of str
        The original texts.
    strip_boilerplate : bool
        Whether to remove widgets (:func:`storymatch.text.boilerplate.strip_widgets`).

    Returns
    -------
    list of str
        The texts to shingle with ``casefold=False``.
    """
    folded = [fold_unicode(t) for t in texts]
    if strip_boilerplate:
        return [strip_widgets(t, lowercase=True) for t in folded]
    return folded


def prepare_batch(
    texts: Sequence[str], *, strip_boilerplate: bool
) -> tuple[npt.NDArray[np.uint8] | npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """:func:`prepare_texts`, laid out for the shingle kernels, with less work per text.

    Gives the same shingles as ``encode_batch(prepare_texts(texts, ...), casefold=False)``:
    an ASCII text is not lower-cased here (the kernels fold ASCII case as they hash), other
    texts go through :func:`~storymatch.text.normalize.fold_unicode`, and the widget rule runs
    only on the texts that a compiled pass over the lines finds a line in starting with a
    marker phrase (:data:`~storymatch.text.boilerplate.widgets.MARKER_PHRASES`); it leaves
    every other text as it is.

    Parameters
    ----------
    texts : sequence of str
        The original texts.
    strip_boilerplate : bool
        Whether to remove widgets (:func:`storymatch.text.boilerplate.strip_widgets`).

    Returns
    -------
    codes : numpy.ndarray of uint8 or uint32
        The code points of the prepared texts, for
        :func:`~storymatch.text.shingles.shingle_codes`.
    offsets : numpy.ndarray of int64, shape (n_docs + 1,)
        Document ``i`` is ``codes[offsets[i]:offsets[i + 1]]``.
    """
    folded = [t if t.isascii() else fold_unicode(t) for t in texts]
    codes, offsets = encode_batch(folded, casefold=False)
    if not strip_boilerplate:
        return codes, offsets
    changed = False
    for i in np.flatnonzero(_kernels.line_prefix_docs(codes, offsets, _PHRASES, _PHRASE_OFFSETS)):
        text = folded[i]
        if text.isascii():
            text = text.lower()  # what fold_unicode does to an ASCII text
        stripped = strip_widgets(text, lowercase=True)
        if stripped != text:
            folded[i] = stripped
            changed = True
    if changed:
        codes, offsets = encode_batch(folded, casefold=False)
    return codes, offsets


def hash_corpus(
    texts: Sequence[str],
    hasher: MinHasher,
    *,
    bands: int,
    rows: int,
    strip_boilerplate: bool,
    progress: Progress | None = None,
    clock: StageClock | None = None,
) -> tuple[ShingleSets, npt.NDArray[np.uint64]]:
    """Shingle sets and LSH band keys of every document, batch by batch.

    Signatures live only as long as their batch: what stays is the band keys (``bands``
    values per document) and the shingle sets, written into one buffer that is reserved for
    the worst case but only touched as far as it is filled.

    Parameters
    ----------
    texts : sequence of str
        The original texts.
    hasher : MinHasher
        The hash settings.
    bands, rows : int
        The LSH banding.
    strip_boilerplate : bool
        See :func:`prepare_texts`.
    progress : callable or None, default=None
        Called as ``progress("hashing", done, total)`` after each batch.
    clock : StageClock or None, default=None
        Charged with the stages "fold+widgets", "shingles" and "minhash+bands".

    Returns
    -------
    sets : ShingleSets
        One set per document.
    keys : numpy.ndarray of uint64, shape (n_docs, bands)
        The band keys.
    """
    clock = StageClock() if clock is None else clock
    n = len(texts)
    keys = np.empty((n, bands), dtype=np.uint64)
    # Shingles per document: at most one per two characters for words, one per character for
    # character n-grams. Unicode folding can lengthen a text, so the buffer still grows when a
    # batch does not fit.
    per_char = 2 if hasher.kind == "word" else 1
    values = np.empty(sum(len(t) // per_char + 1 for t in texts), dtype=np.uint64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    filled = 0
    for start in range(0, n, _BATCH):
        codes, doc_offsets = prepare_batch(
            texts[start : start + _BATCH], strip_boilerplate=strip_boilerplate
        )
        clock.lap("fold+widgets")
        part = shingle_codes(
            codes,
            doc_offsets,
            kind=hasher.kind,
            shingle_size=hasher.shingle_size,
            seed=hasher.seed,
            ocr_fold=hasher.ocr_fold,
        )
        clock.lap("shingles")
        stop = start + doc_offsets.shape[0] - 1
        size = part.values.shape[0]
        if filled + size > values.shape[0]:
            grown = np.empty(max(2 * values.shape[0], filled + size), dtype=np.uint64)
            grown[:filled] = values[:filled]
            values = grown
        values[filled : filled + size] = part.values
        offsets[start + 1 : stop + 1] = part.offsets[1:] + filled
        filled += size
        signatures = hasher.from_shingles(part)
        keys[start:stop] = band_keys(signatures, bands, rows)
        clock.lap("minhash+bands")
        if progress is not None:
            progress("hashing", stop, n)
    return ShingleSets(offsets, values[:filled]), keys


def similarities(
    sets: ShingleSets, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Exact Jaccard similarity and containment of pairs of shingle sets.

    Parameters
    ----------
    sets : ShingleSets
        The shingle sets.
    left, right : numpy.ndarray of int64
        Indexes into ``sets``: pair ``k`` is ``(left[k], right[k])``.

    Returns
    -------
    jaccard : numpy.ndarray of float64
        ``|A & B| / |A | B|`` (0.0 when both are empty; 1.0 for a set with itself).
    containment : numpy.ndarray of float64
        ``|A & B| / min(|A|, |B|)`` (0.0 when either is empty; 1.0 for a set with itself).
    """
    left = np.ascontiguousarray(left, dtype=np.int64)
    right = np.ascontiguousarray(right, dtype=np.int64)
    inter = _kernels.intersections(sets.offsets, sets.values, left, right).astype(np.float64)
    sizes = sets.sizes
    a = sizes[left].astype(np.float64)
    b = sizes[right].astype(np.float64)
    union = a + b - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(union > 0, inter / union, 0.0)
        con = np.where(np.minimum(a, b) > 0, inter / np.minimum(a, b), 0.0)
    same = left == right
    jac[same] = 1.0
    con[same] = 1.0
    return jac, con


def is_duplicate(
    jaccard: npt.NDArray[np.float64],
    containment: npt.NDArray[np.float64],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    containment_threshold: float | None = DEFAULT_CONTAINMENT_THRESHOLD,
) -> npt.NDArray[np.bool_]:
    """Which pairs are copies: ``jaccard >= threshold`` or ``containment >= containment_threshold``.

    Parameters
    ----------
    jaccard, containment : numpy.ndarray of float64
        From :func:`similarities`.
    threshold : float, default=0.5
        Jaccard threshold.
    containment_threshold : float or None, default=0.8
        Containment threshold; None turns the rule off.

    Returns
    -------
    numpy.ndarray of bool
        One flag per pair.

    Examples
    --------
    >>> import numpy as np
    >>> is_duplicate(np.array([0.6, 0.3, 0.3]), np.array([0.6, 0.9, 0.5])).tolist()
    [True, True, False]
    """
    keep = jaccard >= threshold
    if containment_threshold is not None:
        keep |= containment >= containment_threshold
    return np.asarray(keep)


def _min_shared(
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
    *,
    threshold: float,
    containment_threshold: float | None,
) -> npt.NDArray[np.int64]:
    """Return the fewest shared shingles with which sets of sizes ``a`` and ``b`` are copies.

    For every pair, the smallest integer ``i`` for which :func:`is_duplicate` holds on the
    Jaccard and containment that :func:`similarities` computes from an intersection of ``i``
    (``min(a, b) + 1`` when none does). Both scores grow with ``i``, in floating point too, so
    a pair is a copy exactly when its intersection reaches this number.
    """
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    small = np.minimum(a, b)

    def copies(k: npt.NDArray[np.intp], i: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        union = a[k] + b[k] - i
        with np.errstate(divide="ignore", invalid="ignore"):
            jac = np.where(union > 0, i / union, 0.0)
            con = np.where(small[k] > 0, i / small[k], 0.0)
        return is_duplicate(
            jac, con, threshold=threshold, containment_threshold=containment_threshold
        )

    # Start just below the real-valued bound, then test the integers upwards with the exact
    # float expressions: two or three steps per pair.
    estimate = threshold * (a + b) / (1.0 + threshold)
    if containment_threshold is not None:
        estimate = np.minimum(estimate, containment_threshold * small)
    i = np.clip(np.floor(estimate) - 2.0, 0.0, small)
    needed = small + 1.0
    todo = np.arange(a.shape[0])
    while todo.shape[0]:
        here = i[todo]
        hit = copies(todo, here)
        needed[todo[hit]] = here[hit]
        todo = todo[~hit & (here < small[todo])]
        i[todo] += 1.0
    return needed.astype(np.int64)


def duplicate_pairs(
    sets: ShingleSets,
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    containment_threshold: float | None = DEFAULT_CONTAINMENT_THRESHOLD,
) -> npt.NDArray[np.bool_]:
    """Which pairs are copies: ``is_duplicate(*similarities(sets, left, right), ...)``, faster.

    Each pair's sorted merge stops as soon as the shingles left on the smaller side cannot
    bring the intersection to the fewest that makes a copy; on candidate pairs from LSH, most
    of which are not copies, that halves the work.

    Parameters
    ----------
    sets : ShingleSets
        The shingle sets.
    left, right : numpy.ndarray of int64
        Indexes into ``sets``: pair ``k`` is ``(left[k], right[k])``, ``left[k] != right[k]``.
    threshold : float, default=0.5
        Jaccard threshold.
    containment_threshold : float or None, default=0.8
        Containment threshold; None turns the rule off.

    Returns
    -------
    numpy.ndarray of bool
        One flag per pair.
    """
    left = np.ascontiguousarray(left, dtype=np.int64)
    right = np.ascontiguousarray(right, dtype=np.int64)
    sizes = sets.sizes
    flags = np.empty(left.shape[0], dtype=np.bool_)
    # A chunk at a time: the bounds take a dozen temporary arrays per pair, which for all the
    # pairs at once would outweigh the pairs themselves (0.5 GB at 400,000 documents).
    for start in range(0, left.shape[0], _VERIFY_CHUNK):
        stop = start + _VERIFY_CHUNK
        lhs, rhs = left[start:stop], right[start:stop]
        needed = _min_shared(
            sizes[lhs],
            sizes[rhs],
            threshold=threshold,
            containment_threshold=containment_threshold,
        )
        inter = _kernels.intersections_until(sets.offsets, sets.values, lhs, rhs, needed)
        np.greater_equal(inter, needed, out=flags[start:stop])
    return flags


def representative(
    articles: Sequence[Article], members: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
) -> int:
    """Return a group's representative: the earliest dated member, else the longest; ties by id.

    Parameters
    ----------
    articles : sequence of Article
        The corpus (only ``id`` and ``date`` are read).
    members : numpy.ndarray of int64
        Indexes of the group's members.
    lengths : numpy.ndarray of int64
        Length of every document's original text.

    Returns
    -------
    int
        Index of the representative.
    """

    def key(i: int) -> tuple[int, datetime | int, int, str]:
        date = published(articles[int(i)])
        if date is not None:
            return (0, date, -int(lengths[i]), articles[int(i)].id)
        return (1, 0, -int(lengths[i]), articles[int(i)].id)

    return int(min(members.tolist(), key=key))


def guarded_groups(
    articles: Sequence[Article],
    sets: ShingleSets,
    parent: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    *,
    chain_guard: float | None = DEFAULT_CHAIN_GUARD,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64], int]:
    """Pick representatives and split chained members off their union-find components.

    Every member of a component must reach ``chain_guard`` (the larger of its Jaccard and
    containment) against the component's :func:`representative`; the members that do not are
    regrouped with the verified edges among them, and their groups are checked again.

    Parameters
    ----------
    articles : sequence of Article
        The corpus (only ``id`` and ``date`` are read).
    sets : ShingleSets
        Every document's shingle set.
    parent : numpy.ndarray of int64
        Union-find roots of the verified pairs (:func:`storymatch._kernels.union_find`).
    lengths : numpy.ndarray of int64
        Length of every document's original text.
    left, right : numpy.ndarray of int64
        The verified pairs.
    chain_guard : float or None, default=0.3
        The score a member needs; None keeps the plain components.

    Returns
    -------
    root : numpy.ndarray of int64
        Every document's representative.
    similarities : numpy.ndarray of float64
        Every document's Jaccard similarity to its representative.
    containments : numpy.ndarray of float64
        Every document's containment with its representative.
    n_splits : int
        Members moved out of a group by the guard.
    """
    n = parent.shape[0]
    root = parent.copy()
    sims = np.ones(n, dtype=np.float64)
    cons = np.ones(n, dtype=np.float64)
    splits = 0
    # members of groups of two or more, checked against their representative; those the guard
    # splits off are regrouped with the verified edges among them and checked again
    pending = [np.flatnonzero(np.bincount(root, minlength=n)[root] > 1)]
    while pending:
        members = pending.pop()
        if not members.size:
            continue
        comp_root = root[members]
        order = np.argsort(comp_root, kind="stable")
        members = members[order]
        comp_root = comp_root[order]
        bounds = np.flatnonzero(np.diff(comp_root)) + 1
        groups = np.split(members, bounds)
        reps = np.array([representative(articles, g, lengths) for g in groups])
        rep_of = np.repeat(reps, [g.size for g in groups])
        jac, con = similarities(sets, rep_of, members)
        sims[members] = jac
        cons[members] = con
        score = np.maximum(jac, con)
        for g, r in zip(groups, reps, strict=True):
            root[g] = r
        if chain_guard is None:
            continue
        bad = (score < chain_guard) & (members != rep_of)
        if not bad.any():
            continue
        splits += int(np.count_nonzero(bad))
        out = members[bad]
        mask = np.zeros(n, dtype=bool)
        mask[out] = True
        sub = mask[left] & mask[right]
        sub_parent = _kernels.union_find(n, left[sub], right[sub])
        root[out] = sub_parent[out]
        sims[out] = 1.0
        cons[out] = 1.0
        multi = out[np.bincount(sub_parent[out], minlength=n)[sub_parent[out]] > 1]
        if multi.size:
            pending.append(multi)
    return root, sims, cons, splits


def label_groups(
    ids: Sequence[str], root: npt.NDArray[np.int64], sims: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], list[DuplicateGroup]]:
    """Label the groups in order of their first document and describe each as a DuplicateGroup.

    Parameters
    ----------
    ids : sequence of str
        Every document's id.
    root : numpy.ndarray of int64
        Every document's representative (from :func:`guarded_groups`).
    sims : numpy.ndarray of float64
        Every document's similarity to its representative.

    Returns
    -------
    labels : numpy.ndarray of int64
        Every document's group number.
    groups : list of DuplicateGroup
        The groups in label order: representative first, then the other members by id, with
        their similarities rounded to 6 digits; ids from :func:`group_id`.
    """
    # One DuplicateGroup (and two tuples) per group, all kept: the cyclic collector would scan
    # them over and over (storymatch._gcpause).
    with paused_gc():
        return _label_groups(ids, root, sims)


def _label_groups(
    ids: Sequence[str], root: npt.NDArray[np.int64], sims: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], list[DuplicateGroup]]:
    """:func:`label_groups` without the collector's pause."""
    n = root.shape[0]
    _, first = np.unique(root, return_index=True)
    roots_in_order = root[np.sort(first)]
    label_of_root = np.empty(n, dtype=np.int64)
    label_of_root[roots_in_order] = np.arange(roots_in_order.shape[0], dtype=np.int64)
    labels = label_of_root[root]
    order = np.argsort(labels, kind="stable").tolist()
    sizes = np.bincount(labels, minlength=roots_in_order.shape[0]).tolist()
    groups = []
    rounded = np.round(sims, 6).tolist()
    start = 0
    # plain Python ints from here: per group, numpy scalars and views cost more than the work
    for rep, size in zip(roots_in_order.tolist(), sizes, strict=True):
        if size == 1:
            aid = ids[rep]
            groups.append(DuplicateGroup(group_id((aid,)), aid, (aid,), (1.0,)))
            start += 1
            continue
        members = order[start : start + size]
        start += size
        others = sorted((m for m in members if m != rep), key=ids.__getitem__)
        ordered = [rep, *others]
        member_ids = tuple(ids[m] for m in ordered)
        groups.append(
            DuplicateGroup(
                id=group_id(member_ids),
                representative=ids[rep],
                members=member_ids,
                similarities=tuple(rounded[m] for m in ordered),
            )
        )
    return labels, groups
