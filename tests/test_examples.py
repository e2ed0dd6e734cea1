"""The example scripts run as documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_find_copies_example_runs():
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "find_copies.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "e1-ledger-wire~copy-dailyroundup" in proc.stdout
    assert "ari=1.0" in proc.stdout


def _run_notebook(*, matplotlib: bool) -> subprocess.CompletedProcess[str]:
    """Run examples/notebook.py as a script, with or without matplotlib importable."""
    block = "" if matplotlib else "import sys; sys.modules['matplotlib'] = None\n"
    code = f"{block}import runpy; runpy.run_path({str(EXAMPLES / 'notebook.py')!r})"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )


def test_notebook_example_runs_end_to_end_on_the_sample():
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    proc = _run_notebook(matplotlib=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "22 articles from 17 outlets"
    tables = dict(re.findall(r"^(\w+): (\d+) rows$", proc.stdout, flags=re.MULTILINE))
    assert list(tables) == ["articles", "groups", "events", "claims", "coverage", "edits"]
    assert tables["articles"] == "22"
    assert int(tables["claims"]) > int(tables["coverage"]) > 0
    # the outlet with the most conflicts: its conflict rows, then the plot and one comparison
    conflict_line = next(line for line in lines if "claims in conflict" in line)
    assert re.fullmatch(r"\S+: [1-9]\d* claims in conflict, \d+ claims left out", conflict_line)
    assert any(line.startswith("  conflict (number) ") for line in lines)
    assert any(re.fullmatch(r"plotted coverage of [1-9]\d* outlets", line) for line in lines)
    assert re.fullmatch(r"event e-\w+: \d+ reports, \d+ claims, [1-9]\d* with conflicts", lines[-1])
    assert proc.stderr == ""  # no progress bar outside a notebook, no warning


def test_notebook_example_runs_without_matplotlib():
    pytest.importorskip("pandas")
    proc = _run_notebook(matplotlib=False)
    assert proc.returncode == 0, proc.stderr
    assert "matplotlib is not installed: no plot" in proc.stdout
    assert "plotted coverage" not in proc.stdout
