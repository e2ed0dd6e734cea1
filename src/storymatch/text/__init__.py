"""Text stage: normalisation, page cleaning, sentence splitting, shingling."""

from __future__ import annotations
