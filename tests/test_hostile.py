"""Hostile and careless input through every command (issue 15).

Each command runs in a subprocess (``python -m storymatch``), as a user runs it: whatever the
input, the answer is an output, a clear error naming the file and line, or a skipped record;
never a traceback.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

import storymatch

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample" / "articles.jsonl"
_SRC = str(Path(storymatch.__file__).resolve().parents[1])


def _run(
    args: Sequence[str], cwd: Path, *, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": _SRC, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "storymatch", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        timeout=timeout,
    )


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Error:" not in proc.stderr.replace("storymatch: error:", ""), proc.stderr


def _sample() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------------------------------
# Item 1: long CSV fields, quotes left open


def test_csv_field_over_128_kib_is_one_record(tmp_path):
    path = tmp_path / "long.csv"
    long_text = 'The strike went on, "said the union", for another day.\n' * 4000
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerows([["id", "text"], ["a", long_text], ["b", "A short report."]])
    proc = _run(["dedup", "--skip-invalid", str(path), "-o", "out.jsonl"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0
    assert "skipped" not in proc.stderr
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]


def test_csv_quote_left_open_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "open.csv"
    path.write_text('id,text\na,fine text\nb,"open quote\nc,third\nd,fourth\n', encoding="utf-8")
    proc = _run(["dedup", str(path), "-o", "out.jsonl"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert f"{path}:3: " in proc.stderr
    assert "never closed" in proc.stderr
    assert not (tmp_path / "out.jsonl").exists()


# ---------------------------------------------------------------------------------------
# Item 2: lone surrogates, file names that are not UTF-8


def _surrogate_corpus(folder: Path) -> tuple[Path, list[int]]:
    """The sample, then records with lone surrogates in id, text, title and a meta field."""
    lines = _sample()
    bad = [
        r'{"id": "bad\ud800", "text": "An id with half a pair.", "cluster": "x1"}',
        r'{"id": "bad-text", "text": "Text \udc00 with half a pair.", "cluster": "x2"}',
        r'{"id": "bad-title", "text": "A fine text.", "title": "\udfff", "cluster": "x3"}',
        r'{"id": "bad-meta", "text": "A fine text.", "note": "\ud83d", "cluster": "x4"}',
    ]
    path = folder / "surrogates.jsonl"
    path.write_text("\n".join([*lines[:6], *bad, *lines[6:]]) + "\n", encoding="utf-8")
    return path, [7, 8, 9, 10]


def _pairs_corpus(folder: Path) -> tuple[Path, list[int]]:
    rows = [
        '{"id": "p1", "a": "The port reopened.", "b": "The harbour reopened on Monday."}',
        r'{"id": "p2\ud800", "a": "x", "b": "y"}',
        r'{"id": "p3", "a": "Bad \udc00 sentence.", "b": "y"}',
        '{"id": "p4", "a": "Workers went on strike.", "b": "Dockworkers walked out."}',
    ]
    path = folder / "pairs.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, [2, 3]


# (name, arguments after the input, the output the command writes)
_COMMANDS = [
    pytest.param(["dedup"], ["-o", "out.jsonl", "--groups", "groups.jsonl"], id="dedup"),
    pytest.param(["events"], ["-o", "out.jsonl"], id="events"),
    pytest.param(["copies"], ["-o", "out.jsonl"], id="copies"),
    pytest.param(["clean"], ["-o", "out.jsonl"], id="clean"),
    pytest.param(["clean"], ["-o", "out.jsonl", "--learn"], id="clean-learn"),
    pytest.param(
        ["compare"],
        ["--ids", "e1-ledger-wire,e1-harbor-gazette", "-f", "json", "-o", "out.json"],
        id="compare",
    ),
    pytest.param(["report"], ["-o", "site"], id="report"),
    pytest.param(["calibrate"], ["--shingle-sizes", "5", "--kinds", "word"], id="calibrate"),
    pytest.param(["index", "add"], ["--store", "sqlite:index.db"], id="index-add"),
]


@pytest.mark.parametrize(("command", "options"), _COMMANDS)
def test_lone_surrogates_skipped_with_file_and_line(tmp_path, command, options):
    path, bad_lines = _surrogate_corpus(tmp_path)
    proc = _run([*command, "--skip-invalid", str(path), *options], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    for line in bad_lines:
        assert f"skipped {path}:{line}: " in proc.stderr
    assert "lone surrogate" in proc.stderr
    proc = _run([*command, str(path), *options], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert f"{path}:{bad_lines[0]}: " in proc.stderr


def test_lone_surrogates_in_index_query_and_pairs(tmp_path):
    path, bad_lines = _surrogate_corpus(tmp_path)
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(_sample()) + "\n", encoding="utf-8")
    assert (
        _run(["-q", "index", "add", str(good), "--store", "sqlite:i.db"], tmp_path).returncode == 0
    )
    proc = _run(
        ["index", "query", "--skip-invalid", str(path), "--store", "sqlite:i.db", "-o", "q.jsonl"],
        tmp_path,
    )
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert all(f"skipped {path}:{line}: " in proc.stderr for line in bad_lines)
    pairs, bad_pairs = _pairs_corpus(tmp_path)
    proc = _run(["pairs", "--skip-invalid", str(pairs), "-o", "p.jsonl"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert all(f"skipped {pairs}:{line}: " in proc.stderr for line in bad_pairs)
    ids = [json.loads(x)["id"] for x in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert ids == ["p1", "p4"]
    proc = _run(["pairs", str(pairs), "-o", "p2.jsonl"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert f"{pairs}:2: " in proc.stderr


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
@pytest.mark.parametrize("command", ["dedup", "events", "report"])
def test_folder_with_a_latin1_file_name(tmp_path, command):
    folder = tmp_path / "pages"
    folder.mkdir()
    records = [json.loads(line) for line in _sample()[:5]]
    for i, record in enumerate(records):
        (folder / f"page{i}.txt").write_text(record["text"], encoding="utf-8")
    bad = os.fsdecode(bytes(folder) + b"/caf\xe9.txt")
    Path(bad).write_text(records[0]["text"], encoding="utf-8")
    output = "site" if command == "report" else "out.jsonl"
    proc = _run([command, "--skip-invalid", str(folder), "-o", output], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert f"skipped {folder}/caf\\xe9.txt:1: the file name is not UTF-8" in proc.stderr
    proc = _run([command, str(folder), "-o", output], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert "caf\\xe9.txt:1: the file name is not UTF-8" in proc.stderr


# ---------------------------------------------------------------------------------------
# Item 6: the outputs of one run are replaced together or not at all


def test_dedup_keeps_both_old_outputs_when_the_second_write_fails(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old output\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    args = ["dedup", str(SAMPLE), "-o", str(out), "--groups", str(blocker / "g.jsonl")]
    proc = _run(args, tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert out.read_text() == "old output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "out.jsonl"]


# ---------------------------------------------------------------------------------------
# Item 5: empty texts in clean --learn, pairs without a word


def test_clean_learn_with_empty_texts(tmp_path):
    lines = _sample()[:8]
    empty = [
        json.dumps({"id": f"empty{i}", "text": "", "source": f"s{i}.example"}) for i in range(4)
    ]
    blank = [
        json.dumps({"id": f"blank{i}", "text": " \n\n \t", "source": "s.example"}) for i in range(3)
    ]
    path = tmp_path / "empty.jsonl"
    path.write_text("\n".join([*empty, *lines, *blank]) + "\n", encoding="utf-8")
    proc = _run(["clean", "--learn", str(path), "-o", "out.jsonl"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(rows) == 15
    assert [r["text"] for r in rows[:4]] == ["", "", "", ""]


def test_pairs_without_a_word(tmp_path):
    path = tmp_path / "pairs.jsonl"
    rows = [
        {"id": "p1", "a": "!!!", "b": "..."},
        {"id": "p2", "a": "", "b": "?"},
        {"id": "p3", "a": " ", "b": "-- --"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    proc = _run(["pairs", str(path), "-o", "out.jsonl"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [(r["id"], r["same_claim"]) for r in out] == [
        ("p1", False),
        ("p2", False),
        ("p3", False),
    ]


# ---------------------------------------------------------------------------------------
# Item 7: a database that is not a storymatch index is left as it is


def test_index_leaves_a_foreign_database_untouched(tmp_path):
    import sqlite3

    path = tmp_path / "app.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT)")
    db.execute("INSERT INTO docs (body) VALUES ('mine')")
    db.commit()
    db.close()
    before = path.read_bytes()
    for args in (
        ["index", "query", str(SAMPLE), "--store", f"sqlite:{path}", "-o", "q.jsonl"],
        ["index", "add", str(SAMPLE), "--store", f"sqlite:{path}"],
    ):
        proc = _run(args, tmp_path)
        _no_traceback(proc)
        assert proc.returncode == 1
        assert "not a storymatch index" in proc.stderr
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    proc = _run(["index", "query", str(SAMPLE), "--store", f"sqlite:{empty}", "-o", "q"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert "holds no index yet" in proc.stderr
    assert empty.read_bytes() == b""
    proc = _run(["-q", "index", "add", str(SAMPLE), "--store", f"sqlite:{empty}"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    before = empty.read_bytes()
    proc = _run(
        ["-q", "index", "query", str(SAMPLE), "--store", f"sqlite:{empty}", "-o", "q"], tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert empty.read_bytes() == before
    assert len((tmp_path / "q").read_text().splitlines()) == 22


# ---------------------------------------------------------------------------------------
# Item 9: nothing a terminal acts on reaches it


_TERMINAL_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_events_summary_and_messages_escape_terminal_controls(tmp_path):
    records = [json.loads(line) for line in _sample()]
    hostile = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil"
    for record in records:
        record["title"] = hostile + (record.get("title") or "")
        record["source"] = hostile + (record.get("source") or "")
    records.append({"id": "bad\x1b[2J", "text": 5})
    path = tmp_path / "hostile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    proc = _run(["events", "--skip-invalid", str(path), "-o", "out.jsonl"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert "evil" in proc.stderr  # the titles are shown, their controls replaced
    assert "skipped" in proc.stderr
    assert not _TERMINAL_CONTROLS.search(proc.stderr + proc.stdout), ascii(proc.stderr)
    # an error message carries a path a user can name as they like
    folder = tmp_path / "in\x1b[2Jput"
    folder.mkdir()
    (folder / "a.jsonl").write_text('{"id": "a", "text": 5}\n', encoding="utf-8")
    proc = _run(["-v", "dedup", str(folder), "-o", "out2.jsonl"], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 1
    assert "a.jsonl:1: " in proc.stderr
    assert not _TERMINAL_CONTROLS.search(proc.stderr + proc.stdout), ascii(proc.stderr)


# ---------------------------------------------------------------------------------------
# Item 4: index query against a store of many copies of one text


def _peak_rss_mib(args: Sequence[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run the CLI in a child and return its peak resident memory (MiB) and the result."""
    script = (
        "import resource, subprocess, sys\n"
        "proc = subprocess.run([sys.executable, '-m', 'storymatch', *sys.argv[1:]], "
        "capture_output=True, text=True)\n"
        "sys.stdout.write(proc.stdout); sys.stderr.write(proc.stderr)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.write(f'\\nPEAK_KIB {peak}\\n')\n"
        "sys.exit(proc.returncode)\n"
    )
    env = {**os.environ, "PYTHONPATH": _SRC, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    peak = int(proc.stderr.rsplit("PEAK_KIB ", 1)[1].split()[0])
    return peak / 1024, proc


@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX")
def test_index_query_of_many_copies_is_capped_and_bounded(tmp_path):
    text = json.loads(_sample()[0])["text"]
    copies = tmp_path / "copies.jsonl"
    copies.write_text(
        "".join(json.dumps({"id": f"c{i:05d}", "text": text}) + "\n" for i in range(3000)),
        encoding="utf-8",
    )
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        "".join(json.dumps({"id": f"q{i}", "text": text}) + "\n" for i in range(200)),
        encoding="utf-8",
    )
    add = ["-q", "index", "add", str(copies), "--store", "sqlite:copies.db"]
    assert _run(add, tmp_path).returncode == 0
    query = ["index", "query", str(queries), "--store", "sqlite:copies.db", "-o", "out.jsonl"]
    peak, proc = _peak_rss_mib(query, tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(rows) == 200
    assert all(len(r["matches"]) == 100 and r["more"] == 2900 for r in rows)
    assert [m["id"] for m in rows[0]["matches"][:2]] == ["c00000", "c00001"]
    assert peak < 1024, f"peak RSS {peak:.0f} MiB"  # 200 x 3000 uncapped pairs: far above
    _, proc = _peak_rss_mib([*query[:-1], "all.jsonl", "--max-matches", "0"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    first = json.loads((tmp_path / "all.jsonl").read_text().splitlines()[0])
    assert (len(first["matches"]), "more" in first) == (3000, False)


# ---------------------------------------------------------------------------------------
# Item 3: compare and report on reports of thousands of short sentences (memory bounded)


def _long_reports(folder: Path, n_sentences: int) -> Path:
    words = ["harbour", "crew", "berth", "union", "crane", "vessel", "cargo", "shift"]
    first = [
        f"The {words[i % 8]} team {i} moved {i * 7 % 997} boxes at berth {i % 40}."
        for i in range(n_sentences)
    ]
    second = [s.replace("boxes", "crates") if i % 3 else s for i, s in enumerate(first)]
    second = second[1::2] + second[::2]  # reordered, as outlets do
    records = [
        {"id": "long-a", "source": "a.example", "title": "Long report", "text": " ".join(first)},
        {"id": "long-b", "source": "b.example", "title": "Long report", "text": " ".join(second)},
    ]
    path = folder / "long.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX")
@pytest.mark.parametrize(
    "command",
    [
        # the lexical scorer: the candidates and their bookkeeping, which this bounds, are the
        # same with the combined one, whose embeddings add 1.5 KiB a sentence (and would
        # spend a minute of the suite embedding 8,000 sentences)
        pytest.param(
            [
                *("compare", "--ids", "long-a,long-b", "-f", "json", "-o", "out.json"),
                *("--scorer", "lexical"),
            ],
            id="compare",
        ),
        pytest.param(["report", "-o", "site", "--scorer", "lexical"], id="report"),
    ],
)
def test_thousands_of_sentences_stay_within_memory(tmp_path, command):
    path = _long_reports(tmp_path, 4000)
    peak, proc = _peak_rss_mib([command[0], str(path), *command[1:]], tmp_path)
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert peak < 1024, f"peak RSS {peak:.0f} MiB for two reports of 4,000 sentences"
