"""Tests for storymatch.io.writers and atomic_write: JSON lines out, dedup/events lines."""

from __future__ import annotations

import gzip
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.io.support import RECORDS

import storymatch
from storymatch._files import write_together
from storymatch.errors import InvalidParameterError
from storymatch.io import atomic_write, read_articles, write_jsonl
from storymatch.models import Article


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_jsonl_output_is_compact_utf8(tmp_path):
    path = tmp_path / "out.jsonl"
    write_jsonl(path, [{"id": "x", "text": "é"}])
    assert path.read_bytes() == '{"id":"x","text":"é"}\n'.encode()


def test_write_jsonl_accepts_articles(tmp_path):
    articles = [Article.from_dict(r) for r in RECORDS]
    path = tmp_path / "out.jsonl"
    write_jsonl(path, articles)
    assert read_articles(path).articles == tuple(articles)


# ---------------------------------------------------------------------------------------
# Writers


def test_atomic_write_replaces_the_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with atomic_write(target) as out:
        out.write("new\n")
        assert target.read_text(encoding="utf-8") == "old"
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert names(tmp_path) == ["out.txt"]


def test_atomic_write_keeps_the_old_file_when_the_body_raises(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"old content\n")

    def write_then_fail() -> None:
        with atomic_write(target, mode="wb") as out:
            out.write(b"partial")
            msg = "boom"
            raise RuntimeError(msg)

    with pytest.raises(RuntimeError, match="boom"):
        write_then_fail()
    assert target.read_bytes() == b"old content\n"
    assert names(tmp_path) == ["out.jsonl"]


def test_write_jsonl_failure_leaves_no_file(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(ValueError, match="Out of range float"):
        write_jsonl(target, [{"id": "a", "text": "t"}, {"id": "b", "text": "t", "x": float("nan")}])
    assert names(tmp_path) == []


def test_write_jsonl_unserialisable_value(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        write_jsonl(target, [{"id": "a", "text": "t", "tags": {"x"}}])
    assert names(tmp_path) == []


def test_atomic_write_creates_parents_with_umask_permissions(tmp_path):
    target = tmp_path / "new" / "dir" / "out.txt"
    with atomic_write(target) as out:
        out.write("x")
    assert target.read_text(encoding="utf-8") == "x"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_atomic_write_rejects_unknown_mode(tmp_path):
    with pytest.raises(InvalidParameterError, match="'mode' parameter"):
        atomic_write(tmp_path / "x", mode="a")  # type: ignore[call-overload]


def test_atomic_write_dash_is_stdout(capsys):
    with atomic_write("-") as out:
        out.write("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"


def test_write_jsonl_to_stdout(capsys):
    assert write_jsonl("-", [{"id": "a", "text": "é"}]) == 1
    assert capsys.readouterr().out == '{"id":"a","text":"é"}\n'


def test_write_jsonl_gz_is_deterministic(tmp_path):
    records = [{"id": str(i), "text": f"text {i} ü"} for i in range(2000)]
    first, second = tmp_path / "one.jsonl.gz", tmp_path / "sub" / "two.jsonl.gz"
    write_jsonl(first, records)
    write_jsonl(second, records)
    assert first.read_bytes() == second.read_bytes()
    write_jsonl(first, records)
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()).count(b"\n") == 2000


def test_write_jsonl_accepts_any_mapping(tmp_path):
    from types import MappingProxyType

    target = tmp_path / "out.jsonl"
    write_jsonl(target, [MappingProxyType({"id": "a", "text": "t", "m": MappingProxyType({})})])
    assert target.read_text(encoding="utf-8") == '{"id":"a","text":"t","m":{}}\n'


# ---------------------------------------------------------------------------------------
# Line formats of storymatch dedup and storymatch events


def test_dedup_and_events_lines_match_json_dumps():
    from storymatch.io.writers import dedup_line, dedup_lines, events_line, events_lines
    from storymatch.models import DuplicateGroup, Event

    ids = ['quote"d \\ id', "ünïcode-€", "3"]
    groups = [
        DuplicateGroup("g-ü", ids[0], (ids[0], ids[1]), (1.0, 0.8)),
        DuplicateGroup("g2", "3", ("3",), (1.0,)),
    ]
    events = [Event("e\n1", tuple(ids), (), None, None, "", story="s-ü")]
    sims = [1.0, 0.123456789, 1.0]

    def dumps(row: dict[str, Any]) -> str:
        return json.dumps(row, ensure_ascii=False, separators=(",", ":"))

    expected = [
        dumps({"id": i, "group": g.id, "representative": g.representative, "similarity": s})
        for i, g, s in zip(
            ids, [groups[0], groups[0], groups[1]], [1.0, 0.123457, 1.0], strict=True
        )
    ]
    assert list(dedup_lines(ids, groups, [0, 0, 1], sims)) == [e + "\n" for e in expected]
    assert dedup_line(ids[1], "g-ü", ids[0], 0.123457) == expected[1]
    rows = [
        dumps({"id": i, "group": g, "event": "e\n1", "story": "s-ü"})
        for i, g in zip(ids, ["g-ü", "g-ü", "g2"], strict=True)
    ]
    assert list(events_lines(ids, groups, events, [0, 0, 0])) == [r + "\n" for r in rows]
    assert events_line(ids[2], "g2", "e\n1", "s-ü") == rows[2]
    assert events_line("a", "g", "e").endswith(',"story":null}')


# ---------------------------------------------------------------------------------------
# Outputs of one run move together; a killed run's temporary files are swept (issue 15)


def test_write_together_renames_at_the_end(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("old a")
    second.write_text("old b")
    with write_together():
        with atomic_write(first) as fh:
            fh.write("new a")
        assert first.read_text() == "old a"  # nothing moves before the end of the block
        with atomic_write(second) as fh:
            fh.write("new b")
    assert (first.read_text(), second.read_text()) == ("new a", "new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_write_together_keeps_every_old_file_when_one_write_fails(tmp_path):
    first = tmp_path / "a.txt"
    first.write_text("old a")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")

    def write_both() -> None:
        with write_together():
            with atomic_write(first) as fh:
                fh.write("new a")
            with atomic_write(blocker / "b.txt") as fh:
                fh.write("new b")

    with pytest.raises(FileExistsError):  # mkdir of the parent: a file is in the way
        write_both()
    assert first.read_text() == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "not-a-folder"]


def test_atomic_write_refuses_a_folder_before_writing(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder"):  # noqa: SIM117
        with atomic_write(tmp_path / "out") as fh:
            fh.write("x")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_killed_run_leaves_a_temporary_file_the_next_run_removes(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    script = (
        "import os, signal\n"
        "from storymatch._files import atomic_write\n"
        f"with atomic_write({str(target)!r}) as fh:\n"
        "    fh.write('half')\n"
        "    fh.flush()\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(storymatch.__file__).parents[1])}
    proc = subprocess.run([sys.executable, "-c", script], env=env, check=False)
    assert proc.returncode == -signal.SIGKILL
    left = [p.name for p in tmp_path.iterdir() if p.name != "out.jsonl"]
    assert len(left) == 1
    assert left[0].startswith(".out.jsonl.")
    assert left[0].endswith(".tmp")
    (tmp_path / ".other.txt.1.abcdefgh.tmp").write_text("not ours to judge: pid 1 is alive")
    write_jsonl(tmp_path / "unrelated.jsonl", [{"id": "x"}])  # any write in the folder sweeps
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.txt.1.abcdefgh.tmp",
        "out.jsonl",
        "unrelated.jsonl",
    ]
    assert target.read_text() == "old\n"
