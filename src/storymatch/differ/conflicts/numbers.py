"""Number conflicts: amounts of the same thing whose intervals do not overlap.

The amounts are read by the text stage (:mod:`storymatch.text.numbers`: intervals, units,
``about``, ranges, what they count), which copies' number edits use too; this module turns the
disagreeing pairs of :func:`~storymatch.text.numbers.pair_quantities` into conflicts. The word
tests the date and attribution rules use (:func:`is_content`, :func:`stem_of`,
:func:`is_label`) are re-exported from there.
"""

from __future__ import annotations

from storymatch.differ.conflicts._common import Analysis, Found, span
from storymatch.text.numbers import (
    NUMBER_WORDS,
    SCALES,
    is_content,
    is_label,
    pair_quantities,
    read_quantities,
    stem_of,
)

__all__ = [
    "NUMBER_WORDS",
    "SCALES",
    "is_content",
    "is_label",
    "number_conflicts",
    "read_quantities",
    "stem_of",
]


def number_conflicts(left: Analysis, right: Analysis) -> list[Found]:
    """Return the amounts of the same thing whose intervals do not overlap."""
    found = []
    pairs = pair_quantities(left.quantities, len(left.tokens), right.quantities, len(right.tokens))
    for x, y, differ in pairs:
        if differ:
            a, b = left.quantities[x], right.quantities[y]
            found.append(
                Found(
                    "number",
                    left.tokens[a.first].start,
                    right.tokens[b.first].start,
                    (span(left, a.first, a.last),),
                    (span(right, b.first, b.last),),
                )
            )
    return found
