"""``storymatch copies`` end to end (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storymatch.cli import main, sample_path

SAMPLE = sample_path()


def test_copies_of_the_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "copies.jsonl"
    assert main(["copies", str(SAMPLE), "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows
    for row in rows:
        assert list(row)[:4] == ["id", "group", "original", "parent"]
        assert row["id"] != row["original"]
        assert all(
            e["op"] in {"number", "added", "removed", "moved", "headline", "changed"}
            for e in row["edits"]
        )
    portcities = next(r for r in rows if r["id"] == "e1-ledger-wire~copy-portcities")
    assert portcities["original"] == "e1-ledger-wire"
    number = next(e for e in portcities["edits"] if e["op"] == "number")
    assert (number["old"], number["new"]) == ("41", "38")
    assert any(e["op"] == "added" for e in portcities["edits"])
    assert "groups with copies" in capsys.readouterr().err
    # deterministic output
    again = tmp_path / "again.jsonl"
    assert main(["-q", "copies", str(SAMPLE), "-o", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    # the same bytes from one process and from worker processes (the default: every core)
    for jobs in ("1", "2"):
        target = tmp_path / f"jobs{jobs}.jsonl"
        assert main(["-q", "copies", str(SAMPLE), "-o", str(target), "--jobs", jobs]) == 0
        assert target.read_bytes() == out.read_bytes()


def test_copies_skip_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    source.write_text("\n".join([*lines, "not json", '{"id": "x"}']) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["copies", str(source), "-o", str(out)]) == 1
    assert not out.exists()
    assert main(["copies", str(source), "-o", str(out), "--skip-invalid"]) == 0
    assert "skipped 2 invalid records" in capsys.readouterr().err
    assert out.exists()
