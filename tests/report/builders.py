"""Hand-built comparisons and analyses for the report tests (no pipeline involved).

The story: a river floods a town; four reports of it. One outlet is hostile: its name, headline,
address and text carry script injections. Claims cover every status (all / some / one), a
numeric conflict with word-level opcodes, a quote conflict, a moved claim and a two-sentence
cell.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import combinations

from storymatch.dedup.copies import copy_edits
from storymatch.models import (
    Analysis,
    Article,
    Cell,
    Claim,
    Comparison,
    Conflict,
    CopyGroup,
    Coverage,
    DiffOp,
    DuplicateGroup,
    Event,
    Outlet,
    PairDiff,
    Sentence,
    stable_id,
)

PWNED_SCRIPT = "<script>window.__pwned=1</script>"
PWNED_IMG = '<img src=x onerror="window.__pwned=1">'
PWNED_URL = "javascript:alert(1)"
EVIL_NAME = f"Evil {PWNED_SCRIPT} Times"


@dataclass(frozen=True)
class Report:
    """One report to build: its outlet metadata and its sentences in order."""

    id: str
    name: str
    title: str | None
    date: str | None
    url: str | None
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ClaimSpec:
    """One row to build: sentence indices per report, conflicts and the moved flag."""

    cells: Mapping[str, Sequence[int]]
    conflicts: tuple[Conflict, ...] = ()
    moved: bool = False


FLOOD_REPORTS = (
    Report(
        id="planet-1",
        name="Daily Planet",
        title="River floods Millbrook; 12 dead",
        date="2024-05-01T08:30:00Z",
        url="https://dailyplanet.example/news/millbrook-flood",
        sentences=(
            "The River Mill burst its banks on Tuesday night, flooding the centre of Millbrook.",
            "At least 12 people were killed, the fire service said.",
            "Mayor Ana Ruiz declared a state of emergency.",
            "Rail services to the city were suspended.",
        ),
    ),
    Report(
        id="gazette-7",
        name="Riverside Gazette",
        title="Flood kills 15 in Millbrook",
        date="2024-05-01T10:05:00+02:00",
        url="https://gazette.example/story?id=7&ref=home",
        sentences=(
            "The River Mill burst its banks late on Tuesday, flooding central Millbrook.",
            "At least 15 people were killed, the fire service said.",
            'Ruiz said: "We will rebuild every home."',
            "Some 300 residents spent the night in the sports hall.",
            "Forecasters expect more rain on Thursday and Friday.",
            "Mayor Ana Ruiz declared a state of emergency.",
        ),
    ),
    Report(
        id="wire-3",
        name="Wire Service",
        title="Millbrook flood: what we know",
        date="2024-05-01",
        url=None,
        sentences=(
            "Millbrook's centre was flooded after the River Mill burst its banks on Tuesday.",
            "At least 12 people were killed, according to the fire service.",
            "Mayor Ana Ruiz declared a state of emergency.",
            "About 300 residents spent the night in the sports hall.",
            "Forecasters expect more rain.",
            "It could fall on Thursday and Friday.",
        ),
    ),
    Report(
        id="evil-0",
        name=EVIL_NAME,
        title=PWNED_IMG,
        date="not a date <b>",
        url=PWNED_URL,
        sentences=(
            f"At least 12 people died {PWNED_SCRIPT} officials said.",
            "The River Mill burst its banks on Tuesday night.",
            f'Witnesses described {PWNED_IMG} scenes and <a href="{PWNED_URL}">this link</a>.',
            'Ruiz said: "We may not rebuild every home."',
        ),
    ),
)

FLOOD_CLAIMS = (
    ClaimSpec({"planet-1": [0], "gazette-7": [0], "wire-3": [0], "evil-0": [1]}),
    ClaimSpec(
        {"planet-1": [1], "gazette-7": [1], "wire-3": [1], "evil-0": [0]},
        conflicts=(
            Conflict("number", "planet-1", "gazette-7", ("12",), ("15",)),
            Conflict("number", "gazette-7", "wire-3", ("15",), ("12",)),
            Conflict("number", "gazette-7", "evil-0", ("15",), ("12",)),
        ),
    ),
    ClaimSpec({"planet-1": [2], "gazette-7": [5], "wire-3": [2]}, moved=True),
    ClaimSpec(
        {"gazette-7": [2], "evil-0": [3]},
        conflicts=(Conflict("quote", "gazette-7", "evil-0", ("will",), ("may not",)),),
    ),
    ClaimSpec({"gazette-7": [3], "wire-3": [3]}),
    ClaimSpec({"evil-0": [2]}),
    ClaimSpec({"planet-1": [3]}),
    ClaimSpec({"gazette-7": [4], "wire-3": [4, 5]}),
)

BRIDGE_REPORTS = (
    Report(
        id="post-1",
        name="Morning Post",
        title="Old bridge to close for repairs",
        date="2024-05-03",
        url="https://post.example/bridge",
        sentences=(
            "The old town bridge will close for repairs in June.",
            "Work is expected to take four months.",
        ),
    ),
    Report(
        id="echo-2",
        name="Evening Echo",
        title="Bridge closure announced",
        date="2024-05-03",
        url="http://echo.example/bridge",
        sentences=(
            "The old town bridge will close for repairs from June.",
            "A ferry will run while it is shut.",
        ),
    ),
)

BRIDGE_CLAIMS = (
    ClaimSpec({"post-1": [0], "echo-2": [0]}),
    ClaimSpec({"post-1": [1]}),
    ClaimSpec({"echo-2": [1]}),
)


def word_opcodes(a: str, b: str) -> tuple[DiffOp, ...]:
    """Word-level difflib opcodes from ``a`` to ``b`` as character offsets."""
    a_words = list(re.finditer(r"\S+", a))
    b_words = list(re.finditer(r"\S+", b))
    matcher = difflib.SequenceMatcher(
        None, [m.group() for m in a_words], [m.group() for m in b_words], autojunk=False
    )

    def span(words: list[re.Match[str]], lo: int, hi: int, size: int) -> tuple[int, int]:
        start = words[lo].start() if lo < len(words) else size
        end = words[hi - 1].end() if hi > lo else start
        return start, end

    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a_start, a_end = span(a_words, i1, i2, len(a))
        b_start, b_end = span(b_words, j1, j2, len(b))
        ops.append(DiffOp(tag, a_start, a_end, b_start, b_end))
    return tuple(ops)


def _sentences(report: Report) -> tuple[Sentence, ...]:
    out, offset = [], 0
    for index, text in enumerate(report.sentences):
        out.append(Sentence(text, offset, offset + len(text), index=index))
        offset += len(text) + 1
    return tuple(out)


def _coverage(outlets: Sequence[Outlet], claims: Sequence[Claim]) -> tuple[Coverage, ...]:
    out = []
    for outlet in outlets:
        others = len(outlets) - 1
        carried = [c for c in claims if c.cell(outlet.id) is not None]
        unique = [c for c in carried if c.status == "one"]
        omitted = [c for c in claims if c.cell(outlet.id) is None and len(c.cells) > others / 2]
        conflicts = [c for c in carried if any(outlet.id in (k.left, k.right) for k in c.conflicts)]
        lead = []
        for index in range(3):
            for claim in claims:
                cell = claim.cell(outlet.id)
                if cell and any(s.index == index for s in cell.sentences) and claim.id not in lead:
                    lead.append(claim.id)
        out.append(
            Coverage(
                outlet.id, len(carried), len(unique), len(omitted), len(conflicts), tuple(lead)
            )
        )
    return tuple(out)


def build_comparison(
    reports: Sequence[Report] = FLOOD_REPORTS,
    specs: Sequence[ClaimSpec] = FLOOD_CLAIMS,
    *,
    event: str | None = None,
) -> Comparison:
    """Build a comparison from reports and claim specs, with real word-level opcodes."""
    sentences = {r.id: _sentences(r) for r in reports}
    outlets = tuple(Outlet(r.id, r.name, r.title, r.date, r.url, len(r.sentences)) for r in reports)
    order = [r.id for r in reports]
    claims = []
    for number, spec in enumerate(specs, 1):
        cells = tuple(
            Cell(oid, tuple(sentences[oid][i] for i in spec.cells[oid]))
            for oid in order
            if oid in spec.cells
        )
        if len(cells) == len(reports):
            status = "all"
        elif len(cells) == 1:
            status = "one"
        else:
            status = "some"
        pairs = tuple(
            PairDiff(
                left.outlet,
                right.outlet,
                difflib.SequenceMatcher(None, left.text, right.text).ratio(),
                word_opcodes(left.text, right.text),
            )
            for left, right in combinations(cells, 2)
        )
        claims.append(
            Claim(f"c{number}", cells, status, spec.conflicts, pairs, spec.moved)  # type: ignore[arg-type]
        )
    return Comparison(outlets, tuple(claims), _coverage(outlets, claims), 0.55, event)


def _article(report: Report, **changes: str | None) -> Article:
    fields: dict[str, str | None] = {
        "id": report.id,
        "text": " ".join(report.sentences),
        "source": report.name,
        "title": report.title,
        "date": report.date,
        "url": report.url,
    }
    fields.update(changes)
    text = fields.pop("text")
    article_id = fields.pop("id")
    assert text is not None
    assert article_id is not None
    return Article(article_id, text, **fields)  # type: ignore[arg-type]


def _event(members: Sequence[Article], label: str) -> Event:
    dates = [a.published for a in members if a.date and a.date[0].isdigit()]
    return Event(
        id=stable_id("e-", [a.id for a in members]),
        members=tuple(sorted(a.id for a in members)),
        outlets=tuple(sorted({a.source for a in members if a.source})),
        start=min(dates) if dates else None,  # type: ignore[type-var]
        end=max(dates) if dates else None,  # type: ignore[type-var]
        label=label,
    )


def build_analysis() -> Analysis:
    """Three events: the flood (4 reports + 2 copies), the bridge (2 reports), one loner."""
    flood = [_article(r) for r in FLOOD_REPORTS]
    copies = [
        _article(
            FLOOD_REPORTS[0],
            id="metro-9",
            source="Metro Daily",
            url=None,
            date="2024-05-01T11:00:00Z",
        ),
        _article(
            FLOOD_REPORTS[0],
            id="regional-4",
            source="regional.example",
            url="https://regional.example/millbrook",
            title="Millbrook flood",
        ),
    ]
    bridge = [_article(r) for r in BRIDGE_REPORTS]
    loner = Article(
        "loner-1",
        "A cat was rescued from a tree.",
        source="Daily Planet",
        title="Cat rescued",
        date="2024-05-02",
    )
    articles = (*flood, *copies, *bridge, loner)
    planet_group = DuplicateGroup(
        stable_id("g-", ["planet-1", "metro-9", "regional-4"]),
        "planet-1",
        ("planet-1", "metro-9", "regional-4"),
        (1.0, 0.97, 0.91),
    )
    singles = [
        DuplicateGroup(stable_id("g-", [a.id]), a.id, (a.id,), (1.0,))
        for a in articles
        if a.id not in planet_group.members
    ]
    flood_event = _event([*flood, *copies], FLOOD_REPORTS[0].title or "")
    bridge_event = _event(bridge, "Old bridge to close for repairs")
    loner_event = _event([loner], "Cat rescued")
    return Analysis(
        articles=articles,
        groups=(planet_group, *singles),
        events=(flood_event, bridge_event, loner_event),
        comparisons={
            flood_event.id: build_comparison(event=flood_event.id),
            bridge_event.id: build_comparison(BRIDGE_REPORTS, BRIDGE_CLAIMS, event=bridge_event.id),
        },
    )


def utc(year: int, month: int, day: int) -> datetime:
    """A UTC datetime at midnight."""
    return datetime(year, month, day, tzinfo=UTC)


# ------------------------------------------------------------------------------ copies

COPY_ORIGINAL = Article(
    "wire-1",
    "Dockworkers walked out at the port on Monday over pay and automation.\n\n"
    "By Tuesday evening, 41 vessels were waiting at anchor outside the harbour.\n\n"
    f"Union leaders said {PWNED_IMG} the talks had failed after a week.\n\n"
    "The walkout is scheduled to last 72 hours and end early on Friday.\n\n"
    "The port handles about a fifth of the country's container traffic.\n",
    source="Wire Service",
    title="Dockworkers walk out at the port",
    date="2026-03-02T08:00:00Z",
    url="https://wire.example/strike",
)
COPY_EDITED = Article(
    "copy-1",
    "Dockworkers walked out at the port on Monday over pay and automation.\n\n"
    "By Tuesday evening, 38 vessels were waiting at anchor outside the harbour.\n\n"
    f"Union leaders said {PWNED_IMG} the talks had failed after a week.\n\n"
    f"Officials said {PWNED_SCRIPT} three ships had been allowed to berth.\n\n"
    "The walkout is scheduled to last 72 hours and end early on Friday.\n",
    source=EVIL_NAME,
    title=f"Strike {PWNED_SCRIPT} at the port",
    date="2026-03-03T08:00:00Z",
    url=PWNED_URL,
)


def build_copies() -> tuple[tuple[Article, ...], CopyGroup]:
    """An original and a hostile copy: a changed number, an added sentence, a cut tail and a
    rewritten headline, all carrying script injections; found by :func:`copy_edits`."""
    articles = (COPY_ORIGINAL, COPY_EDITED)
    group = DuplicateGroup("g-0123456789abcdef", "wire-1", ("wire-1", "copy-1"), (1.0, 0.8))
    (found,) = copy_edits([group], articles)
    return articles, found


def build_copies_analysis() -> Analysis:
    """An analysis of the two articles of :func:`build_copies`: one group, one event."""
    articles, found = build_copies()
    group = DuplicateGroup(found.group, "wire-1", ("wire-1", "copy-1"), (1.0, 0.8))
    event = _event(articles, "Dockworkers walk out at the port")
    return Analysis(articles, (group,), (event,), {}, (found,))


# ------------------------------------------------------------------------------ six outlets

DOCK_REPORTS = tuple(
    Report(
        id=f"e1-{name.split('.')[0]}",
        name=name,
        title=title,
        date=date,
        url=f"https://{name}/2026/03/marrowgate-strike",
        sentences=sentences,
    )
    for name, title, date, sentences in (
        (
            "civic-radio.example",
            "Marrowgate dockers strike for 72 hours",
            "2026-03-10",
            (
                "Dockworkers at the Port of Marrowgate are on strike.",
                "The walkout is set to last 72 hours.",
            ),
        ),
        (
            "harbor-gazette.example",
            "Port falls silent as dockers begin three-day strike",
            "2026-03-10",
            (
                "The cranes at the Port of Marrowgate stood still on Tuesday morning.",
                "Employers have put 11 percent on the table.",
            ),
        ),
        (
            "ledger-wire.example",
            "Dockworkers walk out at Port of Marrowgate in pay and automation dispute",
            "2026-03-10",
            (
                "Dockworkers at the Port of Marrowgate walked out on Tuesday.",
                "By Tuesday evening, 41 vessels were waiting at anchor outside the harbour, "
                "according to the port's harbour master.",
            ),
        ),
        (
            "morning-standard.example",
            "Minister urges mediation as dock strike paralyses Marrowgate",
            "2026-03-10",
            (
                "The transport minister urged both sides to accept mediation.",
                "Dockworkers at Marrowgate began a three-day strike on Tuesday.",
            ),
        ),
        (
            "northcoast-tribune.example",
            "Strike halts Marrowgate port as minister calls for talks",
            "2026-03-10",
            (
                "A strike halted the Port of Marrowgate on Tuesday.",
                "Workers are also uneasy about automation.",
            ),
        ),
        (
            "freight-bulletin.example",
            "Marrowgate strike strands 38 vessels as carriers reroute to Saltby",
            "2026-03-11",
            (
                "Thirty-eight vessels were waiting at anchor off Marrowgate by Tuesday evening "
                "after a dockworkers' strike shut the port's container terminals, harbour "
                "officials said.",
                "Carriers are rerouting to Saltby.",
            ),
        ),
    )
)

DOCK_CLAIMS = (
    ClaimSpec({r.id: [0] for r in DOCK_REPORTS if r.id != "e1-freight-bulletin"}),
    ClaimSpec(
        {"e1-ledger-wire": [1], "e1-freight-bulletin": [0]},
        conflicts=(
            Conflict(
                "number",
                "e1-ledger-wire",
                "e1-freight-bulletin",
                ("41 vessels",),
                ("Thirty-eight vessels",),
            ),
        ),
        moved=True,
    ),
    ClaimSpec({"e1-civic-radio": [1]}),
    ClaimSpec({"e1-harbor-gazette": [1]}),
    ClaimSpec({"e1-northcoast-tribune": [1]}),
    ClaimSpec({"e1-freight-bulletin": [1]}),
)


def build_six_outlets() -> Comparison:
    """The demo's dock strike, six outlets: the 41 against 38 vessels conflict, columns 3 and 6."""
    return build_comparison(DOCK_REPORTS, DOCK_CLAIMS, event="e-d32f1693f91b37e3")


STORY_ID = "s-millbrook"


def build_story_analysis() -> Analysis:
    """The events of :func:`build_analysis` as three developments of one story, plus one more.

    The story runs flood (1 May, 6 articles), cat (2 May, 1 article, no comparison, its label
    carrying markup), bridge (3 May, 2 articles): date order differs from size order. The
    unrelated event (a new mayor, 30 April, 1 article) has no story.
    """
    base = build_analysis()
    flood, bridge, loner = base.events
    mayor = Article(
        "mayor-1", "The council elected a new mayor.", source="Gazette", title="New mayor",
        date="2024-04-30",
    )  # fmt: skip
    events = (
        replace(flood, story=STORY_ID),
        replace(bridge, story=STORY_ID),
        replace(loner, story=STORY_ID, label=f"Cat rescued {PWNED_IMG}"),
        _event([mayor], "New mayor"),
    )
    single = DuplicateGroup(stable_id("g-", [mayor.id]), mayor.id, (mayor.id,), (1.0,))
    return replace(
        base, articles=(*base.articles, mayor), groups=(*base.groups, single), events=events
    )
