"""Page chrome that survives cleaning, recognised sentence by sentence before alignment.

:func:`storymatch.text.clean.clean` removes whole lines of page furniture. Some chrome still
reaches the sentence splitter: a photo caption or credit inside a paragraph, a video blurb
("Fox News' John Roberts has that story."), a "Watch:" or "RELATED:" teaser, an embedded
post's text with its "— Name (@handle) March 3, 2019" signature, a byline or a "contributed
to this report" credit. Aligned, such a sentence matches its twin in another outlet's page
(captions repeat the story's names) and makes a false "all outlets" claim. :func:`chrome_kind`
names these sentences so that :func:`storymatch.compare` keeps them out of the table and
lists them apart (:attr:`storymatch.models.Outlet.not_compared`).

Rules look at the sentence's own wording only (never at other outlets), so the same
sentence is judged the same way everywhere. They prefer missing chrome to dropping news: a
sentence is chrome only on a marker that news sentences do not use.
"""

from __future__ import annotations

import re

__all__ = ["chrome_kind"]

_MAX_WORDS = 40  # chrome is short: captions, blurbs and credits stay under this many words

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "caption",
        re.compile(
            r"\((?:AP|AFP|Reuters|EPA|Getty)?\s*Photo\b"
            r"|\b(?:AP|AFP|EPA|Reuters|Getty Images|Bloomberg|Shutterstock)\s*(?:Photo\b|/)"
            r"|\bPhoto(?:graph)?\s*(?:by\b|credit\b|:)|\bPhotos?:\s"
            r"|\b(?:Image|Picture|Caption|Credit)s?:\s"
            r"|^(?:FILE\s*[-\u2013\u2014:]|FILE PHOTO|In this (?:file )?(?:photo|image|picture))"
            r"|^Pictured:",
        ),
    ),
    (
        "video",
        re.compile(
            r"\bhas (?:that|this|the|more on (?:that|this|the)) (?:story|report|details)\b"
            r"|\bhas (?:more|the latest|the details|that report)\.?\s*$"
            r"|^(?:WATCH|Watch|VIDEO|Video|LISTEN|Listen)\s*:"
            r"|\b(?:click|tap) here\b",
            re.IGNORECASE,
        ),
    ),
    (
        "embedded post",
        re.compile(
            r"pic\.twitter\.com/|\(@\w{1,15}\)\s+\w+\s+\d{1,2},\s+\d{4}"
            r"|\bA post shared by\b|^\W*[-\u2013\u2014]\s*[^()]{1,60}\(@\w{1,15}\)",
        ),
    ),
    (
        "teaser",
        re.compile(
            r"^(?:RELATED|READ MORE|MORE|TRENDING|SEE ALSO|ALSO READ|READ|PHOTOS|"
            r"Related|Read more|More|Trending|See also|Also read)\s*:"
            r"|\bsign up for\b.*\bnewsletter\b|\bsubscribe to\b"
            r"|\b(?:this|the) (?:article|story) (?:originally )?(?:appeared|was first published)",
            re.IGNORECASE,
        ),
    ),
    (
        "byline",
        re.compile(
            r"^By\s+(?:[A-Z][\w.'\u2019-]*\s*){1,4}(?:(?:and|,)\s+(?:[A-Z][\w.'\u2019-]*\s*){1,4})*$"
            r"|\bcontributed (?:to )?this (?:report|story|article)\b"
            r"|^Follow\s+[^.]{1,40}\s+on\s+(?:Twitter|Facebook|Instagram|X)\b",
        ),
    ),
)


def chrome_kind(sentence: str) -> str | None:
    """Return the kind of page chrome ``sentence`` is, or None for a sentence of the story.

    Parameters
    ----------
    sentence : str
        One sentence (or line) of a cleaned report.

    Returns
    -------
    str or None
        ``"caption"`` (photo captions and credits), ``"video"`` (video blurbs, "Watch:"),
        ``"embedded post"`` (a quoted tweet's signature or link), ``"teaser"`` ("RELATED:",
        newsletter and "originally appeared" lines) or ``"byline"`` (bylines, "contributed
        to this report", "Follow ... on Twitter"); None otherwise.

    Examples
    --------
    >>> chrome_kind("Senator Smith speaks in Washington. (AP Photo/Jane Doe)")
    'caption'
    >>> chrome_kind("Fox News' John Roberts has that story.")
    'video'
    >>> chrome_kind("The senator said the report must be released in full.") is None
    True
    """
    text = sentence.strip()
    if not text or len(text.split()) > _MAX_WORDS:
        return None
    for kind, pattern in _RULES:
        if pattern.search(text):
            return kind
    return None
