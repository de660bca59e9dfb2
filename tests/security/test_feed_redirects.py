"""16.10: a feed (or its redirect) must not make the poller fetch from loopback or private
addresses, nor record one as the feed's new address, unless the operator allows it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from digest.store import feeds as feed_store
from digest.store import open_db
from tests.support.cli import Ran, runner
from tests.support.pollserver import FeedServer, fixed, redirect, simple_feed

PUBLIC = "http://feeds.invalid/feed"  # a name that does not resolve here: not a private address


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    return runner(capsys, monkeypatch)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    yield s
    s.close()


def write(folder: Path, feeds: dict[str, str], **polling: object) -> None:
    data = {"feeds": [{"name": n, "url": u} for n, u in feeds.items()], "polling": polling}
    (folder / "feeds.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def states(folder: Path) -> dict[str, tuple[str, str | None, str]]:
    db = open_db(folder / "digest.db")
    return {f.name: (f.url, f.last_error, f.status) for f in feed_store.listed(db)}


def test_loopback_and_decimal_addresses_are_not_fetched(
    server: FeedServer, tmp_path: Path, run: Callable[..., Ran]
) -> None:
    server.routes["/feed"] = fixed(200, simple_feed("interne"))
    loopback = server.url("/feed")
    decimal = f"http://2130706433:{server.port}/feed"  # 127.0.0.1 written as one number
    write(tmp_path, {"Loopback": loopback, "Decimal": decimal})
    run(tmp_path, "poll")
    assert server.requests == []
    found = states(tmp_path)
    for name in ("Loopback", "Decimal"):
        assert found[name][2] == "failing"
        assert "127.0.0.1, a loopback, private or reserved address: refused" in found[name][1]


def test_a_redirect_to_a_private_address_is_refused_and_not_recorded(
    server: FeedServer, tmp_path: Path, run: Callable[..., Ran], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the feed server stands for the Internet through a forward proxy, as HTTP_PROXY sends it
    inside = server.url("/admin")
    server.routes[PUBLIC] = redirect(301, inside)
    server.routes[inside] = fixed(200, simple_feed("interne"))
    server.routes["/admin"] = fixed(200, simple_feed("interne"))
    monkeypatch.setenv("HTTP_PROXY", server.url(""))
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    write(tmp_path, {"Outlet": PUBLIC})
    run(tmp_path, "poll")
    assert [path for path, _ in server.requests] == [PUBLIC]  # the redirect was not followed
    url, error, status = states(tmp_path)["Outlet"]
    assert url == PUBLIC and status == "failing"
    assert error.startswith(f"redirect to {inside} resolves to 127.0.0.1")


def test_the_operator_may_allow_private_addresses(
    server: FeedServer, tmp_path: Path, run: Callable[..., Ran]
) -> None:
    server.routes["/feed"] = fixed(200, simple_feed("interne"))
    write(tmp_path, {"Intranet": server.url("/feed")}, allow_private_addresses=True)
    assert run(tmp_path, "poll").returncode == 0
    assert states(tmp_path)["Intranet"][2] == "ok"
