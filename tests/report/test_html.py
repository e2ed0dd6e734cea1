from __future__ import annotations

import base64
import hashlib
import html
import re
from importlib import resources
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.report.builders import (
    EVIL_NAME,
    FLOOD_REPORTS,
    PWNED_IMG,
    PWNED_SCRIPT,
    PWNED_URL,
    STORY_ID,
    build_story_analysis,
)

from storymatch.models import (
    Analysis,
    Article,
    Cell,
    Claim,
    Comparison,
    Coverage,
    Event,
    Outlet,
    Sentence,
)
from storymatch.report import render_html, render_index, write_report
from storymatch.report._common import outlet_labels, safe_url

# Every tag a report page may contain; anything else came from article text.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "a", "header", "nav", "h1", "h2", "p",
    "main", "section", "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "span",
    "br", "svg", "rect", "mark", "time", "ul", "li", "details", "summary", "footer", "script",
    "strong", "ol",
}  # fmt: skip


@pytest.fixture(scope="module")
def page(comparison, analysis) -> str:
    return render_html(comparison, articles=analysis.articles)


@pytest.fixture(scope="module")
def doc(page):
    return lxml.html.document_fromstring(page)


def _row(doc, claim_id: str):
    (row,) = [
        tr
        for tr in doc.xpath('//table[@class="claims"]//tr[contains(@class, "claim")]')
        if tr.xpath("th/a")[0].text_content() == claim_id
    ]
    return row


# ------------------------------------------------------------------------------ structure


def test_page_is_one_self_contained_document(page, doc):
    assert page.startswith("<!DOCTYPE html>\n")
    assert '<html lang="en">' in page
    assert doc.xpath('//meta[@name="viewport"]')
    assert len(doc.xpath("//style")) == 1
    assert len(doc.xpath("//script")) == 1
    assert not doc.xpath("//@src")  # no images, scripts or frames to fetch
    assert not doc.xpath("//link | //img | //iframe | //object | //embed | //form")
    css = doc.xpath("//style")[0].text
    assert "url(" not in css
    assert "@import" not in css


def test_nothing_is_fetched_and_only_article_links_mention_http(page, comparison):
    rest = page
    for outlet in comparison.outlets:
        url = safe_url(outlet.url)
        if url is not None:
            rest = rest.replace(html.escape(url, quote=True), "")
    assert "http" not in rest.lower().replace("http-equiv", "")


def test_content_security_policy_allows_exactly_the_inline_blocks(doc):
    policy = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')[0]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert directives["style-src"] == digest(doc.xpath("//style")[0].text)
    assert directives["script-src"] == digest(doc.xpath("//script")[0].text)


def test_assets_are_package_data():
    package = resources.files("storymatch.report")
    css = package.joinpath("report.css").read_text(encoding="utf-8")
    js = package.joinpath("report.js").read_text(encoding="utf-8")
    assert "</style" not in css.lower()
    assert "</script" not in js.lower()
    wheel_root = Path(str(package))
    assert (wheel_root / "report.css").is_file()


def test_every_outlet_column_and_claim_row_is_present(doc, comparison):
    table = doc.xpath('//table[@class="claims"]')[0]
    headers = table.xpath("thead/tr/th[@scope='col']")
    assert len(headers) == len(comparison.outlets) + 1
    labels = outlet_labels(comparison)
    for header, outlet in zip(headers[1:], comparison.outlets, strict=True):
        assert header.xpath('span[@class="o-name"]')[0].text_content() == labels[outlet.id]
    rows = table.xpath('tbody/tr[contains(@class, "claim")]')
    assert [r.xpath("th/a")[0].text_content() for r in rows] == [c.id for c in comparison.claims]
    assert len({r.get("id") for r in rows}) == len(rows)
    for row in rows:
        assert len(row.xpath("th[@scope='row']")) == 1
        assert len(row.xpath("td")) == len(comparison.outlets)
    assert table.xpath("caption")


def test_headers_show_date_title_and_links(doc, comparison):
    headers = doc.xpath('//table[@class="claims"]/thead/tr/th')[1:]
    planet = headers[0]
    assert planet.xpath(".//time/@datetime") == ["2024-05-01T08:30:00Z"]
    assert planet.xpath(".//time")[0].text_content() == "2024-05-01 08:30"
    assert planet.xpath('span[@class="o-title"]')[0].text_content() == FLOOD_REPORTS[0].title
    links = "a[contains(@class, 'o-link')]/@href"
    assert planet.xpath(links) == [FLOOD_REPORTS[0].url, "#text-1"]
    gazette = headers[1]
    assert gazette.xpath(links)[0] == FLOOD_REPORTS[1].url  # & survives
    wire = headers[2]
    assert wire.xpath(links) == ["#text-3"]  # no url, only the full text
    assert "6 sentences" in wire.text_content()


def test_status_classes_and_words(doc):
    expected = {
        "c1": ("s-all", "all 4"),
        "c3": ("s-some", "3 of 4"),
        "c6": ("s-one", "only " + EVIL_NAME),
        "c7": ("s-one", "only Daily Planet"),
    }
    for claim_id, (cls, words) in expected.items():
        row = _row(doc, claim_id)
        assert cls in row.get("class").split()
        badge = row.xpath(f'th/span[contains(@class, "{cls}")]')[0]
        assert words in badge.text_content()


def test_cells_coloured_by_status_and_empty_cells_say_not_reported(doc, comparison):
    missing = sum(len(comparison.outlets) - len(c.cells) for c in comparison.claims)
    empty = doc.xpath('//td[contains(@class, "none")]')
    assert len(empty) == missing
    assert all(td.text_content().strip() == "\u2014 not reported" for td in empty)
    assert len(doc.xpath('//td[contains(@class, "has")]')) == sum(
        len(c.cells) for c in comparison.claims
    )


def test_rows_carried_alike_are_marked_for_the_differences_filter(doc):
    assert "same" in _row(doc, "c1").get("class").split()
    for claim_id in ("c2", "c3", "c5"):
        assert "same" not in _row(doc, claim_id).get("class").split()


def test_conflicting_words_are_highlighted(doc):
    row = _row(doc, "c2")
    planet, gazette, wire, _evil = row.xpath("td")
    assert [m.text for m in planet.xpath('mark[@class="conflict"]')] == ["12"]
    assert [m.text for m in gazette.xpath('mark[@class="conflict"]')] == ["15"]
    assert [m.text for m in wire.xpath('mark[@class="conflict"]')] == ["12"]
    # the wire's closest conflicting wording is the gazette's: its other changes are marked
    assert "according to" in [m.text for m in wire.xpath('mark[@class="diff"]')]
    quote = _row(doc, "c4")
    assert [m.text for m in quote.xpath('td/mark[@class="conflict"]')] == ["will", "may not"]
    assert not _row(doc, "c1").xpath(".//mark")


def test_conflicts_are_listed_under_their_row(doc):
    row = _row(doc, "c2")
    notes = row.getnext()
    assert "notes" in notes.get("class")
    assert notes.xpath("td/@colspan") == ["5"]
    items = [li.text_content() for li in notes.xpath(".//li")]
    assert items[0] == 'number: "12" (Daily Planet) vs "15" (Riverside Gazette)'
    assert len(items) == 3
    assert "notes" not in (_row(doc, "c1").getnext().get("class") or "")


def test_moved_claims_are_marked(doc):
    row = _row(doc, "c3")
    assert "moved" in row.get("class").split()
    assert "moved" in row.xpath('th/span[contains(@class, "moved")]')[0].text_content()
    positions = [p.text_content() for p in row.xpath('td/span[@class="pos"]')]
    assert positions == ["sentence \u00a73", "sentence \u00a76", "sentence \u00a73"]


def test_coverage_summary(doc, comparison):
    table = doc.xpath('//table[@class="coverage"]')[0]
    rows = table.xpath("tbody/tr")
    assert len(rows) == len(comparison.outlets)
    first = rows[0]
    assert first.xpath("th")[0].text_content() == "Daily Planet"
    numbers = [n.text for n in first.xpath('td/span[@class="num"]')]
    coverage = comparison.coverage[0]
    assert numbers == [
        str(coverage.carried),
        str(coverage.unique),
        str(coverage.omitted),
        str(coverage.conflicts),
    ]
    widths = first.xpath('td/svg/rect[@class="carried"]/@width')
    assert widths == [f"{100 * coverage.carried / len(comparison.claims):.1f}"]
    assert all(svg.get("aria-hidden") == "true" for svg in table.xpath(".//svg"))
    assert first.xpath("td/a/@href") == ["#claim-1", "#claim-2", "#claim-3"]


# ------------------------------------------------------------------------------ escaping


def test_untrusted_text_is_escaped(page, doc):
    assert PWNED_SCRIPT not in page
    assert PWNED_IMG not in page
    assert "<img" not in page
    assert page.count("<script") == 1  # ours, at the end
    script = doc.xpath("//script")[0]
    assert script.text == resources.files("storymatch.report").joinpath("report.js").read_text(
        encoding="utf-8"
    )
    for element in doc.iter():
        assert element.tag in ALLOWED_TAGS, element.tag
        for name in element.attrib:
            assert not name.lower().startswith("on"), name
    # the text reads back as written
    evil = _row(doc, "c6").xpath("td")[3]
    assert PWNED_IMG in evil.text_content()
    assert f'<a href="{PWNED_URL}">this link</a>' in evil.text_content()
    assert EVIL_NAME in doc.xpath('//table[@class="claims"]/thead/tr/th')[4].text_content()


def test_only_http_links(doc, comparison):
    allowed = {safe_url(o.url) for o in comparison.outlets} - {None}
    for href in doc.xpath("//@href"):
        assert href.startswith("#") or href in allowed, href
    assert not any(PWNED_URL in h for h in doc.xpath("//@href"))
    for link in doc.xpath("//a[starts-with(@href, 'http')]"):
        assert link.get("rel") == "noopener noreferrer nofollow"


def test_control_characters_are_replaced():
    text = "bell\x07 and nul\x00 and escape\x1b[31m"
    comparison = Comparison(
        outlets=(Outlet("a", "A", None, None, None, 1),),
        claims=(Claim("c1", (Cell("a", (Sentence(text, 0, len(text)),)),), "all"),),
        coverage=(),
        threshold=0.5,
    )
    page = render_html(comparison)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", page)
    assert "bell\ufffd and nul\ufffd and escape\ufffd[31m" in page


_nasty = st.lists(
    st.one_of(
        st.sampled_from(
            [*"<>&\"'/=` \n\t;:()", "<script>", "</td>", "onerror=", "-->", "javascript:"]
        ),
        st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=5),
    ),
    min_size=1,
    max_size=12,
).map("".join)


@given(name=_nasty, title=_nasty, text=_nasty, url=_nasty)
def test_rendered_html_never_contains_unescaped_input(name, title, text, url):
    comparison = Comparison(
        outlets=(
            Outlet("a", name, title, title, url, 1),
            Outlet("b", "B", None, None, "https://b.example/" + url, 1),
        ),
        claims=(
            Claim("c1", (Cell("a", (Sentence(text, 0, len(text)),)),), "one"),
            Claim("c2", (Cell("b", (Sentence(text, 0, len(text)),)),), "one"),
        ),
        coverage=(Coverage("a", 1, 1, 0, 0, ("c1",)),),
        threshold=0.5,
    )
    page = render_html(comparison, title=title)
    doc = lxml.html.document_fromstring(page)
    for element in doc.iter():
        assert element.tag in ALLOWED_TAGS
        assert not any(attr.lower().startswith("on") for attr in element.attrib)
    assert len(doc.xpath("//script")) == 1
    for href in doc.xpath("//@href"):
        assert href.startswith(("#", "http://", "https://"))
    escaped = html.escape(text, quote=True)
    assert escaped in page
    assert html.escape(name, quote=True) in page


# ------------------------------------------------------------------------------ options


def test_render_is_deterministic(comparison, analysis):
    assert render_html(comparison, articles=analysis.articles) == render_html(
        comparison, articles=analysis.articles
    )


def test_title_default_and_custom(comparison):
    default = lxml.html.document_fromstring(render_html(comparison))
    assert default.xpath("//h1")[0].text_content() == "Comparison of 4 reports"
    assert default.xpath("//title")[0].text_content() == "Comparison of 4 reports"
    assert "Event e-0123456789abcdef" in default.xpath('//p[@class="summary"]')[0].text_content()
    custom = lxml.html.document_fromstring(render_html(comparison, title="<b>Flood</b>"))
    assert custom.xpath("//h1")[0].text_content() == "<b>Flood</b>"
    assert not custom.xpath("//nav")
    assert not custom.xpath('//section[@id="texts"]')  # no articles given


def test_back_link_copies_and_full_texts(comparison, analysis):
    copies = {"planet-1": [analysis.article("metro-9"), analysis.article("regional-4")]}
    page = render_html(
        comparison, articles=analysis.articles, copies=copies, index_href="index.html"
    )
    doc = lxml.html.document_fromstring(page)
    assert doc.xpath("//nav/a/@href") == ["index.html"]
    planet = doc.xpath('//table[@class="claims"]/thead/tr/th')[1]
    details = planet.xpath('details[@class="o-copies"]')[0]
    assert details.xpath("summary")[0].text_content() == "2 copies elsewhere"
    assert details.xpath(".//a/@href") == ["https://regional.example/millbrook"]
    assert "Metro Daily" in details.text_content()
    texts = doc.xpath('//section[@id="texts"]/details')
    assert [d.get("id") for d in texts] == ["text-1", "text-2", "text-3", "text-4"]
    evil_text = texts[3].xpath('div[@class="fulltext"]')[0].text_content()
    assert evil_text == " ".join(FLOOD_REPORTS[3].sentences)
    single = render_html(comparison, copies={"wire-3": [analysis.article("metro-9")]})
    assert "1 copy elsewhere" in single


def test_one_report_without_claims_or_coverage():
    outlet = Outlet("x", "Solo", None, None, None, 1)
    empty = lxml.html.document_fromstring(
        render_html(Comparison(outlets=(outlet,), claims=(), coverage=(), threshold=0.5))
    )
    assert "No claims to compare." in empty.text_content()
    assert not empty.xpath('//table[@class="claims"]')
    assert empty.xpath("//h1")[0].text_content() == "Comparison of 1 report"
    text = "Only this."
    cell = Cell("x", (Sentence(text, 0, len(text)),))
    doc = lxml.html.document_fromstring(
        render_html(
            Comparison(
                outlets=(outlet,),
                claims=(Claim("c1", (cell,), "all"),),
                coverage=(),
                threshold=0.5,
            )
        )
    )
    numbers = doc.xpath('//table[@class="coverage"]//span[@class="num"]')
    assert [n.text for n in numbers] == ["\u2013"] * 4  # no summary: a dash, not a zero
    assert "1 sentence" in doc.xpath('//table[@class="claims"]/thead/tr/th')[1].text_content()
    assert "1 claim (rows) across 1 report" in doc.text_content()


def test_lead_claim_not_in_table_is_shown_as_text():
    outlet = Outlet("x", "Solo", None, None, None, 1)
    comparison = Comparison(
        outlets=(outlet,),
        claims=(),
        coverage=(Coverage("x", 0, 0, 0, 0, ("c9",)),),
        threshold=0.5,
    )
    doc = lxml.html.document_fromstring(render_html(comparison))
    lead = doc.xpath('//table[@class="coverage"]/tbody/tr/td')[-1]
    assert lead.text_content() == "c9"
    assert not lead.xpath("a")


# ------------------------------------------------------------------------------ index


@pytest.fixture(scope="module")
def index_doc(analysis):
    pages = {e.id: f"{e.id}.html" for e in analysis.events if e.id in analysis.comparisons}
    return lxml.html.document_fromstring(render_index(analysis, pages))


def test_index_lists_every_event_with_sizes_and_links(index_doc, analysis):
    rows = index_doc.xpath('//table[@class="events"]/tbody/tr')
    assert len(rows) == len(analysis.events)
    flood, bridge, loner = rows
    assert flood.xpath("th/a/@href") == [f"{analysis.events[0].id}.html"]
    assert flood.xpath("th/a")[0].text_content() == FLOOD_REPORTS[0].title
    cells = [td.text_content() for td in flood.xpath("td")]
    assert cells[0] == "2024-05-01"
    assert "Metro Daily" in cells[1]
    assert EVIL_NAME in cells[1]
    assert cells[2:] == ["4", "6"]
    assert [td.text_content() for td in bridge.xpath("td")][2:] == ["2", "2"]
    assert not loner.xpath("th/a")
    assert "(no comparison)" in loner.xpath("th")[0].text_content()
    summary = index_doc.xpath('//p[@class="summary"]')[0].text_content()
    assert summary == "9 articles, 1 with copies elsewhere (2 copies), 3 events, 2 compared"


def test_index_lists_copies_under_their_representative(index_doc):
    flood = index_doc.xpath('//table[@class="events"]/tbody/tr')[0]
    details = flood.xpath("th/details")[0]
    assert details.xpath("summary")[0].text_content() == "6 articles"
    (with_copies,) = details.xpath("ul/li[ul]")
    assert with_copies.xpath("a")[0].text_content() == FLOOD_REPORTS[0].title
    copies = [li.text_content() for li in with_copies.xpath('ul[@class="copies"]/li')]
    assert copies[0].startswith("copy: River floods Millbrook; 12 dead \u00b7 Metro Daily")
    assert copies[0].endswith("similarity 0.97")
    assert copies[1].endswith("similarity 0.91")
    assert len(details.xpath("ul/li")) == 4  # four reports, copies nested


def test_index_escapes_and_links_only_http(index_doc, analysis):
    for element in index_doc.iter():
        assert element.tag in ALLOWED_TAGS
    assert not index_doc.xpath("//script")
    for href in index_doc.xpath("//@href"):
        assert href.startswith(("#", "e-", "http://", "https://")), href
    assert "script-src 'none'" in index_doc.xpath("//meta[@http-equiv]/@content")[0]


def test_index_of_nothing_and_of_odd_events():
    empty = lxml.html.document_fromstring(render_index(Analysis((), (), (), {}), {}))
    assert "No events." in empty.text_content()
    # members without a group or article, no dates, many outlets, no label
    event = Event(
        "e-odd",
        ("ghost-1", "ghost-2"),
        tuple(f"outlet-{i}" for i in range(10)),
        None,
        None,
        "",
    )
    doc = lxml.html.document_fromstring(
        render_index(Analysis((), (), (event,), {}), {"e-odd": "odd page.html"})
    )
    row = doc.xpath('//table[@class="events"]/tbody/tr')[0]
    assert row.xpath("th/a/@href") == ["odd%20page.html"]
    assert row.xpath("th/a")[0].text_content() == "e-odd"
    cells = [td.text_content() for td in row.xpath("td")]
    assert cells[0] == "\u2013"
    assert cells[1].endswith("outlet-7 and 2 more")
    assert cells[2:] == ["2", "2"]
    assert [li.text_content() for li in row.xpath("th/details/ul/li")] == ["ghost-1", "ghost-2"]


def test_index_copy_without_article_and_event_spanning_days():
    from storymatch.models import DuplicateGroup

    rep = Article("r", "text", source="S", date="2024-01-01")
    group = DuplicateGroup("g-1", "r", ("r", "gone"), (1.0, 0.9))
    from datetime import UTC, datetime

    event = Event(
        "e-1",
        ("gone", "r"),
        ("S",),
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 1, 3, tzinfo=UTC),
        "Label",
    )
    doc = lxml.html.document_fromstring(render_index(Analysis((rep,), (group,), (event,), {}), {}))
    row = doc.xpath('//table[@class="events"]/tbody/tr')[0]
    assert row.xpath("td")[0].text_content() == "2024-01-01 \u2013 2024-01-03"
    assert [li.text_content() for li in row.xpath('.//ul[@class="copies"]/li')] == ["copy: gone"]
    assert row.xpath("th/details/ul/li")[0].text_content().startswith("r \u00b7 S \u00b7 ")


def test_index_groups_the_developments_of_a_story_in_date_order():
    analysis = build_story_analysis()
    pages = {e.id: f"{e.id}.html" for e in analysis.events if e.id in analysis.comparisons}
    doc = lxml.html.document_fromstring(render_index(analysis, pages))
    bodies = doc.xpath('//table[@class="events"]/tbody')
    assert len(bodies) == 2
    story, rest = bodies
    assert story.get("class") == "story"
    heading, *rows = story.xpath("tr")
    assert heading.get("class") == "story"
    assert heading.xpath("th/@scope") == ["rowgroup"]
    text = heading.text_content()
    assert text.startswith(f"Story: {FLOOD_REPORTS[0].title}")
    assert "3 developments" in text
    assert text.endswith("2024-05-01 \u2013 2024-05-03")
    # date order (1, 2, 3 May), not size order (6, 2, 1 articles)
    labels = [r.xpath("th/*[@class='label']")[0].text_content() for r in rows]
    assert labels == [
        FLOOD_REPORTS[0].title,
        f"Cat rescued {PWNED_IMG}",
        "Old bridge to close for repairs",
    ]
    assert [r.xpath("td")[0].text_content() for r in rows] == [
        "2024-05-01",
        "2024-05-02",
        "2024-05-03",
    ]
    # the event without a story follows, on its own, without a heading
    (mayor_row,) = rest.xpath("tr")
    assert rest.get("class") is None
    assert mayor_row.xpath("th/span[@class='label']")[0].text_content() == "New mayor"
    for element in doc.iter():
        assert element.tag in ALLOWED_TAGS, element.tag
    assert not doc.xpath("//img")


def test_index_without_stories_keeps_one_body_of_events(index_doc):
    (body,) = index_doc.xpath('//table[@class="events"]/tbody')
    assert not body.xpath("tr[@class='story']")


def test_event_page_links_to_the_other_developments_of_its_story(tmp_path):
    analysis = build_story_analysis()
    flood, bridge = analysis.events[:2]
    write_report(analysis, tmp_path)
    page = lxml.html.document_fromstring((tmp_path / f"{bridge.id}.html").read_text("utf-8"))
    (nav,) = page.xpath('//header/nav[@class="story"]')
    assert nav.xpath("p")[0].text_content() == "One of 3 developments of a story, in date order:"
    items = nav.xpath("ol/li")
    assert [li.text_content() for li in items] == [
        f"{FLOOD_REPORTS[0].title} (2024-05-01)",
        f"Cat rescued {PWNED_IMG} (2024-05-02) (no comparison)",
        "Old bridge to close for repairs (2024-05-03) (this page)",
    ]
    assert items[0].xpath("a/@href") == [f"{flood.id}.html"]
    assert not items[1].xpath("a")
    assert items[2].get("aria-current") == "page"
    assert not page.xpath("//img")
    flood_page = lxml.html.document_fromstring((tmp_path / f"{flood.id}.html").read_text("utf-8"))
    assert flood_page.xpath('//nav[@class="story"]/ol/li/a/@href') == [f"{bridge.id}.html"]
    assert analysis.events[0].story == STORY_ID


def test_event_page_of_a_story_of_one_lists_no_developments(tmp_path, analysis):
    write_report(analysis, tmp_path)
    page = lxml.html.document_fromstring(
        (tmp_path / f"{analysis.events[0].id}.html").read_text("utf-8")
    )
    assert not page.xpath('//nav[@class="story"]')
    assert page.xpath("//nav/a/@href") == ["index.html"]


# ------------------------------------------------------------------------------ files


def test_write_report_writes_index_and_one_page_per_compared_event(tmp_path, analysis):
    out = tmp_path / "report"
    index = write_report(analysis, out)
    assert index == out / "index.html"
    names = sorted(p.name for p in out.iterdir())
    expected = sorted(["index.html", *(f"{eid}.html" for eid in analysis.comparisons)])
    assert names == expected  # no temporary files left behind
    doc = lxml.html.document_fromstring(index.read_text(encoding="utf-8"))
    links = doc.xpath('//table[@class="events"]//th/a/@href')
    assert sorted(links) == sorted(f"{eid}.html" for eid in analysis.comparisons)
    flood_id = analysis.events[0].id
    flood = lxml.html.document_fromstring((out / f"{flood_id}.html").read_text(encoding="utf-8"))
    assert flood.xpath("//h1")[0].text_content() == FLOOD_REPORTS[0].title
    assert flood.xpath("//nav/a/@href") == ["index.html"]
    planet = flood.xpath('//table[@class="claims"]/thead/tr/th')[1]
    assert "2 copies elsewhere" in planet.text_content()
    assert len(flood.xpath('//section[@id="texts"]/details')) == 4
    # writing again gives the same bytes
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    write_report(analysis, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_write_report_page_names_are_safe_and_distinct(tmp_path):
    text = "Some text."
    outlet = Outlet("a", "A", None, None, None, 1)
    comparison = Comparison(
        outlets=(outlet,),
        claims=(Claim("c1", (Cell("a", (Sentence(text, 0, len(text)),)),), "all"),),
        coverage=(),
        threshold=0.5,
    )
    ids = ["../../etc/passwd", "a/b", "a_b", "index", "INDEX", ""]
    events = tuple(Event(eid, ("a",), ("A",), None, None, "L") for eid in ids[:3])
    analysis = Analysis((), (), events, dict.fromkeys(ids, comparison))
    write_report(analysis, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        [
            "______etc_passwd.html",
            "a_b.html",
            "a_b-2.html",
            "INDEX-2.html",
            "index-3.html",
            "event.html",
            "index.html",
        ]
    )
    assert all(p.parent == tmp_path for p in tmp_path.iterdir())
    # events not in analysis.events still get a page, after those that are, sorted by id
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr>") == 1 + 3  # header + the three listed events


def test_full_texts_only_for_the_articles_given(comparison):
    bare = Article("wire-3", "Plain text.")  # no source, date or title
    doc = lxml.html.document_fromstring(
        render_html(comparison, articles=[bare], copies={"planet-1": [bare]})
    )
    assert [d.get("id") for d in doc.xpath('//section[@id="texts"]/details')] == ["text-3"]
    copy = doc.xpath('//details[@class="o-copies"]//li')[0]
    assert copy.text_content() == "wire-3"
