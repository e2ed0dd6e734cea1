"""Near-duplicate groups on Apache Spark, identical to the local engine.

:func:`find_duplicates` runs :class:`~storymatch.dedup.NearDuplicateClusterer` over a Spark
DataFrame. Every step that decides something calls the public steps of
:mod:`storymatch.dedup.verify` on executors, the code the local engine composes, so a corpus
that outgrows one machine changes the engine, not the groups::

    rows ─ mapInPandas: fold, strip widgets, shingle, MinHash, band keys  (verify.hash_corpus)
         ─ explode (band, key) ─ shuffle, sort by bucket ─ pairs     (the LSH kernel, max_bucket)
         ─ join the two shingle sets back ─ exact Jaccard / containment
           (verify.similarities, verify.is_duplicate)
         ─ connected components in Spark (alternating large-star / small-star rounds)
         ─ mapInPandas over whole components: chain guard, representative, group id
           (verify.guarded_groups, verify.group_id)

No step collects pairs or groups on the driver. The connected components are computed with
DataFrames by the large-star / small-star algorithm of Kiveris et al. (2014), which needs
O(log² n) rounds in the worst case and two or three on copy groups.

The result equals ``NearDuplicateClusterer(**same parameters).fit(articles)`` with the articles
in the DataFrame's row order: the same groups, group ids, representatives and similarities. The
row order matters only for LSH buckets larger than ``max_bucket``, whose members are paired with
the bucket's first document; see :func:`find_duplicates` for how to pin it.

pyspark (with pandas and pyarrow, which ``mapInPandas`` needs) is the optional extra
``storymatch[spark]``; it is imported on first use, so this module imports without it.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from storymatch import _kernels
from storymatch.dedup.cluster import NearDuplicateClusterer
from storymatch.dedup.lsh import DEFAULT_MAX_BUCKET
from storymatch.dedup.minhash import (
    DEFAULT_KIND,
    DEFAULT_NUM_PERM,
    DEFAULT_OCR_FOLD,
    DEFAULT_SEED,
    DEFAULT_SHINGLE_SIZE,
)
from storymatch.dedup.verify import (
    DEFAULT_CHAIN_GUARD,
    DEFAULT_CONTAINMENT_THRESHOLD,
    DEFAULT_THRESHOLD,
    StageClock,
    group_id,
    guarded_groups,
    hash_corpus,
    is_duplicate,
    similarities,
)
from storymatch.errors import (
    EmptyDocumentWarning,
    InvalidInputError,
    InvalidParameterError,
    MissingDependencyError,
)
from storymatch.io.writers import dedup_line
from storymatch.models import Article
from storymatch.text.shingles import ShingleKind, ShingleSets

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = ["SparkDedupSummary", "dedup_files", "find_duplicates"]

logger = logging.getLogger(__name__)

_MAX_ROUNDS = 64
"""Connected components give up after this many large-star / small-star rounds."""

_HASHED = (
    "_ord long, id string, date string, length long, n long, shingles binary, keys array<long>"
)
_RESULT = "_ord long, id string, group string, representative string, similarity double"

_Frame = Any
"""A ``pandas.DataFrame``; typed loosely because pandas ships no type information."""

_Entries = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
"""Columns ``band``, ``key`` and ``_ord`` of a run of bucket entries."""


def _require_pyspark() -> None:
    """Import pyspark, pandas and pyarrow, or raise an error that names the extra."""
    try:
        for name in ("pyspark", "pandas", "pyarrow"):
            importlib.import_module(name)
    except ImportError as exc:
        msg = (
            "the Spark engine needs the optional 'spark' extra: pip install 'storymatch[spark]' "
            f"(it installs pyspark, pandas and pyarrow; missing: {exc.name})"
        )
        raise MissingDependencyError(msg) from exc


@dataclass(frozen=True, slots=True)
class SparkDedupSummary:
    """Counts from one run of :func:`dedup_files`.

    Parameters
    ----------
    n_documents : int
        Documents read.
    n_groups : int
        Near-duplicate groups, singletons included.
    n_copies : int
        Documents that are not their group's representative.
    largest : int
        Size of the largest group.
    seconds : float
        Wall time from reading to the written output.
    """

    n_documents: int
    n_groups: int
    n_copies: int
    largest: int
    seconds: float


# ---------------------------------------------------------------------------------- public API
def find_duplicates(
    df: DataFrame,
    *,
    id_col: str = "id",
    text_col: str = "text",
    date_col: str | None = "date",
    order_col: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    containment_threshold: float | None = DEFAULT_CONTAINMENT_THRESHOLD,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    kind: ShingleKind = DEFAULT_KIND,
    num_perm: int = DEFAULT_NUM_PERM,
    bands: int | None = None,
    rows: int | None = None,
    chain_guard: float | None = DEFAULT_CHAIN_GUARD,
    strip_boilerplate: bool = True,
    ocr_fold: bool = DEFAULT_OCR_FOLD,
    max_bucket: int = DEFAULT_MAX_BUCKET,
    seed: int = DEFAULT_SEED,
) -> DataFrame:
    """Group copies of the same text in a Spark DataFrame.

    The work runs when this function is called (connected components take several passes);
    the returned DataFrame is checkpointed, so reading it does not run the pipeline again. With
    a checkpoint folder set (``SparkContext.setCheckpointDir``) intermediate results are
    checkpointed reliably there; otherwise they are local checkpoints in executor storage,
    which are lost with an executor.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        One row per document.
    id_col : str, default="id"
        Column with unique document ids (cast to string).
    text_col : str, default="text"
        Column with the text (cast to string).
    date_col : str or None, default="date"
        Column with ISO 8601 publication dates (cast to string). The representative of a group
        is its earliest dated member, as in the local engine. Ignored when ``df`` has no such
        column.
    order_col : str or None, default=None
        Column that orders the documents as the local engine would see them. LSH buckets with
        more than ``max_bucket`` members pair every member with the bucket's first document
        only; with None the order is the DataFrame's row order
        (``monotonically_increasing_id``), which is the file order for one JSONL or Parquet
        file. Only buckets that large are affected.
    threshold : float, default=0.5
    containment_threshold : float or None, default=0.8
    shingle_size : int, default=5
    kind : {"word", "char"}, default="word"
    num_perm : int, default=128
    bands, rows : int or None, default=None
    chain_guard : float or None, default=0.3
    strip_boilerplate : bool, default=True
    ocr_fold : bool, default=True
    max_bucket : int, default=64
    seed : int, default=1
        The parameters of :class:`~storymatch.dedup.NearDuplicateClusterer`, which explains
        each.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``id``, ``group``, ``representative``, ``similarity`` (exact Jaccard with the
        representative, rounded to 6 digits), one row per document, in no particular order.

    Raises
    ------
    MissingDependencyError
        If pyspark, pandas or pyarrow is not installed.
    InvalidParameterError
        If a parameter is out of range or a column is missing.
    InvalidInputError
        If an id is missing or repeated, or a text is missing.

    Warns
    -----
    EmptyDocumentWarning
        For documents without a single shingle (each stays alone), as the local engine does.

    See Also
    --------
    storymatch.dedup.NearDuplicateClusterer : The local engine, with the same results.

    Examples
    --------
    >>> from pyspark.sql import SparkSession  # doctest: +SKIP
    >>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
    >>> df = spark.read.json("articles.jsonl")  # doctest: +SKIP
    >>> find_duplicates(df).groupBy("group").count().show()  # doctest: +SKIP
    """
    _require_pyspark()
    clusterer = NearDuplicateClusterer(
        threshold=threshold,
        containment_threshold=containment_threshold,
        shingle_size=shingle_size,
        kind=kind,
        num_perm=num_perm,
        bands=bands,
        rows=rows,
        chain_guard=chain_guard,
        strip_boilerplate=strip_boilerplate,
        ocr_fold=ocr_fold,
        max_bucket=max_bucket,
        seed=seed,
    )
    result = _dedup_frame(
        df,
        clusterer,
        id_col=id_col,
        text_col=text_col,
        date_col=date_col,
        order_col=order_col,
        stacklevel=3,
    )
    return result.drop("_ord")


def dedup_files(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    clusterer: NearDuplicateClusterer | None = None,
    input_format: str | None = None,
    spark: SparkSession | None = None,
) -> SparkDedupSummary:
    """Read articles, group copies on Spark and write one line per article.

    This is ``storymatch dedup IN -o OUT --engine spark``. Under ``spark-submit`` it uses the
    session that spark-submit configured; run directly, it starts a local one.

    Parameters
    ----------
    input_path : str or path-like
        A Parquet file or folder (name ending in ``.parquet``), or JSON Lines: a ``.jsonl``
        or ``.jsonl.gz`` file or a folder of them. Any URI Spark reads (``hdfs://``,
        ``s3a://``, ...) works. Records need ``id`` and ``text``; ``date`` (or ``published``)
        chooses representatives.
    output_path : str or path-like
        A folder that must not exist yet. Spark writes part files there: JSON Lines (gzipped
        when the name ends in ``.gz``), or Parquet when the name ends in ``.parquet``. The
        rows are in input order, and the JSON lines are byte for byte those of the local
        engine: ``cat OUT/part-*`` gives the file ``storymatch dedup`` writes.
    clusterer : NearDuplicateClusterer or None, default=None
        The parameters (not fitted); the defaults when None.
    input_format : {"jsonl", "parquet"} or None, default=None
        Override the format guessed from the name.
    spark : SparkSession or None, default=None
        The session to use (the active one, or a new one, when None).

    Returns
    -------
    SparkDedupSummary
        Counts and wall time.

    Raises
    ------
    MissingDependencyError
        If pyspark, pandas or pyarrow is not installed.
    InvalidParameterError
        If the paths or the format cannot be used.
    InvalidInputError
        If the input is missing, holds lines that are not JSON, or has records without
        ``id`` or ``text`` or with a repeated id.
    """
    _require_pyspark()
    from pyspark.sql import functions as F  # noqa: PLC0415

    started = time.perf_counter()
    source, target = os.fspath(input_path), os.fspath(output_path)
    fmt = input_format or ("parquet" if source.rstrip("/").endswith(".parquet") else "jsonl")
    if fmt not in ("jsonl", "parquet"):
        msg = (
            "The 'input_format' parameter of dedup_files must be 'jsonl' or 'parquet' with the "
            f"Spark engine. Got {fmt!r} instead."
        )
        raise InvalidParameterError(msg)
    if "-" in (source, target):
        msg = "The Spark engine reads and writes files or folders, not standard input/output."
        raise InvalidParameterError(msg)
    local_source, local_target = _local_path(source), _local_path(target)
    if local_source is not None and not local_source.exists():
        msg = "no such file or folder"
        raise InvalidInputError(msg, path=source)
    if local_target is not None and local_target.exists():
        msg = (
            f"The output folder {target} exists already; the Spark engine writes a folder of "
            "part files and does not replace an existing one. Remove it or choose another."
        )
        raise InvalidParameterError(msg)
    session = spark if spark is not None else _session()
    if fmt == "parquet":
        df = session.read.parquet(source)
    else:
        df = session.read.option("mode", "PERMISSIVE").json(source)
        if "_corrupt_record" in df.columns:
            bad = df.filter(F.col("_corrupt_record").isNotNull()).limit(1).collect()
            if bad:
                msg = f"a line is not a JSON object: {str(bad[0]['_corrupt_record'])[:80]!r}"
                raise InvalidInputError(msg, path=source)
    for name in ("id", "text"):
        if name not in df.columns:
            msg = f"the records have no {name!r} field"
            raise InvalidInputError(msg, path=source)
    dates = [F.col(c).cast("string") for c in ("date", "published") if c in df.columns]
    df = df.withColumn("_date", F.coalesce(*dates) if dates else F.lit(None).cast("string"))
    result = _dedup_frame(
        df,
        clusterer if clusterer is not None else NearDuplicateClusterer(),
        id_col="id",
        text_col="text",
        date_col="_date",
        order_col=None,
        stacklevel=3,
    )
    ordered = result.orderBy("_ord")
    if target.rstrip("/").endswith(".parquet"):
        ordered.drop("_ord").write.mode("errorifexists").parquet(target)
    else:
        lines = ordered.mapInPandas(_format_lines, "value string")
        writer = lines.write.mode("errorifexists")
        if target.rstrip("/").endswith(".gz"):
            writer = writer.option("compression", "gzip")
        writer.text(target)
    sizes = result.groupBy("group").count()
    row = sizes.agg(
        F.count(F.lit(1)).alias("groups"),
        F.sum("count").alias("docs"),
        F.max("count").alias("largest"),
    ).collect()[0]
    docs = int(row["docs"] or 0)
    groups = int(row["groups"])
    return SparkDedupSummary(
        n_documents=docs,
        n_groups=groups,
        n_copies=docs - groups,
        largest=int(row["largest"] or 0),
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------------------- driver side
def _local_path(path: str) -> Path | None:
    """Return the local path of a URI without a scheme or with ``file:``; None for others."""
    if path.startswith("file:"):
        return Path(path.removeprefix("file:").removeprefix("//"))
    if "://" in path:
        return None
    return Path(path)


def _session() -> SparkSession:
    """Return the active session, or start one whose workers run this interpreter."""
    from pyspark.sql import SparkSession  # noqa: PLC0415

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Not under spark-submit: a local session whose Python workers must import this very
        # environment (storymatch, numba); pyspark reads the variable when the context starts.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return SparkSession.builder.appName("storymatch dedup").getOrCreate()


def _checkpoint(df: DataFrame) -> DataFrame:
    """Materialise ``df`` and cut its lineage (reliably when a checkpoint folder is set)."""
    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


def _dedup_frame(
    df: DataFrame,
    clusterer: NearDuplicateClusterer,
    *,
    id_col: str,
    text_col: str,
    date_col: str | None,
    order_col: str | None,
    stacklevel: int,
) -> DataFrame:
    """Run the pipeline; the result has ``_ord`` (the document order) next to the output."""
    from pyspark import StorageLevel  # noqa: PLC0415
    from pyspark.sql import functions as F  # noqa: PLC0415

    bands, rows, _ = clusterer.check_params()
    for param, name in (("id_col", id_col), ("text_col", text_col), ("order_col", order_col)):
        if name is not None and name not in df.columns:
            msg = (
                f"The {param!r} parameter of find_duplicates must name a column of the "
                f"DataFrame ({', '.join(df.columns)}). Got {name!r} instead."
            )
            raise InvalidParameterError(msg)
    clock = StageClock()
    order = F.col(order_col).cast("long") if order_col else F.monotonically_increasing_id()
    date: Column = (
        F.col(date_col).cast("string")
        if date_col is not None and date_col in df.columns
        else F.lit(None).cast("string")
    )
    docs = df.select(
        order.alias("_ord"),
        F.col(id_col).cast("string").alias("id"),
        F.col(text_col).cast("string").alias("text"),
        date.alias("date"),
    )
    _check_records(docs)
    clock.lap("check")

    # 1. shingle sets and band keys of every document, with the local engine's code
    hashed = docs.mapInPandas(
        functools.partial(_hash_batches, clusterer=clusterer, bands=bands, rows=rows), _HASHED
    ).persist(StorageLevel.MEMORY_AND_DISK)
    _warn_empty(hashed, stacklevel=stacklevel + 1)
    clock.lap("hash")

    # 2. candidate pairs: documents sharing a band key; buckets over max_bucket give a star.
    # Rows are sorted by bucket rather than collected into lists: one shuffle, no per-bucket
    # objects, and a bucket that straddles two Arrow batches is carried over.
    entries = (
        hashed.filter(F.col("n") > 0)
        .select("_ord", F.posexplode("keys").alias("band", "key"))
        .repartition("band", "key")
        .sortWithinPartitions("band", "key", "_ord")
    )
    pairs = _checkpoint(
        entries.mapInPandas(
            functools.partial(_pair_batches, max_bucket=int(clusterer.max_bucket)),
            "a long, b long",
        ).distinct()
    )
    clock.lap("candidates")

    # 3. exact verification against the shingle sets, joined back to both ends of each pair
    sets = hashed.select("_ord", "shingles")
    with_sets = pairs.join(
        sets.withColumnRenamed("_ord", "a").withColumnRenamed("shingles", "sa"), "a"
    ).join(sets.withColumnRenamed("_ord", "b").withColumnRenamed("shingles", "sb"), "b")
    verified = _checkpoint(
        with_sets.select("a", "b", "sa", "sb").mapInPandas(
            functools.partial(_verify_batches, clusterer=clusterer), "a long, b long"
        )
    )
    clock.lap("verify")

    # 4. connected components of the verified graph, in Spark
    stars = _connected_components(verified.select(F.col("b").alias("src"), F.col("a").alias("dst")))
    component = stars.select(F.col("src").alias("_ord"), F.col("dst").alias("comp")).union(
        stars.select(F.col("dst").alias("_ord"), F.col("dst").alias("comp"))
    )
    component = component.distinct()
    clock.lap("components")
    neighbours = verified.groupBy(F.col("a").alias("_ord")).agg(F.collect_list("b").alias("nbrs"))

    # 5. chain guard, representatives and group ids over whole components (singletons alone)
    grouped = (
        hashed.select("_ord", "id", "date", "length", "shingles")
        .join(component, "_ord", "left")
        .join(neighbours, "_ord", "left")
        .select(
            "_ord",
            "id",
            "date",
            "length",
            F.when(F.col("comp").isNull(), F.lit(None))
            .otherwise(F.col("shingles"))
            .alias("shingles"),
            "nbrs",
            F.coalesce(F.col("comp"), F.col("_ord")).alias("comp"),
        )
        .repartition("comp")
        .sortWithinPartitions("comp", "_ord")
    )
    result = _checkpoint(
        grouped.mapInPandas(functools.partial(_group_batches, clusterer=clusterer), _RESULT)
    )
    hashed.unpersist()
    clock.lap("groups")
    logger.info("spark dedup: bands=%d, rows=%d (%s)", bands, rows, clock)
    return result


def _check_records(docs: DataFrame) -> None:
    """Raise :class:`InvalidInputError` for a missing or repeated id or a missing text."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    bad = (
        docs.groupBy("id")
        .agg(
            F.count(F.lit(1)).alias("count"),
            F.max(F.col("text").isNull().cast("int")).alias("no_text"),
        )
        .filter((F.col("count") > 1) | F.col("id").isNull() | (F.col("no_text") == 1))
        .limit(1)
        .collect()
    )
    if not bad:
        return
    row = bad[0]
    if row["id"] is None:
        msg = "a record has no 'id'"
    elif row["count"] > 1:
        msg = f"the id {row['id']!r} appears {row['count']} times; ids must be unique"
    else:
        msg = f"the record {row['id']!r} has no 'text'"
    raise InvalidInputError(msg)


def _warn_empty(hashed: DataFrame, *, stacklevel: int) -> None:
    """Warn as the local engine does about documents without a single shingle."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    empty = hashed.filter(F.col("n") == 0)
    first = empty.orderBy("_ord").select("id").limit(5).collect()
    if not first:
        return
    n_empty = empty.count()
    msg = (
        f"{n_empty} document(s) have no words to hash and stay alone in their group "
        f"(first: {', '.join(repr(r['id']) for r in first)})"
    )
    warnings.warn(msg, EmptyDocumentWarning, stacklevel=stacklevel)


def _connected_components(edges: DataFrame) -> DataFrame:
    """Label connected components by alternating large-star and small-star rounds.

    Parameters
    ----------
    edges : pyspark.sql.DataFrame
        Columns ``src`` and ``dst`` (``long``) with ``dst < src``, no repeats.

    Returns
    -------
    pyspark.sql.DataFrame
        A star forest, columns ``src`` and ``dst``: one row per node that is not the smallest
        of its component, pointing at that smallest node.

    Notes
    -----
    Kiveris, Lattanzi, Mirrokni, Rastogi and Vassilvitskii, "Connected Components in MapReduce
    and Beyond", SoCC 2014. Every edge keeps ``dst < src``; the rounds stop when each node has
    at most one outgoing edge and no node has both an outgoing and an incoming one.
    """
    for round_no in range(1, _MAX_ROUNDS + 1):
        edges = _checkpoint(_small_star(_large_star(edges)))
        if _is_star_forest(edges):
            logger.info("connected components: %d round(s)", round_no)
            return edges
    msg = f"connected components did not converge in {_MAX_ROUNDS} rounds"  # pragma: no cover
    raise RuntimeError(msg)  # pragma: no cover


def _large_star(edges: DataFrame) -> DataFrame:
    """Connect every larger neighbour of a node to the smallest node of its neighbourhood."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    both = edges.select(F.col("src").alias("u"), F.col("dst").alias("v")).union(
        edges.select(F.col("dst").alias("u"), F.col("src").alias("v"))
    )
    hoods = both.groupBy("u").agg(F.collect_list("v").alias("hood"))
    smallest = F.least(F.array_min("hood"), F.col("u"))
    larger = F.filter("hood", lambda v: v > F.col("u"))
    out = hoods.select(F.explode(larger).alias("src"), smallest.alias("dst"))
    return out.distinct()


def _small_star(edges: DataFrame) -> DataFrame:
    """Connect a node and its smaller neighbours to the smallest of them."""
    from pyspark.sql import functions as F  # noqa: PLC0415

    hoods = edges.groupBy("src").agg(F.collect_list("dst").alias("hood"))
    smallest = F.array_min("hood")
    nodes = F.array_union("hood", F.array(F.col("src")))
    out = hoods.select(F.explode(nodes).alias("v"), smallest.alias("m")).filter(
        F.col("v") != F.col("m")
    )
    return out.select(F.col("v").alias("src"), F.col("m").alias("dst")).distinct()


def _is_star_forest(edges: DataFrame) -> bool:
    from pyspark.sql import functions as F  # noqa: PLC0415

    ends = edges.select(F.col("src").alias("node"), F.lit(1).alias("out"), F.lit(0).alias("in"))
    ends = ends.union(edges.select(F.col("dst").alias("node"), F.lit(0), F.lit(1)))
    degrees = ends.groupBy("node").agg(F.sum("out").alias("out"), F.sum("in").alias("in"))
    bad = degrees.filter((F.col("out") > 1) | ((F.col("out") > 0) & (F.col("in") > 0)))
    return bool(bad.isEmpty())


# ---------------------------------------------------------------------------------- executors
# These run inside mapInPandas on the executors: each takes and yields pandas DataFrames, and
# each calls the local engine's own functions so that both engines decide alike.


def _sets_from_blobs(blobs: Sequence[bytes | None]) -> ShingleSets:
    """Shingle sets from their ``uint64`` bytes (None for an empty set)."""
    sizes = np.fromiter(
        (0 if b is None else len(b) // 8 for b in blobs), dtype=np.int64, count=len(blobs)
    )
    offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    joined = bytearray().join(b for b in blobs if b)
    return ShingleSets(offsets, np.frombuffer(joined, dtype=np.uint64))


def _hash_batches(
    batches: Iterator[_Frame], *, clusterer: NearDuplicateClusterer, bands: int, rows: int
) -> Iterator[_Frame]:
    """``(_ord, id, text, date)`` → shingle sets (bytes) and band keys, batch by batch."""
    import pandas as pd  # noqa: PLC0415

    hasher = clusterer.make_hasher()
    for pdf in batches:
        if pdf.empty:
            continue
        texts: list[str] = pdf["text"].tolist()
        sets, keys = hash_corpus(
            texts,
            hasher,
            bands=bands,
            rows=rows,
            strip_boilerplate=clusterer.strip_boilerplate,
        )
        offsets = sets.offsets.tolist()
        values = sets.values
        yield pd.DataFrame(
            {
                "_ord": pdf["_ord"].to_numpy(dtype=np.int64),
                "id": pdf["id"],
                "date": pdf["date"],
                "length": np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)),
                "n": sets.sizes,
                "shingles": [
                    values[offsets[k] : offsets[k + 1]].tobytes() for k in range(len(texts))
                ],
                "keys": list(keys.view(np.int64)),
            }
        )


def _pair_batches(batches: Iterator[_Frame], *, max_bucket: int) -> Iterator[_Frame]:
    """``(_ord, band, key)`` rows sorted by bucket → candidate pairs ``a < b``.

    The pairs of each bucket come from the local engine's LSH kernel. The last bucket of a
    batch may go on in the next one, so its rows are held back until a later batch (or the end)
    shows where it stops.
    """
    held: list[_Entries] = []
    for pdf in batches:
        if pdf.empty:
            continue
        band = pdf["band"].to_numpy(dtype=np.int64)
        key = pdf["key"].to_numpy(dtype=np.int64)
        ords = pdf["_ord"].to_numpy(dtype=np.int64)
        breaks = np.flatnonzero((band[1:] != band[:-1]) | (key[1:] != key[:-1])) + 1
        last = int(breaks[-1]) if breaks.size else 0
        if last == 0 and held and (held[-1][0][-1], held[-1][1][-1]) == (band[0], key[0]):
            held.append((band, key, ords))  # one bucket, still going on
            continue
        ready = held if last == 0 else [*held, (band[:last], key[:last], ords[:last])]
        if ready:
            yield _bucket_pairs(ready, max_bucket)
        held = [(band[last:], key[last:], ords[last:])]
    if held:
        yield _bucket_pairs(held, max_bucket)


def _bucket_pairs(parts: Sequence[_Entries], max_bucket: int) -> _Frame:
    """Candidate pairs of whole buckets, rows sorted by ``(band, key, _ord)``."""
    import pandas as pd  # noqa: PLC0415

    band = np.concatenate([p[0] for p in parts])
    key = np.concatenate([p[1] for p in parts])
    ords = np.concatenate([p[2] for p in parts])
    breaks = np.flatnonzero((band[1:] != band[:-1]) | (key[1:] != key[:-1])) + 1
    starts = np.concatenate(([0], breaks)).astype(np.int64)
    ends = np.concatenate((breaks, [band.shape[0]])).astype(np.int64)
    multi = ends - starts > 1
    # the kernel packs two row positions into 64 bits; within a bucket they follow _ord
    positions = np.arange(band.shape[0], dtype=np.int64)
    packed = _kernels.emit_bucket_pairs(positions, starts[multi], ends[multi], max_bucket)
    packed = np.asarray(packed, dtype=np.uint64)
    a = ords[(packed >> np.uint64(32)).astype(np.int64)]
    b = ords[(packed & np.uint64(0xFFFFFFFF)).astype(np.int64)]
    return pd.DataFrame({"a": a, "b": b})


def _verify_batches(
    batches: Iterator[_Frame], *, clusterer: NearDuplicateClusterer
) -> Iterator[_Frame]:
    """Candidate pairs with both shingle sets → the pairs the local engine keeps."""
    import pandas as pd  # noqa: PLC0415

    for pdf in batches:
        k = len(pdf)
        if not k:
            continue
        sets = _sets_from_blobs([*pdf["sa"].tolist(), *pdf["sb"].tolist()])
        index = np.arange(k, dtype=np.int64)
        jac, con = similarities(sets, index, index + k)
        keep = is_duplicate(
            jac,
            con,
            threshold=clusterer.threshold,
            containment_threshold=clusterer.containment_threshold,
        )
        yield pd.DataFrame(
            {
                "a": pdf["a"].to_numpy(dtype=np.int64)[keep],
                "b": pdf["b"].to_numpy(dtype=np.int64)[keep],
            }
        )


def _group_batches(
    batches: Iterator[_Frame], *, clusterer: NearDuplicateClusterer
) -> Iterator[_Frame]:
    """Rows sorted by component → one output row per document.

    A component can straddle two Arrow batches, so the rows of the last component of a batch
    are held back until the next batch shows where it ends.
    """
    import pandas as pd  # noqa: PLC0415

    held: list[_Frame] = []
    for pdf in batches:
        if pdf.empty:
            continue
        comp = pdf["comp"].to_numpy(dtype=np.int64)
        cut = int(np.searchsorted(comp, comp[-1]))
        if cut > 0:
            yield _groups(pd.concat([*held, pdf.iloc[:cut]], ignore_index=True), clusterer)
            held = []
        held.append(pdf.iloc[cut:])
    if held:
        yield _groups(pd.concat(held, ignore_index=True), clusterer)


def _groups(chunk: _Frame, clusterer: NearDuplicateClusterer) -> _Frame:
    """Guard, representatives and group ids of the whole components in ``chunk``."""
    import pandas as pd  # noqa: PLC0415

    n = len(chunk)
    ords = chunk["_ord"].to_numpy(dtype=np.int64)
    ids: list[str] = chunk["id"].tolist()
    articles = [
        Article(id=i, text="", date=d if isinstance(d, str) else None)
        for i, d in zip(ids, chunk["date"].tolist(), strict=True)
    ]
    lengths = chunk["length"].to_numpy(dtype=np.int64)
    sets = _sets_from_blobs(chunk["shingles"].tolist())
    left, right = _local_edges(ords, chunk["nbrs"].tolist())
    parent = _kernels.union_find(n, left, right)
    root, sims, _, _ = guarded_groups(
        articles, sets, parent, lengths, left, right, chain_guard=clusterer.chain_guard
    )
    group = np.empty(n, dtype=object)
    order = np.argsort(root, kind="stable")
    bounds = np.flatnonzero(np.diff(root[order])) + 1
    for members in np.split(order, bounds):
        group[members] = group_id([ids[m] for m in members.tolist()])
    return pd.DataFrame(
        {
            "_ord": ords,
            "id": ids,
            "group": group,
            "representative": [ids[r] for r in root.tolist()],
            "similarity": np.round(sims, 6),
        }
    )


def _local_edges(
    ords: npt.NDArray[np.int64], neighbours: Sequence[Any]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Turn row ``i``'s list of partner ``_ord`` values into edges between positions."""
    counts = np.fromiter(
        (0 if m is None else len(m) for m in neighbours), dtype=np.int64, count=len(neighbours)
    )
    left = np.repeat(np.arange(len(neighbours), dtype=np.int64), counts)
    if not left.size:
        return left, left.copy()
    partners = np.concatenate([np.asarray(m, dtype=np.int64) for m in neighbours if m is not None])
    sorter = np.argsort(ords, kind="stable")
    right = sorter[np.searchsorted(ords, partners, sorter=sorter)].astype(np.int64)
    return left, right


def _format_lines(batches: Iterator[_Frame]) -> Iterator[_Frame]:
    """Output rows → the JSON lines of ``storymatch dedup`` (see ``io.writers.dedup_line``)."""
    import pandas as pd  # noqa: PLC0415

    for pdf in batches:
        lines = [
            dedup_line(i, g, r, s)
            for i, g, r, s in zip(
                pdf["id"].tolist(),
                pdf["group"].tolist(),
                pdf["representative"].tolist(),
                pdf["similarity"].tolist(),
                strict=True,
            )
        ]
        yield pd.DataFrame({"value": lines})
