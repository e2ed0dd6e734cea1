"""An incremental near-duplicate index: add, query and remove documents, and group them.

:class:`LSHIndex` keeps every document's LSH band keys, signature and shingle fingerprint in a
storage backend (:mod:`storymatch.dedup.storage`: in memory, in a SQLite file or on a Redis
server). Queries are verified exactly against the fingerprints, and :meth:`LSHIndex.groups`
groups the indexed documents with the steps of :mod:`storymatch.dedup.verify`, the same code
as :class:`~storymatch.dedup.NearDuplicateClusterer`, so an index made with
:meth:`LSHIndex.from_clusterer` gives the clusterer's groups.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numba
import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch._files import atomic_write
from storymatch.dedup.lsh import (
    DEFAULT_MAX_BUCKET,
    MIN_BUCKET,
    band_keys,
    candidate_columns,
    choose_bands,
)
from storymatch.dedup.minhash import DEFAULT_NUM_PERM, SIGNATURE_VERSION, MinHasher, Signatures
from storymatch.dedup.storage import MemoryStorage, Storage, StoredDocument
from storymatch.dedup.verify import (
    DEFAULT_CHAIN_GUARD,
    DEFAULT_CONTAINMENT_THRESHOLD,
    DEFAULT_THRESHOLD,
    check_unit,
    guarded_groups,
    is_duplicate,
    label_groups,
    prepare_texts,
    similarities,
)
from storymatch.errors import IncompatibleSignatureError, InvalidParameterError, StorageError
from storymatch.models import Article, DuplicateGroup
from storymatch.text.shingles import ShingleSets

if TYPE_CHECKING:
    from storymatch.dedup.cluster import NearDuplicateClusterer

__all__ = ["LSHIndex", "Match", "QueryResult"]

logger = logging.getLogger(__name__)

_INDEX_FORMAT = 1


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


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The matches of one query article, as :meth:`LSHIndex.search` yields them.

    Parameters
    ----------
    id : str
        The query article's id.
    matches : tuple of Match
        Its best matches, best first (at most ``max_matches``).
    more : int
        How many further matches were left out by ``max_matches`` (0: none).
    """

    id: str
    matches: tuple[Match, ...]
    more: int = 0


class LSHIndex:
    """An incremental LSH index: add, query and remove documents, and group them.

    A value object (validates in ``__init__``), like datasketch's ``MinHashLSH``. For each
    document the index keeps its band keys, its signature and, when given, its shingle
    fingerprint (the sorted shingle hashes), so that queries return verified similarities, and
    its text length and date, so that :meth:`groups` picks the same representatives as
    :class:`~storymatch.dedup.NearDuplicateClusterer`.

    Where it keeps them is up to the ``storage`` backend (see :mod:`storymatch.dedup.storage`):
    in memory by default, or in a SQLite file or on a Redis server that several processes
    share. A backend remembers the index's settings: opening it with different ones raises
    :class:`~storymatch.errors.IncompatibleSignatureError`; :meth:`open` reads them back.

    The defaults are those of :class:`~storymatch.dedup.NearDuplicateClusterer`:
    ``LSHIndex(hasher=MinHasher())`` verifies and groups like ``NearDuplicateClusterer()``.

    Parameters
    ----------
    threshold : float, default=0.5
        Jaccard threshold of exact verification, below which :meth:`query` drops matches
        (unless the containment rule keeps them), and of the MinHash estimate for documents
        without shingles.
    num_perm : int or None, default=None
        Signature length of the signatures to be added: the hasher's when there is one, else
        128. Given together with ``hasher``, the two must agree.
    bands, rows : int or None, default=None
        Explicit banding; both or neither. By default they are chosen as the clusterer
        chooses them (:func:`storymatch.dedup.lsh.choose_bands`). More bands with fewer rows
        find more candidates (fewer missed copies, more verification work).
    containment_threshold : float or None, default=0.8
        A candidate also matches if this share of the smaller shingle set is found in the
        larger (an abridged copy). None turns the rule off.
    chain_guard : float or None, default=0.3
        Used by :meth:`groups`: see :class:`~storymatch.dedup.NearDuplicateClusterer`.
    max_bucket : int, default=64
        Used by :meth:`groups`: see :func:`~storymatch.dedup.lsh.candidate_pairs`.
    hasher : MinHasher or None, default=None
        How :meth:`add_articles` and :meth:`query_articles` hash texts. Without it only
        signatures can be added.
    strip_boilerplate : bool, default=True
        Whether :meth:`add_articles` and :meth:`query_articles` remove "Read more" widgets
        before shingling, as the clusterer does.
    storage : Storage or None, default=None
        The backend; None keeps the index in memory (:class:`MemoryStorage`).

    See Also
    --------
    LSHIndex.from_clusterer : An index that groups like a given clusterer.

    Examples
    --------
    >>> from storymatch.dedup import MinHasher
    >>> hasher = MinHasher(num_perm=64)
    >>> texts = ["the council approved the new budget on tuesday after a long debate"] * 2
    >>> index = LSHIndex(hasher=hasher)
    >>> index.insert_many(["a", "b"], hasher.signatures(texts), hasher.shingles(texts))
    >>> [(m.id, m.jaccard) for m in index.query(hasher.signature(texts[0]))]
    [('a', 1.0), ('b', 1.0)]
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int | None = None,
        bands: int | None = None,
        rows: int | None = None,
        containment_threshold: float | None = DEFAULT_CONTAINMENT_THRESHOLD,
        chain_guard: float | None = DEFAULT_CHAIN_GUARD,
        max_bucket: int = DEFAULT_MAX_BUCKET,
        hasher: MinHasher | None = None,
        strip_boilerplate: bool = True,
        storage: Storage | None = None,
    ) -> None:
        check_unit("LSHIndex", "threshold", threshold)
        if threshold <= 0.0:
            msg = (
                "The 'threshold' parameter of LSHIndex must be a float in the range (0.0, 1.0]. "
                f"Got {threshold!r} instead."
            )
            raise InvalidParameterError(msg)
        check_unit("LSHIndex", "containment_threshold", containment_threshold, allow_none=True)
        check_unit("LSHIndex", "chain_guard", chain_guard, allow_none=True)
        if hasher is not None and num_perm is not None and hasher.num_perm != num_perm:
            msg = (
                f"The 'hasher' parameter of LSHIndex must have num_perm={num_perm}. "
                f"Got {hasher!r} instead."
            )
            raise InvalidParameterError(msg)
        if num_perm is None:
            num_perm = DEFAULT_NUM_PERM if hasher is None else hasher.num_perm
        bands, rows, _ = choose_bands(
            threshold, containment_threshold, num_perm, bands=bands, rows=rows, owner="LSHIndex"
        )
        if max_bucket < MIN_BUCKET:
            msg = (
                f"The 'max_bucket' parameter of LSHIndex must be >= {MIN_BUCKET}. "
                f"Got {max_bucket!r} instead."
            )
            raise InvalidParameterError(msg)
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands = bands
        self.rows = rows
        self.containment_threshold = containment_threshold
        self.chain_guard = chain_guard
        self.max_bucket = max_bucket
        self.hasher = hasher
        self.strip_boilerplate = strip_boilerplate
        self.storage: Storage = MemoryStorage() if storage is None else storage
        self._settings: tuple[int, str, int] | None = None  # seed, shingling, version
        self._settings_stored = False
        self._open_store()

    # ------------------------------------------------------------------ settings
    def _config(self) -> dict[str, Any]:
        hasher = self.hasher
        return {
            "format": _INDEX_FORMAT,
            "signature_version": SIGNATURE_VERSION,
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "bands": self.bands,
            "rows": self.rows,
            "containment_threshold": self.containment_threshold,
            "chain_guard": self.chain_guard,
            "max_bucket": self.max_bucket,
            "hasher": None if hasher is None else hasher.get_params(),
            "strip_boilerplate": self.strip_boilerplate,
        }

    def _open_store(self) -> None:
        mine = self._config()
        stored = json.loads(self.storage.init_meta(_META_SETTINGS, _dumps(mine)))
        if stored != mine:
            diff = ", ".join(
                f"{name}={stored.get(name)!r} (given {mine.get(name)!r})"
                for name in sorted(set(stored) | set(mine))
                if stored.get(name) != mine.get(name)
            )
            msg = (
                f"The store {self.storage!r} holds an index made with other settings: {diff}. "
                "Open it with LSHIndex.open(storage) to use its settings (on the command "
                "line: leave the near-duplicate options out)."
            )
            raise IncompatibleSignatureError(msg)
        if self.hasher is not None:
            self._learn((self.hasher.seed, self.hasher.shingling, SIGNATURE_VERSION), write=True)

    @classmethod
    def open(cls, storage: Storage) -> LSHIndex:
        """Open the index kept in ``storage`` with the settings it was made with.

        Parameters
        ----------
        storage : Storage
            A backend that holds an index.

        Returns
        -------
        LSHIndex
            The index.

        Raises
        ------
        StorageError
            If the backend holds no index (nothing was ever written to it) or one written by
            an incompatible version of storymatch.
        """
        raw = storage.get_meta(_META_SETTINGS)
        if raw is None:
            msg = (
                f"The store {storage!r} holds no index yet: add documents to it first "
                "(LSHIndex(storage=...) in Python, 'storymatch index add' on the command line)."
            )
            raise StorageError(msg)
        settings = json.loads(raw)
        if (
            settings.get("format") != _INDEX_FORMAT
            or settings.get("signature_version") != SIGNATURE_VERSION
        ):
            msg = (
                f"The store {storage!r} holds an index of format {settings.get('format')} and "
                f"signature version {settings.get('signature_version')}; this storymatch reads "
                f"format {_INDEX_FORMAT} and signature version {SIGNATURE_VERSION}."
            )
            raise StorageError(msg)
        hasher = settings["hasher"]
        return cls(
            threshold=settings["threshold"],
            num_perm=settings["num_perm"],
            bands=settings["bands"],
            rows=settings["rows"],
            containment_threshold=settings["containment_threshold"],
            chain_guard=settings["chain_guard"],
            max_bucket=settings["max_bucket"],
            hasher=None if hasher is None else MinHasher(**hasher),
            strip_boilerplate=settings["strip_boilerplate"],
            storage=storage,
        )

    @classmethod
    def from_clusterer(
        cls, clusterer: NearDuplicateClusterer, *, storage: Storage | None = None
    ) -> LSHIndex:
        """Make an index that hashes, verifies and groups exactly like ``clusterer``.

        After ``index.add_articles(articles)``, ``index.groups()`` holds the same groups as
        ``clusterer.fit(articles).groups_`` (for articles added once each, in that order).

        Parameters
        ----------
        clusterer : NearDuplicateClusterer
            Its settings are copied (it need not be fitted).
        storage : Storage or None, default=None
            The backend (in memory when None).

        Returns
        -------
        LSHIndex
            The index, with a hasher.
        """
        bands, rows, _ = clusterer.check_params()
        hasher = clusterer.make_hasher()
        return cls(
            threshold=clusterer.threshold,
            num_perm=clusterer.num_perm,
            bands=bands,
            rows=rows,
            containment_threshold=clusterer.containment_threshold,
            chain_guard=clusterer.chain_guard,
            max_bucket=clusterer.max_bucket,
            hasher=hasher,
            strip_boilerplate=clusterer.strip_boilerplate,
            storage=storage,
        )

    def __repr__(self) -> str:
        return (
            f"LSHIndex(threshold={self.threshold}, num_perm={self.num_perm}, bands={self.bands}, "
            f"rows={self.rows}, storage={self.storage!r})"
        )

    def __len__(self) -> int:
        return len(self.storage)

    def __contains__(self, key: object) -> bool:
        return key in self.storage

    def _learn(self, settings: tuple[int, str, int], *, write: bool) -> None:
        """Fix the signature settings: the stored ones, else these (stored when writing)."""
        if self._settings is None:
            stored = self.storage.get_meta(_META_SIGNATURES)
            if stored is not None:
                self._settings = _settings_tuple(stored)
                self._settings_stored = True
        if self._settings is None:
            self._settings = settings
        if write and not self._settings_stored:
            stored = self.storage.init_meta(_META_SIGNATURES, _dumps(list(self._settings)))
            self._settings = _settings_tuple(stored)
            self._settings_stored = True

    def check_signatures(self, signatures: Signatures, *, write: bool = False) -> None:
        """Raise if ``signatures`` were made with other settings than the index's.

        The first signatures an index sees fix its settings (seed, shingling, version); with
        ``write`` they are stored in the backend, so that every process agrees.

        Raises
        ------
        IncompatibleSignatureError
            If ``num_perm``, seed, shingling or signature version differ from the index's.
        """
        settings = (signatures.seed, signatures.shingling, signatures.version)
        if signatures.num_perm != self.num_perm:
            msg = (
                f"The index holds signatures with num_perm={self.num_perm}. "
                f"Got num_perm={signatures.num_perm} instead."
            )
            raise IncompatibleSignatureError(msg)
        self._learn(settings, write=write)
        if settings != self._settings:
            msg = (
                "The index holds signatures made with (seed, shingling, version) = "
                f"{self._settings}. Got {settings} instead."
            )
            raise IncompatibleSignatureError(msg)

    # ------------------------------------------------------------------ writing
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
        *,
        lengths: Sequence[int] | None = None,
        dates: Sequence[str | None] | None = None,
    ) -> None:
        """Add documents in one write; adding a key that is already present replaces it.

        Adding a document again with the same content changes nothing (the add is idempotent),
        so a batch interrupted by a crash can simply be added again. With a shared backend
        the batch is one transaction: other processes see all of it or none.

        Parameters
        ----------
        keys : sequence of str
            One key per signature row; when a key repeats, the last row wins.
        signatures : Signatures
            Their signatures.
        shingles : ShingleSets or None, default=None
            Their shingle sets, kept for exact verification at query time.
        lengths : sequence of int or None, default=None
            Lengths of their original texts (for the choice of representatives in
            :meth:`groups`).
        dates : sequence of str or None, default=None
            Their ISO 8601 dates, or None each (same use).
        """
        self.check_signatures(signatures, write=True)
        n = len(signatures)
        for name, value in (
            ("keys", keys),
            ("shingles", shingles),
            ("lengths", lengths),
            ("dates", dates),
        ):
            if value is not None and len(value) != n:
                msg = (
                    f"The {name!r} parameter must have one item per signature ({n}). "
                    f"Got {len(value)} instead."
                )
                raise InvalidParameterError(msg)
        with _few_threads(n):
            bkeys = band_keys(signatures, self.bands, self.rows)
        docs = [
            StoredDocument(
                key=key,
                band_keys=bkeys[i],
                signature=signatures.values[i],
                shingles=None if shingles is None else shingles[i],
                length=None if lengths is None else int(lengths[i]),
                date=None if dates is None else dates[i],
            )
            for i, key in enumerate(keys)
        ]
        written = self.storage.put(docs)
        logger.debug("index: %d of %d documents written", written, n)

    def add_articles(self, articles: Iterable[Article], *, batch_size: int = 1000) -> int:
        """Hash and add articles, ``batch_size`` at a time (each batch one write).

        Texts are prepared as :class:`~storymatch.dedup.NearDuplicateClusterer` prepares them
        (Unicode folding, widget stripping when ``strip_boilerplate``), and each article's id,
        text length and date are kept.

        Parameters
        ----------
        articles : iterable of Article
            The articles; read lazily.
        batch_size : int, default=1000
            Articles per batch (per transaction of a shared backend).

        Returns
        -------
        int
            How many articles were read.

        Raises
        ------
        InvalidParameterError
            If the index has no ``hasher``.
        """
        count = 0
        for batch in _batches(articles, batch_size):
            sigs, sets = self.hash_articles(batch)
            self.insert_many(
                [a.id for a in batch],
                sigs,
                sets,
                lengths=[len(a.text) for a in batch],
                dates=[a.date for a in batch],
            )
            count += len(batch)
        logger.info("index: %d articles added, %d documents indexed", count, len(self))
        return count

    def hash_articles(self, articles: Sequence[Article]) -> tuple[Signatures, ShingleSets]:
        """Return the signatures and shingle sets of articles, as :meth:`add_articles` makes them.

        Parameters
        ----------
        articles : sequence of Article
            One batch.

        Returns
        -------
        signatures : Signatures
            One row per article.
        shingles : ShingleSets
            One set per article.

        Raises
        ------
        InvalidParameterError
            If the index has no ``hasher``.
        """
        hasher = self.hasher
        if hasher is None:
            msg = (
                "This LSHIndex has no 'hasher', so it cannot hash texts: make it with "
                "LSHIndex(hasher=MinHasher(...)) or LSHIndex.from_clusterer(...)."
            )
            raise InvalidParameterError(msg)
        texts = prepare_texts([a.text for a in articles], strip_boilerplate=self.strip_boilerplate)
        with _few_threads(len(texts)):
            sets = hasher.shingles(texts, casefold=False)
            return hasher.from_shingles(sets), sets

    def remove(self, key: str) -> None:
        """Remove a document; a missing key raises ``KeyError``."""
        if not self.storage.delete([key]):
            raise KeyError(key)

    # ------------------------------------------------------------------ reading
    def candidates(self, signatures: Signatures, row: int = 0) -> set[str]:
        """Keys sharing at least one band with row ``row`` of ``signatures``."""
        self.check_signatures(signatures)
        if signatures.empty[row]:
            return set()
        with _few_threads(1):
            bkeys = band_keys(signatures, self.bands, self.rows)[row : row + 1]
        return self.storage.members(bkeys)[0]

    def query(
        self, signatures: Signatures, row: int = 0, shingles: ShingleSets | None = None
    ) -> list[Match]:
        """Return the matches of one document, best first.

        With ``shingles`` (for the query) and shingle sets kept in the index, similarities are
        exact and a match needs ``jaccard >= threshold`` or ``containment >=
        containment_threshold``; otherwise the MinHash estimate is compared with
        ``threshold``. Ties are broken by key.
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
        return self.query_many(sigs, sets)[0]

    def query_many(
        self, signatures: Signatures, shingles: ShingleSets | None = None
    ) -> list[list[Match]]:
        """Return the matches of every document of a batch (see :meth:`query`).

        One lookup of the buckets and one read of the candidates serve the whole batch, which
        matters for a backend across the network.

        Parameters
        ----------
        signatures : Signatures
            The query documents.
        shingles : ShingleSets or None, default=None
            Their shingle sets, for exact verification.

        Returns
        -------
        list of list of Match
            For each query document, its matches, best first.
        """
        with _few_threads(len(signatures)):
            return self._query_many(signatures, shingles)[0]

    def _query_many(
        self,
        signatures: Signatures,
        shingles: ShingleSets | None,
        *,
        max_matches: int | None = None,
        exclude: Sequence[str] | None = None,
    ) -> tuple[list[list[Match]], list[int]]:
        """Return the matches of each row, best first (at most ``max_matches``), and the rest.

        ``exclude`` names a key per row that is not its match (the article itself). Pairs are
        verified ``_VERIFY_CHUNK`` at a time and each row keeps only its best matches, so a
        store of many copies of one text costs memory for the kept matches, not the pairs.
        """
        self.check_signatures(signatures)
        n = len(signatures)
        if shingles is not None and len(shingles) != n:
            msg = (
                f"The 'shingles' parameter must have one set per signature ({n}). "
                f"Got {len(shingles)} instead."
            )
            raise InvalidParameterError(msg)
        out: list[list[Match]] = [[] for _ in range(n)]
        more = [0] * n
        rows = np.flatnonzero(~signatures.empty)
        if not rows.size:
            return out, more
        bkeys = band_keys(signatures, self.bands, self.rows)
        found = self.storage.members(bkeys[rows])
        docs = self.storage.get(sorted(set().union(*found)))
        # each stored fingerprint once, after the query sets; pairs point into it
        fingerprinted = (
            [] if shingles is None else [d for d in docs.values() if d.shingles is not None]
        )
        position = {d.key: len(signatures) + i for i, d in enumerate(fingerprinted)}
        sets: ShingleSets | None = None
        if fingerprinted and shingles is not None:
            stored = [d.shingles for d in fingerprinted if d.shingles is not None]
            sets = ShingleSets.concat(
                [shingles, ShingleSets(_offsets([x.shape[0] for x in stored]), _join(stored))]
            )
        left: list[int] = []
        right: list[int] = []

        def flush() -> None:
            if not left or sets is None:
                return
            touched = self._verify(sets, left, right, fingerprinted, len(signatures), out)
            left.clear()
            right.clear()
            for row in touched:
                _keep_best(out, more, row, max_matches)

        for row, keys in zip(rows.tolist(), found, strict=True):
            query_sig = signatures.values[row]
            skip = None if exclude is None else exclude[row]
            for key in keys:
                doc = docs.get(key)
                if doc is None or key == skip:  # removed since the lookup; the article itself
                    continue
                at = position.get(key)
                if at is not None:
                    left.append(row)
                    right.append(at)
                    continue
                jac = float(np.count_nonzero(doc.signature == query_sig)) / self.num_perm
                if jac >= self.threshold:
                    out[row].append(Match(key, jac, float("nan")))
            _keep_best(out, more, row, max_matches)
            if len(left) >= _VERIFY_CHUNK:
                flush()
        flush()
        for row in range(n):
            _keep_best(out, more, row, max_matches, final=True)
        return out, more

    def _verify(
        self,
        sets: ShingleSets,
        left: list[int],
        right: list[int],
        stored: list[StoredDocument],
        first: int,
        out: list[list[Match]],
    ) -> set[int]:
        """Exact Jaccard and containment of query rows against stored fingerprints.

        ``right`` holds positions in ``sets`` (stored document ``i`` at ``first + i``); the
        matches are appended to ``out``; returns the rows that got one.
        """
        lefts = np.asarray(left, dtype=np.int64)
        rights = np.asarray(right, dtype=np.int64)
        jac, con = similarities(sets, lefts, rights)
        keep = is_duplicate(
            jac,
            con,
            threshold=self.threshold,
            containment_threshold=self.containment_threshold,
        )
        touched: set[int] = set()
        for k in np.flatnonzero(keep).tolist():
            out[left[k]].append(Match(stored[right[k] - first].key, float(jac[k]), float(con[k])))
            touched.add(left[k])
        return touched

    def query_articles(
        self, articles: Iterable[Article], *, batch_size: int = 1000
    ) -> Iterator[tuple[str, list[Match]]]:
        """Yield every article's id with all its verified matches in the index, best first.

        The texts are hashed like :meth:`add_articles` hashes them; an article that is in the
        index itself is left out of its own matches. :meth:`search` caps the matches kept
        per article (what a store of many copies of one text needs).

        Parameters
        ----------
        articles : iterable of Article
            The query articles; read lazily.
        batch_size : int, default=1000
            Articles per lookup.

        Yields
        ------
        tuple of (str, list of Match)
            The article's id and its matches.
        """
        for result in self.search(articles, max_matches=None, batch_size=batch_size):
            yield result.id, list(result.matches)

    def search(
        self,
        articles: Iterable[Article],
        *,
        max_matches: int | None = 100,
        batch_size: int = 1000,
    ) -> Iterator[QueryResult]:
        """Yield every article's best matches in the index, and how many more there were.

        As :meth:`query_articles`, but each article keeps at most ``max_matches`` matches
        (the best: highest Jaccard, ties by key); the others are only counted
        (:attr:`QueryResult.more`). Pairs are verified a chunk at a time, so the memory a
        batch needs grows with ``batch_size * max_matches``, not with the number of copies
        of a text in the store.

        Parameters
        ----------
        articles : iterable of Article
            The query articles; read lazily.
        max_matches : int or None, default=100
            Matches kept per article; None keeps all.
        batch_size : int, default=1000
            Articles per lookup.

        Yields
        ------
        QueryResult
            One per article, in input order.

        Raises
        ------
        InvalidParameterError
            If ``max_matches`` is not None nor a positive integer.
        """
        if max_matches is not None and (
            isinstance(max_matches, bool) or not isinstance(max_matches, int) or max_matches < 1
        ):
            msg = (
                "The 'max_matches' parameter of LSHIndex.search must be a positive integer or "
                f"None. Got {max_matches!r} instead."
            )
            raise InvalidParameterError(msg)
        for batch in _batches(articles, batch_size):
            sigs, sets = self.hash_articles(batch)
            with _few_threads(len(sigs)):
                found, more = self._query_many(
                    sigs, sets, max_matches=max_matches, exclude=[a.id for a in batch]
                )
            for article, matches, rest in zip(batch, found, more, strict=True):
                yield QueryResult(article.id, tuple(matches), rest)

    def groups(self) -> list[DuplicateGroup]:
        """Group the indexed documents like :class:`~storymatch.dedup.NearDuplicateClusterer`.

        Candidate pairs come from the stored band keys, are verified against the stored
        shingle fingerprints (``jaccard >= threshold`` or ``containment >=
        containment_threshold``), joined by union-find and split by the chaining guard
        (``chain_guard``); representatives are the earliest dated member, else the longest
        text, ties by id. Documents are taken in the order they were added, so an index made
        with :meth:`from_clusterer` that got a corpus through :meth:`add_articles` gives the
        clusterer's groups. Documents added without shingles stay alone. Reads the whole
        index into memory.

        Returns
        -------
        list of DuplicateGroup
            Every group, singletons included, numbered by first document added.
        """
        docs = list(self.storage.documents())
        n = len(docs)
        if not n:
            return []
        missing = sum(d.shingles is None for d in docs)
        if missing:
            logger.warning(
                "groups: %d of %d documents have no shingle fingerprint and stay alone", missing, n
            )
        fingerprints = [d.shingles if d.shingles is not None else _NO_SHINGLES for d in docs]
        sets = ShingleSets(_offsets([s.shape[0] for s in fingerprints]), _join(fingerprints))
        keys = np.stack([d.band_keys for d in docs])
        left, right = candidate_columns(keys, sets.sizes > 0, max_bucket=self.max_bucket)
        jac, con = similarities(sets, left, right)
        keep = is_duplicate(
            jac,
            con,
            threshold=self.threshold,
            containment_threshold=self.containment_threshold,
        )
        parent = _kernels.union_find(n, left[keep], right[keep])
        articles = [Article(id=d.key, text="", date=d.date) for d in docs]
        lengths = np.array([d.length or 0 for d in docs], dtype=np.int64)
        root, sims, _, _ = guarded_groups(
            articles, sets, parent, lengths, left[keep], right[keep], chain_guard=self.chain_guard
        )
        _, groups = label_groups([d.key for d in docs], root, sims)
        return groups

    def keys(self) -> Iterable[str]:
        """Return the keys of the indexed documents, in the order they were added."""
        return self.storage.keys()

    # ------------------------------------------------------------------ files
    def save(self, path: str | Path) -> None:
        """Write the index to a ``.npz`` file (no pickle), atomically."""
        docs = sorted(self.storage.documents(), key=lambda d: d.key)
        keys = [d.key for d in docs]
        header = {
            **self._config(),
            "settings": list(self._settings) if self._settings else None,
            "keys": keys,
            "has_shingles": [d.shingles is not None for d in docs],
            "lengths": [d.length for d in docs],
            "dates": [d.date for d in docs],
        }
        sig = (
            np.stack([d.signature for d in docs])
            if docs
            else np.zeros((0, self.num_perm), np.uint64)
        )
        sets = [d.shingles if d.shingles is not None else _NO_SHINGLES for d in docs]
        with atomic_write(path, mode="wb") as fh:
            np.savez(
                fh,
                header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
                signatures=sig,
                offsets=_offsets([s.shape[0] for s in sets]),
                values=_join(sets),
            )

    @classmethod
    def load(cls, path: str | Path, *, storage: Storage | None = None) -> LSHIndex:
        """Read an index written by :meth:`save` (into ``storage``, in memory by default)."""
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
        hasher = header.get("hasher")
        index = cls(
            threshold=header["threshold"],
            num_perm=header["num_perm"],
            bands=header["bands"],
            rows=header["rows"],
            containment_threshold=header["containment_threshold"],
            chain_guard=header.get("chain_guard", DEFAULT_CHAIN_GUARD),
            max_bucket=header.get("max_bucket", DEFAULT_MAX_BUCKET),
            hasher=None if hasher is None else MinHasher(**hasher),
            strip_boilerplate=header.get("strip_boilerplate", True),
            storage=storage,
        )
        keys: list[str] = header["keys"]
        if header["settings"] is not None and keys:
            seed, shingling, version = header["settings"]
            sigs = Signatures(sig, header["num_perm"], seed, shingling, version)
            bkeys = band_keys(sigs, index.bands, index.rows)
            index.check_signatures(sigs, write=True)
            has = header["has_shingles"]
            lengths = header.get("lengths") or [None] * len(keys)
            dates = header.get("dates") or [None] * len(keys)
            index.storage.put(
                [
                    StoredDocument(
                        key=key,
                        band_keys=bkeys[i],
                        signature=sig[i],
                        shingles=values[offsets[i] : offsets[i + 1]] if has[i] else None,
                        length=lengths[i],
                        date=dates[i],
                    )
                    for i, key in enumerate(keys)
                ]
            )
        return index


_SMALL_BATCH = 64
"""Batches up to this size run the compiled kernels on one thread (see _few_threads)."""
_VERIFY_CHUNK = 65_536
"""Query-document pairs verified at a time (their matches are then cut to the best)."""


def _keep_best(
    out: list[list[Match]], more: list[int], row: int, limit: int | None, *, final: bool = False
) -> None:
    """Cut a row's matches to the best ``limit`` (counting the rest); sort them at the end.

    Between chunks a row is cut only past twice the limit, so sorting stays rare.
    """
    matches = out[row]
    if limit is not None and len(matches) > (limit if final else 2 * limit):
        matches.sort(key=_match_order)
        more[row] += len(matches) - limit
        del matches[limit:]
    elif final:
        matches.sort(key=_match_order)


def _match_order(match: Match) -> tuple[float, str]:
    return (-match.jaccard, match.id)


@contextmanager
def _few_threads(n: int) -> Iterator[None]:
    """Run the compiled kernels of a small batch on the calling thread alone.

    Starting a parallel region costs little when its worker threads are spinning, but
    milliseconds when they sleep or compete with other processes for the cores: more than the
    work itself for a batch of one document, as a service querying article by article sends.
    The setting is local to the calling thread.
    """
    if n > _SMALL_BATCH:
        yield
        return
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)


_META_SETTINGS = "settings"
_META_SIGNATURES = "signatures"
_NO_SHINGLES = np.zeros(0, dtype=np.uint64)


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _settings_tuple(raw: str) -> tuple[int, str, int]:
    seed, shingling, version = json.loads(raw)
    return int(seed), str(shingling), int(version)


def _offsets(sizes: Sequence[int]) -> npt.NDArray[np.int64]:
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return offsets


def _join(arrays: Sequence[npt.NDArray[np.uint64]]) -> npt.NDArray[np.uint64]:
    if not arrays:
        return np.zeros(0, dtype=np.uint64)
    return np.concatenate(arrays).astype(np.uint64, copy=False)


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    if size < 1:
        msg = f"The 'batch_size' parameter must be >= 1. Got {size!r} instead."
        raise InvalidParameterError(msg)
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
