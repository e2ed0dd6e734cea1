"""``storymatch calibrate``: the curve, the recommendation, JSON output, usage errors."""

from __future__ import annotations

import json

from tests.strategies import planted_corpus

from storymatch.cli import main


def _labelled_file(tmp_path):
    docs = planted_corpus(5, n_originals=15)
    # partial overlaps and related reports are not copies: they get their own label
    src = tmp_path / "labelled.jsonl"
    src.write_text(
        "".join(
            json.dumps(
                {
                    "id": d.id,
                    "text": d.text,
                    "cluster": d.origin if d.kind not in {"partial", "related"} else d.id,
                }
            )
            + "\n"
            for d in docs
        )
    )
    return src


def test_cli_prints_curve_and_recommendation(tmp_path, capsys):
    src = _labelled_file(tmp_path)
    assert main(["-q", "calibrate", str(src), "--shingle-sizes", "4,5"]) == 0
    out = capsys.readouterr().out
    assert "recommended: --kind word" in out
    assert "<- recommended" in out
    assert "the defaults score" in out
    assert main(["-q", "calibrate", str(src), "--shingle-sizes", "5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["best"]["shingle_size"] == 5
    assert main(["calibrate", str(src), "--shingle-sizes", "five"]) == 2
    assert main(["calibrate", str(src), "--kinds", "letters"]) == 2
