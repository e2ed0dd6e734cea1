"""The ``storymatch`` command line: parses arguments, calls the library, prints.

:func:`main` is the console entry point (``storymatch``, ``python -m storymatch``). The parser
is built in :mod:`storymatch.cli.parser`, each command runs in :mod:`storymatch.cli.commands`,
progress bars come from :mod:`storymatch.cli.progress`; what to compute is the library's.

Exit status: 0 success, 1 input error, 2 usage error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from storymatch.cli.commands import COMMANDS, EXIT_INPUT, EXIT_USAGE, sample_path
from storymatch.cli.parser import build_parser
from storymatch.errors import InvalidParameterError, StorymatchError

__all__ = ["main", "sample_path"]


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
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    out, err = sys.stdout, sys.stderr
    run = COMMANDS.get(args.command)
    if run is None:  # pragma: no cover - the parser knows the same commands
        parser.error(f"unknown command {args.command!r}")
    try:
        return run(args, out, err)
    except InvalidParameterError as exc:
        err.write(f"storymatch: error: {exc}\n")
        return EXIT_USAGE
    except (StorymatchError, OSError) as exc:
        err.write(f"storymatch: error: {exc}\n")
        return EXIT_INPUT
