"""Subscribers: validated addresses, CSV import and export, unsubscribe and confirm by token.

Addresses are checked with email-validator without any DNS lookup, names are one line of
printable text. An address is stored once whatever its case, and someone who left (unsubscribed,
bounced, complained) is never re-activated by an import or an add: only their own confirmation
through a signed link brings them back. An erased address (`remove --forget`) leaves a keyed hash
behind, so that no import, add or sign-up brings it back either.

Imports read the exports of other tools: the address column may be called "Email Address"
(Mailchimp), "E-mail", "Courriel" or "Adresse e-mail" (any case, accents or spacing); rows a tool
marks as gone (Mailchimp's unsubscribed and cleaned files, Brevo's blacklisted flags, a status
column) are stored as left, so that they are never mailed and no later import brings them back.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from digest.config import Config
from digest.models import Subscriber, SubscriberState
from digest.send.tokens import check_token, secret_for, token_subscriber
from digest.store import Database
from digest.store import deliveries as delivery_store
from digest.store import subscribers as store

MAX_NAME = 100  # characters of a name: a greeting, not a letter
QUOTE = 80  # characters of someone's input quoted in an error message


class InvalidAddress(ValueError):
    """An address a person must correct; the message says why."""


class InvalidName(InvalidAddress):
    """A name that cannot go into a mail header; the message says why."""


class AlreadyKnown(ValueError):
    """The address is stored already (the message gives its state), or was erased."""


def quote(text: str, limit: int = QUOTE) -> str:
    """repr() of someone's input, cut to `limit` characters: an error line stays a line."""
    if len(text) <= limit:
        return repr(text)
    return repr(text[:limit]) + f"… ({len(text)} characters)"


def clean_name(name: str) -> str:
    """The name as stored: one line of printable text, or InvalidAddress saying why."""
    text = unicodedata.normalize("NFC", name).strip()
    bad = sorted({c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")})
    if bad:
        shown = ", ".join(f"U+{ord(c):04X}" for c in bad[:3])
        raise InvalidName(f"the name {quote(text)} has control characters or line breaks ({shown})")
    if len(text) > MAX_NAME:
        raise InvalidName(f"the name {quote(text)} is longer than {MAX_NAME} characters")
    return text


def suppression_hash(secret: bytes, address: str) -> str:
    """The keyed hash an erased address leaves behind: HMAC-SHA256 of the lower-cased address."""
    message = b"suppress:" + store.key(address).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def is_suppressed(db: Database, secret: bytes, address: str) -> bool:
    """True when this address was erased with --forget (it must not come back)."""
    return bool(store.suppressed(db, [suppression_hash(secret, address)]))


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
    db: Database,
    address: str,
    *,
    secret: bytes,
    name: str = "",
    state: SubscriberState = "active",
) -> Subscriber:
    """Add one subscriber; AlreadyKnown if the address is stored (left ones stay left) or erased."""
    email = normalise(address)
    person = clean_name(name)
    known = store.find(db, email)
    if known is not None:
        raise AlreadyKnown(f"{known.email} is already stored (state: {known.state})")
    if is_suppressed(db, secret, email):
        raise AlreadyKnown(f"{email} was erased at its owner's request and is kept out")
    return store.insert(db, email, name=person, state=state, source="cli")


# column names as folded by `_fold_header`: no case, accents, spaces or punctuation
EMAIL_COLUMNS = (
    "email",
    "emailaddress",  # Mailchimp
    "courriel",
    "adresseemail",
    "adressemail",
    "adressecourriel",
    "adresseelectronique",
)
NAME_COLUMNS = ("name", "fullname", "nomcomplet")
FIRST_COLUMNS = ("firstname", "fname", "prenom")  # Mailchimp "First Name", Brevo FIRSTNAME
LAST_COLUMNS = ("lastname", "lname", "nom")
BLOCKED_COLUMNS = ("blacklisted", "emailblacklisted", "blocklisted", "emailblocklisted")  # Brevo
STATUS_COLUMNS = ("status", "state", "statut")
# a Mailchimp export is one file per status; its gone files have these columns
GONE_FILE_COLUMNS: dict[str, SubscriberState] = {
    "unsubtime": "unsubscribed",
    "cleantime": "bounced",
}
GONE_STATUS: dict[str, SubscriberState] = {
    "unsubscribed": "unsubscribed",
    "desabonne": "unsubscribed",
    "desinscrit": "unsubscribed",
    "optout": "unsubscribed",
    "blacklisted": "unsubscribed",
    "blocklisted": "unsubscribed",
    "cleaned": "bounced",
    "bounced": "bounced",
    "hardbounce": "bounced",
    "complained": "complained",
    "spam": "complained",
}
TRUE = ("true", "yes", "oui", "vrai", "1", "x")


@dataclass
class ImportReport:
    added: int = 0
    already: int = 0  # stored before, left as they were (active or pending)
    kept_out: int = 0  # stored before as gone (or erased): not re-activated
    left: int = 0  # marked gone by the source (unsubscribed, cleaned...): stored or moved as such
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)

    def summary(self) -> str:
        line = (
            f"{self.added} added, {self.already} already subscribed, "
            f"{self.kept_out} left earlier and kept out, {len(self.bad)} rejected"
        )
        if self.left:
            line += f", {self.left} marked as left by the source (never mailed)"
        return line


def _fold_header(name: str) -> str:
    """A column name compared loosely: "Adresse E-mail " and "adresseemail" are one."""
    text = unicodedata.normalize("NFKD", name.strip().lstrip("\ufeff"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "".join(c for c in text if c.isascii() and c.isalnum())


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
    try:
        header = [_fold_header(h) for h in (reader.fieldnames or [])]
    except csv.Error as e:
        raise InvalidAddress(f"{path}: not a CSV file ({quote(str(e))})") from None
    reader.fieldnames = header
    return header, reader


def _first(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in header), None)


def _name(row: dict[str, str], header: list[str]) -> str:
    """The full name column, else first and last names joined."""
    full = _first(header, NAME_COLUMNS)
    first, last = _first(header, FIRST_COLUMNS), _first(header, LAST_COLUMNS)
    if full is None and first is None and last is not None:
        full = last  # a lone "Nom" column is the whole name
    if full is not None:
        return (row.get(full) or "").strip()
    parts = [(row.get(c) or "").strip() for c in (first, last) if c is not None]
    return " ".join(p for p in parts if p)


def _gone(
    row: dict[str, str], header: list[str], whole_file: SubscriberState | None
) -> SubscriberState | None:
    """The state of a row its source marks as gone (unsubscribed, bounced...); None if not."""
    if whole_file is not None:
        return whole_file
    if any(_fold_header(row.get(c) or "") in TRUE for c in BLOCKED_COLUMNS if c in header):
        return "unsubscribed"
    status = _first(header, STATUS_COLUMNS)
    return GONE_STATUS.get(_fold_header(row.get(status) or "")) if status else None


def import_csv(
    db: Database, path: Path, *, secret: bytes, state: SubscriberState = "active"
) -> ImportReport:
    """Import a CSV with an address column (and optionally names, and a status of the source).

    Each bad row is reported with its line number and why; the good ones are imported.
    """
    header, reader = _rows(path)
    column = _first(header, EMAIL_COLUMNS)
    if column is None:
        found = ", ".join(h for h in header if h) or "none"
        raise InvalidAddress(
            f"{path}: the header row has no 'email' column (columns: {quote(found)[1:-1]})"
        )
    whole_file = next((s for c, s in GONE_FILE_COLUMNS.items() if c in header), None)
    report = ImportReport()
    known = {k: (sid, st) for k, sid, st in store.known_rows(db)}
    seen: dict[str, int] = {}
    rows: list[tuple[int, str, str, SubscriberState | None]] = []  # (line, address, name, gone)
    try:
        for row in reader:
            line = reader.line_num  # the record's (last) physical line; the header is line 1
            raw = (row.get(column) or "").strip()
            if not raw and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # a blank line
            try:
                email = normalise(raw)
                name = clean_name(_name(row, header))
            except InvalidAddress as e:
                why = f"{quote(raw)}: {e}" if raw else f"no address in the {column} column"
                report.bad.append((line, why))
                continue
            k = store.key(email)
            if k in seen:
                report.bad.append((line, f"{email} already appears on line {seen[k]}"))
                continue
            seen[k] = line
            rows.append((line, email, name, _gone(row, header, whole_file)))
    except csv.Error as e:
        raise InvalidAddress(
            f"{path}:{reader.line_num}: not a CSV file past this line ({quote(str(e))})"
        ) from None
    erased = store.suppressed(db, {suppression_hash(secret, e) for _, e, _, _ in rows})
    fresh: dict[SubscriberState, list[tuple[str, str]]] = {}
    for _, email, name, gone in rows:
        k = store.key(email)
        if k in known:
            sid, was = known[k]
            if was in store.LEFT:
                report.kept_out += 1
            elif gone and store.set_state(db, sid, gone, only_from=("active", "pending")):
                report.left += 1
            else:
                report.already += 1
        elif suppression_hash(secret, email) in erased:
            report.kept_out += 1
        else:
            fresh.setdefault(gone or state, []).append((email, name))
    source = f"import:{path.name}"
    for into, pairs in fresh.items():
        count = store.insert_many(db, pairs, state=into, source=source)
        if into == state:
            report.added += count
        else:
            report.left += count
    return report


def export_one(db: Database, address: str) -> str:
    """Everything stored about one address, as JSON (a GDPR access request)."""
    sub = store.find(db, address)
    if sub is None or sub.id is None:
        raise InvalidAddress(f"{quote(address.strip())} is not a subscriber")
    row = store.row(db, sub.id)
    data = {
        "subscriber": row,
        "deliveries": delivery_store.of_subscriber(db, sub.id),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_csv(db: Database, state: str | None = None) -> str:
    """Every subscriber (or those in one state) as CSV: email, name, state, created_at."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["email", "name", "state", "created_at"])
    for s in store.list_all(db, state):
        created = s.created_at.isoformat() if s.created_at else ""
        writer.writerow([s.email, s.name, s.state, created])
    return buf.getvalue()


def remove(db: Database, address: str, *, secret: bytes, forget: bool = False) -> Subscriber:
    """Unsubscribe an address (kept, so it is never mailed again) or erase it entirely, keeping
    only its keyed hash so that it never comes back."""
    sub = store.find(db, address)
    if sub is None or sub.id is None:
        raise InvalidAddress(f"{quote(address.strip())} is not a subscriber")
    if forget:
        store.forget(db, sub.id, suppression_hash(secret, sub.email))
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
    bounced one too (a confirmation that arrived proves the mailbox works); an erased address
    stays out (its sign-up should not have been stored)."""
    sub = by_token(db, config, token, "confirm")
    if sub is not None and is_suppressed(db, secret_for(config), sub.email):
        return None
    return _move_by_token(
        db, config, token, "confirm", "active", ("pending", "unsubscribed", "bounced")
    )
