"""What each ``storymatch`` command does: read the input, call the library, print.

One function per command, each taking the parsed arguments and the output and error
streams and returning the exit status; :data:`COMMANDS` maps command names to them. The
choices (which reports to compare, how rows are formatted) are the library's:
:mod:`storymatch.pipeline` and :mod:`storymatch.io.writers`.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Final, Literal, TextIO

from storymatch._gcpause import paused_gc
from storymatch.cli.parser import INDEX_OPTIONS
from storymatch.cli.progress import ProgressBar
from storymatch.errors import InvalidInputError, InvalidParameterError

if TYPE_CHECKING:
    from storymatch.dedup import NearDuplicateClusterer
    from storymatch.dedup.storage import Storage
    from storymatch.differ.similarity import Scorer
    from storymatch.events import EventClusterer
    from storymatch.models import Article

__all__ = [
    "COMMANDS",
    "EXIT_INPUT",
    "EXIT_OK",
    "EXIT_USAGE",
    "Command",
    "bench_root",
    "events_summary",
    "sample_path",
]

EXIT_OK: Final = 0
EXIT_INPUT: Final = 1
EXIT_USAGE: Final = 2

Command = Callable[[argparse.Namespace, TextIO, TextIO], int]
"""``run(args, out, err) -> exit status``: one command of the command line."""


def _read(args: argparse.Namespace, err: TextIO) -> list[Article]:
    """Read the input articles, reporting skipped records on ``err``."""
    from storymatch.io import read_articles  # noqa: PLC0415 - keep --help fast
    from storymatch.report.terminal import terminal_safe  # noqa: PLC0415

    result = read_articles(
        args.input,
        format=args.format,
        on_error="skip" if args.skip_invalid else "raise",
        id_field=getattr(args, "id_field", "id"),
        text_field=getattr(args, "text_field", "text"),
        source_field=getattr(args, "source_field", "source"),
        title_field=getattr(args, "title_field", "title"),
        date_field=getattr(args, "date_field", "date"),
        url_field=getattr(args, "url_field", "url"),
    )
    for record in result.skipped:
        err.write(terminal_safe(f"skipped {record.path}:{record.line}: {record.reason}") + "\n")
    if result.skipped:
        err.write(f"skipped {_n(len(result.skipped), 'invalid record')}\n")
    return list(result.articles)


def _column_options(args: argparse.Namespace) -> dict[str, str]:
    """Return the ``--*-field`` options given, as the readers' ``*_field`` keywords."""
    fields = ("id", "text", "source", "title", "date", "url")
    options = {f"{name}_field": getattr(args, f"{name}_field", name) for name in fields}
    return {key: value for key, value in options.items() if value != key.removesuffix("_field")}


def _clusterer(args: argparse.Namespace) -> NearDuplicateClusterer:
    """Return the clusterer that the grouping options of ``dedup`` and ``copies`` describe."""
    from storymatch.dedup import NearDuplicateClusterer  # noqa: PLC0415

    return NearDuplicateClusterer(
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


def _events(args: argparse.Namespace, *, dedup: bool = True) -> EventClusterer:
    """Return the event clusterer that the event (and near-duplicate) options describe."""
    from storymatch.events import EventClusterer  # noqa: PLC0415

    return EventClusterer(
        threshold=args.event_threshold,
        window_days=args.window_days,
        dedup=_clusterer(args) if dedup else False,
    )


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """Say ``count`` with its noun agreeing: ``1 document``, ``2 documents``."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def _run_dedup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.io import write_jsonl, write_lines  # noqa: PLC0415
    from storymatch.io.writers import dedup_lines  # noqa: PLC0415

    started = time.perf_counter()
    if args.engine == "spark":
        from storymatch.dedup.spark import dedup_files  # noqa: PLC0415

        if args.groups or args.skip_invalid or _column_options(args):
            msg = (
                "--groups, --skip-invalid and the --*-field options are not available with "
                "--engine spark"
            )
            raise InvalidParameterError(msg)
        summary = dedup_files(
            args.input,
            args.output,
            input_format=args.format,
            clusterer=_clusterer(args),
        )
        if not args.quiet:
            err.write(
                f"{_n(summary.n_documents, 'document')}, {_n(summary.n_groups, 'group')} "
                f"({_n(summary.n_copies, 'copy', 'copies')}), largest group {summary.largest}, "
                f"{summary.seconds:.2f}s (spark: {args.output}/part-*)\n"
            )
        return EXIT_OK
    if args.format == "parquet":
        msg = "Parquet input needs --engine spark (storymatch[spark]; docs/spark.md)"
        raise InvalidParameterError(msg)
    articles = _read(args, err)
    clusterer = _clusterer(args)
    with ProgressBar(err, enabled=not args.quiet) as bar:
        clusterer.fit(articles, progress=bar)
    groups = clusterer.groups_
    lines = dedup_lines(
        (a.id for a in articles), groups, clusterer.labels_, clusterer.similarities_
    )
    write_lines(args.output, lines)
    if args.groups:
        write_jsonl(args.groups, (g.to_dict() for g in groups))
    if not args.quiet:
        largest = max((len(g) for g in groups), default=0)
        copies = sum(len(g) - 1 for g in groups)
        err.write(
            f"{_n(len(articles), 'document')}, {_n(len(groups), 'group')} "
            f"({_n(copies, 'copy', 'copies')}), largest group {largest}, "
            f"{time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def _run_copies(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.dedup.copies import copy_lines  # noqa: PLC0415
    from storymatch.io import write_lines  # noqa: PLC0415

    started = time.perf_counter()
    articles = _read(args, err)
    clusterer = _clusterer(args)
    # everything built from here (groups, members' texts, edits, lines) lives until the
    # process ends and holds no cycles: the collector would only rescan it (a middle and a
    # full pass while the lines were built, 0.19 and 0.34 s at 100,000 documents;
    # storymatch._gcpause)
    with paused_gc(), ProgressBar(err, enabled=not args.quiet) as bar:
        clusterer.fit(articles, progress=bar)
        # the lines are formatted where each group is compared (in the workers too)
        found = copy_lines(clusterer, articles, progress=bar, n_jobs=args.jobs)
        n_copies = write_lines(args.output, (line for g in found for line in g.lines))
    if not args.quiet:
        edits = sum(g.n_edits for g in found)
        by_date = sum(1 for g in found if g.basis == "date")
        err.write(
            f"{_n(len(articles), 'document')}, {_n(len(found), 'group')} with copies "
            f"({_n(n_copies, 'copy', 'copies')}, {_n(edits, 'edit')}; originals by date "
            f"{by_date:,}, "
            f"by content {len(found) - by_date:,}), {time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def _run_events(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.io import write_jsonl, write_lines  # noqa: PLC0415
    from storymatch.io.writers import events_lines  # noqa: PLC0415

    started = time.perf_counter()
    articles = _read(args, err)
    model = _events(args, dedup=not args.no_dedup).fit(articles)
    write_lines(
        args.output,
        events_lines((a.id for a in articles), model.groups_, model.events_, model.labels_),
    )
    if args.events:
        write_jsonl(args.events, (e.to_dict() for e in model.events_))
    if not args.quiet:
        err.write(events_summary(model, top=args.top, seconds=time.perf_counter() - started))
    return EXIT_OK


def events_summary(model: EventClusterer, *, top: int = 10, seconds: float | None = None) -> str:
    """Return the summary of a fitted :class:`EventClusterer` for stderr.

    One line of totals (articles, groups, events, events with several outlets, largest), then
    the ``top`` largest events: size, outlets and label (through
    :func:`~storymatch.report.terminal.terminal_safe`: titles and sources are untrusted).
    """
    from storymatch.report.terminal import terminal_safe  # noqa: PLC0415

    events = model.events_
    n_articles = sum(len(e) for e in events)
    multi = sum(1 for e in events if len(e.outlets) > 1)
    largest = max((len(e) for e in events), default=0)
    timing = "" if seconds is None else f", {seconds:.2f}s"
    lines = [
        f"{_n(n_articles, 'article')}, {_n(len(model.groups_), 'group')}, "
        f"{_n(len(events), 'event')} ({multi:,} reported by several outlets), "
        f"largest event {largest}{timing}"
    ]
    ranked = sorted(events, key=lambda e: (-len(e), e.id))[: max(top, 0)]
    for event in ranked:
        outlets = ", ".join(event.outlets) if event.outlets else "-"
        lines.append(
            terminal_safe(
                f"  {event.id}  {_n(len(event), 'article')}, "
                f"{_n(len(event.outlets), 'outlet')} ({outlets}): {event.label}",
                fold=False,
            )
        )
    return "\n".join(lines) + "\n"


def _run_clean(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.io import write_jsonl  # noqa: PLC0415
    from storymatch.text.boilerplate import BoilerplateModel, clean  # noqa: PLC0415

    started = time.perf_counter()
    articles = _read(args, err)
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
            f"{_n(len(articles), 'document')} cleaned, {_n(removed, 'line')} removed, "
            f"{time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def _chosen_reports(args: argparse.Namespace, articles: list[Article]) -> list[Article]:
    """Return the reports ``compare`` aligns: ``--ids``, ``--event`` (as ``report``) or all."""
    if args.ids:
        wanted = [i.strip() for i in args.ids.split(",") if i.strip()]
        by_id = {a.id: a for a in articles}
        missing = [i for i in wanted if i not in by_id]
        if missing:
            msg = f"--ids names reports that are not in the input: {', '.join(missing)}"
            raise InvalidParameterError(msg)
        return [by_id[i] for i in wanted]
    if args.event:
        from storymatch.pipeline import find_event_reports  # noqa: PLC0415

        return find_event_reports(
            articles,
            args.event,
            dedup=_clusterer(args),
            events=_events(args),
            max_reports=args.max_reports,
        )
    if len(articles) > args.max_reports:
        msg = (
            f"the input holds {len(articles)} reports; choose some with --ids or --event "
            f"(or raise --max-reports)"
        )
        raise InvalidParameterError(msg)
    return _one_event(articles, args)


def _one_event(articles: list[Article], args: argparse.Namespace) -> list[Article]:
    """Run the event stage on a file compared whole; refuse when it holds several events.

    A file whose reports make one event (or no event of two or more reports) is compared
    whole, in the column order of ``report`` (:func:`~storymatch.pipeline.column_order`).
    A file with two or more events of two or more reports each is
    refused with the events named, so that unrelated stories are never aligned as one.
    """
    from storymatch.pipeline import column_order, event_reports  # noqa: PLC0415

    if len(articles) < 3:  # noqa: PLR2004 - two reports cannot make two events of two
        return column_order(articles)

    dedup = _clusterer(args).fit(articles)
    model = _events(args).fit(articles, groups=dedup.groups_)
    by_id = {a.id: a for a in articles}
    several = []
    for event in sorted(model.events_, key=lambda e: (-len(e), e.id)):
        chosen = event_reports(event, dedup.groups_, by_id, max_reports=args.max_reports)
        if len(chosen) >= 2:  # noqa: PLR2004
            several.append((event, chosen))
    if len(several) <= 1:
        return column_order(articles)
    lines = "\n".join(
        f"  {event.id}  {len(chosen)} reports: "
        + ", ".join(a.id for a in chosen[:4])
        + (", ..." if len(chosen) > 4 else "")  # noqa: PLR2004
        for event, chosen in several[:10]
    )
    more = f"\n  ... and {len(several) - 10} more" if len(several) > 10 else ""  # noqa: PLR2004
    msg = (
        f"the input holds {len(several)} events of two or more reports; compare one with "
        f"--event ID (or choose reports with --ids); `storymatch report` compares every "
        f"event:\n{lines}{more}"
    )
    raise InvalidParameterError(msg)


def _run_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.differ.comparison import compare  # noqa: PLC0415
    from storymatch.io import write_lines  # noqa: PLC0415
    from storymatch.report import (  # noqa: PLC0415
        render_html,
        render_json,
        render_markdown,
        render_text,
    )

    articles = _read(args, err)
    chosen = _chosen_reports(args, articles)
    comparison = compare(
        chosen, scorer=args.scorer, threshold=args.claim_threshold, event=args.event
    )
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
                f"{_n(len(comparison.outlets), 'report')}, {_n(len(comparison.claims), 'claim')} "
                f"({len(comparison.by_status('all'))} in all, "
                f"{len(comparison.by_status('one'))} in one only, "
                f"{len(comparison.conflicts)} with conflicts) written to {args.output}\n"
            )
    return EXIT_OK


def _run_pairs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.differ.similarity import default_scorer  # noqa: PLC0415
    from storymatch.io import SkippedRecord, iter_pairs, write_lines  # noqa: PLC0415
    from storymatch.report.terminal import terminal_safe  # noqa: PLC0415

    skipped: list[SkippedRecord] = []
    pairs = list(
        iter_pairs(
            args.input,
            on_error="skip" if args.skip_invalid else "raise",
            skipped=skipped,
        )
    )
    for record in skipped:
        err.write(terminal_safe(f"skipped {record.path}:{record.line}: {record.reason}") + "\n")
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
        err.write(
            f"{_n(len(pairs), 'pair')} scored, {same:,} same claim (threshold {threshold:.3f})\n"
        )
    return EXIT_OK


def _claim_scorer(name: str | None) -> Scorer | None:
    """Return the scorer ``--scorer`` names (None: the library's default)."""
    if name is None:
        return None
    from storymatch.differ.comparison import claim_scorer  # noqa: PLC0415

    return claim_scorer(name)


def _run_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.pipeline import analyze  # noqa: PLC0415
    from storymatch.report import write_report  # noqa: PLC0415

    if args.output == "-":
        msg = "report writes a folder of pages, not a stream: give -o a folder name, not -"
        raise InvalidParameterError(msg)
    started = time.perf_counter()
    articles = _read(args, err)
    with ProgressBar(err, enabled=not args.quiet) as bar:
        analysis = analyze(
            articles,
            dedup=_clusterer(args),
            events=_events(args),
            scorer=_claim_scorer(args.scorer),
            threshold=args.claim_threshold,
            max_reports=args.max_reports,
            progress=bar,
        )
    index = write_report(analysis, Path(args.output))
    if not args.quiet:
        err.write(
            f"{_n(len(analysis.articles), 'article')}, "
            f"{_n(len(analysis.groups), 'near-duplicate group')}, "
            f"{_n(len(analysis.events), 'event')}, {len(analysis.comparisons):,} compared, "
            f"{time.perf_counter() - started:.1f}s\n"
        )
    out.write(f"{index}\n")
    return EXIT_OK


def _run_index(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.dedup.storage import open_storage  # noqa: PLC0415

    adding = args.index_command == "add"
    with open_storage(args.store, create=adding, read_only=not adding) as storage:
        if args.index_command == "add":
            return _run_index_add(args, storage, err)
        return _run_index_query(args, storage, err)


def _run_index_add(args: argparse.Namespace, storage: Storage, err: TextIO) -> int:
    from storymatch.dedup import LSHIndex, NearDuplicateClusterer  # noqa: PLC0415

    started = time.perf_counter()
    articles = _read(args, err)
    given = [name for name in INDEX_OPTIONS if hasattr(args, name)]
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
            f"{_n(len(articles), 'article')} added to {args.store}, "
            f"{_n(len(index), 'document')} indexed, {time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def _run_index_query(args: argparse.Namespace, storage: Storage, err: TextIO) -> int:
    from storymatch.dedup import LSHIndex  # noqa: PLC0415
    from storymatch.io import write_jsonl  # noqa: PLC0415

    started = time.perf_counter()
    articles = _read(args, err)
    index = LSHIndex.open(storage)
    found = 0

    if args.max_matches < 0:
        msg = f"--max-matches must be 0 (keep all) or more, got {args.max_matches}"
        raise InvalidParameterError(msg)

    def rows() -> Iterator[dict[str, object]]:
        nonlocal found
        results = index.search(
            articles, max_matches=args.max_matches or None, batch_size=args.batch_size
        )
        for result in results:
            found += bool(result.matches)
            row: dict[str, object] = {
                "id": result.id,
                "matches": [
                    {"id": m.id, "similarity": round(m.jaccard, 6)} for m in result.matches
                ],
            }
            if result.more:
                row["more"] = result.more
            yield row

    write_jsonl(args.output, rows())
    if not args.quiet:
        err.write(
            f"{_n(len(articles), 'article')} queried against {len(index):,} indexed "
            f"document{'' if len(index) == 1 else 's'}, "
            f"{found:,} with matches, {time.perf_counter() - started:.2f}s\n"
        )
    return EXIT_OK


def _run_calibrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from storymatch.calibration import calibrate, choose  # noqa: PLC0415

    articles = _read(args, err)
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
    with ProgressBar(err, enabled=not args.quiet) as bar:
        result = calibrate(
            articles,
            metric=args.metric,
            label_field=args.label_field,
            kinds=kinds,
            shingle_sizes=sizes,
            progress=bar,
        )
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


def bench_root() -> Path | None:
    """Return the source checkout whose ``benchmarks/suite.py`` ``bench`` runs, if any.

    Returns
    -------
    pathlib.Path or None
        The checkout this package was installed from (editable install), else the current
        folder when it is a checkout; None when neither holds the suite.
    """
    import storymatch  # noqa: PLC0415

    for root in (Path(storymatch.__file__).resolve().parents[2], Path.cwd()):
        if (root / "benchmarks" / "suite.py").is_file():
            return root
    return None


def _load_suite(root: Path) -> ModuleType:
    """Import ``benchmarks.suite`` from the checkout at ``root``, without touching sys.path.

    The checkout's ``benchmarks`` package is loaded from its folder (pysbd installs an
    unrelated top-level ``benchmarks``, which it replaces); its modules import each other
    through the package, so nothing else of the checkout becomes importable.
    """
    folder = (root / "benchmarks").resolve()
    loaded = sys.modules.get("benchmarks")
    if loaded is None or Path(loaded.__file__ or "").resolve().parent != folder:
        for name in [n for n in sys.modules if n == "benchmarks" or n.startswith("benchmarks.")]:
            del sys.modules[name]
        spec = importlib.util.spec_from_file_location(
            "benchmarks", folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        if spec is None or spec.loader is None:  # pragma: no cover - the file exists
            msg = f"cannot load the benchmarks package from {folder}"
            raise InvalidInputError(msg)
        package = importlib.util.module_from_spec(spec)
        sys.modules["benchmarks"] = package
        spec.loader.exec_module(package)
    return importlib.import_module("benchmarks.suite")


def _run_bench(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    root = bench_root()
    if root is None:
        err.write(
            "storymatch: error: storymatch bench runs the benchmark suite of a source checkout; "
            "clone the repository and run it there\n"
        )
        return EXIT_USAGE
    suite = _load_suite(root)
    quiet = args.quiet or args.bench_quiet
    given = (("data", args.data), ("only", args.only), ("sizes", getattr(args, "sizes", None)))
    argv = [f"--{key}={value}" for key, value in given if value is not None]
    argv += ["--quick"] if getattr(args, "quick", False) else []
    with ProgressBar(err, enabled=not quiet) as bar:

        def progress(stage: str, done: int, total: int) -> None:
            bar(f"{args.bench_command}: {stage}", done, total)

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
    return int(status)


def sample_path() -> Path:
    """Return where the bundled sample corpus is (inside the wheel, or in a source checkout).

    Returns
    -------
    pathlib.Path
        The sample's ``articles.jsonl``.

    Raises
    ------
    InvalidInputError
        If the installation lacks it.
    """
    here = Path(__file__).resolve().parents[1]  # the storymatch package
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
    found = {c.group: c for c in analysis.copies}
    for group in copies:
        edited = found.get(group.id)
        if edited is None:
            rep = by_id[group.representative]
            out.write(f"  {group.id}  {rep.source or '?'}: {rep.title or rep.id}\n")
            for member, sim in zip(group.members[1:], group.similarities[1:], strict=True):
                source = by_id[member].source or "?"
                out.write(f"      copy {member} ({source}), Jaccard {sim:.2f}\n")
            continue
        original = by_id[edited.original]
        how = "earliest" if edited.basis == "date" else "by content"
        out.write(
            f"  {group.id}  original ({how}) {original.source or '?'}: "
            f"{original.title or original.id}\n"
        )
        for info in edited.copies:
            source = by_id[info.id].source or "?"
            out.write(f"      copy {info.id} ({source}): {info.digest()}\n")
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


COMMANDS: Final[Mapping[str, Command]] = {
    "dedup": _run_dedup,
    "copies": _run_copies,
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
"""Each command's function, by the name the parser gives it (``args.command``)."""
