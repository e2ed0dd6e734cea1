"""What every renderer shares: labels, safe links, dates and highlighted segments of a cell.

Nothing here computes a result; it only reads the :class:`~storymatch.models.Comparison` it
is given and decides how to show it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Final, Literal
from urllib.parse import urlsplit

from storymatch.models import (
    Article,
    Cell,
    Claim,
    Comparison,
    Conflict,
    CopyEdit,
    CopyGroup,
    CopyInfo,
    Coverage,
)

__all__ = [
    "CONFLICT",
    "COPY_MARKS",
    "DIFF",
    "PLAIN",
    "STATUS_ICONS",
    "CopySegment",
    "Segment",
    "body_segments",
    "cell_segments",
    "claim_summary",
    "copies_title",
    "copy_basis",
    "coverage_by_outlet",
    "describe_conflict",
    "edit_segments",
    "format_date",
    "format_position",
    "nearest_note",
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


def nearest_note(claim: Claim, outlet_id: str) -> str | None:
    """Return where an omitting outlet's closest sentence sits ("closest: c12"), or None.

    An omission with such a note may be a paraphrase the aligner did not take; one without
    has no sentence of that outlet near the claim (see :class:`storymatch.models.Nearest`).

    Examples
    --------
    >>> from storymatch.models import Claim, Nearest
    >>> claim = Claim("c1", (), "one", nearest=(Nearest("b", "c7", 0.23),))
    >>> nearest_note(claim, "b"), nearest_note(claim, "a")
    ('closest: c7', None)
    """
    for near in claim.nearest:
        if near.outlet == outlet_id:
            return f"closest: {near.claim}"
    return None


def format_position(cell: Cell) -> str:
    """Where the cell stands in its report: its sentence numbers, 1-based, one by one.

    Every number is listed (``3``, ``3, 4``, ``2, 6, 12``), never a range, so a reader sees
    each sentence the cell holds and no gap can hide; the same numbers as
    :attr:`Cell.label <storymatch.models.Cell.label>`, in every view.

    Examples
    --------
    >>> from storymatch.models import Cell, Sentence
    >>> format_position(Cell("a", tuple(Sentence("x", 0, 1, index=i) for i in (1, 5, 11))))
    '2, 6, 12'
    """
    return ", ".join(str(k) for k in sorted({s.index + 1 for s in cell.sentences}))


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


# ------------------------------------------------------------------------------ copies

CopySegment = tuple[str, str]
"""A run of a copy's (or its parent's) text and its mark: ``""`` (plain) or one of
:data:`COPY_MARKS`."""

COPY_MARKS: Final = {
    "added": "added by the copy",
    "removed": "cut by the copy",
    "moved": "moved by the copy",
    "changed": "reworded words",
    "number": "changed number",
}
"""The marks of a copy's edits, each with the words a legend shows for it."""

# A later mark wins where two overlap: the words of a reworded sentence over the sentence, a
# changed number over its words.
_RANK: Final = {"": 0, "added": 1, "removed": 1, "moved": 1, "changed": 2, "number": 3}


def _number_spans(text: str, value: str | None) -> Iterator[tuple[int, int]]:
    """Yield where ``value`` (a number as written) stands in ``text``, not inside a longer one."""
    if not value:
        return
    pattern = r"(?<![\w.,])" + re.escape(value) + r"(?![\w]|[.,]\d)"
    for match in re.finditer(pattern, text):
        yield match.start(), match.end()


def _word_marks(
    edit: CopyEdit, left: bool, offset: int, text: str
) -> Iterator[tuple[int, int, str]]:
    """Yield the marks of a reworded or renumbered sentence: changed words and numbers.

    ``text`` is the sentence on that side (its opcodes' offsets are relative to it) and
    ``offset`` where it starts in the text being marked.
    """
    changed: list[tuple[int, int]] = []
    for op in edit.opcodes:
        if op.tag == "equal":
            continue
        start, end = (op.a_start, op.a_end) if left else (op.b_start, op.b_end)
        if start < end:
            changed.append((start, end))
            yield offset + start, offset + end, "changed"
    if edit.op == "number":
        value = edit.old if left else edit.new
        for start, end in _number_spans(text, value):
            if any(a <= start and end <= b for a, b in changed):
                yield offset + start, offset + end, "number"


def _segments(text: str, marks: Iterator[tuple[int, int, str]]) -> list[CopySegment]:
    """Lay marks over ``text`` and cut it into runs; spaces at a mark's edges stay plain."""
    if not text:
        return []
    kinds = [""] * len(text)
    for first, last, kind in marks:
        for i in range(max(0, first), min(len(text), last)):
            if _RANK[kind] >= _RANK[kinds[i]]:
                kinds[i] = kind
    for i, char in enumerate(text):
        if char.isspace():
            kinds[i] = ""
    # a space between two marked words of one kind stays inside the mark
    for i in range(1, len(text) - 1):
        if text[i] == " " and kinds[i - 1] == kinds[i + 1] != "":
            kinds[i] = kinds[i - 1]
    out: list[CopySegment] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or kinds[i] != kinds[start]:
            out.append((text[start:i], kinds[start]))
            start = i
    return out


def body_segments(
    group: CopyGroup, copy: CopyInfo, side: Literal["parent", "copy"]
) -> list[CopySegment]:
    """Split the body of a copy (or of its parent) into runs marked with the copy's edits.

    On the parent's side: sentences the copy cut (``removed``) or moved, and the words and
    numbers it changed in the sentences it reworded; on the copy's side: what it added,
    moved and changed. The spans and word diffs are the edits' own
    (:attr:`CopyEdit.old_span <storymatch.models.CopyEdit.old_span>`, ``new_span``,
    ``opcodes``); nothing is recomputed.

    Parameters
    ----------
    group : CopyGroup
        The group, whose :attr:`~storymatch.models.CopyGroup.bodies` the spans point into.
    copy : CopyInfo
        The copy.
    side : {"parent", "copy"}
        Which body to split.

    Returns
    -------
    list of (str, str)
        Consecutive runs whose texts join back to the body; each with its mark (``""``
        for plain text, else a key of :data:`COPY_MARKS`).

    Examples
    --------
    >>> from storymatch.models import CopyEdit, CopyGroup, CopyInfo
    >>> edit = CopyEdit("added", text="New.", new_span=(4, 8))
    >>> info = CopyInfo("b", "g", "a", "a", 0.8, (edit,))
    >>> group = CopyGroup("g", "a", "date", 1.0, (info,), bodies={"a": "Old.", "b": "Old.New."})
    >>> body_segments(group, info, "copy")
    [('Old.', ''), ('New.', 'added')]
    """
    left = side == "parent"
    body = group.bodies.get(copy.parent if left else copy.id, "")

    def marks() -> Iterator[tuple[int, int, str]]:
        for edit in copy.edits:
            span = edit.old_span if left else edit.new_span
            if span is None:
                continue
            if edit.op in ("added", "removed", "moved"):
                yield span[0], span[1], edit.op
            elif edit.op in ("number", "changed"):
                yield from _word_marks(edit, left, span[0], body[span[0] : span[1]])

    return _segments(body, marks())


def edit_segments(edit: CopyEdit) -> tuple[list[CopySegment], list[CopySegment]]:
    """Split one edit's two sides into marked runs: the parent's text and the copy's.

    ``number``: the sentence on both sides, the changed words and the numbers marked;
    ``changed`` and ``headline``: the old and the new text, the changed words marked;
    ``added``: nothing on the parent's side, the text marked on the copy's; ``removed``: the
    text marked on the parent's side, nothing on the copy's; ``moved``: the text on both.

    Parameters
    ----------
    edit : CopyEdit
        The edit.

    Returns
    -------
    (list of (str, str), list of (str, str))
        The parent's runs and the copy's runs.

    Examples
    --------
    >>> from storymatch.models import CopyEdit
    >>> edit_segments(CopyEdit("removed", text="Cut."))
    ([('Cut.', 'removed')], [])
    """
    if edit.op in ("added", "removed", "moved"):
        run: list[CopySegment] = [(edit.text, str(edit.op))] if edit.text else []
        if edit.op == "added":
            return [], run
        return run, run if edit.op == "moved" else []
    if edit.op == "number":
        old, new = edit.old_sentence or edit.old or "", edit.new_sentence or edit.new or ""
    else:
        old, new = edit.old or "", edit.new or ""
    return (
        _segments(old, _word_marks(edit, True, 0, old)),
        _segments(new, _word_marks(edit, False, 0, new)),
    )


def copies_title(
    group: CopyGroup, articles: Mapping[str, Article] | Iterable[Article] | None
) -> tuple[dict[str, Article], str]:
    """Return the articles by id and the default title of a copies page, for every view.

    The title is "Copies of" the original's headline (as the group saw it, else the
    article's title, else its id).

    Examples
    --------
    >>> from storymatch.models import CopyGroup
    >>> copies_title(CopyGroup("g1", "a", "date", 1.0, ()), None)
    ({}, 'Copies of a')
    """
    by_id = dict(articles) if isinstance(articles, Mapping) else {a.id: a for a in articles or ()}
    original = by_id.get(group.original)
    heading = group.headlines.get(group.original) or (original.title if original else None)
    return by_id, f"Copies of {heading or group.original}"


def copy_basis(group: CopyGroup) -> str:
    """Say in words how a group's original was chosen, and how surely.

    Examples
    --------
    >>> from storymatch.models import CopyGroup
    >>> copy_basis(CopyGroup("g", "a", "date", 1.0, ()))
    'the earliest published'
    """
    if group.basis == "date":
        return "the earliest published"
    return f"the text the others are made from (confidence {group.confidence:.2f})"
