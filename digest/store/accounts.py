"""Queries of the editors' accounts: name, optional email, and the password's scrypt hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from digest.store import Database, Record, from_text, now, to_text


@dataclass(frozen=True)
class Account:
    name: str
    email: str | None
    password_hash: str
    created_at: datetime


def _account(row: Record | tuple) -> Account:
    return Account(row[0], row[1], row[2], from_text(row[3]))


def add(db: Database, name: str, email: str | None, password_hash: str) -> bool:
    """A new account; False when the name is taken."""
    cur = db.execute(
        "INSERT INTO editors (name, email, password_hash, created_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (name, email, password_hash, to_text(now())),
    )
    return cur.rowcount == 1


def get(db: Database, name: str) -> Account | None:
    row = db.execute(
        "SELECT name, email, password_hash, created_at FROM editors WHERE name = ?", (name,)
    ).fetchone()
    return _account(row) if row else None


def listing(db: Database) -> list[Account]:
    rows = db.execute("SELECT name, email, password_hash, created_at FROM editors ORDER BY name")
    return [_account(r) for r in rows]


def set_password(db: Database, name: str, password_hash: str) -> bool:
    cur = db.execute("UPDATE editors SET password_hash = ? WHERE name = ?", (password_hash, name))
    return cur.rowcount == 1


def remove(db: Database, name: str) -> bool:
    cur = db.execute("DELETE FROM editors WHERE name = ?", (name,))
    return cur.rowcount == 1


def emails(db: Database) -> list[str]:
    """The addresses of every editor who gave one."""
    rows = db.execute("SELECT email FROM editors WHERE email IS NOT NULL AND email != ''")
    return [r[0] for r in rows]
