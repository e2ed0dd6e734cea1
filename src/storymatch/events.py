r"""Event groups: reports of the same event by different outlets, in their own words.

The flow for a corpus::

    articles ─ near-duplicate groups (one representative each)
             ─ TF-IDF (word 1-2 grams, title and lead weighted up) ─ top-k cosine neighbours
             ─ pair score: TF-IDF cosine + names + numbers/dates - conflicts - time gap
             ─ average linkage over the sparse candidate graph ─ Event (copies follow their group)

No all-pairs dense matrix is ever built: neighbours come from a sparse product computed a block of
rows at a time, of which only the ``n_neighbors`` best cosines per row are kept, and the linkage
works on those candidate edges alone (a pair that is not a candidate counts as similarity 0).
"""

from __future__ import annotations

import heapq
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from storymatch._estimator import EstimatorParams, as_articles, published
from storymatch.dedup.cluster import NearDuplicateClusterer
from storymatch.errors import InvalidParameterError, NotFittedError
from storymatch.models import Article, DuplicateGroup, Event, stable_id
from storymatch.text.clean import MONTH_NAMES
from storymatch.text.clean import MONTH_WORDS as _MONTH_WORDS

__all__ = [
    "Event",
    "EventClusterer",
    "event_id",
    "extract_names",
    "extract_numbers",
    "number_conflict",
    "time_penalty",
]

logger = logging.getLogger(__name__)

# Capitalised words that start sentences or name times, not people, places or organisations.
_NOT_NAMES = (
    frozenset(
        [
            "a",
            "about",
            "after",
            "again",
            "against",
            "all",
            "also",
            "although",
            "an",
            "and",
            "another",
            "any",
            "are",
            "as",
            "at",
            "be",
            "because",
            "before",
            "being",
            "both",
            "but",
            "by",
            "can",
            "could",
            "did",
            "do",
            "does",
            "during",
            "each",
            "either",
            "even",
            "every",
            "few",
            "for",
            "from",
            "had",
            "has",
            "have",
            "he",
            "her",
            "here",
            "hers",
            "him",
            "his",
            "how",
            "however",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "just",
            "many",
            "may",
            "me",
            "meanwhile",
            "more",
            "most",
            "much",
            "my",
            "neither",
            "no",
            "nor",
            "not",
            "now",
            "of",
            "off",
            "on",
            "once",
            "one",
            "only",
            "or",
            "other",
            "our",
            "out",
            "over",
            "she",
            "should",
            "since",
            "so",
            "some",
            "such",
            "than",
            "that",
            "the",
            "their",
            "them",
            "then",
            "there",
            "these",
            "they",
            "this",
            "those",
            "though",
            "through",
            "to",
            "too",
            "under",
            "until",
            "up",
            "upon",
            "us",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "whether",
            "which",
            "while",
            "who",
            "whom",
            "whose",
            "why",
            "will",
            "with",
            "within",
            "without",
            "would",
            "yet",
            "you",
            "your",
            "mr",
            "mrs",
            "ms",
            "dr",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "today",
            "yesterday",
            "tomorrow",
            "according",
            "breaking",
            "update",
            "updated",
            "watch",
            "video",
            "photo",
            "photos",
            "read",
            "more",
            "related",
        ]
    )
    | _MONTH_WORDS
)
_CAP_WORD = r"(?:[A-Z][\w'\u2019\-]*[\w]|[A-Z])(?:\.(?=\s?[A-Z]))?"
_NAME_SPAN = re.compile(
    rf"{_CAP_WORD}(?:\s+(?:(?:of|de|del|van|von|al|bin|la|le)\s+)?{_CAP_WORD})*"
)
_SENTENCE_START = re.compile('(?:^|[.!?:;"\u201c\u201d\u2018\u2019(\\[]\\s*|\\n\\s*)$')

_MONTHS = {m[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)}
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|percent\b|per cent\b))?"
    r"(?:[\s-]+([a-z]{3,}))?",
)
_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)
_UNIT_STOP = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "from",
        "that",
        "this",
        "was",
        "were",
        "are",
        "has",
        "have",
        "had",
        "but",
        "not",
        "who",
        "which",
        "when",
        "people",
        "said",
        "says",
        "year",
        "years",
    ]
)
_BLOCK_CELLS = 1 << 24
"""Rows x corpus size of the block of similarities computed at once in the neighbour search."""
_PAIR_CHUNK = 1 << 16
"""Candidate pairs whose rows are gathered at once (bounds the memory of the pair signals)."""
_EXACT_ROWS = 20_000
"""Up to this many representatives the neighbour search is exact (see :func:`_top_k_pairs`)."""
_FOLD_BLOCKS = 64
"""Rows added by :meth:`EventClusterer.assign` are stacked into one block past this many."""
_SEARCH_TERMS = 40
"""Heaviest terms of a representative that look for its neighbours in larger corpora."""
_SEARCH_DF_SHARE = 50
"""In larger corpora, terms in more than ``n // _SEARCH_DF_SHARE`` rows find no neighbours."""
_SPARSE_BLOCK_ROWS = 2048
"""Rows of one block of the sparse neighbour search."""


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


# ---------------------------------------------------------------------------------- signals
def extract_names(text: str) -> list[str]:
    """Capitalised spans that look like names of people, places or organisations.

    A span is a run of capitalised words (``"Tara Reid"``, ``"Bank of England"``,
    ``"U.S."``), lower-cased. Function words, weekdays and months are never names; a single
    capitalised word that starts a sentence is kept only when the text never uses it in lower
    case (``"Police said"`` next to ``"the police"`` is not a name).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        The spans in text order, repeats kept.

    Examples
    --------
    >>> extract_names("The actress Tara Reid checked into Promises in Malibu on Tuesday.")
    ['tara reid', 'promises', 'malibu']
    >>> extract_names("Police said the police station in Bank of England Street was shut.")
    ['bank of england street']
    """
    lower_words: set[str] | None = None
    out: list[str] = []
    for match in _NAME_SPAN.finditer(text):
        words = match.group(0).split()
        # drop function words at either end ("The White House" -> "white house")
        while words and words[0].lower().strip(".") in _NOT_NAMES:
            words.pop(0)
        while words and words[-1].lower().strip(".") in _NOT_NAMES:
            words.pop()
        if not words:
            continue
        if (
            len(words) == 1
            and words[0] == match.group(0).split()[0]
            and _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()])
        ):
            if lower_words is None:
                lower_words = set(re.findall("\\b[a-z][\\w'\u2019\\-]*", text))
            if words[0].lower() in lower_words:
                continue
        out.append(" ".join(words).lower())
    return out


def extract_numbers(text: str) -> list[str]:
    """Numbers and dates mentioned in a text, as comparable tokens.

    Tokens: ``"y:2008"`` for a year (1900-2099 standing alone), ``"d:3-10"`` for a day of a
    month (``"March 10"``, ``"10th of March"``), ``"n:7.6"`` for any other number (thousands
    separators removed; whole numbers up to 10 are skipped as too common) and, when a unit word
    follows, also ``"k:magnitude=7.6"`` (``"7.6-magnitude"``, ``"16 percent"``), which
    :func:`number_conflict` compares.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str
        The tokens in text order.

    Examples
    --------
    >>> extract_numbers("A 7.6-magnitude quake hit on March 10, 2009, killing 3,400.")
    ['n:7.6', 'k:magnitude=7.6', 'd:3-10', 'y:2009', 'n:3400']
    """
    out: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for m in _DATE.finditer(text):
        month = (m.group(1) or m.group(4)).lower()[:3]
        day = int(m.group(2) or m.group(3))
        if 1 <= day <= 31:  # noqa: PLR2004 - days of a month
            out.append((m.start(), f"d:{_MONTHS[month]}-{day}"))
            spans.append((m.start(), m.end()))
    low = text.lower()
    for m in _NUMBER.finditer(low):
        if any(a <= m.start(1) < b for a, b in spans):
            continue
        raw = m.group(1).replace(",", "")
        value = float(raw)
        if "." not in raw and 1900 <= value <= 2099 and not m.group(2):  # noqa: PLR2004
            out.append((m.start(), f"y:{int(value)}"))
            continue
        if "." not in raw and value <= 10:  # noqa: PLR2004
            continue
        number = f"{value:g}" if value < 1e15 else raw  # noqa: PLR2004
        out.append((m.start(), f"n:{number}"))
        unit = "percent" if m.group(2) else m.group(3)
        if unit and unit not in _UNIT_STOP:
            out.append((m.start() + 1, f"k:{unit}={number}"))
    out.sort(key=lambda t: t[0])
    return [token for _, token in out]


def number_conflict(left: Sequence[str], right: Sequence[str]) -> float:
    """How strongly the numbers of two texts contradict each other, in [0, 1].

    1.0 when both mention years and share none; otherwise a half for every unit both give a
    value for with no value in common (``"7.6-magnitude"`` against ``"6.4-magnitude"``),
    capped at 1. Texts without numbers never conflict.

    Parameters
    ----------
    left, right : sequence of str
        Tokens from :func:`extract_numbers`.

    Returns
    -------
    float
        0.0 (no conflict) to 1.0.

    Examples
    --------
    >>> a = extract_numbers("A 7.6-magnitude earthquake struck in 2009.")
    >>> b = extract_numbers("A 6.4-magnitude earthquake struck in 2009.")
    >>> number_conflict(a, b), number_conflict(a, a), number_conflict(a, [])
    (0.5, 0.0, 0.0)
    >>> number_conflict(["y:2008"], ["y:2011"])
    1.0
    """
    years_l = {t for t in left if t.startswith("y:")}
    years_r = {t for t in right if t.startswith("y:")}
    conflict = 1.0 if years_l and years_r and not years_l & years_r else 0.0
    keyed_l: dict[str, set[str]] = {}
    keyed_r: dict[str, set[str]] = {}
    for tokens, keyed in ((left, keyed_l), (right, keyed_r)):
        for t in tokens:
            if t.startswith("k:"):
                unit, _, value = t[2:].partition("=")
                keyed.setdefault(unit, set()).add(value)
    for unit in keyed_l.keys() & keyed_r.keys():
        if not keyed_l[unit] & keyed_r[unit]:
            conflict += 0.5
    return min(conflict, 1.0)


def time_penalty(
    left: datetime | None, right: datetime | None, *, window_days: float = 3.0
) -> float:
    """Penalty in [0, 1] for two publication times further apart than a window.

    0.0 inside the window, rising linearly to 1.0 at three windows apart. An unknown date on
    either side gives 0.0: it neither helps nor hurts.

    Parameters
    ----------
    left, right : datetime or None
        Publication times (timezone-aware, as :attr:`Article.published` returns them).
    window_days : float, default=3.0
        Days apart that reports of one event may still be.

    Returns
    -------
    float
        The penalty.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> d = datetime(2026, 3, 10, tzinfo=UTC)
    >>> time_penalty(d, datetime(2026, 3, 12, tzinfo=UTC))
    0.0
    >>> time_penalty(d, datetime(2026, 4, 10, tzinfo=UTC))
    1.0
    >>> time_penalty(d, None)
    0.0
    """
    if left is None or right is None:
        return 0.0
    days = abs((left - right).total_seconds()) / 86400.0
    if days <= window_days:
        return 0.0
    return float(min(1.0, (days - window_days) / (2.0 * window_days)))


# ---------------------------------------------------------------------------------- clustering
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
    whose other reports have little in common.

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
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                msg = (
                    f"The {name!r} parameter of EventClusterer must be a float >= 0. "
                    f"Got {value!r} instead."
                )
                raise InvalidParameterError(msg)
        for name in ("n_neighbors", "title_weight", "lead_weight", "min_df"):
            value = getattr(self, name)
            minimum = 0 if name.endswith("_weight") else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                msg = (
                    f"The {name!r} parameter of EventClusterer must be an int >= {minimum}. "
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
        articles = as_articles(X)
        groups = self._groups(articles, groups)
        index = {a.id: i for i, a in enumerate(articles)}
        reps = [articles[index[g.representative]] for g in groups]
        m = len(reps)
        started = time.perf_counter()
        left, right, scores = self._pair_scores(reps)
        linkage_started = time.perf_counter()
        rep_labels = _average_linkage(m, left, right, scores, float(self.threshold))
        logger.debug(
            "events: average linkage over %d pairs %.2fs",
            left.shape[0],
            time.perf_counter() - linkage_started,
        )
        self.n_candidates_ = int(left.shape[0])
        self._finish(articles, index, groups, rep_labels, left, right, scores)
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

    def event_of(self) -> list[Event]:
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
        if self.names_weight > 0:
            total = total + float(self.names_weight) * index.names.dot(names_row)
            weight += float(self.names_weight)
        tokens = extract_numbers(article.text)
        nums_row = _transform(
            index.numbers_vectorizer, [t for t in tokens if not t.startswith("k:")]
        )
        if self.numbers_weight > 0:
            total = total + float(self.numbers_weight) * index.numbers.dot(nums_row)
            weight += float(self.numbers_weight)
        scores = total[candidates] / weight
        if self.conflict_weight > 0:
            conflict = [number_conflict(tokens, index.number_tokens[c]) for c in candidates]
            scores -= float(self.conflict_weight) * np.asarray(conflict, dtype=np.float64)
        day = _days([published(article)])
        if self.time_weight > 0 and candidates.size:
            days = np.asarray(index.days, dtype=np.float64)
            scores -= float(self.time_weight) * _pair_time_penalties(
                np.concatenate([days, day]),
                np.full(candidates.shape[0], days.shape[0], dtype=np.int64),
                candidates.astype(np.int64),
                float(self.window_days),
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
            )
            self.events_[label] = event
        else:
            label = len(self.events_)
            when = published(article)
            event = Event(
                id=event_id([article.id]),
                members=(article.id,),
                outlets=(article.source,) if article.source else (),
                start=when,
                end=when,
                label=_label(article),
            )
            self.events_.append(event)
        index.tfidf.append(row)
        index.names.append(
            names_row if names_row.shape[1] == index.names.blocks[0].shape[1] else _empty_rows(1)
        )
        index.numbers.append(
            nums_row if nums_row.shape[1] == index.numbers.blocks[0].shape[1] else _empty_rows(1)
        )
        index.number_tokens.append(tokens)
        index.days.append(float(day[0]))
        index.event.append(label)
        self._articles.append(article)
        self.groups_.append(_single(article))
        self.labels_ = np.append(self.labels_, np.int64(label))
        logger.debug("events: assigned %r to event %d", article.id, label)
        return event

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

    def _pair_scores(
        self, reps: list[Article]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - keep imports light

        m = len(reps)
        empty = np.empty(0, dtype=np.int64)
        self._index = None
        if m < 2:  # noqa: PLR2004
            return empty, empty, np.empty(0, dtype=np.float64)
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
            tfidf = vectorizer.fit_transform(docs).tocsr()
        except ValueError:  # no word left (empty or stop-word-only texts)
            return empty, empty, np.empty(0, dtype=np.float64)
        logger.debug("events: TF-IDF %s %.2fs", tfidf.shape, time.perf_counter() - started)
        started = time.perf_counter()
        left, right, cos = _top_k_pairs(tfidf, self.n_neighbors, float(self.min_similarity))
        logger.debug(
            "events: %d candidate pairs %.2fs", left.shape[0], time.perf_counter() - started
        )
        started = time.perf_counter()
        total = float(self.tfidf_weight) * cos
        weight = float(self.tfidf_weight)
        numbers: list[list[str]] = []
        names_matrix = nums_matrix = names_vectorizer = nums_vectorizer = None
        if self.names_weight > 0:
            names = [extract_names(d) for d in docs]
            names_matrix, names_vectorizer = _bag(names)
            total += float(self.names_weight) * _row_cosines(names_matrix, left, right)
            weight += float(self.names_weight)
        if self.numbers_weight > 0 or self.conflict_weight > 0:
            numbers = [extract_numbers(a.text) for a in reps]
        if self.numbers_weight > 0:
            nums = [[t for t in toks if not t.startswith("k:")] for toks in numbers]
            nums_matrix, nums_vectorizer = _bag(nums)
            total += float(self.numbers_weight) * _row_cosines(nums_matrix, left, right)
            weight += float(self.numbers_weight)
        scores = total / weight
        if self.conflict_weight > 0:
            scores -= float(self.conflict_weight) * _pair_conflicts(numbers, left, right)
        days = _days([published(a) for a in reps])
        if self.time_weight > 0:
            scores -= float(self.time_weight) * _pair_time_penalties(
                days, left, right, float(self.window_days)
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
            event=[],
        )
        return left, right, scores

    def _finish(
        self,
        articles: list[Article],
        index: dict[str, int],
        groups: list[DuplicateGroup],
        rep_labels: npt.NDArray[np.int64],
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
        scores: npt.NDArray[np.float64],
    ) -> None:
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
        events: list[Event] = []
        reps_of: list[list[int]] = [[] for _ in range(order.shape[0])]
        for r, e in enumerate(rep_event.tolist()):
            reps_of[e].append(r)
        members_of: list[list[str]] = [[] for _ in range(order.shape[0])]
        for i, e in enumerate(labels.tolist()):
            members_of[e].append(articles[i].id)
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
                )
            )
        self.labels_ = labels
        self.events_ = events
        if self._index is not None:
            self._index.event = rep_event.tolist()
        self._articles = articles


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


def _bag(tokens: list[list[str]]) -> tuple[Any, Any]:
    """L2-normalised sparse count vectors of token lists (log-scaled, idf-weighted).

    Returns the matrix and the fitted vectorizer (None when no list holds a token).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - keep imports light

    if not any(tokens):
        from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

        return csr_matrix((len(tokens), 1), dtype=np.float32), None
    vectorizer = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, dtype=np.float32, lowercase=False
    )
    return vectorizer.fit_transform(tokens).tocsr(), vectorizer


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
    event: list[int]


def _row_cosines(
    matrix: Any, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Dot products of the given row pairs of an L2-normalised sparse matrix."""
    out = np.empty(left.shape[0], dtype=np.float64)
    for start in range(0, left.shape[0], _PAIR_CHUNK):
        stop = start + _PAIR_CHUNK
        product = matrix[left[start:stop]].multiply(matrix[right[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1), dtype=np.float64).ravel()
    return out


def _top_k_pairs(
    tfidf: Any, k: int, min_similarity: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Pairs ``i < j`` where one is among the other's ``k`` best cosine neighbours.

    Up to ``_EXACT_ROWS`` rows the search is exact: the sparse product is computed a block of
    rows at a time as a dense ``block x n`` array (``_BLOCK_CELLS`` cells), of which the ``k``
    best of each row are kept. Above, that product is quadratic in time, so neighbours are
    ranked by the cosine of each row's ``_SEARCH_TERMS`` heaviest terms against the other rows'
    terms held by at most ``n // _SEARCH_DF_SHARE`` rows (words in more than 2 % of a large
    corpus, "said" or "government", join every pair and find no event); the product is then
    sparse and the top ``k`` of each row are taken from its entries. Either way the kept pairs
    get their exact cosine over all terms, and those below ``min_similarity`` are dropped.
    """
    n = tfidf.shape[0]
    k = min(k, n - 1)
    empty = np.empty(0, dtype=np.int64)
    if k < 1:
        return empty, empty, np.empty(0, dtype=np.float64)
    if n <= _EXACT_ROWS:
        a, b = _top_k_dense(tfidf, k)
    else:
        a, b = _top_k_sparse(tfidf, k)
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    _, first_seen = np.unique(lo * n + hi, return_index=True)
    lo, hi = lo[first_seen], hi[first_seen]
    cos = _row_cosines(tfidf, lo, hi)
    keep = cos >= min_similarity
    return lo[keep], hi[keep], cos[keep]


def _top_k_dense(tfidf: Any, k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Exact top-``k`` neighbours of every row, a dense block of rows at a time."""
    n = tfidf.shape[0]
    transposed = tfidf.T.tocsc()
    block = max(1, _BLOCK_CELLS // max(n, 1))
    lefts: list[npt.NDArray[np.int64]] = []
    rights: list[npt.NDArray[np.int64]] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        dense = np.asarray((tfidf[start:stop] @ transposed).todense(), dtype=np.float64)
        rows = np.arange(stop - start)
        dense[rows, rows + start] = -1.0
        top: npt.NDArray[np.intp] = np.argpartition(-dense, k - 1, axis=1)[:, :k]
        values = np.take_along_axis(dense, top, axis=1)
        keep = values > 0
        row_idx = np.broadcast_to((rows + start)[:, None], top.shape)[keep]
        lefts.append(row_idx.astype(np.int64))
        rights.append(top[keep].astype(np.int64))
    return np.concatenate(lefts), np.concatenate(rights)


def _top_k_sparse(tfidf: Any, k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Approximate top-``k`` neighbours: heaviest terms of each row against the rarer terms."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

    n = tfidf.shape[0]
    df = np.bincount(tfidf.indices, minlength=tfidf.shape[1])
    rare = (df <= max(2, n // _SEARCH_DF_SHARE)).astype(np.float32)
    index = csr_matrix(tfidf.multiply(rare[None, :]))
    index.eliminate_zeros()
    # queries: the _SEARCH_TERMS heaviest rare terms of each row
    query = index.copy()
    for r in range(n):
        lo, hi = query.indptr[r], query.indptr[r + 1]
        if hi - lo > _SEARCH_TERMS:
            row = query.data[lo:hi]
            cut = np.partition(row, hi - lo - _SEARCH_TERMS)[hi - lo - _SEARCH_TERMS]
            row[row < cut] = 0.0
    query.eliminate_zeros()
    transposed = index.T.tocsr()
    block = _SPARSE_BLOCK_ROWS
    lefts: list[npt.NDArray[np.int64]] = []
    rights: list[npt.NDArray[np.int64]] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        product = (query[start:stop] @ transposed).tocsr()
        rows = np.repeat(
            np.arange(start, stop, dtype=np.int64), np.diff(product.indptr).astype(np.int64)
        )
        cols = product.indices.astype(np.int64)
        sims = np.asarray(product.data, dtype=np.float64)
        other = cols != rows
        rows, cols, sims = rows[other], cols[other], sims[other]
        # best first within each row (rows ascending; cosines are in [0, 1]); a stable sort
        # over the columns in ascending order sends ties to the lower id
        by_col = np.argsort(cols, kind="stable")
        key = (rows[by_col] - start) * 2.0 + (1.0 - np.clip(sims[by_col], 0.0, 1.0))
        order = by_col[np.argsort(key, kind="stable")]
        rows, cols = rows[order], cols[order]
        first = np.searchsorted(rows, rows, side="left")
        top = (np.arange(rows.shape[0]) - first) < k
        lefts.append(rows[top])
        rights.append(cols[top])
    return np.concatenate(lefts), np.concatenate(rights)


def _average_linkage(
    n: int,
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
    threshold: float,
) -> npt.NDArray[np.int64]:
    """Average-linkage clusters of a sparse similarity graph (missing edges count 0).

    Merges the two clusters of highest mean pair similarity while it reaches ``threshold``;
    ties go to the lower cluster ids, so the result does not depend on hashing.
    """
    size = [1] * n
    links: list[dict[int, float]] = [{} for _ in range(n)]
    for i, j, s in zip(left.tolist(), right.tolist(), scores.tolist(), strict=True):
        links[i][j] = links[i].get(j, 0.0) + s
        links[j][i] = links[j].get(i, 0.0) + s
    heap: list[tuple[float, int, int, int, int]] = []
    for i in range(n):
        for j, s in links[i].items():
            if i < j and s >= threshold:
                heapq.heappush(heap, (-s, i, j, 1, 1))
    alive = [True] * n
    parent = list(range(n))
    while heap:
        neg, i, j, si, sj = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or size[i] != si or size[j] != sj:
            continue
        if -neg < threshold:
            break
        # merge j into i (keep the smaller id as the cluster's name)
        alive[j] = False
        parent[j] = i
        size[i] += size[j]
        del links[i][j]
        del links[j][i]
        for c, s in links[j].items():
            del links[c][j]
            links[i][c] = links[i].get(c, 0.0) + s
            links[c][i] = links[i][c]
        links[j] = {}
        for c, s in links[i].items():
            mean = s / (size[i] * size[c])
            if mean >= threshold:
                a, b = (i, c) if i < c else (c, i)
                heapq.heappush(heap, (-mean, a, b, size[a], size[b]))
    root = np.arange(n, dtype=np.int64)
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        root[i] = r
    return root


def _binary(rows: list[list[str]], vocabulary: dict[str, int] | None = None) -> Any:
    """Sparse binary matrix (one row per token list) and the column of every token."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

    vocab: dict[str, int] = {} if vocabulary is None else vocabulary
    indptr = [0]
    indices: list[int] = []
    for tokens in rows:
        cols = {vocab.setdefault(t, len(vocab)) for t in tokens}
        indices.extend(sorted(cols))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return csr_matrix(
        (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(rows), max(len(vocab), 1)),
    )


def _pair_conflicts(
    numbers: list[list[str]], left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """:func:`number_conflict` of every candidate pair at once, through sparse matrices.

    Years: a sparse binary matrix of the years of each text; a pair conflicts (1.0) when both
    rows have years and their row-wise overlap is empty. Units: one binary matrix of the units
    each text gives a value for and one of its ``unit=value`` tokens; every unit both give
    (overlap of the unit rows) and that has no common value (overlap of the value rows, folded
    onto units) adds a half. Capped at 1.
    """
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - keep imports light

    if not left.size:
        return np.empty(0, dtype=np.float64)
    years = _binary([[t for t in toks if t.startswith("y:")] for toks in numbers])
    keyed = [[t[2:] for t in toks if t.startswith("k:")] for toks in numbers]
    value_vocab: dict[str, int] = {}
    values = _binary(keyed, value_vocab)
    unit_vocab: dict[str, int] = {}
    units = _binary([[k.partition("=")[0] for k in toks] for toks in keyed], unit_vocab)
    has_years = np.diff(years.indptr) > 0
    shared_years = np.diff(years[left].multiply(years[right]).tocsr().indptr)
    conflict = (has_years[left] & has_years[right] & (shared_years == 0)).astype(np.float64)
    if value_vocab:
        fold_cols = np.fromiter(
            (unit_vocab[k.partition("=")[0]] for k in value_vocab),
            dtype=np.int64,
            count=len(value_vocab),
        )
        fold = csr_matrix(
            (
                np.ones(len(value_vocab), dtype=np.float32),
                (np.fromiter(value_vocab.values(), dtype=np.int64), fold_cols),
            ),
            shape=(values.shape[1], units.shape[1]),
        )
        shared_units = np.diff(units[left].multiply(units[right]).tocsr().indptr)
        agreed = (values[left].multiply(values[right]).tocsr() @ fold).tocsr()
        agreed.eliminate_zeros()
        conflict += 0.5 * (shared_units - np.diff(agreed.indptr))
    capped: npt.NDArray[np.float64] = np.minimum(conflict, 1.0)
    return capped


def _days(dates: Sequence[datetime | None]) -> npt.NDArray[np.float64]:
    """Publication times as days since the epoch (fractional), NaN where unknown."""
    return np.array(
        [np.nan if d is None else d.timestamp() / 86400.0 for d in dates], dtype=np.float64
    )


def _pair_time_penalties(
    days: npt.NDArray[np.float64],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    window_days: float,
) -> npt.NDArray[np.float64]:
    """:func:`time_penalty` of every candidate pair at once (NaN days never count)."""
    if not left.size:
        return np.empty(0, dtype=np.float64)
    gap = np.abs(days[left] - days[right])
    if window_days > 0:
        penalty = np.clip((gap - window_days) / (2.0 * window_days), 0.0, 1.0)
    else:
        penalty = (gap > 0).astype(np.float64)
    return np.where(np.isnan(gap), 0.0, penalty)
