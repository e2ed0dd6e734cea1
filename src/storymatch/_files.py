"""Atomic file writes: the bottom layer that every writer of storymatch uses.

:func:`atomic_write` replaces a file only once its new content is complete and on disk, so a
reader (or a run that is interrupted) never sees half a file. The readers and line formats of
:mod:`storymatch.io`, the renderers of :mod:`storymatch.report` and the index snapshots of
:mod:`storymatch.dedup` all write through it; it imports nothing of storymatch but the errors.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, Literal, TextIO, cast, overload

from storymatch.errors import InvalidParameterError

__all__ = ["STDOUT", "atomic_write"]

STDOUT: Final = "-"
"""The path that means standard output (written directly, not atomically)."""


def _new_file_mode(target: Path) -> int:
    """Permissions for the replacement: the target's own, else what the umask allows."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems that refuse
        pass
    finally:
        os.close(fd)


@contextmanager
def _atomic_write(name: str, mode: str, encoding: str) -> Iterator[IO[Any]]:
    """Implement :func:`atomic_write` (typed by its overloads)."""
    if name == STDOUT:
        stream: IO[Any] = sys.stdout.buffer if mode == "wb" else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    binary = mode == "wb"
    tmp_path: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            mode=mode,
            encoding=None if binary else encoding,
            newline=None if binary else "\n",
            delete=False,
            dir=target.parent,
            prefix=f".{target.name}.",
            suffix=".tmp",
        ) as tmp:
            tmp_path = Path(tmp.name)
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        tmp_path.chmod(_new_file_mode(target))
        tmp_path.replace(target)
    except BaseException:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


@overload
def atomic_write(
    path: str | os.PathLike[str], *, mode: Literal["w"] = "w", encoding: str = "utf-8"
) -> AbstractContextManager[TextIO]: ...
@overload
def atomic_write(
    path: str | os.PathLike[str], *, mode: Literal["wb"], encoding: str = "utf-8"
) -> AbstractContextManager[BinaryIO]: ...
def atomic_write(
    path: str | os.PathLike[str], *, mode: Literal["w", "wb"] = "w", encoding: str = "utf-8"
) -> AbstractContextManager[TextIO] | AbstractContextManager[BinaryIO]:
    r"""Write a file so that readers see either the old content or the complete new one.

    The body writes to a temporary file in the target's folder (``.NAME.XXXX.tmp``); when it
    finishes, the file is flushed, synced to disk and renamed over the target with
    :func:`os.replace`. If the body raises, the temporary file is removed and the target is
    left as it was. Missing parent folders are created.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write. ``"-"`` means standard output, written directly (not atomic, and
        not closed).
    mode : {"w", "wb"}, default="w"
        Text (newlines are written as ``\n`` on every platform) or bytes.
    encoding : str, default="utf-8"
        The text encoding; ignored in ``"wb"`` mode.

    Returns
    -------
    contextlib.AbstractContextManager
        Yields the stream to write to.

    Raises
    ------
    InvalidParameterError
        If ``mode`` is not ``"w"`` or ``"wb"``.

    Notes
    -----
    The new file keeps the permissions of the file it replaces; a new file gets the
    permissions the process umask allows. Reading the umask sets it for a moment, which
    another thread creating a file at that instant could notice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from storymatch._files import atomic_write
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as out:
    ...     _ = out.write("done\n")
    >>> target.read_text()
    'done\n'
    """
    if mode not in ("w", "wb"):
        msg = (
            f"The 'mode' parameter of atomic_write must be one of 'w' or 'wb'. "
            f"Got {mode!r} instead."
        )
        raise InvalidParameterError(msg)
    manager = _atomic_write(os.fspath(path), mode, encoding)
    if mode == "wb":
        return cast("AbstractContextManager[BinaryIO]", manager)
    return cast("AbstractContextManager[TextIO]", manager)
