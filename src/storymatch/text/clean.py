"""The page cleaner's public names under the path they have always had.

The code lives in :mod:`storymatch.text.boilerplate` (``cleaner`` and ``model``); this module
keeps ``from storymatch.text.clean import clean, CleanedText, Removal, BoilerplateModel``
working. See ``docs/concepts/text.md`` for the rules.
"""

from __future__ import annotations

from storymatch.text.boilerplate.cleaner import CleanedText, Removal, clean
from storymatch.text.boilerplate.model import BoilerplateModel

__all__ = ["BoilerplateModel", "CleanedText", "Removal", "clean"]
