"""Fixtures of the page cleaner's tests."""

from __future__ import annotations

import pytest
from tests import shared_data
from tests.text.boilerplate.pages import SEED_PAGE


@pytest.fixture(scope="module")
def seed_page() -> str:
    return shared_data.require(SEED_PAGE).read_text(encoding="utf-8")
