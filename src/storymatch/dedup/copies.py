"""Originals and copies: which member of a near-duplicate group came first, what copies changed.

A near-duplicate group says *that* several pages carry one text. :func:`copy_edits` says which
page is the original and what every copy did to the text it was made from::

    members ─ clean (page chrome off) ─ sentences ─ folded keys (case, typography, OCR look-alikes)
            ─ the original: the one earliest date, else the body that contains the others
            ─ each copy's parent: the original, or a copy that explains it much better (chains)
            ─ edits against the parent: headline, number, changed, added, removed, moved

The edits are computed on the article body (:func:`storymatch.text.boilerplate.clean`), with
case, typography and the characters OCR confuses (``0``/``o``, ``1``/``l``/``i``, ``c``/``e``,
``b``/``h``; the folding of :func:`storymatch.text.shingles.shingle_batch`) folded and spaces and
punctuation ignored, so that a misread letter, two words run together or a hyphenated line break
is not an edit. Numbers are read as the differ reads them (:mod:`storymatch.text.numbers`,
which the differ's number conflicts use too, names the amount and what it counts), and a
number written another way with the same value (``five`` and ``5``, ``1,200`` and ``1200``) is
no edit.

Nothing here runs unless asked: :func:`~storymatch.dedup.find_duplicates` stays as fast as it
was, and :func:`copy_edits` costs a page cleaning, a sentence split and a few word diffs per
member of a group of two or more.
"""

from __future__ import annotations

import heapq
import logging
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import chain, compress, count, islice
from typing import Any, Final, Literal, NamedTuple, TypeVar

import numpy as np
from rapidfuzz import fuzz, process

from storymatch._estimator import published
from storymatch._gcpause import paused_gc
from storymatch._kernels import (
    OCR_LOOKALIKES,
    fold_sentences,
    fold_wide_sentences,
    line_sentence_keys,
    wide_sentence_keys,
)
from storymatch.dedup.arborescence import min_arborescence_table
from storymatch.dedup.cluster import NearDuplicateClusterer
from storymatch.dedup.jobs import Exchange, Take, Tick, run_chunks, usable_jobs
from storymatch.errors import InvalidParameterError
from storymatch.io.writers import json_line
from storymatch.models import (
    Article,
    CopyEdit,
    CopyGroup,
    CopyInfo,
    CopyOp,
    DiffOp,
    DuplicateGroup,
    Progress,
)
from storymatch.progress import resolved, with_progress
from storymatch.text.boilerplate import CleanedText, Removal, clean
from storymatch.text.normalize import normalize
from storymatch.text.numbers import pair_quantities, quantities
from storymatch.text.sentences import latin1_stand_ins, line_spans, word_table
from storymatch.text.tokens import tokenize
from storymatch.text.vocabulary import unknown_words
from storymatch.text.worddiff import word_diff

__all__ = [
    "DEFAULT_MIN_CHAIN_GAIN",
    "DEFAULT_MIN_SCORE",
    "CopyLines",
    "MemberText",
    "copy_edits",
    "copy_lines",
    "diff_copy",
    "fold_key",
    "pick_original",
    "read_member",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_MIN_SCORE: Final = 0.6
"""Similarity (0-1, of the folded sentences) at which an unmatched sentence of the parent and
one of the copy are one sentence reworded (``changed`` / ``number``) rather than a removal and
an addition."""

ADDED_RUN_WEIGHT: Final = 2.0
"""Cost of a run of sentences a copy has and a candidate original lacks (an addition), against
1.0 for a run the candidate has and the copy lacks (a trimmed tail, a dropped paragraph):
copies cut more often than they add (see :func:`pick_original`)."""

TRIM_WEIGHT: Final = 0.5
"""Cost of a trimmed tail (the run of a candidate's sentences after the last one a copy
keeps), against 1.0 for a run cut elsewhere: news is written to be cut from the bottom."""

REMOVED_WEIGHT: Final = 0.05
"""In the tie-break of :func:`pick_original`: cost of a character a candidate has and a copy
lacks, against 1.0 for a character the copy has and the candidate lacks."""

DEFAULT_MIN_CHAIN_GAIN: Final = 2
"""Sentences a copy must take from another copy, and not from the original, for that copy to be
its parent."""

# The characters OCR confuses most in news copies, as the word-shingle kernel folds them.
_OCR: Final = str.maketrans(dict(OCR_LOOKALIKES))
_NOT_ALNUM: Final = re.compile(r"[\W_]+")


# CopyEdit is frozen: its generated __init__ sets each of its 13 fields through
# object.__setattr__. The slots' own setters, called directly, make the same (equal, hashable,
# picklable) object in half the time; the copies make about 53,000 edits at 100,000 documents.
_NEW: Final = object.__new__
(
    _SET_OP,
    _SET_OLD,
    _SET_NEW,
    _SET_TEXT,
    _SET_OLD_SENTENCE,
    _SET_NEW_SENTENCE,
    _SET_OLD_WORDS,
    _SET_NEW_WORDS,
    _SET_AT,
    _SET_PARAGRAPH,
    _SET_OLD_SPAN,
    _SET_NEW_SPAN,
    _SET_OPCODES,
) = (vars(CopyEdit)[name].__set__ for name in CopyEdit.__slots__)


def _copy_edit(
    op: CopyOp,
    *,
    old: str | None = None,
    new: str | None = None,
    text: str | None = None,
    old_sentence: str | None = None,
    new_sentence: str | None = None,
    old_words: str | None = None,
    new_words: str | None = None,
    at: Literal["start", "middle", "end"] | None = None,
    paragraph: bool = False,
    old_span: tuple[int, int] | None = None,
    new_span: tuple[int, int] | None = None,
    opcodes: tuple[DiffOp, ...] = (),
) -> CopyEdit:
    """Return ``CopyEdit(op, ...)`` with these fields, made without its ``__init__``."""
    edit: CopyEdit = _NEW(CopyEdit)
    _SET_OP(edit, op)
    _SET_OLD(edit, old)
    _SET_NEW(edit, new)
    _SET_TEXT(edit, text)
    _SET_OLD_SENTENCE(edit, old_sentence)
    _SET_NEW_SENTENCE(edit, new_sentence)
    _SET_OLD_WORDS(edit, old_words)
    _SET_NEW_WORDS(edit, new_words)
    _SET_AT(edit, at)
    _SET_PARAGRAPH(edit, paragraph)
    _SET_OLD_SPAN(edit, old_span)
    _SET_NEW_SPAN(edit, new_span)
    _SET_OPCODES(edit, opcodes)
    return edit


def _ascii_fold() -> bytes:
    """Return the byte table of :func:`fold_key` for ASCII: lower case, OCR look-alikes folded."""
    table = bytearray(range(256))
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = code + 32
    for src, dst in OCR_LOOKALIKES:
        table[ord(src)] = table[ord(src.upper())] = ord(dst)
    return bytes(table)


_ASCII_FOLD: Final = _ascii_fold()
_ASCII_DROP: Final = bytes(c for c in range(128) if not chr(c).isalnum())
# the same fold as codes for the compiled path (_body_sentences): 0 for a dropped byte, 1 for
# whitespace (dropped too; it separates words, as str.split sees them)
_FOLD_CODES: Final = np.array(
    [
        1 if chr(c).isspace() else 0 if c in _ASCII_DROP else folded
        for c, folded in enumerate(_ASCII_FOLD)
    ],
    dtype=np.uint8,
)
_DIGIT: Final = re.compile(r"\d")
_HYPHEN_BREAK: Final = re.compile(r"(?<=\w)-\n(?=\S)")
_NUMBER: Final = re.compile(r"\d+(?:[.,]\d+)*")
_KICKER_LEN: Final = 120
_MAX_TOP_LINES: Final = 30
_MIN_HEADLINE_SCORE: Final = 0.6
_MIN_SHORT_HEADLINE_WORDS: Final = 3
_EDITORIAL_KINDS: Final = frozenset(("note", "byline", "credit"))
# the kinds of removed lines that may stay in the body (_lead, _editorial)
_KEPT_KINDS: Final = frozenset(("headline", "standfirst", "dateline", *_EDITORIAL_KINDS))
_MIN_EDITORIAL_WORDS: Final = 5
_MIN_LEAD_WORDS: Final = 8
_MIN_SENTENCE_WORDS: Final = 4
_CLOSERS: Final = "\"')]\u201d\u2019"
_CHUNK: Final = 64  # groups a process takes at a time (and reports done at once)
_MANY_PAIRS: Final = 16  # sentence pairs to score from which one cdist call beats a loop
_MIN_GROUPS_PER_JOB: Final = 200  # fewer groups per process cost more to start than they save
# chunks a process leaves to the process that read them (see _copy_groups): one taken over is
# read again, about twice what its owner pays to compare it, so the owner's last two are its own
_OWN_LAST: Final = 2
_RANK_BITS: Final = 12  # room below the edit costs for the rank of a group's 4095 members


@lru_cache(maxsize=1 << 18)
def fold_key(text: str) -> str:
    """Return the comparison key of a text: folded case, typography and OCR look-alikes.

    Spaces, punctuation and hyphens are dropped, so words run together and hyphenated line
    breaks give the same key.

    Examples
    --------
    >>> fold_key("The  game was stopped.") == fold_key("Thc gamewas st0pped")
    True
    """
    if text.isascii():
        # what normalize changes in ASCII (case aside) is spaces and punctuation, dropped here:
        # one pass over the bytes lower-cases, folds the look-alikes and drops the rest
        return text.encode("ascii").translate(_ASCII_FOLD, _ASCII_DROP).decode("ascii")
    return _NOT_ALNUM.sub("", normalize(text).translate(_OCR))


# The code points :func:`_wide_fold` folds one at a time (a text of others takes fold_key per
# sentence): Latin, IPA and the spacing marks, Greek, Cyrillic, the Latin letters of Vietnamese,
# general punctuation and the currency signs.
_WIDE_BLOCKS: Final = ((0x80, 0x530), (0x1E00, 0x1F00), (0x2000, 0x20D0))
# the starters that compose with the character before them under NFC lie in these ranges
# (Indic and Myanmar vowel signs, the Hangul vowels and final consonants, Balinese, and signs
# beyond the first plane: a test reads every code point)
_COMPOSING_STARTERS: Final = ((0x900, 0x1200), (0x1B00, 0x1B80), (0x11000, 0x110000))


def _folds_alone(char: str) -> bool:
    """Whether :func:`fold_key` folds ``char`` the same whatever stands around it.

    ``fold_key`` of a text is then the folds of its characters one after another, where each
    of its steps is: case folding, the character maps and the dropping of what is not a letter
    or digit are; the three NFKC steps (:func:`storymatch.text.normalize.normalize`) are where
    what each is given decomposes to a starter first that composes with nothing before it (no
    reordering or composition crosses it; the last step's is read without the characters that
    ``normalize`` deletes in front, which may leave its first one out); spaces and
    punctuation, which the rest of ``normalize`` moves, are dropped.
    """
    first = unicodedata.normalize("NFKC", char).casefold()
    second = unicodedata.normalize("NFKC", first)
    skip = 0
    while skip < len(second) and not normalize(second[skip]):
        skip += 1
    for step in (char, first, second[skip:]):
        lead = unicodedata.normalize("NFKD", step)[:1]
        if lead and (
            unicodedata.combining(lead)
            or any(lo <= ord(lead) < hi for lo, hi in _COMPOSING_STARTERS)
        ):
            return False
    return True


@lru_cache(maxsize=1)
def _wide_fold() -> tuple[np.ndarray[Any, np.dtype[np.uint32]], np.ndarray[Any, np.dtype[np.int8]]]:
    """Return :func:`fold_key` of each code point as :func:`fold_wide_sentences` reads it.

    ``fold[c, :lengths[c]]`` are the characters that code point ``c`` folds to; a length of
    -1 marks whitespace (it folds to nothing and separates words), -2 a code point that is not
    folded alone (outside :data:`_WIDE_BLOCKS`, or not :func:`_folds_alone`). ASCII folds as
    the ASCII path of ``fold_key`` folds it.
    """
    size = _WIDE_BLOCKS[-1][1]
    folded = {c: "" if c in _ASCII_DROP else chr(_ASCII_FOLD[c]) for c in range(128)}
    folded.update(
        (c, fold_key(chr(c)))
        for lo, hi in _WIDE_BLOCKS
        for c in range(lo, hi)
        if not chr(c).isspace() and _folds_alone(chr(c))
    )
    width = max(map(len, folded.values()))
    fold = np.zeros((size, width), dtype=np.uint32)
    lengths = np.full(size, -2, dtype=np.int8)
    for code, key in folded.items():
        fold[code, : len(key)] = [ord(c) for c in key]
        lengths[code] = len(key)
    for lo, hi in ((0, 128), *_WIDE_BLOCKS):
        for code in range(lo, hi):
            if chr(code).isspace():
                lengths[code] = -1
    return fold, lengths


class _Sent(NamedTuple):
    """A sentence of a body: span, paragraph (non-empty line), folded key and word count.

    A named tuple: a member has dozens, a corpus's groups hundreds of thousands, and a tuple
    is built in a third of the time of a frozen dataclass.
    """

    text: str
    start: int
    end: int
    paragraph: int
    key: str
    words: int


# _Sent(...) runs the named tuple's __new__, a Python function; tuple.__new__ builds the same
# tuple in C (a third less per sentence, hundreds of thousands of sentences at 100k)
_NEW_TUPLE: Final = tuple.__new__


@dataclass(frozen=True, slots=True)
class MemberText:
    """One member's article body, headline and sentences, read once for all its comparisons.

    Parameters
    ----------
    id : str
        The article id.
    body : str
        The article body (:func:`storymatch.text.boilerplate.clean` of its text).
    headline : str or None
        Its ``title``, else the headline as it stands on the page (kicker included), else None.
    first_line : str or None
        The first line of the body, which stands for the headline of a text without one.
    date : datetime or None
        Its parsed publication date.
    sentences : tuple
        The body's sentences with their folded keys.
    top : tuple of str, default=()
        The lines of the page above its body (mastheads, navigation, the headline as the page
        shows it, perhaps rewritten), where :func:`diff_copy` looks for the copy's headline.
    titled : bool, default=False
        Whether ``headline`` is the article's own ``title``.
    furniture : frozenset of str, default=frozenset()
        Folded keys of the lines the cleaner removed as page furniture (widgets, links,
        headlines): a widget quoting another article may show its quote again where the
        cleaner kept it (broken across lines, say), and that line is no sentence of the body.
    """

    id: str
    body: str
    headline: str | None
    first_line: str | None
    date: datetime | None
    sentences: tuple[_Sent, ...]
    top: tuple[str, ...] = ()
    titled: bool = False
    furniture: frozenset[str] = frozenset()

    @property
    def n_words(self) -> int:
        """Words of the body's sentences."""
        return sum(s.words for s in self.sentences)


def _editorial(removal: Removal) -> bool:
    """Whether a line the cleaner removed belongs to the article: a dateline, a newsroom note.

    "This is a developing story and will be updated." and "Reporting by wire services;
    additional reporting by our staff." are notes and credits to the cleaner, but a copy that
    adds one did add a sentence.
    """
    if removal.kind == "dateline":
        return True  # a date the copy may update ("Updated 7/9/2007" → "7/12/2007")
    if removal.kind not in _EDITORIAL_KINDS:
        return False
    text = removal.text.rstrip("\"')\u201d\u2019")
    return text[-1:] in ".!?" and len(text.split()) >= _MIN_EDITORIAL_WORDS


def _lead(removal: Removal) -> bool:
    """Whether a line the cleaner took for a headline is a sentence (a text's first line).

    A text without a title shows its first sentence where a headline would be; the cleaner
    then takes it for one. Headlines rarely end with a full stop, sentences do.
    """
    if removal.kind not in ("headline", "standfirst"):
        return False
    text = removal.text.rstrip("\"')\u201d\u2019")
    return text[-1:] in ".!?" and len(text.split()) >= _MIN_LEAD_WORDS


def _page_lines(
    text: str, cleaned: CleanedText
) -> tuple[list[str], str | None, str, frozenset[str]]:
    r"""Return a page's lines above its article body, its first line, the body, furniture.

    Parameters
    ----------
    text : str
        The page.
    cleaned : CleanedText
        What :func:`storymatch.text.boilerplate.clean` made of it: each removal is one whole
        line, its span starting where the line's text does.

    Returns
    -------
    top : list of str
        The page's non-blank lines, stripped, above the first that reads as the body's first
        line (none where the body is empty).
    first_line : str or None
        The page's first non-blank line, stripped (None for a blank page).
    body : str
        The body's lines, one ``"\n"`` between two: the lines the cleaner kept and its
        editorial ones, a sentence it took for a headline kept once (where the body has it, if
        it has it twice).
    furniture : frozenset of str
        Folded keys of the other removed lines (:attr:`MemberText.furniture`).
    """
    cut: list[int] = []
    leads: set[int] = set()
    furniture: list[str] = []
    for removal in cleaned.removed:
        if removal.kind in _KEPT_KINDS:  # (the others are cut: the checks below, inline)
            if _lead(removal):
                leads.add(removal.start)
                continue
            if _editorial(removal):
                continue
        cut.append(removal.start)
        furniture.append(fold_key(removal.text))
    if len(cut) == len(cleaned.removed):
        # Every removed line stays out (nearly every page): the body is what the cleaner kept,
        # and only the lines down to the body's first are read again.
        # (its lines are stripped and not blank: blocks are joined by the only blank lines)
        body = cleaned.text.replace("\n\n", "\n")
        first_body_line = body.partition("\n")[0] or None
        top, first_line = _top_lines(text, cleaned.removed, first_body_line)
        return top, first_line, body, frozenset(furniture)
    cut_at = set(cut)
    lines: list[str] = []
    body_lines: list[str] = []
    lead_at: list[int] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lines.append(stripped)
            start = pos + len(raw) - len(raw.lstrip())
            if start not in cut_at:
                if start in leads:
                    lead_at.append(len(body_lines))
                body_lines.append(stripped)
        pos += len(raw) + 1
    if lead_at:
        body_lines = _drop_repeated_leads(body_lines, lead_at)
    top = lines[: lines.index(body_lines[0])] if body_lines else []
    return top, lines[0] if lines else None, "\n".join(body_lines), frozenset(furniture)


def _top_lines(
    text: str, removed: Sequence[Removal], first_body_line: str | None
) -> tuple[list[str], str | None]:
    """Return the non-blank lines of a page above its body's first line, and its first line.

    For a page whose removed lines all stay out of the body: every line above the first kept
    line is a removed one, so the removals are read in order until text that is not blank
    stands between two (a kept line) or one reads as ``first_body_line`` (where
    ``lines.index`` of all the page's stripped lines would stop). None are kept where
    ``first_body_line`` is None (an empty body).
    """
    top: list[str] = []
    end = 0
    for removal in removed:
        if text[end : removal.start].strip():
            break  # a kept line: the body's first
        if first_body_line is None or removal.text == first_body_line:
            return top, top[0] if top else removal.text
        top.append(removal.text)
        end = removal.end
    return top, top[0] if top else first_body_line


def _drop_repeated_leads(body: list[str], lead_at: list[int]) -> list[str]:
    """Drop the lines at ``lead_at`` whose folded key comes again further down the body."""
    keys = [fold_key(line) for line in body]
    repeated = {i for i in lead_at if keys[i] in keys[i + 1 :]}
    return [line for i, line in enumerate(body) if i not in repeated]


def _body_sentences(body: str, flat_text: str) -> list[_Sent]:
    """Return the sentences of a body with their folded keys, a line being a paragraph.

    ``flat_text`` is the body with its hyphenated line breaks undone (offsets unchanged). Its
    lines are split as :func:`storymatch.text.sentences.line_spans` splits them; sentences
    whose key is empty are left out, and ``paragraph`` counts the lines with a sentence left.
    An ASCII text is split, folded (the fold of :func:`fold_key` in ASCII) and its words
    counted in one compiled call (:func:`storymatch._kernels.line_sentence_keys`): no string
    but the sentence and its key is built per sentence.
    """
    if not flat_text.isascii():
        return _wide_sentences(body, flat_text)
    codes = np.frombuffer(flat_text.encode("ascii"), dtype=np.uint8)
    words, flags = word_table()
    rows, keys, skipped = line_sentence_keys(codes, words, flags, _FOLD_CODES)
    if skipped:  # a line break other than "\n": such lines are split by the regexes
        rows, keys = fold_sentences(codes, line_spans(flat_text), _FOLD_CODES)
    key_text = keys.tobytes().decode("ascii")
    return [
        _NEW_TUPLE(_Sent, (body[start:end], start, end, paragraph, key_text[a:b], words))
        for start, end, paragraph, a, b, words in rows.tolist()
    ]


def _wide_sentences(body: str, flat_text: str) -> list[_Sent]:
    """Return :func:`_body_sentences` of a text that is not ASCII.

    Where each of its characters folds alone (:func:`_wide_fold`: accented letters, ``£``,
    curly quotes, dashes), one compiled call splits and folds it as the ASCII path does, on
    its code points; a text with other characters (combining marks, CJK) takes
    :func:`fold_key` per sentence.
    """
    # Latin-1 (nearly every such text) encodes faster than UTF-32; both copied, so that the
    # kernels see one type of array (a read-only one is another signature to load)
    try:
        codes = np.frombuffer(flat_text.encode("latin-1"), dtype=np.uint8).astype(np.uint32)
    except UnicodeEncodeError:
        codes = np.frombuffer(flat_text.encode("utf-32-le"), dtype=np.uint32).copy()
    fold, lengths = _wide_fold()
    words, flags = word_table()
    rows, keys, skipped, ok = wide_sentence_keys(
        codes, latin1_stand_ins(), words, flags, fold, lengths
    )
    if not ok:
        return _keyed_sentences(body, flat_text, line_spans(flat_text).tolist())
    if skipped:  # lines the compiled splitter leaves to the regexes
        rows, keys = fold_wide_sentences(codes, line_spans(flat_text), fold, lengths)
    key_text = keys.tobytes().decode("utf-32-le")
    return [
        _NEW_TUPLE(_Sent, (body[start:end], start, end, paragraph, key_text[a:b], words))
        for start, end, paragraph, a, b, words in rows.tolist()
    ]


def _keyed_sentences(body: str, flat_text: str, spans: list[list[int]]) -> list[_Sent]:
    """Return the sentences at ``spans`` (``start, end, line``) with keys by :func:`fold_key`."""
    out = []
    paragraph = -1
    last_line = -1
    for start, end, line in spans:
        key, words = _sentence_key(flat_text[start:end])
        if not key:
            continue
        if line != last_line:
            paragraph += 1
            last_line = line
        out.append(_Sent(body[start:end], start, end, paragraph, key, words))
    return out


@lru_cache(maxsize=1 << 17)
def _sentence_key(sentence: str) -> tuple[str, int]:
    """Return the folded key and the word count of one sentence."""
    return fold_key(sentence), len(sentence.split())


@lru_cache(maxsize=256)
def _line_keys(body: str) -> frozenset[str]:
    """Return the folded keys of a body's lines (a parent's, read for each of its copies)."""
    return frozenset(fold_key(line) for line in body.split("\n"))


def read_member(article: Article) -> MemberText:
    """Clean an article and split its body into sentences with folded keys.

    Parameters
    ----------
    article : Article
        The article.

    Returns
    -------
    MemberText
        Its body, headline and sentences.
    """
    cleaned = clean(article.text, title=article.title)
    top_list, first_line, body, furniture = _page_lines(article.text, cleaned)
    title = article.title.strip() if article.title else ""
    headline = title or next((r.text for r in cleaned.removed if r.kind == "headline"), None)
    # A line is a paragraph: pages and feeds reflow text, so a line break inside a paragraph of
    # one member is a blank line in another. A hyphenated line break is undone in place.
    flat_text = _HYPHEN_BREAK.sub("- ", body) if "-\n" in body else body
    sentences = _body_sentences(body, flat_text)
    # the lines above the body, and the body's own before its first sentence of 8+ words (a
    # hard-wrapped page has no line of 8 words: only the first lines count); each line is cut
    # out as it is read (the first is nearly always a sentence: the body is not split)
    pos = 0
    while len(top_list) < _MAX_TOP_LINES:
        end = flat_text.find("\n", pos)
        line = flat_text[pos:end] if end >= 0 else flat_text[pos:]
        if _is_lead(line):
            break
        top_list.append(line)
        if end < 0:
            break
        pos = end + 1
    return MemberText(
        id=article.id,
        body=body,
        headline=headline,
        first_line=first_line,
        date=published(article),
        sentences=tuple(sentences),
        top=tuple(top_list[:_MAX_TOP_LINES]),
        titled=bool(title),
        furniture=furniture,
    )


# ---------------------------------------------------------------------------------- originals


def _is_lead(text: str) -> bool:
    """Whether a line reads as a sentence of 8 words or more (ends with ``.``, ``!`` or ``?``)."""
    return _ends_sentence(text) and _has_words(text, _MIN_LEAD_WORDS)


def _ends_sentence(text: str) -> bool:
    """Whether a text ends with ``.``, ``!`` or ``?`` (closing quotes and brackets aside)."""
    return text.rstrip(_CLOSERS)[-1:] in ".!?"


def _has_words(text: str, n: int) -> bool:
    """Whether a text has ``n`` words or more (split no further than that: lines are long)."""
    return len(text.split(None, n)) >= n


def _eligible(member: MemberText, stock: frozenset[str], heads: frozenset[str]) -> list[str]:
    """Return the keys of a member's sentences that say which member came first, in text order.

    Stock sentences (the corpus's) and ``heads`` (the group's headlines and the member's page
    furniture) are left out, and so are units that do not read as sentences: a sentence ends
    with ``.``, ``!`` or ``?`` and has 4+ words (its ``words``, those ``str.split`` sees,
    counted when the member was read). Headlines, widget links to other articles, labels and
    credits do not; page templates add them, so they say nothing about which member came
    first. ``stock`` and ``heads`` are looked up apart, not joined: a union per member would
    copy the corpus's stock each time, a cost that grows with the corpus times its groups.
    """
    return [
        s.key
        for s in member.sentences
        if s.words >= _MIN_SENTENCE_WORDS
        and s.key not in stock
        and s.key not in heads
        and _ends_sentence(s.text)
    ]


def _weights(keys: Iterable[str], variants: Mapping[str, str] | None = None) -> dict[str, int]:
    """Weight per sentence key (:func:`_eligible`'s), its forms joined by ``variants``.

    The weight is the length of the folded key, not the words: OCR runs words together
    ("Yankees,Teixeira") and a count of words would make a noisy copy look shorter, so a
    cheaper candidate for the original than the clean text it was made from. The keys stay in
    text order.
    """
    out: dict[str, int] = {}
    if variants:
        for key in keys:
            name = variants.get(key, key)
            out[name] = out.get(name, 0) + len(name)
    else:
        for key in keys:
            out[key] = out.get(key, 0) + len(key)
    return out


def _repeats(pages: Sequence[AbstractSet[str]], heads: frozenset[str]) -> list[frozenset[str]]:
    """Return, for each page's keys, those that repeat another line cut short or behind a kicker.

    Pages repeat a headline, or a text's first sentence, above the body: cut where the page's
    template stops ("... win in K." for "... win in K. C.") or behind a kicker ("BREAKING:
    ..."). Such a line ends with a full stop as often as not and reads as a sentence, but it
    is page furniture, no evidence of which member came first. A key is a repeat when it is a
    proper prefix of another key of the same page or of a headline of the group (a cut
    repeat), or when it ends with another key of the page that is at least half its length
    (a kicker before a repeat).

    The pages of a group share most keys: the keys are sorted once for the group, and the few
    that start, or end, another key of the group are then looked up in each page.
    """
    every: set[str] = set().union(*pages)
    pool = sorted(every | heads)
    # sorted: the keys that start a key sit right after it (distinct: a proper prefix)
    # (each key against the next in one C loop: most groups have no key that starts another)
    cut = {
        pool[pos]: _run_from(pool, pos + 1, pool[pos])
        for pos in _true_at(map(str.startswith, pool[1:], pool))
    }
    backwards = sorted([k[::-1] for k in every])
    behind: list[tuple[str, str]] = []  # (key, the longer key that ends with it)
    for pos in _true_at(map(str.startswith, backwards[1:], backwards)):
        tail = backwards[pos]
        behind.extend(
            (tail[::-1], longer[::-1])
            for longer in _run_from(backwards, pos + 1, tail)
            if 2 * len(tail) >= len(longer)
        )
    if not cut and not behind:
        return [frozenset()] * len(pages)
    out = []
    for own in pages:
        found = {
            key
            for key, longer in cut.items()
            if key in own and any(k in own or k in heads for k in longer)
        }
        found.update(longer for key, longer in behind if key in own and longer in own)
        out.append(frozenset(found))
    return out


def _true_at(flags: Iterable[bool]) -> list[int]:
    """Return the positions of the true flags."""
    return list(compress(count(), flags))


def _run_from(items: list[str], pos: int, prefix: str) -> list[str]:
    """Return the items from ``pos`` on that start with ``prefix``, up to one that does not."""
    out = []
    for item in islice(items, pos, None):
        if not item.startswith(prefix):
            break
        out.append(item)
    return out


def _variants(pages: Sequence[AbstractSet[str]], min_score: float) -> dict[str, str]:
    """Map each sentence key of a group to the one key of its variants (itself when alone).

    ``pages`` holds each member's sentence keys. A sentence a copy reworded, renumbered or
    misread beyond what :func:`fold_key` folds is one sentence in two forms (similarity
    ``min_score`` or more, as :func:`diff_copy` pairs them), not one removed and another
    added: counted as two it makes a noisy copy look like the text its original was trimmed
    from. Forms are joined by similarity and each group of forms is known by its most
    frequent one (then the first in sort order). Keys every member has are compared as well,
    but only with the others. Only keys in two forms or more are mapped.
    """
    seen = Counter(chain.from_iterable(pages))
    rare = [k for k, count in seen.items() if count < len(pages)]
    if not rare:
        return {}
    keys = rare + [k for k, count in seen.items() if count == len(pages)]
    # the rare keys (first) against all; or, where that scores more pairs, one list on both
    # sides: cdist scores each pair of a symmetric scorer once (at 100k a sixth less). Kept:
    # each pair with a rare key once, no key with itself
    cutoff = 100 * min_score
    if 2 * len(rare) > len(keys) + 1:
        scores = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8)
    else:
        scores = process.cdist(rare, keys, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8)
    rows, cols = np.nonzero(scores[: len(rare)])
    pairs = [(a, b) for a, b in zip(rows.tolist(), cols.tolist(), strict=True) if a < b]
    if not pairs:
        return {}
    parent = list(range(len(keys)))  # union-find over the keys' positions

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in pairs:
        x, y = find(a), find(b)
        if x != y:
            parent[max(x, y)] = min(x, y)
    groups: dict[int, list[str]] = {}
    for k in sorted({k for pair in pairs for k in pair}):
        groups.setdefault(find(k), []).append(keys[k])
    out: dict[str, str] = {}
    for forms in groups.values():
        if len(forms) > 1:
            name = min(forms, key=lambda k: (-seen[k], k))
            out.update((k, name) for k in forms)
    return out


def _missing_runs(have: Collection[str], other: AbstractSet[str]) -> tuple[int, int, int]:
    """Count the runs of neighbours among ``have`` that ``other`` lacks: inside, at the tail.

    A dropped paragraph is one run whatever its length, and so is a trimmed tail (the run
    after the last sentence ``other`` shares): one edit each. The weight is their characters.
    """
    runs = 0
    weight = 0
    inside = False
    last_shared = -1
    for pos, key in enumerate(have):
        if key in other:
            inside = False
            last_shared = pos
            continue
        weight += len(key)
        if not inside:
            runs += 1
            inside = True
    tail = int(0 <= last_shared < len(have) - 1)
    return runs - tail, tail, weight


def _derived(headline: str, a: str, b: str) -> bool:
    """Whether ``headline`` (folded: ``a``) reads as made from another (folded: ``b``).

    Made from it behind a kicker, or cut. Copies rewrite headlines the way they edit bodies,
    and rarely undo an edit: one behind a kicker (``UPDATE 1-``, ``BREAKING:``, shorter than
    what follows it) goes on with the other, whole or cut; one cut short (three words or
    more) starts the other. A headline re-cased says nothing: copies put one in capitals and
    one in title case alike. The headlines come folded (:func:`fold_key`): a group's are
    compared each with each.
    """
    if not a or not b or a == b:
        return False
    if b.startswith(a):
        return len(headline.split()) >= _MIN_SHORT_HEADLINE_WORDS
    # a kicker of k characters: b starts with a[k:] for some 1 <= k <= len(a) // 2, so
    # a[k] is b's first character (only those k are tried)
    first, end = b[0], len(a) // 2 + 1
    k = a.find(first, 1, end)
    while k != -1:
        if b.startswith(a[k:]):
            return True
        k = a.find(first, k + 1, end)
    return False


def _noise(
    members: Sequence[MemberText],
    ranks: Sequence[tuple[float, int]],
    pages: Sequence[AbstractSet[str]],
) -> list[int]:
    """Unknown words (OCR misreads) of each member in the sentences it shares with its equals.

    Members of one rank (the same cost and headline marks) are compared on the sentences all
    of them have (the same folded keys), so that a member is not counted cleaner for having
    fewer sentences: copies add misreads, they rarely correct them. The counts only rank
    members of one rank among themselves, so a sentence that every one of them has word for
    word (most do: misreads are few) is left out: it adds the same to each. ``pages`` holds
    each member's sentence keys.
    """
    out = [0] * len(members)
    classes: dict[tuple[float, int], list[int]] = {}
    for i, rank in enumerate(ranks):
        classes.setdefault(rank, []).append(i)
    for same in classes.values():
        if len(same) < 2:  # noqa: PLR2004 - a rank of one member needs no tie-break
            continue
        shared = set(pages[same[0]]).intersection(*(pages[i] for i in same[1:]))
        lists = [[s.text for s in members[i].sentences if s.key in shared] for i in same]
        if all(texts == lists[0] for texts in lists[1:]):
            continue  # the same sentences word for word, in the same order: no count differs
        texts = [Counter(t) for t in lists]
        common = texts[0].copy()
        for other in texts[1:]:
            common &= other
        for i, counts in zip(same, texts, strict=True):
            out[i] = sum(_unknown(text) * n for text, n in (counts - common).items())
    return out


@lru_cache(maxsize=1 << 16)
def _unknown(sentence: str) -> int:
    """:func:`~storymatch.text.vocabulary.unknown_words` of a sentence (members share most)."""
    return unknown_words(sentence)


def _unexplained(child: AbstractSet[str], parent: AbstractSet[str]) -> int:
    """Sentences of ``child`` that ``parent`` does not have (both as sets of keys)."""
    return len(child - parent)


def pick_original(
    members: Sequence[MemberText],
    *,
    stock: frozenset[str] = frozenset(),
    min_chain_gain: int = DEFAULT_MIN_CHAIN_GAIN,
) -> tuple[int, Literal["date", "content"], float, list[int]]:
    """Choose a group's original, how, how confidently, and every member's parent.

    The original is the member with the one earliest publication date when every member has a
    date. Otherwise it is the member from which the others are made with the fewest edits: for
    a candidate, each other member's runs of sentences it lacks (additions, ``ADDED_RUN_WEIGHT``
    each: copies add little) and the runs it has and the member lacks (a dropped paragraph
    1.0, a trimmed tail ``TRIM_WEIGHT``: news is cut from the bottom), summed over the other
    members. An edit is counted once whatever its length, so that copies trimmed alike do not
    outvote the text they were cut from. Ties go to the fewest characters added (folded
    sentence keys, so that words OCR ran together weigh what they did), then the earliest
    date, then the id. In a star of copies this is the centre: every copy differs from the
    original by its own edits, and from another copy by both copies' edits. Sentences in
    ``stock`` (lines found in other groups too: an outlet's stock line, a quoted headline) and
    sentences some member shows as its headline are left out.

    Members are then ranked by that cost, and each one's parent is the original unless a
    member ranked above it explains at least ``min_chain_gain`` more of its sentences (a chain
    of updates: a copy of a copy).

    Parameters
    ----------
    members : sequence of MemberText
        The group's members (two or more).
    stock : frozenset of str, default=frozenset()
        Sentence keys (:func:`fold_key`) to leave out of the choice.
    min_chain_gain : int, default=2
        See :data:`DEFAULT_MIN_CHAIN_GAIN`. One shared sentence is not enough: copies of one
        outlet often add the same stock line.

    Returns
    -------
    original : int
        Index of the original.
    basis : {"date", "content"}
        How it was chosen.
    confidence : float
        1.0 for a date; for content, the runner-up's cost minus the original's, divided by
        the runner-up's (0.0 when they tie, as two identical bodies do).
    parents : list of int
        Every member's parent index (the original's own is itself).
    """
    n = len(members)
    dated = [m.date for m in members]
    if n == 2 and dated[0] is not None and dated[1] is not None and dated[0] != dated[1]:  # noqa: PLR2004
        # two members of two dates: the earlier is the original and the other's parent; the
        # content costs below would only rank them, and the date decides
        root = 0 if dated[0] < dated[1] else 1
        return root, "date", 1.0, [root, root]
    # A text without a title shows its first sentence as the headline, and a page may keep it
    # only there: a sentence some member shows as its headline says nothing of which came first.
    heads = frozenset(fold_key(m.headline) for m in members if m.headline)
    pages = [{s.key for s in m.sentences} for m in members]
    variants = _variants(pages, DEFAULT_MIN_SCORE)
    # the group's own stock sentences (a small set: the corpus's is looked up, never copied)
    # and their other forms: a copy's renumbered stock line is no evidence either
    local = set().union(*pages) & stock
    stocked = {variants[k] for k in local if k in variants}
    stock = frozenset(local | {k for k, name in variants.items() if name in stocked})
    furniture = [
        heads | m.furniture | repeats
        for m, repeats in zip(members, _repeats(pages, heads), strict=True)
    ]
    # the star ranks by the forms as they are (which form most copies carry is evidence of
    # their source); the tree joins each sentence's forms (a misread sentence is no addition)
    eligible = [_eligible(m, stock, f) for m, f in zip(members, furniture, strict=True)]
    weights = [_weights(keys) for keys in eligible]
    joined = [_weights(keys, variants) if variants.keys() & keys else None for keys in eligible]
    cost, chars, made_joined = _made_from(weights, joined)

    shown = [m.headline or m.first_line for m in members]
    folded = [fold_key(a) if a else "" for a in shown]
    # "b is a line of member i": among its top lines, or a whole line of its body (a search
    # in the body between line breaks, instead of a set of its lines hashed for each group)
    padded = ["\n" + m.body + "\n" for m in members]

    def has_line(i: int, b: str) -> bool:
        return b in members[i].top or ("\n" not in b and f"\n{b}\n" in padded[i])

    derived = [
        sum(
            1
            for j, b in enumerate(shown)
            if j != i
            and a
            and b
            and ((a != b and has_line(i, b)) or _derived(a, folded[i], folded[j]))
        )
        for i, a in enumerate(shown)
    ]
    noise = _noise(members, [(cost[i], derived[i]) for i in range(n)], pages)

    def rank_key(i: int) -> tuple[float, int, int, float, int, datetime | int, str]:
        date = members[i].date
        marks = (cost[i], derived[i], noise[i], round(chars[i], 6))
        if date is None:
            return (*marks, 1, 0, members[i].id)
        return (*marks, 0, date, members[i].id)

    order = sorted(range(n), key=rank_key)
    dates = [m.date for m in members]
    basis: Literal["date", "content"] = "content"
    if all(d is not None for d in dates):
        earliest = min(d for d in dates if d is not None)
        first = [i for i, d in enumerate(dates) if d == earliest]
        if len(first) == 1:
            basis = "date"
            order.remove(first[0])
            order.insert(0, first[0])
    tree, total = _cheapest_tree(made_joined, order, order[:1] if basis == "date" else order)
    root = tree[n]
    if basis == "date":
        confidence = 1.0
    else:
        # how much dearer the cheapest tree is with another member at its root
        _, runner = _cheapest_tree(made_joined, order, [i for i in order if i != root])
        confidence = (runner - total) / runner if runner > 0 else 0.0
    # members nearer the root come first (the tree's depth), then those that make the others
    # more cheaply (a sentence's forms joined), then by their ranks; a member's
    # parent is the root unless one before it explains at least min_chain_gain more sentences
    depth = {root: 0}
    for start in order:
        chain = []
        at = start
        while at not in depth:
            chain.append(at)
            at = tree[at]
        for j in reversed(chain):
            depth[j] = depth[tree[j]] + 1
    making = [0.0] * n
    for (r, _), edit in made_joined.items():
        making[r] += edit
    order = sorted(order, key=lambda i: (depth[i], making[i]))
    parents = [root] * n
    for pos in range(1, n):
        child = order[pos]
        best = root
        root_cost = _unexplained(pages[child], pages[root])
        best_cost = root_cost
        for p in order[1:pos]:
            missing = _unexplained(pages[child], pages[p])
            if missing < best_cost:
                best, best_cost = p, missing
        if best != root and root_cost - best_cost < min_chain_gain:
            best = root
        parents[child] = best
    return root, basis, max(0.0, min(1.0, confidence)), parents


def _made_from(
    weights: Sequence[Mapping[str, int]], joined: Sequence[Mapping[str, int] | None] = ()
) -> tuple[list[float], list[float], dict[tuple[int, int], float]]:
    """Return what making the others from each member costs, and each one from each other.

    Making a child from a parent takes the runs of sentences the child has and the parent
    lacks (``ADDED_RUN_WEIGHT`` each: copies add little) and the runs the parent has and the
    child lacks (a dropped paragraph 1.0, a trimmed tail ``TRIM_WEIGHT``: news is cut from
    the bottom): its edits; then the characters added, and those removed at
    ``REMOVED_WEIGHT``. The runs one member lacks of another are counted once for both
    directions, and once for both weightings where they are the same.

    Parameters
    ----------
    weights : sequence of mapping of str to int
        Each member's :func:`_weights`.
    joined : sequence of mapping of str to int or None, default=()
        Each member's weights with a sentence's forms joined (:func:`_weights` with
        variants), None where they are its ``weights`` (no sentence of it has another form);
        empty: all None.

    Returns
    -------
    edits, chars : list of float
        Per member, the edits and the characters of making every other member from it, by
        ``weights``.
    made : dict of (int, int) to float
        The edits of making each member (child) from each other (parent), keyed
        ``(parent, child)``, by ``joined``.
    """
    n = len(weights)
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    missing = _missing_table(weights, pairs)
    edits = [0.0] * n
    chars = [0.0] * n
    made: dict[tuple[int, int], float] = {}
    for r, o in pairs:
        inner, tail, added = missing[o][r]
        dropped, trimmed, removed = missing[r][o]
        edit = made[r, o] = ADDED_RUN_WEIGHT * (inner + tail) + dropped + TRIM_WEIGHT * trimmed
        edits[r] += edit
        chars[r] += added + REMOVED_WEIGHT * removed
    if any(w is not None for w in joined):
        both = [w if w is not None else weights[i] for i, w in enumerate(joined)]
        changed = [(i, j) for i, j in pairs if joined[i] is not None or joined[j] is not None]
        missing = _missing_table(both, changed)
        for r, o in changed:  # (o, r) is among them too
            inner, tail, _ = missing[o][r]
            dropped, trimmed, _ = missing[r][o]
            made[r, o] = ADDED_RUN_WEIGHT * (inner + tail) + dropped + TRIM_WEIGHT * trimmed
    return edits, chars, made


def _missing_table(
    weights: Sequence[Mapping[str, int]], pairs: Iterable[tuple[int, int]]
) -> list[list[tuple[int, int, int]]]:
    """:func:`_missing_runs` of member ``i``'s sentences against member ``j``'s, at [i][j].

    Only ``pairs`` are counted (the others read ``(0, 0, 0)``); members with the same
    sentences in the same order (copies alike) are counted once.
    """
    first: dict[tuple[str, ...], int] = {}
    alike = [first.setdefault(tuple(w), i) for i, w in enumerate(weights)]
    done: dict[tuple[int, int], tuple[int, int, int]] = {}
    out = [[(0, 0, 0)] * len(weights) for _ in weights]
    for i, j in pairs:
        key = (alike[i], alike[j])
        runs = done.get(key)
        if runs is None:
            have, other = weights[key[0]].keys(), weights[key[1]].keys()
            runs = done[key] = (0, 0, 0) if have <= other else _missing_runs(have, other)
        out[i][j] = runs
    return out


def _cheapest_tree(
    made: Mapping[tuple[int, int], float],
    order: Sequence[int],
    roots: Sequence[int],
) -> tuple[dict[int, int], float]:
    """Return the cheapest tree of "made from" edges with its root among ``roots``, and its cost.

    Each member is made from one other (its parent) at the cost of the edits that takes
    (``made``, keyed (parent, child): runs added, dropped, trimmed); the cheapest such tree
    (:func:`~storymatch.dedup.arborescence.min_arborescence`) has the original at its root.
    A star of copies is the tree of its original; a group of two originals that carry one
    agency text, each with its copies, is two stars joined where the texts meet, and a star
    centred on one trimmed copy would pay to restore what each copy of the other original has.
    Ties go to a parent ranked above its child (``order``), then to the parent ranked
    first (copies alike hang from one, not in a chain), then to the root ranked first.
    The tree's parents are keyed by member; the root is under key ``len(order)`` (the virtual
    node above it). The cost is that of the edits alone.
    """
    n = len(order)
    rank = [0] * n
    for pos, i in enumerate(order):
        rank[i] = pos
    size = n + 1  # the members and the virtual node above the root
    table = [-1] * (size * size)  # (parent, child): edits, then against the ranks, then rank
    for (p, c), edit in made.items():
        against = int(rank[p] > rank[c])
        table[p * size + c] = (
            (round(2 * edit) << (3 * _RANK_BITS)) + (against << (2 * _RANK_BITS)) + rank[p]
        )
    top = 1 + n * max(0, *table)
    for i in roots:
        table[n * size + i] = top + rank[i]
    parents = min_arborescence_table(table, root=n)
    root = next(c for c, p in parents.items() if p == n)
    cost = sum(made[p, c] for c, p in parents.items() if p != n)
    return {**{c: p for c, p in parents.items() if p != n}, n: root}, cost


# ---------------------------------------------------------------------------------- edits


@lru_cache(maxsize=1 << 14)
def _amounts(text: str) -> tuple[tuple[float, float, str], ...]:
    """Return the amounts a text states, as the differ reads them: interval and unit, sorted.

    :func:`storymatch.text.numbers.quantities` reads digits and number words (``five`` and
    ``5``, ``1,200`` and ``1200`` are one amount), units (``5%`` is no count of 5), ``about``
    and ranges, so the number edits of copies and the differ's number conflicts agree. The
    words copies change recur (three in four of the 35,319 read at 100,000 documents), so
    each is read once.
    """
    return tuple(sorted((q.lo, q.hi, q.unit) for q in quantities(text)))


def _sentence_edits(
    old: _Sent, new: _Sent
) -> tuple[list[tuple[str, str]], bool, tuple[DiffOp, ...]]:
    """Compare two paired sentences: number changes, whether other words changed, the diff."""
    opcodes = word_diff(old.text, new.text)
    numbers: list[tuple[str, str]] = []
    reworded = False
    for op in opcodes:
        if op.tag == "equal":
            continue
        a = old.text[op.a_start : op.a_end]
        b = new.text[op.b_start : op.b_end]
        if reworded and not (_DIGIT.search(a) and _DIGIT.search(b)):
            continue  # reworded already: only a changed number can add an edit (no fold)
        if fold_key(a) == fold_key(b):
            continue  # OCR noise, words run together, hyphenation
        if _DIGIT.search(a) and _DIGIT.search(b):
            na, nb = _NUMBER.findall(a), _NUMBER.findall(b)
            if len(na) == len(nb) and fold_key(_NUMBER.sub("#", a)) == fold_key(
                _NUMBER.sub("#", b)
            ):
                numbers.extend(
                    (x, y)
                    for x, y in zip(na, nb, strict=True)
                    if fold_key(x) != fold_key(y) and _amounts(x) != _amounts(y)
                )
                continue
        if reworded or not a or not b:
            # nothing to clear: the sentence is reworded already, or a side has no amount
            reworded = True
            continue
        amounts = _amounts(a)
        if amounts and amounts == _amounts(b):
            continue  # the same amounts written another way: "five" and "5"
        reworded = True
    return numbers, reworded, opcodes


def _number_words(old: str, new: str, a: str, b: str) -> tuple[str | None, str | None]:
    """Return the amounts with what they count, as the number rules of the text stage pair them.

    The amounts of both sentences are read and paired by what they count
    (:func:`storymatch.text.numbers.pair_quantities`); the first disagreeing pair, in text
    order, that holds ``a`` on the old side and ``b`` on the new one gives the words.
    """
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    left, right = quantities(old), quantities(new)
    found = []
    for x, y, differ in pair_quantities(left, len(old_tokens), right, len(new_tokens)):
        if differ:
            qa, qb = left[x], right[y]
            lw = old[old_tokens[qa.first].start : old_tokens[qa.last].end]
            rw = new[new_tokens[qb.first].start : new_tokens[qb.last].end]
            found.append((old_tokens[qa.first].start, new_tokens[qb.first].start, lw, rw))
    for _, _, lw, rw in sorted(found):
        if a in _NUMBER.findall(lw) and b in _NUMBER.findall(rw):
            return lw, rw
    return None, None


def _pair_unmatched(
    old: Sequence[_Sent],
    new: Sequence[_Sent],
    old_free: list[int],
    new_free: list[int],
    cutoff: float,
) -> list[tuple[int, int]]:
    """Pair unmatched sentences of the two sides, most similar first, one to one.

    Two sentences whose lengths differ by more than ``cutoff`` allows are no pair. Beyond a
    few pairs to score, one :func:`rapidfuzz.process.cdist` call scores them all (the same
    scorer, the same floats).
    """
    if not old_free or not new_free:
        return []
    old_keys = [old[i].key for i in old_free]
    new_keys = [new[j].key for j in new_free]
    if len(old_keys) * len(new_keys) >= _MANY_PAIRS:
        scores = process.cdist(
            old_keys, new_keys, scorer=fuzz.ratio, score_cutoff=100 * cutoff, dtype=np.float64
        )
        rows, cols = np.nonzero(scores >= 100 * cutoff)  # below the cutoff cdist gives 0
        heap = [
            (-score / 100.0, old_free[x], new_free[y])
            for x, y, score in zip(
                rows.tolist(), cols.tolist(), scores[rows, cols].tolist(), strict=True
            )
            if score / 100.0 >= cutoff and _near_in_length(old_keys[x], new_keys[y], cutoff)
        ]
    else:  # the lengths first: a pair they rule out is not scored
        heap = []
        for x, a in enumerate(old_keys):
            la = len(a)
            for y, b in enumerate(new_keys):
                lb = len(b)  # _near_in_length, inline
                if (la if la < lb else lb) >= cutoff * (lb if la < lb else la):
                    score = fuzz.ratio(a, b, score_cutoff=100 * cutoff)
                    if score / 100.0 >= cutoff:
                        heap.append((-score / 100.0, old_free[x], new_free[y]))
    if len(heap) < 2:  # noqa: PLR2004 - one pair or none: nothing to choose
        return [(i, j) for _, i, j in heap]
    heapq.heapify(heap)
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    while heap:
        _, i, j = heapq.heappop(heap)
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j))
    return pairs


def _near_in_length(a: str, b: str, cutoff: float) -> bool:
    """Whether the shorter key is at least ``cutoff`` of the longer (a pair may be scored)."""
    return min(len(a), len(b)) >= cutoff * max(len(a), len(b))


def _stable(pairs: list[tuple[int, int]], weights: Sequence[int]) -> set[int]:
    """Return the indexes into ``pairs`` (by new position) of a heaviest run in old order."""
    n = len(pairs)
    olds = [i for i, _ in pairs]
    if min(weights, default=1) > 0 and all(map(operator.lt, olds, islice(olds, 1, None))):
        return set(range(n))  # nothing moved: the whole run in order is the heaviest
    best = [0] * n
    back = [-1] * n
    for k in range(n):
        best[k] = weights[k]
        for m in range(k):
            if pairs[m][0] < pairs[k][0] and best[m] + weights[k] > best[k]:
                best[k] = best[m] + weights[k]
                back[k] = m
    keep: set[int] = set()
    if not n:
        return keep
    k = max(range(n), key=lambda x: (best[x], -x))
    while k >= 0:
        keep.add(k)
        k = back[k]
    return keep


_WORDS: Final = operator.attrgetter("words")


def _runs(indexes: Iterable[int], sents: Sequence[_Sent]) -> list[list[int]]:
    """Split sorted sentence indexes into runs of neighbours within one paragraph."""
    runs: list[list[int]] = []
    for i in sorted(indexes):
        if runs and runs[-1][-1] == i - 1 and sents[i - 1].paragraph == sents[i].paragraph:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _whole(run: list[int], sents: Sequence[_Sent]) -> bool:
    """Whether a run (neighbours within one paragraph) is its whole paragraph.

    A paragraph's sentences are neighbours (``paragraph`` counts lines in text order), so the
    run is the whole paragraph when the sentences on either side of it, if any, are of others
    (no count of each paragraph's sentences per comparison).
    """
    first, last = run[0], run[-1]
    paragraph = sents[first].paragraph
    return (first == 0 or sents[first - 1].paragraph != paragraph) and (
        last == len(sents) - 1 or sents[last + 1].paragraph != paragraph
    )


def _where(run: list[int], first: int, last: int) -> Literal["start", "middle", "end"]:
    """Where a run falls among the matched sentences, the first and last of them given."""
    if not first < run[0]:  # no matched sentence before the run
        return "start" if last > run[-1] or run[0] == 0 else "end"
    if not last > run[-1]:
        return "end"
    return "middle"


def _lone_edits(
    op: Literal["added", "removed"], sents: Sequence[_Sent], matched: AbstractSet[int]
) -> list[CopyEdit]:
    """Return the ``added`` (the copy's side) or ``removed`` (the parent's) edits of a pair.

    Each run of neighbours within one paragraph among ``sents`` that is not in ``matched``
    (the sentences paired with the other side) is one edit, placed among the matched ones.
    """
    if len(matched) == len(sents):
        return []
    first, last = (min(matched), max(matched)) if matched else (len(sents), -1)
    out = []
    for run in _runs([i for i in range(len(sents)) if i not in matched], sents):
        span = (sents[run[0]].start, sents[run[-1]].end)
        out.append(
            _copy_edit(
                op,
                text=" ".join([sents[i].text for i in run]),
                at=_where(run, first, last),
                paragraph=_whole(run, sents),
                old_span=span if op == "removed" else None,
                new_span=span if op == "added" else None,
            )
        )
    return out


def _recased(a: str, b: str) -> bool:
    """Whether two texts with one folded key differ in the case of their letters."""
    if a == b:
        return False
    la = [ch for ch in unicodedata.normalize("NFKC", a) if ch.isalpha()]
    lb = [ch for ch in unicodedata.normalize("NFKC", b) if ch.isalpha()]
    return len(la) == len(lb) and any(
        x.isupper() != y.isupper() for x, y in zip(la, lb, strict=True)
    )


def _headline_score(line: str, headline: str) -> float:
    """How surely a line at the top of a copy's page is (a rewrite of) the parent's headline.

    1.0 for the same words; 0.9 for a prefix of at least three words (a shortened headline) or
    a line that holds the headline whole (``UPDATE 1-`` before it); else the similarity of the
    folded texts.
    """
    a, b = fold_key(line), fold_key(headline)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if (b.startswith(a) and len(line.split()) >= _MIN_SHORT_HEADLINE_WORDS) or b in a:
        return 0.9
    return fuzz.ratio(a, b) / 100.0


def _copy_headline(parent: MemberText, parent_headline: str, copy: MemberText) -> str | None:
    """Return the copy's headline: its title, else the line above its body most like the parent's.

    Pages put a masthead, navigation and widgets quoting other articles above the body, and
    the cleaner may take one of them for the headline; the copy's headline is the line there
    that reads as the parent's headline, rewritten or not. A line both bodies have is body,
    not headline, and so is the parent's first line as it stands (a text without a title
    starts with the line its pages show as headline, and a copy keeps it below its own).
    """
    if copy.titled:
        return copy.headline
    body = _line_keys(parent.body)
    first = parent.first_line or ""
    own = set(copy.body.split("\n"))
    best, best_score = None, _MIN_HEADLINE_SCORE
    for line in copy.top:
        if (line in own and fold_key(line) in body) or (
            fold_key(line) == fold_key(first) and not _recased(line, first)
        ):
            continue  # the parent's text, copied: its first line is no headline of the copy
        score = _headline_score(line, parent_headline)
        if score > best_score:
            best, best_score = line, score
    return best if copy.top else copy.headline


def _headline_edit(parent: MemberText, copy: MemberText) -> CopyEdit | None:
    """Return the headline edit of ``copy``, or None."""
    line = parent.first_line
    # a text without a title is known by its first line: the cleaner may take a second line
    # (a standfirst, a masthead) for its headline
    old = parent.headline if parent.titled else (line or parent.headline)
    if old is None:
        return None
    new = _copy_headline(parent, old, copy)
    if new is None:
        return None
    folded_old, folded_new = fold_key(old), fold_key(new)
    if folded_old == folded_new:
        return _headline(old, new) if _recased(old, new) else None
    if parent.titled or line is None:
        return _headline(old, new)
    # A text without a headline is shown under its first line, often cut short by the page
    # (mid-word, not at a word boundary as an editor shortens a headline).
    folded_line = fold_key(line)
    stripped = new.rstrip()
    cut = (
        folded_line.startswith(folded_new)
        and stripped[-1:].isalnum()
        and len(stripped) < len(line)
        and line[len(stripped) : len(stripped) + 1].isalnum()
        and line.startswith(stripped)
    )
    if cut:
        return None
    return _headline(old[:_KICKER_LEN], new)


def _headline(old: str, new: str) -> CopyEdit:
    """Return a headline edit with the word diff of the two headlines."""
    return _copy_edit("headline", old=old, new=new, opcodes=word_diff(old, new))


def diff_copy(
    parent: MemberText, copy: MemberText, *, min_score: float = DEFAULT_MIN_SCORE
) -> tuple[tuple[CopyEdit, ...], float]:
    """Return the edits of ``copy`` against ``parent`` and the similarity of their bodies.

    Sentences are matched on their folded keys (:func:`fold_key`), one to one; the sentences
    left on both sides are paired by similarity (``min_score``) and compared word by word:
    numbers that changed value become ``number`` edits, other changed words a ``changed``
    edit. Matched sentences out of their order (outside the heaviest run in order) are
    ``moved``; the parent's unmatched sentences are ``removed`` and the copy's ``added``,
    in runs of neighbours within one paragraph.

    Parameters
    ----------
    parent, copy : MemberText
        The two texts (:func:`read_member`).
    min_score : float, default=0.6
        See :data:`DEFAULT_MIN_SCORE`.

    Returns
    -------
    edits : tuple of CopyEdit
        Headline, numbers, changed, added, removed, moved; each kind in text order.
    similarity : float
        The Dice coefficient of the two bodies' sentences, weighted by words (1.0 for the
        same sentences in any order).
    """
    old, new = parent.sentences, copy.sentences
    by_key: dict[str, list[int]] = {}  # the places of each key, last first (pop the first)
    for i in range(len(old) - 1, -1, -1):
        by_key.setdefault(old[i].key, []).append(i)
    exact: list[tuple[int, int]] = []
    new_free: list[int] = []
    for j, s in enumerate(new):
        waiting = by_key.get(s.key)
        if waiting:
            exact.append((waiting.pop(), j))
        else:
            new_free.append(j)
    taken = {i for i, _ in exact}
    old_free = [i for i in range(len(old)) if i not in taken]
    fuzzy = _pair_unmatched(old, new, old_free, new_free, min_score)

    edits: list[CopyEdit] = []
    headline = _headline_edit(parent, copy)
    if headline is not None:
        edits.append(headline)
    numbers: list[CopyEdit] = []
    changed: list[CopyEdit] = []
    quiet: list[tuple[int, int]] = []  # paired sentences that differ only by noise
    for i, j in sorted(fuzzy, key=lambda p: p[1]):
        a, b = old[i], new[j]
        found, reworded, opcodes = _sentence_edits(a, b)
        for x, y in found:
            ow, nw = _number_words(a.text, b.text, x, y)
            numbers.append(
                _copy_edit(
                    "number",
                    old=x,
                    new=y,
                    old_sentence=a.text,
                    new_sentence=b.text,
                    old_words=ow,
                    new_words=nw,
                    old_span=(a.start, a.end),
                    new_span=(b.start, b.end),
                    opcodes=opcodes,
                )
            )
        if reworded:
            changed.append(
                _copy_edit(
                    "changed",
                    old=a.text,
                    new=b.text,
                    old_span=(a.start, a.end),
                    new_span=(b.start, b.end),
                    opcodes=opcodes,
                )
            )
        elif not found:
            quiet.append((i, j))
    edits.extend(numbers)
    edits.extend(changed)

    pairs = sorted([*exact, *fuzzy], key=operator.itemgetter(1))
    # pairs are one to one: a side with as many sentences as pairs has none left over
    if len(pairs) < len(new):
        edits.extend(_lone_edits("added", new, {j for _, j in pairs}))
    if len(pairs) < len(old):
        edits.extend(_lone_edits("removed", old, {i for i, _ in pairs}))
    keep = _stable(pairs, [new[j].words for _, j in pairs])
    if len(keep) < len(pairs):
        moved_new = [pairs[k][1] for k in range(len(pairs)) if k not in keep]
        old_of = {j: i for i, j in pairs}
        for run in _runs(moved_new, new):
            first, last = new[run[0]], new[run[-1]]
            olds = sorted(old_of[j] for j in run)
            edits.append(
                _copy_edit(
                    "moved",
                    text=" ".join([new[j].text for j in run]),
                    paragraph=_whole(run, new),
                    old_span=(old[olds[0]].start, old[olds[-1]].end),
                    new_span=(first.start, last.end),
                )
            )
    shared = sum([old[i].words + new[j].words for i, j in [*exact, *quiet]])
    total = sum(map(_WORDS, old)) + sum(map(_WORDS, new))  # parent.n_words + copy.n_words
    similarity = shared / total if total else 1.0
    return tuple(edits), similarity


# ---------------------------------------------------------------------------------- groups


@with_progress
def copy_edits(
    groups: Iterable[DuplicateGroup] | NearDuplicateClusterer,
    articles: Sequence[Article] | Mapping[str, Article],
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    min_chain_gain: int = DEFAULT_MIN_CHAIN_GAIN,
    progress: Progress | bool | None = None,
    n_jobs: int | None = None,
) -> list[CopyGroup]:
    """Find the original of every near-duplicate group and what each copy changed.

    Parameters
    ----------
    groups : iterable of DuplicateGroup, or a fitted NearDuplicateClusterer
        The groups (``find_duplicates(...)``, ``clusterer.groups_``, or the clusterer itself).
        Singletons are skipped.
    articles : sequence of Article, or mapping of id to Article
        The articles the groups were found in.
    min_score : float, default=0.6
        Similarity at which two unmatched sentences are one sentence reworded
        (:data:`DEFAULT_MIN_SCORE`): lower pairs more sentences as ``changed``, higher reports
        more rewordings as a removal plus an addition.
    min_chain_gain : int, default=2
        See :func:`pick_original`.
    progress : callable, bool or None, default=None
        Called as ``progress("copies", done, total)`` as groups finish; True draws a bar,
        False nothing, None a bar in a Jupyter notebook only (:mod:`storymatch.progress`).
    n_jobs : int or None, default=None
        Processes to share the groups among (:mod:`storymatch.dedup.jobs`), as scikit-learn
        reads it: None for this process alone, -1 for every core it may use (one per 200
        groups at most), or a number. The result is the same whatever the number: this
        process and forked workers take chunks of 64 groups as they go, read them, pool the
        stock sentences (by their hashes), then compare the groups they took; one done first
        reads again and compares the chunks another has not begun. This helps where a core is idle
        (the workers' results are pickled back and each process warms its own caches, so a
        machine busy with other work gains less) and is not for a process that runs threads
        of its own.

    Returns
    -------
    list of CopyGroup
        One per group of two or more members, in the order of ``groups``.

    Raises
    ------
    InvalidParameterError
        If ``min_score`` is not in [0, 1], ``min_chain_gain`` is below 1, ``n_jobs`` is not
        None, -1 or an int >= 1, or a group names an article that is not in ``articles``.

    Examples
    --------
    >>> from storymatch.models import Article, DuplicateGroup
    >>> docs = [
    ...     Article("a", "The port handled 41 vessels on Monday. Officials praised the crews.",
    ...             date="2026-03-02"),
    ...     Article("b", "The port handled 38 vessels on Monday. Officials praised the crews. "
    ...             "This is a developing story and will be updated.", date="2026-03-03"),
    ... ]
    >>> group = DuplicateGroup("g1", "a", ("a", "b"), (1.0, 0.7))
    >>> [found] = copy_edits([group], docs)
    >>> found.original, found.basis, found.copies[0].digest()
    ('a', 'date', 'changed 41 → 38 vessels; added 1 sentence')
    """
    return _copy_groups(
        "copy_edits",
        groups,
        articles,
        _as_found,
        min_score=min_score,
        min_chain_gain=min_chain_gain,
        progress=progress,
        n_jobs=n_jobs,
    )


@dataclass(frozen=True)
class CopyLines:
    """One group's copies as the lines ``storymatch copies`` writes (:func:`copy_lines`).

    Parameters
    ----------
    group : str
        The near-duplicate group's id.
    basis : str
        How its original was chosen (:attr:`~storymatch.models.CopyGroup.basis`).
    lines : tuple of str
        One line per copy, in the order of :attr:`~storymatch.models.CopyGroup.copies`:
        :meth:`~storymatch.models.CopyInfo.to_dict` as
        :func:`~storymatch.io.writers.json_line` writes it (newline included).
    n_edits : int
        The edits of all its copies.
    """

    group: str
    basis: str
    lines: tuple[str, ...]
    n_edits: int


@with_progress
def copy_lines(
    groups: Iterable[DuplicateGroup] | NearDuplicateClusterer,
    articles: Sequence[Article] | Mapping[str, Article],
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    min_chain_gain: int = DEFAULT_MIN_CHAIN_GAIN,
    progress: Progress | bool | None = None,
    n_jobs: int | None = None,
) -> list[CopyLines]:
    """Return what :func:`copy_edits` finds as the JSON lines of ``storymatch copies``.

    The same groups, copies and edits, each copy formatted where its group was compared: with
    ``n_jobs``, a worker sends back text instead of the result objects, which cost far more to
    pickle and unpickle than to format (at 100,000 documents, all the groups' objects take
    1.2 s to pickle and 0.9 s to unpickle; their lines 0.3 s to format and 0.03 s to send).
    For writing the copies out; :func:`copy_edits` for working with them.

    Parameters
    ----------
    groups, articles, min_score, min_chain_gain, progress, n_jobs
        As for :func:`copy_edits`.

    Returns
    -------
    list of CopyLines
        One per group of two or more members, in the order of ``groups``.

    Raises
    ------
    InvalidParameterError
        As :func:`copy_edits` raises it.

    Examples
    --------
    >>> from storymatch.models import Article, DuplicateGroup
    >>> docs = [
    ...     Article("a", "The port handled 41 vessels. Officials praised the crews.",
    ...             date="2026-03-02"),
    ...     Article("b", "The port handled 38 vessels. Officials praised the crews.",
    ...             date="2026-03-03"),
    ... ]
    >>> [found] = copy_lines([DuplicateGroup("g1", "a", ("a", "b"), (1.0, 0.9))], docs)
    >>> found.basis, found.n_edits, found.lines[0][:50]
    ('date', 1, '{"id":"b","group":"g1","original":"a","parent":"a"')
    """
    return _copy_groups(
        "copy_lines",
        groups,
        articles,
        _as_lines,
        min_score=min_score,
        min_chain_gain=min_chain_gain,
        progress=progress,
        n_jobs=n_jobs,
    )


def _as_found(found: CopyGroup) -> CopyGroup:
    return found


def _as_lines(found: CopyGroup) -> CopyLines:
    return CopyLines(
        group=found.group,
        basis=found.basis,
        lines=tuple(json_line(c.to_dict()) for c in found.copies),
        n_edits=sum(len(c.edits) for c in found.copies),
    )


def _copy_groups(
    caller: str,
    groups: Iterable[DuplicateGroup] | NearDuplicateClusterer,
    articles: Sequence[Article] | Mapping[str, Article],
    finish: Callable[[CopyGroup], T],
    *,
    min_score: float,
    min_chain_gain: int,
    progress: Progress | bool | None,
    n_jobs: int | None,
) -> list[T]:
    """Check the parameters of ``caller``, then compare the groups; ``finish`` each result.

    ``finish`` runs where the group was compared (in a worker, with ``n_jobs``): what it
    returns is what travels back.
    """
    if isinstance(min_score, bool) or not isinstance(min_score, int | float):
        min_score = -1.0
    if not 0.0 <= min_score <= 1.0:
        msg = (
            f"The 'min_score' parameter of {caller} must be a float in the range [0.0, 1.0]. "
            f"Got {min_score!r} instead."
        )
        raise InvalidParameterError(msg)
    if (
        isinstance(min_chain_gain, bool)
        or not isinstance(min_chain_gain, int)
        or min_chain_gain < 1
    ):
        msg = (
            f"The 'min_chain_gain' parameter of {caller} must be an int >= 1. "
            f"Got {min_chain_gain!r} instead."
        )
        raise InvalidParameterError(msg)
    if n_jobs is not None and (
        isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or (n_jobs < 1 and n_jobs != -1)
    ):
        msg = (
            f"The 'n_jobs' parameter of {caller} must be None, -1 or an int >= 1. "
            f"Got {n_jobs!r} instead."
        )
        raise InvalidParameterError(msg)
    group_list: list[DuplicateGroup] = list(
        groups.groups_ if isinstance(groups, NearDuplicateClusterer) else groups
    )
    by_id = articles if isinstance(articles, Mapping) else {a.id: a for a in articles}
    multi = [g for g in group_list if len(g.members) > 1]
    for group in multi:
        missing = [m for m in group.members if m not in by_id]
        if missing:
            msg = (
                f"The 'articles' parameter of {caller} must hold every member of the groups. "
                f"Group {group.id} names {missing[0]!r}, which is not among them."
            )
            raise InvalidParameterError(msg)
    done = 0
    report = resolved(progress)

    def tick(n: int) -> None:
        nonlocal done
        done += n
        report("copies", done, len(multi))

    def work(
        take: Take[DuplicateGroup], exchange: Exchange, tick: Tick
    ) -> list[tuple[int, list[T]]]:
        # everything built here outlives the chunks (the members' texts, the results) and
        # holds no cycles: the collector's full passes would only scan it, and the caller's
        # heap (the articles, the clusterer) again and again (storymatch._gcpause)
        with paused_gc():
            return chunk_copies(take, exchange, tick)

    def chunk_copies(
        take: Take[DuplicateGroup], exchange: Exchange, tick: Tick
    ) -> list[tuple[int, list[T]]]:
        texts = [(start, chunk, read_chunk(chunk)) for start, chunk in take]
        # Sentences found in two or more groups are stock lines (an outlet's "This is a
        # developing story", a widget quoting another article): no evidence of which member
        # came first. Each process counts its groups; the counts are pooled across processes.
        seen: Counter[str] = Counter()
        for _, _, groups_texts in texts:
            for members in groups_texts:
                seen.update({s.key for m in members for s in m.sentences})  # counted in C
        hashes = _key_hashes(seen)
        pooled = exchange((hashes, np.fromiter(seen.values(), dtype=np.int64, count=len(seen))))
        stock = _own_stock(seen, pooled, hashes)
        out = []

        def compare(
            start: int,
            chunk: Sequence[DuplicateGroup],
            groups_texts: list[list[MemberText]],
            stock: frozenset[str],
        ) -> None:
            out.append(
                (
                    start,
                    [
                        finish(_group_copies(group, members, stock, min_score, min_chain_gain))
                        for group, members in zip(chunk, groups_texts, strict=True)
                    ],
                )
            )
            tick(len(chunk))

        for start, chunk, groups_texts in texts:
            if take.claim(start):  # else another process, done with its own, took it over
                compare(start, chunk, groups_texts, stock)
        # Done: the chunks that another process read and has not begun are read again here
        # and compared, last first, so that the processes end together where one was slowed
        # (by other work on its core, or by costlier groups). A chunk read twice costs about
        # twice its comparing: the owner's last _OWN_LAST chunks are left to it.
        for start, chunk in take.unclaimed(leave=_OWN_LAST):
            groups_texts = read_chunk(chunk)
            keys = {s.key for members in groups_texts for m in members for s in m.sentences}
            # the same stock as its owner's: what the pooled hashes say of each key
            compare(start, chunk, groups_texts, _own_stock(dict.fromkeys(keys, 1), pooled))
        return out

    def read_chunk(chunk: Sequence[DuplicateGroup]) -> list[list[MemberText]]:
        return [[read_member(by_id[m]) for m in group.members] for group in chunk]

    jobs = usable_jobs(n_jobs, len(multi), min_items=_MIN_GROUPS_PER_JOB)
    if jobs > 1:
        _load_kernels()  # once here, not once in each worker
    out = run_chunks(multi, work, _pool_stock, jobs=jobs, size=_CHUNK, tick=tick)
    logger.info("copies: %d groups, %d process(es)", len(out), jobs)
    return out


_WARM_UP: Final = (
    "The port handled 41 vessels on Monday. Officials praised the crews.",
    "The port handled 38 vessels on Monday. Officials praised the crew.",
    "The port of Z\u00fcrich paid \u00a35. \u201cIt rained,\u201d she said.",
)


def _load_kernels() -> None:
    """Load the compiled kernels that reading and comparing members call, in this process.

    A kernel loads from numba's on-disk cache on its first call (those of :func:`read_member`
    and :func:`diff_copy` together about 0.3 s, in each process that calls them first):
    called before the workers are forked, it is done once and they inherit them. The
    warm-up members have no dates: :func:`pick_original` solves their tree (its kernel).
    """
    old, new, other = (read_member(Article(f"warm-up-{k}", t)) for k, t in enumerate(_WARM_UP))
    pick_original([old, new, other])
    diff_copy(old, new)
    diff_copy(old, other)


def _key_hashes(seen: Collection[str]) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Return the hashes of a process's sentence keys, in their order: what it sends to pool.

    Python's hash of a ``str`` is cached on the string (no key is hashed again) and, in forked
    workers, computed with the parent's secret: equal keys have equal hashes in every process.
    It is 64 bits wide on every platform numba (the kernels) runs on.
    """
    return np.fromiter(map(hash, seen), dtype=np.int64, count=len(seen))


def _pool_stock(
    payloads: list[tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]],
) -> list[np.ndarray[Any, np.dtype[np.int64]]]:
    """Return, for each process, the hashes of the stock keys: those of two groups or more.

    ``payloads`` holds each process's :func:`_key_hashes` and the number of its groups that
    have each key, in the same order. The processes send the hashes of their keys, not the
    keys: at 100,000 documents each holds about 60,000 keys of 110 characters, 6.8 MB to
    pickle, send, unpickle and count in the parent (0.12-0.25 s with both processes waiting),
    against 1 MB of numbers pooled by numpy. One process alone gets no hashes: it knows its
    counts (:func:`_own_stock`).

    Exactness: a key of one group is taken for stock wrongly only where its 64-bit hash
    equals that of another key, in any process (a collision): for ``n`` distinct keys in all,
    a chance of at most ``n**2 / 2**65``, about 4e-10 a run at 100,000 documents (120,000
    keys). Such a key would be left out of :func:`pick_original`'s choice as a stock line
    is. Chosen over an exact second exchange (the keys two processes share, 12,000 strings at
    100,000 documents) for its one round trip and because a process that takes over another's
    groups (:meth:`~storymatch.dedup.jobs.Take.unclaimed`) must know their stock keys too.
    """
    if len(payloads) == 1:
        return [np.empty(0, dtype=np.int64)]
    values, at = np.unique(np.concatenate([h for h, _ in payloads]), return_inverse=True)
    groups = np.bincount(at, weights=np.concatenate([n for _, n in payloads]))
    stock = values[groups > 1]
    return [stock] * len(payloads)


def _own_stock(
    seen: Mapping[str, int],
    pooled: np.ndarray[Any, np.dtype[np.int64]],
    hashes: np.ndarray[Any, np.dtype[np.int64]] | None = None,
) -> frozenset[str]:
    """Return the stock keys among a process's keys (of its groups, or groups it took over).

    ``seen`` counts this process's groups that have each key, ``pooled`` are the stock keys'
    hashes (:func:`_pool_stock`) and ``hashes`` those of ``seen``'s keys, in its order
    (:func:`_key_hashes` of them where None). A key is stock where its groups here are two
    or more, or its hash is pooled.
    """
    stock = {key for key, n in seen.items() if n > 1}
    if len(pooled):
        if hashes is None:
            hashes = _key_hashes(seen)
        stock.update(compress(seen, np.isin(hashes, pooled).tolist()))
    return frozenset(stock)


def _group_copies(
    group: DuplicateGroup,
    texts: list[MemberText],
    stock: frozenset[str],
    min_score: float,
    min_chain_gain: int,
) -> CopyGroup:
    root, basis, confidence, parents = pick_original(
        texts, stock=stock, min_chain_gain=min_chain_gain
    )

    def depth(i: int) -> int:
        d = 0
        while parents[i] != i and d <= len(parents):
            i = parents[i]
            d += 1
        return d

    order = sorted(
        (i for i in range(len(texts)) if i != root), key=lambda i: (depth(i), texts[i].id)
    )
    copies = []
    for i in order:
        p = parents[i]
        edits, similarity = diff_copy(texts[p], texts[i], min_score=min_score)
        copies.append(
            CopyInfo(
                id=texts[i].id,
                group=group.id,
                original=texts[root].id,
                parent=texts[p].id,
                similarity=round(similarity, 6),
                edits=edits,
            )
        )
    return CopyGroup(
        group=group.id,
        original=texts[root].id,
        basis=basis,
        confidence=round(confidence, 6),
        copies=tuple(copies),
        bodies={t.id: t.body for t in texts},
        headlines={t.id: t.headline for t in texts if t.headline is not None},
    )
