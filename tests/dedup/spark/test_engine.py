"""The Spark engine in local mode gives the local engine's groups, ids, representatives and scores.

One local[2] session serves the whole module (see ``conftest.py``); the first run pays for
starting the Python workers, later ones cost a few seconds each.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storymatch import cli
from storymatch.dedup import NearDuplicateClusterer
from storymatch.dedup.spark import dedup_files, find_duplicates
from storymatch.errors import EmptyDocumentWarning, InvalidInputError, InvalidParameterError
from storymatch.models import Article

Rows = dict[str, tuple[str, str, float]]


def local_rows(articles: Sequence[Article], **params: Any) -> tuple[Rows, NearDuplicateClusterer]:
    """``id -> (group, representative, similarity)`` from the local engine."""
    model = NearDuplicateClusterer(**params).fit(articles)
    sims = np.round(model.similarities_, 6).tolist()
    rows = {
        a.id: (g.id, g.representative, s)
        for a, g, s in zip(articles, model.document_groups(), sims, strict=True)
    }
    return rows, model


def frame(spark: Any, articles: Sequence[Article], **extra: Sequence[Any]) -> Any:
    import pandas as pd

    columns: dict[str, Any] = {
        "id": [a.id for a in articles],
        "text": [a.text for a in articles],
        "date": [a.date for a in articles],
        **extra,
    }
    return spark.createDataFrame(pd.DataFrame(columns))


def spark_rows(df: Any, **params: Any) -> Rows:
    out = find_duplicates(df, **params)
    assert out.columns == ["id", "group", "representative", "similarity"]
    return {r["id"]: (r["group"], r["representative"], r["similarity"]) for r in out.collect()}


def partition(rows: Rows) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for doc, (group, _, _) in rows.items():
        groups.setdefault(group, set()).add(doc)
    return {frozenset(g) for g in groups.values()}


# ------------------------------------------------------------------------------ identical groups
def test_bundled_sample_is_identical(spark, sample):
    expected, _ = local_rows(sample)
    got = spark_rows(frame(spark, sample))
    assert partition(got) == partition(expected)
    assert got == expected  # group ids, representatives and similarities too
    assert len(partition(got)) == 17


def test_syndication_set_is_identical(spark, syndication):
    expected, model = local_rows(syndication)
    got = spark_rows(frame(spark, syndication))
    assert partition(got) == partition(expected)
    assert got == expected
    assert model.stats_.n_verified > 4000  # the set is a real test: thousands of copy pairs


def test_syndication_identical_with_chain_splits_and_star_buckets(spark, syndication):
    # A strict guard splits chained members off (recursively), and max_bucket=2 turns every
    # bucket of three or more into a star around its first document, so the document order
    # matters: rows arrive shuffled and order_col restores the local engine's order.
    params = {"chain_guard": 0.8, "max_bucket": 2, "containment_threshold": 0.9}
    expected, model = local_rows(syndication, **params)
    assert model.stats_.n_chain_splits > 50
    star_only = NearDuplicateClusterer(**params).fit(syndication).stats_.n_candidates
    all_pairs = NearDuplicateClusterer(**{**params, "max_bucket": 10**6}).fit(syndication)
    assert star_only < all_pairs.stats_.n_candidates  # stars did replace some pairs
    shuffled = list(range(len(syndication)))
    random.Random(7).shuffle(shuffled)
    articles = [syndication[i] for i in shuffled]
    df = frame(spark, articles, position=shuffled).repartition(3)
    got = spark_rows(df, order_col="position", **params)
    assert got == expected


def test_char_shingles_without_containment_are_identical(spark, sample):
    params = {"kind": "char", "shingle_size": 7, "containment_threshold": None, "threshold": 0.4}
    expected, _ = local_rows(sample, **params)
    assert spark_rows(frame(spark, sample), **params) == expected


def test_empty_documents_warn_and_stay_alone(spark, sample):
    articles = [*sample[:4], Article(id="blank", text="  "), Article(id="dots", text="... !")]
    with pytest.warns(EmptyDocumentWarning, match=r"2 document\(s\).*'blank', 'dots'"):
        expected, _ = local_rows(articles)
    with pytest.warns(EmptyDocumentWarning, match=r"2 document\(s\).*'blank', 'dots'"):
        got = spark_rows(frame(spark, articles))
    assert got == expected
    assert got["blank"][1:] == ("blank", 1.0)


def test_connected_components_of_long_chains(spark, tmp_path_factory):
    from storymatch import _kernels
    from storymatch.dedup.spark import _connected_components

    # reliable checkpoints from here on (the module's later tests use them too)
    spark.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("checkpoints")))
    rng = random.Random(3)
    n = 400
    nodes = list(range(n))
    rng.shuffle(nodes)
    edges = {(max(a, b), min(a, b)) for a, b in itertools.pairwise(nodes[:150])}
    edges |= {(max(a, b), min(a, b)) for a, b in (rng.sample(range(150, n), 2) for _ in range(180))}
    df = spark.createDataFrame(sorted(edges), "src long, dst long")
    stars = dict(_connected_components(df).collect())
    left = np.array([d for _, d in edges], dtype=np.int64)
    right = np.array([s for s, _ in edges], dtype=np.int64)
    roots = _kernels.union_find(n, left, right).tolist()
    assert {v: stars.get(v, v) for v in range(n)} == dict(enumerate(roots))


def test_session_is_the_active_one_or_a_local_one_with_this_python(spark, monkeypatch):
    import sys

    from pyspark.sql import SparkSession

    from storymatch.dedup.spark import _session

    assert _session() is spark
    monkeypatch.setattr(SparkSession, "getActiveSession", lambda: None)
    monkeypatch.delenv("PYSPARK_PYTHON", raising=False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    assert _session().sparkContext is spark.sparkContext  # getOrCreate finds the running one
    assert os.environ["PYSPARK_PYTHON"] == sys.executable


# ------------------------------------------------------------------------------ bad input
def test_repeated_missing_ids_and_texts_are_input_errors(spark):
    with pytest.raises(InvalidInputError, match="'a' appears 2 times"):
        find_duplicates(spark.createDataFrame([("a", "x y"), ("a", "z")], "id string, text string"))
    with pytest.raises(InvalidInputError, match="has no 'text'"):
        find_duplicates(spark.createDataFrame([("a", None)], "id string, text string"))
    with pytest.raises(InvalidInputError, match="no 'id'"):
        find_duplicates(spark.createDataFrame([(None, "x")], "id string, text string"))


def test_bad_parameters(spark):
    df = spark.createDataFrame([("a", "x y")], "id string, body string")
    with pytest.raises(InvalidParameterError, match="'text_col' parameter"):
        find_duplicates(df)
    with pytest.raises(InvalidParameterError, match="'threshold'"):
        find_duplicates(df, text_col="body", threshold=1.5)
    with pytest.raises(TypeError, match="'colour'"):  # the options are spelled out
        find_duplicates(df, text_col="body", colour="red")  # type: ignore[call-arg]


# ------------------------------------------------------------------------------ files and CLI
def _write_jsonl(path: Path, articles: Sequence[Article]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")


def _parts(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*")))


def test_cli_output_is_byte_for_byte_the_local_one(spark, sample, tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    # published instead of date on some records: the alias the readers accept
    records = [a.to_dict() for a in sample]
    for record in records[::3]:
        if "date" in record:
            record["published"] = record.pop("date")
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert cli.main(["dedup", str(source), "-o", str(tmp_path / "local.jsonl")]) == 0
    assert cli.main(["dedup", str(source), "-o", str(tmp_path / "out"), "--engine", "spark"]) == 0
    assert _parts(tmp_path / "out") == (tmp_path / "local.jsonl").read_bytes()
    assert "22 documents, 17 groups (5 copies), largest group 3" in capsys.readouterr().err


def test_parquet_in_and_out_and_gzip_lines(spark, sample, tmp_path):
    import pandas as pd

    source = tmp_path / "in.parquet"
    pd.DataFrame([a.to_dict() for a in sample]).to_parquet(source)
    summary = dedup_files(source, tmp_path / "out.parquet")
    assert (summary.n_documents, summary.n_groups, summary.n_copies) == (22, 17, 5)
    table = pd.read_parquet(tmp_path / "out.parquet")
    assert list(table.columns) == ["id", "group", "representative", "similarity"]
    assert table["id"].tolist() == [a.id for a in sample]  # input order
    expected, _ = local_rows(sample)
    got = {r.id: (r.group, r.representative, r.similarity) for r in table.itertuples()}
    assert got == expected

    dedup_files(source, f"file://{tmp_path}/out.jsonl.gz", input_format="parquet")
    lines = b"".join(
        gzip.decompress(p.read_bytes()) for p in sorted((tmp_path / "out.jsonl.gz").glob("part-*"))
    )
    assert [json.loads(line)["id"] for line in lines.splitlines()] == [a.id for a in sample]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        pytest.param(["--groups", "g.jsonl"], 2, "--groups, --skip-invalid and", id="groups"),
        pytest.param(["--format", "csv"], 2, "'jsonl' or 'parquet'", id="csv"),
    ],
)
def test_cli_options_the_spark_engine_lacks(spark, tmp_path, capsys, args, status, message):
    source = tmp_path / "in.jsonl"
    _write_jsonl(source, [Article(id="a", text="one two three four five")])
    argv = ["dedup", str(source), "-o", str(tmp_path / "out"), "--engine", "spark", *args]
    assert cli.main(argv) == status
    assert message in capsys.readouterr().err


def test_cli_input_errors(spark, tmp_path, capsys):
    out = str(tmp_path / "out")
    assert cli.main(["dedup", "-", "-o", out, "--engine", "spark"]) == 2
    assert "not standard input" in capsys.readouterr().err
    assert cli.main(["dedup", str(tmp_path / "nope.jsonl"), "-o", out, "--engine", "spark"]) == 1
    assert "no such file" in capsys.readouterr().err
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "text": "x"}\n{"id": "b", "te\n', encoding="utf-8")
    assert cli.main(["dedup", str(broken), "-o", out, "--engine", "spark"]) == 1
    assert "not a JSON object" in capsys.readouterr().err
    untexted = tmp_path / "untexted.jsonl"
    untexted.write_text('{"id": "a", "body": "x"}\n', encoding="utf-8")
    assert cli.main(["dedup", str(untexted), "-o", out, "--engine", "spark"]) == 1
    assert "no 'text' field" in capsys.readouterr().err
    (tmp_path / "out").mkdir()
    assert cli.main(["dedup", str(untexted), "-o", out, "--engine", "spark"]) == 2
    assert "exists already" in capsys.readouterr().err
