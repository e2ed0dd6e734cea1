"""What the conflict rules share: the analysis of one text, its facts, and a finding.

:class:`Analysis` is everything the rules read of one text, computed once per text by
:func:`storymatch.differ.conflicts.find_conflicts`: its tokens and the facts read from them
(:class:`Quantity` by :mod:`.numbers`, :class:`Date` by :mod:`.dates`, :class:`Period` by
:mod:`.periods`, :class:`Quote` by
:mod:`.quotes`, reporting verbs and hedges by :mod:`.attribution`). Each rule returns
:class:`Found` items, which the package orders and turns into :class:`~storymatch.models.Conflict`.

The word lists several rules test against are re-exported here from
:mod:`storymatch.text.numbers` (stop words, months, weekdays, titles; built on
:mod:`storymatch.text.lexicon`, the package's one vocabulary), with :class:`Quantity`, which
the number reading of the text stage returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from storymatch.models import ConflictKind
from storymatch.text.numbers import MONTH_ABBR, MONTHS, STOP, TITLES, WEEKDAYS, Quantity
from storymatch.text.tokens import Token

__all__ = [
    "MIN_PREFIX",
    "MONTHS",
    "MONTH_ABBR",
    "STOP",
    "TITLES",
    "WEEKDAYS",
    "Analysis",
    "Date",
    "Found",
    "Period",
    "Quantity",
    "Quote",
    "span",
]

MIN_PREFIX: Final = 3
"""The shortest prefix that abbreviates a word ("Sept." for September, "Calif" for California)."""


@dataclass(frozen=True, slots=True)
class Date:
    """An absolute date of one granularity (weekday, day, month or year)."""

    grain: str
    value: tuple[int, ...]
    first: int
    last: int
    role: str
    context: frozenset[str]


@dataclass(frozen=True, slots=True)
class Period:
    """A date as the days it allows, tied to the past-tense verb it dates.

    ``first_day`` and ``last_day`` are proleptic ordinals (:meth:`datetime.date.toordinal`),
    inclusive; ``first`` and ``last`` the tokens of its words; ``verb`` the stem of the verb;
    ``derived`` whether it was resolved against the publication date (``earlier this year``)
    or is the bound a dated statement sets (``said in 2017 that ... repaid``).
    """

    first_day: int
    last_day: int
    first: int
    last: int
    verb: str
    derived: bool


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: its word keys (contractions expanded) with their token indices."""

    keys: tuple[str, ...]
    words: tuple[int, ...]
    elided: bool


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything conflict detection needs from one text, computed once per text."""

    text: str
    tokens: tuple[Token, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[Date, ...]
    periods: tuple[Period, ...]
    quotes: tuple[Quote, ...]
    verbs: tuple[tuple[int, str], ...]
    hedges: frozenset[int]
    modals: frozenset[int]
    keys: frozenset[str]
    lower_keys: frozenset[str]
    cap_keys: frozenset[str]
    title_case: bool


def span(an: Analysis, first: int, last: int) -> str:
    """Return the text of the tokens ``first`` to ``last`` (inclusive), as written."""
    return an.text[an.tokens[first].start : an.tokens[last].end]


@dataclass(frozen=True, slots=True)
class Found:
    """A conflict with the positions used to order it."""

    kind: ConflictKind
    left_pos: int
    right_pos: int
    left_words: tuple[str, ...]
    right_words: tuple[str, ...]
