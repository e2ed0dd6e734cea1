"""Progress bars of the command line: one line on stderr, only for long runs on a terminal.

:class:`ProgressBar` is a :data:`storymatch.models.Progress`, the library's one progress shape
``progress(stage, done, total)``: it is passed as is to the clusterer, calibration and the
pipeline, and each stage gets its own line.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Final, TextIO

__all__ = ["ProgressBar"]

_DELAY: Final = 0.5  # seconds a stage runs before its bar appears
_WIDTH: Final = 30


class ProgressBar:
    """A one-line progress bar per stage on ``stream``, drawn only for long runs on a terminal.

    Parameters
    ----------
    stream : TextIO
        Where to draw (stderr); nothing is drawn unless it is a terminal.
    enabled : bool, default=True
        False draws nothing (``--quiet``).

    Examples
    --------
    >>> import io
    >>> with ProgressBar(io.StringIO()) as bar:
    ...     bar("hashing", 1, 2)
    """

    def __init__(self, stream: TextIO, *, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.current: str | None = None
        self.started = time.perf_counter()
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show that ``done`` of ``total`` steps of ``stage`` are done."""
        if stage != self.current:
            self.begin(stage)
        if not self.enabled or time.perf_counter() - self.started < _DELAY:
            return
        filled = _WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        self.stream.write(f"\r{stage} [{bar}] {done:,}/{total:,}")
        self.stream.flush()
        self.drawn = True

    def begin(self, stage: str) -> None:
        """End the line of the current stage, if drawn, and start timing ``stage``."""
        self.close()
        self.current = stage
        self.started = time.perf_counter()

    def close(self) -> None:
        """End the current line if a bar was drawn."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
