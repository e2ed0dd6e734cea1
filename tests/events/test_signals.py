"""Tests for storymatch.events.signals: names, numbers, dates, conflicts and time gaps."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storymatch.events.signals import (
    days_since_epoch,
    extract_names,
    extract_numbers,
    number_conflict,
    pair_conflicts,
    pair_time_penalties,
    time_penalty,
)


# ------------------------------------------------------------------------------ names
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Tara Reid checked into Promises.", ["tara reid", "promises"], id="person"),
        pytest.param("The White House said so.", ["white house"], id="leading-the"),
        pytest.param("He met the Bank of England.", ["bank of england"], id="connector"),
        pytest.param("On Tuesday, in March, it rained.", [], id="times-are-not-names"),
        pytest.param("Police said the police left.", [], id="sentence-initial-common-word"),
        pytest.param("Quake hits. Malibu is calm.", ["quake", "malibu"], id="initial-kept"),
    ],
)
def test_extract_names(text, expected):
    assert extract_names(text) == expected


# ------------------------------------------------------------------------------ numbers
def test_extract_numbers_years_dates_units():
    tokens = extract_numbers("The 6.4 magnitude quake on 5 May 2008 left 3,400 homeless.")
    assert "y:2008" in tokens
    assert "d:5-5" in tokens
    assert "k:magnitude=6.4" in tokens
    assert "n:3400" in tokens


def test_extract_numbers_skips_small_whole_numbers():
    assert extract_numbers("Two cars and 3 vans") == []


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param("A 7.6-magnitude quake", "A 6.4-magnitude quake", 0.5, id="unit-conflict"),
        pytest.param("A 7.6-magnitude quake", "a quake of 7.6 magnitude", 0.0, id="agree"),
        pytest.param("It happened in 2008.", "It happened in 2011.", 1.0, id="years"),
        pytest.param("In 2008 and 2011.", "It happened in 2011.", 0.0, id="shared-year"),
        pytest.param("No numbers here.", "It happened in 2011.", 0.0, id="one-side-empty"),
    ],
)
def test_number_conflict(a, b, expected):
    assert number_conflict(extract_numbers(a), extract_numbers(b)) == expected


# ------------------------------------------------------------------------------ time
def test_time_penalty_window_and_unknown_dates():
    day = datetime(2026, 3, 10, tzinfo=UTC)
    assert time_penalty(day, datetime(2026, 3, 12, tzinfo=UTC), window_days=3) == 0.0
    assert time_penalty(day, datetime(2026, 3, 16, tzinfo=UTC), window_days=3) == 0.5
    assert time_penalty(day, datetime(2027, 1, 1, tzinfo=UTC), window_days=3) == 1.0
    assert time_penalty(day, None) == 0.0
    assert time_penalty(None, None) == 0.0


# ------------------------------------------------------------------------------ vectorised
def test_vectorised_conflicts_match_number_conflict():
    texts = [
        "A 7.6-magnitude quake struck in 2009.",
        "A 6.4-magnitude quake struck in 2009.",
        "A quake of 7.6 magnitude in 2009 and 2011, 16 percent down.",
        "It happened in 2011, 12 percent up.",
        "No numbers here.",
        "A 7.6-magnitude and 6.4-magnitude pair of quakes, 12 percent.",
    ]
    tokens = [extract_numbers(t) for t in texts]
    pairs = [(i, j) for i in range(len(texts)) for j in range(len(texts)) if i != j]
    left = np.array([i for i, _ in pairs], dtype=np.int64)
    right = np.array([j for _, j in pairs], dtype=np.int64)
    expected = [number_conflict(tokens[i], tokens[j]) for i, j in pairs]
    assert pair_conflicts(tokens, left, right).tolist() == expected
    assert pair_conflicts(tokens, left[:0], right[:0]).shape == (0,)


def test_vectorised_time_penalties_match_time_penalty():
    dates = [
        datetime(2026, 3, 10, tzinfo=UTC),
        datetime(2026, 3, 12, 6, tzinfo=UTC),
        datetime(2026, 3, 16, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
        None,
    ]
    pairs = [(i, j) for i in range(len(dates)) for j in range(len(dates))]
    left = np.array([i for i, _ in pairs], dtype=np.int64)
    right = np.array([j for _, j in pairs], dtype=np.int64)
    got = pair_time_penalties(days_since_epoch(dates), left, right, 3.0)
    expected = [time_penalty(dates[i], dates[j], window_days=3.0) for i, j in pairs]
    assert got == pytest.approx(expected)


def test_dates_found_in_lower_case_text_match_the_ignorecase_pattern():
    from storymatch.events.signals import _date_matches

    texts = [
        "On MARCH 10 and Mar. 3rd, then the 10th of JUNE and 4 july; DEC 25.",
        "Kelvin \u212an 5 and \u017fept 5 and Apr\u0131l 7",  # letters IGNORECASE folds apart
        "\u0130stanbul, May 9: a letter that grows when lower-cased comes first",
        "No dates here, 2024 only.",
    ]
    for text in texts:
        assert _lowered(_date_matches(text, text.lower())) == _ignorecase_dates(text)
    # a long s before "ept" made the month key "\u017fep": a KeyError before; no date now
    assert extract_numbers("the \u017fept 15, Apr\u0131l 7") == ["n:15", "d:4-7"]


_PIECES = [
    "Jan", "jan", "uary", "MAR", "JUNE", "Oct.", "Sept", "sep", "mar", "May", "dec", "of",
    "st", "th", "3", "10", "31",
    "2009", "1,200", "7.6", " ", "  ", "\n", ".", ",", "-", "'", "\u2019", "_", "A", "U.S.",
    "Bank", "de", "Tara", "Reid", "police", "Police", "\u017f", "\u212a", "\u0130", "\u00e9",
]  # fmt: skip


_DATE_PIECES = [
    "jan ", "Mar. ", "MAY ", "dec", "sept ", "uary ", "10 ", "3rd ", " 31", "7th of ", "of ",
    "10", "st", " ", "\n", "x", "_", "2009", "-", ".", "\u0663 ",
]  # fmt: skip
"""Pieces of dates, dense: months and days next to each other, overlapping and chained."""


def _random_texts(seed: int, n: int = 400, *, pieces: list[str] = _PIECES) -> list[str]:
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(pieces, size=int(rng.integers(1, 12))).tolist()) for _ in range(n)]


def _ignorecase_dates(text: str) -> list[tuple[int, int, str, str]]:
    """The matches of the IGNORECASE date pattern: span, month word (lower case) and day."""
    from storymatch.events.signals import _DATE

    return [
        (m.start(), m.end(), (m.group(1) or m.group(4)).lower(), m.group(2) or m.group(3))
        for m in _DATE.finditer(text)
    ]


def _lowered(dates):
    return [(start, end, month.lower(), day) for start, end, month, day in dates]


def test_dates_match_the_ignorecase_pattern_on_random_text():
    # the lower-case path skips texts without a month's first three letters: nothing is lost
    from storymatch.events.signals import _date_matches

    found = 0
    for text in [*_random_texts(0), *_random_texts(3, 2000, pieces=_DATE_PIECES)]:
        expected = _ignorecase_dates(text)
        assert _lowered(_date_matches(text, text.lower())) == expected, text
        found += len(expected)
    assert found > 300


def test_name_and_number_patterns_match_their_plain_forms():
    # the faster forms of the capitalised-word, lower-case-word and number patterns find the
    # same spans
    import re

    from storymatch.events.signals import _LOWER_WORD, _NAME_SPAN, _NUMBER

    cap = r"(?:[A-Z][\w'\u2019\-]*[\w]|[A-Z])(?:\.(?=\s?[A-Z]))?"
    plain_span = re.compile(rf"{cap}(?:\s+(?:(?:of|de|del|van|von|al|bin|la|le)\s+)?{cap})*")
    plain_lower = re.compile("\\b[a-z][\\w'\u2019\\-]*")
    plain_number = re.compile(
        r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|percent\b|per cent\b))?"
        r"(?:[\s-]+([a-z]{3,}))?"
    )
    texts = [
        *_random_texts(1),
        "The U.S. Bank of England and O'Neill's co-op met de Gaulle's heirs.",
        "x-police 2-police police'S Police_ _police \u00e9police \u2019police",
        "1,200,000 a.5 .5 5.5.5 x5 _5 ,5 5,00 12,345.6 7.6-magnitude 16 per cent 3% \u0663\u0664",
    ]
    for text in texts:
        spans = [m.span() for m in _NAME_SPAN.finditer(text)]
        assert spans == [m.span() for m in plain_span.finditer(text)], text
        assert _LOWER_WORD.findall(text) == plain_lower.findall(text), text
        for low in (text, text.lower()):
            numbers = [(m.span(), m.groups()) for m in _NUMBER.finditer(low)]
            assert numbers == [(m.span(), m.groups()) for m in plain_number.finditer(low)], low


_WORD_PIECES = [
    "police", "pol", "ice", "Police", "x", "X", "_", "-", "'", "\u2019", " ", ".", "\n",
    "\u00e9", "\u0663", "7", "a", "co-op", "O'Neill",
]  # fmt: skip
"""Pieces of lower-case words, dense: words inside words, after and before hyphens, marks."""


def test_a_lower_word_is_found_as_the_lower_word_pattern_finds_it():
    # _is_lower_word looks at the places a word occurs; the names' check asked whether the
    # word is among all the words _LOWER_WORD finds: the same answer on every word tried
    from storymatch.events.signals import _LOWER_WORD, _is_lower_word

    texts = [
        *_random_texts(21, 3000, pieces=_WORD_PIECES),
        *_random_texts(22),
        "x-police 2-police police'S Police_ _police \u00e9police \u2019police -police",
    ]
    asked = found = 0
    for text in texts:
        words = set(_LOWER_WORD.findall(text))
        tried = {"police", "pol", "ice", "x", "a", "co-op", "u.s.", "\u00e9police", "police_"}
        tried |= words | {w.lower() for w in re.findall(r"[A-Z][\w'\u2019\-]*", text)}
        for word in tried:
            assert _is_lower_word(text, word) == (word in words), (text, word)
            asked += word in text
            found += word in words
    assert found > 500
    assert asked - found > 1000  # words that occur in the text but are not its words


_PLAIN_SENTENCE_START = re.compile('(?:^|[.!?:;"\u201c\u201d\u2018\u2019(\\[]\\s*|\\n\\s*)$')
"""Where a capital may start a sentence: searched in the three characters before it."""

_SENTENCE_PIECES = [
    ".", "!", "?", ":", ";", '"', "\u201c", "\u201d", "\u2018", "\u2019", "(", "[", "]", ")",
    " ", "  ", "\n", "\t", "\r", "\u00a0", "\u2003", "a", "x.", "Bc", "A", "of ", "7", "\u00e9",
]  # fmt: skip
"""Pieces around capitals, dense: marks, white space of every kind, words and capitals."""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCE_PIECES), max_size=14).map("".join))
def test_the_sentence_start_group_is_the_search_before_the_capital(text):
    # the names' span pattern reads whether its capital may start a sentence; the search it
    # replaces looked at the three characters before the capital: the same answer at each span
    from storymatch.events.signals import _NAME_SPAN

    for match in _NAME_SPAN.finditer(text):
        before = text[max(0, match.start() - 3) : match.start()]
        assert (match[1] is not None) == bool(_PLAIN_SENTENCE_START.search(before)), before


def test_the_sentence_start_group_on_random_texts():
    from storymatch.events.signals import _NAME_SPAN

    starts = others = 0
    for text in _random_texts(31, 3000, pieces=_SENTENCE_PIECES):
        for match in _NAME_SPAN.finditer(text):
            before = text[max(0, match.start() - 3) : match.start()]
            found = bool(_PLAIN_SENTENCE_START.search(before))
            assert (match[1] is not None) == found, before
            starts += found
            others += not found
    assert starts > 500
    assert others > 200


def _reference_names(text: str) -> list[str]:
    """extract_names as it was before the batched form: every span worked out afresh."""
    from storymatch.events.signals import _LOWER_WORD, _NAME_SPAN
    from storymatch.text.lexicon import NOT_NAME_WORDS

    lower_words = None
    out = []
    for match in _NAME_SPAN.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower().strip(".") in NOT_NAME_WORDS:
            words.pop(0)
        while words and words[-1].lower().strip(".") in NOT_NAME_WORDS:
            words.pop()
        if not words:
            continue
        if (
            len(words) == 1
            and words[0] == match.group(0).split()[0]
            and _PLAIN_SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()])
        ):
            if lower_words is None:
                lower_words = set(_LOWER_WORD.findall(text))
            if words[0].lower() in lower_words:
                continue
        out.append(" ".join(words).lower())
    return out


def _reference_numbers(text: str) -> list[str]:
    """extract_numbers as it was before the batched form: every match worked out afresh."""
    from storymatch.events.signals import _DATE, _DATE_LOWER, _MONTHS, _NUMBER, _UNIT_STOP

    out = []
    spans = []
    low = text.lower()
    folds = len(low) != len(text) or any(c in text for c in "\u0130\u0131\u017f\u212a")
    for m in _DATE.finditer(text) if folds else _DATE_LOWER.finditer(low):
        month = _MONTHS.get((m.group(1) or m.group(4)).lower()[:3])
        day = int(m.group(2) or m.group(3))
        if month is not None and 1 <= day <= 31:
            out.append((m.start(), f"d:{month}-{day}"))
            spans.append((m.start(), m.end()))
    for m in _NUMBER.finditer(low):
        if any(a <= m.start(1) < b for a, b in spans):
            continue
        raw = m.group(1).replace(",", "")
        value = float(raw)
        if "." not in raw and 1900 <= value <= 2099 and not m.group(2):
            out.append((m.start(), f"y:{int(value)}"))
            continue
        if "." not in raw and value <= 10:
            continue
        number = f"{value:g}" if value < 1e15 else raw
        out.append((m.start(), f"n:{number}"))
        unit = "percent" if m.group(2) else m.group(3)
        if unit and unit not in _UNIT_STOP:
            out.append((m.start() + 1, f"k:{unit}={number}"))
    out.sort(key=lambda t: t[0])
    return [token for _, token in out]


def _news_texts() -> list[str]:
    texts = [
        "Police said the police station was shut. Police chief Ann Roe spoke. Obama said no.",
        "Malibu is calm. The White House and the Bank of England met U.S. envoys on March 10.",
        "A 7.6-magnitude quake hit on March 10, 2009, killing 3,400; 16 percent, 16% and 2009.",
        "Up 16 percent in 2009; 7.6-magnitude again; 10th of March 2009; 1,000,000,000,000,000.",
    ]
    return texts + [t.upper() for t in texts] + [t.lower() for t in texts]


def test_batched_names_and_numbers_equal_the_text_by_text_forms():
    # one cache of spans and numbers over the batch: the same lists as working each text out
    # afresh, on repeated names and numbers, sentence starts and random pieces
    from storymatch.events.signals import extract_names_all, extract_numbers_all

    texts = [*_news_texts(), *_random_texts(2, 600), *_news_texts()]
    names = extract_names_all(texts)
    numbers = extract_numbers_all(iter(texts))
    assert names == [_reference_names(t) for t in texts]
    assert numbers == [_reference_numbers(t) for t in texts]
    assert [extract_names(t) for t in texts] == names
    assert [extract_numbers(t) for t in texts] == numbers
    assert sum(map(len, names)) > 500
    assert sum(map(len, numbers)) > 200
    # one memo over several batches (the chunks of a fit), as if all were one batch
    names_memo: dict = {}
    numbers_memo: dict = {}
    batches = [texts[a : a + 7] for a in range(0, len(texts), 7)]
    assert [n for b in batches for n in extract_names_all(b, memo=names_memo)] == names
    assert [n for b in batches for n in extract_numbers_all(b, memo=numbers_memo)] == numbers
    assert len(names_memo) > 100
    assert len(numbers_memo) > 20


def test_batched_names_and_numbers_on_real_news():
    import json

    from tests.shared_data import data_dir, require

    from storymatch.events.signals import extract_names_all, extract_numbers_all

    path = require(data_dir() / "ecbplus" / "docs.jsonl")
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    texts = [(r.get("title") or "") + "\n" + r["text"] for r in records]
    assert extract_names_all(texts) == [_reference_names(t) for t in texts]
    assert extract_numbers_all(texts) == [_reference_numbers(t) for t in texts]


def test_vectorised_conflicts_match_number_conflict_on_random_tokens():
    # repeated tokens, several values of one unit, units and years shared or not, empty lists
    rng = np.random.default_rng(7)
    alphabet = [
        "y:2008", "y:2009", "y:2011", "n:16", "n:7.6", "d:3-10",
        "k:magnitude=7.6", "k:magnitude=6.4", "k:percent=16", "k:percent=12", "k:km=40",
    ]  # fmt: skip
    tokens = [
        [alphabet[i] for i in rng.integers(0, len(alphabet), rng.integers(0, 7))] for _ in range(60)
    ]
    left = rng.integers(0, 60, 3000)
    right = rng.integers(0, 60, 3000)
    expected = [number_conflict(tokens[i], tokens[j]) for i, j in zip(left, right, strict=True)]
    got = pair_conflicts(tokens, left, right)
    assert got.tolist() == expected
    assert {0.0, 0.5, 1.0} <= set(expected)


_DAY_PIECES = [
    "Monday", "MONDAY", "friday's", "Sunday\u2019s", "yesterday", "TODAY", "Tonight",
    "this morning", "This Morning", "Jan.", "january", "SEPT", "Sept.", "may", "Mar",
    " ", "  ", "\n", ",", ".", "3", "19", "31st", "2019", "1999", "x", "_", "said",
]  # fmt: skip
"""Pieces of leads that name days, in mixed case, dense."""


def test_reported_days_of_lower_case_ascii_leads_match_the_ignorecase_pattern():
    # an ASCII lead is read lower-cased by a case-sensitive pattern: the same days as the
    # IGNORECASE pattern finds in it as written, whatever the case of its words
    from storymatch.events import signals
    from storymatch.events.signals import _REPORTED, reported_day

    def by_ignorecase(title, text, when):
        lowered = signals._REPORTED_LOWER
        signals._REPORTED_LOWER = _REPORTED  # every lead read as written, IGNORECASE
        try:
            return reported_day(title, text, when)
        finally:
            signals._REPORTED_LOWER = lowered

    friday = datetime(2019, 1, 25, 9, tzinfo=UTC)
    found = 0
    for when in (friday, None):
        for title, text in zip(
            _random_texts(31, 1500, pieces=_DAY_PIECES),
            _random_texts(32, 1500, pieces=_DAY_PIECES),
            strict=True,
        ):
            day = reported_day(title, text, when)
            assert day == by_ignorecase(title, text, when), (title, text)
            found += day is not None
    assert found > 500


def test_a_lead_without_the_reported_days_words_holds_no_reported_day():
    # reported_day skips the search of a lower-cased ASCII lead without "day", "tonight",
    # "this morning" or a digit: every lead the pattern matches in has one of them
    from storymatch.events.signals import _REPORTED_LOWER, _may_report_day
    from storymatch.text.lexicon import WEEKDAY_NAMES

    assert all(name.endswith("day") for name in WEEKDAY_NAMES)
    matched = skipped = 0
    for text in [*_random_texts(61, 3000, pieces=_DAY_PIECES), *_random_texts(62)]:
        low = text.lower()
        if not low.isascii():
            continue
        if _REPORTED_LOWER.search(low):
            assert _may_report_day(low), low
            matched += 1
        skipped += not _may_report_day(low)
    assert matched > 500
    assert skipped > 100


_NAME_PIECES = [
    "A", "Bc", "U.S.", "U. S.", "O'Neill", "O\u2019Neil-", "Co-", "X_", "x", "police", "of ",
    "de ", "del ", "van ", "von ", "al ", "bin ", "la ", "le ", "les ", "off ", "d", "e", "l",
    " ", "  ", "\n", "\t", "\x1c", "\x85", "\u00a0", "\u2003", ".", "!", "?", ":", ";", '"',
    "\u201c", "\u201d", "\u2018", "\u2019", "(", "[", ")", "'", "-", "_", "7", "\u0663", "\u00e9",
    "\u00c9", "\u212a", "\x01", "\x80", "#",
]  # fmt: skip
"""Pieces of capitalised spans, dense: joiners, marks, white space and word characters of every
kind, ASCII and not, and the bytes that stand for other characters in the names' kernel."""


def test_the_names_kernel_reads_every_joiner_of_the_pattern():
    # the pattern and the kernel take the joiners from the lexicon; the kernel compares words
    # of two and three letters only
    from storymatch._kernels import _NAME_JOINERS_2, _NAME_JOINERS_3
    from storymatch.text.lexicon import NAME_JOINERS

    kernel = {"".join(map(chr, w)) for w in (*_NAME_JOINERS_2, *_NAME_JOINERS_3)}
    assert kernel == set(NAME_JOINERS)
    for joiner in NAME_JOINERS:
        assert _regex_name_spans(f"Bank {joiner} England") == [(f"Bank {joiner} England", 1)]


def _regex_name_spans(text: str) -> list[tuple[str, int]]:
    from storymatch.events.signals import _NAME_SPAN

    return [(m[0], int(m[1] is not None)) for m in _NAME_SPAN.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=24).map("".join))
def test_the_names_kernel_finds_the_spans_the_pattern_finds(text):
    # storymatch._kernels.name_spans follows _NAME_SPAN on the text's characters as bytes
    from storymatch.events.signals import _name_spans

    assert list(zip(*_name_spans(text), strict=True)) == _regex_name_spans(text)


def test_the_names_kernel_on_random_texts():
    from storymatch.events.signals import _name_spans

    spans = 0
    for text in [
        *_random_texts(41, 3000, pieces=_NAME_PIECES),
        *_random_texts(42, 1000, pieces=_SENTENCE_PIECES),
        *_random_texts(43),
    ]:
        expected = _regex_name_spans(text)
        assert list(zip(*_name_spans(text), strict=True)) == expected, text
        spans += len(expected)
    assert spans > 3000


_NUMBER_PIECES = [
    "1", "12", "123", "2009", "1,200", "1,2345", ",", ",000", ".", ".5", "5.5", "%", " %",
    "percent", "percentage", "per cent", "per centx", "per  cent", " ", "  ", "\t", "\x1c", "-",
    "--", "magnitude", "ab", "abc", "_", "x", "X", "'", "mar", "jan.", "march", "of", "st",
]  # fmt: skip
"""Pieces of numbers, dense: thousands groups, points, percent signs and words, units."""


def _regex_numbers(low: str) -> list[tuple[int, tuple[str, ...]]]:
    from storymatch.events.signals import _NUMBER

    return [(m.start(), tuple(g or "" for g in m.groups())) for m in _NUMBER.finditer(low)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=24).map("".join))
def test_the_numbers_kernel_finds_the_matches_the_pattern_finds(text):
    # storymatch._kernels.ascii_numbers follows _NUMBER on an ASCII text's bytes
    from storymatch.events.signals import _ascii_numbers

    starts, groups = _ascii_numbers(text)
    assert list(zip(starts, groups, strict=True)) == _regex_numbers(text)


def test_the_numbers_and_months_kernels_on_random_texts():
    # the numbers as _NUMBER finds them; the month places that may hold a date are those of
    # _month_places with no word character before them
    from storymatch.events.signals import (
        _ascii_month_places,
        _ascii_numbers,
        _is_word_char,
        _month_places,
    )

    numbers = months = 0
    for text in [
        *_random_texts(51, 3000, pieces=_NUMBER_PIECES),
        *_random_texts(52, 1000, pieces=_DATE_PIECES),
        *_random_texts(53),
    ]:
        low = text.lower()
        if not low.isascii():
            continue
        starts, groups = _ascii_numbers(low)
        expected = _regex_numbers(low)
        assert list(zip(starts, groups, strict=True)) == expected, low
        places = [p for p in _month_places(low) if p == 0 or not _is_word_char(low[p - 1])]
        assert _ascii_month_places(low) == places, low
        numbers += len(expected)
        months += len(places)
    assert numbers > 2000
    assert months > 500
