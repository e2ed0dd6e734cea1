"""The executor side of the Spark engine, run in this process on pandas batches (no JVM).

These functions run inside ``mapInPandas`` on the executors, where coverage cannot follow them;
here each is checked against the local engine's own result for the same documents.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.dedup.spark.support import require_modules

from storymatch.dedup import NearDuplicateClusterer
from storymatch.dedup.lsh import pairs_from_keys
from storymatch.dedup.spark import (
    _format_lines,
    _group_batches,
    _hash_batches,
    _local_edges,
    _local_path,
    _pair_batches,
    _sets_from_blobs,
    _verify_batches,
    find_duplicates,
)
from storymatch.dedup.verify import hash_corpus, is_duplicate, similarities
from storymatch.errors import MissingDependencyError
from storymatch.models import Article


@pytest.fixture(scope="module")
def pd() -> Any:
    require_modules("pandas")
    import pandas

    return pandas


def test_missing_pyspark_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(MissingDependencyError, match=r"storymatch\[spark\]"):
        find_duplicates(object())  # type: ignore[arg-type]
    with pytest.raises(ImportError, match="missing: pyspark"):
        find_duplicates(object())  # type: ignore[arg-type]


def _hashed(pd: Any, articles: Sequence[Article], clusterer: NearDuplicateClusterer) -> Any:
    bands, rows, _ = clusterer.check_params()
    frame = pd.DataFrame(
        {
            "_ord": np.arange(len(articles), dtype=np.int64) * 10,
            "id": [a.id for a in articles],
            "text": [a.text for a in articles],
            "date": [a.date for a in articles],
        }
    )
    halves = [frame.iloc[:9], frame.iloc[9:9], frame.iloc[9:]]  # an empty batch is skipped
    parts = _hash_batches(iter(halves), clusterer=clusterer, bands=bands, rows=rows)
    return pd.concat(list(parts), ignore_index=True)


def test_hashing_is_the_local_engines(pd, sample):
    clusterer = NearDuplicateClusterer()
    bands, rows, _ = clusterer.check_params()
    hashed = _hashed(pd, sample, clusterer)
    sets, keys = hash_corpus(
        [a.text for a in sample],
        clusterer.make_hasher(),
        bands=bands,
        rows=rows,
        strip_boilerplate=clusterer.strip_boilerplate,
    )
    assert hashed["_ord"].tolist() == [10 * i for i in range(len(sample))]
    assert hashed["length"].tolist() == [len(a.text) for a in sample]
    assert hashed["n"].tolist() == sets.sizes.tolist()
    again = _sets_from_blobs(hashed["shingles"].tolist())
    assert np.array_equal(again.offsets, sets.offsets)
    assert np.array_equal(again.values, sets.values)
    assert np.array_equal(np.stack(hashed["keys"].tolist()).view(np.uint64), keys)


@pytest.mark.parametrize("batch", [1, 3, 7, 1000])
@pytest.mark.parametrize("max_bucket", [2, 3, 64])
def test_bucket_pairs_are_the_local_ones(pd, max_bucket, batch):
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 6, size=(40, 3)).astype(np.uint64)  # big buckets in every band
    keys[:, 2] = np.arange(40) // 2  # and pairs in one band
    valid = np.ones(40, dtype=bool)
    valid[[3, 17]] = False
    expected = pairs_from_keys(keys, valid, max_bucket=max_bucket)
    ords = np.arange(40, dtype=np.int64) * 1000 + 7  # any increasing ids will do
    rows = pd.DataFrame(
        {
            "_ord": np.repeat(ords[valid], 3),
            "band": np.tile(np.arange(3), int(valid.sum())),
            "key": keys[valid].reshape(-1).view(np.int64),
        }
    ).sort_values(["band", "key", "_ord"], ignore_index=True)
    batches = (rows.iloc[k : k + batch] for k in [*range(0, len(rows), batch), len(rows)])
    got = pd.concat(list(_pair_batches(batches, max_bucket=max_bucket)))
    found = list(zip(got["a"].tolist(), got["b"].tolist(), strict=True))
    assert set(found) == {(int(ords[i]), int(ords[j])) for i, j in expected.tolist()}
    assert all(a < b for a, b in found)


def test_verification_keeps_what_the_local_engine_keeps(pd, sample):
    clusterer = NearDuplicateClusterer()
    hashed = _hashed(pd, sample, clusterer)
    n = len(sample)
    a, b = np.triu_indices(n, k=1)
    blobs = hashed["shingles"].tolist()
    frame = pd.DataFrame(
        {
            "a": a * 10,
            "b": b * 10,
            "sa": [blobs[i] for i in a],
            "sb": [blobs[j] for j in b],
        }
    )
    out = pd.concat(list(_verify_batches(iter([frame, frame.iloc[:0]]), clusterer=clusterer)))
    kept = set(zip(out["a"].tolist(), out["b"].tolist(), strict=True))
    model = clusterer.fit(sample)
    assert kept  # the sample has copies
    for x, y in kept:  # every kept pair is in one local group (before the guard, at least)
        assert model.labels_[x // 10] == model.labels_[y // 10]


def _group_frame(pd: Any, hashed: Any, clusterer: NearDuplicateClusterer) -> Any:
    """The rows the Spark plan feeds to the guard, built the local engine's way."""
    from storymatch import _kernels

    n = len(hashed)
    sets = _sets_from_blobs(hashed["shingles"].tolist())
    keys = np.stack(hashed["keys"].tolist()).view(np.uint64)
    pairs = pairs_from_keys(keys, hashed["n"].to_numpy() > 0, max_bucket=clusterer.max_bucket)
    jac, con = similarities(sets, pairs[:, 0], pairs[:, 1])
    kept = pairs[
        is_duplicate(
            jac,
            con,
            threshold=clusterer.threshold,
            containment_threshold=clusterer.containment_threshold,
        )
    ]
    root = _kernels.union_find(n, kept[:, 0], kept[:, 1])
    sizes = np.bincount(root, minlength=n)[root]
    ords = hashed["_ord"].to_numpy()
    neighbours: dict[int, list[int]] = {}
    for i, j in kept.tolist():
        neighbours.setdefault(int(ords[i]), []).append(int(ords[j]))
    frame = hashed[["_ord", "id", "date", "length", "shingles"]].copy()
    frame["shingles"] = [
        s if k > 1 else None for s, k in zip(frame["shingles"], sizes, strict=True)
    ]
    frame["nbrs"] = [neighbours.get(int(o)) for o in ords]
    frame["comp"] = ords[root]
    return frame.sort_values(["comp", "_ord"], kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("batch", [1, 2, 5, 100])
def test_groups_across_batch_boundaries_are_the_local_ones(pd, sample, batch):
    clusterer = NearDuplicateClusterer(chain_guard=0.9)
    hashed = _hashed(pd, sample, clusterer)
    model = NearDuplicateClusterer(chain_guard=0.9).fit(sample)
    frame = _group_frame(pd, hashed, clusterer)
    batches: Iterator[Any] = (
        frame.iloc[k : k + batch] for k in [*range(0, len(frame), batch), len(frame)]
    )
    out = pd.concat(list(_group_batches(batches, clusterer=clusterer)), ignore_index=True)
    assert sorted(out["_ord"].tolist()) == [10 * i for i in range(len(sample))]
    got = {r.id: (r.group, r.representative, r.similarity) for r in out.itertuples(index=False)}
    sims = np.round(model.similarities_, 6).tolist()
    expected = {
        a.id: (g.id, g.representative, s)
        for a, g, s in zip(sample, model.document_groups(), sims, strict=True)
    }
    assert got == expected
    assert model.stats_.n_chain_splits > 0  # the guard did split something here


def test_local_edges_map_ords_to_positions():
    ords = np.array([50, 20, 90], dtype=np.int64)
    left, right = _local_edges(ords, [[90], None, np.array([50, 90])])
    assert left.tolist() == [0, 2, 2]
    assert right.tolist() == [2, 0, 2]
    left, right = _local_edges(ords, [None, None, None])
    assert left.size == right.size == 0


def test_sets_from_blobs_reads_none_as_empty():
    blob = np.array([3, 9], dtype=np.uint64).tobytes()
    sets = _sets_from_blobs([None, blob, b""])
    assert sets.sizes.tolist() == [0, 2, 0]
    assert sets[1].tolist() == [3, 9]
    assert sets.values.flags.writeable


def test_format_lines_match_the_local_cli(pd):
    frame = pd.DataFrame(
        {
            "id": ['é"1', "b"],
            "group": ["g-1", "g-2"],
            "representative": ['é"1', "b"],
            "similarity": [1.0, 0.123456],
        }
    )
    (out,) = _format_lines(iter([frame]))
    rows = [json.loads(v) for v in out["value"]]
    assert out["value"].tolist() == [
        json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows
    ]
    assert rows[1] == {"id": "b", "group": "g-2", "representative": "b", "similarity": 0.123456}


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("out/x", Path("out/x")),
        ("file:///tmp/x", Path("/tmp/x")),
        ("file:/tmp/x", Path("/tmp/x")),
        ("s3a://bucket/x", None),
    ],
)
def test_local_path(uri, expected):
    assert _local_path(uri) == expected


def test_the_old_module_name_still_works_with_a_warning():
    import storymatch.dedup.spark as engine
    import storymatch.spark as old

    with pytest.warns(DeprecationWarning, match=r"storymatch\.dedup\.spark\.find_duplicates"):
        assert old.find_duplicates is engine.find_duplicates
    with pytest.raises(AttributeError, match="_session"):
        old._session  # noqa: B018 - only the public names are forwarded
