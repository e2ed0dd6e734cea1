r"""Sentence splitting with offsets into the original text.

:func:`split_sentences` cuts a document into :class:`~storymatch.models.Sentence` spans:
``text[s.start:s.end] == s.text`` for every sentence, the spans are ordered, never overlap,
hold no surrounding whitespace, and together cover every non-whitespace character of the text.
Nothing is normalised or dropped; the diff renderer highlights the original text.

How it works: one compiled regular expression finds every *candidate* boundary of the whole text
(a run of terminal punctuation followed by whitespace, a line break, a blank line), and each
candidate is decided by a few cheap checks on the word before it and the word after it. There
is no per-character Python loop, so the splitter runs at regular-expression speed.

Rules
-----
Hard boundaries
    A blank line (a line holding only whitespace) or U+2029 PARAGRAPH SEPARATOR ends the
    sentence and the paragraph: ``Sentence.paragraph`` counts these blocks (0-based; blocks of
    whitespace only are not counted). The ideographic full stop and the full-width ``!`` and
    ``?`` (U+3002, U+FF01, U+FF1F) always end a sentence, with no space needed after them.
Terminal punctuation
    ``.``, ``?``, ``!``, ``‽``, ``…`` and runs of them (``?!``, ``...``, ``. . .``), followed
    by closing quotes or brackets (``"``, ``'``, ``”``, U+2019, ``»``, ``)``, ``]``) and then
    by whitespace or the end of the text, end a sentence, unless an exception below applies.
    The boundary falls after the closing quotes: ``He said "no." Then`` splits before ``Then``.
    A full stop with no whitespace after it (``$1.13bn``, ``3.5%``, ``example.com``) is never a
    boundary.
Next word in lower case
    No boundary when the next word (after any opening quote or bracket) starts with a lower-case
    letter: ``"Why?" he asked``, ``e.g. the``, ``3 p.m. on Monday``, and a mid-sentence ellipsis
    (``it was... unexpected``). An ellipsis before a capitalised word ends the sentence.
Abbreviations and initials
    The word before a full stop is looked up without its opening quotes or brackets and, in a
    compound, only its part after the last hyphen or slash (``then-Gov.``, ``D-W.Va.``). After
    a title that precedes a name (:data:`TITLES`: ``Mr.``, ``Dr.``, ``Gen.``, ``Sen.``,
    ``Gov.``, ``Mt.``, ``St.``, ...) the sentence ends only before a common sentence opener
    (:data:`SENTENCE_STARTERS`: ``The``, ``He``, ``But``, ...; ``on Main St. The``); after
    ``No.`` it goes on before a number (``No. 1``). After the other abbreviations
    (:data:`ABBREVIATIONS`: months, states, ``Inc.``, ``Corp.``, ``U.S.``, ``a.m.``, ``etc.``,
    ...), after initials (``J. R. R. Tolkien``, ``A. J. Smith``) and after any dotted acronym
    (``D.C.``), the sentence ends only before a sentence opener, an opening quote and a
    capital, or a capitalised word on the next line: ``in the U.S. The talks`` splits,
    ``the U.S. Embassy`` and ``Jan. 5`` do not. Abbreviations that are also words (``ill``,
    ``miss``, ``sun``) count only when capitalised.
Numbers
    A number, a full stop, a space and a digit (``$2. 6 million``, as detokenised text writes
    decimals) is no boundary, nor is a list number at the start of a line (``1. First item``).
Quotes closed after a space
    Some text (ECB+ among it) puts a space before a closing quote: ``"Quoted text. "said X``.
    A quote after the terminal punctuation and a space is *closing* when it is followed by
    whitespace, punctuation or the end of the text, or when a quote of its kind is open (an
    odd number of ``"`` on the line so far, or more ``“`` than ``”``) and the word glued to it
    is lower-case or starts a short attribution (see below). It then stays with its sentence,
    and a glued word continues it (``"said X``, ``"Smith said.``). Otherwise it opens the next
    sentence: ``He left. "We won," she said.``
Attribution after ``?`` and ``!``
    ``"Why?" Smith asked.`` is one sentence: after ``?`` or ``!`` and a closing quote, a short
    attribution does not start a new sentence. Short: a capitalised word, a speech verb
    (``said``, ``asked``, ...) among the next five words, and punctuation at most three words
    after the verb (``Smith asked.``, ``Arians said on Monday,``); ``Coleman also said that
    he...`` is a new sentence.
Single line breaks
    A line that ends with terminal punctuation is decided by the rules above (the line break is
    whitespace). A line that ends *without* terminal punctuation -- a headline, a dateline, a
    byline, a list item -- ends its sentence at the line break, unless the text is hard-wrapped
    inside a sentence: the next line starts with a lower-case letter, or the line ends with a
    comma, a hyphen or dash, an opening bracket, or a word that cannot end a sentence (an
    article, a preposition or a conjunction: ``the``, ``of``, ``and``, ...). So
    ``"Iran responds\nTehran will not"`` is two sentences and ``"in the\nUnited States"`` one.
    A hard-wrapped line that breaks before a capitalised word (``the United\nStates``) is split:
    scraped news puts one paragraph on a line far more often than it wraps lines.

The splitter is English-centric (abbreviations, openers, speech verbs) and keeps the rules few
and general; it is a :class:`SentenceSplitter`, and any other callable with the same signature
can take its place, for example :func:`pysbd_splitter`.
"""

from __future__ import annotations

import bisect
import importlib
import logging
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any, Final, Protocol

import numpy as np

from storymatch.errors import MissingDependencyError
from storymatch.models import Sentence

__all__ = [
    "ABBREVIATIONS",
    "SENTENCE_STARTERS",
    "TITLES",
    "SentenceSplitter",
    "line_spans",
    "pysbd_splitter",
    "sentence_spans",
    "split_sentences",
]

logger = logging.getLogger(__name__)


class SentenceSplitter(Protocol):
    """A callable that cuts a text into sentences with offsets into that text.

    Any function or object with this call signature can replace :func:`split_sentences`
    wherever storymatch takes a ``splitter=``. The contract: the returned sentences are in text
    order, do not overlap, satisfy ``text[s.start:s.end] == s.text``, hold no leading or
    trailing whitespace, and carry their running ``index`` and ``paragraph``.

    See Also
    --------
    split_sentences : The built-in splitter.
    pysbd_splitter : An adapter around pysbd.
    """

    def __call__(self, text: str, /) -> list[Sentence]:
        """Return the sentences of ``text``."""


# --------------------------------------------------------------------------- word lists


def _words(text: str) -> frozenset[str]:
    """Return the set of whitespace-separated words of ``text``."""
    return frozenset(text.split())


TITLES: Final[frozenset[str]] = _words(
    """
    mr mrs ms mx messrs mme mlle dr prof rev fr hon pres supt sen rep gov lt gen col maj capt
    cmdr cdr adm sgt cpl pvt brig cmdt insp det dep dist const msgr amb atty mt ft st
    """
)
"""Lower-case abbreviations (without the final full stop) that stand before a name.

A full stop after one of them never ends a sentence (``Gen. Smith``, ``Mt. Everest``). ``St.``
is here because ``St. Louis`` is far more common than a sentence ending in ``Main St.``.
"""

_GENERAL_ABBREVIATIONS = """
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo
    mont neb nebr nev okla ore pa penn tenn tex va vt wash wis wisc wyo
    inc corp co ltd llc plc bros assn dept univ intl natl govt
    jr sr esq phd ph.d
    ave blvd rd hwy apt ch
    vs etc al approx est fig figs vol vols ed eds pp no nos tel ext min max avg
    e.g i.e a.m p.m u.s u.k u.n u.s.a e.u d.c n.y l.a
"""

ABBREVIATIONS: Final[frozenset[str]] = TITLES | _words(_GENERAL_ABBREVIATIONS)
"""Lower-case abbreviations, written without their final full stop (``"u.s"``, ``"inc"``).

After a title (:data:`TITLES`) no sentence ends; after the others a sentence ends only when
the next word is one of :data:`SENTENCE_STARTERS`. Dotted acronyms and single-letter initials
that are not listed get the same treatment as the others.
"""

_WORDS_TOO: Final[frozenset[str]] = _words("ill miss mass wash ore la mo pa sun sat wed mar")
"""Abbreviations that are also ordinary words: abbreviations only when capitalised."""

SENTENCE_STARTERS: Final[frozenset[str]] = _words(
    """
    the a an this that these those there then it its he she his her they their we our i you
    but and so yet or if as at in on of for by to from with after before when while since
    however meanwhile also still now today yesterday here what who why how where
    some many most all both each no not one
    """
)
"""Lower-case words that often open a sentence and rarely follow an abbreviation in a name."""

_CONTINUATION_WORDS: Final[frozenset[str]] = _words(
    "the a an of to for with from by and or but nor that"
)
"""Words after which a line break cannot end a sentence (hard-wrapped text)."""

_SPEECH_VERBS = (
    "said|says|say|asked|asks|told|tells|added|adds|wrote|writes|tweeted|tweets|replied|"
    "replies|explained|explains|insisted|insists|noted|notes|recalled|recalls|shouted|"
    "shouts|exclaimed|exclaims|wondered|wonders|mused|muses|continued|continues|stated|"
    "states|declared|declares|warned|warns|announced|announces|remarked|cried|yelled|"
    "screamed|joked|jokes|quipped|quips"
)

# --------------------------------------------------------------------------- regular expressions

# Line breaks as str.splitlines() sees them ("\r" only when no "\n" follows, so that "\r\n" is
# never two breaks; U+2029 is a paragraph break of its own), and horizontal whitespace
# (whitespace that is not a line break).
_LINE_BREAK = r"(?:\r\n|\r(?!\n)|[\n\v\f\x1c-\x1e\x85\u2028])"
_HSPACE = r"[^\S\n\r\v\f\x1c-\x1e\x85\u2028\u2029]"
_CLOSERS = "\"'\u201d\u2019\u00bb)\\]}"
_QUOTES = "\"'\u201d\u2019\u201c"
_NOT_OPENING = _QUOTES + ",;:.!?)]}"

# The characters a candidate can start with: a line break, U+2029, a CJK stop or terminal
# punctuation. The look-ahead on them is no rule of its own (every branch below starts with one
# of them); it lets the engine reject any other character at once instead of trying each branch
# there, which makes the scan about four times faster on news text.
_CANDIDATE_START = r"\r\n\v\f\x1c-\x1e\x85\u2028\u2029\u3002\uff01\uff1f.?!\u203d\u2026"
_CANDIDATE_BRANCHES = rf"""
    (?P<para>{_LINE_BREAK}(?:{_HSPACE}*{_LINE_BREAK})+|\u2029)
    |(?P<line>{_LINE_BREAK})
    |(?P<cjk>[\u3002\uff01\uff1f]+[{_CLOSERS}\u300d\u300f\uff09]*)
    |(?P<term>\.(?:[ ]\.){{2,}}|[.?!\u203d\u2026]+)(?P<close>[{_CLOSERS}]*)(?=\s|\Z)
    """
_CANDIDATE: Final = re.compile(rf"(?=[{_CANDIDATE_START}])(?:{_CANDIDATE_BRANCHES})", re.VERBOSE)
# A single character class is what the engine scans for fastest (a search with no attempt to
# match at the other characters): :func:`_cuts` finds the start characters with it and tries
# :data:`_CANDIDATE` only there.
_CANDIDATE_CHAR: Final = re.compile(rf"[{_CANDIDATE_START}]")
# Horizontal whitespace and a quote after it: a quote that may close a sentence late.
_LATE_QUOTE: Final = re.compile(rf"{_HSPACE}+[{_QUOTES}]")
_CLOSER_RUN: Final = re.compile(rf"[{_CLOSERS}]*")
# The next word: skip opening quotes, brackets and dashes, then take a run of word characters.
_NEXT_WORD: Final = re.compile(
    r"\s*[\"'\u201c\u2018\u201e\u00ab(\[{\u00bf\u00a1*\u2022\u2013\u2014-]*(\w*)(\.?)"
)
# A short attribution: a capitalised word, a speech verb within the next five words, and at
# most three words after the verb before punctuation ("Smith asked.", "Arians said on Monday,").
_ATTRIBUTION: Final = re.compile(
    rf"\s*[A-Z][\w.'\u2019-]*\s+(?:[\w.'\u2019-]+\s+){{0,4}}(?:{_SPEECH_VERBS})\b"
    r"(?:\s+[\w'\u2019-]+){0,3}\s*[.,;:!?]"
)
_MAX_LIST_NUMBER: Final = 3  # digits of a list number: "1. First item"
_TOKEN_WINDOW: Final = 40  # characters read before a full stop for the token there
_LINE_BREAK_RE: Final = re.compile(_LINE_BREAK)
_COMPOUND: Final = re.compile(r"[-/\u2010\u2013]")
_DIGIT: Final = re.compile(r"\d")
_DOTTED: Final = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_OPENERS = "\"'\u201c\u2018\u201e\u00ab([{"


# --------------------------------------------------------------------------- decisions


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Return the end of ``pattern`` (which matches the empty string) matched at ``pos``."""
    match = pattern.match(text, pos)
    return pos if match is None else match.end()


def _line_continues(text: str, start: int, end: int) -> bool:
    """Tell whether the single line break at ``text[start:end]`` lies inside a sentence.

    The previous line is known not to end with terminal punctuation.
    """
    match = _NEXT_WORD.match(text, end)
    assert match is not None  # the pattern can match the empty string
    word = match.group(1)
    if word[:1].islower():
        return True
    before = text[max(0, start - 40) : start].rstrip()
    if not before:
        return False
    if before[-1] in ",-\u2010\u2013\u2014([{/&":
        return True
    token = before.rsplit(None, 1)[-1]
    return token in _CONTINUATION_WORDS


class _QuoteCounter:
    """Count quote marks on the current line, incrementally (queries only move forward)."""

    __slots__ = ("_closed", "_line_start", "_opened", "_pos", "_straight", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_start = self._pos = self._straight = self._opened = self._closed = 0

    def _advance(self, line_start: int, pos: int) -> None:
        if line_start != self._line_start or pos < self._pos:
            self._line_start = self._pos = line_start
            self._straight = self._opened = self._closed = 0
        text, lo = self._text, self._pos
        self._straight += text.count('"', lo, pos)
        self._opened += text.count("\u201c", lo, pos)
        self._closed += text.count("\u201d", lo, pos)
        self._pos = pos

    def straight_open(self, line_start: int, pos: int) -> bool:
        """Tell whether an odd number of ``"`` stands between ``line_start`` and ``pos``."""
        self._advance(line_start, pos)
        return self._straight % 2 == 1

    def curly_open(self, line_start: int, pos: int) -> bool:
        """Tell whether more opening than closing curly double quotes precede ``pos``."""
        self._advance(line_start, pos)
        return self._opened > self._closed


def _glued_attribution(text: str, pos: int) -> bool:
    """Tell whether the word glued to a quote at ``pos`` reads as an attribution."""
    return text[pos : pos + 1].islower() or _ATTRIBUTION.match(text, pos) is not None


def _decide_term(text: str, match: re.Match[str], line_start: int, quotes: _QuoteCounter) -> int:
    """Return where the sentence ends for a terminal-punctuation candidate, or -1 for none."""
    term_start, cut = match.span()
    size = len(text)

    # Closing quotes written after a space ("Quoted text. "said X): keep them in the sentence.
    late_quote = False
    while (spaced := _LATE_QUOTE.match(text, cut)) is not None:
        quote_at = spaced.end() - 1
        quote = text[quote_at]
        after = text[quote_at + 1 : quote_at + 2]
        # A quote before whitespace, another quote or punctuation cannot open a sentence.
        cannot_open = not after or after.isspace() or after in _NOT_OPENING
        if quote == "\u201c":  # mis-curled, standing alone: "girl. \u201c While"
            closing = after.isspace()
        elif quote == '"':
            closing = cannot_open or (
                _glued_attribution(text, quote_at + 1)
                and quotes.straight_open(line_start, quote_at)
            )
        elif quote == "\u201d":
            closing = cannot_open or (
                _glued_attribution(text, quote_at + 1) and quotes.curly_open(line_start, quote_at)
            )
        else:  # ' and U+2019: an apostrophe when glued to a word
            closing = cannot_open
        if not closing:
            break
        cut = _skip(_CLOSER_RUN, text, quote_at + 1)
        late_quote = True
        if cut < size and not text[cut].isspace():
            return -1  # a word glued to the closing quote: the attribution follows

    following = _NEXT_WORD.match(text, cut)
    assert following is not None  # the pattern can match the empty string
    word = following.group(1)
    if following.end() >= size and not word:
        return cut  # end of text
    first = word[:1]
    if first.islower():
        return -1

    closers = match.group("close")
    term = match.group("term")
    if term != ".":
        quoted = late_quote or any(c in _QUOTES for c in closers)
        if quoted and term[-1] in "?!\u203d" and first.isupper() and _ATTRIBUTION.match(text, cut):
            return -1  # '"Why?" Smith asked.'
        return cut

    # A single full stop.
    if closers.strip(")]}"):
        return cut  # a closing quote: 'He said "no." Then'; brackets go on: "(N.J.) High"
    # The whitespace-delimited token before the full stop, from its last characters (a longer
    # token is no abbreviation anyway).
    lo = term_start - _TOKEN_WINDOW
    window = text[lo if lo > 0 else 0 : term_start]
    if not window or window[-1].isspace():
        return cut
    token = window.rsplit(None, 1)[-1]
    token_start = term_start - len(token)
    token = token.lstrip(_OPENERS)
    if not token:
        return cut
    if token[-1].isdigit():
        if first.isdigit():
            return -1  # "$2. 6 million", "10. 5"
        if (
            len(token) <= _MAX_LIST_NUMBER
            and token.isdigit()
            and not text[line_start:token_start].strip()
        ):
            return -1  # a list number at the start of a line: "1. First item"
        return cut
    # "then-Gov.", "D-W.Va.", "Aoraki/Mt.": the part after the last hyphen or slash decides.
    token = _COMPOUND.split(token)[-1] or token
    lowered = token.lower()
    # Most tokens are plain words: neither listed (the checks below all look up words of
    # ABBREVIATIONS) nor dotted (a single letter, or a letter and a full stop first).
    if lowered not in ABBREVIATIONS and not (
        (len(token) == 1 or token[1] == ".") and _DOTTED.fullmatch(token)
    ):
        return cut
    if lowered in ("no", "nos"):
        return -1 if _DIGIT.search(word) else cut
    starts_sentence = word.lower() in SENTENCE_STARTERS and not following.group(2)
    if lowered in TITLES:
        return cut if starts_sentence else -1  # "on Main St. The", not "St. Louis"
    if lowered in _WORDS_TOO and not token[0].isupper():
        return cut  # "she fell ill. Doctors said" is not "Springfield, Ill."
    # Another listed abbreviation, or a dotted acronym.
    if starts_sentence:
        return cut
    if first.isupper() and text[following.start(1) - 1] in '"\u201c':
        return cut  # 'in Rancho Mirage, Calif. "Lindsay never...': a quote opens
    if first.isupper() and _LINE_BREAK_RE.search(text, cut, following.start(1)):
        return cut  # "Jacksonville, Fla.\nCollier said": a line ends its last sentence
    return -1


def _ends_with_terminal(text: str, start: int) -> bool:
    """Tell whether the line that ends at ``start`` ends with terminal punctuation."""
    before = text[max(0, start - 12) : start].rstrip().rstrip(_CLOSERS)
    return bool(before) and before[-1] in ".?!\u203d\u2026\u3002\uff01\uff1f"


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Yield the matches of :data:`_CANDIDATE` in ``text``, as its ``finditer`` does.

    Only where :data:`_CANDIDATE_CHAR` finds a start character is a match tried; the matches
    are never empty, so the next search starts where a match ends.
    """
    search = _CANDIDATE_CHAR.search
    candidate = _CANDIDATE.match
    pos = 0
    while (found := search(text, pos)) is not None:
        pos = found.start()
        match = candidate(text, pos)
        if match is None:
            pos += 1
        else:
            yield match
            pos = match.end()


def _cuts(text: str) -> list[tuple[int, bool]]:
    """Return the boundaries of ``text`` as ``(offset, ends_paragraph)`` in text order."""
    cuts: list[tuple[int, bool]] = []
    line_start = 0
    quotes = _QuoteCounter(text)
    for match in _candidates(text):
        kind = match.lastgroup
        if kind == "para":
            cut, paragraph = match.start(), True
            line_start = match.end()
        elif kind == "line":
            start = match.start()
            line_start = match.end()
            if _ends_with_terminal(text, start) or _line_continues(text, start, line_start):
                continue
            cut, paragraph = start, False
        elif kind == "cjk":
            cut, paragraph = match.end(), False
        else:
            cut = _decide_term(text, match, line_start, quotes)
            if cut < 0:
                continue
            paragraph = False
        cuts.append((cut, paragraph))
    return cuts


# --------------------------------------------------------------------------- public API


def split_sentences(text: str) -> list[Sentence]:
    r"""Split a text into sentences with offsets into the original text.

    The rules (abbreviations, initials, numbers, quotes, ellipses, headlines, line breaks and
    paragraphs) are described in the module docstring of :mod:`storymatch.text.sentences`.

    Parameters
    ----------
    text : str
        The document, as read: nothing needs to be normalised first.

    Returns
    -------
    list of Sentence
        The sentences in text order. Each satisfies ``text[s.start:s.end] == s.text``, holds
        no leading or trailing whitespace, and carries its running ``index`` and the index of
        its ``paragraph`` (blocks separated by blank lines). Every non-whitespace character
        of ``text`` is in exactly one sentence; a text of whitespace only has none.

    See Also
    --------
    SentenceSplitter : The protocol other splitters implement.
    pysbd_splitter : The same contract around pysbd.

    Examples
    --------
    >>> from storymatch.text.sentences import split_sentences
    >>> text = 'Mr. J. R. R. Smith paid $1.13bn. He said "no." Then he left.'
    >>> [s.text for s in split_sentences(text)]
    ['Mr. J. R. R. Smith paid $1.13bn.', 'He said "no."', 'Then he left.']
    >>> first = split_sentences(text)[1]
    >>> first.start, first.end, text[first.start : first.end]
    (33, 46, 'He said "no."')

    Headlines end at a line break, paragraphs at a blank line:

    >>> page = "Iran responds to US claims\nTehran will not help.\n\nIt was... odd. Really."
    >>> for s in split_sentences(page):
    ...     print(s.index, s.paragraph, s.text)
    0 0 Iran responds to US claims
    1 0 Tehran will not help.
    2 1 It was... odd.
    3 1 Really.
    """
    return [
        Sentence(text[start:end], start, end, index, paragraph)
        for index, (start, end, paragraph) in enumerate(sentence_spans(text))
    ]


def sentence_spans(text: str) -> list[tuple[int, int, int]]:
    r"""Return the sentences of a text as spans: what :func:`split_sentences` finds, unbuilt.

    The same sentences, in the same order, as plain tuples: for callers that split many texts
    and need only the offsets (a frozen :class:`~storymatch.models.Sentence` costs more to
    build than a tuple).

    Parameters
    ----------
    text : str
        The document, as read.

    Returns
    -------
    list of tuple of int
        ``(start, end, paragraph)`` per sentence, in text order: the ``start``, ``end`` and
        ``paragraph`` of the sentences of :func:`split_sentences` (whose ``index`` is the
        position in this list).

    Examples
    --------
    >>> from storymatch.text.sentences import sentence_spans
    >>> sentence_spans("It rained. Then it stopped.\n\nDry.")
    [(0, 10, 0), (11, 27, 0), (29, 33, 1)]
    """
    spans: list[tuple[int, int, int]] = []
    start = 0
    paragraph = 0
    has_content = False
    append = spans.append
    for cut, ends_paragraph in (*_cuts(text), (len(text), False)):
        if cut > start:
            # the chunk without its surrounding whitespace, inline: it runs per sentence
            chunk = text[start:cut]
            stripped = chunk.lstrip()
            if stripped:
                begin = cut - len(stripped)
                append((begin, begin + len(stripped.rstrip()), paragraph))
                has_content = True
            start = cut
        if ends_paragraph and has_content:
            paragraph += 1
            has_content = False
    return spans


def line_spans(text: str) -> np.ndarray[Any, np.dtype[np.int64]]:
    r"""Return the sentences of each line of a text: :func:`sentence_spans` of every line.

    For callers that take each line for a paragraph (pages and feeds reflow text): the spans
    that :func:`sentence_spans` finds on each ``"\n"``-separated line read alone, in one call.
    Lines of ASCII and of Latin-1 letters and symbols (no line break but ``"\n"``, no curly
    quote: :func:`_latin1_codes`) are split by a compiled replay of the same rules
    (:func:`storymatch._kernels.line_sentences`; the tests compare both on every line of the
    shared data sets, on every Latin-1 character where the rules look and on hand-made hard
    cases), the others by :func:`sentence_spans`. The kernels load on the first call.

    Parameters
    ----------
    text : str
        The text, lines separated by ``"\n"``.

    Returns
    -------
    ndarray of int64, shape (n_sentences, 3)
        ``(start, end, line)`` per sentence, in text order: offsets into ``text`` and the
        number of its line (0-based, blank lines counted).

    Examples
    --------
    >>> from storymatch.text.sentences import line_spans
    >>> line_spans("It rained. Then it stopped.\nDry.").tolist()
    [[0, 10, 0], [11, 27, 0], [28, 32, 1]]
    """
    from storymatch._kernels import line_sentences  # noqa: PLC0415 - compiled on first use

    words, flags = word_table()
    if text.isascii():
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    else:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        latin1 = _latin1_codes()
        codes = np.where(codes < len(latin1), latin1[np.minimum(codes, len(latin1) - 1)], codes)
    spans: np.ndarray[Any, np.dtype[np.int64]]
    spans, skipped = line_sentences(codes, words, flags)
    if not len(skipped):
        return spans
    lines = text.split("\n")
    offsets = np.cumsum([0] + [len(line) + 1 for line in lines])
    rows = [
        (offsets[i] + start, offsets[i] + end, i)
        for i in skipped.tolist()
        for start, end in _regex_line_spans(lines[i])
    ]
    joined = np.concatenate([spans, np.array(rows, dtype=np.int64).reshape(-1, 3)])
    return joined[np.argsort(joined[:, 0], kind="stable")]


def latin1_stand_ins() -> np.ndarray[Any, np.dtype[np.uint32]]:
    """Return the code the compiled splitter reads for each character of Latin-1 (256 codes).

    What :func:`line_spans` reads for a character below 256 (:func:`_latin1_codes`): itself,
    a ``LETTER_*`` stand-in, or ``#``.
    """
    return _latin1_codes()


@lru_cache(maxsize=1 << 14)
def _regex_line_spans(line: str) -> tuple[tuple[int, int], ...]:
    """Return the spans of :func:`sentence_spans` on one line that :func:`line_spans` leaves.

    Cached: such a line (one with a character outside ASCII) recurs in the copies of a story.
    """
    return tuple((start, end) for start, end, _ in sentence_spans(line))


@lru_cache(maxsize=1)
def _latin1_codes() -> np.ndarray[Any, np.dtype[np.uint32]]:
    r"""Return the code the compiled splitter reads for each character of Latin-1.

    ASCII reads as itself. Above it, a character that the rules and regular expressions of
    this module see exactly as they see a letter of one case, or as an ASCII symbol that no
    rule names (``#``), reads as that: a letter (alphabetic, not numeric, lower-cased to no
    ASCII, so that it never joins a listed word) as ``LETTER_UPPER``, ``LETTER_LOWER`` or
    ``LETTER_OTHER`` (:mod:`storymatch._kernels`), a symbol without case (``£``, ``©``,
    ``°``) as ``#``. The rest (whitespace, ``\x85``, the quotes and marks that the patterns
    name: ``« » ¿ ¡``; the digits and fractions outside ASCII) keep their code, which sends
    their line to the regexes.
    """
    from storymatch import _kernels  # noqa: PLC0415 - compiled on first use

    named = "\x85\u00ab\u00bb\u00bf\u00a1"
    codes = np.arange(256, dtype=np.uint32)
    for code in range(128, 256):
        char = chr(code)
        if char in named or char.isspace() or char.isnumeric():
            continue
        if char.isalpha():
            if not any(c.isascii() for c in char.lower()):
                codes[code] = (
                    _kernels.LETTER_UPPER
                    if char.isupper()
                    else _kernels.LETTER_LOWER
                    if char.islower()
                    else _kernels.LETTER_OTHER
                )
        elif not (char.isalnum() or char.isupper() or char.islower()):
            codes[code] = ord("#")
    return codes


@lru_cache(maxsize=1)
def word_table() -> tuple[np.ndarray[Any, np.dtype[np.int64]], np.ndarray[Any, np.dtype[np.int64]]]:
    """Return the splitter's word lists as :func:`storymatch._kernels.line_sentences` reads them.

    The codes of the words (:func:`storymatch._kernels.word_code`), ascending, and the flags
    of the lists that hold each.
    """
    from storymatch import _kernels  # noqa: PLC0415 - compiled on first use

    lists = (
        (ABBREVIATIONS, _kernels.WORD_ABBREVIATION),
        (TITLES, _kernels.WORD_TITLE),
        (_WORDS_TOO, _kernels.WORD_ALSO_WORD),
        (SENTENCE_STARTERS, _kernels.WORD_STARTER),
        (frozenset(_SPEECH_VERBS.split("|")), _kernels.WORD_SPEECH_VERB),
        (frozenset(("no", "nos")), _kernels.WORD_NUMBER_SIGN),
    )
    flags: dict[int, int] = {}
    for words, flag in lists:
        for word in words:
            raw = np.frombuffer(word.encode("ascii"), dtype=np.uint8)
            code = int(_kernels.word_code(raw, 0, len(raw), False))
            if code == 0:  # a word the kernel cannot read would be silently missed
                msg = f"the compiled splitter cannot read the listed word {word!r}"
                raise ValueError(msg)
            flags[code] = flags.get(code, 0) | flag
    codes = sorted(flags)
    return np.array(codes, dtype=np.int64), np.array([flags[c] for c in codes], dtype=np.int64)


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> bool:
    """Append ``text[start:end]`` without its surrounding whitespace; False if it is empty."""
    chunk = text[start:end]
    stripped = chunk.lstrip()
    if not stripped:
        return False
    begin = start + len(chunk) - len(stripped)
    stripped = stripped.rstrip()
    sentences.append(Sentence(stripped, begin, begin + len(stripped), len(sentences), paragraph))
    return True


def _paragraph_starts(text: str) -> list[int]:
    """Return the offsets where the paragraphs after the first begin (ends of blank lines)."""
    return [m.end() for m in _CANDIDATE.finditer(text) if m.lastgroup == "para"]


def pysbd_splitter(*, language: str = "en") -> SentenceSplitter:
    """Return a :class:`SentenceSplitter` that runs pysbd.

    pysbd (Sadvilkar and Neumann, 2020) is a rule-based splitter ported from the Ruby gem
    pragmatic_segmenter, with rules for many languages. It is much slower than
    :func:`split_sentences`; use it to compare, or for languages other than English.

    Parameters
    ----------
    language : str, default="en"
        The ISO 639-1 code of the language, as pysbd takes it.

    Returns
    -------
    SentenceSplitter
        A callable that runs ``pysbd.Segmenter(language=language, clean=False,
        char_span=True)`` and returns stripped :class:`~storymatch.models.Sentence` spans with
        ``index`` and ``paragraph`` filled in. pysbd drops a sentence whose text it cannot find
        back in the input (rare); its characters are then in no sentence.

    Raises
    ------
    MissingDependencyError
        If pysbd is not installed (``pip install pysbd``); it is no dependency of storymatch.

    Examples
    --------
    >>> from storymatch.text.sentences import pysbd_splitter
    >>> split = pysbd_splitter()  # doctest: +SKIP
    >>> [s.text for s in split("Mr. Smith left. He was late.")]  # doctest: +SKIP
    ['Mr. Smith left.', 'He was late.']
    """
    try:
        pysbd: Any = importlib.import_module("pysbd")
    except ImportError as exc:
        msg = "pysbd_splitter() needs pysbd, which storymatch does not install: pip install pysbd"
        raise MissingDependencyError(msg) from exc
    segmenter = pysbd.Segmenter(language=language, clean=False, char_span=True)
    segment: Callable[[str], list[Any]] = segmenter.segment

    def split(text: str, /) -> list[Sentence]:
        starts = _paragraph_starts(text)
        sentences: list[Sentence] = []
        last_end, last_block, paragraph = 0, -1, -1
        for span in segment(text):
            start, end = int(span.start), int(span.end)
            if start < last_end:
                logger.debug("pysbd returned an overlapping span at %d; skipped", start)
                continue
            block = bisect.bisect_right(starts, start)
            if _append(sentences, text, start, end, paragraph + (block != last_block)):
                paragraph += block != last_block
                last_block = block
            last_end = end
        return sentences

    return split
