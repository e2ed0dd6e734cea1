"""Tokens of a sentence and the word diff over them: the words every text comparison reads.

A text is split into words, numbers (kept whole: ``1,200``, ``$2.5``, ``4.4%``), dotted
abbreviations and punctuation marks, each with its character span in the text, a matching key
(case-folded; one style of quote and dash; no thousands separator) and whether it starts a
sentence. :func:`token_opcodes` is the ``difflib`` diff of two texts over those keys, in token
indices: :func:`storymatch.text.worddiff.word_diff` maps it to character offsets, and the name
and hedge rules of :mod:`storymatch.differ.conflicts` read the slots it lines up. The number
reading of :mod:`storymatch.text.numbers` reads amounts from the tokens.

The text stage holds them so that the differ (conflicts, word diffs of claims) and dedup (the
edits of copies) read words alike without one importing the other. Both are cached: a text is
compared with every other cell of its claim. ASCII text is tokenised by a compiled scanner
that replays the regex, and the diff runs difflib's algorithm compiled
(:mod:`storymatch._kernels`, loaded on the first call): the same results, cheaper.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import count, repeat
from operator import attrgetter
from typing import Final, NamedTuple

import numpy as np

__all__ = [
    "ABBR",
    "CACHE_SIZE",
    "DIGITS_RE",
    "NUM",
    "PUNCT",
    "SENTENCE_END",
    "WORD",
    "Token",
    "TokenKeys",
    "key_opcodes",
    "token_keys",
    "token_opcodes",
    "tokenize",
    "word_set",
]


def word_set(text: str) -> frozenset[str]:
    """Return the set of the space-separated words of ``text`` (for the word lists below)."""
    return frozenset(text.split())


# Texts (and text pairs) whose analysis is kept: a comparison of 20 reports has a few thousand
# cells and cell pairs, and each cell is compared with every other cell of its claim.
CACHE_SIZE: Final = 4096

WORD: Final = 0

NUM: Final = 1

ABBR: Final = 2

PUNCT: Final = 3

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

# the kind of a match by the number of its group (``Match.lastindex``): num, abbr, poss, word, punct
_KIND_OF_GROUP: Final = (PUNCT, NUM, ABBR, WORD, WORD, PUNCT)
_GROUP_OF: Final = attrgetter("lastindex")

DIGITS_RE: Final = re.compile(
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

SENTENCE_END: Final = frozenset({".", "!", "?", ":"})

# Words after which a full stop does not end a sentence ("Mr. Smith", "Jan. 5").
_NO_BREAK: Final = word_set(
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt adm cmdr st jr sr rev messrs mt ft "
    "inc co corp ltd no vs jan feb mar apr jun jul aug sep sept oct nov dec"
)

_OPENING_QUOTES: Final = frozenset({"\u201c", "\u201e", "\u00ab", "\u2018"})


@dataclass(frozen=True, slots=True)
class Token:
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
    if kind == PUNCT:
        return _PUNCT_KEYS.get(text, text)
    key = text.casefold().replace("\u2019", "'")
    if kind == NUM and "," in key and DIGITS_RE.fullmatch(text):
        key = key.replace(",", "")
    return key


class TokenKeys(NamedTuple):
    """The tokens of a text as parallel tuples (what a word diff reads), without Token objects.

    ``keys[i]``, ``kinds[i]`` and ``starts[i]``, ``ends[i]`` are the matching key, the kind
    and the span of the ``i``-th token of :func:`tokenize`.
    """

    keys: tuple[str, ...]
    kinds: tuple[int, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


@lru_cache(maxsize=CACHE_SIZE)
def token_keys(text: str) -> TokenKeys:
    """Return the keys, kinds and spans of the tokens of ``text``, as :func:`tokenize` finds them.

    A word diff reads only these: building a :class:`Token` per word costs more than finding
    it, so :func:`token_opcodes` and :func:`storymatch.text.worddiff.word_diff` read this, and
    :func:`tokenize` builds its tokens from it.
    """
    if text.isascii():
        return _ascii_token_keys(text)
    return _regex_token_keys(text)


def _regex_token_keys(text: str) -> TokenKeys:
    """Return :func:`token_keys` as the token regex finds them (any text)."""
    found = list(_TOKEN_RE.finditer(text))
    kinds = tuple(map(_KIND_OF_GROUP.__getitem__, map(_GROUP_OF, found)))
    keys = tuple(map(_key, map(re.Match.group, found), kinds))
    return TokenKeys(
        keys, kinds, tuple(map(re.Match.start, found)), tuple(map(re.Match.end, found))
    )


def _ascii_token_keys(text: str) -> TokenKeys:
    """Return :func:`token_keys` of an ASCII text, found by a compiled scanner.

    :func:`storymatch._kernels.ascii_tokens` tries the token regex's groups in the regex's
    order on the text's bytes: the same tokens (the tests compare both), without the regex's
    scan, most of this function's time (the paired sentences of a 20k corpus: 0.37 → 0.16 s).
    The keys are the lower-cased tokens, as :func:`_key` makes them in ASCII (casefold is
    lower there, no curly quote or dash to fold); only numbers with a comma go through
    :func:`_key`, for their thousands separators.
    """
    from storymatch._kernels import ascii_tokens  # noqa: PLC0415 - compiled on first use

    starts, ends, groups = ascii_tokens(
        np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    ).tolist()
    kinds = tuple(map(_KIND_OF_GROUP.__getitem__, groups))
    lower = text.lower()
    keys = list(map(lower.__getitem__, map(slice, starts, ends)))
    if "," in text:
        for i, kind in enumerate(kinds):
            if kind == NUM and "," in keys[i]:
                keys[i] = _key(text[starts[i] : ends[i]], NUM)
    return TokenKeys(tuple(keys), kinds, tuple(starts), tuple(ends))


@lru_cache(maxsize=CACHE_SIZE)
def tokenize(text: str) -> tuple[Token, ...]:
    """Split ``text`` into word, number, abbreviation and punctuation tokens."""
    tokens: list[Token] = []
    at_start = True
    prev_key = ""
    for key, kind, start, end in zip(*token_keys(text), strict=True):
        s = text[start:end]
        initial = False
        if kind == PUNCT:
            if (s in SENTENCE_END and prev_key not in _NO_BREAK) or s in _OPENING_QUOTES:
                at_start = True
            elif s == '"':
                before = text[start - 1] if start else " "
                after = text[start + 1] if start + 1 < len(text) else " "
                if before.isspace() and not after.isspace():
                    at_start = True
        else:
            initial = at_start
            at_start = False
        tokens.append(Token(s, key, start, end, kind, s[0].isupper(), initial))
        prev_key = key
    return tuple(tokens)


@lru_cache(maxsize=CACHE_SIZE)
def token_opcodes(a: str, b: str) -> tuple[tuple[str, int, int, int, int], ...]:
    """Return the ``difflib`` opcodes over the token keys of ``a`` and ``b`` (token indices)."""
    ta, tb = token_keys(a), token_keys(b)
    ops: list[tuple[str, int, int, int, int]] = []
    for op in key_opcodes(ta.keys, tb.keys):
        if op[0] == "replace":
            ops.extend(_split_replace(ta.kinds, tb.kinds, *op[1:]))
        else:
            ops.append(op)
    return tuple(ops)


_TAG_OF_CODE: Final = ("equal", "replace", "delete", "insert")


def key_opcodes(
    a: Sequence[Hashable], b: Sequence[Hashable]
) -> list[tuple[str, int, int, int, int]]:
    """Return ``difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()``, compiled.

    The same opcodes as difflib for any two sequences (the same longest blocks, found in the
    same way, :func:`storymatch._kernels.diff_opcodes`; the tests compare both), in about
    half its time on sentences: the distinct items of ``b`` are numbered, and the kernel runs
    difflib's algorithm on the numbers. The kernels load on the first call.
    """
    from storymatch._kernels import diff_opcodes  # noqa: PLC0415 - compiled on first use

    code = dict(zip(dict.fromkeys(b), count()))
    codes_a = np.fromiter(map(code.get, a, repeat(-1)), dtype=np.int64, count=len(a))
    codes_b = np.fromiter(map(code.__getitem__, b), dtype=np.int64, count=len(b))
    return [
        (_TAG_OF_CODE[tag], i1, i2, j1, j2)
        for tag, i1, i2, j1, j2 in diff_opcodes(codes_a, codes_b, len(code)).tolist()
    ]


def _split_replace(
    kinds_a: tuple[int, ...], kinds_b: tuple[int, ...], i1: int, i2: int, j1: int, j2: int
) -> list[tuple[str, int, int, int, int]]:
    """Split punctuation off the ends of a replaced stretch of words.

    ``difflib`` folds an added comma into the replaced word next to it ("12" against ", 15");
    taking it out leaves the words to the replace and the comma to an insert of its own.
    """
    a1, b1 = i1, j1
    while a1 < i2 and kinds_a[a1] == PUNCT:
        a1 += 1
    while b1 < j2 and kinds_b[b1] == PUNCT:
        b1 += 1
    if a1 == i2 or b1 == j2:
        return [("replace", i1, i2, j1, j2)]  # only punctuation on one side
    a2, b2 = i2, j2
    while kinds_a[a2 - 1] == PUNCT:
        a2 -= 1
    while kinds_b[b2 - 1] == PUNCT:
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
