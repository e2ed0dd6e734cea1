"""Tests for storymatch.text.shingles, against the pure-Python oracle in tests/reference.py."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import reference as ref
from tests.strategies import news_texts, word_texts

from storymatch.dedup.minhash import SIGNATURE_VERSION
from storymatch.errors import InvalidParameterError
from storymatch.text.shingles import ShingleSets, encode_batch, shingle, shingle_batch

REPO = Path(__file__).resolve().parents[2]


def _as_set(values: np.ndarray) -> set[int]:
    return set(values.tolist())


def _assert_canonical(values: np.ndarray) -> None:
    assert values.dtype == np.uint64
    assert np.all(values[1:] > values[:-1]), "hashes must be sorted and distinct"


# --------------------------------------------------------------------------- oracle properties


@given(
    st.lists(st.one_of(word_texts(), news_texts()), min_size=1, max_size=4),
    st.integers(1, 6),
    st.booleans(),
)
def test_word_shingle_sets_match_oracle(texts: list[str], size: int, ocr_fold: bool) -> None:
    sets = shingle_batch(texts, shingle_size=size, ocr_fold=ocr_fold)
    assert len(sets) == len(texts)
    expected = [ref.word_shingles(t, size, ocr_fold=ocr_fold) for t in texts]
    assert sets.sizes.tolist() == [len(e) for e in expected]
    for values in sets:
        _assert_canonical(values)
    # Hash sets intersect exactly where the token-tuple sets do, so Jaccard is exact.
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            got = len(np.intersect1d(sets[i], sets[j], assume_unique=True))
            assert got == len(expected[i] & expected[j])


@given(st.lists(st.one_of(word_texts(), news_texts()), min_size=1, max_size=4), st.integers(1, 9))
def test_char_shingle_sets_match_oracle(texts: list[str], size: int) -> None:
    sets = shingle_batch(texts, kind="char", shingle_size=size)
    expected = [ref.char_shingles(t, size) for t in texts]
    assert sets.sizes.tolist() == [len(e) for e in expected]
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            got = len(np.intersect1d(sets[i], sets[j], assume_unique=True))
            assert got == len(expected[i] & expected[j])


@given(st.one_of(word_texts(), news_texts()), st.sampled_from(["word", "char"]))
@settings(max_examples=50)
def test_batch_composition_does_not_change_hashes(text: str, kind: str) -> None:
    # An all-ASCII batch is encoded as uint8 and a mixed one as uint32: same hashes either way.
    alone = shingle(text, kind=kind)  # type: ignore[arg-type]
    batch = shingle_batch(["\u00e9t\u00e9 \u65e5\u672c", text, ""], kind=kind)  # type: ignore[arg-type]
    assert np.array_equal(batch[1], alone)
    assert np.array_equal(shingle_batch([text, "plain ascii"], kind=kind)[0], alone)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- word shingles


def test_docstring_example() -> None:
    sets = shingle_batch(["One two three four five six", "ONE two three four five"])
    assert [len(s) for s in sets] == [2, 1]
    assert sets[1][0] in sets[0]


def test_identical_texts_give_identical_hashes() -> None:
    text = "The council approved the new budget on Tuesday after a long debate."
    sets = shingle_batch([text, text])
    assert np.array_equal(sets[0], sets[1])
    assert np.array_equal(shingle(text), sets[0])


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param(
            "The Council Approved THE Budget", "the council approved the budget", id="case"
        ),
        pytest.param(
            "Stra\u00dfe und Br\u00fccke sind gesperrt",
            "STRASSE UND BR\u00dcCKE SIND GESPERRT",
            id="casefold-sharp-s",
        ),
        pytest.param(
            "\uff34\uff48\uff45 \uff43\uff4f\uff55\uff4e\uff43\uff49\uff4c met on day \uff12",
            "the council met on day 2",
            id="full-width",
        ),
        pytest.param(
            "\ufb01nal \ufb02ight to the o\ufb03ce", "final flight to the office", id="ligatures"
        ),
        pytest.param(
            "Cafe\u0301 cre\u0300me bru\u0302le\u0301e sold",
            "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e sold",
            id="nfd-vs-nfc",
        ),
        pytest.param("one\u00a0two\u00a0three four five", "one two three four five", id="nbsp"),
        pytest.param(
            "\u201cone\u201d two \u2014 three four, five",
            '"one" two - three four, five',
            id="typography",
        ),
        pytest.param(
            "\u0399\u03a3\u03a4\u039f\u03a1\u0399\u0391 \u03a4\u0397\u03a3",
            "\u03b9\u03c3\u03c4\u03bf\u03c1\u03b9\u03b1 \u03c4\u03b7\u03c2",
            id="greek-final-sigma",
        ),
    ],
)
def test_case_and_nfkc_variants_give_identical_hashes(left: str, right: str) -> None:
    for size in (1, 3, 5):
        assert np.array_equal(shingle(left, shingle_size=size), shingle(right, shingle_size=size))


@given(st.data(), st.integers(2, 5))
def test_shingles_never_cross_a_line_break(data: st.DataObject, size: int) -> None:
    tokens = data.draw(
        st.lists(
            st.text(alphabet="abcdefgh", min_size=1, max_size=3), min_size=2 * size, max_size=14
        )
    )
    cut = data.draw(st.integers(size, len(tokens) - size))
    first, second = " ".join(tokens[:cut]), " ".join(tokens[cut:])
    both = shingle(f"{first}\n{second}", shingle_size=size)
    expected = _as_set(shingle(first, shingle_size=size)) | _as_set(
        shingle(second, shingle_size=size)
    )
    assert _as_set(both) == expected


@pytest.mark.parametrize(
    "line_break",
    [
        pytest.param("\n", id="lf"),
        pytest.param("\r\n", id="crlf"),
        pytest.param("\n\n", id="blank-line"),
        # normalize() maps these to "\n": they are line breaks in storymatch's own model.
        pytest.param("\r", id="cr"),
        pytest.param("\u2028", id="line-separator"),
    ],
)
def test_line_break_kinds_are_block_boundaries(line_break: str) -> None:
    text = f"alpha beta gamma delta epsilon{line_break}zeta eta theta iota kappa"
    assert len(shingle(text)) == 2


@pytest.mark.parametrize(
    ("wrapped", "expected"),
    [
        pytest.param(
            "the gov-\nernment said on tuesday", "the government said on tuesday", id="join"
        ),
        pytest.param(
            "a wrapped com-\npound-\nword here now", "a wrapped compoundword here now", id="twice"
        ),
        pytest.param(
            "the list -\nnext item here now and more",
            "the list\nnext item here now and more",
            id="spaced-hyphen",
        ),
        pytest.param("ends with a dash-\n", "ends with a dash", id="at-end"),
    ],
)
def test_hyphenated_line_wraps_are_joined(wrapped: str, expected: str) -> None:
    assert np.array_equal(shingle(wrapped, shingle_size=2), shingle(expected, shingle_size=2))


def test_ocr_fold_makes_common_misreads_invisible() -> None:
    clean = "the bridge collapsed into the river on thursday evening 10 minutes later"
    noisy = "tbe bridgc collapsed lnto the river on tbursday evening lO minutes 1ater"
    assert np.array_equal(shingle(clean, ocr_fold=True), shingle(noisy, ocr_fold=True))
    assert np.array_equal(shingle(clean), shingle(noisy))  # folding is the default
    plain_clean, plain_noisy = shingle(clean, ocr_fold=False), shingle(noisy, ocr_fold=False)
    assert not set(plain_clean.tolist()) & set(plain_noisy.tolist())
    assert not np.array_equal(shingle(clean, ocr_fold=True), plain_clean)
    # Character shingles ignore the option.
    assert np.array_equal(
        shingle(clean, kind="char", ocr_fold=True), shingle(clean, kind="char", ocr_fold=False)
    )


def test_short_lines_add_nothing_when_a_long_line_exists() -> None:
    long_line = "the council approved the new budget on tuesday"
    with_chrome = f"Skip to content\n\n{long_line}\n\nShare this: Facebook Twitter\nBy Staff"
    assert np.array_equal(shingle(with_chrome), shingle(long_line))
    assert len(shingle(long_line)) == 4


def test_all_short_lines_are_shingled_across_lines() -> None:
    text = "one two three\nfour five six\nseven"
    assert np.array_equal(shingle(text), shingle("one two three four five six seven"))
    assert len(shingle(text)) == 3


def test_fewer_tokens_than_shingle_size_give_one_shingle() -> None:
    assert len(shingle("just three words")) == 1
    assert len(shingle("just three\nwords")) == 1
    assert not np.array_equal(shingle("just three words"), shingle("just three"))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("", "word", id="word-empty"),
        pytest.param("   \n\n\t\u00a0 ", "word", id="word-whitespace"),
        pytest.param(
            "!!! ... --- \u2014 \u201c\u201d \u00a9 \u20ac", "word", id="word-punctuation"
        ),
        pytest.param("", "char", id="char-empty"),
        pytest.param("   \n\n\t\u00a0 ", "char", id="char-whitespace"),
    ],
)
def test_texts_without_words_have_no_shingles(text: str, kind: str) -> None:
    assert len(shingle(text, kind=kind)) == 0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        # Documented rule: "tokens are runs of letters and digits". These marks are neither
        # (Unicode Po / So) but the kernel counts them as word characters...
        pytest.param("alpha\u060c beta alpha beta", id="arabic-comma"),
        pytest.param("alpha\u0964 alpha", id="devanagari-danda"),
        pytest.param("alpha \U0001f534 beta", id="emoji"),
        # ...and this one is a letter (Lm, "\u4eba\u3005" = people) that it counts as a separator.
        pytest.param("\u4eba\u3005 \u4eba", id="ideographic-iteration-mark"),
    ],
)
def test_tokens_are_runs_of_letters_and_digits(text: str) -> None:
    assert len(shingle(text, shingle_size=1)) == len(ref.word_shingles(text, 1))


def test_lone_surrogate_does_not_crash() -> None:
    # json.loads('"\\ud83d"') yields a lone surrogate: scraped JSON with a broken emoji escape.
    text = json.loads('"Breaking news \\ud83d from the council meeting on Tuesday evening"')
    values = shingle(text)
    assert len(values) > 0


def test_seed_changes_hashes() -> None:
    text = "The council approved the new budget on Tuesday after a long debate."
    for kind in ("word", "char"):
        a = shingle(text, kind=kind, seed=0)
        b = shingle(text, kind=kind, seed=1)
        assert len(a) == len(b)
        assert not (_as_set(a) & _as_set(b))
        assert np.array_equal(a, shingle(text, kind=kind, seed=0))


# --------------------------------------------------------------------------- char shingles


def test_char_shingles_basic_behaviour() -> None:
    assert len(shingle("abcdef", kind="char", shingle_size=3)) == 4
    assert len(shingle("aaaaaa", kind="char", shingle_size=3)) == 1
    assert len(shingle("ab", kind="char", shingle_size=5)) == 1
    assert np.array_equal(
        shingle("Hello   World\n\n  Again ", kind="char", shingle_size=4),
        shingle("hello world again", kind="char", shingle_size=4),
    )
    assert np.array_equal(
        shingle("\uff28\uff49 there", kind="char", shingle_size=3),
        shingle("hi there", kind="char", shingle_size=3),
    )
    # Character and word shingles of the same text are different hash families.
    text = "one two three four five six"
    assert not (
        _as_set(shingle(text, kind="char", shingle_size=5)) & _as_set(shingle(text, shingle_size=5))
    )


def test_char_shingles_tolerate_ocr_noise_better_than_word_shingles() -> None:
    clean = "the bridge collapsed into the river from the hospital roof too"
    noisy = "tbe bridge collapsed into tbe river frorn the hospita1 roof t0o"

    def sim(kind: str, size: int) -> float:
        a = _as_set(shingle(clean, kind=kind, shingle_size=size))  # type: ignore[arg-type]
        b = _as_set(shingle(noisy, kind=kind, shingle_size=size))  # type: ignore[arg-type]
        return len(a & b) / len(a | b)

    assert sim("char", 5) > sim("word", 5)


# --------------------------------------------------------------------------- ShingleSets


def test_shingle_sets_container_protocol() -> None:
    texts = ["one two three four five six", "", "seven eight nine ten eleven"]
    sets = shingle_batch(texts)
    assert len(sets) == 3
    assert sets.sizes.tolist() == [2, 0, 1]
    assert sets.offsets.tolist() == [0, 2, 2, 3]
    assert [len(s) for s in sets] == [2, 0, 1]
    assert np.array_equal(sets[2], sets.values[2:3])


@pytest.mark.parametrize("cuts", [(), (0,), (1,), (1, 3), (2, 2, 4)], ids=str)
def test_shingle_sets_concat_equals_one_batch(cuts: tuple[int, ...]) -> None:
    texts = [
        "one two three four five six",
        "",
        "seven eight nine ten eleven twelve thirteen",
        "short",
        "\u00e9t\u00e9 chaud \u00e0 la plage de nice cette ann\u00e9e",
    ]
    bounds = [0, *cuts, len(texts)]
    parts = [shingle_batch(texts[a:b]) for a, b in itertools.pairwise(bounds)]
    joined = ShingleSets.concat(parts)
    whole = shingle_batch(texts)
    assert np.array_equal(joined.offsets, whole.offsets)
    assert np.array_equal(joined.values, whole.values)
    assert joined.offsets.dtype == np.int64


def test_shingle_sets_concat_of_nothing_is_empty() -> None:
    empty = ShingleSets.concat([])
    assert len(empty) == 0
    assert empty.offsets.tolist() == [0]
    assert empty.values.dtype == np.uint64


def test_encode_batch_layout() -> None:
    codes, offsets = encode_batch(["Ab", "", "\u00c9t\u00e9"])
    assert offsets.tolist() == [0, 2, 2, 5]
    assert codes.dtype == np.uint8  # every code point below 256: one byte each
    assert "".join(map(chr, codes.tolist())) == "ab" + "\u00e9t\u00e9"
    codes, offsets = encode_batch(["Ab", "\u2019\u00e9", "\U0001f600"])
    assert offsets.tolist() == [0, 2, 4, 5]
    assert codes.dtype == np.uint32
    assert "".join(map(chr, codes.tolist())) == "ab\u2019\u00e9\U0001f600"
    codes, _ = encode_batch(["plain", "ascii"])
    assert codes.dtype == np.uint8


@pytest.mark.parametrize("kind", ["word", "char"])
def test_one_byte_and_four_byte_layouts_hash_alike(kind: str) -> None:
    texts = ["Caf\u00e9 \u00bb News \u00a0\u00a0 r\u00e9sum\u00e9 d\u00e9j\u00e0 vu", "Plain one"]
    alone = [shingle(t, kind=kind).tolist() for t in texts]  # one byte per code point
    wide = shingle_batch([*texts, "\u2019"], kind=kind)  # a curly quote: four bytes each
    assert [s.tolist() for s in wide][:2] == alone


# --------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    ("options", "name"),
    [
        pytest.param({"kind": "line"}, "kind", id="kind"),
        pytest.param({"shingle_size": 0}, "shingle_size", id="size-zero"),
        pytest.param({"shingle_size": 65}, "shingle_size", id="size-too-large"),
        pytest.param({"shingle_size": 2.0}, "shingle_size", id="size-float"),
        pytest.param({"shingle_size": True}, "shingle_size", id="size-bool"),
        pytest.param({"seed": -1}, "seed", id="seed-negative"),
        pytest.param({"seed": 2**63}, "seed", id="seed-too-large"),
        pytest.param({"seed": "1"}, "seed", id="seed-str"),
    ],
)
def test_invalid_parameters_raise(options: dict[str, object], name: str) -> None:
    with pytest.raises(InvalidParameterError, match=f"'{name}'") as info:
        shingle_batch(["some text"], **options)  # type: ignore[arg-type]
    assert repr(next(iter(options.values()))) in str(info.value)
    with pytest.raises(ValueError, match=f"'{name}'"):
        shingle("some text", **options)  # type: ignore[arg-type]


def test_numpy_integer_parameters_are_accepted() -> None:
    text = "one two three four five six"
    assert np.array_equal(
        shingle(text, shingle_size=np.int64(3), seed=np.uint32(7)),  # type: ignore[arg-type]
        shingle(text, shingle_size=3, seed=7),
    )


# --------------------------------------------------------------------------- determinism

_HASH_SCRIPT = """
import json
from storymatch.text.shingles import shingle_batch
texts = json.loads({texts!r})
out = {{k: [s.tolist() for s in shingle_batch(texts, kind=k, seed=3)] for k in ("word", "char")}}
print(json.dumps(out))
"""

_FIXED_TEXTS = [
    "The council approved the new budget on Tuesday after a long debate.",
    "\u201cWe are not prepared to let it settle,\u201d Governor Vendramin said.\n\n"
    "Stra\u00dfe, caf\u00e9, \u65e5\u672c.",
    "",
]


def _hashes_in_subprocess(hash_seed: str) -> dict[str, list[list[int]]]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    script = _HASH_SCRIPT.format(texts=json.dumps(_FIXED_TEXTS))
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_hashes_do_not_depend_on_pythonhashseed() -> None:
    first = _hashes_in_subprocess("0")
    second = _hashes_in_subprocess("4242")
    assert first == second
    here = {
        kind: [s.tolist() for s in shingle_batch(_FIXED_TEXTS, kind=kind, seed=3)]
        for kind in ("word", "char")
    }
    assert first == here


# Word 3-gram hash of "one two three" (seed 0) for each SIGNATURE_VERSION. Changing the hash
# function must bump SIGNATURE_VERSION and add its value here: otherwise signatures and indexes
# saved by an older build are silently compared with new ones.
PINNED_SHINGLE = {1: 297477242101873943}


def test_hashes_are_pinned_per_signature_version() -> None:
    pinned = [PINNED_SHINGLE[SIGNATURE_VERSION]]
    assert shingle("one two three", shingle_size=3, seed=0, ocr_fold=False).tolist() == pinned


def test_reference_oracle_sanity() -> None:
    assert ref.word_shingles("A b c d e f\nshort line", 5) == {
        ("a", "b", "c", "d", "e"),
        ("b", "c", "d", "e", "f"),
    }
    assert ref.word_shingles("one two\nthree", 5) == {("one", "two", "three")}
    assert ref.word_shingles("", 5) == set()
    assert ref.tokenize(ref.fold("\u0130stanbul")) == [
        unicodedata.normalize("NFKC", "i\u0307stanbul")
    ]


def test_shipped_word_table_is_unicode_14_letters_marks_numbers():
    import unicodedata

    from storymatch import _kernels

    expected = np.fromiter(
        (unicodedata.category(chr(c))[0] in "LMN" for c in range(_kernels._WORD_TABLE_SIZE)),
        dtype=np.bool_,
    )
    if unicodedata.unidata_version == "14.0.0":
        assert np.array_equal(_kernels._WORD, expected)
    else:
        # A later Unicode (Python >= 3.12) only assigns new letters, marks and numbers: every
        # word character of the shipped 14.0 table still is one, and the few new ones were
        # unassigned (so not word characters) in 14.0.
        assert unicodedata.unidata_version > "14.0.0"
        assert not (_kernels._WORD & ~expected).any()
        new = np.flatnonzero(expected & ~_kernels._WORD)
        assert len(new) < 0.01 * _kernels._WORD_TABLE_SIZE, len(new)


@pytest.mark.parametrize("n", [0, 1, 2, 16, 17, 33, 200, 5000])
@pytest.mark.parametrize("spread", ["hashes", "one bucket"])
def test_sort_unique_kernel_matches_numpy_unique(n: int, spread: str) -> None:
    from storymatch import _kernels

    rng = np.random.default_rng(n)
    if spread == "hashes":
        values = rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
    else:  # small values: all share their top bits, as crafted input could
        values = rng.integers(0, 1000, n).astype(np.uint64)
    values[: n // 3] = values[n // 3 : 2 * (n // 3)]  # repeats
    a = values.copy()
    count = _kernels._sort_unique(a, np.empty(n, dtype=np.uint64))
    assert a[:count].tolist() == np.unique(values).tolist()


def test_long_document_shingles_are_sorted_distinct_and_exact() -> None:
    rng = np.random.default_rng(7)
    words = [f"w{k}" for k in rng.integers(0, 3000, 20_000)]
    text = " ".join(words)
    values = shingle(text, shingle_size=2, ocr_fold=False)
    _assert_canonical(values)
    assert len(values) == len(ref.word_shingles(text, 2, ocr_fold=False))
