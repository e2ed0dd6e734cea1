"""docs/quickstart.md runs as written: its commands, their shown output, its Python (issue 15).

The page's ``bash`` blocks run in order in a scratch folder that holds the checkout's
``examples/`` (``storymatch`` is this checkout's ``python -m storymatch``); a ``text`` block
right after a command is its expected output (doctest's ``...`` stands for any text), checked
against what the command printed. The ``pycon`` blocks run as one doctest session. A block
under a ``<!-- not run -->`` line (installing, activating a virtual environment) is skipped.
"""

from __future__ import annotations

import doctest
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "quickstart.md"
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_NOT_RUN = "<!-- not run -->"


def _blocks() -> list[tuple[str, str, bool]]:
    """Return the page's fenced blocks: (language, body, whether it is marked not run)."""
    text = PAGE.read_text(encoding="utf-8")
    out = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip().splitlines()
        skipped = bool(before) and before[-1].strip() == _NOT_RUN
        out.append((match.group(1), match.group(2), skipped))
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A scratch folder with the checkout's examples and a ``storymatch`` on PATH."""
    folder = tmp_path_factory.mktemp("quickstart")
    (folder / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "storymatch"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m storymatch "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return folder


def test_the_page_has_a_walk_to_run():
    languages = [lang for lang, _, skipped in _blocks() if not skipped]
    assert languages.count("bash") >= 6
    assert languages.count("pycon") >= 5
    assert languages.count("text") >= 2
    commands = "\n".join(body for lang, body, _ in _blocks() if lang == "bash")
    for step in ("dedup", "copies", "events", "compare", "report"):
        assert f"storymatch {step} " in commands, step
    assert "--event e-" in commands


def test_the_commands_run_and_print_what_the_page_shows(workdir):
    env = {
        **os.environ,
        "PATH": f"{workdir / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    blocks = _blocks()
    ran = 0
    for k, (lang, body, skipped) in enumerate(blocks):
        if lang != "bash" or skipped:
            continue
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", body],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, f"{body}\n{proc.stderr}"
        ran += 1
        following = blocks[k + 1] if k + 1 < len(blocks) else None
        if following is not None and following[0] == "text":
            got = proc.stdout + proc.stderr
            assert checker.check_output(following[1], got, flags), f"{body}\n{got}"
    assert ran >= 6
    for name in ("dedup.jsonl", "groups.jsonl", "copies.jsonl", "events.jsonl", "dock.md"):
        assert (workdir / name).stat().st_size > 0, name
    assert (workdir / "report" / "index.html").is_file()
    assert (workdir / "report" / "e-d32f1693f91b37e3.html").is_file()


def test_the_python_runs_as_shown(workdir, monkeypatch):
    monkeypatch.chdir(workdir)
    source = "\n".join(body for lang, body, skipped in _blocks() if lang == "pycon" and not skipped)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(source, {}, "quickstart", str(PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    reports: list[str] = []  # written while doctest holds sys.stdout: kept, shown on failure
    runner.run(test, out=reports.append)
    assert runner.failures == 0, "".join(reports)
    assert runner.tries >= 15
    assert (workdir / "report-py" / "index.html").is_file()
