"""What the conflict rules share: the analysis of one text, its facts, and a finding.

:class:`Analysis` is everything the rules read of one text, computed once per text by
:func:`storymatch.differ.conflicts.find_conflicts`: its tokens and the facts read from them
(:class:`Quantity` by :mod:`.numbers`, :class:`Date` by :mod:`.dates`, :class:`Quote` by
:mod:`.quotes`, reporting verbs and hedges by :mod:`.attribution`). Each rule returns
:class:`Found` items, which the package orders and turns into :class:`~storymatch.models.Conflict`.

The word lists several rules test against are here too. Stop words, months and weekdays come
from :mod:`storymatch.text.lexicon`, the package's one vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from storymatch.differ._tokens import Token, word_set
from storymatch.models import ConflictKind
from storymatch.text.lexicon import (
    CLAIM_STOP_WORDS,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    MONTH_NUMBERS,
    WEEKDAY_NAMES,
)

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
    "Quantity",
    "Quote",
    "span",
]

STOP: Final = CLAIM_STOP_WORDS
"""Tokens that are never the subject of a conflict (function words and bare marks)."""
MONTHS: Final = {name: month for month, name in enumerate(MONTH_NAMES, start=1)}
"""Month names and their month (1 to 12)."""
MONTH_ABBR: Final = {abbr: MONTH_NUMBERS[abbr] for abbr in MONTH_ABBREVIATIONS}
"""Month abbreviations and their month ("sep" and "sept" are 9; "may" has none)."""
WEEKDAYS: Final = {name: day for day, name in enumerate(WEEKDAY_NAMES)}
"""Weekday names and their number (Monday is 0, as ``datetime.weekday()``)."""
# Wider than storymatch.text.lexicon.HONORIFICS: roles and offices too ("spokesman", "judge").
TITLES: Final = word_set(
    """mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister
    chancellor secretary senator sen rep representative gov governor mayor king queen prince
    princess duke duchess judge justice gen general col colonel lt lieutenant sgt sergeant capt
    captain adm admiral cmdr commander officer detective inspector chief superintendent
    constable pope rev reverend father bishop archbishop cardinal rabbi imam sheikh ayatollah
    premier chairman chairwoman chair director ceo ambassador attorney deputy assistant dean
    coach saint st jr sr mp congressman congresswoman lawmaker spokesman spokeswoman
    spokesperson leader"""
)
"""Titles before a name: never a name themselves, nor the owner of an age."""

MIN_PREFIX: Final = 3
"""The shortest prefix that abbreviates a word ("Sept." for September, "Calif" for California)."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number or quantity, its compatible interval and the words around it."""

    lo: float
    hi: float
    unit: str
    first: int
    last: int
    head: str | None
    before: dict[str, int]
    after: dict[str, int]
    owner: frozenset[str] = frozenset()


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
