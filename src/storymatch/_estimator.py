"""The parts of scikit-learn's estimator contract storymatch's estimators share (private).

``get_params``/``set_params`` with scikit-learn's semantics, without importing scikit-learn:
``sklearn.base.clone``, ``GridSearchCV`` and friends only need these two methods and an
``__init__`` that stores its keyword arguments, while importing ``sklearn.base`` would add about
a second to every command-line run.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Self

from storymatch.errors import InvalidParameterError
from storymatch.io.columns import ColumnMap
from storymatch.io.frames import Frame, is_frame, iter_frame
from storymatch.io.readers import ReadResult
from storymatch.models import Article

__all__ = ["EstimatorParams", "as_articles", "published"]


class EstimatorParams:
    """``get_params``/``set_params`` with scikit-learn's semantics, without importing it.

    scikit-learn's ``clone``, ``GridSearchCV`` and friends only need these two methods and an
    ``__init__`` that stores its keyword arguments; importing ``sklearn.base`` would add about
    a second to every command-line run.
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(p.name for p in sig.parameters.values() if p.name != "self")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor parameters (scikit-learn estimator contract)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Self:
        """Set constructor parameters (scikit-learn estimator contract)."""
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                msg = (
                    f"Invalid parameter {key!r} for {type(self).__name__}. Valid: {sorted(valid)}."
                )
                raise InvalidParameterError(msg)
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if defaults.get(k) != v]
        return f"{type(self).__name__}({', '.join(changed)})"


def published(article: Article) -> datetime | None:
    """Return the article's parsed date, or None when it has none or it cannot be parsed."""
    try:
        return article.published
    except ValueError:
        return None


def as_articles(
    X: Sequence[Article] | Sequence[str] | ReadResult | Frame,
    *,
    name: str = "X",
    function: str | None = None,
) -> list[Article]:
    """Validate an input corpus: Articles, or strings that get the ids "0", "1", ...

    Checks types only (one ``isinstance`` per item), so it costs nothing next to the work.

    Parameters
    ----------
    X : sequence of Article or str, ReadResult, or a data frame
        The corpus.
    name : str, default="X"
        The argument's name, for messages (``"articles"`` in the functions).
    function : str or None, default=None
        The function or method it was passed to, for messages.

    A pandas DataFrame or a pyarrow Table is read as :func:`~storymatch.io.read_articles`
    reads it (default column names; map or skip rows with ``read_articles`` first), and a
    :class:`~storymatch.io.ReadResult` gives its articles.

    Raises
    ------
    InvalidParameterError
        (also a :class:`TypeError`) If ``X`` is a single string, bytes, a mapping or not
        iterable, or an item is neither an Article nor a str; (a :class:`ValueError`) if two
        articles share an id.
    InvalidInputError
        If a row of a data frame breaks the input contract (its index label is named).
    """
    if is_frame(X):
        return list(iter_frame(X, columns=ColumnMap(), on_error="raise", skipped=None))
    if isinstance(X, ReadResult):
        X = X.articles
    where = f"The {name!r} parameter" + ("" if function is None else f" of {function}")
    wanted = "must be a sequence of Article or str"
    got: str | None = None
    if isinstance(X, str):
        got = "a single str (it would be read one character at a time); wrap it in a list"
    elif isinstance(X, bytes | bytearray):
        got = "bytes; decode them and wrap the text in a list"
    elif isinstance(X, Mapping):
        got = (
            f"a {type(X).__name__} (iterating it gives its keys only); pass its values, "
            "list(mapping.values())"
        )
    elif not isinstance(X, Iterable):
        got = "None" if X is None else f"a {type(X).__name__}"
    if got is not None:
        msg = f"{where} {wanted}. Got {got}. Read articles with read_articles(path).articles."
        raise InvalidParameterError(msg)
    out: list[Article] = []
    for i, item in enumerate(X):
        if isinstance(item, Article):
            out.append(item)
        elif isinstance(item, str):
            out.append(Article(id=str(i), text=item))
        else:
            msg = (
                f"{where} {wanted}. Item {i} of {name!r} is a {type(item).__name__} (at "
                f"position {i}); build articles with Article(**record), or read them with "
                "read_articles(path).articles."
            )
            raise InvalidParameterError(msg)
    seen: set[str] = set()
    for a in out:
        if a.id in seen:
            msg = f"{where} must have unique ids. Got {a.id!r} twice."
            raise InvalidParameterError(msg)
        seen.add(a.id)
    return out
