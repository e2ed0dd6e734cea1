"""The event clusterer: reports of the same event by different outlets, in their own words.

:class:`EventClusterer` takes one representative per near-duplicate group, scores candidate
pairs of representatives (TF-IDF cosine, shared names and numbers, minus number conflicts and
publication gaps: :mod:`storymatch.events.signals`), clusters them by average linkage over the
sparse candidate graph (:mod:`storymatch.events.neighbors`) and lets copies follow their group.
:meth:`EventClusterer.assign` adds articles one at a time. See ``docs/concepts/events.md``.
"""

from __future__ import annotations

import logging
import pickle
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from storymatch._background import Background, SharedFlags, TwoEnds
from storymatch._estimator import EstimatorParams, as_articles, published
from storymatch._gcpause import paused_gc
from storymatch.dedup.cluster import NearDuplicateClusterer
from storymatch.errors import InvalidParameterError, NotFittedError
from storymatch.events.neighbors import average_linkage, row_cosines, top_k_pairs
from storymatch.events.signals import (
    days_since_epoch,
    event_days,
    extract_names,
    extract_names_all,
    extract_numbers,
    extract_numbers_all,
    load_text_kernels,
    number_conflict,
    pair_conflicts,
    pair_time_penalties,
)
from storymatch.events.stories import link_stories, story_of
from storymatch.events.vectorize import (
    CodedTokens,
    code_tokens,
    fit_tfidf,
    fit_tfidf_coded,
    join_coded,
)
from storymatch.models import Article, DuplicateGroup, Event, Story, stable_id

__all__ = ["EventClusterer", "event_id"]

logger = logging.getLogger(__name__)

_FOLD_BLOCKS = 64
"""Rows added by :meth:`EventClusterer.assign` are stacked into one block past this many."""
_BACKGROUND_MIN_REPORTS = 2000
"""From this many articles, a forked child (:class:`storymatch._background.Background`) finds
the names, numbers and days while the groups and TF-IDF are found; below, forking costs more
than it saves."""
_MEMO_ENTRIES = 100_000
"""Name spans (or numbers) remembered across the chunks of one process before the memo is
cleared (about 20 MB): a 100k corpus holds some 300,000 distinct spans."""
_SIGNAL_CHUNK = 256
"""Articles per chunk of the names, numbers and days work that the two processes share
(:class:`storymatch._background.TwoEnds`)."""


_Signals = tuple[
    CodedTokens | None,
    list[list[str]],
    npt.NDArray[np.float64],
    npt.NDArray[np.bool_],
    CodedTokens,
]
"""Names (None when unweighted), numbers (the ``y:`` and ``k:`` tokens, all that
:func:`number_conflict` reads), days and reported flags of some reports, and their numbers
without the ``k:`` unit tokens (what the numbers signal compares)."""
_Chunk = tuple[list[int], _Signals]
"""The articles of a chunk whose signals were found (by their place in the corpus), and those."""


@dataclass(slots=True)
class _SignalJob:
    """The names, numbers and days of a fit's reports, found while the rest of the fit runs.

    ``child`` finds the chunks of ``ends`` from the front, skipping the articles flagged in
    ``skip`` (the copies, once the near-duplicate groups are known).
    """

    skip: SharedFlags
    ends: TwoEnds
    child: Background[dict[int, bytes]]


def event_id(members: Sequence[str]) -> str:
    """Stable id of an event: ``"e-"`` and 16 hex digits of a hash of the sorted member ids.

    Parameters
    ----------
    members : sequence of str
        Ids of every article of the event.

    Returns
    -------
    str
        The same id on every run and machine for the same members, in any order.

    Examples
    --------
    >>> event_id(["b", "a"]) == event_id(["a", "b"])
    True
    >>> event_id(["a"])[:2]
    'e-'
    """
    return stable_id("e-", members)


class EventClusterer(EstimatorParams):
    """Group reports of the same event, one representative per near-duplicate group.

    Follows the scikit-learn estimator contract (``__init__`` only stores, ``fit`` validates
    and sets ``labels_``, ``events_``, ``groups_``); ``sklearn.base.clone`` and grid searches
    work on it.

    The score of a candidate pair of representatives is::

        (w_tfidf * cos_tfidf + w_names * cos_names + w_numbers * cos_numbers) / (sum of w)
            - conflict_weight * number_conflict - time_weight * time_penalty

    and events are the clusters of average linkage over the candidate graph, merged while the
    mean score between two clusters (pairs that are not candidates count 0) reaches
    ``threshold``. Average linkage resists chaining: one strong pair does not join two events
    whose other reports have little in common. Two larger clusters must also agree with each
    other nearly as well as their own reports do (``cohesion``).

    Parameters
    ----------
    threshold : float, default=0.13
        Mean pair score at which two clusters merge. Lower joins more (recall up, and with it
        the risk of merging the two similar events of an ECB+ topic); higher splits events
        whose outlets wrote very differently.
    n_neighbors : int, default=20
        Candidate neighbours per representative (by TF-IDF cosine). Bounds time and memory
        (about ``n * n_neighbors`` pairs); an event larger than this still forms, through
        shared neighbours.
    min_similarity : float, default=0.05
        TF-IDF cosine below which a neighbour is not a candidate.
    tfidf_weight, names_weight, numbers_weight : float, default=1.0, 0.5, 0.25
        Weights of the three agreement signals; 0 switches one off.
    conflict_weight : float, default=0.1
        Weight of :func:`number_conflict` (different years, different values of one unit).
    time_weight : float, default=0.5
        Weight of :func:`time_penalty`; unknown dates never count.
    window_days : float, default=3.0
        Publication window of one event (see :func:`time_penalty`).
    title_weight, lead_weight : int, default=2
        How many times the title and the first sentence count in the TF-IDF text.
    min_df : int, default=2
        Words in fewer documents are dropped from the TF-IDF vocabulary (1 for corpora of
        fewer than 10 representatives).
    reported_dates : bool, default=True
        Place a dated report at the day its title and lead say the news happened ("on
        Saturday", "yesterday", "Jan. 19": :func:`~storymatch.events.signals.reported_day`)
        rather than at its publication time, for the time penalty: two developments of one
        story a few days apart are then apart even when a later report of the first one was
        published next to the second. Reports without a publication time stay undated.
    reported_window_days : float, default=3.0
        The window (instead of ``window_days``, when smaller) of two reports whose leads both
        named the day of their news: outlets publish one development over days as they catch
        up, but they report the same day for it. 1.0 separates developments two or three days
        apart, but on BASIL it splits three gold events that are two developments each (a
        resignation and the president's reply three days later): B-cubed 0.993 -> 0.985; so
        the default keeps ``window_days``.
    outlet_check : bool, default=True
        Two clusters that both hold reports of one outlet merge only when that outlet's own
        reports across them reach ``threshold`` too (an outlet tells one development once;
        a follow-up of its own report passes). See
        :func:`~storymatch.events.neighbors.average_linkage`.
    cohesion : float, default=0.6
        Two clusters of at least ``cohesion_min_size`` representatives each merge only when
        the mean score between them also reaches this share of the lower of their two
        within-cluster means. Two events of one kind (two players of one team arrested for
        drunk driving a month apart) pass ``threshold`` together, but agree with each other
        far less than each one's reports agree among themselves. 0 switches it off (ECB+
        B-cubed 0.950 -> 0.931; 0.5 gives 0.939, 0.7 0.943). See
        :func:`~storymatch.events.neighbors.average_linkage`.
    cohesion_min_size : int, default=5
        Smaller clusters are not checked: a few reports say little about how alike the
        reports of their event are.
    story_threshold : float, default=0.13
        Mean agreement (the TF-IDF, names and numbers signals, without the conflict and time
        penalties; only pairs that share a name) between the reports of two events at which
        they join one story. See :mod:`storymatch.events.stories`.
    story_window_days : float, default=14.0
        Pairs of reports further apart (by their news day) do not link two events into a
        story; a longer thread forms through the developments between.
    dedup : NearDuplicateClusterer, False or None, default=None
        How copies are found: None runs :class:`NearDuplicateClusterer` with its defaults,
        an instance runs that one, False treats every article as its own group. Groups can also
        be passed to :meth:`fit`.

    Attributes
    ----------
    labels_ : numpy.ndarray of int64
        Event index of every article (events numbered by their first article).
    events_ : list of Event
        The events, in label order.
    groups_ : list of DuplicateGroup
        The near-duplicate groups the events were built from.
    stories_ : list of Story
        The stories (threads of events, each event's ``story`` names one), numbered by their
        first event; each lists its events in date order.
    n_candidates_ : int
        Candidate pairs scored.

    Examples
    --------
    >>> docs = [
    ...     "Dock workers in Marrowgate walk out over pay; the union of Ines Valcourt asks 16%.",
    ...     "Ines Valcourt leads Marrowgate dock workers on strike over a 16% pay demand.",
    ...     "A bridge collapsed into the River Lisle in Brackenford, injuring 14 people.",
    ...     "Fourteen hurt as Brackenford bridge falls into the River Lisle.",
    ... ]
    >>> EventClusterer(min_df=1).fit_predict(docs).tolist()
    [0, 0, 1, 1]
    """

    labels_: npt.NDArray[np.int64]
    events_: list[Event]
    groups_: list[DuplicateGroup]
    n_candidates_: int
    _index: _RepIndex | None
    _articles: list[Article]
    stories_: list[Story]
    _event_story: list[int]

    def __init__(
        self,
        *,
        threshold: float = 0.13,
        n_neighbors: int = 20,
        min_similarity: float = 0.05,
        tfidf_weight: float = 1.0,
        names_weight: float = 0.5,
        numbers_weight: float = 0.25,
        conflict_weight: float = 0.1,
        time_weight: float = 0.5,
        window_days: float = 3.0,
        title_weight: int = 2,
        lead_weight: int = 2,
        min_df: int = 2,
        reported_dates: bool = True,
        outlet_check: bool = True,
        cohesion: float = 0.6,
        cohesion_min_size: int = 5,
        story_threshold: float = 0.13,
        story_window_days: float = 14.0,
        reported_window_days: float = 3.0,
        dedup: NearDuplicateClusterer | bool | None = None,
    ) -> None:
        self.threshold = threshold
        self.n_neighbors = n_neighbors
        self.min_similarity = min_similarity
        self.tfidf_weight = tfidf_weight
        self.names_weight = names_weight
        self.numbers_weight = numbers_weight
        self.conflict_weight = conflict_weight
        self.time_weight = time_weight
        self.window_days = window_days
        self.title_weight = title_weight
        self.lead_weight = lead_weight
        self.min_df = min_df
        self.reported_dates = reported_dates
        self.outlet_check = outlet_check
        self.cohesion = cohesion
        self.cohesion_min_size = cohesion_min_size
        self.story_threshold = story_threshold
        self.story_window_days = story_window_days
        self.reported_window_days = reported_window_days
        self.dedup = dedup

    # ------------------------------------------------------------------ validation
    def _validate(self) -> None:
        for name in (
            "threshold",
            "min_similarity",
            "tfidf_weight",
            "names_weight",
            "numbers_weight",
            "conflict_weight",
            "time_weight",
            "window_days",
            "cohesion",
            "story_threshold",
            "story_window_days",
            "reported_window_days",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                msg = (
                    f"The {name!r} parameter of EventClusterer must be a float >= 0. "
                    f"Got {value!r} instead."
                )
                raise InvalidParameterError(msg)
        minimums = {
            "n_neighbors": 1,
            "title_weight": 0,
            "lead_weight": 0,
            "min_df": 1,
            "cohesion_min_size": 2,  # a cluster of one has no pairs within
        }
        for name, minimum in minimums.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                msg = (
                    f"The {name!r} parameter of EventClusterer must be an int >= {minimum}. "
                    f"Got {value!r} instead."
                )
                raise InvalidParameterError(msg)
        for name in ("reported_dates", "outlet_check"):
            value = getattr(self, name)
            if not isinstance(value, bool):
                msg = (
                    f"The {name!r} parameter of EventClusterer must be a bool. "
                    f"Got {value!r} instead."
                )
                raise InvalidParameterError(msg)
        if self.tfidf_weight + self.names_weight + self.numbers_weight <= 0:
            msg = "EventClusterer needs at least one of the tfidf, names, numbers weights > 0."
            raise InvalidParameterError(msg)
        if not (
            self.dedup is None
            or self.dedup is False
            or isinstance(self.dedup, NearDuplicateClusterer)
        ):
            msg = (
                "The 'dedup' parameter of EventClusterer must be None, False or a "
                f"NearDuplicateClusterer. Got {self.dedup!r} instead."
            )
            raise InvalidParameterError(msg)

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        X: Sequence[Article] | Sequence[str],
        y: object = None,
        *,
        groups: Sequence[DuplicateGroup] | None = None,
    ) -> Self:
        """Group the articles into events.

        Parameters
        ----------
        X : sequence of Article or str
            The corpus. Plain strings get the ids ``"0"``, ``"1"``, ...
        y : ignored
            Present for API consistency.
        groups : sequence of DuplicateGroup or None, default=None
            Precomputed near-duplicate groups covering every article once (for example
            ``NearDuplicateClusterer().fit(X).groups_``); the ``dedup`` parameter is then
            ignored.

        Returns
        -------
        EventClusterer
            The fitted clusterer.
        """
        self._validate()
        # the fit builds lists and strings for every report (names, numbers, events) that live
        # to its end: the cyclic collector would scan them again and again (0.3-0.5 s of CPU
        # at 10,000 articles), in the forked child too (storymatch._gcpause)
        with paused_gc():
            return self._fit(X, groups)

    def _fit(
        self, X: Sequence[Article] | Sequence[str], groups: Sequence[DuplicateGroup] | None
    ) -> Self:
        """Fit, after validation (see :meth:`fit`)."""
        articles = as_articles(X, function="EventClusterer.fit")
        job = self._start_signals(articles)
        try:
            groups = self._groups(articles, groups)
            index = {a.id: i for i, a in enumerate(articles)}
            rows = [index[g.representative] for g in groups]
            copies = np.ones(len(articles), dtype=bool)
            copies[rows] = False
            job.skip.values[:] = copies  # all at once: a report is never skipped
            reps = [articles[i] for i in rows]
            m = len(reps)
            started = time.perf_counter()
            left, right, scores, agreement = self._pair_scores(
                reps, lambda: self._collect_signals(job, articles, rows)
            )
        finally:
            job.child.cancel()
        linkage_started = time.perf_counter()
        outlets = _outlet_codes(reps) if self.outlet_check else None
        rep_labels = average_linkage(
            m,
            left,
            right,
            scores,
            float(self.threshold),
            outlets=outlets,
            cohesion=float(self.cohesion),
            cohesion_min_size=int(self.cohesion_min_size),
        )
        logger.debug(
            "events: average linkage over %d pairs %.2fs",
            left.shape[0],
            time.perf_counter() - linkage_started,
        )
        self.n_candidates_ = int(left.shape[0])
        self._finish(articles, index, groups, rep_labels, (left, right, scores, agreement))
        logger.debug("events: scoring, linkage, events %.2fs", time.perf_counter() - started)
        logger.info(
            "events: %d articles, %d groups, %d candidate pairs, %d events",
            len(articles),
            m,
            self.n_candidates_,
            len(self.events_),
        )
        return self

    def fit_predict(
        self,
        X: Sequence[Article] | Sequence[str],
        y: object = None,
        *,
        groups: Sequence[DuplicateGroup] | None = None,
    ) -> npt.NDArray[np.int64]:
        """Fit and return ``labels_``."""
        return self.fit(X, y, groups=groups).labels_

    def document_events(self) -> list[Event]:
        """Return the event of every article, in input order."""
        if not hasattr(self, "labels_"):
            msg = "This EventClusterer instance is not fitted yet. Call 'fit' first."
            raise NotFittedError(msg)
        return [self.events_[lab] for lab in self.labels_.tolist()]

    def partial_fit(self, X: Sequence[Article] | Sequence[str], y: object = None) -> Self:
        """Add articles as they arrive, each with :meth:`assign`; ``fit`` when not fitted.

        Parameters
        ----------
        X : sequence of Article or str
            New articles (ids unseen so far). Plain strings get the ids of their position
            among all articles seen (``"0"``, ``"1"``, ...).
        y : ignored
            Present for API consistency.

        Returns
        -------
        EventClusterer
            The updated clusterer.
        """
        if not hasattr(self, "labels_"):
            return self.fit(X)
        for item in X:
            self.assign(item)
        return self

    def assign(self, article: Article | str) -> Event:
        """Put one new article into an existing event, or open a new event for it.

        The article is scored against the representatives seen so far (its ``n_neighbors``
        best TF-IDF neighbours, with the pair score of :meth:`fit`: names, numbers, conflicts
        and time included). It joins the event of its best-scoring neighbour when that score
        reaches ``threshold``, else it opens a new event. It becomes a representative itself
        (its own near-duplicate group), so later articles can match it; ``labels_``,
        ``events_`` and ``groups_`` are updated (the event's id changes with its members; its
        label stays). The vocabulary is the one learnt by :meth:`fit`: words first seen later
        do not count. When ``fit`` saw fewer than two representatives or no word, the model is
        refitted on every article instead.

        Parameters
        ----------
        article : Article or str
            The new article (a string gets the id of its position, ``str(len(labels_))``).

        Returns
        -------
        Event
            The event the article is now in.

        Examples
        --------
        >>> docs = [
        ...     "Dock workers in Marrowgate walk out over pay; Ines Valcourt asks 16%.",
        ...     "A bridge collapsed into the River Lisle in Brackenford, injuring 14 people.",
        ...     "Fourteen hurt as Brackenford bridge falls into the River Lisle.",
        ... ]
        >>> model = EventClusterer(min_df=1).fit(docs)
        >>> event = model.assign("Ines Valcourt leads Marrowgate dock workers out over 16% pay.")
        >>> event.members, model.labels_.tolist()
        (('0', '3'), [0, 1, 1, 0])
        """
        if not hasattr(self, "labels_"):
            msg = "This EventClusterer instance is not fitted yet. Call 'fit' first."
            raise NotFittedError(msg)
        n = int(self.labels_.shape[0])
        if isinstance(article, str):
            article = Article(id=str(n), text=article)
        elif not isinstance(article, Article):
            msg = (
                "The 'article' parameter must be an Article or a str. "
                f"Got {type(article).__name__} instead."
            )
            raise InvalidParameterError(msg)
        if any(a.id == article.id for a in self._articles):
            msg = f"The article id {article.id!r} is already in the model."
            raise InvalidParameterError(msg)
        if self._index is None:
            self.fit([*self._articles, article], groups=[*self.groups_, _single(article)])
            fitted: Event = self.events_[int(self.labels_[-1])]
            return fitted
        index = self._index
        doc = self._document(article)
        row = index.vectorizer.transform([doc]).tocsr()
        cos = index.tfidf.dot(row)
        k = min(int(self.n_neighbors), cos.shape[0])
        candidates = np.argpartition(-cos, k - 1)[:k] if k else np.empty(0, dtype=np.intp)
        candidates = candidates[cos[candidates] >= float(self.min_similarity)]
        total = float(self.tfidf_weight) * cos
        weight = float(self.tfidf_weight)
        names_row = _transform(index.names_vectorizer, extract_names(doc))
        shared_names = np.ones(candidates.shape[0], dtype=bool)
        if self.names_weight > 0:
            names_cos = index.names.dot(names_row)
            shared_names = names_cos[candidates] > 0
            total = total + float(self.names_weight) * names_cos
            weight += float(self.names_weight)
        tokens = extract_numbers(article.text)
        nums_row = _transform(index.numbers_vectorizer, _without_units(tokens))
        if self.numbers_weight > 0:
            total = total + float(self.numbers_weight) * index.numbers.dot(nums_row)
            weight += float(self.numbers_weight)
        scores = total[candidates] / weight
        agreement = np.where(shared_names, scores, 0.0)
        if self.conflict_weight > 0:
            conflict = [number_conflict(tokens, index.number_tokens[c]) for c in candidates]
            scores -= float(self.conflict_weight) * np.asarray(conflict, dtype=np.float64)
        day, day_reported = self._days([article])
        if self.time_weight > 0 and candidates.size:
            days = np.asarray(index.days, dtype=np.float64)
            scores -= float(self.time_weight) * pair_time_penalties(
                np.concatenate([days, day]),
                np.full(candidates.shape[0], days.shape[0], dtype=np.int64),
                candidates.astype(np.int64),
                float(self.window_days),
                reported=np.concatenate([np.asarray(index.reported, dtype=bool), day_reported]),
                reported_window_days=float(self.reported_window_days),
            )
        best = int(np.argmax(scores)) if scores.size else -1
        if best >= 0 and scores[best] >= float(self.threshold):
            label = index.event[int(candidates[best])]
            old = self.events_[label]
            ids = tuple(sorted((*old.members, article.id)))
            when = published(article)
            dates = [d for d in (old.start, old.end, when) if d is not None]
            outlets = set(old.outlets) | ({article.source} if article.source else set())
            event = Event(
                id=event_id(ids),
                members=ids,
                outlets=tuple(sorted(outlets)),
                start=min(dates) if dates else None,
                end=max(dates) if dates else None,
                label=old.label,
                story=old.story,
            )
            self.events_[label] = event
            self._update_story(self._event_story[label])
        else:
            label = len(self.events_)
            when = published(article)
            days = np.asarray(index.days, dtype=np.float64)
            linked = story_of(
                np.asarray(index.event, dtype=np.int64)[candidates],
                agreement,
                np.abs(days[candidates] - day[0]),
                np.bincount(np.asarray(index.event, dtype=np.int64), minlength=label),
                threshold=float(self.story_threshold),
                window_days=float(self.story_window_days),
            )
            story = self._event_story[linked] if linked >= 0 else len(self.stories_)
            story_id = self.stories_[story].id if linked >= 0 else stable_id("s-", [article.id])
            event = Event(
                id=event_id([article.id]),
                members=(article.id,),
                outlets=(article.source,) if article.source else (),
                start=when,
                end=when,
                label=_label(article),
                story=story_id,
            )
            self.events_.append(event)
            self._event_story.append(story)
            if linked < 0:
                self.stories_.append(_story(story_id, [event]))
            else:
                self._update_story(story)
        index.tfidf.append(row)
        index.names.append(
            names_row if names_row.shape[1] == index.names.blocks[0].shape[1] else _empty_rows(1)
        )
        index.numbers.append(
            nums_row if nums_row.shape[1] == index.numbers.blocks[0].shape[1] else _empty_rows(1)
        )
        index.number_tokens.append(tokens)
        index.days.append(float(day[0]))
        index.reported.append(bool(day_reported[0]))
        index.event.append(label)
        self._articles.append(article)
        self.groups_.append(_single(article))
        self.labels_ = np.append(self.labels_, np.int64(label))
        logger.debug("events: assigned %r to event %d", article.id, label)
        return event

    def _update_story(self, story: int) -> None:
        """Rebuild ``stories_[story]`` from its events (after one grew or joined it)."""
        members = [e for e, k in enumerate(self._event_story) if k == story]
        self.stories_[story] = _story(self.stories_[story].id, [self.events_[e] for e in members])

    def _groups(
        self, articles: list[Article], groups: Sequence[DuplicateGroup] | None
    ) -> list[DuplicateGroup]:
        if groups is not None:
            out = list(groups)
            covered = sorted(mid for g in out for mid in g.members)
            if covered != sorted(a.id for a in articles):
                msg = "The 'groups' parameter must cover every article id exactly once."
                raise InvalidParameterError(msg)
        elif self.dedup is False or not articles:
            out = [DuplicateGroup(a.id, a.id, (a.id,), (1.0,)) for a in articles]
        else:
            dedup = (
                self.dedup
                if isinstance(self.dedup, NearDuplicateClusterer)
                else NearDuplicateClusterer()
            )
            out = list(dedup.fit(articles).groups_)
        self.groups_ = out
        return out

    def _document(self, article: Article) -> str:
        text = article.text.strip()
        lead = text.split("\n", 1)[0]
        lead = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", lead, maxsplit=1)[0]
        parts = [article.title or ""] * self.title_weight + [lead] * self.lead_weight + [text]
        return "\n".join(p for p in parts if p)

    def _days(
        self, reports: Sequence[Article]
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        """Return the day of every report's news (reported in its lead, else published)."""
        dates = [published(a) for a in reports]
        if not self.reported_dates:
            return days_since_epoch(dates), np.zeros(len(dates), dtype=bool)
        return event_days([a.title for a in reports], [a.text for a in reports], dates)

    def _text_signals(
        self, reps: Sequence[Article], memo: tuple[dict[Any, Any], dict[Any, Any]] | None = None
    ) -> _Signals:
        """Return the names of every report (None when unweighted), its numbers, its day.

        ``memo``: the names' and the numbers' memo (see :func:`extract_names_all`), for the
        chunks of one corpus.
        """
        names_memo, numbers_memo = memo if memo is not None else ({}, {})
        names = None
        if self.names_weight > 0:
            documents = [self._document(a) for a in reps]
            names = code_tokens(extract_names_all(documents, memo=names_memo))
        numbers: list[list[str]] = []
        if self.numbers_weight > 0 or self.conflict_weight > 0:
            numbers = extract_numbers_all((a.text for a in reps), memo=numbers_memo)
        nums = code_tokens([])
        if self.numbers_weight > 0:
            nums = code_tokens([_without_units(tokens) for tokens in numbers])
        # only these count in the conflicts: fewer tokens to send back and to code
        numbers = [[t for t in tokens if t.startswith(("y:", "k:"))] for tokens in numbers]
        days, reported = self._days(reps)
        return names, numbers, days, reported, nums

    def _start_signals(self, articles: Sequence[Article]) -> _SignalJob:
        """Start finding the names, numbers and days of ``articles`` in a forked child.

        Pure-Python text work: the child finds them chunk by chunk from the first article on,
        while this process finds the near-duplicate groups (the copies are then skipped), builds
        the TF-IDF rows and searches the neighbours; then this process takes chunks from the
        back until the two meet (:meth:`_collect_signals`). Below
        ``_BACKGROUND_MIN_REPORTS`` articles, all is done here.
        """
        skip = SharedFlags(len(articles))
        ends = TwoEnds(-(-len(articles) // _SIGNAL_CHUNK))
        inline = len(articles) < _BACKGROUND_MIN_REPORTS
        if not inline:
            load_text_kernels()  # once, here, rather than in both processes after the fork
        child = Background(
            self._packed_signal_chunks,
            articles,
            skip.values,
            ends.front,
            inline=inline,
        )
        return _SignalJob(skip, ends, child)

    def _collect_signals(
        self, job: _SignalJob, articles: Sequence[Article], rows: Sequence[int]
    ) -> _Signals:
        """Take chunks from the back until the child is met; return the signals of ``rows``."""
        started = time.perf_counter()
        done = self._signal_chunks(articles, job.skip.values, job.ends.back)
        mine = time.perf_counter()
        theirs = {chunk: pickle.loads(data) for chunk, data in job.child.result().items()}
        waited = time.perf_counter() - mine
        joined = theirs | done
        logger.debug(
            "events: names, numbers, days: %d chunks here %.2fs, %d from the child (%d copies "
            "read before the groups were known), waited %.2fs",
            len(done),
            mine - started,
            len(theirs),
            sum(len(found) for found, _ in joined.values()) - len(rows),
            waited,
        )
        return self._joined_signals(articles, job.skip.values, rows, joined)

    def _chunk_signals(
        self,
        articles: Sequence[Article],
        skip: npt.NDArray[np.bool_],
        take: Callable[[], Iterator[int]],
    ) -> Iterator[tuple[int, _Chunk]]:
        """Yield each chunk that ``take`` yields with the signals of its articles not skipped."""
        memo: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})  # news repeat names and numbers
        for chunk in take():
            lo = chunk * _SIGNAL_CHUNK
            found = (lo + np.flatnonzero(~skip[lo : lo + _SIGNAL_CHUNK])).tolist()
            yield chunk, (found, self._text_signals([articles[i] for i in found], memo))
            for known in memo:
                if len(known) > _MEMO_ENTRIES:
                    known.clear()

    def _signal_chunks(
        self,
        articles: Sequence[Article],
        skip: npt.NDArray[np.bool_],
        take: Callable[[], Iterator[int]],
    ) -> dict[int, _Chunk]:
        """Return the signals of the chunks that ``take`` yields, by chunk."""
        return dict(self._chunk_signals(articles, skip, take))

    def _packed_signal_chunks(
        self,
        articles: Sequence[Article],
        skip: npt.NDArray[np.bool_],
        take: Callable[[], Iterator[int]],
    ) -> dict[int, bytes]:
        """Return :meth:`_signal_chunks`, each chunk pickled as soon as it is found.

        The forked child's answer: it is ready when the last chunk is, instead of after
        pickling every chunk at the end while the caller waits (the caller unpickles them).
        """
        return {
            chunk: pickle.dumps(signals, protocol=pickle.HIGHEST_PROTOCOL)
            for chunk, signals in self._chunk_signals(articles, skip, take)
        }

    def _joined_signals(
        self,
        articles: Sequence[Article],
        skip: npt.NDArray[np.bool_],
        rows: Sequence[int],
        done: dict[int, _Chunk],
    ) -> _Signals:
        """Return the signals of the articles ``rows``, in that order, from the chunks.

        A chunk that is missing (the child died) is done here first.
        """
        n_chunks = -(-len(articles) // _SIGNAL_CHUNK)
        missing = [chunk for chunk in range(n_chunks) if chunk not in done]
        if missing:
            done = done | self._signal_chunks(articles, skip, lambda: iter(missing))
        parts = [done[chunk] for chunk in range(n_chunks)]
        # where each article's signals are in the chunks' lists, end to end
        place = np.full(len(articles), -1, dtype=np.int64)
        found = [i for chunk_rows, _ in parts for i in chunk_rows]
        place[found] = np.arange(len(found), dtype=np.int64)
        at = place[np.asarray(rows, dtype=np.int64)].tolist()

        numbers = [tokens for _, signals in parts for tokens in signals[1]]
        where = np.asarray(at, dtype=np.int64)
        names = None
        if self.names_weight > 0:
            names = join_coded([s[0] for _, s in parts if s[0] is not None], where)
        nums = join_coded([s[4] for _, s in parts], where) if self.numbers_weight > 0 else None
        return (
            names,
            [numbers[j] for j in at] if numbers else [],
            np.concatenate([signals[2] for _, signals in parts])[at],
            np.concatenate([signals[3] for _, signals in parts])[at],
            nums if nums is not None else code_tokens([]),
        )

    def _pair_scores(
        self, reps: list[Article], signals: Callable[[], _Signals]
    ) -> tuple[
        npt.NDArray[np.int64],
        npt.NDArray[np.int64],
        npt.NDArray[np.float64],
        npt.NDArray[np.float64],
    ]:
        """Candidate pairs, their scores, and their story agreement (see :meth:`_link_stories`).

        ``signals`` returns the names, numbers and days of the reports (:meth:`_start_signals`).
        """
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - keep imports light

        m = len(reps)
        empty = np.empty(0, dtype=np.int64)
        self._index = None
        if m < 2:  # noqa: PLR2004
            return empty, empty, np.empty(0, dtype=np.float64), np.empty(0, dtype=np.float64)
        docs = [self._document(a) for a in reps]
        min_df = self.min_df if m >= 10 else 1  # noqa: PLR2004
        vectorizer = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            stop_words="english",
            min_df=min_df,
            dtype=np.float32,
        )
        started = time.perf_counter()
        try:
            tfidf = fit_tfidf(vectorizer, docs).tocsr()
        except ValueError:  # no word left (empty or stop-word-only texts)
            return empty, empty, np.empty(0, dtype=np.float64), np.empty(0, dtype=np.float64)
        logger.debug("events: TF-IDF %s %.2fs", tfidf.shape, time.perf_counter() - started)
        started = time.perf_counter()
        left, right, cos = top_k_pairs(tfidf, self.n_neighbors, float(self.min_similarity))
        logger.debug(
            "events: %d candidate pairs %.2fs", left.shape[0], time.perf_counter() - started
        )
        names, numbers, days, reported, nums = signals()
        started = time.perf_counter()
        total = float(self.tfidf_weight) * cos
        weight = float(self.tfidf_weight)
        names_matrix = nums_matrix = names_vectorizer = nums_vectorizer = None
        shared_names = np.ones(left.shape[0], dtype=bool)
        if names is not None:
            names_matrix, names_vectorizer = _bag(names)
            names_cos = row_cosines(names_matrix, left, right)
            shared_names = names_cos > 0
            total += float(self.names_weight) * names_cos
            weight += float(self.names_weight)
        if self.numbers_weight > 0:
            nums_matrix, nums_vectorizer = _bag(nums)
            total += float(self.numbers_weight) * row_cosines(nums_matrix, left, right)
            weight += float(self.numbers_weight)
        scores = total / weight
        agreement = np.where(shared_names, scores, 0.0)
        if self.conflict_weight > 0:
            scores -= float(self.conflict_weight) * pair_conflicts(numbers, left, right)
        if self.time_weight > 0:
            scores -= float(self.time_weight) * pair_time_penalties(
                days,
                left,
                right,
                float(self.window_days),
                reported=reported,
                reported_window_days=float(self.reported_window_days),
            )
        logger.debug("events: pair signals %.2fs", time.perf_counter() - started)
        self._index = _RepIndex(
            vectorizer=vectorizer,
            names_vectorizer=names_vectorizer,
            numbers_vectorizer=nums_vectorizer,
            tfidf=_Rows(tfidf),
            names=_Rows(names_matrix if names_matrix is not None else _empty_rows(m)),
            numbers=_Rows(nums_matrix if nums_matrix is not None else _empty_rows(m)),
            number_tokens=numbers if numbers else [[] for _ in range(m)],
            days=days.tolist(),
            reported=reported.tolist(),
            event=[],
        )
        return left, right, scores, agreement

    def _finish(
        self,
        articles: list[Article],
        index: dict[str, int],
        groups: list[DuplicateGroup],
        rep_labels: npt.NDArray[np.int64],
        pairs: tuple[
            npt.NDArray[np.int64],
            npt.NDArray[np.int64],
            npt.NDArray[np.float64],
            npt.NDArray[np.float64],
        ],
    ) -> None:
        """Set the events and stories from the representatives' clusters.

        ``pairs`` are the candidate pairs with their scores and story agreement.
        """
        left, right, scores, agreement = pairs
        n = len(articles)
        m = len(groups)
        art_cluster = np.empty(n, dtype=np.int64)
        for g, lab in zip(groups, rep_labels.tolist(), strict=True):
            for mid in g.members:
                art_cluster[index[mid]] = lab
        # number events by their first article
        _, first = np.unique(art_cluster, return_index=True) if n else (None, np.empty(0, int))
        order = art_cluster[np.sort(first)]
        renumber = np.empty(max(m, 1), dtype=np.int64)
        renumber[order] = np.arange(order.shape[0], dtype=np.int64)
        labels = renumber[art_cluster] if n else np.empty(0, dtype=np.int64)
        rep_event = renumber[rep_labels] if m else np.empty(0, dtype=np.int64)
        # centrality of a representative: summed score to the reps of its own event
        same = rep_event[left] == rep_event[right] if left.size else np.empty(0, dtype=bool)
        central = np.zeros(m, dtype=np.float64)
        np.add.at(central, left[same], scores[same])
        np.add.at(central, right[same], scores[same])
        n_events = order.shape[0]
        reps_of: list[list[int]] = [[] for _ in range(n_events)]
        for r, e in enumerate(rep_event.tolist()):
            reps_of[e].append(r)
        members_of: list[list[str]] = [[] for _ in range(n_events)]
        for i, e in enumerate(labels.tolist()):
            members_of[e].append(articles[i].id)
        reps = [articles[index[g.representative]] for g in groups]
        # the stories first, so that every event is made once, with its story
        threads = self._link_stories(reps, rep_event, n_events, (left, right, agreement))
        story_ids = [
            stable_id("s-", [mid for e in members for mid in members_of[e]]) for members in threads
        ]
        self._event_story = [0] * n_events
        for k, members in enumerate(threads):
            for e in members:
                self._event_story[e] = k
        events: list[Event] = []
        for e, rep_ids in enumerate(reps_of):
            best = min(rep_ids, key=lambda r: (-central[r], groups[r].representative))
            rep = articles[index[groups[best].representative]]
            ids = tuple(sorted(members_of[e]))
            member_articles = [articles[index[mid]] for mid in ids]
            dates = [d for d in (published(a) for a in member_articles) if d is not None]
            outlets = tuple(sorted({a.source for a in member_articles if a.source}))
            events.append(
                Event(
                    id=event_id(ids),
                    members=ids,
                    outlets=outlets,
                    start=min(dates) if dates else None,
                    end=max(dates) if dates else None,
                    label=_label(rep),
                    story=story_ids[self._event_story[e]],
                )
            )
        self.labels_ = labels
        self.events_ = events
        self.stories_ = [
            _story(story_id, [events[e] for e in members])
            for story_id, members in zip(story_ids, threads, strict=True)
        ]
        if self._index is not None:
            self._index.event = rep_event.tolist()
        self._articles = articles

    def _link_stories(
        self,
        reps: list[Article],
        rep_event: npt.NDArray[np.int64],
        n_events: int,
        pairs: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    ) -> list[list[int]]:
        """Return the stories' events (:func:`~storymatch.events.stories.link_stories`).

        ``pairs`` are the candidate pairs and their agreement. Stories numbered by their
        first event, each listing its events in order.
        """
        left, right, agreement = pairs
        days = np.asarray(self._index.days) if self._index is not None else self._days(reps)[0]
        story = link_stories(
            rep_event,
            left,
            right,
            agreement,
            days,
            n_events=n_events,
            threshold=float(self.story_threshold),
            window_days=float(self.story_window_days),
        )
        threads: dict[int, list[int]] = {}
        for e, root in enumerate(story.tolist()):
            threads.setdefault(root, []).append(e)
        return sorted(threads.values(), key=min)


def _date_key(event: Event) -> tuple[bool, float, str]:
    """Date order of events: dated first, by start, then by id."""
    start = event.start.timestamp() if event.start is not None else 0.0
    return (event.start is None, start, event.id)


def _story(story_id: str, events: Sequence[Event]) -> Story:
    """Return the :class:`Story` of some events (in date order)."""
    ordered = sorted(events, key=_date_key)
    starts = [e.start for e in ordered if e.start is not None]
    ends = [e.end for e in ordered if e.end is not None]
    return Story(
        id=story_id,
        events=tuple(e.id for e in ordered),
        start=min(starts) if starts else None,
        end=max(ends) if ends else None,
        label=ordered[0].label if ordered else "",
    )


def _outlet_codes(reports: Sequence[Article]) -> npt.NDArray[np.int64]:
    """Return a code per report's outlet (its ``source``), -1 where it has none."""
    codes: dict[str, int] = {}
    return np.array(
        [codes.setdefault(a.source, len(codes)) if a.source else -1 for a in reports],
        dtype=np.int64,
    )


def _single(article: Article) -> DuplicateGroup:
    return DuplicateGroup(article.id, article.id, (article.id,), (1.0,))


def _empty_rows(m: int) -> Any:
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

    return csr_matrix((m, 1), dtype=np.float32)


def _label(article: Article) -> str:
    if article.title and article.title.strip():
        return article.title.strip()
    for line in article.text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _bag(tokens: CodedTokens) -> tuple[Any, Any]:
    """L2-normalised sparse count vectors of token lists (log-scaled, idf-weighted).

    Returns the matrix and the fitted vectorizer (None when no list holds a token).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - keep imports light

    if tokens.codes.shape[0] == 0:
        from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

        return csr_matrix((len(tokens), 1), dtype=np.float32), None
    vectorizer = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, dtype=np.float32, lowercase=False
    )
    return fit_tfidf_coded(vectorizer, tokens).tocsr(), vectorizer


def _without_units(tokens: list[str]) -> list[str]:
    """Return the number tokens that the numbers signal compares (no ``k:`` unit tokens)."""
    return [t for t in tokens if not t.startswith("k:")]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _transform(vectorizer: Any, tokens: list[str]) -> Any:
    """One row of a :func:`_bag` vectorizer (an empty row where there is none)."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

    if vectorizer is None:
        return csr_matrix((1, 1), dtype=np.float32)
    return vectorizer.transform([tokens]).tocsr()


class _Rows:
    """A sparse matrix that grows a row at a time (blocks, folded now and then)."""

    def __init__(self, matrix: Any) -> None:
        self.blocks: list[Any] = [matrix]

    def append(self, row: Any) -> None:
        from scipy.sparse import vstack  # noqa: PLC0415 - keep imports light

        self.blocks.append(row)
        if len(self.blocks) > _FOLD_BLOCKS:
            self.blocks = [vstack(self.blocks, format="csr")]

    def dot(self, row: Any) -> npt.NDArray[np.float64]:
        """Dot product of every row with ``row`` (a 1-row sparse matrix), as a dense array."""
        parts = []
        for block in self.blocks:
            if block.shape[1] != row.shape[1]:  # an empty vocabulary: nothing in common
                parts.append(np.zeros(block.shape[0], dtype=np.float64))
            else:
                parts.append(np.asarray((block @ row.T).todense(), dtype=np.float64).ravel())
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.float64)


@dataclass(slots=True)
class _RepIndex:
    """What :meth:`EventClusterer.assign` needs of the representatives seen so far."""

    vectorizer: Any
    names_vectorizer: Any
    numbers_vectorizer: Any
    tfidf: _Rows
    names: _Rows
    numbers: _Rows
    number_tokens: list[list[str]]
    days: list[float]
    reported: list[bool]
    event: list[int]
