"""Conflicts between aligned cells and their word-level diff (storymatch.differ.discrepancy)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import any_text, news_texts, word_texts

from storymatch.differ.discrepancy import compare_cells, find_conflicts, find_framing, word_diff
from storymatch.models import Cell, Conflict, DiffOp, PairDiff, Sentence

KINDS = ("number", "date", "quote", "name", "attribution")


def flags(left: str, right: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Return the conflicts of two texts as (kind, left words, right words)."""
    return [(c.kind, c.left_words, c.right_words) for c in find_conflicts("a", left, "b", right)]


def kinds(left: str, right: str) -> set[str]:
    return {c.kind for c in find_conflicts("a", left, "b", right)}


def spans(a: str, b: str) -> list[tuple[str, str, str]]:
    return [(op.tag, a[op.a_start : op.a_end], b[op.b_start : op.b_end]) for op in word_diff(a, b)]


# ------------------------------------------------------------------------------ word diff


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(
            "Police said, adding more.",
            "Police said adding more.",
            [
                ("equal", "Police said", "Police said "),
                ("delete", ", ", ""),
                ("equal", "adding more.", "adding more."),
            ],
            id="comma-is-its-own-edit",
        ),
        pytest.param(
            "The firm will cut 1,200 jobs.",
            "The firm will cut 1,300 jobs.",
            [
                ("equal", "The firm will cut ", "The firm will cut "),
                ("replace", "1,200 ", "1,300 "),
                ("equal", "jobs.", "jobs."),
            ],
            id="thousands-kept-whole",
        ),
        pytest.param(
            "It costs $2.5 now.",
            "It costs $3.5 now.",
            [
                ("equal", "It costs ", "It costs "),
                ("replace", "$2.5 ", "$3.5 "),
                ("equal", "now.", "now."),
            ],
            id="money-kept-whole",
        ),
        pytest.param(
            "Police said 12 people were killed.",
            "Police said, 15 people were killed.",
            [
                ("equal", "Police said ", "Police said"),
                ("insert", "", ", "),
                ("replace", "12 ", "15 "),
                ("equal", "people were killed.", "people were killed."),
            ],
            id="comma-split-off-a-replaced-number",
        ),
        pytest.param(
            "A 12-year-old boy was hurt.",
            "A 13-year-old boy was hurt.",
            [
                ("equal", "A ", "A "),
                ("replace", "12", "13"),
                ("equal", "-year-old boy was hurt.", "-year-old boy was hurt."),
            ],
            id="hyphenated-compound-split",
        ),
        pytest.param(
            "Smith's plan failed.",
            "Smith plan failed.",
            [
                ("equal", "Smith", "Smith "),
                ("delete", "'s ", ""),
                ("equal", "plan failed.", "plan failed."),
            ],
            id="possessive-is-its-own-token",
        ),
        pytest.param("", "Hello there.", [("insert", "", "Hello there.")], id="empty-left"),
        pytest.param("Hello there.", "", [("delete", "Hello there.", "")], id="empty-right"),
        pytest.param(
            "   ", "Hello.", [("delete", "   ", ""), ("insert", "", "Hello.")], id="blank-left"
        ),
        pytest.param(" ", "  ", [("equal", " ", "  ")], id="both-blank"),
    ],
)
def test_word_diff_spans(a: str, b: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Police said the toll rose.", "POLICE SAID THE TOLL ROSE.", id="case"),
        pytest.param("He said \u201cno\u201d to it.", 'He said "no" to it.', id="quote-style"),
        pytest.param("A \u2014 B and C.", "A - B and C.", id="dash-style"),
        pytest.param(
            "The firm cut 1,200 jobs.", "The firm cut 1200 jobs.", id="thousands-separator"
        ),
        pytest.param("It rained   all day.", "It rained all day.", id="spacing"),
        pytest.param("We don\u2019t know.", "We don't know.", id="apostrophe-style"),
    ],
)
def test_word_diff_equal_ignores_surface(a: str, b: str) -> None:
    assert [op.tag for op in word_diff(a, b)] == ["equal"]


@pytest.mark.parametrize(
    "text",
    [
        "Police said 12 people were killed on Monday.",
        '"We will fight on the beaches," he said.',
        "The U.S. dollar fell 0.4% against the euro, to $1.07.",
        "x",
    ],
)
def test_identical_texts_one_equal_op_and_no_conflicts(text: str) -> None:
    assert word_diff(text, text) == (DiffOp("equal", 0, len(text), 0, len(text)),)
    assert find_conflicts("a", text, "b", text) == ()


def test_word_diff_of_two_empty_texts_is_empty() -> None:
    assert word_diff("", "") == ()


def check_diff(a: str, b: str) -> None:
    ops = word_diff(a, b)
    if a or b:
        assert ops
    a_at = b_at = 0
    for op in ops:
        assert op.tag in {"equal", "replace", "insert", "delete"}
        assert (op.a_start, op.b_start) == (a_at, b_at)  # contiguous
        assert op.a_start <= op.a_end
        assert op.b_start <= op.b_end
        if op.tag == "insert":
            assert op.a_start == op.a_end
            assert op.b_end > op.b_start
        elif op.tag == "delete":
            assert op.b_start == op.b_end
            assert op.a_end > op.a_start
        elif op.tag == "replace":
            assert op.a_end > op.a_start
            assert op.b_end > op.b_start
        a_at, b_at = op.a_end, op.b_end
    assert (a_at, b_at) == (len(a), len(b))  # complete
    assert "".join(a[op.a_start : op.a_end] for op in ops) == a
    assert "".join(b[op.b_start : op.b_end] for op in ops) == b
    assert all(tuple(op) == (op.tag, op.a_start, op.a_end, op.b_start, op.b_end) for op in ops)


@given(any_text(), any_text())
def test_word_diff_covers_both_texts_any_text(a: str, b: str) -> None:
    check_diff(a, b)


@given(news_texts(), news_texts())
def test_word_diff_covers_both_texts_news(a: str, b: str) -> None:
    check_diff(a, b)


@given(word_texts(), st.data())
def test_word_diff_of_an_edited_text(a: str, data: st.DataObject) -> None:
    words = a.split(" ")
    keep = data.draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    b = " ".join(w for w, k in zip(words, keep, strict=True) if k)
    check_diff(a, b)
    check_diff(b, a)


# ------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "12 killed and 40 injured in the blast",
            "15 killed and 40 injured in the blast",
            ("12 killed",),
            ("15 killed",),
            id="paired-by-unit",
        ),
        pytest.param(
            "Police said 12 people were killed in the attack.",
            "Police said 15 people were killed in the attack.",
            ("12 people",),
            ("15 people",),
            id="people-killed",
        ),
        pytest.param(
            "The storm killed 12 people and injured 40.",
            "The storm killed 15 people and injured 40.",
            ("12 people",),
            ("15 people",),
            id="after-the-verb",
        ),
        pytest.param(
            "Rebels killed 12 villagers overnight.",
            "12 villagers were killed overnight." + " Rebels killed 14 villagers, officials said.",
            (),
            (),
            id="same-value-present-wins",
        ),
        pytest.param(
            "The deal is worth $2.5 billion.",
            "The deal is worth $1.8 billion.",
            ("$2.5 billion",),
            ("$1.8 billion",),
            id="money",
        ),
        pytest.param(
            "Shares fell 4.4% on Friday.",
            "Shares fell 4.6% on Friday.",
            ("4.4%",),
            ("4.6%",),
            id="percent",
        ),
        pytest.param(
            "Unemployment rose to 5 percent last year.",
            "Unemployment rose to 7 per cent last year.",
            ("5 percent",),
            ("7 per cent",),
            id="percent-words",
        ),
        pytest.param(
            "More than 100 people were arrested.",
            "Fewer than 50 people were arrested.",
            ("More than 100 people",),
            ("Fewer than 50 people",),
            id="bounds-that-exclude",
        ),
        pytest.param(
            "Three people died in the fire.",
            "Five people died in the fire.",
            ("Three people",),
            ("Five people",),
            id="number-words",
        ),
        pytest.param(
            "Twenty-five people were hurt in the crash.",
            "Thirty people were hurt in the crash.",
            ("Twenty-five people",),
            ("Thirty people",),
            id="compound-number-words",
        ),
        pytest.param(
            "Hundreds of people were evacuated from the town.",
            "Thousands of people were evacuated from the town.",
            ("Hundreds of people",),
            ("Thousands of people",),
            id="vague-amounts-that-exclude",
        ),
        pytest.param(
            "Dozens of people were evacuated.",
            "About 400 people were evacuated.",
            ("Dozens of people",),
            ("About 400 people",),
            id="dozens-vs-hundreds",
        ),
        pytest.param(
            "John Smith, 45, was arrested at the scene.",
            "John Smith, 46, was arrested at the scene.",
            ("45",),
            ("46",),
            id="age-in-apposition",
        ),
        pytest.param(
            "A 12-year-old boy was hurt.",
            "A 13-year-old boy was hurt.",
            ("12-year-old",),
            ("13-year-old",),
            id="age-compound",
        ),
        pytest.param(
            "The company will cut 1,200 jobs by March.",
            "The company will cut 2,100 jobs by March.",
            ("1,200 jobs",),
            ("2,100 jobs",),
            id="thousands",
        ),
        pytest.param(
            "Rebels killed 12 people, officials said.",
            "15 people were killed by rebels, officials said.",
            ("12 people",),
            ("15 people",),
            id="reordered-clause",
        ),
        pytest.param(
            "The fire destroyed 1.2 million acres.",
            "The fire destroyed 2 million acres.",
            ("1.2 million acres",),
            ("2 million acres",),
            id="scaled-decimals",
        ),
    ],
)
def test_number_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    found = [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "number"]
    assert found == ([(left_words, right_words)] if left_words else [])


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Hundreds were evacuated.", "Several hundred were evacuated.", id="vague"),
        pytest.param(
            "More than 100 people were arrested.", "Police arrested 120 people.", id="lower-bound"
        ),
        pytest.param("At least 12 people died.", "15 people died in the crash.", id="at-least"),
        pytest.param("Up to 50 homes were lost.", "40 homes were lost.", id="upper-bound"),
        pytest.param("About 100 people came.", "110 people came.", id="about"),
        pytest.param("Nearly 50 people came.", "48 people came.", id="nearly"),
        pytest.param("The firm cut 1,200 jobs.", "The firm cut 1200 jobs.", id="separator"),
        pytest.param("It is worth $2.5bn.", "It is worth $2.5 billion.", id="abbreviated-scale"),
        pytest.param("It is worth $10-million.", "It is worth $10 million.", id="hyphen-scale"),
        pytest.param("twenty-five people were hurt", "25 people were hurt", id="words-digits"),
        pytest.param("a dozen people were hurt", "twelve people were hurt", id="a-dozen"),
        pytest.param(
            "The fire destroyed 2 million acres.",
            "The fire destroyed 2.4 million acres.",
            id="rounded",
        ),
        pytest.param("Shares fell 4% on Friday.", "Shares fell 4.4% on Friday.", id="rounded-pct"),
        pytest.param(
            "The storm killed 12 people and injured 40.",
            "The storm injured 40 and killed 12 people.",
            id="reordered",
        ),
        pytest.param(
            "12 people were killed.", "40 people were injured.", id="different-units-one-each"
        ),
        pytest.param("12 people died in the attack.", "People died in the attack.", id="one-side"),
        pytest.param("Between 10 and 20 people died.", "15 people died.", id="between"),
        pytest.param("10-12 people died.", "11 people died.", id="dash-range"),
        pytest.param(
            "Trans fats are 1 percent to 3 percent of fat.",
            "Trans fats are 2.5 percent of fat.",
            id="to-range",
        ),
        pytest.param("The team won 3-1 on Sunday.", "The team won 3-2 on Sunday.", id="score"),
        pytest.param("Flight 370 vanished.", "Flight 380 vanished.", id="label"),
        pytest.param("The meeting starts at 10:30.", "The meeting starts at 11:30.", id="time"),
        pytest.param("He came third in 2003.", "He came fourth in 2003.", id="ordinal-words"),
        pytest.param("No one was hurt.", "Two people were hurt.", id="no-one"),
        pytest.param(
            "John Jenkin, 23, was arrested.",
            "Kathryn Jenkin, 20, was found dead.",
            id="ages-of-two-people",
        ),
        pytest.param(
            "Prices rose in 2003.", "Prices rose in 2004.", id="years-are-dates-not-numbers"
        ),
        pytest.param(
            "He was sentenced to seven life sentences.",
            "He killed four people.",
            id="unrelated-amounts",
        ),
    ],
)
def test_number_agreements(left: str, right: str) -> None:
    assert "number" not in kinds(left, right)


# ------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "Police said 12 people were killed on Monday.",
            "Police said 12 people were killed on Tuesday.",
            ("Monday",),
            ("Tuesday",),
            id="weekday",
        ),
        pytest.param(
            "The attack happened on March 3.",
            "The attack happened on March 4.",
            ("March 3",),
            ("March 4",),
            id="month-day",
        ),
        pytest.param(
            "The attack happened on 3 March.",
            "The attack happened on 4 March.",
            ("3 March",),
            ("4 March",),
            id="day-month",
        ),
        pytest.param(
            "Voting closes on Sept. 7 at noon.",
            "Voting closes on Sept. 9 at noon.",
            ("Sept. 7",),
            ("Sept. 9",),
            id="abbreviated-month",
        ),
        pytest.param(
            "The law took effect 2024-03-03 nationwide.",
            "The law took effect 2024-03-04 nationwide.",
            ("2024-03-03",),
            ("2024-03-04",),
            id="iso",
        ),
        pytest.param(
            "He joined the firm in 1998.",
            "He joined the firm in 1999.",
            ("1998",),
            ("1999",),
            id="year",
        ),
        pytest.param(
            "The law took effect in March.",
            "The law took effect in April.",
            ("March",),
            ("April",),
            id="month",
        ),
        pytest.param(
            "On Monday, the government announced new taxes.",
            "On Tuesday, the government announced new taxes.",
            ("Monday",),
            ("Tuesday",),
            id="sentence-date",
        ),
        pytest.param(
            "Mark Felt, the informant known as Deep Throat, died on Friday.",
            "W. Mark Felt, who became Deep Throat, died on Thursday.",
            ("Friday",),
            ("Thursday",),
            id="died-on",
        ),
    ],
)
def test_date_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "date"] == [
        (left_words, right_words)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("It happened on 3 March.", "It happened on March 3.", id="same-day"),
        pytest.param("It happened on Monday.", "It happened on Monday night.", id="same-weekday"),
        pytest.param("It happened yesterday.", "It happened on Monday.", id="relative"),
        pytest.param("It happened on March 3.", "It happened in March.", id="granularity"),
        pytest.param(
            "Police said on Monday the attack was on Sunday.",
            "The attack was on Sunday, police said.",
            id="statement-date",
        ),
        pytest.param(
            "A man was charged on Saturday after the shooting.",
            "A man has been charged after a shooting at a party on Friday.",
            id="different-events",
        ),
        pytest.param(
            "Black Friday sales were strong.", "Cyber Monday sales were strong.", id="names"
        ),
        pytest.param("Theresa May said no.", "Theresa May told them no.", id="may-the-name"),
        pytest.param("SQL Server 2000 ships.", "SQL Server 2005 ships.", id="version"),
        pytest.param(
            "The firm restated its 2002, 2001 and 2000 results.",
            "The firm restated its 2000, 2001 and 2002 results.",
            id="reordered-years",
        ),
        pytest.param("It happened on Monday.", "It happened.", id="one-side"),
        pytest.param(
            "It happened on Monday and again on Monday.",
            "It happened on Monday.",
            id="repeated-date",
        ),
    ],
)
def test_date_agreements(left: str, right: str) -> None:
    assert "date" not in kinds(left, right)


# ------------------------------------------------------------------------------ quotes


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            '"We will fight on the beaches," he said.',
            '"We shall fight on the beaches," he said.',
            ("will",),
            ("shall",),
            id="one-word",
        ),
        pytest.param(
            "He called it \u201ca cowardly and barbaric attack on our city\u201d.",
            'He called it "a cowardly and brutal attack on our city".',
            ("barbaric",),
            ("brutal",),
            id="curly-and-straight",
        ),
        pytest.param(
            '"It is a terrible tragedy for the city," the mayor said.',
            '"It is a terrible tragedy for everyone," the mayor said.',
            ("the city",),
            ("everyone",),
            id="changed-ending",
        ),
        pytest.param(
            '"This deal makes sense for both companies," Halla said.',
            '"This deal makes good sense for both companies," said Halla.',
            (),
            ("good",),
            id="added-word",
        ),
        pytest.param(
            '"We will fight and we will win," she said.',
            '"We will fight and win," she said.',
            ("we will",),
            (),
            id="dropped-words",
        ),
        pytest.param(
            "Greenspan said it \u201ccould be embarking on a period of extended growth\u201d.",
            "Greenspan said it \u201ccould be embarking on a period of sustained growth\u201d.",
            ("extended",),
            ("sustained",),
            id="partial-quote",
        ),
    ],
)
def test_quote_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "quote"] == [
        (left_words, right_words)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param(
            "He said: \u201cWe will not give up.\u201d",
            'He said: "We will not give up."',
            id="quote-style",
        ),
        pytest.param(
            '"We Will Not Give Up," he said.', '"we will not give up," he said.', id="case"
        ),
        pytest.param(
            '"We will not give up, whatever it takes," he said.',
            'He said they would "not give up".',
            id="shorter-quote",
        ),
        pytest.param(
            '"We will not give up," he said.', "He said they would not give up.", id="one-side"
        ),
        pytest.param(
            '"We will fight ... and we will win," he said.',
            '"We will fight on the beaches and we will win," he said.',
            id="elision",
        ),
        pytest.param(
            '"The [drug] benefit is equal for everyone," he said.',
            '"The benefit is equal for everyone," he said.',
            id="editorial-brackets",
        ),
        pytest.param(
            "\"We won't give up and we're staying,\" he said.",
            '"We will not give up and we are staying," he said.',
            id="contractions",
        ),
        pytest.param(
            '"We must organise the people of this city," she said.',
            '"We must organize the people of this city," she said.',
            id="spelling",
        ),
        pytest.param(
            'He called them "terrorists" on Monday.',
            'He called them "militants" on Monday.',
            id="scare-quotes",
        ),
        pytest.param(
            '"It was the worst attack on the city since 11 September," he said.',
            '"It was the worst attack on the city since September 11," he said.',
            id="moved-words",
        ),
        pytest.param(
            '"It is a tragedy for the city and the people," he said.',
            '"It is a tragedy for a city and its people," he said.',
            id="articles",
        ),
    ],
)
def test_quote_agreements(left: str, right: str) -> None:
    assert "quote" not in kinds(left, right)


# ------------------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "The summit was held in Paris on Friday.",
            "The summit was held in Lyon on Friday.",
            ("Paris",),
            ("Lyon",),
            id="place",
        ),
        pytest.param(
            "The plan is dead, said John Smith, the party leader.",
            "The plan is dead, said Bob Jones, the party leader.",
            ("John Smith",),
            ("Bob Jones",),
            id="person",
        ),
        pytest.param(
            '"We are pleased," Coke spokeswoman Sonya Soutus said.',
            '"We are pleased," said Coke spokesman Ben Deutsch.',
            ("Sonya Soutus",),
            ("Ben Deutsch",),
            id="speaker",
        ),
        pytest.param(
            "The case was handed to the FBI last week.",
            "The case was handed to the CIA last week.",
            ("FBI",),
            ("CIA",),
            id="acronyms",
        ),
        pytest.param(
            "Shares of Standard & Poor rose sharply in early trading on Friday.",
            "Shares of Moody rose sharply in early trading on Friday.",
            ("Standard & Poor",),
            ("Moody",),
            id="linked-name",
        ),
    ],
)
def test_name_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "name"] == [
        (left_words, right_words)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("U.S. officials said no.", "United States officials said no.", id="initials"),
        pytest.param("U.N. troops arrived.", "UN troops arrived.", id="dotted-acronym"),
        pytest.param(
            "Obama said the talks failed.", "Barack Obama said the talks failed.", id="given"
        ),
        pytest.param(
            "Mr. Obama said the talks failed.", "Obama said the talks failed.", id="title"
        ),
        pytest.param(
            "President Obama said the talks failed.",
            "Barack Obama said the talks failed.",
            id="title-vs-given",
        ),
        pytest.param("Talks in Beijing failed.", "Talks in China failed.", id="metonym"),
        pytest.param("It angered Gadhafi most.", "It angered Qaddafi most.", id="spelling"),
        pytest.param("It angered French officials.", "It angered Macron officials.", id="demonym"),
        pytest.param("Police said no.", "Officials said no.", id="sentence-initial"),
        pytest.param(
            "Ten Dead As Storm Hits Paris Suburbs",
            "Ten Dead As Storm Hits Lyon Suburbs",
            id="title-case",
        ),
        pytest.param(
            "His sister Katie Jenkin was found.",
            "His sister Kathryn Jenkin was found.",
            id="first-name-variant",
        ),
        pytest.param(
            "The smuggling ended in Blaine, Wash., last month.",
            "The smuggling ended in Blaine, Washington, last month.",
            id="state-abbreviation",
        ),
        pytest.param("The summit was held in Paris.", "The summit was held.", id="one-side"),
        pytest.param(
            "Colin Powell said on Iran no.", "Secretary Colin Powell said no.", id="roles"
        ),
    ],
)
def test_name_agreements(left: str, right: str) -> None:
    assert "name" not in kinds(left, right)


# ------------------------------------------------------------------------------ attribution


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "Police said the man fled.",
            "Police claimed the man fled.",
            ("said",),
            ("claimed",),
            id="said-claimed",
        ),
        pytest.param(
            "The minister said the plan would work.",
            "The minister insisted the plan would work.",
            ("said",),
            ("insisted",),
            id="said-insisted",
        ),
        pytest.param(
            "Wolfowitz said bribery cannot solve the problem.",
            "Wolfowitz admitted bribery cannot solve the problem.",
            ("said",),
            ("admitted",),
            id="said-admitted",
        ),
        pytest.param(
            "The company says the report is wrong.",
            "The company denies the report is wrong.",
            ("says",),
            ("denies",),
            id="says-denies",
        ),
        pytest.param(
            "The watchdog said the pesticides harm children.",
            "The watchdog warned the pesticides harm children.",
            ("said",),
            ("warned",),
            id="said-warned",
        ),
    ],
)
def test_reporting_verbs_are_framing_not_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert "attribution" not in kinds(left, right)
    framing = find_framing("a", left, "b", right)
    assert [(c.left_words, c.right_words) for c in framing] == [(left_words, right_words)]
    backward = find_framing("b", right, "a", left)
    assert [(c.left_words, c.right_words) for c in backward] == [(right_words, left_words)]


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            "The man allegedly stabbed two people.",
            "The man stabbed two people.",
            ("allegedly",),
            (),
            id="hedge-one-side",
        ),
        pytest.param(
            "The company may cut 100 jobs.",
            "The company will cut 100 jobs.",
            ("may",),
            ("will",),
            id="may-will",
        ),
        pytest.param(
            "The alleged attacker was arrested on Friday.",
            "The attacker was arrested on Friday.",
            ("alleged",),
            (),
            id="hedge-adjective",
        ),
    ],
)
def test_attribution_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    assert [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "attribution"] == [
        (left_words, right_words)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("Police said the man fled.", "Police told reporters the man fled.", id="told"),
        pytest.param("Police said the man fled.", "The man fled, according to police.", id="per"),
        pytest.param(
            "The group claimed responsibility for the attack.",
            "The group said it carried out the attack.",
            id="claimed-responsibility",
        ),
        pytest.param(
            "He was admitted to hospital on Friday.",
            "He was taken to hospital on Friday, police said.",
            id="admitted-to-hospital",
        ),
        pytest.param(
            '"I don\'t blame him," Street said.',
            '"I don\'t blame him," Street told them.',
            id="quoted",
        ),
        pytest.param(
            "McBride dismissed Novell's ownership claims as desperate.",
            "McBride said the position was desperate.",
            id="noun",
        ),
        pytest.param(
            "The man allegedly stabbed two people.",
            "The man reportedly stabbed two people.",
            id="hedges-both-sides",
        ),
        pytest.param(
            "The delegates could not leave on Friday.",
            "The delegates may not leave on Friday.",
            id="weak-modal",
        ),
        pytest.param(
            "Man denies arson at the store.",
            "The site manager says it will take days to assess the damage.",
            id="different-speakers",
        ),
        pytest.param(
            "The minister said the plan would work.",
            "The minister said the plan would work, and admitted it was costly.",
            id="extra-verb-one-side",
        ),
    ],
)
def test_attribution_agreements(left: str, right: str) -> None:
    assert "attribution" not in kinds(left, right)


# ------------------------------------------------------------------------------ all kinds


def test_conflicts_are_ordered_by_kind_then_position() -> None:
    left = "Police said 12 people were killed on Monday and 40 homes were lost."
    right = "Police claimed 15 people were killed on Tuesday and 60 homes were lost."
    found = find_conflicts("a", left, "b", right)
    assert [(c.kind, c.left_words) for c in found] == [
        ("number", ("12 people",)),
        ("number", ("40 homes",)),
        ("date", ("Monday",)),
    ]
    assert all((c.left, c.right) == ("a", "b") for c in found)
    assert found[0].describe() == 'number: "12 people" (a) vs "15 people" (b)'


SWAPPABLE = [
    ("12 killed and 40 injured in the blast", "15 killed and 40 injured in the blast"),
    ("The attack happened on March 3.", "The attack happened on March 4."),
    ('"We will fight on the beaches," he said.', '"We shall fight on the beaches," he said.'),
    ("The summit was held in Paris on Friday.", "The summit was held in Lyon on Friday."),
    ("The man allegedly stabbed two people.", "The man stabbed two people."),
]


@pytest.mark.parametrize(("left", "right"), SWAPPABLE)
def test_conflicts_are_symmetric(left: str, right: str) -> None:
    forward = find_conflicts("a", left, "b", right)
    backward = find_conflicts("b", right, "a", left)
    assert forward
    assert [(c.kind, c.left_words, c.right_words) for c in forward] == [
        (c.kind, c.right_words, c.left_words) for c in backward
    ]


@given(news_texts(), news_texts())
def test_find_conflicts_never_fails_on_news(a: str, b: str) -> None:
    found = find_conflicts("a", a, "b", b)
    assert isinstance(found, tuple)
    for c in found:
        assert isinstance(c, Conflict)
        assert c.kind in KINDS
        assert (c.left, c.right) == ("a", "b")
        assert c.left_words or c.right_words
        assert all(w in a for w in c.left_words)
        assert all(w in b for w in c.right_words)
    assert find_conflicts("a", a, "b", a) == ()


@given(any_text(), any_text())
def test_find_conflicts_never_fails_on_any_text(a: str, b: str) -> None:
    found = find_conflicts("a", a, "b", b)
    assert all(c.kind in KINDS for c in found)


# ------------------------------------------------------------------------------ cells


def cell(outlet: str, *sentences: str) -> Cell:
    out = []
    at = 0
    for i, s in enumerate(sentences):
        out.append(Sentence(s, at, at + len(s), index=i))
        at += len(s) + 1
    return Cell(outlet, tuple(out))


def test_compare_cells() -> None:
    a = cell("bbc", "Police said 12 people died.", "The road is closed.")
    b = cell("cnn", "Police said 15 people died.")
    pair = compare_cells(a, b, 0.8)
    assert isinstance(pair, PairDiff)
    assert (pair.left, pair.right, pair.score) == ("bbc", "cnn", 0.8)
    assert pair.opcodes == word_diff(a.text, b.text)
    assert [op.tag for op in pair.opcodes] == ["equal", "replace", "equal", "delete"]
    assert pair.to_dict()["opcodes"][1] == ["replace", 12, 15, 12, 15]
