"""16.12: absurd numbers in a feed's headers or its <ttl> must not crash its poll nor lose its
items; they are clamped (a year at most) or ignored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from digest.store import feeds as feed_store
from digest.store import items as item_store
from digest.store import now, open_db
from tests.support.cli import Ran, runner
from tests.support.pollserver import FeedServer, fixed, simple_feed

HUGE = "100000000000000"  # 1e14 seconds: past what a datetime can hold

CASES = {
    "max-age huge": (200, {"Cache-Control": f"max-age={HUGE}"}, None),
    "max-age 1e14": (200, {"Cache-Control": "max-age=1e14"}, None),
    "max-age superscript": (200, {"Cache-Control": "max-age=\u00b2"}, None),
    "expires far": (200, {"Expires": "Fri, 31 Dec 9999 23:59:59 GMT"}, None),
    "ttl huge": (200, {}, "100000000000000000000"),
    "ttl 1e20": (200, {}, "1e20"),
    "ttl superscript": (200, {}, "\u00b2"),
    "retry-after huge": (503, {"Retry-After": HUGE}, None),
    "retry-after 1e14": (503, {"Retry-After": "1e14"}, None),
    "retry-after superscript": (429, {"Retry-After": "\u00b2"}, None),
}


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    return runner(capsys, monkeypatch)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    yield s
    s.close()


def test_odd_numbers_are_clamped_and_items_kept(
    server: FeedServer, tmp_path: Path, run: Callable[..., Ran]
) -> None:
    feeds = []
    for i, (name, (status, headers, ttl)) in enumerate(CASES.items()):
        body = simple_feed(f"f{i}", 2)
        if ttl is not None:
            body = body.replace(b"<channel>", f"<channel><ttl>{ttl}</ttl>".encode())
        server.routes[f"/{i}"] = fixed(status, body if status == 200 else b"", headers)
        feeds.append({"name": name, "url": server.url(f"/{i}")})
    data = {"feeds": feeds, "polling": {"allow_private_addresses": True}}
    (tmp_path / "feeds.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    run(tmp_path, "poll")
    db = open_db(tmp_path / "digest.db")
    limit = now() + timedelta(days=367)
    for feed in feed_store.listed(db):
        assert "internal error" not in (feed.last_error or ""), (feed.name, feed.last_error)
        assert feed.next_poll is not None and feed.next_poll < limit, feed.name
        if CASES[feed.name][0] == 200:
            assert feed.status == "ok", (feed.name, feed.last_error)
        else:
            assert feed.status == "failing" and feed.last_error.startswith("HTTP"), feed.name
    assert len(item_store.unread(db)) == 2 * 7
