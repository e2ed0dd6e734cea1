"""storymatch: copies, events and coverage differences in news."""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from storymatch.dedup import MinHasher, NearDuplicateClusterer, find_duplicates
from storymatch.errors import (
    EmptyDocumentWarning,
    IncompatibleSignatureError,
    InvalidInputError,
    InvalidParameterError,
    MissingDependencyError,
    NotFittedError,
    ShortDocumentWarning,
    StorageError,
    StorymatchError,
    StorymatchWarning,
)
from storymatch.evaluate import evaluate_clustering
from storymatch.io import iter_articles, read_articles, write_jsonl
from storymatch.models import Article, DuplicateGroup, Sentence
from storymatch.text.clean import BoilerplateModel, CleanedText, Removal, clean
from storymatch.text.normalize import normalize
from storymatch.text.sentences import split_sentences

try:
    __version__ = version("storymatch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "BoilerplateModel",
    "CleanedText",
    "DuplicateGroup",
    "EmptyDocumentWarning",
    "IncompatibleSignatureError",
    "InvalidInputError",
    "InvalidParameterError",
    "MinHasher",
    "MissingDependencyError",
    "NearDuplicateClusterer",
    "NotFittedError",
    "Removal",
    "Sentence",
    "ShortDocumentWarning",
    "StorageError",
    "StorymatchError",
    "StorymatchWarning",
    "__version__",
    "clean",
    "evaluate_clustering",
    "find_duplicates",
    "iter_articles",
    "normalize",
    "read_articles",
    "split_sentences",
    "write_jsonl",
]
