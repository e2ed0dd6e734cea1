"""The --*-field options: CSV and JSON-lines columns mapped onto the record contract."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from storymatch.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "articles.jsonl"
RENAMES = {"id": "article_id", "text": "body", "source": "outlet", "date": "published_on"}
OPTIONS = [
    "--id-field",
    "article_id",
    "--text-field",
    "body",
    "--source-field",
    "outlet",
    "--date-field",
    "published_on",
]


def _renamed_sample(tmp_path: Path, fmt: str) -> Path:
    records = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    renamed = [{RENAMES.get(k, k): v for k, v in r.items()} for r in records]
    path = tmp_path / f"renamed.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in renamed))
    else:
        with path.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(renamed[0]))
            writer.writeheader()
            writer.writerows(renamed)
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_mapped_columns_give_the_output_of_the_original_file(tmp_path, fmt):
    expected, got = tmp_path / "expected.jsonl", tmp_path / "got.jsonl"
    assert main(["-q", "events", str(SAMPLE), "-o", str(expected)]) == 0
    path = _renamed_sample(tmp_path, fmt)
    assert main(["-q", "events", str(path), "-o", str(got), *OPTIONS]) == 0
    assert got.read_text() == expected.read_text()


def test_one_message_lists_every_missing_column(tmp_path, capsys):
    path = _renamed_sample(tmp_path, "csv")
    status = main(["dedup", str(path), "-o", "-", "--id-field", "key", "--title-field", "head"])
    assert status == 1
    err = capsys.readouterr().err
    assert (
        "the CSV header has no 'key' (for 'id'), 'text' or 'head' (for 'title') columns; "
        "found 'article_id', 'outlet', 'title', 'published_on', 'url', 'body', 'cluster', 'event'"
    ) in err
    assert err.count("\n") == 1


def test_field_options_are_refused_with_the_spark_engine(tmp_path, capsys):
    status = main(
        [
            "dedup",
            str(SAMPLE),
            "-o",
            str(tmp_path / "out"),
            "--engine",
            "spark",
            "--id-field",
            "key",
        ]
    )
    assert status == 2
    assert "--*-field options are not available with --engine spark" in capsys.readouterr().err
