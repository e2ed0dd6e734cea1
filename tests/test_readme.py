"""The README's first steps say how to reach the command they install (issue 15)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_says_how_to_run_storymatch_where_it_shows_make_demo():
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    # the first block shows `make demo` and `make test`; the paragraph after it says where
    # the command went
    block = re.search(r"```bash\nmake demo.*?```\n\n(.*?)\n\n", readme, flags=re.DOTALL)
    assert block is not None
    after = block.group(1)
    assert ".venv/bin/storymatch" in after
    assert "source .venv/bin/activate" in after
    quick = readme.split("## Quick look", 1)[1].split("```bash", 1)[0]
    assert "source .venv/bin/activate" in quick


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_ends_by_saying_how_to_run_storymatch():
    # -n prints the recipe without running it; the last lines are the hint
    proc = subprocess.run(
        ["make", "-n", "demo", "VENV=/nonexistent-venv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    demo = next(i for i, line in enumerate(lines) if "storymatch demo" in line)
    hint = "\n".join(lines[demo + 1 :])
    assert "/nonexistent-venv/bin/storymatch --help" in hint
    assert "source /nonexistent-venv/bin/activate" in hint
