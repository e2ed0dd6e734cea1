"""The shortcuts of diff_copy's helpers against their plain definitions (issue 14).

``_whole`` tells a whole paragraph from the run's neighbours instead of counting the sentences
of every paragraph, ``_sentence_edits`` folds no more words of a pair once it is reworded
unless both sides hold digits, ``diff_copy`` looks for no added (removed) run where every
sentence of the copy (the parent) is paired, and ``_copy_edit`` makes an edit without its
``__init__``. The plain definitions below are the routes they
replaced; random inputs of few words, digits and OCR look-alikes make the skipped cases common.
"""

from __future__ import annotations

import pickle
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from storymatch.dedup.copies import (
    _DIGIT,
    _NUMBER,
    MemberText,
    _amounts,
    _copy_edit,
    _runs,
    _Sent,
    _sentence_edits,
    _whole,
    diff_copy,
    fold_key,
    read_member,
)
from storymatch.models import Article, CopyEdit, CopyOp, DiffOp
from storymatch.text.worddiff import word_diff


def _plain_whole(run: list[int], sents: list[_Sent]) -> bool:
    """The run holds as many sentences as its paragraph has."""
    sizes = Counter([s.paragraph for s in sents])
    return sizes[sents[run[0]].paragraph] == len(run)


def _sent(text: str, paragraph: int = 0) -> _Sent:
    return _Sent(text, 0, len(text), paragraph, fold_key(text), len(text.split()))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=14),
    st.lists(st.booleans(), min_size=14, max_size=14),
)
def test_whole_is_the_count_of_the_paragraph(steps: list[int], left: list[bool]) -> None:
    paragraphs = [sum(steps[: i + 1]) for i in range(len(steps))]  # in text order
    sents = [_sent(f"s{i}", p) for i, p in enumerate(paragraphs)]
    for run in _runs([i for i in range(len(sents)) if left[i]], sents):
        assert _whole(run, sents) == _plain_whole(run, sents)


def _plain_sentence_edits(
    old: _Sent, new: _Sent
) -> tuple[list[tuple[str, str]], bool, tuple[object, ...]]:
    """_sentence_edits as it was: every word folded, whether the pair is reworded or not."""
    opcodes = word_diff(old.text, new.text)
    numbers: list[tuple[str, str]] = []
    reworded = False
    for op in opcodes:
        if op.tag == "equal":
            continue
        a = old.text[op.a_start : op.a_end]
        b = new.text[op.b_start : op.b_end]
        if fold_key(a) == fold_key(b):
            continue
        if _DIGIT.search(a) and _DIGIT.search(b):
            na, nb = _NUMBER.findall(a), _NUMBER.findall(b)
            if len(na) == len(nb) and fold_key(_NUMBER.sub("#", a)) == fold_key(
                _NUMBER.sub("#", b)
            ):
                numbers.extend(
                    (x, y)
                    for x, y in zip(na, nb, strict=True)
                    if fold_key(x) != fold_key(y) and _amounts(x) != _amounts(y)
                )
                continue
        if reworded or not a or not b:
            reworded = True
            continue
        amounts = _amounts(a)
        if amounts and amounts == _amounts(b):
            continue
        reworded = True
    return numbers, reworded, opcodes


_WORDS = st.sampled_from(
    ["the", "port", "handled", "41", "38", "vessels", "five", "5", "5%", "1,200", "1200",
     "0ld", "old", "c1ty", "city", "about", "3.5", "said", ",", "."]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=12), st.lists(_WORDS, min_size=1, max_size=12))
def test_sentence_edits_as_every_word_folded(left: list[str], right: list[str]) -> None:
    old, new = _sent(" ".join(left)), _sent(" ".join(right))
    assert _sentence_edits(old, new) == _plain_sentence_edits(old, new)


def test_sentence_edits_finds_a_number_after_a_rewording() -> None:
    old = _sent("Officials said the port handled 41 vessels.")
    new = _sent("Officials noted the port handled 38 vessels.")
    numbers, reworded, _ = _sentence_edits(old, new)
    assert reworded
    assert numbers == [("41", "38")]


def test_no_lone_edits_where_every_sentence_is_paired() -> None:
    def member(key: str, text: str) -> MemberText:
        return read_member(Article(key, text, title="Port reopens"))

    parent = member("p", "The port opened. It handled 41 ships. Crews cheered.")
    same = member("c", "The port opened. It handled 38 ships. Crews cheered.")
    longer = member("d", "The port opened. It handled 41 ships. Crews cheered. More came.")
    shorter = member("e", "The port opened. It handled 41 ships.")
    assert [e.op for e in diff_copy(parent, same)[0]] == ["number"]
    assert [(e.op, e.text) for e in diff_copy(parent, longer)[0]] == [("added", "More came.")]
    removed = diff_copy(parent, shorter)[0]
    assert [(e.op, e.text, e.at) for e in removed] == [("removed", "Crews cheered.", "end")]


def test_an_edit_made_without_its_init_is_the_dataclass_s() -> None:
    # every field its own value: a setter of the wrong slot would show
    fields: dict[str, Any] = {
        "old": "41",
        "new": "38",
        "text": "text",
        "old_sentence": "41 vessels waited.",
        "new_sentence": "38 vessels waited.",
        "old_words": "41 vessels",
        "new_words": "38 vessels",
        "at": "end",
        "paragraph": True,
        "old_span": (0, 18),
        "new_span": (5, 23),
        "opcodes": (DiffOp("replace", 0, 2, 0, 2),),
    }
    assert set(fields) == set(CopyEdit.__slots__) - {"op"}
    ops: tuple[CopyOp, ...] = ("number", "added", "headline")
    for op in ops:
        assert _copy_edit(op) == CopyEdit(op)
        made = _copy_edit(op, **fields)
        plain = CopyEdit(op, **fields)
        assert made == plain
        assert hash(made) == hash(plain)
        assert repr(made) == repr(plain)
        assert pickle.loads(pickle.dumps(made)) == plain
