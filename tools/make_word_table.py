"""Write ``src/storymatch/_data/word_chars.bin``: which code points belong to words.

The tokenizer treats Unicode letters, marks and numbers (categories L*, M*, N*) as word
characters. The table is generated once and shipped, instead of being computed from the running
Python's :mod:`unicodedata` at import, so that hashes do not change with the Python (and so the
Unicode) version and start-up stays fast. Regenerate it (and bump ``SIGNATURE_VERSION``) only
on purpose::

    python tools/make_word_table.py
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np

SIZE = 0x40000
TARGET = Path(__file__).resolve().parents[1] / "src" / "storymatch" / "_data" / "word_chars.bin"


def main() -> None:
    """Generate the table from this Python's Unicode database."""
    table = np.fromiter(
        (unicodedata.category(chr(c))[0] in "LMN" for c in range(SIZE)), dtype=np.bool_, count=SIZE
    )
    TARGET.write_bytes(np.packbits(table).tobytes())
    print(f"wrote {TARGET} (Unicode {unicodedata.unidata_version}, {int(table.sum())} word chars)")


if __name__ == "__main__":
    main()
