"""Bounce and complaint reports read from an mbox or a Maildir, after a real send through a
local SMTP server: only reports tied to a copy we sent (VERP return path, signed Message-ID,
signed unsubscribe token) act; soft bounces retire an address only after N in M editions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from digest.config import Config, load_config
from digest.send.bounces import NotAMailbox, import_bounces
from digest.send.sender import send_edition
from digest.store import bounce_events, deliveries
from digest.store import subscribers as store
from tests.support import bouncemail as mail
from tests.support.mailserver import Recorder, smtp_server
from tests.support.sendkit import (
    SECRET,
    add_subscribers,
    config_for,
    saved_edition,
    write_config,
)


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_SECRET", SECRET)


def _send(db: sqlite3.Connection, config: Config, number: int = 1) -> None:
    send_edition(db, config, saved_edition(db, number))


def _copy(db: sqlite3.Connection, edition_id: str, address: str) -> sqlite3.Row:
    (row,) = [r for r in deliveries.listing(db, edition_id) if r["email"] == address]
    return row


def _states(db: sqlite3.Connection, addresses: list[str]) -> list[str]:
    return [store.find(db, a).state for a in addresses]  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_only_reports_tied_to_our_copies_act(
    db: sqlite3.Connection, tmp_path: Path, kind: str
) -> None:
    people = add_subscribers(db, 9)
    a, b, c, d, e, f, g, h, _ = people
    recorder = Recorder()
    with smtp_server(recorder) as port:
        config = config_for(tmp_path, port)
        _send(db, config)
    verp = recorder.senders  # what each receiving server saw as MAIL FROM
    assert all(verp[p].startswith("bounce+") and verp[p].endswith("@example.org") for p in people)
    assert len(set(verp.values())) == 9  # one return path per copy
    mid = {p: _copy(db, "2024-05-14-n1", p)["message_id"] for p in people}
    headers_of_e = recorder.raw(e)[0].split(b"\r\n\r\n")[0].decode()  # as delivered to e
    messages = [
        mail.dsn(a, "5.1.1", to=verp[a]),  # no such mailbox, to a's VERP address: retired
        mail.dsn(b, "5.2.2", quoted=mail.original(b, mid[b])),  # mailbox full, our Message-ID
        mail.dsn(c, "4.4.7", to=verp[c], action="delayed"),  # a delay: nothing
        mail.dsn(d, "5.1.1"),  # forged: names d, carries no mark of ours
        mail.complaint(e, quoted=headers_of_e),  # the enclosed copy has e's signed tokens
        mail.complaint(f, quoted=mail.original(f, mid[e])),  # names f, quotes e's copy
        mail.dsn(g, "5.1.1", quoted=mail.original(g, "<digest.2024-05-14-n1.7@example.org>")),
        mail.qmail(h, to=verp[h]),  # plain-text bounce, tied by VERP
        mail.PLAIN,
    ]
    path = mail.write_mailbox(tmp_path / kind, messages, kind)
    report = import_bounces(db, config, path)
    assert (report.messages, report.reports, report.unreadable) == (9, 8, [])
    assert (report.bounced, report.soft, report.complained) == (2, 1, 1)
    assert (report.delayed, report.untied) == (1, 2)  # d's and g's (an unsigned Message-ID)
    assert _states(db, people) == [
        "bounced", "active", "active", "active", "complained", "active", "active", "bounced",
        "active",
    ]  # fmt: skip
    assert _copy(db, "2024-05-14-n1", a)["state"] == "bounced"
    assert "5.1.1" in _copy(db, "2024-05-14-n1", a)["last_error"]
    forged = bounce_events.listing(db, store.find(db, d).id)  # type: ignore[union-attr]
    assert [(r["kind"], r["tied"]) for r in forged] == [("hard", 0)]  # kept, not acted on
    again = import_bounces(db, config, path)
    assert (again.bounced, again.complained) == (0, 0)  # importing twice changes nothing more


@pytest.mark.parametrize("shape", [mail.qmail, mail.exim, mail.postfix])
def test_plain_text_bounces_are_read(db: sqlite3.Connection, tmp_path: Path, shape) -> None:
    a, b = add_subscribers(db, 2)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        config = config_for(tmp_path, port)
        _send(db, config)
    tied = shape(a, to=recorder.senders[a])
    forged = shape(b, to="bounce+99.0123456789abcdef01234567@example.org")
    report = import_bounces(db, config, mail.write_mailbox(tmp_path / "box", [tied, forged]))
    assert (report.reports, report.bounced, report.untied) == (2, 1, 1)
    assert _states(db, [a, b]) == ["bounced", "active"]


def test_soft_bounces_retire_after_the_limit_in_distinct_editions(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    x, y, z = add_subscribers(db, 3)
    config = config_for(tmp_path)  # the outbox: each copy's signed Message-ID is stored
    for number in (1, 2, 3):
        send_edition(db, config, saved_edition(db, number))

    def full(who: str, number: int) -> bytes:
        message_id = _copy(db, f"2024-05-14-n{number}", who)["message_id"]
        return mail.dsn(who, "4.2.2", quoted=mail.original(who, message_id))

    first = [full(x, 1), full(x, 2), full(y, 1), full(y, 1), full(y, 1)]
    report = import_bounces(db, config, mail.write_mailbox(tmp_path / "one", first))
    assert (report.soft, report.bounced) == (5, 0)  # x: 2 editions, y: 1 edition three times
    assert _states(db, [x, y, z]) == ["active", "active", "active"]
    report = import_bounces(db, config, mail.write_mailbox(tmp_path / "two", [full(x, 3)]))
    assert (report.soft, report.bounced) == (0, 1)  # the default: 3 soft bounces in 5 editions
    assert _states(db, [x, y, z]) == ["bounced", "active", "active"]


def test_what_is_not_a_mailbox_is_said(
    tmp_path: Path, db: sqlite3.Connection, config: Config
) -> None:
    (tmp_path / "notes.txt").write_text("rien")
    with pytest.raises(NotAMailbox, match="not an mbox"):
        import_bounces(db, config, tmp_path / "notes.txt")
    with pytest.raises(NotAMailbox, match="not a Maildir"):
        import_bounces(db, config, tmp_path)


def test_without_verp_the_envelope_sender_is_the_plain_address(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    add_subscribers(db, 2)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        path = write_config(tmp_path, port)
        path.write_text(path.read_text() + "bounces: {verp: false}\n", encoding="utf-8")
        _send(db, load_config(path))
    assert set(recorder.senders.values()) == {"digest@example.org"}
