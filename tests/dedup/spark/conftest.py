"""Fixtures of the Spark engine's tests: a local[2] session, the corpora.

Without pyspark (``pip install -e . --group spark``), pandas, pyarrow or a Java runtime the tests
skip with the reason, except where ``STORYMATCH_REQUIRE_SPARK`` is set (as ``.ci/run`` does):
there they fail.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests import shared_data
from tests.dedup.spark.support import require_modules, unavailable

from storymatch.models import Article

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "examples" / "sample" / "articles.jsonl"


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local[2] SparkSession for one test module, stopped afterwards."""
    require_modules("pyspark", "pandas", "pyarrow")
    if _java() is None:
        unavailable("no Java runtime (java is not on PATH and JAVA_HOME is unset)")
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        # the Python workers must import this environment (pyspark, numba, storymatch);
        # pyspark reads the variable when the context starts
        patch.setenv("PYSPARK_PYTHON", os.environ.get("PYSPARK_PYTHON", sys.executable))
        try:
            session = (
                SparkSession.builder.master("local[2]")
                .appName("storymatch-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "2")
                .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                .config("spark.driver.memory", "2g")
                .getOrCreate()
            )
        except Exception as exc:  # any failure to start is reported the same way
            unavailable(f"cannot start a local Spark session: {exc}")
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


def read_jsonl(path: Path) -> list[Article]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [Article.from_dict(json.loads(line)) for line in fh if line.strip()]


def syndication_path() -> Path:
    return shared_data.data_file("syndication/docs.jsonl.gz")


@pytest.fixture(scope="module")
def sample() -> list[Article]:
    """The bundled sample: 22 articles, 17 groups."""
    return read_jsonl(SAMPLE)


@pytest.fixture(scope="module")
def syndication() -> list[Article]:
    """``shared/data/syndication``: 2,665 news pages with copies (skips when absent)."""
    return read_jsonl(syndication_path())
