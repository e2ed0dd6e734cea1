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

from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'storymatch.text.boilerplate' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib  # noqa: PLC0415

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["BoilerplateModel", "CleanedText", "Removal", "clean", "strip_widgets"]
