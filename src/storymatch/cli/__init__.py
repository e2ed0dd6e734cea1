"""The ``storymatch`` command line: parses arguments, calls the library, prints.

:func:`main` is the console entry point (``storymatch``, ``python -m storymatch``). The parser
is built in :mod:`storymatch.cli.parser`, each command runs in :mod:`storymatch.cli.commands`,
progress bars come from :mod:`storymatch.cli.progress`; what to compute is the library's.

Exit status: 0 success, 1 input error, 2 usage error.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

from storymatch._files import write_together
from storymatch.cli.commands import COMMANDS, EXIT_INPUT, EXIT_USAGE, sample_path
from storymatch.cli.parser import parse_args
from storymatch.errors import InvalidParameterError, StorymatchError

__all__ = ["main", "sample_path"]


def _warnings_to(err: TextIO) -> None:
    """Show the library's warnings as one line each, without a Python source location."""

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        err.write(_safe(f"storymatch: warning: {message}") + "\n")

    warnings.showwarning = show


def _not_skipped_records(record: logging.LogRecord) -> bool:
    """Leave out the readers' log of each skipped record: the commands list them at the end."""
    return not getattr(record, "skipped_record", False)


def _configure_logging(verbose: int, *, quiet: bool) -> None:
    """Send the library's log to stderr: warnings, more with ``-v``, the compile notice.

    The notice that the numba kernels are being compiled (a first run; nothing on a warm
    start) is shown unless ``-q``. Nothing is changed when the host process has configured
    logging already (a program calling :func:`main`, a test runner).
    """
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(_SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_not_skipped_records)
    root.addHandler(handler)
    root.setLevel(logging.WARNING - 10 * min(verbose, 2))
    if not quiet:
        notice = logging.StreamHandler()
        notice.setFormatter(_SafeFormatter("storymatch: %(message)s"))
        kernels = logging.getLogger("storymatch._kernels")
        kernels.addHandler(notice)
        kernels.setLevel(logging.INFO if verbose < 2 else logging.DEBUG)  # noqa: PLR2004
        kernels.propagate = False


class _SafeFormatter(logging.Formatter):
    """Log lines on the terminal: what a record names (a path, a title) cannot act on it."""

    def format(self, record: logging.LogRecord) -> str:
        return _safe(super().format(record))


def _safe(text: str) -> str:
    """Pass text for the terminal through the one sanitiser (imported when needed)."""
    from storymatch.report.terminal import terminal_safe  # noqa: PLC0415 - keep --help fast

    return terminal_safe(text, fold=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        The arguments, without the program name; None reads :data:`sys.argv`.

    Returns
    -------
    int
        0 on success, 1 for an input error (a bad record, a missing file), 2 for a usage
        error (a bad option value). ``--help``, ``--version`` and parse errors exit through
        :class:`SystemExit` as :mod:`argparse` does.
    """
    # The compiled kernels run parallel regions of a few milliseconds each; OpenMP threads that
    # spin between them burn the CPU that the other kernel thread, and anything else on a
    # shared machine, needs (storymatch dedup at 50k on a loaded 2-core machine: 12.4-14.6 s
    # spinning, 8.5-9.5 s passive). Set before the first command loads numba's OpenMP layer.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    args = parse_args(argv)
    _configure_logging(args.verbose, quiet=args.quiet)
    out, err = sys.stdout, sys.stderr
    for note in args.deprecations:
        err.write(_safe(f"storymatch: warning: {note}") + "\n")
    run = COMMANDS[args.command]
    with warnings.catch_warnings():
        _warnings_to(err)
        try:
            # every output file of the run is replaced at its end, together, or none is
            with write_together():
                return run(args, out, err)
        except InvalidParameterError as exc:
            err.write(_safe(f"storymatch: error: {exc}") + "\n")
            return EXIT_USAGE
        except (StorymatchError, OSError) as exc:
            err.write(_safe(f"storymatch: error: {exc}") + "\n")
            return EXIT_INPUT
