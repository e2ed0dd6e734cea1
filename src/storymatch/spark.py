"""Deprecated alias of :mod:`storymatch.dedup.spark`, the Spark engine's new home.

``from storymatch.spark import find_duplicates`` (also ``dedup_files`` and
``SparkDedupSummary``) keeps working, with a ``DeprecationWarning``, for one minor release;
import from :mod:`storymatch.dedup.spark` instead.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

__all__: list[str] = []
_MOVED = ("SparkDedupSummary", "dedup_files", "find_duplicates")


def __getattr__(name: str) -> Any:
    """Return ``name`` from :mod:`storymatch.dedup.spark`, warning that it moved."""
    if name not in _MOVED:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    msg = f"storymatch.spark.{name} moved to storymatch.dedup.spark.{name}; import it from there"
    warnings.warn(msg, DeprecationWarning, stacklevel=2)
    return getattr(importlib.import_module("storymatch.dedup.spark"), name)
