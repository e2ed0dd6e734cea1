"""Where aligned sentences disagree, and the word-level diff that shows how.

Two reports' cells of one claim are compared by two pure functions:

- :func:`word_diff` returns a word-level diff whose opcodes are character offsets into the two
  texts, in ``difflib`` vocabulary, so a renderer can highlight the original text.
- :func:`find_conflicts` returns the places where the two texts disagree on a number or quantity,
  a date, the words of a quotation, a name, or the attribution (reporting verb or hedge), each
  naming the words on both sides as written.

Conflict detection is tuned for precision: a false conflict on every claim would bury the real
ones, so each rule only fires when both texts state the fact and the two statements can be lined
up (same unit, same neighbour words, same quotation, same slot of the diff). What one text states
and the other leaves out is an omission, not a conflict.

Both functions analyse each text once (tokens, quantities, dates, quotations, reporting verbs) and
keep the analysis in a small cache, since a text is compared with every other cell of its claim.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from rapidfuzz import fuzz

from storymatch.models import Cell, Conflict, ConflictKind, DiffOp, PairDiff

__all__ = ["compare_cells", "find_conflicts", "find_framing", "word_diff"]

# ------------------------------------------------------------------------------ tokens


def _words(text: str) -> frozenset[str]:
    """Return the set of the space-separated words of ``text`` (for the word lists below)."""
    return frozenset(text.split())


# Texts (and text pairs) whose analysis is kept: a comparison of 20 reports has a few thousand
# cells and cell pairs, and each cell is compared with every other cell of its claim.
_CACHE_SIZE: Final = 4096

_WORD: Final = 0
_NUM: Final = 1
_ABBR: Final = 2
_PUNCT: Final = 3

_TOKEN_RE: Final = re.compile(
    # numbers kept whole: 12, 1,200, 3.5, $2.5, A$4.56, 4.4%, 10:30, 21st, 1990s
    r"(?P<num>(?:[A-Z]{1,2}\$|[$€£¥])?\d+(?:[.,:]\d+)*(?:%|(?:st|nd|rd|th|s)\b)?)"
    # dotted abbreviations: U.S., U.N., p.m.
    r"|(?P<abbr>(?:[^\W\d_]\.){2,})"
    # possessive 's as its own token, so "Smith's" and "Smith" share the word
    r"|(?P<poss>['\u2019][sS]\b)"
    # words, with inner apostrophes (don't, O'Brien); hyphens split compounds
    r"|(?P<word>[^\W_]+(?:['\u2019](?![sS]\b)[^\W_]+)*)"
    # any other character on its own: punctuation, quotes, dashes, symbols
    r"|(?P<punct>\S)"
)
_KIND_OF_GROUP: Final = {"num": _NUM, "abbr": _ABBR, "poss": _WORD, "word": _WORD, "punct": _PUNCT}
_DIGITS_RE: Final = re.compile(
    r"(?P<cur>[A-Z]{1,2}\$|[$€£¥])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?"
    r"(?P<suf>%|st|nd|rd|th|s)?"
)
_PUNCT_KEYS: Final = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
}
_SENTENCE_END: Final = frozenset({".", "!", "?", ":"})
# Words after which a full stop does not end a sentence ("Mr. Smith", "Jan. 5").
_NO_BREAK: Final = _words(
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt adm cmdr st jr sr rev messrs mt ft "
    "inc co corp ltd no vs jan feb mar apr jun jul aug sep sept oct nov dec"
)
_OPENING_QUOTES: Final = frozenset({"\u201c", "\u201e", "\u00ab", "\u2018"})


@dataclass(frozen=True, slots=True)
class _Token:
    """One token: its text, matching key, span and shape."""

    text: str
    key: str
    start: int
    end: int
    kind: int
    cap: bool
    initial: bool


@lru_cache(maxsize=65536)
def _key(text: str, kind: int) -> str:
    """Return the matching key of a token: case-folded, one style of quote and dash."""
    if kind == _PUNCT:
        return _PUNCT_KEYS.get(text, text)
    key = text.casefold().replace("\u2019", "'")
    if kind == _NUM and "," in key and _DIGITS_RE.fullmatch(text):
        key = key.replace(",", "")
    return key


@lru_cache(maxsize=_CACHE_SIZE)
def _tokenize(text: str) -> tuple[_Token, ...]:
    """Split ``text`` into word, number, abbreviation and punctuation tokens."""
    tokens: list[_Token] = []
    at_start = True
    prev_key = ""
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        kind = _KIND_OF_GROUP[m.lastgroup or "punct"]
        key = _key(s, kind)
        initial = False
        if kind == _PUNCT:
            if (s in _SENTENCE_END and prev_key not in _NO_BREAK) or s in _OPENING_QUOTES:
                at_start = True
            elif s == '"':
                start = m.start()
                before = text[start - 1] if start else " "
                after = text[start + 1] if start + 1 < len(text) else " "
                if before.isspace() and not after.isspace():
                    at_start = True
        else:
            initial = at_start
            at_start = False
        tokens.append(_Token(s, key, *m.span(), kind, s[0].isupper(), initial))
        prev_key = key
    return tuple(tokens)


_Tag = Literal["equal", "replace", "insert", "delete"]
_TAGS: Final[dict[str, _Tag]] = {
    "equal": "equal",
    "replace": "replace",
    "insert": "insert",
    "delete": "delete",
}


@lru_cache(maxsize=_CACHE_SIZE)
def _token_opcodes(a: str, b: str) -> tuple[tuple[str, int, int, int, int], ...]:
    """Return the ``difflib`` opcodes over the token keys of ``a`` and ``b`` (token indices)."""
    ta, tb = _tokenize(a), _tokenize(b)
    matcher = difflib.SequenceMatcher(
        None, [t.key for t in ta], [t.key for t in tb], autojunk=False
    )
    ops: list[tuple[str, int, int, int, int]] = []
    for op in matcher.get_opcodes():
        if op[0] == "replace":
            ops.extend(_split_replace(ta, tb, *op[1:]))
        else:
            ops.append(op)
    return tuple(ops)


def _split_replace(
    ta: tuple[_Token, ...], tb: tuple[_Token, ...], i1: int, i2: int, j1: int, j2: int
) -> list[tuple[str, int, int, int, int]]:
    """Split punctuation off the ends of a replaced stretch of words.

    ``difflib`` folds an added comma into the replaced word next to it ("12" against ", 15");
    taking it out leaves the words to the replace and the comma to an insert of its own.
    """
    a1, b1 = i1, j1
    while a1 < i2 and ta[a1].kind == _PUNCT:
        a1 += 1
    while b1 < j2 and tb[b1].kind == _PUNCT:
        b1 += 1
    if a1 == i2 or b1 == j2:
        return [("replace", i1, i2, j1, j2)]  # only punctuation on one side
    a2, b2 = i2, j2
    while ta[a2 - 1].kind == _PUNCT:
        a2 -= 1
    while tb[b2 - 1].kind == _PUNCT:
        b2 -= 1
    ops: list[tuple[str, int, int, int, int]] = []
    for x1, x2, y1, y2 in ((i1, a1, j1, b1), (a1, a2, b1, b2), (a2, i2, b2, j2)):
        if x2 > x1 and y2 > y1:
            ops.append(("replace", x1, x2, y1, y2))
        elif x2 > x1:
            ops.append(("delete", x1, x2, y1, y1))
        elif y2 > y1:
            ops.append(("insert", x1, x1, y1, y2))
    return ops


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
    find_conflicts : Where the two texts disagree on facts.

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
    ta, tb = _tokenize(a), _tokenize(b)
    if not ta or not tb:
        return _degenerate_diff(a, b, has_a=bool(ta), has_b=bool(tb))
    bounds_a = [0, *(t.start for t in ta[1:]), len(a)]
    bounds_b = [0, *(t.start for t in tb[1:]), len(b)]
    return tuple(
        DiffOp(_TAGS[tag], bounds_a[i1], bounds_a[i2], bounds_b[j1], bounds_b[j2])
        for tag, i1, i2, j1, j2 in _token_opcodes(a, b)
    )


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


# ------------------------------------------------------------------------------ vocabulary

_STOP: Final = _words(
    """a an the and or but nor of to in on at by for from with without into onto over under
    about as than then that this these those there here is are was were be been being am has
    have had having do does did done will would shall should can could may might must it its
    he she they them their theirs his her hers him we us our ours you your yours i me my mine
    who whom whose which what when where why how not no also just only even more most less
    least very so such some any each every all both either neither other another own same too
    up down out off again further once per via while if because since until after before
    during between against among through across within upon around along near yet still
    already however meanwhile thus though although whether 's ' -"""
)
_DETERMINERS: Final = _words(
    "the a an his her their its our my your this these those such no any some every each 's"
)
_MONTHS: Final = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_ABBR: Final = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS: Final = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
# Words before a month that make it a date ("in March", "early May") and not a name or verb.
_MONTH_PREV: Final = _words(
    "in since until till by from of during early late mid last next this before after between "
    "through and or to on"
)
# Words before a four-digit number that make it a year ("in 2003", "the 2003 law").
_YEAR_PREV: Final = _words(
    "in since until till from during before after early late mid by the between through circa year"
)
_DAY_NAMES: Final = _words(
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
_TIME_WORDS: Final = _words("a.m. p.m. am pm gmt bst utc est edt et pt cet o'clock")

# ------------------------------------------------------------------------------ quantities

_UNITS_TEXT: Final = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_NUMBER_WORDS: Final = {w: i for i, w in enumerate(_UNITS_TEXT.split())}
_TENS_TEXT: Final = "twenty thirty forty fifty sixty seventy eighty ninety"
_TENS_WORDS: Final = {w: 10 * i for i, w in enumerate(_TENS_TEXT.split(), 2)}
_SCALES: Final = {
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
    [*_MODIFIERS_BY_FIRST, *_VAGUE_BY_FIRST, *_NUMBER_WORDS, *_TENS_WORDS, "a", "an"]
)
_EXCLUSIVE: Final = 1e-9  # an exclusive upper bound, kept well above float rounding...
_FLOAT_TOLERANCE: Final = 1e-12  # ...which two equal values may differ by
_TEN: Final = 10
_HUNDRED: Final = 100
_APPROX: Final = 0.2  # "about 100" is compatible with 80 to 120
_NOT_ONE_BEFORE: Final = _words("no any each every the this that which some anyone")
# Canonical forms of the units news counts most, so "12 killed" pairs with "12 dead".
_UNIT_SYNONYMS: Final = {
    **dict.fromkeys(
        _words(
            "kill killed killing kills dead die died dies death deaths fatality fatalities "
            "toll bodies"
        ),
        "dead",
    ),
    **dict.fromkeys(
        _words("injure injured injuring injuries injury wound wounded wounding hurt casualties"),
        "injured",
    ),
    **dict.fromkeys(_words("people persons person individuals"), "people"),
    **dict.fromkeys(_words("arrest arrested arrests detained detention held"), "arrested"),
    **dict.fromkeys(_words("year years yr yrs"), "year"),
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


@dataclass(frozen=True, slots=True)
class _Quantity:
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


def _stem(key: str) -> str:
    """Return a crude stem, with the unit synonyms folded (``killed`` -> ``dead``)."""
    if key in _UNIT_SYNONYMS:
        return _UNIT_SYNONYMS[key]
    for suffix, replacement, min_len in _SUFFIXES:
        if len(key) >= min_len and key.endswith(suffix) and not key.endswith("ss"):
            key = key[: -len(suffix)] + replacement
            break
    return _UNIT_SYNONYMS.get(key, key)


def _is_content(t: _Token) -> bool:
    return (
        t.kind in (_WORD, _ABBR)
        and t.key not in _STOP
        and t.key[0].isalpha()
        and t.key not in _NUMBER_WORDS
        and t.key not in _TENS_WORDS
        and t.key not in _SCALES
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
        if j + 1 < n and keys[j] == "-" and 0 < _NUMBER_WORDS.get(keys[j + 1], 0) < _TEN:
            value += _NUMBER_WORDS[keys[j + 1]]
            j += 2
    elif keys[j] in _NUMBER_WORDS:
        value = _NUMBER_WORDS[keys[j]]
        j += 1
    else:
        return None
    if j < n and keys[j] == "hundred" and value < _TEN:
        value *= _HUNDRED
        j += 1
        k = j + 1 if j < n and keys[j] == "and" else j
        if k < n and (keys[k] in _NUMBER_WORDS or keys[k] in _TENS_WORDS):
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


def _is_label(t: _Token) -> bool:
    """Return whether a number after ``t`` names a thing (Flight 370, Windows 7)."""
    return (
        t.kind in (_WORD, _ABBR)
        and t.cap
        and t.key not in _STOP
        and t.key not in _QUANTITY_STARTS
        and t.key not in _MONTHS
        and t.key not in _MONTH_ABBR
        and t.key not in _WEEKDAYS
    )


def _is_name_like(t: _Token) -> bool:
    return t.kind in (_WORD, _ABBR) and t.cap and t.key not in _STOP


def _skip_number_token(tokens: tuple[_Token, ...], i: int) -> bool:
    """Return whether the number at ``i`` is a label, time or part of a code, not an amount."""
    n = len(tokens)
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + 1] if i + 1 < n else None
    if prev is not None:
        if prev.key in {"-", "/", "#", "no", "number"} and prev.end == tokens[i].start:
            return True
        if _is_label(prev):
            return True  # Flight 370, Boeing 747, Windows 7
    return nxt is not None and (nxt.key == "/" or nxt.key in _TIME_WORDS)


def _parse_core(
    tokens: tuple[_Token, ...], keys: tuple[str, ...], j: int, *, second: bool = False
) -> _Core | None:
    n = len(tokens)
    t = tokens[j]
    currency = ""
    decimals = 0
    vague = False
    if t.kind == _NUM:
        if not second and _skip_number_token(tokens, j):
            return None
        m = _DIGITS_RE.fullmatch(t.text)
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
                if k < n and keys[k] in _SCALES and phrase in {("several",), ("a", "few")}:
                    scale = _SCALES[keys[k]]
                    k += 1
                # the upper bound is exclusive: "hundreds" stops short of 1,000
                top = most * scale * (1 - _EXCLUSIVE)
                return _Core(least * scale, top, "count", k, scale, vague=True)
        if keys[j] in {"a", "an"} and j + 1 < n and keys[j + 1] in _SCALES:
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
    if k + 1 < n and keys[k] == "-" and keys[k + 1] in _SCALES:
        k += 1  # $10-million
    if k < n and keys[k] in _SCALES:
        scale = _SCALES[keys[k]]
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
    tokens: tuple[_Token, ...], keys: tuple[str, ...], i: int, skip: frozenset[int]
) -> _Quantity | None:
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
    elif h < n and h not in skip and _is_content(tokens[h]):
        head, last = _stem(keys[h]), h
    elif h + 1 < n and keys[h] == "-" and h + 1 not in skip and _is_content(tokens[h + 1]):
        head, last = _stem(keys[h + 1]), h + 1
        while last + 2 < n and keys[last + 1] == "-" and tokens[last + 2].kind == _WORD:
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
    return _Quantity(lo, hi, unit, i, last, head, before, after, owner)


def _name_keys(tokens: tuple[_Token, ...], positions: range) -> frozenset[str]:
    """Return the keys of the capitalised words from the start of ``positions`` on."""
    keys = set()
    for p in positions:
        t = tokens[p]
        if not _is_name_like(t) and t.key != ".":
            break
        if t.key != "." and t.key not in _TITLES:
            keys.add(t.key)
    return frozenset(keys)


def _context(
    tokens: tuple[_Token, ...],
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
        if _is_content(t):
            stem = _stem(t.key)
            if stem not in ignore:
                found.setdefault(stem, weights[len(found)])
    return found


def _in_clause(tokens: tuple[_Token, ...], p: int, skip: frozenset[int]) -> bool:
    """Return whether the context scan may go on at ``p``: no clause end, no other amount."""
    t = tokens[p]
    if t.key in _CLAUSE_STOP:
        return False
    return not (
        p not in skip and (t.kind == _NUM or t.key in _NUMBER_WORDS or t.key in _TENS_WORDS)
    )


def _quantities(tokens: tuple[_Token, ...], skip: frozenset[int]) -> tuple[_Quantity, ...]:
    keys = tuple(t.key for t in tokens)
    found: list[_Quantity] = []
    i = 0
    while i < len(tokens):
        starts = tokens[i].kind == _NUM or keys[i] in _QUANTITY_STARTS
        q = _parse_quantity(tokens, keys, i, skip) if starts and i not in skip else None
        if q is None or any(k in skip for k in range(q.first, q.last + 1)):
            i += 1
            continue
        found.append(q)
        i = q.last + 1
    return tuple(found)


# ------------------------------------------------------------------------------ dates


@dataclass(frozen=True, slots=True)
class _Date:
    """An absolute date of one granularity (weekday, day, month or year)."""

    grain: str
    value: tuple[int, ...]
    first: int
    last: int
    role: str
    context: frozenset[str]


def _small_int(t: _Token, limit: int) -> int | None:
    """Return the value of a plain or ordinal integer token in 1..limit, else None."""
    if t.kind != _NUM:
        return None
    m = _DIGITS_RE.fullmatch(t.text)
    if m is None or m["cur"] or m["dec"] or m["suf"] in {"%", "s"} or "," in m["int"]:
        return None
    v = int(m["int"])
    return v if 1 <= v <= limit else None


def _year(t: _Token) -> int | None:
    m = _DIGITS_RE.fullmatch(t.text) if t.kind == _NUM else None
    if m is None or m["cur"] or m["dec"] or m["suf"] or len(m["int"]) != len("2024"):
        return None
    v = int(m["int"])
    return v if _FIRST_YEAR <= v <= _LAST_YEAR else None


def _month_at(tokens: tuple[_Token, ...], i: int) -> tuple[int, int] | None:
    """Return (month, index after it) for a month name or abbreviation at ``i``, else None."""
    t = tokens[i]
    if t.kind != _WORD or not t.cap:
        return None
    if t.key in _MONTHS:
        return _MONTHS[t.key], i + 1
    if t.key in _MONTH_ABBR:
        j = i + 1
        if j < len(tokens) and tokens[j].key == ".":
            return _MONTH_ABBR[t.key], j + 1
        if j < len(tokens) and _small_int(tokens[j], _DAYS_IN_MONTH) is not None:
            return _MONTH_ABBR[t.key], j
    return None


def _is_year_here(tokens: tuple[_Token, ...], i: int) -> bool:
    """Return whether the four-digit number at ``i`` is a year rather than a count."""
    n = len(tokens)
    prev = tokens[i - 1].key if i else ""
    nxt = tokens[i + 1] if i + 1 < n else None
    if i and _is_label(tokens[i - 1]):
        return False  # SQL Server 2000
    for step in (-2, 2):  # 2000, 2001 and 2002
        k = i + step
        if 0 <= k < n and tokens[(i + k) // 2].key in _LIST_LINKS and _year(tokens[k]):
            return True
    if nxt is not None and (nxt.key in _SCALES or nxt.key in {"%", "percent", "per"}):
        return False
    if prev in {"than", "least", "about", "some", "around", "nearly", "almost", "over", "under"}:
        return False
    if prev in _YEAR_PREV or prev in _MONTHS or prev in _MONTH_ABBR:
        return True
    return nxt is None or not (nxt.kind == _WORD and not nxt.cap and nxt.key != "'s")


def _dates(
    tokens: tuple[_Token, ...], report_verbs: frozenset[int]
) -> tuple[tuple[_Date, ...], frozenset[int]]:
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
        if t.kind == _NUM:
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
        elif t.kind == _WORD and t.cap:
            prev = tokens[i - 1] if i else None
            named = prev is not None and prev.key in _DAY_NAMES
            if t.key in _WEEKDAYS and not named:  # not "Black Friday"
                add("weekday", (_WEEKDAYS[t.key],), i, i)
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
        while p >= 0 and tokens[p].key in _STOP:
            p -= 1
        if p < 0 or tokens[p].key in _SENTENCE_END:
            context |= {_LEADING}  # "On Monday, ..." dates the whole sentence
        dates.append(_Date(grain, value, first, last, role, context))
    return tuple(dates), frozenset(used)


def _date_context(tokens: tuple[_Token, ...], positions: range, used: set[int]) -> frozenset[str]:
    """Return the stems of the lower-case content words next to a date, in its clause.

    Names are left out: the subject of a story is near every date in it.
    """
    found: set[str] = set()
    for p in positions:
        t = tokens[p]
        if p in used:
            continue
        if t.key in _DATE_STOP or t.kind == _NUM or t.key in _NUMBER_WORDS:
            break
        if _is_content(t) and not t.cap:
            found.add(_stem(t.key))
    return frozenset(found)


# ------------------------------------------------------------------------------ quotes


@dataclass(frozen=True, slots=True)
class _Quote:
    """A quotation: its word keys (contractions expanded) with their token indices."""

    keys: tuple[str, ...]
    words: tuple[int, ...]
    elided: bool


_CONTRACTIONS: Final[dict[str, tuple[str, ...]]] = {
    "gonna": ("going", "to"),
    "wanna": ("want", "to"),
    "gotta": ("got", "to"),
    "cannot": ("can", "not"),
}
_CONTRACTED: Final = {"ve": "have", "re": "are", "ll": "will", "d": "would", "m": "am"}
_PRONOUNS: Final = frozenset(
    ["he", "she", "it", "that", "there", "what", "who", "here", "where", "how", "let"]
)
_QUOTE_MARK_RE: Final = re.compile('["\u201c\u201d\u201e\u00ab\u00bb]')
_SINGLE_QUOTE_RE: Final = re.compile("[\u2018\u2019]")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Return the character spans inside quotations; unclosed ones run to the text's edge."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _QUOTE_MARK_RE.finditer(text):
        c, p = m.group(), m.start()
        if c in "\u201c\u201e\u00ab":
            opening = True
        elif c in "\u201d\u00bb":
            opening = False
        else:
            before = text[p - 1] if p else " "
            after = text[p + 1] if p + 1 < len(text) else " "
            opening = (before.isspace() or before in "([{-\u2013\u2014:/") and not after.isspace()
        if opening:
            if open_at is None:
                open_at = p + 1
        elif open_at is not None:
            spans.append((open_at, p))
            open_at = None
        elif not spans:
            spans.append((0, p))
    if open_at is not None:
        spans.append((open_at, len(text)))
    open_single: int | None = None
    for m in _SINGLE_QUOTE_RE.finditer(text):
        p = m.start()
        before = text[p - 1] if p else " "
        after = text[p + 1] if p + 1 < len(text) else " "
        if m.group() == "\u2018" and not before.isalnum():
            open_single = p + 1
        elif open_single is not None and not after.isalnum() and not before.isspace():
            spans.append((open_single, p))
            open_single = None
    return spans


def _expand(key: str, prev: str) -> tuple[str, ...]:
    """Return the words a contraction stands for ("won't" -> "will not"), else the key."""
    if key in _CONTRACTIONS:
        return _CONTRACTIONS[key]
    if key == "'s" and prev in _PRONOUNS:
        return ("is",)
    if key.endswith("n't"):
        base = key[:-3]
        return ({"wo": "will", "ca": "can", "sha": "shall"}.get(base, base), "not")
    base, apostrophe, suffix = key.rpartition("'")
    if apostrophe and base and suffix in _CONTRACTED:
        return (base, _CONTRACTED[suffix])
    return (key,)


def _quotes(
    text: str, tokens: tuple[_Token, ...], spans: list[tuple[int, int]]
) -> tuple[_Quote, ...]:
    """Return the quotations of ``text``, without editorial insertions in brackets."""
    quotes = []
    for start, end in spans:
        keys: list[str] = []
        words: list[int] = []
        depth = 0
        prev = ""
        for i, t in enumerate(tokens):
            if t.start < start or t.end > end:
                continue
            if t.key in {"(", "["}:
                depth += 1
            elif t.key in {")", "]"}:
                depth = max(depth - 1, 0)
            elif not depth and (t.kind != _PUNCT or t.key == "&"):
                for k in _expand("and" if t.key == "&" else t.key, prev):
                    keys.append(k)
                    words.append(i)
                prev = t.key
        if keys:
            raw = text[start:end]
            elided = any(mark in raw for mark in ("...", "\u2026", "[", "("))
            quotes.append(_Quote(tuple(keys), tuple(words), elided))
    return tuple(quotes)


# ------------------------------------------------------------------------------ attribution

_VERB_CLASSES: Final = {
    "neutral": "say says said saying tell tells told telling state states stated stating "
    "announce announces announced announcing add adds added adding explain explains explained "
    "note notes noted report reports reported confirm confirms confirmed declare declares "
    "declared write writes wrote tweeted remarked commented according",
    "claim": "claim claims claimed claiming allege alleges alleging assert asserts asserted "
    "asserting contend contends contended contending purport purports",
    "insist": "insist insists insisted insisting argue argues argued arguing",
    "concede": "admit admits admitted admitting concede concedes conceded conceding "
    "acknowledge acknowledges acknowledged acknowledging confess confesses confessed",
    "deny": "deny denies denied denying",
    "warn": "warn warns warned warning caution cautions cautioned",
    "suggest": "suggest suggests suggested suggesting hint hints hinted hinting imply implies "
    "implied speculate speculates speculated",
    "accuse": "accuse accuses accusing blame blames blamed blaming",
}
_VERB_CLASS: Final = {form: cls for cls, forms in _VERB_CLASSES.items() for form in forms.split()}
_AUX: Final = _words("was were been being is are be am get gets got")
_HEDGES: Final = _words(
    "reportedly allegedly apparently purportedly supposedly possibly perhaps probably "
    "presumably seemingly ostensibly maybe may might"
)
# Words that soften as much as a hedge but do not flag on their own ("could" vs "may").
_WEAK_MODALS: Final = frozenset(["could", "would", "should", "likely"])
# Verb forms that are also plural nouns, and words that follow the noun, not the verb.
_NOUN_FORMS: Final = _words(
    "claim claims report reports note notes state states hint hints warning blame comment add"
)
_AFTER_NOUN: Final = _words(
    "of as were are was is by about from in on to against for and or have had has will would "
    "could may might"
)
_HEDGE_ADJECTIVES: Final = _words(
    "alleged suspected purported presumed possible probable apparent likely"
)
_OBJECT_SPAN: Final = 3  # words after a verb that can show it is not reporting speech
_NOT_REPORTING: Final = {
    "claim": _words("responsibility credit victory lives life title asylum seat seats"),
    "deny": _words("bail entry access permission visa visas asylum"),
}


def _verbs_and_hedges(
    tokens: tuple[_Token, ...], quoted: frozenset[int]
) -> tuple[tuple[tuple[int, str], ...], frozenset[int], frozenset[int]]:
    """Return the reporting verbs (index, class), hedges and weak modals outside quotations."""
    n = len(tokens)
    verbs: list[tuple[int, str]] = []
    hedges: set[int] = set()
    modals: set[int] = set()
    for i, t in enumerate(tokens):
        if t.kind != _WORD or i in quoted:
            continue
        key = t.key
        prev = tokens[i - 1].key if i else ""
        nxt = tokens[i + 1].key if i + 1 < n else ""
        if key in _HEDGES:
            if not t.cap or t.initial:  # "May" mid-sentence is a month or a name
                hedges.add(i)
            continue
        if key in _WEAK_MODALS:
            modals.add(i)
            continue
        if key in _HEDGE_ADJECTIVES and prev in _DETERMINERS:
            hedges.add(i)  # "the alleged attacker", "a suspected gunman"
            continue
        if key in {"said", "believed", "thought"} and prev in _AUX and nxt == "to":
            hedges.add(i)  # "he is said to have fled"
            continue
        cls = _VERB_CLASS.get(key)
        if cls is None:
            continue
        if key == "according" and nxt != "to":
            continue
        if prev in _DETERMINERS or (prev in _AUX and not key.endswith("ing")):
            continue  # a noun ("his claims") or a passive ("was admitted")
        if key in _NOUN_FORMS and (
            nxt in _AFTER_NOUN or (i + 1 < n and tokens[i + 1].kind == _PUNCT)
        ):
            continue  # "ownership claims as", "the reports were"
        following = {tokens[k].key for k in range(i + 1, min(i + 1 + _OBJECT_SPAN, n))}
        if following & _NOT_REPORTING.get(cls, frozenset()):
            continue  # "claimed responsibility", "denied bail"
        if cls == "concede" and "hospital" in following:
            continue
        verbs.append((i, cls))
    return tuple(verbs), frozenset(hedges), frozenset(modals)


# ------------------------------------------------------------------------------ names

_TITLES: Final = _words(
    """mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister
    chancellor secretary senator sen rep representative gov governor mayor king queen prince
    princess duke duchess judge justice gen general col colonel lt lieutenant sgt sergeant capt
    captain adm admiral cmdr commander officer detective inspector chief superintendent
    constable pope rev reverend father bishop archbishop cardinal rabbi imam sheikh ayatollah
    premier chairman chairwoman chair director ceo ambassador attorney deputy assistant dean
    coach saint st jr sr mp congressman congresswoman lawmaker spokesman spokeswoman
    spokesperson leader"""
)
_DEMONYMS: Final = _words(
    """american americans british briton britons english french german germans chinese
    japanese russian russians italian italians spanish iraqi iraqis iranian iranians israeli
    israelis palestinian palestinians afghan afghans pakistani pakistanis indian indians syrian
    syrians egyptian egyptians saudi saudis turkish turk turks greek greeks european europeans
    african africans asian asians arab arabs kurdish kurd kurds western eastern northern
    southern muslim muslims christian christians jewish catholic protestant sunni shiite shia
    democrat democrats democratic republican republicans conservative conservatives labour
    liberal liberals mexican mexicans canadian canadians australian australians korean koreans
    dutch swiss irish scottish welsh polish swedish danish norwegian finnish thai vietnamese
    filipino lebanese yemeni libyan libyans somali sudanese ukrainian ukrainians
    nigerian nigerians kenyan kenyans brazilian brazilians cuban cubans venezuelan
    venezuelans colombian colombians taliban"""
)
# Places and institutions that stand for one another in news ("Beijing" for "China").
_METONYMS: Final = tuple(
    frozenset(group.split(","))
    for group in (
        "washington,united states,us,u.s.,usa,america,white house,pentagon",
        "pentagon,defense department,department of defense,dod,defence ministry",
        "beijing,china",
        "moscow,kremlin,russia",
        "london,britain,great britain,uk,u.k.,united kingdom,downing street,westminster",
        "paris,france,elysee",
        "berlin,germany",
        "tokyo,japan",
        "tehran,iran",
        "jerusalem,israel",
        "brussels,eu,e.u.,european union",
        "kiev,kyiv,ukraine",
        "pyongyang,north korea",
        "seoul,south korea",
        "new delhi,delhi,india",
        "islamabad,pakistan",
        "kabul,afghanistan",
        "baghdad,iraq",
        "damascus,syria",
        "cairo,egypt",
        "ankara,turkey",
        "ottawa,canada",
        "canberra,australia",
        "madrid,spain",
        "rome,italy",
        "riyadh,saudi arabia",
        "taipei,taiwan",
        "vatican,holy see",
        "un,u.n.,united nations",
    )
)
_NAME_LINKS: Final = frozenset(
    ["&", "of", "de", "del", "van", "von", "der", "al", "bin", "la", "le", "du", "da", "-"]
)
_MIN_DEMONYM: Final = 6  # "Sicilian", not "Brian"
_LONG_WORD: Final = 4  # title-case test: words of four letters or more...
_MIN_TITLE_WORDS: Final = 4  # ...at least four of them...
_TITLE_CASE_SHARE: Final = 0.6  # ...and most capitalised: "Ten Dead In Southern Iran Quake"
_MAX_ACRONYM: Final = 5
_NAME_MAX_OP: Final = 6  # a name replaced in a slot, not a rewritten clause
_NAME_VARIANT_RATIO: Final = 70.0  # spelling variants: Gadhafi / Qaddafi
_PARTIAL_VARIANT_RATIO: Final = 90.0  # one name inside the other: Schindler / Schindlers
_MIN_PARTIAL: Final = 4
_MIN_PREFIX: Final = 3
_WORDS_RE: Final = re.compile(r"[^\W\d_]+")


_NAME_PARTS: Final = _words(
    """mt mount lake river island islands county city park national north south east west
    street road avenue square district province state region week day game round chapter
    section article room gate"""
)


def _is_name_shape(t: _Token) -> bool:
    return (
        t.kind in (_WORD, _ABBR)
        and t.cap
        and t.text[0].isalpha()
        and t.key not in _STOP
        and t.key not in _TITLES
        and t.key not in _NAME_PARTS
        and t.key not in _MONTHS
        and t.key not in _MONTH_ABBR
        and t.key not in _WEEKDAYS
        and t.key not in _HEDGES
        and len(t.key) > 1
    )


def _is_demonym(t: _Token) -> bool:
    """Return whether ``t`` names a people or a group ("French", "Sicilian", "Democrats")."""
    return t.key in _DEMONYMS or (
        len(t.key) >= _MIN_DEMONYM and t.key.endswith(("ian", "ians", "ese", "ish"))
    )


def _title_case(tokens: tuple[_Token, ...]) -> bool:
    """Return whether the text is headline-style, where capitals say nothing about names."""
    long_words = [
        t for t in tokens if t.kind == _WORD and len(t.key) >= _LONG_WORD and t.key.isalpha()
    ]
    if len(long_words) < _MIN_TITLE_WORDS:
        return False
    return sum(t.cap for t in long_words) >= _TITLE_CASE_SHARE * len(long_words)


def _is_acronym(run: list[_Token]) -> bool:
    return all(t.kind == _ABBR or (t.text.isupper() and len(t.text) <= _MAX_ACRONYM) for t in run)


# ------------------------------------------------------------------------------ analysis


@dataclass(frozen=True, slots=True)
class _Analysis:
    """Everything conflict detection needs from one text, computed once per text."""

    text: str
    tokens: tuple[_Token, ...]
    quantities: tuple[_Quantity, ...]
    dates: tuple[_Date, ...]
    quotes: tuple[_Quote, ...]
    verbs: tuple[tuple[int, str], ...]
    hedges: frozenset[int]
    modals: frozenset[int]
    keys: frozenset[str]
    lower_keys: frozenset[str]
    cap_keys: frozenset[str]
    title_case: bool


@lru_cache(maxsize=_CACHE_SIZE)
def _analyse(text: str) -> _Analysis:
    tokens = _tokenize(text)
    spans = _quote_spans(text)
    quoted = frozenset(
        i for i, t in enumerate(tokens) if any(a <= t.start and t.end <= b for a, b in spans)
    )
    verbs, hedges, modals = _verbs_and_hedges(tokens, quoted)
    dates, used = _dates(tokens, frozenset(i for i, _ in verbs))
    return _Analysis(
        text=text,
        tokens=tokens,
        quantities=_quantities(tokens, used),
        dates=dates,
        quotes=_quotes(text, tokens, spans),
        verbs=verbs,
        hedges=hedges,
        modals=modals,
        keys=frozenset(t.key for t in tokens),
        lower_keys=frozenset(t.key for t in tokens if t.kind == _WORD and t.text.islower()),
        cap_keys=frozenset(t.key for t in tokens if t.cap and not t.initial),
        title_case=_title_case(tokens),
    )


def _span(an: _Analysis, first: int, last: int) -> str:
    return an.text[an.tokens[first].start : an.tokens[last].end]


# ------------------------------------------------------------------------------ conflicts

_KIND_ORDER: Final[dict[ConflictKind, int]] = {
    "number": 0,
    "date": 1,
    "quote": 2,
    "name": 3,
    "attribution": 4,
}
_MIN_UNIT_SCORE: Final = 2
_VERB_SPAN: Final = 4  # words each side of a reporting verb that name its speaker or content
_MIN_QUOTE_SHARED: Final = 3  # words two quotations share before they count as one
_MINOR_WORDS: Final = _words(
    "a an the this that these those its their his her our and or of to in on at for with by from 's"
)
_VARIANT: Final = 80.0  # fuzz.ratio of two spellings of one word: organise / organize


@dataclass(frozen=True, slots=True)
class _Found:
    """A conflict with the positions used to order it."""

    kind: ConflictKind
    left_pos: int
    right_pos: int
    left_words: tuple[str, ...]
    right_words: tuple[str, ...]


def _unit_score(a: _Quantity, b: _Quantity) -> int:
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


def _second(q: _Quantity) -> str:
    """Return the word after the unit ("killed" in "12 people were killed"), else ""."""
    return next((stem for stem, w in q.after.items() if w == _AFTER_WEIGHTS[1]), "")


def _near(stem: str, q: _Quantity) -> bool:
    """Return whether ``stem`` is among the words that say what ``q`` counts."""
    return q.after.get(stem, 0) >= _MIN_UNIT_SCORE or q.before.get(stem, 0) >= _MIN_UNIT_SCORE


def _overlap(a: _Quantity, b: _Quantity) -> bool:
    eps = _FLOAT_TOLERANCE * max(1.0, abs(a.lo), abs(b.lo))
    return a.lo <= b.hi + eps and b.lo <= a.hi + eps


def _number_conflicts(left: _Analysis, right: _Analysis) -> list[_Found]:
    # Agreeing pairs are taken first, so an amount both texts state is never set against
    # another amount; then disagreeing pairs, surest first, ties to similar places in the texts.
    candidates = []
    n_left, n_right = len(left.tokens), len(right.tokens)
    for x, a in enumerate(left.quantities):
        for y, b in enumerate(right.quantities):
            score = _unit_score(a, b)
            if score >= _MIN_UNIT_SCORE:
                shift = abs(a.first / n_left - b.first / n_right)
                candidates.append((not _overlap(a, b), -score, shift, x, y))
    candidates.sort()
    used_left: set[int] = set()
    used_right: set[int] = set()
    found = []
    for differ, _, _, x, y in candidates:
        if x in used_left or y in used_right:
            continue
        used_left.add(x)
        used_right.add(y)
        if differ:
            a, b = left.quantities[x], right.quantities[y]
            found.append(
                _Found(
                    "number",
                    left.tokens[a.first].start,
                    right.tokens[b.first].start,
                    (_span(left, a.first, a.last),),
                    (_span(right, b.first, b.last),),
                )
            )
    return found


def _date_conflicts(left: _Analysis, right: _Analysis) -> list[_Found]:
    found: list[_Found] = []
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
            _Found(
                "date",
                left.tokens[d.first].start,
                right.tokens[e.first].start,
                (_span(left, d.first, d.last),),
                (_span(right, e.first, e.last),),
            )
            for d, e in pairs
        )
    return found


def _abbreviates(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return len(short) >= _MIN_PREFIX and long.startswith(short)


def _quote_conflicts(left: _Analysis, right: _Analysis) -> list[_Found]:
    candidates = []
    for x, ql in enumerate(left.quotes):
        for y, qr in enumerate(right.quotes):
            matcher = difflib.SequenceMatcher(None, ql.keys, qr.keys, autojunk=False)
            same = sum(block.size for block in matcher.get_matching_blocks())
            if same >= _MIN_QUOTE_SHARED and 2 * same >= min(len(ql.keys), len(qr.keys)):
                candidates.append((-same, x, y, matcher.get_opcodes()))
    candidates.sort(key=lambda c: c[:3])
    used_left: set[int] = set()
    used_right: set[int] = set()
    found = []
    for minus_same, x, y, opcodes in candidates:
        if x in used_left or y in used_right:
            continue
        ql, qr = left.quotes[x], right.quotes[y]
        # a quotation cut short at either end is a shorter quote, not a misquote
        ops = list(opcodes)
        while ops and ops[0][0] in {"insert", "delete"}:
            ops.pop(0)
        while ops and ops[-1][0] in {"insert", "delete"}:
            ops.pop()
        edits = [op for op in ops if op[0] != "equal"]
        if 2 * sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in edits) > -minus_same:
            continue  # more differs than agrees: two quotations, not one quoted twice
        used_left.add(x)
        used_right.add(y)
        lw: list[str] = []
        rw: list[str] = []
        positions: list[tuple[int, int]] = []
        unmatched_l = {k for op in opcodes if op[0] != "equal" for k in ql.keys[op[1] : op[2]]}
        unmatched_r = {k for op in opcodes if op[0] != "equal" for k in qr.keys[op[3] : op[4]]}
        for tag, i1, i2, j1, j2 in edits:
            kl, kr = ql.keys[i1:i2], qr.keys[j1:j2]
            if tag != "replace" and (ql.elided or qr.elided):
                continue  # words left out at a marked elision
            if set(kl) <= _MINOR_WORDS and set(kr) <= _MINOR_WORDS:
                continue  # "the" and "a"
            if (tag == "delete" and set(kl) <= unmatched_r) or (
                tag == "insert" and set(kr) <= unmatched_l
            ):
                continue  # words moved within the quotation: "11 September", "September 11"
            ltext = _span(left, ql.words[i1], ql.words[i2 - 1]) if i2 > i1 else ""
            rtext = _span(right, qr.words[j1], qr.words[j2 - 1]) if j2 > j1 else ""
            if tag == "replace" and (
                sorted(kl) == sorted(kr)
                or fuzz.ratio(ltext.casefold(), rtext.casefold()) >= _VARIANT
                or (len(kl) == len(kr) == 1 and _abbreviates(kl[0], kr[0]))
            ):
                continue  # reordered words, spelling variants, abbreviations (Sept.)
            lw.extend([ltext] if ltext else [])
            rw.extend([rtext] if rtext else [])
            # internal edits only (the ends were trimmed), so i1 and j1 index a word
            positions.append((left.tokens[ql.words[i1]].start, right.tokens[qr.words[j1]].start))
        if positions:
            found.append(_Found("quote", *positions[0], tuple(lw), tuple(rw)))
    return found


def _name_runs(an: _Analysis, lo: int, hi: int, is_name: set[int]) -> list[tuple[int, int]]:
    """Return the runs of name tokens in ``[lo, hi)``, joined by links ("Standard & Poor")."""
    runs = []
    i = lo
    while i < hi:
        if i not in is_name:
            i += 1
            continue
        j = i
        while True:
            if j + 1 < hi and j + 1 in is_name:
                j += 1
            elif j + 2 < hi and an.tokens[j + 1].key in _NAME_LINKS and j + 2 in is_name:
                j += 2
            else:
                break
        runs.append((i, j))
        i = j + 1
    return runs


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalpha())


@lru_cache(maxsize=1024)
def _initials(text: str) -> frozenset[str]:
    """Return the initials of every stretch of capitalised words ("United Nations" -> "un")."""
    found: set[str] = set()
    run: list[str] = []
    for t in (*_tokenize(text), None):
        if t is not None and t.kind == _WORD and t.cap:
            run.append(t.key[0])
            continue
        if t is not None and run and t.key in _NAME_LINKS:
            continue
        found.update("".join(run[a:b]) for a in range(len(run)) for b in range(a + 2, len(run) + 1))
        run = []
    return frozenset(found)


@lru_cache(maxsize=1024)
def _acronyms(text: str) -> frozenset[str]:
    """Return the letters of the acronyms in ``text`` ("U.N." -> "un")."""
    return frozenset(
        _letters(t.text) for t in _tokenize(text) if t.text[0].isalpha() and _is_acronym([t])
    )


def _names_of(an: _Analysis, other: _Analysis) -> set[int]:
    """Return the token indices of ``an`` that are names, judged with both texts."""
    if an.title_case:
        return set()
    lower = an.lower_keys | other.lower_keys
    capitalised = an.cap_keys | other.cap_keys
    n = len(an.tokens)
    return {
        i
        for i, t in enumerate(an.tokens)
        if _is_name_shape(t)
        and t.key not in lower
        and (not t.initial or t.key in capitalised)
        and not (i + 1 < n and an.tokens[i + 1].kind == _NUM)  # Flight 370, Week 16
    }


def _new_runs(
    an: _Analysis, other: _Analysis, lo: int, hi: int, is_name: set[int]
) -> tuple[list[tuple[int, int]], bool, bool]:
    """Return the runs in ``[lo, hi)`` that ``other`` does not mention in any form.

    Also returns whether names make up at least half of the words of the span, and whether
    every new run extends a name both texts share ("Colin" before a shared "Powell").
    """
    runs = _name_runs(an, lo, hi, is_name)
    n_words = sum(an.tokens[i].kind != _PUNCT for i in range(lo, hi))
    n_names = sum(i in is_name for a, b in runs for i in range(a, b + 1))
    new = []
    for a, b in runs:
        keys = [an.tokens[i].key for i in range(a, b + 1) if i in is_name]
        if any(k in other.keys for k in keys):
            continue  # "Obama" and "Barack Obama"
        letters = _letters(an.text[an.tokens[a].start : an.tokens[b].end])
        tokens = [an.tokens[i] for i in range(a, b + 1) if i in is_name]
        if _is_acronym(tokens) and letters in _initials(other.text):
            continue  # "UN" and "United Nations"
        if "".join(k[0] for k in keys) in _acronyms(other.text):
            continue  # "United Nations" and "UN"
        new.append((a, b))

    def shared_name(i: int) -> bool:
        return 0 <= i < len(an.tokens) and i in is_name and an.tokens[i].key in other.keys

    extends = bool(new) and all(shared_name(a - 1) or shared_name(b + 1) for a, b in new)
    return new, 2 * n_names >= n_words, extends


def _same_metonym(a: str, b: str) -> bool:
    a, b = a.removeprefix("the "), b.removeprefix("the ")
    return any(a in group and b in group for group in _METONYMS)


def _name_variants(left: list[str], right: list[str]) -> bool:
    """Return whether two lists of names are spellings or forms of the same names."""
    joined_l, joined_r = " ".join(left).casefold(), " ".join(right).casefold()
    if _letters(joined_l) == _letters(joined_r):
        return True  # "U.N." and "UN"
    if fuzz.ratio(joined_l, joined_r) >= _NAME_VARIANT_RATIO:
        return True  # "Gadhafi" and "Qaddafi"
    short, long = sorted((joined_l, joined_r), key=len)
    if len(short) >= _MIN_PARTIAL and fuzz.partial_ratio(short, long) >= _PARTIAL_VARIANT_RATIO:
        return True  # "Data- monitor" and "Datamonitor", "Schindler" and "Schindlers"
    words_l = {w for x in left for w in _WORDS_RE.findall(x.casefold())}
    words_r = {w for y in right for w in _WORDS_RE.findall(y.casefold())}
    for a in words_l:
        for b in words_r:
            short, long = sorted((a, b), key=len)
            if len(short) >= _MIN_PREFIX and long.startswith(short):
                return True  # "Calif" and "California", "Jon" and "Jonathan"
    return any(_same_metonym(a.casefold(), b.casefold()) for a in left for b in right)


def _mentioned(names: list[str], text: str) -> bool:
    """Return True when every word of ``names`` occurs in ``text`` (case-folded)."""
    words = {w.casefold() for w in re.findall(r"[^\W_]+", text)}
    return all(w.casefold() in words for name in names for w in re.findall(r"[^\W_]+", name))


def _name_conflicts(left: _Analysis, right: _Analysis) -> list[_Found]:
    names_left = _names_of(left, right)
    names_right = _names_of(right, left)
    if not names_left or not names_right:
        return []
    found = []
    for tag, i1, i2, j1, j2 in _token_opcodes(left.text, right.text):
        if tag != "replace" or i2 - i1 > _NAME_MAX_OP or j2 - j1 > _NAME_MAX_OP:
            continue
        runs_l, slot_l, extends_l = _new_runs(left, right, i1, i2, names_left)
        runs_r, slot_r, extends_r = _new_runs(right, left, j1, j2, names_right)
        if not (runs_l and runs_r and slot_l and slot_r) or extends_l != extends_r:
            continue  # not a name put in place of another name
        tokens_l = [left.tokens[i] for a, b in runs_l for i in range(a, b + 1) if i in names_left]
        tokens_r = [right.tokens[i] for a, b in runs_r for i in range(a, b + 1) if i in names_right]
        if _is_acronym(tokens_l) != _is_acronym(tokens_r):
            continue  # "U.S." and "American": an acronym is rarely resolvable here
        if any(map(_is_demonym, tokens_l)) or any(map(_is_demonym, tokens_r)):
            continue  # "French" and "Macron", "American" and "Korean": not one role's name
        text_l = [_span(left, a, b) for a, b in runs_l]
        text_r = [_span(right, a, b) for a, b in runs_r]
        if _mentioned(text_l, right.text) or _mentioned(text_r, left.text):
            continue  # a fragment of a name the other side states too ("Workers' Party")
        if _name_variants(text_l, text_r):
            continue
        if extends_l and text_l[0][0].casefold() == text_r[0][0].casefold():
            continue  # "Katie Jenkin" and "Kathryn Jenkin": likely one person
        found.append(
            _Found(
                "name",
                left.tokens[runs_l[0][0]].start,
                right.tokens[runs_r[0][0]].start,
                tuple(text_l),
                tuple(text_r),
            )
        )
    return found


def _verb_context(an: _Analysis, i: int) -> set[str]:
    """Return the stems of the content words around the verb at ``i`` in its sentence."""
    found = set()
    for step in (-1, 1):
        p = i + step
        while 0 <= p < len(an.tokens) and abs(p - i) <= _VERB_SPAN:
            t = an.tokens[p]
            if t.key in _SENTENCE_END:
                break
            if _is_content(t) and t.key not in _VERB_CLASS:
                found.add(_stem(t.key))
            p += step
    return found


def _word_count(an: _Analysis, lo: int, hi: int) -> int:
    return sum(an.tokens[i].kind != _PUNCT for i in range(lo, hi))


def _verb_framing(left: _Analysis, right: _Analysis) -> list[_Found]:
    found = []
    # reporting verbs of different classes, about the same speaker or the same words
    classes_l = {cls for _, cls in left.verbs}
    classes_r = {cls for _, cls in right.verbs}
    only_l = [(i, _verb_context(left, i)) for i, cls in left.verbs if cls not in classes_r]
    only_r = [(j, _verb_context(right, j)) for j, cls in right.verbs if cls not in classes_l]
    paired_l = sorted({i for i, cl in only_l for _, cr in only_r if cl & cr})
    paired_r = sorted({j for j, cr in only_r for _, cl in only_l if cl & cr})
    if paired_l and paired_r:
        found.append(
            _Found(
                "attribution",
                left.tokens[paired_l[0]].start,
                right.tokens[paired_r[0]].start,
                tuple(left.tokens[i].text for i in paired_l),
                tuple(right.tokens[j].text for j in paired_r),
            )
        )
    return found


def _attribution_conflicts(left: _Analysis, right: _Analysis) -> list[_Found]:
    found: list[_Found] = []
    if bool(left.hedges) == bool(right.hedges) or (
        left.modals | left.hedges and right.modals | right.hedges
    ):
        return found
    # a hedge on one side only, set into words both sides share: "allegedly stabbed"
    ops = _token_opcodes(left.text, right.text)
    shared = sum(_word_count(left, i1, i2) for tag, i1, i2, _, _ in ops if tag == "equal")
    shorter = min(_word_count(left, 0, len(left.tokens)), _word_count(right, 0, len(right.tokens)))
    if 2 * shared < shorter:
        return found  # too little in common to say the hedge is the difference
    for k in range(1, len(ops) - 1):
        tag, i1, i2, j1, j2 = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if (
            tag == "equal"
            or before[0] != "equal"
            or after[0] != "equal"
            or not _word_count(left, before[1], before[2])
            or not _word_count(left, after[1], after[2])
        ):
            continue
        hedged_l = [i for i in range(i1, i2) if i in left.hedges]
        hedged_r = [j for j in range(j1, j2) if j in right.hedges]
        hedged, hedge_span, other_span = (
            (hedged_l, i2 - i1, j2 - j1) if hedged_l else (hedged_r, j2 - j1, i2 - i1)
        )
        if not hedged or hedge_span > len(hedged) + 1 or other_span > 1:
            continue  # the hedge must be the difference: "allegedly shot", "may" / "will"
        lw = (
            tuple(left.tokens[i].text for i in hedged_l)
            if hedged_l
            else ((_span(left, i1, i2 - 1),) if i2 > i1 else ())
        )
        rw = (
            tuple(right.tokens[j].text for j in hedged_r)
            if hedged_r
            else ((_span(right, j1, j2 - 1),) if j2 > j1 else ())
        )
        found.append(_Found("attribution", left.tokens[i1].start, right.tokens[j1].start, lw, rw))
    return found


def find_conflicts(left_id: str, left: str, right_id: str, right: str) -> tuple[Conflict, ...]:
    """Return where two aligned texts disagree, naming the words on each side.

    Five kinds of disagreement are detected, each only where both texts state the fact:

    - ``"number"``: quantities of the same thing with incompatible values. Numbers are read in
      digits (``1,200``, ``3.5``, ``$2.5bn``, ``4.4%``) and words (``twenty-five``,
      ``a dozen``, ``1.2 million``); vague amounts and bounds are intervals (``hundreds``,
      ``several hundred``, ``more than 100``, ``at least 12``, ``about 40``), and two amounts
      conflict only when their intervals do not overlap. Amounts are paired by what they count
      (the words around them: ``12 killed`` pairs with ``15 killed``, not with
      ``40 injured``).
    - ``"date"``: weekdays, month and day, month, or year that differ at the same granularity
      (``Monday`` vs ``Tuesday``, ``March 3`` vs ``March 4``, ``in 2003`` vs ``in 2004``).
    - ``"quote"``: the same quotation (most of its words shared) with different words inside.
    - ``"name"``: a different name in the same place of the word diff (``Smith`` vs
      ``Jones``), not counting titles, variants and abbreviations.
    - ``"attribution"``: a hedge (``allegedly``, ``reportedly``, ``may``) set into words
      both texts share on one side only. Reporting verbs of different classes (``said`` vs
      ``claimed``) are framing, not conflicts: see :func:`find_framing`.

    A number, date or name conflict names evidence words on both sides.

    Parameters
    ----------
    left_id : str
        Outlet id of the left text (it becomes :attr:`Conflict.left`).
    left : str
        The left text (a cell's :attr:`Cell.text`).
    right_id : str
        Outlet id of the right text.
    right : str
        The right text.

    Returns
    -------
    tuple of Conflict
        Ordered by kind (number, date, quote, name, attribution), then by position in the left
        and the right text; empty when the texts agree. Words are given as written: a number
        with its modifier and the word it counts (``"more than 100 people"``, ``"12 killed"``),
        a date (``"March 3"``), the differing words of a quotation, the names, the verbs or
        hedges (with the words the other side has in their place, if any).

    See Also
    --------
    word_diff : The word-level diff of the two texts.

    Notes
    -----
    The rules prefer missing a subtle disagreement over flagging noise. A fact present on one
    side only is never a conflict, except a hedge set into otherwise shared words. Amounts are
    compared as intervals: a bound (``more than 100``) or a vague amount (``hundreds`` is 100
    to 999) overlaps the values it allows, ``about`` allows 20% either way, and a rounded
    figure allows its rounding (``1.2 million`` is 1.15 to 1.25 million, ``4%`` is 3.5 to
    4.5%). Two amounts are compared only when the words around them say they count the same
    thing, two dates only when they share a neighbouring word (``died on Friday``) or both
    date their whole sentence (``On Monday, ...``), and a date next to a reporting verb
    (``said on Monday``) only with another such date.

    Known misses: names only ever written at the start of a sentence (``Smith said``),
    amounts whose counted thing is worded differently (``12 people died`` vs ``a toll of
    15``), numbers that label things (``Flight 370``), relative dates (``yesterday``), times
    of day, quotations that share fewer than three words, and reporting verbs with no shared
    word nearby. Known false alarms: a place named at two levels (``Millom`` vs
    ``Cumbria``), metonyms outside a short built-in list (``the Saints`` vs ``New Orleans``),
    and aligned sentences that state two different facts of the same kind.

    Examples
    --------
    >>> for c in find_conflicts(
    ...     "a", "Police said 12 people were killed on Monday.",
    ...     "b", "Police claimed 15 people were killed on Tuesday.",
    ... ):
    ...     print(c.describe())
    number: "12 people" (a) vs "15 people" (b)
    date: "Monday" (a) vs "Tuesday" (b)
    >>> find_conflicts("a", "Hundreds were evacuated.", "b", "Several hundred were evacuated.")
    ()
    """
    if left == right:
        return ()
    la, ra = _analyse(left), _analyse(right)
    found = [
        *_number_conflicts(la, ra),
        *_date_conflicts(la, ra),
        *_quote_conflicts(la, ra),
        *_name_conflicts(la, ra),
        *_attribution_conflicts(la, ra),
    ]
    # a value conflict names its words on both sides; a quote may drop words on one side,
    # and a hedge ("allegedly") stands on one side only
    kept = [
        f for f in found if f.kind in ("quote", "attribution") or (f.left_words and f.right_words)
    ]
    return _as_conflicts(left_id, right_id, kept)


def _as_conflicts(left_id: str, right_id: str, found: list[_Found]) -> tuple[Conflict, ...]:
    found.sort(key=lambda f: (_KIND_ORDER[f.kind], f.left_pos, f.right_pos, f.left_words))
    conflicts: list[Conflict] = []
    for f in found:
        c = Conflict(f.kind, left_id, right_id, f.left_words, f.right_words)
        if c not in conflicts:
            conflicts.append(c)
    return tuple(conflicts)


def find_framing(left_id: str, left: str, right_id: str, right: str) -> tuple[Conflict, ...]:
    """Return the reporting verbs of different classes that two aligned texts use.

    ``said`` against ``claimed``, ``admitted``, ``insisted``, ``warned``... about the same
    speaker or words is *framing*: how an outlet presents a statement, not a disagreement on
    the facts, so it is kept apart from :func:`find_conflicts`.

    Parameters
    ----------
    left_id, left, right_id, right : str
        As for :func:`find_conflicts`.

    Returns
    -------
    tuple of Conflict
        Of kind ``"attribution"``, with the verbs of each side as its words.

    Examples
    --------
    >>> [c.describe() for c in find_framing(
    ...     "a", "Police said 12 people were killed.", "b", "Police claimed 12 people were killed."
    ... )]
    ['attribution: "said" (a) vs "claimed" (b)']
    """
    if left == right:
        return ()
    return _as_conflicts(left_id, right_id, _verb_framing(_analyse(left), _analyse(right)))


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
