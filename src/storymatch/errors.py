"""Exceptions and warnings raised by storymatch.

Every error derives from :class:`StorymatchError` and also from the matching built-in, so a
plain ``except ValueError`` keeps working::

    StorymatchError
    ├── InvalidParameterError(ValueError, TypeError)  bad option or argument value or type
    ├── NotFittedError(ValueError, AttributeError)
    ├── IncompatibleSignatureError(ValueError)  seed / num_perm / version mismatch
    ├── InvalidInputError(ValueError)           bad input record (path, line, field)
    ├── MissingDependencyError(ImportError)     an optional extra is not installed
    └── StorageError                            backend failure (index files)

    StorymatchWarning(UserWarning)
    ├── EmptyDocumentWarning
    └── ShortDocumentWarning
"""

from __future__ import annotations

from collections.abc import Hashable

__all__ = [
    "EmptyDocumentWarning",
    "IncompatibleSignatureError",
    "InvalidInputError",
    "InvalidParameterError",
    "MissingDependencyError",
    "NotFittedError",
    "ShortDocumentWarning",
    "StorageError",
    "StorymatchError",
    "StorymatchWarning",
]


class StorymatchError(Exception):
    """Base class of every exception raised by storymatch."""


class InvalidParameterError(StorymatchError, ValueError, TypeError):
    """An option or argument has a value or type outside its documented range.

    Also a :class:`TypeError` (as scikit-learn's ``InvalidParameterError``), so that both
    ``except ValueError`` and ``except TypeError`` catch a wrong argument.
    """


class NotFittedError(StorymatchError, ValueError, AttributeError):
    """A method that needs fitted state was called before ``fit``."""


class IncompatibleSignatureError(StorymatchError, ValueError):
    """Two signatures (or a signature and an index) were made with different settings."""


class InvalidInputError(StorymatchError, ValueError):
    """An input record is malformed.

    Parameters
    ----------
    message : str
        What is wrong with the record.
    path : str or None, default=None
        The file the record came from (``"<stdin>"`` for standard input).
    line : int or None, default=None
        The 1-based line number (or CSV row / file index) of the record.
    row : Hashable or None, default=None
        For a row of a data frame: its index label (``path`` is then ``"<DataFrame>"`` or
        ``"<Table>"`` and ``line`` its 1-based position); the message names the label.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        row: Hashable | None = None,
    ) -> None:
        self.reason = message
        self.path = path
        self.line = line
        self.row = row
        where = ""
        if row is not None:
            where = f"{path or ''} row {row!r}: ".lstrip()
        elif path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class MissingDependencyError(StorymatchError, ImportError):
    """A feature needs an optional extra that is not installed; the message names it."""


class StorageError(StorymatchError):
    """An index file or storage backend could not be read or written."""


class StorymatchWarning(UserWarning):
    """Base class of every warning issued by storymatch."""


class EmptyDocumentWarning(StorymatchWarning):
    """A document has no text to hash; it becomes a singleton group."""


class ShortDocumentWarning(StorymatchWarning):
    """A document is shorter than one shingle; it is hashed as a single shingle."""
