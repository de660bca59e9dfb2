"""`digest inbox import`: the mailbox where replies to our copies land, read from an mbox file, a
Maildir folder or an IMAP folder (the `inbox:` settings).

A mail addressed to ``unsubscribe+TOKEN@domain`` (the mailto of each copy's List-Unsubscribe)
unsubscribes the subscriber the signed token names; a token that is not ours changes nothing.
Every other message goes to the bounce reader (digest.send.bounces). Over IMAP, only unseen
messages are read, and each is marked seen once handled, so a message is applied once.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from digest.config import Config, Inbox
from digest.send.bounces import (
    ENVELOPE_HEADERS,
    MAX_BYTES,
    BounceReport,
    Unreadable,
    handle_bytes,
    mailbox_messages,
)
from digest.send.subscribers import unsubscribe_by_token
from digest.store import Database

_UNSUBSCRIBE = re.compile(r"\bunsubscribe\+([0-9]{1,18}\.[A-Za-z0-9_-]{20,40})@", re.ASCII)
_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")


class InboxFailed(Exception):
    """The IMAP mailbox could not be read (the message says why); nothing was marked seen."""


@dataclass
class InboxReport(BounceReport):
    unsubscribed: int = 0  # subscribers unsubscribed by their mailto
    forged: int = 0  # unsubscribe mails whose token is not ours: nothing changed

    def summary(self) -> str:
        return (
            f"{self.unsubscribed} unsubscribed by mail, {self.forged} unsubscribe mails with a"
            f" token that is not ours (ignored); bounces: {super().summary()}"
        )


def _unsubscriber(db: Database, config: Config, report: InboxReport) -> Callable[[Message], bool]:
    """The handler tried before the bounce reader: takes mails sent to unsubscribe+TOKEN@."""

    def take(msg: Message) -> bool:
        envelope = " ".join(str(v) for h in ENVELOPE_HEADERS for v in msg.get_all(h, []))
        tokens = _UNSUBSCRIBE.findall(envelope)
        if not tokens:
            return False
        for token in dict.fromkeys(tokens):
            sub = unsubscribe_by_token(db, config, token)
            if sub is None:
                report.forged += 1
            elif sub.state == "unsubscribed":
                report.unsubscribed += 1
        return True

    return take


def import_inbox(db: Database, config: Config, path: Path | None = None) -> InboxReport:
    """Read the mailbox at `path`, or the IMAP folder of `inbox:` when no path is given."""
    report = InboxReport()
    first = _unsubscriber(db, config, report)
    if path is not None:
        for position, data in mailbox_messages(path):
            handle_bytes(db, config, position, data, report, first)
        return report
    if config.inbox is None:
        raise InboxFailed("no PATH given and no `inbox:` section in the configuration")
    read_imap(
        config.inbox,
        lambda position, data: handle_bytes(db, config, position, data, report, first),
    )
    return report


def _connect(settings: Inbox) -> imaplib.IMAP4:
    if settings.security == "tls":
        return imaplib.IMAP4_SSL(
            settings.host,
            settings.port,
            ssl_context=ssl.create_default_context(),
            timeout=settings.timeout,
        )
    conn = imaplib.IMAP4(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        conn.starttls(ssl.create_default_context())
    return conn


def read_imap(settings: Inbox, handle: Callable[[str, bytes | Unreadable], None]) -> None:
    """Hand each unseen message of the folder to `handle`, then mark it seen."""
    where = f"{settings.username}@{settings.host}:{settings.port}/{settings.folder}"
    if settings.password is None:
        raise InboxFailed(f"$DIGEST_INBOX_PASSWORD is not set (the password of {where})")
    try:
        conn = _connect(settings)
    except (OSError, imaplib.IMAP4.error) as e:
        raise InboxFailed(f"cannot reach {where}: {e}") from None
    try:
        conn.login(settings.username, settings.password)
        status, _ = conn.select(_quoted(settings.folder))
        if status != "OK":
            raise InboxFailed(f"{where}: no such folder")
        _, found = conn.uid("SEARCH", "UNSEEN")
        uids = found[0].split() if found and found[0] else []
        sizes = _sizes(conn, uids)
        for number, uid in enumerate(uids, start=1):
            position, size = f"{number} (UID {uid.decode()})", sizes.get(uid, 0)
            if size > MAX_BYTES:
                handle(position, Unreadable(f"{size} bytes, more than {MAX_BYTES}"))
            else:
                handle(position, _fetch(conn, uid))
            conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        conn.logout()
    except (OSError, imaplib.IMAP4.error) as e:
        raise InboxFailed(f"{where}: {e}") from None
    finally:
        if conn.state != "LOGOUT":
            conn.shutdown()


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sizes(conn: imaplib.IMAP4, uids: list[bytes]) -> dict[bytes, int]:
    if not uids:
        return {}
    _, data = conn.uid("FETCH", b",".join(uids).decode(), "(RFC822.SIZE)")
    sizes = {}
    for line in data:
        m = _SIZE.search(line if isinstance(line, bytes) else line[0])
        if m:
            uid, size = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            sizes[uid] = int(size)
    return sizes


def _fetch(conn: imaplib.IMAP4, uid: bytes) -> bytes | Unreadable:
    _, data = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
    for item in data:
        if isinstance(item, tuple):
            return item[1]
    return Unreadable("the server returned no body")
