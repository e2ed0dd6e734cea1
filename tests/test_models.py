"""Tests for storymatch.models: building an Article from a record."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from storymatch.models import Article, CopyEdit, CopyGroup, CopyInfo, DiffOp


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        pytest.param(
            {
                "id": "a",
                "text": "t",
                "source": "s",
                "title": "h",
                "date": "2024-01-02",
                "url": "u",
                "lang": "fr",
            },
            Article("a", "t", "s", "h", "2024-01-02", "u", {"lang": "fr"}),
            id="all-fields",
        ),
        pytest.param({"id": 7, "text": "t"}, Article("7", "t"), id="integer-id"),
        pytest.param(
            {"id": "a", "text": "t", "published": "2024-01-02"},
            Article("a", "t", date="2024-01-02"),
            id="published-alias",
        ),
        pytest.param(
            {"id": "a", "text": "t", "date": None, "published": "2024-01-02"},
            Article("a", "t", date="2024-01-02"),
            id="published-when-date-null",
        ),
        pytest.param(
            {"id": "a", "text": "t", "date": "2024-01-02", "published": "2023-05-06"},
            Article("a", "t", date="2024-01-02", meta={"published": "2023-05-06"}),
            id="date-wins-published-kept",
        ),
    ],
)
def test_from_dict_builds_the_article_the_constructor_builds(record, expected):
    article = Article.from_dict(record)
    assert article == expected
    assert type(article.id) is str
    assert hash(article.id) == hash(expected.id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.text = "changed"  # type: ignore[misc]


def test_from_dict_of_a_subclass_goes_through_its_constructor():
    @dataclasses.dataclass(frozen=True, slots=True)
    class Tagged(Article):
        tag: str = "none"

        def __post_init__(self) -> None:
            object.__setattr__(self, "tag", f"tagged:{self.id}")

    article = Tagged.from_dict({"id": "a", "text": "t", "x": 1})
    assert type(article) is Tagged
    assert article.tag == "tagged:a"
    assert article.meta == {"x": 1}


def test_copy_results_pickle_as_constructor_calls_and_round_trip() -> None:
    # worker processes send these back to the caller (copy_edits with n_jobs)
    ops = (DiffOp("equal", 0, 4, 0, 4), DiffOp("replace", 4, 6, 4, 6))
    edit = CopyEdit("number", old="41", new="38", old_span=(3, 9), opcodes=ops)
    info = CopyInfo("b", "g1", "a", "a", 0.75, (edit, CopyEdit("added", text="More.")))
    group = CopyGroup("g1", "a", "content", 0.5, (info,), {"a": "x", "b": "y"}, {"a": "H"})
    assert pickle.loads(pickle.dumps(group)) == group
    assert ops[1].__reduce__() == (DiffOp, ("replace", 4, 6, 4, 6))
    cls, args = edit.__reduce__()
    assert cls is CopyEdit
    assert cls(*args) == edit
