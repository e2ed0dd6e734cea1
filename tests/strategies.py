"""Hypothesis strategies and seeded corpus generators shared by the tests.

- :func:`words`, :func:`word_lines` and :func:`word_texts` build texts of words in several
  scripts (Latin with accents, Greek, Cyrillic, Arabic, Devanagari, CJK, Hangul, full-width and
  compatibility forms) joined by ASCII and typographic separators, on one or more lines.
- :func:`news_texts` builds news-like pages: paragraphs of sentences separated by blank lines,
  short chrome lines, typographic noise (curly quotes, dashes, NBSP, soft hyphens, CRLF).
- :func:`planted_corpus` is a plain seeded generator (not a strategy) of a corpus of real-ish
  news sentences with planted copies: page chrome, trimmed tails, word edits, OCR noise,
  dropped and moved paragraphs, abridged copies, and hard negatives that share a quote.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from hypothesis import strategies as st

__all__ = [
    "PlantedDoc",
    "any_text",
    "news_texts",
    "paragraph",
    "planted_corpus",
    "sentence",
    "word_lines",
    "word_texts",
    "words",
]

# Letters and digits only: every character below (and what NFKC and case folding make of it)
# is a letter, digit or combining mark in Unicode, so the tokenizer's documented rule
# ("runs of letters and digits") is unambiguous on these texts.
WORD_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "0123456789"
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœłđÀÉÖÜİıſ"  # Latin-1 and Latin Extended, Turkish dotted I
    "αβγδεζηθικλμνξοπρστυφχψωςΑΒΓΔΣΩάέήίόύώ"  # Greek, final sigma
    "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЖЗЁё"  # Cyrillic
    "العربيةخبر"  # Arabic
    "हिन्दीसमाचार"  # Devanagari (vowel signs and virama are combining marks)
    "日本語中文新聞記者東京北京"  # CJK ideographs
    "한국어뉴스기자"  # Hangul syllables
    "\uff21\uff22\uff23\uff41\uff42\uff43\uff10\uff11\uff12"  # full-width forms (NFKC: ASCII)
    "ﬁﬂ²³"  # ligatures and superscripts (NFKC: letters and digits)
)

# Separators that are neither letters nor digits nor line breaks.
SEPARATORS = (
    " ",
    "  ",
    ", ",
    ". ",
    "; ",
    " - ",
    " \u2014 ",  # em dash
    "\u2013",  # en dash between words
    " \u201c",  # curly double quotes
    "\u201d ",
    "\u2019",  # curly apostrophe inside a word: splits it, like "'"
    "'",
    " (",
    ") ",
    "\u00a0",  # NBSP
    "\t",
    "\u2026 ",  # ellipsis
    "\u3001",  # ideographic comma
    "\u3002",  # ideographic full stop
    "\uff01 ",  # full-width exclamation mark
    " \u00ab",  # guillemets
    "\u00bb ",
    "\u3000",  # ideographic space
    " / ",
    " & ",
)

# A vocabulary of news words; sentences draw from it with a mild Zipf skew.
_VOCABULARY_TEXT = """
the of and to in a for on that said with by was is at as from his it have has be are an
government officials police minister president city council people year week on tuesday
wednesday thursday friday monday saturday sunday morning evening night report reports
according statement spokesman spokeswoman agency news reporters told country state national
local federal court judge trial case charges investigation authorities security forces
military army troops attack killed injured wounded hospital emergency services fire
firefighters rescue workers union strike pay talks negotiations employers offer percent
million billion dollars euros crowns budget tax economy economic growth inflation rate bank
central interest prices market markets shares stocks investors company companies firm chief
executive board director deal agreement contract plan plans project construction bridge road
rail port harbour airport flights passengers train station traffic transport vehicles cars
election vote voters party parties candidate campaign parliament opposition leader leaders
prime coalition reform law bill policy health schools students teachers university study
research scientists climate weather storm flood floods rain snow heat drought water energy
power electricity gas oil prices fuel supply supplies shortage crisis protest protesters
demonstrators crowd streets square capital region province district village town residents
community families children women men victims survivors witnesses suspect suspects arrested
detained released prison sentence years months days hours minutes earlier later after before
during since until while when where which who whose what new old first second third last
next several many few more most some other another former current senior junior public
private international foreign domestic official unofficial major minor large small high low
long short early late recent annual monthly weekly daily about around nearly almost more
than less least over under between among against across through into onto without within
expected announced confirmed denied warned urged called asked added noted insisted rejected
approved launched opened closed reached raised cut increased decreased fell rose remained
continued began ended held met visited arrived left returned moved sent received paid spent
lost won gained signed agreed refused planned decided allowed ordered tried helped
"""
_VOCABULARY = tuple(_VOCABULARY_TEXT.split())

_NAMES_TEXT = """
Marrowgate Brackenford Estmark Lisle Saltby Kestrel Valcourt Renner Osei Ellison Achterberg
Vendramin Sauer Halloran Numbi Quay Aldric Northcoast Meridian Ledger Harbor Civic Capital
"""
_NAMES = tuple(_NAMES_TEXT.split())

_CHROME = (
    "Skip to content",
    "Home \u00bb World \u00bb News",
    "Sign in | Register",
    "Advertisement",
    "Share this: Facebook Twitter Email",
    "Leave a Reply",
    "Back to top button",
    "By Staff Reporter",
    "Updated 7:20 PM",
)


@st.composite
def words(draw: st.DrawFn, *, alphabet: str = WORD_ALPHABET) -> str:
    """One word: 1 to 8 letters or digits from several scripts."""
    return draw(st.text(alphabet=alphabet, min_size=1, max_size=8))


@st.composite
def word_lines(draw: st.DrawFn, *, max_words: int = 12) -> str:
    """One line of words joined by separators (no line break inside)."""
    items = draw(st.lists(words(), min_size=0, max_size=max_words))
    out: list[str] = []
    for k, item in enumerate(items):
        if k:
            out.append(draw(st.sampled_from(SEPARATORS)))
        out.append(item)
    prefix = draw(st.sampled_from(("", " ", "\u201c", "(")))
    suffix = draw(st.sampled_from(("", ".", " ", "\u201d", "!", "\u2026")))
    return prefix + "".join(out) + suffix


@st.composite
def word_texts(draw: st.DrawFn, *, max_lines: int = 6, max_words: int = 12) -> str:
    """Several lines of words separated by one or more line breaks (``\\n`` or ``\\r\\n``)."""
    lines = draw(st.lists(word_lines(max_words=max_words), min_size=1, max_size=max_lines))
    out = [lines[0]]
    for line in lines[1:]:
        # "-\n" after a word is a wrapped word ("gov-\nernment"), which shingling joins.
        out.append(draw(st.sampled_from(("\n", "\n\n", "\r\n", "\n \n", "\n\n\n", "-\n"))))
        out.append(line)
    return "".join(out)


def sentence(rng: random.Random, *, min_words: int = 8, max_words: int = 24) -> str:
    """A real-ish news sentence: vocabulary words, names and numbers."""
    n = rng.randint(min_words, max_words)
    weights = [1.0 / (rank + 8) for rank in range(len(_VOCABULARY))]
    out = rng.choices(_VOCABULARY, weights=weights, k=n)
    for _ in range(rng.randint(0, 2)):
        out[rng.randrange(n)] = rng.choice(_NAMES)
    if rng.random() < 0.5:
        out[rng.randrange(n)] = str(rng.randint(2, 99_999))
    text = " ".join(out)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", "!"))


def paragraph(rng: random.Random, *, min_sentences: int = 1, max_sentences: int = 4) -> str:
    """A paragraph of real-ish sentences on one line."""
    return " ".join(sentence(rng) for _ in range(rng.randint(min_sentences, max_sentences)))


@st.composite
def news_texts(draw: st.DrawFn) -> str:
    """A news-like page: chrome lines, paragraphs, blank lines, typographic noise."""
    rng = random.Random(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    blocks = [paragraph(rng) for _ in range(draw(st.integers(min_value=1, max_value=5)))]
    if draw(st.booleans()):
        blocks.insert(0, rng.choice(_CHROME))
    if draw(st.booleans()):
        blocks.append(rng.choice(_CHROME))
    text = draw(st.sampled_from(("\n\n", "\n", "\r\n\r\n", "\n\n\n"))).join(blocks)
    noise = draw(
        st.lists(
            st.sampled_from(
                (
                    ("'", "\u2019"),
                    (" - ", " \u2014 "),
                    (" ", "\u00a0"),
                    (" ", "  "),
                    ("e", "\u00ade"),  # soft hyphen
                    ("a", "\uff41"),  # full-width a
                    ("fi", "\ufb01"),  # ligature
                    ("The", "THE"),
                    (".", ".\t"),
                )
            ),
            max_size=4,
        )
    )
    for old, new in noise:
        text = text.replace(old, new)
    return text


def any_text() -> st.SearchStrategy[str]:
    """Arbitrary Unicode text (no surrogates), biased towards whitespace and typography."""
    typographic = st.sampled_from(
        list("\u2018\u2019\u201c\u201d\u2013\u2014\u00a0\u00ad\u200b\ufeff\r\n\t\u2028\u3000")
    )
    chars = st.one_of(st.characters(exclude_categories=["Cs"]), typographic)
    return st.lists(chars, max_size=60).map("".join)


# --------------------------------------------------------------------------- planted corpora


@dataclass(frozen=True, slots=True)
class PlantedDoc:
    """One document of a planted corpus and how it was made."""

    id: str
    text: str
    origin: str
    """Id of the original it derives from (its own id for an original)."""
    kind: str
    """``original``, ``copy``, ``trimmed``, ``edited``, ``ocr``, ``reordered``, ``abridged``,
    ``partial`` (shares about half of its paragraphs) or ``related`` (shares a quote only)."""


def _ocr(rng: random.Random, text: str, rate: float) -> str:
    confusions = {"e": "c", "l": "1", "o": "0", "h": "b", "m": "rn", "i": "l"}
    chars = list(text)
    for k, char in enumerate(chars):
        if char in confusions and rng.random() < rate:
            chars[k] = confusions[char]
    return "".join(chars)


def _edit_words(rng: random.Random, text: str, rate: float) -> str:
    tokens = text.split(" ")
    for k in range(len(tokens)):
        if rng.random() < rate:
            tokens[k] = rng.choice(_VOCABULARY)
    return " ".join(tokens)


def _leading(paragraphs: list[str], share: float) -> list[str]:
    """The fewest leading paragraphs that hold at least ``share`` of the words."""
    goal = share * sum(len(p.split()) for p in paragraphs)
    kept, words = 0, 0
    while kept < len(paragraphs) and words < goal:
        words += len(paragraphs[kept].split())
        kept += 1
    return paragraphs[:kept]


def _page(rng: random.Random, paragraphs: list[str], outlet: str) -> str:
    blocks = [f"{outlet} News", rng.choice(_CHROME), *paragraphs, rng.choice(_CHROME)]
    if rng.random() < 0.5:
        blocks.insert(2, f"By {outlet} Staff")
    return "\n\n".join(blocks)


def planted_corpus(seed: int, *, n_originals: int = 100) -> list[PlantedDoc]:
    """A seeded corpus of originals and planted copies, about 3 documents per original.

    Every original has 3 to 9 paragraphs of real-ish sentences. Each original gets zero to
    four derived documents, drawn from: a verbatim copy in page chrome, a trimmed copy
    (leading paragraphs with 45-95 % of the words), a copy with 2-6 % of the words replaced,
    an OCR-noisy copy, a copy with one paragraph dropped or moved, an abridged copy (leading
    paragraphs with 35-60 % of the words, in chrome), a partial overlap (half of the
    paragraphs, the rest new) and a "related" report that quotes one sentence. The order is
    shuffled.
    """
    rng = random.Random(seed)
    outlets = [f"Outlet{k}" for k in range(12)]
    docs: list[PlantedDoc] = []
    for k in range(n_originals):
        oid = f"s{seed}-o{k:03d}"
        paras = [paragraph(rng) for _ in range(rng.randint(3, 9))]
        docs.append(PlantedDoc(oid, "\n\n".join(paras), oid, "original"))
        kinds = rng.sample(
            ["copy", "trimmed", "edited", "ocr", "reordered", "abridged", "partial", "related"],
            k=rng.choice((0, 1, 2, 2, 3, 4)),
        )
        for c, kind in enumerate(kinds):
            outlet = rng.choice(outlets)
            body = list(paras)
            if kind == "trimmed":
                body = _leading(body, rng.uniform(0.45, 0.95))
            elif kind == "edited":
                body = [_edit_words(rng, p, rng.uniform(0.02, 0.06)) for p in body]
            elif kind == "ocr":
                body = [_ocr(rng, p, rng.uniform(0.005, 0.02)) for p in body]
            elif kind == "reordered":
                moved = body.pop(rng.randrange(len(body)))
                if rng.random() < 0.5:
                    body.insert(rng.randrange(len(body) + 1), moved)
                body.insert(rng.randrange(len(body) + 1), sentence(rng))
            elif kind == "abridged":
                # LSH is tuned (documented) to catch abridged copies down to a quarter of the
                # original's size; stay above that.
                body = _leading(body, rng.uniform(0.35, 0.6))
            elif kind == "partial":
                keep = rng.sample(range(len(body)), k=max(1, len(body) // 2))
                body = [body[i] for i in sorted(keep)]
                body += [paragraph(rng) for _ in range(rng.randint(1, 4))]
            elif kind == "related":
                quote = rng.choice(paras).split(". ")[0]
                body = [paragraph(rng) for _ in range(rng.randint(3, 7))]
                body.insert(rng.randrange(len(body) + 1), f"\u201c{quote}\u201d, an official said.")
            docs.append(PlantedDoc(f"{oid}~{kind}{c}", _page(rng, body, outlet), oid, kind))
    rng.shuffle(docs)
    return docs


# --------------------------------------------------------------------------- sentence splitting

# Fragments that sit on sentence-boundary decisions: abbreviations, initials, numbers, quotes
# closed before and after a space, ellipses, list markers, CJK stops, odd whitespace.
_SPLITTER_FRAGMENTS = (
    "Mr.",
    "Dr.",
    "U.S.",
    "a.m.",
    "Inc.",
    "No.",
    "J. R. R.",
    "A.",
    "e.g.",
    "etc.",
    "Jan.",
    "$1.13bn",
    "3.5%",
    "2. 6",
    "1.",
    ".",
    "?",
    "!",
    "?!",
    "...",
    ". . .",
    "\u2026",
    "\u203d",
    '"',
    "'",
    "\u201c",
    "\u201d",
    "\u2018",
    "\u2019",
    '. "',
    '? "',
    ". '",
    '."',
    ".\u201d",
    ")",
    "(",
    "-",
    "\u2014",
    ":",
    ",",
    "\u3002",
    "\uff01",
    "\u300d",
)
_SPLITTER_SPACES = (
    " ",
    " ",
    " ",
    "",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\n \n",
    "\t",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u3000",
    "\x1c",
    "\x85",
)


@st.composite
def splitter_texts(draw: st.DrawFn, *, max_items: int = 30) -> str:
    """Text made of words, boundary-prone fragments and whitespace of every kind."""
    items = draw(
        st.lists(
            st.one_of(
                words(),
                st.sampled_from(_VOCABULARY).map(str.capitalize),
                st.sampled_from(_VOCABULARY),
                st.sampled_from(_SPLITTER_FRAGMENTS),
            ),
            max_size=max_items,
        )
    )
    out: list[str] = [draw(st.sampled_from(("", " ", "\n", "\n\n")))]
    for item in items:
        out.append(item)
        out.append(draw(st.sampled_from(_SPLITTER_SPACES)))
    return "".join(out)
