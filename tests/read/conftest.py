"""One reader for the whole read suite: the spaCy model is loaded once."""

from __future__ import annotations

import pytest

from digest.read.reader import Reader


@pytest.fixture(scope="session")
def reader() -> Reader:
    return Reader()
