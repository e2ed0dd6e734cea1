"""The whole flow in one place: copies → events → one comparison per event.

Used by the Python API (:func:`analyze`), ``storymatch report`` and ``storymatch demo`` alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from storymatch._estimator import as_articles
from storymatch.dedup.cluster import NearDuplicateClusterer
from storymatch.differ.comparison import claim_scorer, compare
from storymatch.differ.similarity import Scorer
from storymatch.events import EventClusterer
from storymatch.models import Analysis, Article, Comparison

__all__ = ["analyze"]

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as the stages advance."""


def analyze(
    articles: Sequence[Article] | Sequence[str],
    *,
    dedup: NearDuplicateClusterer | None = None,
    events: EventClusterer | None = None,
    scorer: Scorer | None = None,
    min_reports: int = 2,
    max_reports: int = 20,
    progress: Progress | None = None,
) -> Analysis:
    """Find copies, group events, and compare the reports of every event.

    Each event is compared on one report per near-duplicate group (its representative), so
    forty copies of one wire story make one column.

    Parameters
    ----------
    articles : sequence of Article or str
        The corpus.
    dedup : NearDuplicateClusterer or None, default=None
        Near-duplicate settings; the defaults when None.
    events : EventClusterer or None, default=None
        Event settings; the defaults when None (its own ``dedup`` is replaced by the groups
        found here).
    scorer : Scorer or None, default=None
        Sentence scorer of the comparisons; :func:`~storymatch.differ.comparison.claim_scorer`
        when None.
    min_reports : int, default=2
        Events with fewer distinct reports (after removing copies) get no comparison.
    max_reports : int, default=20
        At most this many reports per comparison: the earliest-dated first, then by id.
    progress : callable or None, default=None
        ``progress(stage, done, total)`` for the stages ``"dedup"``, ``"events"``,
        ``"compare"``.

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
    report = progress or (lambda stage, done, total: None)
    items = as_articles(articles)
    by_id = {a.id: a for a in items}
    report("dedup", 0, 1)
    clusterer = (dedup if dedup is not None else NearDuplicateClusterer()).fit(items)
    report("dedup", 1, 1)
    groups = sorted(clusterer.groups_, key=lambda g: (-len(g), g.id))
    report("events", 0, 1)
    model = events if events is not None else EventClusterer()
    model.fit(items, groups=clusterer.groups_)
    report("events", 1, 1)
    event_list = sorted(model.events_, key=lambda e: (-len(e), e.id))
    rep_of = {m: g.representative for g in clusterer.groups_ for m in g.members}
    scorer = claim_scorer() if scorer is None else scorer

    todo = []
    for event in event_list:
        reps = sorted({rep_of[m] for m in event.members})
        if len(reps) >= min_reports:
            todo.append((event, reps))
    comparisons: dict[str, Comparison] = {}
    for done, (event, reps) in enumerate(todo):
        report("compare", done, len(todo))
        chosen = sorted(reps, key=lambda i: (by_id[i].date is None, by_id[i].date or "", i))
        chosen = chosen[:max_reports]
        if len(reps) > max_reports:
            logger.info(
                "event %s: comparing %d of its %d reports", event.id, max_reports, len(reps)
            )
        comparisons[event.id] = compare([by_id[i] for i in chosen], scorer=scorer, event=event.id)
    report("compare", len(todo), len(todo))
    return Analysis(
        articles=tuple(items),
        groups=tuple(groups),
        events=tuple(event_list),
        comparisons=comparisons,
    )
