r"""Word and character shingles as stable, seeded 64-bit hashes.

Shingling is the hot loop of near-duplicate detection, so it runs in compiled kernels
(:mod:`storymatch._kernels`) over a whole batch of documents at once: the batch is joined into
one array of code points, each token is hashed once (FNV-1a over its code points, finished with
the splitmix64 mixer) and each n-gram hash is built from its token hashes. Nothing calls
Python's salted ``hash()``, so the same text gives the same hashes on every machine and under any
``PYTHONHASHSEED``.

A hyphen followed by a line break inside a word ("gov-\nernment") is taken for a wrapped
line and joined. Word shingles respect line breaks: an n-gram never spans two lines, and a line
with fewer than ``shingle_size`` words adds no shingle. Scraped pages are made of short chrome
lines ("Skip to content", "Share this", a byline) around long paragraphs, and this keeps the
chrome out of the shingle sets at no cost. A document whose lines are all short is shingled
across lines; one with fewer than ``shingle_size`` words yields a single shingle of all its
words.

Character shingles are n-grams of code points over the text with every run of whitespace folded
to one space.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch.errors import InvalidParameterError
from storymatch.text.normalize import fold_unicode

__all__ = [
    "DEFAULT_KIND",
    "DEFAULT_OCR_FOLD",
    "DEFAULT_SEED",
    "DEFAULT_SHINGLE_SIZE",
    "ShingleKind",
    "ShingleSets",
    "check_shingle_options",
    "encode_batch",
    "shingle",
    "shingle_batch",
    "shingle_codes",
]

ShingleKind = Literal["word", "char"]

_MAX_SHINGLE_SIZE = 64


@dataclass(frozen=True, slots=True)
class ShingleSets:
    """The shingle sets of a batch of documents, stored like a CSR matrix.

    Parameters
    ----------
    offsets : numpy.ndarray of int64, shape (n_docs + 1,)
        Document ``i`` owns ``values[offsets[i]:offsets[i + 1]]``.
    values : numpy.ndarray of uint64
        Each document's shingle hashes, sorted and without repeats.
    """

    offsets: npt.NDArray[np.int64]
    values: npt.NDArray[np.uint64]

    def __len__(self) -> int:
        return int(self.offsets.shape[0]) - 1

    def __getitem__(self, index: int) -> npt.NDArray[np.uint64]:
        return self.values[self.offsets[index] : self.offsets[index + 1]]

    def __iter__(self) -> Iterator[npt.NDArray[np.uint64]]:
        for i in range(len(self)):
            yield self[i]

    @property
    def sizes(self) -> npt.NDArray[np.int64]:
        """Number of distinct shingles of each document."""
        return np.diff(self.offsets)

    @classmethod
    def concat(cls, parts: Sequence[ShingleSets]) -> ShingleSets:
        """Join the sets of several batches, in order, into one."""
        if not parts:
            return cls(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint64))
        if len(parts) == 1:
            return parts[0]
        values = np.concatenate([p.values for p in parts])
        sizes = np.concatenate([p.sizes for p in parts])
        offsets = np.zeros(sizes.shape[0] + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        return cls(offsets, values)


# The one set of hashing defaults: shingle(), shingle_batch(), MinHasher, NearDuplicateClusterer,
# LSHIndex and the Spark engine all take them from here (dedup re-exports them), so that every
# default hashes the same text alike.
DEFAULT_SEED = 1
"""Seed of the hash family."""
DEFAULT_SHINGLE_SIZE = 5
"""Word (or character) n-gram size."""
DEFAULT_KIND: ShingleKind = "word"
"""Word or character n-grams."""
DEFAULT_OCR_FOLD = True
"""Fold OCR look-alikes (``rn`` -> ``m``, ``0`` in words -> ``o``, ...) before hashing words."""


def check_shingle_options(
    kind: str, shingle_size: int, seed: int, *, owner: str | None = None
) -> None:
    """Validate shingle settings, as :func:`shingle_batch` and its callers take them.

    Parameters
    ----------
    kind : str
        Must be ``"word"`` or ``"char"``.
    shingle_size : int
        Must be an int in the range [1, 64].
    seed : int
        Must be an int in the range [0, 2**63).
    owner : str or None, default=None
        The class or function whose parameters these are, named in the message
        (``"The 'seed' parameter of MinHasher must be ..."``).

    Raises
    ------
    InvalidParameterError
        A setting is out of range; the message names it, the constraint and the value.
    """
    of = f" of {owner}" if owner else ""
    if kind not in ("word", "char"):
        msg = f"The 'kind' parameter{of} must be 'word' or 'char'. Got {kind!r} instead."
        raise InvalidParameterError(msg)
    if (
        isinstance(shingle_size, bool)
        or not isinstance(shingle_size, int | np.integer)
        or not 1 <= shingle_size <= _MAX_SHINGLE_SIZE
    ):
        msg = (
            f"The 'shingle_size' parameter{of} must be an int in the range "
            f"[1, {_MAX_SHINGLE_SIZE}]. Got {shingle_size!r} instead."
        )
        raise InvalidParameterError(msg)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**63:
        msg = (
            f"The 'seed' parameter{of} must be an int in the range [0, 2**63). "
            f"Got {seed!r} instead."
        )
        raise InvalidParameterError(msg)


def encode_batch(
    texts: Sequence[str], *, casefold: bool = True
) -> tuple[npt.NDArray[np.uint8] | npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """Fold a batch of texts and lay them out as one array of code points.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    casefold : bool, default=True
        Apply NFKC and case folding first (see :func:`storymatch.text.normalize.fold_unicode`).

    Returns
    -------
    codes : numpy.ndarray of uint8 or uint32
        The code points of all documents, one after the other (uint8 when every code point of
        the batch is below 256, as in ASCII and Latin-1 text, which is both smaller and
        faster).
    offsets : numpy.ndarray of int64, shape (n_docs + 1,)
        Document ``i`` is ``codes[offsets[i]:offsets[i + 1]]``.
    """
    folded = [fold_unicode(t, casefold=casefold) for t in texts] if casefold else list(texts)
    lengths = np.fromiter((len(t) for t in folded), dtype=np.int64, count=len(folded))
    offsets = np.zeros(len(folded) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    joined = "".join(folded)
    codes: npt.NDArray[np.uint8] | npt.NDArray[np.uint32]
    if joined.isascii():
        codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    else:
        try:
            # one byte per code point below 256; the encoder stops at the first one above
            codes = np.frombuffer(joined.encode("latin-1"), dtype=np.uint8)
        except UnicodeEncodeError:
            # surrogatepass: a lone surrogate (from a broken JSON escape) is a code point like
            # any other here, not a reason to fail the whole batch
            codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return codes, offsets


def shingle_batch(
    texts: Sequence[str],
    *,
    kind: ShingleKind = DEFAULT_KIND,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
    ocr_fold: bool = DEFAULT_OCR_FOLD,
    casefold: bool = True,
) -> ShingleSets:
    """Hash the shingles of many documents in one compiled pass.

    Parameters
    ----------
    texts : sequence of str
        The documents (raw; case and Unicode forms are folded here).
    kind : {"word", "char"}, default="word"
        Word n-grams (tokens are runs of letters and digits) or character n-grams.
    shingle_size : int, default=5
        The ``n`` of the n-grams. Larger values make shingles rarer and the similarity
        stricter: word 5-grams separate copies from same-event reports well on news.
    seed : int, default=1
        Seed of the hash function; different seeds give independent hash families.
    ocr_fold : bool, default=True
        Word shingles only: fold the characters OCR confuses most (``0``/``o``, ``1``/``l``/``i``,
        ``c``/``e``, ``b``/``h``) to one, so that a misread letter does not change a token.
        Two different words rarely become equal this way, and five of them in a row almost
        never do.
    casefold : bool, default=True
        Apply NFKC and case folding first. Pass False only for texts that went through
        :func:`storymatch.text.normalize.fold_unicode` already.

    Returns
    -------
    ShingleSets
        Each document's sorted, distinct shingle hashes.

    Examples
    --------
    >>> sets = shingle_batch(["One two three four five six", "ONE two three four five"])
    >>> [len(s) for s in sets]
    [2, 1]
    >>> bool(sets[1][0] in sets[0])
    True
    """
    check_shingle_options(kind, shingle_size, seed)
    codes, offsets = encode_batch(texts, casefold=casefold)
    return shingle_codes(
        codes, offsets, kind=kind, shingle_size=shingle_size, seed=seed, ocr_fold=ocr_fold
    )


def shingle_codes(
    codes: npt.NDArray[np.uint8] | npt.NDArray[np.uint32],
    offsets: npt.NDArray[np.int64],
    *,
    kind: ShingleKind = DEFAULT_KIND,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
    ocr_fold: bool = DEFAULT_OCR_FOLD,
) -> ShingleSets:
    """Hash the shingles of a batch laid out by :func:`encode_batch`.

    Parameters
    ----------
    codes : numpy.ndarray of uint8 or uint32
        The code points of all documents, one after the other.
    offsets : numpy.ndarray of int64, shape (n_docs + 1,)
        Document ``i`` is ``codes[offsets[i]:offsets[i + 1]]``.
    kind, shingle_size, seed, ocr_fold
        See :func:`shingle_batch`. ASCII letters are lower-cased here whatever the case of
        the input; other characters are hashed as they are.

    Returns
    -------
    ShingleSets
        Each document's sorted, distinct shingle hashes.
    """
    check_shingle_options(kind, shingle_size, seed)
    if kind == "word":
        doc_offsets, values = _kernels.word_shingles(codes, offsets, shingle_size, seed, ocr_fold)
    else:
        doc_offsets, values = _kernels.char_shingles(codes, offsets, shingle_size, seed)
    return ShingleSets(doc_offsets, values)


def shingle(
    text: str,
    *,
    kind: ShingleKind = DEFAULT_KIND,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
    ocr_fold: bool = DEFAULT_OCR_FOLD,
) -> npt.NDArray[np.uint64]:
    """Hash the shingles of one document.

    Parameters
    ----------
    text : str
        The document.
    kind : {"word", "char"}, default="word"
        See :func:`shingle_batch`.
    shingle_size : int, default=5
        See :func:`shingle_batch`.
    seed : int, default=1
        See :func:`shingle_batch`.
    ocr_fold : bool, default=True
        See :func:`shingle_batch`.

    Returns
    -------
    numpy.ndarray of uint64
        The sorted, distinct shingle hashes.
    """
    return shingle_batch(
        [text], kind=kind, shingle_size=shingle_size, seed=seed, ocr_fold=ocr_fold
    )[0]
