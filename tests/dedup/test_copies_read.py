"""Reading a member (issue 14, speed): ``read_member`` reads a page as it did before.

``read_member`` was rewritten for speed (one pass over the page's lines and removals,
sentence spans without Sentence objects, one fold per distinct sentence, the cleaner's line
rules once per distinct line). The reading it replaced is kept here, as it was, as the oracle:
every field of every ``MemberText`` must be equal, on random pages full of chrome and on the
real syndication pages.
"""

from __future__ import annotations

import random
import re
from dataclasses import astuple
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests import shared_data
from tests.strategies import news_texts, planted_corpus

from storymatch.dedup.copies import fold_key, read_member
from storymatch.io import read_articles
from storymatch.models import Article
from storymatch.text.boilerplate import Removal, clean
from storymatch.text.sentences import split_sentences

# --------------------------------------------------------------------------- the oracle

_HYPHEN_BREAK = re.compile(r"(?<=\w)-\n(?=\S)")
_CLOSERS = "\"')]\u201d\u2019"
_EDITORIAL_KINDS = frozenset(("note", "byline", "credit"))


def _published(article: Article) -> datetime | None:
    try:
        return article.published
    except ValueError:
        return None


def _editorial(removal: Removal) -> bool:
    if removal.kind == "dateline":
        return True
    text = removal.text.rstrip("\"')\u201d\u2019")
    return removal.kind in _EDITORIAL_KINDS and text[-1:] in ".!?" and len(text.split()) >= 5


def _lead(removal: Removal) -> bool:
    text = removal.text.rstrip("\"')\u201d\u2019")
    return (
        removal.kind in ("headline", "standfirst") and text[-1:] in ".!?" and len(text.split()) >= 8
    )


def _old_body(text: str, removed: tuple[Removal, ...]) -> str:
    cut = sorted((r.start, r.end) for r in removed if not (_editorial(r) or _lead(r)))
    leads = {r.start for r in removed if _lead(r)}
    lines: list[tuple[str, bool]] = []
    k = 0
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        while k < len(cut) and cut[k][1] <= start:
            k += 1
        stripped = raw.strip()
        if not stripped:
            continue
        lo = start + len(raw) - len(raw.lstrip())
        if k < len(cut) and cut[k][0] <= lo < cut[k][1]:
            continue
        lines.append((stripped, lo in leads))
    if not any(lead for _, lead in lines):
        return "\n".join(line for line, _ in lines)
    keys = [fold_key(line) for line, _ in lines]
    kept = [line for i, (line, lead) in enumerate(lines) if not (lead and keys[i] in keys[i + 1 :])]
    return "\n".join(kept)


def _is_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in ".!?" and len(text.split()) >= 4


def _old_read_member(article: Article) -> tuple[Any, ...]:
    """``read_member`` before the speed-up of issue 14, fields in ``MemberText`` order."""
    cleaned = clean(article.text, title=article.title)
    body = _old_body(article.text, cleaned.removed)
    page_headline = next((r.text for r in cleaned.removed if r.kind == "headline"), None)
    headline = article.title.strip() if article.title and article.title.strip() else None
    headline = headline or page_headline
    flat = _HYPHEN_BREAK.sub("- ", body) if "-\n" in body else body
    sentences = []
    paragraph = 0
    offset = 0
    for line in flat.split("\n"):
        found = []
        for sent in split_sentences(line):
            key = fold_key(sent.text)
            if key:
                found.append((sent.start, sent.end, key, len(sent.text.split())))
        for first, last, key, words in found:
            start, end = offset + first, offset + last
            sentences.append((body[start:end], start, end, paragraph, key, words))
        paragraph += bool(found)
        offset += len(line) + 1
    lines = [x.strip() for x in article.text.split("\n") if x.strip()]
    first_line = lines[0] if lines else None
    body_lines = body.split("\n")
    top_list = lines[: lines.index(body_lines[0])] if body_lines[0] in lines else []
    for line in flat.split("\n"):
        if _is_sentence(line) and len(line.split()) >= 8:
            break
        top_list.append(line)
    furniture = frozenset(
        fold_key(r.text) for r in cleaned.removed if not (_editorial(r) or _lead(r))
    )
    return (
        article.id,
        body,
        headline,
        first_line,
        _published(article),
        tuple(sentences),
        tuple(top_list)[:30],
        bool(article.title and article.title.strip()),
        furniture,
    )


def _assert_reads_as_before(article: Article) -> None:
    assert astuple(read_member(article)) == _old_read_member(article)


# --------------------------------------------------------------------------- random pages

_LINES = (
    "Skip to content",
    "Share this:",
    "Facebook",
    "Share this: Facebook Twitter Email",
    "Home \u00bb World",
    "By Jane Doe",
    "Metro Dispatch Wire",
    "Posted 12/19/2005 3: 36 PM",
    "Updated 7/9/2007",
    "This is a developing story and will be updated.",
    "Reporting by wire services; additional reporting by our staff.",
    "Read more",
    "RELATED: Council approves new cycle lanes",
    "Council approves new cycle lanes",
    "Advertisement",
    "\u00a9 2026 The Morning Ledger. All rights reserved.",
    "FILE PHOTO: A crane at the port. REUTERS/Jane Doe",
    "News",
    "BREAKING: Port strike enters third week",
    "Port strike enters third week",
    "Port strike enters",
    "The port authority said 41 vessels were waiting outside the harbour on Tuesday.",
    "Officials blamed a strike by crane operators that began late last week.",
    "The union said talks would resume on Thurs-",
    "day afternoon, according to a statement.",
    "1. First item",
    '"We will not give in," the union leader said. "Never."',
    "Shr profit one ct vs loss nil     Net profit 200,052 vs loss 56,782",
)


@st.composite
def pages(draw: st.DrawFn) -> Article:
    """A page of chrome, headlines, editorial lines and sentences, with or without a title."""
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    blocks = [rng.choice(_LINES) for _ in range(draw(st.integers(min_value=0, max_value=12)))]
    if draw(st.booleans()):
        blocks.insert(rng.randint(0, len(blocks)), draw(news_texts()))
    indent = draw(st.sampled_from(("", " ", "\t", "  ")))
    seps = ("\n", "\n\n", "\n \n", "\r\n", "-\n")
    text = "".join(indent + b + rng.choice(seps) for b in blocks).rstrip("\n")
    title = draw(
        st.one_of(
            st.none(),
            st.just("   "),
            st.sampled_from(_LINES),
            st.sampled_from(blocks) if blocks else st.none(),
        )
    )
    date = draw(st.sampled_from((None, "2026-03-02", "2026-03-02T10:00:00Z", "not a date")))
    return Article("p", text, title=title, date=date)


@given(pages())
@settings(max_examples=400)
def test_random_pages_read_as_before(article: Article) -> None:
    _assert_reads_as_before(article)


def test_planted_pages_read_as_before() -> None:
    for doc in planted_corpus(14, n_originals=60):
        _assert_reads_as_before(Article(doc.id, doc.text, title=doc.text.split("\n", 1)[0]))
        _assert_reads_as_before(Article(doc.id, doc.text))


def test_syndication_pages_read_as_before() -> None:
    for article in read_articles(shared_data.data_file("syndication/docs.jsonl.gz")).articles:
        _assert_reads_as_before(article)
