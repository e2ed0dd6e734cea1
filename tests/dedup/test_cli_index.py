"""End-to-end tests of ``storymatch index add`` and ``storymatch index query``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storymatch.cli import main, sample_path
from storymatch.dedup import LSHIndex, NearDuplicateClusterer
from storymatch.dedup.storage import open_storage
from storymatch.io import read_articles


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'index.sqlite'}"
    url = request.getfixturevalue("redis_url")
    return f"{url}?prefix=cli-{tmp_path.name}"


def test_add_then_query_the_sample(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = str(sample_path())
    assert main(["index", "add", sample, "--store", store, "--batch-size", "5"]) == 0
    assert "22 articles added" in capsys.readouterr().err
    out = tmp_path / "matches.jsonl"
    assert main(["index", "query", sample, "--store", store, "-o", str(out)]) == 0
    assert "with matches" in capsys.readouterr().err
    rows = _lines(out)
    articles = read_articles(sample).articles
    assert [r["id"] for r in rows] == [a.id for a in articles]
    # matches are the local engine's groups, seen from each member
    groups = NearDuplicateClusterer().fit(articles).groups_
    for group in groups:
        for member in group.members:
            row = next(r for r in rows if r["id"] == member)
            found = {m["id"] for m in row["matches"]}  # type: ignore[attr-defined]
            assert found >= set(group.members) - {member}
    for row in rows:
        matches = row["matches"]
        assert isinstance(matches, list)
        assert all(set(m) == {"id", "similarity"} for m in matches)
        sims = [m["similarity"] for m in matches]
        assert sims == sorted(sims, reverse=True)
        assert row["id"] not in [m["id"] for m in matches]
    with open_storage(store) as storage:
        assert LSHIndex.open(storage).groups() == groups


def test_adding_again_is_idempotent_and_keeps_the_settings(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = str(sample_path())
    assert main(["-q", "index", "add", sample, "--store", store, "--threshold", "0.6"]) == 0
    assert main(["-q", "index", "add", sample, "--store", store]) == 0  # the store's settings
    assert main(["-q", "index", "add", sample, "--store", store, "--threshold", "0.6"]) == 0
    with open_storage(store) as storage:
        index = LSHIndex.open(storage)
        assert index.threshold == 0.6
        assert len(index) == 22
    assert capsys.readouterr().err == ""
    assert main(["index", "add", sample, "--store", store, "--keep-widgets"]) == 1
    err = capsys.readouterr().err
    assert "other settings" in err
    assert "strip_boilerplate=True (given False)" in err


def test_options_of_a_new_store(tmp_path: Path) -> None:
    store = f"sqlite:{tmp_path / 'i.sqlite'}"
    sample = str(sample_path())
    options = ["--kind", "char", "--shingle-size", "7", "--no-ocr-fold", "--seed", "4"]
    assert main(["-q", "index", "add", sample, "--store", store, *options]) == 0
    with open_storage(store) as storage:
        index = LSHIndex.open(storage)
        assert index.hasher is not None
        assert index.hasher.shingling == "char:7"
        assert index.hasher.seed == 4


def test_query_needs_an_existing_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(sample_path())
    missing = tmp_path / "missing.sqlite"
    out = str(tmp_path / "o.jsonl")
    assert main(["index", "query", sample, "--store", f"sqlite:{missing}", "-o", out]) == 1
    assert "no SQLite index" in capsys.readouterr().err
    assert not missing.exists()
    assert main(["index", "query", sample, "--store", "memory:", "-o", out]) == 1
    assert "holds no index yet" in capsys.readouterr().err


def test_bad_store_url_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(sample_path())
    assert main(["index", "add", sample, "--store", "ftp://x"]) == 2
    assert "'url'" in capsys.readouterr().err


def test_index_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["index"])
    assert exc.value.code == 2
    assert "ACTION" in capsys.readouterr().err
