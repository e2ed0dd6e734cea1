"""Date conflicts as days: relative dates and dated statements set against other dates.

A date a text gives relative to its own publication (``earlier this year``, ``last month``,
``yesterday``) is resolved against the article's publication date into the days it allows
(:class:`Period`); a year (``in 2017``) is its days too. A period is tied to the past-tense verb
it dates: the nearest one before it in its clause (``repaid $60,000 earlier this year``), or the
first after it when it leads the sentence (``In 2017, he repaid ...``).

A dated statement bounds what it reports: ``lawyers said in 2017 that he repaid the money``
puts the repaying no later than 2017. Such a date gives a period that ends with the saying, tied
to the past-tense verb of the reported clause; a reported clause in the future, conditional or
negative (``said in 2017 that he would repay``, ``had not repaid``) bounds nothing.

Two periods conflict when they date the same verb, at least one of them was resolved or bounded
this way (two plain dates are the business of :mod:`.dates`), and their days do not overlap; a
side with several periods for that verb conflicts only when none of them overlaps. Dates inside
quotations are left out: a speaker's ``last year`` counts from when they spoke.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from storymatch.differ.conflicts._common import STOP, Analysis, Date, Found, Period, span
from storymatch.differ.conflicts.numbers import stem_of
from storymatch.text.tokens import SENTENCE_END, WORD, Token, word_set

__all__ = ["period_conflicts", "read_periods"]

_PAST_IRREGULAR: Final = word_set(
    "paid repaid was were had did made took gave sold spent sent met left won lost got went "
    "came knew saw bought brought held kept led ran wrote began broke fled hid stole quit struck "
    "found became fell caught built chose drove fought flew forgave froze grew hung hit hurt "
    "laid lent meant put rode rose rang shot shut sang sank sat slept spoke stood swore swam "
    "taught threw understood woke wore withdrew overtook undertook"
)

# words ending in -ed that are not past forms
_NOT_PAST: Final = word_set(
    "need indeed hundred speed proceed exceed succeed breed creed greed seed feed bed red shed "
    "sacred wicked naked kindred ragged rugged"
)

# words ending in -ing that are not verbs
_NOT_VERB_ING: Final = word_set(
    "during morning evening thing nothing something anything everything king spring string "
    "ceiling building meeting ring wing"
)

# a reported clause that starts with one of these reports no past fact
_NO_FACT: Final = word_set(
    "will would could can may might should shall must plans planned intends intended wants "
    "wanted hopes hoped expects expected to not never no"
)

# words that open another clause: a date does not date a verb across them
_CLAUSE_OPENERS: Final = word_set(
    "that which who whom whose because but while although though whereas"
)

_PUNCT_STOP: Final = frozenset([".", "!", "?", ";", ":", ",", "(", ")", "[", "]", '"', "-"])

_REACH: Final = 8  # tokens a date looks along for the verb it dates

_REPORT_NEAR: Final = 2  # tokens between a date and the reporting verb it dates

_SLACK: Final = dt.timedelta(days=1)  # "yesterday" from a late-night or next-day publication

_DAYS_PER_WEEK: Final = 7

_LAST_MONTH: Final = 12

_SHIFT: Final = {"this": 0, "last": -1, "next": 1}

_NO_START: Final = dt.date.min.toordinal()


def _is_past(t: Token) -> bool:
    """Return whether ``t`` reads as a past-tense verb (``repaid``, ``announced``)."""
    if t.kind != WORD or (t.cap and not t.initial):
        return False
    key = t.key
    if key in _PAST_IRREGULAR:
        return True
    return len(key) >= len("hired") and key.endswith("ed") and key not in _NOT_PAST


def _is_ing(t: Token) -> bool:
    return (
        t.kind == WORD
        and len(t.key) >= len("going")
        and t.key.endswith("ing")
        and t.key not in _NOT_VERB_ING
    )


def _month_days(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + 1, 1, 1) if month == _LAST_MONTH else dt.date(year, month + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _calendar(unit: str, pub: dt.date, shift: int) -> tuple[dt.date, dt.date]:
    """Return the days of the year, month or week ``shift`` units from the one of ``pub``."""
    if unit == "year":
        return dt.date(pub.year + shift, 1, 1), dt.date(pub.year + shift, 12, 31)
    if unit == "month":
        months = pub.year * 12 + pub.month - 1 + shift
        return _month_days(months // 12, months % 12 + 1)
    monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=shift)
    return monday, monday + dt.timedelta(days=_DAYS_PER_WEEK - 1)


def _relative(
    tokens: tuple[Token, ...], i: int, pub: dt.date
) -> tuple[int, int, dt.date, dt.date] | None:
    """Return (first token, last token, first day, last day) of a relative date at ``i``."""
    key = tokens[i].key
    prev = tokens[i - 1].key if i else ""
    if key in {"yesterday", "today"}:
        day = pub - dt.timedelta(days=1 if key == "yesterday" else 0)
        return i, i, day - _SLACK, day + _SLACK
    nxt = tokens[i + 1].key if i + 1 < len(tokens) else ""
    if key not in _SHIFT or nxt not in {"year", "month", "week"} or prev in {"the", "past"}:
        return None  # "the last year" is the past twelve months
    first, last = _calendar(nxt, pub, _SHIFT[key])
    if key == "this" and prev == "earlier":
        return i - 1, i + 1, first, pub
    if key == "this" and prev == "later":
        return i - 1, i + 1, pub, last
    return i, i + 1, first, last


def _verb_before(tokens: tuple[Token, ...], first: int) -> int | None:
    """Return the past-tense verb a date dates from after it (``repaid ... in 2017``)."""
    for p in range(first - 1, max(first - 1 - _REACH, -1), -1):
        t = tokens[p]
        if t.key in _PUNCT_STOP or t.key in _CLAUSE_OPENERS or _is_ing(t):
            return None
        if _is_past(t):
            return p
    return None


def _verb_after(
    tokens: tuple[Token, ...], start: int, report_verbs: frozenset[int]
) -> tuple[int, bool] | None:
    """Return the first past-tense verb from ``start``, and whether a reporting verb came first.

    A leading date (``In 2017, ...``) dates the first verb of its sentence; when that is a
    reporting verb, the date bounds the reported clause instead.
    """
    reported = False
    stop = min(start + _REACH, len(tokens))
    p = start
    while p < stop:
        t = tokens[p]
        if p in report_verbs and not reported:
            reported = True
            stop = min(p + 1 + _REACH, len(tokens))
        elif t.key in SENTENCE_END or t.key in _NO_FACT:
            return None
        elif _is_past(t):
            if t.key == "had":  # "had (already) repaid": the participle is the verb
                q = p + 1
                while q < stop and tokens[q].kind == WORD and tokens[q].key in STOP:
                    if tokens[q].key in _NO_FACT:
                        return None
                    q += 1
                if q < stop and _is_past(tokens[q]):
                    p = q
            return p, reported
        p += 1
    return None


def _leads(tokens: tuple[Token, ...], first: int) -> bool:
    p = first - 1
    while p >= 0 and tokens[p].key in STOP:
        p -= 1
    return p < 0 or tokens[p].key in SENTENCE_END


def _report_verb_near(report_verbs: frozenset[int], first: int, last: int) -> int | None:
    near = [
        v
        for v in report_verbs
        if first - _REPORT_NEAR <= v < first or last < v <= last + _REPORT_NEAR
    ]
    return min(near) if near else None


def read_periods(
    tokens: tuple[Token, ...],
    dates: tuple[Date, ...],
    report_verbs: frozenset[int],
    quoted: frozenset[int],
    published: dt.date | None,
) -> tuple[Period, ...]:
    """Return the years and relative dates of a text as periods tied to the verbs they date.

    Parameters
    ----------
    tokens : tuple of Token
        The text's tokens.
    dates : tuple of Date
        Its absolute dates (:func:`storymatch.differ.conflicts.dates.read_dates`); the years
        among them become periods.
    report_verbs : frozenset of int
        Token indices of its reporting verbs (``said``).
    quoted : frozenset of int
        Token indices inside quotations (left out).
    published : datetime.date or None
        The publication date relative dates count from; None reads years only.

    Returns
    -------
    tuple of Period
        In text order; only dates tied to a past-tense verb.
    """
    found: list[tuple[int, int, dt.date, dt.date, bool]] = []
    for d in dates:
        if d.grain == "year" and d.first not in quoted:
            (year,) = d.value
            found.append((d.first, d.last, dt.date(year, 1, 1), dt.date(year, 12, 31), False))
    if published is not None:
        i = 0
        while i < len(tokens):
            rel = _relative(tokens, i, published) if i not in quoted else None
            if rel is not None:
                found.append((*rel, True))
                i = rel[1] + 1
            else:
                i += 1
    periods = []
    for first, last, lo, hi, relative in sorted(found, key=lambda f: f[:2]):
        verb_at = _report_verb_near(report_verbs, first, last)
        if verb_at is not None:
            after = _verb_after(tokens, max(last, verb_at) + 1, frozenset())
            bound = after[0] if after is not None else None
        else:
            before = _verb_before(tokens, first)
            after = None
            if before is None and _leads(tokens, first):
                after = _verb_after(tokens, last + 1, report_verbs)
            if after is not None and after[1]:  # "In 2017, his lawyers said he repaid ..."
                bound, verb = after[0], None
            else:
                bound = None
                verb = before if before is not None else (after[0] if after else None)
            if verb is not None:
                periods.append(
                    Period(
                        lo.toordinal(),
                        hi.toordinal(),
                        first,
                        last,
                        stem_of(tokens[verb].key),
                        relative,
                    )
                )
                continue
        if bound is not None:
            start = min(first, verb_at) if verb_at is not None else first
            periods.append(
                Period(_NO_START, hi.toordinal(), start, last, stem_of(tokens[bound].key), True)
            )
    return tuple(periods)


def period_conflicts(left: Analysis, right: Analysis) -> list[Found]:
    """Return the periods of one verb whose days do not overlap (one side resolved or bounded)."""
    found = []
    for a in left.periods:
        partners = [b for b in right.periods if b.verb == a.verb and (a.derived or b.derived)]
        if not partners or any(
            a.first_day <= b.last_day and b.first_day <= a.last_day for b in partners
        ):
            continue
        b = partners[0]
        found.append(
            Found(
                "date",
                left.tokens[a.first].start,
                right.tokens[b.first].start,
                (span(left, a.first, a.last),),
                (span(right, b.first, b.last),),
            )
        )
    return found
