"""The HTML report in a real browser: headless Chromium driven by Playwright's Python client.

No browser is downloaded: the tests use the system Chromium (Debian's ``chromium`` package,
which ``.ci/run`` installs), found on ``PATH``, at ``/usr/bin/chromium`` or at the path in
``STORYMATCH_CHROMIUM``. Without a browser or without the ``playwright`` package they skip
with the reason, except where ``CI`` or ``STORYMATCH_REQUIRE_BROWSER`` is set: there they fail.

A screenshot of the report is saved under ``STORYMATCH_ARTIFACTS`` (default
``build/test-artifacts/``) for people to look at; the tests never write tracked files.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.report.builders import (
    PWNED_IMG,
    PWNED_SCRIPT,
    build_copies_analysis,
    build_six_outlets,
    build_story_analysis,
)

from storymatch.report import render_html, write_report
from storymatch.report._common import outlet_labels

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _find_chromium() -> str | None:
    candidates = [
        os.environ.get("STORYMATCH_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") or os.environ.get("STORYMATCH_REQUIRE_BROWSER"):
        pytest.fail(f"browser tests are required here (CI/STORYMATCH_REQUIRE_BROWSER): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    executable = _find_chromium()
    if executable is None:
        _unavailable(
            "no Chromium found on PATH or at /usr/bin/chromium (apt-get install chromium, "
            "or set STORYMATCH_CHROMIUM)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory, comparison, analysis) -> Path:
    path = tmp_path_factory.mktemp("browser") / "report.html"
    path.write_text(render_html(comparison, articles=analysis.articles), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def six_file(tmp_path_factory) -> Path:
    """The demo's dock strike page: six outlets, 41 against 38 vessels in columns 3 and 6."""
    path = tmp_path_factory.mktemp("six") / "six.html"
    path.write_text(render_html(build_six_outlets()), encoding="utf-8")
    return path


class Watch:
    """Everything a page says on the console, every error it throws, every request it makes."""

    def __init__(self, page: Any) -> None:
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def assert_clean(self, *allowed_urls: str) -> None:
        assert not self.errors
        assert [m for m in self.console if m[0] in ("error", "warning")] == []
        assert set(self.requests) <= set(allowed_urls), self.requests


def _open(browser, path: Path, viewport, **options) -> tuple[Any, Any, Watch]:
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    watch = Watch(page)
    page.goto(path.as_uri())
    return context, page, watch


def _fits(page, width: int) -> None:
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]"
    )
    assert sizes[2] == width
    assert sizes[0] <= width, sizes
    assert sizes[1] <= width, sizes


def test_report_on_a_phone(browser, report_file, comparison):
    context, page, watch = _open(browser, report_file, PHONE)
    try:
        watch.assert_clean(report_file.as_uri())
        assert page.evaluate("typeof window.__pwned") == "undefined"
        headers = page.locator("table.claims thead th[scope=col]")
        assert headers.count() == len(comparison.outlets) + 1
        labels = outlet_labels(comparison)
        for i, outlet in enumerate(comparison.outlets, 1):
            assert labels[outlet.id] in headers.nth(i).inner_text()
        rows = page.locator("table.claims tbody tr.claim")
        assert rows.count() == len(comparison.claims)
        assert [rows.nth(i).locator("th a").inner_text() for i in range(rows.count())] == [
            c.id for c in comparison.claims
        ]
        _fits(page, PHONE["width"])
        # the table scrolls inside its own box instead
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
        # the injected markup is shown as text
        assert PWNED_IMG in rows.nth(5).inner_text()
        assert page.locator("img").count() == 0
        assert page.locator("script").count() == 1
    finally:
        context.close()


def test_escaping_alone_stops_injection(browser, report_file):
    # with the page's Content-Security-Policy switched off, nothing runs either
    context, page, watch = _open(browser, report_file, LAPTOP, bypass_csp=True)
    try:
        watch.assert_clean(report_file.as_uri())
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("img, iframe, object, embed").count() == 0
        assert PWNED_SCRIPT in page.locator("body").inner_text()
    finally:
        context.close()


def test_show_only_differences(browser, report_file):
    context, page, watch = _open(browser, report_file, LAPTOP)
    try:
        toggle = page.get_by_label("Show only differences")
        same = page.locator("tr.claim.same")
        assert same.count() == 1
        assert same.first.is_visible()
        toggle.focus()
        page.keyboard.press("Space")
        assert toggle.is_checked()
        assert not same.first.is_visible()
        assert page.locator("tr.claim.has-conflict").first.is_visible()
        toggle.uncheck()
        assert same.first.is_visible()
        watch.assert_clean(report_file.as_uri())
    finally:
        context.close()


def test_headers_stay_while_the_table_scrolls(browser, report_file):
    context, page, _ = _open(browser, report_file, {"width": 1280, "height": 500})
    try:
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("e => e.scrollHeight > e.clientHeight")
        header = page.locator("table.claims thead th").nth(1)
        row_head = page.locator("table.claims tbody th").first
        wrap.evaluate("e => { e.scrollTop = 300; e.scrollLeft = 150; }")
        box = wrap.bounding_box()
        head_box = header.bounding_box()
        row_box = row_head.bounding_box()
        assert box is not None
        assert head_box is not None
        assert row_box is not None
        assert abs(head_box["y"] - box["y"]) < 2  # sticky header: on top of the box
        assert row_box["y"] < box["y"]  # the first row went up under it
        corner = page.locator("table.claims thead th").first.bounding_box()
        assert corner is not None
        assert abs(corner["x"] - box["x"]) < 2  # sticky first column
    finally:
        context.close()


def test_keyboard_skip_link_and_focusable_table(browser, report_file):
    context, page, _ = _open(browser, report_file, LAPTOP)
    try:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#claims"
        region = page.get_by_role("region", name="claims (rows) across", exact=False)
        assert region.get_attribute("tabindex") == "0"
    finally:
        context.close()


def test_print_layout(browser, report_file):
    context, page, _ = _open(browser, report_file, LAPTOP)
    try:
        page.emulate_media(media="print")
        assert page.locator(".controls").evaluate("e => getComputedStyle(e).display") == "none"
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("e => getComputedStyle(e).overflowX") == "visible"
        header = page.locator("table.claims thead th").first
        assert header.evaluate("e => getComputedStyle(e).position") == "static"
    finally:
        context.close()


def test_index_and_event_pages(browser, tmp_path, analysis):
    index = write_report(analysis, tmp_path / "site")
    context, page, watch = _open(browser, index, PHONE)
    try:
        _fits(page, PHONE["width"])
        links = page.locator("table.events th > a.label")
        assert links.count() == len(analysis.comparisons)
        links.first.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"{analysis.events[0].id}.html")
        _fits(page, PHONE["width"])
        assert page.evaluate("typeof window.__pwned") == "undefined"
        page.get_by_role("link", name="All events").click()
        page.wait_for_load_state()
        assert page.url.endswith("index.html")
        pages = [p.as_uri() for p in index.parent.iterdir()]
        watch.assert_clean(*pages)
    finally:
        context.close()


def test_stories_on_the_index_and_between_event_pages(browser, tmp_path):
    analysis = build_story_analysis()
    flood, bridge = analysis.events[:2]
    index = write_report(analysis, tmp_path / "stories")
    context, page, watch = _open(browser, index, PHONE)
    try:
        _fits(page, PHONE["width"])
        story = page.locator("table.events tbody.story")
        assert story.count() == 1
        assert story.locator("tr.story th").inner_text().startswith("Story: ")
        assert story.locator("tr.story th").is_visible()
        # the developments in date order, the event of no story after them
        labels = page.locator("table.events tbody tr th .label").all_inner_texts()
        assert labels[1].startswith("Cat rescued")
        assert labels[2:] == ["Old bridge to close for repairs", "New mayor"]
        story.get_by_role("link", name="Old bridge to close for repairs").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"{bridge.id}.html")
        _fits(page, PHONE["width"])
        nav = page.get_by_role("navigation", name="One of 3 developments of a story")
        assert nav.locator("li[aria-current=page]").inner_text().startswith("Old bridge")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        nav.get_by_role("link").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"{flood.id}.html")
        assert page.locator("h1").inner_text() == flood.label
        page.get_by_role("link", name="Old bridge to close for repairs").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"{bridge.id}.html")
        pages = [p.as_uri() for p in index.parent.iterdir()]
        watch.assert_clean(*pages)
    finally:
        context.close()


def test_copies_page_renders_side_by_side(browser, tmp_path):
    analysis = build_copies_analysis()
    index = write_report(analysis, tmp_path / "copies")
    context, page, watch = _open(browser, index, LAPTOP)
    try:
        page.get_by_role("link", name="edits side by side").first.click()
        page.wait_for_load_state()
        assert page.url.endswith("copies-g-0123456789abcdef.html")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("img, script, iframe").count() == 0
        digest = page.locator("section.copy p.digest").inner_text()
        assert digest.startswith("new headline; changed 41 \u2192 38 vessels")
        # original and copy side by side: two columns of one row, left beside right
        left, right = (page.locator("table.sbs:not(.headlines) tbody td").nth(i) for i in (0, 1))
        left_box, right_box = left.bounding_box(), right.bounding_box()
        assert left_box is not None
        assert right_box is not None
        assert abs(left_box["y"] - right_box["y"]) < 2
        assert right_box["x"] >= left_box["x"] + left_box["width"] - 2
        assert left.locator("mark.cp-number").inner_text() == "41"
        assert right.locator("mark.cp-number").inner_text() == "38"
        assert right.locator("ins.cp-added").is_visible()
        assert left.locator("del.cp-removed").is_visible()
        assert PWNED_SCRIPT in right.inner_text()
        _fits(page, LAPTOP["width"])
        page.set_viewport_size(PHONE)
        _fits(page, PHONE["width"])  # the table scrolls in its own box
        pages = [p.as_uri() for p in index.parent.iterdir()]
        watch.assert_clean(*pages)
    finally:
        context.close()


def test_screenshot_artifact(browser, report_file):
    target = Path(os.environ.get("STORYMATCH_ARTIFACTS", "build/test-artifacts"))
    if not target.is_absolute():
        target = ROOT / target
    target.mkdir(parents=True, exist_ok=True)
    context, page, _ = _open(browser, report_file, LAPTOP)
    try:
        for name, viewport in (("report-laptop.png", LAPTOP), ("report-phone.png", PHONE)):
            page.set_viewport_size(viewport)
            page.screenshot(path=str(target / name), full_page=True)
            assert (target / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        context.close()


def test_missing_browser_skips_outside_ci_and_fails_inside(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("STORYMATCH_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no browser"):
        _unavailable("no browser")
    monkeypatch.setenv("STORYMATCH_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="required here"):
        _unavailable("no browser")


def test_browser_path_from_the_environment(monkeypatch, tmp_path):
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("STORYMATCH_CHROMIUM", str(fake))
    assert _find_chromium() == str(fake)


# ------------------------------------------------------------------------------ six outlets

# Pairs of letters or digits that a line break separates inside the element (a mid-word
# break); text for screen readers only (.vh) is left out.
_MID_WORD_BREAKS = """el => {
  const bad = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let prev = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.vh')) { continue; }
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      const ch = node.data[i];
      if (/\\s/.test(ch)) { prev = null; continue; }
      if (box.width === 0) { continue; }
      const word = c => /[\\p{L}\\p{N}]/u.test(c);
      if (prev && word(prev.ch) && word(ch) && box.top > prev.top + 2) {
        bad.push(el.textContent.trim() + ': ' + prev.ch + '|' + ch);
      }
      prev = {ch: ch, top: box.top};
    }
  }
  return bad;
}"""

_NAMES = "table.claims thead .o-name, table.coverage th.o-row, .sides .o-name, tbody .badge"


def test_six_outlets_fit_a_laptop(browser, six_file):
    context, page, watch = _open(browser, six_file, LAPTOP)
    try:
        watch.assert_clean(six_file.as_uri())
        _fits(page, LAPTOP["width"])
        wrap = page.locator(".table-wrap")
        width, client = wrap.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert width <= client, (width, client)  # no column hidden to the right
        box = wrap.bounding_box()
        assert box is not None
        headers = page.locator("table.claims thead th[scope=col]")
        assert headers.count() == 7
        for i in range(headers.count()):
            head = headers.nth(i).bounding_box()
            assert head is not None
            assert head["x"] + head["width"] <= box["x"] + box["width"] + 1, i
        # the two cells of the conflict are both on screen, in one row
        cells = page.locator("tr.has-conflict td.has")
        assert cells.count() == 2
        for k in range(2):
            cell = cells.nth(k).bounding_box()
            assert cell is not None
            assert box["x"] <= cell["x"]
            assert cell["x"] + cell["width"] <= box["x"] + box["width"] + 1
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_conflicts_two_sides_are_read_together(browser, six_file, viewport):
    context, page, _ = _open(browser, six_file, viewport)
    try:
        wrap = page.locator(".table-wrap")
        # however far the table is scrolled sideways, both sides stay in one block in view
        wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        sides = page.locator("tr.notes .sides .side")
        assert sides.count() == 2
        page.locator("tr.notes .sides").evaluate("e => e.scrollIntoView({block: 'center'})")
        left, right = sides.nth(0), sides.nth(1)
        assert left.locator("mark.conflict").inner_text() == "41 vessels"
        assert right.locator("mark.conflict").inner_text() == "Thirty-eight vessels"
        assert "ledger-wire.example" in left.inner_text()
        assert "freight-bulletin.example" in right.inner_text()
        for side in (left, right):
            box = side.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= viewport["width"]
            assert box["y"] >= 0
            assert box["y"] + box["height"] <= viewport["height"]
        if viewport is LAPTOP:  # side by side where there is room
            left_box, right_box = left.bounding_box(), right.bounding_box()
            assert left_box is not None
            assert right_box is not None
            assert abs(left_box["y"] - right_box["y"]) < 2
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_outlet_names_never_break_inside_a_word(browser, six_file, viewport):
    context, page, _ = _open(browser, six_file, viewport)
    try:
        names = page.locator(_NAMES)
        assert names.count() >= 6 + 6 + 2
        broken = [b for i in range(names.count()) for b in names.nth(i).evaluate(_MID_WORD_BREAKS)]
        assert broken == []
    finally:
        context.close()
