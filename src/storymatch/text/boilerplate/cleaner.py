r"""The page cleaner: the article body out of a scraped page, every removal kept for audit.

:func:`clean` reads a page line by line (lines end at ``"\n"``; ``"\r\n"`` works too) and
removes the lines that are page chrome, not article text: widgets
(:mod:`~storymatch.text.boilerplate.widgets`), the line rules
(:mod:`~storymatch.text.boilerplate.rules`), learned template lines
(:mod:`~storymatch.text.boilerplate.model`) and the headline rules
(:mod:`~storymatch.text.boilerplate.headlines`). Each removed line is recorded as a
:class:`Removal` with its *kind* and its span in the original text, so a report can show it and
a user can check it. The headline, the standfirst (deck), the first byline and the first
dateline come back as metadata (:class:`CleanedText`), not as body text.

What is kept is returned stripped of surrounding whitespace, line by line, in the original
order: lines of one block (lines not separated by a blank line) are joined by ``"\n"``, blocks
by ``"\n\n"``. Every output line is therefore a line of the input, and cleaning never adds text.

The rules, with examples of each kind, their order and their measured cost, are in
``docs/concepts/text.md`` ("Page chrome").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from storymatch.text.boilerplate.headlines import mark_headlines
from storymatch.text.boilerplate.rules import line_kind, word_count
from storymatch.text.boilerplate.widgets import is_widget_marker, widget_lines

__all__ = ["CleanedText", "Removal", "clean", "clean_page"]


@dataclass(frozen=True, slots=True)
class Removal:
    """One line that :func:`clean` removed.

    Parameters
    ----------
    kind : str
        Why it was removed: ``"headline"``, ``"standfirst"``, ``"widget"``, ``"caption"``,
        ``"byline"``, ``"dateline"``, ``"navigation"``, ``"share"``, ``"comment"``,
        ``"advertisement"``, ``"copyright"``, ``"credit"`` or ``"template"``.
    text : str
        The line, stripped of surrounding whitespace: ``original[start:end] == text``.
    start : int
        Offset of its first character in the original text.
    end : int
        Offset just past its last character.
    """

    kind: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return the removal as a plain dict for JSON output."""
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Removal:
        """Build a removal from :meth:`to_dict` output."""
        return cls(
            str(record["kind"]), str(record["text"]), int(record["start"]), int(record["end"])
        )


@dataclass(frozen=True, slots=True)
class CleanedText:
    r"""The article body of one page, its metadata and what was removed.

    Parameters
    ----------
    text : str
        The article body: kept lines stripped, joined by ``"\n"`` within a block and by
        ``"\n\n"`` between blocks.
    title : str or None, default=None
        The headline found on the page (without a kicker such as "BREAKING:"), else the
        ``title`` passed to :func:`clean`, else None.
    standfirst : str or None, default=None
        The deck under the headline (the lines of the headline block after the headline, or
        the part of a line in front of a glued-on headline), lines joined by ``"\n"``.
    byline : str or None, default=None
        The first byline, without a leading "By", or None.
    dateline : str or None, default=None
        The first dateline as it stands on the page, or None.
    removed : tuple of Removal, default=()
        Every removed line, in page order, with its span in the original text.
    """

    text: str
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    dateline: str | None = None
    removed: tuple[Removal, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a plain dict for JSON output."""
        return {
            "text": self.text,
            "title": self.title,
            "standfirst": self.standfirst,
            "byline": self.byline,
            "dateline": self.dateline,
            "removed": [r.to_dict() for r in self.removed],
        }

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> CleanedText:
        """Build a result from :meth:`to_dict` output."""
        return cls(
            text=str(record["text"]),
            title=record.get("title"),
            standfirst=record.get("standfirst"),
            byline=record.get("byline"),
            dateline=record.get("dateline"),
            removed=tuple(Removal.from_dict(r) for r in record.get("removed", ())),
        )


# Removal is frozen: its generated __init__ sets each field through object.__setattr__. The
# slots' own setters, called directly, make the same (equal, hashable, picklable) object in half
# the time; the members of the copies' groups at 100,000 documents have about 73,000 removals.
_NEW_REMOVAL = object.__new__
_SET_KIND, _SET_TEXT, _SET_START, _SET_END = (
    getattr(Removal, name).__set__ for name in Removal.__slots__
)

_METADATA_KINDS = frozenset(("dateline", "byline"))
_LINE_CACHE = 1 << 16
# Lines up to this long are read once each (_line_reader): chrome lines recur across a corpus's
# pages. Longer ones are paragraphs, mostly distinct, that the cache would only keep alive.
_MAX_CACHED_CHARS = 320

_Facts = tuple[str, int, bool, str | None]
"""What the line pass reads off one line: see :func:`_read_line`."""


def _read_line(
    line: str, widgets: bool, chrome: bool, datelines: bool, bylines: bool, captions: bool
) -> _Facts:
    """Return what the line pass of :func:`clean_page` reads off one line of a page.

    Returns
    -------
    tuple
        The stripped line (empty for a blank one), its
        :func:`~storymatch.text.boilerplate.rules.word_count`, whether it is a widget marker
        (when ``widgets``), and the kind the line rules give it
        (:func:`~storymatch.text.boilerplate.rules.line_kind`, whichever way the widget and
        headline tests go).
    """
    s = line.strip()
    if not s:
        return s, 0, False, None
    n_words = word_count(s)
    kind = line_kind(
        s, n_words, chrome=chrome, datelines=datelines, bylines=bylines, captions=captions
    )
    marker = widgets and is_widget_marker(line)
    return s, n_words, marker, kind


_READERS: dict[tuple[bool, bool, bool, bool, bool], Callable[[str], _Facts]] = {}


def _line_reader(
    widgets: bool, chrome: bool, datelines: bool, bylines: bool, captions: bool
) -> Callable[[str], _Facts]:
    """Return :func:`_read_line` under these switches, each distinct line read once.

    One cache of up to ``_LINE_CACHE`` lines per set of switches that has been used (most
    programs use one), keyed by the line alone: a hit costs one dictionary lookup.
    """
    switches = (widgets, chrome, datelines, bylines, captions)
    read = _READERS.get(switches)
    if read is None:
        read = _READERS[switches] = lru_cache(maxsize=_LINE_CACHE)(
            partial(
                _read_line,
                widgets=widgets,
                chrome=chrome,
                datelines=datelines,
                bylines=bylines,
                captions=captions,
            )
        )
    return read


def _forget_lines() -> None:
    """Empty the caches of :func:`_line_reader` (for tests: a line then is read anew)."""
    _READERS.clear()


def clean_page(
    text: str,
    title: str | None,
    *,
    headlines: bool,
    widgets: bool,
    captions: bool,
    bylines: bool,
    datelines: bool,
    chrome: bool,
    is_template: Callable[[str], bool] | None = None,
) -> CleanedText:
    """Clean one page: the engine of :func:`clean` and of ``BoilerplateModel.clean``.

    Parameters
    ----------
    text : str
        The page.
    title : str or None
        The headline when known (see :func:`clean`).
    headlines, widgets, captions, bylines, datelines, chrome : bool
        The steps of :func:`clean`, every one given.
    is_template : callable or None, default=None
        Tells whether a stripped line that no rule removed is a learned template line
        (removed with kind ``"template"``).

    Returns
    -------
    CleanedText
        As :func:`clean`.
    """
    raw = text.split("\n")
    read = _line_reader(widgets, chrome, datelines, bylines, captions)
    markers: list[int] = []
    # Per non-blank line: index, stripped text, word count, kind (None: kept).
    idx: list[int] = []
    body: list[str] = []
    words: list[int] = []
    kinds: list[str | None] = []
    byline: str | None = None
    dateline: str | None = None
    given = title.strip() if title is not None and headlines else None
    meta = False
    for i, line in enumerate(raw):
        if not line:
            continue  # an empty line (a third of a page's), blank as _read_line reads it
        if line == given:  # the headline passed in: whatever the line rules say of it
            s, n_words, marker, kind = (
                line,
                word_count(line),
                widgets and is_widget_marker(line),
                None,
            )
        elif len(line) <= _MAX_CACHED_CHARS:
            s, n_words, marker, kind = read(line)
        else:
            s, n_words, marker, kind = _read_line(
                line, widgets, chrome, datelines, bylines, captions
            )
        if not s:
            continue
        if marker:
            markers.append(i)
            kind = "widget"
        elif s == given:
            kind = "headline"
        elif kind is None:
            if is_template is not None and is_template(s):
                kind = "template"
        elif kind in _METADATA_KINDS:
            meta = True
        idx.append(i)
        body.append(s)
        words.append(n_words)
        kinds.append(kind)
    if markers:
        k_of = {i: k for k, i in enumerate(idx)}
        for i in widget_lines(raw, markers, idx):
            kinds[k_of[i]] = "widget"
    for k, kind in enumerate(kinds if meta else ()):
        if kind == "dateline" and dateline is None:
            dateline = body[k]
        elif kind == "byline" and byline is None:
            s = body[k]
            byline = s[3:].strip() if s[:3].lower() == "by " else s

    found_title: str | None = None
    standfirst: str | None = None
    if headlines or chrome:
        found_title, standfirst = mark_headlines(
            body, words, kinds, idx, title, headlines=headlines, chrome=chrome
        )
    if found_title is None and title is not None:
        found_title = title

    removed: list[Removal] = []
    blocks: list[str] = []
    current: list[str] = []
    at = offset = 0  # a line number and the offset of that line in the text
    last = -2
    for k, i in enumerate(idx):
        if i > last + 1 and current:  # a blank line since the last non-blank one
            blocks.append("\n".join(current))
            current = []
        last = i
        kind = kinds[k]
        if kind is None:
            current.append(body[k])
        else:
            if i > at:
                offset += sum(map(len, raw[at:i])) + i - at  # with their line breaks
                at = i
            line, s = raw[i], body[k]
            start = offset + len(line) - len(line.lstrip())
            # Removal(kind, s, start, start + len(s)), through its slots' setters (see above)
            removal = _NEW_REMOVAL(Removal)
            _SET_KIND(removal, kind)
            _SET_TEXT(removal, s)
            _SET_START(removal, start)
            _SET_END(removal, start + len(s))
            removed.append(removal)
    if current:
        blocks.append("\n".join(current))
    return CleanedText(  # positional: the fields in order
        "\n\n".join(blocks), found_title, standfirst, byline, dateline, tuple(removed)
    )


def clean(
    text: str,
    *,
    title: str | None = None,
    headlines: bool = True,
    widgets: bool = True,
    captions: bool = True,
    bylines: bool = True,
    datelines: bool = True,
    chrome: bool = True,
) -> CleanedText:
    r"""Strip page chrome from one page and return the article body, metadata and removals.

    Parameters
    ----------
    text : str
        A page as scraped, blocks separated by line breaks.
    title : str or None, default=None
        The headline when it is known (``Article.title``): its copies are removed and it is
        returned as ``title``. Without it the headline is inferred from the page.
    headlines : bool, default=True
        Remove the headline and its copies (repeated, truncated, glued to the standfirst) and
        the short masthead lines above it; return it as ``title``.
    widgets : bool, default=True
        Remove "Read more" / "RELATED:" widgets with the headlines they quote.
    captions : bool, default=True
        Remove photo captions and credit lines ("FILE PHOTO: ... © ... / AFP", "(Reuters)").
    bylines : bool, default=True
        Remove bylines ("By Jane Doe", "Metro Dispatch Wire"); the first becomes ``byline``.
    datelines : bool, default=True
        Remove date lines ("Posted 12/19/2005 3: 36 PM"); the first becomes ``dateline``.
    chrome : bool, default=True
        Remove navigation, share, comment, advertisement, copyright and credit lines.

    Returns
    -------
    CleanedText
        The body, the headline, byline and dateline found, and every removed line with its
        kind and span in ``text``.

    See Also
    --------
    storymatch.text.boilerplate.strip_widgets : the widget rule alone, on the dedup hot path.
    BoilerplateModel : learns the lines of each site's template from a corpus.

    Notes
    -----
    A rule only ever removes a whole line, and only a line that is short or shaped like chrome
    (the rules are listed in ``docs/concepts/text.md``), so article paragraphs survive: on
    ECB+, BASIL and news_pool more than 99.5% of the sentences stay in the body
    (``benchmarks/cleaning.py``). Switching a step off keeps its lines in the body; with
    ``headlines=False`` the ``title`` returned is the one passed in.

    Examples
    --------
    >>> page = (
    ...     "Skip to content\n\nBridge reopens after repairs\n\nBridge reopens after repairs\n\n"
    ...     "By Jane Doe\n\nPosted 12/19/2005 3: 36 PM\n\n"
    ...     "The Kestrel Street bridge reopened on Monday after six weeks of repairs.\n\n"
    ...     "Advertisement\n\nTraffic was light, officials said.\n\nShare on Twitter"
    ... )
    >>> result = clean(page)
    >>> print(result.text)
    The Kestrel Street bridge reopened on Monday after six weeks of repairs.
    <BLANKLINE>
    Traffic was light, officials said.
    >>> result.title, result.byline, result.dateline
    ('Bridge reopens after repairs', 'Jane Doe', 'Posted 12/19/2005 3: 36 PM')
    >>> [r.kind for r in result.removed]
    ['navigation', 'headline', 'headline', 'byline', 'dateline', 'advertisement', 'share']
    >>> r = result.removed[-1]
    >>> r.kind, page[r.start : r.end]
    ('share', 'Share on Twitter')
    """
    return clean_page(
        text,
        title,
        headlines=headlines,
        widgets=widgets,
        captions=captions,
        bylines=bylines,
        datelines=datelines,
        chrome=chrome,
    )
