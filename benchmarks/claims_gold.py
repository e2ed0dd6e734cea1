"""Build a complete claims gold folder from the offset-only labels and the BASIL documents.

BASIL's articles are research-only, so the repository keeps the hand-labelled claim alignments
of ``benchmarks/claims_gold/basil_extra`` as ids and character offsets only (``units.jsonl``
without text, ``claims.jsonl``, ``docs.sha256``). :func:`materialise` joins them with the
shared BASIL ``docs.jsonl`` into a folder the shared scorer (``score_claims.py``) reads:
``docs.jsonl`` (the labelled articles, copied), ``units.jsonl`` (with ``text``),
``claims.jsonl`` and ``README.md``.

Every unit is checked against the reference split of ``claims_dev`` (paragraphs on blank
lines, then pysbd 0.3.4, ``clean=False``): the document's split must give exactly the stored
units, in order and at the stored offsets, and the document text must have the recorded
SHA-256. Any difference (a changed BASIL file, another pysbd) raises :class:`GoldMismatchError`.

Run::

    python -m benchmarks.claims_gold --basil ../shared/data/basil --out /tmp/claims_extra
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

LABELS = Path(__file__).resolve().parent / "claims_gold" / "basil_extra"
PYSBD_VERSION = "0.3.4"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


class GoldMismatchError(RuntimeError):
    """The BASIL documents or the sentence splitter no longer match the stored labels."""


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read a JSON Lines file.

    Parameters
    ----------
    path : Path
        The file; blank lines are skipped.

    Returns
    -------
    list of dict
        One object per line.
    """
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Write objects as JSON Lines (UTF-8, non-ASCII kept).

    Parameters
    ----------
    path : Path
        The file to write (replaced).
    rows : iterable of dict
        The objects, one per line.
    """
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _segmenter() -> Any:
    """Return the reference pysbd segmenter, refusing any pysbd version but 0.3.4."""
    try:
        pysbd: Any = importlib.import_module("pysbd")
    except ImportError as exc:
        msg = f"the reference split needs pysbd=={PYSBD_VERSION} (the bench dependency group)"
        raise GoldMismatchError(msg) from exc
    version = getattr(pysbd, "__version__", None)
    if version != PYSBD_VERSION:
        msg = f"the reference split needs pysbd=={PYSBD_VERSION}, found {version}"
        raise GoldMismatchError(msg)
    return pysbd.Segmenter(language="en", clean=False)


def reference_split(text: str, segmenter: Any | None = None) -> Iterator[tuple[int, int, str]]:
    """Split a document into units exactly as the ``claims_dev`` gold did.

    Parameters
    ----------
    text : str
        The document's full text.
    segmenter : pysbd.Segmenter, optional
        A segmenter made by the reference settings; made here when omitted.

    Yields
    ------
    tuple of (int, int, str)
        ``start``, ``end`` (character offsets into ``text``) and the stripped segment, in
        document order; ``text[start:end] == segment``.
    """
    seg = segmenter if segmenter is not None else _segmenter()
    bounds, pos = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((pos, match.start()))
        pos = match.end()
    bounds.append((pos, len(text)))
    for para_start, para_end in bounds:
        paragraph, cursor = text[para_start:para_end], 0
        for segment in (piece.strip() for piece in seg.segment(paragraph)):
            if segment:
                found = paragraph.find(segment, cursor)
                if found < 0:
                    msg = f"segment not found in its paragraph: {segment[:40]!r}"
                    raise GoldMismatchError(msg)
                yield para_start + found, para_start + found + len(segment), segment
                cursor = found + len(segment)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_hashes(path: Path) -> dict[str, str]:
    hashes = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, doc_id = line.split()
            hashes[doc_id] = digest
    return hashes


def materialise(labels_dir: Path, basil_docs: Path, out_dir: Path) -> Path:
    """Write a complete claims gold folder from offset-only labels and BASIL's documents.

    Parameters
    ----------
    labels_dir : Path
        Folder with ``units.jsonl`` (no ``text``), ``claims.jsonl``, ``docs.sha256`` and
        optionally ``README.md`` (e.g. :data:`LABELS`).
    basil_docs : Path
        BASIL's ``docs.jsonl``, or the folder that holds it.
    out_dir : Path
        Folder to write (created; files of the same names are replaced).

    Returns
    -------
    Path
        ``out_dir``, holding ``docs.jsonl``, ``units.jsonl`` (with ``text``),
        ``claims.jsonl`` and ``README.md``.

    Raises
    ------
    GoldMismatchError
        When a labelled document is missing from BASIL, its text has another SHA-256, the
        reference split (pysbd 0.3.4) does not give exactly the stored units, or pysbd is
        missing or another version.
    """
    labels_dir, out_dir = Path(labels_dir), Path(out_dir)
    docs_path = Path(basil_docs)
    if docs_path.is_dir():
        docs_path = docs_path / "docs.jsonl"
    units = read_jsonl(labels_dir / "units.jsonl")
    claims = read_jsonl(labels_dir / "claims.jsonl")
    hashes = _read_hashes(labels_dir / "docs.sha256")

    by_doc: dict[str, list[dict[str, Any]]] = {}
    for unit in units:
        by_doc.setdefault(unit["doc"], []).append(unit)
    docs = {doc["id"]: doc for doc in read_jsonl(docs_path) if doc["id"] in by_doc}
    absent = sorted(set(by_doc) - set(docs))
    if absent:
        msg = f"{len(absent)} labelled documents are not in {docs_path}: {absent[:3]}"
        raise GoldMismatchError(msg)

    segmenter = _segmenter()
    filled: list[dict[str, Any]] = []
    for doc_id, doc_units in by_doc.items():
        text = docs[doc_id]["text"]
        if hashes.get(doc_id) != _sha256(text):
            msg = f"the text of {doc_id} differs from the labelled version (SHA-256)"
            raise GoldMismatchError(msg)
        split = list(reference_split(text, segmenter))
        if len(split) != len(doc_units):
            msg = f"{doc_id}: the reference split gives {len(split)} units, labels {len(doc_units)}"
            raise GoldMismatchError(msg)
        for k, (unit, (start, end, segment)) in enumerate(zip(doc_units, split, strict=True)):
            if unit["id"] != f"{doc_id}#{k}" or (unit["start"], unit["end"]) != (start, end):
                msg = f"{unit['id']}: the reference split gives {doc_id}#{k} at {start}:{end}"
                raise GoldMismatchError(msg)
            if text[start:end].strip() != segment:
                msg = f"{unit['id']}: text at the offsets is not the split's unit"
                raise GoldMismatchError(msg)
            filled.append(
                {
                    "id": unit["id"],
                    "doc": doc_id,
                    "event": unit["event"],
                    "source": unit["source"],
                    "start": start,
                    "end": end,
                    "text": segment,
                    "kind": unit["kind"],
                }
            )

    out_dir.mkdir(parents=True, exist_ok=True)
    write_jsonl(out_dir / "docs.jsonl", (docs[doc_id] for doc_id in by_doc))
    write_jsonl(out_dir / "units.jsonl", filled)
    write_jsonl(out_dir / "claims.jsonl", claims)
    if (labels_dir / "README.md").is_file():
        shutil.copyfile(labels_dir / "README.md", out_dir / "README.md")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: ``python -m benchmarks.claims_gold --basil DIR --out DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--basil", type=Path, required=True, help="BASIL folder or docs.jsonl")
    parser.add_argument("--out", type=Path, required=True, help="gold folder to write")
    parser.add_argument("--labels", type=Path, default=LABELS, help="offset-only labels")
    args = parser.parse_args(argv)
    out = materialise(args.labels, args.basil, args.out)
    n_units = sum(1 for _ in (out / "units.jsonl").open(encoding="utf-8"))
    n_claims = sum(1 for _ in (out / "claims.jsonl").open(encoding="utf-8"))
    print(f"wrote {out}: {n_units} units, {n_claims} claims")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
