"""Unicode and typography normalisation.

:func:`normalize` folds the many ways scraped text spells the same thing into one form, so that
hashes and comparisons see through typography: Unicode NFKC (full-width forms, ligatures,
non-breaking spaces), case folding, curly quotes and primes to ASCII quotes, the dash family to
``-``, soft hyphens and zero-width characters removed, runs of spaces and tabs collapsed to one
space and runs of blank lines to one blank line. Line breaks are kept, because the dedup stage
uses them as block boundaries.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_unicode", "normalize"]

_TRANSLATION = str.maketrans(
    {
        # single quotes, apostrophes and primes
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u0060": "'",
        "\u00b4": "'",
        # double quotes
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        # hyphens and dashes
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        # invisible characters
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        # line and paragraph separators, carriage returns
        "\u2028": "\n",
        "\u2029": "\n",
        "\r": "\n",
        "\t": " ",
        "\v": "\n",
        "\f": "\n",
    }
)
_MAPPED = re.compile("[" + "".join(re.escape(chr(c)) for c in _TRANSLATION) + "]")
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S \n]")
_SPACE_AROUND_NEWLINE = re.compile(r" \n ?|\n ")
_BLANK_LINES = re.compile(r"\n{3,}")


def _replace_char(match: re.Match[str]) -> str:
    return match.group().translate(_TRANSLATION)


def fold_unicode(text: str, *, casefold: bool = True) -> str:
    """Apply NFKC and (optionally) case folding, skipping work that is not needed.

    Parameters
    ----------
    text : str
        Any text.
    casefold : bool, default=True
        Apply :meth:`str.casefold` after NFKC.

    Returns
    -------
    str
        ``NFKC(casefold(NFKC(text)))``, computed cheaply for text that is already in NFKC.
    """
    if text.isascii():
        return text.lower() if casefold else text
    out = text
    if not unicodedata.is_normalized("NFKC", out):
        out = unicodedata.normalize("NFKC", out)
    if casefold:
        out = out.casefold()
        # Case folding can produce sequences that NFKC composes differently.
        if not unicodedata.is_normalized("NFKC", out):
            out = unicodedata.normalize("NFKC", out)
    return out


def normalize(text: str, *, casefold: bool = True) -> str:
    """Return ``text`` in canonical form for hashing and comparison.

    Parameters
    ----------
    text : str
        Any text.
    casefold : bool, default=True
        Apply :meth:`str.casefold` (aggressive lower-casing, ``"ß"`` becomes ``"ss"``).

    Returns
    -------
    str
        The normalised text. The function is idempotent:
        ``normalize(normalize(t)) == normalize(t)``.

    Examples
    --------
    >>> normalize("“Quoted” — Text\u00a0with   SPACES")
    '"quoted" - text with spaces'
    """
    if text.isascii():
        out = text.lower() if casefold else text
    else:
        out = fold_unicode(text, casefold=casefold)
    out = out.replace("\r\n", "\n")
    if _MAPPED.search(out) is not None:
        # str.translate is slow per character; most texts need only a few replacements.
        out = _MAPPED.sub(_replace_char, out)
        if not out.isascii() and not unicodedata.is_normalized("NFKC", out):
            # removing an invisible character can bring a letter and a combining mark together
            out = unicodedata.normalize("NFKC", out)
    out = _SPACES.sub(" ", out)
    out = _SPACE_AROUND_NEWLINE.sub("\n", out)
    out = _BLANK_LINES.sub("\n\n", out)
    return out.strip()
