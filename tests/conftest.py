"""Fixtures shared by every area: a migrated database and a minimal configuration.

The store, poll, group, send, web and security suites run their database tests on both engines:
`engine` is "sqlite" and "postgres" there ("sqlite" elsewhere), and the PostgreSQL server is
started by the session on first use (tests.support.postgres), the tests skipped where it cannot
start.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.config import Config, load_config
from digest.store import Database, Location, open_db
from tests.support import postgres

BOTH_ENGINES = {"store", "poll", "group", "send", "web", "security"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        both = Path(str(metafunc.definition.fspath)).parent.name in BOTH_ENGINES
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize(
            "engine", ["sqlite", "postgres"] if both and not only_sqlite else ["sqlite"]
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The base URL of the session's PostgreSQL server."""
    try:
        context = postgres.server()
        base = context.__enter__()
    except (postgres.Unavailable, ImportError) as e:
        pytest.skip(f"PostgreSQL cannot start here, its half of the tests is skipped: {e}")
    try:
        yield base
    finally:
        context.__exit__(None, None, None)


@pytest.fixture
def db_location(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Location]:
    """Where a fresh, migrated database of this engine lives: a file, or a URL."""
    if engine == "sqlite":
        yield tmp_path / "test.db"
        return
    url = postgres.fresh(request.getfixturevalue("postgres_server"))
    yield url
    postgres.drop(url)


@pytest.fixture
def db(db_location: Location) -> Iterator[Database]:
    conn = open_db(db_location)
    yield conn
    conn.close()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """A configuration with one local feed and every other key at its default."""
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - {name: Local, url: feed.xml}\n", encoding="utf-8")
    return load_config(path)


@pytest.fixture(autouse=True)
def _no_confidence_hold(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The story confidence (digest/write/confidence.py) was learned on real news; our own
    one-page fixtures are not that, and each test here is about something else. It is tested in
    tests/write/test_confidence.py, and on real news by tests/evaluate (which keep it)."""
    if "tests/evaluate" not in str(request.path) and "test_confidence" not in str(request.path):
        monkeypatch.setenv("DIGEST_WRITE_CONFIDENCE", "off")
