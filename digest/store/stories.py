"""Queries of the group stage: pending mentions, story rows and profiles, the candidate index,
term frequencies and item signatures. SQL only: the group stage computes every profile, key,
week and signature, and hands them over as plain rows and JSON text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from digest.codec import loads
from digest.models import Item, Mention
from digest.store import Database, Record, json_field, now, to_text
from digest.store.items import ITEM_COLUMNS, item_of

_CHUNK = 500


@dataclass
class Row:
    """A stored mention with its item, as grouping reads it."""

    mention_id: int
    ordinal: int
    mention: Mention
    item: Item
    pinned: bool = False


def _chunks(values: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _rows(db: Database, where: str, params: Sequence) -> list[Row]:
    sql = (
        f"SELECT m.id AS mention_id, m.ordinal, m.facts, m.story_id, m.pinned, {ITEM_COLUMNS}"
        " FROM mentions m JOIN items i ON i.id = m.item_id JOIN feeds f ON f.id = i.feed_id"
        f" WHERE {where} ORDER BY i.published, i.id, m.ordinal"
    )
    out = []
    for r in db.execute(sql, params):
        mention = loads(Mention, r["facts"])
        mention.id, mention.item_id, mention.story_id = r["mention_id"], r["id"], r["story_id"]
        out.append(Row(r["mention_id"], r["ordinal"], mention, item_of(r), bool(r["pinned"])))
    return out


def pending(db: Database, limit: int | None = None) -> list[Row]:
    """Mentions not yet in a story, oldest first. With a limit, those of the oldest items: at
    most `limit` unless one publication moment holds more, and never part of a moment (so whole
    items, and the same rows whatever order the feeds were polled in)."""
    waiting = "m.story_id IS NULL"
    if limit is None:
        return _rows(db, waiting, ())
    moments = (
        "SELECT i.published FROM mentions m JOIN items i ON i.id = m.item_id"
        f" WHERE {waiting} ORDER BY i.published LIMIT 1 OFFSET ?"
    )
    beyond = db.execute(moments, (limit,)).fetchone()
    if beyond is None:
        return _rows(db, waiting, ())
    first = db.execute(moments, (0,)).fetchone()[0]
    if first == beyond[0]:  # one moment holds more than the limit: taken whole
        return _rows(db, f"{waiting} AND i.published = ?", (first,))
    return _rows(db, f"{waiting} AND i.published < ?", (beyond[0],))


def live(db: Database, ids: Iterable[str]) -> list[str]:
    """The given stories that were not merged into another, sorted."""
    out: list[str] = []
    for chunk in _chunks(sorted(set(ids))):
        rows = db.execute(
            f"SELECT id FROM stories WHERE id IN ({_marks(len(chunk))}) AND merged_into IS NULL",
            chunk,
        )
        out.extend(r[0] for r in rows)
    return sorted(out)


def mentions_of(db: Database, story_id: str) -> list[Row]:
    """A story's mentions, oldest first."""
    return _rows(db, "m.story_id = ?", (story_id,))


def exists(db: Database, story_id: str) -> bool:
    return db.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is not None


def candidate_ids(db: Database, wanted: dict[str, tuple[int, int]]) -> set[str]:
    """Stories indexed under a key within its (first, last) week range."""
    found: set[str] = set()
    for name, (lo, hi) in wanted.items():
        rows = db.execute(
            "SELECT story_id FROM story_keys WHERE key = ? AND week BETWEEN ? AND ?", (name, lo, hi)
        )
        found.update(r[0] for r in rows)
    return found


def profiles(db: Database, ids: Iterable[str]) -> list[str]:
    """The stored profiles (JSON text) of the given stories that were not merged."""
    out: list[str] = []
    for chunk in _chunks(sorted(ids)):
        rows = db.execute(
            "SELECT p.profile FROM story_profiles p JOIN stories s ON s.id = p.story_id"
            f" WHERE p.story_id IN ({_marks(len(chunk))}) AND s.merged_into IS NULL",
            chunk,
        )
        out.extend(r[0] for r in rows)
    return out


def frequencies(db: Database, terms: Iterable[str]) -> tuple[dict[str, int], int]:
    """Document frequencies of the given terms (the only ones a batch needs), and the number
    of documents counted."""
    df: dict[str, int] = {}
    for chunk in _chunks(sorted(set(terms))):
        rows = db.execute(
            f"SELECT term, df FROM term_frequencies WHERE term IN ({_marks(len(chunk))})", chunk
        )
        df.update((r[0], r[1]) for r in rows)
    row = db.execute("SELECT value FROM group_counts WHERE name = 'documents'").fetchone()
    return df, row[0] if row else 0


@dataclass
class Original:
    """A stored item a new one may copy: the item, its signature (the list stored) and its
    mentions already placed, with their stories."""

    item: Item
    signature: list[int]
    placed: list[tuple[Mention, str]]


def originals(
    db: Database, band_keys: Iterable[int], item_ids: Iterable[int], weeks: range
) -> list[Original]:
    """Stored items filed in one of the weeks under an LSH band of a new one, or named as its
    duplicate_of."""
    ids: set[int] = set(item_ids)
    for chunk in _chunks(sorted(set(band_keys))):
        rows = db.execute(
            f"SELECT item_id FROM item_bands WHERE band IN ({_marks(len(chunk))})"
            " AND week BETWEEN ? AND ?",
            [*chunk, weeks.start, weeks.stop - 1],
        )
        ids.update(r[0] for r in rows)
    out = []
    for chunk in _chunks(sorted(ids)):
        rows = db.execute(
            f"SELECT s.signature, {ITEM_COLUMNS} FROM item_signatures s"
            " JOIN items i ON i.id = s.item_id JOIN feeds f ON f.id = i.feed_id"
            f" WHERE s.item_id IN ({_marks(len(chunk))})",
            chunk,
        )
        for r in rows:
            placed = [
                (loads(Mention, m["facts"]), m["story_id"])
                for m in db.execute(
                    "SELECT m.facts, m.story_id FROM mentions m"
                    " WHERE m.item_id = ? AND m.story_id IS NOT NULL",
                    (r["id"],),
                )
            ]
            out.append(Original(item_of(r), json.loads(r["signature"]), placed))
    return out


@dataclass
class Filed:
    """A story as the group stage computed it: its profile (JSON text), its kind and the
    (key, week) rows it is indexed under."""

    story_id: str
    profile: str
    kind: str
    keys: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Batch:
    """What one batch of grouping writes."""

    placed: list[tuple[int, str]]  # (mention id, story id)
    created: list[str]
    filed: list[Filed]
    frequencies: dict[str, int]  # document frequencies added
    documents: int  # documents added
    signatures: list[tuple[int, list[int]]]  # (item id, signature) of the new items
    bands: list[tuple[int, int, int]]  # (band, week, item id)
    merged: list[tuple[str, str]] = field(default_factory=list)  # stored story gone → kept one
    emptied: list[str] = field(default_factory=list)  # stored stories left with no mention


def save(db: Database, batch: Batch, moment: datetime | None = None) -> None:
    """Write one batch (inside the caller's transaction): new stories, stored stories merged
    into others or left with no mention, profiles, index keys, mention placements, frequencies
    and item signatures."""
    stamp = to_text(moment or now())
    for sid in batch.emptied:  # its item was read again and its mentions went elsewhere
        _unindex(db, sid)
    db.executemany(
        "INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)",
        [(sid, stamp, stamp) for sid in batch.created],
    )
    for gone, keep in batch.merged:
        db.execute("UPDATE mentions SET story_id = ? WHERE story_id = ?", (keep, gone))
        mark_merged(db, gone, keep, stamp)
    db.executemany(
        "UPDATE mentions SET story_id = ? WHERE id = ?", [(s, m) for m, s in batch.placed]
    )
    for f in batch.filed:
        write_profile(db, f, stamp)
        db.executemany(
            "INSERT INTO story_keys (key, week, story_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(k, w, f.story_id) for k, w in f.keys],
        )
    db.executemany(
        "INSERT INTO term_frequencies (term, df) VALUES (?, ?)"
        " ON CONFLICT (term) DO UPDATE SET df = term_frequencies.df + excluded.df",
        sorted(batch.frequencies.items()),
    )
    db.execute(
        "INSERT INTO group_counts (name, value) VALUES ('documents', ?)"
        " ON CONFLICT (name) DO UPDATE SET value = group_counts.value + excluded.value",
        (batch.documents,),
    )
    db.executemany(
        "INSERT INTO item_signatures (item_id, signature) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(item_id, json.dumps(sig)) for item_id, sig in batch.signatures],
    )
    db.executemany(
        "INSERT INTO item_bands (band, week, item_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        batch.bands,
    )


def write_profile(db: Database, f: Filed, stamp: str) -> None:
    """Store a story's profile and refresh its row; written = NULL so it is rewritten."""
    db.execute(
        "INSERT INTO story_profiles (story_id, profile) VALUES (?, ?)"
        " ON CONFLICT (story_id) DO UPDATE SET profile = excluded.profile",
        (f.story_id, f.profile),
    )
    names = _display_names(db, f.story_id)
    db.execute(
        "UPDATE stories SET kind = ?, investor = ?, beneficiary = ?, updated_at = ?,"
        " written = NULL,"
        " first_published = (SELECT MIN(i.published) FROM mentions m JOIN items i"
        "   ON i.id = m.item_id WHERE m.story_id = stories.id),"
        " last_published = (SELECT MAX(i.published) FROM mentions m JOIN items i"
        "   ON i.id = m.item_id WHERE m.story_id = stories.id)"
        " WHERE id = ?",
        (f.kind, names[0], names[1], stamp, f.story_id),
    )


def _display_names(db: Database, story_id: str) -> tuple[str | None, str | None]:
    """The investor and beneficiary most of the story's mentions name, as they spell them."""
    found = []
    for name in ("investor", "beneficiary"):
        row = db.execute(
            f"SELECT v FROM (SELECT {json_field(db, 'facts', name)} AS v FROM mentions"
            " WHERE story_id = ?) AS named WHERE v IS NOT NULL"
            " GROUP BY v ORDER BY COUNT(*) DESC, v LIMIT 1",
            (story_id,),
        ).fetchone()
        found.append(row[0] if row else None)
    return found[0], found[1]


def story_row(db: Database, story_id: str) -> Record | None:
    return db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()


def move_mentions(db: Database, mention_ids: Sequence[int], story_id: str) -> None:
    """Place mentions in a story and pin them there: later polls leave them be."""
    for chunk in _chunks(list(mention_ids)):
        db.execute(
            f"UPDATE mentions SET story_id = ?, pinned = 1 WHERE id IN ({_marks(len(chunk))})",
            [story_id, *chunk],
        )


def mark_merged(db: Database, other: str, keep: str, stamp: str) -> None:
    """Retire a merged story: it points at the kept one and leaves the index."""
    db.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (keep, other))
    db.execute(
        "UPDATE stories SET merged_into = ?, updated_at = ? WHERE id = ?", (keep, stamp, other)
    )
    _unindex(db, other)


def _unindex(db: Database, story_id: str) -> None:
    """No candidate search finds the story any more: its keys and profile are gone."""
    db.execute("DELETE FROM story_keys WHERE story_id = ?", (story_id,))
    db.execute("DELETE FROM story_profiles WHERE story_id = ?", (story_id,))


def create_story(db: Database, story_id: str, stamp: str) -> None:
    db.execute(
        "INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)",
        (story_id, stamp, stamp),
    )
