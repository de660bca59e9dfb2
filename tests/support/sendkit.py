"""Helpers shared by the sending tests: a configuration aimed at a local server, an edition."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from digest.config import Config, load_config
from digest.edition import lifecycle
from digest.edition.unsubscribe import UNSUBSCRIBE_PLACEHOLDER
from digest.models import Edition, EditionState
from digest.store import editions
from digest.store import subscribers as subscriber_store

SECRET = "test-secret-0123456789abcdef"


def write_config(
    folder: Path, port: int | None = None, smtp: dict | None = None, **sending: object
) -> Path:
    """A feeds.yaml sending to 127.0.0.1:port (the outbox when port is None)."""
    options = {"rate_per_second": 1000, "pool_size": 2, "retry_delay": 0.05, **sending}
    lines = ["feeds:", "  - {name: Local, url: feed.xml}", "sending:"]
    lines += [f"  {k}: {v}" for k, v in options.items()]
    if port is not None:
        relay = {"host": "127.0.0.1", "port": port, "security": "none", **(smtp or {})}
        lines += ["smtp:", *(f"  {k}: {v}" for k, v in relay.items())]
    path = folder / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def config_for(
    folder: Path, port: int | None = None, smtp: dict | None = None, **sending: object
) -> Config:
    return load_config(write_config(folder, port, smtp, **sending))


def make_edition(number: int = 1, subject: str = "Microsoft investit 4 milliards") -> Edition:
    moment = datetime(2024, 5, 14, 6, 0, tzinfo=UTC)
    body = "Bonjour,\n\nL'essentiel de la semaine : des levées, des usines, des emplois.\n"
    return Edition(
        id=f"2024-05-14-n{number}",
        number=number,
        period_start=moment,
        period_end=moment,
        created_at=moment,
        subject=subject,
        preheader="Les investissements de la semaine",
        html=(
            '<!doctype html><html lang="fr"><body><h1>Le Digest</h1>'
            + "<p>Une levée de fonds à Montpellier, une usine à Dunkerque.</p>" * 40
            + f'<p><a href="{UNSUBSCRIBE_PLACEHOLDER}">Se désinscrire</a></p></body></html>'
        ),
        text=body + f"\nSe désinscrire : {UNSUBSCRIBE_PLACEHOLDER}\n",
    )


def saved_edition(db: sqlite3.Connection, number: int = 1) -> Edition:
    edition = make_edition(number)
    editions.save(db, edition)
    return edition


def advance(db: sqlite3.Connection, edition_id: str, *states: EditionState) -> None:
    """Move an edition through these states, as editors and the sender would."""
    for state in states:
        lifecycle.change(db, edition_id, state, by="test")


def add_subscribers(db: sqlite3.Connection, count: int, domain: str = "exemple.fr") -> list[str]:
    addresses = [f"lecteur{i}@{domain}" for i in range(count)]
    subscriber_store.insert_many(db, [(a, "") for a in addresses], state="active", source="test")
    return addresses
