"""Quote conflicts (storymatch.differ.conflicts.quotes)."""

from __future__ import annotations

import pytest
from tests.differ.conflicts.support import flags, kinds


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
        pytest.param(
            '"The union has walked away from the most generous offer in the sector," he said.',
            'He said the offer was "the most generous in the sector" and the union walked away.',
            id="partial-quotation",
        ),
    ],
)
def test_quote_agreements(left: str, right: str) -> None:
    assert "quote" not in kinds(left, right)


def test_a_negation_kept_outside_the_other_quotation_still_conflicts() -> None:
    # "not" outside the quotation does not make the quoted words the same claim
    left = '"We will not accept the most generous offer in the sector," he said.'
    right = 'He said they would not "accept the most generous offer in the sector".'
    assert "quote" not in kinds(left, right)  # cut at the start: a shorter quote
    left = '"We will not accept the offer from the employers," he said.'
    right = 'He said not everyone agreed: "We will accept the offer from the employers."'
    assert "quote" in kinds(left, right)


@pytest.mark.parametrize(
    ("left", "right", "left_words", "right_words"),
    [
        pytest.param(
            '"We will cut taxes for families, and we will close the coal plants by 2030," '
            "she said.",
            '"We will close the coal plants by 2030, and we will cut taxes for families," '
            "she said.",
            ("We will cut taxes for families",),
            ("and we will cut taxes for families",),
            id="clauses-swapped",
        ),
        pytest.param(
            '"The mayor ordered the pool closed, and the council never voted on the repairs '
            'or the budget," he said.',
            '"The council never voted on the repairs, and the mayor ordered the pool closed '
            'for the whole summer," he said.',
            ("The mayor ordered the pool closed", "or the budget"),
            ("and the mayor ordered the pool closed for the whole summer", "for the whole summer"),
            id="swapped-with-changed-words",
        ),
    ],
)
def test_reordered_quote_conflicts(
    left: str, right: str, left_words: tuple[str, ...], right_words: tuple[str, ...]
) -> None:
    # one utterance quoted with its clauses in another order: the first clause out of place
    # on each side, then the content words that differ inside the paired clauses
    assert [(lw, rw) for kind, lw, rw in flags(left, right) if kind == "quote"] == [
        (left_words, right_words)
    ]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param(
            '"We will cut taxes for families, and we will close the coal plants by 2030," '
            "she said.",
            '"We will close the coal plants by 2030," she said.',
            id="one-clause-excerpt",
        ),
        pytest.param(
            '"First we will cut taxes for families, we will close the coal plants by 2030, '
            'and then we will build new rail lines," she said.',
            '"We will cut taxes for families, we will close the coal plants by 2030," she said.',
            id="excerpt-in-order",
        ),
        pytest.param(
            '"We will close the coal plants," she said. "We will cut taxes for families."',
            '"We will cut taxes for families," she said. "We will close the coal plants."',
            id="two-quotations-in-other-order",
        ),
        pytest.param(
            '"He is a decorated FBI special agent," the statement said.',
            '"He is a decorated F.B.I. special agent," the statement said.',
            id="dotted-abbreviation",
        ),
    ],
)
def test_reordered_quote_agreements(left: str, right: str) -> None:
    assert "quote" not in kinds(left, right)
