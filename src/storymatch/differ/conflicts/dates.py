"""Date conflicts: absolute dates of one granularity that differ about the same event.

Weekdays (``Monday``), days (``March 3``, ``3rd of March``, ``2024-03-05``), months (``in
March``, ``March 2003``) and years (``in 2003``) are read with the words next to them and
whether they date the report (``said on Monday``) or the event. Two dates of the same
granularity and role are compared when they share a neighbouring word (``died on Friday``) or
both date their whole sentence (``On Monday, ...``); the same date on both sides is paired
first.
"""

from __future__ import annotations

from typing import Final

from storymatch.differ.conflicts._common import (
    MONTH_ABBR,
    MONTHS,
    STOP,
    WEEKDAYS,
    Analysis,
    Date,
    Found,
    span,
)
from storymatch.differ.conflicts.numbers import (
    NUMBER_WORDS,
    SCALES,
    is_content,
    is_label,
    stem_of,
)
from storymatch.text.tokens import DIGITS_RE, NUM, SENTENCE_END, WORD, Token, word_set

__all__ = ["date_conflicts", "read_dates"]


# Words before a month that make it a date ("in March", "early May") and not a name or verb.
_MONTH_PREV: Final = word_set(
    "in since until till by from of during early late mid last next this before after between "
    "through and or to on"
)

# Words before a four-digit number that make it a year ("in 2003", "the 2003 law").
_YEAR_PREV: Final = word_set(
    "in since until till from during before after early late mid by the between through circa year"
)

_DAY_NAMES: Final = word_set(
    "black good cyber super ash holy easter palm bloody shrove fat maundy giving"
)

_DATE_SPAN: Final = 3  # tokens each side of a date whose words say what happened then

_DATE_STOP: Final = frozenset([".", "!", "?", ";", ":", ",", "(", ")", "[", "]", '"'])

_LEADING: Final = "<sentence>"

_MONTHS_IN_YEAR: Final = 12

_DAYS_IN_MONTH: Final = 31

_FIRST_YEAR: Final = 1800

_LAST_YEAR: Final = 2100

_LIST_LINKS: Final = frozenset([",", "and", "or", "-", "to", "/"])


def _small_int(t: Token, limit: int) -> int | None:
    """Return the value of a plain or ordinal integer token in 1..limit, else None."""
    if t.kind != NUM:
        return None
    m = DIGITS_RE.fullmatch(t.text)
    if m is None or m["cur"] or m["dec"] or m["suf"] in {"%", "s"} or "," in m["int"]:
        return None
    v = int(m["int"])
    return v if 1 <= v <= limit else None


def _year(t: Token) -> int | None:
    m = DIGITS_RE.fullmatch(t.text) if t.kind == NUM else None
    if m is None or m["cur"] or m["dec"] or m["suf"] or len(m["int"]) != len("2024"):
        return None
    v = int(m["int"])
    return v if _FIRST_YEAR <= v <= _LAST_YEAR else None


def _month_at(tokens: tuple[Token, ...], i: int) -> tuple[int, int] | None:
    """Return (month, index after it) for a month name or abbreviation at ``i``, else None."""
    t = tokens[i]
    if t.kind != WORD or not t.cap:
        return None
    if t.key in MONTHS:
        return MONTHS[t.key], i + 1
    if t.key in MONTH_ABBR:
        j = i + 1
        if j < len(tokens) and tokens[j].key == ".":
            return MONTH_ABBR[t.key], j + 1
        if j < len(tokens) and _small_int(tokens[j], _DAYS_IN_MONTH) is not None:
            return MONTH_ABBR[t.key], j
    return None


def _is_year_here(tokens: tuple[Token, ...], i: int) -> bool:
    """Return whether the four-digit number at ``i`` is a year rather than a count."""
    n = len(tokens)
    prev = tokens[i - 1].key if i else ""
    nxt = tokens[i + 1] if i + 1 < n else None
    if i and is_label(tokens[i - 1]):
        return False  # SQL Server 2000
    for step in (-2, 2):  # 2000, 2001 and 2002
        k = i + step
        if 0 <= k < n and tokens[(i + k) // 2].key in _LIST_LINKS and _year(tokens[k]):
            return True
    if nxt is not None and (nxt.key in SCALES or nxt.key in {"%", "percent", "per"}):
        return False
    if prev in {"than", "least", "about", "some", "around", "nearly", "almost", "over", "under"}:
        return False
    if prev in _YEAR_PREV or prev in MONTHS or prev in MONTH_ABBR:
        return True
    return nxt is None or not (nxt.kind == WORD and not nxt.cap and nxt.key != "'s")


def read_dates(
    tokens: tuple[Token, ...], report_verbs: frozenset[int]
) -> tuple[tuple[Date, ...], frozenset[int]]:
    """Return the absolute dates in the text, and the token indices they use."""
    n = len(tokens)
    spans: list[tuple[str, tuple[int, ...], int, int]] = []
    used: set[int] = set()

    def add(grain: str, value: tuple[int, ...], first: int, last: int) -> None:
        spans.append((grain, value, first, last))
        used.update(range(first, last + 1))

    for i, t in enumerate(tokens):
        if i in used:
            continue
        if t.kind == NUM:
            year = _year(t)
            # ISO date: 2024-03-05
            if (
                year is not None
                and i + 4 < n
                and [x.key for x in tokens[i + 1 : i + 5 : 2]] == ["-", "-"]
                and tokens[i + 4].end - t.start == len("2024-03-05")
            ):
                month, day = (
                    _small_int(tokens[i + 2], _MONTHS_IN_YEAR),
                    _small_int(tokens[i + 4], _DAYS_IN_MONTH),
                )
                if month is not None and day is not None:
                    add("day", (month, day), i, i + 4)
                    spans.append(("year", (year,), i, i))
                    continue
            day = _small_int(t, _DAYS_IN_MONTH)
            if day is not None:  # 3 March, 3rd of March
                j = i + 2 if i + 1 < n and tokens[i + 1].key == "of" else i + 1
                month_at = _month_at(tokens, j) if j < n else None
                if month_at is not None:
                    add("day", (month_at[0], day), i, month_at[1] - 1)
                    continue
            if year is not None and _is_year_here(tokens, i):
                add("year", (year,), i, i)
        elif t.kind == WORD and t.cap:
            prev = tokens[i - 1] if i else None
            named = prev is not None and prev.key in _DAY_NAMES
            if t.key in WEEKDAYS and not named:  # not "Black Friday"
                add("weekday", (WEEKDAYS[t.key],), i, i)
                continue
            month_at = _month_at(tokens, i)
            if month_at is None:
                continue
            month, j = month_at
            day = _small_int(tokens[j], _DAYS_IN_MONTH) if j < n else None
            if day is not None and not (j + 1 < n and tokens[j + 1].key in {":", "%"}):
                add("day", (month, day), i, j)
            elif (j < n and _year(tokens[j]) is not None) or (
                prev is not None and prev.key in _MONTH_PREV
            ):
                add("month", (month,), i, j - 1)  # "March 2003", "in March"
    dates = []
    for grain, value, first, last in sorted(spans, key=lambda s: (s[2], s[0])):
        near = {*range(max(first - 2, 0), first), *range(last + 1, min(last + 3, n))}
        role = "report" if near & report_verbs else "event"
        context = _date_context(
            tokens, range(first - 1, max(first - 1 - _DATE_SPAN, -1), -1), used
        ) | _date_context(tokens, range(last + 1, min(last + 1 + _DATE_SPAN, n)), used)
        p = first - 1
        while p >= 0 and tokens[p].key in STOP:
            p -= 1
        if p < 0 or tokens[p].key in SENTENCE_END:
            context |= {_LEADING}  # "On Monday, ..." dates the whole sentence
        dates.append(Date(grain, value, first, last, role, context))
    return tuple(dates), frozenset(used)


def _date_context(tokens: tuple[Token, ...], positions: range, used: set[int]) -> frozenset[str]:
    """Return the stems of the lower-case content words next to a date, in its clause.

    Names are left out: the subject of a story is near every date in it.
    """
    found: set[str] = set()
    for p in positions:
        t = tokens[p]
        if p in used:
            continue
        if t.key in _DATE_STOP or t.kind == NUM or t.key in NUMBER_WORDS:
            break
        if is_content(t) and not t.cap:
            found.add(stem_of(t.key))
    return frozenset(found)


def date_conflicts(left: Analysis, right: Analysis) -> list[Found]:
    """Return the dates of the same granularity and role that differ, paired by context."""
    found: list[Found] = []
    groups = {(d.grain, d.role) for d in left.dates} & {(d.grain, d.role) for d in right.dates}
    for group in sorted(groups):
        ls = [d for d in left.dates if (d.grain, d.role) == group]
        rs = [d for d in right.dates if (d.grain, d.role) == group]
        # the same date on both sides is paired first; what is left pairs by the words
        # around it ("died on Friday" and "died on Thursday")
        for d in list(ls):
            same = next((e for e in rs if e.value == d.value), None)
            if same is not None:
                ls.remove(d)
                rs.remove(same)
        ranked = sorted(
            (-len(d.context & e.context), x, y)
            for x, d in enumerate(ls)
            for y, e in enumerate(rs)
            if d.context & e.context
        )
        pairs = []
        used_l: set[int] = set()
        used_r: set[int] = set()
        for _, x, y in ranked:
            if x not in used_l and y not in used_r:
                used_l.add(x)
                used_r.add(y)
                pairs.append((ls[x], rs[y]))
        found.extend(
            Found(
                "date",
                left.tokens[d.first].start,
                right.tokens[e.first].start,
                (span(left, d.first, d.last),),
                (span(right, e.first, e.last),),
            )
            for d, e in pairs
        )
    return found
