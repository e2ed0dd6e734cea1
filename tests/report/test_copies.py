"""A group's original and copies in HTML, Markdown and the terminal, and in the index."""

from __future__ import annotations

import re

import lxml.html
import pytest
from tests.report.builders import (
    EVIL_NAME,
    PWNED_IMG,
    PWNED_SCRIPT,
    PWNED_URL,
    build_copies,
    build_copies_analysis,
)
from tests.report.test_html import ALLOWED_TAGS

from storymatch.models import CopyEdit, CopyGroup, CopyInfo
from storymatch.report import (
    render_copies_html,
    render_copies_markdown,
    render_copies_text,
    render_index,
    write_report,
)
from storymatch.report._common import body_segments, edit_segments
from storymatch.text.worddiff import word_diff

COPY_TAGS = ALLOWED_TAGS | {"ins", "del"}


@pytest.fixture(scope="module")
def copies():
    return build_copies()


@pytest.fixture(scope="module")
def copies_page(copies) -> str:
    articles, group = copies
    return render_copies_html(group, articles=articles, index_href="index.html")


@pytest.fixture(scope="module")
def copies_doc(copies_page):
    return lxml.html.document_fromstring(copies_page)


# ------------------------------------------------------------------------------ segments


def test_body_segments_join_back_to_the_bodies_and_mark_each_edit(copies):
    _, group = copies
    (info,) = group.copies
    parent = body_segments(group, info, "parent")
    copy = body_segments(group, info, "copy")
    assert "".join(t for t, _ in parent) == group.bodies[info.parent]
    assert "".join(t for t, _ in copy) == group.bodies[info.id]
    assert ("41", "number") in parent
    assert ("38", "number") in copy
    added = [t for t, k in copy if k == "added"]
    assert added == [f"Officials said {PWNED_SCRIPT} three ships had been allowed to berth."]
    removed = [t for t, k in parent if k == "removed"]
    assert removed == ["The port handles about a fifth of the country's container traffic."]
    # a mark never starts or ends with a space
    assert all(t == t.strip() for t, k in parent + copy if k)


def test_edit_segments_per_kind():
    number = CopyEdit(
        "number",
        old="41",
        new="38",
        old_sentence="It had 41 ships.",
        new_sentence="It had 38 ships.",
        opcodes=word_diff("It had 41 ships.", "It had 38 ships."),
    )
    old, new = edit_segments(number)
    assert old == [("It had ", ""), ("41", "number"), (" ships.", "")]
    assert new == [("It had ", ""), ("38", "number"), (" ships.", "")]
    assert edit_segments(CopyEdit("added", text="New.")) == ([], [("New.", "added")])
    assert edit_segments(CopyEdit("moved", text="Here.")) == (
        [("Here.", "moved")],
        [("Here.", "moved")],
    )
    assert edit_segments(CopyEdit("removed", text="")) == ([], [])


# ------------------------------------------------------------------------------ HTML


def test_copies_page_shows_original_and_copy_side_by_side(copies_doc, copies):
    _, group = copies
    assert (
        copies_doc.xpath("//h1")[0].text_content() == "Copies of Dockworkers walk out at the port"
    )
    summary = copies_doc.xpath('//p[@class="summary"]')[0].text_content()
    assert summary == "Wire Service (wire-1) is the original: the earliest published. 1 copy."
    (section,) = copies_doc.xpath('//section[@class="copy"]')
    assert section.xpath('p[@class="digest"]')[0].text_content() == (
        "new headline; changed 41 \u2192 38 vessels; added 1 paragraph; cut 1 paragraph"
    )
    head, bodies = section.xpath('.//table[contains(@class, "sbs")]')
    assert [th.text_content() for th in bodies.xpath("thead/tr/th")] == [
        "Wire Service (wire-1)",
        f"{EVIL_NAME} (copy-1)",
    ]
    left, right = bodies.xpath("tbody/tr/td")
    assert left.text_content() == group.bodies["wire-1"]
    assert right.text_content() == group.bodies["copy-1"]
    assert left.xpath('.//mark[@class="cp-number"]')[0].text_content() == "41"
    assert right.xpath('.//mark[@class="cp-number"]')[0].text_content() == "38"
    assert right.xpath('.//ins[@class="cp-added"]')[0].text_content().startswith("Officials")
    assert left.xpath('.//del[@class="cp-removed"]')[0].text_content().startswith("The port")
    # the rewritten headline, its changed words marked
    old, new = head.xpath("tbody/tr/td")
    assert old.text_content() == "Dockworkers walk out at the port"
    assert new.text_content() == f"Strike {PWNED_SCRIPT} at the port"
    assert new.xpath('mark[@class="cp-changed"]')
    assert copies_doc.xpath("//nav/a/@href") == ["index.html"]


def test_copies_page_escapes_hostile_text_and_keeps_the_policy(copies_page, copies_doc):
    for element in copies_doc.iter():
        assert element.tag in COPY_TAGS, element.tag
    assert "<script>window" not in copies_page
    assert PWNED_IMG not in copies_page
    assert copies_doc.xpath("//script") == []  # no script on a copies page
    assert PWNED_URL not in copies_doc.xpath("//a/@href")
    assert PWNED_SCRIPT in copies_doc.xpath("//body")[0].text_content()
    (policy,) = copies_doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert "default-src 'none'" in policy
    assert "script-src 'none'" in policy
    assert re.search(r"style-src 'sha256-[A-Za-z0-9+/=]+'", policy)


def test_copies_page_of_a_chain_and_without_articles():
    edit = CopyEdit("moved", text="B.", old_span=(3, 5), new_span=(0, 2))
    first = CopyInfo("c1", "g", "a", "a", 0.9, ())
    second = CopyInfo("c2", "g", "a", "c1", 0.8, (edit,))
    group = CopyGroup(
        "g",
        "a",
        "content",
        0.25,
        (first, second),
        bodies={"a": "A. B.", "c1": "A. B.", "c2": "B. A."},
    )
    doc = lxml.html.document_fromstring(render_copies_html(group))
    assert doc.xpath("//h1")[0].text_content() == "Copies of a"
    assert "(confidence 0.25)" in doc.xpath('//p[@class="summary"]')[0].text_content()
    sections = doc.xpath('//section[@class="copy"]')
    assert "Made from another copy, c1" in sections[1].text_content()
    assert sections[1].xpath('.//mark[@class="cp-moved"]')
    assert not sections[0].xpath(".//details/@open")  # no edits: folded
    assert sections[1].xpath(".//details/@open")


def test_index_lists_copies_under_their_original_with_the_digest(copies):
    analysis = build_copies_analysis()
    (group,) = analysis.copies
    page = render_index(analysis, {}, copy_pages={group.group: "copies-g.html"})
    doc = lxml.html.document_fromstring(page)
    for element in doc.iter():
        assert element.tag in COPY_TAGS, element.tag
    assert "<script>window" not in page
    (section,) = doc.xpath('//section[@id="copies"]')
    (original,) = section.xpath('ul[@class="originals"]/li')
    assert original.text_content().startswith("original: Dockworkers walk out at the port")
    copy_line, link = original.xpath('ul[@class="copies"]/li')
    assert copy_line.text_content().endswith(
        "\u2014 new headline; changed 41 \u2192 38 vessels; added 1 paragraph; cut 1 paragraph"
    )
    assert link.xpath("a/@href") == ["copies-g.html"]
    # the event lists the original first, the copy under it with its digest
    event = doc.xpath('//table[@class="events"]/tbody/tr/th/details/ul/li')
    assert len(event) == 1
    assert "changed 41 \u2192 38 vessels" in event[0].xpath("ul/li")[0].text_content()


def test_write_report_writes_a_copies_page(tmp_path):
    analysis = build_copies_analysis()
    index = write_report(analysis, tmp_path / "site")
    names = sorted(p.name for p in index.parent.iterdir())
    assert names == ["copies-g-0123456789abcdef.html", "index.html"]
    doc = lxml.html.document_fromstring(index.read_text(encoding="utf-8"))
    assert doc.xpath('//section[@id="copies"]//li[@class="sbs-link"]/a/@href') == [
        "copies-g-0123456789abcdef.html"
    ]
    before = {p.name: p.read_bytes() for p in index.parent.iterdir()}
    write_report(analysis, tmp_path / "site")
    assert {p.name: p.read_bytes() for p in index.parent.iterdir()} == before


# ------------------------------------------------------------------------------ Markdown


def test_copies_markdown_table_and_escaping(copies):
    articles, group = copies
    text = render_copies_markdown(group, articles=articles)
    assert text.startswith("# Copies of Dockworkers walk out at the port\n")
    assert "<script>" not in text
    assert "<img" not in text
    assert "\\<script\\>window.\\_\\_pwned=1\\</script\\>" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Edit | Wire Service (wire-1) | " + (
        "Evil \\<script\\>window.\\_\\_pwned=1\\</script\\> Times (copy-1) |"
    )
    number = next(r for r in rows if r.startswith("| number |"))
    assert "~~41~~" in number
    assert "**38**" in number
    added = next(r for r in rows if r.startswith("| added |"))
    assert added.startswith("| added | \u2014 | **Officials said")
    removed = next(r for r in rows if r.startswith("| removed |"))
    assert removed.endswith("~~ | \u2014 |")
    assert all(r.count(" | ") == 2 for r in rows[2:])  # no pipe leaks out of a cell


# ------------------------------------------------------------------------------ terminal


def test_copies_text_word_diff_without_colours(copies):
    articles, group = copies
    text = render_copies_text(group, articles=articles, width=60)
    assert "\x1b" not in text
    assert all(len(line) <= 60 for line in text.splitlines())
    assert "[-41-]" in text
    assert "{+38+}" in text
    assert "{+Officials said" in text
    assert "[-The port handles" in text
    assert "1. Evil <script>window.__pwned=1</script> Times (copy-1)" in text


def test_copies_text_colours_and_neutralises_control_sequences():
    edit = CopyEdit("added", text="Hi \x1b[2J there\u202e.", new_span=(0, 14))
    info = CopyInfo("c\x1b]0;x\x07", "g", "a", "a", 0.5, (edit,))
    group = CopyGroup("g", "a", "date", 1.0, (info,))
    text = render_copies_text(group, color=True)
    assert "\x1b[2J" not in text
    assert "\x07" not in text
    assert "\u202e" not in text
    assert "\x1b[32m" in text  # added text in green
    plain = render_copies_text(group, color=False)
    assert "\x1b" not in plain
