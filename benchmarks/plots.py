"""Charts of the benchmark results, for ``docs/benchmarks.md``.

Run from the repository root after ``storymatch bench quality`` and ``storymatch bench speed``::

    python -m benchmarks.plots [--quality FILE] [--speed FILE] [--out docs/img]

Reads the newest ``benchmarks/results/*/quality.json`` and ``speed.json`` (or the files given)
and writes PNG files:

``bench-dedup-threshold.png``
    ARI, pairwise precision and recall of near-duplicate grouping against the Jaccard threshold,
    one panel per dataset, the default threshold marked, the datasketch anchor (MinHash LSH +
    exact check) as points at the thresholds it was run with.
``bench-events-threshold.png``
    B-cubed precision, recall and F1 of event grouping against the ``EventClusterer``
    threshold, per dataset, the default marked, the scikit-learn anchors' B-cubed F1 as lines.
``bench-pairs-threshold.png``
    Precision and recall of each sentence-pair scorer against its decision threshold, per
    labelled pair set, storymatch's default threshold marked (when the result has the curves).
``bench-speed-dedup.png`` and ``bench-speed-events.png``
    Documents per second and peak extra memory against corpus size, log-log, storymatch and its
    anchors on one chart.

Needs matplotlib (``pip install matplotlib``, or the ``bench`` dependency group).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
DEFAULT_OUT = REPO / "docs" / "img"

_COLOURS = {
    "storymatch": "#1f77b4",
    "storymatch-anchor-config": "#6baed6",
    "datasketch": "#d62728",
    "rensa": "#ff7f0e",
    "EventClusterer": "#1f77b4",
    "tfidf+agglomerative": "#d62728",
}


def _pyplot() -> Any:
    try:
        import matplotlib as mpl
    except ImportError as error:
        msg = (
            "the plots need matplotlib: pip install matplotlib (or: pip install -e . --group bench)"
        )
        raise SystemExit(msg) from error
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "font.size": 9,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _latest(name: str) -> Path | None:
    found = sorted(RESULTS.glob(f"*/{name}.json"), key=lambda p: (p.parent.name, p.stat().st_mtime))
    return found[-1] if found else None


def _save(fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    # no software/date metadata: the same result gives the same bytes
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


def _mark_default(ax: Any, value: float | None) -> None:
    if value is None:
        return
    ax.axvline(value, color="0.35", linestyle="--", linewidth=1)
    ax.annotate(
        f"default {value:g}",
        xy=(value, 0.99),
        xycoords=("data", "axes fraction"),
        xytext=(3, 0),
        textcoords="offset points",
        va="top",
        fontsize=8,
        color="0.25",
    )


# ---------------------------------------------------------------------------------- quality
def dedup_sweeps(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per dataset: the threshold rows, the default threshold and the datasketch points."""
    section = result.get("sections", {}).get("dedup", {})
    out: dict[str, dict[str, Any]] = {}
    if "sweep" in section:  # the shared layout: benchmarks.dedup_quality.run
        out["syndication"] = {
            "rows": [r for r in section["sweep"] if r.get("knob") == "threshold"],
            "default": section.get("defaults", {}).get("threshold"),
            "anchor": section.get("syndication", []),
        }
    for name, data in section.get("datasets", {}).items():  # user data
        out[name] = {
            "rows": data.get("sweep", []),
            "default": section.get("defaults", {}).get("threshold"),
            "anchor": data.get("rows", []),
        }
    return {k: v for k, v in out.items() if v["rows"]}


def _datasketch_points(rows: Sequence[dict[str, Any]]) -> list[tuple[float, float]]:
    points = []
    for row in rows:
        match = re.fullmatch(r"datasketch t=([0-9.]+) \+ exact check", str(row.get("tool", "")))
        if match:
            points.append((float(match.group(1)), float(row["ari"])))
    return sorted(points)


def plot_dedup(result: dict[str, Any], out: Path) -> Path | None:
    """Write ``bench-dedup-threshold.png``; None when the result has no threshold sweep."""
    sweeps = dedup_sweeps(result)
    if not sweeps:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(sweeps), figsize=(5.2 * len(sweeps), 3.4), squeeze=False)
    for ax, (name, sweep) in zip(axes[0], sweeps.items(), strict=True):
        rows = sorted(sweep["rows"], key=lambda r: r["value"])
        x = [r["value"] for r in rows]
        ax.plot(x, [r["ari"] for r in rows], marker="o", label="storymatch ARI", color="#1f77b4")
        ax.plot(x, [r["pair_p"] for r in rows], marker=".", label="pair precision", color="#2ca02c")
        ax.plot(x, [r["pair_r"] for r in rows], marker=".", label="pair recall", color="#9467bd")
        points = _datasketch_points(sweep["anchor"])
        if points:
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker="s",
                linestyle=":",
                color="#d62728",
                label="datasketch + exact check, ARI",
            )
        _mark_default(ax, sweep["default"])
        ax.set_title(f"Near-duplicate groups: {name}")
        ax.set_xlabel("Jaccard threshold (containment rule at its default)")
        ax.set_ylim(0.0, 1.02)
        ax.legend(loc="best", fontsize=7)
    return _save(fig, out / "bench-dedup-threshold.png")


def event_sweeps(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per dataset: the EventClusterer threshold rows, the default and the anchors' F1."""
    section = result.get("sections", {}).get("events", {})
    default = section.get("event_clusterer_defaults", {}).get("threshold")
    out: dict[str, dict[str, Any]] = {}
    anchors: dict[str, dict[str, float]] = {}
    for row in section.get("rows", []):
        if row["method"].startswith("tfidf"):
            anchors.setdefault(row["set"], {})[row["method"]] = row["bcubed"]["f1"]
    for name, rows in section.get("sweep", {}).items():
        out[name] = {"rows": rows, "default": default, "anchors": anchors.get(name, {})}
    for name, data in section.get("datasets", {}).items():
        found = {r["tool"]: r["bcubed_f1"] for r in data["rows"] if r["tool"].startswith("tfidf")}
        out[name] = {"rows": data.get("sweep", []), "default": default, "anchors": found}
    return {k: v for k, v in out.items() if v["rows"]}


def plot_events(result: dict[str, Any], out: Path) -> Path | None:
    """Write ``bench-events-threshold.png``; None when the result has no threshold sweep."""
    sweeps = event_sweeps(result)
    if not sweeps:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(sweeps), figsize=(5.2 * len(sweeps), 3.4), squeeze=False)
    for ax, (name, sweep) in zip(axes[0], sweeps.items(), strict=True):
        rows = sorted(sweep["rows"], key=lambda r: r["threshold"])
        x = [r["threshold"] for r in rows]
        ax.plot(x, [r["bcubed_f1"] for r in rows], marker="o", label="storymatch B³ F1")
        ax.plot(x, [r["bcubed_p"] for r in rows], marker=".", label="B³ precision")
        ax.plot(x, [r["bcubed_r"] for r in rows], marker=".", label="B³ recall")
        for (tool, f1), style in zip(sweep["anchors"].items(), (":", "-."), strict=False):
            ax.axhline(f1, color="#d62728", linestyle=style, linewidth=1, label=f"{tool}: F1")
        _mark_default(ax, sweep["default"])
        ax.set_title(f"Event groups: {name}")
        ax.set_xlabel("EventClusterer threshold")
        ax.set_ylim(0.0, 1.02)
        ax.legend(loc="best", fontsize=7)
    return _save(fig, out / "bench-events-threshold.png")


def pair_curves(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per pair set: each tool's precision/recall curve and storymatch's default threshold."""
    section = result.get("sections", {}).get("pairs", {})
    out: dict[str, dict[str, Any]] = {}
    for name, data in section.get("sets", {}).items():
        if data.get("curves"):
            out[name] = {"curves": data["curves"], "default": data.get("default_threshold")}
    return out


def plot_pairs(result: dict[str, Any], out: Path) -> Path | None:
    """Write ``bench-pairs-threshold.png``; None when the result has no curves."""
    curves = pair_curves(result)
    if not curves:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(curves), figsize=(5.2 * len(curves), 3.4), squeeze=False)
    palette = ("#1f77b4", "#d62728", "#ff7f0e", "#2ca02c")
    for ax, (name, data) in zip(axes[0], curves.items(), strict=True):
        for colour, (tool, curve) in zip(palette, data["curves"].items(), strict=False):
            x = [c["threshold"] for c in curve]
            short = tool.split(" (")[0]
            ax.plot(x, [c["precision"] for c in curve], color=colour, label=f"{short} P")
            ax.plot(x, [c["recall"] for c in curve], color=colour, linestyle="--", label="… R")
        _mark_default(ax, data["default"])
        ax.set_title(f"Sentence pairs: {name}")
        ax.set_xlabel("decision threshold (score)")
        ax.set_ylim(0.0, 1.02)
        ax.legend(loc="best", fontsize=7, ncol=2)
    return _save(fig, out / "bench-pairs-threshold.png")


# ---------------------------------------------------------------------------------- speed
def speed_series(result: dict[str, Any], task: str) -> dict[str, list[tuple[int, float, float]]]:
    """Per tool: ``(docs, docs_per_s, peak_extra_mb)`` at each size it ran."""
    section = result.get("sections", {}).get(task, {})
    out: dict[str, list[tuple[int, float, float]]] = {}
    for size in section.get("sizes", []):
        n = size["n_docs"]
        for tool, r in size["results"].items():
            if r.get("ok"):
                out.setdefault(tool, []).append((n, n / r["seconds"], float(r["peak_extra_mb"])))
    return out


def plot_speed(result: dict[str, Any], task: str, out: Path) -> Path | None:
    """Write ``bench-speed-<task>.png``: docs/s and memory against corpus size, log-log."""
    series = speed_series(result, task)
    if not series:
        return None
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    for tool, points in series.items():
        points.sort()
        colour = _COLOURS.get(tool)
        n = [p[0] for p in points]
        left.plot(n, [p[1] for p in points], marker="o", label=tool, color=colour)
        right.plot(n, [max(p[2], 0.1) for p in points], marker="o", label=tool, color=colour)
    title = "Near-duplicate grouping" if task == "dedup" else "Event grouping"
    left.set_title(f"{title}: throughput")
    left.set_ylabel("documents per second")
    right.set_title(f"{title}: peak extra memory")
    right.set_ylabel("MB above the process before the run")
    from matplotlib.ticker import FuncFormatter, NullFormatter

    sizes = sorted({p[0] for points in series.values() for p in points})
    plain = FuncFormatter(lambda value, _: f"{value:,.0f}")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(sizes)
        ax.xaxis.set_major_formatter(plain)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(plain)
        low, high = ax.get_ylim()
        # label the minor ticks only when the axis spans less than a decade
        ax.yaxis.set_minor_formatter(plain if high < 10 * low else NullFormatter())
        ax.set_xlabel("corpus size (documents)")
        ax.legend(fontsize=7)
    return _save(fig, out / f"bench-speed-{task}.png")


def plot_all(quality: dict[str, Any] | None, speed: dict[str, Any] | None, out: Path) -> list[Path]:
    """Write every chart the results allow; return the files written."""
    written: list[Path | None] = []
    if quality is not None:
        written += [plot_dedup(quality, out), plot_events(quality, out), plot_pairs(quality, out)]
    if speed is not None:
        written += [plot_speed(speed, "dedup", out), plot_speed(speed, "events", out)]
    return [p for p in written if p is not None]


def main(argv: Sequence[str] | None = None) -> int:
    """Draw the charts from the newest results (or the files given)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plots")
    parser.add_argument("--quality", type=Path, default=None, help="a quality.json (newest)")
    parser.add_argument("--speed", type=Path, default=None, help="a speed.json (newest)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder (%(default)s)")
    args = parser.parse_args(argv)
    paths = {"quality": args.quality or _latest("quality"), "speed": args.speed or _latest("speed")}
    loaded = {
        kind: json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else None
        for kind, path in paths.items()
    }
    if loaded["quality"] is None and loaded["speed"] is None:
        print(
            "error: no results: run `storymatch bench quality` / `storymatch bench speed` first",
            file=sys.stderr,
        )
        return 2
    for path in plot_all(loaded["quality"], loaded["speed"], args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
