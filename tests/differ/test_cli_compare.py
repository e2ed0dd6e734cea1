"""The compare, pairs and report commands, end to end on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storymatch.cli import main
from storymatch.errors import InvalidInputError
from storymatch.io import iter_pairs

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "articles.jsonl"


def sample_records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def strike_ids() -> list[str]:
    """One report per near-duplicate group of the sample's first event."""
    records = sample_records()
    first = records[0]["event"]
    seen: dict[str, str] = {}
    for r in records:
        if r["event"] == first:
            seen.setdefault(r["cluster"], r["id"])
    return list(seen.values())


def test_compare_ids_to_json(tmp_path, capsys):
    ids = strike_ids()
    out = tmp_path / "cmp.json"
    assert main(["compare", str(SAMPLE), "--ids", ",".join(ids), "-f", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [o["id"] for o in data["outlets"]] == ids
    # the table is a partition: every sentence of every report sits in exactly one claim
    seen: dict[str, list[int]] = {o["id"]: [] for o in data["outlets"]}
    for claim in data["claims"]:
        outlets = [cell["outlet"] for cell in claim["cells"]]
        assert outlets, claim
        assert len(set(outlets)) == len(outlets), claim  # one cell per outlet
        assert sorted(claim["outlets"]) == sorted(outlets)
        expected = "all" if len(outlets) == len(ids) else "one" if len(outlets) == 1 else "some"
        assert claim["status"] == expected, claim
        for cell in claim["cells"]:
            seen[cell["outlet"]] += [s["index"] for s in cell["sentences"]]
    for outlet in data["outlets"]:
        assert sorted(seen[outlet["id"]]) == list(range(outlet["n_sentences"])), outlet["id"]
    # the reports tell one strike: something is carried by more than one of them
    assert any(c["status"] != "one" for c in data["claims"])
    assert f"{len(data['claims'])} claims" in capsys.readouterr().err


def test_compare_text_to_stdout(capsys):
    ids = strike_ids()[:2]
    assert main(["compare", str(SAMPLE), "--ids", ",".join(ids)]) == 0
    out = capsys.readouterr().out
    sources = {r["id"]: r["source"] for r in sample_records()}
    for report in ids:  # each column is named by its outlet
        assert sources[report] in out


def test_compare_event_and_formats(tmp_path):
    events = tmp_path / "events.jsonl"
    assert main(["-q", "events", str(SAMPLE), "-o", str(events)]) == 0
    rows = [json.loads(line) for line in events.read_text().splitlines()]
    event = rows[0]["event"]
    for fmt, marker in (("md", "|"), ("html", "<table")):
        out = tmp_path / f"cmp.{fmt}"
        assert (
            main(["-q", "compare", str(SAMPLE), "--event", event, "-f", fmt, "-o", str(out)]) == 0
        )
        assert marker in out.read_text(encoding="utf-8")


def test_compare_refuses_unknown_ids_and_events_and_too_many(capsys):
    assert main(["compare", str(SAMPLE), "--ids", "nope,also-nope"]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["compare", str(SAMPLE), "--event", "e-0000"]) == 2
    assert "e-0000" in capsys.readouterr().err
    assert main(["compare", str(SAMPLE), "--max-reports", "3"]) == 2
    assert "--ids" in capsys.readouterr().err


def test_pairs_scores_every_line(tmp_path, capsys):
    src = tmp_path / "pairs.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(p)
            for p in [
                {
                    "id": "same",
                    "a": "The storm killed 12 people.",
                    "b": "Twelve people were killed by the storm.",
                },
                {
                    "id": "other",
                    "a": "The storm killed 12 people.",
                    "b": "Shares in the bank rose 3%.",
                },
                {
                    "id": "x",
                    "a": "Identical sentence here.",
                    "b": "Identical sentence here.",
                    "label": 1,
                },
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "scored.jsonl"
    assert main(["pairs", str(src), "-o", str(out)]) == 0
    rows = {r["id"]: r for r in (json.loads(line) for line in out.read_text().splitlines())}
    assert list(rows) == ["same", "other", "x"]
    assert set(rows["same"]) == {"id", "score", "same_claim"}
    assert rows["x"]["same_claim"] is True
    assert rows["other"]["same_claim"] is False
    assert rows["same"]["score"] > rows["other"]["score"]
    assert "3 pairs scored" in capsys.readouterr().err


def test_pairs_bad_line_names_file_and_line(tmp_path, capsys):
    src = tmp_path / "pairs.jsonl"
    src.write_text('{"id": "a", "a": "x", "b": "y"}\n{"id": "b", "a": "x"}\nnot json\n')
    out = tmp_path / "scored.jsonl"
    assert main(["pairs", str(src), "-o", str(out)]) == 1
    assert f"{src}:2" in capsys.readouterr().err
    assert not out.exists()  # nothing half-written
    assert main(["pairs", str(src), "-o", str(out), "--skip-invalid"]) == 0
    err = capsys.readouterr().err
    assert f"{src}:2" in err
    assert f"{src}:3" in err
    assert len(out.read_text().splitlines()) == 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "a", "a": 1, "b": "y"}', "'a' must be a string"),
        ('{"id": "a", "a": "x", "b": "y", "label": "yes"}', "'label' must be a number"),
        ('["a", "b"]', "expected a JSON object"),
        ('{"id": true, "a": "x", "b": "y"}', "'id' must be a string"),
    ],
)
def test_iter_pairs_rejects_bad_records(tmp_path, line, reason):
    src = tmp_path / "p.jsonl"
    src.write_text(line + "\n")
    with pytest.raises(InvalidInputError, match=reason):
        list(iter_pairs(src))


def test_iter_pairs_duplicates_gzip_and_missing(tmp_path):
    import gzip

    src = tmp_path / "p.jsonl.gz"
    with gzip.open(src, "wt") as fh:
        fh.write(
            '{"id": "a", "a": "x", "b": "y", "label": 0.5}\n\n{"id": "a", "a": "x", "b": "y"}\n'
        )
    with pytest.raises(InvalidInputError, match="duplicate id 'a'"):
        list(iter_pairs(src))
    assert [p.label for p in iter_pairs(src, on_error="skip")] == [0.5]
    with pytest.raises(InvalidInputError, match="no such file"):
        iter_pairs(tmp_path / "missing.jsonl")


def test_report_writes_index_and_event_pages(tmp_path, capsys):
    folder = tmp_path / "report"
    assert main(["report", str(SAMPLE), "-o", str(folder)]) == 0
    out = capsys.readouterr()
    index = folder / "index.html"
    assert str(index) in out.out
    assert index.exists()
    pages = sorted(p.name for p in folder.glob("e-*.html"))
    # one page per event of two or more reports, as the events command groups them
    events = tmp_path / "events.jsonl"
    assert main(["-q", "events", str(SAMPLE), "-o", str(events)]) == 0
    sizes: dict[str, int] = {}
    for line in events.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)["event"]
        sizes[event] = sizes.get(event, 0) + 1
    assert pages == sorted(f"{e}.html" for e, n in sizes.items() if n >= 2)
    # and one page per near-duplicate group with copies, as the dedup command groups them
    groups = tmp_path / "groups.jsonl"
    assert main(["-q", "dedup", str(SAMPLE), "-o", str(groups)]) == 0
    members: dict[str, int] = {}
    for line in groups.read_text(encoding="utf-8").splitlines():
        group = json.loads(line)["group"]
        members[group] = members.get(group, 0) + 1
    copies = sorted(p.name for p in folder.glob("copies-*.html"))
    assert copies == sorted(f"copies-{g}.html" for g, n in members.items() if n >= 2)
    assert {p.name for p in folder.glob("*.html")} == {"index.html", *pages, *copies}
    pages += copies
    html = index.read_text(encoding="utf-8")
    for page in pages:
        assert page in html
    assert "events" in out.err


def test_compare_a_file_of_several_events_refuses_and_names_them(tmp_path, capsys):
    # no --ids, no --event: the event stage runs first; three stories are never one table
    assert main(["compare", str(SAMPLE), "--max-reports", "100"]) == 2
    err = capsys.readouterr().err
    assert "3 events" in err
    assert "--event" in err
    events = tmp_path / "events.jsonl"
    assert main(["-q", "events", str(SAMPLE), "-o", str(events)]) == 0
    for line in events.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["event"] in err  # every event is named


def test_compare_a_file_of_one_event_compares_it_whole(tmp_path):
    one = tmp_path / "one.jsonl"
    one.write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in sample_records()
            if r["id"] in strike_ids()  # one story, one report per near-duplicate group
        ),
        encoding="utf-8",
    )
    out = tmp_path / "cmp.json"
    assert main(["-q", "compare", str(one), "-f", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    # every report of the file is a column, in the order of every view of an event (the
    # report's pages too): earliest-dated first, then by id
    records = {r["id"]: r for r in sample_records() if r["id"] in strike_ids()}
    expected = sorted(
        strike_ids(),
        key=lambda i: (records[i].get("date") is None, records[i].get("date") or "", i),
    )
    assert [o["id"] for o in data["outlets"]] == expected


def test_scorer_option_of_compare_and_report(tmp_path, capsys):
    ids = ",".join(strike_ids())
    out = tmp_path / "cmp.json"
    args = ["-q", "compare", str(SAMPLE), "--ids", ids, "-f", "json", "-o", str(out)]
    assert main([*args, "--scorer", "lexical"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["scorer"] == "lexical"
    from storymatch.differ.semantic import semantic_available

    assert main(args) == 0  # the default mirrors compare(scorer=None)
    default = "combined" if semantic_available() else "lexical"
    assert json.loads(out.read_text(encoding="utf-8"))["scorer"] == default
    with pytest.raises(SystemExit) as excinfo:
        main([*args, "--scorer", "fuzzy"])
    assert excinfo.value.code == 2
    capsys.readouterr()
    folder = tmp_path / "report"
    assert main(["-q", "report", str(SAMPLE), "-o", str(folder), "--scorer", "lexical"]) == 0
    assert (folder / "index.html").exists()
