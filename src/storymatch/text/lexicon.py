"""The one English vocabulary of storymatch: stop words, months, weekdays.

Several stages skip words that carry no content (function words), recognise month and weekday
names, or read dates. They used to keep their own copies of these lists, which drifted apart.
This module holds them once, as lower-case frozensets and ordered tuples:

- :data:`STOP_WORDS` is the base: the function words every stop list of the package shares.
  A stage that needs more builds its set from the base and the named groups below, so each
  difference is a documented choice in one place (:data:`NOT_NAME_WORDS`,
  :data:`ALIGNMENT_STOP_WORDS`, :data:`CLAIM_STOP_WORDS`).
- :data:`MONTH_NAMES`, :data:`MONTH_ABBREVIATIONS`, :data:`MONTH_WORDS`, :data:`MONTH_NUMBERS`;
  :data:`WEEKDAY_NAMES`, :data:`WEEKDAY_ABBREVIATIONS`, :data:`WEEKDAY_WORDS`;
  :data:`RELATIVE_DAYS`, :data:`DATING_WORDS`;
  :data:`NAME_JOINERS`.

The sets are data, not behaviour: changing one changes the output of the stages that use it
(event names, dateline rules, claim alignment), so the tests pin their contents. See
``docs/concepts/text.md`` for where each is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "ALIGNMENT_STOP_WORDS",
    "CLAIM_STOP_WORDS",
    "DATING_WORDS",
    "HONORIFICS",
    "MONTH_ABBREVIATIONS",
    "MONTH_NAMES",
    "MONTH_NUMBERS",
    "MONTH_WORDS",
    "MORE_FUNCTION_WORDS",
    "NAME_JOINERS",
    "NEWS_LABELS",
    "NOT_NAME_WORDS",
    "RELATIVE_DAYS",
    "REPORTING_VERBS",
    "STOP_WORDS",
    "WEEKDAY_ABBREVIATIONS",
    "WEEKDAY_NAMES",
    "WEEKDAY_WORDS",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# ------------------------------------------------------------------------------- dates

MONTH_NAMES: Final[tuple[str, ...]] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
"""English month names, lower case, in calendar order (``MONTH_NAMES[0]`` is January)."""

MONTH_ABBREVIATIONS: Final[tuple[str, ...]] = (
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
)
"""Abbreviated month names, lower case, in calendar order ("may" has none; September two)."""

MONTH_WORDS: Final[frozenset[str]] = frozenset([*MONTH_NAMES, *MONTH_ABBREVIATIONS])
"""Month names and their abbreviations."""

MONTH_NUMBERS: Final[Mapping[str, int]] = MappingProxyType(
    {
        word: month
        for month, name in enumerate(MONTH_NAMES, start=1)
        for word in (name, *(a for a in MONTH_ABBREVIATIONS if name.startswith(a)))
    }
)
"""The month (1 to 12) of every word of :data:`MONTH_WORDS` ("sept" and "sep" are 9)."""

WEEKDAY_NAMES: Final[tuple[str, ...]] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
"""English weekday names, lower case, Monday first (the index is ``datetime.weekday()``)."""

WEEKDAY_ABBREVIATIONS: Final[tuple[str, ...]] = (
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
)
"""Abbreviated weekday names, lower case, Monday first."""

WEEKDAY_WORDS: Final[frozenset[str]] = frozenset([*WEEKDAY_NAMES, *WEEKDAY_ABBREVIATIONS])
"""Weekday names and their abbreviations."""

RELATIVE_DAYS: Final[frozenset[str]] = _words("yesterday today tomorrow")
"""Days named relative to the day of writing."""

DATING_WORDS: Final[frozenset[str]] = (
    frozenset(WEEKDAY_NAMES)
    | RELATIVE_DAYS
    | _words("tonight")
    | (frozenset(MONTH_NAMES) - {"may"})
    | _words("feb aug sept oct nov dec")
)
"""Words that date a statement ("on Tuesday", "tonight", "in March").

Weekdays, relative days and months, without "may" (mostly the verb) and without the
abbreviations "jan", "mar", "apr", "jun", "jul" and "sep".
"""

# --------------------------------------------------------------------------- stop words

STOP_WORDS: Final[frozenset[str]] = _words(
    """a an the and or but of to in on at by for from with into over under about as than then
    that this these those there here is are was were be being has have had do does did will
    would can could may should it its he she they them their his her we our you your i me my
    who whom whose which what when where how not no also just only most some any all other
    such so up out after before"""
)
"""The base stop list: function words that carry no content, shared by every stop list here.

Pronouns, determiners, the commonest prepositions, conjunctions and auxiliary verbs (86 words).
"""

MORE_FUNCTION_WORDS: Final[frozenset[str]] = _words(
    """again against although another because both during each either even every hers him
    however if meanwhile neither nor off once since though through too until upon us whether
    while why within without yet"""
)
"""Less frequent function words (conjunctions, prepositions, pronouns, adverbs).

The event stage's and the claim stage's stop lists add them to :data:`STOP_WORDS`; the
alignment stop list does not.
"""

REPORTING_VERBS: Final[frozenset[str]] = _words("said says say told")
"""Verbs that attribute a statement: in nearly every news sentence, so no evidence of a match."""

HONORIFICS: Final[frozenset[str]] = _words("mr mrs ms dr")
"""Titles in front of a name (without their full stop)."""

NAME_JOINERS: Final[tuple[str, ...]] = ("of", "de", "del", "van", "von", "al", "bin", "la", "le")
"""Lower-case words a name may hold between two capitalised words ("Bank of England", "Ludwig
van Beethoven"): the event names' span pattern and its compiled scanner both read them here."""

NEWS_LABELS: Final[frozenset[str]] = _words(
    "according breaking update updated watch video photo photos read more related"
)
"""Capitalised words of page furniture and attribution ("BREAKING", "Read more", "According to")."""

NOT_NAME_WORDS: Final[frozenset[str]] = (
    STOP_WORDS
    | MORE_FUNCTION_WORDS
    | _words("few many much now one")
    | HONORIFICS
    | frozenset(WEEKDAY_NAMES)
    | RELATIVE_DAYS
    | NEWS_LABELS
    | MONTH_WORDS
)
"""Capitalised words that start sentences or name times, not people, places or organisations.

Used by :func:`storymatch.events.extract_names` to trim name spans ("The White House" is
"white house"; "Tuesday" is no name).
"""

ALIGNMENT_STOP_WORDS: Final[frozenset[str]] = (
    STOP_WORDS | _words("been might more very new one") | REPORTING_VERBS
)
"""Words that do not count as shared content when sentences are aligned into claims.

:data:`STOP_WORDS` plus a few frequent words of news text ("said", "new", "one").
"""

CLAIM_STOP_WORDS: Final[frozenset[str]] = (
    STOP_WORDS
    | MORE_FUNCTION_WORDS
    | _words(
        """been might more very am having done shall must mine ours yours theirs less least
        own same further across along among around between near onto per via down already
        still thus"""
    )
    | _words("' 's -")
)
"""Tokens that are never the subject of a claim discrepancy (function words and bare marks).

The widest list: :data:`STOP_WORDS`, :data:`MORE_FUNCTION_WORDS`, further function words, and
the tokens ``'``, ``'s`` and ``-`` as the claim tokenizer produces them.
"""
