"""Fixtures shared by every area: a migrated database and a minimal configuration."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.config import Config, load_config
from digest.store import open_db


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_db(tmp_path / "test.db")
    yield conn
    conn.close()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A configuration with one local feed and every other key at its default."""
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - {name: Local, url: feed.xml}\n", encoding="utf-8")
    return load_config(path)
