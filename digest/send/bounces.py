"""Bounce and complaint reports, read from mail (`digest bounces import`, `digest inbox import`)
and acted on only when they are tied to a copy we sent.

A report is tied when it carries one of our signed marks: the VERP token of a copy's return path
(``bounce+TOKEN@domain``, where the bounce is addressed), the signed Message-ID of a copy it
quotes, or the signed unsubscribe token of a copy it encloses (a complaint's attached original).
A tied report acts on the copy's subscriber, whatever address its text names: a hard bounce
retires the address at once, a soft one is counted (the address is retired after
`bounces.soft_limit` soft bounces within the last `bounces.soft_editions` editions), a complaint
retires it. A report without a mark is kept as evidence against the address it names and changes
nothing: anyone can mail the bounce mailbox.

Formats: RFC 3464 DSNs, ARF complaints (RFC 5965), and plain-text bounces (qmail, Exim, Postfix
and others) read by flufl.bounce. Each message is handled alone: one that is too large, nested too
deep or otherwise unreadable is reported by its position and skipped.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from digest.config import Config
from digest.send.smtp import hard_bounce
from digest.send.tokens import (
    check_bounce_token,
    check_token,
    message_tag,
    secret_for,
    token_subscriber,
)
from digest.store import Database, bounce_events, deliveries, engine_errors, transaction
from digest.store import subscribers as store

_POLICY = email.policy.compat32  # DSN parts are parsed as header blocks under compat32
MAX_BYTES = 10 * 1024 * 1024  # a bounce larger than this is not read
MAX_DEPTH = 12  # MIME nesting; a DSN with its original message needs about 4
MAX_MULTIPARTS = 64  # counted before parsing, so a nesting bomb never reaches the parser
_VERP = re.compile(r"\bbounce\+([0-9]{1,18}\.[0-9a-fA-F]{24})@")
_UNSUBSCRIBE = re.compile(r"\bunsubscribe\+([0-9]{1,18}\.[A-Za-z0-9_-]{20,40})@")
_OUR_ID = re.compile(r"<digest\.[^<>\s@]{1,200}@[^<>\s]{1,200}>")
ENVELOPE_HEADERS = ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "Cc")
_TEXT_LIMIT = 256 * 1024  # of each part's text searched for marks


class NotAMailbox(ValueError):
    """The path is neither an mbox file nor a Maildir folder."""


class Unreadable(ValueError):
    """One message cannot be read safely (the message says why)."""


@dataclass
class BounceReport:
    messages: int = 0
    reports: int = 0  # DSNs, complaint reports and plain-text bounces among the messages
    bounced: int = 0  # subscribers retired by a hard bounce or by too many soft ones
    complained: int = 0
    soft: int = 0  # soft bounces counted (tied to a copy, not yet enough to retire)
    delayed: int = 0  # delay notices, ignored
    untied: int = 0  # reports tied to no copy we sent: kept as evidence, nothing changed
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (position, why)

    def summary(self) -> str:
        return (
            f"{self.messages} messages, {self.reports} reports: {self.bounced} subscribers"
            f" bounced, {self.complained} complained, {self.soft} soft bounces counted,"
            f" {self.delayed} delays ignored, {self.untied} not tied to a copy we sent (kept as"
            f" evidence, nothing changed), {len(self.unreadable)} unreadable"
        )


@dataclass(frozen=True)
class Tie:
    """The copy a report was proved to be about."""

    subscriber_id: int
    edition_id: str | None
    delivery_id: int | None = None


def mailbox_messages(path: Path) -> Iterator[tuple[str, bytes | Unreadable]]:
    """(position, raw bytes) of every message of an mbox file or a Maildir folder; the position
    counts from 1, followed by the file name in a Maildir."""
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
    for number, key in enumerate(sorted(box.iterkeys()), start=1):
        position = f"{number} ({key})" if isinstance(box, mailbox.Maildir) else str(number)
        try:
            yield position, box.get_bytes(key)
        except (OSError, KeyError) as e:
            yield position, Unreadable(f"cannot read it ({e})")


def parse(data: bytes) -> Message:
    """The message, or Unreadable when it is too large or nested too deep to read safely."""
    if len(data) > MAX_BYTES:
        raise Unreadable(f"{len(data)} bytes, more than {MAX_BYTES}")
    if data.lower().count(b"multipart/") > MAX_MULTIPARTS:
        raise Unreadable(f"more than {MAX_MULTIPARTS} multipart parts")
    try:
        msg = email.message_from_bytes(data, policy=_POLICY)
    except RecursionError:
        raise Unreadable("nested too deep") from None
    stack = [(msg, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Unreadable(f"MIME parts nested more than {MAX_DEPTH} deep")
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((p, depth + 1) for p in payload if isinstance(p, Message))
    return msg


def _texts(msg: Message) -> Iterator[str]:
    """Every header value and text payload, where our marks may be quoted."""
    for part in msg.walk():
        for value in part.values():
            yield str(value)
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            yield payload[:_TEXT_LIMIT].decode("utf-8", "replace")
        elif isinstance(part.get_payload(), str):
            yield str(part.get_payload())[:_TEXT_LIMIT]


def tie(db: Database, secret: bytes, msg: Message) -> Tie | None:
    """The copy of ours this report is about, proved by a signed mark; None without one."""
    envelope = " ".join(str(v) for h in ENVELOPE_HEADERS for v in msg.get_all(h, []))
    texts = [envelope, *_texts(msg)]
    for text in texts:
        for token in _VERP.findall(text):
            found = _by_bounce_token(db, secret, token)
            if found:
                return found
    for text in texts:
        for mid in _OUR_ID.findall(text):
            found = _by_message_id(db, secret, mid)
            if found:
                return found
    for text in texts:
        for token in _UNSUBSCRIBE.findall(text):
            sid = token_subscriber(token)
            sub = store.get(db, sid) if sid is not None else None
            if sub and sub.id is not None and check_token(secret, token, "unsubscribe", sub.email):
                return Tie(sub.id, bounce_events.latest_edition_sent_to(db, sub.id))
    return None


def _by_bounce_token(db: Database, secret: bytes, token: str) -> Tie | None:
    delivery_id = token_subscriber(token)
    owner = deliveries.owner(db, delivery_id) if delivery_id is not None else None
    if owner is None or delivery_id is None:
        return None
    if not check_bounce_token(secret, token, delivery_id, *owner):
        return None
    return Tie(owner[0], owner[1], delivery_id)


def _by_message_id(db: Database, secret: bytes, mid: str) -> Tie | None:
    found = deliveries.by_message_id(db, mid)
    owner = deliveries.owner(db, found[0]) if found else None
    if found is None or owner is None:
        return None
    if f".{message_tag(secret, owner[1], owner[0])}@" not in mid:
        return None  # an unsigned (older, guessable) Message-ID proves nothing
    return Tie(owner[0], owner[1], found[0])


def _is_report(msg: Message, kind: str) -> bool:
    return msg.get_content_type() == "multipart/report" and msg.get_param("report-type") == kind


def _enclosed(payload: object) -> list[Message]:
    """The messages a part holds (none when its payload is text)."""
    return [m for m in payload if isinstance(m, Message)] if isinstance(payload, list) else []


def _dsn_blocks(msg: Message) -> Iterator[tuple[str, str, str, str]]:
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


def verdict(msg: Message) -> tuple[str, list[str], str] | None:
    """(kind, addresses named, detail) of a report: kind is complaint | hard | soft | delayed;
    None for a message that is no report."""
    if _is_report(msg, "feedback-report"):
        who = _complainant(msg)
        return "complaint", [who] if who else [], "complaint report"
    if _is_report(msg, "delivery-status"):
        kinds, named, details = [], [], []
        for address, action, status, diagnostic in _dsn_blocks(msg):
            named.append(address)
            details.append(f"{status} {diagnostic}".strip())
            if action == "failed":
                kinds.append("hard" if hard_bounce(status, diagnostic) else "soft")
            elif action == "delayed":
                kinds.append("delayed")
        kind = next((k for k in ("hard", "soft", "delayed") if k in kinds), None)
        return (kind, named, "; ".join(details)) if kind else None
    from flufl.bounce import all_failures  # plain-text bounces of qmail, Exim, Postfix…

    temporary, permanent = all_failures(msg)
    if permanent:
        return "hard", sorted(a.decode(errors="replace") for a in permanent), "plain-text bounce"
    if temporary:
        return "soft", sorted(a.decode(errors="replace") for a in temporary), "plain-text bounce"
    return None


def act(
    db: Database,
    config: Config,
    found: Tie,
    kind: str,
    *,
    source: str,
    detail: str,
) -> str:
    """Apply a proved report to its subscriber: "bounced", "complained", "soft" or "unchanged"."""
    sid = found.subscriber_id
    with transaction(db):
        bounce_events.add(db, sid, found.edition_id, kind, tied=True, source=source, detail=detail)
        if kind == "complaint":
            moved = store.set_state(db, sid, "complained", only_from=("active", "pending"))
            return "complained" if moved else "unchanged"
        if kind == "hard" and found.delivery_id is not None:
            deliveries.mark_bounced(db, found.delivery_id, f"bounce report: {detail}"[:500])
        limit = config.bounces
        if kind == "soft" and bounce_events.soft_editions(db, sid, limit.soft_editions) < (
            limit.soft_limit
        ):
            return "soft"
        moved = store.set_state(db, sid, "bounced", only_from=("active", "pending"))
        return "bounced" if moved else "unchanged"


def keep_evidence(
    db: Database, addresses: list[str], kind: str, *, source: str, detail: str
) -> None:
    """An unproved report: noted against the subscribers it names, nothing else."""
    for address in addresses:
        sub = store.find(db, address)
        if sub is not None and sub.id is not None:
            bounce_events.add(db, sub.id, None, kind, tied=False, source=source, detail=detail)


def handle(db: Database, config: Config, msg: Message, report: BounceReport) -> None:
    """One parsed message: a report is applied when tied to a copy of ours, else kept."""
    found_verdict = verdict(msg)
    if found_verdict is None:
        return
    kind, named, detail = found_verdict
    report.reports += 1
    if kind == "delayed":
        report.delayed += 1
        return
    found = tie(db, secret_for(config), msg)
    if found is None:
        report.untied += 1
        keep_evidence(db, named, kind, source="mail", detail=detail)
        return
    outcome = act(db, config, found, kind, source="mail", detail=detail)
    report.bounced += outcome == "bounced"
    report.complained += outcome == "complained"
    report.soft += outcome == "soft"


def handle_bytes(
    db: Database,
    config: Config,
    position: str,
    data: bytes | Unreadable,
    report: BounceReport,
    first: Callable[[Message], bool] | None = None,
) -> None:
    """Parse and handle one message alone (`first`, when given, is tried before and says whether
    it took the message); an unreadable one is noted by its position and skipped."""
    report.messages += 1
    try:
        if isinstance(data, Unreadable):
            raise data
        msg = parse(data)
        if first is None or not first(msg):
            handle(db, config, msg, report)
    except engine_errors():
        raise  # the database, not the message: stop
    except Exception as e:  # one bad message must not stop the others
        report.unreadable.append((position, (str(e) or type(e).__name__)[:200]))


def import_bounces(db: Database, config: Config, path: Path) -> BounceReport:
    """Read every message of an mbox or Maildir and apply the reports tied to our copies."""
    report = BounceReport()
    for position, data in mailbox_messages(path):
        handle_bytes(db, config, position, data, report)
    return report
