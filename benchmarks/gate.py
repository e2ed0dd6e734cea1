"""The quality gate: a quality result against the floors pinned in ``benchmarks/floors.json``.

Run from the repository root::

    python -m benchmarks.gate [--results FILE] [--floors FILE]
    python -m benchmarks.gate --lower KEY=VALUE [--lower KEY=VALUE ...] --reason TEXT
    python -m benchmarks.gate --raise KEY=VALUE [--raise KEY=VALUE ...]

The first form compares a result of ``storymatch bench quality`` (default: the newest
``benchmarks/results/*/quality.json``) with the floors and exits 1, listing every metric below
its floor, or missing from a section that ran. A floor applies when its section (the first part
of its key, ``dedup/syndication/ari`` -> ``dedup``) ran on the shared data layout, or when the
result has a metric of that name. When the data files differ from those the floors were pinned
on (sha256), it says so.

Floors only move on purpose: ``--lower`` needs ``--reason`` and appends ``{date, key, old, new,
reason}`` to the ``history`` of ``floors.json``; ``--raise`` raises a floor or adds one (and
refuses to lower). ``make test`` checks the floors marked ``"fast": true`` on every run
(``tests/test_quality_gate.py``); ``make bench`` runs the whole suite and then this gate.

Modelled on trafilatura's ``tests/eval_gate.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storymatch.io import atomic_write

__all__ = [
    "FLOORS",
    "GateResult",
    "check",
    "dumps_floors",
    "latest_results",
    "load_floors",
    "lower_floors",
    "main",
    "raise_floors",
    "save_floors",
]

REPO = Path(__file__).resolve().parents[1]
FLOORS = REPO / "benchmarks" / "floors.json"
RESULTS = REPO / "benchmarks" / "results"


@dataclass(frozen=True, slots=True)
class Failure:
    """A metric below its floor (``value`` None: the metric is missing from the result)."""

    key: str
    floor: float
    value: float | None

    def to_dict(self) -> dict[str, Any]:
        """Return the failure as a JSON-ready dict."""
        return {"key": self.key, "floor": self.floor, "value": self.value}

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.key}: missing (floor {self.floor})"
        return f"{self.key}: {self.value} < floor {self.floor}"


@dataclass(frozen=True, slots=True)
class GateResult:
    """The verdict: metrics checked, failures, floors that did not apply, changed data files."""

    checked: int
    failures: list[Failure] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)
    data_changed: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every applicable floor is met."""
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        """Return the verdict as a JSON-ready dict."""
        return {
            "passed": self.passed,
            "checked": self.checked,
            "failures": [f.to_dict() for f in self.failures],
            "not_applicable": self.not_applicable,
            "data_changed": self.data_changed,
        }


def load_floors(path: Path = FLOORS) -> dict[str, Any]:
    """Read ``floors.json``: ``{"floors": {key: {"floor", ...}}, "history": [...], ...}``."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc.get("floors"), dict):
        msg = f"{path}: no 'floors' object"
        raise ValueError(msg)
    doc.setdefault("history", [])
    return doc


def floor_values(doc: dict[str, Any]) -> dict[str, float]:
    """Map each key of a floors document to its floor."""
    return {key: float(entry["floor"]) for key, entry in doc["floors"].items()}


def dumps_floors(doc: dict[str, Any]) -> str:
    """Serialise a floors document: two-space indent, one line per floor, floors sorted."""
    parts = []
    for key, value in doc.items():
        if key == "floors":
            inner = ",\n".join(
                f"    {json.dumps(name)}: {json.dumps(entry, ensure_ascii=False)}"
                for name, entry in sorted(value.items())
            )
            text = "{\n" + inner + "\n  }" if inner else "{}"
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def save_floors(doc: dict[str, Any], path: Path = FLOORS) -> None:
    """Write a floors document atomically (see :func:`dumps_floors`)."""
    with atomic_write(path) as fh:
        fh.write(dumps_floors(doc))


def check(result: dict[str, Any], doc: dict[str, Any]) -> GateResult:
    """Compare the ``metrics`` of a quality result with the floors of ``doc``."""
    metrics: dict[str, float] = result.get("metrics", {})
    settings = result.get("settings", {})
    ran = set(settings.get("sections", []))
    shared = settings.get("layout") == "shared"
    failures: list[Failure] = []
    not_applicable: list[str] = []
    checked = 0
    for key, floor in floor_values(doc).items():
        section = key.split("/", 1)[0]
        if key not in metrics and not (shared and section in ran):
            not_applicable.append(key)
            continue
        checked += 1
        value = metrics.get(key)
        if value is None or value < floor:
            failures.append(Failure(key, floor, value))
    pinned = doc.get("data", {})
    seen = {d["path"]: d["sha256"] for d in result.get("data", [])}
    changed = [p for p, sha in pinned.items() if p in seen and seen[p] != sha]
    return GateResult(checked, failures, not_applicable, changed)


def _parse_changes(items: Sequence[str]) -> dict[str, float]:
    changes: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        msg = f"a floor change must read KEY=VALUE with a number. Got {item!r} instead."
        try:
            number = float(value)
        except ValueError:
            raise ValueError(msg) from None
        if not sep or not key.strip() or not math.isfinite(number):
            raise ValueError(msg)
        changes[key.strip()] = number
    return changes


def lower_floors(
    doc: dict[str, Any], changes: dict[str, float], reason: str, *, today: str | None = None
) -> dict[str, Any]:
    """Lower floors on purpose: every change needs a reason and is kept in ``history``.

    Raises
    ------
    ValueError
        If ``reason`` is empty, a key has no floor, or a value is not below the floor.
    """
    if not reason or not reason.strip():
        msg = "lowering a floor needs a reason (--reason TEXT)"
        raise ValueError(msg)
    floors = doc["floors"]
    for key, new in changes.items():
        if key not in floors:
            msg = f"{key!r} has no floor to lower (use --raise to add one)"
            raise ValueError(msg)
        if new >= float(floors[key]["floor"]):
            msg = f"{key}: {new} is not below the floor {floors[key]['floor']} (use --raise)"
            raise ValueError(msg)
    date = today or dt.date.today().isoformat()
    for key, new in changes.items():
        old = float(floors[key]["floor"])
        floors[key]["floor"] = new
        doc["history"].append(
            {"date": date, "key": key, "old": old, "new": new, "reason": reason.strip()}
        )
    return doc


def raise_floors(doc: dict[str, Any], changes: dict[str, float]) -> dict[str, Any]:
    """Raise floors, or add new ones; refuse to lower (that is :func:`lower_floors`)."""
    floors = doc["floors"]
    for key, new in changes.items():
        if key in floors and new < float(floors[key]["floor"]):
            msg = f"{key}: {new} is below the floor {floors[key]['floor']} (use --lower --reason)"
            raise ValueError(msg)
    for key, new in changes.items():
        floors.setdefault(key, {})["floor"] = new
    return doc


def latest_results(root: Path = RESULTS) -> Path | None:
    """Return the newest ``<root>/<day>/quality.json`` (by day, then modification time)."""
    found = sorted(root.glob("*/quality.json"), key=lambda p: (p.parent.name, p.stat().st_mtime))
    return found[-1] if found else None


def report(verdict: GateResult) -> str:
    """Return the verdict in words, one line per failure."""
    lines = []
    for name in verdict.data_changed:
        lines.append(f"note: {name} differs from the data the floors were pinned on")
    if verdict.passed:
        lines.append(f"quality gate passed: {verdict.checked} floors met")
    else:
        lines.append(
            f"quality gate FAILED: {len(verdict.failures)} of {verdict.checked} metrics below "
            "their floors"
        )
        lines += [f"  {failure}" for failure in verdict.failures]
        lines.append(
            "fix the regression, or lower a floor on purpose: "
            "python -m benchmarks.gate --lower KEY=VALUE --reason TEXT"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Check a result against the floors, or move floors; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.gate",
        description="Compare a quality result with the pinned floors, or move a floor.",
    )
    parser.add_argument("--results", type=Path, default=None, help="a quality.json (newest)")
    parser.add_argument("--floors", type=Path, default=FLOORS, help="floors file (%(default)s)")
    parser.add_argument(
        "--lower", action="append", default=[], metavar="KEY=VALUE", help="lower a floor"
    )
    parser.add_argument(
        "--raise",
        dest="raise_",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="raise or add a floor",
    )
    parser.add_argument("--reason", default=None, help="why a floor is lowered (required)")
    args = parser.parse_args(argv)
    doc = load_floors(args.floors)
    if args.lower or args.raise_:
        try:
            if args.lower:
                lower_floors(doc, _parse_changes(args.lower), args.reason or "")
            if args.raise_:
                raise_floors(doc, _parse_changes(args.raise_))
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        save_floors(doc, args.floors)
        print(f"floors updated in {args.floors}")
        return 0
    path = args.results or latest_results()
    if path is None or not path.is_file():
        print(
            "error: no quality result: run `storymatch bench quality` or pass --results FILE",
            file=sys.stderr,
        )
        return 2
    result = json.loads(path.read_text(encoding="utf-8"))
    verdict = check(result, doc)
    print(f"{path}:")
    print(report(verdict), end="")
    return 0 if verdict.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
