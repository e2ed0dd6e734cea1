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
from typing import TYPE_CHECKING, TextIO

import numpy as np

from storymatch import __version__
from storymatch.errors import InvalidInputError, InvalidParameterError, StorymatchError

if TYPE_CHECKING:
    from storymatch.dedup import NearDuplicateClusterer
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
    from storymatch.dedup import NearDuplicateClusterer  # noqa: PLC0415
    from storymatch.io import read_articles, write_jsonl  # noqa: PLC0415

    path = sample_path()
    articles = list(read_articles(path).articles)
    clusterer = NearDuplicateClusterer().fit(articles)
    folder = Path(args.output)
    target = folder / "duplicates.jsonl"
    write_jsonl(target, (g.to_dict() for g in clusterer.groups_))
    by_id = {a.id: a for a in articles}
    copies = [g for g in clusterer.groups_ if len(g) > 1]
    out.write(f"storymatch demo: {len(articles)} articles from {path}\n")
    out.write(f"{len(clusterer.groups_)} near-duplicate groups, {len(copies)} with copies:\n")
    for group in copies:
        rep = by_id[group.representative]
        out.write(f"  {group.id}  {rep.source or '?'}: {rep.title or rep.id}\n")
        for member, sim in zip(group.members[1:], group.similarities[1:], strict=True):
            source = by_id[member].source or "?"
            out.write(f"      copy {member} ({source}), Jaccard {sim:.2f}\n")
    out.write(f"groups written to {target}\n")

    from collections import Counter  # noqa: PLC0415

    from storymatch.text.clean import clean  # noqa: PLC0415

    cleaned = {a.id: clean(a.text, title=a.title) for a in articles}
    cleaned_path = folder / "cleaned.jsonl"
    write_jsonl(
        cleaned_path,
        ({"id": aid, **result.to_dict()} for aid, result in cleaned.items()),
    )
    copy = next((g.members[1] for g in copies), None)
    if copy is not None:
        result = cleaned[copy]
        kinds = Counter(r.kind for r in result.removed)
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        out.write(f"cleaning the page of {copy}:\n")
        out.write(f"  headline: {result.title}\n")
        out.write(f"  removed {len(result.removed)} lines ({summary})\n")
        out.write(f"  kept {len(result.text.split(chr(10) + chr(10)))} article paragraphs\n")
    out.write(f"cleaned pages written to {cleaned_path}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    out, err = sys.stdout, sys.stderr
    try:
        if args.command == "dedup":
            return _run_dedup(args, out, err)
        if args.command == "clean":
            return _run_clean(args, out, err)
        if args.command == "events":
            return _run_events(args, out, err)
        if args.command == "demo":
            return _run_demo(args, out, err)
    except InvalidParameterError as exc:
        err.write(f"storymatch: error: {exc}\n")
        return EXIT_USAGE
    except (InvalidInputError, StorymatchError, OSError) as exc:
        err.write(f"storymatch: error: {exc}\n")
        return EXIT_INPUT
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover
    return EXIT_USAGE  # pragma: no cover
