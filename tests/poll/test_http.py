"""`poll_feeds` against a real HTTP server on 127.0.0.1: conditional GET, limits, redirects,
errors, Retry-After, scheduling hints and backoff."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from digest.config import Config, load_config
from digest.models import Feed
from digest.poll.poller import PollReport, poll_feeds
from digest.store import feeds as feed_store
from digest.store import items as item_store
from digest.store import now
from tests.support.pollserver import (
    FeedServer,
    conditional,
    endless,
    fixed,
    gzip_bomb,
    gzipped,
    http_date,
    redirect,
    rss,
    simple_feed,
    slow,
    trickle,
)

FAST = {
    "connect_timeout": 2,
    "read_timeout": 1,
    "total_timeout": 4,
    "max_bytes": 1048576,
    "parse_timeout": 30,
    "allow_private_addresses": True,  # the test server is on 127.0.0.1
}


@pytest.fixture
def server() -> Iterator[FeedServer]:
    s = FeedServer()
    yield s
    s.close()


def make_config(tmp_path: Path, feeds: dict[str, str], **polling: object) -> Config:
    path = tmp_path / "feeds.yaml"
    data = {
        "feeds": [{"name": name, "url": url} for name, url in feeds.items()],
        "polling": {**FAST, **polling},
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_config(path)


def feed_state(db: sqlite3.Connection, name: str) -> Feed:
    return next(f for f in feed_store.listed(db) if f.name == name)


def outcome(report: PollReport, name: str):
    return next(o for o in report.outcomes if o.name == name)


def test_conditional_get_stores_validators_verbatim_and_304_costs_nothing(server, tmp_path, db):
    etag, modified = '"v1-abc"', "Mon, 15 Jan 2024 10:00:00 GMT"
    server.routes["/feed"] = conditional(simple_feed("a"), etag, modified)
    server.routes["/lm"] = conditional(simple_feed("b"), None, modified)
    config = make_config(tmp_path, {"A": server.url("/feed"), "B": server.url("/lm")})

    first = poll_feeds(db, config)
    assert (first.count("ok"), first.new_items) == (2, 6)
    state = feed_state(db, "A")
    assert (state.etag, state.last_modified, state.status) == (etag, modified, "ok")
    assert server.hits("/feed")[0]["user-agent"] == config.polling.user_agent

    second = poll_feeds(db, config)
    assert second.count("not_modified") == 2 and second.new_items == 0
    sent = server.hits("/feed")[1]
    assert sent["if-none-match"] == etag and sent["if-modified-since"] == modified
    assert server.hits("/lm")[1]["if-modified-since"] == modified
    assert feed_state(db, "A").status == "not_modified"
    assert feed_state(db, "A").items_seen == 3


def test_slow_and_trickling_feeds_time_out_and_the_others_still_poll(server, tmp_path, db):
    server.routes["/slow"] = slow(3, simple_feed("s"))
    server.routes["/trickle"] = trickle(0.2, 200)
    server.routes["/ok"] = fixed(200, simple_feed("ok"))
    config = make_config(
        tmp_path,
        {"Slow": server.url("/slow"), "Trickle": server.url("/trickle"), "Ok": server.url("/ok")},
    )
    report = poll_feeds(db, config)
    assert "read timeout" in outcome(report, "Slow").error
    assert "gave up after 4 s" in outcome(report, "Trickle").error
    assert outcome(report, "Ok").status == "ok" and outcome(report, "Ok").new == 3
    assert feed_state(db, "Slow").status == "failing"


def test_bodies_over_the_cap_are_refused_while_streaming(server, tmp_path, db):
    server.routes["/declared"] = fixed(200, b" " * (2 * 1048576))
    server.routes["/endless"] = endless()
    config = make_config(
        tmp_path, {"Declared": server.url("/declared"), "Endless": server.url("/endless")}
    )
    report = poll_feeds(db, config)
    assert "larger than the 1 MiB cap" in outcome(report, "Declared").error
    assert "larger than the 1 MiB cap" in outcome(report, "Endless").error
    assert report.all_failed


def test_gzip_is_decoded_and_a_gzip_bomb_stops_at_the_cap(server, tmp_path, db):
    bomb = gzip_bomb(64)  # 64 MiB once gunzipped, well under 1 MiB on the wire
    assert len(bomb) < 1048576
    server.routes["/bomb"] = fixed(200, bomb, {"Content-Encoding": "gzip"})
    server.routes["/gz"] = gzipped(simple_feed("gz"))
    config = make_config(tmp_path, {"Bomb": server.url("/bomb"), "Gz": server.url("/gz")})
    report = poll_feeds(db, config)
    assert "decompressed body larger than the 1 MiB cap" in outcome(report, "Bomb").error
    assert outcome(report, "Gz").new == 3
    assert "gzip" in server.hits("/gz")[0]["accept-encoding"]


def test_permanent_redirects_are_recorded_temporary_ones_are_not(server, tmp_path, db):
    server.routes["/target"] = fixed(200, simple_feed("t"))
    server.routes["/target2"] = fixed(200, simple_feed("t"))
    server.routes["/p301"] = redirect(301, "/target")
    server.routes["/p308"] = redirect(308, server.url("/target"))
    server.routes["/t302"] = redirect(302, "/target2")
    server.routes["/chain"] = redirect(301, "/t302")
    server.routes["/to-file"] = redirect(302, "file:///etc/passwd")
    config = make_config(
        tmp_path,
        {
            "P301": server.url("/p301"),
            "P308": server.url("/p308"),
            "T302": server.url("/t302"),
            "Chain": server.url("/chain"),
            "ToFile": server.url("/to-file"),
        },
    )
    report = poll_feeds(db, config)
    assert outcome(report, "P301").moved_to == server.url("/target")
    assert feed_state(db, "P308").moved_to == server.url("/target")
    assert feed_state(db, "T302").moved_to is None and outcome(report, "T302").new == 3
    assert feed_state(db, "Chain").moved_to == server.url("/t302")
    assert "non-http address" in outcome(report, "ToFile").error
    # the same article through several feeds is stored once per feed, the copies marked
    stored = item_store.unread(db)
    assert sum(i.duplicate_of is None for i in stored) == 3

    poll_feeds(db, config)
    assert len(server.hits("/p301")) == 1 and len(server.hits("/p308")) == 1
    assert len(server.hits("/t302")) == 4  # twice as itself, twice for the chain
    assert len(server.hits("/chain")) == 1
    assert feed_state(db, "P301").url == server.url("/p301")  # feeds.yaml's key is kept

    # feeds.yaml updated to the new address: the same feed, with its items, not a new one
    seen = feed_state(db, "P301")
    moved = make_config(tmp_path, {"P301": server.url("/target")})
    poll_feeds(db, moved)
    after = feed_state(db, "P301")
    assert (after.id, after.url, after.moved_to) == (seen.id, server.url("/target"), None)
    assert after.items_seen == 3 and after.active


def test_410_stops_the_feed(server, tmp_path, db):
    server.routes["/gone"] = fixed(410)
    config = make_config(tmp_path, {"Gone": server.url("/gone")})
    report = poll_feeds(db, config)
    assert outcome(report, "Gone").status == "gone" and report.all_failed
    state = feed_state(db, "Gone")
    assert state.status == "gone" and state.next_poll is None and "410" in state.last_error
    poll_feeds(db, config)
    assert len(server.hits("/gone")) == 1


def test_429_and_503_honour_retry_after_even_for_a_forced_poll(server, tmp_path, db):
    server.routes["/429"] = fixed(429, b"slow down", {"Retry-After": "7200"})
    server.routes["/503"] = fixed(503, b"", {"Retry-After": http_date(timedelta(hours=3))})
    config = make_config(tmp_path, {"Busy": server.url("/429"), "Down": server.url("/503")})
    before = now()
    poll_feeds(db, config)
    busy, down = feed_state(db, "Busy"), feed_state(db, "Down")
    assert busy.last_error == "HTTP 429 Too Many Requests"
    assert timedelta(minutes=119) <= busy.not_before - before <= timedelta(minutes=121)
    assert busy.next_poll >= busy.not_before
    assert timedelta(minutes=179) <= down.not_before - before <= timedelta(minutes=181)
    again = poll_feeds(db, config)  # not only_due: still, the servers asked us to wait
    assert again.outcomes == [] and again.not_due == 2
    assert len(server.hits("/429")) == 1 and len(server.hits("/503")) == 1


def test_a_failing_feed_backs_off_and_is_shown_until_it_recovers(server, tmp_path, db):
    server.routes["/flaky"] = fixed(500)
    config = make_config(tmp_path, {"Flaky": server.url("/flaky")})
    waits = []
    for _ in range(3):
        moment = now()
        poll_feeds(db, config)
        state = feed_state(db, "Flaky")
        waits.append(round((state.next_poll - moment).total_seconds() / 60))
    assert waits == [30, 60, 120]  # poll_every_minutes 30, doubled per consecutive error
    assert state.status == "failing" and state.error_count == 3
    assert state.last_error == "HTTP 500 Internal Server Error"
    first_failure = state.failing_since
    assert first_failure < moment

    assert poll_feeds(db, config, only_due=True).outcomes == []  # not due yet
    server.routes["/flaky"] = fixed(200, simple_feed("f"))
    poll_feeds(db, config)
    state = feed_state(db, "Flaky")
    assert (state.status, state.error_count, state.failing_since, state.last_error) == (
        "ok",
        0,
        None,
        None,
    )
    assert state.items_seen == 3


def test_next_poll_follows_ttl_and_cache_control_within_bounds(server, tmp_path, db):
    server.routes["/ttl"] = fixed(200, rss([{"title": "x", "guid": "x"}], ttl=240))
    server.routes["/cache"] = fixed(
        200, simple_feed("c"), {"Cache-Control": "public, max-age=7200"}
    )
    server.routes["/huge-ttl"] = fixed(200, rss([{"title": "y", "guid": "y"}], ttl=100000))
    server.routes["/plain"] = fixed(200, simple_feed("p"))
    config = make_config(
        tmp_path,
        {n: server.url(f"/{n}") for n in ("ttl", "cache", "huge-ttl", "plain")},
        max_interval_minutes=600,
    )
    moment = now()
    poll_feeds(db, config)
    minutes = {
        n: round((feed_state(db, n).next_poll - moment).total_seconds() / 60)
        for n in ("ttl", "cache", "huge-ttl", "plain")
    }
    assert minutes == {"ttl": 240, "cache": 120, "huge-ttl": 600, "plain": 30}


def test_html_pages_empty_bodies_and_bad_statuses_are_readable_errors(server, tmp_path, db):
    page = (
        b"<!DOCTYPE html><html><head><title>Login</title></head><body><p>Sign in</p></body></html>"
    )
    server.routes["/html"] = fixed(200, page, {"Content-Type": "text/html"})
    server.routes["/empty"] = fixed(200, b"")
    config = make_config(
        tmp_path,
        {
            "Html": server.url("/html"),
            "Empty": server.url("/empty"),
            "Missing": server.url("/nope"),
        },
    )
    report = poll_feeds(db, config)
    assert outcome(report, "Html").error == "not a feed: the server sent an HTML page"
    assert outcome(report, "Empty").error.startswith("empty response")
    assert outcome(report, "Missing").error == "HTTP 404 Not Found"
    assert item_store.unread(db) == []


def test_at_most_n_feeds_at_once_and_m_per_host(server, tmp_path, db):
    for i in range(6):
        server.routes[f"/hold{i}"] = slow(0.3, simple_feed(f"h{i}"))
    feeds = {f"H{i}": server.url(f"/hold{i}") for i in range(6)}
    poll_feeds(db, make_config(tmp_path, feeds, per_host=2, max_concurrency=8))
    assert server.max_active == 2

    server.max_active = 0
    poll_feeds(db, make_config(tmp_path, feeds, per_host=8, max_concurrency=3))
    assert server.max_active == 3


def test_an_unreachable_address_is_reported_and_does_not_stop_the_others(server, tmp_path, db):
    server.routes["/ok"] = fixed(200, simple_feed("ok"))
    closed = FeedServer()
    dead_url = closed.url("/feed")
    closed.close()  # nothing listens on that port any more
    config = make_config(tmp_path, {"Dead": dead_url, "Ok": server.url("/ok")})
    report = poll_feeds(db, config)
    assert (
        outcome(report, "Dead").error
        == f"cannot connect to 127.0.0.1:{closed.port}: Connection refused"
    )
    assert outcome(report, "Ok").new == 3 and not report.all_failed
