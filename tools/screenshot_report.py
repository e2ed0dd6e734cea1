"""Take the screenshot of an HTML report shown in the README (docs/img/report.png).

Uses the system Chromium (Debian's ``chromium``) through Playwright's Python client; no
browser is downloaded. By default it renders a small hand-built comparison; pass ``--html``
to photograph a page the pipeline wrote, for example one event page of the demo::

    storymatch demo -o /tmp/demo
    python tools/screenshot_report.py --html /tmp/demo/e-....html

The tests never write tracked files; this script is the only thing that updates the image.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import sys
import tempfile
from itertools import combinations
from pathlib import Path

from storymatch.models import (
    Cell,
    Claim,
    Comparison,
    Conflict,
    Coverage,
    DiffOp,
    Outlet,
    PairDiff,
    Sentence,
)
from storymatch.report import render_html

ROOT = Path(__file__).resolve().parents[1]

# outlet id, name, headline, date, url, sentences
_REPORTS = [
    (
        "herald",
        "Northern Herald",
        "Storm cuts power to 40,000 homes",
        "2024-11-02T07:10:00Z",
        "https://herald.example/storm",
        [
            "A storm with winds of up to 120 km/h cut power to 40,000 homes overnight.",
            "Two people were injured by falling trees, police said.",
            "The coastal road remains closed.",
            "Crews expect to restore power by Sunday.",
        ],
    ),
    (
        "courier",
        "Valley Courier",
        "Overnight storm leaves thousands in the dark",
        "2024-11-02T08:45:00Z",
        "https://courier.example/news/storm",
        [
            "Winds of up to 120 km/h left 45,000 homes without power overnight.",
            "Two people were injured by falling trees, police said.",
            "Schools in the valley will stay shut on Monday.",
            "The coastal road remains closed.",
        ],
    ),
    (
        "wire",
        "City Wire",
        "Storm: what we know",
        "2024-11-02",
        None,
        [
            "Two people were hurt by falling trees, according to police.",
            "The storm cut power to 40,000 homes.",
            "Crews expect to restore power by Sunday.",
            "The coastal road is closed.",
        ],
    ),
]

# claim spec: {outlet: [sentence indices]}, conflicts, moved
_CLAIMS: list[tuple[dict[str, list[int]], tuple[Conflict, ...], bool]] = [
    (
        {"herald": [0], "courier": [0], "wire": [1]},
        (
            Conflict("number", "herald", "courier", ("40,000",), ("45,000",)),
            Conflict("number", "courier", "wire", ("45,000",), ("40,000",)),
        ),
        True,
    ),
    ({"herald": [1], "courier": [1], "wire": [0]}, (), True),
    ({"herald": [2], "courier": [3], "wire": [3]}, (), False),
    ({"herald": [3], "wire": [2]}, (), False),
    ({"courier": [2]}, (), False),
]


def _opcodes(a: str, b: str) -> tuple[DiffOp, ...]:
    a_words = list(re.finditer(r"\S+", a))
    b_words = list(re.finditer(r"\S+", b))
    matcher = difflib.SequenceMatcher(
        None, [m.group() for m in a_words], [m.group() for m in b_words], autojunk=False
    )
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a_start = a_words[i1].start() if i1 < len(a_words) else len(a)
        b_start = b_words[j1].start() if j1 < len(b_words) else len(b)
        a_end = a_words[i2 - 1].end() if i2 > i1 else a_start
        b_end = b_words[j2 - 1].end() if j2 > j1 else b_start
        out.append(DiffOp(tag, a_start, a_end, b_start, b_end))  # type: ignore[arg-type]
    return tuple(out)


def example_comparison() -> Comparison:
    """Build a small comparison of three reports of one storm by hand."""
    sentences: dict[str, list[Sentence]] = {}
    outlets = []
    for oid, name, title, date, url, texts in _REPORTS:
        offset, spans = 0, []
        for index, text in enumerate(texts):
            spans.append(Sentence(text, offset, offset + len(text), index=index))
            offset += len(text) + 1
        sentences[oid] = spans
        outlets.append(Outlet(oid, name, title, date, url, len(texts)))
    claims = []
    for number, (spec, conflicts, moved) in enumerate(_CLAIMS, 1):
        cells = tuple(
            Cell(o.id, tuple(sentences[o.id][i] for i in spec[o.id]))
            for o in outlets
            if o.id in spec
        )
        status = "all" if len(cells) == len(outlets) else "one" if len(cells) == 1 else "some"
        pairs = tuple(
            PairDiff(
                a.outlet,
                b.outlet,
                difflib.SequenceMatcher(None, a.text, b.text).ratio(),
                _opcodes(a.text, b.text),
            )
            for a, b in combinations(cells, 2)
        )
        claims.append(Claim(f"c{number}", cells, status, conflicts, pairs, moved))  # type: ignore[arg-type]
    coverage = []
    for outlet in outlets:
        mine = [c for c in claims if c.cell(outlet.id) is not None]
        coverage.append(
            Coverage(
                outlet.id,
                carried=len(mine),
                unique=sum(1 for c in mine if c.status == "one"),
                omitted=sum(
                    1
                    for c in claims
                    if c.cell(outlet.id) is None and len(c.cells) > (len(outlets) - 1) / 2
                ),
                conflicts=sum(
                    1 for c in mine if any(outlet.id in (k.left, k.right) for k in c.conflicts)
                ),
                lead=tuple(
                    c.id
                    for i in range(3)
                    for c in claims
                    if (cell := c.cell(outlet.id)) is not None and cell.position == i
                ),
            )
        )
    return Comparison(tuple(outlets), tuple(claims), tuple(coverage), 0.55, "e-example")


def _chromium() -> str:
    for candidate in (
        os.environ.get("STORYMATCH_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    sys.exit("no Chromium found: apt-get install chromium, or set STORYMATCH_CHROMIUM")


def main(argv: list[str] | None = None) -> int:
    """Render (or take) a report page and save a PNG screenshot of it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, help="a report page to photograph")
    parser.add_argument("-o", "--out", type=Path, default=ROOT / "docs" / "img" / "report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the top")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        page_path = args.html
        if page_path is None:
            page_path = Path(tmp) / "report.html"
            page_path.write_text(
                render_html(example_comparison(), title="Storm cuts power across the region"),
                encoding="utf-8",
            )
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=_chromium())
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(page_path.resolve().as_uri())
            page.screenshot(path=str(args.out), full_page=args.full_page)
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
