"""Anchor baselines for the benchmarks: the pipelines a user would write by hand.

- :func:`datasketch_dedup`: near-duplicate grouping with datasketch (word 5-grams,
  ``MinHash.bulk``, ``MinHashLSH``, exact Jaccard check, union-find), the anchor of every
  near-duplicate benchmark; :func:`datasketch_lsh_params` gives its bands and rows.
- :func:`rensa_dedup`: the same pipeline with rensa's MinHash and LSH (a second anchor in
  ``storymatch bench speed`` when rensa is installed).
- :func:`pair_baseline_scores`: rapidfuzz ``token_set_ratio`` and TF-IDF cosine, the sentence
  pair anchors of ``storymatch bench quality``.

Run ``python -m benchmarks.baselines [--data DIR]`` from the repository root to score the
datasketch near-duplicate baseline on ``DIR/syndication/docs.jsonl.gz`` (``DIR`` defaults to
``../shared/data``) against its gold ``cluster`` labels.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "datasketch_dedup",
    "datasketch_lsh_params",
    "main",
    "pair_baseline_scores",
    "rensa_bands",
    "rensa_dedup",
]

_WORD = re.compile(r"\w+")
_DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _shingles(text: str, shingle_size: int) -> frozenset[str]:
    """Return the word ``shingle_size``-grams of ``text`` as space-joined strings.

    A text with fewer than ``shingle_size`` words is one shingle of all its words (the empty
    string for a text without words).
    """
    words = _WORD.findall(text.lower())
    if len(words) < shingle_size:
        return frozenset([" ".join(words)])
    return frozenset(
        " ".join(words[i : i + shingle_size]) for i in range(len(words) - shingle_size + 1)
    )


def _find(parent: list[int], item: int) -> int:
    """Return the root of ``item``, halving the path on the way."""
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def datasketch_lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Return the number of bands and rows per band that datasketch picks.

    Parameters
    ----------
    threshold : float
        The Jaccard threshold given to :class:`datasketch.MinHashLSH`.
    num_perm : int
        The number of permutations of the MinHash signatures.

    Returns
    -------
    tuple of (int, int)
        ``(b, r)``: bands and rows per band, chosen by datasketch to minimise the weighted
        false-positive and false-negative probabilities (default weights 0.5/0.5).
    """
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def datasketch_dedup(
    texts: Sequence[str],
    *,
    threshold: float = 0.3,
    num_perm: int = 128,
    shingle_size: int = 5,
    verify: bool = True,
    seed: int = 1,
) -> list[int]:
    r"""Group near-duplicate texts with datasketch's MinHash and MinHashLSH.

    Each text is lower-cased, split into ``\w+`` words and turned into the set of its word
    ``shingle_size``-grams; the sets are hashed with :meth:`datasketch.MinHash.bulk`, inserted
    into a :class:`datasketch.MinHashLSH` and every text is queried against the index. Candidate
    pairs (optionally verified by exact Jaccard) are joined with union-find.

    Parameters
    ----------
    texts : sequence of str
        The documents.
    threshold : float, default=0.3
        Jaccard threshold of the LSH index and, with ``verify``, of the exact check.
    num_perm : int, default=128
        Number of MinHash permutations.
    shingle_size : int, default=5
        Words per shingle; a shorter text is one shingle of all its words.
    verify : bool, default=True
        Keep only candidate pairs whose exact shingle-set Jaccard is at least ``threshold``.
        Without it every LSH collision joins a group (more false positives, faster).
    seed : int, default=1
        Seed of the MinHash permutations.

    Returns
    -------
    list of int
        One label per text: the index of the smallest member of its group.
    """
    from datasketch import MinHash, MinHashLSH

    shingle_sets = [_shingles(text, shingle_size) for text in texts]
    minhashes = MinHash.bulk(
        [[s.encode("utf8") for s in shingles] for shingles in shingle_sets],
        num_perm=num_perm,
        seed=seed,
    )
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for key, minhash in enumerate(minhashes):
            session.insert(key, minhash, check_duplication=False)

    parent = list(range(len(texts)))
    for i, minhash in enumerate(minhashes):
        for j in lsh.query(minhash):
            if j <= i:
                continue
            if verify:
                left, right = shingle_sets[i], shingle_sets[j]
                if len(left & right) / len(left | right) < threshold:
                    continue
            root_i, root_j = _find(parent, i), _find(parent, j)
            if root_i != root_j:
                # The smaller index becomes the root, so roots are component minima.
                parent[max(root_i, root_j)] = min(root_i, root_j)
    return [_find(parent, i) for i in range(len(texts))]


# ---------------------------------------------------------------------------------- rensa
def rensa_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands that divide ``num_perm`` (rensa needs that), chosen like datasketch's."""
    from datasketch.lsh import _false_negative_probability, _false_positive_probability

    pairs = [(b, num_perm // b) for b in range(1, num_perm + 1) if num_perm % b == 0]
    return min(
        pairs,
        key=lambda p: (
            0.5 * _false_positive_probability(threshold, *p)
            + 0.5 * _false_negative_probability(threshold, *p)
        ),
    )


def rensa_dedup(texts: Sequence[str], *, threshold: float = 0.3, num_perm: int = 128) -> list[int]:
    """Group near-duplicates like the datasketch anchor, with rensa's MinHash and LSH.

    Word 5-gram shingles as :func:`benchmarks.baselines.datasketch_dedup` makes them, an exact
    Jaccard check of every candidate pair and union-find; the LSH bands are the datasketch choice
    among those that divide ``num_perm``.
    """
    import rensa

    sets = [_shingles(text, 5) for text in texts]
    hashes = []
    for shingles in sets:
        minhash = rensa.RMinHash(num_perm=num_perm, seed=1)
        minhash.update(list(shingles))
        hashes.append(minhash)
    bands, _ = rensa_bands(threshold, num_perm)
    lsh = rensa.RMinHashLSH(threshold=threshold, num_perm=num_perm, num_bands=bands)
    for key, minhash in enumerate(hashes):
        lsh.insert(key, minhash)
    parent = list(range(len(texts)))
    for i, minhash in enumerate(hashes):
        for j in lsh.query(minhash):
            if j <= i:
                continue
            left, right = sets[i], sets[j]
            if len(left & right) / len(left | right) < threshold:
                continue
            root_i, root_j = _find(parent, i), _find(parent, j)
            if root_i != root_j:
                parent[max(root_i, root_j)] = min(root_i, root_j)
    return [_find(parent, i) for i in range(len(texts))]


# ---------------------------------------------------------------------------------- pairs
def pair_baseline_scores(a: Sequence[str], b: Sequence[str]) -> dict[str, np.ndarray[Any, Any]]:
    """Score sentence pairs with the two pair anchors: rapidfuzz and TF-IDF cosine.

    Returns
    -------
    dict
        ``{"rapidfuzz token_set_ratio": scores, "TF-IDF cosine": scores}``, one score in
        [0, 1] per pair (the TF-IDF vocabulary is fitted on both sides of all pairs).
    """
    from rapidfuzz import fuzz
    from sklearn.feature_extraction.text import TfidfVectorizer

    fuzzy = np.array([fuzz.token_set_ratio(x, y) / 100.0 for x, y in zip(a, b, strict=True)])
    vectorizer = TfidfVectorizer(sublinear_tf=True).fit(list(a) + list(b))
    left, right = vectorizer.transform(a), vectorizer.transform(b)
    cosine = np.asarray(left.multiply(right).sum(axis=1)).ravel()
    return {"rapidfuzz token_set_ratio": fuzzy, "TF-IDF cosine": cosine}


# ---------------------------------------------------------------------------------- main
def _load(path: Path) -> tuple[list[str], list[str]]:
    """Read the texts and gold ``cluster`` labels of a JSONL(.gz) file."""
    texts: list[str] = []
    clusters: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                texts.append(record["text"])
                clusters.append(record["cluster"])
    return texts, clusters


def main(argv: Sequence[str] | None = None) -> None:
    """Score the datasketch baseline on the syndication set and print quality and time.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        Command-line arguments (``sys.argv[1:]`` when None).
    """
    from storymatch.evaluate import evaluate_clustering

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.baselines", description=main.__doc__
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=_DEFAULT_DATA,
        help="folder holding syndication/docs.jsonl.gz (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    path = args.data / "syndication" / "docs.jsonl.gz"
    texts, gold = _load(path)
    print(f"{path}: {len(texts)} documents, {len(set(gold))} gold groups")
    print(
        f"{'threshold':>9} {'verify':>6} {'b x r':>7} {'ARI':>6} {'B3-P':>6} {'B3-R':>6} "
        f"{'B3-F1':>6} {'pair-F1':>7} {'groups':>6} {'time s':>7} {'docs/s':>7}"
    )
    for threshold, verify in ((0.3, True), (0.3, False), (0.8, True), (0.8, False)):
        bands, rows = datasketch_lsh_params(threshold, 128)
        start = time.perf_counter()
        labels = datasketch_dedup(texts, threshold=threshold, verify=verify)
        elapsed = time.perf_counter() - start
        scores = evaluate_clustering(gold, labels)
        print(
            f"{threshold:>9.2f} {verify!s:>6} {f'{bands}x{rows}':>7} {scores.ari:>6.3f} "
            f"{scores.bcubed.precision:>6.3f} {scores.bcubed.recall:>6.3f} "
            f"{scores.bcubed.f1:>6.3f} {scores.pairwise.f1:>7.3f} "
            f"{scores.n_pred_clusters:>6d} {elapsed:>7.2f} {len(texts) / elapsed:>7.0f}"
        )


if __name__ == "__main__":
    main()
