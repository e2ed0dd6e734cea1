"""Tests for LSHIndex on every storage backend: the local engine's groups, idempotent adds,
remembered settings, and several processes sharing one index."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.dedup.backends import make_storage
from tests.strategies import planted_corpus

from storymatch.cli import sample_path
from storymatch.dedup import LSHIndex, MinHasher, NearDuplicateClusterer, Signatures
from storymatch.dedup.storage import MemoryStorage, SQLiteStorage, Storage
from storymatch.errors import IncompatibleSignatureError, InvalidParameterError, StorageError
from storymatch.io import read_articles
from storymatch.models import Article, DuplicateGroup

REPO = Path(__file__).resolve().parents[2]


def _sample() -> list[Article]:
    return list(read_articles(sample_path()).articles)


def _planted(seed: int, n_originals: int) -> list[Article]:
    # dates on some documents, so that representatives are chosen by date and by length
    return [
        Article(id=d.id, text=d.text, date=f"2026-03-{1 + i % 28:02d}" if i % 3 else None)
        for i, d in enumerate(planted_corpus(seed, n_originals=n_originals))
    ]


def _as_set(groups: list[DuplicateGroup]) -> list[tuple[object, ...]]:
    return sorted((g.id, g.representative, g.members, g.similarities) for g in groups)


# --------------------------------------------------------------------------- same groups


def test_groups_equal_the_clusterer_on_the_sample(storage: Storage) -> None:
    articles = _sample()
    clusterer = NearDuplicateClusterer()
    expected = clusterer.fit(articles).groups_
    index = LSHIndex.from_clusterer(clusterer, storage=storage)
    assert index.add_articles(articles, batch_size=5) == len(articles)
    assert index.groups() == expected
    assert any(len(g) > 1 for g in expected)
    assert storage.check() == []


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="defaults"),
        pytest.param(
            {"threshold": 0.3, "containment_threshold": None, "chain_guard": None},
            id="jaccard-only",
        ),
        pytest.param({"kind": "char", "shingle_size": 7, "strip_boilerplate": False}, id="char"),
    ],
)
def test_groups_equal_the_clusterer_on_a_planted_corpus(
    storage: Storage, options: dict[str, Any]
) -> None:
    articles = _planted(seed=21, n_originals=60)
    clusterer = NearDuplicateClusterer(**options)
    expected = clusterer.fit(articles).groups_
    index = LSHIndex.from_clusterer(clusterer, storage=storage)
    index.add_articles(articles, batch_size=64)
    assert index.groups() == expected
    assert sum(len(g) > 1 for g in expected) > 10


def test_query_articles_returns_verified_matches(storage: Storage) -> None:
    articles = _planted(seed=22, n_originals=30)
    clusterer = NearDuplicateClusterer()
    groups = clusterer.fit(articles).groups_
    index = LSHIndex.from_clusterer(clusterer, storage=storage)
    index.add_articles(articles)
    reference = LSHIndex.from_clusterer(clusterer)
    reference.add_articles(articles)
    results = dict(index.query_articles(articles, batch_size=17))
    assert results == dict(reference.query_articles(articles))
    assert set(results) == {a.id for a in articles}
    for key, matches in results.items():
        assert key not in [m.id for m in matches]
        assert [(-m.jaccard, m.id) for m in matches] == sorted((-m.jaccard, m.id) for m in matches)
        for m in matches:
            assert m.jaccard >= 0.5 or m.containment >= 0.8
    # every member of a group has a verified edge to some document, which the query finds
    for group in groups:
        for member in group.members if len(group) > 1 else ():
            assert results[member], member


def test_adding_articles_again_is_idempotent(storage: Storage) -> None:
    articles = _sample()
    index = LSHIndex.from_clusterer(NearDuplicateClusterer(), storage=storage)
    index.add_articles(articles)
    before = [(d.key, d.seq) for d in storage.documents()]
    groups = index.groups()
    index.add_articles(articles)
    index.add_articles(articles[:3])
    assert [(d.key, d.seq) for d in storage.documents()] == before
    assert index.groups() == groups


def test_an_edited_article_replaces_its_old_version(storage: Storage) -> None:
    articles = _sample()
    index = LSHIndex.from_clusterer(NearDuplicateClusterer(), storage=storage)
    index.add_articles(articles)
    group = next(g for g in index.groups() if len(g) > 1)
    copy = group.members[1]
    index.add_articles([Article(id=copy, text="an unrelated text about the weather in spring")])
    assert len(index) == len(articles)
    assert all(copy not in g.members or len(g) == 1 for g in index.groups())


def test_remove(storage: Storage) -> None:
    articles = _sample()
    index = LSHIndex.from_clusterer(NearDuplicateClusterer(), storage=storage)
    index.add_articles(articles)
    group = next(g for g in index.groups() if len(g) > 1)
    for member in group.members[1:]:
        index.remove(member)
        assert member not in index
    with pytest.raises(KeyError):
        index.remove(group.members[1])
    assert len(index) == len(articles) - len(group) + 1
    rep = next(a for a in articles if a.id == group.representative)
    [(_, matches)] = list(index.query_articles([rep]))
    assert group.members[1] not in {m.id for m in matches}
    assert storage.check() == []


def test_signatures_without_shingles_use_the_estimate_and_stay_alone(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    hasher = MinHasher(num_perm=64)
    texts = ["the council approved the new budget on tuesday after a long debate"] * 2
    index = LSHIndex(num_perm=64, storage=storage)
    index.insert_many(["a", "b"], hasher.signatures(texts))
    [matches] = index.query_many(hasher.signatures(texts[:1]), hasher.shingles(texts[:1]))
    assert [m.id for m in matches] == ["a", "b"]
    assert np.isnan(matches[0].containment)
    with caplog.at_level(logging.WARNING, logger="storymatch.dedup.index"):
        groups = index.groups()
    assert [g.members for g in groups] == [("a",), ("b",)]
    assert "2 of 2 documents have no shingle fingerprint" in caplog.text


def test_empty_index_and_empty_queries(storage: Storage) -> None:
    index = LSHIndex.from_clusterer(NearDuplicateClusterer(), storage=storage)
    assert index.groups() == []
    assert list(index.query_articles([Article(id="x", text="")])) == [("x", [])]
    index.add_articles([Article(id="e", text=""), Article(id="f", text="  ")])
    assert [g.members for g in index.groups()] == [("e",), ("f",)]


# --------------------------------------------------------------------------- settings


def test_a_store_remembers_its_settings(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    storage = make_storage(backend, request, tmp_path)
    clusterer = NearDuplicateClusterer(threshold=0.6, shingle_size=4, seed=3)
    index = LSHIndex.from_clusterer(clusterer, storage=storage)
    index.add_articles(_sample())
    opened = LSHIndex.open(storage)
    for name in (
        "threshold", "num_perm", "bands", "rows", "containment_threshold", "chain_guard",
        "max_bucket", "strip_boilerplate",
    ):  # fmt: skip
        assert getattr(opened, name) == getattr(index, name), name
    assert repr(opened.hasher) == repr(index.hasher)
    assert opened.groups() == index.groups()
    # the same settings open it again; different ones are refused with a clear message
    LSHIndex.from_clusterer(clusterer, storage=storage)
    with pytest.raises(IncompatibleSignatureError, match=r"threshold=0\.6 \(given 0\.5\)"):
        LSHIndex.from_clusterer(NearDuplicateClusterer(shingle_size=4, seed=3), storage=storage)
    with pytest.raises(IncompatibleSignatureError, match=r"LSHIndex\.open"):
        LSHIndex(storage=storage)
    storage.close()


def test_signature_settings_are_shared_through_the_store(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    text = "one two three four five six seven eight nine ten"
    first = LSHIndex(num_perm=64, storage=SQLiteStorage(path))
    second = LSHIndex(num_perm=64, storage=SQLiteStorage(path))
    first.insert_many(["a"], MinHasher(num_perm=64, seed=1).signature(text))
    with pytest.raises(IncompatibleSignatureError, match="seed, shingling, version"):
        second.insert_many(["b"], MinHasher(num_perm=64, seed=2).signature(text))
    with pytest.raises(IncompatibleSignatureError):
        LSHIndex.open(SQLiteStorage(path)).query(MinHasher(num_perm=64, seed=2).signature(text))
    # a query alone does not write the settings
    third = LSHIndex(num_perm=64, storage=SQLiteStorage(tmp_path / "j.sqlite"))
    third.query(MinHasher(num_perm=64, seed=5).signature(text))
    assert third.storage.get_meta("signatures") is None
    third.insert_many(["a"], MinHasher(num_perm=64, seed=5).signature(text))
    assert json.loads(third.storage.get_meta("signatures") or "") == [5, "word:5:ocr", 1]


def test_open_refuses_an_empty_or_foreign_store(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="holds no index yet"):
        LSHIndex.open(MemoryStorage())
    storage = MemoryStorage()
    storage.init_meta("settings", json.dumps({"format": 99, "signature_version": 1}))
    with pytest.raises(StorageError, match="format 99"):
        LSHIndex.open(storage)


@pytest.mark.parametrize(
    ("options", "name"),
    [
        pytest.param({"containment_threshold": 1.5}, "containment_threshold", id="containment"),
        pytest.param({"chain_guard": -0.1}, "chain_guard", id="chain-guard"),
        pytest.param({"max_bucket": 1}, "max_bucket", id="max-bucket"),
        pytest.param(
            {"hasher": MinHasher(num_perm=64), "num_perm": 128}, "hasher", id="hasher-num-perm"
        ),
        pytest.param({"bands": 4}, "bands", id="bands-without-rows"),
        pytest.param({"threshold": 0.0}, "threshold", id="threshold-zero"),
    ],
)
def test_new_invalid_parameters(options: dict[str, object], name: str) -> None:
    with pytest.raises(InvalidParameterError, match=f"'{name}'"):
        LSHIndex(**options)  # type: ignore[arg-type]


def test_texts_need_a_hasher_and_batches_a_size() -> None:
    with pytest.raises(InvalidParameterError, match="'hasher'"):
        LSHIndex().add_articles([Article(id="a", text="x")])
    index = LSHIndex(hasher=MinHasher())
    with pytest.raises(InvalidParameterError, match="'batch_size'"):
        index.add_articles([Article(id="a", text="x")], batch_size=0)
    assert "LSHIndex(threshold=0.5" in repr(index)


def test_batch_arguments_must_match_the_signatures() -> None:
    hasher = MinHasher(num_perm=64)
    sigs = hasher.signatures(["a b c d e f", "g h i j k l"])
    index = LSHIndex(num_perm=64)
    with pytest.raises(InvalidParameterError, match="'lengths'"):
        index.insert_many(["a", "b"], sigs, lengths=[1])
    with pytest.raises(InvalidParameterError, match="'shingles'"):
        index.query_many(sigs, hasher.shingles(["a b c d e f"]))


# --------------------------------------------------------------------------- files


def test_save_and_load_into_another_backend(storage: Storage, tmp_path: Path) -> None:
    articles = _sample()
    index = LSHIndex.from_clusterer(NearDuplicateClusterer())
    index.add_articles(articles)
    path = tmp_path / "index.npz"
    index.save(path)
    loaded = LSHIndex.load(path, storage=storage)
    assert loaded.hasher is not None
    assert _as_set(loaded.groups()) == _as_set(index.groups())
    assert dict(loaded.query_articles(articles)) == dict(index.query_articles(articles))


# --------------------------------------------------------------------------- processes

_WORKER = """
import sys
sys.path.insert(0, {repo!r})
from storymatch.dedup import LSHIndex
from storymatch.dedup.storage import open_storage
from storymatch.models import Article, DuplicateGroup
from tests.dedup.test_index import _planted
articles = _planted(seed=23, n_originals=40)[{part}::2]
with open_storage({url!r}) as storage:
    LSHIndex.open(storage).add_articles(articles, batch_size=7)
"""


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_two_processes_fill_one_index(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    storage = make_storage(kind, request, tmp_path)
    url = (
        f"sqlite:{storage.path}"
        if isinstance(storage, SQLiteStorage)
        else f"{request.getfixturevalue('redis_url')}?prefix={storage.prefix}"  # type: ignore[attr-defined]
    )
    articles = _planted(seed=23, n_originals=40)
    clusterer = NearDuplicateClusterer()
    index = LSHIndex.from_clusterer(clusterer, storage=storage)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER.format(repo=str(REPO), part=part, url=url)],
            cwd=REPO,
        )
        for part in (0, 1)
    ]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    assert len(index) == len(articles)
    assert storage.check() == []
    assert _as_set(index.groups()) == _as_set(clusterer.fit(articles).groups_)
    storage.close()


def test_signatures_round_trip_through_every_backend(storage: Storage) -> None:
    hasher = MinHasher(num_perm=32, seed=9)
    texts = ["alpha beta gamma delta epsilon zeta eta", "theta iota kappa lambda mu nu xi omicron"]
    sigs = hasher.signatures(texts)
    index = LSHIndex(num_perm=32, hasher=hasher, storage=storage)
    index.insert_many(
        ["x", "y"], sigs, hasher.shingles(texts), lengths=[1, 2], dates=[None, "2026"]
    )
    stored = storage.get(["x", "y"])
    back = Signatures(
        np.stack([stored["x"].signature, stored["y"].signature]), 32, 9, hasher.shingling
    )
    assert np.array_equal(back.values, sigs.values)
    assert (stored["x"].length, stored["y"].date) == (1, "2026")
    assert index.candidates(sigs, 1) == {"y"}


def test_a_candidate_removed_during_a_query_is_left_out() -> None:
    class Vanishing(MemoryStorage):
        """A store from which another process removes every document after each lookup."""

        def get(self, keys):
            return {}

    articles = _sample()
    index = LSHIndex.from_clusterer(NearDuplicateClusterer(), storage=Vanishing())
    index.add_articles(articles)
    assert all(matches == [] for _, matches in index.query_articles(articles))


def test_load_refuses_another_format(tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    LSHIndex(num_perm=64, bands=16, rows=4).save(path)
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    header = json.loads(arrays["header"].tobytes().decode())
    header["format"] = 99
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(StorageError, match="format 99"):
        LSHIndex.load(path)


# --------------------------------------------------------------------------- one set of defaults


def test_defaults_are_the_clusterers() -> None:
    clusterer = NearDuplicateClusterer()
    assert clusterer.make_hasher().get_params() == MinHasher().get_params()
    index = LSHIndex(hasher=MinHasher())
    twin = LSHIndex.from_clusterer(clusterer)
    names = ["threshold", "num_perm", "bands", "rows", "containment_threshold", "chain_guard"]
    names += ["max_bucket", "strip_boilerplate"]
    assert [getattr(index, n) for n in names] == [getattr(twin, n) for n in names]
    assert index.hasher is not None
    assert twin.hasher is not None
    assert index.hasher.get_params() == twin.hasher.get_params()


def test_num_perm_follows_the_hasher() -> None:
    index = LSHIndex(hasher=MinHasher(num_perm=64))
    assert index.num_perm == 64
    assert index.bands * index.rows <= 64
    assert LSHIndex().num_perm == 128


# ---------------------------------------------------------------------------------------
# Many copies of one text: matches are capped per article, with the count of the rest


def test_search_caps_the_matches_and_counts_the_rest(storage: Storage) -> None:
    articles = _planted(seed=22, n_originals=30)
    clusterer = NearDuplicateClusterer()
    index = LSHIndex.from_clusterer(clusterer, storage=storage)
    index.add_articles(articles)
    full = dict(index.query_articles(articles))
    capped = list(index.search(articles, max_matches=2, batch_size=7))
    assert [r.id for r in capped] == [a.id for a in articles]
    for result in capped:
        assert list(result.matches) == full[result.id][:2]
        assert result.more == max(len(full[result.id]) - 2, 0)
    assert any(r.more for r in capped)
    uncapped = {r.id: list(r.matches) for r in index.search(articles, max_matches=None)}
    assert uncapped == full
    with pytest.raises(InvalidParameterError, match="'max_matches'"):
        list(index.search(articles, max_matches=0))
