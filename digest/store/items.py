"""Queries of the items table: store an entry once (updating it when it changed), and hand
unread items to the read stage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from digest.models import Item
from digest.store import Database, Record, from_text, now, to_text, transaction

Stored = Literal["new", "updated", "same"]
# the columns item_of reads, for any query joining items i and feeds f
ITEM_COLUMNS = (
    "i.id, i.feed_id, i.guid, i.url, i.title, i.text, i.lang, i.published, i.first_seen,"
    " i.content_hash, i.duplicate_of, f.name AS feed_name"
)
_SELECT = f"SELECT {ITEM_COLUMNS} FROM items i JOIN feeds f ON f.id = i.feed_id"


def item_of(row: Record) -> Item:
    """The Item of a row selected with ITEM_COLUMNS (other columns may come with it)."""
    return Item(
        id=row["id"],
        feed_id=row["feed_id"],
        guid=row["guid"],
        url=row["url"],
        title=row["title"],
        text=row["text"],
        lang=row["lang"],
        published=from_text(row["published"]),
        first_seen=from_text(row["first_seen"]),
        content_hash=row["content_hash"],
        duplicate_of=row["duplicate_of"],
        feed_name=row["feed_name"],
    )


def upsert(db: Database, item: Item, *, dated: bool, canonical: str) -> tuple[Stored, int]:
    """Store one entry of a feed (inside the caller's transaction); return what happened and its id.

    Known (feed, guid) with the same content: nothing. Changed title or text: updated in place
    and read_at cleared so the read stage reads it again. New: inserted, marked duplicate_of the
    first stored item with the same canonical link or, failing that, the same content hash.
    `dated` False means item.published is only the first-seen fallback: an update keeps the
    date already stored. `canonical` is the item's link as the poll stage canonicalised it.
    """
    moment = item.first_seen or now()
    row = db.execute(
        "SELECT id, content_hash, published FROM items WHERE feed_id = ? AND guid = ?",
        (item.feed_id, item.guid),
    ).fetchone()
    if row is not None:
        if row["content_hash"] == item.content_hash:
            return "same", row["id"]
        published = to_text(item.published) if dated else row["published"]
        db.execute(
            "UPDATE items SET url = ?, canonical_url = ?, title = ?, text = ?, lang = ?,"
            " published = ?, content_hash = ?, updated_at = ?, read_at = NULL WHERE id = ?",
            (
                item.url,
                canonical,
                item.title,
                item.text,
                item.lang,
                published,
                item.content_hash,
                to_text(moment),
                row["id"],
            ),
        )
        return "updated", row["id"]
    # a copy by content needs a text: a bare title ("Newsletter") is too thin to say so
    original = _original(db, canonical, item.content_hash, bool(item.text))
    cur = db.execute(
        "INSERT INTO items (feed_id, guid, url, canonical_url, title, text, lang, published,"
        " first_seen, content_hash, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        (
            item.feed_id,
            item.guid,
            item.url,
            canonical,
            item.title,
            item.text,
            item.lang,
            to_text(item.published),
            to_text(moment),
            item.content_hash,
            original,
        ),
    )
    return "new", int(cur.fetchone()[0])


def _original(db: Database, canonical: str, digest: str, has_text: bool) -> int | None:
    """The first stored copy of the same article, by canonical link, else by content."""
    for column, value in (
        ("canonical_url", canonical),
        ("content_hash", digest if has_text else ""),
    ):
        if not value:
            continue
        row = db.execute(
            f"SELECT coalesce(duplicate_of, id) FROM items WHERE {column} = ? ORDER BY id LIMIT 1",
            (value,),
        ).fetchone()
        if row:
            return row[0]
    return None


def count_for_feed(db: Database, feed_id: int) -> int:
    return db.execute("SELECT count(*) FROM items WHERE feed_id = ?", (feed_id,)).fetchone()[0]


def unread(db: Database, limit: int | None = None) -> list[Item]:
    """Items the read stage has not read (read_at IS NULL), oldest first; copies included,
    with duplicate_of set, so grouping can tie a syndicated copy to its original."""
    sql = f"{_SELECT} WHERE i.read_at IS NULL ORDER BY i.published, i.id"
    if limit is not None:
        return [item_of(r) for r in db.execute(sql + " LIMIT ?", (limit,))]
    return [item_of(r) for r in db.execute(sql)]


def mark_read(db: Database, ids: Iterable[int], moment: datetime | None = None) -> None:
    at = to_text(moment or now())
    with transaction(db):
        db.executemany("UPDATE items SET read_at = ? WHERE id = ?", [(at, i) for i in ids])


def get(db: Database, ids: Sequence[int]) -> list[Item]:
    """The items with these ids, in the order asked (unknown ids are skipped)."""
    found: dict[int, Item] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in db.execute(f"{_SELECT} WHERE i.id IN ({marks})", chunk):
            found[row["id"]] = item_of(row)
    return [found[i] for i in ids if i in found]
