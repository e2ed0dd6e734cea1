"""The word-level diff of two cells of a claim.

:func:`compare_cells` wraps :func:`storymatch.text.worddiff.word_diff` (re-exported here, where
it was first defined) for two cells of one claim. Where the texts disagree on facts is
:mod:`storymatch.differ.conflicts`.
"""

from __future__ import annotations

from storymatch.models import Cell, PairDiff
from storymatch.text.worddiff import word_diff

__all__ = ["compare_cells", "word_diff"]


def compare_cells(a: Cell, b: Cell, score: float) -> PairDiff:
    """Return the :class:`PairDiff` of two cells of one claim.

    Parameters
    ----------
    a, b : Cell
        The left and the right cell (``a`` first in the comparison's outlet order).
    score : float
        The sentence scorer's similarity of the two cells, in [0, 1].

    Returns
    -------
    PairDiff
        ``left=a.outlet``, ``right=b.outlet``, the score, and :func:`word_diff` of the two
        cells' texts.
    """
    return PairDiff(a.outlet, b.outlet, score, word_diff(a.text, b.text))
