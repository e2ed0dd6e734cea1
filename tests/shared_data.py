"""Where the tests find the shared real data, and what they do when it is missing.

The real data sets live beside the project in ``../shared/data`` (another folder can be named
with ``STORYMATCH_DATA``); the seed page in ``../shared/seed``. Their licences keep them out of
the repository. A test that needs a missing file skips, saying how to get it, for someone who
runs ``pytest`` without the data; where ``STORYMATCH_REQUIRE_DATA`` is set (``.ci/run`` sets
it) it fails instead, so that the quality floors never vanish from CI unnoticed.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_PAGE = SHARED / "seed" / "000_3418e995a78ff2f8.txt"


def data_dir() -> Path:
    """Return the shared data folder (``STORYMATCH_DATA`` or ``../shared/data``)."""
    configured = os.environ.get("STORYMATCH_DATA")
    return Path(configured) if configured else SHARED / "data"


def missing(what: str) -> NoReturn:
    """Skip the test for want of shared data, or fail where the data is required."""
    if os.environ.get("STORYMATCH_REQUIRE_DATA"):
        pytest.fail(f"{what}, and STORYMATCH_REQUIRE_DATA is set: CI must have ../shared/data")
    pytest.skip(
        f"{what}: this test reads the shared real data (put it in ../shared/data or set "
        "STORYMATCH_DATA; CI sets STORYMATCH_REQUIRE_DATA and fails instead of skipping)"
    )


def require(path: Path) -> Path:
    """Return ``path`` if it is a file, else skip or fail (see :func:`missing`)."""
    if not path.is_file():
        missing(f"not found: {path}")
    return path


def data_file(relative: str) -> Path:
    """Return a file of the shared data folder, or skip or fail when it is absent."""
    return require(data_dir() / relative)


def record_texts(relative: str) -> Iterator[str]:
    """Yield the ``text`` of each record of a JSONL(.gz) file of the shared data.

    A missing file skips or fails the test (:func:`data_file`).
    """
    path = data_file(relative)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)["text"]
