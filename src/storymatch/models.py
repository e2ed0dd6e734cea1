"""Typed result objects shared by every stage.

All are frozen, slotted dataclasses. ``to_dict``/``from_dict`` exist for IO only; the library
passes the objects themselves around.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from storymatch.errors import InvalidInputError, InvalidParameterError

__all__ = [
    "Analysis",
    "Article",
    "Cell",
    "Claim",
    "Comparison",
    "Conflict",
    "CopyEdit",
    "CopyGroup",
    "CopyInfo",
    "CopyOp",
    "Coverage",
    "DiffOp",
    "DuplicateGroup",
    "Event",
    "Nearest",
    "Outlet",
    "PairDiff",
    "Progress",
    "Sentence",
    "SentencePair",
    "Story",
    "describe_edits",
    "set_frame_builder",
    "set_html_renderer",
    "stable_id",
]

_KNOWN_FIELDS = ("id", "text", "source", "title", "date", "url")
_OPTIONAL_STR_FIELDS = ("source", "title", "date", "url")
_HOW_TO_BUILD = "build articles with Article(**record) or read them with read_articles(path)"


def stable_id(prefix: str, members: Iterable[str]) -> str:
    """Return ``prefix`` and 16 hex digits of a hash of the sorted member ids.

    The same members give the same id on every run and machine, in any order; group and event
    ids are made this way.

    Examples
    --------
    >>> stable_id("g-", ["b", "a"]) == stable_id("g-", ["a", "b"])
    True
    """
    # surrogatepass: an id from Python code may hold a lone surrogate; same bytes otherwise
    data = "\x1f".join(sorted(members)).encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(data, digest_size=8)
    return prefix + digest.hexdigest()


def _by_fields(obj: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickle a slotted dataclass as its constructor call: ``(type, field values in order)``.

    ``dataclass(slots=True)`` pickles through generic ``__getstate__`` / ``__setstate__``
    methods that look up the fields on every object: about ten times slower than calling the
    constructor. Results with many small objects (the opcodes of word diffs) cross process
    boundaries (:func:`storymatch.dedup.copies.copy_edits` with ``n_jobs``), so their classes
    use this as ``__reduce__``. Every field must be an ``__init__`` argument.
    """
    cls = type(obj)
    return cls, tuple(getattr(obj, name) for name in cls.__slots__)


def _describe(value: object) -> str:
    """Name a value's type (and show a short one) for an error message."""
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    return type(value).__name__


def _parse_date(value: str) -> datetime:
    """Parse an ISO 8601 date or datetime; naive values are taken as UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


Progress = Callable[[str, int, int], None]
"""The one progress callback of the library: ``progress(stage, done, total)``.

``stage`` names the work (``"hashing"``, ``"calibrating"``, ``"dedup"``, ``"events"``,
``"compare"``...), ``done`` of ``total`` units of it are finished. Every function that takes a
``progress`` argument calls it this way; ``None`` means silent."""


@dataclass(frozen=True, slots=True)
class Article:
    """One input document: a news report as read from a file or built in Python.

    Parameters
    ----------
    id : str
        Unique identifier within a corpus.
    text : str
        The text as scraped (page chrome included, if any).
    source : str or None, default=None
        The outlet (for example a host name).
    title : str or None, default=None
        The headline, when known separately from ``text``.
    date : str or None, default=None
        Publication date or datetime in ISO 8601 form, as given in the input.
    url : str or None, default=None
        Where the report was published.
    meta : Mapping[str, Any], default={}
        Every other field of the input record, written back out unchanged.
    """

    id: str
    text: str
    source: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Types only, and cheaply: the content is the readers' business.
        if (
            type(self.id) is not str
            or type(self.text) is not str
            or (self.source is not None and type(self.source) is not str)
            or (self.title is not None and type(self.title) is not str)
            or (self.date is not None and type(self.date) is not str)
            or (self.url is not None and type(self.url) is not str)
            or type(self.meta) is not dict
        ):
            self._check_types()

    def _check_types(self) -> None:
        """Raise for the first field of the wrong type (subclasses of str are fine)."""
        checks: list[tuple[str, object, str]] = [
            ("id", self.id, "a str (an integer id from a file is read as its string: str(id))"),
            ("text", self.text, "a str (decode bytes first: data.decode('utf-8'))"),
        ]
        checks += [(n, getattr(self, n), "a str or None") for n in _OPTIONAL_STR_FIELDS]
        for name, value, wanted in checks:
            ok = isinstance(value, str) and not isinstance(value, bool)
            if name in _OPTIONAL_STR_FIELDS:
                ok = ok or value is None
            if not ok:
                msg = (
                    f"The {name!r} parameter of Article must be {wanted}. "
                    f"Got {_describe(value)} instead; {_HOW_TO_BUILD}."
                )
                raise InvalidParameterError(msg)
        if not isinstance(self.meta, Mapping):
            msg = (
                "The 'meta' parameter of Article must be a mapping of the other fields. "
                f"Got {_describe(self.meta)} instead."
            )
            raise InvalidParameterError(msg)

    @property
    def published(self) -> datetime | None:
        """The parsed ``date`` (timezone-aware, UTC when none was given), or None."""
        if self.date is None:
            return None
        return _parse_date(self.date)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a plain dict, known fields first, then ``meta``."""
        out: dict[str, Any] = {"id": self.id, "text": self.text}
        for name in ("source", "title", "date", "url"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for key, value in self.meta.items():
            out.setdefault(key, value)
        return out

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Article:
        """Build an article from a record; unknown fields go to ``meta``.

        ``published`` is accepted as an alias of ``date``; an integer ``id`` becomes its
        string. Validation of the values is done by :mod:`storymatch.io`, which knows file
        and line; here a missing ``id`` or ``text`` raises
        :class:`~storymatch.errors.InvalidInputError` and a field of the wrong type
        :class:`~storymatch.errors.InvalidParameterError`.
        """
        if "id" not in record or "text" not in record:
            missing = [name for name in ("id", "text") if name not in record]
            fields = " and ".join(repr(name) for name in missing)
            msg = (
                f"The record passed to Article.from_dict has no {fields} field; a record needs "
                f"'id' and 'text' (read files with read_articles(path), which says which line "
                f"lacks them)"
            )
            raise InvalidInputError(msg)
        get = record.get
        # a copy less the known fields (in C) keeps the other fields' order, like a filter
        meta = dict(record)
        for name in _KNOWN_FIELDS:
            meta.pop(name, None)
        date = get("date")
        if date is None:
            date = meta.pop("published", None)
        article_id = record["id"]
        if type(article_id) is int:
            article_id = str(article_id)
        if cls is not Article:
            return cls(
                id=article_id,
                text=record["text"],
                source=get("source"),
                title=get("title"),
                date=date,
                url=get("url"),
                meta=meta,
            )
        # A reader builds one article per record: setting the slots directly skips the frozen
        # dataclass's __init__ (one guarded __setattr__ per field), half the cost of a record;
        # the constructor's type check runs all the same.
        article = _new(Article)
        _set_id(article, article_id)
        _set_text(article, record["text"])
        _set_source(article, get("source"))
        _set_title(article, get("title"))
        _set_date(article, date)
        _set_url(article, get("url"))
        _set_meta(article, meta)
        article.__post_init__()
        return article


_new = object.__new__
# The slots' own setters (frozen dataclasses refuse plain assignment); see Article.from_dict.
_set_id, _set_text, _set_source, _set_title, _set_date, _set_url, _set_meta = (
    vars(Article)[name].__set__ for name in ("id", "text", "source", "title", "date", "url", "meta")
)


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """A set of articles that are copies of one text.

    Parameters
    ----------
    id : str
        Stable group id derived from the member ids (``"g-"`` + 16 hex digits), identical
        on every run and machine for the same members.
    representative : str
        Id of the member chosen to stand for the group: the earliest dated one, else the
        longest text, ties broken by id.
    members : tuple of str
        Ids of all members, representative first, then by id.
    similarities : tuple of float
        For each member (same order), the verified similarity to the representative
        (1.0 for the representative itself; see ``NearDuplicateClusterer`` for the score).
    """

    id: str
    representative: str
    members: tuple[str, ...]
    similarities: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a plain dict for JSON output."""
        return {
            "id": self.id,
            "representative": self.representative,
            "members": list(self.members),
            "similarities": list(self.similarities),
        }


CopyOp = Literal["number", "added", "removed", "moved", "headline", "changed"]
"""What a copy changed against its parent (see :class:`CopyEdit`)."""


@dataclass(frozen=True, slots=True)
class CopyEdit:
    """One edit a copy made to the text it was copied from (its parent).

    Parameters
    ----------
    op : {"number", "added", "removed", "moved", "headline", "changed"}
        ``number``: a number changed in an otherwise matching sentence; ``added`` / ``removed``:
        sentences only the copy / only the parent has (a trimmed tail, a dropped paragraph, a
        local sentence); ``moved``: sentences both have, in another place; ``headline``: the
        headline was rewritten; ``changed``: another sentence reworded.
    old, new : str or None, default=None
        ``number``: the number as written in the parent and in the copy (``"41"``, ``"38"``);
        ``headline`` and ``changed``: the parent's and the copy's text.
    text : str or None, default=None
        ``added``, ``removed``, ``moved``: the sentences, as written (joined by one space).
    old_sentence, new_sentence : str or None, default=None
        ``number``: the sentence holding the number, in the parent and in the copy.
    old_words, new_words : str or None, default=None
        ``number``: the amount with what it counts, when the differ's number rules pair them
        (``"41 vessels"``, ``"38 vessels"``).
    at : {"start", "middle", "end"} or None, default=None
        ``added`` and ``removed``: where in the article (``end`` for a trimmed tail).
    paragraph : bool, default=False
        ``added``, ``removed`` and ``moved``: the text is a whole paragraph.
    old_span, new_span : tuple of (int, int) or None, default=None
        Character spans of the edit in the parent's and the copy's body
        (:attr:`CopyGroup.bodies`), where it has one on that side.
    opcodes : tuple of DiffOp, default=()
        ``number``, ``changed`` and ``headline``: the word-level diff from ``old_sentence``
        (``number``) or ``old`` to ``new_sentence`` or ``new``, as character offsets into them.
    """

    op: CopyOp
    old: str | None = None
    new: str | None = None
    text: str | None = None
    old_sentence: str | None = None
    new_sentence: str | None = None
    old_words: str | None = None
    new_words: str | None = None
    at: Literal["start", "middle", "end"] | None = None
    paragraph: bool = False
    old_span: tuple[int, int] | None = None
    new_span: tuple[int, int] | None = None
    opcodes: tuple[DiffOp, ...] = ()

    __reduce__ = _by_fields

    def to_dict(self) -> dict[str, Any]:
        """Return the edit as a plain dict for JSON output: ``op`` and its own keys only."""
        out: dict[str, Any] = {"op": self.op}
        if self.op in ("number", "headline", "changed"):
            out["old"] = self.old
            out["new"] = self.new
        if self.op == "number":
            out["old_sentence"] = self.old_sentence
            out["new_sentence"] = self.new_sentence
            if self.old_words is not None:
                out["old_words"] = self.old_words
                out["new_words"] = self.new_words
        if self.op in ("added", "removed", "moved"):
            out["text"] = self.text
            if self.at is not None:
                out["at"] = self.at
            out["paragraph"] = self.paragraph
        return out


@dataclass(frozen=True, slots=True)
class CopyInfo:
    """A copy in its near-duplicate group: its original, its parent and its edits.

    Parameters
    ----------
    id : str
        The copy's article id.
    group : str
        The near-duplicate group's id.
    original : str
        Id of the group's original (the root of its copy tree).
    parent : str
        Id of the text the copy was made from: the original, or, in a chain of updates,
        another copy.
    similarity : float
        Share of the copy's and the parent's body words in sentences both carry (the Dice
        coefficient of their sentences, weighted by words; OCR look-alikes folded).
    edits : tuple of CopyEdit
        The edits against the parent: headline first, then numbers, changed, added,
        removed and moved sentences, each kind in text order.
    """

    id: str
    group: str
    original: str
    parent: str
    similarity: float
    edits: tuple[CopyEdit, ...]

    __reduce__ = _by_fields

    def digest(self) -> str:
        """One line for people: ``"changed 41 → 38 vessels; cut 3 paragraphs"``."""
        return describe_edits(self.edits)

    def to_dict(self) -> dict[str, Any]:
        """Return the copy as the JSON line of ``storymatch copies``."""
        return {
            "id": self.id,
            "group": self.group,
            "original": self.original,
            "parent": self.parent,
            "similarity": round(self.similarity, 6),
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(frozen=True, slots=True)
class CopyGroup:
    """A near-duplicate group's original and its copies' edits.

    Parameters
    ----------
    group : str
        The near-duplicate group's id (:attr:`DuplicateGroup.id`).
    original : str
        Id of the member chosen as the original.
    basis : {"date", "content"}
        How it was chosen: the one earliest publication date, or the body that contains the
        others best (copies trim, drop and add; they rarely restore).
    confidence : float
        In [0, 1]. ``date``: 1.0. ``content``: how much better the original's body contains
        the other members than the runner-up's does (0.0: they cannot be told apart, as for
        two identical bodies; the original is then the earliest dated, else longest, else
        first by id).
    copies : tuple of CopyInfo
        Every other member, parents before their children, then by id.
    bodies : Mapping[str, str]
        Every member's article body (page chrome removed), which the edit spans point into.
    headlines : Mapping[str, str]
        Every member's headline where one is known (its ``title``, else the page's).
    """

    group: str
    original: str
    basis: Literal["date", "content"]
    confidence: float
    copies: tuple[CopyInfo, ...]
    bodies: Mapping[str, str] = field(default_factory=dict)
    headlines: Mapping[str, str] = field(default_factory=dict)

    __reduce__ = _by_fields

    def __len__(self) -> int:
        return len(self.copies) + 1

    def copy(self, article_id: str) -> CopyInfo:
        """Return the copy with id ``article_id`` (KeyError when absent)."""
        for c in self.copies:
            if c.id == article_id:
                return c
        raise KeyError(article_id)

    def to_frame(self) -> Any:
        """Return the copies' edits as a pandas DataFrame, one row per edit (``frames`` extra).

        See :func:`storymatch.frames.edits_frame`; columns and dtypes in ``docs/notebooks.md``.
        """
        return _frame_builder("edits")(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the group as a plain dict for JSON output (bodies left out)."""
        return {
            "group": self.group,
            "original": self.original,
            "basis": self.basis,
            "confidence": round(self.confidence, 6),
            "copies": [c.to_dict() for c in self.copies],
        }


def describe_edits(edits: Iterable[CopyEdit], *, limit: int = 4) -> str:
    """Summarise edits in one line: ``"changed 41 → 38 vessels; cut 3 paragraphs"``.

    Parameters
    ----------
    edits : iterable of CopyEdit
        A copy's edits.
    limit : int, default=4
        At most this many number changes are spelled out; the rest are counted.

    Returns
    -------
    str
        Parts joined by ``"; "``, or ``"no edits"``.

    Examples
    --------
    >>> describe_edits([CopyEdit("number", old="41", new="38", old_words="41 vessels",
    ...                          new_words="38 vessels")])
    'changed 41 → 38 vessels'
    """
    edits = list(edits)
    parts: list[str] = []
    if any(e.op == "headline" for e in edits):
        parts.append("new headline")
    numbers = [e for e in edits if e.op == "number"]
    for e in numbers[:limit]:
        unit = ""
        if e.new_words and e.new and e.new_words.startswith(e.new):
            unit = e.new_words[len(e.new) :].rstrip()
        parts.append(f"changed {e.old} → {e.new}{unit}")
    if len(numbers) > limit:
        parts.append(f"{len(numbers) - limit} more numbers")
    for op, verb in (("changed", "reworded"), ("added", "added"), ("moved", "moved")):
        parts.extend(_count_part(verb, [e for e in edits if e.op == op]))
    removed = [e for e in edits if e.op == "removed"]
    parts.extend(_count_part("cut", removed))
    return "; ".join(parts) or "no edits"


def _count_part(verb: str, edits: list[CopyEdit]) -> list[str]:
    """``"cut 3 paragraphs"``, ``"added 1 sentence"``: whole paragraphs, else passages."""
    if not edits:
        return []
    if all(e.paragraph for e in edits):
        n, noun = len(edits), "paragraph"
    else:
        n, noun = len(edits), "passage" if verb != "reworded" else "sentence"
        if verb != "reworded" and all(e.text and _one_sentence(e.text) for e in edits):
            noun = "sentence"
    return [f"{verb} {n} {noun}{'' if n == 1 else 's'}"]


def _one_sentence(text: str) -> bool:
    """Whether ``text`` holds one sentence at most (no inner ". " before a capital)."""
    stripped = text.strip()
    return not any(
        stripped[i] in ".!?" and stripped[i + 1] == " " and stripped[i + 2 : i + 3].isupper()
        for i in range(len(stripped) - 2)
    )


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a document, with its span in the document's original text.

    Parameters
    ----------
    text : str
        The sentence as it stands in the original text: ``doc_text[start:end] == text``.
    start : int
        Offset of its first character in the original text.
    end : int
        Offset just past its last character.
    index : int, default=0
        Position of the sentence in its document (0-based).
    paragraph : int, default=0
        Index of the paragraph (block separated by a blank line) it belongs to.
    """

    text: str
    start: int
    end: int
    index: int = 0
    paragraph: int = 0

    def __len__(self) -> int:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        """Return the sentence as a plain dict for JSON output."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "index": self.index,
            "paragraph": self.paragraph,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """Articles that report one event.

    Parameters
    ----------
    id : str
        Stable id derived from the member ids (:func:`event_id`).
    members : tuple of str
        Ids of every article of the event, copies included, sorted.
    outlets : tuple of str
        Distinct ``source`` values of the members, sorted (articles without one are left out).
    start, end : datetime or None
        Earliest and latest publication time of the members with a readable date.
    label : str
        The title of the event's most central report (highest summed pair score to the other
        reports), else its first line.
    story : str or None, default=None
        The id of the :class:`Story` the event is a development of (None when no story was
        formed).
    """

    id: str
    members: tuple[str, ...]
    outlets: tuple[str, ...]
    start: datetime | None
    end: datetime | None
    label: str
    story: str | None = None

    def __len__(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        """Return the event as a plain dict for JSON output."""
        return {
            "id": self.id,
            "members": list(self.members),
            "outlets": list(self.outlets),
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "label": self.label,
            "story": self.story,
        }


@dataclass(frozen=True, slots=True)
class Story:
    """Events that are developments of one story: one thread a reader follows.

    Parameters
    ----------
    id : str
        Stable id derived from the member article ids of its events when it was formed.
    events : tuple of str
        Ids of its events, in date order (undated events last, then by id).
    start, end : datetime or None
        Earliest and latest publication time of its events.
    label : str
        The label of its earliest event.
    """

    id: str
    events: tuple[str, ...]
    start: datetime | None
    end: datetime | None
    label: str

    def __len__(self) -> int:
        return len(self.events)

    def to_dict(self) -> dict[str, Any]:
        """Return the story as a plain dict for JSON output."""
        return {
            "id": self.id,
            "events": list(self.events),
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "label": self.label,
        }


# ------------------------------------------------------------------------------ comparison


@dataclass(frozen=True, slots=True)
class SentencePair:
    """Two sentences to score, as read by :func:`storymatch.io.iter_pairs`.

    Parameters
    ----------
    id : str
        The pair's id.
    a, b : str
        The two sentences.
    label : float or None, default=None
        Gold label when the input has one (1/0, or a graded score), else None.
    """

    id: str
    a: str
    b: str
    label: float | None = None


ClaimStatus = Literal["all", "some", "one"]
"""Who carries a claim: every report, more than one but not all, or a single report."""

ConflictKind = Literal["number", "date", "quote", "name", "attribution"]
"""What two aligned cells disagree on."""


@dataclass(frozen=True, slots=True)
class Outlet:
    """One column of a comparison: a report and where it came from.

    Parameters
    ----------
    id : str
        The article id (the column key; two reports of one outlet are two columns).
    name : str
        What to show as the column header: the article's ``source``, else its id.
    title, date, url : str or None
        The article's headline, publication date (ISO 8601 as given) and address.
    n_sentences : int
        Number of sentences the report was split into.
    not_compared : tuple of Sentence, default=()
        Sentences kept out of the alignment as page chrome that survived cleaning (photo
        captions and credits, video blurbs, "Watch:" lines, embedded posts, section teasers,
        bylines), with spans into the cleaned text; shown apart, never in a claim.
    """

    id: str
    name: str
    title: str | None
    date: str | None
    url: str | None
    n_sentences: int
    not_compared: tuple[Sentence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the column as a plain dict for JSON output."""
        return {
            "id": self.id,
            "name": self.name,
            "title": self.title,
            "date": self.date,
            "url": self.url,
            "n_sentences": self.n_sentences,
            "not_compared": [x.to_dict() for x in self.not_compared],
        }


@dataclass(frozen=True, slots=True)
class Cell:
    """What one report says for one claim: one or more of its sentences.

    Parameters
    ----------
    outlet : str
        The :attr:`Outlet.id` of the report.
    sentences : tuple of Sentence
        The report's sentences in this claim, in their order in the report; spans point into
        the text the comparison split (the cleaned article text).
    source_spans : tuple of (int, int), default=()
        For each sentence, its ``(start, end)`` span in the article text as it was passed in
        (before cleaning), so ``article.text[start:end]`` gives the sentence back; empty when
        unknown.
    """

    outlet: str
    sentences: tuple[Sentence, ...]
    source_spans: tuple[tuple[int, int], ...] = ()

    @property
    def label(self) -> str:
        """Sentence numbers of the cell, 1-based and listed one by one: ``"§2, 6, 12"``."""
        return "§" + ", ".join(str(s.index + 1) for s in self.sentences)

    @property
    def text(self) -> str:
        """The sentences joined with one space (offsets of :class:`DiffOp` refer to this)."""
        return " ".join(s.text for s in self.sentences)

    @property
    def position(self) -> int:
        """Index of the cell's first sentence in its report."""
        return self.sentences[0].index

    def to_dict(self) -> dict[str, Any]:
        """Return the cell as a plain dict for JSON output."""
        sentences = []
        for k, sentence in enumerate(self.sentences):
            record = sentence.to_dict()
            if k < len(self.source_spans):
                record["source_start"], record["source_end"] = self.source_spans[k]
            sentences.append(record)
        return {"outlet": self.outlet, "text": self.text, "sentences": sentences}


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One word-level edit between two cells, in ``difflib`` opcode vocabulary.

    Offsets are character offsets into :attr:`Cell.text` of the left (``a``) and right (``b``)
    cell, so a renderer can highlight ``a_text[a_start:a_end]`` against
    ``b_text[b_start:b_end]``. Like ``rapidfuzz``'s ``Opcode``, it unpacks as the tuple
    ``(tag, a_start, a_end, b_start, b_end)``.

    Parameters
    ----------
    tag : {"equal", "replace", "insert", "delete"}
    a_start, a_end, b_start, b_end : int
    """

    tag: Literal["equal", "replace", "insert", "delete"]
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    __reduce__ = _by_fields

    def __iter__(self) -> Iterator[str | int]:
        return iter((self.tag, self.a_start, self.a_end, self.b_start, self.b_end))

    def to_list(self) -> list[str | int]:
        """Return the opcode as ``[tag, a_start, a_end, b_start, b_end]``."""
        return list(self)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two aligned cells that disagree on a number, date, quote, name or attribution.

    Parameters
    ----------
    kind : {"number", "date", "quote", "name", "attribution"}
    left, right : str
        Outlet ids of the two cells (``left`` comes first in the comparison's outlet order).
    left_words, right_words : tuple of str
        The words (as written) on each side that differ: ``("12 killed",)`` vs
        ``("15 killed",)``. Either side may be empty when only one side states the value.
    """

    kind: ConflictKind
    left: str
    right: str
    left_words: tuple[str, ...]
    right_words: tuple[str, ...]

    def describe(self) -> str:
        """One line for people: ``number: "12" (a) vs "15" (b)``."""
        lw = ", ".join(f'"{w}"' for w in self.left_words) or "nothing"
        rw = ", ".join(f'"{w}"' for w in self.right_words) or "nothing"
        return f"{self.kind}: {lw} ({self.left}) vs {rw} ({self.right})"

    def to_dict(self) -> dict[str, Any]:
        """Return the conflict as a plain dict for JSON output."""
        return {
            "kind": self.kind,
            "left": self.left,
            "right": self.right,
            "left_words": list(self.left_words),
            "right_words": list(self.right_words),
        }


@dataclass(frozen=True, slots=True)
class PairDiff:
    """The similarity and word-level diff of two cells of one claim.

    Parameters
    ----------
    left, right : str
        Outlet ids (``left`` first in the comparison's outlet order).
    score : float
        The sentence scorer's similarity of the two cells, in [0, 1].
    opcodes : tuple of DiffOp
        Word-level diff from the left cell's text to the right cell's text.
    """

    left: str
    right: str
    score: float
    opcodes: tuple[DiffOp, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the pair as a plain dict for JSON output."""
        return {
            "left": self.left,
            "right": self.right,
            "score": round(self.score, 4),
            "opcodes": [op.to_list() for op in self.opcodes],
        }


@dataclass(frozen=True, slots=True)
class Nearest:
    """An outlet's closest sentence to a claim it omits: an omission to check, not to trust.

    Parameters
    ----------
    outlet : str
        The outlet that omits the claim.
    claim : str
        Id of the claim that holds the outlet's closest sentence.
    score : float
        The sentence scorer's score of the closest pair, below the claim threshold.
    """

    outlet: str
    claim: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """Return the hint as a plain dict for JSON output."""
        return {"outlet": self.outlet, "claim": self.claim, "score": round(self.score, 4)}


@dataclass(frozen=True, slots=True)
class Claim:
    """One row of a comparison: a piece of content and where each report says it.

    Parameters
    ----------
    id : str
        ``"c"`` + the row number (``c1``, ``c2``, ...), stable for the same input and options.
    cells : tuple of Cell
        At most one cell per outlet, in the comparison's outlet order; outlets without a cell
        omit the claim.
    status : {"all", "some", "one"}
        Carried by every report, by more than one but not all, or by one report only.
    conflicts : tuple of Conflict
        Disagreements between aligned cells; empty when they agree.
    pairs : tuple of PairDiff
        Score and word-level diff of every pair of cells (empty for a one-report claim).
    moved : bool
        True when the claim sits near the top of one report and far down another (its
        relative position differs by more than half of the reports' length).
    also : tuple of str, default=()
        Ids of other claims that a sentence of this one also matches (a secondary fact of a
        long sentence): a visible link instead of a forced merge.
    framing : tuple of Conflict, default=()
        Differences of presentation between cells, not of fact: reporting verbs of different
        classes ("said" vs "claimed"), with the verbs of each side.
    nearest : tuple of Nearest, default=()
        For each outlet that omits the claim but has a sentence scoring at least half the
        claim threshold with one of its sentences, that sentence's claim and score: the
        omission may be a paraphrase the aligner did not take (an uncertain omission). An
        omitting outlet without an entry has nothing close (a confident omission).
    """

    id: str
    cells: tuple[Cell, ...]
    status: ClaimStatus
    conflicts: tuple[Conflict, ...] = ()
    pairs: tuple[PairDiff, ...] = ()
    moved: bool = False
    also: tuple[str, ...] = ()
    framing: tuple[Conflict, ...] = ()
    nearest: tuple[Nearest, ...] = ()

    @property
    def outlets(self) -> tuple[str, ...]:
        """Ids of the outlets that carry the claim."""
        return tuple(c.outlet for c in self.cells)

    def cell(self, outlet: str) -> Cell | None:
        """Return the cell of ``outlet``, or None when that report omits the claim."""
        for c in self.cells:
            if c.outlet == outlet:
                return c
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the claim as a plain dict for JSON output."""
        return {
            "id": self.id,
            "status": self.status,
            "outlets": list(self.outlets),
            "cells": [c.to_dict() for c in self.cells],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "pairs": [p.to_dict() for p in self.pairs],
            "moved": self.moved,
            "also": list(self.also),
            "framing": [c.to_dict() for c in self.framing],
            "nearest": [n.to_dict() for n in self.nearest],
        }


@dataclass(frozen=True, slots=True)
class Coverage:
    """Per-outlet summary of a comparison.

    Parameters
    ----------
    outlet : str
        The outlet id.
    carried : int
        Claims the report carries.
    unique : int
        Claims only this report carries.
    omitted : int
        Claims most other reports carry (more than half of them) that this one does not.
    conflicts : int
        Claims where this report's cell is in at least one conflict.
    lead : tuple of str
        Ids of the claims of the report's first three sentences, in order: what it leads with.
    """

    outlet: str
    carried: int
    unique: int
    omitted: int
    conflicts: int
    lead: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as a plain dict for JSON output."""
        return {
            "outlet": self.outlet,
            "carried": self.carried,
            "unique": self.unique,
            "omitted": self.omitted,
            "conflicts": self.conflicts,
            "lead": list(self.lead),
        }


SCHEMA_VERSION = 1
"""Version of the JSON shape of :meth:`Comparison.to_dict`; bumped when a field changes."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """The table of claims (rows) by outlets (columns) of one event.

    Parameters
    ----------
    outlets : tuple of Outlet
        The columns, in the order the reports were given.
    claims : tuple of Claim
        The rows, ordered by where the reports place them (mean relative position).
    coverage : tuple of Coverage
        One summary per outlet, same order as ``outlets``.
    threshold : float
        Decision threshold of the sentence scorer used for the alignment.
    event : str or None, default=None
        The event id, when the comparison was made for an event.
    scorer : str or None, default=None
        Name of the sentence scorer used for the alignment (``"lexical"``, ``"combined"``,
        ``"semantic"``, or a custom scorer's ``name`` or class name).
    """

    outlets: tuple[Outlet, ...]
    claims: tuple[Claim, ...]
    coverage: tuple[Coverage, ...]
    threshold: float
    event: str | None = None
    scorer: str | None = None

    def outlet(self, outlet_id: str) -> Outlet:
        """Return the column with id ``outlet_id`` (KeyError when absent)."""
        for o in self.outlets:
            if o.id == outlet_id:
                return o
        raise KeyError(outlet_id)

    def by_status(self, status: ClaimStatus) -> tuple[Claim, ...]:
        """Return the claims with ``status``, in table order."""
        return tuple(c for c in self.claims if c.status == status)

    @property
    def conflicts(self) -> tuple[Claim, ...]:
        """The claims with at least one conflict, in table order."""
        return tuple(c for c in self.claims if c.conflicts)

    def omissions(self, outlet_id: str) -> tuple[Claim, ...]:
        """Return the claims other reports carry and ``outlet_id`` does not, in table order."""
        return tuple(c for c in self.claims if c.cell(outlet_id) is None)

    def _repr_html_(self) -> str | None:
        """Show the side-by-side table in Jupyter (the HTML report of this comparison).

        Drawn by the renderer that :func:`set_html_renderer` installed (``import storymatch``
        installs :func:`storymatch.report.render_html`); None, the plain repr, without one.
        """
        render = _HTML_RENDERER.get("comparison")
        return None if render is None else render(self)

    def to_frame(self) -> Any:
        """Return the claims as a DataFrame, one row per claim and report (``frames`` extra).

        See :func:`storymatch.frames.claims_frame`: an omission is a row with ``carried``
        False. Columns and dtypes in ``docs/notebooks.md``.
        """
        return _frame_builder("claims")(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the comparison as plain JSON-ready data (schema in docs/concepts/compare.md)."""
        return {
            "schema": SCHEMA_VERSION,
            "event": self.event,
            "threshold": self.threshold,
            "scorer": self.scorer,
            "outlets": [o.to_dict() for o in self.outlets],
            "coverage": [c.to_dict() for c in self.coverage],
            "claims": [c.to_dict() for c in self.claims],
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    """The whole pipeline's result: copies, events and one comparison per multi-outlet event.

    Parameters
    ----------
    articles : tuple of Article
        The input articles, in input order.
    groups : tuple of DuplicateGroup
        Near-duplicate groups (singletons included), largest first.
    events : tuple of Event
        Event groups, largest first.
    comparisons : Mapping[str, Comparison]
        Event id → comparison of the event's reports (one representative per near-duplicate
        group), for every event with at least two reports to compare.
    copies : tuple of CopyGroup, default=()
        Every near-duplicate group of two or more members: its original and each copy's
        edits, in the order of ``groups``.
    """

    articles: tuple[Article, ...]
    groups: tuple[DuplicateGroup, ...]
    events: tuple[Event, ...]
    comparisons: Mapping[str, Comparison]
    copies: tuple[CopyGroup, ...] = ()

    def article(self, article_id: str) -> Article:
        """Return the article with id ``article_id`` (KeyError when absent)."""
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def group_of(self, article_id: str) -> DuplicateGroup:
        """Return the near-duplicate group holding ``article_id`` (KeyError when absent)."""
        for g in self.groups:
            if article_id in g.members:
                return g
        raise KeyError(article_id)

    def to_frames(self) -> dict[str, Any]:
        """Return the result as pandas DataFrames (the ``frames`` extra).

        Returns
        -------
        dict of str to pandas.DataFrame
            ``articles``, ``groups``, ``events``, ``claims``, ``coverage`` and ``edits``: see
            :func:`storymatch.frames.analysis_frames`; columns and dtypes in
            ``docs/notebooks.md``.
        """
        frames: dict[str, Any] = _frame_builder("analysis")(self)
        return frames


# The renderer behind ``Comparison._repr_html_``. The report package sits above the models
# (it reads them), so the models do not import it; the top-level package installs it.
_HTML_RENDERER: dict[str, Callable[[Comparison], str]] = {}


# The builders behind ``to_frames``/``to_frame``: storymatch.frames sits above the models (it
# reads them), so the models do not import it; the top-level package installs them.
_FRAME_BUILDERS: dict[str, Callable[[Any], Any]] = {}


def set_frame_builder(
    table: Literal["analysis", "claims", "edits"], build: Callable[[Any], Any]
) -> None:
    """Install what a result's ``to_frames``/``to_frame`` method calls.

    ``import storymatch`` installs the tables of :mod:`storymatch.frames` for
    :meth:`Analysis.to_frames`, :meth:`Comparison.to_frame` and :meth:`CopyGroup.to_frame`.

    Parameters
    ----------
    table : {"analysis", "claims", "edits"}
        Which method: ``Analysis.to_frames``, ``Comparison.to_frame``, ``CopyGroup.to_frame``.
    build : callable
        ``build(result)``, returning its DataFrame (a dict of them for an analysis).
    """
    _FRAME_BUILDERS[table] = build


def _frame_builder(table: str) -> Callable[[Any], Any]:
    """Return the installed builder of ``table`` (installed by ``import storymatch``)."""
    return _FRAME_BUILDERS[table]


def set_html_renderer(render: Callable[[Comparison], str] | None) -> None:
    """Install the function that draws a :class:`Comparison` in Jupyter (``_repr_html_``).

    ``import storymatch`` installs :func:`storymatch.report.render_html` (imported on first
    display), so a comparison shows as its side-by-side table in a notebook; the models never
    import the renderers, which sit above them.

    Parameters
    ----------
    render : callable or None
        ``render(comparison) -> str``, an HTML document or fragment; None removes it, and
        Jupyter then shows the plain repr.
    """
    if render is None:
        _HTML_RENDERER.pop("comparison", None)
    else:
        _HTML_RENDERER["comparison"] = render
