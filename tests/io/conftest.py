"""Fixtures of the io tests: ``backend`` parses with the stdlib json module, then orjson."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.io.support import BACKENDS, use_backend


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    with use_backend(request.param):
        yield request.param
