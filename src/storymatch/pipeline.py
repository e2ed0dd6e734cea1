"""The whole flow in one place: copies → events → one comparison per event.

Used by the Python API (:func:`analyze`), ``storymatch report`` and ``storymatch demo`` alike.
:func:`event_reports` is the one choice of the reports an event is compared on (one per
near-duplicate group, earliest first); :func:`analyze` and ``storymatch compare --event`` (through
:func:`find_event_reports`) both use it, so an event shows the same columns everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence

from storymatch._estimator import as_articles
from storymatch.dedup.cluster import NearDuplicateClusterer
from storymatch.dedup.copies import copy_edits
from storymatch.differ.comparison import claim_scorer, compare
from storymatch.differ.similarity import Scorer
from storymatch.errors import InvalidParameterError
from storymatch.events import EventClusterer
from storymatch.models import Analysis, Article, Comparison, DuplicateGroup, Event, Progress
from storymatch.progress import resolved, with_progress

__all__ = ["Progress", "analyze", "column_order", "event_reports", "find_event_reports"]

logger = logging.getLogger(__name__)


@with_progress
def analyze(
    articles: Sequence[Article] | Sequence[str],
    *,
    dedup: NearDuplicateClusterer | None = None,
    events: EventClusterer | None = None,
    scorer: Scorer | None = None,
    threshold: float | None = None,
    min_reports: int = 2,
    max_reports: int = 20,
    progress: Progress | bool | None = None,
) -> Analysis:
    """Find copies, group events, and compare the reports of every event.

    Each event is compared on one report per near-duplicate group (its representative), so
    forty copies of one wire story make one column.

    Parameters
    ----------
    articles : sequence of Article or str, pandas.DataFrame or pyarrow.Table
        The corpus (a data frame is read as :func:`~storymatch.io.read_articles` reads it).
    dedup : NearDuplicateClusterer or None, default=None
        Near-duplicate settings; the defaults when None.
    events : EventClusterer or None, default=None
        Event settings; the defaults when None (its own ``dedup`` is replaced by the groups
        found here).
    scorer : Scorer or None, default=None
        Sentence scorer of the comparisons; :func:`~storymatch.differ.comparison.claim_scorer`
        when None.
    threshold : float or None, default=None
        Score at which two sentences state the same claim, in every comparison; the
        scorer's own when None (as ``compare(threshold=...)``).
    min_reports : int, default=2
        Events with fewer distinct reports (after removing copies) get no comparison.
    max_reports : int, default=20
        At most this many reports per comparison: the earliest-dated first, then by id.
    progress : callable, bool or None, default=None
        ``progress(stage, done, total)`` for the stages ``"dedup"`` (the documents hashed),
        ``"events"``, ``"copies"`` and ``"compare"``; True draws a bar, False nothing, None a
        bar in a Jupyter notebook only (:mod:`storymatch.progress`).

    Returns
    -------
    Analysis

    Examples
    --------
    >>> from storymatch import Article
    >>> docs = [
    ...     Article("a", "Fourteen people were hurt when a bridge fell into the River Lisle.",
    ...             source="one"),
    ...     Article("b", "A bridge collapsed into the River Lisle, injuring 14 people.",
    ...             source="two"),
    ... ]
    >>> result = analyze(docs)
    >>> len(result.events), len(result.comparisons)
    (1, 1)
    """
    report = resolved(progress)
    items = as_articles(articles, name="articles", function="analyze")
    by_id = {a.id: a for a in items}
    groups, event_list = _fit(items, dedup, events, report)
    copies = copy_edits(groups, by_id, progress=report)
    scorer = claim_scorer() if scorer is None else scorer

    todo = []
    for event in event_list:
        chosen = event_reports(event, groups, by_id, max_reports=max_reports)
        if len(chosen) >= min_reports:
            todo.append((event, chosen))
    comparisons: dict[str, Comparison] = {}
    for done, (event, chosen) in enumerate(todo):
        report("compare", done, len(todo))
        comparisons[event.id] = compare(chosen, scorer=scorer, threshold=threshold, event=event.id)
    report("compare", len(todo), len(todo))
    return Analysis(
        articles=tuple(items),
        groups=tuple(groups),
        events=tuple(event_list),
        comparisons=comparisons,
        copies=tuple(copies),
    )


def _fit(
    items: Sequence[Article],
    dedup: NearDuplicateClusterer | None,
    events: EventClusterer | None,
    report: Progress,
) -> tuple[list[DuplicateGroup], list[Event]]:
    """Group copies, then events on those groups; both sorted largest first, then by id."""
    report("dedup", 0, len(items))
    clusterer = (dedup if dedup is not None else NearDuplicateClusterer()).fit(
        items, progress=lambda stage, done, total: report("dedup", done, total)
    )
    groups = sorted(clusterer.groups_, key=lambda g: (-len(g), g.id))
    report("events", 0, 1)
    model = events if events is not None else EventClusterer()
    model.fit(items, groups=clusterer.groups_)
    report("events", 1, 1)
    return groups, sorted(model.events_, key=lambda e: (-len(e), e.id))


def column_order(articles: Iterable[Article]) -> list[Article]:
    """Order reports as the columns of a comparison: the earliest-dated first, then by id.

    Undated reports come last. The one order of every view of an event (``report``'s pages,
    ``compare`` on an event or on a whole file), so the terminal, Markdown and HTML agree.

    Examples
    --------
    >>> from storymatch.models import Article
    >>> docs = [Article("b", "..."), Article("c", "...", date="2024-05-02"),
    ...         Article("a", "...", date="2024-05-02")]
    >>> [a.id for a in column_order(docs)]
    ['a', 'c', 'b']
    """
    return sorted(articles, key=lambda a: (a.date is None, a.date or "", a.id))


def event_reports(
    event: Event,
    groups: Iterable[DuplicateGroup],
    articles: Mapping[str, Article],
    *,
    max_reports: int = 20,
) -> list[Article]:
    """Choose the reports an event is compared on: the one choice, for every caller.

    One report per near-duplicate group that has a member in the event (the group's
    representative), so forty copies of one wire story make one column; the earliest-dated
    first (undated last), ties broken by id; at most ``max_reports`` of them.

    Parameters
    ----------
    event : Event
        The event.
    groups : iterable of DuplicateGroup
        The near-duplicate groups of the corpus the event was found in.
    articles : mapping of str to Article
        The corpus, by id.
    max_reports : int, default=20
        At most this many reports; the rest (the latest) are left out, and logged at INFO.

    Returns
    -------
    list of Article
        The chosen reports, in column order.

    Raises
    ------
    InvalidParameterError
        If ``max_reports`` is below 1.

    Examples
    --------
    >>> from storymatch.models import Article, DuplicateGroup, Event
    >>> docs = {"a": Article("a", "...", date="2024-05-02"), "b": Article("b", "..."),
    ...         "c": Article("c", "...", date="2024-05-01")}
    >>> groups = [DuplicateGroup("g1", "a", ("a", "b"), (1.0, 0.9)),
    ...           DuplicateGroup("g2", "c", ("c",), (1.0,))]
    >>> event = Event("e1", ("a", "b", "c"), (), None, None, "")
    >>> [a.id for a in event_reports(event, groups, docs)]
    ['c', 'a']
    """
    if isinstance(max_reports, bool) or not isinstance(max_reports, int) or max_reports < 1:
        msg = (
            "The 'max_reports' parameter of event_reports must be an int in the range "
            f"[1, inf). Got {max_reports!r} instead."
        )
        raise InvalidParameterError(msg)
    members = set(event.members)
    reps = sorted({g.representative for g in groups if not members.isdisjoint(g.members)})
    chosen = column_order(articles[i] for i in reps)
    if len(chosen) > max_reports:
        logger.info("event %s: comparing %d of its %d reports", event.id, max_reports, len(reps))
    return chosen[:max_reports]


def find_event_reports(
    articles: Sequence[Article] | Sequence[str],
    event: str,
    *,
    dedup: NearDuplicateClusterer | None = None,
    events: EventClusterer | None = None,
    max_reports: int = 20,
) -> list[Article]:
    """Find an event in a corpus as :func:`analyze` does and choose its reports.

    ``storymatch compare --event E`` calls this, so it aligns the same reports, in the same
    order, as the page of ``E`` that ``storymatch report`` writes.

    Parameters
    ----------
    articles : sequence of Article or str
        The corpus.
    event : str
        The event id (as ``storymatch events`` and :func:`analyze` name it).
    dedup : NearDuplicateClusterer or None, default=None
        Near-duplicate settings, as for :func:`analyze`.
    events : EventClusterer or None, default=None
        Event settings, as for :func:`analyze`.
    max_reports : int, default=20
        As for :func:`event_reports`.

    Returns
    -------
    list of Article
        The reports, chosen by :func:`event_reports`.

    Raises
    ------
    InvalidParameterError
        If no event of the corpus has the id ``event``.
    """
    items = as_articles(articles, name="articles", function="find_event_reports")
    groups, event_list = _fit(items, dedup, events, lambda stage, done, total: None)
    found = next((e for e in event_list if e.id == event), None)
    if found is None:
        msg = (
            f"The 'event' parameter of find_event_reports must be an event of the articles "
            f"(see `storymatch events`). Got {event!r} instead."
        )
        raise InvalidParameterError(msg)
    return event_reports(found, groups, {a.id: a for a in items}, max_reports=max_reports)
