"""python -m storymatch."""

from __future__ import annotations

from storymatch.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
