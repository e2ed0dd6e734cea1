"""Progress for notebooks: a tqdm bar, or one stderr line without tqdm; never both."""

from __future__ import annotations

import io
import sys
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest

import storymatch as sm
from storymatch import progress as progress_module
from storymatch.progress import LineProgress, TqdmProgress, in_notebook, progress_bar

tqdm = pytest.importorskip("tqdm")

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample" / "articles.jsonl"
TQDM_MARK = "|"  # tqdm draws "stage: 100%|#####| 22/22 [...]"; the stderr line "stage [###]"


@pytest.fixture(scope="module")
def sample() -> list[sm.Article]:
    return list(sm.read_articles(SAMPLE).articles)


@pytest.fixture
def no_delay(monkeypatch):
    monkeypatch.setattr(progress_module, "_DELAY", 0.0)


@pytest.fixture
def without_tqdm(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import tqdm.auto raises ImportError


@pytest.fixture
def notebook(monkeypatch):
    # What IPython's get_ipython() returns inside a Jupyter kernel: a shell with a kernel.
    shell = SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", SimpleNamespace(get_ipython=lambda: shell))


def test_the_bar_is_tqdm_when_installed_else_the_line(without_tqdm, monkeypatch):
    assert isinstance(progress_bar(), LineProgress)
    monkeypatch.delitem(sys.modules, "tqdm.auto")
    assert isinstance(progress_bar(), TqdmProgress)


@pytest.mark.usefixtures("no_delay")
def test_true_draws_a_tqdm_bar_and_no_line(sample, capsys):
    sm.find_duplicates(sample, progress=True)
    err = capsys.readouterr().err
    assert "hashing: 100%" in err
    assert f"{len(sample)}/{len(sample)}" in err
    assert "hashing [" not in err


@pytest.mark.usefixtures("no_delay", "without_tqdm")
def test_without_tqdm_one_stderr_line_per_stage_and_no_bar(sample, capsys):
    sm.analyze(sample, progress=True)
    err = capsys.readouterr().err
    assert TQDM_MARK not in err
    for stage in ("dedup", "events", "copies", "compare"):
        assert f"\r{stage} [{'#' * 30}]" in err, stage
    # a stage per line, each ended once
    assert err.count("\n") == 4
    # analyze reports the documents hashed as its dedup stage: no nested bar of its own
    assert "hashing" not in err


@pytest.mark.usefixtures("no_delay")
def test_analyze_in_a_notebook_draws_one_bar_per_stage(sample, capsys, notebook):
    sm.analyze(sample)
    err = capsys.readouterr().err
    assert [
        stage for stage in ("dedup", "events", "copies", "compare", "hashing") if stage in err
    ] == [
        "dedup",
        "events",
        "copies",
        "compare",
    ]
    assert "dedup: 100%|" in err
    assert f"{len(sample)}/{len(sample)}" in err


@pytest.mark.usefixtures("no_delay")
@pytest.mark.parametrize("progress", [False, None])
def test_silent_with_false_and_outside_notebooks(sample, capsys, progress):
    sm.analyze(sample, progress=progress)
    sm.calibrate(
        sample[:6],
        [a.meta["cluster"] for a in sample[:6]],
        thresholds=(0.5,),
        shingle_sizes=(5,),
        containment_thresholds=(None,),
        progress=progress,
    )
    assert capsys.readouterr().err == ""


@pytest.mark.usefixtures("no_delay", "notebook")
def test_false_is_silent_in_a_notebook_too(sample, capsys):
    sm.find_duplicates(sample, progress=False)
    assert capsys.readouterr().err == ""


def test_a_callable_is_called_as_is(sample):
    calls: list[tuple[str, int, int]] = []
    sm.copy_edits(sm.find_duplicates(sample), sample, progress=lambda *c: calls.append(c))
    assert calls
    assert {stage for stage, _, _ in calls} == {"copies"}


def test_in_notebook_needs_a_kernel(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)
    assert not in_notebook()
    terminal = SimpleNamespace(get_ipython=SimpleNamespace)  # IPython in a terminal: no kernel
    monkeypatch.setitem(sys.modules, "IPython", terminal)
    assert not in_notebook()


def test_short_stages_draw_nothing():
    stream = io.StringIO()
    line = LineProgress(stream)  # half a second before anything shows
    line("dedup", 1, 2)
    line.close()
    bars = io.StringIO()
    bar = TqdmProgress(partial(tqdm.tqdm, file=bars))
    bar("dedup", 1, 2)
    bar.close()
    assert stream.getvalue() == bars.getvalue() == ""


def test_the_tqdm_bar_follows_a_changing_total():
    out = io.StringIO()
    bar = TqdmProgress(partial(tqdm.tqdm, file=out, ascii=True), delay=0.0)
    bar("dedup", 0, 1)
    bar("dedup", 5, 10)
    bar("dedup", 10, 10)
    bar("events", 1, 1)
    bar.close()
    text = out.getvalue()
    assert "dedup: 100%|##########| 10/10" in text
    assert "events: 100%|##########| 1/1" in text
