"""Seeded news corpora of any size, built from the real text of ``news_pool``.

:func:`build_corpus` makes a corpus of ``n_docs`` articles with known copy groups, for speed and
memory benchmarks at sizes beyond the real datasets:

1. **Base documents.** First the real articles of ``news_pool/docs.jsonl.gz`` (18,713), shuffled.
   Beyond the pool, new documents assembled from real sentences: a random real article with
   three quarters of its sentences (and, as often, its headline) swapped for random sentences
   of the pool, so the length distribution stays the pool's. Swapping only half would leave a
   new document sharing about 30 % of its word 5-grams with the article it started from (46 %
   of them at Jaccard >= 0.3, 14 % >= 0.5), i.e. a near-duplicate that the gold labels call
   distinct; with three quarters the mean is 0.09 and 0.5 % reach 0.3.
2. **Planted copies.** ``copy_rate`` of the documents are copies of earlier base documents, made
   the way syndicated copies look when scraped: page chrome lines at the top and bottom ("Skip to
   content", a breadcrumb, a byline, share buttons, a copyright line), the headline repeated,
   trims keeping 50-95 % of the paragraphs or sentences, one sentence added or dropped, a couple
   of words substituted, paragraphs re-flowed, and now and then OCR-like character noise. A
   story that was copied is likely to be copied again, so group sizes are heavy-tailed.

The gold label of a document is the id of its base document. Documents come in stream order
(every copy after its original) and carry ISO dates that increase along the stream.

The pool's own near-duplicates are left as they are: Reuters-21578 and the BBC set repeat some
stories (``NearDuplicateClusterer()`` finds 836 groups holding 1,705 of the 18,713 articles), and
the gold labels call them distinct. That caps every tool's measured pairwise precision a little
below 1; all tools see the same corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from storymatch.models import Article

__all__ = ["build_corpus", "fingerprint", "load_pool", "parse_corpus_sizes"]

POOL_PATH = Path("news_pool") / "docs.jsonl.gz"
"""Where the pool lies inside the data folder."""

_SENTENCE_BREAK = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d)]))\s+(?=[\"'\u201c(]?[A-Z0-9])",
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n|[ \t]{3,}")
_WORD = re.compile(r"[A-Za-z]{3,}")

_REPLACE_RATE = 0.75
"""Share of the sentences of a template article replaced in a new base document."""
_COPY_WINDOW = 2000
"""A copy picks its original among the most recent base documents of the stream."""
_RECOPY_RATE = 0.35
"""Chance that a copy copies a story that was copied recently (heavy-tailed group sizes)."""
_RECENT_COPIES = 50
_START = dt.datetime(2026, 1, 5, 6, 0, tzinfo=dt.UTC)

_SITES = (
    ("Valley Herald", "valleyherald.example"),
    ("The Morning Ledger", "morningledger.example"),
    ("Coastal Times", "coastaltimes.example"),
    ("Metro Daily", "metrodaily.example"),
    ("The Northern Star", "northernstar.example"),
    ("Riverside Gazette", "riversidegazette.example"),
    ("Capital Courier", "capitalcourier.example"),
    ("Lakeside Post", "lakesidepost.example"),
    ("The Evening Record", "eveningrecord.example"),
    ("Summit News", "summitnews.example"),
    ("Harbor Journal", "harborjournal.example"),
    ("Prairie Tribune", "prairietribune.example"),
)
_SECTIONS = ("News", "Business", "World", "Markets", "Politics", "Economy", "Technology", "Sport")
_SUBSTITUTES = {
    "said": "says",
    "says": "said",
    "announced": "said",
    "reported": "said",
    "percent": "pct",
    "pct": "percent",
    "million": "mln",
    "mln": "million",
    "billion": "bln",
    "bln": "billion",
    "company": "firm",
    "firm": "company",
    "increase": "rise",
    "rose": "climbed",
    "fell": "dropped",
    "expected": "forecast",
    "shares": "stock",
    "government": "administration",
    "year": "yr",
    "about": "around",
    "told": "informed",
    "also": "further",
    "but": "however",
    "will": "would",
}
_OCR_CONFUSIONS = {
    "m": "rn",
    "l": "1",
    "I": "l",
    "o": "0",
    "O": "0",
    "e": "c",
    "c": "e",
    "i": "l",
    "S": "5",
    "B": "8",
    "h": "b",
    "n": "ri",
    "u": "v",
    ",": ".",
}


@dataclass(frozen=True, slots=True)
class PoolArticle:
    r"""One real article of the pool, split for recombination.

    Parameters
    ----------
    id, source, title, text : str
        As in ``news_pool`` (``text`` is the headline, a blank line and the body).
    paragraphs : tuple of tuple of str
        The body as paragraphs of sentences.
    separator : str
        What separates paragraphs in the original body (``"\n\n"`` for BBC, five spaces for
        Reuters, whose bodies are one line).
    """

    id: str
    source: str
    title: str
    text: str
    paragraphs: tuple[tuple[str, ...], ...]
    separator: str


@dataclass(frozen=True, slots=True)
class Pool:
    """The pool's articles, and all their sentences and headlines for sampling."""

    articles: tuple[PoolArticle, ...]
    sentences: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass(slots=True)
class _Draft:
    """A base document before it becomes an :class:`Article`."""

    title: str
    paragraphs: list[list[str]]
    separator: str
    text: str
    source: str
    origin: str
    kind: str


def _split_body(body: str) -> tuple[tuple[tuple[str, ...], ...], str]:
    separator = "\n\n" if "\n" in body.strip() else "     "
    paragraphs: list[tuple[str, ...]] = []
    for block in _PARAGRAPH_BREAK.split(body):
        flat = " ".join(block.split())
        if flat:
            paragraphs.append(tuple(s for s in _SENTENCE_BREAK.split(flat) if s))
    return tuple(paragraphs), separator


@lru_cache(maxsize=4)
def load_pool(path: Path) -> Pool:
    """Read and split the pool once per path (cached for the life of the process).

    Parameters
    ----------
    path : pathlib.Path
        The ``docs.jsonl.gz`` file (fields ``id``, ``source``, ``title``, ``text``).

    Returns
    -------
    Pool
        The articles in file order, with their sentences and headlines.
    """
    articles: list[PoolArticle] = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            text: str = record["text"]
            head, _, body = text.partition("\n\n")
            title = record.get("title") or head.strip()
            paragraphs, separator = _split_body(body if body else head)
            if not paragraphs:
                continue
            articles.append(
                PoolArticle(
                    id=str(record["id"]),
                    source=str(record.get("source") or ""),
                    title=title,
                    text=text,
                    paragraphs=paragraphs,
                    separator=separator,
                )
            )
    sentences = tuple(s for a in articles for p in a.paragraphs for s in p)
    titles = tuple(a.title for a in articles)
    return Pool(articles=tuple(articles), sentences=sentences, titles=titles)


def _render(title: str, paragraphs: Sequence[Sequence[str]], separator: str) -> str:
    body = separator.join(" ".join(p) for p in paragraphs if p)
    return f"{title}\n\n{body}"


def _real_base(article: PoolArticle) -> _Draft:
    return _Draft(
        title=article.title,
        paragraphs=[list(p) for p in article.paragraphs],
        separator=article.separator,
        text=article.text,
        source=article.source,
        origin=article.id,
        kind="real",
    )


def _mixed_base(rng: random.Random, pool: Pool) -> _Draft:
    """Swap three quarters of the sentences of a random real article for other real ones."""
    template = rng.choice(pool.articles)
    paragraphs = [list(p) for p in template.paragraphs]
    slots = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p))]
    n_keep = int(len(slots) * (1.0 - _REPLACE_RATE))
    for i, j in rng.sample(slots, len(slots) - n_keep):
        paragraphs[i][j] = rng.choice(pool.sentences)
    title = rng.choice(pool.titles) if rng.random() < _REPLACE_RATE else template.title
    return _Draft(
        title=title,
        paragraphs=paragraphs,
        separator=template.separator,
        text=_render(title, paragraphs, template.separator),
        source=template.source,
        origin=template.id,
        kind="mixed",
    )


def _trim(rng: random.Random, paragraphs: list[list[str]]) -> list[list[str]]:
    """Keep the leading 50-95 % of the paragraphs (or of the sentences, for short bodies)."""
    share = rng.uniform(0.5, 0.95)
    if len(paragraphs) >= 3:
        return paragraphs[: max(1, math.ceil(share * len(paragraphs)))]
    n_sentences = sum(len(p) for p in paragraphs)
    budget = max(1, math.ceil(share * n_sentences))
    out: list[list[str]] = []
    for p in paragraphs:
        if budget <= 0:
            break
        out.append(p[:budget])
        budget -= len(p)
    return out


def _add_or_drop(rng: random.Random, paragraphs: list[list[str]], pool: Pool) -> None:
    slots = [(i, j) for i, p in enumerate(paragraphs) for j in range(len(p))]
    if rng.random() < 0.5 and len(slots) > 2:
        i, j = rng.choice(slots[1:])
        del paragraphs[i][j]
    else:
        i, j = rng.choice(slots)
        paragraphs[i].insert(j + 1, rng.choice(pool.sentences))


def _substitute_words(rng: random.Random, paragraphs: list[list[str]], count: int) -> None:
    for _ in range(count):
        i = rng.randrange(len(paragraphs))
        if not paragraphs[i]:
            continue
        j = rng.randrange(len(paragraphs[i]))
        sentence = paragraphs[i][j]
        words = list(_WORD.finditer(sentence))
        if not words:
            continue
        known = [m for m in words if m.group().lower() in _SUBSTITUTES]
        match = rng.choice(known or words)
        word = match.group()
        new = _SUBSTITUTES.get(word.lower(), word[::-1].lower())
        if word[0].isupper():
            new = new.capitalize()
        paragraphs[i][j] = sentence[: match.start()] + new + sentence[match.end() :]


def _ocr_noise(rng: random.Random, text: str) -> str:
    rate = rng.uniform(0.004, 0.02)
    out: list[str] = []
    for char in text:
        if rng.random() < rate:
            roll = rng.random()
            if char in _OCR_CONFUSIONS and roll < 0.7:
                out.append(_OCR_CONFUSIONS[char])
            elif roll < 0.85 and not char.isspace():
                continue  # dropped character
            else:
                out.append(char)
                out.append(" " if not char.isspace() else "")  # split or kept word
        else:
            out.append(char)
    return "".join(out)


def _copy(rng: random.Random, base: _Draft, pool: Pool) -> tuple[str, str, str]:
    """Return ``(text, source, title)`` of a syndicated copy of ``base``."""
    site, host = rng.choice(_SITES)
    section = rng.choice(_SECTIONS)
    paragraphs = [list(p) for p in base.paragraphs]
    if rng.random() < 0.6:
        paragraphs = _trim(rng, paragraphs)
    if rng.random() < 0.5:
        _add_or_drop(rng, paragraphs, pool)
    _substitute_words(rng, paragraphs, rng.randint(0, 3))
    separator = base.separator if rng.random() < 0.5 else "\n\n"
    body = separator.join(" ".join(p) for p in paragraphs if p)
    title = base.title
    if rng.random() < 0.1:
        body = _ocr_noise(rng, body)
        title = _ocr_noise(rng, title)

    top: list[str] = []
    if rng.random() < 0.5:
        top.append("Skip to content")
    if rng.random() < 0.6:
        crumb = f"Home » {section}"
        top.append(crumb + (f" » {title}" if rng.random() < 0.3 else ""))
    head = [title]
    if rng.random() < 0.5:
        head.append(title)  # headline repeated (page title and article heading)
    if rng.random() < 0.6:
        head.append(rng.choice((f"By {site} Staff", f"By {section} Staff", f"{site} Wire Service")))
    bottom: list[str] = []
    if rng.random() < 0.6:
        bottom.append(
            rng.choice(("Share this: Facebook Twitter Email", "Share this:\nFacebook\nTwitter"))
        )
    if rng.random() < 0.6:
        bottom.append(f"© 2026 {site}. All rights reserved.")
    blocks = ["\n".join(top), "\n".join(head), body, "\n".join(bottom)]
    return "\n\n".join(b for b in blocks if b), host, title


def build_corpus(
    n_docs: int, *, data_dir: Path, seed: int = 0, copy_rate: float = 0.2
) -> tuple[list[Article], list[str]]:
    """Build a seeded corpus of real-text news with planted copy groups.

    Parameters
    ----------
    n_docs : int
        Number of documents.
    data_dir : pathlib.Path
        Folder holding ``news_pool/docs.jsonl.gz``.
    seed : int, default=0
        Seed of :class:`random.Random`; the same arguments always give the same corpus.
    copy_rate : float, default=0.2
        Share of the documents that are copies of earlier base documents.

    Returns
    -------
    articles : list of Article
        In stream order, with unique ids ``"d0000000"``, ... and increasing dates; ``meta``
        holds ``kind`` (``real``, ``mixed`` or ``copy``) and ``origin`` (the pool id the text
        came from).
    gold : list of str
        For each article, the id of its base document (its own id for a base document).

    Raises
    ------
    ValueError
        If ``n_docs`` is negative or ``copy_rate`` is outside ``[0, 1)``.
    """
    if n_docs < 0:
        msg = f"The 'n_docs' parameter must be >= 0. Got {n_docs!r} instead."
        raise ValueError(msg)
    if not 0.0 <= copy_rate < 1.0:
        msg = (
            f"The 'copy_rate' parameter must be in the range [0.0, 1.0). Got {copy_rate!r} instead."
        )
        raise ValueError(msg)
    pool = load_pool(Path(data_dir).resolve() / POOL_PATH)
    rng = random.Random(seed)
    n_copies = round(copy_rate * n_docs)
    n_base = n_docs - n_copies

    order = list(range(len(pool.articles)))
    rng.shuffle(order)
    bases = [_real_base(pool.articles[k]) for k in order[:n_base]]
    bases.extend(_mixed_base(rng, pool) for _ in range(n_base - len(bases)))
    rng.shuffle(bases)

    kinds = [True] * n_base + [False] * n_copies  # True: base document
    rng.shuffle(kinds)
    if kinds and not kinds[0]:
        kinds[kinds.index(True)] = False
        kinds[0] = True

    articles: list[Article] = []
    gold: list[str] = []
    emitted: list[tuple[str, _Draft]] = []  # base documents so far: (corpus id, draft)
    recent: list[tuple[str, _Draft]] = []  # originals of the latest copies
    when = _START
    for position, is_base in enumerate(kinds):
        doc_id = f"d{position:07d}"
        when += dt.timedelta(seconds=rng.randint(5, 90))
        date = when.isoformat()
        if is_base:
            draft = bases[len(emitted)]
            emitted.append((doc_id, draft))
            articles.append(
                Article(
                    id=doc_id,
                    text=draft.text,
                    source=draft.source,
                    title=draft.title,
                    date=date,
                    meta={"kind": draft.kind, "origin": draft.origin},
                )
            )
            gold.append(doc_id)
            continue
        if recent and rng.random() < _RECOPY_RATE:
            original = rng.choice(recent)
        else:
            original = rng.choice(emitted[-_COPY_WINDOW:])
        recent.append(original)
        del recent[:-_RECENT_COPIES]
        base_id, base = original
        text, host, title = _copy(rng, base, pool)
        articles.append(
            Article(
                id=doc_id,
                text=text,
                source=host,
                title=title,
                date=date,
                meta={"kind": "copy", "origin": base.origin},
            )
        )
        gold.append(base_id)
    return articles, gold


def fingerprint(articles: Sequence[Article]) -> str:
    """Return a short hash of the ids and texts of a corpus, to tell corpora apart in reports.

    Parameters
    ----------
    articles : sequence of Article
        The corpus, in order.

    Returns
    -------
    str
        32 hex digits of a BLAKE2b digest of every id and text.
    """
    digest = hashlib.blake2b(digest_size=16)
    for article in articles:
        digest.update(article.id.encode())
        digest.update(b"\x1f")
        digest.update(article.text.encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


def parse_corpus_sizes(text: str) -> list[int]:
    """Parse ``--sizes`` (``"10000,100_000"`` or ``"10k,100k"``) into sorted distinct sizes.

    Raises
    ------
    argparse.ArgumentTypeError
        If a part is not a positive integer (argparse reports it as a usage error).
    """
    msg = f"--sizes must be positive integers (or 10k) separated by commas. Got {text!r} instead."
    sizes: set[int] = set()
    for part in text.lower().replace("_", "").split(","):
        item = part.strip()
        if not item:
            continue
        scale = 1000 if item.endswith("k") else 1
        try:
            sizes.add(int(item.removesuffix("k")) * scale)
        except ValueError:
            raise argparse.ArgumentTypeError(msg) from None
    if not sizes or min(sizes) <= 0:
        raise argparse.ArgumentTypeError(msg)
    return sorted(sizes)
