"""``storymatch bench``: the suite on a tiny labelled folder, the gate, atomic results."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import random
import signal
import sys
from pathlib import Path
from types import ModuleType

import pytest

from storymatch import cli
from storymatch.cli import commands
from storymatch.errors import InvalidParameterError

REPO = Path(__file__).resolve().parents[2]

WORDS = [
    "council",
    "budget",
    "river",
    "bridge",
    "school",
    "market",
    "energy",
    "price",
    "report",
    "minister",
    "vote",
    "harbor",
    "season",
    "court",
    "ruling",
    "storm",
    "airport",
    "union",
    "wages",
    "tax",
    "rally",
    "police",
    "fire",
    "flood",
    "election",
    "museum",
]


def _benchmarks(name: str) -> ModuleType:
    """Import ``benchmarks.NAME`` from this checkout (pysbd installs an unrelated package)."""
    loaded = sys.modules.get("benchmarks")
    if loaded is not None and Path(loaded.__file__ or "").resolve().parent != REPO / "benchmarks":
        for module in [m for m in sys.modules if m == "benchmarks" or m.startswith("benchmarks.")]:
            del sys.modules[module]
    if str(REPO) not in sys.path[:1]:
        sys.path.insert(0, str(REPO))
    return importlib.import_module(f"benchmarks.{name}")


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    """A folder of labelled JSONL in the record shapes the suite discovers."""
    data = tmp_path / "data"
    docs = []
    for c in range(5):
        rng = random.Random(c)
        words = [rng.choice(WORDS) for _ in range(60)]
        text = " ".join(words) + "."
        docs.append({"id": f"d{c}", "text": text, "title": f"story {c}", "cluster": f"c{c}"})
        if c % 2 == 0:
            copy = f"Skip to content\n\n{text}\n\nShare this: Facebook Twitter"
            docs.append({"id": f"d{c}-copy", "text": copy, "cluster": f"c{c}"})
    _write_jsonl(data / "mine" / "docs.jsonl", docs)
    pairs = [
        {"id": f"p{i}", "a": f"The {w} rose by {i} percent.", "b": b, "label": i % 2}
        for i, w in enumerate(WORDS[:10])
        for b in [f"The {w} rose by {i} percent on Monday." if i % 2 else f"No news on {w}."]
    ]
    _write_jsonl(data / "pairs.jsonl", pairs)
    _write_jsonl(data / "other.jsonl", [{"x": 1}])
    return data


def test_discover_by_record_shape(labelled: Path):
    suite = _benchmarks("suite")
    found = suite.discover(labelled)
    assert [p.name for p in found["grouping"]] == ["docs.jsonl"]
    assert [p.name for p in found["pairs"]] == ["pairs.jsonl"]
    assert [p.name for p in found["ignored"]] == ["other.jsonl"]
    assert not suite.is_shared_layout(labelled)


def test_bench_quality_on_user_data(labelled: Path, tmp_path: Path, capsys):
    out = tmp_path / "results"
    argv = ["bench", "quality", "--data", str(labelled), "--only", "dedup,events"]
    assert cli.main([*argv, "--out", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["settings"]["layout"] == "discovered"
    assert result["settings"]["sections"] == ["dedup", "events"]
    assert result["metrics"]["dedup/mine/ari"] == 1.0
    assert 0.0 <= result["metrics"]["events/mine/bcubed_f1"] <= 1.0
    tools = {r["tool"] for r in result["summary"]["groups"]}
    assert {"storymatch (defaults)", "datasketch t=0.3 + exact check"} <= tools
    assert any(t.startswith("tfidf+agglomerative") for t in tools)
    sweep = result["sections"]["dedup"]["datasets"]["mine"]["sweep"]
    assert [r["value"] for r in sweep] == list(_benchmarks("suite").DEDUP_SWEEP)
    assert result["sections"]["events"]["datasets"]["mine"]["sweep"]
    # versions, machine and data fingerprints travel with the result
    assert result["versions"]["storymatch"]
    assert result["machine"]["cores"]
    (fingerprint,) = result["data"]
    file = labelled / "mine" / "docs.jsonl"
    assert fingerprint == {
        "path": "mine/docs.jsonl",
        "sha256": hashlib.sha256(file.read_bytes()).hexdigest(),
        "bytes": file.stat().st_size,
    }
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert written == ["quality.json", "quality.md"]
    assert json.loads(next(out.rglob("quality.json")).read_text())["metrics"] == result["metrics"]
    assert "storymatch (defaults)" in next(out.rglob("quality.md")).read_text()

    # the table on stdout, nothing at all with --quiet
    assert cli.main([*argv, "--no-write"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("| task | dataset | tool | ARI |")
    assert cli.main([*argv, "--no-write", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_bench_quality_pairs(labelled: Path, capsys):
    argv = ["bench", "quality", "--data", str(labelled), "--only", "pairs", "--no-write"]
    assert cli.main([*argv, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    section = result["sections"]["pairs"]["sets"]["pairs"]
    assert section["labels"] == "binary"
    tools = [r["tool"] for r in section["rows"]]
    assert tools[0].startswith("storymatch")
    assert tools[1:] == ["rapidfuzz token_set_ratio", "TF-IDF cosine"]
    assert {"pairs/pairs/f1", "pairs/pairs/accuracy", "pairs/pairs/pearson_r"} <= set(
        result["metrics"]
    )
    assert set(section["curves"]) == set(tools)


def test_bench_usage_errors(labelled: Path, capsys):
    assert cli.main(["bench", "quality", "--data", str(labelled), "--only", "nope"]) == 2
    assert "'only'" in capsys.readouterr().err
    assert cli.main(["bench", "quality", "--data", str(labelled / "missing")]) == 2
    assert cli.main(["bench", "speed", "--data", str(labelled), "--sizes", "1k"]) == 2
    assert "news_pool" in capsys.readouterr().err
    assert cli.main(["bench", "speed", "--data", str(labelled), "--sizes", "ten"]) == 2
    # a folder without labelled JSONL is an input error
    empty = labelled.parent / "empty"
    empty.mkdir()
    assert cli.main(["bench", "quality", "--data", str(empty)]) == 1
    assert "labelled JSONL" in capsys.readouterr().err


def test_bench_needs_a_checkout(monkeypatch, capsys):
    monkeypatch.setattr(commands, "bench_root", lambda: None)
    assert cli.main(["bench", "quality"]) == 2
    err = capsys.readouterr().err
    assert "runs the benchmark suite of a source checkout" in err
    assert "clone the repository" in err


def test_parse_sizes():
    suite = _benchmarks("suite")
    assert suite.parse_sizes("1k,10k,100k") == [1000, 10000, 100000]
    assert suite.parse_sizes("2000, 1e5,2_000") == [2000, 100000]
    assert suite.parse_sizes([300, 100]) == [100, 300]
    for bad in ("", "0", "ten", "-1k"):
        with pytest.raises(InvalidParameterError):
            suite.parse_sizes(bad)


# ---------------------------------------------------------------------------------- atomic
def test_interrupted_run_writes_nothing(labelled: Path, tmp_path: Path, monkeypatch):
    suite = _benchmarks("suite")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(suite, "events_user", interrupted)
    out = tmp_path / "results"
    with pytest.raises(KeyboardInterrupt):
        cli.main(["bench", "quality", "--data", str(labelled), "--out", str(out), "-q"])
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def _tiny_result(suite: ModuleType) -> dict[str, object]:
    return suite._header("quality", [], {"data": "x", "sections": []}) | {
        "data": [],
        "sections": {},
        "metrics": {"dedup/x/ari": 1.0},
        "summary": {},
    }


def test_failure_while_writing_leaves_no_file(tmp_path: Path, monkeypatch):
    suite = _benchmarks("suite")
    result = _tiny_result(suite)

    def broken(result):
        msg = "disk full"
        raise RuntimeError(msg)

    monkeypatch.setattr(suite, "to_markdown", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        suite.write_result(result, tmp_path)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_ctrl_c_while_writing_is_held_until_both_files_are_complete(tmp_path: Path, monkeypatch):
    suite = _benchmarks("suite")
    result = _tiny_result(suite)
    render = suite.to_markdown

    def interrupted_render(result):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C arrives mid-write
        return render(result)

    monkeypatch.setattr(suite, "to_markdown", interrupted_render)
    handler = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        suite.write_result(result, tmp_path)
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["quality.json", "quality.md"]
    assert json.loads(next(tmp_path.rglob("quality.json")).read_text())["metrics"] == {
        "dedup/x/ari": 1.0
    }
    assert signal.getsignal(signal.SIGINT) is handler


# ---------------------------------------------------------------------------------- gate
@pytest.fixture
def floors(tmp_path: Path) -> Path:
    doc = {
        "floors": {
            "dedup/syndication/ari": {"floor": 0.9},
            "dedup/syndication/pair_p": {"floor": 0.8},
            "events/basil/bcubed_f1": {"floor": 0.95},
            "align/ecbplus/f1": {"floor": 0.5},
        },
        "history": [],
    }
    path = tmp_path / "floors.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _result(path: Path, metrics: dict[str, float], sections: list[str]) -> Path:
    result = {"metrics": metrics, "settings": {"layout": "shared", "sections": sections}}
    path.write_text(json.dumps(result), encoding="utf-8")
    return path


def test_gate_compares_with_floors(floors: Path, tmp_path: Path, capsys):
    gate = _benchmarks("gate")
    doc = gate.load_floors(floors)
    good = {"dedup/syndication/ari": 0.95, "dedup/syndication/pair_p": 0.8}
    verdict = gate.check(
        {"metrics": good, "settings": {"layout": "shared", "sections": ["dedup"]}}, doc
    )
    assert verdict.passed
    assert verdict.checked == 2
    assert sorted(verdict.not_applicable) == ["align/ecbplus/f1", "events/basil/bcubed_f1"]

    metrics = {"dedup/syndication/ari": 0.85, "events/basil/bcubed_f1": 0.99}
    path = _result(tmp_path / "quality.json", metrics, ["dedup", "events"])
    assert gate.main(["--results", str(path), "--floors", str(floors)]) == 1
    out = capsys.readouterr().out
    assert "FAILED: 2 of 3" in out
    assert "dedup/syndication/ari: 0.85 < floor 0.9" in out
    assert "dedup/syndication/pair_p: missing" in out  # its section ran: a missing metric fails

    path = _result(
        tmp_path / "quality.json", {**good, "events/basil/bcubed_f1": 0.95}, ["dedup", "events"]
    )
    assert gate.main(["--results", str(path), "--floors", str(floors)]) == 0
    assert "passed: 3 floors met" in capsys.readouterr().out


def test_gate_lowers_a_floor_only_with_a_reason(floors: Path, capsys):
    gate = _benchmarks("gate")
    before = floors.read_text()
    assert gate.main(["--floors", str(floors), "--lower", "dedup/syndication/ari=0.85"]) == 2
    assert "reason" in capsys.readouterr().err
    assert floors.read_text() == before
    # not a lowering, an unknown key, a malformed change: refused, nothing written
    for change in ("dedup/syndication/ari=0.95", "nope/x/y=0.1", "dedup/syndication/ari"):
        args = ["--floors", str(floors), "--lower", change, "--reason", "because"]
        assert gate.main(args) == 2
        assert floors.read_text() == before
    args = ["--floors", str(floors), "--lower", "dedup/syndication/ari=0.85"]
    assert gate.main([*args, "--reason", "new tokeniser; see PR 12"]) == 0
    doc = gate.load_floors(floors)
    assert doc["floors"]["dedup/syndication/ari"]["floor"] == 0.85
    (change,) = doc["history"]
    assert change["key"] == "dedup/syndication/ari"
    assert (change["old"], change["new"]) == (0.9, 0.85)
    assert change["reason"] == "new tokeniser; see PR 12"
    assert change["date"]
    # raising needs no reason, and refuses to lower
    assert gate.main(["--floors", str(floors), "--raise", "events/basil/ari=0.97"]) == 0
    assert gate.load_floors(floors)["floors"]["events/basil/ari"] == {"floor": 0.97}
    assert gate.main(["--floors", str(floors), "--raise", "events/basil/ari=0.5"]) == 2
    assert len(gate.load_floors(floors)["history"]) == 1


# ---------------------------------------------------------------------------------- speed, plots
def _speed_result() -> dict[str, object]:
    def run(seconds: float, mb: float) -> dict[str, object]:
        return {"ok": True, "seconds": seconds, "peak_extra_mb": mb, "ari": 0.9}

    sizes = [
        {
            "n_docs": n,
            "results": {"storymatch": run(n / 20000, n / 300), "datasketch": run(n / 1500, n / 25)},
        }
        for n in (1000, 10000)
    ]
    section = {
        "sizes": sizes,
        "growth_exponent": {"storymatch": 1.0},
        "memory_growth_exponent": {"storymatch": 1.0},
    }
    return {"benchmark": "speed", "sections": {"dedup": section}}


def test_speed_summary_has_ratios_and_growth():
    suite = _benchmarks("suite")
    result = _speed_result()
    result["summary"] = suite._speed_summary(result["sections"])
    rows = {(r["docs"], r["tool"]): r for r in result["summary"]["throughput"]}
    assert rows[10000, "storymatch"]["vs_anchor"] == pytest.approx(20000 / 1500, rel=1e-3)
    assert rows[10000, "datasketch"]["vs_anchor"] == 1.0
    text = suite.summary_markdown(result)
    assert "| dedup | 10,000 | storymatch |" in text
    assert "13.33x" in text
    results = _benchmarks("results")
    assert results.growth_exponent([(1000, 1.0), (10000, 10.0)]) == 1.0
    assert results.growth_exponent([(1000, 1.0)]) is None


def test_rensa_pipeline_groups_copies():
    pytest.importorskip("rensa")
    suite = _benchmarks("suite")
    texts = [" ".join(random.Random(k).choices(WORDS, k=40)) for k in range(4)]
    labels = suite.rensa_dedup([*texts, "Breaking: " + texts[1]])
    assert labels[4] == labels[1]
    assert len(set(labels)) == 4


def test_plots_from_results(labelled: Path, tmp_path: Path, capsys):
    pytest.importorskip("matplotlib")
    plots = _benchmarks("plots")
    out = tmp_path / "results"
    argv = ["bench", "quality", "--data", str(labelled), "--only", "dedup", "--out", str(out), "-q"]
    assert cli.main(argv) == 0
    quality = next(out.rglob("quality.json"))
    speed = tmp_path / "speed.json"
    speed.write_text(json.dumps(_speed_result()), encoding="utf-8")
    images = tmp_path / "img"
    assert plots.main(["--quality", str(quality), "--speed", str(speed), "--out", str(images)]) == 0
    written = sorted(p.name for p in images.iterdir())
    assert written == ["bench-dedup-threshold.png", "bench-speed-dedup.png"]
    assert all((images / name).read_bytes().startswith(b"\x89PNG") for name in written)


def test_pairs_quality_result_gives_held_out_metrics():
    sections = _benchmarks("sections_quality")

    def mean(value):
        return {"mean": value, "sd": 0.01}

    result = {
        "scorer_cv": {
            "summary": {
                "threshold": mean(0.48),
                "msrp": {"f1": mean(0.81), "accuracy": mean(0.73)},
                "ecbplus": {"f1": mean(0.62), "accuracy": mean(0.80)},
                "sts": {"pearson": mean(0.77)},
            }
        },
        "shipped": {"threshold": 0.5, "msrp": {"f1": 0.85, "accuracy": 0.78}},
        "baselines_cv": {"msrp": {"ratio": {"f1": 0.79, "accuracy": 0.70}}},
    }
    metrics, rows = sections.pairs_module_summary(object(), result)
    assert metrics == {
        "pairs/msrp/f1": 0.81,
        "pairs/msrp/accuracy": 0.73,
        "pairs/ecbplus/f1": 0.62,
        "pairs/ecbplus/accuracy": 0.8,
        "pairs/sts_news/pearson_r": 0.77,
    }
    tools = [(r["dataset"], r["tool"]) for r in rows if r["dataset"] == "msrp"]
    assert [t for _, t in tools] == [
        "storymatch LexicalScorer, default threshold (CV, held-out)",
        "storymatch LexicalScorer shipped (in-sample)",
        "baseline ratio (CV, threshold tuned on the training folds)",
    ]
