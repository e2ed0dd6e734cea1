"""A comparison as GitHub-flavoured Markdown: reports, coverage, the claims table, conflicts.

Article text is untrusted: every character that Markdown (or the HTML it may contain) gives a
meaning is backslash-escaped, newlines are folded into spaces so a cell stays one table cell,
and only ``http``/``https`` addresses become links.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote

from storymatch.models import Claim, Comparison
from storymatch.report._common import (
    CONFLICT,
    STATUS_ICONS,
    cell_segments,
    claim_summary,
    coverage_by_outlet,
    describe_conflict,
    format_date,
    format_position,
    outlet_labels,
    safe_url,
    status_label,
)

__all__ = ["render_markdown"]

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
        return "_not reported_"
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
