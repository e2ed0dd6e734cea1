"""Known English words: the whole words of the WordPiece vocabulary that ships with storymatch.

OCR misreads make words no dictionary has (``rnedia``, ``Justicc``, ``wereextraordinarily``);
a text with more of them than another copy of it reads worse, and is the later copy: copies
add noise, they rarely remove it. The word list is the whole-word part (letters only, no
``##`` pieces) of the all-MiniLM-L6-v2 tokenizer in ``storymatch/_data`` (about 21,700 words,
see its NOTICE), read once on first use with the standard library: no extra is needed.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files
from typing import Final

__all__ = ["known_words", "unknown_words"]

_TOKENIZER_FILE: Final = "minilm_tokenizer.json"
_WORD: Final = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Return the known words, lower case, letters only.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> "media" in known_words(), "rnedia" in known_words()
    (True, False)
    """
    data = json.loads((files("storymatch") / "_data" / _TOKENIZER_FILE).read_text("utf-8"))
    vocab: dict[str, int] = data["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha())


def unknown_words(text: str) -> int:
    """Count the words of a text (runs of letters, lower-cased) that are not known words.

    Parameters
    ----------
    text : str

    Returns
    -------
    int

    Examples
    --------
    >>> unknown_words("Stone willappcar on Fox News"), unknown_words("Stone will appear on Fox")
    (1, 0)
    """
    known = known_words()
    return sum(1 for w in _WORD.findall(text.lower()) if w not in known)
