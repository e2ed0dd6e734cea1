"""Where aligned sentences disagree: numbers, dates, quotations, names, attribution.

Two reports' cells of one claim are compared by two pure functions:

- :func:`find_conflicts` returns the places where the two texts disagree on a number or
  quantity, a date, the words of a quotation, a name, or the attribution (a hedge), each naming
  the words on both sides as written.
- :func:`find_framing` returns the reporting verbs of different classes (``said`` against
  ``claimed``): how each outlet frames a statement, not a disagreement on the facts.

Conflict detection is tuned for precision: a false conflict on every claim would bury the real
ones, so each rule only fires when both texts state the fact and the two statements can be lined
up (same unit, same neighbour words, same quotation, same slot of the diff). What one text states
and the other leaves out is an omission, not a conflict.

Each text is analysed once (tokens, quantities, dates, quotations, reporting verbs) and the
analysis kept in a small cache, since a text is compared with every other cell of its claim.
One module per kind of fact: :mod:`.numbers`, :mod:`.dates`, :mod:`.quotes`, :mod:`.names`,
:mod:`.attribution`; what they share is in ``_common``. The word-level diff is
:mod:`storymatch.differ.worddiff`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Final

from storymatch.differ.conflicts._common import Analysis, Found
from storymatch.differ.conflicts.attribution import (
    attribution_conflicts,
    verb_framing,
    verbs_and_hedges,
)
from storymatch.differ.conflicts.dates import date_conflicts, read_dates
from storymatch.differ.conflicts.names import is_title_case, name_conflicts
from storymatch.differ.conflicts.numbers import number_conflicts, read_quantities
from storymatch.differ.conflicts.periods import period_conflicts, read_periods
from storymatch.differ.conflicts.quotes import quote_conflicts, quote_spans, read_quotes
from storymatch.models import Conflict, ConflictKind
from storymatch.text.numbers import pair_quantities
from storymatch.text.tokens import CACHE_SIZE, WORD, tokenize

__all__ = ["find_conflicts", "find_framing"]


@lru_cache(maxsize=CACHE_SIZE)
def _analyse(text: str, published: dt.date | None = None) -> Analysis:
    """Read what the rules need of ``text``: quotations, then verbs outside them, dates, amounts.

    ``published`` is the date relative dates (``earlier this year``) count from.
    """
    tokens = tokenize(text)
    spans = quote_spans(text)
    quoted = frozenset(
        i for i, t in enumerate(tokens) if any(a <= t.start and t.end <= b for a, b in spans)
    )
    verbs, hedges, modals = verbs_and_hedges(tokens, quoted)
    report_verbs = frozenset(i for i, _ in verbs)
    dates, used = read_dates(tokens, report_verbs)
    return Analysis(
        text=text,
        tokens=tokens,
        quantities=read_quantities(tokens, used),
        dates=dates,
        periods=read_periods(tokens, dates, report_verbs, quoted, published),
        quotes=read_quotes(text, tokens, spans),
        verbs=verbs,
        hedges=hedges,
        modals=modals,
        keys=frozenset(t.key for t in tokens),
        lower_keys=frozenset(t.key for t in tokens if t.kind == WORD and t.text.islower()),
        cap_keys=frozenset(t.key for t in tokens if t.cap and not t.initial),
        title_case=is_title_case(tokens),
    )


_KIND_ORDER: Final[dict[ConflictKind, int]] = {
    "number": 0,
    "date": 1,
    "quote": 2,
    "name": 3,
    "attribution": 4,
}


def find_conflicts(
    left_id: str,
    left: str,
    right_id: str,
    right: str,
    *,
    left_published: dt.date | None = None,
    right_published: dt.date | None = None,
    confident: bool = True,
) -> tuple[Conflict, ...]:
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
      (``Monday`` vs ``Tuesday``, ``March 3`` vs ``March 4``, ``in 2003`` vs ``in 2004``);
      and, for the same past-tense verb, days that do not overlap where one side's date is
      relative to its publication date (``repaid ... earlier this year`` in a 2018 report
      vs ``repaid ... in 2017``) or bounded by a dated statement (``said in 2017 that he
      repaid``: no later than 2017). See :mod:`storymatch.differ.conflicts.periods`.
    - ``"quote"``: the same quotation (most of its words shared) with different words inside,
      or with its clauses in another order.
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
    left_published, right_published : datetime.date or None, default=None
        Publication dates of the two texts' reports; relative dates (``last year``,
        ``earlier this month``, ``yesterday``) are read only where one is given.
    confident : bool, default=True
        Whether the alignment of the two texts is confident. When False only a date
        conflict by verb (the second kind above) is returned, and only where the two texts
        also state an agreeing amount (``about $60,000`` and ``more than $60,000``): the
        shared amount and verb show that both date the same fact.

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
    storymatch.differ.worddiff.word_diff : The word-level diff of the two texts.

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
    la, ra = _analyse(left, left_published), _analyse(right, right_published)
    if not confident:
        return _as_conflicts(left_id, right_id, _anchored_periods(la, ra))
    found = [
        *number_conflicts(la, ra),
        *date_conflicts(la, ra),
        *period_conflicts(la, ra),
        *quote_conflicts(la, ra),
        *name_conflicts(la, ra),
        *attribution_conflicts(la, ra),
    ]
    # a value conflict names its words on both sides; a quote may drop words on one side,
    # and a hedge ("allegedly") stands on one side only
    kept = [
        f for f in found if f.kind in ("quote", "attribution") or (f.left_words and f.right_words)
    ]
    return _as_conflicts(left_id, right_id, kept)


def _anchored_periods(left: Analysis, right: Analysis) -> list[Found]:
    """Return the date conflicts by verb of two texts that state an agreeing amount."""
    pairs = pair_quantities(left.quantities, len(left.tokens), right.quantities, len(right.tokens))
    if not any(not differ for _, _, differ in pairs):
        return []
    return period_conflicts(left, right)


def _as_conflicts(left_id: str, right_id: str, found: list[Found]) -> tuple[Conflict, ...]:
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
    return _as_conflicts(left_id, right_id, verb_framing(_analyse(left), _analyse(right)))
