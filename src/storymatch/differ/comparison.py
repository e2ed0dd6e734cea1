"""Build a :class:`~storymatch.models.Comparison` from the reports of one event.

Cleaning (page chrome out), sentence splitting, the N-way alignment of
:mod:`storymatch.differ.align`, then for every claim its status, moved flag, the score and
word-level diff of each pair of cells (:mod:`storymatch.differ.worddiff`) and their conflicts
(:mod:`storymatch.differ.conflicts`), and a coverage summary per outlet.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import logging
import re
import time
from collections.abc import Sequence

import numpy as np

from storymatch._estimator import as_articles
from storymatch.differ.align import Alignment, align_sentences
from storymatch.differ.chrome import chrome_kind
from storymatch.differ.conflicts import find_conflicts, find_framing
from storymatch.differ.cosine import COSINE_THRESHOLD, CosineScorer, RowScorer
from storymatch.differ.similarity import Scorer
from storymatch.differ.worddiff import word_diff
from storymatch.errors import InvalidParameterError
from storymatch.models import (
    Article,
    Cell,
    Claim,
    ClaimStatus,
    Comparison,
    Conflict,
    Coverage,
    Nearest,
    Outlet,
    PairDiff,
    Sentence,
)
from storymatch.text.clean import clean
from storymatch.text.sentences import SentenceSplitter, split_sentences

__all__ = [
    "CLAIM_THRESHOLD",
    "SCORER_NAMES",
    "claim_scorer",
    "compare",
    "quote_groups",
    "report_sentences",
    "scorer_name",
    "source_spans",
]

logger = logging.getLogger(__name__)

_MOVED = 0.5  # relative-position spread above which a claim counts as moved

CLAIM_THRESHOLD = COSINE_THRESHOLD
"""Score at which the lexical scorer puts two sentences of different outlets in one claim.

The lexical scorer is :class:`~storymatch.differ.cosine.CosineScorer` (word and character
TF-IDF cosines weighted on the event's own sentences); the combined scorer of the
``semantic`` extra has its own (:data:`storymatch.differ.semantic.COMBINED_THRESHOLD`). See
``benchmarks/claims_quality.py`` for the measured choices."""

SCORER_NAMES = ("auto", "lexical", "combined", "semantic")
"""Names :func:`claim_scorer` and ``compare(scorer=...)`` accept."""


def claim_scorer(name: str = "auto") -> RowScorer:
    """Return the scorer of comparisons named ``name``.

    Parameters
    ----------
    name : {"auto", "lexical", "combined", "semantic"}, default="auto"
        ``"lexical"``: :class:`~storymatch.differ.cosine.CosineScorer` at ``CLAIM_THRESHOLD``
        (word and character TF-IDF; no model, byte-identical on every machine).
        ``"combined"``: :class:`~storymatch.differ.semantic.CombinedScorer`, the mean of that
        cosine and the cosine of MiniLM sentence embeddings (the ``semantic`` extra).
        ``"semantic"``: :class:`~storymatch.differ.semantic.SemanticScorer`, the embeddings
        alone. ``"auto"``: ``"combined"`` when the ``semantic`` extra is installed (it finds
        more of the claims two outlets word differently at the same precision, see
        ``docs/concepts/compare.md``), ``"lexical"`` otherwise.

    Returns
    -------
    RowScorer

    Raises
    ------
    InvalidParameterError
        When ``name`` is not one of :data:`SCORER_NAMES`.
    MissingDependencyError
        When ``name`` is ``"combined"`` or ``"semantic"`` and the extra is not installed.
    """
    if name not in SCORER_NAMES:
        msg = (
            f"The 'scorer' parameter must be a scorer or one of {', '.join(SCORER_NAMES)}. "
            f"Got {name!r} instead."
        )
        raise InvalidParameterError(msg)
    if name == "lexical":
        return CosineScorer(threshold=CLAIM_THRESHOLD)
    from storymatch.differ import semantic  # noqa: PLC0415 - numpy/scipy only until used

    if name == "auto":
        name = "combined" if semantic.semantic_available() else "lexical"
        logger.debug(
            "claim scorer: %s (semantic extra %s)",
            name,
            "installed" if name == "combined" else "not installed",
        )
        if name == "lexical":
            return CosineScorer(threshold=CLAIM_THRESHOLD)
    if name == "semantic":
        return semantic.SemanticScorer()
    return semantic.CombinedScorer()


def scorer_name(scorer: object) -> str:
    """Return the name a comparison records for ``scorer``: its ``name``, else its class name."""
    name = getattr(scorer, "name", None)
    return name if isinstance(name, str) else type(scorer).__name__


_LEAD = 3  # sentences that make a report's lead


def report_sentences(
    article: Article, *, clean_text: bool = True, splitter: SentenceSplitter | None = None
) -> list[Sentence]:
    """Split one report into the sentences a comparison aligns.

    Parameters
    ----------
    article : Article
        The report.
    clean_text : bool, default=True
        Remove page chrome first (:func:`storymatch.text.clean.clean`); sentence spans then
        point into the cleaned text.
    splitter : SentenceSplitter or None, default=None
        Sentence splitter; :func:`storymatch.text.sentences.split_sentences` when None.

    Returns
    -------
    list of Sentence
    """
    text = clean(article.text, title=article.title).text if clean_text else article.text
    return (splitter or split_sentences)(text)


def source_spans(
    original: str, cleaned: str, sentences: Sequence[Sentence]
) -> list[tuple[int, int]]:
    r"""Return each sentence's span in ``original``, given spans into its cleaned text.

    Cleaning keeps whole lines of the original, stripped, in their order (see
    :func:`storymatch.text.clean.clean`), so every line of ``cleaned`` is found in
    ``original`` after the previous one; a sentence's start and end map through the lines
    that hold them.

    Parameters
    ----------
    original : str
        The text that was cleaned.
    cleaned : str
        The cleaned text the sentences' spans point into.
    sentences : sequence of Sentence

    Returns
    -------
    list of (int, int)
        ``(start, end)`` in ``original`` for each sentence.

    Examples
    --------
    >>> from storymatch.models import Sentence
    >>> source_spans("Menu\n  Rain fell.\n", "Rain fell.", [Sentence("Rain fell.", 0, 10)])
    [(7, 17)]
    """
    if original == cleaned:
        return [(s.start, s.end) for s in sentences]
    line_clean: list[int] = []
    line_orig: list[int] = []
    cursor = pos = 0
    for line in cleaned.split("\n"):
        if line:
            found = original.find(line, cursor)
            if found < 0:  # pragma: no cover - cleaning only keeps lines of the original
                found = cursor
            line_clean.append(pos)
            line_orig.append(found)
            cursor = found + len(line)
        pos += len(line) + 1

    def at(offset: int) -> int:
        k = max(bisect.bisect_right(line_clean, offset) - 1, 0)
        return line_orig[k] + offset - line_clean[k] if line_clean else offset

    return [
        (at(s.start), at(max(s.end - 1, s.start)) + (1 if s.end > s.start else 0))
        for s in sentences
    ]


def _chrome_sentences(text: str, sentences: Sequence[Sentence]) -> set[int]:
    """Return the indices of the sentences that are page chrome (a whole line or themselves).

    A caption is often split in two ("Smith speaks on Monday." + "(AP Photo/Jane Doe)"), so a
    line that is chrome as a whole takes every sentence inside it along.
    """
    apart = {k for k, s in enumerate(sentences) if chrome_kind(s.text) is not None}
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip() and chrome_kind(line) is not None:
            apart.update(k for k, s in enumerate(sentences) if start <= s.start and s.end <= end)
    return apart


_WORDS = re.compile(r"[^\W_]+")
_SHORT = 5  # words of a quote's continuation that cannot stand alone ("God help us.")
_OPEN_QUOTES = frozenset("\u201c\u00ab")
_CLOSE_QUOTES = frozenset("\u201d\u00bb")


def _quote_open_after(text: str, *, open_: bool) -> bool:
    """Return whether a quotation is open after ``text``, given whether it was before."""
    for ch in text:
        if ch in _OPEN_QUOTES:
            open_ = True
        elif ch in _CLOSE_QUOTES or (ch == '"' and open_):
            open_ = False
        elif ch == '"':
            open_ = True
    return open_


def quote_groups(sentences: Sequence[Sentence]) -> list[list[int]]:
    """Group the sentences of one report into the units the aligner compares.

    A short sentence (at most five words) that starts inside a quotation opened by the
    sentence before it (same paragraph) continues that sentence: ``"Trump says he wants to
    run the nation like he's running his business?`` + ``God help us."`` is one statement,
    which another outlet may quote in one sentence, and a lone closing quote mark is no
    sentence at all. A longer sentence states its own fact and stays a unit of its own (a
    quote's later sentence may be what another outlet reports). Measured on ``claims_dev``
    (combined scorer): pair F1 0.576 -> 0.589 at precision 0.776 -> 0.782; grouping every
    continuation, whatever its length, gave recall 0.57 at precision 0.70.

    Parameters
    ----------
    sentences : sequence of Sentence
        One report's sentences, in order.

    Returns
    -------
    list of list of int
        Consecutive sentence indices, every index once, in order.

    Examples
    --------
    >>> from storymatch.models import Sentence
    >>> s = [Sentence("He said: \u201cNo.", 0, 14), Sentence("Never.\u201d", 15, 22),
    ...      Sentence("Rain fell.", 23, 33)]
    >>> quote_groups(s)
    [[0, 1], [2]]
    """
    groups: list[list[int]] = []
    open_ = False
    for k, sentence in enumerate(sentences):
        if (
            groups
            and open_
            and sentence.paragraph == sentences[k - 1].paragraph
            and len(_WORDS.findall(sentence.text)) <= _SHORT
        ):
            groups[-1].append(k)
        else:
            groups.append([k])
            open_ = False
        open_ = _quote_open_after(sentence.text, open_=open_)
    return groups


def _publication_day(article: Article) -> dt.date | None:
    """Return the day ``article`` was published (relative dates count from it), or None."""
    try:
        published = article.published
    except ValueError:  # a date that is not ISO 8601: relative dates are left unread
        return None
    return published.date() if published is not None else None


def _status(n_cells: int, n_outlets: int) -> ClaimStatus:
    if n_cells == n_outlets:
        return "all"
    if n_cells == 1:
        return "one"
    return "some"


def compare(
    articles: Sequence[Article] | Sequence[str],
    *,
    scorer: Scorer | str | None = None,
    threshold: float | None = None,
    clean_text: bool = True,
    splitter: SentenceSplitter | None = None,
    event: str | None = None,
    link: float = 0.7,
    candidates: int = 3,
    mutual: float = 2 / 3,
) -> Comparison:
    """Align the reports of one event into a table of claims.

    Parameters
    ----------
    articles : sequence of Article or str
        The reports, one column each, in this order (strings get the ids "0", "1", ...).
    scorer : Scorer, str or None, default=None
        Sentence-pair scorer, or the name of a built-in one (see :func:`claim_scorer`):
        ``"lexical"`` (TF-IDF cosines, no model), ``"combined"`` (TF-IDF and MiniLM
        embeddings, the ``semantic`` extra), ``"semantic"``. None is ``"auto"``: combined
        when the ``semantic`` extra is installed, lexical otherwise. The name of the scorer
        used is recorded in ``Comparison.scorer`` and logged.
    threshold : float or None, default=None
        Score at which two sentences state the same claim; the scorer's own when None.
    clean_text : bool, default=True
        Remove page chrome before splitting (see :func:`report_sentences`).
    splitter : SentenceSplitter or None, default=None
        Sentence splitter; the built-in one when None.
    event : str or None, default=None
        Event id to record in the result.
    link, candidates, mutual : float, int, float
        Passed to :func:`storymatch.differ.align.align_sentences`.

    Returns
    -------
    Comparison

    Raises
    ------
    InvalidParameterError
        When ``articles`` is empty, holds something else than articles or strings, or repeats
        an id; or when an option is out of range or ``scorer`` an unknown name.
    MissingDependencyError
        When ``scorer`` names a scorer of the ``semantic`` extra and it is not installed.

    Examples
    --------
    >>> from storymatch import Article
    >>> a = Article("a", "The storm killed 12 people. Schools closed on Monday.", source="one")
    >>> b = Article("b", "Schools were closed on Monday. The storm killed 15 people.", source="two")
    >>> result = compare([a, b])
    >>> [c.status for c in result.claims]
    ['all', 'all']
    >>> [f.kind for c in result.claims for f in c.conflicts]
    ['number']
    """
    started = time.perf_counter()
    reports = as_articles(articles, name="articles", function="compare")
    if not reports:
        msg = "The 'articles' parameter must hold at least one article. Got none."
        raise InvalidParameterError(msg)
    if scorer is None or isinstance(scorer, str):
        scorer = claim_scorer("auto" if scorer is None else scorer)
    thr = scorer.threshold if threshold is None else threshold
    sentences: list[list[Sentence]] = []
    spans: list[list[tuple[int, int]]] = []
    chrome: list[tuple[Sentence, ...]] = []  # page chrome kept out of the claims
    n_split: list[int] = []
    for article in reports:
        text = clean(article.text, title=article.title).text if clean_text else article.text
        every = (splitter or split_sentences)(text)
        apart = _chrome_sentences(text, every)
        sents = [x for k, x in enumerate(every) if k not in apart]
        sentences.append(sents)
        spans.append(source_spans(article.text, text, sents))
        chrome.append(tuple(every[k] for k in sorted(apart)))
        n_split.append(len(every))
    # a quotation split over several sentences is aligned as one unit
    groups = [quote_groups(sents) for sents in sentences]
    grouped = align_sentences(
        [
            [" ".join(sents[i].text for i in g) for g in gs]
            for sents, gs in zip(sentences, groups, strict=True)
        ],
        scorer=scorer,
        threshold=thr,
        link=link,
        candidates=candidates,
        mutual=mutual,
    )
    alignment = _expand(grouped, groups)
    n = len(reports)

    def rel(r: int, i: int) -> float:
        total = len(sentences[r])
        return i / (total - 1) if total > 1 else 0.0

    rows = []
    for cluster in alignment.clusters:
        by_report: dict[int, list[int]] = {}
        for r, i in cluster:
            by_report.setdefault(r, []).append(i)
        positions = [rel(r, min(idx)) for r, idx in by_report.items()]
        order_key = (float(np.mean(positions)), min(by_report), min(by_report[min(by_report)]))
        cells = tuple(
            Cell(
                outlet=reports[r].id,
                sentences=tuple(sentences[r][i] for i in sorted(by_report[r])),
                source_spans=tuple(spans[r][i] for i in sorted(by_report[r])),
            )
            for r in sorted(by_report)
        )
        moved = len(positions) > 1 and max(positions) - min(positions) > _MOVED
        rows.append((order_key, cells, moved, by_report, cluster))
    rows.sort(key=lambda row: row[0])

    # score of every pair of cells: the best score of their sentence pairs in the alignment;
    # one batched call of the scorer on the cells' texts for cells the alignment never scored
    pair_keys: list[tuple[int, int, int]] = []
    known: dict[tuple[int, int, int], float] = {}
    for k, (_, cells, _, by_report, _) in enumerate(rows):
        report_ids = sorted(by_report)
        for x, y in itertools.combinations(range(len(cells)), 2):
            rx, ry = report_ids[x], report_ids[y]
            found = [
                alignment.scores[key]
                for i in by_report[rx]
                for j in by_report[ry]
                if (key := ((rx, i), (ry, j))) in alignment.scores
            ]
            if found:
                known[k, x, y] = max(found)
            else:
                pair_keys.append((k, x, y))
    if pair_keys:
        values = scorer(
            [rows[k][1][x].text for k, x, _ in pair_keys],
            [rows[k][1][y].text for k, _, y in pair_keys],
        )
        known.update(zip(pair_keys, (float(v) for v in values), strict=True))

    # secondary matches: claims linked by a strong sentence pair the merge kept apart
    row_of = {cluster: k for k, cluster in enumerate(r[4] for r in rows)}
    cluster_row = [row_of[c] for c in alignment.clusters]
    linked: dict[int, set[int]] = {}
    for a_idx, b_idx in alignment.links:
        ka, kb = cluster_row[a_idx], cluster_row[b_idx]
        linked.setdefault(ka, set()).add(kb)
        linked.setdefault(kb, set()).add(ka)

    nearest = _nearest(alignment, cluster_row, [a.id for a in reports], thr / 2)
    published = {a.id: _publication_day(a) for a in reports}
    claims: list[Claim] = []
    for k, (_, cells, moved, _, _) in enumerate(rows):
        pairs: list[PairDiff] = []
        conflicts: list[Conflict] = []
        framing: list[Conflict] = []
        for x, y in itertools.combinations(range(len(cells)), 2):
            a, b = cells[x], cells[y]
            ta, tb = a.text, b.text
            score = known[k, x, y]
            pairs.append(PairDiff(a.outlet, b.outlet, score, word_diff(ta, tb)))
            if score >= thr / 2:  # only aligned cells can disagree; see find_conflicts
                conflicts.extend(
                    find_conflicts(
                        a.outlet,
                        ta,
                        b.outlet,
                        tb,
                        left_published=published[a.outlet],
                        right_published=published[b.outlet],
                        confident=score >= thr,
                    )
                )
            if score >= thr:
                framing.extend(find_framing(a.outlet, ta, b.outlet, tb))
        claims.append(
            Claim(
                id=f"c{k + 1}",
                cells=cells,
                status=_status(len(cells), n),
                conflicts=tuple(conflicts),
                pairs=tuple(pairs),
                moved=moved,
                also=tuple(f"c{j + 1}" for j in sorted(linked.get(k, ()))),
                framing=tuple(framing),
                nearest=nearest.get(k, ()),
            )
        )

    coverage = []
    for article in reports:
        carried = [c for c in claims if c.cell(article.id) is not None]
        lead: list[str] = []
        for c in carried:
            cell = c.cell(article.id)
            if cell is not None and cell.position < _LEAD:
                lead.append(c.id)
        lead.sort(key=lambda cid: _first_index(claims, cid, article.id))
        coverage.append(
            Coverage(
                outlet=article.id,
                carried=len(carried),
                unique=sum(1 for c in carried if len(c.cells) == 1 and n > 1),
                omitted=sum(
                    1 for c in claims if c.cell(article.id) is None and len(c.cells) * 2 > n - 1
                ),
                conflicts=sum(
                    1 for c in carried if any(article.id in (f.left, f.right) for f in c.conflicts)
                ),
                lead=tuple(lead),
            )
        )
    outlets = tuple(
        Outlet(
            id=a.id,
            name=a.source or a.id,
            title=a.title,
            date=a.date,
            url=a.url,
            n_sentences=n_split[r],
            not_compared=chrome[r],
        )
        for r, a in enumerate(reports)
    )
    name = scorer_name(scorer)
    logger.info(
        "compare: %d reports, %d sentences, %d candidate pairs, %d claims in %.3f s "
        "(scorer %s, threshold %g)",
        n,
        sum(len(s) for s in sentences),
        alignment.n_candidates,
        len(claims),
        time.perf_counter() - started,
        name,
        thr,
    )
    return Comparison(
        outlets=outlets,
        claims=tuple(claims),
        coverage=tuple(coverage),
        threshold=thr,
        event=event,
        scorer=name,
    )


def _nearest(
    alignment: Alignment, cluster_row: Sequence[int], outlet_ids: Sequence[str], floor: float
) -> dict[int, tuple[Nearest, ...]]:
    """Return, per row, the closest sentence of each outlet that omits it (score >= floor).

    The scores are the alignment's candidate pairs (each sentence's nearest sentences in
    every other report), so no pair is scored anew.
    """
    row_of: dict[tuple[int, int], int] = {
        key: cluster_row[c] for c, cluster in enumerate(alignment.clusters) for key in cluster
    }
    outlets_of: dict[int, set[int]] = {}
    for (r, _), k in row_of.items():
        outlets_of.setdefault(k, set()).add(r)
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for (a, b), v in alignment.scores.items():
        if v < floor:
            continue
        for x, y in ((a, b), (b, a)):
            k, other = row_of[x], row_of[y]
            if y[0] in outlets_of[k]:
                continue
            slot = (k, y[0])
            # ties go to the earlier row, so the hint does not depend on dict order
            if slot not in best or (v, -other) > (best[slot][0], -best[slot][1]):
                best[slot] = (v, other)
    out: dict[int, list[Nearest]] = {}
    for (k, r), (v, other) in sorted(best.items()):
        out.setdefault(k, []).append(Nearest(outlet_ids[r], f"c{other + 1}", v))
    return {k: tuple(v) for k, v in out.items()}


def _expand(alignment: Alignment, groups: Sequence[Sequence[Sequence[int]]]) -> Alignment:
    """Turn an alignment of sentence groups into one of sentences.

    A group's scores are kept on its first sentence (the pair scores of cells look at every
    sentence of a cell).
    """

    def first(key: tuple[int, int]) -> tuple[int, int]:
        return (key[0], groups[key[0]][key[1]][0])

    return Alignment(
        clusters=tuple(
            tuple(sorted((r, i) for r, g in cluster for i in groups[r][g]))
            for cluster in alignment.clusters
        ),
        scores={(first(a), first(b)): v for (a, b), v in alignment.scores.items()},
        n_candidates=alignment.n_candidates,
        links=alignment.links,
    )


def _first_index(claims: Sequence[Claim], claim_id: str, outlet: str) -> int:
    for c in claims:
        if c.id == claim_id:
            cell = c.cell(outlet)
            return cell.position if cell is not None else 0
    return 0  # pragma: no cover - ids come from claims
