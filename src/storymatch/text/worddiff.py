"""The word-level diff of two texts, as character offsets into both.

:func:`word_diff` returns opcodes in ``difflib`` vocabulary (``equal``, ``replace``,
``insert``, ``delete``) whose spans are character offsets into the two texts as written, so a
renderer can highlight the original text. Both the differ (the word diff of two cells of a
claim, :func:`storymatch.differ.worddiff.compare_cells`) and dedup (the edits of a copy,
:func:`storymatch.dedup.copies.diff_copy`) use it.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np

from storymatch.models import DiffOp
from storymatch.text.tokens import token_keys, token_opcodes

__all__ = ["word_diff"]


_Tag = Literal["equal", "replace", "insert", "delete"]

_TAGS: Final[dict[str, _Tag]] = {
    "equal": "equal",
    "replace": "replace",
    "insert": "insert",
    "delete": "delete",
}

# the tags of the compiled diff by their codes (storymatch._kernels.diff_opcodes)
_TAG_OF_CODE: Final[tuple[_Tag, ...]] = ("equal", "replace", "delete", "insert")

# DiffOp is frozen: its generated __init__ sets each field through object.__setattr__. The
# slots' own setters, called directly, make the same (equal, hashable, picklable) object in a
# third of the time; the copies' word diffs make about 90,000 opcodes at 100,000 documents.
_NEW_OP = object.__new__
_SET_TAG, _SET_A_START, _SET_A_END, _SET_B_START, _SET_B_END = (
    getattr(DiffOp, name).__set__ for name in DiffOp.__slots__
)


def _diff_op(tag: _Tag, a_start: int, a_end: int, b_start: int, b_end: int) -> DiffOp:
    """Return ``DiffOp(tag, a_start, a_end, b_start, b_end)``, made without its ``__init__``."""
    op: DiffOp = _NEW_OP(DiffOp)
    _SET_TAG(op, tag)
    _SET_A_START(op, a_start)
    _SET_A_END(op, a_end)
    _SET_B_START(op, b_start)
    _SET_B_END(op, b_end)
    return op


def word_diff(a: str, b: str) -> tuple[DiffOp, ...]:
    """Return a word-level diff of two texts as character-offset opcodes.

    The texts are split into words, numbers and punctuation marks; the tokens are matched
    case-insensitively (and ignoring thousands separators and the style of quotes and dashes)
    with ``difflib.SequenceMatcher(autojunk=False)``, and every opcode is mapped back to
    character offsets into the original texts.

    Parameters
    ----------
    a, b : str
        The left and the right text (for a claim, the two cells' :attr:`Cell.text`).

    Returns
    -------
    tuple of DiffOp
        Opcodes in ``difflib`` vocabulary that cover both texts completely and contiguously:
        the first starts at 0 on both sides, each starts where the previous one ended, the last
        ends at ``len(a)`` and ``len(b)``, so joining the ``a`` spans gives back ``a`` exactly
        (and the same for ``b``). Whitespace after a word belongs to that word's opcode
        (whitespace before the first word to the first opcode). ``"equal"`` means the same
        words; the two spans may still differ in case, spacing or quote style. Empty when both
        texts are empty.

    See Also
    --------
    storymatch.differ.conflicts.find_conflicts : Where the two texts disagree on facts.

    Notes
    -----
    Numbers stay whole (``1,200``, ``3.5``, ``$2.5``, ``4.4%``) and punctuation is split off
    words, so ``"said,"`` against ``"said"`` is an equal word followed by a deleted comma, not
    a replaced word. Hyphenated compounds are split at the hyphen (``12-year-old``), so only
    the part that differs is highlighted. A possessive ``'s`` is its own token.

    Examples
    --------
    >>> a = "Police said 12 people were killed."
    >>> b = "Police said, 15 people were killed."
    >>> for op in word_diff(a, b):
    ...     print(op.tag, repr(a[op.a_start : op.a_end]), repr(b[op.b_start : op.b_end]))
    equal 'Police said ' 'Police said'
    insert '' ', '
    replace '12 ' '15 '
    equal 'people were killed.' 'people were killed.'
    """
    if a.isascii() and b.isascii():
        found = _ascii_word_diff(a, b)
        if found:
            return found
    ta, tb = token_keys(a).starts, token_keys(b).starts
    if not ta or not tb:
        return _degenerate_diff(a, b, has_a=bool(ta), has_b=bool(tb))
    bounds_a = [0, *ta[1:], len(a)]
    bounds_b = [0, *tb[1:], len(b)]
    return tuple(
        DiffOp(_TAGS[tag], bounds_a[i1], bounds_a[i2], bounds_b[j1], bounds_b[j2])
        for tag, i1, i2, j1, j2 in token_opcodes(a, b)
    )


def _ascii_word_diff(a: str, b: str) -> tuple[DiffOp, ...]:
    """Return :func:`word_diff` of two ASCII texts in one compiled call, or ``()``.

    :func:`storymatch._kernels.ascii_word_diff` finds the same tokens, keys and opcodes as
    :func:`~storymatch.text.tokens.token_opcodes` (the tests compare both on random texts)
    without making a string per token; it answers nothing (``()``) where a text has no token,
    which the general path reads.
    """
    from storymatch._kernels import ascii_word_diff  # noqa: PLC0415 - compiled on first use

    # ASCII texts: their UTF-8 is their ASCII. The dtype goes by position: frombuffer parses
    # a keyword argument slowly (about 0.4 us a call, two calls for each sentence pair)
    ops = ascii_word_diff(np.frombuffer(a.encode(), np.uint8), np.frombuffer(b.encode(), np.uint8))
    tags = _TAG_OF_CODE
    return tuple([_diff_op(tags[tag], a1, a2, b1, b2) for tag, a1, a2, b1, b2 in ops.tolist()])


def _degenerate_diff(a: str, b: str, *, has_a: bool, has_b: bool) -> tuple[DiffOp, ...]:
    """Return the diff when one text (or both) has no token: it is empty or blank."""
    if not has_a and not has_b:
        return (DiffOp("equal", 0, len(a), 0, len(b)),) if a or b else ()
    ops: list[DiffOp] = []
    if has_b:  # a is blank: drop its whitespace, insert all of b
        if a:
            ops.append(DiffOp("delete", 0, len(a), 0, 0))
        ops.append(DiffOp("insert", len(a), len(a), 0, len(b)))
    else:  # b is blank: delete all of a, then b's whitespace
        ops.append(DiffOp("delete", 0, len(a), 0, 0))
        if b:
            ops.append(DiffOp("insert", len(a), len(a), 0, len(b)))
    return tuple(ops)
