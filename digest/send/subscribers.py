"""Subscribers: validated addresses, CSV import and export, unsubscribe and confirm by token.

Addresses are checked with email-validator without any DNS lookup. An address is stored once
whatever its case, and someone who left (unsubscribed, bounced, complained) is never re-activated
by an import or an add: only their own confirmation through a signed link brings them back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from digest.config import Config
from digest.models import Subscriber, SubscriberState
from digest.send.tokens import check_token, secret_for, token_subscriber
from digest.store import Database
from digest.store import subscribers as store


class InvalidAddress(ValueError):
    """An address a person must correct; the message says why."""


class AlreadyKnown(ValueError):
    """The address is stored already (the message gives its state)."""


def normalise(address: str) -> str:
    """The address as stored, or InvalidAddress saying why (syntax only, no DNS lookup)."""
    text = address.strip()
    if not text:
        raise InvalidAddress("the address is empty")
    from email_validator import EmailNotValidError, validate_email  # here: `digest send` skips it

    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as e:
        raise InvalidAddress(str(e)) from None
    return result.ascii_email or result.normalized


def add(
    db: Database, address: str, *, name: str = "", state: SubscriberState = "active"
) -> Subscriber:
    """Add one subscriber; AlreadyKnown if the address is stored (left ones stay left)."""
    email = normalise(address)
    known = store.find(db, email)
    if known is not None:
        raise AlreadyKnown(f"{known.email} is already stored (state: {known.state})")
    return store.insert(db, email, name=name.strip(), state=state, source="cli")


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0  # stored before, left as they were (active or pending)
    kept_out: int = 0  # stored before as unsubscribed, bounced or complained: not re-activated
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.already} already subscribed, "
            f"{self.kept_out} left earlier and kept out, {len(self.bad)} rejected"
        )


def _rows(path: Path) -> tuple[list[str], csv.DictReader[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidAddress(f"{path}: not UTF-8 (byte {e.start}); save it as UTF-8 CSV") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    return header, reader


def import_csv(db: Database, path: Path, *, state: SubscriberState = "active") -> ImportReport:
    """Import a CSV whose header has an `email` column (and optionally `name`).

    Each bad row is reported with its line number and why; the good ones are imported.
    """
    header, reader = _rows(path)
    if "email" not in header:
        found = ", ".join(h for h in header if h) or "none"
        raise InvalidAddress(f"{path}: the header row has no 'email' column (columns: {found})")
    report = ImportReport()
    known = store.known_keys(db)
    seen: dict[str, int] = {}
    fresh: list[tuple[str, str]] = []
    for row in reader:
        line = reader.line_num  # the record's (last) physical line; the header is line 1
        raw = (row.get("email") or "").strip()
        if not raw and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        try:
            email = normalise(raw)
        except InvalidAddress as e:
            report.bad.append((line, f"{raw!r}: {e}" if raw else "no address in the email column"))
            continue
        k = store.key(email)
        if k in seen:
            report.bad.append((line, f"{email} already appears on line {seen[k]}"))
            continue
        seen[k] = line
        if k in known:
            if known[k] in store.LEFT:
                report.kept_out += 1
            else:
                report.already += 1
            continue
        fresh.append((email, (row.get("name") or "").strip()))
    report.added = store.insert_many(db, fresh, state=state, source=f"import:{path.name}")
    return report


def export_csv(db: Database, state: str | None = None) -> str:
    """Every subscriber (or those in one state) as CSV: email, name, state, created_at."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["email", "name", "state", "created_at"])
    for s in store.list_all(db, state):
        created = s.created_at.isoformat() if s.created_at else ""
        writer.writerow([s.email, s.name, s.state, created])
    return buf.getvalue()


def remove(db: Database, address: str, *, forget: bool = False) -> Subscriber:
    """Unsubscribe an address (kept, so it is never mailed again) or erase it entirely."""
    sub = store.find(db, address)
    if sub is None or sub.id is None:
        raise InvalidAddress(f"{address.strip()} is not a subscriber")
    if forget:
        store.forget(db, sub.id)
    else:
        store.set_state(db, sub.id, "unsubscribed", only_from=("active", "pending"))
    return sub


def by_token(db: Database, config: Config, token: str, purpose: str) -> Subscriber | None:
    """The subscriber a signed link names, without changing anything; None when not ours."""
    subscriber_id = token_subscriber(token)
    sub = store.get(db, subscriber_id) if subscriber_id is not None else None
    if sub is None or not check_token(secret_for(config), token, purpose, sub.email):
        return None
    return sub


def _move_by_token(
    db: Database,
    config: Config,
    token: str,
    purpose: str,
    state: SubscriberState,
    only_from: tuple[SubscriberState, ...],
) -> Subscriber | None:
    """The subscriber the link names, moved to `state` if it was in `only_from`."""
    sub = by_token(db, config, token, purpose)
    if (
        sub is not None
        and sub.id is not None
        and store.set_state(db, sub.id, state, only_from=only_from)
    ):
        sub.state = state
    return sub


def unsubscribe_by_token(db: Database, config: Config, token: str) -> Subscriber | None:
    """Honour a one-click unsubscribe; None when the token is not one of ours (nothing changes)."""
    return _move_by_token(db, config, token, "unsubscribe", "unsubscribed", ("active", "pending"))


def confirm_by_token(db: Database, config: Config, token: str) -> Subscriber | None:
    """Activate a pending (or departed, re-subscribing) address from its own signed link; a
    bounced one too: a confirmation that arrived proves the mailbox works."""
    return _move_by_token(
        db, config, token, "confirm", "active", ("pending", "unsubscribed", "bounced")
    )
