"""Quote conflicts: the same quotation with different words inside.

Quotations are read between double quotes (straight or curly, ``«»``) and curly single quotes,
without editorial insertions in brackets and with contractions expanded (``won't`` is ``will
not``). Two quotations are one quoted twice when they share at least three words and most of
the shorter one; then the words that differ inside them are a conflict, unless they were cut at
either end, left out at a marked elision (``...``), reordered, spelt differently or abbreviated,
or kept by the other outlet just outside its quotation marks (a partial quotation: ``the offer
was "the most generous in the sector"`` against ``"the most generous offer in the sector"``;
negations always count).

Two quotations of one utterance whose clauses (cut at commas, semicolons, colons and dashes)
come in a different order are a conflict too, when at least two clauses pair up and they hold
most of the shorter quotation's content words: the evidence is the first clause out of place on
each side and the content words that differ inside the paired clauses. Pronouns, auxiliaries and
connectives (``it's`` against ``they are``, a leading ``and`` or ``which is``) do not count; a
shorter excerpt of the other quotation, in its order, is never a conflict by this rule.
"""

from __future__ import annotations

import difflib
import itertools
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


# words that change with the grammar of a clause, not with what it says ("it's" / "they are",
# a leading "and" or "which is"): not evidence of a reordered quotation
_FILLER: Final = _MINOR_WORDS | word_set(
    "i you he she it we they me him us them my your is are was were be been am do does did "
    "have has had will would shall should can could may might which who whom whose what when "
    "where if so then but as just well also there here not"
)

_CLAUSE_MARKS: Final = frozenset([",", ";", ":", "-"])  # dashes are keyed "-"

_COVER: Final = 0.75  # share of the shorter quotation's content words its paired clauses hold


def _undotted(text: str) -> str:
    """Return ``text`` case-folded without full stops: "F.B.I." and "FBI" read alike."""
    return text.casefold().replace(".", "")


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
            in_order = same >= _MIN_QUOTE_SHARED and 2 * same >= min(len(ql.keys), len(qr.keys))
            if in_order or _same_words(ql, qr):  # or the same words in another order
                candidates.append((-same, x, y, in_order, matcher.get_opcodes()))
    if not candidates:
        return []
    candidates.sort(key=lambda c: c[:3])
    used_left: set[int] = set()
    used_right: set[int] = set()
    found = []
    outside_l, outside_r = _unquoted_keys(left), _unquoted_keys(right)
    for minus_same, x, y, in_order, opcodes in candidates:
        if x in used_left or y in used_right:
            continue
        ql, qr = left.quotes[x], right.quotes[y]
        moved = _reordered(left, ql, right, qr)
        if moved is not None:  # the clauses of one utterance in another order
            used_left.add(x)
            used_right.add(y)
            found.append(moved)
            continue
        if not in_order:
            continue
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
                or fuzz.ratio(_undotted(ltext), _undotted(rtext)) >= _VARIANT
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


def _same_words(ql: Quote, qr: Quote) -> bool:
    """Return whether two quotations share most of the shorter one's content words."""
    kl, kr = _content(ql.keys), _content(qr.keys)
    shared = len(kl & kr)
    return shared >= _MIN_QUOTE_SHARED and shared >= _COVER * min(len(kl), len(kr))


def _clauses(an: Analysis, q: Quote) -> list[tuple[int, int]]:
    """Return the clauses of ``q`` as ranges of its keys, cut at commas, colons and dashes."""
    bounds = [0]
    for k in range(1, len(q.words)):
        a, b = q.words[k - 1], q.words[k]
        if a != b and any(an.tokens[t].key in _CLAUSE_MARKS for t in range(a + 1, b)):
            bounds.append(k)
    bounds.append(len(q.keys))
    return list(itertools.pairwise(bounds))


def _content(keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(k for k in keys if k not in _FILLER and k[:1].isalnum())


def _clause_text(an: Analysis, q: Quote, first: int, last: int) -> str:
    """Return the words of keys ``first`` to ``last`` (exclusive) as written."""
    return span(an, q.words[first], q.words[last - 1])


def _reordered(left: Analysis, ql: Quote, right: Analysis, qr: Quote) -> Found | None:
    """Return a conflict when two quotations of one utterance give its clauses in other orders.

    Each clause is paired with the other side's clause that shares most of its content words
    (at least three, and most of the smaller clause); the pairs must hold most of the shorter
    quotation's content words, and their order must differ on the two sides.
    """
    cl, cr = _clauses(left, ql), _clauses(right, qr)
    kl = [_content(ql.keys[a:b]) for a, b in cl]
    kr = [_content(qr.keys[a:b]) for a, b in cr]
    ranked = sorted(
        (-len(kl[x] & kr[y]), x, y)
        for x in range(len(cl))
        for y in range(len(cr))
        if len(kl[x] & kr[y]) >= _MIN_QUOTE_SHARED
        and 2 * len(kl[x] & kr[y]) >= min(len(kl[x]), len(kr[y]))
    )
    pairs: dict[int, int] = {}
    for _, x, y in ranked:
        if x not in pairs and y not in pairs.values():
            pairs[x] = y
    shared = sum(len(kl[x] & kr[y]) for x, y in pairs.items())
    shorter = min(len(_content(ql.keys)), len(_content(qr.keys)))
    if len(pairs) < 2 or shared < _COVER * shorter:  # noqa: PLR2004 - two clauses
        return None
    order = sorted(pairs)
    out_of_place = next((x for x, nxt in itertools.pairwise(order) if pairs[x] > pairs[nxt]), None)
    if out_of_place is None:
        return None  # the clauses in the same order: an excerpt, or edits within clauses
    x, y = out_of_place, pairs[out_of_place]
    lw = [_clause_text(left, ql, *cl[x])]
    rw = [_clause_text(right, qr, *cr[y])]
    for x2 in order:
        (a, b), (c, d) = cl[x2], cr[pairs[x2]]
        matcher = difflib.SequenceMatcher(None, ql.keys[a:b], qr.keys[c:d], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or not (
                _content(ql.keys[a + i1 : a + i2]) | _content(qr.keys[c + j1 : c + j2])
            ):
                continue
            if i2 > i1:
                lw.append(_clause_text(left, ql, a + i1, a + i2))
            if j2 > j1:
                rw.append(_clause_text(right, qr, c + j1, c + j2))
    return Found(
        "quote",
        left.tokens[ql.words[cl[x][0]]].start,
        right.tokens[qr.words[cr[y][0]]].start,
        tuple(lw),
        tuple(rw),
    )
