"""Renderers: a comparison as HTML, Markdown, text or JSON, and a whole analysis as pages.

The report stage shows results; it computes nothing. Every function here reads the typed
objects of :mod:`storymatch.models` and returns text (or, for :func:`write_report`, writes
files), so a comparison made in Python, read back from JSON or produced by the pipeline
renders the same way.

- :func:`render_html`: one self-contained page (CSS inline, nothing fetched) with a coverage
  summary and the claims table, one column per report.
- :func:`render_index` and :func:`write_report`: ``index.html`` listing every event, plus
  one page per compared event.
- :func:`render_markdown`: GitHub-flavoured Markdown tables.
- :func:`render_text`: plain text for a terminal, ANSI colours optional.
- :func:`render_json`: :meth:`Comparison.to_dict <storymatch.models.Comparison.to_dict>`.
- :func:`render_copies_html`, :func:`render_copies_markdown`, :func:`render_copies_text`: a
  near-duplicate group's original and copies side by side, each copy's edits marked
  (:class:`~storymatch.models.CopyGroup`); :func:`write_report` writes one page per group.

All article text is treated as untrusted input and escaped for the output format; only
``http``/``https`` addresses become links.
"""

from __future__ import annotations

from storymatch.report.html import render_copies_html, render_html, render_index, write_report
from storymatch.report.json import render_json
from storymatch.report.markdown import render_copies_markdown, render_markdown
from storymatch.report.terminal import render_copies_text, render_text

__all__ = [
    "render_copies_html",
    "render_copies_markdown",
    "render_copies_text",
    "render_html",
    "render_index",
    "render_json",
    "render_markdown",
    "render_text",
    "write_report",
]
