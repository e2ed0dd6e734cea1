"""The widget rule: "Read more" / "RELATED:" widgets and the headlines they quote.

Widgets are the page chrome that hurts near-duplicate detection most: they quote the headline
or first sentence of *another* article (often twice, around the marker line), so a page left
with them looks like a copy of the article it advertises. :func:`strip_widgets` removes them
alone, cheaply enough for the dedup hot path; the full page cleaner
(:func:`storymatch.text.boilerplate.clean`) applies the same rule through
:func:`is_widget_marker` and :func:`widget_lines`. See ``docs/concepts/text.md``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

__all__ = ["MARKER_PHRASES", "is_widget_marker", "strip_widgets", "widget_lines"]

MARKER_PHRASES: tuple[str, ...] = (
    "read more",
    "also read",
    "most read",
    "related",
    "see also",
    "recommended",
    "more from",
)
"""The phrases a widget marker starts with. In a text folded by
:func:`~storymatch.text.normalize.fold_unicode` (NFKC turns the long s into an s), every line
that :func:`is_widget_marker` accepts starts, after spaces and tabs, with one of them in some
mix of ASCII cases, and :func:`strip_widgets` returns a text without such a line unchanged:
near-duplicate detection finds those lines in a compiled pass and calls the rule on their
texts alone."""

_MARKER_LINE = re.compile(
    r"^[ \t]*(?:read more|also read|related(?: articles| stories| news)?|see also|most read|"
    r"recommended(?: for you)?|more from [^\n]{1,40})[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# "RELATED: Council approves new cycle lanes" - a marker and the quoted headline on one line.
_INLINE_MARKER = re.compile(
    r"[ \t]*(?:read more|also read|related(?: articles| stories| news)?|see also|most read)"
    r"[ \t]*:[ \t]*(\S[^\n]*)",
    re.IGNORECASE,
)
# A marker line starts with one of these (after spaces and tabs, which the pattern allows).
_MARKER_FIRST = frozenset(" \trRaAsSmM")
_QUOTE_SIMILARITY = 85.0
_MAX_QUOTE_WORDS = 40


def _has_marker(low: str) -> bool:
    # A cheap pre-check (a few substring searches) before any regular expression runs.
    # Every phrase _MARKER_LINE can match contains one of these.
    return any(phrase in low for phrase in MARKER_PHRASES)


def is_widget_marker(line: str) -> bool:
    """Tell whether ``line`` is a widget marker, alone or with the headline it quotes.

    Parameters
    ----------
    line : str
        One line of a page (surrounding spaces and tabs allowed).

    Returns
    -------
    bool
        True for "Read more", "ALSO READ:", "RELATED: Council approves new cycle lanes".

    Examples
    --------
    >>> is_widget_marker("Read more"), is_widget_marker("Read more about the budget below.")
    (True, False)
    """
    if line[:1] not in _MARKER_FIRST:
        return False
    if _MARKER_LINE.fullmatch(line) is not None:
        return True
    inline = _INLINE_MARKER.fullmatch(line)
    return inline is not None and len(inline.group(1).split()) <= _MAX_QUOTE_WORDS


def strip_widgets(text: str, *, lowercase: bool = False) -> str:
    r"""Remove "Read more"-style widgets and the lines they quote.

    A widget is a line holding only a marker ("Read more", "Also read:", "RELATED:", "SEE
    ALSO:", "Most read", ...). The first non-blank line after it (or, at the end of the text,
    before it) is the quoted headline; it is removed together with every adjacent non-blank
    line that repeats it (fuzzy match, so OCR noise and quote styles do not matter). Quoted
    lines longer than 40 words are left alone: those are article text. A marker followed by a
    colon and the quoted headline on the same line ("RELATED: Council approves new cycle
    lanes") is a widget too, with the adjacent lines that repeat its headline.

    Parameters
    ----------
    text : str
        A page as scraped, blocks separated by line breaks.
    lowercase : bool, default=False
        Promise that ``text`` is lower-case already (saves a copy on the hot path of
        near-duplicate detection).

    Returns
    -------
    str
        The text without widgets; unchanged (the same object) when it has none.

    Examples
    --------
    >>> page = "Body one.\n\nOther story\n\nRead more\n\nOther story\n\nBody two."
    >>> strip_widgets(page)
    'Body one.\n\nBody two.'
    """
    if not _has_marker(text if lowercase else text.lower()):
        return text
    lines = text.split("\n")
    markers = _marker_lines(lines)
    if not markers:
        return text
    drop = widget_lines(lines, markers)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    out = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", out).strip("\n")


def _marker_lines(lines: Sequence[str]) -> list[int]:
    """Return the indices of the lines that hold only a widget marker."""
    return [i for i, line in enumerate(lines) if is_widget_marker(line)]


def widget_lines(
    lines: Sequence[str], markers: Sequence[int], nonblank: Sequence[int] | None = None
) -> set[int]:
    """Return the indices of the marker lines ``markers`` and of the lines they quote.

    The shared core of :func:`strip_widgets` and :func:`storymatch.text.boilerplate.clean`.

    Parameters
    ----------
    lines : sequence of str
        The lines of a page.
    markers : sequence of int
        Indices of its widget marker lines (:func:`is_widget_marker`), ascending.
    nonblank : sequence of int or None, default=None
        Indices of its non-blank lines, ascending; saves a pass when known.

    Returns
    -------
    set of int
        The lines to remove: the markers, the headlines they quote and adjacent repeats.
    """
    drop: set[int] = set()
    if not markers:
        return drop
    # imported here: most pages have no widget, and dedup need not load rapidfuzz for them
    from rapidfuzz import fuzz  # noqa: PLC0415

    if nonblank is None:
        nonblank = [j for j, line in enumerate(lines) if line.strip()]
    for i in markers:
        drop.add(i)
        pos = bisect_right(nonblank, i)  # nonblank[pos:] lie after the marker
        after = nonblank[pos:]
        before = nonblank[: pos - 1 if pos and nonblank[pos - 1] == i else pos][::-1]
        inline = _INLINE_MARKER.fullmatch(lines[i])
        if inline is not None and _MARKER_LINE.fullmatch(lines[i]) is None:
            anchor: int | None = i  # the headline is on the marker line itself
            quoted = inline.group(1).strip().lower()
        else:
            anchor = after[0] if after else (before[0] if before else None)
            if anchor is None or len(lines[anchor].split()) > _MAX_QUOTE_WORDS:
                continue
            if is_widget_marker(lines[anchor]):
                continue
            quoted = lines[anchor].lower()
            drop.add(anchor)
        for side in (after, before):
            for j in side:
                if j == anchor:
                    continue
                if fuzz.ratio(lines[j].lower(), quoted, score_cutoff=_QUOTE_SIMILARITY) > 0:
                    drop.add(j)
                else:
                    break
    return drop
