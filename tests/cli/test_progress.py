"""The command line's progress bar: one shape, a line per stage, only on a terminal."""

from __future__ import annotations

import io

import pytest

from storymatch.cli import progress as progress_module
from storymatch.cli.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_delay(monkeypatch):
    monkeypatch.setattr(progress_module, "_DELAY", 0.0)


@pytest.mark.usefixtures("no_delay")
def test_a_line_per_stage_on_a_terminal():
    stream = Terminal()
    with ProgressBar(stream) as bar:
        bar("dedup", 1, 2)
        bar("dedup", 2, 2)
        bar("events", 1, 1)
    text = stream.getvalue()
    assert "\rdedup [" + "#" * 15 + "-" * 15 + "] 1/2" in text
    assert "\rdedup [" + "#" * 30 + "] 2/2\n" in text
    assert text.endswith("\revents [" + "#" * 30 + "] 1/1\n")


def test_the_bar_is_the_library_progress_shape(tmp_path):
    # the clusterer reports "hashing" through the same callable the pipeline uses
    from storymatch.dedup import NearDuplicateClusterer
    from storymatch.models import Article

    calls: list[tuple[str, int, int]] = []
    articles = [
        Article(id=str(i), text=f"report number {i} about the council vote") for i in range(3)
    ]
    NearDuplicateClusterer().fit(articles, progress=lambda *call: calls.append(call))
    assert calls
    assert calls[-1] == ("hashing", 3, 3)


@pytest.mark.usefixtures("no_delay")
def test_nothing_drawn_when_quiet_or_not_a_terminal():
    quiet, plain = Terminal(), io.StringIO()
    for stream, enabled in ((quiet, False), (plain, True)):
        with ProgressBar(stream, enabled=enabled) as bar:
            bar("dedup", 1, 1)
    assert quiet.getvalue() == plain.getvalue() == ""


def test_short_stages_draw_nothing():
    stream = Terminal()
    with ProgressBar(stream) as bar:
        bar("dedup", 1, 1)
    assert stream.getvalue() == ""
