"""storymatch: copies, events and coverage differences in news."""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from storymatch._lazy import attach as _attach
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
from storymatch.io import iter_articles, read_articles, write_jsonl
from storymatch.models import (
    Analysis,
    Article,
    Cell,
    Claim,
    Comparison,
    Conflict,
    CopyEdit,
    CopyGroup,
    CopyInfo,
    Coverage,
    DiffOp,
    DuplicateGroup,
    Event,
    Nearest,
    Outlet,
    PairDiff,
    Sentence,
    Story,
)
from storymatch.models import set_frame_builder as _set_frame_builder
from storymatch.models import set_html_renderer as _set_html_renderer

if TYPE_CHECKING:
    from storymatch.calibration import calibrate
    from storymatch.dedup.cluster import NearDuplicateClusterer, find_duplicates
    from storymatch.dedup.copies import copy_edits
    from storymatch.dedup.minhash import MinHasher
    from storymatch.differ.comparison import compare
    from storymatch.differ.similarity import LexicalScorer, Scorer
    from storymatch.evaluate import evaluate_clustering
    from storymatch.events import EventClusterer
    from storymatch.pipeline import analyze
    from storymatch.text.boilerplate import BoilerplateModel, CleanedText, Removal, clean
    from storymatch.text.sentences import split_sentences
from storymatch.text.normalize import normalize

try:
    __version__ = version("storymatch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())


def _comparison_html(comparison: Comparison) -> str:
    """Draw a comparison in Jupyter: the HTML report, its renderers loaded on first display."""
    from storymatch.report import render_html  # noqa: PLC0415 - not every run displays one

    return render_html(comparison)


def _frames(table: str) -> Any:
    """Return the builder of ``table`` in :mod:`storymatch.frames`, loaded on first use."""

    def build(result: Any) -> Any:
        from storymatch import frames  # noqa: PLC0415 - it imports pandas when called

        builders: dict[str, Callable[[Any], Any]] = {
            "analysis": frames.analysis_frames,
            "claims": frames.claims_frame,
            "edits": frames.edits_frame,
        }
        return builders[table](result)

    return build


# The models do not import the renderers and tables above them; the package wires them.
_set_html_renderer(_comparison_html)
_set_frame_builder("analysis", _frames("analysis"))
_set_frame_builder("claims", _frames("claims"))
_set_frame_builder("edits", _frames("edits"))

# Loaded on first use: some import scikit-learn (about a second), the dedup names numba (about
# half a second), the page cleaner and the sentence splitter their rule tables; a command pays
# only for what it uses (`storymatch dedup --help` for none of them).
_LAZY = {
    "BoilerplateModel": "storymatch.text.boilerplate",
    "CleanedText": "storymatch.text.boilerplate",
    "EventClusterer": "storymatch.events",
    "LexicalScorer": "storymatch.differ.similarity",
    "MinHasher": "storymatch.dedup.minhash",
    "NearDuplicateClusterer": "storymatch.dedup.cluster",
    "Removal": "storymatch.text.boilerplate",
    "Scorer": "storymatch.differ.similarity",
    "analyze": "storymatch.pipeline",
    "calibrate": "storymatch.calibration",
    "clean": "storymatch.text.boilerplate",
    "compare": "storymatch.differ.comparison",
    "copy_edits": "storymatch.dedup.copies",
    "evaluate_clustering": "storymatch.evaluate",
    "find_duplicates": "storymatch.dedup.cluster",
    "split_sentences": "storymatch.text.sentences",
}


# Subpackages that the names above do not import, reachable as attributes on first use
# (``sm.report.render_html``), as ``import storymatch.report`` makes them.
_SUBMODULES = ("calibration", "differ", "events", "pipeline", "report")


__getattr__, __dir__ = _attach(__name__, _LAZY, _SUBMODULES)


__all__ = [
    "Analysis",
    "Article",
    "BoilerplateModel",
    "Cell",
    "Claim",
    "CleanedText",
    "Comparison",
    "Conflict",
    "CopyEdit",
    "CopyGroup",
    "CopyInfo",
    "Coverage",
    "DiffOp",
    "DuplicateGroup",
    "EmptyDocumentWarning",
    "Event",
    "EventClusterer",
    "IncompatibleSignatureError",
    "InvalidInputError",
    "InvalidParameterError",
    "LexicalScorer",
    "MinHasher",
    "MissingDependencyError",
    "NearDuplicateClusterer",
    "Nearest",
    "NotFittedError",
    "Outlet",
    "PairDiff",
    "Removal",
    "Scorer",
    "Sentence",
    "ShortDocumentWarning",
    "StorageError",
    "Story",
    "StorymatchError",
    "StorymatchWarning",
    "__version__",
    "analyze",
    "calibrate",
    "clean",
    "compare",
    "copy_edits",
    "evaluate_clustering",
    "find_duplicates",
    "iter_articles",
    "normalize",
    "read_articles",
    "split_sentences",
    "write_jsonl",
]
