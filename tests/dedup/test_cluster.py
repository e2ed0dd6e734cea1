"""Tests for storymatch.dedup.cluster.NearDuplicateClusterer."""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tests import reference as ref
from tests.strategies import PlantedDoc, paragraph, planted_corpus

from storymatch.dedup import DedupStats, NearDuplicateClusterer, find_duplicates, group_id
from storymatch.errors import EmptyDocumentWarning, InvalidParameterError, NotFittedError
from storymatch.models import Article, DuplicateGroup

REPO = Path(__file__).resolve().parents[2]


def _articles(docs: list[PlantedDoc]) -> list[Article]:
    return [Article(id=d.id, text=d.text) for d in docs]


def _oracle(
    model: NearDuplicateClusterer, texts: list[str]
) -> tuple[list[int], list[tuple[int, int]]]:
    """Brute-force components and pairs with the same rule and shingling as ``model``."""
    params = model.get_params()
    assert params["kind"] == "word"
    return ref.brute_force_groups(
        texts,
        threshold=params["threshold"],
        containment_threshold=params["containment_threshold"],
        shingle_size=params["shingle_size"],
        ocr_fold=params.get("ocr_fold", False),
    )


def _groups_by_id(groups: list[DuplicateGroup]) -> dict[frozenset[str], DuplicateGroup]:
    return {frozenset(g.members): g for g in groups}


@pytest.fixture(scope="module", params=[1, 2, 3], ids=lambda s: f"corpus{s}")
def corpus(request: pytest.FixtureRequest) -> list[PlantedDoc]:
    return planted_corpus(seed=request.param, n_originals=100)


# --------------------------------------------------------------------------- differential


def test_groups_equal_brute_force_components(corpus: list[PlantedDoc]) -> None:
    texts = [d.text for d in corpus]
    model = NearDuplicateClusterer(chain_guard=None, strip_boilerplate=False)
    _, pairs = _oracle(model, texts)
    assert len(pairs) >= 150
    model.fit(_articles(corpus))
    labels = model.labels_.tolist()
    # Recall floor: the two ends of a brute-force duplicate pair share a predicted group.
    recall = sum(labels[i] == labels[j] for i, j in pairs) / len(pairs)
    assert recall >= 0.98
    # Precision 1.0: every predicted group is connected by verified brute-force pairs.
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(label, []).append(i)
    for group in members.values():
        if len(group) > 1:
            assert ref.is_connected(group, pairs), [corpus[i].id for i in group]
    assert model.stats_.n_verified <= len(pairs)


def test_default_groups_stay_inside_brute_force_components(corpus: list[PlantedDoc]) -> None:
    texts = [d.text for d in corpus]
    model = NearDuplicateClusterer()
    components, _ = _oracle(model, texts)
    labels = model.fit_predict(_articles(corpus)).tolist()
    for label in set(labels):
        assert len({components[i] for i, lab in enumerate(labels) if lab == label}) == 1


def test_planted_copies_are_found(corpus: list[PlantedDoc]) -> None:
    labels = dict(
        zip(
            [d.id for d in corpus],
            NearDuplicateClusterer().fit_predict(_articles(corpus)).tolist(),
            strict=True,
        )
    )
    for doc in corpus:
        # Verbatim bodies in chrome: Jaccard or containment is far above the thresholds.
        # (Edited and OCR copies can fall below 0.5; the differential test covers them.)
        if doc.kind in {"copy", "trimmed", "abridged"}:
            assert labels[doc.id] == labels[doc.origin], doc.id
        if doc.kind == "related":
            assert labels[doc.id] != labels[doc.origin], doc.id


# --------------------------------------------------------------------------- invariance


@pytest.mark.parametrize("shuffle_seed", [0, 1, 2])
def test_shuffled_input_gives_the_same_partition(shuffle_seed: int) -> None:
    docs = planted_corpus(seed=4, n_originals=60)
    dates = random.Random(9)
    articles = [
        Article(
            id=d.id,
            text=d.text,
            date=f"2026-03-{dates.randint(10, 20)}" if dates.random() < 0.5 else None,
        )
        for d in docs
    ]
    shuffled = list(articles)
    random.Random(shuffle_seed).shuffle(shuffled)
    first = NearDuplicateClusterer().fit(articles)
    second = NearDuplicateClusterer().fit(shuffled)
    ids, shuffled_ids = [a.id for a in articles], [a.id for a in shuffled]
    assert ref.partition(first.labels_.tolist(), ids) == ref.partition(
        second.labels_.tolist(), shuffled_ids
    )
    assert _groups_by_id(first.groups_) == _groups_by_id(second.groups_)
    assert first.stats_ == second.stats_


_CLUSTER_SCRIPT = """
import json, sys
from storymatch.dedup import NearDuplicateClusterer
from storymatch.models import Article
with open(sys.argv[1], encoding="utf-8") as fh:
    records = json.load(fh)
model = NearDuplicateClusterer().fit([Article(**r) for r in records])
groups = [g.to_dict() for g in model.groups_]
print(json.dumps({"labels": model.labels_.tolist(), "groups": groups}))
"""


def test_same_output_under_different_pythonhashseed(tmp_path: Path) -> None:
    docs = planted_corpus(seed=6, n_originals=40)
    records = [{"id": d.id, "text": d.text} for d in docs]
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    outputs = []
    for hash_seed in ("0", "987654"):
        result = subprocess.run(
            [sys.executable, "-c", _CLUSTER_SCRIPT, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            timeout=120,
        )
        outputs.append(json.loads(result.stdout))
    assert outputs[0] == outputs[1]
    here = NearDuplicateClusterer().fit(_articles(docs))
    assert outputs[0]["labels"] == here.labels_.tolist()
    assert outputs[0]["groups"] == [g.to_dict() for g in here.groups_]


# --------------------------------------------------------------------------- groups


@pytest.fixture(scope="module")
def base_paragraphs() -> list[str]:
    rng = random.Random(21)
    return [paragraph(rng, min_sentences=2) for _ in range(6)]


def _family(base: list[str], specs: list[tuple[str, str | None, int]]) -> list[Article]:
    """Articles ``(id, date, number of paragraphs kept)``, all copies of ``base``."""
    return [Article(id=i, text="\n\n".join(base[:n]), date=date) for i, date, n in specs]


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        pytest.param(
            [("b", "2026-03-12", 6), ("a", "2026-03-11", 5), ("c", None, 6)],
            "a",
            id="earliest-date",
        ),
        pytest.param(
            [("b", "2026-03-11T09:00:00Z", 6), ("a", "2026-03-11T08:00:00+00:00", 5)],
            "a",
            id="earliest-datetime",
        ),
        pytest.param([("a", "2026-03-11", 5), ("b", "2026-03-11", 6)], "b", id="same-date-longest"),
        pytest.param(
            [("a", None, 5), ("c", None, 6), ("b", None, 6)], "b", id="undated-longest-then-id"
        ),
        pytest.param(
            [("z", None, 6), ("y", "not a date", 6), ("x", None, 6)], "x", id="bad-date-is-undated"
        ),
        pytest.param([("b", None, 6), ("a", None, 6)], "a", id="tie-by-id"),
    ],
)
def test_representative_rule(
    base_paragraphs: list[str], specs: list[tuple[str, str | None, int]], expected: str
) -> None:
    model = NearDuplicateClusterer().fit(_family(base_paragraphs, specs))
    [group] = model.groups_
    assert group.representative == expected
    assert group.members[0] == expected
    assert list(group.members[1:]) == sorted(m for m in group.members if m != expected)
    assert group.similarities[0] == 1.0
    assert all(0.0 < s <= 1.0 for s in group.similarities)
    rep = [a.id for a in _family(base_paragraphs, specs)].index(expected)
    assert model.similarities_[rep] == 1.0
    assert model.containments_[rep] == 1.0


def test_group_ids_are_stable_and_derived_from_member_ids(base_paragraphs: list[str]) -> None:
    articles = _family(base_paragraphs, [("e1-wire", None, 6), ("e1-wire~copy", None, 5)])
    [group] = NearDuplicateClusterer().fit(articles).groups_
    digest = hashlib.blake2b("\x1f".join(sorted(group.members)).encode(), digest_size=8).hexdigest()
    assert group.id == f"g-{digest}" == group_id(list(reversed(group.members)))
    [again] = NearDuplicateClusterer().fit(list(reversed(articles))).groups_
    assert again.id == group.id
    assert group_id(["a", "b"]) == group_id(["b", "a"]) != group_id(["a", "c"])
    assert group_id(["a"]).startswith("g-")
    assert len(group_id(["a"])) == 18
    # Pinned: the same on every run, machine and release.
    assert group_id(["a", "b"]) == "g-" + hashlib.blake2b(b"a\x1fb", digest_size=8).hexdigest()


def test_labels_and_groups_agree() -> None:
    docs = planted_corpus(seed=8, n_originals=30)
    model = NearDuplicateClusterer().fit(_articles(docs))
    labels = model.labels_
    assert labels.dtype == np.int64
    # Groups are numbered by their first document.
    firsts = [int(np.flatnonzero(labels == lab)[0]) for lab in range(len(model.groups_))]
    assert firsts == sorted(firsts)
    per_doc = model.document_groups()
    assert len(per_doc) == len(docs)
    for doc, label, group in zip(docs, labels.tolist(), per_doc, strict=True):
        assert group is model.groups_[label]
        assert doc.id in group.members
    assert sorted(m for g in model.groups_ for m in g.members) == sorted(d.id for d in docs)
    for group in model.groups_:
        assert len(group) == len(group.similarities)
        assert group.similarities[0] == 1.0
    assert isinstance(model.stats_, DedupStats)
    assert model.stats_.n_documents == len(docs)
    assert (model.stats_.bands, model.stats_.rows) == (64, 2)
    assert 0.0 < model.lsh_threshold_ <= model.threshold


def test_plain_strings_get_positional_ids() -> None:
    texts = ["a b c d e f g", "a b c d e f g", "z y x w v u"]
    model = NearDuplicateClusterer().fit(texts)
    assert model.labels_.tolist() == [0, 0, 1]
    assert [g.members for g in model.groups_] == [("0", "1"), ("2",)]


def test_docstring_example() -> None:
    texts = [
        "The council approved the new budget on Tuesday after a long debate.",
        "The council approved the new budget on Tuesday after a long debate. Read on.",
        "Heavy rain flooded the northern districts overnight, officials said.",
    ]
    assert NearDuplicateClusterer().fit_predict(texts).tolist() == [0, 0, 1]


def test_empty_documents_warn_and_stay_alone() -> None:
    texts = ["", "some words here and there today", "...", "some words here and there today"]
    with pytest.warns(EmptyDocumentWarning, match="2 document"):
        model = NearDuplicateClusterer().fit(texts)
    assert model.labels_.tolist() == [0, 1, 2, 1]
    assert model.stats_.n_empty == 2
    assert [g.members for g in model.groups_] == [("0",), ("1", "3"), ("2",)]


def test_empty_corpus() -> None:
    model = NearDuplicateClusterer().fit([])
    assert model.labels_.tolist() == []
    assert model.groups_ == []
    assert model.stats_.n_documents == 0


def test_duplicate_ids_raise() -> None:
    articles = [Article(id="x", text="one two three four five"), Article(id="x", text="six seven")]
    with pytest.raises(InvalidParameterError, match="'x'"):
        NearDuplicateClusterer().fit(articles)


def test_items_of_the_wrong_type_raise() -> None:
    with pytest.raises(InvalidParameterError, match="'X'"):
        NearDuplicateClusterer().fit(["text", 42])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "name"),
    [
        pytest.param({"threshold": 0.0}, "threshold", id="threshold-zero"),
        pytest.param({"threshold": 1.2}, "threshold", id="threshold-above-one"),
        pytest.param({"threshold": "0.5"}, "threshold", id="threshold-str"),
        pytest.param({"containment_threshold": -0.1}, "containment_threshold", id="containment"),
        pytest.param({"chain_guard": 2}, "chain_guard", id="chain_guard"),
        pytest.param({"bands": 8}, "bands", id="bands-without-rows"),
        pytest.param({"shingle_size": 0}, "shingle_size", id="shingle_size"),
        pytest.param({"kind": "sentence"}, "kind", id="kind"),
        pytest.param({"num_perm": 1}, "num_perm", id="num_perm-too-small"),
        pytest.param({"num_perm": 64.0}, "num_perm", id="num_perm-float"),
    ],
)
def test_invalid_parameters_raise_at_fit(options: dict[str, object], name: str) -> None:
    model = NearDuplicateClusterer(**options)  # type: ignore[arg-type]  # __init__ only stores
    with pytest.raises(InvalidParameterError, match=f"'{name}'"):
        model.fit(["one two three four five six"])


# --------------------------------------------------------------------------- estimator API


def test_get_params_set_params_and_clone() -> None:
    from sklearn.base import clone

    model = NearDuplicateClusterer(threshold=0.6)
    params = model.get_params()
    assert params["threshold"] == 0.6
    signature = inspect.signature(NearDuplicateClusterer.__init__).parameters
    assert set(params) == set(signature) - {"self"}
    assert params["chain_guard"] == signature["chain_guard"].default
    cloned = clone(model)
    assert cloned is not model
    assert cloned.get_params() == params
    assert model.set_params(threshold=0.7, chain_guard=None) is model
    assert model.threshold == 0.7
    assert model.chain_guard is None
    with pytest.raises(InvalidParameterError, match="'nope'"):
        model.set_params(nope=1)
    assert repr(NearDuplicateClusterer(threshold=0.6)) == "NearDuplicateClusterer(threshold=0.6)"


@pytest.mark.parametrize(
    "module", [pytest.param("cluster", id="local"), pytest.param("spark", id="spark")]
)
def test_find_duplicates_spells_out_every_clusterer_parameter(module: str) -> None:
    # the engines' find_duplicates repeat the clusterer's typed keyword parameters on purpose
    # (help() and IDEs show them); this keeps the three lists, types and defaults the same
    find = importlib.import_module(f"storymatch.dedup.{module}").find_duplicates
    found = inspect.signature(find).parameters
    for name, param in inspect.signature(NearDuplicateClusterer.__init__).parameters.items():
        if name == "self":
            continue
        assert name in found, name
        assert found[name].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert (found[name].annotation, found[name].default) == (param.annotation, param.default)


def test_clone_of_a_fitted_model_is_unfitted() -> None:
    from sklearn.base import clone

    model = NearDuplicateClusterer().fit(["one two three four five six"])
    with pytest.raises(NotFittedError):
        clone(model).document_groups()


def test_group_of_before_fit_raises() -> None:
    with pytest.raises(NotFittedError, match="fit"):
        NearDuplicateClusterer().document_groups()
    with pytest.raises(AttributeError):  # NotFittedError is also an AttributeError
        NearDuplicateClusterer().document_groups()


def test_second_fit_replaces_the_first() -> None:
    model = NearDuplicateClusterer()
    model.fit(["a b c d e f g", "a b c d e f g"])
    model.fit(["one two three four five six", "something else entirely here", "x"])
    assert model.labels_.tolist() == [0, 1, 2]
    assert model.stats_.n_documents == 3


def test_progress_callback() -> None:
    calls: list[tuple[str, int, int]] = []
    NearDuplicateClusterer().fit(
        ["one two three", "four five six"], progress=lambda *call: calls.append(call)
    )
    assert calls == [("hashing", 2, 2)]


# --------------------------------------------------------------------------- chain guard


@pytest.fixture(scope="module")
def chain() -> list[Article]:
    """A ~ B ~ C with A and C disjoint: B is A's paragraphs followed by C's."""
    rng = random.Random(5)
    first = [paragraph(rng, min_sentences=3) for _ in range(4)]
    second = [paragraph(rng, min_sentences=3) for _ in range(4)]
    return [
        Article(id="A", text="\n\n".join(first), date="2026-03-01"),
        Article(id="B", text="\n\n".join(first + second), date="2026-03-02"),
        Article(id="C", text="\n\n".join(second), date="2026-03-03"),
    ]


def test_chain_is_split_by_the_guard(chain: list[Article]) -> None:
    sets = [ref.word_shingles(a.text, 5) for a in chain]
    assert ref.containment(sets[0], sets[1]) == 1.0
    assert ref.containment(sets[2], sets[1]) == 1.0
    assert not sets[0] & sets[2]
    model = NearDuplicateClusterer(chain_guard=0.3).fit(chain)
    assert [g.members for g in model.groups_] == [("A", "B"), ("C",)]
    assert model.stats_.n_chain_splits == 1
    assert model.similarities_.tolist()[2] == 1.0


def test_chain_is_kept_without_the_guard(chain: list[Article]) -> None:
    model = NearDuplicateClusterer(chain_guard=None).fit(chain)
    [group] = model.groups_
    assert group.members == ("A", "B", "C")
    assert group.representative == "A"
    assert model.stats_.n_chain_splits == 0
    assert model.similarities_[2] == 0.0


def test_split_members_are_regrouped_among_themselves(chain: list[Article]) -> None:
    extra = Article(id="C2", text=chain[2].text + "\n\nLeave a Reply", date="2026-03-04")
    model = NearDuplicateClusterer().fit([*chain, extra])
    assert sorted(g.members for g in model.groups_) == [("A", "B"), ("C", "C2")]


# --------------------------------------------------------------------------- boilerplate


def test_widgets_are_stripped_before_shingling(base_paragraphs: list[str]) -> None:
    headline = "Storm warning issued for the Lisle valley as heavy rain continues to fall today"
    widget = f"{headline}\n\nRead more\n\n{headline}"
    page = "\n\n".join([base_paragraphs[0], widget, base_paragraphs[1]])
    # The advertised story is (in full) its headline: without stripping, the page contains it.
    articles = [Article(id="page", text=page), Article(id="advertised", text=headline)]
    # One-row bands make every pair sharing a shingle a candidate, so only verification decides.
    lsh = {"bands": 128, "rows": 1}
    stripped = NearDuplicateClusterer(**lsh).fit(articles)  # type: ignore[arg-type]
    assert [g.members for g in stripped.groups_] == [("page",), ("advertised",)]
    raw = NearDuplicateClusterer(strip_boilerplate=False, **lsh).fit(articles)  # type: ignore[arg-type]
    assert [g.members for g in raw.groups_] == [("page", "advertised")]


# --------------------------------------------------------------------------- convenience


def test_find_duplicates() -> None:
    groups = find_duplicates(["a b c d e f g", "a b c d e f g", "z y x w v u"])
    assert [g.members for g in groups] == [("0", "1"), ("2",)]
    assert all(isinstance(g, DuplicateGroup) for g in groups)


def test_find_duplicates_passes_options(chain: list[Article]) -> None:
    assert [g.members for g in find_duplicates(chain, chain_guard=None)] == [("A", "B", "C")]
    assert [g.members for g in find_duplicates(chain)] == [("A", "B"), ("C",)]
    assert [g.members for g in find_duplicates(chain, containment_threshold=None)] == [
        ("A", "B"),
        ("C",),
    ]


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"kind": "char", "shingle_size": 5}, id="char-5"),
        pytest.param({"kind": "char", "shingle_size": 1}, id="char-1"),
        pytest.param({"kind": "word", "shingle_size": 1}, id="word-1"),
    ],
)
def test_every_shingle_setting_fits_its_buffer(params):
    # character n-grams produce about one shingle per character, and Unicode folding can make a
    # text longer than it was ("ﬃ" -> "ffi", "﷽" -> 18 letters): the shingle buffer must grow
    rng = random.Random(5)
    letters = "abcdefghijklmnopqrstuvwxyz"
    story = " ".join("".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(400))
    texts = [
        story,
        story + " Reporting by staff.",
        " ".join(f"\ufdfa{i} \ufb03{i * 3}" for i in range(60)),
        "an unrelated text about a storm in the northern hills",
    ]
    labels = NearDuplicateClusterer(**params).fit_predict(texts)
    assert labels[0] == labels[1]
    assert len(set(labels.tolist())) >= 2
