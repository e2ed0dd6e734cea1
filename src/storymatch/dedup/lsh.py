"""Locality-sensitive hashing over MinHash signatures.

A signature of ``num_perm`` values is cut into ``bands`` bands of ``rows`` values; two documents
become a candidate pair when all values of at least one band agree. For Jaccard similarity ``s``
that happens with probability ``1 - (1 - s**rows)**bands``, an S-curve whose steep part sits
near ``(1/bands)**(1/rows)``. :func:`optimal_params` picks the bands and rows that minimise a
weighted sum of the area under the curve below the threshold (false positives) and above it
(false negatives), as datasketch's ``MinHashLSH`` does, but with storymatch's default weights
leaning towards recall: every candidate is verified exactly afterwards, so a false positive
costs a few hundred nanoseconds while a false negative loses a copy for good.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch.dedup.minhash import SIGNATURE_VERSION, Signatures
from storymatch.errors import IncompatibleSignatureError, InvalidParameterError, StorageError
from storymatch.text.shingles import ShingleSets

__all__ = [
    "LSHIndex",
    "Match",
    "band_keys",
    "candidate_pairs",
    "collision_probability",
    "optimal_params",
    "pairs_from_keys",
]

logger = logging.getLogger(__name__)

_INDEX_FORMAT = 1


def collision_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that two documents of Jaccard ``similarity`` share at least one band."""
    return float(1.0 - (1.0 - similarity**rows) ** bands)


def optimal_params(
    threshold: float,
    num_perm: int,
    *,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> tuple[int, int]:
    """Choose ``(bands, rows)`` for a Jaccard threshold.

    Parameters
    ----------
    threshold : float
        Jaccard similarity above which pairs should become candidates.
    num_perm : int
        Signature length; ``bands * rows <= num_perm``.
    false_positive_weight : float, default=0.5
        Weight of the probability mass of candidates below ``threshold``.
    false_negative_weight : float, default=0.5
        Weight of the probability mass of missed pairs above ``threshold``.

    Returns
    -------
    tuple of int
        ``(bands, rows)`` minimising the weighted error.

    Examples
    --------
    >>> optimal_params(0.8, 128)
    (9, 13)
    """
    if not 0.0 < threshold < 1.0:
        msg = (
            "The 'threshold' parameter of optimal_params must be a float in the range (0, 1). "
            f"Got {threshold!r} instead."
        )
        raise InvalidParameterError(msg)
    best = (1, 1)
    best_error = float("inf")
    grid_lo = np.linspace(0.0, threshold, 200)
    grid_hi = np.linspace(threshold, 1.0, 200)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = np.trapezoid(1.0 - (1.0 - grid_lo**rows) ** bands, grid_lo)
            fn = np.trapezoid((1.0 - grid_hi**rows) ** bands, grid_hi)
            error = false_positive_weight * fp + false_negative_weight * fn
            if error < best_error - 1e-12:
                best_error = float(error)
                best = (bands, rows)
    return best


def _check_bands(bands: int, rows: int, num_perm: int) -> None:
    if bands < 1 or rows < 1 or bands * rows > num_perm:
        msg = (
            "The 'bands' and 'rows' parameters must be positive with bands * rows <= num_perm "
            f"({num_perm}). Got bands={bands}, rows={rows} instead."
        )
        raise InvalidParameterError(msg)


def band_keys(signatures: Signatures, bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """Hash every band of every signature to one 64-bit key, shape ``(n_docs, bands)``."""
    _check_bands(bands, rows, signatures.num_perm)
    keys: npt.NDArray[np.uint64] = _kernels.band_keys(
        signatures.values, bands, rows, signatures.seed
    )
    return keys


def candidate_pairs(
    signatures: Signatures, *, bands: int, rows: int, max_bucket: int = 64
) -> npt.NDArray[np.int64]:
    """All pairs of documents that share a band, for a whole corpus at once.

    Parameters
    ----------
    signatures : Signatures
        One row per document.
    bands : int
        Number of bands.
    rows : int
        Values per band.
    max_bucket : int, default=64
        Buckets with more members than this (many copies of one text, or a degenerate
        signature) contribute each member paired with the bucket's smallest index, not every
        pair, so that the work stays linear; their members still end up in one group when they
        verify against it.

    Returns
    -------
    numpy.ndarray of int64, shape (n_pairs, 2)
        Distinct pairs ``(i, j)`` with ``i < j``, sorted. Empty documents take no part.
    """
    keys = band_keys(signatures, bands, rows)
    return pairs_from_keys(keys, ~signatures.empty, max_bucket=max_bucket)


def _band_pairs(col: npt.NDArray[np.uint64], max_bucket: int) -> npt.NDArray[np.uint64] | None:
    order = np.argsort(col)
    ordered = col[order]
    breaks = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [ordered.shape[0]]))
    multi = ends - starts > 1
    if not multi.any():
        return None
    pairs: npt.NDArray[np.uint64] = _kernels.emit_bucket_pairs(
        order, starts[multi], ends[multi], max_bucket
    )
    return pairs


def pairs_from_keys(
    keys: npt.NDArray[np.uint64], valid: npt.NDArray[np.bool_], *, max_bucket: int = 64
) -> npt.NDArray[np.int64]:
    """Candidate pairs from precomputed band keys (see :func:`candidate_pairs`).

    Parameters
    ----------
    keys : numpy.ndarray of uint64, shape (n_docs, bands)
        Band keys, e.g. from :func:`band_keys`.
    valid : numpy.ndarray of bool, shape (n_docs,)
        Documents that take part (False for empty documents).
    max_bucket : int, default=64
        See :func:`candidate_pairs`.

    Returns
    -------
    numpy.ndarray of int64, shape (n_pairs, 2)
        Distinct pairs ``(i, j)`` with ``i < j``, sorted.
    """
    index = np.flatnonzero(valid)
    if index.shape[0] >= 2**32:
        msg = "candidate_pairs handles at most 2**32 documents at once"
        raise InvalidParameterError(msg)
    sub = keys[index]
    # Sorting releases the GIL, so the bands are spread over the cores.
    with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, 8)) as pool:
        results = list(
            pool.map(
                lambda b: _band_pairs(np.ascontiguousarray(sub[:, b]), max_bucket),
                range(sub.shape[1]),
            )
        )
    parts = [r for r in results if r is not None]
    if not parts:
        return np.zeros((0, 2), dtype=np.int64)
    packed = np.unique(np.concatenate(parts))
    left = index[(packed >> np.uint64(32)).astype(np.int64)]
    right = index[(packed & np.uint64(0xFFFFFFFF)).astype(np.int64)]
    return np.stack([left, right], axis=1)


@dataclass(frozen=True, slots=True)
class Match:
    """A document of an index that matches a query.

    Parameters
    ----------
    id : str
        Key of the indexed document.
    jaccard : float
        Exact Jaccard similarity of the shingle sets when the index keeps them, else the
        MinHash estimate.
    containment : float
        Share of the smaller shingle set found in the larger one (exact when the index keeps
        shingles, else NaN).
    """

    id: str
    jaccard: float
    containment: float


class LSHIndex:
    """An incremental LSH index: add, query and remove documents one at a time.

    A value object (validates in ``__init__``), like datasketch's ``MinHashLSH``. The index
    keeps each document's band keys and, when given, its shingle set, so that queries return
    verified similarities.

    Parameters
    ----------
    threshold : float, default=0.5
        Jaccard threshold used to choose ``bands`` and ``rows`` when they are not given, and
        below which :meth:`query` drops verified matches.
    num_perm : int, default=128
        Signature length of the signatures to be added.
    bands, rows : int or None, default=None
        Explicit banding; both or neither.
    containment_threshold : float or None, default=None
        When set, a candidate also matches if this share of the smaller shingle set is found
        in the larger (an abridged copy).
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        num_perm: int = 128,
        bands: int | None = None,
        rows: int | None = None,
        containment_threshold: float | None = None,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            msg = (
                "The 'threshold' parameter of LSHIndex must be a float in the range (0.0, 1.0]. "
                f"Got {threshold!r} instead."
            )
            raise InvalidParameterError(msg)
        if (bands is None) != (rows is None):
            msg = "The 'bands' and 'rows' parameters of LSHIndex must be given together."
            raise InvalidParameterError(msg)
        if bands is None or rows is None:
            bands, rows = optimal_params(
                min(threshold, 0.99), num_perm, false_positive_weight=0.1, false_negative_weight=0.9
            )
        _check_bands(bands, rows, num_perm)
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands = bands
        self.rows = rows
        self.containment_threshold = containment_threshold
        self._settings: tuple[int, str, int] | None = None  # seed, shingling, version
        self._buckets: list[dict[int, set[str]]] = [{} for _ in range(bands)]
        self._keys: dict[str, npt.NDArray[np.uint64]] = {}
        self._signatures: dict[str, npt.NDArray[np.uint64]] = {}
        self._shingles: dict[str, npt.NDArray[np.uint64]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def _check(self, signatures: Signatures) -> None:
        settings = (signatures.seed, signatures.shingling, signatures.version)
        if signatures.num_perm != self.num_perm:
            msg = (
                f"The index holds signatures with num_perm={self.num_perm}. "
                f"Got num_perm={signatures.num_perm} instead."
            )
            raise IncompatibleSignatureError(msg)
        if self._settings is None:
            self._settings = settings
        elif settings != self._settings:
            msg = (
                "The index holds signatures made with (seed, shingling, version) = "
                f"{self._settings}. Got {settings} instead."
            )
            raise IncompatibleSignatureError(msg)

    def add(
        self,
        key: str,
        signatures: Signatures,
        row: int = 0,
        shingles: ShingleSets | None = None,
    ) -> None:
        """Add one document (row ``row`` of a batch); adding a present key replaces it.

        Parameters
        ----------
        key : str
            The document's key.
        signatures : Signatures
            A batch holding its signature, e.g. ``MinHasher().signature(text)``.
        row : int, default=0
            Which row of ``signatures`` (and of ``shingles``) is the document.
        shingles : ShingleSets or None, default=None
            The batch's shingle sets, kept for exact verification at query time.
        """
        sigs = Signatures(
            signatures.values[row : row + 1],
            signatures.num_perm,
            signatures.seed,
            signatures.shingling,
            signatures.version,
        )
        sets = None
        if shingles is not None:
            one = shingles[row]
            sets = ShingleSets(np.array([0, one.shape[0]], dtype=np.int64), one)
        self.insert_many([key], sigs, sets)

    def insert_many(
        self,
        keys: Sequence[str],
        signatures: Signatures,
        shingles: ShingleSets | None = None,
    ) -> None:
        """Add documents; adding a key that is already present replaces it.

        Parameters
        ----------
        keys : sequence of str
            One key per signature row.
        signatures : Signatures
            Their signatures.
        shingles : ShingleSets or None, default=None
            Their shingle sets, kept for exact verification at query time.
        """
        self._check(signatures)
        if len(keys) != len(signatures):
            msg = (
                f"The 'keys' parameter must have one key per signature ({len(signatures)}). "
                f"Got {len(keys)} instead."
            )
            raise InvalidParameterError(msg)
        bkeys = band_keys(signatures, self.bands, self.rows)
        empty = signatures.empty
        for row, key in enumerate(keys):
            if key in self._keys:
                self.remove(key)
            self._keys[key] = bkeys[row]
            self._signatures[key] = signatures.values[row]
            if shingles is not None:
                self._shingles[key] = shingles[row]
            if empty[row]:
                continue
            for b, bucket in enumerate(self._buckets):
                bucket.setdefault(int(bkeys[row, b]), set()).add(key)

    def remove(self, key: str) -> None:
        """Remove a document; a missing key raises ``KeyError``."""
        bkeys = self._keys.pop(key)
        self._signatures.pop(key, None)
        self._shingles.pop(key, None)
        for b, bucket in enumerate(self._buckets):
            members = bucket.get(int(bkeys[b]))
            if members is not None:
                members.discard(key)
                if not members:
                    del bucket[int(bkeys[b])]

    def candidates(self, signatures: Signatures, row: int = 0) -> set[str]:
        """Keys sharing at least one band with row ``row`` of ``signatures``."""
        self._check(signatures)
        if signatures.empty[row]:
            return set()
        bkeys = band_keys(signatures, self.bands, self.rows)[row]
        found: set[str] = set()
        for b, bucket in enumerate(self._buckets):
            members = bucket.get(int(bkeys[b]))
            if members:
                found.update(members)
        return found

    def query(
        self, signatures: Signatures, row: int = 0, shingles: ShingleSets | None = None
    ) -> list[Match]:
        """Return the matches of one document, best first.

        With ``shingles`` (for the query) and shingle sets kept in the index, similarities are
        exact and a match needs ``jaccard >= threshold`` or ``containment >=
        containment_threshold``; otherwise the MinHash estimate is compared with
        ``threshold``. Ties are broken by key.
        """
        found = self.candidates(signatures, row)
        query_sig = signatures.values[row]
        query_set = shingles[row] if shingles is not None else None
        matches = []
        for key in found:
            if query_set is not None and key in self._shingles:
                other = self._shingles[key]
                inter = int(np.intersect1d(query_set, other, assume_unique=True).shape[0])
                union = query_set.shape[0] + other.shape[0] - inter
                jac = inter / union if union else 0.0
                smaller = min(query_set.shape[0], other.shape[0])
                con = inter / smaller if smaller else 0.0
                ok = jac >= self.threshold or (
                    self.containment_threshold is not None and con >= self.containment_threshold
                )
            else:
                jac = float(np.count_nonzero(self._signatures[key] == query_sig)) / self.num_perm
                con = float("nan")
                ok = jac >= self.threshold
            if ok:
                matches.append(Match(key, jac, con))
        matches.sort(key=lambda m: (-m.jaccard, m.id))
        return matches

    def save(self, path: str | Path) -> None:
        """Write the index to a ``.npz`` file (no pickle), atomically."""
        from storymatch.io import atomic_write  # noqa: PLC0415 - io sits beside, not below

        keys = sorted(self._keys)
        header = {
            "format": _INDEX_FORMAT,
            "signature_version": SIGNATURE_VERSION,
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "bands": self.bands,
            "rows": self.rows,
            "containment_threshold": self.containment_threshold,
            "settings": list(self._settings) if self._settings else None,
            "keys": keys,
            "has_shingles": [k in self._shingles for k in keys],
        }
        sig = (
            np.stack([self._signatures[k] for k in keys])
            if keys
            else np.zeros((0, self.num_perm), np.uint64)
        )
        sets = [self._shingles.get(k, np.zeros(0, np.uint64)) for k in keys]
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum([s.shape[0] for s in sets], out=offsets[1:])
        values = np.concatenate(sets) if sets else np.zeros(0, np.uint64)
        with atomic_write(path, mode="wb") as fh:
            np.savez(
                fh,
                header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
                signatures=sig,
                offsets=offsets,
                values=values,
            )

    @classmethod
    def load(cls, path: str | Path) -> LSHIndex:
        """Read an index written by :meth:`save`."""
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(data["header"].tobytes().decode())
                sig = data["signatures"]
                offsets = data["offsets"]
                values = data["values"]
        except (OSError, ValueError, KeyError) as exc:
            msg = f"cannot read LSH index {path}: {exc}"
            raise StorageError(msg) from exc
        if (
            header.get("format") != _INDEX_FORMAT
            or header.get("signature_version") != SIGNATURE_VERSION
        ):
            msg = f"LSH index {path} has format {header.get('format')}, expected {_INDEX_FORMAT}"
            raise StorageError(msg)
        index = cls(
            threshold=header["threshold"],
            num_perm=header["num_perm"],
            bands=header["bands"],
            rows=header["rows"],
            containment_threshold=header["containment_threshold"],
        )
        keys: list[str] = header["keys"]
        if header["settings"] is not None and keys:
            seed, shingling, version = header["settings"]
            sigs = Signatures(sig, header["num_perm"], seed, shingling, version)
            sets = ShingleSets(offsets, values)
            index.insert_many(keys, sigs, sets)
            for key, has in zip(keys, header["has_shingles"], strict=True):
                if not has:
                    index._shingles.pop(key, None)
        return index

    def keys(self) -> Iterable[str]:
        """Return the keys of the indexed documents."""
        return self._keys.keys()
