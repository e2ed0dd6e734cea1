"""Progress for people in notebooks: a ``tqdm`` bar, or one line on stderr without tqdm.

The library reports progress through one callback shape, :data:`storymatch.models.Progress`
(``progress(stage, done, total)``), and never draws anything itself. Functions with a long
loop (:func:`~storymatch.pipeline.analyze`, :func:`~storymatch.dedup.find_duplicates`,
:meth:`NearDuplicateClusterer.fit <storymatch.dedup.NearDuplicateClusterer.fit>`,
:func:`~storymatch.dedup.copies.copy_edits`, :func:`~storymatch.calibration.calibrate`) take
``progress=`` and resolve it with :func:`with_progress`:

- a callable: called as is (the command line passes its own bar);
- ``True``: a bar for this call, :func:`progress_bar`;
- ``False``: silent;
- ``None`` (the default): a bar when running in a Jupyter kernel, silent everywhere else.

:func:`progress_bar` is a ``tqdm.auto`` bar per stage when tqdm is installed (a widget in
Jupyter, text elsewhere), else :class:`LineProgress`, one line on stderr redrawn in place; never
both. Either appears only once a stage has run for half a second, so short calls stay quiet.
"""

from __future__ import annotations

import functools
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any, Final, ParamSpec, Protocol, TextIO, TypeVar

from storymatch.models import Progress

__all__ = [
    "LineProgress",
    "ProgressDisplay",
    "TqdmProgress",
    "in_notebook",
    "progress_bar",
    "resolve_progress",
    "resolved",
    "with_progress",
]

_DELAY: Final = 0.5  # seconds a stage runs before its bar appears
_WIDTH: Final = 30

P = ParamSpec("P")
R = TypeVar("R")


class ProgressDisplay(Protocol):
    """A :data:`~storymatch.models.Progress` callback that draws, and must be closed."""

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show that ``done`` of ``total`` steps of ``stage`` are done."""

    def close(self) -> None:
        """End the current stage's bar."""


class LineProgress:
    r"""One line per stage on a text stream, redrawn in place with a carriage return.

    Parameters
    ----------
    stream : TextIO or None, default=None
        Where to draw; None: :data:`sys.stderr` at each call (a notebook replaces it).
    delay : float or None, default=None
        Seconds a stage runs before its line appears; None: half a second.

    Examples
    --------
    >>> import io
    >>> stream = io.StringIO()
    >>> bar = LineProgress(stream, delay=0.0)
    >>> bar("hashing", 1, 2)
    >>> bar.close()
    >>> stream.getvalue()
    '\rhashing [###############---------------] 1/2\n'
    """

    def __init__(self, stream: TextIO | None = None, *, delay: float | None = None) -> None:
        self.stream = stream
        self.delay = _DELAY if delay is None else delay
        self.current: str | None = None
        self.started = time.perf_counter()
        self.drawn = False

    def _out(self) -> TextIO:
        return self.stream if self.stream is not None else sys.stderr

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show that ``done`` of ``total`` steps of ``stage`` are done."""
        if stage != self.current:
            self.close()
            self.current = stage
            self.started = time.perf_counter()
        if time.perf_counter() - self.started < self.delay:
            return
        filled = _WIDTH * min(done, total) // max(total, 1)
        out = self._out()
        out.write(f"\r{stage} [{'#' * filled}{'-' * (_WIDTH - filled)}] {done:,}/{total:,}")
        out.flush()
        self.drawn = True

    def close(self) -> None:
        """End the current line if one was drawn."""
        if self.drawn:
            out = self._out()
            out.write("\n")
            out.flush()
            self.drawn = False


class TqdmProgress:
    """A ``tqdm`` bar per stage (``tqdm.auto``: a widget in Jupyter, text elsewhere).

    Parameters
    ----------
    tqdm : callable
        The bar class, ``tqdm.auto.tqdm`` or another with its interface.
    delay : float or None, default=None
        Seconds a stage runs before its bar appears (tqdm's ``delay``); None: half a second.
    """

    def __init__(self, tqdm: Callable[..., Any], *, delay: float | None = None) -> None:
        self.tqdm = tqdm
        self.delay = _DELAY if delay is None else delay
        self.current: str | None = None
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show that ``done`` of ``total`` steps of ``stage`` are done."""
        if stage != self.current or self.bar is None:
            self.close()
            self.current = stage
            self.bar = self.tqdm(total=total, desc=stage, delay=self.delay, leave=True)
        if self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        """Close the current stage's bar."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def progress_bar() -> ProgressDisplay:
    """Return a new progress display: ``tqdm.auto`` when installed, else :class:`LineProgress`.

    Returns
    -------
    TqdmProgress or LineProgress
        A :data:`~storymatch.models.Progress` callback with a ``close()`` method.
    """
    try:
        module = importlib.import_module("tqdm.auto")
    except ImportError:
        return LineProgress()
    return TqdmProgress(module.tqdm)


def in_notebook() -> bool:
    """Return True when running in a Jupyter kernel (IPython with a kernel attached)."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    return getattr(shell, "kernel", None) is not None


def _silent(stage: str, done: int, total: int) -> None:
    """Report nothing."""


def resolve_progress(progress: Progress | bool | None) -> tuple[Progress, ProgressDisplay | None]:
    """Turn a ``progress=`` argument into a callback, and the display to close after the call.

    Parameters
    ----------
    progress : callable, bool or None
        See the module docstring.

    Returns
    -------
    callback : Progress
        What the function calls.
    display : ProgressDisplay or None
        The bar made for this call, to close when it ends; None when there is none.
    """
    if progress is None:
        progress = in_notebook()
    if progress is True:
        display = progress_bar()
        return display, display
    if progress is False:
        return _silent, None
    return progress, None


def resolved(progress: Progress | bool | None) -> Progress:
    """Return the callback a ``@with_progress`` function received (silent unless callable).

    Examples
    --------
    >>> resolved(None)("hashing", 1, 2) is None
    True
    """
    return progress if callable(progress) else _silent


def with_progress(function: Callable[P, R]) -> Callable[P, R]:
    """Resolve the ``progress=`` keyword of ``function`` for each call, closing its bar after.

    ``function`` then always receives a callable (see :func:`resolve_progress`).
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        callback, display = resolve_progress(kwargs.get("progress"))  # type: ignore[arg-type]
        kwargs["progress"] = callback
        try:
            return function(*args, **kwargs)
        finally:
            if display is not None:
                display.close()

    return wrapper
