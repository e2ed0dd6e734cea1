"""Results as pandas DataFrames: tables to filter, join with your own data, plot or save.

:meth:`Analysis.to_frames <storymatch.models.Analysis.to_frames>`,
:meth:`Comparison.to_frame <storymatch.models.Comparison.to_frame>` and
:meth:`CopyGroup.to_frame <storymatch.models.CopyGroup.to_frame>` call the functions here
(:func:`analysis_frames`, :func:`claims_frame`, :func:`edits_frame`); :data:`SCHEMAS` gives every
table's columns and dtypes, which are stable: a column is only ever added, and
``docs/notebooks.md`` documents each. Strings are pandas' nullable ``"string"`` dtype (missing
values are ``pd.NA``), counts ``"int64"``, scores ``"float64"``, flags ``"bool"`` and times
``"datetime64[ns, UTC]"``, so the tables survive a round trip through Parquet unchanged. Lists
(sentence numbers, conflict kinds, claim ids) are strings joined by ``", "``.

pandas is imported on the first call (the ``frames`` extra installs it); importing storymatch
never imports it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from storymatch.errors import MissingDependencyError
from storymatch.models import Analysis, Claim, Comparison, CopyGroup, Event

__all__ = ["SCHEMAS", "analysis_frames", "claims_frame", "coverage_frame", "edits_frame"]

_STR: Final = "string"
_INT: Final = "int64"
_FLOAT: Final = "float64"
_BOOL: Final = "bool"
_TIME: Final = "datetime64[ns, UTC]"

SCHEMAS: Final[Mapping[str, Mapping[str, str]]] = {
    "articles": {
        "id": _STR,
        "source": _STR,
        "group": _STR,
        "representative": _STR,
        "similarity": _FLOAT,
        "event": _STR,
        "story": _STR,
    },
    "groups": {
        "group": _STR,
        "representative": _STR,
        "size": _INT,
        "event": _STR,
        "original": _STR,
    },
    "events": {
        "event": _STR,
        "story": _STR,
        "label": _STR,
        "size": _INT,
        "groups": _INT,
        "outlets": _INT,
        "start": _TIME,
        "end": _TIME,
        "compared": _BOOL,
        "claims": _INT,
    },
    "claims": {
        "event": _STR,
        "row": _INT,
        "claim": _STR,
        "status": _STR,
        "report": _STR,
        "outlet": _STR,
        "carried": _BOOL,
        "sentences": _STR,
        "text": _STR,
        "conflict_kinds": _STR,
        "moved": _BOOL,
        "closest": _STR,
    },
    "coverage": {
        "event": _STR,
        "report": _STR,
        "outlet": _STR,
        "carried": _INT,
        "unique": _INT,
        "omitted": _INT,
        "conflicts": _INT,
        "lead": _STR,
    },
    "edits": {
        "group": _STR,
        "original": _STR,
        "copy": _STR,
        "parent": _STR,
        "similarity": _FLOAT,
        "op": _STR,
        "old": _STR,
        "new": _STR,
        "text": _STR,
        "at": _STR,
        "paragraph": _BOOL,
    },
}
"""Table name → column → dtype, in column order: the tables of :func:`analysis_frames`."""

_JOIN: Final = ", "


def _pandas() -> Any:
    """Return the pandas module, or raise the error that names the extra to install."""
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        msg = (
            "data frames need the optional 'frames' extra: pip install 'storymatch[frames]' "
            f"(it installs pandas and pyarrow; missing: {exc.name})"
        )
        raise MissingDependencyError(msg) from exc


def _frame(table: str, rows: Sequence[Sequence[Any]]) -> Any:
    """Build the table ``table`` of :data:`SCHEMAS` from its rows (tuples in column order)."""
    pd = _pandas()
    schema = SCHEMAS[table]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pd.DataFrame(
        {
            name: pd.Series(list(values), dtype=dtype)
            for (name, dtype), values in zip(schema.items(), columns, strict=True)
        }
    )


def _utc(value: datetime | None) -> datetime | None:
    """Return a time in UTC (a naive one is taken as UTC), or None."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _claim_rows(comparison: Comparison) -> list[tuple[Any, ...]]:
    """Return one row per claim and report of a comparison: the ``claims`` table."""
    rows: list[tuple[Any, ...]] = []
    for number, claim in enumerate(comparison.claims, start=1):
        kinds = _conflict_kinds(claim)
        closest = {n.outlet: n.claim for n in claim.nearest}
        for outlet in comparison.outlets:
            cell = claim.cell(outlet.id)
            rows.append(
                (
                    comparison.event,
                    number,
                    claim.id,
                    claim.status,
                    outlet.id,
                    outlet.name,
                    cell is not None,
                    None if cell is None else _JOIN.join(str(s.index + 1) for s in cell.sentences),
                    None if cell is None else cell.text,
                    _JOIN.join(kinds.get(outlet.id, ())),
                    claim.moved,
                    closest.get(outlet.id),
                )
            )
    return rows


def _conflict_kinds(claim: Claim) -> dict[str, list[str]]:
    """Report id → the sorted kinds of the conflicts its cell is in."""
    kinds: dict[str, set[str]] = {}
    for conflict in claim.conflicts:
        for side in (conflict.left, conflict.right):
            kinds.setdefault(side, set()).add(conflict.kind)
    return {outlet: sorted(found) for outlet, found in kinds.items()}


def _coverage_rows(comparison: Comparison) -> list[tuple[Any, ...]]:
    """One row per report of a comparison: the ``coverage`` table."""
    names = {o.id: o.name for o in comparison.outlets}
    return [
        (
            comparison.event,
            c.outlet,
            names.get(c.outlet, c.outlet),
            c.carried,
            c.unique,
            c.omitted,
            c.conflicts,
            _JOIN.join(c.lead),
        )
        for c in comparison.coverage
    ]


def _edit_rows(groups: Iterable[CopyGroup]) -> list[tuple[Any, ...]]:
    """One row per edit of every copy: the ``edits`` table."""
    return [
        (
            group.group,
            group.original,
            copy.id,
            copy.parent,
            copy.similarity,
            edit.op,
            edit.old,
            edit.new,
            edit.text,
            edit.at,
            edit.paragraph,
        )
        for group in groups
        for copy in group.copies
        for edit in copy.edits
    ]


def claims_frame(comparisons: Comparison | Iterable[Comparison]) -> Any:
    """Return the claims of one or more comparisons: one row per claim and report.

    Every report of the comparison has a row for every claim, so an omission is a row with
    ``carried`` False (and no ``sentences`` or ``text``).

    Parameters
    ----------
    comparisons : Comparison or iterable of Comparison
        The comparisons, in table order.

    Returns
    -------
    pandas.DataFrame
        The columns of ``SCHEMAS["claims"]``: ``event``, ``row`` (the claim's 1-based row in
        its table), ``claim`` (its id), ``status`` (``all``/``some``/``one``), ``report`` (the
        article id of the column), ``outlet`` (its name: the source), ``carried``,
        ``sentences`` (1-based sentence numbers of the cell, ``"2, 6"``), ``text`` (the cell's
        sentences), ``conflict_kinds`` (the kinds of the conflicts the cell is in, sorted,
        ``""`` for none), ``moved`` and ``closest`` (on an omission: the claim holding the
        report's closest sentence, :attr:`~storymatch.models.Claim.nearest`; missing when
        nothing is close, so the omission is a confident one).

    Raises
    ------
    MissingDependencyError
        If pandas is not installed.
    """
    items = [comparisons] if isinstance(comparisons, Comparison) else list(comparisons)
    return _frame("claims", [row for c in items for row in _claim_rows(c)])


def coverage_frame(comparisons: Comparison | Iterable[Comparison]) -> Any:
    """Return the coverage of one or more comparisons: one row per report.

    Parameters
    ----------
    comparisons : Comparison or iterable of Comparison
        The comparisons.

    Returns
    -------
    pandas.DataFrame
        The columns of ``SCHEMAS["coverage"]``: ``event``, ``report``, ``outlet`` and the
        counts of :class:`~storymatch.models.Coverage` (``carried``, ``unique``, ``omitted``,
        ``conflicts``), with ``lead`` the ids of the claims it leads with.

    Raises
    ------
    MissingDependencyError
        If pandas is not installed.
    """
    items = [comparisons] if isinstance(comparisons, Comparison) else list(comparisons)
    return _frame("coverage", [row for c in items for row in _coverage_rows(c)])


def edits_frame(groups: CopyGroup | Iterable[CopyGroup]) -> Any:
    """Return the edits of the copies of near-duplicate groups: one row per edit.

    Parameters
    ----------
    groups : CopyGroup or iterable of CopyGroup
        What :func:`~storymatch.dedup.copies.copy_edits` returns, or one of its groups.

    Returns
    -------
    pandas.DataFrame
        The columns of ``SCHEMAS["edits"]``: ``group``, ``original``, ``copy`` (its id),
        ``parent``, ``similarity`` (of the copy to its parent), and the edit's ``op``, ``old``,
        ``new``, ``text``, ``at`` and ``paragraph`` (see :class:`~storymatch.models.CopyEdit`).
        A copy without edits has no row.

    Raises
    ------
    MissingDependencyError
        If pandas is not installed.
    """
    items = [groups] if isinstance(groups, CopyGroup) else list(groups)
    return _frame("edits", _edit_rows(items))


def analysis_frames(analysis: Analysis) -> dict[str, Any]:
    """Return every table of an analysis, as :meth:`Analysis.to_frames` does.

    Parameters
    ----------
    analysis : Analysis
        What :func:`~storymatch.pipeline.analyze` returned.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``articles`` (one row per article, input order), ``groups`` (one per near-duplicate
        group, largest first), ``events`` (one per event, largest first), ``claims`` and
        ``coverage`` (of every comparison, in the order of ``events``; see
        :func:`claims_frame` and :func:`coverage_frame`) and ``edits`` (see
        :func:`edits_frame`). Columns and dtypes: :data:`SCHEMAS`.

    Raises
    ------
    MissingDependencyError
        If pandas is not installed.
    """
    _pandas()
    event_of = {member: e.id for e in analysis.events for member in e.members}
    story_of = {member: e.story for e in analysis.events for member in e.members}
    group_of: dict[str, tuple[str, str, float]] = {}
    for g in analysis.groups:
        for member, similarity in zip(g.members, g.similarities, strict=True):
            group_of[member] = (g.id, g.representative, similarity)
    articles: list[tuple[Any, ...]] = []
    for a in analysis.articles:
        found = group_of.get(a.id)
        grouping = (None, None, None) if found is None else found
        articles.append((a.id, a.source, *grouping, event_of.get(a.id), story_of.get(a.id)))
    originals = {c.group: c.original for c in analysis.copies}
    groups = [
        (g.id, g.representative, len(g), event_of.get(g.representative), originals.get(g.id))
        for g in analysis.groups
    ]
    compared = [analysis.comparisons[e.id] for e in analysis.events if e.id in analysis.comparisons]
    events = [_event_row(e, analysis.comparisons.get(e.id), group_of) for e in analysis.events]
    return {
        "articles": _frame("articles", articles),
        "groups": _frame("groups", groups),
        "events": _frame("events", events),
        "claims": claims_frame(compared),
        "coverage": coverage_frame(compared),
        "edits": edits_frame(analysis.copies),
    }


def _event_row(
    event: Event,
    comparison: Comparison | None,
    group_of: Mapping[str, tuple[str, str, float]],
) -> tuple[Any, ...]:
    """Return the row of one event in the ``events`` table."""
    groups = {group_of[m][0] for m in event.members if m in group_of}
    return (
        event.id,
        event.story,
        event.label,
        len(event),
        len(groups),
        len(event.outlets),
        _utc(event.start),
        _utc(event.end),
        comparison is not None,
        0 if comparison is None else len(comparison.claims),
    )
