"""Quote conflicts: the same quotation with different words inside.

Quotations are read between double quotes (straight or curly, ``«»``) and curly single quotes,
without editorial insertions in brackets and with contractions expanded (``won't`` is ``will
not``). Two quotations are one quoted twice when they share at least three words and most of
the shorter one; then the words that differ inside them are a conflict, unless they were cut at
either end, left out at a marked elision (``...``), reordered, spelt differently or abbreviated,
or kept by the other outlet just outside its quotation marks (a partial quotation: ``the offer
was "the most generous in the sector"`` against ``"the most generous offer in the sector"``;
negations always count).
"""

from __future__ import annotations

import difflib
import re
from typing import Final

from rapidfuzz import fuzz

from storymatch.differ.conflicts._common import MIN_PREFIX, Analysis, Found, Quote, span
from storymatch.text.tokens import PUNCT, Token, word_set

__all__ = ["quote_conflicts", "quote_spans", "read_quotes"]


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


def quote_spans(text: str) -> list[tuple[int, int]]:
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


def read_quotes(
    text: str, tokens: tuple[Token, ...], spans: list[tuple[int, int]]
) -> tuple[Quote, ...]:
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
            elif not depth and (t.kind != PUNCT or t.key == "&"):
                for k in _expand("and" if t.key == "&" else t.key, prev):
                    keys.append(k)
                    words.append(i)
                prev = t.key
        if keys:
            raw = text[start:end]
            elided = any(mark in raw for mark in ("...", "\u2026", "[", "("))
            quotes.append(Quote(tuple(keys), tuple(words), elided))
    return tuple(quotes)


_MIN_QUOTE_SHARED: Final = 3  # words two quotations share before they count as one

_MINOR_WORDS: Final = word_set(
    "a an the this that these those its their his her our and or of to in on at for with by from 's"
)

_VARIANT: Final = 80.0  # fuzz.ratio of two spellings of one word: organise / organize


_NEGATIONS: Final = frozenset(["not", "no", "never", "nothing", "none", "nor", "neither"])


def _unquoted_keys(an: Analysis) -> frozenset[str]:
    """Return the word keys of ``an`` outside its quotations."""
    inside = {i for q in an.quotes for i in q.words}
    return frozenset(t.key for i, t in enumerate(an.tokens) if i not in inside)


def _abbreviates(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_PREFIX and long.startswith(short)


def quote_conflicts(left: Analysis, right: Analysis) -> list[Found]:
    """Return the differing words inside quotations that the two texts share."""
    candidates = []
    for x, ql in enumerate(left.quotes):
        for y, qr in enumerate(right.quotes):
            matcher = difflib.SequenceMatcher(None, ql.keys, qr.keys, autojunk=False)
            same = sum(block.size for block in matcher.get_matching_blocks())
            if same >= _MIN_QUOTE_SHARED and 2 * same >= min(len(ql.keys), len(qr.keys)):
                candidates.append((-same, x, y, matcher.get_opcodes()))
    if not candidates:
        return []
    candidates.sort(key=lambda c: c[:3])
    used_left: set[int] = set()
    used_right: set[int] = set()
    found = []
    outside_l, outside_r = _unquoted_keys(left), _unquoted_keys(right)
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
            if not (set(kl) | set(kr)) & _NEGATIONS and (
                (tag == "delete" and set(kl) <= outside_r)
                or (tag == "insert" and set(kr) <= outside_l)
            ):
                continue  # kept just outside the other quotation: a partial quotation
            ltext = span(left, ql.words[i1], ql.words[i2 - 1]) if i2 > i1 else ""
            rtext = span(right, qr.words[j1], qr.words[j2 - 1]) if j2 > j1 else ""
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
            found.append(Found("quote", *positions[0], tuple(lw), tuple(rw)))
    return found
