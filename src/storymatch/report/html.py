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
from datetime import datetime
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Final
from urllib.parse import quote

from storymatch._files import atomic_write
from storymatch.models import Analysis, Article, Claim, Comparison, DuplicateGroup, Event, Outlet
from storymatch.report._common import (
    CONFLICT,
    DIFF,
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

__all__ = ["render_html", "render_index", "write_report"]

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STATUS_CLASS: Final = {"all": "s-all", "some": "s-some", "one": "s-one"}
_MARK_CLASS: Final = {DIFF: "diff", CONFLICT: "conflict"}
_METRICS: Final = ("carried", "unique", "omitted", "conflicts")
_MAX_OUTLETS_SHOWN: Final = 8
_PAGE_NAME: Final = re.compile(r"[^A-Za-z0-9_-]")
_MAX_PAGE_STEM: Final = 100


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
        cells = [f'<th scope="row">{_e(labels[outlet.id])}</th>']
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


def _cell_html(claim: Claim, outlet_id: str) -> str:
    """Return one ``<td>``: the cell's text with highlights, or "not reported"."""
    cell = claim.cell(outlet_id)
    if cell is None:
        return (
            '<td class="cell none"><span class="nr"><span aria-hidden="true">&mdash; </span>'
            "not reported</span></td>"
        )
    body = []
    for text, level in cell_segments(claim, cell):
        if level in _MARK_CLASS:
            body.append(f'<mark class="{_MARK_CLASS[level]}">{_e(text)}</mark>')
        else:
            body.append(_e(text))
    position = format_position(cell)
    pos = (
        f'<span class="pos" title="Place of the sentence in its report">'
        f'<span class="vh">sentence </span>&sect;{_e(position)}</span>'
        if position
        else ""
    )
    return f'<td class="cell has">{pos}{"".join(body)}</td>'


def _claim_rows(
    claim: Claim, row_id: str, comparison: Comparison, labels: dict[str, str]
) -> list[str]:
    """Build the row of one claim, and a row listing its conflicts when it has any."""
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
    cells += [_cell_html(claim, outlet.id) for outlet in comparison.outlets]
    rows = [f'<tr id="{row_id}" class="{" ".join(classes)}">' + "".join(cells) + "</tr>"]
    if claim.conflicts:
        items = "".join(f"<li>{_e(describe_conflict(c, labels))}</li>" for c in claim.conflicts)
        rows.append(
            f'<tr class="notes"><td colspan="{len(comparison.outlets) + 1}">'
            f'<div class="notes-body"><strong>Conflicts in {_e(claim.id)}:</strong>'
            f"<ul>{items}</ul></div></td></tr>"
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
    for i, claim in enumerate(comparison.claims, 1):
        out += _claim_rows(claim, f"claim-{i}", comparison, labels)
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

    def day(value: datetime) -> str:
        return value.date().isoformat()

    if event.start is None or event.end is None:
        return "&ndash;"
    first, last = day(event.start), day(event.end)
    return _e(first) if first == last else f"{_e(first)} &ndash; {_e(last)}"


def _event_articles(
    event: Event,
    articles: Mapping[str, Article],
    group_of: Mapping[str, DuplicateGroup],
) -> tuple[int, str]:
    """Count the event's distinct reports and list them, each with its copies under it."""
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


def render_index(analysis: Analysis, pages: Mapping[str, str]) -> str:
    """Render the index of an analysis: every event, its outlets, dates, sizes and reports.

    Parameters
    ----------
    analysis : Analysis
        The pipeline's result.
    pages : Mapping[str, str]
        Event id to the relative file name of that event's comparison page; events without
        one are listed without a link.

    Returns
    -------
    str
        The complete HTML document. Copies are listed under their representative.

    Examples
    --------
    >>> from storymatch.models import Analysis
    >>> "0 events" in render_index(Analysis((), (), (), {}), {})
    True
    """
    articles = {a.id: a for a in analysis.articles}
    group_of = {m: g for g in analysis.groups for m in g.members}
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
            '<caption id="events-caption">Events, largest first; open one to compare its '
            "reports side by side.</caption>",
            "<thead><tr>",
            '<th scope="col">Event</th>',
            '<th scope="col">Dates</th>',
            '<th scope="col">Outlets</th>',
            '<th scope="col">Reports</th>',
            '<th scope="col">Articles</th>',
            "</tr></thead>",
            "<tbody>",
        ]
        for event in analysis.events:
            label = event.label or event.id
            page = pages.get(event.id)
            name = (
                f'<a class="label" href="{_e(quote(page))}">{_e(label)}</a>'
                if page is not None
                else f'<span class="label">{_e(label)}</span> '
                '<span class="muted">(no comparison)</span>'
            )
            n_reports, listing = _event_articles(event, articles, group_of)
            outlets = list(event.outlets[:_MAX_OUTLETS_SHOWN])
            more = len(event.outlets) - len(outlets)
            outlet_text = ", ".join(outlets) + (f" and {more} more" if more > 0 else "")
            noun = "article" if len(event) == 1 else "articles"
            body.append(
                "<tr>"
                f'<th scope="row">{name}<details><summary>{len(event)} {noun}</summary>'
                f"{listing}</details></th>"
                f'<td class="dates">{_event_dates(event)}</td>'
                f"<td>{_e(outlet_text) or '&ndash;'}</td>"
                f'<td class="n">{n_reports}</td>'
                f'<td class="n">{len(event)}</td>'
                "</tr>"
            )
        body += ["</tbody>", "</table>", "</div>"]
    body += ["</main>", "<footer><p>Made with storymatch.</p></footer>"]
    return _page(title, body)


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


def write_report(analysis: Analysis, out_dir: str | PathLike[str]) -> Path:
    """Write ``out_dir/index.html`` and one comparison page per event; return the index path.

    Page names come from the event ids (``e-0123abcd4567ef89.html``), with characters other
    than letters, digits, ``-`` and ``_`` replaced. Each file is written atomically (see
    :func:`storymatch._files.atomic_write`); the index is written last, so it never links to a
    page that is not there yet.

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
    articles = {a.id: a for a in analysis.articles}
    group_of = {m: g for g in analysis.groups for m in g.members}
    events = {e.id: e for e in analysis.events}
    pages = _page_names(analysis)
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
        page = render_html(
            comparison,
            title=event.label if event is not None and event.label else None,
            articles=[articles[o.id] for o in comparison.outlets if o.id in articles],
            copies=copies,
            index_href="index.html",
        )
        with atomic_write(out / name) as fh:
            fh.write(page)
    index = out / "index.html"
    with atomic_write(index) as fh:
        fh.write(render_index(analysis, pages))
    return index
