"""N-way, order-free alignment of the sentences of several reports into claims.

The alignment works on sentences only (no positions): a sentence may match one anywhere in
another report, and reordering a report's sentences does not change the claims.

1. **Candidates.** Every sentence is compared with every sentence of the other reports by
   character n-gram TF-IDF cosine (one sparse product per report); for each sentence and each
   other report the ``candidates`` most similar sentences (cosine at least ``min_cosine``)
   become candidate pairs. This bounds the work at about ``n_sentences * n_reports *
   candidates`` pairs, whatever the reports' length.
2. **Scores.** The sentence scorer scores all candidate pairs in one call.
3. **Greedy N-way merge.** Pairs at or above the threshold are taken best first; two clusters
   merge when they share no report and the mean score over all their cross-report pairs
   (pairs that are not candidates count 0) reaches ``link * threshold``. This is average
   linkage with a one-sentence-per-report constraint: a claim cannot chain A~B~C when A and C
   have nothing in common.
4. **Many-to-one.** A sentence left alone joins a claim that already holds a sentence of its
   own report when it restates that claim (its best score to another report's sentence in the
   claim reaches the threshold) or carries the rest of it: at least ``join_coverage`` of its
   content words occur in the other reports' sentences of the claim and at least two of them
   are not yet in its report's cell (one outlet says in two sentences what another says in
   one).

Ties are broken by sentence text, never by position, so the result does not depend on the
order of sentences within a report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer

from storymatch.differ.similarity import Scorer
from storymatch.errors import InvalidParameterError

__all__ = ["Alignment", "align_sentences"]

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+(?:[.,'\u2019-][^\W_]+)*")
_STOP_WORDS = """a an the and or but of to in on at for from by with as is are was were be been
being it its this that these those he she they them his her their we our you your i me my has
have had do does did not no so than then there here which who whom whose what when where how
also after before over under into out up about said says say told will would could can may might
should just more most some any all other such only very new one"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class Alignment:
    """The result of :func:`align_sentences`.

    Parameters
    ----------
    clusters : tuple of tuple of (int, int)
        One entry per claim: the ``(report, sentence)`` index pairs of its sentences, sorted.
        Every sentence of every report is in exactly one cluster.
    scores : dict of ((int, int), (int, int)) to float
        The scorer's score of every candidate pair that was scored, keyed with the smaller
        ``(report, sentence)`` first.
    n_candidates : int
        Number of candidate pairs scored.
    """

    clusters: tuple[tuple[tuple[int, int], ...], ...]
    scores: dict[tuple[tuple[int, int], tuple[int, int]], float]
    n_candidates: int


def _content_words(text: str) -> frozenset[str]:
    return frozenset(
        w for w in (m.group().casefold() for m in _WORD.finditer(text)) if w not in _STOP
    )


def _candidate_pairs(
    texts: Sequence[str],
    owner: npt.NDArray[np.intp],
    n_reports: int,
    *,
    candidates: int,
    min_cosine: float,
) -> npt.NDArray[np.intp]:
    """Return candidate pairs ``(i, j)``, ``i < j``, of global sentence indices, sorted."""
    if len(texts) < 2:  # noqa: PLR2004
        return np.empty((0, 2), dtype=np.intp)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # every sentence is shorter than three characters: no features
        return np.empty((0, 2), dtype=np.intp)
    starts = np.searchsorted(owner, np.arange(n_reports + 1))
    found: list[npt.NDArray[np.intp]] = []
    for r in range(n_reports):
        lo, hi = starts[r], starts[r + 1]
        if lo == hi or hi == len(texts):
            continue
        # only reports after r: each unordered pair of reports is looked at from both sides
        # below, by also taking the top columns of the transposed block.
        block = (matrix[lo:hi] @ matrix[hi:].T).toarray()
        for s in range(r + 1, n_reports):
            c_lo, c_hi = starts[s] - hi, starts[s + 1] - hi
            if c_lo == c_hi:
                continue
            sub = block[:, c_lo:c_hi]
            for view, transposed in ((sub, False), (sub.T, True)):
                k = min(candidates, view.shape[1])
                top = np.argpartition(-view, k - 1, axis=1)[:, :k]
                rows = np.repeat(np.arange(view.shape[0]), k)
                cols = top.ravel()
                keep = view[rows, cols] >= min_cosine
                rows, cols = rows[keep], cols[keep]
                if transposed:
                    pair = np.stack([cols + lo, rows + starts[s]], axis=1)
                else:
                    pair = np.stack([rows + lo, cols + starts[s]], axis=1)
                found.append(pair.astype(np.intp))
    if not found:
        return np.empty((0, 2), dtype=np.intp)
    return np.unique(np.concatenate(found), axis=0)


def align_sentences(
    reports: Sequence[Sequence[str]],
    *,
    scorer: Scorer,
    threshold: float | None = None,
    link: float = 1.0,
    candidates: int = 3,
    min_cosine: float = 0.1,
    join_coverage: float = 0.6,
) -> Alignment:
    """Align the sentences of several reports into claims, N-way and order-free.

    Parameters
    ----------
    reports : sequence of sequence of str
        The sentences of each report.
    scorer : Scorer
        Sentence-pair scorer (see :mod:`storymatch.differ.similarity`).
    threshold : float or None, default=None
        Score at which two sentences state the same claim; ``scorer.threshold`` when None.
    link : float, default=1.0
        Two clusters merge only when the mean score of all their cross-report sentence pairs
        (pairs that were not scored count 0) reaches ``link * threshold`` (average linkage;
        0 turns the check off).
    candidates : int, default=3
        Candidate sentences per sentence and other report (by TF-IDF cosine).
    min_cosine : float, default=0.1
        Character n-gram cosine below which a pair is never scored.
    join_coverage : float, default=0.6
        Share of a left-over sentence's content words that must occur in a claim's other
        reports for it to join its own report's cell there (many-to-one).

    Returns
    -------
    Alignment

    Raises
    ------
    InvalidParameterError
        When a parameter is out of range.

    Examples
    --------
    >>> from storymatch.differ.similarity import TokenSetScorer
    >>> a = ["The storm killed 12 people.", "Schools closed on Monday."]
    >>> b = ["Schools were closed on Monday.", "The storm killed 12 people, officials said."]
    >>> result = align_sentences([a, b], scorer=TokenSetScorer())
    >>> sorted(result.clusters)
    [((0, 0), (1, 1)), ((0, 1), (1, 0))]
    """
    thr = scorer.threshold if threshold is None else threshold
    if not 0.0 < thr <= 1.0:
        msg = f"threshold must be in (0, 1], got {thr!r}"
        raise InvalidParameterError(msg)
    if not 0.0 <= link <= 1.0:
        msg = f"link must be in [0, 1], got {link!r}"
        raise InvalidParameterError(msg)
    if candidates < 1:
        msg = f"candidates must be >= 1, got {candidates!r}"
        raise InvalidParameterError(msg)
    if not 0.0 <= join_coverage <= 1.0:
        msg = f"join_coverage must be in [0, 1], got {join_coverage!r}"
        raise InvalidParameterError(msg)

    keys: list[tuple[int, int]] = [
        (r, i) for r, sents in enumerate(reports) for i in range(len(sents))
    ]
    texts = [reports[r][i] for r, i in keys]
    owner = np.array([r for r, _ in keys], dtype=np.intp)
    pairs = _candidate_pairs(
        texts, owner, len(reports), candidates=candidates, min_cosine=min_cosine
    )
    if len(pairs):
        values = np.asarray(
            scorer([texts[i] for i in pairs[:, 0]], [texts[j] for j in pairs[:, 1]]),
            dtype=np.float64,
        )
    else:
        values = np.empty(0, dtype=np.float64)
    score_of: dict[tuple[int, int], float] = {
        (int(i), int(j)): float(v) for (i, j), v in zip(pairs, values, strict=True)
    }
    logger.debug("align: %d sentences, %d candidate pairs", len(texts), len(pairs))

    def pair_score(i: int, j: int) -> float:
        return score_of.get((i, j) if i < j else (j, i), 0.0)

    # --- greedy N-way merge, best pairs first, ties by text (order-free)
    parent = list(range(len(texts)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(texts))}
    reports_of: dict[int, set[int]] = {i: {int(owner[i])} for i in range(len(texts))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    strong = [(i, j, v) for (i, j), v in score_of.items() if v >= thr]
    strong.sort(key=lambda t: (-t[2], *sorted((texts[t[0]], texts[t[1]]))))
    floor = link * thr
    for i, j, _ in strong:
        ci, cj = find(i), find(j)
        if ci == cj or reports_of[ci] & reports_of[cj]:
            continue
        if floor > 0.0:
            total = sum(pair_score(x, y) for x in members[ci] for y in members[cj])
            if total / (len(members[ci]) * len(members[cj])) < floor:
                continue
        if len(members[ci]) < len(members[cj]):
            ci, cj = cj, ci
        parent[cj] = ci
        members[ci].extend(members.pop(cj))
        reports_of[ci] |= reports_of.pop(cj)

    # --- many-to-one: left-over sentences join their own report's cell of a claim
    words = [_content_words(t) for t in texts]
    neighbours: dict[int, list[int]] = {}
    for i, j in score_of:
        neighbours.setdefault(i, []).append(j)
        neighbours.setdefault(j, []).append(i)
    singles = [i for i in range(len(texts)) if len(members[find(i)]) == 1]
    singles.sort(
        key=lambda i: (
            -max((pair_score(i, j) for j in neighbours.get(i, ())), default=0.0),
            texts[i],
        )
    )
    for x in singles:
        if len(members[find(x)]) != 1:  # pragma: no cover - singles only grow by this loop
            continue
        rx = int(owner[x])
        best: tuple[float, int, str, int] | None = None
        for y in neighbours.get(x, ()):
            c = find(y)
            if rx not in reports_of[c]:
                continue
            others = [m for m in members[c] if int(owner[m]) != rx]
            if not others:
                continue
            top = max(pair_score(x, m) for m in others)
            if top >= thr:
                gain = len(words[x])
            else:
                if not words[x]:
                    continue
                seen = frozenset().union(*(words[m] for m in others))
                covered = words[x] & seen
                own = frozenset().union(*(words[m] for m in members[c] if int(owner[m]) == rx))
                new = covered - own
                if len(covered) < join_coverage * len(words[x]) or len(new) < 2:  # noqa: PLR2004
                    continue
                gain = len(new)
            key = (top, gain, min(texts[m] for m in members[c]), c)
            if best is None or key[:3] > best[:3]:
                best = key
        if best is not None:
            c = best[3]
            parent[x] = c
            members[c].extend(members.pop(x))

    clusters = tuple(sorted(tuple(sorted(keys[m] for m in group)) for group in members.values()))
    return Alignment(
        clusters=clusters,
        scores={(keys[i], keys[j]): v for (i, j), v in score_of.items()},
        n_candidates=len(pairs),
    )
