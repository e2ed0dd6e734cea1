"""The argument parser of the ``storymatch`` command line: one builder per command.

:func:`build_parser` returns the parser that :func:`storymatch.cli.main` runs; each command's
options are added by its own ``_add_<command>`` function. The parser only parses: what each
command does is in :mod:`storymatch.cli.commands`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, Final, Protocol

from storymatch import __version__

__all__ = ["INDEX_OPTIONS", "build_parser", "parse_args"]

INPUT_FORMATS: Final = ("jsonl", "csv", "txt", "html")
OUTPUT_FORMATS: Final = ("json", "text", "md", "html")
# The claim scorers' default thresholds, stated in --help (tests/cli/test_consistency.py checks
# them against storymatch.differ; importing the scorers here would slow every --help down).
_CLAIM_DEFAULTS: Final = "lexical 0.3, combined 0.4, semantic 0.6"
_PAIR_DEFAULT: Final = 0.365

INDEX_OPTIONS: Final = (
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


class _Subparsers(Protocol):
    """What ``ArgumentParser.add_subparsers()`` returns, as far as the builders use it."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """Add a sub-command and return its parser."""


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``storymatch`` command line.

    Returns
    -------
    argparse.ArgumentParser
        Global options (``--version``, ``-v``, ``-q``) and one sub-command per command;
        the chosen one is ``args.command``.
    """
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
    for add in (
        _add_dedup,
        _add_copies,
        _add_clean,
        _add_events,
        _add_compare,
        _add_pairs,
        _add_report,
        _add_index,
        _add_calibrate,
        _add_bench,
        _add_demo,
    ):
        add(sub)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse a command line with :func:`build_parser`, global flags given anywhere.

    ``-q`` and ``-v`` may stand before the command (``storymatch -q dedup ...``) or after it
    (``storymatch dedup ... -q``); both count (``-v dedup -v`` is ``-vv``).

    Parameters
    ----------
    argv : sequence of str or None, default=None
        The arguments, without the program name; None reads :data:`sys.argv`.

    Returns
    -------
    argparse.Namespace
        The options; ``deprecations`` lists a warning per old spelling used.
    """
    args = build_parser().parse_args(argv)
    args.verbose += getattr(args, "verbose_after", 0)
    args.quiet = args.quiet or getattr(args, "quiet_after", False)
    for name in ("verbose_after", "quiet_after"):
        if hasattr(args, name):
            delattr(args, name)
    if not hasattr(args, "deprecations"):
        args.deprecations = []
    return args


class _Deprecated(argparse.Action):
    """An old spelling of an option: stores its value as the new one does, noting a warning."""

    def __init__(self, option_strings: list[str], dest: str, *, use: str, **kwargs: Any) -> None:
        self.use = use
        super().__init__(option_strings, dest, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        notes = [*getattr(namespace, "deprecations", [])]
        notes.append(f"{option_string} is deprecated; use {self.use}")
        namespace.deprecations = notes


def _add_global(parser: argparse.ArgumentParser, *, quiet: bool = True) -> None:
    """Let ``-v`` and ``-q`` follow the command too (merged by :func:`parse_args`)."""
    parser.add_argument(
        "-v",
        "--verbose",
        dest="verbose_after",
        action="count",
        default=argparse.SUPPRESS,
        help="log more (-vv: debug); also before the command",
    )
    if quiet:
        parser.add_argument(
            "-q",
            "--quiet",
            dest="quiet_after",
            action="store_true",
            default=argparse.SUPPRESS,
            help="no progress or summary; also before the command",
        )


def _output_format(text: str) -> str:
    """Check an output format, pointing an input format to ``--input-format``."""
    if text in INPUT_FORMATS and text not in OUTPUT_FORMATS:
        msg = (
            f"{text!r} is an input format: -f/--output-format chooses the output "
            f"({', '.join(OUTPUT_FORMATS)}); to read the input as {text}, pass "
            f"--input-format {text}"
        )
        raise argparse.ArgumentTypeError(msg)
    return text


def _unit_or_none(text: str) -> float | None:
    """Parse a number, or ``none``."""
    if text.lower() == "none":
        return None
    return float(text)


def _add_input(
    parser: argparse.ArgumentParser, *, formats: tuple[str, ...] = INPUT_FORMATS
) -> None:
    """Add the input argument and the reading options every command on articles shares."""
    parser.add_argument(
        "input",
        help="a .jsonl, .jsonl.gz or .csv file, a folder of .txt or .html files, or - for stdin",
    )
    parser.add_argument(
        "--input-format",
        dest="format",
        choices=formats,
        default=None,
        help="read the input in this format (default: by its suffix)",
    )
    parser.add_argument(  # the old spelling, until 1.0
        "--format",
        dest="format",
        choices=formats,
        action=_Deprecated,
        use="--input-format",
        default=argparse.SUPPRESS,
        help=argparse.SUPPRESS,
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="skip malformed records (each is reported at the end) instead of stopping",
    )
    _add_global(parser)
    columns = parser.add_argument_group(
        "input columns", "the CSV column or JSON key of each field (default: the field's name)"
    )
    for name in ("id", "text", "source", "title", "date", "url"):
        columns.add_argument(
            f"--{name}-field",
            default=name,
            metavar="NAME",
            help=f"the column that holds the {name} ({name!r})",
        )


def _add_dedup_options(parser: argparse.ArgumentParser, *, keep_unset: bool = False) -> None:
    """Add the near-duplicate settings; ``keep_unset`` leaves options not given unset."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if keep_unset else value

    group = parser.add_argument_group("near-duplicate settings")
    group.add_argument(
        "--threshold", type=float, default=default(0.5), help="Jaccard threshold (0.5)"
    )
    group.add_argument(
        "--containment-threshold",
        type=_unit_or_none,
        default=default(0.8),
        help="containment threshold for abridged copies, or 'none' (0.8)",
    )
    group.add_argument("--shingle-size", type=int, default=default(5), help="n-gram size (5)")
    group.add_argument(
        "--kind", choices=["word", "char"], default=default("word"), help="n-gram kind"
    )
    group.add_argument("--num-perm", type=int, default=default(128), help="MinHash length (128)")
    group.add_argument(
        "--chain-guard",
        type=_unit_or_none,
        default=default(0.3),
        help="minimum score of a member against its representative, or 'none' (0.3)",
    )
    group.add_argument(
        "--keep-widgets",
        action="store_true",
        default=default(False),
        help="do not strip 'Read more' widgets before hashing",
    )
    group.add_argument(
        "--no-ocr-fold",
        action="store_true",
        default=default(False),
        help="do not fold characters that OCR confuses (0/o, 1/l/i, c/e, b/h)",
    )
    group.add_argument("--seed", type=int, default=default(1), help="hash seed (1)")


def _add_dedup(sub: _Subparsers) -> None:
    """Add the ``dedup`` command: near-duplicate groups, locally or on Spark."""
    dedup = sub.add_parser(
        "dedup",
        help="group near-duplicate copies",
        description="Write one JSON line per article: id, group, representative, similarity.",
    )
    _add_input(dedup, formats=(*INPUT_FORMATS, "parquet"))  # parquet: with --engine spark
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


def _add_copies(sub: _Subparsers) -> None:
    """Add the ``copies`` command: each group's original and what every copy changed."""
    copies = sub.add_parser(
        "copies",
        help="find each group's original and what every copy changed",
        description=(
            "Write one JSON line per copy: id, group, original, parent, similarity and its "
            "edits (number, added, removed, moved, headline, changed) against its parent."
        ),
    )
    _add_input(copies)
    copies.add_argument("-o", "--output", required=True, help="output .jsonl(.gz) file, or -")
    copies.add_argument(
        "--jobs",
        type=int,
        default=-1,
        help=(
            "processes for the groups' edits: -1 for every usable core, at most one per 200 "
            "groups (-1); same output"
        ),
    )
    _add_dedup_options(copies)


def _add_clean(sub: _Subparsers) -> None:
    """Add the ``clean`` command: strip page chrome, optionally with a learned model."""
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


def _add_event_options(parser: argparse.ArgumentParser) -> None:
    """Add the event settings of ``events``, which ``compare --event`` and ``report`` share."""
    group = parser.add_argument_group("event settings")
    group.add_argument(
        "--event-threshold",
        type=float,
        default=0.13,
        help="mean pair score at which two clusters of reports merge (0.13)",
    )
    group.add_argument(
        "--window-days",
        type=float,
        default=3.0,
        help="publication window of one event, in days (3)",
    )


def _add_claim_threshold(parser: argparse.ArgumentParser) -> None:
    """Add ``--claim-threshold`` of ``compare`` and ``report``, its defaults stated."""
    parser.add_argument(
        "--claim-threshold",
        type=float,
        default=None,
        help=(
            "sentence score at which two sentences state the same claim (default: the "
            f"scorer's own, {_CLAIM_DEFAULTS})"
        ),
    )


def _add_events(sub: _Subparsers) -> None:
    """Add the ``events`` command: reports of the same event."""
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
    _add_event_options(events)
    events.add_argument(
        "--no-dedup",
        action="store_true",
        help="treat every article as its own group (skip near-duplicate grouping)",
    )
    events.add_argument(
        "--top", type=int, default=10, help="events listed in the summary, largest first (10)"
    )
    _add_dedup_options(events)


def _add_compare(sub: _Subparsers) -> None:
    """Add the ``compare`` command: the claims of some reports, or of one event."""
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
        "--output-format",
        dest="to",
        type=_output_format,
        choices=OUTPUT_FORMATS,
        default="text",
        help="output format (text)",
    )
    compare.add_argument(  # the old spelling, until 1.0
        "--to",
        dest="to",
        type=_output_format,
        choices=OUTPUT_FORMATS,
        action=_Deprecated,
        use="-f/--output-format",
        default=argparse.SUPPRESS,
        help=argparse.SUPPRESS,
    )
    compare.add_argument("-o", "--output", default="-", help="output file, or - (default)")
    _add_claim_threshold(compare)
    _add_scorer(compare)
    compare.add_argument(
        "--max-reports",
        type=int,
        default=20,
        help=(
            "refuse to compare more reports than this without --ids; with --event, compare "
            "at most this many, the earliest first, as `report` does (20)"
        ),
    )
    _add_event_options(compare)
    _add_dedup_options(compare)


def _add_pairs(sub: _Subparsers) -> None:
    """Add the ``pairs`` command: score sentence pairs."""
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
        "--claim-threshold",
        type=float,
        default=None,
        help=f"decision threshold (the scorer's own, {_PAIR_DEFAULT})",
    )
    _add_global(pairs)


def _add_report(sub: _Subparsers) -> None:
    """Add the ``report`` command: the whole pipeline as HTML pages."""
    report = sub.add_parser(
        "report",
        help="the whole pipeline, as side-by-side HTML pages",
        description=(
            "Group copies, group events, compare the reports of every event with two or more "
            "of them, and write DIR/index.html plus one page per event."
        ),
    )
    _add_input(report)
    report.add_argument("-o", "--output", required=True, help="output folder (not -)")
    _add_claim_threshold(report)
    _add_scorer(report)
    report.add_argument(
        "--max-reports",
        type=int,
        default=20,
        help="compare at most this many reports per event, the earliest first (20)",
    )
    _add_event_options(report)
    _add_dedup_options(report)


def _add_scorer(command: argparse.ArgumentParser) -> None:
    """Add ``--scorer``: the sentence scorer of the comparisons (as ``compare(scorer=...)``)."""
    command.add_argument(
        "--scorer",
        choices=["lexical", "combined", "semantic"],
        default=None,
        help=(
            "sentence scorer of the claims: lexical (TF-IDF cosines, no model), combined "
            "(TF-IDF and MiniLM embeddings) or semantic (embeddings alone); the last two need "
            "the 'semantic' extra (default: combined when it is installed, else lexical)"
        ),
    )


def _add_index(sub: _Subparsers) -> None:
    """Add the ``index add|query`` commands: a persistent shared index."""
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
    # unset options stay absent from the namespace: an existing store keeps its settings
    _add_dedup_options(index_add, keep_unset=True)
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
    index_query.add_argument(
        "--max-matches",
        type=int,
        default=100,
        help=(
            "matches kept per article, the best (100; 0 keeps all); a line with more has "
            '"more": the count of the rest'
        ),
    )


def _add_calibrate(sub: _Subparsers) -> None:
    """Add the ``calibrate`` command: choose settings from a labelled sample."""
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


def _add_bench(sub: _Subparsers) -> None:
    """Add the ``bench quality|speed`` commands: the benchmark suite of a checkout."""
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
        sections = (
            "dedup,events,pairs,align,claims,copies"
            if name == "quality"
            else "dedup,events,compare,index"
        )
        suite.add_argument("--only", default=None, help=f"sections to run, among {sections}")
        suite.add_argument("--out", default=None, help="results folder (benchmarks/results)")
        suite.add_argument("--json", action="store_true", help="print the JSON result on stdout")
        suite.add_argument(
            "-q", "--quiet", dest="bench_quiet", action="store_true", help="no progress or table"
        )
        suite.add_argument("--no-write", action="store_true", help="do not write result files")
        _add_global(suite, quiet=False)
        if name == "speed":
            suite.add_argument("--sizes", default="10k,100k", help="corpus sizes (10k,100k)")
            suite.add_argument(
                "--quick",
                action="store_true",
                help="skip start-up and stage timings and the distractor experiment",
            )


def _add_demo(sub: _Subparsers) -> None:
    """Add the ``demo`` command: the pipeline on the bundled sample."""
    demo = sub.add_parser(
        "demo",
        help="run the pipeline on the bundled sample",
        description="Group the copies in the bundled sample corpus and print what was found.",
    )
    demo.add_argument("-o", "--output", default="storymatch-report", help="output folder")
    _add_global(demo)
