"""The example scripts run as documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
