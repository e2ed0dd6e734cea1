"""The word-diff code that the compiled paths replaced, kept as the tests' oracle.

The token regex (still what reads non-ASCII text) and ``difflib.SequenceMatcher`` over its
keys, replaced stretches split as :func:`storymatch.text.tokens.token_opcodes` splits them.
"""

from __future__ import annotations

import difflib

from storymatch.models import DiffOp
from storymatch.text import tokens, worddiff


def old_token_opcodes(a: str, b: str) -> tuple[tuple[str, int, int, int, int], ...]:
    """token_opcodes as it was: the regex's keys diffed by difflib, replaced stretches split."""
    ta, tb = tokens._regex_token_keys(a), tokens._regex_token_keys(b)
    matcher = difflib.SequenceMatcher(None, ta.keys, tb.keys, autojunk=False)
    ops: list[tuple[str, int, int, int, int]] = []
    for op in matcher.get_opcodes():
        if op[0] == "replace":
            ops.extend(tokens._split_replace(ta.kinds, tb.kinds, *op[1:]))
        else:
            ops.append(op)
    return tuple(ops)


def old_word_diff(a: str, b: str) -> tuple[DiffOp, ...]:
    """word_diff as it was: the token regex, difflib over the keys, offsets from the starts."""
    ta, tb = tokens._regex_token_keys(a), tokens._regex_token_keys(b)
    if not ta.starts or not tb.starts:
        return worddiff._degenerate_diff(a, b, has_a=bool(ta.starts), has_b=bool(tb.starts))
    bounds_a = [0, *ta.starts[1:], len(a)]
    bounds_b = [0, *tb.starts[1:], len(b)]
    return tuple(
        DiffOp(worddiff._TAGS[tag], bounds_a[i1], bounds_a[i2], bounds_b[j1], bounds_b[j2])
        for tag, i1, i2, j1, j2 in old_token_opcodes(a, b)
    )
