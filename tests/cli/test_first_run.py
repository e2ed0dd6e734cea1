"""The first run compiles the numba kernels: the CLI says so, once, unless -q (issue 15)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numba as nb
import pytest
from numba.core import event as nb_event

from storymatch import _kernels

ROOT = Path(__file__).resolve().parents[2]


def test_a_kernel_compilation_is_announced_once(caplog):
    notice = _kernels._CompileNotice()
    # a dispatcher without a disk cache always compiles: the kernels' own functions, uncached
    fresh = [nb.njit(cache=False)(f.py_func) for f in (_kernels.mix64, _kernels.mix64)]
    with (
        nb_event.install_listener("numba:compile", notice),
        caplog.at_level(logging.INFO, logger="storymatch._kernels"),
    ):
        for kernel in fresh:
            kernel(5)
    assert caplog.messages.count(_kernels.COMPILING_MESSAGE) >= 1
    assert notice.told


def test_compiling_other_code_is_not_announced(caplog):
    notice = _kernels._CompileNotice()

    def add(a, b):
        return a + b

    with (
        nb_event.install_listener("numba:compile", notice),
        caplog.at_level(logging.INFO, logger="storymatch._kernels"),
    ):
        nb.njit(cache=False)(add)(1, 2)
    assert not notice.told


def _dedup(tmp_path: Path, cache: Path, *flags: str) -> str:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "The river rose two metres overnight."}) + "\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NUMBA_CACHE_DIR": str(cache)}
    proc = subprocess.run(
        [sys.executable, "-m", "storymatch", *flags, "dedup", str(src), "-o", os.devnull],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


@pytest.mark.slow
def test_the_cli_says_it_compiles_on_a_cold_cache_only(tmp_path):
    cold = _dedup(tmp_path, tmp_path / "cache")
    assert cold.count("storymatch: compiling the kernels, first run only") == 1, cold
    warm = _dedup(tmp_path, tmp_path / "cache")
    assert "compiling" not in warm, warm
    quiet = _dedup(tmp_path, tmp_path / "other-cache", "-q")
    assert quiet == "", quiet
