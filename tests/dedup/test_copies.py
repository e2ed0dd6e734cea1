"""Originals and copy edits (issue 14): table tests per edit kind, a property, real-data floors."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import shared_data

from storymatch.dedup import copies, find_duplicates
from storymatch.dedup.copies import (
    _key_hashes,
    _own_stock,
    _pool_stock,
    copy_edits,
    copy_lines,
    diff_copy,
    fold_key,
    pick_original,
    read_member,
)
from storymatch.errors import InvalidParameterError
from storymatch.io import read_articles
from storymatch.io.writers import json_line
from storymatch.models import Article, CopyEdit, DuplicateGroup, describe_edits

REPO = Path(__file__).resolve().parents[2]

PARAGRAPHS = [
    "The port authority said 41 vessels were waiting outside the harbour on Tuesday morning.",
    "Officials blamed a strike by crane operators that began late last week.",
    "Shipping companies warned that deliveries of fuel and grain could be delayed.",
    "The union said talks with the authority would resume on Thursday afternoon.",
    "A spokesperson for the port declined to say when the backlog would be cleared.",
    "Local businesses reported shortages of some imported goods over the weekend.",
]


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _edits(
    parent: str, copy: str, *, title_a: str | None = None, title_b: str | None = None
) -> tuple[CopyEdit, ...]:
    a = read_member(Article("a", parent, title=title_a))
    b = read_member(Article("b", copy, title=title_b))
    return diff_copy(a, b)[0]


def _ops(edits: tuple[CopyEdit, ...]) -> list[str]:
    return [e.op for e in edits]


NUMBER = PARAGRAPHS.copy()
NUMBER[0] = NUMBER[0].replace("41", "38")
CHANGED = PARAGRAPHS.copy()
CHANGED[1] = "Officials blamed an unexpected walkout by dock workers that began late last week."


@pytest.mark.parametrize(
    ("copy", "ops"),
    [
        pytest.param(PARAGRAPHS, [], id="same"),
        pytest.param(NUMBER, ["number"], id="number"),
        pytest.param(CHANGED, ["changed"], id="changed"),
        pytest.param(
            [*PARAGRAPHS, "This is a developing story and will be updated."], ["added"], id="added"
        ),
        pytest.param(PARAGRAPHS[:3], ["removed"] * 3, id="trimmed-tail"),
        pytest.param(PARAGRAPHS[:2] + PARAGRAPHS[3:], ["removed"], id="dropped-paragraph"),
        pytest.param(
            [PARAGRAPHS[0], *PARAGRAPHS[2:5], PARAGRAPHS[1], PARAGRAPHS[5]],
            ["moved"],
            id="moved",
        ),
    ],
)
def test_edit_kinds(copy: list[str], ops: list[str]) -> None:
    assert _ops(_edits(_text(PARAGRAPHS), _text(copy))) == ops


def test_many_reworded_sentences_pair_one_to_one_with_their_own() -> None:
    # every sentence reworded, and one moved: 6 x 6 unmatched sentences to pair by similarity
    reworded = [p.removesuffix(".") + ", they said." for p in PARAGRAPHS]
    copy = [reworded[0], reworded[2], reworded[1], *reworded[3:]]
    edits = _edits(_text(PARAGRAPHS), _text(copy))
    changed = [e for e in edits if e.op == "changed"]
    assert sorted((e.old, e.new) for e in changed) == sorted(zip(PARAGRAPHS, reworded, strict=True))
    assert [e.op for e in edits if e.op != "changed"] == ["moved"]


def test_number_edit_names_old_new_and_sentences() -> None:
    [edit] = _edits(_text(PARAGRAPHS), _text(NUMBER))
    assert (edit.old, edit.new) == ("41", "38")
    assert edit.old_sentence == PARAGRAPHS[0]
    assert edit.new_sentence == NUMBER[0]
    assert edit.old_words == "41 vessels"
    assert edit.to_dict()["op"] == "number"


def test_number_written_another_way_is_no_edit() -> None:
    copy = PARAGRAPHS.copy()
    copy[3] = copy[3].replace("Thursday", "Thursday")
    parent = PARAGRAPHS.copy()
    parent[1] = "Officials blamed a strike by five crane operators that began late last week."
    copy[1] = "Officials blamed a strike by 5 crane operators that began late last week."
    assert _edits(_text(parent), _text(copy)) == ()


def test_removed_tail_is_at_end_and_whole_paragraphs() -> None:
    edits = _edits(_text(PARAGRAPHS), _text(PARAGRAPHS[:3]))
    assert [(e.at, e.paragraph) for e in edits] == [("end", True)] * 3
    assert describe_edits(edits) == "cut 3 paragraphs"


def test_headline_edit() -> None:
    edits = _edits(
        _text(PARAGRAPHS),
        _text(PARAGRAPHS),
        title_a="Ships wait as port strike drags on",
        title_b="UPDATE 1-Ships wait as port strike drags on",
    )
    assert [(e.op, e.old, e.new) for e in edits] == [
        (
            "headline",
            "Ships wait as port strike drags on",
            "UPDATE 1-Ships wait as port strike drags on",
        )
    ]


def test_ocr_noise_is_no_edit() -> None:
    noisy = (
        _text(PARAGRAPHS)
        .replace("the", "tbe")
        .replace("o", "0", 3)
        .replace("waiting", "wait-\ning")
    )
    noisy = noisy.replace("crane operators", "craneoperators")
    assert _edits(_text(PARAGRAPHS), noisy) == ()


def test_fold_key_folds_ocr_lookalikes_and_spacing() -> None:
    assert fold_key("The game was stopped.") == fold_key("Thc gamewas st0pped")
    assert fold_key("41 vessels") != fold_key("38 vessels")


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_fold_key_of_ascii_text_is_that_of_the_unicode_path(text: str) -> None:
    # an apostrophe U+2019 is dropped like any punctuation, but takes the text off the ASCII path
    assert fold_key(text) == fold_key(text + "\u2019")


def test_page_chrome_is_no_edit() -> None:
    page = "\n\n".join(["Skip to content", "Sign in | Register", *PARAGRAPHS, "Leave a Reply"])
    assert _edits(_text(PARAGRAPHS), page) == ()


def test_original_by_date_then_by_content() -> None:
    full = _text(PARAGRAPHS)
    trimmed = _text(PARAGRAPHS[:4])
    members = [read_member(Article("copy", trimmed)), read_member(Article("orig", full))]
    root, basis, confidence, parents = pick_original(members)
    assert (root, basis, parents) == (1, "content", [1, 1])
    assert 0.0 < confidence <= 1.0
    dated = [
        read_member(Article("copy", trimmed, date="2026-01-01")),
        read_member(Article("orig", full, date="2026-01-02")),
    ]
    assert pick_original(dated)[:3] == (0, "date", 1.0)


def test_recased_headline_is_an_edit() -> None:
    page = _text(["Ships Wait As Port Strike Drags On", *PARAGRAPHS])
    edits = _edits(_text(["Ships wait as port strike drags on", *PARAGRAPHS]), page)
    assert [(e.op, e.new) for e in edits] == [("headline", "Ships Wait As Port Strike Drags On")]


def test_masthead_is_no_headline() -> None:
    parent = _text(["Ships wait as port strike drags on", *PARAGRAPHS])
    page = _text(["Skip to content", "Harbour Gazette", "Ships wait as port strike drags on"])
    assert _edits(parent, page + "\n\n" + _text(PARAGRAPHS)) == ()


def test_trimmed_copies_agreeing_do_not_outvote_the_original() -> None:
    trimmed = _text(PARAGRAPHS[:3])
    members = [read_member(Article(f"a-copy{k}", trimmed)) for k in range(3)]
    members.append(read_member(Article("b-orig", _text(PARAGRAPHS))))
    root, basis, _, _ = pick_original(members)
    assert (members[root].id, basis) == ("b-orig", "content")


def test_stock_and_headline_sentences_are_left_out_of_the_original_choice() -> None:
    stock_line = "Sign up for our newsletter to get the latest news every morning."
    members = [
        read_member(Article(f"a-copy{k}", _text([*PARAGRAPHS[:5], stock_line]))) for k in range(2)
    ]
    members.append(read_member(Article("b-orig", _text(PARAGRAPHS))))
    stock = frozenset({fold_key(stock_line)})
    # a corpus-sized stock of unrelated lines changes nothing (looked up, not joined per member)
    big = stock | frozenset(f"unrelatedline{k}" for k in range(50_000))
    assert pick_original(members, stock=stock) == pick_original(members, stock=big)
    root, basis, _, _ = pick_original(members, stock=big)
    assert (members[root].id, basis) == ("b-orig", "content")


def test_chain_parent_is_the_copy_it_was_made_from() -> None:
    extra = [
        "The harbour master said a second berth would open on Friday to ease the queue.",
        "Dock workers are expected to vote on the new offer early next week.",
    ]
    a = _text(PARAGRAPHS)
    b = _text([*PARAGRAPHS, *extra])  # an update of a
    c = _text([*PARAGRAPHS[:4], *extra])  # a trimmed copy of the update
    docs = [
        Article("a", a, date="2026-01-01"),
        Article("b", b, date="2026-01-02"),
        Article("c", c, date="2026-01-03"),
    ]
    [found] = copy_edits([DuplicateGroup("g", "a", ("a", "b", "c"), (1.0, 0.8, 0.6))], docs)
    assert found.original == "a"
    assert {x.id: x.parent for x in found.copies} == {"b": "a", "c": "b"}
    assert _ops(found.copy("c").edits) == ["removed", "removed"]


def test_copy_edits_accepts_a_fitted_clusterer_and_is_deterministic() -> None:
    from storymatch.dedup import NearDuplicateClusterer

    docs = [
        Article("orig", _text(PARAGRAPHS)),
        Article("copy", _text([*NUMBER[:5], "This is a developing story and will be updated."])),
        Article("other", "Heavy rain flooded the northern districts overnight, officials said."),
    ]
    clusterer = NearDuplicateClusterer().fit(docs)
    first = copy_edits(clusterer, docs)
    assert [g.to_dict() for g in first] == [
        g.to_dict() for g in copy_edits(find_duplicates(docs), docs)
    ]
    [group] = first
    assert group.original == "orig"
    ops = [e["op"] for e in json.loads(json.dumps(group.copies[0].to_dict()))["edits"]]
    assert sorted(set(ops)) == ["added", "number", "removed"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"min_score": 1.5}, "min_score", id="score"),
        pytest.param({"min_chain_gain": 0}, "min_chain_gain", id="gain"),
    ],
)
def test_bad_parameters(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        copy_edits([], [], **kwargs)  # type: ignore[arg-type]


def test_missing_member_is_an_error() -> None:
    with pytest.raises(InvalidParameterError, match="'b'"):
        copy_edits([DuplicateGroup("g", "a", ("a", "b"), (1.0, 1.0))], [Article("a", "x")])


def test_find_duplicates_does_not_compute_edits() -> None:
    groups = find_duplicates([_text(PARAGRAPHS), _text(PARAGRAPHS)])
    assert not hasattr(groups[0], "edits")


@given(
    number=st.sampled_from([None, 0, 2, 4]),
    drop=st.sampled_from([None, 1, 3]),
    trim=st.integers(min_value=0, max_value=1),
    add=st.booleans(),
)
def test_known_edits_are_reported_exactly(
    number: int | None, drop: int | None, trim: int, add: bool
) -> None:
    """A copy made by applying known edits to an article reports exactly those edits."""
    paragraphs = [
        *PARAGRAPHS,
        "Analysts expect 12 more ships to arrive before the end of the month.",
    ]
    paragraphs[2] = (
        "Shipping companies warned that 7 deliveries of fuel and grain could be delayed."
    )
    paragraphs[4] = "A spokesperson said 3 berths would stay closed until the backlog was cleared."
    copy = paragraphs.copy()
    expected: list[tuple[str, str | None, str | None]] = []
    if number is not None:
        old = {0: "41", 2: "7", 4: "3"}[number]
        new = str(int(old) + 5)
        copy[number] = copy[number].replace(old, new)
        expected.append(("number", old, new))
    if drop is not None:
        expected.append(("removed", None, copy[drop]))
    if trim:
        expected.append(("removed", None, copy[-1]))
    kept = [p for i, p in enumerate(copy) if i != drop and not (trim and i == len(copy) - 1)]
    if add:
        kept.append("Readers can send tips to the Harbour Gazette newsroom.")
        expected.append(("added", None, kept[-1]))
    edits = _edits(_text(paragraphs), _text(kept))
    got = [
        (e.op, e.old if e.op == "number" else None, e.text if e.op != "number" else e.new)
        for e in edits
    ]
    want = [(op, old, new) for op, old, new in expected]
    assert sorted(got, key=str) == sorted(want, key=str)


# ------------------------------------------------------------------------------ real data

# Measured on shared/data/syndication (benchmarks/copies_quality.py, 2026-12-06), minus noise.
FLOORS = {
    "original_accuracy": 0.97,
    "originals_kept": 1.0,
    "numbers_r": 0.93,
    "numbers_p": 0.97,
    "added_r": 0.98,
    "removed_r": 0.98,
    "headline_r": 0.89,
}


def _benchmark() -> ModuleType:
    """Import ``benchmarks.copies_quality`` from this checkout (pysbd installs a ``benchmarks``)."""
    loaded = sys.modules.get("benchmarks")
    if loaded is not None and Path(loaded.__file__ or "").resolve().parent != REPO / "benchmarks":
        for module in [m for m in sys.modules if m == "benchmarks" or m.startswith("benchmarks.")]:
            del sys.modules[module]
    if str(REPO) not in sys.path[:1]:
        sys.path.insert(0, str(REPO))
    return importlib.import_module("benchmarks.copies_quality")


@pytest.mark.slow
def test_syndication_floors() -> None:
    copies_quality = _benchmark()
    path = shared_data.data_file("syndication/docs.jsonl.gz")
    metrics = copies_quality.run(path)["metrics"]
    for name, floor in FLOORS.items():
        assert metrics[name] >= floor, (name, metrics[name])


@pytest.mark.slow
def test_syndication_in_two_processes_gives_the_edits_of_one() -> None:
    # the calling process does the first half of the groups, a forked worker the second
    path = shared_data.data_file("syndication/docs.jsonl.gz")
    articles = list(read_articles(path).articles)
    groups = find_duplicates(articles)
    one = copy_edits(groups, articles)
    two = copy_edits(groups, articles, n_jobs=2)
    assert len(one) > 500
    assert two == one
    # the lines that the command line writes, formatted in the workers: those of the result
    lines = copy_lines(groups, articles, n_jobs=2)
    assert [(g.group, g.basis) for g in lines] == [(g.group, g.basis) for g in one]
    assert [line for g in lines for line in g.lines] == [
        json_line(c.to_dict()) for g in one for c in g.copies
    ]
    assert [g.n_edits for g in lines] == [sum(len(c.edits) for c in g.copies) for g in one]


# ------------------------------------------------------------------------------ originals

WIRE = [
    "Rescue teams searched the collapsed mine for a third day on Wednesday.",
    "Twelve miners remain trapped about 300 metres below the surface, the company said.",
    "Engineers drilled a narrow shaft overnight to send down water and oxygen.",
    "Relatives gathered at the gate of the mine as the first images were released.",
    "The regional governor promised an inquiry into the safety record of the operator.",
]


def test_a_page_repeating_the_first_line_cut_short_is_not_the_original() -> None:
    # the page shows the text's first line twice, once cut where the template stops; the cut
    # line ends with a full stop and reads as a sentence, but it is no sentence of the text
    first = "Colts clinch playoff berth with 20-13 win in K. C."
    orig = _text([first, *PARAGRAPHS])
    page = _text(
        ["Home » Sports", "Colts clinch playoff berth with 20-13 win in K.", first, *PARAGRAPHS]
    )
    members = [read_member(Article("a-copy", page)), read_member(Article("b-orig", orig))]
    root, _, _, parents = pick_original(members)
    assert members[root].id == "b-orig"
    assert parents == [1, 1]


def test_misreads_make_the_copy_not_the_original() -> None:
    # the same text with OCR misreads: the bodies tie, the one with unknown words is the copy
    misread = [
        p.replace("authority", "authorlty").replace("Officials", "0fficials") for p in PARAGRAPHS
    ]
    misread[5] = misread[5].replace("imported", "irnported")
    members = [
        read_member(Article("a-copy", _text(misread))),
        read_member(Article("b-orig", _text(PARAGRAPHS))),
    ]
    root, basis, confidence, _ = pick_original(members)
    assert (members[root].id, basis) == ("b-orig", "content")
    assert confidence == 0.0  # the bodies alone cannot tell


def test_a_headline_behind_a_kicker_is_the_copy() -> None:
    head = "Twelve miners trapped as rescue enters third day"
    members = [
        read_member(Article("a-copy", _text(WIRE), title=f"UPDATE 1-{head}")),
        read_member(Article("b-orig", _text(WIRE), title=head)),
    ]
    assert members[pick_original(members)[0]].id == "b-orig"


def test_worker_processes_give_the_result_of_one_process() -> None:
    docs = []
    groups = []
    for k in range(6):
        orig = [f"Story {k}: {p}" for p in PARAGRAPHS]
        docs.append(Article(f"o{k}", _text(orig)))
        docs.append(Article(f"c{k}", _text([*orig[:4], "Readers can send tips to our desk."])))
        groups.append(DuplicateGroup(f"g{k}", f"o{k}", (f"o{k}", f"c{k}"), (1.0, 0.7)))
    one = [g.to_dict() for g in copy_edits(groups, docs, n_jobs=1)]
    assert [g.to_dict() for g in copy_edits(groups, docs, n_jobs=3)] == one
    # the added line is in every group: stock, pooled across the processes alike
    assert all(g["original"].startswith("o") for g in one)


@given(
    st.lists(
        st.dictionaries(st.sampled_from([f"key{k}" for k in range(12)]), st.integers(1, 3)),
        min_size=1,
        max_size=4,
    )
)
def test_stock_pooled_by_hashes_is_the_keys_of_two_groups_or_more(
    counts: list[dict[str, int]],
) -> None:
    # each process counts the groups with each key; a stock key is in two groups anywhere
    total: Counter[str] = Counter()
    for seen in counts:
        total.update(seen)
    hashes = [_key_hashes(seen) for seen in counts]
    payloads = [
        (h, np.array(list(seen.values()), dtype=np.int64))
        for h, seen in zip(hashes, counts, strict=True)
    ]
    pooled = _pool_stock(payloads)
    for seen, own, stock in zip(counts, hashes, pooled, strict=True):
        want = frozenset(k for k in seen if total[k] > 1)
        assert _own_stock(seen, stock, own) == want
        if len(counts) > 1:
            # a process that takes over these groups finds the same from the hashes alone
            assert _own_stock(dict.fromkeys(seen, 1), stock) == want


def test_stock_pooled_across_forked_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    # one group a chunk, each stock line in two groups (k and k + 20): some pair is most likely
    # read by two processes. Stock, the line says nothing and the bodies tie (the first id
    # wins); counted as a sentence, the member without it would be a trimmed copy of the other
    docs = []
    groups = []
    for k in range(40):
        orig = [f"Story {k}: {p}" for p in PARAGRAPHS]
        stock_line = f"Sign up for our newsletter number {k % 20} to get the news every morning."
        docs.append(Article(f"a{k}", _text(orig)))
        docs.append(Article(f"b{k}", _text([*orig, stock_line])))
        groups.append(DuplicateGroup(f"g{k}", f"a{k}", (f"a{k}", f"b{k}"), (1.0, 0.9)))
    one = copy_edits(groups, docs)
    assert [g.original for g in one] == [f"a{k}" for k in range(40)]
    monkeypatch.setattr(copies, "_CHUNK", 1)
    monkeypatch.setattr(copies, "_MIN_GROUPS_PER_JOB", 1)
    assert copy_edits(groups, docs, n_jobs=2) == one
    # this process slowed after the exchange: the worker, done with its own groups, reads and
    # compares this one's, with the stock keys this one would have found
    caller = os.getpid()
    own_stock = copies._own_stock

    def slowed_here(
        seen: Mapping[str, int], pooled: np.ndarray, hashes: np.ndarray | None = None
    ) -> frozenset[str]:
        if hashes is not None and os.getpid() == caller:
            time.sleep(0.5)
        return own_stock(seen, pooled, hashes)

    monkeypatch.setattr(copies, "_own_stock", slowed_here)
    assert copy_edits(groups, docs, n_jobs=2) == one


def test_copy_lines_are_the_json_lines_of_copy_edits_in_any_number_of_processes() -> None:
    docs = []
    groups = []
    for k in range(5):
        orig = [f"Story {k}: {p}" for p in PARAGRAPHS]
        copy = [orig[0].replace("Tuesday", "Wednesday"), *orig[1:4], "Readers can send tips."]
        docs.append(Article(f"o{k}", _text(orig), date="2026-03-02"))
        docs.append(Article(f"c{k}", _text(copy), date="2026-03-03"))
        docs.append(Article(f"d{k}", _text(orig[:3]), date="2026-03-04"))
        groups.append(
            DuplicateGroup(f"g{k}", f"o{k}", (f"o{k}", f"c{k}", f"d{k}"), (1.0, 0.7, 0.6))
        )
    found = copy_edits(groups, docs)
    want = [[json_line(c.to_dict()) for c in g.copies] for g in found]
    assert all(len(lines) == 2 for lines in want)
    for n_jobs in (None, 2):
        lines = copy_lines(groups, docs, n_jobs=n_jobs)
        assert [list(g.lines) for g in lines] == want
        assert [g.group for g in lines] == [g.id for g in groups]
        assert {g.basis for g in lines} == {"date"}
        assert [g.n_edits for g in lines] == [sum(len(c.edits) for c in g.copies) for g in found]
        assert all(n > 0 for n in (g.n_edits for g in lines))


def test_bad_n_jobs() -> None:
    with pytest.raises(InvalidParameterError, match="n_jobs"):
        copy_edits([], [], n_jobs=0)
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter of copy_lines"):
        copy_lines([], [], n_jobs=0)


@pytest.mark.parametrize(
    ("old", "new", "ops"),
    [
        pytest.param("rose 5 points", "rose five points", [], id="word-for-digits"),
        pytest.param("rose 5 points", "rose 5%", ["changed"], id="unit"),
        pytest.param("cost 1,200 dollars", "cost 1200 dollars", [], id="separator"),
        pytest.param("41 vessels", "38 vessels", ["number"], id="value"),
    ],
)
def test_amounts_follow_the_differ_number_rules(old: str, new: str, ops: list[str]) -> None:
    # the same amount written another way is no edit; the same digits in another unit are
    base = "The index {} on Tuesday, traders said."
    parent, copy = PARAGRAPHS.copy(), PARAGRAPHS.copy()
    parent[3], copy[3] = base.format(old), base.format(new)
    assert _ops(_edits(_text(parent), _text(copy))) == ops


def test_kernels_are_loaded_before_the_workers_are_forked() -> None:
    # a fresh process: the kernels that reading and comparing call load on their first call;
    # copy_edits loads them before forking so that the workers inherit them
    code = (
        "from storymatch import _kernels as k\n"
        "from storymatch.dedup import copies\n"
        "names = ('line_sentence_keys', 'line_sentences', 'ascii_word_diff',\n"
        "         'min_arborescence_dense')\n"
        "assert not any(getattr(k, n).signatures for n in names)\n"
        "copies._load_kernels()\n"
        "print([len(getattr(k, n).signatures) for n in names])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert all(int(n) >= 1 for n in done.stdout.strip().strip("[]").split(","))
