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
    """Store one entry of a feed (inside the caller's transaction); see upsert_many."""
    return upsert_many(db, [(item, dated, canonical)])[0]


def upsert_many(
    db: Database, entries: Sequence[tuple[Item, bool, str]]
) -> list[tuple[Stored, int]]:
    """Store the entries of one feed (inside the caller's transaction): for each, what happened
    and its id. An entry is (item, dated, canonical), guids distinct.

    Known (feed, guid) with the same content: nothing. Changed title or text: updated in place
    and read_at cleared so the read stage reads it again. New: inserted, marked duplicate_of the
    first stored item with the same canonical link or, failing that, the same content hash.
    `dated` False means item.published is only the first-seen fallback: an update keeps the
    date already stored. `canonical` is the item's link as the poll stage canonicalised it.
    One query finds the known entries and one per key the originals of the new ones, whatever
    the number of entries; the entries stored before in the same call count as stored.
    """
    if not entries:
        return []
    feed_id = entries[0][0].feed_id
    known = {
        row["guid"]: row
        for row in _rows_in(
            db,
            "SELECT id, guid, content_hash, published FROM items WHERE feed_id = ? AND guid",
            [item.guid for item, _, _ in entries],
            (feed_id,),
        )
    }
    results: list[tuple[Stored, int] | None] = []
    for item, dated, canonical in entries:
        row = known.get(item.guid)
        if row is None:
            results.append(None)
        elif row["content_hash"] == item.content_hash:
            results.append(("same", row["id"]))
        else:
            _update(db, row, item, dated, canonical)
            results.append(("updated", row["id"]))
    new = [entry for entry, done in zip(entries, results, strict=True) if done is None]
    # the first stored copy of each link and of each text; a bare title ("Newsletter") is too
    # thin to call two items copies by content
    by_link = _first_copies(db, "canonical_url", {c for _, _, c in new if c})
    by_text = _first_copies(db, "content_hash", {i.content_hash for i, _, _ in new if i.text})
    new_ids = iter([_insert(db, item, canonical, by_link, by_text) for item, _, canonical in new])
    return [done or ("new", next(new_ids)) for done in results]


def _rows_in(
    db: Database, sql: str, values: Sequence[str], before: tuple[object, ...] = ()
) -> list[Record]:
    """`sql IN (values)`, in chunks under SQLite's variable limit."""
    rows: list[Record] = []
    for start in range(0, len(values), 500):
        chunk = list(values[start : start + 500])
        rows += db.execute(f"{sql} IN ({','.join('?' * len(chunk))})", (*before, *chunk)).fetchall()
    return rows


def _first_copies(db: Database, column: str, values: set[str]) -> dict[str, int]:
    """value → the original (coalesce(duplicate_of, id)) of the first item, by id, with it."""
    rows = _rows_in(
        db, f"SELECT {column} AS value, id, duplicate_of FROM items WHERE {column}", sorted(values)
    )
    first: dict[str, int] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        first.setdefault(row["value"], row["duplicate_of"] or row["id"])
    return first


def _update(db: Database, row: Record, item: Item, dated: bool, canonical: str) -> None:
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
            to_text(item.first_seen or now()),
            row["id"],
        ),
    )


def _insert(
    db: Database,
    item: Item,
    canonical: str,
    by_link: dict[str, int],
    by_text: dict[str, int],
) -> int:
    """Insert a new item, a copy of the first one with its link, else its text; return its id."""
    original = by_link.get(canonical) if canonical else None
    if original is None and item.text:
        original = by_text.get(item.content_hash)
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
            to_text(item.first_seen or now()),
            item.content_hash,
            original,
        ),
    )
    new_id = int(cur.fetchone()[0])
    by_link.setdefault(canonical, original or new_id)
    by_text.setdefault(item.content_hash, original or new_id)
    return new_id


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
