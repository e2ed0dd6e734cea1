"""The shortcuts of pick_original's helpers against their plain definitions (issue 14).

Each helper computes what its docstring defines by a cheaper route (once per group instead of
once per member, a pair scored once, a search narrowed to the places that can match); the
plain definitions below are the routes they replaced, and random inputs with many near-equal
keys (a small alphabet) make the cases the shortcuts skip common.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from storymatch.dedup.copies import (
    ADDED_RUN_WEIGHT,
    REMOVED_WEIGHT,
    TRIM_WEIGHT,
    _derived,
    _eligible,
    _made_from,
    _missing_runs,
    _repeats,
    _variants,
    _weights,
    fold_key,
    read_member,
)
from storymatch.models import Article

_KEY = st.text(alphabet="abc", min_size=1, max_size=7)
_PAGE = st.sets(_KEY, max_size=8)


def _plain_repeats(own: set[str], heads: frozenset[str]) -> frozenset[str]:
    """A key of the page that properly starts a key of the page or a head, or ends a key of the
    page at least twice its length."""
    out = {k for k in own if any(x != k and x.startswith(k) for x in own | heads)}
    out |= {x for x in own for k in own if x != k and x.endswith(k) and 2 * len(k) >= len(x)}
    return frozenset(out)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PAGE, min_size=1, max_size=5), st.frozensets(_KEY, max_size=3))
def test_repeats_of_a_group_are_each_pages_own(
    pages: list[set[str]], heads: frozenset[str]
) -> None:
    assert _repeats(pages, heads) == [_plain_repeats(own, heads) for own in pages]


def _plain_variants(pages: list[set[str]], min_score: float) -> dict[str, str]:
    """Join every pair with a key some member lacks at ``min_score``; name by count, then sort."""
    seen: dict[str, int] = {}
    for page in pages:
        for key in page:
            seen[key] = seen.get(key, 0) + 1
    keys = sorted(seen)
    component = {k: {k} for k in keys}
    for a in keys:
        for b in keys:
            if a == b or (seen[a] == len(pages) and seen[b] == len(pages)):
                continue
            if fuzz.ratio(a, b) >= 100 * min_score and component[a] is not component[b]:
                joined = component[a] | component[b]
                for k in joined:
                    component[k] = joined
    out = {}
    for forms in component.values():
        if len(forms) > 1:
            name = min(forms, key=lambda k: (-seen[k], k))
            out.update((k, name) for k in forms)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(_PAGE, min_size=2, max_size=5), st.sampled_from([0.5, 0.6, 0.8]))
def test_variants_join_what_the_pairs_join(pages: list[set[str]], min_score: float) -> None:
    assert _variants(pages, min_score) == _plain_variants(pages, min_score)


def test_variants_score_each_pair_as_cdist_does() -> None:
    # the symmetric cdist call scores a pair as the rectangular one does
    keys = ["theministersaidonmonday", "theministersaidontuesday", "aquiteotherline", "x"]
    square = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=60, dtype=np.uint8)
    other = process.cdist(keys, list(keys), scorer=fuzz.ratio, score_cutoff=60, dtype=np.uint8)
    assert (square == other).all()
    assert _variants([{keys[0], keys[2]}, {keys[1], keys[2]}], 0.6) == {
        keys[0]: keys[0],
        keys[1]: keys[0],
    }


def test_variants_of_a_group_with_few_rare_keys() -> None:
    # most keys in every member: the rare keys are scored against all (not all against all)
    common = {f"commonsentencenumber{k}saidtheminister" for k in "abcdef"}
    one = common | {"thebudgetgrewbyfivepercent"}
    two = common | {"thebudgetgrewby5percent"}
    plain = _plain_variants([one, two], 0.6)
    assert _variants([one, two], 0.6) == plain
    assert plain["thebudgetgrewby5percent"] == plain["thebudgetgrewbyfivepercent"]
    assert not common & plain.keys()  # alike, but every member has each: not compared


def _plain_derived(headline: str, other: str) -> bool:
    a, b = fold_key(headline), fold_key(other)
    if not a or not b or a == b:
        return False
    if b.startswith(a):
        return len(headline.split()) >= 3
    return any(b.startswith(a[k:]) for k in range(1, len(a) // 2 + 1))


_HEADLINE = st.text(alphabet="ab :-", max_size=12)


@settings(max_examples=500, deadline=None)
@given(_HEADLINE, _HEADLINE)
def test_derived_finds_every_kicker(headline: str, other: str) -> None:
    assert _derived(headline, fold_key(headline), fold_key(other)) == _plain_derived(
        headline, other
    )


def test_derived_behind_a_kicker_and_cut() -> None:
    made = "Minister resigns over budget"
    assert _derived("UPDATE 1-" + made, fold_key("UPDATE 1-" + made), fold_key(made))
    cut = "Minister resigns over"
    assert _derived(cut, fold_key(cut), fold_key(made))
    assert not _derived("Minister resigns", fold_key("Minister resigns"), fold_key(made))
    assert not _derived(made, fold_key(made), fold_key("UPDATE 1-" + made))


def _plain_made_from(weights: list[dict[str, int]]) -> dict[tuple[int, int], tuple[float, float]]:
    orders = [list(w) for w in weights]
    out = {}
    for r, have in enumerate(weights):
        for o, other in enumerate(weights):
            if o != r:
                inner, tail, added = _missing_runs(orders[o], have.keys())
                dropped, trimmed, removed = _missing_runs(orders[r], other.keys())
                edit = ADDED_RUN_WEIGHT * (inner + tail) + dropped + TRIM_WEIGHT * trimmed
                out[r, o] = (edit, added + REMOVED_WEIGHT * removed)
    return out


def _sums(
    made: dict[tuple[int, int], tuple[float, float]], n: int
) -> tuple[list[float], list[float]]:
    edits, chars = [0.0] * n, [0.0] * n
    for (r, _), (edit, extra) in made.items():  # in the order pick_original summed them
        edits[r] += edit
        chars[r] += extra
    return edits, chars


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_KEY, max_size=8), min_size=2, max_size=5),
    st.dictionaries(_KEY, _KEY, max_size=4),
)
def test_made_from_counts_both_weightings(
    eligible: list[list[str]], variants: dict[str, str]
) -> None:
    weights = [_weights(keys) for keys in eligible]
    joined = [_weights(keys, variants) for keys in eligible]
    marked = [
        w if variants.keys() & set(keys) else None for w, keys in zip(joined, eligible, strict=True)
    ]
    edits, chars, made = _made_from(weights, marked)
    assert (edits, chars) == _sums(_plain_made_from(weights), len(weights))
    plain_joined = _plain_made_from(joined)
    assert made == {pair: edit for pair, (edit, _) in plain_joined.items()}
    assert list(made) == list(plain_joined)  # the order the tree's costs are summed in
    assert _made_from(weights)[2] == {pair: e for pair, (e, _) in _plain_made_from(weights).items()}


def test_made_from_counts_members_alike_once_and_right() -> None:
    # three copies alike and one trimmed: the alike ones cost nothing made from each other
    keys = ["one", "two", "three", "four"]
    weights = [_weights(keys), _weights(keys[:2]), _weights(keys), _weights(keys)]
    edits, chars, made = _made_from(weights)
    assert (edits, chars) == _sums(_plain_made_from(weights), 4)
    assert made[0, 2] == made[2, 3] == 0.0
    assert made[1, 0] == ADDED_RUN_WEIGHT
    assert made[0, 1] == TRIM_WEIGHT
    assert chars[1] == 3 * (len("three") + len("four"))
    assert chars[0] == REMOVED_WEIGHT * (len("three") + len("four"))


def test_missing_runs_count_a_trimmed_tail_apart() -> None:
    assert _missing_runs(["a", "b", "c", "d"], {"a", "c"}) == (1, 1, 2)
    assert _missing_runs(["a", "b"], {"a", "b"}) == (0, 0, 0)
    assert _missing_runs(["a", "b"], set()) == (1, 0, 2)


_BODIES = [
    "The port handled 41 vessels on Monday. Officials praised the crews!\n"
    "A hyphen-\nated line breaks here. Tabs\tand  double  spaces count once?",
    "Z\u00fcrich paid \u00a35 on Friday.\u00a0It rained, she said.\n"
    "\u201cFour words end here.\u201d Too short. Two words.",
    "UNIT\x1fSEPARATED words still split as str.split splits them. Yes it does, really.",
]


def test_words_of_a_read_sentence_are_those_str_split_sees() -> None:
    # _eligible counts a sentence's words by ``words``: the count str.split gives its text
    for k, body in enumerate(_BODIES):
        member = read_member(Article(f"a{k}", body))
        assert member.sentences
        assert all(s.words == len(s.text.split()) for s in member.sentences)


def test_eligible_keeps_sentences_of_four_words_that_end_as_sentences() -> None:
    member = read_member(Article("a", _BODIES[1]))
    kept = {
        s.text for s in member.sentences if s.key in _eligible(member, frozenset(), frozenset())
    }
    assert "\u201cFour words end here.\u201d" in kept
    assert "Z\u00fcrich paid \u00a35 on Friday." in kept
    assert not kept & {"Too short.", "Two words."}
