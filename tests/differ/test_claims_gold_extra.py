"""The offset-only BASIL claims gold (``benchmarks/claims_gold/basil_extra``) materialises.

:func:`benchmarks.claims_gold.materialise` joins the stored ids and offsets with the shared
BASIL articles (research-only, so not in the repository) and re-checks every unit against the
reference split. The result must be a well-formed gold that the shared scorer accepts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from benchmarks.claims_gold import LABELS, GoldMismatchError, materialise, read_jsonl
from tests.shared_data import data_dir, data_file, require

N_EVENTS = 10


@pytest.fixture(scope="module")
def gold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pysbd")
    basil = data_file("basil/docs.jsonl")
    return materialise(LABELS, basil, tmp_path_factory.mktemp("claims_extra"))


def _load(gold: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        read_jsonl(gold / "docs.jsonl"),
        read_jsonl(gold / "units.jsonl"),
        read_jsonl(gold / "claims.jsonl"),
    )


def test_labels_keep_no_article_text() -> None:
    for unit in read_jsonl(LABELS / "units.jsonl"):
        assert "text" not in unit
        assert set(unit) == {"id", "doc", "event", "source", "start", "end", "kind"}
    targets = {other for claim in read_jsonl(LABELS / "claims.jsonl") for _, other in claim["also"]}
    for claim in read_jsonl(LABELS / "claims.jsonl"):
        # notes are the annotator's words: never "(one unit) <start of the sentence>"
        assert claim["note"] == "(one unit)" or not claim["note"].startswith("(one unit)")
        alone = len(claim["units"]) == 1 and not claim["also"]
        if alone and claim["units"][0] not in targets:
            assert claim["note"] == "(one unit)"


def test_materialised_files(gold: Path) -> None:
    docs, units, claims = _load(gold)
    assert len({doc["cluster"] for doc in docs}) == N_EVENTS
    assert set(Counter(doc["cluster"] for doc in docs).values()) == {3}
    texts = {doc["id"]: doc["text"] for doc in docs}
    for unit in units:
        assert texts[unit["doc"]][unit["start"] : unit["end"]].strip() == unit["text"]
        assert unit["kind"] in {"body", "chrome"}
    assert {claim["event"] for claim in claims} == {doc["cluster"] for doc in docs}


def test_every_body_unit_in_exactly_one_claim(gold: Path) -> None:
    _, units, claims = _load(gold)
    known = {unit["id"]: unit for unit in units}
    placed = Counter(uid for claim in claims for uid in claim["units"])
    assert set(placed) <= set(known), "claims name unknown units"
    body = {uid for uid, unit in known.items() if unit["kind"] == "body"}
    assert set(placed) == body
    assert max(placed.values()) == 1
    for claim in claims:
        assert claim["id"].startswith(claim["event"] + ":c")
        assert all(known[uid]["event"] == claim["event"] for uid in claim["units"])


def test_also_and_conflict_units_exist(gold: Path) -> None:
    _, units, claims = _load(gold)
    source = {unit["id"]: unit["source"] for unit in units}
    claim_of = {uid: claim["id"] for claim in claims for uid in claim["units"]}
    for claim in claims:
        members = set(claim["units"])
        for first, other in claim["also"]:
            assert first in members
            assert other in source
            assert claim_of[other] != claim["id"]
        for conflict in claim["conflicts"]:
            a, b = conflict["units"]
            assert {a, b} <= members
            assert source[a] != source[b]
            assert conflict["type"] in {"number", "date", "name", "quote", "attribution", "other"}
        for entry in claim.get("framing", []):
            assert set(entry["units"]) <= members
        for entry in claim.get("xconflicts", []):
            a, b = entry["units"]
            assert a in members
            assert b in source
            assert claim_of[b] != claim["id"]


def test_scorer_selftest(gold: Path) -> None:
    scorer = require(data_dir().parent / "tools" / "score_claims.py")
    run = subprocess.run(
        [sys.executable, str(scorer), str(gold), "--selftest"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "selftest passed" in run.stdout


def test_changed_document_fails_loudly(tmp_path: Path) -> None:
    pytest.importorskip("pysbd")
    basil = data_file("basil/docs.jsonl")
    first_doc = read_jsonl(LABELS / "units.jsonl")[0]["doc"]
    rows = []
    for doc in read_jsonl(basil):
        if doc["id"] == first_doc:
            rows.append(json.dumps({**doc, "text": doc["text"].replace(" ", "  ", 1)}))
        else:
            rows.append(json.dumps(doc))
    changed = tmp_path / "docs.jsonl"
    changed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(GoldMismatchError, match=first_doc):
        materialise(LABELS, changed, tmp_path / "out")
