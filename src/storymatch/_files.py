"""Atomic file writes: the bottom layer that every writer of storymatch uses.

:func:`atomic_write` replaces a file only once its new content is complete and on disk, so a
reader (or a run that is interrupted) never sees half a file. The readers and line formats of
:mod:`storymatch.io`, the renderers of :mod:`storymatch.report` and the index snapshots of
:mod:`storymatch.dedup` all write through it; it imports nothing of storymatch but the errors.

:func:`write_together` makes the files of one run move together: inside it, each
:func:`atomic_write` leaves its complete temporary file in place, and all are renamed over their
targets at the end of the block, in the order they were written (or all removed if the block
fails). A temporary file is named after its target and the process that writes it
(``.NAME.PID.XXXXXXXX.tmp``); the first write into a folder removes the ones left there by a
process that no longer runs (a run that was killed).
"""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, Literal, TextIO, cast, overload

from storymatch.errors import InvalidParameterError

__all__ = ["STDOUT", "atomic_write", "write_together"]

logger = logging.getLogger(__name__)

STDOUT: Final = "-"
"""The path that means standard output (written directly, not atomically)."""

# .NAME.PID.XXXXXXXX.tmp: tempfile's random part is 8 characters of [a-z0-9_].
_TEMP_NAME: Final = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp")
# The (temporary, target) pairs of the innermost write_together block, None outside one.
_PENDING: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("_PENDING", default=None)
_swept: set[Path] = set()  # folders already cleared of dead processes' temporary files
_swept_lock = threading.Lock()


def _process_runs(pid: int) -> bool:
    """Return True unless ``pid`` is certainly not a running process of this machine."""
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) ends a process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or a refusal: leave its file alone
        return True
    return True


def _sweep(folder: Path) -> None:
    """Remove the temporary files a killed run left in ``folder`` (once per folder)."""
    key = folder.resolve()
    with _swept_lock:
        if key in _swept:
            return
        _swept.add(key)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None or int(match["pid"]) == os.getpid() or _process_runs(int(match["pid"])):
            continue
        try:
            Path(entry.path).unlink()
        except OSError:  # pragma: no cover - gone already, or not ours to remove
            continue
        logger.info("removed %s, left by a run that was stopped", entry.path)


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
    if target.is_dir():
        msg = f"{name}: is a folder; give a file name for the output"
        raise IsADirectoryError(msg)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep(target.parent)
    pending = _PENDING.get()
    binary = mode == "wb"
    tmp_path: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            mode=mode,
            encoding=None if binary else encoding,
            newline=None if binary else "\n",
            delete=False,
            dir=target.parent,
            prefix=f".{target.name}.{os.getpid()}.",
            suffix=".tmp",
        ) as tmp:
            tmp_path = Path(tmp.name)
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        tmp_path.chmod(_new_file_mode(target))
        if pending is not None:
            pending.append((tmp_path, target))
            return
        tmp_path.replace(target)
    except BaseException:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


@contextmanager
def write_together() -> Iterator[None]:
    """Replace every file written by :func:`atomic_write` in the block together, at its end.

    Inside the block each :func:`atomic_write` completes its temporary file (written, synced)
    but leaves the target alone; when the block ends, the temporary files are renamed over
    their targets in the order they were written, so that the files of one run (``dedup -o``
    with ``--groups``, a report's pages and then its index) are all new or all old. If the
    block raises, every temporary file is removed and no target changes. A block inside
    another joins the outer one.

    Yields
    ------
    None
        Write with :func:`atomic_write` (or the writers built on it) inside the block.

    Notes
    -----
    The renames at the end are each atomic but not atomic together: a machine that stops in
    the middle of them leaves some targets new and the others old. No computing happens
    between them, so the window is the time a few renames take. Standard output (``"-"``) is
    written at once, as outside a block.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from storymatch._files import atomic_write, write_together
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with write_together():
    ...     with atomic_write(folder / "a.txt") as out:
    ...         _ = out.write("a")
    ...     (folder / "a.txt").exists()
    False
    >>> (folder / "a.txt").read_text()
    'a'
    """
    if _PENDING.get() is not None:
        yield
        return
    pending: list[tuple[Path, Path]] = []
    token = _PENDING.set(pending)
    try:
        yield
    except BaseException:
        for tmp_path, _ in pending:
            tmp_path.unlink(missing_ok=True)
        raise
    finally:
        _PENDING.reset(token)
    folders: dict[Path, None] = {}
    for done, (tmp_path, target) in enumerate(pending):
        try:
            tmp_path.replace(target)
        except BaseException:
            for left, _ in pending[done:]:
                left.unlink(missing_ok=True)
            raise
        folders[target.parent] = None
    for folder in folders:
        _fsync_folder(folder)


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

    The body writes to a temporary file in the target's folder (``.NAME.PID.XXXXXXXX.tmp``);
    when it finishes, the file is flushed, synced to disk and renamed over the target with
    :func:`os.replace` (inside :func:`write_together`, at the end of that block). If the body
    raises, the temporary file is removed and the target is left as it was. Missing parent
    folders are created. The first write into a folder removes the temporary files that
    processes no longer running (killed runs) left there.

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
    IsADirectoryError
        If ``path`` is a folder (checked before anything is written).

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
