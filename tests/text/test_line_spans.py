"""Tests for storymatch.text.sentences.line_spans: the compiled splitter against the regexes.

``line_spans`` splits each line of ASCII and Latin-1 letters and symbols by a compiled replay
of the splitter's rules (``storymatch._kernels.line_sentences``) and the other lines by
:func:`sentence_spans`. The
oracle is :func:`sentence_spans` itself, run on every line alone: the spans must be the same,
on hand-made hard cases, on generated text, and on every line of the shared real data (as it
is, and made ASCII so that its quote-heavy lines take the compiled path).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import shared_data
from tests.strategies import news_texts, splitter_texts

from storymatch.text import sentences
from storymatch.text.sentences import line_spans, sentence_spans


def _oracle(text: str) -> list[list[int]]:
    """The spans of :func:`sentence_spans` on each line alone, offset to ``text``."""
    out: list[list[int]] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        out.extend([offset + start, offset + end, number] for start, end, _ in sentence_spans(line))
        offset += len(line) + 1
    return out


HARD_CASES = [
    "",
    " ",
    "\n\n",
    "One.",
    "  Padded.  Both sides.  ",
    # abbreviations, titles, initials, acronyms
    "Mr. Smith met Dr. J. R. R. Tolkien at St. Louis. The talks went on.",
    "He lives on Main St. The house is old.",
    "in the U.S. The talks ended. The U.S. Embassy said so.",
    "Jan. 5 was cold. It was Jan. Then Feb. came.",
    "Springfield, Ill. He said she fell ill. Doctors came.",
    "then-Gov. Smith and D-W.Va. Jones met Aoraki/Mt. Cook.",
    "Acme Inc. The firm grew. Acme Corp. shares rose. U.S.A. Today.",
    "A. J. Smith. B. He left. e.g. the dog. i.e. A cat.",
    "No. 1 won. No. The answer was no. Nos. 4 and 5. nos. 6.",
    "See Fig. 3 and p.m. Then at 3 p.m. on Monday he left.",
    "(N.J.) High school. [Calif.] Los Angeles.",
    'Rancho Mirage, Calif. "Lindsay never left," he said.',
    # numbers and lists
    "It cost $2. 6 million. It cost $1.13bn. Then 3.5% more.",
    "1. First item. 2. Second item. 10. Tenth. 1234. Year.",
    "  1. Indented item. (2. Bracketed.",
    "In 2007. The year ended. At 10. He woke.",
    # quotes and attributions
    'He said "no." Then he left.',
    '"Why?" Smith asked. "Why?" he asked. "Why?" Arians said on Monday, later.',
    '"Why?" Coleman also said that he would go. "Stop!" Jones yelled.',
    '"Quoted text. "said X. "Another one. " Then more.',
    'He left. "We won," she said. "Quoted. "Smith said. It ends.',
    "'Single.' Then. 'Quoted. 'said she. It's Bob's.",
    '"Open quote. "The next sentence starts here.',
    'A "quote. " B. "x. "y z. "A. "B said. "C. "D E F G H said,',
    "He said: 'no. ' Then left. It was 'odd. 'really.",
    '"Wait..." he said. "What?!" She asked. "Really?" The crowd said yes.',
    "Why? Because! Really?! Yes!!! No?? Maybe...",
    # ellipses
    "It was... unexpected. It was... Odd. It ended . . . Then more. . . . Four dots.",
    "Wait . . .x and . . . . then . .",
    "Trailing dots...",
    # closers and brackets
    "(He left.) Then came. [Done.] More. {Braced.} End.)",
    "He left.) Then. She left.] Now.",
    # whitespace inside lines
    "Tab\tseparated.\tNext one.\x1fUnit sep. Last.",
    "Vertical\vtab. Form\ffeed. Carriage\rreturn. Group\x1dsep.",
    # non-ASCII lines fall back to the regexes
    "Caf\u00e9 opened. The \u201cquote.\u201d Then \u00a3500 Â£6. \u00bbNext.\u00ab",
    "Line one.\nLine \u00e9 two. Three.\nFour. Five.\n\nSix \u2026 Seven. Eight.",
    "Mixed\u2028line. Break\u2029para. Next\x85line.",
    # tokens longer than the 40 characters read before a full stop, ending in an acronym
    " ".join("z" * k + "A.B.C.D.E.F.G.H.I.J.K.L.M.N.O.P.Q.R. Next" for k in range(12)),
    # a long line of many sentences and quotes
    " ".join([f'"Word number {i}. "said Bob. Mr. X. No. {i}.' for i in range(60)]),
]


@pytest.mark.parametrize("text", HARD_CASES)
def test_hard_cases_split_as_the_regexes_do(text: str) -> None:
    assert line_spans(text).tolist() == _oracle(text)


@pytest.mark.parametrize("text", HARD_CASES)
def test_hard_cases_split_as_the_regexes_do_line_by_line(text: str) -> None:
    joined = "\n".join(text.split(". "))
    assert line_spans(joined).tolist() == _oracle(joined)


@settings(max_examples=400, deadline=None)
@given(st.one_of(splitter_texts(), news_texts()))
def test_generated_texts_split_as_the_regexes_do(text: str) -> None:
    assert line_spans(text).tolist() == _oracle(text)


# Every character of Latin-1 (and some beyond) where the rules look: the compiled path reads
# Latin-1 letters and symbols through stand-ins (sentences._latin1_codes).
_CONTEXTS = [
    "A{c}. B",
    "a{c}. b",
    "{c}. The",
    "{c}{c}. X y. {c}",
    "Mr{c}. X",
    "Mr. {c}X",
    "Mr. {c}x",
    "U.S. {c}",
    "U.{c}. Next",
    "{c}.B. Next",
    "{c}. B. Next",
    "No. {c}5",
    "No{c}. 5",
    "1{c}. Item",
    "{c}1. Item",
    "x. {c}1. Item",
    '"Why?" {c}mith said.',
    '"Why?" S{c}ith said.',
    '"Why?" Smith s{c}id.',
    '"Why?" Smith said {c}.',
    '"Why?" Smith {c} {c} said{c}',
    'He left. "{c}e said it.',
    'x. "{c} y',
    'x. "{c}. y',
    "It's {c}. Then",
    "Jan{c}. 5",
    "x {c}. y",
    "x{c} . y",
    "at 3{c}. He",
    "ill{c}. Doctors",
    "Ill. {c}octors",
    "{c}ll. Doctors",
    "e.g. {c}he",
    "then-{c}. X",
    "A-{c}. B",
    "({c}. X",
    "St. {c}ouis",
    "St. {c}",
    "The end{c} Next.",
    "Wait...{c} Next. . . {c}",
    "x.{c} Y",
    "x. {c}Y",
    "Wow!{c} X",
    '"Quote. "{c}aid X.',
]
_CHARS = [chr(code) for code in range(128, 256)] + list(
    "\u0100\u0101\u0130\u212a\u2019\u201c\u201d\u2013\u2014\u2026\u2028\u3002\u2460\u24b6\u03a9\u00df"
)


@pytest.mark.parametrize("context", _CONTEXTS)
def test_latin1_characters_split_as_the_regexes_do(context: str) -> None:
    for char in _CHARS:
        text = context.format(c=char)
        assert line_spans(text).tolist() == _oracle(text), text


def test_ascii_lines_take_the_compiled_path(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def spy(text: str) -> list[tuple[int, int, int]]:
        seen.append(text)
        return sentence_spans(text)

    monkeypatch.setattr(sentences, "sentence_spans", spy)
    sentences._regex_line_spans.cache_clear()  # lines read before would not reach the spy
    text = (
        "Mr. Smith left. He was late.\nCaf\u00e9 closed at \u00a35. Then.\nVertical\vtab. Done."
        "\n\u201cQuoted.\u201d More.\n\nEnd."
    )
    assert line_spans(text).tolist() == _oracle(text)
    # only the line with another line break and the one with curly quotes went to the regexes
    assert seen == ["Vertical\vtab. Done.", "\u201cQuoted.\u201d More."]


# --------------------------------------------------------------------------- real data

_DOCS = (
    "basil/docs.jsonl",
    "claims_dev/docs.jsonl",
    "ecbplus/docs.jsonl",
    "news_pool/docs.jsonl.gz",
    "syndication/docs.jsonl.gz",
)
# The typography the real texts carry, made ASCII so that their lines take the compiled path.
_TO_ASCII = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2026": "...", "\u00a0": " "}
)


@pytest.mark.parametrize("relative", _DOCS)
def test_real_texts_split_as_the_regexes_do(relative: str) -> None:
    texts = list(shared_data.record_texts(relative))
    assert texts
    for text in texts:
        ascii_text = text.translate(_TO_ASCII).encode("ascii", "replace").decode("ascii")
        # each line a paragraph, and each text as one line (its sentences run on)
        for variant in (text, ascii_text, ascii_text.replace("\n", " ")):
            assert line_spans(variant).tolist() == _oracle(variant), variant[:200]
