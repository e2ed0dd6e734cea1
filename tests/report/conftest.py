from __future__ import annotations

import pytest
from tests.report.builders import build_analysis, build_comparison

from storymatch.models import Analysis, Comparison


@pytest.fixture(scope="session")
def comparison() -> Comparison:
    """Four reports of a flood: every status, conflicts, a moved claim, a hostile outlet."""
    return build_comparison(event="e-0123456789abcdef")


@pytest.fixture(scope="session")
def analysis() -> Analysis:
    """Three events: the flood (with copies), a two-report story, a single report."""
    return build_analysis()
