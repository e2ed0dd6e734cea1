"""Sentence-pair similarity: the :class:`Scorer` protocol and the built-in scorers.

A scorer takes two equally long sequences of sentences and returns one similarity in [0, 1]
per pair, vectorised over all pairs in one call (the aligner sends every candidate pair of a
comparison at once). ``threshold`` is its decision threshold for "the two sentences state the
same claim".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

__all__ = ["Scorer", "TokenSetScorer"]


@runtime_checkable
class Scorer(Protocol):
    """What the aligner and ``storymatch pairs`` need from a sentence-pair scorer.

    Attributes
    ----------
    threshold : float
        Scores at or above it mean "same claim".

    Examples
    --------
    An embedding model plugged in as a scorer (``model.encode`` returning unit vectors)::

        class EmbeddingScorer:
            threshold = 0.7

            def __call__(self, a, b):
                ea, eb = model.encode(list(a)), model.encode(list(b))
                return np.clip((ea * eb).sum(axis=1), 0.0, 1.0)
    """

    threshold: float

    def __call__(self, a: Sequence[str], b: Sequence[str], /) -> npt.NDArray[np.float64]:
        """Return the similarity of ``a[i]`` and ``b[i]`` for every ``i``, in [0, 1]."""
        ...


class TokenSetScorer:
    """rapidfuzz's ``token_set_ratio`` scaled to [0, 1]: a simple scorer.

    Parameters
    ----------
    threshold : float, default=0.7
        Decision threshold.
    """

    def __init__(self, threshold: float = 0.7) -> None:
        self.threshold = threshold

    def __call__(self, a: Sequence[str], b: Sequence[str], /) -> npt.NDArray[np.float64]:
        """Return ``token_set_ratio(a[i], b[i]) / 100`` for every ``i``."""
        if len(a) != len(b):
            msg = f"a and b must be equally long, got {len(a)} and {len(b)}"
            raise ValueError(msg)
        return np.fromiter(
            (fuzz.token_set_ratio(x, y) / 100.0 for x, y in zip(a, b, strict=True)),
            dtype=np.float64,
            count=len(a),
        )
