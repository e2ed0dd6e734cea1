"""What every renderer shares: labels, safe links, dates and highlighted segments of a cell.

Nothing here computes a result; it only reads the :class:`~storymatch.models.Comparison` it
is given and decides how to show it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit

from storymatch.models import Cell, Claim, Comparison, Conflict, Coverage

__all__ = [
    "CONFLICT",
    "DIFF",
    "PLAIN",
    "STATUS_ICONS",
    "Segment",
    "cell_segments",
    "claim_summary",
    "coverage_by_outlet",
    "describe_conflict",
    "format_date",
    "format_position",
    "outlet_labels",
    "safe_url",
    "status_label",
]

PLAIN: Final = 0
"""Level of text that is the same in the other cells (or not compared)."""
DIFF: Final = 1
"""Level of words that the word-level diff marks as changed against another cell."""
CONFLICT: Final = 2
"""Level of the words a :class:`~storymatch.models.Conflict` names."""

Segment = tuple[str, int]
"""A run of a cell's text and its level: :data:`PLAIN`, :data:`DIFF` or :data:`CONFLICT`."""

STATUS_ICONS: Final = {"all": "\u2714", "some": "\u25d0", "one": "\u25cf"}
"""A glyph per claim status, shown next to (never instead of) the status in words."""

_LINK_SCHEMES: Final = frozenset({"http", "https"})
# Characters that a link must not contain: whitespace and C0/C1 controls, which browsers
# strip or reinterpret (``java\tscript:``).
_URL_UNSAFE: Final = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def safe_url(url: str | None) -> str | None:
    """Return ``url`` when it is an absolute http(s) address fit to link to, else None.

    Parameters
    ----------
    url : str or None
        An article's address as given in the input (untrusted).

    Returns
    -------
    str or None
        The address without surrounding whitespace, or None for anything that is not
        ``http://host...`` or ``https://host...`` (``javascript:``, ``data:``, relative paths,
        addresses with spaces or control characters).

    Examples
    --------
    >>> safe_url(" https://example.org/a?b=1 ")
    'https://example.org/a?b=1'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    if not url:
        return None
    candidate = url.strip()
    if _URL_UNSAFE.search(candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return candidate


def outlet_labels(comparison: Comparison) -> dict[str, str]:
    """Return a label per outlet id: its name, with the id added where two names are equal.

    Parameters
    ----------
    comparison : Comparison
        The comparison whose columns to label.

    Returns
    -------
    dict of str to str
        Outlet id to the text that names its column.
    """
    names = {o.id: (o.name or o.id) for o in comparison.outlets}
    counts = Counter(names.values())
    return {oid: name if counts[name] == 1 else f"{name} ({oid})" for oid, name in names.items()}


def coverage_by_outlet(comparison: Comparison) -> dict[str, Coverage]:
    """Return the comparison's coverage summaries keyed by outlet id."""
    return {c.outlet: c for c in comparison.coverage}


def status_label(claim: Claim, comparison: Comparison, labels: dict[str, str]) -> str:
    """Say in words who carries ``claim``: ``all 4``, ``3 of 4`` or ``only <outlet>``.

    Parameters
    ----------
    claim : Claim
        The row.
    comparison : Comparison
        The table it belongs to (for the number of reports).
    labels : dict of str to str
        Outlet labels from :func:`outlet_labels`.

    Returns
    -------
    str
        The status in words; colour and icons only ever repeat it.
    """
    total = len(comparison.outlets)
    if claim.status == "all":
        return f"all {total}"
    if claim.status == "one" and claim.cells:
        outlet = claim.cells[0].outlet
        return f"only {labels.get(outlet, outlet)}"
    return f"{len(claim.cells)} of {total}"


def claim_summary(comparison: Comparison) -> str:
    """One line on the whole table: reports, claims by status, conflicts and moved claims.

    Examples
    --------
    >>> from storymatch.models import Comparison
    >>> claim_summary(Comparison(outlets=(), claims=(), coverage=(), threshold=0.5))
    '0 reports, 0 claims'
    """
    n_reports = len(comparison.outlets)
    n_claims = len(comparison.claims)
    parts = [
        f"{n_reports} report{'' if n_reports == 1 else 's'}",
        f"{n_claims} claim{'' if n_claims == 1 else 's'}",
    ]
    if n_claims:
        counts = Counter(c.status for c in comparison.claims)
        parts[-1] += (
            f": {counts['all']} carried by all, {counts['some']} by some, "
            f"{counts['one']} by one outlet only"
        )
        n_conflicts = len(comparison.conflicts)
        n_moved = sum(1 for c in comparison.claims if c.moved)
        parts.append(f"{n_conflicts} with conflicts")
        parts.append(f"{n_moved} moved")
    return ", ".join(parts)


def describe_conflict(conflict: Conflict, labels: dict[str, str]) -> str:
    """Describe a conflict for people, naming outlets by their labels.

    Like :meth:`Conflict.describe <storymatch.models.Conflict.describe>`, with outlet names
    in place of article ids: ``number: "12" (Daily Planet) vs "15" (The Wire)``.
    """
    left_words = ", ".join(f'"{w}"' for w in conflict.left_words) or "nothing"
    right_words = ", ".join(f'"{w}"' for w in conflict.right_words) or "nothing"
    left = labels.get(conflict.left, conflict.left)
    right = labels.get(conflict.right, conflict.right)
    return f"{conflict.kind}: {left_words} ({left}) vs {right_words} ({right})"


def format_date(value: str | None) -> str:
    """Shorten an ISO 8601 date for a column header: ``2024-05-01`` or ``2024-05-01 08:30``.

    The time is shown as written (no conversion between time zones). A value that does not
    parse is returned as given, stripped.

    Examples
    --------
    >>> format_date("2024-05-01T08:30:00Z")
    '2024-05-01 08:30'
    >>> format_date("2024-05-01")
    '2024-05-01'
    >>> format_date("last Tuesday")
    'last Tuesday'
    """
    if not value:
        return ""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= len("YYYY-MM-DD"):
        return parsed.date().isoformat()
    return parsed.strftime("%Y-%m-%d %H:%M")


def format_position(cell: Cell) -> str:
    """Where the cell stands in its report, 1-based: ``3``, ``3-4``, or ``2, 6, 12``.

    Only consecutive sentences make a range; a gap is always shown (``2-3, 7``).
    """
    numbers = sorted({s.index + 1 for s in cell.sentences})
    runs: list[list[int]] = []
    for k in numbers:
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


# ------------------------------------------------------------------------------ highlighting


def _diff_spans(claim: Claim, outlet: str, size: int) -> Iterator[tuple[int, int]]:
    """Yield the character spans of ``outlet``'s cell that the word diff marks as changed.

    One diff is shown per cell: against the most similar cell that it conflicts with (or,
    when no conflict names the cell, the most similar cell of the claim), so the marks show
    what differs from the closest other wording rather than from every other report.
    """
    named = {(c.left, c.right) for c in claim.conflicts}
    named |= {(right, left) for left, right in named}
    pairs = [p for p in claim.pairs if outlet in (p.left, p.right)]
    candidates = [p for p in pairs if (p.left, p.right) in named] or pairs
    if not candidates:
        return
    pair = max(candidates, key=lambda p: p.score)
    is_left = pair.left == outlet
    for op in pair.opcodes:
        if op.tag == "equal":
            continue
        start, end = (op.a_start, op.a_end) if is_left else (op.b_start, op.b_end)
        start, end = max(0, start), min(size, end)
        if start < end:
            yield start, end


def _find_words(text: str, words: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """Yield the spans of every whole-word occurrence of ``words`` in ``text``.

    Exact matches are preferred; a word found only with another case is matched ignoring case.
    """
    for raw in words:
        word = raw.strip()
        if not word:
            continue
        pattern = r"(?<!\w)" + re.escape(word) + r"(?!\w)"
        found = list(re.finditer(pattern, text)) or list(
            re.finditer(pattern, text, flags=re.IGNORECASE)
        )
        for match in found:
            yield match.start(), match.end()


def _conflict_spans(claim: Claim, outlet: str, text: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of the words that a conflict of ``claim`` names on ``outlet``'s side."""
    for conflict in claim.conflicts:
        if conflict.left == outlet:
            yield from _find_words(text, conflict.left_words)
        if conflict.right == outlet:
            yield from _find_words(text, conflict.right_words)


def cell_segments(claim: Claim, cell: Cell) -> list[Segment]:
    """Split a cell's text into runs to show plain, as changed, or as conflicting.

    Only claims with conflicts are highlighted. There, the words that the cell's word-level
    diff (one of :attr:`Claim.pairs <storymatch.models.Claim.pairs>`: against the most similar
    cell it conflicts with) marks as replaced, inserted or deleted get :data:`DIFF`, and the
    words a conflict names get :data:`CONFLICT`. A highlight never starts or ends with
    whitespace: spaces at its edges are plain.

    Parameters
    ----------
    claim : Claim
        The row the cell belongs to.
    cell : Cell
        The cell to split.

    Returns
    -------
    list of (str, int)
        Consecutive runs whose texts join back to ``cell.text``.

    Examples
    --------
    >>> from storymatch.models import Cell, Claim, Sentence
    >>> cell = Cell("a", (Sentence("Hello world", 0, 11),))
    >>> cell_segments(Claim("c1", (cell,), "one"), cell)
    [('Hello world', 0)]
    """
    text = cell.text
    if not text:
        return []
    levels = bytearray(len(text))
    if claim.conflicts:
        for start, end in _diff_spans(claim, cell.outlet, len(text)):
            levels[start:end] = bytes([DIFF]) * (end - start)
        for start, end in _conflict_spans(claim, cell.outlet, text):
            levels[start:end] = bytes([CONFLICT]) * (end - start)
        for i, char in enumerate(text):
            if char.isspace():
                levels[i] = PLAIN
        # a space between two highlighted words of one level stays inside the highlight
        for i in range(1, len(text) - 1):
            if text[i].isspace() and levels[i - 1] == levels[i + 1] != PLAIN:
                levels[i] = levels[i - 1]
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or levels[i] != levels[start]:
            segments.append((text[start:i], levels[start]))
            start = i
    return segments
