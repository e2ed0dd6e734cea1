"""Helpers shared by the Spark engine's tests and their fixtures."""

from __future__ import annotations

import importlib.util
import os

import pytest


def unavailable(reason: str) -> None:
    """Skip, or fail where the Spark tests are required (``STORYMATCH_REQUIRE_SPARK``)."""
    if os.environ.get("STORYMATCH_REQUIRE_SPARK"):
        pytest.fail(f"Spark tests are required here (STORYMATCH_REQUIRE_SPARK): {reason}")
    pytest.skip(reason)


def require_modules(*names: str) -> None:
    """Skip (or fail) unless every module is installed."""
    for name in names:
        if importlib.util.find_spec(name) is None:
            unavailable(f"{name} is not installed (pip install -e . --group spark)")
