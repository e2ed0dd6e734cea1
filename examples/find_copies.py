"""Find the wire copies in the bundled sample corpus, step by step.

Run from the repository root::

    python examples/find_copies.py
"""

from __future__ import annotations

from pathlib import Path

import storymatch as sm
from storymatch.dedup import MinHasher

SAMPLE = Path(__file__).resolve().parent / "sample" / "articles.jsonl"


def main() -> None:
    """Group the sample, then look at one copy pair up close."""
    articles = sm.read_articles(SAMPLE).articles
    by_id = {a.id: a for a in articles}

    # 1. One call: every group, singletons included, representative first.
    clusterer = sm.NearDuplicateClusterer()
    clusterer.fit(articles)
    for group in clusterer.groups_:
        if len(group) == 1:
            continue
        print(f"{group.id}: {by_id[group.representative].title}")
        for member, similarity in zip(group.members[1:], group.similarities[1:], strict=True):
            print(f"    {member:<40} Jaccard {similarity:.2f}")
    print(clusterer.stats_)

    # 2. The pieces: MinHash signatures estimate the Jaccard similarity that the clusterer
    #    then verifies exactly on the shingle sets.
    original = by_id["e1-ledger-wire"]
    trimmed = by_id["e1-ledger-wire~copy-dailyroundup"]
    hasher = MinHasher(num_perm=256, seed=1, ocr_fold=True)
    signatures = hasher.signatures([original.text, trimmed.text])
    print(f"estimated Jaccard of the trimmed copy: {signatures.jaccard(0, j=1):.2f}")

    # 3. The evaluation helpers compare a grouping with gold labels.
    gold = [a.meta["cluster"] for a in articles]
    print(sm.evaluate_clustering(gold, clusterer.labels_.tolist()))


if __name__ == "__main__":
    main()
