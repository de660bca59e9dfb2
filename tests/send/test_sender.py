"""Sending through a real SMTP server (aiosmtpd on 127.0.0.1): once each, retries, bounces, TLS."""

from __future__ import annotations

import fcntl
import sqlite3
import threading
from pathlib import Path

import pytest

from digest.send.mailing import send_latest
from digest.send.sender import SendFailed, TokenBucket, send_edition
from digest.send.tokens import check_token
from digest.store import deliveries, editions
from digest.store import subscribers as subscriber_store
from tests.support.mailserver import Recorder, self_signed, smtp_server
from tests.support.sendkit import SECRET, add_subscribers, config_for, saved_edition


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    monkeypatch.delenv("DIGEST_SMTP_PASSWORD", raising=False)


def test_every_active_subscriber_gets_one_copy_and_a_rerun_sends_nothing(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    edition = saved_edition(db)
    addresses = add_subscribers(db, 25)
    subscriber_store.insert(db, "parti@exemple.fr", state="unsubscribed")
    subscriber_store.insert(db, "attente@exemple.fr", state="pending")
    server = Recorder()
    with smtp_server(server) as port:
        config = config_for(tmp_path, port, pool_size=3)
        first = send_latest(db, config)
        second = send_latest(db, config)
    assert server.copies() == {a: 1 for a in addresses}
    assert (first.sent, first.failed, first.remaining) == (25, 0, 0)
    assert (second.total, second.sent, second.recovered) == (0, 0, 0)
    assert deliveries.counts(db, edition.id)["sent"] == 25
    assert editions.get(db, edition.id).state == "sent"


def test_each_copy_carries_its_own_unsubscribe_token(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    saved_edition(db)
    add_subscribers(db, 2)
    server = Recorder()
    with smtp_server(server) as port:
        send_latest(db, config_for(tmp_path, port))
    urls = []
    for address in ("lecteur0@exemple.fr", "lecteur1@exemple.fr"):
        (msg,) = server.messages(address)
        header = msg["List-Unsubscribe"]
        url = header.split("<", 1)[1].split(">", 1)[0]
        token = url.rsplit("/", 1)[1]
        assert check_token(SECRET.encode(), token, "unsubscribe", address)
        assert "<mailto:unsubscribe+" + token + "@example.org?subject=unsubscribe>" in header
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html = msg.get_body(("html",)).get_content()
        text = msg.get_body(("plain",)).get_content()
        assert f'href="{url}"' in html and url in text
        assert msg["To"] == address and msg["Message-ID"].startswith("<digest.2024-05-14-n1.")
        urls.append(url)
    assert urls[0] != urls[1]
    # a token of one address is worthless for the other
    assert not check_token(
        SECRET.encode(), urls[0].rsplit("/", 1)[1], "unsubscribe", "lecteur1@exemple.fr"
    )


@pytest.mark.parametrize("pipelining", [False, True])
def test_temporary_failures_and_dropped_connections_are_retried(
    db: sqlite3.Connection, tmp_path: Path, pipelining: bool
) -> None:
    edition = saved_edition(db)
    addresses = add_subscribers(db, 8)
    plan = {
        addresses[0]: ["451", "454", "ok"],
        addresses[1]: ["421", "ok"],
        addresses[2]: ["drop", "ok"],
    }
    server = Recorder(plan, pipelining=pipelining)
    with smtp_server(server) as port:
        report = send_latest(db, config_for(tmp_path, port))
    assert server.copies() == {a: 1 for a in addresses}
    assert (report.sent, report.retried, report.failed) == (8, 4, 0)
    assert server.attempts[addresses[0]] == 3
    assert deliveries.counts(db, edition.id)["sent"] == 8


@pytest.mark.parametrize("pipelining", [False, True])
def test_permanent_failures_are_recorded_and_unknown_mailboxes_bounce(
    db: sqlite3.Connection, tmp_path: Path, pipelining: bool
) -> None:
    edition = saved_edition(db)
    addresses = add_subscribers(db, 5)
    plan = {addresses[0]: ["550"], addresses[1]: ["550 5.1.1"]}
    server = Recorder(plan, pipelining=pipelining)
    with smtp_server(server) as port:
        report = send_latest(db, config_for(tmp_path, port))
        again = send_latest(db, config_for(tmp_path, port))
    assert (report.sent, report.failed, report.bounced) == (3, 1, 1)
    assert server.attempts[addresses[0]] == 1 and server.attempts[addresses[1]] == 1
    assert subscriber_store.find(db, addresses[0]).state == "active"
    assert subscriber_store.find(db, addresses[1]).state == "bounced"
    counts = deliveries.counts(db, edition.id)
    assert (counts["sent"], counts["failed"], counts["bounced"]) == (3, 1, 1)
    assert again.total == 0  # failed rows are not retried by a rerun; no new attempt is made
    assert server.attempts[addresses[0]] == 1


def test_temporary_failures_give_up_after_max_attempts(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    edition = saved_edition(db)
    addresses = add_subscribers(db, 2)
    server = Recorder({addresses[0]: ["454"] * 10})
    with smtp_server(server) as port:
        report = send_latest(db, config_for(tmp_path, port, max_attempts=3))
    assert server.attempts[addresses[0]] == 3
    assert (report.sent, report.failed, report.retried) == (1, 1, 2)
    (row,) = deliveries.listing(db, edition.id, "failed")
    assert row["email"] == addresses[0] and row["attempts"] == 3
    assert "gave up after 3 attempts" in row["last_error"] and "454" in row["last_error"]


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_and_login(
    db: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, security: str
) -> None:
    cert = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "s3cret")
    saved_edition(db)
    addresses = add_subscribers(db, 6)
    server = Recorder()
    with smtp_server(server, tls=security, cert=cert, users={"digest": "s3cret"}) as port:
        config = config_for(tmp_path, port, {"security": security, "username": "digest"})
        report = send_latest(db, config)
    assert server.copies() == {a: 1 for a in addresses}
    assert report.sent == 6 and server.logins and set(server.logins) == {"digest"}


def test_a_refused_login_stops_before_anything_is_claimed(
    db: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "wrong")
    edition = saved_edition(db)
    add_subscribers(db, 3)
    server = Recorder()
    with smtp_server(server, tls="tls", cert=cert, users={"digest": "s3cret"}) as port:
        config = config_for(tmp_path, port, {"security": "tls", "username": "digest"})
        with pytest.raises(SendFailed, match="refused the login"):
            send_edition(db, config, edition)
    assert not server.received
    assert deliveries.counts(db, edition.id)["sending"] == 0


def test_a_stop_request_finishes_in_flight_copies_and_leaves_nothing_claimed(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    edition = saved_edition(db)
    addresses = add_subscribers(db, 60)
    stop = threading.Event()
    server = Recorder(delay=0.01)

    def progress(done: int, total: int) -> None:
        if done >= 10:
            stop.set()

    with smtp_server(server) as port:
        config = config_for(tmp_path, port, pool_size=3)
        report = send_edition(db, config, edition, stop=stop, progress=progress)
        counts = deliveries.counts(db, edition.id)
        assert report.stopped and counts["sending"] == 0
        assert counts["sent"] == report.sent == sum(server.copies().values())
        assert 10 <= report.sent < 60
        rest = send_edition(db, config, edition)
    assert rest.recovered == 0
    assert server.copies() == {a: 1 for a in addresses}


def test_token_bucket_never_gives_more_than_a_second_of_tokens() -> None:
    bucket = TokenBucket(5)
    assert bucket.take(100) <= 5
    bucket.give_back(100)
    assert bucket.take(100) == 5
    assert bucket.take(1) == 0 and bucket.wait() > 0


@pytest.mark.sqlite_only  # PostgreSQL lets senders share an edition: tests/send/test_postgres.py
def test_a_second_sender_on_the_same_database_is_refused(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    edition = saved_edition(db)
    add_subscribers(db, 2)
    with (tmp_path / "test.db.send.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running `digest send` does
        with pytest.raises(SendFailed, match="another `digest send` is running"):
            send_edition(db, config_for(tmp_path), edition)
        fcntl.flock(held, fcntl.LOCK_UN)
    assert send_edition(db, config_for(tmp_path), edition).sent == 2
