"""Stories: events linked into the threads of developments that a reader follows.

An event is one development (the unit the differ compares); a story is the thread of its
developments: a secret visit, and days later the other country's announcement. Two events are
developments of one story when their reports agree on the topic and the actors as much as the
reports of one event must (the same agreement signals, TF-IDF cosine, names and numbers, at the
same ``threshold``), leaving out what tells developments apart: when each happened (the time
penalty) and which numbers it gives (the number conflict). Only pairs of reports that share a
name count (shared actors), and only those at most ``window_days`` apart (unknown days always
count). Two events are linked when the mean agreement over all pairs of their reports (pairs
that are not candidates count 0) reaches the threshold, so one strong pair of reports does not
link two unrelated events; a story is a chain of linked events (connected components), so a
thread runs on through its developments beyond the window of one link.

:func:`link_stories` forms the stories of a fitted corpus; :func:`story_of` finds the story of
a new event as :meth:`~storymatch.events.EventClusterer.assign` opens it. See
``docs/concepts/events.md``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["link_stories", "story_of"]


def _within(gap: npt.NDArray[np.float64], window_days: float) -> npt.NDArray[np.bool_]:
    return np.isnan(gap) | (gap <= window_days)


def link_stories(
    rep_event: npt.NDArray[np.int64],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    agreement: npt.NDArray[np.float64],
    days: npt.NDArray[np.float64],
    *,
    n_events: int,
    threshold: float,
    window_days: float,
) -> npt.NDArray[np.int64]:
    """Return the story of every event: the chains of events whose reports agree.

    Parameters
    ----------
    rep_event : numpy.ndarray of int64
        The event of every representative report.
    left, right : numpy.ndarray of int64
        Candidate pairs of representatives.
    agreement : numpy.ndarray of float64
        Their agreement (the weighted mean of the TF-IDF, names and numbers signals), 0 where
        the two reports share no name.
    days : numpy.ndarray of float64
        The day of every representative's news (NaN where unknown).
    n_events : int
        Number of events.
    threshold : float
        Mean agreement between the reports of two events (pairs that are not candidates
        count 0) at which they join one story.
    window_days : float
        Pairs of reports further apart than this do not count.

    Returns
    -------
    numpy.ndarray of int64
        The story of each event, named by its lowest event.

    Examples
    --------
    >>> rep_event = np.array([0, 0, 1, 1, 2])
    >>> left, right = np.array([0, 0, 1, 2]), np.array([2, 3, 3, 4])
    >>> agreement = np.array([0.3, 0.2, 0.3, 0.0])
    >>> days = np.array([0.0, 0.0, 2.0, 2.0, 2.0])
    >>> link_stories(rep_event, left, right, agreement, days, n_events=3, threshold=0.13,
    ...              window_days=14.0).tolist()
    [0, 0, 2]
    """
    from scipy.sparse import coo_matrix  # noqa: PLC0415 - keep imports light
    from scipy.sparse.csgraph import connected_components  # noqa: PLC0415

    if not left.size or not n_events:
        return np.arange(n_events, dtype=np.int64)
    cross = (rep_event[left] != rep_event[right]) & (agreement > 0)
    cross &= _within(np.abs(days[left] - days[right]), window_days)
    a, b = rep_event[left[cross]], rep_event[right[cross]]
    low, high = np.minimum(a, b), np.maximum(a, b)
    sums = coo_matrix((agreement[cross], (low, high)), shape=(n_events, n_events)).tocsr()
    sums.sum_duplicates()
    sizes = np.bincount(rep_event, minlength=n_events).astype(np.float64)
    coo = sums.tocoo()
    linked = coo.data / (sizes[coo.row] * sizes[coo.col]) >= threshold
    graph = coo_matrix(
        (np.ones(int(linked.sum())), (coo.row[linked], coo.col[linked])),
        shape=(n_events, n_events),
    )
    _, component = connected_components(graph, directed=False)
    # name each story by its lowest event
    first = np.full(int(component.max()) + 1, n_events, dtype=np.int64)
    np.minimum.at(first, component, np.arange(n_events, dtype=np.int64))
    named: npt.NDArray[np.int64] = first[component]
    return named


def story_of(
    candidate_events: npt.NDArray[np.int64],
    agreement: npt.NDArray[np.float64],
    gaps: npt.NDArray[np.float64],
    event_sizes: npt.NDArray[np.int64],
    *,
    threshold: float,
    window_days: float,
) -> int:
    """Return the event whose story a new event joins, or -1 for a story of its own.

    The new event (one report) joins the story of the event with the highest mean agreement
    between its reports and the new one (reports that are not candidates count 0), when that
    mean reaches ``threshold``: the rule of :func:`link_stories` for one new node.

    Parameters
    ----------
    candidate_events : numpy.ndarray of int64
        The event of each candidate report.
    agreement : numpy.ndarray of float64
        The new report's agreement with each candidate (0 where they share no name).
    gaps : numpy.ndarray of float64
        Days between the new report's news and each candidate's (NaN where unknown).
    event_sizes : numpy.ndarray of int64
        Representatives of every event.
    threshold, window_days : float
        As for :func:`link_stories`.

    Returns
    -------
    int
        The event, or -1.

    Examples
    --------
    >>> story_of(np.array([0, 0, 1]), np.array([0.2, 0.2, 0.5]), np.array([1.0, 1.0, 30.0]),
    ...          np.array([2, 1]), threshold=0.13, window_days=14.0)
    0
    """
    keep = (agreement > 0) & _within(gaps, window_days)
    if not keep.any():
        return -1
    sums = np.bincount(
        candidate_events[keep], weights=agreement[keep], minlength=event_sizes.shape[0]
    )
    means = sums / np.maximum(event_sizes, 1)
    best = int(np.argmax(means))
    return best if means[best] >= threshold else -1
