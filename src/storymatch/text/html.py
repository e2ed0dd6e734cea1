"""HTML pages in, article text out, through trafilatura (the ``html`` extra).

Extracting the article from a web page — dropping navigation, sidebars, comments, scripts — is
a solved problem with a well-kept library: trafilatura (Barbaresi, ACL 2021) tops the public
extraction benchmarks and is what crawling projects use. storymatch does not write its own; it
calls trafilatura and hands its result to the rest of the pipeline in the shape the text stage
expects: paragraphs separated by blank lines, the headline and metadata apart from the body.

Install with ``pip install 'storymatch[html]'``; without it, :func:`extract_html` raises
:class:`~storymatch.errors.MissingDependencyError` naming the extra.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storymatch.errors import MissingDependencyError

__all__ = ["ExtractedPage", "extract_html"]


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """The article found in an HTML page.

    Parameters
    ----------
    text : str
        The article body, paragraphs separated by blank lines (empty when none was found).
    title : str or None
        The headline.
    author : str or None
        The byline, as the page states it.
    date : str or None
        The publication date (ISO 8601), when the page states one.
    url : str or None
        The canonical URL, when the page states one.
    """

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None


def _trafilatura() -> Any:
    try:
        import trafilatura  # noqa: PLC0415 - optional extra, imported on first use
    except ImportError as exc:
        msg = (
            "reading HTML needs the optional 'html' extra: pip install 'storymatch[html]' "
            "(it installs trafilatura)"
        )
        raise MissingDependencyError(msg) from exc
    return trafilatura


def extract_html(html: str | bytes, *, url: str | None = None) -> ExtractedPage:
    r"""Extract the article text and metadata of one HTML page.

    Parameters
    ----------
    html : str or bytes
        The page. Bytes are decoded by trafilatura (it reads the page's declared encoding).
    url : str or None, default=None
        Where the page came from; helps trafilatura with relative links and metadata.

    Returns
    -------
    ExtractedPage
        The body with paragraphs separated by blank lines, the headline (removed from the body
        when trafilatura repeats it as the first line) and what metadata the page has.

    Raises
    ------
    MissingDependencyError
        If trafilatura (the ``html`` extra) is not installed.

    Examples
    --------
    >>> page = "<html><body><article><h1>Rates rise</h1><p>" + "The bank raised rates. " * 8
    >>> page += "</p><p>Markets fell on the news.</p></article></body></html>"
    >>> extracted = extract_html(page)
    >>> extracted.title
    'Rates rise'
    >>> extracted.text.split("\n\n")[-1]
    'Markets fell on the news.'
    """
    trafilatura = _trafilatura()
    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
    )
    if result is None:
        return ExtractedPage(text="", url=url)
    data: dict[str, Any] = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    title = data.get("title") or None
    lines = [line.strip() for line in (data.get("text") or "").split("\n")]
    lines = [line for line in lines if line]
    if title and lines and lines[0] == title.strip():
        lines = lines[1:]
    return ExtractedPage(
        text="\n\n".join(lines),
        title=title,
        author=data.get("author") or None,
        date=data.get("date") or None,
        url=data.get("url") or url,
    )
