"""End-to-end tests of the storymatch command line (real files, real subprocess for stdin)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storymatch.cli import main, sample_path

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "articles.jsonl"


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_dedup_groups_the_sample_copies(tmp_path, capsys):
    out = tmp_path / "dedup.jsonl"
    groups = tmp_path / "groups.jsonl"
    assert main(["dedup", str(SAMPLE), "-o", str(out), "--groups", str(groups)]) == 0
    rows = _lines(out)
    gold = {r["id"]: r["cluster"] for r in _lines(SAMPLE)}
    assert [r["id"] for r in rows] == list(gold)  # input order, every article once
    assert set(rows[0]) == {"id", "group", "representative", "similarity"}
    by_group: dict[object, set[object]] = {}
    for row in rows:
        by_group.setdefault(row["group"], set()).add(row["id"])
    by_gold: dict[str, set[str]] = {}
    for aid, cluster in gold.items():
        by_gold.setdefault(cluster, set()).add(aid)
    assert sorted(map(sorted, by_group.values())) == sorted(map(sorted, by_gold.values()))
    for row in rows:
        if row["id"] == row["representative"]:
            assert row["similarity"] == 1.0
        else:
            assert 0.0 < row["similarity"] < 1.0
    group_rows = _lines(groups)
    assert len(group_rows) == len(by_group)
    assert "17 groups" in capsys.readouterr().err


def test_dedup_output_is_deterministic(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert main(["-q", "dedup", str(SAMPLE), "-o", str(first)]) == 0
    assert main(["-q", "dedup", str(SAMPLE), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(("given", "expected"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_the_cli_keeps_idle_kernel_threads_from_spinning(tmp_path, monkeypatch, given, expected):
    if given is None:
        monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    else:
        monkeypatch.setenv("OMP_WAIT_POLICY", given)
    assert main(["-q", "dedup", str(SAMPLE), "-o", str(tmp_path / "out.jsonl")]) == 0
    assert os.environ["OMP_WAIT_POLICY"] == expected


def test_bad_record_names_file_and_line_and_exits_1(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "one two three"}\n{"id": "b", "text": 5}\n')
    out = tmp_path / "out.jsonl"
    assert main(["dedup", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2" in err
    assert "'text'" in err
    assert not out.exists()  # nothing half-written


def test_skip_invalid_keeps_the_good_records(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "text": "one two three four five"}\n'
        "not json\n"
        '{"id": "a", "text": "duplicate id"}\n'
        '{"id": "c", "text": "one two three four five"}\n'
    )
    out = tmp_path / "out.jsonl"
    assert main(["-q", "dedup", str(bad), "-o", str(out), "--skip-invalid"]) == 0
    assert [r["id"] for r in _lines(out)] == ["a", "c"]
    err = capsys.readouterr().err
    assert f"{bad}:2" in err
    assert f"{bad}:3" in err
    assert "skipped 2 invalid records" in err


def test_existing_output_survives_a_failed_run(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n")
    missing = tmp_path / "missing.jsonl"
    assert main(["dedup", str(missing), "-o", str(out)]) == 1
    assert out.read_text() == "previous results\n"


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["dedup", "x.jsonl"], id="missing-output"),
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["dedup", "x.jsonl", "-o", "y", "--threshold", "abc"], id="bad-float"),
    ],
)
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def test_invalid_parameter_value_exits_2(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["dedup", str(SAMPLE), "-o", str(out), "--threshold", "1.5"]) == 2
    assert "'threshold'" in capsys.readouterr().err


def test_reads_stdin_and_writes_stdout():
    records = [
        {"id": "a", "text": "the quick brown fox jumps over the lazy dog again"},
        {"id": "b", "text": "the quick brown fox jumps over the lazy dog again!"},
        {"id": "c", "text": "an unrelated sentence about the weather in the north"},
    ]
    stdin = "".join(json.dumps(r) + "\n" for r in records)
    proc = subprocess.run(
        [sys.executable, "-m", "storymatch", "-q", "dedup", "-", "-o", "-"],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows[0]["group"] == rows[1]["group"] != rows[2]["group"]


def test_folder_of_txt_files(tmp_path):
    folder = tmp_path / "pages"
    (folder / "site").mkdir(parents=True)
    text = "Officials said the bridge would reopen next week after repairs were finished."
    (folder / "one.txt").write_text(text)
    (folder / "site" / "two.txt").write_text("Skip to content\n\n" + text + "\n\nShare this")
    (folder / "three.txt").write_text("A different story about elections held in the spring.")
    out = tmp_path / "out.jsonl"
    assert main(["-q", "dedup", str(folder), "-o", str(out)]) == 0
    rows = {r["id"]: r for r in _lines(out)}
    assert set(rows) == {"one", "site/two", "three"}
    assert rows["one"]["group"] == rows["site/two"]["group"] != rows["three"]["group"]


def test_demo_writes_groups_and_prints_summary(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path / "report")]) == 0
    printed = capsys.readouterr().out
    assert "3 with copies" in printed
    assert "e1-ledger-wire~copy-dailyroundup" in printed
    groups = _lines(tmp_path / "report" / "duplicates.jsonl")
    assert sum(1 for g in groups if len(g["members"]) > 1) == 3
    events = _lines(tmp_path / "report" / "events.jsonl")
    assert len(events) == 3  # the sample's three gold events
    assert "3 events, 3 told by two or more outlets" in printed
    # the planted differences of the sample show up: a numeric conflict, omissions, a moved claim
    assert "conflict (number)" in printed
    assert "'41 vessels'" in printed
    assert "'Thirty-eight vessels'" in printed  # the trade paper's own wording
    assert "omits" in printed
    assert "moved:" in printed
    index = tmp_path / "report" / "index.html"
    assert f"report: {index}" in printed
    pages = list((tmp_path / "report").glob("e-*.html"))
    assert len(pages) == 3


def test_sample_path_points_at_the_bundled_corpus():
    assert sample_path() == SAMPLE.resolve()


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("storymatch ")


def test_dedup_lines_match_json_dumps():
    from storymatch.dedup import NearDuplicateClusterer
    from storymatch.io.writers import dedup_lines
    from storymatch.models import Article

    articles = [
        Article(id='quote"d \\ id', text="the same words in the same order here again"),
        Article(id="ünïcode-€", text="the same words in the same order here again!"),
        Article(id="3", text="something else entirely, about other things"),
    ]
    clusterer = NearDuplicateClusterer().fit(articles)
    expected = []
    for article, label, sim in zip(
        articles, clusterer.labels_, clusterer.similarities_, strict=True
    ):
        group = clusterer.groups_[label]
        row = {
            "id": article.id,
            "group": group.id,
            "representative": group.representative,
            "similarity": round(float(sim), 6),
        }
        expected.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    ids = [a.id for a in articles]
    lines = dedup_lines(ids, clusterer.groups_, clusterer.labels_, clusterer.similarities_)
    assert list(lines) == expected


def test_clean_strips_chrome_from_copies_and_leaves_originals_alone(tmp_path, capsys):
    out = tmp_path / "clean.jsonl"
    assert main(["clean", str(SAMPLE), "-o", str(out)]) == 0
    rows = {r["id"]: r for r in _lines(out)}
    originals = {r["id"]: r for r in _lines(SAMPLE)}
    assert set(rows) == set(originals)
    for aid, row in rows.items():
        source = originals[aid]
        if "~" not in aid:  # clean invented reports: nothing to remove
            assert row["removed"] == []
            assert row["text"] == source["text"]
            continue
        kinds = {r["kind"] for r in row["removed"]}
        assert {"navigation", "copyright"} <= kinds
        assert row["title"]
        for removal in row["removed"]:
            assert removal["text"] in source["text"][removal["start"] : removal["end"]]
        assert "Share this" not in row["text"]
    assert "lines removed" in capsys.readouterr().err


def test_clean_learn_saves_a_model_that_can_be_reused(tmp_path):
    model = tmp_path / "model.json"
    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.jsonl"
    assert (
        main(["-q", "clean", str(SAMPLE), "-o", str(first), "--learn", "--save-model", str(model)])
        == 0
    )
    assert model.is_file()
    assert main(["-q", "clean", str(SAMPLE), "-o", str(second), "--model", str(model)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_clean_steps_can_be_switched_off(tmp_path):
    out = tmp_path / "clean.jsonl"
    argv = ["-q", "clean", str(SAMPLE), "-o", str(out), "--keep-chrome", "--keep-widgets"]
    argv.append("--keep-headlines")  # the headline step also takes the masthead above it
    assert main(argv) == 0
    kinds = {r["kind"] for row in _lines(out) for r in row["removed"]}
    assert "widget" not in kinds
    assert not kinds & {"navigation", "share", "comment", "copyright", "advertisement"}


# ------------------------------------------------------------------------------ events
def test_events_recovers_the_sample_events(tmp_path, capsys):
    out = tmp_path / "events.jsonl"
    events = tmp_path / "event-list.jsonl"
    assert main(["events", str(SAMPLE), "-o", str(out), "--events", str(events)]) == 0
    rows = _lines(out)
    records = _lines(SAMPLE)
    assert [r["id"] for r in rows] == [r["id"] for r in records]  # input order, once each
    assert set(rows[0]) == {"id", "group", "event", "story"}
    event_of = {r["id"]: r["event"] for r in rows}
    story_of: dict[object, set[object]] = {}
    for row in rows:  # every report of an event names the event's one story
        story_of.setdefault(row["event"], set()).add(row["story"])
    assert all(len(v) == 1 and None not in v for v in story_of.values())
    by_event: dict[object, set[object]] = {}
    for row in rows:
        by_event.setdefault(row["event"], set()).add(row["id"])
    by_gold: dict[object, set[object]] = {}
    for record in records:
        by_gold.setdefault(record["event"], set()).add(record["id"])
    assert len(by_event) == 3
    assert sorted(map(sorted, by_event.values())) == sorted(map(sorted, by_gold.values()))
    copies = [r["id"] for r in records if "~copy-" in str(r["id"])]
    assert copies
    for copy in copies:
        assert event_of[copy] == event_of[str(copy).split("~copy-")[0]]
    group_events: dict[object, set[object]] = {}
    for row in rows:
        group_events.setdefault(row["group"], set()).add(row["event"])
    assert all(len(v) == 1 for v in group_events.values())
    listed = _lines(events)
    assert {e["id"] for e in listed} == set(by_event)
    assert all(len(e["members"]) == len(by_event[e["id"]]) for e in listed)
    err = capsys.readouterr().err
    assert "22 articles" in err
    assert "3 events" in err
    assert err.count(" outlets (") == 3


def test_events_quiet_and_no_dedup(tmp_path, capsys):
    out = tmp_path / "events.jsonl"
    assert main(["-q", "events", str(SAMPLE), "-o", str(out), "--no-dedup"]) == 0
    rows = _lines(out)
    assert len({r["group"] for r in rows}) == len(rows)  # every article its own group
    assert capsys.readouterr().err == ""


def test_events_bad_threshold_is_a_usage_error(tmp_path, capsys):
    out = tmp_path / "events.jsonl"
    code = main(["events", str(SAMPLE), "-o", str(out), "--event-threshold", "-1"])
    assert code == 2
    assert "threshold" in capsys.readouterr().err
