"""Brute-force oracle for the near-duplicate engine.

Everything here is deliberately slow, pure Python and written from the documented rules, not
from the implementation: tokens are runs of letters and digits (Unicode categories ``L*``,
``N*`` and the combining marks ``M*`` that belong to them) after NFKC and case folding; a
hyphen followed by a line break inside a word (``"gov-\\nernment"``) joins the two lines; word
n-grams never span a line break (``"\\n"``); a line with fewer than ``n`` tokens adds nothing;
a document without any such n-gram is shingled across lines, and one with fewer than ``n``
tokens is a single shingle of all its tokens. With ``ocr_fold``, the characters OCR confuses
(``0``/``o``, ``1``/``l``/``i``, ``c``/``e``, ``b``/``h``) are folded inside tokens. Shingles are
token tuples, never hashes, so the oracle cannot share a hashing bug with the engine.

Grouping is the plain definition: connected components of the graph whose edges are the pairs
with exact Jaccard ``>= threshold`` or containment ``>= containment_threshold``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet

__all__ = [
    "brute_force_groups",
    "brute_force_pairs",
    "char_shingles",
    "connected_components",
    "containment",
    "fold",
    "is_connected",
    "jaccard",
    "partition",
    "tokenize",
    "word_shingles",
]

WordShingle = tuple[str, ...]

_CHAR_SPACE = re.compile("[ \t\n\r\x0b\x0c\xa0]+")
_OCR_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "c": "e", "b": "h"})


def fold(text: str, *, casefold: bool = True) -> str:
    """NFKC, then case folding, then NFKC again (case folding can un-normalise)."""
    out = unicodedata.normalize("NFKC", text)
    if casefold:
        out = unicodedata.normalize("NFKC", out.casefold())
    return out


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNM"


def tokenize(line: str) -> list[str]:
    """Runs of word characters of an already folded line."""
    tokens: list[str] = []
    current: list[str] = []
    for char in line:
        if _is_word_char(char):
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


def _join_wrapped_words(text: str) -> str:
    """Drop every ``-\\n`` that sits between two word characters."""
    out: list[str] = []
    k = 0
    while k < len(text):
        if (
            text.startswith("-\n", k)
            and out
            and _is_word_char(out[-1])
            and k + 2 < len(text)
            and _is_word_char(text[k + 2])
        ):
            k += 2
            continue
        out.append(text[k])
        k += 1
    return "".join(out)


def _ngrams(tokens: Sequence[str], n: int) -> set[WordShingle]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def word_shingles(text: str, n: int, *, ocr_fold: bool = False) -> set[WordShingle]:
    """The word n-gram set of ``text`` under the documented rules."""
    lines = [tokenize(line) for line in _join_wrapped_words(fold(text)).split("\n")]
    if ocr_fold:
        lines = [[tok.translate(_OCR_FOLD) for tok in tokens] for tokens in lines]
    shingles: set[WordShingle] = set()
    for tokens in lines:
        shingles |= _ngrams(tokens, n)
    if shingles:
        return shingles
    every = [tok for tokens in lines for tok in tokens]
    if not every:
        return set()
    if len(every) < n:
        return {tuple(every)}
    return _ngrams(every, n)


def char_shingles(text: str, n: int) -> set[str]:
    """Character n-grams after folding, with every whitespace run folded to one space."""
    flat = _CHAR_SPACE.sub(" ", fold(text)).strip(" ")
    if not flat:
        return set()
    if len(flat) < n:
        return {flat}
    return {flat[i : i + n] for i in range(len(flat) - n + 1)}


def jaccard(a: AbstractSet[Hashable], b: AbstractSet[Hashable]) -> float:
    """Exact Jaccard similarity; 0.0 when both sets are empty."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def containment(a: AbstractSet[Hashable], b: AbstractSet[Hashable]) -> float:
    """Share of the smaller set found in the larger; 0.0 when either set is empty."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def brute_force_pairs(
    sets: Sequence[AbstractSet[Hashable]],
    *,
    threshold: float,
    containment_threshold: float | None,
) -> list[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, that is a duplicate by exact comparison."""
    pairs = []
    for i, j in itertools.combinations(range(len(sets)), 2):
        a, b = sets[i], sets[j]
        if not a or not b or a.isdisjoint(b):
            continue
        if jaccard(a, b) >= threshold or (
            containment_threshold is not None and containment(a, b) >= containment_threshold
        ):
            pairs.append((i, j))
    return pairs


def connected_components(n: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """Component label of every node: the smallest node of its component."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    return [find(i) for i in range(n)]


def is_connected(members: Sequence[int], pairs: Iterable[tuple[int, int]]) -> bool:
    """Whether ``members`` form one connected subgraph using only edges among themselves."""
    index = {m: k for k, m in enumerate(members)}
    inner = [(index[i], index[j]) for i, j in pairs if i in index and j in index]
    return len(set(connected_components(len(members), inner))) <= 1


def brute_force_groups(
    texts: Sequence[str],
    *,
    threshold: float = 0.5,
    containment_threshold: float | None = 0.85,
    shingle_size: int = 5,
    ocr_fold: bool = False,
) -> tuple[list[int], list[tuple[int, int]]]:
    """Brute-force labels (connected components) and the duplicate pairs behind them."""
    sets = [frozenset(word_shingles(t, shingle_size, ocr_fold=ocr_fold)) for t in texts]
    pairs = brute_force_pairs(
        sets, threshold=threshold, containment_threshold=containment_threshold
    )
    return connected_components(len(texts), pairs), pairs


def partition(labels: Sequence[Hashable], ids: Sequence[str] | None = None) -> set[frozenset[str]]:
    """A labelling as a set of groups of ids, so that two labellings compare up to renaming."""
    names = [str(i) for i in range(len(labels))] if ids is None else list(ids)
    groups: dict[Hashable, set[str]] = {}
    for name, label in zip(names, labels, strict=True):
        groups.setdefault(label, set()).add(name)
    return {frozenset(g) for g in groups.values()}
