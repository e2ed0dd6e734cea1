"""Calls the public API the way users write it. Type-checked by mypy, never executed.

If a signature or a return type changes in a way that breaks this file, users' code breaks too.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

import storymatch as sm
from storymatch.dedup import LSHIndex, Match, MinHasher, Signatures, optimal_params
from storymatch.io import ReadResult, SkippedRecord, atomic_write


def read_and_group(path: str) -> list[sm.DuplicateGroup]:
    result: ReadResult = sm.read_articles(path, on_error="skip")
    skipped: tuple[SkippedRecord, ...] = result.skipped
    assert all(isinstance(s.line, int) for s in skipped)
    groups: list[sm.DuplicateGroup] = sm.find_duplicates(result.articles, threshold=0.6)
    return groups


def estimator(texts: list[str]) -> npt.NDArray[np.int64]:
    clusterer = sm.NearDuplicateClusterer(threshold=0.5, containment_threshold=None)
    labels: npt.NDArray[np.int64] = clusterer.fit_predict(texts)
    params: dict[str, object] = clusterer.get_params()
    assert "threshold" in params
    sims: npt.NDArray[np.float64] = clusterer.similarities_
    assert sims.shape == labels.shape
    return labels


def signatures_and_index(texts: list[str]) -> list[Match]:
    hasher = MinHasher(num_perm=64, seed=3)
    sigs: Signatures = hasher.signatures(texts)
    estimate: float = sigs.jaccard(0, j=1)
    assert 0.0 <= estimate <= 1.0
    bands, rows = optimal_params(0.5, 64)
    index = LSHIndex(threshold=0.5, num_perm=64, bands=bands, rows=rows)
    index.insert_many([str(i) for i in range(len(texts))], sigs, hasher.shingles(texts))
    return index.query(sigs, 0, hasher.shingles(texts))


def write(path: str, groups: list[sm.DuplicateGroup]) -> int:
    with atomic_write(path + ".txt") as fh:
        fh.write("ok\n")
    return sm.write_jsonl(path, (g.to_dict() for g in groups))


def normalise(text: str) -> str:
    return sm.normalize(text, casefold=False)


def notebook(path: str) -> None:
    result = sm.read_articles(path, id_field="article_id", text_field="body", on_error="skip")
    analysis: sm.Analysis = sm.analyze(result.articles, progress=True)
    frames = analysis.to_frames()
    assert set(frames) >= {"articles", "claims", "coverage"}
    for comparison in analysis.comparisons.values():
        assert comparison.to_frame() is not None
    quiet: list[sm.DuplicateGroup] = sm.find_duplicates(result.articles, progress=False)
    assert quiet
