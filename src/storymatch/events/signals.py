r"""The signals of the event stage: names, numbers, dates and time in a report.

Two reports of one event name the same people and places and give the same numbers; two
reports of similar events (two earthquakes, two strikes) give different years or magnitudes,
or were published weeks apart. :func:`extract_names` and :func:`extract_numbers` read those
from a text; :func:`number_conflict` and :func:`time_penalty` score a pair of reports, and
:func:`pair_conflicts` and :func:`pair_time_penalties` do the same for every candidate pair at
once (compiled kernels, numpy). The word lists come from :mod:`storymatch.text.lexicon`. How
the signals combine into a pair score is in ``docs/concepts/events.md``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from storymatch.text.lexicon import (
    MONTH_NAMES,
    MONTH_NUMBERS,
    NAME_JOINERS,
    NOT_NAME_WORDS,
    WEEKDAY_NAMES,
)

__all__ = [
    "days_since_epoch",
    "event_days",
    "extract_names",
    "extract_names_all",
    "extract_numbers",
    "extract_numbers_all",
    "number_conflict",
    "pair_conflicts",
    "pair_time_penalties",
    "reported_day",
    "time_penalty",
]

_CAP_REST = r"(?:[\w'\u2019\-]*[\w])?(?:\.(?=\s?[A-Z]))?"
_CAP_WORD = rf"[A-Z]{_CAP_REST}"
r"""A capitalised word: ``(?:[A-Z][\w'\u2019-]*\w|[A-Z])`` with the capital taken out of the two
branches (the same matches, tried in the same order), so that a search skips to the next capital
instead of trying both branches at every character."""
_MARK = '[.!?:;"\u201c\u201d\u2018\u2019(\\[\\n]'
_STARTS_SENTENCE = (
    rf"((?<![\s\S][\s\S])|(?<={_MARK}[A-Z])|(?<={_MARK}\s[A-Z])|(?<={_MARK}\s\s[A-Z]))?"
)
r"""After a span's capital, a group that matches (empty) where the capital may start a sentence:
at the start of the text, or after a mark (``.!?:;``, quotes, brackets, a line break) and at
most two white-space characters. The same as ``(?:^|[.!?:;"\u201c\u201d\u2018\u2019(\[]\s*|\n\s*)$``
searched in the three characters before the capital, read in the search for the span instead
of in a second search for each span that may be a sentence's first word (about 6% of the
text signals' profile samples at 10k)."""
_NAME_SPAN = re.compile(
    rf"[A-Z]{_STARTS_SENTENCE}{_CAP_REST}"
    rf"(?:\s+(?:(?:{'|'.join(NAME_JOINERS)})\s+)?{_CAP_WORD})*"
)
"""A run of capitalised words; its group 1 is set where it may start a sentence."""
_LOWER_WORD = re.compile("[a-z](?<!\\w[a-z])[\\w'\u2019\\-]*")
r"""A word in lower case: ``\b[a-z][\w'\u2019-]*`` with the word boundary read back after the
first letter (a letter is a word character, so the boundary before it is "no word character
before it"): the same matches, but a search starts only at lower-case letters."""
_ONE_LOWER_WORD = re.compile("[a-z][\\w'\u2019\\-]*").fullmatch
"""Whether a string is one :data:`_LOWER_WORD` word as it stands."""

_MONTHS = {m[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)}
_MONTH_PREFIX = "(" + "|".join(_MONTHS) + ")"  # (jan|feb|...|dec)
_NUMBER = re.compile(
    r"(\d(?<![\w.,]\d)(?:\d{0,2}(?:,\d{3})+|\d*(?:\.\d+)?))(?:\s*(%|percent\b|per cent\b))?"
    r"(?:[\s-]+([a-z]{3,}))?",
)
r"""A number: ``(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)...`` with the first digit taken out
of the two branches and the look-behind read back after it: the same matches, but a search
starts only at digits (twice as fast)."""
_DATE = re.compile(
    r"\b" + _MONTH_PREFIX + r"[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_PREFIX + r"[a-z]*\b",
    re.IGNORECASE,
)
_DATE_LOWER = re.compile(_DATE.pattern)
""":data:`_DATE` without IGNORECASE, for lower-cased text: the same matches, twice as fast."""
_DATE_MONTH_FIRST = re.compile(
    _MONTH_PREFIX + r"(?<!\w[a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
)
r"""The first branch of :data:`_DATE_LOWER` alone, with the word boundary read back after the
month (``\b`` before a letter: no word character before it): the same matches, but a search
skips to the next letter that starts a month."""
_DATE_DAY_FIRST = re.compile(
    r"(\d(?<!\w\d)\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_PREFIX + r"[a-z]*\b"
)
"""The second branch of :data:`_DATE_LOWER` alone, the same way: a search skips to digits."""
_FOLDS_APART = re.compile("[\u0130\u0131\u017f\u212a]")
"""The letters that IGNORECASE matches to an ASCII letter other than their ``lower()``."""
_REPORTED = re.compile(
    r"\b(?:(" + "|".join(WEEKDAY_NAMES) + r")(?:'s|\u2019s)?"
    r"|(yesterday|today|tonight|this morning)"
    r"|(" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?\s+(\d{1,2})"
    r"(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?)\b",
    re.IGNORECASE,
)
_REPORTED_LOWER = re.compile(_REPORTED.pattern)
""":data:`_REPORTED` without IGNORECASE, for lower-cased ASCII text: the same matches (its
letters all lower case; no other letter folds to an ASCII one there), three times as fast."""
_LEAD_SENTENCES = 2
"""Sentences of the text read for :func:`reported_day` (with the title): the lead."""

_UNIT_STOP = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "from",
        "that",
        "this",
        "was",
        "were",
        "are",
        "has",
        "have",
        "had",
        "but",
        "not",
        "who",
        "which",
        "when",
        "people",
        "said",
        "says",
        "year",
        "years",
    ]
)


def extract_names(text: str) -> list[str]:
    """Capitalised spans that look like names of people, places or organisations.

    A span is a run of capitalised words (``"Tara Reid"``, ``"Bank of England"``,
    ``"U.S."``), lower-cased. Function words, weekdays and months are never names; a single
    capitalised word that starts a sentence is kept only when the text never uses it in lower
    case (``"Police said"`` next to ``"the police"`` is not a name).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        The spans in text order, repeats kept.

    Examples
    --------
    >>> extract_names("The actress Tara Reid checked into Promises in Malibu on Tuesday.")
    ['tara reid', 'promises', 'malibu']
    >>> extract_names("Police said the police station in Bank of England Street was shut.")
    ['bank of england street']
    """
    return _names(text, {})


def extract_names_all(
    texts: Iterable[str], *, memo: dict[Any, Any] | None = None
) -> list[list[str]]:
    """:func:`extract_names` of every text, faster on many texts.

    A span's words are trimmed and lower-cased once per batch (news repeat their names), so the
    result is the same as ``[extract_names(t) for t in texts]``.

    Parameters
    ----------
    texts : iterable of str
        Any texts.
    memo : dict or None, default=None
        What earlier calls learnt of the spans they met: give one dict to the calls on the
        batches of one corpus, and each span is read once for all of them (the dict grows with
        the corpus's distinct spans). None: once per call.

    Returns
    -------
    list of list of str
        The names of each text.

    Examples
    --------
    >>> extract_names_all(["Tara Reid met Ines Valcourt.", "Ines Valcourt left."])
    [['tara reid', 'ines valcourt'], ['ines valcourt']]
    """
    spans: dict[str, tuple[str, str | None] | tuple[()]] = {} if memo is None else memo
    return [_names(text, spans) for text in texts]


def _span_name(span: str) -> tuple[str, str | None] | None:
    """Return the name in a capitalised span, and its lower-cased word if it may start a sentence.

    None when only function words are left. The second item is set when the name is the
    span's first word alone (a capitalised word that may only start a sentence).
    """
    words = span.split()
    first = words[0]
    # drop function words at either end ("The White House" -> "white house")
    while words and words[0].lower().strip(".") in NOT_NAME_WORDS:
        words.pop(0)
    while words and words[-1].lower().strip(".") in NOT_NAME_WORDS:
        words.pop()
    if not words:
        return None
    alone = words[0].lower() if len(words) == 1 and words[0] == first else None
    return " ".join(words).lower(), alone


def _names(text: str, spans: dict[str, tuple[str, str | None] | tuple[()]]) -> list[str]:
    """:func:`extract_names` with ``spans``, the :func:`_span_name` of spans seen so far."""
    out: list[str] = []
    lower_words: dict[str, bool] = {}  # a sentence's first word often starts several in a text
    found_spans, firsts = _name_spans(text)
    # a span with no name is known as (): None is a span not seen yet (half are new to a batch)
    for span, known, first in zip(found_spans, map(spans.get, found_spans), firsts, strict=True):
        found = known if known is not None else spans.setdefault(span, _span_name(span) or ())
        if not found:
            continue
        name, alone = found
        if alone is not None and first:  # it may start a sentence
            lower = lower_words.get(alone)
            if lower is None:
                # a lower-case word of the text is a substring of it: most names are not
                lower = lower_words[alone] = alone in text and _is_lower_word(text, alone)
            if lower:
                continue
        out.append(name)
    return out


def _name_spans(text: str) -> tuple[list[str], list[int]]:
    """Return the :data:`_NAME_SPAN` matches of ``text``, and 1 for each whose group 1 is set.

    Found by :func:`storymatch._kernels.name_spans`, which follows the pattern on the text's
    characters as bytes (:func:`_name_codes`; the tests compare both): a fifth of the regex's
    time, which was a third of the text signals' (the regex tries every capital).
    """
    from storymatch._kernels import name_spans  # noqa: PLC0415 - compiled on first use

    starts, ends, first = name_spans(_name_codes(text)).tolist()
    return list(map(text.__getitem__, map(slice, starts, ends))), first


def load_text_kernels() -> None:
    """Load the compiled kernels of the names and numbers (compiling them on a cold cache).

    Call it before forking a process that extracts them: the child then finds them loaded
    instead of loading (or compiling) them itself while the caller does the same. The kernels
    run no threads, so a forked child may call them.
    """
    from storymatch._kernels import (  # noqa: PLC0415 - compiled on first use
        ascii_month_places,
        ascii_numbers,
        name_spans,
    )

    codes = np.frombuffer(b"Jan 5", dtype=np.uint8)
    name_spans(codes)
    ascii_month_places(codes)
    ascii_numbers(codes)


_NAME_CURLY_APOSTROPHE = 0x80
"""The byte of the right single quote for :func:`_name_codes`: both a word's character and a
sentence mark in :data:`_NAME_SPAN`, as no ASCII character is."""


def _name_codes(text: str) -> npt.NDArray[np.uint8]:
    """Return ``text`` as one byte per character for :func:`storymatch._kernels.name_spans`.

    An ASCII text is its bytes. Any other character becomes one that :data:`_NAME_SPAN` reads
    the same way (:func:`_name_code`); the positions stay those of ``text``.
    """
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    codes = points.astype(np.uint8)  # the other characters are set below
    other = np.flatnonzero(points > 0x7F)  # noqa: PLR2004 - ASCII
    codes[other] = [_name_code(point) for point in points[other].tolist()]
    return codes


@functools.cache
def _name_code(point: int) -> int:
    r"""Return the byte that stands for a character beyond ASCII in :func:`_name_codes`.

    The pattern reads such a character as a word character (``\w``), white space (``\s``),
    a sentence mark (the curly quotes) or none of these, never as a capital (``[A-Z]`` is
    ASCII): ``0`` (a word character that no lower-case joiner such as ``of`` holds), a space,
    ``"``, the curly apostrophe's own byte, or ``#``.
    """
    char = chr(point)
    if char == "\u2019":
        return _NAME_CURLY_APOSTROPHE
    if char in "\u201c\u201d\u2018":
        return ord('"')
    if _is_word_char(char):
        return ord("0")
    if re.fullmatch(r"\s", char):
        return ord(" ")
    return ord("#")


def _is_word_char(char: str) -> bool:
    r"""Whether ``char`` is ``\w`` in a ``str`` pattern (``re`` tests: alphanumeric or ``_``)."""
    return char.isalnum() or char == "_"


def _is_token_char(char: str) -> bool:
    """Whether ``char`` may follow the first letter of a :data:`_LOWER_WORD` word."""
    return char.isalnum() or char in "_'\u2019-"


def _is_lower_word(text: str, word: str) -> bool:
    """Whether ``word`` is in ``_LOWER_WORD.findall(text)``, without finding every word.

    A word starts at a lower-case ASCII letter with no word character before it, unless a word
    found before runs over it (``"x-police"`` is one word), and runs on over word characters,
    apostrophes and hyphens. So ``word`` is one where it occurs in ``text`` with no such
    character after it, none of its own cut short, and no word before running over it: one
    look at each place, instead of the whole text's words (a tenth of the names' time).
    """
    if not _ONE_LOWER_WORD(word):
        return False
    size = len(text)
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if end == size or not _is_token_char(text[end]):  # else inside a longer word
            if at == 0:
                return True
            before = text[at - 1]
            if not _is_word_char(before) and (before not in "'\u2019-" or not _run_over(text, at)):
                return True
        at = text.find(word, at + 1)
    return False


def _run_over(text: str, at: int) -> bool:
    """Whether a :data:`_LOWER_WORD` word found before ``at`` runs on to it.

    Such a word starts in the run of word characters, apostrophes and hyphens just before
    ``at`` (one before that run would have ended at its start), at a lower-case ASCII letter
    with no word character before it.
    """
    start = at
    while start > 0 and _is_token_char(text[start - 1]):
        start -= 1
    return any(
        "a" <= text[x] <= "z" and (x == start or not _is_word_char(text[x - 1]))
        for x in range(start, at)
    )


def extract_numbers(text: str) -> list[str]:
    """Numbers and dates mentioned in a text, as comparable tokens.

    Tokens: ``"y:2008"`` for a year (1900-2099 standing alone), ``"d:3-10"`` for a day of a
    month (``"March 10"``, ``"10th of March"``), ``"n:7.6"`` for any other number (thousands
    separators removed; whole numbers up to 10 are skipped as too common) and, when a unit word
    follows, also ``"k:magnitude=7.6"`` (``"7.6-magnitude"``, ``"16 percent"``), which
    :func:`number_conflict` compares.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        The tokens in text order.

    Examples
    --------
    >>> extract_numbers("A 7.6-magnitude quake hit on March 10, 2009, killing 3,400.")
    ['n:7.6', 'k:magnitude=7.6', 'd:3-10', 'y:2009', 'n:3400']
    """
    return _numbers(text, {})


def extract_numbers_all(
    texts: Iterable[str], *, memo: dict[Any, Any] | None = None
) -> list[list[str]]:
    """:func:`extract_numbers` of every text, faster on many texts.

    A number's tokens are made once per batch (news repeat their numbers), so the result is the
    same as ``[extract_numbers(t) for t in texts]``.

    Parameters
    ----------
    texts : iterable of str
        Any texts.
    memo : dict or None, default=None
        What earlier calls learnt of the numbers they met: give one dict to the calls on the
        batches of one corpus, and each number's tokens are made once for all of them. None:
        once per call.

    Returns
    -------
    list of list of str
        The tokens of each text.

    Examples
    --------
    >>> extract_numbers_all(["16 percent in 2009", "up 16 percent"])
    [['n:16', 'k:percent=16', 'y:2009'], ['n:16', 'k:percent=16']]
    """
    tokens: dict[tuple[Any, ...], tuple[tuple[int, str], ...]] = {} if memo is None else memo
    return [_numbers(text, tokens) for text in texts]


def _number_tokens(raw: str, percent: str | None, unit: str | None) -> tuple[tuple[int, str], ...]:
    """Return the tokens of one :data:`_NUMBER` match, each with its offset from its start."""
    raw = raw.replace(",", "")
    value = float(raw)
    if "." not in raw and 1900 <= value <= 2099 and not percent:  # noqa: PLR2004
        return ((0, f"y:{int(value)}"),)
    if "." not in raw and value <= 10:  # noqa: PLR2004
        return ()
    number = f"{value:g}" if value < 1e15 else raw  # noqa: PLR2004
    unit = "percent" if percent else unit
    if unit and unit not in _UNIT_STOP:
        return ((0, f"n:{number}"), (1, f"k:{unit}={number}"))
    return ((0, f"n:{number}"),)


def _numbers(text: str, known: dict[tuple[Any, ...], tuple[tuple[int, str], ...]]) -> list[str]:
    """:func:`extract_numbers` with ``known``, the :func:`_number_tokens` of matches seen so far."""
    out: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    low = text.lower()
    for start, end, month_word, day_word in _date_matches(text, low):
        # None for a letter IGNORECASE folds to ASCII ("\u017fept" read as "sept")
        month = _MONTHS.get(month_word.lower()[:3])
        day = int(day_word)
        if month is not None and 1 <= day <= 31:  # noqa: PLR2004 - days of a month
            out.append((start, f"d:{month}-{day}"))
            spans.append((start, end))
    if not spans:  # seven texts in ten
        return _undated_numbers(low, known)
    for start, groups in _number_matches(low):
        if any(a <= start < b for a, b in spans):
            continue
        tokens = known.get(groups)  # not try/except: many numbers are new to a batch
        if tokens is None:
            tokens = known[groups] = _number_tokens(*groups)
        for offset, token in tokens:
            out.append((start + offset, token))
    out.sort(key=lambda t: t[0])
    return [token for _, token in out]


def _undated_numbers(
    low: str, known: dict[tuple[Any, ...], tuple[tuple[int, str], ...]]
) -> list[str]:
    """:func:`_numbers` of a text without dates: its tokens in the order they are found.

    Faster: no match objects and no sorting. A match's tokens start at its start and the one
    after (two only for a number of two characters or more), each match starts past the last
    one's end, so the tokens come in text order. ``findall`` gives an unmatched group as ``""``,
    a match None: the same to :func:`_number_tokens`, which reads only their truth.
    """
    out: list[str] = []
    groups_found = _NUMBER.findall(low) if not low.isascii() else _ascii_numbers(low)[1]
    for groups in groups_found:
        tokens = known.get(groups)  # not try/except: many numbers are new to a batch
        if tokens is None:
            tokens = known[groups] = _number_tokens(*groups)
        for _, token in tokens:
            out.append(token)
    return out


_Groups = tuple[str, str, str]


def _number_matches(low: str) -> Iterable[tuple[int, tuple[Any, ...]]]:
    """Return the :data:`_NUMBER` matches of ``low``: each one's start and its groups."""
    if low.isascii():
        return zip(*_ascii_numbers(low), strict=True)
    return ((m.start(), m.groups()) for m in _NUMBER.finditer(low))


def _ascii_numbers(low: str) -> tuple[list[int], Iterator[_Groups]]:
    """Return the :data:`_NUMBER` matches of an ASCII ``low``, as ``findall`` gives their groups.

    Found by :func:`storymatch._kernels.ascii_numbers`, which follows the pattern on the text's
    bytes (the tests compare both). On the ASCII texts of the 10k speed corpus the pattern's
    matches with their groups took 0.16-0.25 s of CPU (of the numbers' 0.62-0.84 s), the
    kernel's 0.12-0.19 s (2026-12-07, the two alternating, shared machine). Each match's
    start, and its groups, an unmatched one as ``""``.
    """
    from storymatch._kernels import ascii_numbers  # noqa: PLC0415 - compiled on first use

    starts, ends, *others = ascii_numbers(
        np.frombuffer(low.encode("ascii"), dtype=np.uint8)
    ).tolist()
    cut = low.__getitem__
    numbers = map(cut, map(slice, starts, ends))
    percents = map(cut, map(slice, others[0], others[1]))
    units = map(cut, map(slice, others[2], others[3]))
    return starts, zip(numbers, percents, units, strict=True)


def _date_matches(text: str, low: str) -> Iterator[tuple[int, int, str, str]]:
    """Return the matches of :data:`_DATE` in ``text``, found in ``low`` (``text.lower()``).

    Each match as its start, its end, its month word and its day. Where lower-casing keeps
    every position (no letter grew) and no letter folds apart (the four that IGNORECASE matches
    to an ASCII letter other than their lower case), the case-sensitive pattern on ``low``
    matches exactly where IGNORECASE matches on ``text``; and there, a text in which no
    month's first three letters occur holds no date.
    """
    if text.isascii() or (len(low) == len(text) and not _FOLDS_APART.search(text)):
        months = _ascii_month_places(low) if text.isascii() else _month_places(low)
        if not months:  # a quarter of news texts
            return iter(())
        return _lower_date_matches(low, months)
    return (
        (m.start(), m.end(), m.group(1) or m.group(4), m.group(2) or m.group(3))
        for m in _DATE.finditer(text)
    )


def _month_places(low: str) -> list[int]:
    """Return where a month's first three letters occur in ``low``, in order."""
    places: list[int] = []
    for month in _MONTHS:
        at = low.find(month)
        while at >= 0:
            places.append(at)
            at = low.find(month, at + 3)  # a month's three letters never overlap themselves
    places.sort()
    return places


def _ascii_month_places(low: str) -> list[int]:
    """Return the places of :func:`_month_places` in an ASCII ``low`` that may hold a date.

    Those with no word character before them (:func:`storymatch._kernels.ascii_month_places`):
    a date's month follows a word boundary (the first branch) or white space (the second).
    One pass of compiled code instead of twelve searches and a loop over every place found
    (``mar`` in "market", ``dec`` in "decision"): the same dates (the tests compare both).
    """
    from storymatch._kernels import ascii_month_places  # noqa: PLC0415 - compiled on first use

    places: list[int] = ascii_month_places(
        np.frombuffer(low.encode("ascii"), dtype=np.uint8)
    ).tolist()
    return places


def _lower_date_matches(low: str, months: list[int]) -> Iterator[tuple[int, int, str, str]]:
    """Return the matches of :data:`_DATE_LOWER` in ``low``, found by its two branches apart.

    The pattern's matches are the leftmost from where the last one ended, the first branch
    before the second at one place: here the earlier of the two branches' next matches (they
    never start at one place: a letter against a digit), each branch searched again only
    when its match started before the end of the one taken. Either branch holds a month's
    first three letters at a place known from ``months`` (:func:`_month_places`): the first
    branch starts there, the second a few characters before (:func:`_day_first_places`); each
    is tried at those places alone (a failed place fails from any start, as the look-behinds
    read the text before it), not searched for at every letter or digit of the text.
    """
    month_places = iter(months)
    day_places = iter(_day_first_places(low, months))

    def next_match(
        places: Iterator[int], match: Callable[[str, int], re.Match[str] | None], pos: int
    ) -> re.Match[str] | None:  # the branch's first match from pos
        for place in places:
            if place >= pos:
                found = match(low, place)
                if found is not None:
                    return found
        return None

    match_month, match_day = _DATE_MONTH_FIRST.match, _DATE_DAY_FIRST.match
    month_first = next_match(month_places, match_month, 0)
    day_first = next_match(day_places, match_day, 0)
    while month_first is not None or day_first is not None:
        if month_first is not None and (
            day_first is None or month_first.start() < day_first.start()
        ):
            start, end = month_first.span()
            yield start, end, month_first.group(1), month_first.group(2)
        elif day_first is not None:
            start, end = day_first.span()
            yield start, end, day_first.group(2), day_first.group(1)
        if month_first is not None and month_first.start() < end:
            month_first = next_match(month_places, match_month, end)
        if day_first is not None and day_first.start() < end:
            day_first = next_match(day_places, match_day, end)


_ORDINALS = frozenset(("st", "nd", "rd", "th"))


def _day_first_places(low: str, months: list[int]) -> list[int]:
    r"""Return where a :data:`_DATE_DAY_FIRST` match can start, in order.

    Its month's three letters are at one of ``months``, after one or two digits, an ordinal
    maybe, white space, and ``of`` and white space maybe; each run of white space is all
    the white space there (a digit, a letter or the month's letter bounds it). So from each
    month, back over the white space (and ``of`` and white space, the other reading), past
    an ordinal, the last digit: the one or two places before it. ``\s`` and ``\d`` are
    ``str.isspace`` and ``str.isdecimal``, as ``re`` reads them.
    """
    places: set[int] = set()
    for month in months:
        space = month
        while space > 0 and low[space - 1].isspace():
            space -= 1
        if space == month:
            continue
        ends = [space]
        if low[space - 2 : space] == "of":
            before = space - 2
            while before > 0 and low[before - 1].isspace():
                before -= 1
            if before < space - 2:
                ends.append(before)
        for end in ends:
            digits = end - 2 if low[end - 2 : end] in _ORDINALS else end
            for start in (digits - 1, digits - 2):
                if start >= 0 and low[start:digits].isdecimal():
                    places.add(start)
    return sorted(places)


def number_conflict(left: Sequence[str], right: Sequence[str]) -> float:
    """How strongly the numbers of two texts contradict each other, in [0, 1].

    1.0 when both mention years and share none; otherwise a half for every unit both give a
    value for with no value in common (``"7.6-magnitude"`` against ``"6.4-magnitude"``),
    capped at 1. Texts without numbers never conflict.

    Parameters
    ----------
    left, right : sequence of str
        Tokens from :func:`extract_numbers`.

    Returns
    -------
    float
        0.0 (no conflict) to 1.0.

    Examples
    --------
    >>> a = extract_numbers("A 7.6-magnitude earthquake struck in 2009.")
    >>> b = extract_numbers("A 6.4-magnitude earthquake struck in 2009.")
    >>> number_conflict(a, b), number_conflict(a, a), number_conflict(a, [])
    (0.5, 0.0, 0.0)
    >>> number_conflict(["y:2008"], ["y:2011"])
    1.0
    """
    years_l = {t for t in left if t.startswith("y:")}
    years_r = {t for t in right if t.startswith("y:")}
    conflict = 1.0 if years_l and years_r and not years_l & years_r else 0.0
    keyed_l: dict[str, set[str]] = {}
    keyed_r: dict[str, set[str]] = {}
    for tokens, keyed in ((left, keyed_l), (right, keyed_r)):
        for t in tokens:
            if t.startswith("k:"):
                unit, _, value = t[2:].partition("=")
                keyed.setdefault(unit, set()).add(value)
    for unit in keyed_l.keys() & keyed_r.keys():
        if not keyed_l[unit] & keyed_r[unit]:
            conflict += 0.5
    return min(conflict, 1.0)


def time_penalty(
    left: datetime | None, right: datetime | None, *, window_days: float = 3.0
) -> float:
    """Penalty in [0, 1] for two publication times further apart than a window.

    0.0 inside the window, rising linearly to 1.0 at three windows apart. An unknown date on
    either side gives 0.0: it neither helps nor hurts.

    Parameters
    ----------
    left, right : datetime or None
        Publication times (timezone-aware, as :attr:`Article.published` returns them).
    window_days : float, default=3.0
        Days apart that reports of one event may still be.

    Returns
    -------
    float
        The penalty.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> d = datetime(2026, 3, 10, tzinfo=UTC)
    >>> time_penalty(d, datetime(2026, 3, 12, tzinfo=UTC))
    0.0
    >>> time_penalty(d, datetime(2026, 4, 10, tzinfo=UTC))
    1.0
    >>> time_penalty(d, None)
    0.0
    """
    if left is None or right is None:
        return 0.0
    days = abs((left - right).total_seconds()) / 86400.0
    if days <= window_days:
        return 0.0
    return float(min(1.0, (days - window_days) / (2.0 * window_days)))


_Codes = npt.NDArray[np.int64]


def _number_codes(
    numbers: Sequence[Sequence[str]],
) -> tuple[_Codes, _Codes, _Codes, _Codes, _Codes]:
    """Code the years and the ``unit=value`` tokens of every text for the conflicts kernel.

    Returns ``(year_offsets, years, keyed_offsets, units, values)``: each text's year codes,
    sorted, and the unit and value codes of its ``unit=value`` tokens, sorted by unit then
    value (a code per distinct token string; see
    :func:`storymatch._kernels.number_conflicts`).
    """
    year_codes: dict[str, int] = {}
    value_codes: dict[str, int] = {}
    unit_codes: dict[str, int] = {}
    value_unit: list[int] = []
    years: list[int] = []
    keyed: list[int] = []
    year_offsets = [0]
    keyed_offsets = [0]
    for tokens in numbers:
        for t in tokens:
            if t.startswith("y:"):
                years.append(year_codes.setdefault(t, len(year_codes)))
            elif t.startswith("k:"):
                code = value_codes.get(t)
                if code is None:
                    code = value_codes[t] = len(value_codes)
                    unit = t[2:].partition("=")[0]
                    value_unit.append(unit_codes.setdefault(unit, len(unit_codes)))
                keyed.append(code)
        year_offsets.append(len(years))
        keyed_offsets.append(len(keyed))
    year_ends = np.asarray(year_offsets, dtype=np.int64)
    keyed_ends = np.asarray(keyed_offsets, dtype=np.int64)
    year_text = np.repeat(np.arange(len(numbers), dtype=np.int64), np.diff(year_ends))
    year_array = np.asarray(years, dtype=np.int64)
    year_array = year_array[np.lexsort((year_array, year_text))]
    keyed_text = np.repeat(np.arange(len(numbers), dtype=np.int64), np.diff(keyed_ends))
    values = np.asarray(keyed, dtype=np.int64)
    units = np.asarray(value_unit, dtype=np.int64)[values] if keyed else values
    order = np.lexsort((values, units, keyed_text))
    return year_ends, year_array, keyed_ends, units[order], values[order]


def pair_conflicts(
    numbers: Sequence[Sequence[str]], left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Return :func:`number_conflict` of every candidate pair at once.

    The years and the ``unit=value`` tokens of every text are coded once (a code per distinct
    token), sorted per text, and a compiled kernel reads each pair's two texts side by side
    (:func:`storymatch._kernels.number_conflicts`): a conflict of 1.0 when both give years
    and share none, a half more for every unit both give a value for with no value in
    common, capped at 1.

    Parameters
    ----------
    numbers : sequence of sequence of str
        The :func:`extract_numbers` tokens of every text.
    left, right : numpy.ndarray of int64
        The pairs, as row numbers into ``numbers``.

    Returns
    -------
    numpy.ndarray of float64
        The conflict of each pair, as :func:`number_conflict` gives it.

    Examples
    --------
    >>> tokens = [["y:2008", "k:magnitude=7.6"], ["y:2011"], ["k:magnitude=6.4"], []]
    >>> pair_conflicts(tokens, np.array([0, 0, 0]), np.array([1, 2, 3])).tolist()
    [1.0, 0.5, 0.0]
    """
    from storymatch._kernels import number_conflicts  # noqa: PLC0415 - compiled on first use

    if not left.size:
        return np.empty(0, dtype=np.float64)
    conflicts: npt.NDArray[np.float64] = number_conflicts(
        *_number_codes(numbers),
        np.ascontiguousarray(left, dtype=np.int64),
        np.ascontiguousarray(right, dtype=np.int64),
    )
    return conflicts


def _lead(text: str) -> str:
    first = text.strip().split("\n\n", 1)[0]
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])", first, maxsplit=_LEAD_SENTENCES)
    return " ".join(parts[:_LEAD_SENTENCES])


def reported_day(title: str | None, text: str, when: datetime | None) -> date | None:
    """Return the day a report says its news happened, read from its title and lead.

    The lead (the title and the first two sentences) says when the news happened: "on
    Saturday", "yesterday", "on Jan. 19". A weekday is the nearest such day from six days
    before to one day after the publication day (a day of slack for time zones, as for
    dates); "today", "tonight" and "this morning" are the publication day, "yesterday" the
    day before; a month and day without a year take the publication year (the
    year before when that falls after publication). Of the days found, the latest not after
    the publication day (plus one, for time zones) is the report's day: a lead names the news
    last ("after Tuesday's vote, the governor resigned on Thursday"). Without a publication
    time only a date with a year can be read.

    Parameters
    ----------
    title : str or None
        The report's title.
    text : str
        The report's text.
    when : datetime or None
        Its publication time.

    Returns
    -------
    datetime.date or None
        The reported day; None when the lead names none that can be placed.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> friday = datetime(2019, 1, 25, 9, tzinfo=UTC)
    >>> reported_day(None, "Trump spoke on Monday. He said more.", friday)
    datetime.date(2019, 1, 21)
    >>> reported_day("Deal reached", "Leaders met on Jan. 24 and agreed.", friday)
    datetime.date(2019, 1, 24)
    >>> reported_day(None, "A quake struck on March 10, 2009.", None)
    datetime.date(2009, 3, 10)
    >>> reported_day(None, "No day is named here.", friday) is None
    True
    """
    today = when.astimezone(UTC).date() if when is not None else None
    latest = today + timedelta(days=1) if today is not None else None
    found: list[date] = []
    lead = f"{title or ''}\n{_lead(text)}"
    if lead.isascii():
        low = lead.lower()  # the groups are read in lower case: the same days
        if not _may_report_day(low):  # four leads in five: no search through the lead
            return None
        matches = _REPORTED_LOWER.finditer(low)
    else:
        matches = _REPORTED.finditer(lead)
    for m in matches:
        day: date | None = None
        if m.group(1) and today is not None:
            back = (today.weekday() - WEEKDAY_NAMES.index(m.group(1).lower())) % 7
            day = today - timedelta(days=back if back < 6 else -1)  # noqa: PLR2004 - a week
        elif m.group(2) and today is not None:
            day = today - timedelta(days=1) if m.group(2).lower() == "yesterday" else today
        elif m.group(3):
            month, number = MONTH_NUMBERS[m.group(3).lower()], int(m.group(4))
            year = int(m.group(5)) if m.group(5) else (today.year if today else None)
            day = _date(year, month, number)
            if day is not None and not m.group(5) and latest is not None and day > latest:
                day = _date(day.year - 1, month, number)
        if day is not None and (latest is None or day <= latest):
            found.append(day)
    return max(found) if found else None


_DIGIT = re.compile("[0-9]")


def _may_report_day(low: str) -> bool:
    """Whether :data:`_REPORTED_LOWER` may match in ``low`` (lower-cased ASCII).

    Each of its matches holds ``day`` (a weekday's name, ``yesterday``, ``today``),
    ``tonight``, ``this morning`` or a digit (a month's day): three substring tests and a
    search for a digit, cheaper than the pattern's search, which tries every character.
    """
    return "day" in low or "tonight" in low or "this morning" in low or bool(_DIGIT.search(low))


def _date(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def event_days(
    titles: Sequence[str | None], texts: Sequence[str], dates: Sequence[datetime | None]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Return the day of every report's news, as days since the epoch (NaN where unknown).

    The :func:`reported_day` of a report with a publication time where its lead names one,
    else its publication time (:func:`days_since_epoch`). A report without a publication time
    stays undated: without one, a dateline cannot be told from the day of the news, and the
    reports of one event may follow it for weeks.

    Returns
    -------
    days : numpy.ndarray of float64
        The day of each report (the middle of a reported day).
    reported : numpy.ndarray of bool
        Where the day is one the lead reported (not the publication time).
    """
    out = days_since_epoch(dates)
    reported = np.zeros(out.shape[0], dtype=bool)
    for i, (title, text, when) in enumerate(zip(titles, texts, dates, strict=True)):
        day = reported_day(title, text, when) if when is not None else None
        if day is not None:
            out[i] = float(day.toordinal() - _EPOCH_ORDINAL) + 0.5  # its middle
            reported[i] = True
    return out, reported


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def days_since_epoch(dates: Sequence[datetime | None]) -> npt.NDArray[np.float64]:
    """Return publication times as days since the epoch (fractional), NaN where unknown.

    Parameters
    ----------
    dates : sequence of datetime or None
        Timezone-aware publication times (:func:`storymatch._estimator.published`).

    Returns
    -------
    numpy.ndarray of float64
        One value per date.
    """
    return np.array(
        [np.nan if d is None else d.timestamp() / 86400.0 for d in dates], dtype=np.float64
    )


def pair_time_penalties(
    days: npt.NDArray[np.float64],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    window_days: float,
    *,
    reported: npt.NDArray[np.bool_] | None = None,
    reported_window_days: float = 1.0,
) -> npt.NDArray[np.float64]:
    """Return :func:`time_penalty` of every candidate pair at once (NaN days never count).

    Where both days of a pair are days the reports' leads named (``reported``), the window is
    ``reported_window_days``: outlets publish a development over several days as they catch
    up, but they report the same day for it. The penalty grows at the same rate either way,
    reaching 1 at ``2 * window_days`` past the window.

    Parameters
    ----------
    days : numpy.ndarray of float64
        :func:`days_since_epoch` of every text.
    left, right : numpy.ndarray of int64
        The pairs, as row numbers into ``days``.
    window_days : float
        Publication window of one event (see :func:`time_penalty`).
    reported : numpy.ndarray of bool or None, default=None
        Which days were reported in the text (:func:`event_days`); None: none.
    reported_window_days : float, default=1.0
        The window of a pair of reported days.

    Returns
    -------
    numpy.ndarray of float64
        The penalty of each pair.

    Examples
    --------
    >>> days, left, right = np.array([0.0, 3.0]), np.array([0]), np.array([1])
    >>> pair_time_penalties(days, left, right, 3.0).tolist()
    [0.0]
    >>> both = np.array([True, True])
    >>> pair_time_penalties(days, left, right, 3.0, reported=both).round(3).tolist()
    [0.333]
    """
    if not left.size:
        return np.empty(0, dtype=np.float64)
    gap = np.abs(days[left] - days[right])
    window: npt.NDArray[np.float64] | float = window_days
    if reported is not None:
        window = np.where(
            reported[left] & reported[right], min(reported_window_days, window_days), window_days
        )
    if window_days > 0:
        penalty = np.clip((gap - window) / (2.0 * window_days), 0.0, 1.0)
    else:
        penalty = (gap > 0).astype(np.float64)
    return np.where(np.isnan(gap), 0.0, penalty)
