"""The learned page cleaner: each site's template lines, learned from a corpus.

The line rules know chrome in general; a site's own template lines (its name above every
article, a slogan, a fixed note under every story) are only visible across many of its pages.
:class:`BoilerplateModel` learns them (an estimator with ``fit``, ``clean``, ``transform``,
``save`` and ``load``) and cleans pages with the rules of
:func:`storymatch.text.boilerplate.clean` plus those lines. See ``docs/concepts/text.md``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from storymatch._estimator import EstimatorParams
from storymatch.errors import InvalidInputError, InvalidParameterError, NotFittedError
from storymatch.models import Article
from storymatch.text.boilerplate.cleaner import CleanedText, clean, clean_page
from storymatch.text.boilerplate.rules import sentence_like

__all__ = ["BoilerplateModel"]

logger = logging.getLogger(__name__)

_FORMAT = "storymatch.BoilerplateModel"
_FORMAT_VERSION = 1
# Lines with at least this many words identify an article (for "different articles" checks).
_IDENTITY_WORDS = 6
_DIGIT = re.compile(r"\d")


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
    if collapsed and sentence_like(collapsed):
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

    def check_params(self) -> None:
        """Raise :class:`~storymatch.errors.InvalidParameterError` for a parameter out of range.

        ``fit`` and ``from_dict`` call it; a user may call it after setting parameters.
        """
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
        result = clean(text, headlines=False)
        # an empty page has no lines (not one empty line, which every empty page would share)
        return [line for line in result.text.split("\n") if line.strip()]

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
        self.check_params()
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
            if len(pages) < self.min_sources or sentence_like(key):
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
        max_words = self.max_words

        def is_template(line: str) -> bool:
            return _template_key(line, max_words) in templates

        return clean_page(
            text,
            title,
            headlines=headlines,
            widgets=widgets,
            captions=captions,
            bylines=bylines,
            datelines=datelines,
            chrome=chrome,
            is_template=is_template if templates else None,
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
        model.check_params()
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
