"""HTML input through trafilatura (the real library), and the error without the extra."""

from __future__ import annotations

import json
import sys

import pytest

from storymatch.errors import InvalidInputError, MissingDependencyError
from storymatch.io import read_articles
from storymatch.text.html import extract_html

pytest.importorskip("trafilatura")

BODY = [
    "A 40-metre section of the Kestrel Street Bridge fell into the River Lisle on Thursday "
    "evening, injuring 14 people, three of them seriously, the fire service said.",
    '"It is a small miracle that nobody was killed," fire chief Marta Ellison told reporters '
    "at the scene as divers searched the water below the broken span.",
    "Mayor Rosalind Achterberg ordered inspections of three bridges of the same design and "
    "closed the road to traffic until the engineers have finished their work.",
]
PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Bridge collapses | Riverside Gazette</title>
<meta property="article:published_time" content="2026-03-12T18:00:00Z"></head>
<body><nav><a href="/">Home</a> » <a href="/news">News</a></nav>
<article><h1>Bridge section collapses into river</h1>
<p>{BODY[0]}</p><p>{BODY[1]}<script>document.title = "pwned"</script></p><p>{BODY[2]}</p>
</article><aside><h3>Read more</h3><a href="/other">Another story entirely</a></aside>
<footer>© Riverside Gazette. All rights reserved.</footer></body></html>"""


def test_extract_html_returns_body_paragraphs_and_headline():
    page = extract_html(PAGE)
    assert page.title == "Bridge section collapses into river"
    assert page.text.split("\n\n") == BODY
    assert page.date == "2026-03-12"
    assert "pwned" not in page.text
    assert "Riverside Gazette. All rights reserved" not in page.text


def test_html_files_in_a_folder_become_articles(tmp_path):
    folder = tmp_path / "pages"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / "bridge.html").write_text(PAGE, encoding="utf-8")
    (folder / "note.txt").write_text("A plain text article about something else.")
    articles = {a.id: a for a in read_articles(folder).articles}
    assert set(articles) == {"2026/bridge", "note"}
    bridge = articles["2026/bridge"]
    assert bridge.text.split("\n\n") == BODY
    assert bridge.title == "Bridge section collapses into river"
    assert bridge.date == "2026-03-12"
    assert "html" not in bridge.meta  # a page file's bytes are not kept


def test_html_field_of_a_record_fills_text(tmp_path):
    path = tmp_path / "pages.jsonl"
    records = [
        {"id": "p1", "html": PAGE, "source": "riverside-gazette.example"},
        {"id": "p2", "text": "Already text.", "html": "<p>ignored</p>"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    articles = read_articles(path).articles
    assert articles[0].text.split("\n\n") == BODY
    assert articles[0].title == "Bridge section collapses into river"
    assert articles[0].meta["html"] == PAGE  # other fields are kept, as for any record
    assert articles[1].text == "Already text."


def test_page_without_article_text_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "empty", "html": "<html><body></body></html>"}) + "\n")
    with pytest.raises(InvalidInputError) as info:
        read_articles(path)
    assert info.value.line == 1
    assert "no article text" in str(info.value)
    skipped = read_articles(path, on_error="skip").skipped
    assert [(s.line, s.reason) for s in skipped] == [(1, "no article text found in the HTML")]


def test_html_field_must_be_a_string(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "x", "html": 5}) + "\n")
    with pytest.raises(InvalidInputError, match="field 'html' must be a string"):
        read_articles(path)


def test_missing_extra_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if it were not installed
    with pytest.raises(MissingDependencyError, match=r"storymatch\[html\]") as info:
        extract_html(PAGE)
    assert isinstance(info.value, ImportError)
