"""Queries of the feeds table: the list synced from feeds.yaml and each feed's polling state."""

from __future__ import annotations

from datetime import datetime, timedelta

from digest.models import Feed
from digest.store import Database, Record, from_text, to_text, transaction

_STATE = (
    "status",
    "etag",
    "last_modified",
    "last_polled",
    "next_poll",
    "failing_since",
    "error_count",
    "last_error",
    "items_seen",
    "moved_to",
    "not_before",
    "last_ok",
)
_TIMES = {"last_polled", "next_poll", "failing_since", "not_before", "last_ok"}


def _feed(row: Record) -> Feed:
    data = dict(row)
    for key in _TIMES:
        data[key] = from_text(data[key])
    data["active"] = bool(data["active"])
    return Feed(**data)


def sync(db: Database, wanted: list[Feed]) -> tuple[int, int]:
    """Make the table follow feeds.yaml by URL; return (added, deactivated).

    New URLs are added, known ones get their name, priority and lang (and are active again),
    and feeds.yaml feeds no longer listed are deactivated, never deleted: their items stay.
    A URL that a feed was redirected to (301/308) takes over that feed, with its items.
    Feeds imported from OPML are left alone.
    """
    added = 0
    with transaction(db):
        for f in wanted:
            cur = db.execute(
                "UPDATE feeds SET name = ?, priority = ?, lang = ?, active = 1, origin = 'config'"
                " WHERE url = ?",
                (f.name, f.priority, f.lang, f.url),
            )
            if cur.rowcount == 0:  # feeds.yaml now names the address a 301/308 announced?
                cur = db.execute(
                    "UPDATE feeds SET url = ?, moved_to = NULL, name = ?, priority = ?, lang = ?,"
                    " active = 1, origin = 'config'"
                    " WHERE id = (SELECT id FROM feeds WHERE moved_to = ? ORDER BY id LIMIT 1)",
                    (f.url, f.name, f.priority, f.lang, f.url),
                )
            if cur.rowcount == 0:
                db.execute(
                    "INSERT INTO feeds (name, url, priority, lang) VALUES (?, ?, ?, ?)",
                    (f.name, f.url, f.priority, f.lang),
                )
                added += 1
        urls = [f.url for f in wanted]
        listed = f" AND url NOT IN ({','.join('?' * len(urls))})" if urls else ""
        gone = db.execute(
            f"UPDATE feeds SET active = 0 WHERE origin = 'config' AND active = 1{listed}", urls
        ).rowcount
    return added, gone


def add(db: Database, feed: Feed) -> bool:
    """Add a feed kept in the database (an OPML import); False when its URL is known."""
    with transaction(db):
        cur = db.execute(
            "INSERT INTO feeds (name, url, priority, lang, origin) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET active = 1 WHERE feeds.active = 0",
            (feed.name, feed.url, feed.priority, feed.lang, feed.origin),
        )
    return cur.rowcount > 0


def deactivate(db: Database, url: str) -> bool:
    with transaction(db):
        return db.execute("UPDATE feeds SET active = 0 WHERE url = ?", (url,)).rowcount > 0


def listed(db: Database, *, active_only: bool = False) -> list[Feed]:
    where = " WHERE active = 1" if active_only else ""
    return [_feed(r) for r in db.execute(f"SELECT * FROM feeds{where} ORDER BY name, id")]


def pollable(
    db: Database, moment: datetime, *, only_due: bool, slack: timedelta = timedelta(0)
) -> list[Feed]:
    """Active feeds not gone and not held back by a Retry-After; only_due: next_poll reached
    (or within `slack` of moment)."""
    sql = (
        "SELECT * FROM feeds WHERE active = 1 AND status != 'gone'"
        " AND (not_before IS NULL OR not_before <= ?)"
    )
    args: list[str | None] = [to_text(moment)]
    if only_due:
        sql += " AND (next_poll IS NULL OR next_poll <= ?)"
        args.append(to_text(moment + slack))
    order = " ORDER BY next_poll IS NOT NULL, next_poll, id"
    return [_feed(r) for r in db.execute(sql + order, args)]


def count_active(db: Database) -> int:
    """Feeds a poll could visit: active and not gone."""
    sql = "SELECT count(*) FROM feeds WHERE active = 1 AND status != 'gone'"
    return db.execute(sql).fetchone()[0]


def save_state(db: Database, feed: Feed) -> None:
    """Write the polling state of one feed (inside the caller's transaction)."""
    values = [to_text(getattr(feed, k)) if k in _TIMES else getattr(feed, k) for k in _STATE]
    db.execute(
        f"UPDATE feeds SET {', '.join(f'{k} = ?' for k in _STATE)} WHERE id = ?",
        [*values, feed.id],
    )
