"""GitHub-flavoured Markdown: a comparison (reports, coverage, claims, conflicts), and copies.

Article text is untrusted: every character that Markdown (or the HTML it may contain) gives a
meaning is backslash-escaped, newlines are folded into spaces so a cell stays one table cell,
and only ``http``/``https`` addresses become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final
from urllib.parse import quote

from storymatch.models import Article, Claim, Comparison, CopyGroup
from storymatch.report._common import (
    CONFLICT,
    STATUS_ICONS,
    CopySegment,
    cell_segments,
    claim_summary,
    copies_title,
    copy_basis,
    coverage_by_outlet,
    describe_conflict,
    edit_segments,
    format_date,
    format_position,
    nearest_note,
    outlet_labels,
    safe_url,
    status_label,
)

__all__ = ["render_copies_markdown", "render_markdown"]

# Inline Markdown and HTML syntax, GitHub's math ($) and table pipes.
_SPECIAL: Final = re.compile(r"([\\`*_\[\]<>|&~#$!])")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
# Characters kept as they are in a link destination; the rest (spaces, parentheses, pipes,
# angle brackets, quotes) are percent-encoded so the link cannot break out of ``(...)``.
_URL_SAFE: Final = "%:/?#[]@!$&'*+,;=~-._"


def _md(text: str) -> str:
    r"""Escape text for an inline Markdown context (a table cell, a heading, a list item).

    Examples
    --------
    >>> print(_md("a | b *c*\n<script>"))
    a \| b \*c\* \<script\>
    """
    folded = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", _CONTROL.sub("\ufffd", folded))


def _md_link(url: str | None, text: str) -> str:
    """Return a Markdown link when ``url`` is a safe http(s) address, else ``""``."""
    href = safe_url(url)
    if href is None:
        return ""
    return f"[{_md(text)}]({quote(href, safe=_URL_SAFE)})"


def _row(cells: list[str]) -> str:
    """Return one table row."""
    return "| " + " | ".join(cells) + " |"


def _cell_markdown(claim: Claim, outlet_id: str) -> str:
    """Return one cell's text with conflicting words in bold, or ``_not reported_``."""
    cell = claim.cell(outlet_id)
    if cell is None:
        note = nearest_note(claim, outlet_id)
        return "_not reported_" if note is None else f"_not reported ({note})_"
    parts = []
    for text, level in cell_segments(claim, cell):
        escaped = _md(text)
        if level == CONFLICT and escaped:
            parts.append(f"**{escaped}**")
        else:
            # keep the spaces that separate a highlight from its neighbours
            lead = " " if text[:1].isspace() else ""
            tail = " " if text[-1:].isspace() and escaped else ""
            parts.append(lead + escaped + tail)
    position = format_position(cell)
    prefix = f"§{position} " if position else ""
    return prefix + " ".join("".join(parts).split())


def render_markdown(comparison: Comparison, *, title: str | None = None) -> str:
    """Render a comparison as GitHub-flavoured Markdown.

    Parameters
    ----------
    comparison : Comparison
        The table to show.
    title : str or None, default=None
        The heading; by default "Comparison of N reports".

    Returns
    -------
    str
        A heading and summary line, a table of the reports, a coverage table, the claims
        table (one column per report, ``_not reported_`` where a report omits a claim,
        conflicting words in bold) and a list of the conflicts.

    Examples
    --------
    >>> from storymatch.models import Comparison
    >>> print(render_markdown(Comparison(outlets=(), claims=(), coverage=(), threshold=0.5)))
    # Comparison of 0 reports
    <BLANKLINE>
    0 reports, 0 claims
    <BLANKLINE>
    No claims to compare.
    <BLANKLINE>
    """
    labels = outlet_labels(comparison)
    n = len(comparison.outlets)
    heading = title if title is not None else f"Comparison of {n} report{'' if n == 1 else 's'}"
    summary = claim_summary(comparison)
    if comparison.event is not None:
        summary = f"Event {comparison.event}: {summary}"
    lines = [f"# {_md(heading)}", "", _md(summary), ""]
    if not comparison.outlets or not comparison.claims:
        lines += ["No claims to compare.", ""]
        return "\n".join(lines)

    lines += ["## Reports", "", _row(["#", "Outlet", "Date", "Headline", "Link"])]
    lines.append(_row(["--:", "---", "---", "---", "---"]))
    for i, outlet in enumerate(comparison.outlets, 1):
        lines.append(
            _row(
                [
                    str(i),
                    _md(labels[outlet.id]),
                    _md(format_date(outlet.date)),
                    _md(outlet.title or ""),
                    _md_link(outlet.url, "open article"),
                ]
            )
        )

    coverage = coverage_by_outlet(comparison)
    lines += ["", "## Coverage", ""]
    lines.append(_row(["Outlet", "Carried", "Unique", "Omissions", "Conflicts", "Leads with"]))
    lines.append(_row(["---", "--:", "--:", "--:", "--:", "---"]))
    for outlet in comparison.outlets:
        summary_row = coverage.get(outlet.id)
        if summary_row is None:
            numbers = ["-"] * 4
            lead = ""
        else:
            numbers = [
                str(summary_row.carried),
                str(summary_row.unique),
                str(summary_row.omitted),
                str(summary_row.conflicts),
            ]
            lead = ", ".join(_md(c) for c in summary_row.lead)
        lines.append(_row([_md(labels[outlet.id]), *numbers, lead]))

    lines += [
        "",
        "## Claims",
        "",
        f"{STATUS_ICONS['all']} carried by all · {STATUS_ICONS['some']} by some · "
        f"{STATUS_ICONS['one']} by one outlet only · ⚠ conflict (conflicting words in **bold**)"
        " · ↕ moved · §n: the sentence's place in its report",
        "",
        _row(["Claim", *(_md(labels[o.id]) for o in comparison.outlets)]),
        _row(["---"] * (n + 1)),
    ]
    for claim in comparison.claims:
        head = (
            f"{_md(claim.id)} {STATUS_ICONS.get(claim.status, '')} "
            f"{_md(status_label(claim, comparison, labels))}"
        )
        if claim.conflicts:
            head += " ⚠ conflict"
        if claim.moved:
            head += " ↕ moved"
        lines.append(_row([head] + [_cell_markdown(claim, o.id) for o in comparison.outlets]))

    conflicted = comparison.conflicts
    if conflicted:
        lines += ["", "## Conflicts", ""]
        for claim in conflicted:
            for conflict in claim.conflicts:
                lines.append(f"- **{_md(claim.id)}** {_md(describe_conflict(conflict, labels))}")
    framed = [c for c in comparison.claims if c.framing]
    if framed:
        lines += ["", "## Framing (how outlets present a statement, not a disagreement)", ""]
        for claim in framed:
            for frame in claim.framing:
                lines.append(f"- **{_md(claim.id)}** {_md(describe_conflict(frame, labels))}")
    linked = [c for c in comparison.claims if c.also]
    if linked:
        lines += ["", "## Secondary matches", ""]
        for claim in linked:
            lines.append(f"- **{_md(claim.id)}** also matches {_md(', '.join(claim.also))}")
    apart = [o for o in comparison.outlets if o.not_compared]
    if apart:
        lines += ["", "## Not compared (page chrome: captions, video blurbs, teasers)", ""]
        for outlet in apart:
            for sentence in outlet.not_compared:
                lines.append(
                    f"- {_md(labels[outlet.id])} §{sentence.index + 1}: {_md(sentence.text)}"
                )
    lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ copies

_COPY_WRAP: Final = {
    "added": "**",
    "removed": "~~",
    "moved": "_",
    "number": "**",
    "changed": "**",
}


def _copy_runs(segments: Sequence[CopySegment], *, left: bool) -> str:
    """Return marked runs as one escaped line.

    Cut or replaced words are struck through on the parent's side (``left``), added or new
    words in bold on the copy's, moved text in italics.
    """
    parts = []
    for text, kind in segments:
        escaped = _md(text)
        if kind and escaped:
            wrap = "~~" if left and kind in ("number", "changed") else _COPY_WRAP[kind]
            parts.append(f"{wrap}{escaped}{wrap}")
        else:
            lead = " " if text[:1].isspace() else ""
            tail = " " if text[-1:].isspace() and escaped else ""
            parts.append(lead + escaped + tail)
    return " ".join("".join(parts).split())


def _member_label(article_id: str, articles: Mapping[str, Article]) -> str:
    article = articles.get(article_id)
    if article is not None and article.source:
        return f"{article.source} ({article_id})"
    return article_id


def render_copies_markdown(
    group: CopyGroup,
    *,
    articles: Iterable[Article] | Mapping[str, Article] | None = None,
    title: str | None = None,
) -> str:
    """Render a near-duplicate group's original and copies as GitHub-flavoured Markdown.

    Every copy gets a heading, the digest of its edits and a table of its edits side by side:
    the parent's text in one column and the copy's in the other, cut and replaced words
    struck through on the parent's side, added and new words in bold on the copy's, moved
    sentences in italics.

    Parameters
    ----------
    group : CopyGroup
        The group (:func:`storymatch.copy_edits`).
    articles : iterable or mapping of Article, or None, default=None
        The members' articles, for their outlet and headline.
    title : str or None, default=None
        The heading; by default "Copies of" and the original's headline or id.

    Returns
    -------
    str
        The Markdown document.

    Examples
    --------
    >>> from storymatch.models import CopyGroup
    >>> print(render_copies_markdown(CopyGroup("g1", "a", "date", 1.0, ())))
    # Copies of a
    <BLANKLINE>
    a is the original: the earliest published. 0 copies.
    <BLANKLINE>
    """
    by_id, default_title = copies_title(group, articles)
    title = default_title if title is None else title
    n = len(group.copies)
    summary = (
        f"{_member_label(group.original, by_id)} is the original: {copy_basis(group)}. "
        f"{n} cop{'y' if n == 1 else 'ies'}."
    )
    lines = [f"# {_md(title)}", "", _md(summary), ""]
    if n:
        lines += [
            "Cut and replaced words are ~~struck through~~, added and new words **bold**, "
            "moved sentences _in italics_.",
            "",
        ]
    for i, copy in enumerate(group.copies, 1):
        label = _member_label(copy.id, by_id)
        parent = _member_label(copy.parent, by_id)
        made_from = "the original" if copy.parent == group.original else "another copy"
        lines += [
            f"## {i}. {_md(label)}",
            "",
            f"{_md(copy.digest())}. Made from {made_from}, {_md(parent)}; similarity "
            f"{copy.similarity:.2f}.",
            "",
        ]
        if not copy.edits:
            continue
        lines += [_row(["Edit", _md(parent), _md(label)]), _row(["---", "---", "---"])]
        for edit in copy.edits:
            old, new = edit_segments(edit)
            lines.append(
                _row(
                    [
                        edit.op,
                        _copy_runs(old, left=True) or "\u2014",
                        _copy_runs(new, left=False) or "\u2014",
                    ]
                )
            )
        lines.append("")
    return "\n".join(lines)
