"""The labelled data the benchmark suite reads: the shared layout, or any folder of JSONL.

:func:`is_shared_layout` tells the shared research data (``syndication/``, ``ecbplus/``,
``basil/``, ...; :data:`SHARED_LAYOUT`, with the files each section reads in
:data:`SECTION_FILES`) from a folder of the user's own; :func:`discover` classifies the JSONL
files of such a folder by their first record (groups or sentence pairs); :func:`read_jsonl` and
:func:`load_grouping` read them, and :func:`fingerprint` records the sha256 and size of every
file a result was computed from. Used by :mod:`benchmarks.suite` and
:mod:`benchmarks.sections_quality`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path
from typing import Any, TextIO

from storymatch.errors import InvalidInputError

__all__ = [
    "SECTION_FILES",
    "SHARED_LAYOUT",
    "discover",
    "fingerprint",
    "is_shared_layout",
    "load_grouping",
    "read_jsonl",
    "set_name",
]

SHARED_LAYOUT = {
    "syndication": "syndication/docs.jsonl.gz",
    "ecbplus": "ecbplus/docs.jsonl",
    "basil": "basil/docs.jsonl",
    "msrp": "msrp/pairs.jsonl",
    "sts_news": "sts_news/pairs.jsonl",
}
"""The known sets of the shared data folder; a folder holding the first three is used as is."""

SECTION_FILES = {
    "dedup": ("syndication/docs.jsonl.gz", "news_pool/docs.jsonl.gz"),
    "events": ("ecbplus/docs.jsonl", "basil/docs.jsonl"),
    "pairs": (
        "msrp/pairs.jsonl",
        "sts_news/pairs.jsonl",
        "ecbplus/sentence_pairs.jsonl.gz",
        "ecbplus/docs.jsonl",
    ),
    "align": ("ecbplus/docs.jsonl", "ecbplus/sentence_pairs.jsonl.gz", "basil/docs.jsonl"),
    "claims": ("claims_dev/docs.jsonl", "claims_dev/units.jsonl", "claims_dev/claims.jsonl"),
    "copies": ("syndication/docs.jsonl.gz",),
    "speed": ("news_pool/docs.jsonl.gz", "ecbplus/docs.jsonl", "basil/docs.jsonl"),
}
"""The data files each section of the shared layout reads (fingerprinted in the result)."""


def fingerprint(path: Path, root: Path) -> dict[str, Any]:
    """Return the sha256 and size of a data file, with its path relative to ``root``."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    try:
        name = path.relative_to(root).as_posix()
    except ValueError:
        name = str(path)
    return {"path": name, "sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def is_shared_layout(data: Path) -> bool:
    """Whether ``data`` is laid out like the shared research data (used as is)."""
    return all(
        (data / SHARED_LAYOUT[name]).is_file() for name in ("syndication", "ecbplus", "basil")
    )


def _open_text(path: Path) -> TextIO:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with _open_text(path) as fh:
        records = []
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as error:
                msg = f"{path}:{number}: not a JSON line ({error.msg})"
                raise InvalidInputError(msg) from error
        return records


def _first_record(path: Path) -> dict[str, Any] | None:
    try:
        with _open_text(path) as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    return record if isinstance(record, dict) else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return None


def discover(data: Path) -> dict[str, list[Path]]:
    """Classify the JSONL files under ``data`` by the shape of their first record.

    Returns
    -------
    dict
        ``{"grouping": [...], "pairs": [...], "ignored": [...]}``: files whose records have
        ``text`` and ``cluster``; files whose records have ``a``, ``b`` and ``label``; the rest.
    """
    found: dict[str, list[Path]] = {"grouping": [], "pairs": [], "ignored": []}
    files = sorted(
        p
        for p in data.rglob("*")
        if p.is_file() and (p.name.endswith(".jsonl") or p.name.endswith(".jsonl.gz"))
    )
    for path in files:
        record = _first_record(path)
        if record is not None and "text" in record and "cluster" in record:
            found["grouping"].append(path)
        elif record is not None and {"a", "b", "label"} <= record.keys():
            found["pairs"].append(path)
        else:
            found["ignored"].append(path)
    return found


def set_name(path: Path, data: Path) -> str:
    name = path.relative_to(data).as_posix()
    for suffix in (".gz", ".jsonl"):
        name = name.removesuffix(suffix)
    return name.removesuffix("/docs").removesuffix("/pairs")


def load_grouping(path: Path) -> tuple[list[Any], list[str]]:
    from storymatch.models import Article

    records = read_jsonl(path)
    for number, record in enumerate(records, 1):
        if not isinstance(record, dict) or "text" not in record or "cluster" not in record:
            msg = f"{path}: record {number} lacks 'text' or 'cluster'"
            raise InvalidInputError(msg)
        record.setdefault("id", f"{number}")
        record["id"] = str(record["id"])
    return [Article.from_dict(r) for r in records], [str(r["cluster"]) for r in records]
