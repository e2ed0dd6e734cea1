"""The public API: __all__ is sorted, complete and documented (httpx's test_exported_members)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import storymatch


def test_all_is_sorted_and_unique():
    names = [n for n in storymatch.__all__ if n != "__version__"]
    assert names == sorted(names)
    assert len(set(storymatch.__all__)) == len(storymatch.__all__)


def test_all_names_exist_and_are_documented():
    for name in storymatch.__all__:
        obj = getattr(storymatch, name)
        if name == "__version__":
            assert isinstance(obj, str)
            continue
        assert obj.__doc__, f"{name} has no docstring"


def test_every_public_top_level_name_is_exported():
    public = {
        name
        for name, obj in vars(storymatch).items()
        if not name.startswith("_") and getattr(obj, "__module__", "").startswith("storymatch")
    }
    assert public <= set(storymatch.__all__)


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run(
        [sys.executable, "-m", "storymatch", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("storymatch ")


# ---------------------------------------------------------------------------------------
# Boundary checks of the API (issue 15): wrong types fail at once, naming the argument


def _article(i: int) -> storymatch.Article:
    return storymatch.Article(id=f"a{i}", text=f"Report number {i} about the harbour strike.")


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        pytest.param(storymatch.find_duplicates, "read_articles", id="find_duplicates"),
        pytest.param(storymatch.compare, "read_articles", id="compare"),
        pytest.param(storymatch.analyze, "read_articles", id="analyze"),
    ],
)
@pytest.mark.parametrize(
    ("value", "got"),
    [
        pytest.param("hello world", "a single str", id="str"),
        pytest.param(b"hello world", "bytes", id="bytes"),
        pytest.param({"a1": _article(1), "a2": _article(2)}, "dict", id="dict"),
        pytest.param(None, "None", id="none"),
    ],
)
def test_articles_of_the_wrong_type_are_refused(call, hint, value, got):
    with pytest.raises(TypeError, match="'articles'") as info:
        call(value)
    assert isinstance(info.value, storymatch.InvalidParameterError)
    assert got in str(info.value)
    assert hint in str(info.value)


def test_an_item_of_the_wrong_type_names_its_position():
    with pytest.raises(TypeError, match=r"Item 1 of 'articles' is a dict.*Article\(\*\*record\)"):
        storymatch.find_duplicates([_article(0), {"id": "a", "text": "t"}])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        pytest.param({"id": "a", "text": None}, "text", id="text-none"),
        pytest.param({"id": "a", "text": b"bytes"}, "text", id="text-bytes"),
        pytest.param({"id": 5, "text": "t"}, "id", id="id-int"),
        pytest.param({"id": True, "text": "t"}, "id", id="id-bool"),
        pytest.param({"id": "a", "text": "t", "title": 3}, "title", id="title-int"),
        pytest.param({"id": "a", "text": "t", "meta": [1]}, "meta", id="meta-list"),
    ],
)
def test_article_checks_its_field_types(kwargs, name):
    with pytest.raises(TypeError, match=f"'{name}' parameter of Article"):
        storymatch.Article(**kwargs)


def test_article_from_dict_names_the_missing_field():
    with pytest.raises(storymatch.InvalidInputError, match="'text'") as info:
        storymatch.Article.from_dict({"id": "a"})
    assert "read_articles" in str(info.value)
    assert not isinstance(info.value, KeyError)
    assert storymatch.Article.from_dict({"id": 7, "text": "t"}).id == "7"


def test_mixed_articles_and_strings_still_work():
    groups = storymatch.find_duplicates([_article(0), "A text given as a string, alone."])
    assert sum(len(g) for g in groups) == 2


def test_storymatch_report_is_reachable_as_an_attribute():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import storymatch as sm; print(sm.report.render_html.__name__, sm.pipeline.__name__)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["render_html", "storymatch.pipeline"]


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    proc = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(proc.stdout.split())


def test_importing_the_package_loads_no_heavy_dependency():
    loaded = _modules_after("import storymatch")
    assert not loaded & {"numba", "sklearn", "scipy", "rapidfuzz"}
    assert "storymatch.dedup" not in loaded
    assert "storymatch.text.boilerplate.cleaner" not in loaded


def test_lazy_names_resolve_to_their_modules():
    from storymatch.dedup.cluster import NearDuplicateClusterer
    from storymatch.text.boilerplate.cleaner import clean

    assert storymatch.NearDuplicateClusterer is NearDuplicateClusterer
    assert storymatch.clean is clean
    assert "copy_edits" in dir(storymatch)


def test_dedup_loads_neither_the_index_nor_scipy():
    loaded = _modules_after(
        "from storymatch.dedup import find_duplicates\n"
        "find_duplicates(['one two three four five six', 'one two three four five six'])"
    )
    assert "numba" in loaded
    assert not loaded & {"scipy.linalg", "sklearn", "rapidfuzz"}
    assert not loaded & {"storymatch.dedup.index", "storymatch.dedup.copies"}
