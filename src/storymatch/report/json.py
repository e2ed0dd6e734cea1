"""A comparison as JSON: :meth:`Comparison.to_dict <storymatch.models.Comparison.to_dict>`."""

from __future__ import annotations

import json

from storymatch.models import Comparison

__all__ = ["render_json"]


def render_json(comparison: Comparison) -> str:
    """Render a comparison as indented JSON, keys in the order of ``to_dict``.

    The shape is versioned by the ``schema`` field (see ``docs/concepts/compare.md``); text
    is written as is (``ensure_ascii=False``), so the output is UTF-8 text.

    Parameters
    ----------
    comparison : Comparison
        The table to write.

    Returns
    -------
    str
        The JSON document, ending with a newline.

    Examples
    --------
    >>> from storymatch.models import Comparison
    >>> print(render_json(Comparison(outlets=(), claims=(), coverage=(), threshold=0.5)))
    {
      "schema": 1,
      "event": null,
      "threshold": 0.5,
      "scorer": null,
      "outlets": [],
      "coverage": [],
      "claims": []
    }
    <BLANKLINE>
    """
    return json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False) + "\n"
