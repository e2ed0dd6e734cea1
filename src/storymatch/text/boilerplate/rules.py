"""The line rules of the page cleaner: which lines of a page are chrome, and of what kind.

Each rule judges one whole stripped line, never part of a line, from its words, its first
characters and its length: navigation, share, comment, advertisement, copyright and credit
phrases; captions and photo credits; datelines; bylines; section labels. The cheap tests run
first (word count, first character, ``in`` and ``startswith``) and compiled regular expressions
only on short candidate lines. :func:`storymatch.text.boilerplate.clean` applies them to every
line of a page; the rule catalogue, with examples of each kind, is in ``docs/concepts/text.md``.
"""

from __future__ import annotations

import re
from collections import defaultdict

from storymatch.text.lexicon import MONTH_WORDS, WEEKDAY_WORDS

__all__ = ["CLOSERS", "capitalised", "is_section_label", "line_kind", "sentence_like", "word_count"]

# Lines longer than this are never chrome (a long caption is at most ~40 words).
_MAX_RULE_CHARS = 320
# Phrase lookups only for lines up to this length.
_MAX_PHRASE_CHARS = 64

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
_DATE_WORDS = (
    MONTH_WORDS
    | WEEKDAY_WORDS
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
_ASCII_DIGIT = re.compile(r"[0-9]")
_CRUMB = re.compile(r"[\u00bb\u203a>]")
_SENTENCE_END = ".!?;:,"
CLOSERS = "\"'\u201d\u2019)\u00bb]"
"""Characters that may close a sentence after its final mark (quotes, brackets)."""


def sentence_like(s: str) -> bool:
    """Tell whether ``s`` ends like a sentence or clause (``. ! ? ; : ,``, maybe quoted).

    Parameters
    ----------
    s : str
        A line, stripped of surrounding whitespace.

    Returns
    -------
    bool
        True when its last character (or the one before closing quotes) ends a sentence;
        False for an empty string.
    """
    if not s:
        return False
    last = s[-1]
    if last in _SENTENCE_END:
        return True
    if last in CLOSERS:
        before = s[-2:-1]
        if before and before in _SENTENCE_END:
            return True
        end = s[-3:-2]  # "... it. " with a space before the closing quote
        return before == " " and bool(end) and end in ".!?,"
    return False


def capitalised(word: str) -> bool:
    """Tell whether ``word`` starts (after opening quotes or a bracket) upper case or a digit.

    Parameters
    ----------
    word : str
        One word.

    Returns
    -------
    bool
        True for "Jane", "(Reuters", "2013"; False for "said".
    """
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
    if not words or not capitalised(words[0]):
        return False
    named = sum(1 for w in words if capitalised(w) or w.lower().strip(",") in _NAME_LINKS)
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
            or (n_words <= _MAX_BARE_COPYRIGHT_WORDS and not sentence_like(s))
        ):
            return "copyright"
        return None
    if group == "tags":
        return "navigation" if n_words <= _MAX_TAG_WORDS else None
    if group == "note":
        return "note" if n_words <= _MAX_TAG_WORDS else None
    if group == "source" and n_words <= _MAX_SOURCE_WORDS:
        rest = s.split(":", 1)[1].split()
        if rest and all(capitalised(w) or w.lower() in _NAME_LINKS for w in rest):
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
        and not sentence_like(s)
        and all(capitalised(w) or w in _NAME_LINKS for w in s.split())
    ):
        return "byline"
    if captions:
        framed = s[0] in "([" and s[-1] in ")]"
        slashed = "/" in s
        if (
            (framed or slashed or n_words <= _MAX_BARE_CREDIT_WORDS)
            and _AGENCY.search(s) is not None
            and (framed or (slashed and not sentence_like(s)) or not _CREDIT_WORDS.sub("", s))
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
            if low in MONTH_WORDS or low in WEEKDAY_WORDS or low == "ago":
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


def word_count(s: str) -> int:
    """Return the number of words of the stripped line ``s``, as the rules count them.

    Exact for lines of up to 64 characters (the ones phrase rules look up); for longer lines,
    whose word limits are far apart, the number of spaces plus one, which is cheaper.

    Parameters
    ----------
    s : str
        A line, stripped of surrounding whitespace.

    Returns
    -------
    int
        Its word count.
    """
    return len(s.split()) if len(s) <= _MAX_PHRASE_CHARS else s.count(" ") + 1


def line_kind(
    s: str,
    n_words: int,
    *,
    chrome: bool,
    datelines: bool,
    bylines: bool,
    captions: bool,
) -> str | None:
    """Return the kind of chrome line ``s`` is by the line rules, or None for article text.

    Parameters
    ----------
    s : str
        A line, stripped of surrounding whitespace.
    n_words : int
        Its :func:`word_count`.
    chrome, datelines, bylines, captions : bool
        Which rules apply (the switches of :func:`storymatch.text.boilerplate.clean`).

    Returns
    -------
    str or None
        ``"navigation"``, ``"share"``, ``"comment"``, ``"advertisement"``, ``"copyright"``,
        ``"credit"``, ``"note"``, ``"caption"``, ``"dateline"`` or ``"byline"``; None when no
        rule applies.
    """
    if not (chrome or datelines or bylines or captions) or len(s) > _MAX_RULE_CHARS:
        return None
    if (
        n_words <= _MAX_BYLINE_WORDS
        or s[0] in _LONG_FIRST
        or "\u00a9" in s
        or (n_words <= _MAX_COPYRIGHT_WORDS and "eserved" in s)
    ):
        return _line_kind(
            s, n_words, chrome=chrome, datelines=datelines, bylines=bylines, captions=captions
        )
    return None


def is_section_label(s: str, n_words: int) -> bool:
    """Tell whether the stripped line ``s`` is a lone section label ("News", "World news").

    Such a line is chrome only above the first body paragraph, where the headline rules apply
    this test.

    Parameters
    ----------
    s : str
        A line, stripped of surrounding whitespace.
    n_words : int
        Its :func:`word_count`.

    Returns
    -------
    bool
        True for a section label.
    """
    return (
        n_words <= _MAX_LABEL_WORDS
        and " ".join(s.lower().split()).strip(_KEY_STRIP) in _SECTION_LABELS
    )
