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

from storymatch.text.boilerplate.cleaner import CleanedText, Removal, clean
from storymatch.text.boilerplate.model import BoilerplateModel
from storymatch.text.boilerplate.widgets import strip_widgets

__all__ = ["BoilerplateModel", "CleanedText", "Removal", "clean", "strip_widgets"]
