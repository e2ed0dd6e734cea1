"""N-way, order-free alignment of the sentences of several reports into claims.

The alignment works on sentences only (no positions): a sentence may match one anywhere in
another report, and reordering a report's sentences does not change the claims.

1. **Candidates.** Every sentence is compared with every sentence of the other reports by
   the rows of a :class:`~storymatch.differ.cosine.RowScorer` (the scorer itself when it is
   one, such as the default cosine or the combined TF-IDF + embedding scorer; character
   n-gram TF-IDF rows otherwise), one sparse product per report (and one dense product for
   dense columns such as sentence embeddings, kept out of the sparse product:
   :func:`~storymatch.differ.cosine.row_parts`); for each sentence and each other report the
   ``candidates`` most similar sentences (at least ``min_cosine``) become candidate pairs.
   This bounds the work at about ``n_sentences * n_reports * candidates`` pairs, whatever
   the reports' length.
2. **Scores.** A row scorer's scores are the products of its rows (clipped to [0, 1]); any
   other sentence scorer scores all candidate pairs in one call.
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
from typing import cast

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from storymatch.differ.cosine import CosineScorer, RowScorer, row_parts
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
_CHUNK = 512  # sentences per sparse product when looking for candidates


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
    links : tuple of (int, int), default=()
        Pairs of cluster indices ``(a, b)``, ``a < b``, with a sentence pair scoring at or
        above the threshold that the merge kept apart (a secondary match: shown as a link,
        not merged).
    """

    clusters: tuple[tuple[tuple[int, int], ...], ...]
    scores: dict[tuple[tuple[int, int], tuple[int, int]], float]
    n_candidates: int
    links: tuple[tuple[int, int], ...] = ()


def _content_words(text: str) -> frozenset[str]:
    return frozenset(
        w for w in (m.group().casefold() for m in _WORD.finditer(text)) if w not in _STOP
    )


def _char_rows(texts: Sequence[str]) -> sp.csr_matrix | None:
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True, dtype=np.float32
    )
    try:
        return sp.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # every sentence is shorter than three characters: no features
        return None


def _candidate_pairs(
    rows: sp.csr_matrix | None,
    owner: npt.NDArray[np.intp],
    n_reports: int,
    *,
    candidates: int,
    min_cosine: float,
    dense: npt.NDArray[np.float32] | None = None,
    chunk: int = _CHUNK,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
    """Return candidate pairs ``(i, j)``, ``i < j``, sorted, and their row products.

    For each sentence and each other report, its ``candidates`` nearest sentences there. The
    rows are ``rows`` (sparse) beside ``dense`` (dense columns such as sentence embeddings,
    multiplied as dense arrays). The products are taken ``chunk`` sentences at a time, so
    memory grows with ``chunk`` times the length of a report, never with the square of all
    sentences.
    """
    n = len(owner)
    if rows is None or n < 2:  # noqa: PLR2004
        return np.empty((0, 2), dtype=np.intp), np.empty(0, dtype=np.float64)
    starts = np.searchsorted(owner, np.arange(n_reports + 1))
    found: list[npt.NDArray[np.intp]] = []
    # each report's rows, transposed once (slicing columns of a transposed CSR matrix for
    # every pair of reports costs more than the products)
    report_cols = [sp.csr_matrix(rows[starts[s] : starts[s + 1]].T) for s in range(n_reports)]
    # the same for the dense columns, contiguous (a product with a transposed view is far
    # slower than with a contiguous copy)
    dense_cols = (
        None
        if dense is None
        else [np.ascontiguousarray(dense[starts[s] : starts[s + 1]].T) for s in range(n_reports)]
    )
    for r in range(n_reports):
        for lo in range(starts[r], starts[r + 1], chunk):
            hi = min(lo + chunk, starts[r + 1])
            left = rows[lo:hi]
            for s in range(n_reports):
                if s == r or starts[s] == starts[s + 1]:
                    continue
                k = min(candidates, starts[s + 1] - starts[s])
                block = (left @ report_cols[s]).toarray()
                if dense is not None and dense_cols is not None:
                    block += dense[lo:hi] @ dense_cols[s]
                top = np.argpartition(-block, k - 1, axis=1)[:, :k]
                at = np.repeat(np.arange(hi - lo), k)
                keep = block[at, top.ravel()] >= min_cosine
                i = at[keep] + lo
                j = top.ravel()[keep] + starts[s]
                found.append(np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.intp), np.empty(0, dtype=np.float64)
    pairs = np.unique(np.concatenate(found).astype(np.intp), axis=0)
    return pairs, _products(rows, dense, pairs[:, 0], pairs[:, 1])


def _products(
    rows: sp.csr_matrix,
    dense: npt.NDArray[np.float32] | None,
    a: npt.NDArray[np.intp],
    b: npt.NDArray[np.intp],
) -> npt.NDArray[np.float64]:
    """Return the product of rows ``a[k]`` and ``b[k]``: sparse part plus dense part.

    The dense part is summed column by column over all pairs at once, so a pair's value is
    the same float32 sum wherever the pair sits in ``a`` and ``b`` (order-free).
    """
    values = np.asarray(rows[a].multiply(rows[b]).sum(axis=1), dtype=np.float32).ravel()
    if dense is not None:
        columns = np.ascontiguousarray(dense.T)
        for column in columns:
            values += column[a] * column[b]
    return values.astype(np.float64)


def align_sentences(
    reports: Sequence[Sequence[str]],
    *,
    scorer: Scorer | None = None,
    threshold: float | None = None,
    link: float = 0.7,
    candidates: int = 3,
    min_cosine: float = 0.1,
    join_coverage: float = 0.6,
    mutual: float = 2 / 3,
) -> Alignment:
    """Align the sentences of several reports into claims, N-way and order-free.

    Parameters
    ----------
    reports : sequence of sequence of str
        The sentences of each report.
    scorer : Scorer or None, default=None
        Sentence-pair scorer (see :mod:`storymatch.differ.similarity`); a
        :class:`~storymatch.differ.cosine.CosineScorer`, fitted on these reports, when None.
    threshold : float or None, default=None
        Score at which two sentences state the same claim; ``scorer.threshold`` when None.
    link : float, default=0.7
        Two clusters merge only when the mean score of all their cross-report sentence pairs
        reaches ``link * threshold`` (average linkage; 0 turns the check off). With a row
        scorer (the cosine and semantic scorers) every pair has its score; with another
        scorer, pairs that were not candidates count 0.
    candidates : int, default=3
        Candidate sentences per sentence and other report (by the rows' products: the
        scorer's own when it is a row scorer, character TF-IDF cosine otherwise).
    min_cosine : float, default=0.1
        Cosine below which a pair is never scored.
    join_coverage : float, default=0.6
        A sentence left alone joins its own report's cell of a claim only when it restates
        the claim (its score with a sentence of another report there reaches the threshold),
        or when at least this share of its content words occur in the other reports'
        sentences of the claim, two of them new to its own cell, *and* its score with one of
        them reaches half the threshold (it carries the rest of what they say).
    mutual : float, default=2/3
        Two sentences that are each other's best match in the other's report (mutual best)
        count as the same claim from ``mutual * threshold`` on; 1 turns this off. Mutual best
        pairs are far surer than other pairs of the same score (claims_dev, cosine scorer:
        precision 0.77 against 0.59 for the one-sided best match at score 0.2).

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
    scorer = CosineScorer() if scorer is None else scorer
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
    if not 0.0 < mutual <= 1.0:
        msg = f"mutual must be in (0, 1], got {mutual!r}"
        raise InvalidParameterError(msg)

    keys: list[tuple[int, int]] = [
        (r, i) for r, sents in enumerate(reports) for i in range(len(sents))
    ]
    texts = [reports[r][i] for r, i in keys]
    owner = np.array([r for r, _ in keys], dtype=np.intp)
    cosine = isinstance(scorer, RowScorer)
    rows: sp.csr_matrix | None
    dense: npt.NDArray[np.float32] | None = None
    if cosine and texts:
        rows, dense = row_parts(cast("RowScorer", scorer), texts)
    else:
        rows = _char_rows(texts) if texts else None
    pairs, values = _candidate_pairs(
        rows, owner, len(reports), candidates=candidates, min_cosine=min_cosine, dense=dense
    )
    values = np.clip(values, 0.0, 1.0)
    if len(pairs) and not cosine:
        values = np.asarray(
            scorer([texts[i] for i in pairs[:, 0]], [texts[j] for j in pairs[:, 1]]),
            dtype=np.float64,
        )
    score_of: dict[tuple[int, int], float] = {
        (int(i), int(j)): float(v) for (i, j), v in zip(pairs, values, strict=True)
    }
    logger.debug("align: %d sentences, %d candidate pairs", len(texts), len(pairs))

    def pair_score(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        value = score_of.get(key)
        if value is None:
            if not cosine or rows is None:
                value = 0.0
            elif dense is None:
                value = min(max(float(rows[i].multiply(rows[j]).sum()), 0.0), 1.0)
            else:
                product = _products(rows, dense, np.array([i]), np.array([j]))[0]
                value = min(max(float(product), 0.0), 1.0)
            score_of[key] = value
        return value

    # --- greedy N-way merge, best pairs first, ties by text (order-free)
    parent = list(range(len(texts)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(texts))}
    reports_of: dict[int, set[int]] = {i: {int(owner[i])} for i in range(len(texts))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # a pair is strong at the threshold, or at ``mutual * threshold`` when each sentence is
    # the other's best match in the other's report (mutual best: the pair nothing competes with)
    best_of: dict[tuple[int, int], tuple[float, str, int]] = {}
    for (i, j), v in score_of.items():
        for x, y in ((i, j), (j, i)):
            slot = (x, int(owner[y]))
            entry = (v, texts[y], y)
            if slot not in best_of or entry[:2] > best_of[slot][:2]:
                best_of[slot] = entry
    low = mutual * thr
    strong = [
        (i, j, v)
        for (i, j), v in score_of.items()
        if v >= thr
        or (v >= low and best_of[i, int(owner[j])][2] == j and best_of[j, int(owner[i])][2] == i)
    ]
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
    for i, j in list(score_of):
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
                if not words[x] or top < thr / 2:
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

    ordered = sorted(
        (tuple(sorted(keys[m] for m in group)), root) for root, group in members.items()
    )
    clusters = tuple(c for c, _ in ordered)
    index_of = {root: k for k, (_, root) in enumerate(ordered)}
    links: set[tuple[int, int]] = set()
    for (i, j), v in score_of.items():
        if v >= thr:
            a, b = index_of[find(i)], index_of[find(j)]
            if a != b:
                links.add((min(a, b), max(a, b)))
    return Alignment(
        clusters=clusters,
        scores={(keys[i], keys[j]): v for (i, j), v in score_of.items()},
        n_candidates=len(pairs),
        links=tuple(sorted(links)),
    )
