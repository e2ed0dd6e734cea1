"""The public API: __all__ is sorted, complete and documented (httpx's test_exported_members)."""

from __future__ import annotations

import subprocess
import sys

import storymatch


def test_all_is_sorted_and_unique():
    names = [n for n in storymatch.__all__ if n != "__version__"]
    assert names == sorted(names)
    assert len(set(storymatch.__all__)) == len(storymatch.__all__)


def test_all_names_exist_and_are_documented():
    for name in storymatch.__all__:
        obj = getattr(storymatch, name)
        if name == "__version__":
            assert isinstance(obj, str)
            continue
        assert obj.__doc__, f"{name} has no docstring"


def test_every_public_top_level_name_is_exported():
    public = {
        name
        for name, obj in vars(storymatch).items()
        if not name.startswith("_") and getattr(obj, "__module__", "").startswith("storymatch")
    }
    assert public <= set(storymatch.__all__)


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run(
        [sys.executable, "-m", "storymatch", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("storymatch ")
