"""Amounts in text: numbers read as intervals and paired by what they count.

Amounts are read in digits (``1,200``, ``3.5``, ``$2.5bn``, ``4.4%``) and words
(``twenty-five``, ``a dozen``, ``1.2 million``). Each is an interval of the values it allows: a
rounded figure its rounding, a vague amount its range (``hundreds`` is 100 to 999), a bound one
side (``more than 100``), ``about`` 20% either way, a range both ends (``10 to 12 percent``,
``between 3 and 5``). The words around an amount say what it counts (``12 killed`` pairs with
``15 dead``, not with ``40 injured``): :func:`pair_quantities` pairs the amounts of two texts,
and two amounts of the same thing disagree only when their intervals do not overlap.

The differ's number conflicts (:mod:`storymatch.differ.conflicts.numbers`) and the number
edits of copies (:mod:`storymatch.dedup.copies`) both read amounts this way. The word tests
here (:func:`is_content`, :func:`stem_of`, :func:`is_label`) are what the differ's date and
attribution rules use to read the words around a fact, too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from storymatch.text.lexicon import (
    CLAIM_STOP_WORDS,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    MONTH_NUMBERS,
    WEEKDAY_NAMES,
)
from storymatch.text.tokens import (
    ABBR,
    DIGITS_RE,
    NUM,
    WORD,
    Token,
    token_keys,
    tokenize,
    word_set,
)

__all__ = [
    "MONTHS",
    "MONTH_ABBR",
    "NUMBER_WORDS",
    "SCALES",
    "STOP",
    "TITLES",
    "WEEKDAYS",
    "Quantity",
    "is_content",
    "is_label",
    "pair_quantities",
    "quantities",
    "read_quantities",
    "stem_of",
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


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number or quantity, its compatible interval and the words around it.

    ``lo`` to ``hi`` is the interval of values it allows, ``unit`` what kind of amount it is
    (``count``, ``percent``, ``points``, ``money:$``, ``age``), ``first`` and ``last`` its
    tokens (inclusive), ``head`` the stem of the word it counts, ``before`` and ``after`` the
    stems of the words around it with their weights, ``owner`` the name an age belongs to.
    """

    lo: float
    hi: float
    unit: str
    first: int
    last: int
    head: str | None
    before: dict[str, int]
    after: dict[str, int]
    owner: frozenset[str] = frozenset()


_TIME_WORDS: Final = word_set("a.m. p.m. am pm gmt bst utc est edt et pt cet o'clock")

_UNITS_TEXT: Final = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)

NUMBER_WORDS: Final = {w: i for i, w in enumerate(_UNITS_TEXT.split())}

_TENS_TEXT: Final = "twenty thirty forty fifty sixty seventy eighty ninety"

_TENS_WORDS: Final = {w: 10 * i for i, w in enumerate(_TENS_TEXT.split(), 2)}

SCALES: Final = {
    "dozen": 12.0,
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}

# Abbreviated scales, read only after an amount of money ("$2.5bn", "£3m").
_SCALE_ABBR: Final = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12}

_CURRENCY_WORDS: Final = {
    "dollar": "$",
    "dollars": "$",
    "euro": "€",
    "euros": "€",
    "yen": "¥",
    "yuan": "yuan",
    "rupees": "rupee",
    "pesos": "peso",
    "francs": "franc",
}

# Vague quantities and the values they are compatible with (upper bounds exclusive).
_VAGUE: Final[tuple[tuple[tuple[str, ...], float, float], ...]] = (
    (("tens", "of", "thousands"), 1e4, 1e6),
    (("hundreds", "of", "thousands"), 1e5, 1e7),
    (("tens", "of", "millions"), 1e7, 1e9),
    (("hundreds", "of", "millions"), 1e8, 1e10),
    (("a", "couple", "of"), 2, 4),
    (("a", "handful", "of"), 2, 10),
    (("a", "few"), 2, 10),
    (("several",), 2, 10),
    (("dozens",), 12, 100),
    (("scores", "of"), 20, 200),
    (("hundreds",), 100, 1000),
    (("thousands",), 1000, 1e5),
    (("millions",), 1e6, 1e9),
    (("billions",), 1e9, 1e12),
)

# Words before a number that bound or blur it: "more than 100" is compatible with 120.
_MODIFIERS: Final[tuple[tuple[tuple[str, ...], str], ...]] = (
    (("no", "more", "than"), "upper"),
    (("no", "fewer", "than"), "lower"),
    (("no", "less", "than"), "lower"),
    (("more", "than"), "lower"),
    (("greater", "than"), "lower"),
    (("at", "least"), "lower"),
    (("upwards", "of"), "lower"),
    (("in", "excess", "of"), "lower"),
    (("just", "over"), "lower"),
    (("over",), "lower"),
    (("above",), "lower"),
    (("exceeding",), "lower"),
    (("less", "than"), "upper"),
    (("fewer", "than"), "upper"),
    (("at", "most"), "upper"),
    (("up", "to"), "upper"),
    (("as", "many", "as"), "upper"),
    (("as", "much", "as"), "upper"),
    (("just", "under"), "upper"),
    (("under",), "upper"),
    (("below",), "upper"),
    (("nearly",), "near"),
    (("almost",), "near"),
    (("close", "to"), "near"),
    (("an", "estimated"), "approx"),
    (("estimated",), "approx"),
    (("about",), "approx"),
    (("around",), "approx"),
    (("approximately",), "approx"),
    (("roughly",), "approx"),
    (("some",), "approx"),
    (("between",), "between"),
)

_MODIFIERS_BY_FIRST: Final = {
    first: tuple(m for m in _MODIFIERS if m[0][0] == first)
    for first in {m[0][0] for m in _MODIFIERS}
}

_VAGUE_BY_FIRST: Final = {
    first: tuple(v for v in _VAGUE if v[0][0] == first) for first in {v[0][0] for v in _VAGUE}
}

# Words a quantity can start with (besides digits): a quick filter before parsing.
_QUANTITY_STARTS: Final = frozenset(
    [*_MODIFIERS_BY_FIRST, *_VAGUE_BY_FIRST, *NUMBER_WORDS, *_TENS_WORDS, "a", "an"]
)

_EXCLUSIVE: Final = 1e-9  # an exclusive upper bound, kept well above float rounding...

_FLOAT_TOLERANCE: Final = 1e-12  # ...which two equal values may differ by

_TEN: Final = 10

_HUNDRED: Final = 100

_APPROX: Final = 0.2  # "about 100" is compatible with 80 to 120

_NOT_ONE_BEFORE: Final = word_set("no any each every the this that which some anyone")

# Canonical forms of the units news counts most, so "12 killed" pairs with "12 dead".
_UNIT_SYNONYMS: Final = {
    **dict.fromkeys(
        word_set(
            "kill killed killing kills dead die died dies death deaths fatality fatalities "
            "toll bodies"
        ),
        "dead",
    ),
    **dict.fromkeys(
        word_set("injure injured injuring injuries injury wound wounded wounding hurt casualties"),
        "injured",
    ),
    **dict.fromkeys(word_set("people persons person individuals"), "people"),
    **dict.fromkeys(word_set("arrest arrested arrests detained detention held"), "arrested"),
    **dict.fromkeys(word_set("year years yr yrs"), "year"),
}

_CLAUSE_STOP: Final = frozenset({".", "!", "?", ";", "(", ")"})

# Words around an amount that say what it counts: up to three on each side within eight tokens,
# the nearest weighing most (the word right after a number is usually its unit).
_CONTEXT: Final = 3

_CONTEXT_SPAN: Final = 8

_BEFORE_WEIGHTS: Final = (2, 1, 1)

_AFTER_WEIGHTS: Final = (3, 2, 1)

_AGE_WORDS: Final = frozenset(["year", "old"])

_GENERIC_UNITS: Final = frozenset(["people"])  # what they count is the word after them

# Suffixes the stemmer strips (suffix, replacement, shortest word it applies to).
_SUFFIXES: Final = (("ies", "y", 5), ("ing", "", 6), ("ed", "", 5), ("s", "", 4))


def stem_of(key: str) -> str:
    """Return a crude stem, with the unit synonyms folded (``killed`` -> ``dead``)."""
    if key in _UNIT_SYNONYMS:
        return _UNIT_SYNONYMS[key]
    for suffix, replacement, min_len in _SUFFIXES:
        if len(key) >= min_len and key.endswith(suffix) and not key.endswith("ss"):
            key = key[: -len(suffix)] + replacement
            break
    return _UNIT_SYNONYMS.get(key, key)


def is_content(t: Token) -> bool:
    """Return whether ``t`` is a content word: no stop word, number word or mark."""
    return (
        t.kind in (WORD, ABBR)
        and t.key not in STOP
        and t.key[0].isalpha()
        and t.key not in NUMBER_WORDS
        and t.key not in _TENS_WORDS
        and t.key not in SCALES
    )


def _match_phrase(keys: tuple[str, ...], i: int, phrase: tuple[str, ...]) -> bool:
    return keys[i : i + len(phrase)] == phrase


def _number_words(keys: tuple[str, ...], i: int) -> tuple[float, int] | None:
    """Read ``twenty-five``, ``three``, ``one hundred and twenty`` at ``i``: (value, end)."""
    n = len(keys)
    value = 0.0
    j = i
    if keys[j] in _TENS_WORDS:
        value = _TENS_WORDS[keys[j]]
        j += 1
        if j + 1 < n and keys[j] == "-" and 0 < NUMBER_WORDS.get(keys[j + 1], 0) < _TEN:
            value += NUMBER_WORDS[keys[j + 1]]
            j += 2
    elif keys[j] in NUMBER_WORDS:
        value = NUMBER_WORDS[keys[j]]
        j += 1
    else:
        return None
    if j < n and keys[j] == "hundred" and value < _TEN:
        value *= _HUNDRED
        j += 1
        k = j + 1 if j < n and keys[j] == "and" else j
        if k < n and (keys[k] in NUMBER_WORDS or keys[k] in _TENS_WORDS):
            rest = _number_words(keys, k)
            if rest is not None and rest[0] < _HUNDRED:
                value += rest[0]
                j = rest[1]
    return value, j


@dataclass(frozen=True, slots=True)
class _Core:
    """The number itself: interval, unit, where it ends, and its scale."""

    lo: float
    hi: float
    unit: str
    end: int
    scale: float
    vague: bool


def is_label(t: Token) -> bool:
    """Return whether a number after ``t`` names a thing (Flight 370, Windows 7)."""
    return (
        t.kind in (WORD, ABBR)
        and t.cap
        and t.key not in STOP
        and t.key not in _QUANTITY_STARTS
        and t.key not in MONTHS
        and t.key not in MONTH_ABBR
        and t.key not in WEEKDAYS
    )


def _is_name_like(t: Token) -> bool:
    return t.kind in (WORD, ABBR) and t.cap and t.key not in STOP


def _skip_number_token(tokens: tuple[Token, ...], i: int) -> bool:
    """Return whether the number at ``i`` is a label, time or part of a code, not an amount."""
    n = len(tokens)
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + 1] if i + 1 < n else None
    if prev is not None:
        if prev.key in {"-", "/", "#", "no", "number"} and prev.end == tokens[i].start:
            return True
        if is_label(prev):
            return True  # Flight 370, Boeing 747, Windows 7
    return nxt is not None and (nxt.key == "/" or nxt.key in _TIME_WORDS)


def _parse_core(
    tokens: tuple[Token, ...], keys: tuple[str, ...], j: int, *, second: bool = False
) -> _Core | None:
    n = len(tokens)
    t = tokens[j]
    currency = ""
    decimals = 0
    vague = False
    if t.kind == NUM:
        if not second and _skip_number_token(tokens, j):
            return None
        m = DIGITS_RE.fullmatch(t.text)
        if m is None or m["suf"] in {"st", "nd", "rd", "th", "s"}:
            return None  # times, ordinals, decades
        value = float(m["int"].replace(",", "") + ("." + m["dec"] if m["dec"] else ""))
        decimals = len(m["dec"] or "")
        currency = m["cur"] or ""
        percent = m["suf"] == "%"
        k = j + 1
    else:
        percent = False
        if t.cap and not t.initial:
            return None  # "Seven" in a name
        for phrase, least, most in _VAGUE_BY_FIRST.get(keys[j], ()):
            if _match_phrase(keys, j, phrase):
                k = j + len(phrase)
                scale = 1.0
                if k < n and keys[k] in SCALES and phrase in {("several",), ("a", "few")}:
                    scale = SCALES[keys[k]]
                    k += 1
                # the upper bound is exclusive: "hundreds" stops short of 1,000
                top = most * scale * (1 - _EXCLUSIVE)
                return _Core(least * scale, top, "count", k, scale, vague=True)
        if keys[j] in {"a", "an"} and j + 1 < n and keys[j + 1] in SCALES:
            value, k = 1.0, j + 1
        else:
            words = _number_words(keys, j)
            if words is None:
                return None
            value, k = words
            if keys[j] == "one" and (
                (j and keys[j - 1] in _NOT_ONE_BEFORE)
                or (k < n and keys[k] in {"another", "of", "-"})
            ):
                return None  # "no one", "one another", "one-sided"
    scale = 1.0
    if k + 1 < n and keys[k] == "-" and keys[k + 1] in SCALES:
        k += 1  # $10-million
    if k < n and keys[k] in SCALES:
        scale = SCALES[keys[k]]
        k += 1
    elif currency and k < n and keys[k] in _SCALE_ABBR:
        scale = _SCALE_ABBR[keys[k]]
        k += 1
    unit = "count"
    if percent or (k < n and keys[k] in {"%", "percent", "pct"}):
        unit = "percent"
        k += 0 if percent else 1
    elif _match_phrase(keys, k, ("per", "cent")):
        unit, k = "percent", k + 2
    elif keys[k : k + 1] == ("percentage",) and keys[k + 1 : k + 2] in {("point",), ("points",)}:
        unit, k = "points", k + 2
    elif currency:
        unit = "money:" + currency
    elif k < n and keys[k] in _CURRENCY_WORDS:
        unit = "money:" + _CURRENCY_WORDS[keys[k]]
        k += 1
    if decimals:
        step = 10.0**-decimals * scale
    elif scale > 1 or unit in {"percent", "points"}:
        step = scale
    else:
        step = 0.0
    value *= scale
    lo, hi = value - step / 2, value + step / 2 - step * _EXCLUSIVE
    return _Core(lo, hi, unit, k, scale, vague)


def _parse_quantity(
    tokens: tuple[Token, ...], keys: tuple[str, ...], i: int, skip: frozenset[int]
) -> Quantity | None:
    n = len(tokens)
    modifier = ""
    j = i
    for phrase, kind in _MODIFIERS_BY_FIRST.get(keys[i], ()):
        if _match_phrase(keys, i, phrase):
            modifier, j = kind, i + len(phrase)
            break
    if j >= n:
        return None
    core = _parse_core(tokens, keys, j)
    if core is None:
        return None
    lo, hi, end = core.lo, core.hi, core.end
    if modifier == "between" and end < n and keys[end] == "and" and end + 1 < n:
        second = _parse_core(tokens, keys, end + 1, second=True)
        if second is None or second.unit != core.unit:
            return None
        lo, hi, end = min(lo, second.lo), max(hi, second.hi), second.end
    elif end + 1 < n and keys[end] in {"-", "or"} and not core.vague:
        second = _parse_core(tokens, keys, end + 1, second=True)
        if second is not None and not second.vague and second.unit == core.unit:
            if core.scale == 1 and second.scale > 1:
                lo, hi = lo * second.scale, hi * second.scale
            if second.lo <= hi:
                return None  # a score (3-1) or a code, not a range
            hi, end = second.hi, second.end
    elif (
        end + 1 < n
        and keys[end] == "to"
        and core.unit != "count"
        and not modifier
        and (i == 0 or keys[i - 1] != "from")
    ):  # "1 percent to 3 percent", but not "from 10 percent to 12 percent"
        second = _parse_core(tokens, keys, end + 1, second=True)
        if second is not None and second.unit == core.unit and second.lo > hi:
            hi, end = second.hi, second.end
    if modifier == "lower":
        hi = math.inf
    elif modifier == "upper":
        lo = 0.0
    elif modifier == "near":
        lo *= 1 - _APPROX
    elif modifier == "approx":
        lo, hi = lo * (1 - _APPROX), hi * (1 + _APPROX)
    # the unit word: "12 killed", "hundreds of people", "12-year-old"
    head: str | None = None
    last = end - 1
    h = end + 1 if end < n and keys[end] == "of" and (core.vague or core.scale > 1) else end
    if core.unit in {"percent", "points"}:
        pass  # the unit is written already: "5 percent"
    elif h < n and h not in skip and is_content(tokens[h]):
        head, last = stem_of(keys[h]), h
    elif h + 1 < n and keys[h] == "-" and h + 1 not in skip and is_content(tokens[h + 1]):
        head, last = stem_of(keys[h + 1]), h + 1
        while last + 2 < n and keys[last + 1] == "-" and tokens[last + 2].kind == WORD:
            last += 2
    unit = core.unit
    owner: frozenset[str] = frozenset()
    if unit == "count" and not modifier:
        if "old" in keys[h : last + 1]:  # 23-year-old John Jenkin
            unit, owner = "age", _name_keys(tokens, range(last + 1, n))
        elif i > 1 and keys[i - 1] == "," and (end >= n or keys[end] in {",", "."}):
            p = i - 3 if keys[i - 2] == "." else i - 2  # "Comeaux Jr., 49"
            if p >= 0 and _is_name_like(tokens[p]):  # John Jenkin, 23,
                unit, owner = "age", _name_keys(tokens, range(p, -1, -1))
    ignore = _AGE_WORDS if unit == "age" else frozenset()  # every age says "year-old"
    before = _context(tokens, range(i - 1, max(i - 1 - _CONTEXT_SPAN, -1), -1), skip, ignore)
    after_end = min(end + _CONTEXT_SPAN, n)
    after = _context(tokens, range(end, after_end), skip, ignore, head_at=last if head else -1)
    return Quantity(lo, hi, unit, i, last, head, before, after, owner)


def _name_keys(tokens: tuple[Token, ...], positions: range) -> frozenset[str]:
    """Return the keys of the capitalised words from the start of ``positions`` on."""
    keys = set()
    for p in positions:
        t = tokens[p]
        if not _is_name_like(t) and t.key != ".":
            break
        if t.key != "." and t.key not in TITLES:
            keys.add(t.key)
    return frozenset(keys)


def _context(
    tokens: tuple[Token, ...],
    positions: range,
    skip: frozenset[int],
    ignore: frozenset[str],
    *,
    head_at: int | None = None,
) -> dict[str, int]:
    """Return the stems of the content words around an amount, with their weights.

    ``positions`` walks away from the amount; ``head_at`` is given for the words after it
    (the index of its unit word, or -1), where a comma or "of" after the unit ends the scan.
    """
    weights = _BEFORE_WEIGHTS if head_at is None else _AFTER_WEIGHTS
    found: dict[str, int] = {}
    for p in positions:
        t = tokens[p]
        if len(found) == _CONTEXT or not _in_clause(tokens, p, skip):
            break
        if head_at is not None and (t.key == "," or (t.key == "of" and p - 1 == head_at)):
            break  # "12 killed, police said"; "two boats of pirates"
        if is_content(t):
            stem = stem_of(t.key)
            if stem not in ignore:
                found.setdefault(stem, weights[len(found)])
    return found


def _in_clause(tokens: tuple[Token, ...], p: int, skip: frozenset[int]) -> bool:
    """Return whether the context scan may go on at ``p``: no clause end, no other amount."""
    t = tokens[p]
    if t.key in _CLAUSE_STOP:
        return False
    return not (p not in skip and (t.kind == NUM or t.key in NUMBER_WORDS or t.key in _TENS_WORDS))


def read_quantities(tokens: tuple[Token, ...], skip: frozenset[int]) -> tuple[Quantity, ...]:
    """Return the amounts of a text, left to right, using none of the tokens in ``skip``."""
    keys = tuple(t.key for t in tokens)
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        starts = tokens[i].kind == NUM or keys[i] in _QUANTITY_STARTS
        q = _parse_quantity(tokens, keys, i, skip) if starts and i not in skip else None
        if q is None or any(k in skip for k in range(q.first, q.last + 1)):
            i += 1
            continue
        found.append(q)
        i = q.last + 1
    return tuple(found)


_MIN_UNIT_SCORE: Final = 2


def _unit_score(a: Quantity, b: Quantity) -> int:
    """Return how surely two quantities count the same thing, from the words around them."""
    if a.unit != b.unit:
        return 0
    if (
        a.head is not None
        and b.head is not None
        and a.head != b.head
        and not _near(a.head, b)
        and not _near(b.head, a)
    ):
        return 0  # "12 officers" and "15 people": different things counted
    if a.head == b.head and a.head in _GENERIC_UNITS:
        second_a, second_b = _second(a), _second(b)
        if (
            second_a
            and second_b
            and second_a != second_b
            and second_a not in b.after
            and second_b not in a.after
        ):
            return 0  # "12 people were killed" and "40 people were injured"
    score = 0
    for side_a, side_b in ((a.before, b.before), (a.after, b.after)):
        for stem, weight in side_a.items():
            if stem in side_b:
                score += min(weight, side_b[stem])
    if a.unit == "age":
        if a.owner and b.owner:  # "John Jenkin, 23" and "Kathryn Jenkin, 20": two people
            same = a.owner <= b.owner or b.owner <= a.owner
            return _MIN_UNIT_SCORE * 2 if same else 0
        return score  # an age belongs to the name next to it
    # across sides only the nearest words count: "killing 12" and "12 were killed"
    for side_a, side_b in ((a.before, b.after), (a.after, b.before)):
        for stem, weight in side_a.items():
            if stem in side_b and min(weight, side_b[stem]) >= _MIN_UNIT_SCORE:
                score += _MIN_UNIT_SCORE
    return score


def _second(q: Quantity) -> str:
    """Return the word after the unit ("killed" in "12 people were killed"), else ""."""
    return next((stem for stem, w in q.after.items() if w == _AFTER_WEIGHTS[1]), "")


def _near(stem: str, q: Quantity) -> bool:
    """Return whether ``stem`` is among the words that say what ``q`` counts."""
    return q.after.get(stem, 0) >= _MIN_UNIT_SCORE or q.before.get(stem, 0) >= _MIN_UNIT_SCORE


def _overlap(a: Quantity, b: Quantity) -> bool:
    eps = _FLOAT_TOLERANCE * max(1.0, abs(a.lo), abs(b.lo))
    return a.lo <= b.hi + eps and b.lo <= a.hi + eps


def pair_quantities(
    left: Sequence[Quantity], n_left: int, right: Sequence[Quantity], n_right: int
) -> list[tuple[int, int, bool]]:
    """Pair the amounts of two texts that count the same thing, one to one.

    Agreeing pairs are taken first, so an amount both texts state is never set against another
    amount; then disagreeing pairs, surest first, ties to similar places in the texts.

    Parameters
    ----------
    left, right : sequence of Quantity
        The amounts of the two texts (:func:`read_quantities`).
    n_left, n_right : int
        The number of tokens of each text (where an amount stands, relative to its text's
        length, breaks ties).

    Returns
    -------
    list of (int, int, bool)
        The index of the left amount, of the right one, and whether their intervals do not
        overlap (the two texts disagree), in the order they were paired.
    """
    candidates = []
    for x, a in enumerate(left):
        for y, b in enumerate(right):
            score = _unit_score(a, b)
            if score >= _MIN_UNIT_SCORE:
                shift = abs(a.first / n_left - b.first / n_right)
                candidates.append((not _overlap(a, b), -score, shift, x, y))
    candidates.sort()
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs = []
    for differ, _, _, x, y in candidates:
        if x in used_left or y in used_right:
            continue
        used_left.add(x)
        used_right.add(y)
        pairs.append((x, y, differ))
    return pairs


def quantities(text: str) -> tuple[Quantity, ...]:
    """Return the amounts of ``text``, left to right (its tokens: :func:`tokenize`).

    Examples
    --------
    >>> [(q.lo, q.hi, q.unit, q.head) for q in quantities("About 40 people were hurt.")]
    [(32.0, 48.0, 'count', 'people')]
    """
    found = token_keys(text)
    if NUM not in found.kinds and _QUANTITY_STARTS.isdisjoint(found.keys):
        return ()  # no token can start an amount (most words a copy changed): no Token built
    return read_quantities(tokenize(text), frozenset())
