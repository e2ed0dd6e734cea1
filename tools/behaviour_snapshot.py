"""Fingerprint what the command line produces, to show a refactoring changed no result.

Runs ``storymatch dedup``, ``events`` and ``compare`` (JSON) on the bundled sample and on the
shared ``syndication`` and ``news_pool`` corpora, and ``clean`` on the sample, and records the
SHA-256 of each output (and of ``demo``'s printed lines with the output folder removed).

Usage::

    python tools/behaviour_snapshot.py write SNAPSHOT.json   # before the change
    python tools/behaviour_snapshot.py check SNAPSHOT.json   # after: exit 1 on any difference

``--only dedup,events`` limits the commands (``compare`` is the differ's, which the claims
work changes on purpose). The shared data is read from ``../shared/data`` or
``STORYMATCH_DATA``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample" / "articles.jsonl"


def _data() -> Path:
    configured = os.environ.get("STORYMATCH_DATA")
    return Path(configured) if configured else ROOT.parent / "shared" / "data"


def _inputs() -> dict[str, Path]:
    data = _data()
    return {
        "sample": SAMPLE,
        "syndication": data / "syndication" / "docs.jsonl.gz",
        "news_pool": data / "news_pool" / "docs.jsonl.gz",
    }


JOBS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    # command: (arguments after IN, the corpora it runs on)
    "dedup": (["-o", "{out}"], ("sample", "syndication", "news_pool")),
    "events": (["-o", "{out}"], ("sample", "syndication", "news_pool")),
    "clean": (["-o", "{out}"], ("sample",)),
    "compare": (["-f", "json", "-o", "{out}"], ("sample",)),
}


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "storymatch", "-q", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)


def snapshot(only: set[str] | None) -> dict[str, str]:
    """Return ``{job: sha256 of its output}``."""
    inputs = _inputs()
    result: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for command, (extra, corpora) in JOBS.items():
            if only and command not in only:
                continue
            for corpus in corpora:
                out = Path(tmp) / f"{command}-{corpus}.out"
                args = [command, str(inputs[corpus]), *(a.format(out=out) for a in extra)]
                done = _run(args)
                key = f"{command} {corpus}"
                if done.returncode != 0:
                    result[key] = f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
                else:
                    result[key] = hashlib.sha256(out.read_bytes()).hexdigest()
                print(f"{key}: {result[key][:16]}", file=sys.stderr)
        if not only or "demo" in only:
            folder = Path(tmp) / "demo"
            done = _run(["demo", "-o", str(folder)])
            printed = done.stdout.replace(str(folder), "DIR")
            result["demo stdout"] = hashlib.sha256(printed.encode()).hexdigest()
            for name in ("duplicates.jsonl", "events.jsonl"):
                path = folder / name
                if path.is_file():
                    result[f"demo {name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def main(argv: list[str] | None = None) -> int:
    """Write or check a snapshot."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["write", "check"])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--only", help="comma-separated commands (dedup,events,clean,compare,demo)")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    now = snapshot(only)
    if args.mode == "write":
        args.snapshot.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", "utf-8")
        return 0
    before = json.loads(args.snapshot.read_text("utf-8"))
    changed = [k for k in now if before.get(k) != now[k]]
    for key in changed:
        print(f"CHANGED {key}: {before.get(key)} -> {now[key]}")
    print(f"{len(now) - len(changed)} of {len(now)} outputs unchanged")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
