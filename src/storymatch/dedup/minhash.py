"""MinHash signatures: seeded, batched, versioned.

storymatch uses one-permutation MinHash with optimal densification (Li, Owen & Zhang, NIPS 2012;
Shrivastava, ICML 2017): every shingle hash is computed once and falls into one of ``num_perm``
bins, and each bin keeps its smallest value. The probability that two signatures agree in a
bin equals the Jaccard similarity of the two shingle sets, as with ``num_perm`` independent
permutations, at ``1/num_perm`` of the hashing cost. Values are 32-bit, stored as ``uint64`` as
datasketch does, so signatures can be handed to datasketch (:meth:`Signatures.to_datasketch`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch.errors import IncompatibleSignatureError, InvalidParameterError
from storymatch.text.shingles import (
    DEFAULT_KIND,
    DEFAULT_OCR_FOLD,
    DEFAULT_SEED,
    DEFAULT_SHINGLE_SIZE,
    ShingleKind,
    ShingleSets,
    check_shingle_options,
    shingle_batch,
)

if TYPE_CHECKING:
    from datasketch import MinHash

__all__ = [
    "DEFAULT_KIND",
    "DEFAULT_NUM_PERM",
    "DEFAULT_OCR_FOLD",
    "DEFAULT_SEED",
    "DEFAULT_SHINGLE_SIZE",
    "SIGNATURE_VERSION",
    "MinHasher",
    "Signatures",
]

SIGNATURE_VERSION = 1
"""Bumped whenever the bytes of a signature for the same text and settings change."""

# The one set of hashing defaults lives with the shingles (DEFAULT_SEED, DEFAULT_SHINGLE_SIZE,
# DEFAULT_KIND, DEFAULT_OCR_FOLD, imported above and re-exported here); MinHasher,
# NearDuplicateClusterer, LSHIndex and the Spark engine take them from here, so that their
# defaults and shingle() hash the same text alike.
DEFAULT_NUM_PERM = 128
"""Signature length."""

_BATCH = 4096
_DATASKETCH_EMPTY = (1 << 32) - 1
_MIN_PERM = 2
_MAX_PERM = 4096


@dataclass(frozen=True, slots=True)
class Signatures:
    """MinHash signatures of a batch of documents, with the settings that made them.

    Parameters
    ----------
    values : numpy.ndarray of uint64, shape (n_docs, num_perm)
        One row per document. A document without shingles has every value equal to
        ``2**64 - 1``.
    num_perm : int
        Number of bins (the signature length).
    seed : int
        Seed of the hash family.
    shingling : str
        The shingle settings, e.g. ``"word:5"``.
    version : int
        :data:`SIGNATURE_VERSION` of the code that made them.
    """

    values: npt.NDArray[np.uint64]
    num_perm: int
    seed: int
    shingling: str
    version: int = SIGNATURE_VERSION

    def __len__(self) -> int:
        return int(self.values.shape[0])

    @property
    def empty(self) -> npt.NDArray[np.bool_]:
        """Which documents had no shingle at all."""
        return np.asarray(self.values[:, 0] == _kernels.EMPTY)

    def check_compatible(self, other: Signatures) -> None:
        """Raise :class:`IncompatibleSignatureError` unless ``other`` has the same settings."""
        mine = (self.num_perm, self.seed, self.shingling, self.version)
        theirs = (other.num_perm, other.seed, other.shingling, other.version)
        if mine != theirs:
            msg = (
                "Signatures made with different settings cannot be compared: "
                f"(num_perm, seed, shingling, version) = {mine} and {theirs}."
            )
            raise IncompatibleSignatureError(msg)

    def jaccard(self, i: int, other: Signatures | None = None, j: int | None = None) -> float:
        """Estimate the Jaccard similarity of document ``i`` and document ``j``.

        Parameters
        ----------
        i : int
            Row of this batch.
        other : Signatures or None, default=None
            The batch holding ``j`` (this one when None).
        j : int or None, default=None
            Row of ``other``; defaults to ``i``.

        Returns
        -------
        float
            The fraction of bins in which the two signatures agree (0.0 if either document
            is empty).
        """
        other = self if other is None else other
        self.check_compatible(other)
        a = self.values[i]
        b = other.values[i if j is None else j]
        if a[0] == _kernels.EMPTY or b[0] == _kernels.EMPTY:
            return 0.0
        return float(np.count_nonzero(a == b)) / self.num_perm

    def concat(self, other: Signatures) -> Signatures:
        """Return the rows of ``self`` followed by the rows of ``other``."""
        self.check_compatible(other)
        values = np.concatenate([self.values, other.values])
        return Signatures(values, self.num_perm, self.seed, self.shingling, self.version)

    def to_datasketch(self, i: int) -> MinHash:
        """Return row ``i`` as a :class:`datasketch.MinHash`.

        The result can be inserted into a datasketch ``MinHashLSH`` (in memory or on Redis)
        next to other storymatch signatures made with the same settings; ``jaccard`` between
        two of them gives the same estimate as :meth:`jaccard`. Do not ``update`` it with new
        shingles: datasketch would hash them with its own permutations. An empty document
        becomes datasketch's empty MinHash (all ``2**32 - 1``); datasketch rates two empty
        MinHashes as identical, where :meth:`jaccard` gives 0.0.
        """
        import inspect  # noqa: PLC0415

        from datasketch import MinHash  # noqa: PLC0415 - optional interop, kept off import path

        values = self.values[i].copy()
        # datasketch marks an empty MinHash with 2**32 - 1 in every slot
        values[values == _kernels.EMPTY] = np.uint64(_DATASKETCH_EMPTY)
        kwargs: dict[str, Any] = {}
        if "scheme" in inspect.signature(MinHash.__init__).parameters:
            # datasketch >= 2 asks which hashing scheme produced given hash values; ours are
            # 32-bit values stored as uint64, the layout of its "legacy" scheme
            kwargs["scheme"] = "legacy"
        return MinHash(num_perm=self.num_perm, seed=self.seed, hashvalues=values, **kwargs)


class MinHasher:
    """Compute MinHash signatures of texts.

    A value object (validates in ``__init__``, never cloned), like datasketch's ``MinHash``.

    Parameters
    ----------
    num_perm : int, default=128
        Signature length. More bins make the Jaccard estimate tighter (its standard error is
        about ``sqrt(J * (1 - J) / num_perm)``) and LSH banding finer, at a proportional cost
        in memory; hashing cost barely changes.
    seed : int, default=1
        Seed of the hash family. Signatures with different seeds cannot be compared.
    shingle_size : int, default=5
        The ``n`` of the n-grams (see :func:`storymatch.text.shingles.shingle_batch`).
    kind : {"word", "char"}, default="word"
        Word or character n-grams.
    ocr_fold : bool, default=True
        Fold characters that OCR confuses (see :func:`storymatch.text.shingles.shingle_batch`).
        On the syndication set it changes nothing for clean copies and keeps OCR-damaged ones
        in their group; it only affects word shingles.

    Examples
    --------
    >>> hasher = MinHasher(num_perm=64, seed=1)
    >>> sigs = hasher.signatures(["the cat sat on the mat today", "the cat sat on the mat today"])
    >>> sigs.jaccard(0, j=1)
    1.0
    """

    def __init__(
        self,
        *,
        num_perm: int = DEFAULT_NUM_PERM,
        seed: int = DEFAULT_SEED,
        shingle_size: int = DEFAULT_SHINGLE_SIZE,
        kind: ShingleKind = DEFAULT_KIND,
        ocr_fold: bool = DEFAULT_OCR_FOLD,
    ) -> None:
        if (
            isinstance(num_perm, bool)
            or not isinstance(num_perm, int)
            or not _MIN_PERM <= num_perm <= _MAX_PERM
        ):
            msg = (
                "The 'num_perm' parameter of MinHasher must be an int in the range [2, 4096]. "
                f"Got {num_perm!r} instead."
            )
            raise InvalidParameterError(msg)
        check_shingle_options(kind, shingle_size, seed, owner="MinHasher")
        self.num_perm = num_perm
        self.seed = seed
        self.shingle_size = shingle_size
        self.kind: ShingleKind = kind
        self.ocr_fold = bool(ocr_fold)

    def __repr__(self) -> str:
        return (
            f"MinHasher(num_perm={self.num_perm}, seed={self.seed}, "
            f"shingle_size={self.shingle_size}, kind={self.kind!r}, ocr_fold={self.ocr_fold})"
        )

    @property
    def shingling(self) -> str:
        """The shingle settings as a short string, e.g. ``"word:5"``."""
        suffix = ":ocr" if self.ocr_fold and self.kind == "word" else ""
        return f"{self.kind}:{self.shingle_size}{suffix}"

    def shingles(self, texts: Sequence[str], *, casefold: bool = True) -> ShingleSets:
        """Shingle a batch of texts with this hasher's settings.

        ``casefold=False`` skips Unicode and case folding, for texts that were folded with
        :func:`storymatch.text.normalize.fold_unicode` already.
        """
        return shingle_batch(
            texts,
            kind=self.kind,
            shingle_size=self.shingle_size,
            seed=self.seed,
            ocr_fold=self.ocr_fold,
            casefold=casefold,
        )

    def from_shingles(self, sets: ShingleSets) -> Signatures:
        """Compute the signatures of already shingled documents."""
        values = _kernels.oph_signatures(sets.offsets, sets.values, self.num_perm, self.seed)
        return Signatures(values, self.num_perm, self.seed, self.shingling)

    def signatures(self, texts: Sequence[str]) -> Signatures:
        """Compute the signatures of a batch of texts (one row per text)."""
        return self.from_shingles(self.shingles(texts))

    def iter_signatures(
        self, texts: Iterable[str], *, batch_size: int = _BATCH
    ) -> Iterator[Signatures]:
        """Yield signatures batch by batch, so a long stream never sits in memory."""
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield self.signatures(batch)
                batch = []
        if batch:
            yield self.signatures(batch)

    def signature(self, text: str) -> Signatures:
        """Compute the signature of one text (a batch of one)."""
        return self.signatures([text])

    def get_params(self) -> dict[str, Any]:
        """Return the constructor parameters; ``MinHasher(**hasher.get_params())`` is a copy."""
        return {
            "num_perm": self.num_perm,
            "seed": self.seed,
            "shingle_size": self.shingle_size,
            "kind": self.kind,
            "ocr_fold": self.ocr_fold,
        }
