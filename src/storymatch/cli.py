"""The ``storymatch`` command line: parses arguments, calls the library, prints.

Exit status: 0 success, 1 input error, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

import numpy as np

from storymatch import __version__
from storymatch.errors import InvalidInputError, InvalidParameterError, StorymatchError

if TYPE_CHECKING:
    from storymatch.dedup import NearDuplicateClusterer
    from storymatch.dedup.storage import Storage
    from storymatch.events import EventClusterer
    from storymatch.models import Article

__all__ = ["dedup_lines", "events_lines", "events_summary", "main"]

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
_PROGRESS_DELAY = 0.5  # seconds before a progress bar appears


class _Progress:
    """A one-line progress bar on stderr, drawn only for long runs on a terminal."""

    def __init__(self, label: str, stream: TextIO, *, enabled: bool) -> None:
        self.label = label
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.started = time.perf_counter()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or time.perf_counter() - self.started < _PROGRESS_DELAY:
            return
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done:,}/{total:,}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


def _unit_or_none(text: str) -> float | None:
    if text.lower() == "none":
        return None
    return float(text)


def _add_input(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "input",
        help="a .jsonl, .jsonl.gz or .csv file, a folder of .txt or .html files, or - for stdin",
    )
    parser.add_argument(
        "--format",
        choices=["jsonl", "csv", "txt", "html"],
        default=None,
        help="override the format",
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="skip malformed records (each is reported at the end) instead of stopping",
    )


def _add_dedup_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("near-duplicate settings")
    group.add_argument("--threshold", type=float, default=0.5, help="Jaccard threshold (0.5)")
    group.add_argument(
        "--containment-threshold",
        type=_unit_or_none,
        default=0.8,
        help="containment threshold for abridged copies, or 'none' (0.8)",
    )
    group.add_argument("--shingle-size", type=int, default=5, help="n-gram size (5)")
    group.add_argument("--kind", choices=["word", "char"], default="word", help="n-gram kind")
    group.add_argument("--num-perm", type=int, default=128, help="MinHash length (128)")
    group.add_argument(
        "--chain-guard",
        type=_unit_or_none,
        default=0.3,
        help="minimum score of a member against its representative, or 'none' (0.3)",
    )
    group.add_argument(
        "--keep-widgets",
        action="store_true",
        help="do not strip 'Read more' widgets before hashing",
    )
    group.add_argument(
        "--no-ocr-fold",
        action="store_true",
        help="do not fold characters that OCR confuses (0/o, 1/l/i, c/e, b/h)",
    )
    group.add_argument("--seed", type=int, default=1, help="hash seed (1)")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storymatch",
        description=(
            "Find copies of news reports, group reports of the same event, compare outlets."
        ),
    )
    parser.add_argument("--version", action="version", version=f"storymatch {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress or summary")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    dedup = sub.add_parser(
        "dedup",
        help="group near-duplicate copies",
        description="Write one JSON line per article: id, group, representative, similarity.",
    )
    _add_input(dedup)
    dedup.add_argument("-o", "--output", required=True, help="output .jsonl(.gz) file, or -")
    dedup.add_argument("--groups", default=None, help="also write one JSON line per group here")
    dedup.add_argument(
        "--engine",
        choices=["local", "spark"],
        default="local",
        help=(
            "spark: run on Spark (storymatch[spark]; spark-submit or local mode) with the same "
            "groups; reads .parquet or JSONL, writes OUT as a folder of part files (docs/spark.md)"
        ),
    )
    _add_dedup_options(dedup)

    clean = sub.add_parser(
        "clean",
        help="strip page chrome: clean article text, headline and what was removed",
        description=(
            "Write every record with its cleaned 'text', the headline in 'title' when one was "
            "found, 'byline'/'dateline'/'standfirst' when found, and the removed lines (kind, "
            "text, span in the original) in 'removed'."
        ),
    )
    _add_input(clean)
    clean.add_argument("-o", "--output", required=True, help="output .jsonl(.gz) file, or -")
    clean.add_argument(
        "--learn",
        action="store_true",
        help="first learn each site's template lines from IN (BoilerplateModel) and strip them",
    )
    clean.add_argument("--save-model", default=None, help="with --learn: save the model (JSON)")
    clean.add_argument("--model", default=None, help="strip the template lines of a saved model")
    for step, what in (
        ("headlines", "repeated headlines"),
        ("widgets", "'Read more' widgets"),
        ("captions", "photo captions and credits"),
        ("bylines", "bylines"),
        ("datelines", "datelines"),
        ("chrome", "navigation, share, comment, advertisement and copyright lines"),
    ):
        clean.add_argument(f"--keep-{step}", action="store_true", help=f"do not remove {what}")

    events = sub.add_parser(
        "events",
        help="group reports of the same event by different outlets",
        description=(
            "Write one JSON line per article: id, group (near-duplicate group id) and event "
            "(event id); print a summary of the events (size, outlets, label) to stderr."
        ),
    )
    _add_input(events)
    events.add_argument("-o", "--output", required=True, help="output .jsonl(.gz) file, or -")
    events.add_argument("--events", default=None, help="also write one JSON line per event here")
    events.add_argument(
        "--event-threshold",
        type=float,
        default=0.13,
        help="mean pair score at which two clusters of reports merge (0.13)",
    )
    events.add_argument(
        "--window-days",
        type=float,
        default=3.0,
        help="publication window of one event, in days (3)",
    )
    events.add_argument(
        "--no-dedup",
        action="store_true",
        help="treat every article as its own group (skip near-duplicate grouping)",
    )
    events.add_argument(
        "--top", type=int, default=10, help="events listed in the summary, largest first (10)"
    )

    compare = sub.add_parser(
        "compare",
        help="align the reports of one event into claims",
        description=(
            "Split each report into sentences and align them across outlets into claims: what "
            "all carry, what some carry, what one alone carries, and where they disagree."
        ),
    )
    _add_input(compare)
    which = compare.add_mutually_exclusive_group()
    which.add_argument("--ids", default=None, help="comma-separated ids of the reports to compare")
    which.add_argument(
        "--event", default=None, help="compare the reports of this event (as `events` names it)"
    )
    compare.add_argument(
        "-f",
        "--to",
        dest="to",
        choices=["json", "text", "md", "html"],
        default="text",
        help="output format (text)",
    )
    compare.add_argument("-o", "--output", default="-", help="output file, or - (default)")
    compare.add_argument(
        "--claim-threshold",
        type=float,
        default=None,
        help="sentence score at which two sentences state the same claim (the scorer's default)",
    )
    compare.add_argument(
        "--max-reports",
        type=int,
        default=20,
        help="refuse to compare more reports than this without --ids or --event (20)",
    )

    pairs = sub.add_parser(
        "pairs",
        help="score sentence pairs with the claim scorer",
        description=(
            'Read JSON lines {"id", "a", "b"} and write {"id", "score", "same_claim"} per line, '
            "with the default decision threshold of the sentence scorer."
        ),
    )
    pairs.add_argument("input", help="a .jsonl or .jsonl.gz file of pairs, or - for stdin")
    pairs.add_argument("-o", "--output", required=True, help="output .jsonl(.gz) file, or -")
    pairs.add_argument(
        "--skip-invalid", action="store_true", help="skip malformed lines instead of stopping"
    )
    pairs.add_argument(
        "--claim-threshold", type=float, default=None, help="decision threshold (the scorer's)"
    )

    report = sub.add_parser(
        "report",
        help="the whole pipeline, as side-by-side HTML pages",
        description=(
            "Group copies, group events, compare the reports of every event with two or more "
            "of them, and write DIR/index.html plus one page per event."
        ),
    )
    _add_input(report)
    report.add_argument("-o", "--output", required=True, help="output folder")

    index = sub.add_parser(
        "index",
        help="a persistent near-duplicate index shared by processes (SQLite, Redis)",
        description=(
            "Add articles to a persistent near-duplicate index, or query it. --store takes "
            "sqlite:PATH (one file, several processes on one machine), "
            "redis://HOST:PORT/DB[?prefix=NAME] (several machines) or memory:."
        ),
    )
    index_sub = index.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    index_add = index_sub.add_parser(
        "add",
        help="add articles (adding one again changes nothing)",
        description=(
            "Hash the articles and add them, a batch per transaction. A new store takes the "
            "near-duplicate settings given here (or the defaults); an existing one keeps its "
            "own, and refuses settings that differ."
        ),
    )
    _add_input(index_add)
    index_add.add_argument("--store", required=True, help="sqlite:PATH, redis://HOST:PORT/DB")
    index_add.add_argument(
        "--batch-size", type=int, default=1000, help="articles per transaction (1000)"
    )
    _add_dedup_options(index_add)
    for action in index_add._actions:  # unset options stay absent: a store keeps its settings
        if action.dest in _INDEX_OPTIONS:
            action.default = argparse.SUPPRESS
    index_query = index_sub.add_parser(
        "query",
        help="find the indexed copies of articles",
        description=(
            'Write one JSON line per article: {"id", "matches": [{"id", "similarity"}, ...]}, '
            "the verified matches in the index (Jaccard similarity), best first; an article "
            "does not match itself."
        ),
    )
    _add_input(index_query)
    index_query.add_argument("--store", required=True, help="sqlite:PATH, redis://HOST:PORT/DB")
    index_query.add_argument("-o", "--output", required=True, help="output .jsonl(.gz) file, or -")
    index_query.add_argument(
        "--batch-size", type=int, default=1000, help="articles per lookup (1000)"
    )

    calibrate = sub.add_parser(
        "calibrate",
        help="choose near-duplicate settings from a labelled sample",
        description=(
            "Sweep shingle settings and thresholds of the near-duplicate engine on articles "
            "whose copies are labelled (a 'cluster' field), print the curve and recommend the "
            "settings that maximise the chosen metric."
        ),
    )
    _add_input(calibrate)
    calibrate.add_argument(
        "--metric",
        choices=["ari", "bcubed_f1", "pairwise_f1", "bcubed_precision", "pairwise_precision"],
        default="bcubed_f1",
        help="what to maximise (bcubed_f1)",
    )
    calibrate.add_argument(
        "--label-field", default="cluster", help="field holding the gold group (cluster)"
    )
    calibrate.add_argument(
        "--shingle-sizes", default="3,4,5,7", help="comma-separated sizes to try (3,4,5,7)"
    )
    calibrate.add_argument(
        "--kinds", default="word", help="comma-separated shingle kinds: word, char (word)"
    )
    calibrate.add_argument(
        "--json", action="store_true", help="print the whole result as JSON on stdout"
    )

    bench = sub.add_parser(
        "bench",
        help="run the benchmark suite of a source checkout (quality or speed)",
        description=(
            "Run storymatch and the tools a user would otherwise pick on the same data, in the "
            "same run; write benchmarks/results/<date>/{quality,speed}.{json,md} and print the "
            "summary table. Needs a source checkout (benchmarks/ is not in the wheel)."
        ),
    )
    bench_sub = bench.add_subparsers(dest="bench_command", required=True, metavar="SUITE")
    for name, what in (
        ("quality", "ARI, B-cubed and pairwise P/R/F1, pair P/R/F1 and Pearson r, against anchors"),
        ("speed", "docs/s and peak memory against datasketch (and rensa), growth with corpus size"),
    ):
        suite = bench_sub.add_parser(name, help=what, description=what)
        suite.add_argument(
            "--data",
            default=None,
            help="the shared data folder, or any folder of labelled JSONL (../shared/data)",
        )
        sections = "dedup,events,pairs,align" if name == "quality" else "dedup,events,compare,index"
        suite.add_argument("--only", default=None, help=f"sections to run, among {sections}")
        suite.add_argument("--out", default=None, help="results folder (benchmarks/results)")
        suite.add_argument("--json", action="store_true", help="print the JSON result on stdout")
        suite.add_argument(
            "-q", "--quiet", dest="bench_quiet", action="store_true", help="no progress or table"
        )
        suite.add_argument("--no-write", action="store_true", help="do not write result files")
        if name == "speed":
            suite.add_argument("--sizes", default="10k,100k", help="corpus sizes (10k,100k)")
            suite.add_argument(
                "--quick",
                action="store_true",
                help="skip start-up and stage timings and the distractor experiment",
            )

    demo = sub.add_parser(
        "demo",
        help="run the pipeline on the bundled sample",
        description="Group the copies in the bundled sample corpus and print what was found.",
    )
    demo.add_argument("-o", "--output", default="storymatch-report", help="output folder")
    return parser


def _read(args: argparse.Namespace, err: TextIO) -> list[object]:
    from storymatch.io import read_articles  # noqa: PLC0415 - keep --help fast

    result = read_articles(
        args.input, format=args.format, on_error="skip" if args.skip_invalid else "raise"
    )
    for record in result.skipped:
        err.write(f"skipped {record.path}:{record.line}: {record.reason}\n")
    if result.skipped:
        err.write(f"skipped {len(result.skipped)} invalid record(s)\n")
    return list(result.articles)


def _run_dedup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.dedup import NearDuplicateClusterer  # noqa: PLC0415
    from storymatch.io import write_jsonl, write_lines  # noqa: PLC0415
    from storymatch.models import Article  # noqa: PLC0415

    started = time.perf_counter()
    if args.engine == "spark":
        from storymatch.spark import dedup_files  # noqa: PLC0415

        if args.groups or args.skip_invalid:
            msg = "--groups and --skip-invalid are not available with --engine spark"
            raise InvalidParameterError(msg)
        summary = dedup_files(
            args.input,
            args.output,
            input_format=args.format,
            clusterer=NearDuplicateClusterer(
                threshold=args.threshold,
                containment_threshold=args.containment_threshold,
                shingle_size=args.shingle_size,
                kind=args.kind,
                num_perm=args.num_perm,
                chain_guard=args.chain_guard,
                strip_boilerplate=not args.keep_widgets,
                ocr_fold=not args.no_ocr_fold,
                seed=args.seed,
            ),
        )
        if not args.quiet:
            err.write(
                f"{summary.n_documents:,} documents, {summary.n_groups:,} groups "
                f"({summary.n_copies:,} copies), largest group {summary.largest}, "
                f"{summary.seconds:.2f}s (spark: {args.output}/part-*)\n"
            )
        return EXIT_OK
    articles = [a for a in _read(args, err) if isinstance(a, Article)]
    clusterer = NearDuplicateClusterer(
        threshold=args.threshold,
        containment_threshold=args.containment_threshold,
        shingle_size=args.shingle_size,
        kind=args.kind,
        num_perm=args.num_perm,
        chain_guard=args.chain_guard,
        strip_boilerplate=not args.keep_widgets,
        ocr_fold=not args.no_ocr_fold,
        seed=args.seed,
    )
    progress = _Progress("hashing", err, enabled=not args.quiet)
    try:
        clusterer.fit(articles, progress=progress)
    finally:
        progress.close()
    groups = clusterer.groups_
    write_lines(args.output, dedup_lines(articles, clusterer))
    if args.groups:
        write_jsonl(args.groups, (g.to_dict() for g in groups))
    if not args.quiet:
        largest = max((len(g) for g in groups), default=0)
        copies = sum(len(g) - 1 for g in groups)
        err.write(
            f"{len(articles):,} documents, {len(groups):,} groups "
            f"({copies:,} copies), largest group {largest}, "
            f"{time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def dedup_lines(articles: Sequence[Article], clusterer: NearDuplicateClusterer) -> Iterator[str]:
    """Format the ``dedup`` output: one JSON line per article, in input order.

    Each line is ``{"id", "group", "representative", "similarity"}``, byte for byte what
    ``json.dumps(row, ensure_ascii=False, separators=(",", ":"))`` gives; the strings of a
    group are encoded once, not once per member.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    heads = [
        f',"group":{encode(g.id)},"representative":{encode(g.representative)},"similarity":'
        for g in clusterer.groups_
    ]
    sims = np.round(clusterer.similarities_, 6).tolist()
    for article, label, sim in zip(articles, clusterer.labels_.tolist(), sims, strict=True):
        yield f'{{"id":{encode(article.id)}{heads[label]}{float(sim)!r}}}\n'


def _run_events(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.events import EventClusterer  # noqa: PLC0415
    from storymatch.io import write_jsonl, write_lines  # noqa: PLC0415
    from storymatch.models import Article  # noqa: PLC0415

    started = time.perf_counter()
    articles = [a for a in _read(args, err) if isinstance(a, Article)]
    model = EventClusterer(
        threshold=args.event_threshold,
        window_days=args.window_days,
        dedup=False if args.no_dedup else None,
    ).fit(articles)
    write_lines(args.output, events_lines(articles, model))
    if args.events:
        write_jsonl(args.events, (e.to_dict() for e in model.events_))
    if not args.quiet:
        err.write(events_summary(model, top=args.top, seconds=time.perf_counter() - started))
    return EXIT_OK


def events_lines(articles: Sequence[Article], model: EventClusterer) -> Iterator[str]:
    """Format the ``events`` output: one JSON line ``{"id", "group", "event"}`` per article.

    Lines come in input order; ``group`` is the id of the article's near-duplicate group and
    ``event`` the id of its event.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    group_of = {mid: g.id for g in model.groups_ for mid in g.members}
    event_ids = [encode(e.id) for e in model.events_]
    for article, label in zip(articles, model.labels_.tolist(), strict=True):
        yield (
            f'{{"id":{encode(article.id)},"group":{encode(group_of[article.id])},'
            f'"event":{event_ids[label]}}}\n'
        )


def events_summary(model: EventClusterer, *, top: int = 10, seconds: float | None = None) -> str:
    """Summary of a fitted :class:`EventClusterer` for stderr.

    One line of totals (articles, groups, events, events with several outlets, largest), then
    the ``top`` largest events: size, outlets and label.
    """
    events = model.events_
    n_articles = sum(len(e) for e in events)
    multi = sum(1 for e in events if len(e.outlets) > 1)
    largest = max((len(e) for e in events), default=0)
    timing = "" if seconds is None else f", {seconds:.2f}s"
    lines = [
        f"{n_articles:,} articles, {len(model.groups_):,} groups, {len(events):,} events "
        f"({multi:,} reported by several outlets), largest event {largest}{timing}"
    ]
    ranked = sorted(events, key=lambda e: (-len(e), e.id))[: max(top, 0)]
    for event in ranked:
        outlets = ", ".join(event.outlets) if event.outlets else "-"
        lines.append(
            f"  {event.id}  {len(event)} articles, {len(event.outlets)} outlets ({outlets}): "
            f"{event.label}"
        )
    return "\n".join(lines) + "\n"


def _run_clean(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.io import write_jsonl  # noqa: PLC0415
    from storymatch.models import Article  # noqa: PLC0415
    from storymatch.text.clean import BoilerplateModel, clean  # noqa: PLC0415

    started = time.perf_counter()
    articles = [a for a in _read(args, err) if isinstance(a, Article)]
    steps = {
        step: not getattr(args, f"keep_{step}")
        for step in ("headlines", "widgets", "captions", "bylines", "datelines", "chrome")
    }
    model: BoilerplateModel | None = None
    if args.model:
        model = BoilerplateModel.load(args.model)
    elif args.learn:
        model = BoilerplateModel().fit(articles)
        if args.save_model:
            model.save(args.save_model)
    removed = 0

    def records() -> Iterator[dict[str, object]]:
        nonlocal removed
        for article in articles:
            if model is not None:
                result = model.clean(
                    article.text, source=article.source, title=article.title, **steps
                )
            else:
                result = clean(article.text, title=article.title, **steps)
            removed += len(result.removed)
            record = article.to_dict()
            record["text"] = result.text
            if result.title is not None:
                record["title"] = result.title
            for name in ("standfirst", "byline", "dateline"):
                value = getattr(result, name)
                if value is not None:
                    record[name] = value
            record["removed"] = [r.to_dict() for r in result.removed]
            yield record

    write_jsonl(args.output, records())
    if not args.quiet:
        err.write(
            f"{len(articles):,} documents cleaned, {removed:,} lines removed, "
            f"{time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def _choose_reports(
    args: argparse.Namespace, articles: list[Article]
) -> tuple[list[Article], str | None]:
    """Return the reports ``compare`` should align, and the event id when chosen by event."""
    if args.ids:
        wanted = [i.strip() for i in args.ids.split(",") if i.strip()]
        by_id = {a.id: a for a in articles}
        missing = [i for i in wanted if i not in by_id]
        if missing:
            msg = f"--ids names reports that are not in the input: {', '.join(missing)}"
            raise InvalidParameterError(msg)
        return [by_id[i] for i in wanted], None
    if args.event:
        from storymatch.events import EventClusterer  # noqa: PLC0415

        model = EventClusterer().fit(articles)
        event = next((e for e in model.events_ if e.id == args.event), None)
        if event is None:
            msg = f"--event {args.event!r} is not an event of this input (see `storymatch events`)"
            raise InvalidParameterError(msg)
        reps = {g.representative for g in model.groups_ if set(g.members) & set(event.members)}
        return [a for a in articles if a.id in reps], event.id
    if len(articles) > args.max_reports:
        msg = (
            f"the input holds {len(articles)} reports; choose some with --ids or --event "
            f"(or raise --max-reports)"
        )
        raise InvalidParameterError(msg)
    return articles, None


def _run_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.differ.comparison import compare  # noqa: PLC0415
    from storymatch.io import write_lines  # noqa: PLC0415
    from storymatch.models import Article  # noqa: PLC0415
    from storymatch.report import (  # noqa: PLC0415
        render_html,
        render_json,
        render_markdown,
        render_text,
    )

    articles = [a for a in _read(args, err) if isinstance(a, Article)]
    chosen, event = _choose_reports(args, articles)
    comparison = compare(chosen, threshold=args.claim_threshold, event=event)
    if args.to == "json":
        text = render_json(comparison)
    elif args.to == "md":
        text = render_markdown(comparison)
    elif args.to == "html":
        text = render_html(comparison)
    else:
        text = render_text(comparison, color=args.output == "-" and out.isatty())
    if args.output == "-":
        out.write(text if text.endswith("\n") else text + "\n")
    else:
        write_lines(args.output, [text])
        if not args.quiet:
            err.write(
                f"{len(comparison.outlets)} reports, {len(comparison.claims)} claims "
                f"({len(comparison.by_status('all'))} in all, "
                f"{len(comparison.by_status('one'))} in one only, "
                f"{len(comparison.conflicts)} with conflicts) written to {args.output}\n"
            )
    return EXIT_OK


def _run_pairs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.differ.similarity import default_scorer  # noqa: PLC0415
    from storymatch.io import SkippedRecord, iter_pairs, write_lines  # noqa: PLC0415

    skipped: list[SkippedRecord] = []
    pairs = list(
        iter_pairs(
            args.input,
            on_error="skip" if args.skip_invalid else "raise",
            skipped=skipped,
        )
    )
    for record in skipped:
        err.write(f"skipped {record.path}:{record.line}: {record.reason}\n")
    scorer = default_scorer()
    threshold = scorer.threshold if args.claim_threshold is None else args.claim_threshold
    scores: list[float] = (
        [float(v) for v in scorer([p.a for p in pairs], [p.b for p in pairs])] if pairs else []
    )
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = (
        f'{{"id":{encode(p.id)},"score":{round(float(v), 6)!r},'
        f'"same_claim":{"true" if v >= threshold else "false"}}}\n'
        for p, v in zip(pairs, scores, strict=True)
    )
    write_lines(args.output, lines)
    if not args.quiet:
        same = sum(1 for v in scores if v >= threshold)
        err.write(f"{len(pairs):,} pairs scored, {same:,} same claim (threshold {threshold:.3f})\n")
    return EXIT_OK


def _run_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.models import Article  # noqa: PLC0415
    from storymatch.pipeline import analyze  # noqa: PLC0415
    from storymatch.report import write_report  # noqa: PLC0415

    started = time.perf_counter()
    articles = [a for a in _read(args, err) if isinstance(a, Article)]
    bars: dict[str, _Progress] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.close()
            bars[stage] = _Progress(stage, err, enabled=not args.quiet)
        bars[stage](done, total)

    try:
        analysis = analyze(articles, progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    index = write_report(analysis, Path(args.output))
    if not args.quiet:
        err.write(
            f"{len(analysis.articles):,} articles, {len(analysis.groups):,} near-duplicate groups, "
            f"{len(analysis.events):,} events, {len(analysis.comparisons):,} compared, "
            f"{time.perf_counter() - started:.1f}s\n"
        )
    out.write(f"{index}\n")
    return EXIT_OK


_INDEX_OPTIONS = (
    "threshold",
    "containment_threshold",
    "shingle_size",
    "kind",
    "num_perm",
    "chain_guard",
    "keep_widgets",
    "no_ocr_fold",
    "seed",
)
"""The near-duplicate options of ``index add`` (absent from the namespace when not given)."""


def _run_index(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.dedup.storage import open_storage  # noqa: PLC0415

    with open_storage(args.store, create=args.index_command == "add") as storage:
        if args.index_command == "add":
            return _run_index_add(args, storage, err)
        return _run_index_query(args, storage, err)


def _run_index_add(args: argparse.Namespace, storage: Storage, err: TextIO) -> int:
    from storymatch.dedup import LSHIndex, NearDuplicateClusterer  # noqa: PLC0415
    from storymatch.models import Article  # noqa: PLC0415

    started = time.perf_counter()
    articles = [a for a in _read(args, err) if isinstance(a, Article)]
    given = [name for name in _INDEX_OPTIONS if hasattr(args, name)]
    if storage.get_meta("settings") is not None and not given:
        index = LSHIndex.open(storage)
    else:
        # the options' defaults are the clusterer's: pass only those given
        options = {name: getattr(args, name) for name in given}
        if "keep_widgets" in options:
            options["strip_boilerplate"] = not options.pop("keep_widgets")
        if "no_ocr_fold" in options:
            options["ocr_fold"] = not options.pop("no_ocr_fold")
        clusterer = NearDuplicateClusterer(**options)
        index = LSHIndex.from_clusterer(clusterer, storage=storage)
    index.add_articles(articles, batch_size=args.batch_size)
    if not args.quiet:
        err.write(
            f"{len(articles):,} articles added to {args.store}, {len(index):,} documents "
            f"indexed, {time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def _run_index_query(args: argparse.Namespace, storage: Storage, err: TextIO) -> int:
    from storymatch.dedup import LSHIndex  # noqa: PLC0415
    from storymatch.io import write_jsonl  # noqa: PLC0415
    from storymatch.models import Article  # noqa: PLC0415

    started = time.perf_counter()
    articles = [a for a in _read(args, err) if isinstance(a, Article)]
    index = LSHIndex.open(storage)
    found = 0

    def rows() -> Iterator[dict[str, object]]:
        nonlocal found
        for key, matches in index.query_articles(articles, batch_size=args.batch_size):
            found += bool(matches)
            yield {
                "id": key,
                "matches": [{"id": m.id, "similarity": round(m.jaccard, 6)} for m in matches],
            }

    write_jsonl(args.output, rows())
    if not args.quiet:
        err.write(
            f"{len(articles):,} articles queried against {len(index):,} indexed documents, "
            f"{found:,} with matches, {time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def _run_calibrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.calibration import calibrate, choose  # noqa: PLC0415
    from storymatch.models import Article  # noqa: PLC0415

    articles = [a for a in _read(args, err) if isinstance(a, Article)]
    try:
        sizes = tuple(int(x) for x in args.shingle_sizes.split(",") if x.strip())
    except ValueError:
        msg = f"--shingle-sizes must be comma-separated integers, got {args.shingle_sizes!r}"
        raise InvalidParameterError(msg) from None
    kinds: tuple[Literal["word", "char"], ...] = tuple(
        k.strip() for k in args.kinds.split(",") if k.strip()
    )
    if not set(kinds) <= {"word", "char"}:
        msg = f"--kinds must name word and/or char, got {args.kinds!r}"
        raise InvalidParameterError(msg)
    progress = _Progress("calibrating", err, enabled=not args.quiet)
    try:
        result = calibrate(
            articles,
            metric=args.metric,
            label_field=args.label_field,
            kinds=kinds,
            shingle_sizes=sizes,
            progress=progress,
        )
    finally:
        progress.close()
    if args.json:
        out.write(json.dumps(result.to_dict(), indent=2) + "\n")
        return EXIT_OK
    metric = args.metric
    out.write(f"{result.n_articles} labelled articles, {len(result.points)} settings tried\n\n")
    out.write(
        f"best {metric} per shingle setting (threshold, containment):\n"
        f"  {'kind':<5} {'size':>4} {'threshold':>9} {'contain.':>8} {metric:>18} "
        f"{'precision':>9} {'recall':>6}\n"
    )
    settings = sorted({(p.kind, p.shingle_size) for p in result.points})
    for kind, size in settings:
        best = choose(
            [p for p in result.points if (p.kind, p.shingle_size) == (kind, size)], metric
        )
        cont = "-" if best.containment_threshold is None else f"{best.containment_threshold:g}"
        out.write(
            f"  {kind:<5} {size:>4} {best.threshold:>9g} {cont:>8} {best.value(metric):>18.4f} "
            f"{best.scores.bcubed.precision:>9.3f} {best.scores.bcubed.recall:>6.3f}\n"
        )
    out.write(
        f"\ncurve of the best setting ({result.best.kind} {result.best.shingle_size}-grams):\n"
    )
    for p in result.curve():
        marker = "  <- recommended" if p == result.best else ""
        out.write(
            f"  threshold {p.threshold:.2f}: {metric} {p.value(metric):.4f}, "
            f"B-cubed P {p.scores.bcubed.precision:.3f} R {p.scores.bcubed.recall:.3f}"
            f"{marker}\n"
        )
    b, d = result.best, result.defaults
    out.write(
        f"\nrecommended: {result.cli_options()}\n"
        f"  expected {metric} {b.value(metric):.4f} (B-cubed precision "
        f"{b.scores.bcubed.precision:.3f}, recall {b.scores.bcubed.recall:.3f}; pairwise "
        f"precision {b.scores.pairwise.precision:.3f}, recall {b.scores.pairwise.recall:.3f})\n"
        f"  the defaults score {d.value(metric):.4f} on this sample\n"
    )
    return EXIT_OK


def _bench_root() -> Path | None:
    """Return the source checkout whose ``benchmarks/suite.py`` ``bench`` runs, if any."""
    import storymatch  # noqa: PLC0415

    for root in (Path(storymatch.__file__).resolve().parents[2], Path.cwd()):
        if (root / "benchmarks" / "suite.py").is_file():
            return root
    return None


def _run_bench(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import importlib  # noqa: PLC0415

    root = _bench_root()
    if root is None:
        err.write(
            "storymatch: error: storymatch bench runs the benchmark suite of a source checkout; "
            "clone the repository and run it there\n"
        )
        return EXIT_USAGE
    # the checkout's benchmarks package first (pysbd installs an unrelated `benchmarks`)
    loaded = sys.modules.get("benchmarks")
    if loaded is not None and Path(loaded.__file__ or "").resolve().parent != root / "benchmarks":
        for name in [n for n in sys.modules if n == "benchmarks" or n.startswith("benchmarks.")]:
            del sys.modules[name]
    if str(root) in sys.path:
        sys.path.remove(str(root))
    sys.path.insert(0, str(root))
    suite = importlib.import_module("benchmarks.suite")
    quiet = args.quiet or args.bench_quiet
    bars: dict[str, _Progress] = {}

    def progress(stage: str, done: int, total: int) -> None:
        label = f"{args.bench_command}: {stage}"
        if label not in bars:
            for bar in bars.values():
                bar.close()
            bars[label] = _Progress(label, err, enabled=not quiet)
        bars[label](done, total)

    given = (("data", args.data), ("only", args.only), ("sizes", getattr(args, "sizes", None)))
    argv = [f"--{key}={value}" for key, value in given if value is not None]
    argv += ["--quick"] if getattr(args, "quick", False) else []
    try:
        status = suite.command(
            args.bench_command,
            data=args.data,
            only=args.only,
            sizes=getattr(args, "sizes", None),
            out_dir=args.out,
            quick=getattr(args, "quick", False),
            as_json=args.json,
            quiet=quiet,
            write=not args.no_write,
            progress=progress,
            out=out,
            err=err,
            argv=argv,
        )
    finally:
        for bar in bars.values():
            bar.close()
    return int(status)


def sample_path() -> Path:
    """Where the bundled sample corpus is (inside the wheel, or in a source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (
        here / "_sample" / "articles.jsonl",
        here.parents[1] / "examples" / "sample" / "articles.jsonl",
    ):
        if candidate.is_file():
            return candidate
    msg = "the bundled sample corpus is missing from this installation"
    raise InvalidInputError(msg)


def _run_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.io import read_articles, write_jsonl  # noqa: PLC0415
    from storymatch.pipeline import analyze  # noqa: PLC0415
    from storymatch.report import write_report  # noqa: PLC0415

    path = sample_path()
    articles = list(read_articles(path).articles)
    analysis = analyze(articles)
    folder = Path(args.output)
    write_jsonl(folder / "duplicates.jsonl", (g.to_dict() for g in analysis.groups))
    write_jsonl(folder / "events.jsonl", (e.to_dict() for e in analysis.events))
    index = write_report(analysis, folder)
    by_id = {a.id: a for a in articles}
    copies = [g for g in analysis.groups if len(g) > 1]
    out.write(f"storymatch demo: {len(articles)} articles from {path}\n")
    out.write(f"{len(analysis.groups)} near-duplicate groups, {len(copies)} with copies:\n")
    for group in copies:
        rep = by_id[group.representative]
        out.write(f"  {group.id}  {rep.source or '?'}: {rep.title or rep.id}\n")
        for member, sim in zip(group.members[1:], group.similarities[1:], strict=True):
            source = by_id[member].source or "?"
            out.write(f"      copy {member} ({source}), Jaccard {sim:.2f}\n")
    multi = [e for e in analysis.events if e.id in analysis.comparisons]
    out.write(f"{len(analysis.events)} events, {len(multi)} told by two or more outlets:\n")
    for event in multi:
        out.write(f"  {event.id}  {len(event.outlets)} outlets: {event.label}\n")
    if multi:
        comparison = analysis.comparisons[multi[0].id]
        out.write(f"comparing the reports of {multi[0].id} ({multi[0].label}):\n")
        out.write(
            f"  {len(comparison.claims)} claims: {len(comparison.by_status('all'))} carried by "
            f"all, {len(comparison.by_status('some'))} by some, "
            f"{len(comparison.by_status('one'))} by one outlet only\n"
        )
        for cov in comparison.coverage:
            name = comparison.outlet(cov.outlet).name
            out.write(
                f"  {name}: carries {cov.carried}, alone in {cov.unique}, "
                f"omits {cov.omitted} that most others carry, {cov.conflicts} in conflict\n"
            )
        for claim in comparison.conflicts[:5]:
            for conflict in claim.conflicts:
                left = comparison.outlet(conflict.left).name
                right = comparison.outlet(conflict.right).name
                words_l = ", ".join(conflict.left_words) or "-"
                words_r = ", ".join(conflict.right_words) or "-"
                out.write(
                    f"  conflict ({conflict.kind}) in {claim.id}: "
                    f"{left} says {words_l!r}, {right} says {words_r!r}\n"
                )
        for claim in comparison.claims:
            if claim.moved:
                out.write(f"  moved: {claim.id} leads one report and comes late in another\n")
                break
    out.write(f"report: {index}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    out, err = sys.stdout, sys.stderr
    try:
        runners = {
            "dedup": _run_dedup,
            "clean": _run_clean,
            "events": _run_events,
            "compare": _run_compare,
            "pairs": _run_pairs,
            "report": _run_report,
            "index": _run_index,
            "calibrate": _run_calibrate,
            "demo": _run_demo,
            "bench": _run_bench,
        }
        runner = runners.get(args.command)
        if runner is not None:
            return runner(args, out, err)
    except InvalidParameterError as exc:
        err.write(f"storymatch: error: {exc}\n")
        return EXIT_USAGE
    except (InvalidInputError, StorymatchError, OSError) as exc:
        err.write(f"storymatch: error: {exc}\n")
        return EXIT_INPUT
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover
    return EXIT_USAGE  # pragma: no cover
