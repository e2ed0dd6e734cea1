"""The fast part of the quality gate: the cheap metrics against ``benchmarks/floors.json``.

The floors marked ``"fast"`` are computed here the way ``storymatch bench quality`` computes
them (``benchmarks.suite.fast_metrics``: storymatch's defaults on the syndication set and
``EventClusterer`` on BASIL, a few seconds) and compared by ``benchmarks.gate.check``, so a
change that drops below a floor fails ``make test``. The full suite and gate are ``make bench``.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType

from tests import shared_data

REPO = Path(__file__).resolve().parents[1]
FLOORS = REPO / "benchmarks" / "floors.json"


def _benchmarks(name: str) -> ModuleType:
    """Import ``benchmarks.NAME`` from this checkout (pysbd installs an unrelated package)."""
    loaded = sys.modules.get("benchmarks")
    if loaded is not None and Path(loaded.__file__ or "").resolve().parent != REPO / "benchmarks":
        for module in [m for m in sys.modules if m == "benchmarks" or m.startswith("benchmarks.")]:
            del sys.modules[module]
    if str(REPO) not in sys.path[:1]:
        sys.path.insert(0, str(REPO))
    return importlib.import_module(f"benchmarks.{name}")


def test_floors_file_is_well_formed():
    gate = _benchmarks("gate")
    suite = _benchmarks("suite")
    doc = gate.load_floors(FLOORS)
    assert doc["floors"], "no floors pinned"
    for key, entry in doc["floors"].items():
        section, dataset, metric = key.split("/")
        assert section in suite.QUALITY_SECTIONS, key
        assert dataset, key
        assert metric, key
        if "_vs_" in metric:  # a ratio against an anchor (align/basil/confirmed_vs_difflib)
            assert entry["floor"] >= 0.0, key
        else:
            assert 0.0 <= entry["floor"] <= 1.0, key
        if "measured" in entry:  # a floor sits at or below what was measured when pinned
            assert entry["floor"] <= entry["measured"], key
    for change in doc["history"]:
        assert {"date", "key", "old", "new", "reason"} <= change.keys()
        assert change["reason"].strip()
        assert change["new"] < change["old"]
    # the committed file is in the form the gate writes (a --lower leaves a small diff)
    assert gate.dumps_floors(json.loads(FLOORS.read_text(encoding="utf-8"))) == FLOORS.read_text(
        encoding="utf-8"
    )


def test_every_floor_sits_within_its_noise_of_the_figure_measured():
    # A floor far below what the code measured lets a real drop pass. Each floor carries the
    # figure measured when it was pinned (the one docs/benchmarks.md quotes) and that figure's
    # noise (cross-validation spread, or a rounding margin for deterministic figures); it may
    # sit lower only when the history records why.
    doc = _benchmarks("gate").load_floors(FLOORS)
    lowered = {(c["key"], c["new"]) for c in doc["history"]}
    for key, entry in doc["floors"].items():
        assert {"floor", "measured", "noise"} <= entry.keys(), key
        assert 0.0 <= entry["noise"] <= 0.02, key
        if (key, entry["floor"]) in lowered:
            continue
        assert entry["floor"] >= entry["measured"] - entry["noise"] - 1e-9, (
            f"{key}: floor {entry['floor']} is more than the noise {entry['noise']} below the "
            f"measured {entry['measured']}; raise it, or lower it on purpose with a reason"
        )


def test_fast_floors():
    data = shared_data.data_dir()
    shared_data.require(data / "syndication" / "docs.jsonl.gz")
    gate = _benchmarks("gate")
    suite = _benchmarks("suite")
    doc = gate.load_floors(FLOORS)
    fast = {k: v for k, v in doc["floors"].items() if v.get("fast")}
    assert fast, "no floor is marked fast"
    metrics = suite.fast_metrics(data, list(fast))
    assert set(metrics) == set(fast), "fast_metrics must compute every floor marked fast"
    result = {"metrics": metrics, "settings": {"layout": "shared", "sections": []}}
    verdict = gate.check(result, doc | {"floors": fast})
    assert verdict.checked == len(fast)
    assert verdict.passed, gate.report(verdict)
