"""Tests for storymatch.text.boilerplate.model: the learned per-site BoilerplateModel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.text.boilerplate.pages import (
    DATA,
    read_jsonl,
)

from storymatch.errors import InvalidInputError, InvalidParameterError, NotFittedError
from storymatch.models import Article
from storymatch.text.boilerplate import BoilerplateModel

# --------------------------------------------------------------------------- template model


def _site_pages(site: str, n: int) -> list[str]:
    facts = [
        ("bridge", "The Kestrel Street bridge reopened after six weeks of repairs on Monday."),
        ("budget", "The council approved a budget that doubles spending on flood defences."),
        ("strike", "Port workers ended a three-day strike after a new offer on pay and hours."),
        ("storm", "A storm cut power to nine villages in the valley overnight, the utility said."),
        ("rail", "Rail freight operators warned that timetable cuts would delay deliveries."),
        ("school", "Two new schools will open in Saltby next autumn, the education board said."),
    ]
    pages = []
    for topic, fact in facts[:n]:
        pages.append(
            "\n\n".join(
                [
                    site,
                    f"Local news: {topic} update",
                    fact,
                    f"More details on the {topic} story were not immediately available.",
                    f"Readers can send tips to the {site} newsroom.",
                ]
            )
        )
    return pages


def test_model_learns_a_site_template_from_five_pages() -> None:
    pages = _site_pages("Harbor Times", 5)
    model = BoilerplateModel().fit(pages, sources=["harbortimes.example"] * 5)
    assert model.templates_["harbortimes.example"] == frozenset(
        {"harbor times", "readers can send tips to the harbor times newsroom."}
    )
    assert model.n_pages_ == {"harbortimes.example": 5}
    result = model.clean(pages[0], source="harbortimes.example")
    assert [r.kind for r in result.removed].count("template") == 2
    assert "Harbor Times" not in result.text
    assert "The Kestrel Street bridge reopened" in result.text
    # Another site's pages are not touched by this site's template.
    other = model.clean(pages[0], source="other.example")
    assert "template" not in {r.kind for r in other.removed}


def test_model_needs_enough_pages_and_share() -> None:
    pages = _site_pages("Harbor Times", 2)
    model = BoilerplateModel().fit(pages, sources=["harbortimes.example"] * 2)
    assert model.templates_ == {}


def test_model_does_not_learn_a_wire_story_republished_by_five_sites() -> None:
    paragraphs = [
        "The Kestrel Street Bridge collapsed into the River Lisle on Thursday evening.",
        "All three drivers were rescued and taken to hospital, officials said.",
        "Engineers will inspect the remaining bridges on the river this month.",
        "The bridge was built in 1902 and last renovated in 1988.",
        "Kestrel Street closed",  # a short sub-heading, no sentence ending
    ]
    pages, sources = [], []
    for k in range(5):
        body = paragraphs if k % 2 == 0 else paragraphs[:4]  # some copies trimmed
        pages.append("\n\n".join([f"Outlet {k} Online", *body]))
        sources.append(f"outlet{k}.example")
    # Each site also publishes other stories, so its own template can be learned.
    for k in range(5):
        for topic in ("storm", "budget", "rail"):
            pages.append(
                f"Outlet {k} Online\n\nA {topic} story from outlet {k}, with its own facts and "
                f"words about the {topic}, told in outlet {k}'s way."
            )
            sources.append(f"outlet{k}.example")
    model = BoilerplateModel().fit(pages, sources=sources)
    learned = set(model.shared_).union(*model.templates_.values())
    assert "outlet 0 online" in learned
    for paragraph in paragraphs:
        assert paragraph.casefold() not in learned
    for page, source in zip(pages[:5], sources[:5], strict=True):
        result = model.clean(page, source=source)
        for paragraph in paragraphs[:4]:
            assert paragraph in result.text


def test_model_learns_chrome_shared_by_sites_but_not_short_sentences() -> None:
    pages, sources = [], []
    for k in range(4):
        for topic in ("storm", "budget"):
            pages.append(
                f"A {topic} story from outlet {k}, with its own facts, told its own way.\n\n"
                "Most popular this week\n\nHe was 75."
            )
            sources.append(f"outlet{k}.example")
    model = BoilerplateModel(min_share=0.9).fit(pages, sources=sources)
    assert "most popular this week" in model.shared_
    assert "he was 75." not in model.shared_


def test_model_fit_accepts_articles_and_transform_uses_their_sources() -> None:
    pages = _site_pages("Harbor Times", 5)
    articles = [Article(id=str(k), text=t, source="ht.example") for k, t in enumerate(pages)]
    model = BoilerplateModel().fit(articles)
    results = model.transform(articles)
    assert len(results) == 5
    assert all("Harbor Times" not in r.text for r in results)
    plain = model.transform(pages)  # no source: only shared lines apply
    assert all("Harbor Times" in r.text for r in plain)


def test_model_save_and_load_round_trip(tmp_path: Path) -> None:
    pages = _site_pages("Harbor Times", 5)
    model = BoilerplateModel(min_pages=3, min_share=0.5).fit(
        pages, sources=["harbortimes.example"] * 5
    )
    path = tmp_path / "model.json"
    model.save(path)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["format"] == "storymatch.BoilerplateModel"
    loaded = BoilerplateModel.load(path)
    assert loaded.templates_ == model.templates_
    assert loaded.shared_ == model.shared_
    assert loaded.n_pages_ == model.n_pages_
    assert loaded.min_share == 0.5
    for page in pages:
        assert loaded.clean(page, source="harbortimes.example") == model.clean(
            page, source="harbortimes.example"
        )


def test_model_load_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"bad\.json"):
        BoilerplateModel.load(bad)
    other = tmp_path / "other.json"
    other.write_text('{"format": "something else", "version": 1}', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="Not a saved BoilerplateModel"):
        BoilerplateModel.load(other)


def test_model_errors() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        BoilerplateModel().clean("text")
    with pytest.raises(InvalidParameterError, match="'min_share' parameter"):
        BoilerplateModel(min_share=1.5).fit(["a"])
    with pytest.raises(InvalidParameterError, match="'min_pages' parameter"):
        BoilerplateModel(min_pages=0).fit(["a"])
    with pytest.raises(InvalidInputError, match="one source per article"):
        BoilerplateModel().fit(["a", "b"], sources=["x"])
    with pytest.raises(InvalidInputError, match="must be an Article or a str"):
        BoilerplateModel().fit([b"bytes"])  # type: ignore[list-item]


def test_template_model_on_syndication_removes_nothing_from_originals() -> None:
    records = list(read_jsonl(DATA / "syndication" / "docs.jsonl.gz"))
    articles = [Article.from_dict(r) for r in records]
    model = BoilerplateModel().fit(articles)
    outlets = [s for s in model.templates_ if s.endswith(".example")]
    assert len(outlets) >= 10
    for article, record in zip(articles, records, strict=True):
        if record["copy_of"] is None:
            result = model.clean(article.text, source=article.source)
            assert "template" not in {r.kind for r in result.removed}, article.id


def test_boilerplate_model_follows_the_estimator_contract() -> None:
    from sklearn.base import clone

    from storymatch.text.clean import BoilerplateModel

    model = BoilerplateModel(min_pages=4, min_share=0.5)
    assert model.get_params()["min_pages"] == 4
    copy = clone(model)
    assert copy is not model
    assert copy.get_params() == model.get_params()
    assert model.set_params(min_sources=7).min_sources == 7
