"""Name conflicts: a different name in the same slot of the word diff.

A name is a capitalised word that the two texts never write in lower case, is not a title,
month, weekday or hedge, and (at the start of a sentence) is capitalised elsewhere too; a
headline-style text has none. Where the word diff replaces a short stretch made mostly of names
with another such stretch, the names conflict, unless one is a form of the other: the same
letters (``U.N.``, ``UN``), a spelling variant (``Gadhafi``, ``Qaddafi``), an acronym of it, a
prefix (``Calif``), a fragment of a name the other text states too, a nationality word
(``American`` against ``Korean``), or a place that stands for the other (``Beijing`` for
``China``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

from storymatch.differ.conflicts._common import (
    MIN_PREFIX,
    MONTH_ABBR,
    MONTHS,
    STOP,
    TITLES,
    WEEKDAYS,
    Analysis,
    Found,
    span,
)
from storymatch.differ.conflicts.attribution import HEDGES
from storymatch.text.tokens import (
    ABBR,
    NUM,
    PUNCT,
    WORD,
    Token,
    token_opcodes,
    tokenize,
    word_set,
)

__all__ = ["is_title_case", "name_conflicts"]


_DEMONYMS: Final = word_set(
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

_WORDS_RE: Final = re.compile(r"[^\W\d_]+")

_NAME_PARTS: Final = word_set(
    """mt mount lake river island islands county city park national north south east west
    street road avenue square district province state region week day game round chapter
    section article room gate"""
)


def _is_name_shape(t: Token) -> bool:
    return (
        t.kind in (WORD, ABBR)
        and t.cap
        and t.text[0].isalpha()
        and t.key not in STOP
        and t.key not in TITLES
        and t.key not in _NAME_PARTS
        and t.key not in MONTHS
        and t.key not in MONTH_ABBR
        and t.key not in WEEKDAYS
        and t.key not in HEDGES
        and len(t.key) > 1
    )


def _is_demonym(t: Token) -> bool:
    """Return whether ``t`` names a people or a group ("French", "Sicilian", "Democrats")."""
    return t.key in _DEMONYMS or (
        len(t.key) >= _MIN_DEMONYM and t.key.endswith(("ian", "ians", "ese", "ish"))
    )


def is_title_case(tokens: tuple[Token, ...]) -> bool:
    """Return whether the text is headline-style, where capitals say nothing about names."""
    long_words = [
        t for t in tokens if t.kind == WORD and len(t.key) >= _LONG_WORD and t.key.isalpha()
    ]
    if len(long_words) < _MIN_TITLE_WORDS:
        return False
    return sum(t.cap for t in long_words) >= _TITLE_CASE_SHARE * len(long_words)


def _is_acronym(run: list[Token]) -> bool:
    return all(t.kind == ABBR or (t.text.isupper() and len(t.text) <= _MAX_ACRONYM) for t in run)


def _name_runs(an: Analysis, lo: int, hi: int, is_name: set[int]) -> list[tuple[int, int]]:
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
    for t in (*tokenize(text), None):
        if t is not None and t.kind == WORD and t.cap:
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
        _letters(t.text) for t in tokenize(text) if t.text[0].isalpha() and _is_acronym([t])
    )


def _names_of(an: Analysis, other: Analysis) -> set[int]:
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
        and not (i + 1 < n and an.tokens[i + 1].kind == NUM)  # Flight 370, Week 16
    }


def _new_runs(
    an: Analysis, other: Analysis, lo: int, hi: int, is_name: set[int]
) -> tuple[list[tuple[int, int]], bool, bool]:
    """Return the runs in ``[lo, hi)`` that ``other`` does not mention in any form.

    Also returns whether names make up at least half of the words of the span, and whether
    every new run extends a name both texts share ("Colin" before a shared "Powell").
    """
    runs = _name_runs(an, lo, hi, is_name)
    n_words = sum(an.tokens[i].kind != PUNCT for i in range(lo, hi))
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
            if len(short) >= MIN_PREFIX and long.startswith(short):
                return True  # "Calif" and "California", "Jon" and "Jonathan"
    return any(_same_metonym(a.casefold(), b.casefold()) for a in left for b in right)


def _mentioned(names: list[str], text: str) -> bool:
    """Return True when every word of ``names`` occurs in ``text`` (case-folded)."""
    words = {w.casefold() for w in re.findall(r"[^\W_]+", text)}
    return all(w.casefold() in words for name in names for w in re.findall(r"[^\W_]+", name))


def name_conflicts(left: Analysis, right: Analysis) -> list[Found]:
    """Return the names that replace other names in the same slot of the word diff."""
    names_left = _names_of(left, right)
    names_right = _names_of(right, left)
    if not names_left or not names_right:
        return []
    found = []
    for tag, i1, i2, j1, j2 in token_opcodes(left.text, right.text):
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
        text_l = [span(left, a, b) for a, b in runs_l]
        text_r = [span(right, a, b) for a, b in runs_r]
        if _mentioned(text_l, right.text) or _mentioned(text_r, left.text):
            continue  # a fragment of a name the other side states too ("Workers' Party")
        if _name_variants(text_l, text_r):
            continue
        if extends_l and text_l[0][0].casefold() == text_r[0][0].casefold():
            continue  # "Katie Jenkin" and "Kathryn Jenkin": likely one person
        found.append(
            Found(
                "name",
                left.tokens[runs_l[0][0]].start,
                right.tokens[runs_r[0][0]].start,
                tuple(text_l),
                tuple(text_r),
            )
        )
    return found
