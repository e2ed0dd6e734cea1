"""Helpers shared by the tests of :mod:`storymatch.io`: parser backends, input files, records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import storymatch.io.records as sm_io

try:
    import orjson as _orjson_module
except ImportError:  # a dependency, but the readers work without it (json instead)
    _orjson_module = None


BACKENDS = [
    pytest.param("json", id="json"),
    pytest.param(
        "orjson",
        id="orjson",
        marks=pytest.mark.skipif(_orjson_module is None, reason="orjson is not installed"),
    ),
]


@contextmanager
def use_backend(name: str) -> Iterator[None]:
    """Parse with the stdlib json module or with orjson (restored afterwards)."""
    saved = sm_io._orjson
    sm_io._orjson = _orjson_module if name == "orjson" else None
    try:
        yield
    finally:
        sm_io._orjson = saved


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    data = b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)
    path.write_bytes(data)
    return path


def jl(**record: Any) -> str:
    return json.dumps(record)


RECORDS: list[dict[str, Any]] = [
    {
        "id": "a1",
        "text": "Storm hits the coast.\nThousands without power.",
        "source": "example.com",
        "title": "Storm",
        "date": "2024-05-01T10:00:00Z",
        "url": "https://example.com/storm",
        "lang": "en",
        "tags": ["weather", {"level": 3}],
    },
    {"id": "a2", "text": "Grüße aus Köln — «ça va?» 日本語 🙂", "source": "beispiel.de"},
    {"id": "a3", "text": ""},
]

GOOD = jl(id="ok", text="fine")
