"""Pages and helpers shared by the page cleaner's tests."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests import shared_data

from storymatch.text.boilerplate import CleanedText

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
SEED_PAGE = SHARED / "seed" / "000_3418e995a78ff2f8.txt"
DATA = Path(os.environ.get("STORYMATCH_DATA", SHARED / "data"))

HEADLINE = "Iran responds to US claims of drone shipments to Russia"
BODY_ONE = (
    "The Kestrel Street Bridge collapsed into the River Lisle on Thursday evening, sending two "
    "cars and a delivery van into the water."
)
BODY_TWO = "All three drivers were rescued and taken to St. Aldric's Hospital, officials said."
BODY_THREE = (
    "Engineers from the regional transport authority will inspect the remaining bridges on the "
    "river before the end of the month, the council said in a statement."
)


def nonblank_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def page_with(line: str) -> str:
    return f"{BODY_ONE}\n\n{line}\n\n{BODY_TWO}\n\n{BODY_THREE}"


def check_spans(original: str, result: CleanedText) -> None:
    for r in result.removed:
        assert original[r.start : r.end] == r.text
        assert r.text == r.text.strip()
        assert r.text


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    shared_data.require(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
