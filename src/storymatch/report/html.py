"""Self-contained HTML pages: one comparison side by side, and an index of a whole analysis.

Every page is one file: the stylesheet and the optional script are inlined, nothing is
fetched, and a Content-Security-Policy allows only those two inline blocks (by hash), so a
page works offline and as an e-mail attachment. Article text is untrusted input: every piece
of it is escaped on its own (:func:`html.escape` with ``quote=True``) before it joins the
markup, and only ``http``/``https`` addresses become links.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Final
from urllib.parse import quote

from storymatch._files import atomic_write, write_together
from storymatch.models import (
    Analysis,
    Article,
    Cell,
    Claim,
    Comparison,
    CopyGroup,
    CopyInfo,
    DuplicateGroup,
    Event,
    Outlet,
)
from storymatch.report._common import (
    CONFLICT,
    COPY_MARKS,
    DIFF,
    STATUS_ICONS,
    CopySegment,
    body_segments,
    cell_segments,
    claim_summary,
    copies_title,
    copy_basis,
    coverage_by_outlet,
    describe_conflict,
    edit_segments,
    format_date,
    format_position,
    outlet_labels,
    safe_url,
    status_label,
)

__all__ = ["render_copies_html", "render_html", "render_index", "write_report"]

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STATUS_CLASS: Final = {"all": "s-all", "some": "s-some", "one": "s-one"}
_MARK_CLASS: Final = {DIFF: "diff", CONFLICT: "conflict"}
_METRICS: Final = ("carried", "unique", "omitted", "conflicts")
_MAX_OUTLETS_SHOWN: Final = 8
_PAGE_NAME: Final = re.compile(r"[^A-Za-z0-9_-]")
_MAX_PAGE_STEM: Final = 100
_COPY_TAGS: Final = {
    "added": "ins",
    "removed": "del",
    "moved": "mark",
    "changed": "mark",
    "number": "mark",
}
_OPEN_COPIES: Final = 5
"""Copies whose side-by-side texts a group page shows open; the rest are folded."""


def _e(text: object) -> str:
    """Escape ``text`` for HTML text and quoted attributes; control characters become U+FFFD."""
    return html.escape(_CONTROL.sub("\ufffd", str(text)), quote=True)


@cache
def _asset(name: str) -> str:
    """Return a package data file of :mod:`storymatch.report` as text."""
    return resources.files("storymatch.report").joinpath(name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    """Return the CSP source expression that allows an inline block with exactly ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _page(title: str, body: Iterable[str], *, script: str | None = None) -> str:
    """Wrap ``body`` (markup) in a complete document with the stylesheet and optional script."""
    css = "\n" + _asset("report.css")
    policy = [
        "default-src 'none'",
        f"style-src {_sha256(css)}",
        f"script-src {_sha256(script)}" if script is not None else "script-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e("; ".join(policy))}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="generator" content="storymatch">',
        f"<title>{_e(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        *body,
    ]
    if script is not None:
        parts.append(f"<script>{script}</script>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _link(url: str | None, text: str, *, cls: str = "", hidden: str = "") -> str:
    """Return a link to ``url`` when it is a safe http(s) address, else ``""``.

    ``hidden`` is text for screen readers only (which article a repeated link opens).
    """
    href = safe_url(url)
    if href is None:
        return ""
    cls_attr = f' class="{_e(cls)} ext"' if cls else ' class="ext"'
    extra = f'<span class="vh"> {_e(hidden)}</span>' if hidden else ""
    return (
        f'<a{cls_attr} href="{_e(href)}" rel="noopener noreferrer nofollow">{_e(text)}{extra}</a>'
    )


def _time(value: str) -> str:
    """Return a ``<time>`` element for an ISO date as given, shortened for display."""
    return f'<time datetime="{_e(value.strip())}">{_e(format_date(value))}</time>'


def _icon(status: str) -> str:
    """Return the status glyph, hidden from screen readers (the words say it)."""
    return f'<span aria-hidden="true">{STATUS_ICONS.get(status, "")} </span>'


# ------------------------------------------------------------------------------ comparison


def _coverage_section(comparison: Comparison, labels: dict[str, str]) -> list[str]:
    """Build the summary at the top: per report, its counts with a bar each (inline SVG)."""
    coverage = coverage_by_outlet(comparison)
    total = len(comparison.claims)
    row_ids = {c.id: f"claim-{i}" for i, c in enumerate(comparison.claims, 1)}
    out = [
        '<section aria-labelledby="coverage-h">',
        '<h2 id="coverage-h">Coverage</h2>',
        '<div class="scroll" role="region" aria-labelledby="coverage-caption" tabindex="0">',
        '<table class="coverage">',
        f'<caption id="coverage-caption">What each report carries of the {total} '
        f"claim{'' if total == 1 else 's'}; bars are drawn against that total.</caption>",
        "<thead><tr>",
        '<th scope="col">Report</th>',
        '<th scope="col">Carried</th>',
        '<th scope="col">Unique</th>',
        '<th scope="col">Omissions</th>',
        '<th scope="col">Conflicts</th>',
        '<th scope="col">Leads with</th>',
        "</tr></thead>",
        "<tbody>",
    ]
    scale = max(total, 1)
    for outlet in comparison.outlets:
        summary = coverage.get(outlet.id)
        cells = [f'<th scope="row" class="o-row">{_e(labels[outlet.id])}</th>']
        for metric in _METRICS:
            if summary is None:
                cells.append('<td class="n"><span class="num">&ndash;</span></td>')
                continue
            value: int = getattr(summary, metric)
            width = min(100.0, 100.0 * value / scale)
            cells.append(
                f'<td class="n"><span class="num">{value}</span>'
                '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
                'aria-hidden="true" focusable="false">'
                '<rect class="track" width="100" height="10"/>'
                f'<rect class="{metric}" width="{width:.1f}" height="10"/></svg></td>'
            )
        lead = [] if summary is None else list(summary.lead)
        links = [
            f'<a href="#{row_ids[cid]}">{_e(cid)}</a>' if cid in row_ids else _e(cid)
            for cid in lead
        ]
        cells.append(f"<td>{', '.join(links)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</div>", "</section>"]
    return out


def _legend() -> list[str]:
    """Explain colours, glyphs and marks in words."""
    return [
        '<ul class="legend" aria-label="Legend">',
        f'<li><span class="swatch s-all">{_icon("all")}</span> carried by all reports</li>',
        f'<li><span class="swatch s-some">{_icon("some")}</span> carried by some</li>',
        f'<li><span class="swatch s-one">{_icon("one")}</span> by one outlet only</li>',
        '<li><span class="swatch none"><span aria-hidden="true">&mdash;</span></span>'
        " not reported</li>",
        '<li><mark class="conflict">15</mark> conflicting words</li>',
        '<li><mark class="diff">words</mark> other changed words of a conflicting claim</li>',
        '<li><span class="badge moved"><span aria-hidden="true">&#8597; </span>moved</span>'
        " placed far apart in the reports; &sect;3 is the sentence&rsquo;s place in its"
        " report</li>",
        "</ul>",
    ]


def _outlet_header(
    index: int,
    outlet: Outlet,
    label: str,
    copies: Sequence[Article],
    has_text: bool,
) -> str:
    """Build one report's column header: name, date and size, headline, link, copies."""
    meta = [_time(outlet.date)] if outlet.date else []
    meta.append(f"{outlet.n_sentences} sentence{'' if outlet.n_sentences == 1 else 's'}")
    parts = [
        f'<th scope="col" id="col-{index}">',
        f'<span class="o-name">{_e(label)}</span>',
        f'<span class="o-meta">{" &middot; ".join(meta)}</span>',
    ]
    if outlet.title:
        parts.append(f'<span class="o-title">{_e(outlet.title)}</span>')
    links = [_link(outlet.url, "open article", cls="o-link", hidden=f"({label})")]
    if has_text:
        links.append(
            f'<a class="o-link" href="#text-{index}">full text'
            f'<span class="vh"> ({_e(label)})</span></a>'
        )
    parts.append(" &middot; ".join(x for x in links if x))
    if copies:
        items = "".join(f"<li>{_article_line(a)}</li>" for a in copies)
        noun = "copy" if len(copies) == 1 else "copies"
        parts.append(
            f'<details class="o-copies"><summary>{len(copies)} {noun} elsewhere</summary>'
            f'<ul class="copies">{items}</ul></details>'
        )
    if outlet.not_compared:
        items = "".join(f"<li>&sect;{s.index + 1} {_e(s.text)}</li>" for s in outlet.not_compared)
        parts.append(
            f'<details class="o-copies"><summary>{len(outlet.not_compared)} not compared '
            f'(page chrome)</summary><ul class="copies">{items}</ul></details>'
        )
    parts.append("</th>")
    return "".join(parts)


def _cell_html(claim: Claim, outlet_id: str, row_ids: Mapping[str, str]) -> str:
    """Return one ``<td>``: the cell's text with highlights, or "not reported"."""
    cell = claim.cell(outlet_id)
    if cell is None:
        near = next((n for n in claim.nearest if n.outlet == outlet_id), None)
        hint = (
            ""
            if near is None
            else f' <a class="near" href="#{row_ids.get(near.claim, "")}" '
            f"title=\"this report's closest sentence (score {near.score:.2f}): the omission "
            f'may be a paraphrase">'
            f"closest: {_e(near.claim)}</a>"
        )
        return (
            '<td class="cell none"><span class="nr"><span aria-hidden="true">&mdash; </span>'
            f"not reported</span>{hint}</td>"
        )
    body = _marked(claim, cell)
    position = format_position(cell)
    pos = (
        f'<span class="pos" title="Place of the sentence in its report">'
        f'<span class="vh">sentence{"s" if "," in position else ""} </span>'
        f"&sect;{_e(position)}</span>"
        if position
        else ""
    )
    return f'<td class="cell has">{pos}{"".join(body)}</td>'


def _marked(claim: Claim, cell: Cell) -> list[str]:
    """Return a cell's text as escaped markup, its changed and conflicting words marked."""
    body = []
    for text, level in cell_segments(claim, cell):
        if level in _MARK_CLASS:
            body.append(f'<mark class="{_MARK_CLASS[level]}">{_e(text)}</mark>')
        else:
            body.append(_e(text))
    return body


def _conflict_sides(claim: Claim, comparison: Comparison, labels: dict[str, str]) -> str:
    """Show what each report in a conflict of ``claim`` says, together, in column order.

    Shown under the row, in a block that stays in view however the table is scrolled, so
    the two sides of a conflict can be read side by side even when their columns are far
    apart.
    """
    named = {o for c in claim.conflicts for o in (c.left, c.right)}
    sides = []
    for outlet in comparison.outlets:
        cell = claim.cell(outlet.id)
        if outlet.id not in named or cell is None:
            continue
        position = format_position(cell)
        pos = (
            f' <span class="pos"><span class="vh">sentence{"s" if "," in position else ""} '
            f"</span>&sect;{_e(position)}</span>"
            if position
            else ""
        )
        sides.append(
            f'<p class="side"><span class="o-name">{_e(labels[outlet.id])}</span>{pos} '
            f"{''.join(_marked(claim, cell))}</p>"
        )
    return f'<div class="sides">{"".join(sides)}</div>'


def _claim_rows(
    claim: Claim, row_ids: Mapping[str, str], comparison: Comparison, labels: dict[str, str]
) -> list[str]:
    """Build the row of one claim, and a row listing its conflicts when it has any."""
    row_id = row_ids[claim.id]
    status_cls = _STATUS_CLASS.get(claim.status, "s-some")
    classes = ["claim", status_cls]
    if claim.conflicts:
        classes.append("has-conflict")
    if claim.moved:
        classes.append("moved")
    if claim.status == "all" and not claim.conflicts and not claim.moved:
        classes.append("same")
    badges = [
        f'<span class="badge {status_cls}">{_icon(claim.status)}'
        f'<span class="vh">carried by </span>'
        f"{_e(status_label(claim, comparison, labels))}</span>"
    ]
    if claim.conflicts:
        badges.append(
            '<span class="badge conflict"><span aria-hidden="true">&#9888; </span>conflict</span>'
        )
    if claim.moved:
        badges.append(
            '<span class="badge moved"><span aria-hidden="true">&#8597; </span>moved</span>'
        )
    cells = [
        f'<th scope="row"><a class="cid" href="#{row_id}">{_e(claim.id)}</a><br>'
        + " ".join(badges)
        + "</th>"
    ]
    cells += [_cell_html(claim, outlet.id, row_ids) for outlet in comparison.outlets]
    rows = [f'<tr id="{row_id}" class="{" ".join(classes)}">' + "".join(cells) + "</tr>"]
    if claim.conflicts:
        items = "".join(f"<li>{_e(describe_conflict(c, labels))}</li>" for c in claim.conflicts)
        rows.append(
            f'<tr class="notes"><td colspan="{len(comparison.outlets) + 1}">'
            f'<div class="notes-body"><strong>Conflicts in {_e(claim.id)}:</strong>'
            f"<ul>{items}</ul>{_conflict_sides(claim, comparison, labels)}</div></td></tr>"
        )
    return rows


def _claims_section(
    comparison: Comparison,
    labels: dict[str, str],
    copies: Mapping[str, Sequence[Article]],
    texts: Mapping[str, Article],
) -> list[str]:
    """Build the claims table: one column per report, one row per claim."""
    out = [
        '<section id="claims" aria-labelledby="claims-h">',
        '<h2 id="claims-h">Claims</h2>',
        *_legend(),
        '<div class="controls" hidden></div>',
    ]
    if not comparison.claims:
        out += ["<p>No claims to compare.</p>", "</section>"]
        return out
    n = len(comparison.outlets)
    out += [
        '<div class="scroll table-wrap" role="region" aria-labelledby="claims-caption" '
        'tabindex="0">',
        '<table class="claims">',
        f'<caption id="claims-caption">{len(comparison.claims)} '
        f"claim{'' if len(comparison.claims) == 1 else 's'} (rows) across "
        f"{n} report{'' if n == 1 else 's'} (columns); a row reads across what each report "
        "says.</caption>",
        '<thead><tr><th scope="col" class="corner">Claim</th>',
    ]
    for i, outlet in enumerate(comparison.outlets, 1):
        out.append(
            _outlet_header(
                i, outlet, labels[outlet.id], copies.get(outlet.id, ()), outlet.id in texts
            )
        )
    out += ["</tr></thead>", "<tbody>"]
    row_ids = {c.id: f"claim-{i}" for i, c in enumerate(comparison.claims, 1)}
    for claim in comparison.claims:
        out += _claim_rows(claim, row_ids, comparison, labels)
    out += ["</tbody>", "</table>", "</div>", "</section>"]
    return out


def _texts_section(
    comparison: Comparison, labels: dict[str, str], texts: Mapping[str, Article]
) -> list[str]:
    """List the full text of each report, folded, for readers who want the context."""
    out = [
        '<section id="texts" aria-labelledby="texts-h">',
        '<h2 id="texts-h">Full texts</h2>',
    ]
    for i, outlet in enumerate(comparison.outlets, 1):
        article = texts.get(outlet.id)
        if article is None:
            continue
        heading = labels[outlet.id] + (f" \u2014 {outlet.title}" if outlet.title else "")
        out.append(
            f'<details id="text-{i}"><summary>{_e(heading)}</summary>'
            f'<div class="fulltext">{_e(article.text.strip())}</div></details>'
        )
    out.append("</section>")
    return out


def render_html(
    comparison: Comparison,
    *,
    title: str | None = None,
    articles: Iterable[Article] | None = None,
    copies: Mapping[str, Sequence[Article]] | None = None,
    index_href: str | None = None,
    story: Sequence[tuple[Event, str | None]] | None = None,
) -> str:
    """Render one comparison as a self-contained HTML page.

    The page starts with a coverage summary (per report: claims carried, unique claims,
    omissions, conflicts, as numbers with small inline-SVG bars) and then shows the claims
    table: one column per report, one row per claim, cells coloured and labelled by who
    carries the claim, "not reported" where a report omits it, the differing words of
    conflicting claims highlighted, and moved claims marked. The table scrolls inside its
    own box with sticky headers, so the page itself fits a phone's width.

    Parameters
    ----------
    comparison : Comparison
        The table to show.
    title : str or None, default=None
        The page heading; by default "Comparison of N reports".
    articles : iterable of Article or None, default=None
        Articles whose ids are outlet ids of the comparison: their full text is added, folded,
        at the end of the page.
    copies : Mapping[str, Sequence[Article]] or None, default=None
        Outlet id to the near-duplicate copies of that report, listed under its header.
    index_href : str or None, default=None
        Relative address of an index page to link back to.
    story : sequence of (Event, str or None) or None, default=None
        The developments of the event's story (:attr:`Event.story
        <storymatch.models.Event.story>`) in date order, each with the relative address of
        its page (None where it has none): the header lists them, the page's own event
        (``comparison.event``) marked as the current one. Nothing is listed for a story of
        one event.

    Returns
    -------
    str
        The complete HTML document.

    See Also
    --------
    write_report : index and one page per event of an analysis.

    Examples
    --------
    >>> from storymatch.models import Comparison
    >>> page = render_html(Comparison(outlets=(), claims=(), coverage=(), threshold=0.5))
    >>> page.startswith("<!DOCTYPE html>")
    True
    """
    labels = outlet_labels(comparison)
    outlet_ids = {o.id for o in comparison.outlets}
    texts = {a.id: a for a in articles or () if a.id in outlet_ids}
    n = len(comparison.outlets)
    if title is None:
        title = f"Comparison of {n} report{'' if n == 1 else 's'}"
    summary = claim_summary(comparison)
    if comparison.event is not None:
        summary = f"Event {comparison.event}: {summary}"
    body = ['<a class="skip" href="#claims">Skip to the claims table</a>', "<header>"]
    if index_href is not None:
        body.append(f'<nav><a href="{_e(quote(index_href))}">&larr; All events</a></nav>')
    body += [
        f"<h1>{_e(title)}</h1>",
        f'<p class="summary">{_e(summary)}</p>',
        *_story_nav(story or (), comparison.event),
        "</header>",
        "<main>",
        *_coverage_section(comparison, labels),
        *_claims_section(comparison, labels, copies or {}, texts),
    ]
    if texts:
        body += _texts_section(comparison, labels, texts)
    body += [
        "</main>",
        "<footer><p>Made with storymatch. Sentences were aligned automatically: check the"
        " reports themselves before quoting them.</p></footer>",
    ]
    return _page(title, body, script=_asset("report.js"))


# ------------------------------------------------------------------------------ copies


def _copy_marks(segments: Sequence[CopySegment]) -> str:
    """Return marked runs as markup: each run escaped, each mark an element with a class."""
    out = []
    for text, kind in segments:
        if kind:
            tag = _COPY_TAGS[kind]
            out.append(
                f'<{tag} class="cp-{kind}" title="{_e(COPY_MARKS[kind])}">{_e(text)}</{tag}>'
            )
        else:
            out.append(_e(text))
    return "".join(out)


def _copy_label(article_id: str, articles: Mapping[str, Article]) -> str:
    """Return a member's name for a column: its outlet and id, or its id."""
    article = articles.get(article_id)
    if article is not None and article.source:
        return f"{article.source} ({article_id})"
    return article_id


def _copies_legend() -> list[str]:
    """Explain the marks of a copies page in words."""
    items = "".join(
        f'<li><{_COPY_TAGS[k]} class="cp-{k}">{_e(k)}</{_COPY_TAGS[k]}> {_e(words)}</li>'
        for k, words in COPY_MARKS.items()
    )
    return [f'<ul class="legend" aria-label="Legend">{items}</ul>']


def _copy_section(
    index: int,
    group: CopyGroup,
    copy: CopyInfo,
    articles: Mapping[str, Article],
) -> list[str]:
    """Build one copy's section: its edits in a line, the headline, the two texts side by side."""
    label = _copy_label(copy.id, articles)
    parent = _copy_label(copy.parent, articles)
    made_from = "the original" if copy.parent == group.original else "another copy"
    article = articles.get(copy.id)
    out = [
        f'<section class="copy" id="copy-{index}" aria-labelledby="copy-{index}-h">',
        f'<h2 id="copy-{index}-h">{_e(label)}</h2>',
        f'<p class="digest">{_e(copy.digest())}</p>',
        f'<p class="muted">Made from {made_from}, {_e(parent)}; similarity '
        f"{copy.similarity:.2f}.{' ' + _article_line(article) if article is not None else ''}"
        "</p>",
    ]
    heads = [e for e in copy.edits if e.op == "headline"]
    cols = (
        f'<thead><tr><th scope="col">{_e(parent)}</th><th scope="col">{_e(label)}</th></tr></thead>'
    )
    if heads:
        old, new = edit_segments(heads[0])
        out += [
            '<div class="scroll" role="region" tabindex="0" '
            f'aria-label="Headlines of {_e(parent)} and {_e(label)}">',
            f'<table class="sbs headlines"><caption>Headline</caption>{cols}<tbody><tr>'
            f'<td class="head">{_copy_marks(old)}</td><td class="head">{_copy_marks(new)}</td>'
            "</tr></tbody></table></div>",
        ]
    opened = " open" if index <= _OPEN_COPIES and copy.edits else ""
    out += [
        f"<details{opened}><summary>Texts side by side</summary>",
        '<div class="scroll" role="region" tabindex="0" '
        f'aria-label="Texts of {_e(parent)} and {_e(label)}">',
        f'<table class="sbs">{cols}<tbody><tr>',
        f'<td><div class="body">{_copy_marks(body_segments(group, copy, "parent"))}</div></td>',
        f'<td><div class="body">{_copy_marks(body_segments(group, copy, "copy"))}</div></td>',
        "</tr></tbody></table></div></details>",
        "</section>",
    ]
    return out


def render_copies_html(
    group: CopyGroup,
    *,
    articles: Iterable[Article] | Mapping[str, Article] | None = None,
    title: str | None = None,
    index_href: str | None = None,
) -> str:
    """Render a near-duplicate group's original and copies as a self-contained HTML page.

    For every copy: its edits in one line (:meth:`CopyInfo.digest
    <storymatch.models.CopyInfo.digest>`), the headlines when it rewrote its parent's, and
    the parent's and the copy's article bodies side by side with the edits marked: what the
    copy cut (struck through) on the parent's side, what it added on its own, moved
    sentences on both, and in reworded sentences the changed words, numbers apart. The
    marks come from the edits' spans and word diffs; the page computes nothing.

    Parameters
    ----------
    group : CopyGroup
        The group (:func:`storymatch.copy_edits`, :attr:`Analysis.copies
        <storymatch.models.Analysis.copies>`).
    articles : iterable or mapping of Article, or None, default=None
        The members' articles, for their outlet, headline, date and link.
    title : str or None, default=None
        The page heading; by default "Copies of" and the original's headline or id.
    index_href : str or None, default=None
        Relative address of an index page to link back to.

    Returns
    -------
    str
        The complete HTML document.

    Examples
    --------
    >>> from storymatch.models import CopyGroup
    >>> page = render_copies_html(CopyGroup("g1", "a", "date", 1.0, ()))
    >>> "Copies of a" in page
    True
    """
    by_id, default_title = copies_title(group, articles)
    original = by_id.get(group.original)
    title = default_title if title is None else title
    n = len(group.copies)
    summary = (
        f"{_copy_label(group.original, by_id)} is the original: {copy_basis(group)}. "
        f"{n} cop{'y' if n == 1 else 'ies'}."
    )
    body = ['<a class="skip" href="#copies">Skip to the copies</a>', "<header>"]
    if index_href is not None:
        body.append(f'<nav><a href="{_e(quote(index_href))}">&larr; Index</a></nav>')
    body += [
        f"<h1>{_e(title)}</h1>",
        f'<p class="summary">{_e(summary)}</p>',
        "</header>",
        '<main id="copies">',
    ]
    if original is not None:
        body.append(f'<p class="original">Original: {_article_line(original)}</p>')
    body += _copies_legend()
    for i, copy in enumerate(group.copies, 1):
        body += _copy_section(i, group, copy, by_id)
    if not group.copies:
        body.append("<p>No copies.</p>")
    body += [
        "</main>",
        "<footer><p>Made with storymatch. Originals and edits were found automatically: check"
        " the pages themselves before quoting them.</p></footer>",
    ]
    return _page(title, body)


# ------------------------------------------------------------------------------ index


def _article_line(article: Article, similarity: float | None = None) -> str:
    """Return one article for a list: headline (linked when safe), outlet, date."""
    heading = article.title or article.id
    linked = _link(article.url, heading)
    parts = [linked or _e(heading)]
    meta = [_e(x) for x in (article.source,) if x]
    if article.date:
        meta.append(_time(article.date))
    if similarity is not None:
        meta.append(f"similarity {similarity:.2f}")
    if meta:
        parts.append(f'<span class="muted"> &middot; {" &middot; ".join(meta)}</span>')
    return "".join(parts)


def _event_dates(event: Event) -> str:
    """Return the event's first and last publication date, or a dash."""
    return _dates(event.start, event.end)


def _dates(start: datetime | None, end: datetime | None) -> str:
    """Return the first and last day of a span (one day when they are the same), or a dash."""
    if start is None or end is None:
        return "&ndash;"
    first, last = start.date().isoformat(), end.date().isoformat()
    return _e(first) if first == last else f"{_e(first)} &ndash; {_e(last)}"


def _date_order(event: Event) -> tuple[bool, datetime, str]:
    """Sort key of a story's developments: earliest first, undated last, then by id."""
    return (event.start is None, event.start or datetime.min.replace(tzinfo=UTC), event.id)


def _stories(events: Sequence[Event]) -> list[list[Event]]:
    """Group events by story.

    Each story's developments come in date order; stories in the order of their first event in
    ``events`` (largest first in an analysis). Events without a story are stories of one.
    """
    threads: dict[str, list[Event]] = {}
    for event in events:
        threads.setdefault(event.story or "\0" + event.id, []).append(event)
    return [sorted(thread, key=_date_order) for thread in threads.values()]


def _story_nav(story: Sequence[tuple[Event, str | None]], current: str | None) -> list[str]:
    """List the developments of a story in an event page's header, the current one marked."""
    if len(story) <= 1:
        return []
    items = []
    for event, page in story:
        label = _e(event.label or event.id)
        dates = f' <span class="muted">({_event_dates(event)})</span>'
        if event.id == current:
            items.append(
                f'<li aria-current="page"><strong>{label}</strong>{dates} (this page)</li>'
            )
        elif page is not None:
            items.append(f'<li><a href="{_e(quote(page))}">{label}</a>{dates}</li>')
        else:
            items.append(f'<li>{label}{dates} <span class="muted">(no comparison)</span></li>')
    return [
        '<nav class="story" aria-labelledby="story-h">',
        f'<p id="story-h">One of {len(story)} developments of a story, in date order:</p>',
        f"<ol>{''.join(items)}</ol>",
        "</nav>",
    ]


def _copies_list(
    copy_group: CopyGroup,
    members: Iterable[str],
    articles: Mapping[str, Article],
    page: str | None,
) -> str:
    """List the copies of an original among ``members``, each with the digest of its edits."""
    wanted = set(members)
    items = []
    for info in copy_group.copies:
        if info.id not in wanted:
            continue
        line = _article_line(articles[info.id]) if info.id in articles else _e(info.id)
        via = "" if info.parent == copy_group.original else f" (of copy {_e(info.parent)})"
        items.append(
            f'<li>copy{via}: {line} <span class="digest">&mdash; {_e(info.digest())}</span></li>'
        )
    link = (
        f'<li class="sbs-link"><a href="{_e(quote(page))}">edits side by side</a></li>'
        if page is not None and items
        else ""
    )
    return f'<ul class="copies">{"".join(items)}{link}</ul>' if items else ""


def _event_articles(
    event: Event,
    articles: Mapping[str, Article],
    group_of: Mapping[str, DuplicateGroup],
    copies_of: Mapping[str, CopyGroup] | None = None,
    copy_pages: Mapping[str, str] | None = None,
) -> tuple[int, str]:
    """Count the event's distinct reports and list them, each with its copies under it.

    Where the group's original and edits are known (``copies_of``: group id to
    :class:`CopyGroup`), the original leads and each copy carries the digest of its edits.
    """
    copies_of = copies_of or {}
    copy_pages = copy_pages or {}
    shown: dict[str, list[str]] = {}
    for member in event.members:
        group = group_of.get(member)
        key = member if group is None else group.id
        shown.setdefault(key, []).append(member)
    items = []
    for members in shown.values():
        group = group_of.get(members[0])
        in_event = set(members)
        if group is None:
            order = members
            sims: dict[str, float] = {}
        else:
            order = [m for m in group.members if m in in_event]
            sims = dict(zip(group.members, group.similarities, strict=False))
        found = copies_of.get(group.id) if group is not None else None
        if found is not None and found.original in in_event:
            lead = found.original
            line = _article_line(articles[lead]) if lead in articles else _e(lead)
            line += _copies_list(found, in_event, articles, copy_pages.get(found.group))
            items.append(f"<li>{line}</li>")
            continue
        lead, rest = order[0], order[1:]
        line = _article_line(articles[lead]) if lead in articles else _e(lead)
        if rest:
            copies = "".join(
                f"<li>copy: {_article_line(articles[m], sims.get(m))}</li>"
                if m in articles
                else f"<li>copy: {_e(m)}</li>"
                for m in rest
            )
            line += f'<ul class="copies">{copies}</ul>'
        items.append(f"<li>{line}</li>")
    return len(shown), "<ul>" + "".join(items) + "</ul>"


def _story_row(thread: Sequence[Event]) -> str:
    """Return the heading row of a story's rows in the index: its first label, size and dates."""
    first = thread[0]
    starts = [e.start for e in thread if e.start is not None]
    ends = [e.end for e in thread if e.end is not None]
    dates = _dates(min(starts), max(ends)) if starts and ends else "&ndash;"
    return (
        '<tr class="story"><th scope="rowgroup" colspan="5">'
        f"<strong>Story: {_e(first.label or first.id)}</strong> "
        f'<span class="muted">&middot; {len(thread)} developments &middot; {dates}</span>'
        "</th></tr>"
    )


def _event_row(
    event: Event,
    page: str | None,
    articles: Mapping[str, Article],
    group_of: Mapping[str, DuplicateGroup],
    copies_of: Mapping[str, CopyGroup],
    copy_pages: Mapping[str, str],
) -> str:
    """Return one event's row of the index: label (linked to its page), dates, outlets, sizes."""
    label = event.label or event.id
    name = (
        f'<a class="label" href="{_e(quote(page))}">{_e(label)}</a>'
        if page is not None
        else f'<span class="label">{_e(label)}</span> <span class="muted">(no comparison)</span>'
    )
    n_reports, listing = _event_articles(event, articles, group_of, copies_of, copy_pages)
    outlets = list(event.outlets[:_MAX_OUTLETS_SHOWN])
    more = len(event.outlets) - len(outlets)
    outlet_text = ", ".join(outlets) + (f" and {more} more" if more > 0 else "")
    noun = "article" if len(event) == 1 else "articles"
    return (
        "<tr>"
        f'<th scope="row">{name}<details><summary>{len(event)} {noun}</summary>'
        f"{listing}</details></th>"
        f'<td class="dates">{_event_dates(event)}</td>'
        f"<td>{_e(outlet_text) or '&ndash;'}</td>"
        f'<td class="n">{n_reports}</td>'
        f'<td class="n">{len(event)}</td>'
        "</tr>"
    )


def render_index(
    analysis: Analysis,
    pages: Mapping[str, str],
    *,
    copy_pages: Mapping[str, str] | None = None,
) -> str:
    """Render the index of an analysis: every event, its outlets, dates, sizes and reports.

    Events are grouped by story (:attr:`Event.story <storymatch.models.Event.story>`): the
    developments of a story of several events follow a heading row (the story's first label,
    its number of developments and its dates) in date order, at the place of the story's
    largest event; events are otherwise listed largest first.

    Parameters
    ----------
    analysis : Analysis
        The pipeline's result.
    pages : Mapping[str, str]
        Event id to the relative file name of that event's comparison page; events without
        one are listed without a link.
    copy_pages : Mapping[str, str] or None, default=None
        Near-duplicate group id to the relative file name of its copies page
        (:func:`render_copies_html`).

    Returns
    -------
    str
        The complete HTML document. Copies are listed under their original (where
        :attr:`Analysis.copies <storymatch.models.Analysis.copies>` has it, else under
        their group's representative), each with a one-line digest of its edits, and a
        "Copies" section lists every group with copies.

    Examples
    --------
    >>> from storymatch.models import Analysis
    >>> "0 events" in render_index(Analysis((), (), (), {}), {})
    True
    """
    articles = {a.id: a for a in analysis.articles}
    group_of = {m: g for g in analysis.groups for m in g.members}
    copies_of = {c.group: c for c in analysis.copies}
    copy_pages = copy_pages or {}
    n_copies = sum(len(g) - 1 for g in analysis.groups)
    n_copied = sum(1 for g in analysis.groups if len(g) > 1)
    summary = (
        f"{len(analysis.articles)} articles, {n_copied} with copies elsewhere "
        f"({n_copies} copies), {len(analysis.events)} events, {len(pages)} compared"
    )
    title = "storymatch report"
    body = [
        '<a class="skip" href="#events">Skip to the events</a>',
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="summary">{_e(summary)}</p>',
        "</header>",
        '<main id="events">',
        '<h2 id="events-h">Events</h2>',
    ]
    if not analysis.events:
        body.append("<p>No events.</p>")
    else:
        body += [
            '<div class="scroll" role="region" aria-labelledby="events-caption" tabindex="0">',
            '<table class="events">',
            '<caption id="events-caption">Events, largest first, the developments of one story '
            "together in date order; open one to compare its reports side by side.</caption>",
            "<thead><tr>",
            '<th scope="col">Event</th>',
            '<th scope="col">Dates</th>',
            '<th scope="col">Outlets</th>',
            '<th scope="col">Reports</th>',
            '<th scope="col">Articles</th>',
            "</tr></thead>",
        ]
        # one <tbody> per story of several events, one per run of events that are not
        sections: list[tuple[bool, list[Event]]] = []
        for thread in _stories(analysis.events):
            if len(thread) == 1 and sections and not sections[-1][0]:
                sections[-1][1].extend(thread)
            else:
                sections.append((len(thread) > 1, list(thread)))
        for is_story, rows in sections:
            body.append(f'<tbody class="story">{_story_row(rows)}' if is_story else "<tbody>")
            body += [
                _event_row(e, pages.get(e.id), articles, group_of, copies_of, copy_pages)
                for e in rows
            ]
            body.append("</tbody>")
        body += ["</table>", "</div>"]
    body += _copies_index(analysis.copies, articles, copy_pages)
    body += ["</main>", "<footer><p>Made with storymatch.</p></footer>"]
    return _page(title, body)


def _copies_index(
    groups: Sequence[CopyGroup], articles: Mapping[str, Article], pages: Mapping[str, str]
) -> list[str]:
    """List every group with copies: its original, then each copy with its digest."""
    if not groups:
        return []
    out = [
        '<section id="copies" aria-labelledby="copies-h">',
        '<h2 id="copies-h">Copies</h2>',
        '<p class="muted">Each original, then its copies with what they changed.</p>',
        '<ul class="originals">',
    ]
    for group in groups:
        original = group.original
        line = _article_line(articles[original]) if original in articles else _e(original)
        members = [c.id for c in group.copies]
        out.append(
            f"<li>original: {line}"
            f"{_copies_list(group, members, articles, pages.get(group.group))}</li>"
        )
    out += ["</ul>", "</section>"]
    return out


# ------------------------------------------------------------------------------ files


def _page_names(analysis: Analysis) -> dict[str, str]:
    """Event id to a safe, distinct file name for every event with a comparison."""
    order = [e.id for e in analysis.events if e.id in analysis.comparisons]
    order += sorted(set(analysis.comparisons) - set(order))
    names: dict[str, str] = {}
    taken = {"index"}
    for event_id in order:
        stem = _PAGE_NAME.sub("_", event_id)[:_MAX_PAGE_STEM] or "event"
        candidate, n = stem, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.lower())
        names[event_id] = candidate + ".html"
    return names


def _copy_page_names(analysis: Analysis, taken_names: Iterable[str]) -> dict[str, str]:
    """Group id to a safe, distinct file name for every group with copies."""
    taken = {"index"} | {name.removesuffix(".html").lower() for name in taken_names}
    names: dict[str, str] = {}
    for group in analysis.copies:
        stem = "copies-" + (_PAGE_NAME.sub("_", group.group)[:_MAX_PAGE_STEM] or "group")
        candidate, n = stem, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.lower())
        names[group.group] = candidate + ".html"
    return names


def write_report(analysis: Analysis, out_dir: str | PathLike[str]) -> Path:
    """Write ``out_dir/index.html``, a page per event and a page per group with copies.

    Event pages compare the event's reports, and their header links to the other developments
    of the event's story (:attr:`Event.story <storymatch.models.Event.story>`); copies pages
    (``copies-g-....html``, :func:`render_copies_html`) show each group's original and copies
    side by side. The index groups the developments of each story together, in date order
    (:func:`render_index`). Page names come from the event and group ids
    (``e-0123abcd4567ef89.html``), with characters other than letters, digits, ``-`` and ``_``
    replaced. Every page is rendered to a temporary file first; only when all are complete are
    they renamed into place, the index last (see :func:`storymatch._files.write_together`), so
    a failure leaves the previous report whole and the index never links to a page that is not
    there yet.

    Parameters
    ----------
    analysis : Analysis
        The pipeline's result.
    out_dir : str or os.PathLike
        The folder to write to; created when missing. Other files in it are left alone.

    Returns
    -------
    pathlib.Path
        The path of ``index.html``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with write_together():  # the pages, then the index, moved in at the end together
        articles = {a.id: a for a in analysis.articles}
        group_of = {m: g for g in analysis.groups for m in g.members}
        events = {e.id: e for e in analysis.events}
        threads = {t[0].story: t for t in _stories(analysis.events) if t[0].story is not None}
        pages = _page_names(analysis)
        copy_pages = _copy_page_names(analysis, pages.values())
        for copy_group in analysis.copies:
            page = render_copies_html(copy_group, articles=articles, index_href="index.html")
            with atomic_write(out / copy_pages[copy_group.group]) as fh:
                fh.write(page)
        for event_id, name in pages.items():
            comparison = analysis.comparisons[event_id]
            copies: dict[str, list[Article]] = {}
            for outlet in comparison.outlets:
                group = group_of.get(outlet.id)
                if group is not None:
                    copies[outlet.id] = [
                        articles[m] for m in group.members if m != outlet.id and m in articles
                    ]
            event = events.get(event_id)
            thread = threads.get(event.story) if event is not None and event.story else None
            page = render_html(
                comparison,
                title=event.label if event is not None and event.label else None,
                articles=[articles[o.id] for o in comparison.outlets if o.id in articles],
                copies=copies,
                index_href="index.html",
                story=[(e, pages.get(e.id)) for e in thread] if thread else None,
            )
            with atomic_write(out / name) as fh:
                fh.write(page)
        index = out / "index.html"
        with atomic_write(index) as fh:
            fh.write(render_index(analysis, pages, copy_pages=copy_pages))
    return index
