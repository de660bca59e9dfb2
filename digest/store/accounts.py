"""Queries of the editors' accounts: name, optional email, and the password's scrypt hash."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from digest.store import from_text, now, to_text


@dataclass(frozen=True)
class Account:
    name: str
    email: str | None
    password_hash: str
    created_at: datetime


def _account(row: sqlite3.Row | tuple) -> Account:
    return Account(row[0], row[1], row[2], from_text(row[3]))


def add(db: sqlite3.Connection, name: str, email: str | None, password_hash: str) -> bool:
    """A new account; False when the name is taken."""
    cur = db.execute(
        "INSERT OR IGNORE INTO editors (name, email, password_hash, created_at)"
        " VALUES (?, ?, ?, ?)",
        (name, email, password_hash, to_text(now())),
    )
    return cur.rowcount == 1


def get(db: sqlite3.Connection, name: str) -> Account | None:
    row = db.execute(
        "SELECT name, email, password_hash, created_at FROM editors WHERE name = ?", (name,)
    ).fetchone()
    return _account(row) if row else None


def listing(db: sqlite3.Connection) -> list[Account]:
    rows = db.execute("SELECT name, email, password_hash, created_at FROM editors ORDER BY name")
    return [_account(r) for r in rows]


def set_password(db: sqlite3.Connection, name: str, password_hash: str) -> bool:
    cur = db.execute("UPDATE editors SET password_hash = ? WHERE name = ?", (password_hash, name))
    return cur.rowcount == 1


def remove(db: sqlite3.Connection, name: str) -> bool:
    cur = db.execute("DELETE FROM editors WHERE name = ?", (name,))
    return cur.rowcount == 1


def emails(db: sqlite3.Connection) -> list[str]:
    """The addresses of every editor who gave one."""
    rows = db.execute("SELECT email FROM editors WHERE email IS NOT NULL AND email != ''")
    return [r[0] for r in rows]
