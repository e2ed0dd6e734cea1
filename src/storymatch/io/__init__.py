"""Input and output: read and validate articles, read sentence pairs, write JSON lines.

- :mod:`storymatch.io.readers`: :func:`iter_articles` and :func:`read_articles` (JSON lines,
  gzip, CSV, ``.txt``/``.html`` files, folders, standard input);
- :mod:`storymatch.io.records`: parsing one line and checking it against the input contract,
  the error policy (:class:`SkippedRecord`);
- :mod:`storymatch.io.pairs`: :func:`iter_pairs`, sentence-pair files;
- :mod:`storymatch.io.writers`: :func:`write_jsonl`, :func:`write_lines` and the line formats
  of ``storymatch dedup`` and ``storymatch events``;
- :func:`atomic_write` (from :mod:`storymatch._files`): replace a file only once its new
  content is complete.

JSON lines are parsed with orjson (a dependency) and, where it is not installed, with
:mod:`json`: the results, and the error messages, are the same either way.
"""

from __future__ import annotations

from storymatch._files import atomic_write
from storymatch.io.pairs import iter_pairs
from storymatch.io.readers import ReadResult, iter_articles, read_articles
from storymatch.io.records import SkippedRecord
from storymatch.io.writers import write_jsonl, write_lines

__all__ = [
    "ReadResult",
    "SkippedRecord",
    "atomic_write",
    "iter_articles",
    "iter_pairs",
    "read_articles",
    "write_jsonl",
    "write_lines",
]
