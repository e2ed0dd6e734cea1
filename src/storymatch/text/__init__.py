"""Text stage: normalisation, shingling (sentence splitting and cleaning come later)."""

from __future__ import annotations
