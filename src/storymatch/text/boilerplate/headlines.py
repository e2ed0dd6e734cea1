"""The headline rules of the page cleaner: the headline, its copies, standfirst and mastheads.

Scraped pages repeat the headline (twice or three times, truncated, behind a kicker such as
"BREAKING:", glued to the standfirst) and put mastheads and section labels above it.
:func:`mark_headlines` finds the headline among the lines the line rules left (the content
lines), marks every copy, the decks under it and the short lines above it, and repeats until
nothing more is marked, so that cleaning is idempotent. The order of the rules is in
``docs/concepts/text.md``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from storymatch.text.boilerplate.rules import CLOSERS, capitalised, is_section_label, sentence_like

__all__ = ["mark_headlines"]

_HEAD_WINDOW = 12
_MAX_HEADLINE_WORDS = 30
_MAX_TITLE_WORDS = 20
_MAX_TITLE_RUN = 3
_HEADLINE_SIMILARITY = 90.0
# Copies of a headline differ from it by at most this many characters (a kicker, quotes).
_MAX_LENGTH_GAP = 16
_KICKER = re.compile(
    r"(?:breaking(?: news)?|update[d]?(?:\s*\d+)?|watch|video|exclusive|live|just in|"
    r"developing)\s*[:\-\u2013\u2014]\s*",
    re.IGNORECASE,
)
_KICKER_FIRST = frozenset("bBuUwWvVeElLjJdD")
_MAX_MASTHEAD_WORDS = 6
_MIN_BODY_WORDS = 8
_MAX_TITLE_CHARS = 200
_MIN_KEY_CHARS = 2
_MIN_TRUNCATED_CHARS = 3
_MIN_GLUED_CHARS = 10
_LOOSE_CACHE = 1 << 14


def _strip_kicker(s: str) -> str:
    match = _KICKER.match(s)
    if match is not None and match.end() < len(s):
        return s[match.end() :].strip()
    return s


def _title_like(s: str, n_words: int) -> bool:
    """Tell whether ``s`` can be a headline: short, capitalised, no sentence ending.

    A headline may end with "?" or "!" when at least 40% of its words are capitalised
    ("Hey, Jamal Williams: Hire a Driver!"), unlike a sentence ("It's about time, right?").
    """
    if n_words > _MAX_TITLE_WORDS or len(s) > _MAX_TITLE_CHARS:
        return False
    first = s.lstrip("\"'\u201c\u2018(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if not sentence_like(s):
        return True
    if s.rstrip(CLOSERS)[-1:] not in "?!":
        return False
    parts = s.split()
    return sum(1 for w in parts if capitalised(w)) >= 0.4 * len(parts)


def _same_headline(line: str, n_words: int, low: str, head: str, head_low: str) -> bool:
    """Tell whether ``line`` is a copy of ``head`` (``low``, ``head_low``: :func:`_loose`)."""
    if low == head_low:
        return True
    if n_words > _MAX_HEADLINE_WORDS or abs(len(line) - len(head)) > _MAX_LENGTH_GAP:
        return False
    if len(line) > len(head) and sentence_like(line) and not sentence_like(head):
        return False
    return fuzz.ratio(low, head_low, score_cutoff=_HEADLINE_SIMILARITY) > 0


def _copy_of(line: str, n_words: int, in_head: bool, head: str, head_low: str) -> str | None:
    """Tell how ``line`` copies the headline ``head`` (``head_low``: :func:`_loose`).

    Returns ``"copy"`` (:func:`_same_headline`), and for a line of the head zone (``in_head``)
    also ``"truncated"`` (a start of it), ``"glued"`` (a standfirst with the headline glued
    on) or ``"fuller"`` (the headline and more); else None.
    """
    gap = len(line) - len(head)
    if not in_head:
        if n_words > _MAX_HEADLINE_WORDS or abs(gap) > _MAX_LENGTH_GAP:
            return None
    elif (
        abs(gap) > _MAX_LENGTH_GAP
        and line[-1] != head[-1]
        and line[0].lower() != head_low[:1]
        and line[0] not in _KICKER_FIRST
    ):
        return None  # neither a copy, nor a truncated, glued or fuller one
    low = _loose(line)
    if _same_headline(line, n_words, low, head, head_low):
        return "copy"
    if not in_head or len(low) < _MIN_KEY_CHARS:
        return None
    if head_low.startswith(low):
        return "truncated"
    if len(head_low) >= _MIN_GLUED_CHARS and low.endswith(head_low):
        return "glued"
    if low.startswith(head_low) and n_words <= _MAX_TITLE_WORDS and not sentence_like(line):
        return "fuller"
    return None


def _title_run(body: list[str], words: list[int], idx: list[int], content: list[int]) -> list[int]:
    """Return the headline block atop the ``content`` lines: 1 to 3 headline-like lines."""
    run: list[int] = []
    for c_pos, k in enumerate(content):
        if not _title_like(body[k], words[k]):
            return run  # more text follows the run
        if c_pos + 1 == len(content):
            return []  # nothing after the run: not a headline block
        nxt = content[c_pos + 1]
        if idx[nxt] - idx[k] == nxt - k and body[nxt][:1].islower():
            return run  # a paragraph wrapped over lines of one block, not a headline
        run.append(k)
        if len(run) > _MAX_TITLE_RUN:
            return []
    return []


def _first_letter(s: str) -> str:
    """Return the first character of ``s`` after any kicker, lower-cased."""
    if s[0] in _KICKER_FIRST:
        s = _strip_kicker(s)
    return s[:1].lower()


@lru_cache(maxsize=_LOOSE_CACHE)
def _loose(s: str) -> str:
    """``s`` without a kicker, lower-cased, runs of whitespace as one space.

    Cached: a page's headline is compared with its lines in each round, and with the same
    title and lines of the page's copies.
    """
    if s[0] in _KICKER_FIRST:
        s = _strip_kicker(s)
    return " ".join(s.lower().split())


def _given_head(body: list[str], kinds: list[str | None], title: str | None) -> str | None:
    """Return the headline the first round takes from ``title``: its first copy, or itself.

    None without a title (or with a blank one): the round then looks for a headline.
    """
    if title is None:
        return None
    if "headline" in kinds:
        return body[kinds.index("headline")]
    return title.strip() or None


def _quiet_page(
    body: list[str], words: list[int], content: list[int], head: str | None, title: str | None
) -> bool:
    """Tell whether a round of :func:`_headline_round` over ``content`` would mark no line.

    So when the body starts at the first content line (a sentence of eight words or more, or a
    very long line, not repeated in the head window) and that line is not title-like: nothing
    lies above the body, the page has no headline block, and the round's headline is ``head``
    (the one it takes from the title passed in: see :func:`_given_head`), or none. What is
    left is that no content line be a copy of ``head`` (or of ``title``) by
    :func:`_copy_of`. :func:`mark_headlines` answers such a page (most pages) without a
    round, and stops at such a round after the first (``head`` and ``title`` None).
    """
    if not content:
        return True
    first = body[content[0]]
    n_first = words[content[0]]
    if n_first <= _MAX_HEADLINE_WORDS and (n_first < _MIN_BODY_WORDS or not sentence_like(first)):
        return False
    if n_first <= _MAX_TITLE_WORDS and _title_like(first, n_first):
        return False
    for k in content[1:_HEAD_WINDOW]:
        if body[k] == first:
            return False
    if head is None:
        return True  # no copies to look for
    # The round looks for copies of each of its headlines (mostly one) in the content lines:
    # only a line of the head window with as few words as one, or one of a headline's words
    # and length, may be one; those are tested as the round tests them.
    heads = [head]
    h_words = head.count(" ") + 1
    shortest = longest = len(head)
    other = title.strip() if title is not None else ""
    if other and other != head and _loose(title) != _loose(head):
        heads.append(other)  # (a second copy of ``head`` would find nothing more)
        h_words = max(h_words, other.count(" ") + 1)
        shortest, longest = min(shortest, len(other)), max(longest, len(other))
    shortest -= _MAX_LENGTH_GAP
    longest += _MAX_LENGTH_GAP
    for c_pos, k in enumerate(content):
        n = words[k]
        if (n <= _MAX_HEADLINE_WORDS and shortest <= len(body[k]) <= longest) or (
            n <= h_words and c_pos < _HEAD_WINDOW
        ):
            for h in heads:
                in_head = c_pos < _HEAD_WINDOW and n <= h.count(" ") + 1
                if _copy_of(body[k], n, in_head, h, _loose(h)) is not None:
                    return False
    return True


def mark_headlines(
    body: list[str],
    words: list[int],
    kinds: list[str | None],
    idx: list[int],
    title: str | None,
    *,
    headlines: bool,
    chrome: bool,
) -> tuple[str | None, str | None]:
    r"""Mark the headline lines (and section labels) in place; return title and standfirst.

    The headline rules run again on what they leave until they mark nothing more, so that
    cleaning a cleaned text changes nothing. Positions count *content* lines only (lines no
    other rule removed), which are exactly the lines a second cleaning sees.

    Parameters
    ----------
    body : list of str
        The non-blank lines of the page, stripped.
    words : list of int
        Their word counts (:func:`storymatch.text.boilerplate.rules.word_count`).
    kinds : list of str or None
        Their kinds so far (None for a content line); updated in place with ``"headline"``,
        ``"standfirst"`` and ``"navigation"``.
    idx : list of int
        Their line numbers in the page (to tell lines of one block from lines of two).
    title : str or None
        The headline passed in, whose copies the line pass already marked ``"headline"``.
    headlines : bool
        Apply the headline rules.
    chrome : bool
        Mark section labels and mastheads above the headline.

    Returns
    -------
    title : str or None
        The headline found (without a kicker), or None.
    standfirst : str or None
        The decks under it, lines joined by ``"\n"``, or None.
    """
    content = [k for k, kind in enumerate(kinds) if kind is None]
    head = _given_head(body, kinds, title)
    if _quiet_page(body, words, content, head, title):
        # The round would mark nothing (most pages): its answer, without it.
        if not headlines or head is None:
            return None, None
        return (_strip_kicker(head) if head[0] in _KICKER_FIRST else head), None
    found: str | None = None
    standfirst: list[str] = []
    first_round = True
    while True:
        if not first_round:
            content = [k for k in content if kinds[k] is None]
            if _quiet_page(body, words, content, None, None):
                break  # the round would mark nothing: the fixed point
        head, deck = _headline_round(
            body,
            words,
            kinds,
            idx,
            content,
            title if first_round else None,
            headlines=headlines,
            chrome=chrome,
        )
        if first_round:
            found = head
        standfirst += deck
        first_round = False
        if all(kinds[k] is None for k in content):
            break  # nothing marked in this round: a fixed point
    return found, "\n".join(standfirst) if standfirst else None


def _headline_round(
    body: list[str],
    words: list[int],
    kinds: list[str | None],
    idx: list[int],
    content: list[int],
    title: str | None,
    *,
    headlines: bool,
    chrome: bool,
) -> tuple[str | None, list[str]]:
    """One round of the headline rules over ``content``; return the headline and decks."""
    window = content[:_HEAD_WINDOW]
    # The first body paragraph: a sentence of eight words or more, or a very long line.
    body_start = len(window)
    for c_pos, k in enumerate(window):
        n = words[k]
        # A repeated line is a headline, not the body ("BREAKING: ... wall!'" twice).
        if (n > _MAX_HEADLINE_WORDS or (n >= _MIN_BODY_WORDS and sentence_like(body[k]))) and body[
            k
        ] not in [body[j] for j in window[c_pos + 1 :]]:
            body_start = c_pos
            break
    above = window[:body_start]
    if chrome:
        for k in above:
            if is_section_label(body[k], words[k]):
                kinds[k] = "navigation"
        above = [k for k in above if kinds[k] is None]
    if not headlines:
        return None, []

    # 0. The title passed in, found on the page (marked by the line pass).
    head: str | None = None
    first_copy = -1
    if title is not None and "headline" in kinds:
        first_copy = kinds.index("headline")
        head = body[first_copy]
    # 1. A line repeated above the body (exactly, fuzzily, truncated, or glued to another).
    top = [k for k in above if words[k] <= _MAX_HEADLINE_WORDS] if head is None else []
    ends = {k: (body[k][-1], _first_letter(body[k])) for k in top}
    for a_pos, a in enumerate(top):
        a_last, a_first = ends[a]
        for b in top[a_pos + 1 :]:
            b_last, b_first = ends[b]
            gap = abs(len(body[a]) - len(body[b]))
            if a_first != b_first and a_last != b_last and gap > _MAX_LENGTH_GAP:
                continue
            la, lb = _loose(body[a]), _loose(body[b])
            if len(la) < _MIN_KEY_CHARS:
                break
            if la == lb or _same_headline(body[b], words[b], lb, body[a], la):
                head, first_copy = body[a], a
            elif (
                lb.startswith(la) and len(la) >= _MIN_TRUNCATED_CHARS and not sentence_like(body[b])
            ):
                head, first_copy = body[b], b  # a is a truncated copy above it
            elif lb.endswith(la) and len(lb) > len(la) and len(la) >= _MIN_GLUED_CHARS:
                head, first_copy = body[a], a
            if head is not None:
                break
        if head is not None:
            break
    # 2. A line with a kicker ("BREAKING:", "UPDATE 1-").
    if head is None:
        for k in top:
            if (
                body[k][0] in _KICKER_FIRST
                and _KICKER.match(body[k]) is not None
                and _title_like(body[k], words[k])
            ):
                head, first_copy = body[k], k
                break
    # 3. The headline block at the top of the page.
    if head is None:
        run = _title_run(body, words, idx, content)
        if run:
            head, first_copy = body[run[0]], run[0]
    # 4. The title passed in.
    if head is None and title is not None and title.strip():
        head = title.strip()
    if head is None:
        return None, []

    found = _strip_kicker(head)
    deck: list[str] = []
    heads = [head]
    if title is not None and title.strip() and _loose(title) != _loose(head):
        heads.append(title.strip())
    # The head zone (the lines above the body, which is what is left of ``above``: the lines
    # marked since are skipped) ends before line ``zone_end``; the window before ``window_end``.
    window_end = window[-1] + 1 if window else 0
    zone_end = window[body_start] if body_start < len(window) else window_end
    for h in heads:
        h_low = _loose(h)
        h_words = h.count(" ") + 1
        for k in content:
            if kinds[k] is not None:
                continue
            n = words[k]
            line = body[k]
            how = _copy_of(line, n, k < zone_end or (k < window_end and n <= h_words), h, h_low)
            if how is None:
                continue
            if how == "copy":
                kinds[k] = "headline"
                if first_copy < 0:
                    first_copy = k
            elif how == "truncated":
                if first_copy < 0 or k < first_copy:
                    kinds[k] = "headline"  # a truncated copy above the headline
            elif how == "glued":
                kinds[k] = "standfirst"  # the standfirst with the headline glued on
                cut = line.lower().rfind(h.lower()[:12])
                deck.append(line[:cut].strip() if cut > 0 else line)
            else:
                kinds[k] = "headline"  # a fuller copy: the best title
                if h is head and len(line) > len(found):
                    found = _strip_kicker(line)
    # Mastheads and section labels above the first copy of the headline.
    if first_copy in window:
        for k in window:
            if k >= first_copy:
                break
            if kinds[k] is None and words[k] <= _MAX_MASTHEAD_WORDS and not sentence_like(body[k]):
                kinds[k] = "navigation"
    # What is left of the headline block: decks (standfirsts) under the headline.
    for k in _title_run(body, words, idx, [k for k in content if kinds[k] is None]):
        kinds[k] = "standfirst"
        deck.append(body[k])
    return found, deck
