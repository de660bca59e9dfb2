"""`digest bounces import`: DSNs and complaint reports read from an mbox or a Maildir."""

from __future__ import annotations

import mailbox
import sqlite3
from pathlib import Path

import pytest

from digest.send.bounces import NotAMailbox, import_bounces
from digest.send.sender import send_edition
from digest.store import deliveries
from digest.store import subscribers as store
from tests.support.sendkit import add_subscribers, config_for, saved_edition


def dsn(
    rcpt: str, status: str, message_id: str = "<autre@ailleurs>", action: str = "failed"
) -> bytes:
    return f"""\
From: MAILER-DAEMON@mx.exemple.fr
To: digest@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0"

--B0
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--B0
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.exemple.fr
Arrival-Date: Tue, 14 May 2024 08:00:03 +0200

Final-Recipient: rfc822; {rcpt}
Original-Recipient: rfc822;{rcpt}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.exemple.fr
Diagnostic-Code: smtp; {status[0]}50 {status} mailbox says no

--B0
Content-Type: text/rfc822-headers

From: Le Digest <digest@example.org>
To: {rcpt}
Message-ID: {message_id}
Subject: Le Digest

--B0--
""".encode()


def complaint(rcpt: str) -> bytes:
    return f"""\
From: feedback@fai.example
To: digest@example.org
Subject: complaint
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

This is an abuse report.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: FAI-FBL/1.0
Version: 1
Original-Rcpt-To: <{rcpt}>

--F
Content-Type: text/rfc822-headers

From: Le Digest <digest@example.org>
To: {rcpt}

--F--
""".encode()


PLAIN = b"From: ami@exemple.fr\nTo: digest@example.org\nSubject: merci\n\nBravo pour la lettre.\n"


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_bounces_and_complaints_retire_addresses(
    db: sqlite3.Connection, tmp_path: Path, kind: str
) -> None:
    edition = saved_edition(db)
    a, b, c, d, e = add_subscribers(db, 5)
    send_edition(db, config_for(tmp_path), edition)  # the outbox: rows get their Message-IDs
    (row_a,) = [r for r in deliveries.listing(db, edition.id) if r["email"] == a]
    messages = [
        dsn(a, "5.1.1", row_a["message_id"]),  # no such mailbox, quoting our copy
        dsn(b, "5.2.2"),  # mailbox full: a permanent failure, but the address stays
        dsn(c, "4.4.7", action="delayed"),  # a delay: nothing changes
        dsn("inconnu@exemple.fr", "5.1.1"),
        complaint(d),
        PLAIN,
    ]
    path = tmp_path / kind
    box = mailbox.mbox(path) if kind == "mbox" else mailbox.Maildir(path)
    for m in messages:
        box.add(m)
    box.flush()
    report = import_bounces(db, path)
    assert (report.messages, report.reports) == (6, 5)
    assert (report.bounced, report.complained, report.failed) == (1, 1, 1)
    assert (report.delayed, report.unknown) == (1, 1)
    states = {x: store.find(db, x).state for x in (a, b, c, d, e)}
    assert states == {a: "bounced", b: "active", c: "active", d: "complained", e: "active"}
    (row_a,) = [r for r in deliveries.listing(db, edition.id) if r["email"] == a]
    assert row_a["state"] == "bounced" and "5.1.1" in row_a["last_error"]
    assert import_bounces(db, path).bounced == 0  # importing twice changes nothing more


def test_what_is_not_a_mailbox_is_said(tmp_path: Path, db: sqlite3.Connection) -> None:
    (tmp_path / "notes.txt").write_text("rien")
    with pytest.raises(NotAMailbox, match="not an mbox"):
        import_bounces(db, tmp_path / "notes.txt")
    with pytest.raises(NotAMailbox, match="not a Maildir"):
        import_bounces(db, tmp_path)
