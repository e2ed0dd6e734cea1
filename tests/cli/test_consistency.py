"""The command line as a newcomer meets it (issue 15): one meaning per flag, clear messages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storymatch.cli import main
from storymatch.cli.parser import build_parser, parse_args
from storymatch.differ.comparison import CLAIM_THRESHOLD
from storymatch.differ.semantic import COMBINED_THRESHOLD, SEMANTIC_THRESHOLD
from storymatch.differ.similarity import default_scorer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample" / "articles.jsonl"


def _cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command in a fresh interpreter: its own logging and warning output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "storymatch", *argv],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=cwd,
    )


def _small(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    rows = [
        {"id": "a", "text": "The river rose two metres overnight and flooded the old town."},
        {"id": "b", "text": "Schools stay closed on Friday while the water goes down."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ formats


def test_input_format_is_one_flag_everywhere_and_f_is_the_output_format(tmp_path, capsys):
    src = _small(tmp_path)
    out = tmp_path / "c.json"
    argv = ["compare", str(src), "--input-format", "jsonl", "-f", "json", "--scorer", "lexical"]
    assert main([*argv, "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == 1
    assert main(["-q", "dedup", str(src), "--input-format", "jsonl", "-o", os.devnull]) == 0
    assert "deprecated" not in capsys.readouterr().err


def test_f_with_an_input_format_says_which_flag_to_use(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["compare", str(_small(tmp_path)), "-f", "jsonl"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "-f/--output-format" in err
    assert "--input-format jsonl" in err


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(["--format", "jsonl"], "--input-format", id="format"),
        pytest.param(["--to", "json"], "-f/--output-format", id="to"),
    ],
)
def test_old_spellings_still_work_and_warn(tmp_path, capsys, old, new):
    src = _small(tmp_path)
    out = tmp_path / "out.txt"
    assert main(["compare", str(src), *old, "--scorer", "lexical", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert f"storymatch: warning: {old[0]} is deprecated; use {new}" in err


# ------------------------------------------------------------------------------ global flags


def test_global_flags_work_after_the_command_too():
    assert parse_args(["dedup", "in.jsonl", "-o", "-", "-q"]).quiet is True
    assert parse_args(["dedup", "in.jsonl", "-o", "-"]).quiet is False
    assert parse_args(["events", "in.jsonl", "-o", "-", "-vv"]).verbose == 2
    assert (
        parse_args(["-v", "index", "query", "x", "--store", "memory:", "-o", "-", "-v"]).verbose
        == 2
    )
    assert parse_args(["-q", "report", "in.jsonl", "-o", "site"]).quiet is True
    assert parse_args(["bench", "speed", "-q", "-v"]).bench_quiet is True


def test_quiet_after_the_command_silences_the_summary(tmp_path, capsys):
    assert main(["dedup", str(_small(tmp_path)), "-o", os.devnull, "-q"]) == 0
    assert capsys.readouterr().err == ""


# ------------------------------------------------------------------------------ report options


def test_report_takes_the_tuning_flags_of_the_other_commands():
    args = parse_args(
        ["report", "in.jsonl", "-o", "site", "--claim-threshold", "0.55", "--scorer", "lexical",
         "--threshold", "0.6", "--shingle-size", "4", "--event-threshold", "0.2",
         "--window-days", "2", "--max-reports", "5"]
    )  # fmt: skip
    assert (args.claim_threshold, args.scorer, args.threshold, args.shingle_size) == (
        0.55,
        "lexical",
        0.6,
        4,
    )
    assert (args.event_threshold, args.window_days, args.max_reports) == (
        0.2,
        2.0,
        5,
    )


def _claims(folder: Path) -> tuple[int, int]:
    """Count (claims, claims carried by one outlet only) over an event's pages."""
    total = only = 0
    for page in folder.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        total += len(re.findall(r'<tr id="claim-\d+" class="claim ', html))
        only += len(re.findall(r'<tr id="claim-\d+" class="claim s-one', html))
    return total, only


def test_report_claim_threshold_changes_the_tables(tmp_path, capsys):
    loose, strict = tmp_path / "loose", tmp_path / "strict"
    base = ["-q", "report", str(SAMPLE), "--scorer", "lexical", "--max-reports", "3"]
    assert main([*base, "-o", str(loose)]) == 0
    assert main([*base, "-o", str(strict), "--claim-threshold", "0.95"]) == 0
    assert _claims(strict)[1] > _claims(loose)[1]


def test_claim_threshold_help_states_the_numbers(capsys):
    def help_of(command: str) -> str:
        with pytest.raises(SystemExit):
            build_parser().parse_args([command, "--help"])
        return " ".join(capsys.readouterr().out.split())

    for command in ("compare", "report"):
        text = help_of(command)
        assert f"lexical {CLAIM_THRESHOLD}" in text
        assert f"combined {COMBINED_THRESHOLD}" in text
        assert f"semantic {SEMANTIC_THRESHOLD}" in text
        assert "the scorer's default" not in text
    assert f"own, {default_scorer().threshold})" in help_of("pairs")


# ------------------------------------------------------------------------------ messages


def test_counts_agree_with_their_nouns(tmp_path, capsys):
    one = tmp_path / "one.jsonl"
    one.write_text('{"id": "a", "text": "A single article about a flood."}\n', encoding="utf-8")
    assert main(["clean", str(one), "-o", os.devnull]) == 0
    assert main(["dedup", str(one), "-o", os.devnull]) == 0
    err = capsys.readouterr().err
    assert "1 document cleaned, 0 lines removed" in err
    assert "1 document, 1 group (0 copies), largest group 1" in err
    assert "documents" not in err
    assert "1 groups" not in err


def test_a_skipped_record_is_reported_once(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "one two three four"}\nnot json\n', encoding="utf-8")
    proc = _cli("dedup", str(bad), "-o", os.devnull, "--skip-invalid")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count(f"{bad}:2") == 1, proc.stderr
    assert "skipped 1 invalid record\n" in proc.stderr


def test_warnings_are_messages_not_source_lines(tmp_path):
    src = tmp_path / "empty.jsonl"
    rows = [{"id": "a", "text": ""}, {"id": "b", "text": "one two three four five six"}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    proc = _cli("dedup", str(src), "-o", os.devnull)
    assert proc.returncode == 0, proc.stderr
    assert "storymatch: warning: 1 document(s) have no words to hash" in proc.stderr
    assert ".py:" not in proc.stderr
    assert "EmptyDocumentWarning" not in proc.stderr


def test_a_csv_header_error_does_not_dump_the_first_line(tmp_path, capsys):
    src = tmp_path / "noheader.csv"
    src.write_text("7," + "word " * 400 + "\n8,more\n", encoding="utf-8")
    assert main(["dedup", str(src), "-o", os.devnull]) == 1
    err = capsys.readouterr().err
    assert "no 'id' or 'text' columns" in err
    assert len(err) < 300, err
    assert "..." in err


def test_calibrate_reads_a_label_from_a_standard_field(tmp_path, capsys):
    src = tmp_path / "labelled.jsonl"
    rows = [
        {"id": f"d{k}", "source": f"s{k % 3}", "text": f"report {k} " + "the river rose " * 8}
        for k in range(9)
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    argv = ["-q", "calibrate", str(src), "--label-field", "source", "--shingle-sizes", "5"]
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n_articles"] == 9


def test_report_refuses_stdout_as_its_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(_small(tmp_path)), "-o", "-"]) == 2
    assert "folder" in capsys.readouterr().err
    assert not (tmp_path / "-").exists()


def test_ids_are_strings_in_every_output(tmp_path):
    src = tmp_path / "ints.jsonl"
    src.write_text('{"id": 7, "text": "one two three"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["-q", "dedup", str(src), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "7"


def test_parquet_is_an_input_format_of_dedup_on_spark_only(tmp_path, capsys):
    src = _small(tmp_path)
    assert main(["dedup", str(src), "--input-format", "parquet", "-o", os.devnull]) == 2
    assert "--engine spark" in capsys.readouterr().err


# ------------------------------------------------------------------------------ column order


def test_compare_and_report_show_the_columns_in_one_order(tmp_path, capsys):
    # the dock strike reports of the sample, in file order (not date order), no copies
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    dock = [r for r in rows if r["id"].startswith("e1-") and "~" not in r["id"]]
    src = tmp_path / "dock.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in dock), encoding="utf-8")
    out = tmp_path / "dock.json"
    argv = ["-q", "compare", str(src), "-f", "json", "--scorer", "lexical", "-o", str(out)]
    assert main(argv) == 0
    columns = [o["id"] for o in json.loads(out.read_text(encoding="utf-8"))["outlets"]]
    assert columns != [r["id"] for r in dock]  # the file's order is not the columns'
    site = tmp_path / "site"
    assert main(["-q", "report", str(src), "-o", str(site), "--scorer", "lexical"]) == 0
    (page,) = site.glob("e-*.html")
    names = re.findall(r'<span class="o-name">(.*?)</span>', page.read_text(encoding="utf-8"))
    by_id = {r["id"]: r["source"] for r in dock}
    assert names[: len(columns)] == [by_id[c] for c in columns]
