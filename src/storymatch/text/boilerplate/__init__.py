"""Page chrome: the article body out of a scraped page.

- :mod:`~storymatch.text.boilerplate.widgets`: the widget rule alone (:func:`strip_widgets`),
  which near-duplicate detection applies before hashing;
- :mod:`~storymatch.text.boilerplate.rules`: the line rules (navigation, share, captions,
  bylines, datelines, ...);
- :mod:`~storymatch.text.boilerplate.headlines`: the headline, its copies and standfirst;
- :mod:`~storymatch.text.boilerplate.cleaner`: :func:`clean`, which applies them all, and its
  results :class:`CleanedText` and :class:`Removal`;
- :mod:`~storymatch.text.boilerplate.model`: :class:`BoilerplateModel`, each site's template
  lines learned from a corpus.

The rules and their measured effect are described in ``docs/concepts/text.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storymatch._lazy import attach as _attach
from storymatch.text.boilerplate.widgets import strip_widgets

if TYPE_CHECKING:
    from storymatch.text.boilerplate.cleaner import CleanedText, Removal, clean
    from storymatch.text.boilerplate.model import BoilerplateModel

# Loaded on first use: near-duplicate detection needs the widget rule alone, not the cleaner's
# rule tables (about 0.1 s to import).
_LAZY = {
    "BoilerplateModel": "storymatch.text.boilerplate.model",
    "CleanedText": "storymatch.text.boilerplate.cleaner",
    "Removal": "storymatch.text.boilerplate.cleaner",
    "clean": "storymatch.text.boilerplate.cleaner",
}


__getattr__, __dir__ = _attach(__name__, _LAZY)


__all__ = ["BoilerplateModel", "CleanedText", "Removal", "clean", "strip_widgets"]
