"""`digest bounces import`: read bounce reports (RFC 3464 DSNs) and complaint reports (ARF)
from an mbox file or a Maildir folder, and act as a rejection during sending would.

A permanent "no such mailbox" failure (5.1.1-style status) marks the subscriber bounced and, when
the report quotes our Message-ID, the delivery row too; other permanent failures mark the delivery
only; delays (4.x.x) change nothing. A complaint (feedback report) marks the subscriber complained.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from digest.send.smtp import hard_bounce
from digest.store import deliveries
from digest.store import subscribers as store

_STATUS_TYPES = ("message/delivery-status", "message/global-delivery-status")
_POLICY = email.policy.compat32  # DSN parts are parsed as header blocks under compat32


class NotAMailbox(ValueError):
    """The path is neither an mbox file nor a Maildir folder."""


@dataclass
class BounceReport:
    messages: int = 0
    reports: int = 0  # DSNs and complaint reports among the messages
    bounced: int = 0  # subscribers marked bounced
    complained: int = 0
    failed: int = 0  # permanent failures recorded on a delivery without retiring the address
    delayed: int = 0  # temporary (4.x.x) reports, ignored
    unknown: int = 0  # recipients that are not subscribers

    def summary(self) -> str:
        return (
            f"{self.messages} messages, {self.reports} reports: {self.bounced} subscribers bounced,"
            f" {self.complained} complained, {self.failed} other permanent failures,"
            f" {self.delayed} delays ignored, {self.unknown} unknown recipients"
        )


def _messages(path: Path) -> Iterator[Message]:
    if path.is_dir():
        if not all((path / d).is_dir() for d in ("cur", "new", "tmp")):
            raise NotAMailbox(f"{path} is a folder but not a Maildir (it needs cur/, new/, tmp/)")
        box: mailbox.Mailbox = mailbox.Maildir(path, factory=None, create=False)
    elif path.is_file():
        with path.open("rb") as f:
            if not f.read(5) == b"From ":
                raise NotAMailbox(f"{path} is not an mbox file (it must start with 'From ')")
        box = mailbox.mbox(path, create=False)
    else:
        raise NotAMailbox(f"{path}: no such file or folder")
    for key in box.iterkeys():
        data = box.get_bytes(key)
        yield email.message_from_bytes(data, policy=_POLICY)


def _enclosed(payload: object) -> list[Message]:
    """The messages a part holds (none when its payload is text)."""
    return [m for m in payload if isinstance(m, Message)] if isinstance(payload, list) else []


def _original_message_id(msg: Message) -> str | None:
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "message/global"):
            inner = _enclosed(part.get_payload())
            if inner:
                mid = inner[0].get("Message-ID")
                if mid:
                    return str(mid).strip()
        if ctype in ("text/rfc822-headers", "message/rfc822-headers"):
            headers = email.message_from_string(str(part.get_payload(decode=False)))
            if headers.get("Message-ID"):
                return str(headers["Message-ID"]).strip()
    return None


def _recipients(msg: Message) -> Iterator[tuple[str, str, str, str]]:
    """(recipient, action, status, diagnostic) for each per-recipient block of a DSN."""
    for part in msg.walk():
        if part.get_content_type() not in (
            "message/delivery-status",
            "message/global-delivery-status",
        ):
            continue
        for block in _enclosed(part.get_payload())[1:]:
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            address = recipient.partition(";")[2].strip() or recipient.strip()
            yield (
                address.strip("<>"),
                str(block.get("Action", "")).strip().lower(),
                str(block.get("Status", "")).strip(),
                str(block.get("Diagnostic-Code", "")).strip(),
            )


def _complainant(msg: Message) -> str | None:
    for part in msg.walk():
        if part.get_content_type() == "message/feedback-report":
            for block in _enclosed(part.get_payload()):
                if block.get("Original-Rcpt-To"):
                    return str(block["Original-Rcpt-To"]).strip().strip("<>")
    return None


def _is_report(msg: Message, kind: str) -> bool:
    return msg.get_content_type() == "multipart/report" and msg.get_param("report-type") == kind


def import_bounces(db: sqlite3.Connection, path: Path) -> BounceReport:
    """Read every message of an mbox or Maildir and apply the bounces and complaints found."""
    report = BounceReport()
    for msg in _messages(path):
        report.messages += 1
        if _is_report(msg, "feedback-report"):
            report.reports += 1
            address = _complainant(msg)
            sub = store.find(db, address) if address else None
            if sub is None or sub.id is None:
                report.unknown += 1
            elif store.set_state(db, sub.id, "complained", only_from=("active", "pending")):
                report.complained += 1
            continue
        if not _is_report(msg, "delivery-status"):
            continue
        report.reports += 1
        found = deliveries.by_message_id(db, _original_message_id(msg) or "")
        for address, action, status, diagnostic in _recipients(msg):
            if action != "failed" or not status.startswith("5"):
                report.delayed += action == "delayed"
                continue
            sub = store.find(db, address)
            if sub is None or sub.id is None:
                report.unknown += 1
                continue
            detail = f"bounce report: {status} {diagnostic}".strip()
            if found and found[1] == sub.id:
                deliveries.mark_bounced(db, found[0], detail)
            if hard_bounce(status, diagnostic):
                if store.set_state(db, sub.id, "bounced", only_from=("active", "pending")):
                    report.bounced += 1
            else:
                report.failed += 1
    return report
