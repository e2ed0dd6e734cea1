r"""Page cleaning: the article body out of a scraped page, with every removal kept for audit.

:func:`clean` reads a page line by line (lines end at ``"\n"``; ``"\r\n"`` works too) and
removes the lines that are page chrome, not article text. Each removed line is recorded as a
:class:`Removal` with its *kind* and its span in the original text, so a report can show it and
a user can check it. The headline, the standfirst (deck), the first byline and the first
dateline come back as metadata (:class:`CleanedText`), not as body text.

Rules, in the order they apply (each rule judges one whole line, never part of a line):

``widgets`` (kind ``"widget"``)
    A line holding only a "Read more" / "Also read:" / "RELATED:" / "SEE ALSO:" / "Most read"
    marker, the headline it quotes and the adjacent lines that repeat that headline (the rule of
    :func:`storymatch.text.boilerplate.strip_widgets`, shared with it).
``chrome`` (kinds ``"navigation"``, ``"share"``, ``"comment"``, ``"advertisement"``,
``"copyright"``, ``"credit"``)
    Whole lines that are site furniture: "Skip to content", "Menu", "Search", "Sign in |
    Register", breadcrumbs ("Home » World » News"), menus of three or more ``|``-separated
    items, "Tags: ...", "Back to top button"; "Share this: Facebook Twitter Email", "Share on
    Twitter", "Follow us on ..."; "Leave a Reply", "Comments (0)"; "Advertisement", "Story
    continues below", "Subscribe"; "© Site. All rights reserved.", "Copyright Site", "Terms
    of use | Privacy policy | Contact us"; "Source" and "Source: Reuters" (``"credit"``);
    editorial notes such as "This is a developing story..." (``"note"``). A lone section label
    ("News", "World", ...) is chrome only above the first body paragraph.
``captions`` (kind ``"caption"``)
    Photo captions and credits: lines starting "FILE PHOTO", "Photo:", "Photo by",
    "Image:", "Picture:", "Caption:", "Credit:", "Image copyright" ...; lines of at most 40
    words with a "©" that does not start them; credit-only lines such as "(Reuters)",
    "REUTERS/Jane Doe", "AFP/Getty Images".
``datelines`` (kind ``"dateline"``)
    Lines of at most 16 words with a digit that are made of date words only (months, weekdays,
    times, time zones, "Published", "Posted", "Updated", "Last", ...), with at most one other
    word (two when the date words outnumber them three to one): "PUBLISHED FRIDAY, MARCH 8,
    2013 AT 12: 46 PM", "Posted 12/19/2005 3: 36 PM", "on Dec 23 2012, 5: 03p", "Last
    Updated: Tuesday, 20 December 2005, 10: 39 GMT", "WASHINGTON-April 27-".
``bylines`` (kind ``"byline"``)
    "By X" where the words after "By" are names (capitalised, at most 12 words: "By the end of
    the year, ..." stays), "Written by", "Posted by", "Reporting by", "Editing by" lines, and
    short title-case lines ending in a desk word ("Metro Dispatch Wire", "Daily Ledger News
    Desk", "Staff Reporter").
templates (kind ``"template"``, only through :meth:`BoilerplateModel.clean`)
    Lines a :class:`BoilerplateModel` learned as one site's template or as chrome shared by
    many sites.
``headlines`` (kinds ``"headline"``, ``"standfirst"``, ``"navigation"``)
    Only the lines no rule above removed ("content" lines) count here. The headline is, in this
    order: the ``title`` passed in, where a line equals it; among the content lines above the
    first body sentence (eight words or more, ending like a sentence, not repeated) in the
    first 12, the first line that is repeated (same words and case-folded letters, or a fuzzy
    match), that a later line extends (a truncated headline) or that a later line ends with,
    glued on ("...the Russia-Ukraine conflictIran responds to US claims...", kind
    ``"standfirst"``); a line with a kicker ("BREAKING:", "UPDATE 1-", "WATCH:"); the
    headline block at the top (one to three headline-like lines: no sentence ending, or a "?"
    or "!" with 40% capitalised words; at most 20 words; capitalised; not continued by a
    lower-case line of the same block; followed by more text: "Fred LaRue, Watergate Figure,
    Dies at 75" above an ECB+ article); else the ``title`` passed in. Every copy is removed:
    exact or fuzzy repeats anywhere (never a longer sentence that merely starts with it),
    truncated copies above it, fuller copies and glued standfirsts above the body. Short lines
    above its first copy (mastheads, section labels) are ``"navigation"``; what is left of the
    headline block under it (decks) is ``"standfirst"``. These rules run again on what they
    leave until they remove nothing more, so that cleaning is idempotent.

What is kept is returned stripped of surrounding whitespace, line by line, in the original
order: lines of one block (lines not separated by a blank line) are joined by ``"\n"``, blocks
by ``"\n\n"``. Every output line is therefore a line of the input, and cleaning never adds text.

Each step can be switched off with a keyword argument of :func:`clean` (``headlines``,
``widgets``, ``captions``, ``bylines``, ``datelines``, ``chrome``); its lines then stay in the
body.

Cost: one pass over the lines with the cheap tests first (word count, first character, ``in``
and ``startswith``), compiled regular expressions only on short candidate lines, and the
headline rules only on the first dozen content lines. ``benchmarks/cleaning.py`` measures it
(tens of microseconds a page: a small multiple of
:func:`~storymatch.text.boilerplate.strip_widgets`, which stays the cheaper choice when only
widgets matter).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from storymatch._estimator import EstimatorParams
from storymatch.errors import InvalidInputError, InvalidParameterError, NotFittedError
from storymatch.models import Article
from storymatch.text.boilerplate import _is_marker, _widget_lines

__all__ = ["BoilerplateModel", "CleanedText", "Removal", "clean"]

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- result types


@dataclass(frozen=True, slots=True)
class Removal:
    """One line that :func:`clean` removed.

    Parameters
    ----------
    kind : str
        Why it was removed: ``"headline"``, ``"standfirst"``, ``"widget"``, ``"caption"``,
        ``"byline"``, ``"dateline"``, ``"navigation"``, ``"share"``, ``"comment"``,
        ``"advertisement"``, ``"copyright"``, ``"credit"`` or ``"template"``.
    text : str
        The line, stripped of surrounding whitespace: ``original[start:end] == text``.
    start : int
        Offset of its first character in the original text.
    end : int
        Offset just past its last character.
    """

    kind: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return the removal as a plain dict for JSON output."""
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Removal:
        """Build a removal from :meth:`to_dict` output."""
        return cls(
            str(record["kind"]), str(record["text"]), int(record["start"]), int(record["end"])
        )


@dataclass(frozen=True, slots=True)
class CleanedText:
    r"""The article body of one page, its metadata and what was removed.

    Parameters
    ----------
    text : str
        The article body: kept lines stripped, joined by ``"\n"`` within a block and by
        ``"\n\n"`` between blocks.
    title : str or None, default=None
        The headline found on the page (without a kicker such as "BREAKING:"), else the
        ``title`` passed to :func:`clean`, else None.
    standfirst : str or None, default=None
        The deck under the headline (the lines of the headline block after the headline, or
        the part of a line in front of a glued-on headline), lines joined by ``"\n"``.
    byline : str or None, default=None
        The first byline, without a leading "By", or None.
    dateline : str or None, default=None
        The first dateline as it stands on the page, or None.
    removed : tuple of Removal, default=()
        Every removed line, in page order, with its span in the original text.
    """

    text: str
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    dateline: str | None = None
    removed: tuple[Removal, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a plain dict for JSON output."""
        return {
            "text": self.text,
            "title": self.title,
            "standfirst": self.standfirst,
            "byline": self.byline,
            "dateline": self.dateline,
            "removed": [r.to_dict() for r in self.removed],
        }

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> CleanedText:
        """Build a result from :meth:`to_dict` output."""
        return cls(
            text=str(record["text"]),
            title=record.get("title"),
            standfirst=record.get("standfirst"),
            byline=record.get("byline"),
            dateline=record.get("dateline"),
            removed=tuple(Removal.from_dict(r) for r in record.get("removed", ())),
        )


# --------------------------------------------------------------------------- line rules

# Lines longer than this are never chrome (a long caption is at most ~40 words).
_MAX_RULE_CHARS = 320
# Phrase lookups only for lines up to this length.
_MAX_PHRASE_CHARS = 64
_HEAD_WINDOW = 12
_MAX_HEADLINE_WORDS = 30
_MAX_TITLE_WORDS = 20
_MAX_TITLE_RUN = 3
_HEADLINE_SIMILARITY = 90.0
# Copies of a headline differ from it by at most this many characters (a kicker, quotes).
_MAX_LENGTH_GAP = 16

_NAVIGATION = """
skip to content|skip to main content|skip to navigation|skip navigation|jump to content|
menu|main menu|open menu|close menu|toggle navigation|navigation|search|search for|
search this site|sign in|sign in | register|sign in / register|sign in or register|log in|
log in | register|login|log out|logout|register|my account|home|homepage|back to top|
back to top button|go to top|scroll to top|top of page|next|previous|next article|
previous article|next story|previous story|next post|previous post|close|print|print this|
print this article|print article|font size|text size|listen|listen to this article|view all|
see all|load more|show more|click here|click to expand
"""
_SHARE = """
share|share this|share this article|share this story|share article|share story|share on|
share on facebook|share on twitter|share on linkedin|share on whatsapp|share on reddit|
share on pinterest|share via email|share by email|share via|tweet|tweet this|facebook|twitter|
whatsapp|linkedin|pinterest|reddit|telegram|email|e-mail|email this|email this article|
copy link|copy url|follow us|follow us on social media|follow us on twitter|
follow us on facebook|like us on facebook
"""
_COMMENT = """
leave a reply|leave a comment|leave a reply cancel reply|cancel reply|comments|comment|
add a comment|add comment|post a comment|post comment|view comments|show comments|
hide comments|read comments|join the conversation|join the discussion|no comments|
comments are closed|comments closed|be the first to comment|
you must be logged in to post a comment
"""
_ADVERTISEMENT = """
advertisement|advertisements|advertisment|advert|ad|ads|sponsored|sponsored content|
sponsored links|sponsored stories|paid content|paid post|promoted|promoted content|
promoted stories|story continues below|story continues below advertisement|
article continues below|article continues below advertisement|
article continues after advertisement|continue reading|continue reading below|
continue reading the main story|scroll to continue|scroll to continue with content|
scroll down to continue reading|subscribe|subscribe now|subscribe today|
subscribe to our newsletter|sign up|sign up now|sign up for our newsletter|
sign up to our newsletter|newsletter|get our newsletter|support our journalism|donate|
remove ads|ad feedback
"""
_CREDIT = """
source|sources|credit|credits|the associated press|associated press|reuters|afp|ap|
agence france-presse
"""
_SECTION_LABELS = frozenset(
    """news|world|world news|politics|business|sport|sports|entertainment|opinion|lifestyle|
    health|science|technology|tech|local|national|international|us|uk|europe|asia|africa|
    middle east|americas|latest|latest news|breaking news|top stories|top news|trending|
    trending now|video|videos|photos|features|culture|arts|travel|weather|money|markets|
    economy|crime|education|environment|local news|home news|analysis""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)


def _phrases() -> dict[str, str]:
    table: dict[str, str] = {}
    for kind, block in (
        ("navigation", _NAVIGATION),
        ("share", _SHARE),
        ("comment", _COMMENT),
        ("advertisement", _ADVERTISEMENT),
        ("credit", _CREDIT),
    ):
        for phrase in block.replace("\n", "").split("|"):
            table.setdefault(" ".join(phrase.split()), kind)
    # "sign in | register" was split on its bar above; put the menus back whole.
    for menu in ("sign in | register", "log in | register"):
        table[menu] = "navigation"
    return table


_PHRASES = _phrases()
_KEY_STRIP = " \t:|.-\u2013\u2014\u2022\u00b7*>\u00bb\u203a!#"
_SHARE_PREFIXES = ("share this", "share on ", "share via ", "share:", "follow us", "like us on ")
_PLATFORMS = frozenset(
    [
        "facebook",
        "twitter",
        "x",
        "email",
        "e-mail",
        "whatsapp",
        "linkedin",
        "pinterest",
        "reddit",
        "telegram",
        "print",
        "messenger",
        "flipboard",
        "tumblr",
        "copy",
        "link",
        "sms",
        "mail",
    ]
)
_COMMENT_COUNT = re.compile(r"(?:\d+\s*)?comments?(?:\s*\(\d+\))?|comments?\s*[:(]?\s*\d+\)?")
_NOTE_PREFIXES = (
    "this is a developing story",
    "this story is developing",
    "this story has been updated",
    "this article has been updated",
    "this story will be updated",
    "this article will be updated",
    "check back for updates",
    "check back later for updates",
    "refresh for updates",
    "more to follow",
)
_TAG_PREFIXES = ("tags:", "tagged:", "tagged with", "filed under", "topics:", "categories:")
_COPYRIGHT_PREFIXES = ("copyright", "(c) ", "(c)2", "(c)1")
_LEGAL = ("terms of use", "terms of service", "privacy policy", "cookie policy", "privacy notice")
_CAPTION_PREFIXES = (
    "file photo",
    "file picture",
    "file image",
    "photo:",
    "photos:",
    "photo by ",
    "photo credit",
    "photo courtesy",
    "photograph:",
    "photograph by ",
    "photographs:",
    "image:",
    "images:",
    "image credit",
    "image copyright",
    "image caption",
    "image source",
    "media caption",
    "picture:",
    "pictures:",
    "pictured:",
    "caption:",
    "credit:",
    "illustration:",
    "(photo",
    "[photo",
    "(image",
    "(picture",
    "(file photo",
)
_AGENCY = re.compile(
    r"\b(?:AP|AFP|EPA|Reuters|REUTERS|Getty|GETTY|Shutterstock|Xinhua|XINHUA|Bloomberg|TASS|"
    r"Sputnik|Anadolu|ANSA|dpa|DPA|Alamy|PA|Associated Press|Press Association|UPI|IANS|PTI)\b"
)
_CREDIT_WORDS = re.compile(
    r"\b(?:AP|AFP|EPA|Reuters|REUTERS|Getty|GETTY|Shutterstock|Xinhua|XINHUA|Bloomberg|TASS|"
    r"Sputnik|Anadolu|ANSA|dpa|DPA|Alamy|PA|Associated Press|Press Association|UPI|IANS|PTI|"
    r"Photo|PHOTO|Photos|Images|IMAGES|Pictures|Wire|File|FILE|via)\b|[^\w]+"
)
_BYLINE_PREFIXES = (
    "written by ",
    "posted by ",
    "story by ",
    "words by ",
    "reporting by ",
    "additional reporting by ",
    "editing by ",
    "compiled by ",
    "(reporting by ",
    "(editing by ",
)
_BYLINE_TAILS = tuple(
    " " + tail
    for tail in (
        "staff",
        "staff writer",
        "staff writers",
        "staff reporter",
        "reporter",
        "correspondent",
        "newsroom",
        "news desk",
        "web desk",
        "desk",
        "digital team",
        "digital desk",
        "wire",
        "wires",
        "wire service",
        "wire services",
        "news service",
        "news services",
        "news agency",
        "news team",
        "writer",
        "contributor",
        "bureau",
    )
)
_NAME_LINKS = frozenset(
    ["and", "&", "of", "the", "de", "van", "von", "der", "da", "la", "le", "du", "del", "y"]
)
MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
"""English month names, in order (shared with the event stage's date signal)."""
MONTH_WORDS = frozenset(
    [
        *MONTH_NAMES,
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
"""Month names and their abbreviations, lower case."""
_MONTHS = MONTH_WORDS
_WEEKDAYS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
    ]
)
_DATE_WORDS = (
    _MONTHS
    | _WEEKDAYS
    | frozenset(
        [
            "am",
            "pm",
            "a",
            "p",
            "m",
            "edt",
            "est",
            "gmt",
            "bst",
            "cest",
            "cet",
            "et",
            "utc",
            "ist",
            "pst",
            "pdt",
            "cst",
            "cdt",
            "mst",
            "mdt",
            "ct",
            "pt",
            "mt",
            "aest",
            "aedt",
            "jst",
            "hkt",
            "sgt",
            "msk",
            "eet",
            "eest",
            "wet",
            "hst",
            "akst",
            "akdt",
            "ast",
            "adt",
            "nzst",
            "nzdt",
            "sast",
            "wib",
            "z",
            "published",
            "publish",
            "posted",
            "post",
            "updated",
            "update",
            "last",
            "first",
            "originally",
            "modified",
            "created",
            "date",
            "time",
            "article",
            "st",
            "nd",
            "rd",
            "th",
            "ago",
            "hours",
            "hour",
            "minutes",
            "minute",
            "mins",
            "min",
            "hrs",
            "hr",
            "day",
            "days",
            "today",
            "yesterday",
            "edited",
            "revised",
            "filed",
        ]
    )
)
_NEUTRAL_WORDS = frozenset(["on", "at", "of", "the", "and", "in"])
_DATE_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_TIME_OR_DATE = re.compile(
    r"\d{1,2}\s?[:.h]\s?\d{2}(?!\d)|\d{1,4}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{2,4}"
)
_KICKER = re.compile(
    r"(?:breaking(?: news)?|update[d]?(?:\s*\d+)?|watch|video|exclusive|live|just in|"
    r"developing)\s*[:\-\u2013\u2014]\s*",
    re.IGNORECASE,
)
_KICKER_FIRST = frozenset("bBuUwWvVeElLjJdD")
_DIGIT = re.compile(r"\d")
_ASCII_DIGIT = re.compile(r"[0-9]")
_CRUMB = re.compile(r"[\u00bb\u203a>]")
_SENTENCE_END = ".!?;:,"
_CLOSERS = "\"'\u201d\u2019)\u00bb]"


def _sentence_like(s: str) -> bool:
    """Tell whether ``s`` ends like a sentence or clause (``. ! ? ; : ,``, maybe quoted)."""
    last = s[-1]
    if last in _SENTENCE_END:
        return True
    if last in _CLOSERS:
        before = s[-2:-1]
        if before and before in _SENTENCE_END:
            return True
        end = s[-3:-2]  # "... it. " with a space before the closing quote
        return before == " " and bool(end) and end in ".!?,"
    return False


def _capitalised(word: str) -> bool:
    first = word.lstrip("(\"'\u201c\u2018")[:1]
    return first.isupper() or first.isdigit()


def _prefix_table() -> dict[str, tuple[tuple[str, str], ...]]:
    rules: list[tuple[str, str]] = [(p, "share") for p in _SHARE_PREFIXES]
    rules += [("\u00a9", "copyright")] + [(p, "copyright") for p in _COPYRIGHT_PREFIXES]
    rules += [(p, "tags") for p in _TAG_PREFIXES]
    rules += [("source:", "source"), ("sources:", "source")]
    rules += [(p, "note") for p in _NOTE_PREFIXES]
    rules += [("photo by ", "caption_by"), ("photograph by ", "caption_by")]
    rules += [(p, "caption") for p in _CAPTION_PREFIXES]
    rules += [("by ", "by")] + [(p, "byline") for p in _BYLINE_PREFIXES]
    table: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for prefix, group in rules:
        table[prefix[0]].append((prefix, group))
    return {first: tuple(items) for first, items in table.items()}


_PREFIX_TABLE = _prefix_table()
_PREFIX_FIRST = {
    first: tuple(prefix for prefix, _ in rules) for first, rules in _PREFIX_TABLE.items()
}
_METADATA_KINDS = frozenset(("dateline", "byline"))
_BODY_END = frozenset('.?!\u201d"')
# Word limits of the line rules: a line with more words is never that kind of chrome.
_MAX_PHRASE_WORDS = 8
_MAX_SHARE_WORDS = 10
_MAX_COPYRIGHT_WORDS = 30
_MAX_BARE_COPYRIGHT_WORDS = 8  # "Copyright Site", without a "©" or "reserved"
_MAX_TAG_WORDS = 15  # "Tags: ..." lines and editorial notes
_MAX_SOURCE_WORDS = 6
_MAX_CAPTION_WORDS = 40
_MAX_PHOTO_BY_WORDS = 14
_MAX_BYLINE_WORDS = 20
_MIN_BY_WORDS, _MAX_BY_WORDS = 2, 12  # "By Jane Doe"
_MAX_DESK_WORDS = 7  # "Metro Dispatch Wire"
_MAX_DATELINE_WORDS = 16
_MAX_CRUMB_WORDS = 12
_MAX_MENU_ITEM_WORDS = 4
_MIN_MENU_ITEMS = 3
_MIN_CRUMBS = 2
_MAX_PLATFORM_WORDS, _MAX_PLATFORM_CHARS = 3, 24  # "Facebook Twitter"
_MAX_CREDIT_WORDS = 10
_MAX_BARE_CREDIT_WORDS = 4  # "AFP/Getty Images" needs no frame or slash
_MAX_LABEL_WORDS = 3
_MAX_MASTHEAD_WORDS = 6
_MIN_BODY_WORDS = 8
_MAX_TITLE_CHARS = 200
_MIN_KEY_CHARS = 2
_MIN_TRUNCATED_CHARS = 3
_MIN_GLUED_CHARS = 10
# Datelines: at most this many other words, or three date words for each other word.
_MAX_DATE_OTHERS = 2
_DATE_RATIO = 3
_MAX_DATE_CAPITALS = 2
# Where the first digit of a dateline must be.
_DIGIT_SCAN = 64
# Lines of more words can only be captions or copyright lines, which start with one of these
# characters or hold a "©" or "reserved".
_LONG_FIRST = frozenset("fFpPiImMcC([\u00a9")
# The longest prefix in _PREFIX_TABLE is shorter than this.
_PREFIX_CHARS = 40


def _phrase_kind(low: str) -> str | None:
    kind = _PHRASES.get(low)
    if kind is not None:
        return kind
    key = " ".join(low.split()).strip(_KEY_STRIP)
    if "|" in key:
        key = " | ".join(part.strip() for part in key.split("|"))
    kind = _PHRASES.get(key)
    if kind is not None:
        return kind
    if "comment" in key and _COMMENT_COUNT.fullmatch(key) is not None:
        return "comment"
    return None


def _names(words: list[str]) -> bool:
    """Tell whether ``words`` read as names: the first capitalised, and 60% of them in all."""
    if not words or not _capitalised(words[0]):
        return False
    named = sum(1 for w in words if _capitalised(w) or w.lower().strip(",") in _NAME_LINKS)
    return named >= 0.6 * len(words)


def _prefix_kind(
    group: str, s: str, n_words: int, *, chrome: bool, bylines: bool, captions: bool
) -> str | None:
    """Return the kind of a line starting with a prefix of ``group``, or None."""
    if group == "by":
        if bylines and _MIN_BY_WORDS <= n_words <= _MAX_BY_WORDS and _names(s.split()[1:]):
            return "byline"
        return None
    if group == "byline":
        return "byline" if bylines and n_words <= _MAX_BYLINE_WORDS else None
    if group == "caption":
        return "caption" if captions and n_words <= _MAX_CAPTION_WORDS else None
    if group == "caption_by":
        if captions and n_words <= _MAX_PHOTO_BY_WORDS and _names(s.split()[2:]):
            return "caption"
        return None
    if not chrome:
        return None
    if group == "share":
        return "share" if n_words <= _MAX_SHARE_WORDS else None
    if group == "copyright":
        if n_words <= _MAX_COPYRIGHT_WORDS and (
            "\u00a9" in s
            or "eserved" in s
            or "ESERVED" in s
            or (n_words <= _MAX_BARE_COPYRIGHT_WORDS and not _sentence_like(s))
        ):
            return "copyright"
        return None
    if group == "tags":
        return "navigation" if n_words <= _MAX_TAG_WORDS else None
    if group == "note":
        return "note" if n_words <= _MAX_TAG_WORDS else None
    if group == "source" and n_words <= _MAX_SOURCE_WORDS:
        rest = s.split(":", 1)[1].split()
        if rest and all(_capitalised(w) or w.lower() in _NAME_LINKS for w in rest):
            return "credit"
    return None


def _line_kind(
    s: str,
    n_words: int,
    *,
    chrome: bool,
    datelines: bool,
    bylines: bool,
    captions: bool,
) -> str | None:
    """Return the kind of chrome line ``s`` is by the line rules, or None for article text."""
    if chrome and n_words <= _MAX_PHRASE_WORDS and len(s) <= _MAX_PHRASE_CHARS:
        kind = _phrase_kind(s.lower())
        if kind is not None:
            return kind
    first = s[0].lower()
    prefixes = _PREFIX_FIRST.get(first)
    if prefixes is not None:
        low = s[:_PREFIX_CHARS].lower()
        if low.startswith(prefixes):
            for prefix, group in _PREFIX_TABLE[first]:
                if low.startswith(prefix):
                    kind = _prefix_kind(
                        group, s, n_words, chrome=chrome, bylines=bylines, captions=captions
                    )
                    if kind is not None:
                        return kind
                    break
    if n_words > _MAX_CAPTION_WORDS:
        return None
    if "\u00a9" in s:
        if chrome and n_words <= _MAX_COPYRIGHT_WORDS and ("eserved" in s or "ESERVED" in s):
            return "copyright"
        if captions and s[0] != "\u00a9":
            return "caption"
    elif (
        chrome
        and n_words <= _MAX_COPYRIGHT_WORDS
        and ("rights reserved" in s or "Rights Reserved" in s)
    ):
        return "copyright"
    if n_words > _MAX_DATELINE_WORDS:
        return None
    if n_words > _MAX_PHRASE_WORDS and s[-1] in _BODY_END and s[-2:] not in ("m.", "M."):
        # A sentence: no menu, and no dateline (those end in a time zone or "p. m.").
        return None
    if chrome:
        if "|" in s:
            full = s.lower()
            if any(term in full for term in _LEGAL):
                return "copyright"
            parts = [p for p in s.split("|") if p.strip()]
            if len(parts) >= _MIN_MENU_ITEMS and all(
                len(p.split()) <= _MAX_MENU_ITEM_WORDS for p in parts
            ):
                return "navigation"
        if n_words <= _MAX_CRUMB_WORDS and ("\u00bb" in s or "\u203a" in s or " > " in s):
            parts = [p for p in _CRUMB.split(s) if p.strip()]
            if len(parts) >= _MIN_CRUMBS and all(
                len(p.split()) <= _MAX_MENU_ITEM_WORDS for p in parts
            ):
                return "navigation"
        if (
            n_words <= _MAX_PLATFORM_WORDS
            and len(s) <= _MAX_PLATFORM_CHARS
            and _PLATFORMS.issuperset(s.lower().replace(",", " ").split())
        ):
            return "share"
    if datelines and _dateline_kind(s, n_words) is not None:
        return "dateline"
    if n_words > _MAX_CREDIT_WORDS:
        return None
    if (
        bylines
        and n_words <= _MAX_DESK_WORDS
        and not s.isupper()
        and s.lower().endswith(_BYLINE_TAILS)
        and not _sentence_like(s)
        and all(_capitalised(w) or w in _NAME_LINKS for w in s.split())
    ):
        return "byline"
    if captions:
        framed = s[0] in "([" and s[-1] in ")]"
        slashed = "/" in s
        if (
            (framed or slashed or n_words <= _MAX_BARE_CREDIT_WORDS)
            and _AGENCY.search(s) is not None
            and (framed or (slashed and not _sentence_like(s)) or not _CREDIT_WORDS.sub("", s))
        ):
            return "caption"
    return None


def _dateline_kind(s: str, n_words: int) -> str | None:
    if n_words > _MAX_DATELINE_WORDS or _ASCII_DIGIT.search(s, 0, _DIGIT_SCAN) is None:
        return None
    known = unknown = capitals = 0
    dated = False
    for token in _DATE_TOKEN.findall(s):
        if token[0].isdigit():
            continue
        low = token.lower()
        if low in _DATE_WORDS:
            known += 1
            if low in _MONTHS or low in _WEEKDAYS or low == "ago":
                dated = True
        elif low in _NEUTRAL_WORDS:
            continue
        elif token[1:] and token.isupper() and capitals < _MAX_DATE_CAPITALS and not s.isupper():
            capitals += 1  # a place or agency in capitals: "WASHINGTON, DC, April 28"
        else:
            unknown += 1
            if unknown > _MAX_DATE_OTHERS:
                return None
    if not dated and _TIME_OR_DATE.search(s) is None:
        return None
    if unknown < _MAX_DATE_OTHERS or _DATE_RATIO * unknown <= known:
        return "dateline"
    return None


# --------------------------------------------------------------------------- the cleaner


def _strip_kicker(s: str) -> str:
    match = _KICKER.match(s)
    if match is not None and match.end() < len(s):
        return s[match.end() :].strip()
    return s


def _title_like(s: str, n_words: int) -> bool:
    """Tell whether ``s`` can be a headline: short, capitalised, no sentence ending.

    A headline may end with "?" or "!" when at least 40% of its words are capitalised
    ("Hey, Jamal Williams: Hire a Driver!"), unlike a sentence ("It's about time, right?").
    """
    if n_words > _MAX_TITLE_WORDS or len(s) > _MAX_TITLE_CHARS:
        return False
    first = s.lstrip("\"'\u201c\u2018(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if not _sentence_like(s):
        return True
    if s.rstrip(_CLOSERS)[-1:] not in "?!":
        return False
    parts = s.split()
    return sum(1 for w in parts if _capitalised(w)) >= 0.4 * len(parts)


def _same_headline(line: str, n_words: int, low: str, head: str, head_low: str) -> bool:
    """Tell whether ``line`` is a copy of ``head`` (``low``, ``head_low``: :func:`_loose`)."""
    if low == head_low:
        return True
    if n_words > _MAX_HEADLINE_WORDS or abs(len(line) - len(head)) > _MAX_LENGTH_GAP:
        return False
    if len(line) > len(head) and _sentence_like(line) and not _sentence_like(head):
        return False
    return fuzz.ratio(low, head_low, score_cutoff=_HEADLINE_SIMILARITY) > 0


def _clean(
    text: str,
    title: str | None,
    *,
    headlines: bool,
    widgets: bool,
    captions: bool,
    bylines: bool,
    datelines: bool,
    chrome: bool,
    templates: frozenset[str] | None = None,
    max_words: int = 25,
) -> CleanedText:
    raw = text.split("\n")
    n = len(raw)
    markers: list[int] = []
    # Per non-blank line: index, stripped text, start offset, word count.
    idx: list[int] = []
    body: list[str] = []
    starts: list[int] = []
    words: list[int] = []
    kinds: list[str | None] = []
    byline: str | None = None
    dateline: str | None = None
    given = title.strip() if title is not None else None
    rules = chrome or datelines or bylines or captions
    meta = False
    pos = 0
    for i in range(n):
        line = raw[i]
        start = pos
        pos += len(line) + 1
        s = line.strip()
        if not s:
            continue
        if len(s) != len(line):
            start += len(line) - len(line.lstrip())
        kind: str | None = None
        n_words = len(s.split()) if len(s) <= _MAX_PHRASE_CHARS else s.count(" ") + 1
        if widgets and _is_marker(line):
            markers.append(i)
            kind = "widget"
        elif s == given and headlines:
            kind = "headline"
        elif (
            rules
            and len(s) <= _MAX_RULE_CHARS
            and (
                n_words <= _MAX_BYLINE_WORDS
                or s[0] in _LONG_FIRST
                or "\u00a9" in s
                or (n_words <= _MAX_COPYRIGHT_WORDS and "eserved" in s)
            )
        ):
            kind = _line_kind(
                s, n_words, chrome=chrome, datelines=datelines, bylines=bylines, captions=captions
            )
        if kind is None and templates and _template_key(s, max_words) in templates:
            kind = "template"
        idx.append(i)
        body.append(s)
        starts.append(start)
        words.append(n_words)
        kinds.append(kind)
        if kind in _METADATA_KINDS:
            meta = True
    if markers:
        k_of = {i: k for k, i in enumerate(idx)}
        for i in _widget_lines(raw, markers, idx):
            kinds[k_of[i]] = "widget"
    for k, kind in enumerate(kinds if meta else ()):
        if kind == "dateline" and dateline is None:
            dateline = body[k]
        elif kind == "byline" and byline is None:
            s = body[k]
            byline = s[3:].strip() if s[:3].lower() == "by " else s

    found_title: str | None = None
    standfirst: str | None = None
    if headlines or chrome:
        found_title, standfirst = _mark_headlines(
            body, words, kinds, idx, title, headlines=headlines, chrome=chrome
        )
    if found_title is None and title is not None:
        found_title = title

    removed: list[Removal] = []
    blocks: list[str] = []
    current: list[str] = []
    last = -2
    for k, i in enumerate(idx):
        if i > last + 1 and current:  # a blank line since the last non-blank one
            blocks.append("\n".join(current))
            current = []
        last = i
        kind = kinds[k]
        if kind is None:
            current.append(body[k])
        else:
            removed.append(Removal(kind, body[k], starts[k], starts[k] + len(body[k])))
    if current:
        blocks.append("\n".join(current))
    return CleanedText(
        text="\n\n".join(blocks),
        title=found_title,
        standfirst=standfirst,
        byline=byline,
        dateline=dateline,
        removed=tuple(removed),
    )


def _title_run(body: list[str], words: list[int], idx: list[int], content: list[int]) -> list[int]:
    """Return the headline block atop the ``content`` lines: 1 to 3 headline-like lines."""
    run: list[int] = []
    for c_pos, k in enumerate(content):
        if not _title_like(body[k], words[k]):
            return run  # more text follows the run
        if c_pos + 1 == len(content):
            return []  # nothing after the run: not a headline block
        nxt = content[c_pos + 1]
        if idx[nxt] - idx[k] == nxt - k and body[nxt][:1].islower():
            return run  # a paragraph wrapped over lines of one block, not a headline
        run.append(k)
        if len(run) > _MAX_TITLE_RUN:
            return []
    return []


def _first_letter(s: str) -> str:
    """Return the first character of ``s`` after any kicker, lower-cased."""
    if s[0] in _KICKER_FIRST:
        s = _strip_kicker(s)
    return s[:1].lower()


def _loose(s: str) -> str:
    """``s`` without a kicker, lower-cased, runs of whitespace as one space."""
    if s[0] in _KICKER_FIRST:
        s = _strip_kicker(s)
    return " ".join(s.lower().split())


def _mark_headlines(
    body: list[str],
    words: list[int],
    kinds: list[str | None],
    idx: list[int],
    title: str | None,
    *,
    headlines: bool,
    chrome: bool,
) -> tuple[str | None, str | None]:
    """Mark the headline lines (and section labels) in place; return title and standfirst.

    The headline rules run again on what they leave until they mark nothing more, so that
    cleaning a cleaned text changes nothing. Positions count *content* lines only (lines no
    other rule removed), which are exactly the lines a second cleaning sees.
    """
    lows: dict[int, str] = {}
    found: str | None = None
    standfirst: list[str] = []
    first_round = True
    while True:
        content = [k for k in range(len(body)) if kinds[k] is None]
        head, deck = _headline_round(
            body,
            words,
            kinds,
            idx,
            content,
            title if first_round else None,
            lows,
            headlines=headlines,
            chrome=chrome,
        )
        if first_round:
            found = head
        standfirst += deck
        first_round = False
        if all(kinds[k] is None for k in content):
            break  # nothing marked in this round: a fixed point
    return found, "\n".join(standfirst) if standfirst else None


def _headline_round(
    body: list[str],
    words: list[int],
    kinds: list[str | None],
    idx: list[int],
    content: list[int],
    title: str | None,
    lows: dict[int, str],
    *,
    headlines: bool,
    chrome: bool,
) -> tuple[str | None, list[str]]:
    """One round of the headline rules over ``content``; return the headline and decks."""
    window = content[:_HEAD_WINDOW]
    # The first body paragraph: a sentence of eight words or more, or a very long line.
    body_start = len(window)
    for c_pos, k in enumerate(window):
        if words[k] > _MAX_HEADLINE_WORDS or (
            words[k] >= _MIN_BODY_WORDS and _sentence_like(body[k])
        ):
            # A repeated line is a headline, not the body ("BREAKING: ... wall!'" twice).
            line = body[k]
            if not any(body[j] == line for j in window[c_pos + 1 :]):
                body_start = c_pos
                break
    above = window[:body_start]
    if chrome:
        for k in above:
            if (
                words[k] <= _MAX_LABEL_WORDS
                and " ".join(body[k].lower().split()).strip(_KEY_STRIP) in _SECTION_LABELS
            ):
                kinds[k] = "navigation"
        above = [k for k in above if kinds[k] is None]
    if not headlines:
        return None, []

    def low_of(k: int) -> str:
        value = lows.get(k)
        if value is None:
            value = lows[k] = _loose(body[k])
        return value

    # 0. The title passed in, found on the page (marked by the line pass).
    head: str | None = None
    first_copy = -1
    if title is not None:
        first_copy = next((k for k in range(len(body)) if kinds[k] == "headline"), -1)
        if first_copy >= 0:
            head = body[first_copy]
    # 1. A line repeated above the body (exactly, fuzzily, truncated, or glued to another).
    top = [k for k in above if words[k] <= _MAX_HEADLINE_WORDS] if head is None else []
    ends = {k: (body[k][-1], _first_letter(body[k])) for k in top}
    for a_pos, a in enumerate(top):
        a_last, a_first = ends[a]
        for b in top[a_pos + 1 :]:
            b_last, b_first = ends[b]
            gap = abs(len(body[a]) - len(body[b]))
            if a_first != b_first and a_last != b_last and gap > _MAX_LENGTH_GAP:
                continue
            la, lb = low_of(a), low_of(b)
            if len(la) < _MIN_KEY_CHARS:
                break
            if la == lb or _same_headline(body[b], words[b], lb, body[a], la):
                head, first_copy = body[a], a
            elif (
                lb.startswith(la)
                and len(la) >= _MIN_TRUNCATED_CHARS
                and not _sentence_like(body[b])
            ):
                head, first_copy = body[b], b  # a is a truncated copy above it
            elif lb.endswith(la) and len(lb) > len(la) and len(la) >= _MIN_GLUED_CHARS:
                head, first_copy = body[a], a
            if head is not None:
                break
        if head is not None:
            break
    # 2. A line with a kicker ("BREAKING:", "UPDATE 1-").
    if head is None:
        for k in top:
            if (
                body[k][0] in _KICKER_FIRST
                and _KICKER.match(body[k]) is not None
                and _title_like(body[k], words[k])
            ):
                head, first_copy = body[k], k
                break
    # 3. The headline block at the top of the page.
    if head is None:
        run = _title_run(body, words, idx, content)
        if run:
            head, first_copy = body[run[0]], run[0]
    # 4. The title passed in.
    if head is None and title is not None and title.strip():
        head = title.strip()
    if head is None:
        return None, []

    found = _strip_kicker(head)
    deck: list[str] = []
    heads = [head]
    if title is not None and title.strip() and _loose(title) != _loose(head):
        heads.append(title.strip())
    in_window = set(window)
    head_zone = set(above)
    for h in heads:
        h_low = _loose(h)
        h_first, h_last = h_low[:1], h[-1]
        h_words = h.count(" ") + 1
        for k in content:
            if kinds[k] is not None:
                continue
            line = body[k]
            gap = len(line) - len(h)
            in_head = k in head_zone or (k in in_window and words[k] <= h_words)
            if not in_head:
                if words[k] > _MAX_HEADLINE_WORDS or abs(gap) > _MAX_LENGTH_GAP:
                    continue
            elif (
                abs(gap) > _MAX_LENGTH_GAP
                and line[-1] != h_last
                and line[0].lower() != h_first
                and line[0] not in _KICKER_FIRST
            ):
                continue  # neither a copy, nor a truncated, glued or fuller one
            low = low_of(k)
            if _same_headline(line, words[k], low, h, h_low):
                kinds[k] = "headline"
                if first_copy < 0:
                    first_copy = k
            elif not in_head or len(low) < _MIN_KEY_CHARS:
                continue
            elif h_low.startswith(low):
                if first_copy < 0 or k < first_copy:
                    kinds[k] = "headline"  # a truncated copy above the headline
            elif len(h_low) >= _MIN_GLUED_CHARS and low.endswith(h_low):
                kinds[k] = "standfirst"  # the standfirst with the headline glued on
                cut = line.lower().rfind(h.lower()[:12])
                deck.append(line[:cut].strip() if cut > 0 else line)
            elif (
                low.startswith(h_low) and words[k] <= _MAX_TITLE_WORDS and not _sentence_like(line)
            ):
                kinds[k] = "headline"  # a fuller copy: the best title
                if h is head and len(line) > len(found):
                    found = _strip_kicker(line)
    # Mastheads and section labels above the first copy of the headline.
    if first_copy in in_window:
        for k in window:
            if k >= first_copy:
                break
            if kinds[k] is None and words[k] <= _MAX_MASTHEAD_WORDS and not _sentence_like(body[k]):
                kinds[k] = "navigation"
    # What is left of the headline block: decks (standfirsts) under the headline.
    for k in _title_run(body, words, idx, [k for k in content if kinds[k] is None]):
        kinds[k] = "standfirst"
        deck.append(body[k])
    return found, deck


def clean(
    text: str,
    *,
    title: str | None = None,
    headlines: bool = True,
    widgets: bool = True,
    captions: bool = True,
    bylines: bool = True,
    datelines: bool = True,
    chrome: bool = True,
) -> CleanedText:
    r"""Strip page chrome from one page and return the article body, metadata and removals.

    Parameters
    ----------
    text : str
        A page as scraped, blocks separated by line breaks.
    title : str or None, default=None
        The headline when it is known (``Article.title``): its copies are removed and it is
        returned as ``title``. Without it the headline is inferred from the page.
    headlines : bool, default=True
        Remove the headline and its copies (repeated, truncated, glued to the standfirst) and
        the short masthead lines above it; return it as ``title``.
    widgets : bool, default=True
        Remove "Read more" / "RELATED:" widgets with the headlines they quote.
    captions : bool, default=True
        Remove photo captions and credit lines ("FILE PHOTO: ... © ... / AFP", "(Reuters)").
    bylines : bool, default=True
        Remove bylines ("By Jane Doe", "Metro Dispatch Wire"); the first becomes ``byline``.
    datelines : bool, default=True
        Remove date lines ("Posted 12/19/2005 3: 36 PM"); the first becomes ``dateline``.
    chrome : bool, default=True
        Remove navigation, share, comment, advertisement, copyright and credit lines.

    Returns
    -------
    CleanedText
        The body, the headline, byline and dateline found, and every removed line with its
        kind and span in ``text``.

    See Also
    --------
    storymatch.text.boilerplate.strip_widgets : the widget rule alone, on the dedup hot path.
    BoilerplateModel : learns the lines of each site's template from a corpus.

    Notes
    -----
    A rule only ever removes a whole line, and only a line that is short or shaped like chrome
    (see the module docstring), so article paragraphs survive: on ECB+, BASIL and news_pool
    more than 99.5% of the sentences stay in the body (``benchmarks/cleaning.py``). Switching
    a step off keeps its lines in the body; with ``headlines=False`` the ``title`` returned is
    the one passed in.

    Examples
    --------
    >>> page = (
    ...     "Skip to content\n\nBridge reopens after repairs\n\nBridge reopens after repairs\n\n"
    ...     "By Jane Doe\n\nPosted 12/19/2005 3: 36 PM\n\n"
    ...     "The Kestrel Street bridge reopened on Monday after six weeks of repairs.\n\n"
    ...     "Advertisement\n\nTraffic was light, officials said.\n\nShare on Twitter"
    ... )
    >>> result = clean(page)
    >>> print(result.text)
    The Kestrel Street bridge reopened on Monday after six weeks of repairs.
    <BLANKLINE>
    Traffic was light, officials said.
    >>> result.title, result.byline, result.dateline
    ('Bridge reopens after repairs', 'Jane Doe', 'Posted 12/19/2005 3: 36 PM')
    >>> [r.kind for r in result.removed]
    ['navigation', 'headline', 'headline', 'byline', 'dateline', 'advertisement', 'share']
    >>> r = result.removed[-1]
    >>> r.kind, page[r.start : r.end]
    ('share', 'Share on Twitter')
    """
    return _clean(
        text,
        title,
        headlines=headlines,
        widgets=widgets,
        captions=captions,
        bylines=bylines,
        datelines=datelines,
        chrome=chrome,
    )


# --------------------------------------------------------------------------- corpus model

_FORMAT = "storymatch.BoilerplateModel"
_FORMAT_VERSION = 1
# Lines with at least this many words identify an article (for "different articles" checks).
_IDENTITY_WORDS = 6


def _template_key(s: str, max_words: int) -> str:
    """Return the key a line is learned and matched under.

    Lines that do not end like a sentence are case folded with every digit as ``0``, so
    "Updated 5 May" and "Updated 9 June" can share a key only when their words agree; a
    sentence keeps its digits ("He was 75." and "He was 95." are different facts). Lines of
    ``max_words`` words or more must be identical (whitespace collapsed) and get a ``=``
    prefix.
    """
    collapsed = " ".join(s.split())
    if collapsed.count(" ") + 1 >= max_words:
        return "=" + collapsed
    folded = collapsed.casefold()
    if collapsed and _sentence_like(collapsed):
        return folded
    return _DIGIT.sub("0", folded)


def _stable_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


class BoilerplateModel(EstimatorParams):
    r"""Learn the lines of each site's page template from a corpus and strip them.

    The rules of :func:`clean` know chrome in general; a site's own template lines (its name
    above every article, a slogan, a fixed note under every story) are only visible across
    many of its pages. ``fit`` learns them; :meth:`clean` applies :func:`clean` plus them.

    A line is learned as a template line of source ``s`` when it occurs, after the rules of
    :func:`clean` have taken what they know, on at least ``min_pages`` pages of ``s`` that are
    *different articles*, and on at least ``min_share`` of the pages of ``s``. A line of
    ``max_words`` words or more must be identical on at least ``min_pages_long`` such pages.
    A line is learned as chrome shared by all sites when it is short (at most
    ``max_shared_words`` words), does not end like a sentence, and occurs on pages of at least
    ``min_sources`` different sources that are different articles. Pages without a source take
    no part in per-source learning and do not count as sources.

    Two pages are "the same article" when at least half of the identity lines of the shorter
    one (lines of six words or more that are not frequent on their own site) are on the other:
    a wire story republished by five sites, trimmed or not, is one article, so its paragraphs
    are never learned. The test is greedy and stops as soon as enough different articles are
    found.

    This class follows the scikit-learn estimator contract (``__init__`` only stores its
    arguments; ``fit`` validates them and sets attributes ending in ``_``) without inheriting
    ``BaseEstimator``, to keep scikit-learn out of the text stage's import.

    Parameters
    ----------
    min_pages : int, default=3
        Different articles of one source a line must appear in. Lower learns templates from
        smaller sites but risks learning a phrase a site happens to repeat.
    min_share : float, default=0.3
        Share of a source's pages a line must appear on. Higher learns only the fixed part of
        a template; lower also learns rotating parts (a "tip" line on every third page).
    min_sources : int, default=3
        Different sources (and different articles) a short line must appear on to be learned
        as chrome shared by all sites.
    max_words : int, default=25
        Lines with this many words or more are article-length: they must be identical, not
        merely equal after folding case and digits, and need ``min_pages_long`` pages.
    min_pages_long : int, default=5
        Different articles of one source an article-length line must appear in.
    max_shared_words : int, default=10
        Longest line that can be learned as chrome shared across sources.

    Attributes
    ----------
    templates_ : dict of str to frozenset of str
        For each source, the keys of its template lines (see ``_template_key``: case folded,
        digits as ``0``; article-length lines verbatim with a leading ``=``).
    shared_ : frozenset of str
        Keys of the lines learned as chrome shared across sources.
    n_pages_ : dict of str to int
        Pages seen per source.

    Examples
    --------
    >>> topics = ["bridge", "budget", "strike", "storm", "rail"]
    >>> pages = [
    ...     f"Harbor Times\n\nNews on the {topic}\n\nNews on the {topic}\n\n"
    ...     f"The {topic} story, with its own words and facts.\n\n"
    ...     "Readers can send tips to the Harbor Times newsroom."
    ...     for topic in topics
    ... ]
    >>> model = BoilerplateModel().fit(pages, sources=["harbortimes.example"] * 5)
    >>> sorted(model.templates_["harbortimes.example"])
    ['harbor times', 'readers can send tips to the harbor times newsroom.']
    >>> result = model.clean(pages[0], source="harbortimes.example")
    >>> result.text
    'The bridge story, with its own words and facts.'
    >>> [r.kind for r in result.removed]
    ['template', 'headline', 'headline', 'template']
    >>> result.title
    'News on the bridge'
    """

    def __init__(
        self,
        *,
        min_pages: int = 3,
        min_share: float = 0.3,
        min_sources: int = 3,
        max_words: int = 25,
        min_pages_long: int = 5,
        max_shared_words: int = 10,
    ) -> None:
        self.min_pages = min_pages
        self.min_share = min_share
        self.min_sources = min_sources
        self.max_words = max_words
        self.min_pages_long = min_pages_long
        self.max_shared_words = max_shared_words

    # ------------------------------------------------------------------ helpers

    def _validate(self) -> None:
        for name in ("min_pages", "min_sources", "max_words", "min_pages_long", "max_shared_words"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                msg = (
                    f"The '{name}' parameter of BoilerplateModel must be an int in the range "
                    f"[1, inf). Got {value!r} instead."
                )
                raise InvalidParameterError(msg)
        share = self.min_share
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
            msg = (
                "The 'min_share' parameter of BoilerplateModel must be a float in the range "
                f"(0.0, 1.0]. Got {share!r} instead."
            )
            raise InvalidParameterError(msg)

    def _check_fitted(self) -> None:
        if not hasattr(self, "templates_"):
            msg = (
                "This BoilerplateModel instance is not fitted yet. Call 'fit' with a corpus, "
                "or 'load' a saved model, before using it."
            )
            raise NotFittedError(msg)

    def _lines_of(self, text: str) -> list[str]:
        """Return the lines of ``text`` the rules of :func:`clean` leave (what can be learned)."""
        result = _clean(
            text,
            None,
            headlines=False,
            widgets=True,
            captions=True,
            bylines=True,
            datelines=True,
            chrome=True,
        )
        return [line for block in result.text.split("\n\n") for line in block.split("\n")]

    # ------------------------------------------------------------------ fitting

    def fit(
        self,
        articles: Iterable[Article | str],
        sources: Sequence[str | None] | None = None,
    ) -> BoilerplateModel:
        """Learn template lines from a corpus.

        Parameters
        ----------
        articles : iterable of Article or str
            The pages. For an :class:`~storymatch.models.Article` its ``source`` is used
            unless ``sources`` is given.
        sources : sequence of str or None, optional
            The source (site) of each page, parallel to ``articles``.

        Returns
        -------
        BoilerplateModel
            The fitted model (``self``).

        Raises
        ------
        InvalidParameterError
            A parameter is out of range.
        InvalidInputError
            ``sources`` is not as long as ``articles``, or an item is neither an
            ``Article`` nor a ``str``.
        """
        self._validate()
        docs = list(articles)
        if sources is not None and len(sources) != len(docs):
            msg = (
                f"The 'sources' argument must have one source per article: got {len(sources)} "
                f"sources for {len(docs)} articles."
            )
            raise InvalidInputError(msg)
        page_source: list[str | None] = []
        page_keys: list[list[str]] = []
        page_lines: list[list[tuple[str, int]]] = []  # (key, hash of the exact line), long lines
        n_pages: dict[str, int] = defaultdict(int)
        pages_of: dict[str, list[int]] = defaultdict(list)
        for p, doc in enumerate(docs):
            if isinstance(doc, Article):
                text, source = doc.text, doc.source
            elif isinstance(doc, str):
                text, source = doc, None
            else:
                msg = (
                    f"Item {p} of 'articles' must be an Article or a str. "
                    f"Got {type(doc).__name__} instead."
                )
                raise InvalidInputError(msg)
            if sources is not None:
                source = sources[p]
            lines = self._lines_of(text)
            keys = list(dict.fromkeys(_template_key(s, self.max_words) for s in lines))
            exact = [
                (_template_key(s, self.max_words), _stable_hash(" ".join(s.split()).casefold()))
                for s in lines
                if s.count(" ") + 1 >= _IDENTITY_WORDS
            ]
            page_source.append(source)
            page_keys.append(keys)
            page_lines.append(exact)
            if source is not None:
                n_pages[source] += 1
            for key in keys:
                pages_of[key].append(p)

        def frequent(key: str, source: str, count: int) -> bool:
            need = self.min_pages_long if key.startswith("=") else self.min_pages
            return count >= need and count >= self.min_share * n_pages[source]

        # Count each key per source; keys frequent on their own site are candidates and do
        # not identify an article.
        frequent_keys: dict[str, set[str]] = defaultdict(set)
        for key, pages in pages_of.items():
            if len(pages) < min(self.min_pages, self.min_sources):
                continue
            per_source: dict[str, int] = defaultdict(int)
            for p in pages:
                src = page_source[p]
                if src is not None:
                    per_source[src] += 1
            for src, count in per_source.items():
                if frequent(key, src, count):
                    frequent_keys[src].add(key)
        # A page's identity: its long lines (exact, digits kept) that are not frequent on its
        # own site; else all its lines that are not.
        identity: list[frozenset[int]] = []
        for p, keys in enumerate(page_keys):
            skip = frequent_keys.get(page_source[p] or "", set())
            ident = {h for key, h in page_lines[p] if key not in skip}
            if not ident:
                ident = {_stable_hash(k) for k in keys if k not in skip}
            identity.append(frozenset(ident))

        def distinct_articles(pages: Iterable[int], need: int) -> bool:
            reps: list[frozenset[int]] = []
            for p in pages:
                ident = identity[p]
                same = False
                for rep in reps:
                    small = min(len(ident), len(rep))
                    if small and len(ident & rep) * 2 >= small:
                        same = True
                        break
                if not same:
                    reps.append(ident)
                    if len(reps) >= need:
                        return True
            return False

        templates: dict[str, set[str]] = defaultdict(set)
        for src, candidates in frequent_keys.items():
            for key in candidates:
                on_site = [p for p in pages_of[key] if page_source[p] == src]
                need = self.min_pages_long if key.startswith("=") else self.min_pages
                if distinct_articles(on_site, need):
                    templates[src].add(key)
        shared: set[str] = set()
        for key, pages in pages_of.items():
            if key.startswith("=") or key.count(" ") + 1 > self.max_shared_words:
                continue
            if len(pages) < self.min_sources or _sentence_like(key):
                continue
            by_source: dict[str, int] = {}
            for p in pages:
                src = page_source[p]
                if src is not None and src not in by_source:
                    by_source[src] = p
            if len(by_source) >= self.min_sources and distinct_articles(
                by_source.values(), self.min_sources
            ):
                shared.add(key)
        self.templates_ = {src: frozenset(keys) for src, keys in sorted(templates.items())}
        self.shared_ = frozenset(shared)
        self.n_pages_ = dict(sorted(n_pages.items()))
        logger.info(
            "BoilerplateModel: %d pages, %d sources, %d template lines, %d shared lines",
            len(docs),
            len(n_pages),
            sum(len(v) for v in self.templates_.values()),
            len(self.shared_),
        )
        return self

    # ------------------------------------------------------------------ applying

    def clean(
        self,
        text: str,
        *,
        source: str | None = None,
        title: str | None = None,
        headlines: bool = True,
        widgets: bool = True,
        captions: bool = True,
        bylines: bool = True,
        datelines: bool = True,
        chrome: bool = True,
    ) -> CleanedText:
        """Clean one page with the rules of :func:`clean` and the learned template lines.

        Parameters
        ----------
        text : str
            The page.
        source : str or None, default=None
            Its site: that site's template lines are removed, with the shared ones. Without
            a source only the shared lines are.
        title : str or None, default=None
            The headline when known (see :func:`clean`).
        headlines, widgets, captions, bylines, datelines, chrome : bool, default=True
            The steps of :func:`clean`.

        Returns
        -------
        CleanedText
            As :func:`clean`, template lines recorded with kind ``"template"``.
        """
        self._check_fitted()
        templates = self.shared_
        site = self.templates_.get(source) if source is not None else None
        if site:
            templates = templates | site
        return _clean(
            text,
            title,
            headlines=headlines,
            widgets=widgets,
            captions=captions,
            bylines=bylines,
            datelines=datelines,
            chrome=chrome,
            templates=templates,
            max_words=self.max_words,
        )

    def transform(
        self,
        articles: Iterable[Article | str],
        sources: Sequence[str | None] | None = None,
    ) -> list[CleanedText]:
        """Clean many pages (see :meth:`clean`); sources as in :meth:`fit`.

        Parameters
        ----------
        articles : iterable of Article or str
            The pages; an ``Article`` brings its ``source`` and ``title``.
        sources : sequence of str or None, optional
            The source of each page, parallel to ``articles`` (overrides ``Article.source``).

        Returns
        -------
        list of CleanedText
            One result per page, in order.
        """
        self._check_fitted()
        out: list[CleanedText] = []
        for p, doc in enumerate(articles):
            if isinstance(doc, Article):
                source = doc.source if sources is None else sources[p]
                out.append(self.clean(doc.text, source=source, title=doc.title))
            else:
                out.append(self.clean(doc, source=None if sources is None else sources[p]))
        return out

    # ------------------------------------------------------------------ persistence

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters and learned lines as a JSON-ready dict."""
        self._check_fitted()
        return {
            "format": _FORMAT,
            "version": _FORMAT_VERSION,
            "params": {
                "min_pages": self.min_pages,
                "min_share": self.min_share,
                "min_sources": self.min_sources,
                "max_words": self.max_words,
                "min_pages_long": self.min_pages_long,
                "max_shared_words": self.max_shared_words,
            },
            "n_pages": dict(self.n_pages_),
            "templates": {src: sorted(keys) for src, keys in self.templates_.items()},
            "shared": sorted(self.shared_),
        }

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> BoilerplateModel:
        """Rebuild a fitted model from :meth:`to_dict` output.

        Raises
        ------
        InvalidInputError
            The record is not a saved ``BoilerplateModel`` of a known version.
        """
        if record.get("format") != _FORMAT or record.get("version") != _FORMAT_VERSION:
            msg = (
                f"Not a saved BoilerplateModel: expected format {_FORMAT!r} version "
                f"{_FORMAT_VERSION}, got {record.get('format')!r} version "
                f"{record.get('version')!r}."
            )
            raise InvalidInputError(msg)
        model = cls(**dict(record["params"]))
        model._validate()
        model.templates_ = {
            str(src): frozenset(str(k) for k in keys) for src, keys in record["templates"].items()
        }
        model.shared_ = frozenset(str(k) for k in record["shared"])
        model.n_pages_ = {str(k): int(v) for k, v in record["n_pages"].items()}
        return model

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model as JSON (UTF-8), atomically (a temporary file, then a rename).

        Parameters
        ----------
        path : str or path-like
            Where to write it.
        """
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(
            json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        tmp.replace(target)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BoilerplateModel:
        """Read a model written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like
            The JSON file.

        Returns
        -------
        BoilerplateModel
            The fitted model.

        Raises
        ------
        InvalidInputError
            The file is not valid JSON or not a saved model (the message names the file).
        """
        try:
            record = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            msg = f"not valid JSON: {exc}"
            raise InvalidInputError(msg, path=str(path)) from exc
        if not isinstance(record, dict):
            msg = "not a saved BoilerplateModel (expected a JSON object)"
            raise InvalidInputError(msg, path=str(path))
        try:
            return cls.from_dict(record)
        except InvalidInputError as exc:
            raise InvalidInputError(exc.reason, path=str(path)) from exc
