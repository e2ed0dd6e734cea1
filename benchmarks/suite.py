"""The whole benchmark suite in one command: quality and speed, with the anchors side by side.

Run from a source checkout::

    storymatch bench quality [--data DIR] [--only dedup,events,pairs,align,claims,copies]
        [--out DIR]
    storymatch bench speed [--sizes 10k,100k] [--only dedup,events,compare,index] [--quick]

(or ``python -m benchmarks.suite quality|speed ...`` with the same options). Both take
``--json`` (print the result as JSON instead of the summary table) and ``--quiet`` (no progress,
no table).

**Quality** calls the quality modules (:mod:`benchmarks.dedup_quality`,
:mod:`benchmarks.events_quality`, :mod:`benchmarks.pairs_quality`,
:mod:`benchmarks.align_quality`, :mod:`benchmarks.claims_quality`,
:mod:`benchmarks.copies_quality`) on the datasets under ``--data`` (default ``../shared/data``).
Where that folder has the shared layout (``syndication/``, ``ecbplus/``, ``basil/``, ``msrp/``,
``sts_news/``) each module runs on its own sets, as ``python -m benchmarks.NAME`` would
(``pairs_quality`` with its cross-validation, whose held-out figures are the gated ones; a
checkout without that module scores MSRP and STS news with :func:`score_pair_set`). Any other
folder is searched for JSONL files (``.jsonl`` or ``.jsonl.gz``, at any depth) and each file is
classified by its first record:

- a record with ``text`` and ``cluster`` makes a *grouping set* (``id``, ``text``, ``cluster``,
  optional ``title``/``source``/``date``): near-duplicate grouping (storymatch's defaults against
  datasketch MinHash + LSH + union-find at 0.3 and 0.5) and event grouping (``EventClusterer``
  against scikit-learn TF-IDF + agglomerative clustering and TF-IDF + union-find at the
  thresholds tuned on the ECB+ dev topics), each with a threshold sweep;
- a record with ``a``, ``b`` and ``label`` makes a *pair set*: storymatch's sentence scorer at
  its default threshold against rapidfuzz ``token_set_ratio`` and TF-IDF cosine at the threshold
  that is best *on that set* (an upper bound for the baselines); binary labels give precision,
  recall, F1 and accuracy, every set gives Pearson's r between score and label.

**Speed** runs :mod:`benchmarks.dedup_speed` (datasketch anchor, and rensa when it is
installed), :mod:`benchmarks.events_speed` (scikit-learn anchor, up to 10k documents),
:mod:`benchmarks.compare_speed` (difflib anchor) and, with ``--only index``,
:mod:`benchmarks.index_speed` (datasketch on Redis), one corpus size at a time; ratios are
measured in the same run, and the growth of time and memory with the corpus size is reported as
an exponent (``time ~ n^k``).

Each run writes ``<out>/<YYYY-MM-DD>/quality.{json,md}`` or ``speed.{json,md}`` (default
``benchmarks/results``) when it has finished, never before: the JSON holds the date, the
command, the versions of storymatch and of every library compared, the machine, the settings,
the sha256 and size of every data file used, every section's full result, and the flat
``metrics`` that :mod:`benchmarks.gate` compares with ``benchmarks/floors.json``. Both files are
written to temporary names and renamed, with Ctrl-C held back for that instant, so an
interrupted run leaves no half-written result.

The suite is laid out by stage: this module parses the options, chooses the sections, runs
them, assembles and writes the result (``run_quality``, ``run_speed``, ``command``, ``main``);
:mod:`benchmarks.datasets` finds and reads the data, :mod:`benchmarks.sections_quality` and
:mod:`benchmarks.sections_speed` hold the section runners, :mod:`benchmarks.baselines` the
anchor pipelines, :mod:`benchmarks.suite_markdown` the tables, and :mod:`benchmarks.timing`
and :mod:`benchmarks.results` the measuring and writing every benchmark shares. The names
tests and docs import from here (``fast_metrics``, ``discover``, ``rensa_dedup``,
``score_pair_set``, ...) are re-exported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from benchmarks.baselines import rensa_dedup
from benchmarks.datasets import (
    SECTION_FILES,
    SHARED_LAYOUT,
    discover,
    fingerprint,
    is_shared_layout,
    set_name,
)
from benchmarks.results import machine, package_versions, write_results
from benchmarks.sections_quality import (
    DEDUP_SWEEP,
    EVENT_BASELINES,
    PAIR_GRID,
    Section,
    align_shared,
    claims_shared,
    copies_shared,
    dedup_shared,
    dedup_user,
    events_quality_table,
    events_shared,
    events_user,
    fast_metrics,
    pairs_from_sets,
    pairs_module,
    pairs_shared,
    score_pair_set,
)
from benchmarks.sections_speed import speed_compare, speed_dedup, speed_events, speed_index
from benchmarks.suite_markdown import summary_markdown, to_markdown
from storymatch.errors import InvalidInputError, InvalidParameterError

__all__ = [
    "DEDUP_SWEEP",
    "EVENT_BASELINES",
    "PAIR_GRID",
    "QUALITY_SECTIONS",
    "SECTION_FILES",
    "SHARED_LAYOUT",
    "SPEED_SECTIONS",
    "command",
    "discover",
    "events_quality_table",
    "fast_metrics",
    "fingerprint",
    "is_shared_layout",
    "machine",
    "main",
    "parse_sizes",
    "rensa_dedup",
    "run_quality",
    "run_speed",
    "score_pair_set",
    "summary_markdown",
    "to_markdown",
    "versions",
    "write_result",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "benchmarks" / "results"
FLOORS = REPO / "benchmarks" / "floors.json"

QUALITY_SECTIONS = ("dedup", "events", "pairs", "align", "claims", "copies")
SPEED_SECTIONS = ("dedup", "events", "compare", "index")
DEFAULT_SPEED_SECTIONS = ("dedup", "events", "compare")
DEFAULT_SIZES = (10_000, 100_000)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as each stage advances."""


def _no_progress(stage: str, done: int, total: int) -> None:
    """Ignore progress."""


# ---------------------------------------------------------------------------------- context
VERSIONS = (
    "storymatch",
    "numpy",
    "scipy",
    "scikit-learn",
    "datasketch",
    "rapidfuzz",
    "numba",
    "rensa",
    "redis",
    "matplotlib",
)
"""storymatch and the libraries it is compared with, whose versions every result records."""


def versions() -> dict[str, str | None]:
    """Versions of storymatch and of the libraries it is compared with (None: not installed)."""
    return package_versions(VERSIONS) | {"python": platform.python_version()}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _header(kind: str, argv: Sequence[str] | None, settings: dict[str, Any]) -> dict[str, Any]:
    now = _now()
    found = versions()
    return {
        "benchmark": kind,
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "day": now.strftime("%Y-%m-%d"),
        "command": " ".join(["storymatch", "bench", kind, *(argv or [])]),
        "storymatch": found["storymatch"],
        "versions": found,
        "machine": machine(),
        "settings": settings,
    }


# ---------------------------------------------------------------------------------- options
def _parse_only(text: str | Sequence[str] | None, allowed: Sequence[str]) -> list[str] | None:
    if text is None:
        return None
    parts = text.split(",") if isinstance(text, str) else list(text)
    chosen = [p.strip() for p in parts if p.strip()]
    unknown = [p for p in chosen if p not in allowed]
    if not chosen or unknown:
        msg = (
            f"The 'only' option of storymatch bench must be a comma-separated list of "
            f"{', '.join(allowed)}. Got {text!r} instead."
        )
        raise InvalidParameterError(msg)
    return [s for s in allowed if s in chosen]


def parse_sizes(text: str | Sequence[int]) -> list[int]:
    """Parse corpus sizes such as ``"1k,10k,100k"`` or ``"2000,1e5"`` into sorted integers."""
    if not isinstance(text, str):
        sizes = sorted({int(x) for x in text})
    else:
        sizes = []
        for part in text.split(","):
            item = part.strip().lower().replace("_", "")
            if not item:
                continue
            scale = 1
            if item[-1] in "km":
                scale = 1000 if item[-1] == "k" else 1_000_000
                item = item[:-1]
            try:
                sizes.append(round(float(item) * scale))
            except ValueError:
                sizes = []
                break
        sizes = sorted(set(sizes))
    if not sizes or sizes[0] <= 0:
        msg = (
            "The 'sizes' option of storymatch bench speed must be positive corpus sizes "
            f"separated by commas, such as 1k,10k,100k. Got {text!r} instead."
        )
        raise InvalidParameterError(msg)
    return sizes


def _data_dir(data: str | os.PathLike[str] | None) -> Path:
    if data is None:
        if not DEFAULT_DATA.is_dir():
            msg = (
                f"no data folder: {DEFAULT_DATA} does not exist; pass --data DIR (a folder of "
                "JSONL files with 'cluster' or 'a'/'b'/'label' records)"
            )
            raise InvalidParameterError(msg)
        return DEFAULT_DATA
    path = Path(data)
    if not path.is_dir():
        msg = f"The 'data' option of storymatch bench must be a folder. Got {str(path)!r} instead."
        raise InvalidParameterError(msg)
    return path


# ---------------------------------------------------------------------------------- quality
def _run_sections(
    plan: dict[str, Callable[[Callable[[int, int], None]], Section]],
    progress: Progress,
    err: TextIO | None,
) -> tuple[dict[str, Any], dict[str, Section]]:
    sections: dict[str, Any] = {}
    done: dict[str, Section] = {}
    for name, job in plan.items():
        started = time.perf_counter()
        progress(name, 0, 1)
        try:
            section = job(lambda d, t, n=name: progress(n, d, t))
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as error:  # one broken section must not hide the rest
            message = f"{type(error).__name__}: {error}"
            sections[name] = {"error": message, "traceback": traceback.format_exc()}
            if err is not None:
                err.write(f"storymatch bench: section {name!r} failed: {message}\n")
            continue
        section.result["seconds"] = round(time.perf_counter() - started, 2)
        sections[name] = section.result
        done[name] = section
    return sections, done


def run_quality(
    data: str | os.PathLike[str] | None = None,
    only: str | Sequence[str] | None = None,
    progress: Progress | None = None,
    *,
    err: TextIO | None = None,
    argv: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Run the quality sections on ``data`` and return one JSON-ready result.

    Parameters
    ----------
    data : path or None, default=None
        A folder with the shared layout or any folder of labelled JSONL (see the module
        docstring); None: ``../shared/data``.
    only : str or sequence of str or None, default=None
        Sections to run among ``dedup``, ``events``, ``pairs``, ``align``, ``claims`` and
        ``copies`` (all when None).
    progress : callable or None, default=None
        ``progress(stage, done, total)``.
    err : text stream or None, default=None
        Where to report a section that fails (it is recorded in the result either way).
    argv : sequence of str or None, default=None
        The options as given, recorded as the command.
    """
    folder = _data_dir(data)
    chosen = _parse_only(only, QUALITY_SECTIONS) or list(QUALITY_SECTIONS)
    report = progress or _no_progress
    shared = is_shared_layout(folder)
    plan: dict[str, Callable[[Callable[[int, int], None]], Section]] = {}
    skipped: dict[str, str] = {}
    found: dict[str, list[Path]] = {}
    if shared:
        jobs = {
            "dedup": dedup_shared,
            "events": events_shared,
            "pairs": pairs_shared,
            "align": align_shared,
            "claims": claims_shared,
            "copies": copies_shared,
        }
        plan = {s: (lambda p, f=jobs[s]: f(folder, p)) for s in chosen}
    else:
        found = discover(folder)
        grouping, pair_files = found["grouping"], found["pairs"]
        if not grouping and not pair_files:
            msg = (
                f"{folder} holds no labelled JSONL: records with 'text' and 'cluster' (groups) "
                "or 'a', 'b' and 'label' (sentence pairs)"
            )
            raise InvalidInputError(msg)
        for section in chosen:
            if section in ("dedup", "events") and grouping:
                job = dedup_user if section == "dedup" else events_user
                plan[section] = lambda p, f=job: f(grouping, folder, p)
            elif section == "pairs" and pair_files:
                sets = {set_name(p, folder): p for p in pair_files}
                plan[section] = lambda p, s=sets: pairs_from_sets(s, folder, p)
            elif section == "align":
                skipped[section] = "needs the ECB+ and BASIL sets of the shared layout"
            elif section == "claims":
                skipped[section] = "needs the hand-labelled claims_dev set of the shared layout"
            elif section == "copies":
                skipped[section] = "needs the edit logs of the syndication set of the shared layout"
            else:
                skipped[section] = "no data of this shape"
    result = _header(
        "quality",
        argv,
        {
            "data": str(folder),
            "layout": "shared" if shared else "discovered",
            "sections": chosen,
            "pairs_module": "benchmarks.pairs_quality" if pairs_module() else None,
        },
    )
    if found:
        result["discovered"] = {
            kind: [set_name(p, folder) if kind != "ignored" else str(p) for p in paths]
            for kind, paths in found.items()
        }
    sections, done = _run_sections(plan, report, err)
    sections |= {name: {"skipped": reason} for name, reason in skipped.items()}
    files = sorted({p.resolve() for s in done.values() for p in s.files if p.is_file()})
    result["data"] = [fingerprint(p, folder.resolve()) for p in files]
    result["sections"] = {s: sections[s] for s in chosen if s in sections}
    result["metrics"] = {k: v for s in done.values() for k, v in s.metrics.items()}
    result["summary"] = {
        "groups": [r for s in done.values() for r in s.groups],
        "pairs": [r for s in done.values() for r in s.pairs],
        "alignment": [r for s in done.values() for r in s.alignment],
        "copies": [r for s in done.values() for r in s.copies],
    }
    result["details_markdown"] = {name: s.markdown for name, s in done.items()}
    result["gate"] = _gate_summary(result)
    return result


def _gate_summary(result: dict[str, Any]) -> dict[str, Any] | None:
    """Return the gate's verdict on ``result``, when ``benchmarks/floors.json`` exists."""
    from benchmarks import gate

    if not FLOORS.is_file():
        return None
    return gate.check(result, gate.load_floors(FLOORS)).to_dict()


# ---------------------------------------------------------------------------------- speed
def run_speed(
    sizes: str | Sequence[int] = DEFAULT_SIZES,
    progress: Progress | None = None,
    *,
    data: str | os.PathLike[str] | None = None,
    only: str | Sequence[str] | None = None,
    quick: bool = False,
    quiet: bool = False,
    err: TextIO | None = None,
    argv: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Run the speed sections at each corpus size and return one JSON-ready result.

    Parameters
    ----------
    sizes : str or sequence of int, default=(10000, 100000)
        Corpus sizes (``"1k,10k,100k"`` works).
    progress : callable or None, default=None
        ``progress(stage, done, total)``.
    data : path or None, default=None
        The folder holding ``news_pool/`` (corpora), ``basil/`` and ``ecbplus/``.
    only : str or sequence of str or None, default=None
        Sections among ``dedup``, ``events``, ``compare`` and ``index`` (default: all but
        ``index``, which starts a private ``redis-server``).
    quick : bool, default=False
        Skip the numba start-up measurement, the stage timings and the distractor experiment.
    quiet : bool, default=False
        Silence the modules' own log lines on stderr.
    err : text stream or None, default=None
        Where to report a section that fails.
    argv : sequence of str or None, default=None
        The options as given, recorded as the command.
    """
    folder = _data_dir(data)
    chosen = _parse_only(only, SPEED_SECTIONS) or list(DEFAULT_SPEED_SECTIONS)
    sizes_ = parse_sizes(sizes)
    if not (folder / "news_pool" / "docs.jsonl.gz").is_file() and set(chosen) & {
        "dedup",
        "events",
        "index",
    }:
        msg = (
            f"storymatch bench speed builds its corpora from news_pool/docs.jsonl.gz, which "
            f"{folder} lacks; pass --data with the shared data folder"
        )
        raise InvalidParameterError(msg)
    report = progress or _no_progress
    jobs: dict[str, Callable[[Callable[[int, int], None]], dict[str, Any]]] = {
        "dedup": lambda p: speed_dedup(folder, sizes_, quick, quiet, p),
        "events": lambda p: speed_events(folder, sizes_, quick, quiet, p),
        "compare": lambda p: speed_compare(folder, p),
        "index": lambda p: speed_index(folder, sizes_, quiet, p),
    }

    def wrap(
        job: Callable[[Callable[[int, int], None]], dict[str, Any]],
    ) -> Callable[[Callable[[int, int], None]], Section]:
        def section(p: Callable[[int, int], None]) -> Section:
            out = Section()
            out.result = job(p)
            return out

        return section

    plan = {s: wrap(jobs[s]) for s in chosen}
    result = _header(
        "speed",
        argv,
        {"data": str(folder), "sizes": sizes_, "sections": chosen, "quick": quick},
    )
    sections, _ = _run_sections(plan, report, err)
    used = [folder / f for f in SECTION_FILES["speed"] if (folder / f).is_file()]
    result["data"] = [fingerprint(p, folder) for p in used]
    result["sections"] = sections
    result["summary"] = _speed_summary(sections)
    return result


def _speed_summary(sections: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for name in ("dedup", "events"):
        section = sections.get(name, {})
        anchor_name = "datasketch" if name == "dedup" else "tfidf+agglomerative"
        for size in section.get("sizes", []):
            anchor = size["results"].get(anchor_name, {})
            for tool, r in size["results"].items():
                row: dict[str, Any] = {"task": name, "docs": size["n_docs"], "tool": tool}
                if not r.get("ok"):
                    rows.append(row | {"error": r.get("error", "not run")})
                    continue
                ratio = r.get("speed_vs_anchor")
                if ratio is None and anchor.get("ok"):
                    ratio = round(anchor["seconds"] / r["seconds"], 3)
                rows.append(
                    row
                    | {
                        "seconds": round(r["seconds"], 3),
                        "docs_per_s": round(size["n_docs"] / r["seconds"], 1),
                        "vs_anchor": ratio,
                        "peak_extra_mb": r.get("peak_extra_mb"),
                        "ari": r.get("ari"),
                    }
                )
    growth = {
        name: {
            "time": sections[name].get("growth_exponent", {}),
            "memory": sections[name].get("memory_growth_exponent", {}),
        }
        for name in ("dedup", "events")
        if isinstance(sections.get(name), dict) and "sizes" in sections[name]
    }
    compare_rows = sections.get("compare", {}).get("rows", [])
    return {"throughput": rows, "growth": growth, "compare": compare_rows}


# ---------------------------------------------------------------------------------- output
def write_result(
    result: dict[str, Any], out: str | os.PathLike[str] | None = None
) -> tuple[Path, Path]:
    """Write ``<out>/<day>/<benchmark>.json`` and ``.md`` atomically; return both paths.

    Both files are written to temporary names first and renamed only when both are complete;
    an error in between removes the temporary files, and Ctrl-C waits until both are in place.
    """
    payload = {k: v for k, v in result.items() if k != "details_markdown"}
    return write_results(
        out if out is not None else DEFAULT_OUT,
        result["day"],
        result["benchmark"],
        payload,
        lambda: to_markdown(result),
        ensure_ascii=False,
    )


# ---------------------------------------------------------------------------------- commands
def command(
    which: str,
    *,
    data: str | None = None,
    only: str | None = None,
    sizes: str | None = None,
    out_dir: str | None = None,
    quick: bool = False,
    as_json: bool = False,
    quiet: bool = False,
    write: bool = True,
    progress: Progress | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    argv: Sequence[str] | None = None,
) -> int:
    """Run ``quality`` or ``speed``, write the result, print the table; return the exit status.

    0: every section ran; 1: a section failed (recorded in the result, which is written all
    the same). Bad options raise :class:`~storymatch.errors.InvalidParameterError`.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if which == "quality":
        result = run_quality(data, only, progress, err=err, argv=argv)
    elif which == "speed":
        result = run_speed(
            sizes or DEFAULT_SIZES,
            progress,
            data=data,
            only=only,
            quick=quick,
            quiet=quiet,
            err=err,
            argv=argv,
        )
    else:
        msg = f"storymatch bench runs 'quality' or 'speed'. Got {which!r} instead."
        raise InvalidParameterError(msg)
    if write:
        json_path, md_path = write_result(result, out_dir)
        result["written"] = [str(json_path), str(md_path)]
    if as_json:
        payload = {k: v for k, v in result.items() if k != "details_markdown"}
        out.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    elif not quiet:
        out.write(summary_markdown(result))
    if write and not quiet:
        err.write(f"results: {result['written'][0]} and {result['written'][1]}\n")
    return 1 if any("error" in s for s in result["sections"].values()) else 0


def _stderr_progress(quiet: bool) -> Progress:
    """Plain progress lines on stderr (for ``python -m benchmarks.suite``)."""
    started: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if quiet:
            return
        started.setdefault(stage, time.perf_counter())
        if done == total and done:
            took = time.perf_counter() - started[stage]
            sys.stderr.write(f"{stage}: done in {took:.1f}s\n")

    return progress


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.suite quality|speed [options]`` (the same as ``storymatch bench``)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite")
    parser.add_argument("which", choices=["quality", "speed"])
    parser.add_argument("--data", default=None)
    parser.add_argument("--only", default=None)
    parser.add_argument("--sizes", default=None)
    parser.add_argument("--out", default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    try:
        return command(
            args.which,
            data=args.data,
            only=args.only,
            sizes=args.sizes,
            out_dir=args.out,
            quick=args.quick,
            as_json=args.json,
            quiet=args.quiet,
            write=not args.no_write,
            progress=_stderr_progress(args.quiet),
            argv=list(argv if argv is not None else sys.argv[1:])[1:],
        )
    except InvalidParameterError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    except InvalidInputError as error:
        sys.stderr.write(f"error: {error}\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
