"""A comparison, or a group's copies, as plain text for a terminal or a log, ANSI optional.

Claims are shown one below the other (a report per line, wrapped to ``width``), which reads
better on a terminal than a table squeezed into columns. Article text is untrusted: control
characters (escape sequences included) and bidirectional overrides are replaced, so printing
a report cannot move the cursor, recolour the terminal or reorder what is shown.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping
from typing import Final

from storymatch.models import Article, Claim, Comparison, CopyGroup
from storymatch.report._common import (
    CONFLICT,
    DIFF,
    CopySegment,
    cell_segments,
    claim_summary,
    copies_title,
    copy_basis,
    coverage_by_outlet,
    describe_conflict,
    edit_segments,
    format_date,
    format_position,
    nearest_note,
    outlet_labels,
    safe_url,
    status_label,
)

__all__ = ["render_copies_text", "render_text", "terminal_safe"]

_UNSAFE: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_RESET: Final = "\x1b[0m"
_STYLES: Final = {
    "all": "\x1b[32m",  # green
    "some": "\x1b[33m",  # yellow
    "one": "\x1b[36m",  # cyan
    "conflict": "\x1b[1;31m",  # bold red
    "diff": "\x1b[4m",  # underlined
    "dim": "\x1b[2m",
    "bold": "\x1b[1m",
    "removed": "\x1b[31m",  # red
    "added": "\x1b[32m",  # green
    "moved": "\x1b[36m",  # cyan
}
# Without colours a copy's marks are spelled as a word diff: [-cut-] {+added+} [~moved~].
_COPY_BRACKETS: Final = {"removed": ("[-", "-]"), "added": ("{+", "+}"), "moved": ("[~", "~]")}
_MIN_WIDTH: Final = 40
_MAX_NAME: Final = 24
_MIN_NAME: Final = 4
_STATUS_STYLES: Final = {"all": "all", "some": "some", "one": "one"}
_BAR: Final = 10
_MARKERS: Final = {"all": "[all]", "some": "[some]", "one": "[one]"}


def terminal_safe(text: str, *, fold: bool = True) -> str:
    r"""Return ``text`` with every character a terminal would act on replaced by U+FFFD.

    The one sanitiser of everything storymatch prints (the text view, the command line's
    summaries, skipped records, error messages and log lines): C0 and C1 control characters
    (ESC, BEL, CSI... so no escape sequence can move the cursor, retitle or clear the
    terminal) and the bidirectional overrides and isolates (which reorder what is shown).

    Parameters
    ----------
    text : str
        Untrusted text (a title, a source, a file name).
    fold : bool, default=True
        Fold all whitespace into single spaces (one line). False keeps line breaks and
        replaces the other controls, tabs included.

    Returns
    -------
    str
        Text that is safe to print.

    Examples
    --------
    >>> terminal_safe("Title\x1b[2J  of the\nday")
    'Title�[2J of the day'
    """
    if fold:
        return _UNSAFE.sub("\ufffd", " ".join(text.split()))
    return "\n".join(_UNSAFE.sub("\ufffd", line) for line in text.split("\n"))


def _fit(text: str, size: int) -> str:
    """Cut ``text`` to ``size`` characters (with an ellipsis) and pad it to that width."""
    if len(text) > size:
        text = text[: size - 1] + "\u2026"
    return text.ljust(size)


class _Painter:
    """Wraps text in ANSI styles, or leaves it alone when colours are off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        if not self.color or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"


def _bar(value: int, total: int) -> str:
    """Return a bar of ``#`` out of ``_BAR`` characters, ``.`` for the rest."""
    filled = round(_BAR * value / total) if total else 0
    return "#" * filled + "." * (_BAR - filled)


def _wrap(words: list[tuple[str, int]], width: int) -> list[list[tuple[str, int]]]:
    """Greedy word wrap that keeps each word's level; words longer than a line are cut."""
    lines: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    used = 0
    for token, level in words:
        word = token
        while len(word) > width:
            if current:
                lines.append(current)
                current, used = [], 0
            lines.append([(word[:width], level)])
            word = word[width:]
        if current and used + 1 + len(word) > width:
            lines.append(current)
            current, used = [], 0
        used += len(word) + (1 if current else 0)
        current.append((word, level))
    if current:
        lines.append(current)
    return lines


def _words(segments: Iterable[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Split highlighted runs into words, each a list of its runs' pieces.

    A highlight can start or end inside a word (after an opening quote, before a comma): the
    pieces of one word stay together, so the text reads as written (``"Inflation``, not
    ``" Inflation``).
    """
    words: list[list[tuple[str, int]]] = []
    joined = True  # the next piece continues the last word
    for text, level in segments:
        clean = terminal_safe(text)
        if text[:1].isspace() or not clean:
            joined = False
        if not clean:
            continue
        for k, piece in enumerate(clean.split(" ")):
            if not piece:
                continue
            if k == 0 and joined and words:
                words[-1].append((piece, level))
            else:
                words.append([(piece, level)])
        joined = not text[-1:].isspace()
    return words


def _cell_lines(claim: Claim, outlet_id: str, name: str, width: int, paint: _Painter) -> list[str]:
    """One report's lines for a claim: its name, then the wrapped text (or "not reported")."""
    indent = " " * 4
    head = "  " + _fit(name, _MAX_NAME).rstrip()
    cell = claim.cell(outlet_id)
    if cell is None:
        note = nearest_note(claim, outlet_id)
        missing = "- not reported" if note is None else f"- not reported ({note})"
        if len(head) + 2 + len(missing) <= width:
            return [head + "  " + paint(missing, "dim")]
        return [head, indent + paint(missing, "dim")]
    position = format_position(cell)
    words = _words(cell_segments(claim, cell))
    if position:
        words.insert(0, [("\u00a7" + position, 0)])
    styles = {CONFLICT: "conflict", DIFF: "diff"}

    def show(pieces: list[tuple[str, int]]) -> str:
        return "".join(paint(p, styles[level]) if level in styles else p for p, level in pieces)

    # wrap whole words (their index), then paint each word's pieces; a word cut for being
    # longer than a line is shown in the style of its first piece
    tokens = [("".join(p for p, _ in pieces), k) for k, pieces in enumerate(words)]
    out = [head]
    for line in _wrap(tokens, width - len(indent)):
        shown = []
        for token, k in line:
            pieces = words[k]
            whole = len(token) == sum(len(p) for p, _ in pieces)
            shown.append(show(pieces) if whole else show([(token, pieces[0][1])]))
        out.append(indent + " ".join(shown))
    return out


def render_text(
    comparison: Comparison,
    *,
    width: int = 100,
    color: bool = False,
    title: str | None = None,
) -> str:
    """Render a comparison as text for a terminal.

    Parameters
    ----------
    comparison : Comparison
        The table to show.
    width : int, default=100
        Wrap lines to this many characters (at least 40).
    color : bool, default=False
        Add ANSI colours (status, conflicting words); meant for a terminal, so callers pass
        ``sys.stdout.isatty()``. Without colours every mark is still in words.
    title : str or None, default=None
        The heading; by default "Comparison of N reports".

    Returns
    -------
    str
        The reports, a coverage table with bars, then every claim with what each report
        says, "- not reported" where it omits the claim, and its conflicts.

    Examples
    --------
    >>> from storymatch.models import Comparison
    >>> print(render_text(Comparison(outlets=(), claims=(), coverage=(), threshold=0.5)))
    Comparison of 0 reports
    0 reports, 0 claims
    <BLANKLINE>
    """
    width = max(width, _MIN_WIDTH)
    paint = _Painter(color)
    labels = {k: terminal_safe(v) for k, v in outlet_labels(comparison).items()}
    n = len(comparison.outlets)
    heading = title if title is not None else f"Comparison of {n} report{'' if n == 1 else 's'}"
    summary = claim_summary(comparison)
    if comparison.event is not None:
        summary = f"Event {comparison.event}: {summary}"
    lines = [paint(line, "bold") for line in textwrap.wrap(terminal_safe(heading), width=width)]
    lines += textwrap.wrap(terminal_safe(summary), width=width)
    if not comparison.outlets:
        lines.append("")
        return "\n".join(lines)

    lines += ["", paint("Reports", "bold")]
    for i, outlet in enumerate(comparison.outlets, 1):
        parts = [f"[{i}] {labels[outlet.id]}"]
        if outlet.date:
            parts.append(terminal_safe(format_date(outlet.date)))
        if outlet.title:
            parts.append(f'"{terminal_safe(outlet.title)}"')
        url = safe_url(outlet.url)
        if url is not None:
            parts.append(terminal_safe(url))
        lines += textwrap.wrap(
            " | ".join(parts), width=width, initial_indent="  ", subsequent_indent="      "
        )

    coverage = coverage_by_outlet(comparison)
    total = len(comparison.claims)
    # "  NAME  carried BAR unique omitted conflicts"; the bar goes first when space is short
    numbers = "  carried unique omitted conflicts"
    show_bar = width - (2 + len(numbers)) - _MIN_NAME >= _BAR + 1
    fixed = 2 + len(numbers) + (_BAR + 1 if show_bar else 0)
    longest = max(len(v) for v in labels.values())
    name_width = max(_MIN_NAME, min(_MAX_NAME, longest, width - fixed))
    spacer = " " * (_BAR + 1) if show_bar else ""
    lines += ["", paint(f"Coverage (of {total} claim{'' if total == 1 else 's'})", "bold")]
    lines.append("  " + " " * name_width + "  carried" + spacer + " unique omitted conflicts")
    for outlet in comparison.outlets:
        summary_row = coverage.get(outlet.id)
        name = _fit(labels[outlet.id], name_width)
        if summary_row is None:
            lines.append(f"  {name}  (no summary)")
            continue
        bar = f" {_bar(summary_row.carried, total)}" if show_bar else ""
        lines.append(
            f"  {name}  {summary_row.carried:>7}{bar} "
            f"{summary_row.unique:>6} {summary_row.omitted:>7} {summary_row.conflicts:>9}"
        )

    lines += ["", paint("Claims", "bold")]
    if not comparison.claims:
        lines.append("  No claims to compare.")
    for claim in comparison.claims:
        marker = _MARKERS.get(claim.status, "[some]")
        head = f"{claim.id} {marker} {status_label(claim, comparison, labels)}"
        if claim.conflicts:
            head += " CONFLICT"
        if claim.moved:
            head += " MOVED"
        style = "conflict" if claim.conflicts else _STATUS_STYLES.get(claim.status, "bold")
        lines.append("")
        lines += [paint(line, style) for line in textwrap.wrap(terminal_safe(head), width=width)]
        for outlet in comparison.outlets:
            lines += _cell_lines(claim, outlet.id, labels[outlet.id], width, paint)
        for conflict in claim.conflicts:
            lines += textwrap.wrap(
                terminal_safe(describe_conflict(conflict, labels)),
                width=width,
                initial_indent="  ! ",
                subsequent_indent="    ",
            )
    lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ copies


def _copy_words(segments: list[CopySegment], *, left: bool) -> list[tuple[str, str]]:
    """Split marked runs into words, each with its style: removed, added, moved or plain."""
    words: list[tuple[str, str]] = []
    for text, kind in segments:
        style = ""
        if kind in ("number", "changed"):
            style = "removed" if left else "added"
        elif kind:
            style = kind
        words += [(word, style) for word in terminal_safe(text).split(" ") if word]
    return words


def _copy_lines(
    words: list[tuple[str, str]], prefix: str, width: int, paint: _Painter
) -> list[str]:
    """Wrap words after ``prefix``; each marked run painted, or bracketed without colours."""
    if not words:
        return [prefix + paint("\u2014", "dim")]
    out = []
    indent = " " * len(prefix)
    # one token per run of words of one style, so brackets enclose the run
    runs: list[tuple[str, str]] = []
    for word, style in words:
        if runs and runs[-1][1] == style and style:
            runs[-1] = (runs[-1][0] + " " + word, style)
        else:
            runs.append((word, style))
    tokens: list[tuple[str, int]] = []
    styles: list[str] = []
    for run, style in runs:
        text = run
        if style and not paint.color:
            opening, closing = _COPY_BRACKETS[style]
            text = opening + run + closing
        for word in text.split(" "):
            tokens.append((word, len(styles)))
            styles.append(style)
    for i, line in enumerate(_wrap(tokens, max(width - len(prefix), 10))):
        text = " ".join(paint(w, styles[k]) if styles[k] else w for w, k in line)
        out.append((prefix if i == 0 else indent) + text)
    return out


def render_copies_text(
    group: CopyGroup,
    *,
    articles: Iterable[Article] | Mapping[str, Article] | None = None,
    width: int = 100,
    color: bool = False,
    title: str | None = None,
) -> str:
    """Render a near-duplicate group's original and copies as text for a terminal.

    Every copy is shown with the digest of its edits and then each edit with the parent's
    text (``-``) above the copy's (``+``): without colours, cut and replaced words as
    ``[-words-]``, added and new words as ``{+words+}`` and moved text as ``[~words~]`` (a
    word diff); with colours, red, green and cyan.

    Parameters
    ----------
    group : CopyGroup
        The group (:func:`storymatch.copy_edits`).
    articles : iterable or mapping of Article, or None, default=None
        The members' articles, for their outlet and headline.
    width : int, default=100
        Wrap lines to this many characters (at least 40).
    color : bool, default=False
        Add ANSI colours; callers pass ``sys.stdout.isatty()``.
    title : str or None, default=None
        The heading; by default "Copies of" and the original's headline or id.

    Returns
    -------
    str
        The text, ending with a newline.

    Examples
    --------
    >>> from storymatch.models import CopyEdit, CopyGroup, CopyInfo
    >>> edit = CopyEdit("added", text="New line.", new_span=(4, 13))
    >>> info = CopyInfo("b", "g", "a", "a", 0.8, (edit,))
    >>> print(render_copies_text(CopyGroup("g", "a", "date", 1.0, (info,))))
    Copies of a
    a is the original: the earliest published. 1 copy.
    <BLANKLINE>
    1. b
      added 1 sentence. Made from the original, a; similarity 0.80.
      added
        - —
        + {+New line.+}
    <BLANKLINE>
    """
    width = max(width, _MIN_WIDTH)
    paint = _Painter(color)
    by_id, default_title = copies_title(group, articles)

    def label(article_id: str) -> str:
        article = by_id.get(article_id)
        name = f"{article.source} ({article_id})" if article and article.source else article_id
        return terminal_safe(name)

    title = default_title if title is None else title
    n = len(group.copies)
    summary = (
        f"{label(group.original)} is the original: {copy_basis(group)}. "
        f"{n} cop{'y' if n == 1 else 'ies'}."
    )
    lines = [paint(line, "bold") for line in textwrap.wrap(terminal_safe(title), width=width)]
    lines += textwrap.wrap(terminal_safe(summary), width=width)
    for i, copy in enumerate(group.copies, 1):
        made_from = "the original" if copy.parent == group.original else "another copy"
        lines += ["", paint(f"{i}. {label(copy.id)}", "bold")]
        lines += textwrap.wrap(
            terminal_safe(
                f"{copy.digest()}. Made from {made_from}, {label(copy.parent)}; "
                f"similarity {copy.similarity:.2f}."
            ),
            width=width,
            initial_indent="  ",
            subsequent_indent="  ",
        )
        for edit in copy.edits:
            old, new = edit_segments(edit)
            lines.append("  " + edit.op)
            lines += _copy_lines(_copy_words(old, left=True), "    - ", width, paint)
            lines += _copy_lines(_copy_words(new, left=False), "    + ", width, paint)
    lines.append("")
    return "\n".join(lines)
