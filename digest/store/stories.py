"""Queries of the group stage: pending mentions, story rows and profiles, the candidate index,
term frequencies and item signatures. Editors' merges and splits: digest.store.story_edits."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from digest.codec import loads, to_dict
from digest.group.copies import Signature, as_signature, bands
from digest.group.fit import Profile, day_of, evidence
from digest.group.keys import WEEK
from digest.group.similarity import Vocabulary
from digest.language.fold import name_key
from digest.models import Item, Mention
from digest.store import now, to_text
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


def _week(moment: datetime) -> int:
    return int(day_of(moment) // WEEK)


def _rows(
    db: sqlite3.Connection, where: str, params: Sequence, limit: int | None = None
) -> list[Row]:
    sql = (
        f"SELECT m.id AS mention_id, m.ordinal, m.facts, m.story_id, m.pinned, {ITEM_COLUMNS}"
        " FROM mentions m JOIN items i ON i.id = m.item_id JOIN feeds f ON f.id = i.feed_id"
        f" WHERE {where} ORDER BY i.published, i.guid, f.name, m.ordinal"  # as group.order_key
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    out = []
    for r in db.execute(sql, params):
        mention = loads(Mention, r["facts"])
        mention.id, mention.item_id, mention.story_id = r["mention_id"], r["id"], r["story_id"]
        out.append(Row(r["mention_id"], r["ordinal"], mention, item_of(r), bool(r["pinned"])))
    return out


def pending(db: sqlite3.Connection, limit: int | None = None) -> list[Row]:
    """Mentions not yet in a story, in (published, guid, outlet, ordinal) order; with a limit,
    whole items only (the mentions of an item are placed together)."""
    rows = _rows(db, "m.story_id IS NULL", (), limit + 1 if limit else None)
    if limit is None or len(rows) <= limit:
        return rows
    cut = limit
    while cut > 0 and rows[cut - 1].item.id == rows[limit].item.id:
        cut -= 1
    return rows[:cut] or rows


def live(db: sqlite3.Connection, ids: Iterable[str]) -> list[str]:
    """The given stories that were not merged into another, sorted."""
    out: list[str] = []
    for chunk in _chunks(sorted(set(ids))):
        rows = db.execute(
            f"SELECT id FROM stories WHERE id IN ({_marks(len(chunk))}) AND merged_into IS NULL",
            chunk,
        )
        out.extend(r[0] for r in rows)
    return sorted(out)


def mentions_of(db: sqlite3.Connection, story_id: str) -> list[Row]:
    return _rows(db, "m.story_id = ?", (story_id,))


def exists(db: sqlite3.Connection, story_id: str) -> bool:
    return db.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is not None


def candidate_ids(db: sqlite3.Connection, wanted: dict[str, tuple[int, int]]) -> set[str]:
    """Stories indexed under a key within its (first, last) week range."""
    found: set[str] = set()
    for name, (lo, hi) in wanted.items():
        rows = db.execute(
            "SELECT story_id FROM story_keys WHERE key = ? AND week BETWEEN ? AND ?", (name, lo, hi)
        )
        found.update(r[0] for r in rows)
    return found


def profiles(db: sqlite3.Connection, ids: Iterable[str]) -> list[Profile]:
    out = []
    for chunk in _chunks(sorted(ids)):
        rows = db.execute(
            "SELECT p.profile FROM story_profiles p JOIN stories s ON s.id = p.story_id"
            f" WHERE p.story_id IN ({_marks(len(chunk))}) AND s.merged_into IS NULL",
            chunk,
        )
        out.extend(Profile(**json.loads(r[0])) for r in rows)  # plain JSON fields only
    return out


def vocabulary(db: sqlite3.Connection, terms: Iterable[str]) -> Vocabulary:
    """Document frequencies of the given terms (the only ones a batch needs)."""
    df: dict[str, int] = {}
    for chunk in _chunks(sorted(set(terms))):
        rows = db.execute(
            f"SELECT term, df FROM term_frequencies WHERE term IN ({_marks(len(chunk))})", chunk
        )
        df.update((r[0], r[1]) for r in rows)
    row = db.execute("SELECT value FROM group_counts WHERE name = 'documents'").fetchone()
    return Vocabulary(df, row[0] if row else 0)


@dataclass
class Original:
    """A stored item a new one may copy, with the stories its mentions are in."""

    item_id: int
    key: str
    signature: Signature
    placed: list[tuple[frozenset[str], str]]


def originals(
    db: sqlite3.Connection,
    band_keys: Iterable[int],
    item_ids: Iterable[int],
    since: datetime,
    until: datetime,
) -> list[Original]:
    """Stored items published in [since, until] sharing an LSH band with a new one, or named
    as its duplicate_of."""
    ids: set[int] = set(item_ids)
    for chunk in _chunks(sorted(set(band_keys))):
        rows = db.execute(
            f"SELECT item_id FROM item_bands WHERE band IN ({_marks(len(chunk))})"
            " AND week BETWEEN ? AND ?",
            [*chunk, _week(since), _week(until)],
        )
        ids.update(r[0] for r in rows)
    out = []
    for chunk in _chunks(sorted(ids)):
        rows = db.execute(
            "SELECT s.item_id, s.signature, i.guid, i.url, f.name FROM item_signatures s"
            " JOIN items i ON i.id = s.item_id JOIN feeds f ON f.id = i.feed_id"
            f" WHERE s.item_id IN ({_marks(len(chunk))})",
            chunk,
        )
        for r in rows:
            placed = []
            for m in db.execute(
                "SELECT m.facts, m.story_id FROM mentions m"
                " WHERE m.item_id = ? AND m.story_id IS NOT NULL",
                (r["item_id"],),
            ):
                data = json.loads(m["facts"])
                names = [
                    data.get("investor"),
                    data.get("beneficiary"),
                    *data.get("investors", []),
                ]
                placed.append((frozenset({name_key(n) for n in names if n} - {""}), m["story_id"]))
            sig = as_signature(json.loads(r["signature"]))
            name = f"{r['name']}|{r['guid'] or r['url']}"  # as digest.signals.item_key
            out.append(Original(r["item_id"], name, sig, placed))
    return out


def save(
    db: sqlite3.Connection,
    placed: Sequence[tuple[int, str]],
    created: Iterable[str],
    touched: Iterable[Profile],
    keys: dict[str, list[tuple[str, int]]],
    vocabulary: Vocabulary,
    signatures: dict[int, tuple[Signature, datetime]],
    merged: Sequence[tuple[str, str]] = (),
    emptied: Sequence[str] = (),
    moment: datetime | None = None,
) -> None:
    """Write one batch (inside the caller's transaction): new stories, stored stories merged
    into others or left with no mention, profiles, index keys, mention placements, frequencies
    and item signatures."""
    stamp = to_text(moment or now())
    for sid in emptied:  # its item was read again and its mentions went elsewhere
        _unindex(db, sid)
    db.executemany(
        "INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)",
        [(sid, stamp, stamp) for sid in created],
    )
    for gone, keep in merged:
        db.execute("UPDATE mentions SET story_id = ? WHERE story_id = ?", (keep, gone))
        mark_merged(db, gone, keep, stamp)
    db.executemany("UPDATE mentions SET story_id = ? WHERE id = ?", [(s, m) for m, s in placed])
    for p in touched:
        write_profile(db, p, stamp)
        db.executemany(
            "INSERT OR IGNORE INTO story_keys (key, week, story_id) VALUES (?, ?, ?)",
            [(k, w, p.id) for k, w in keys.get(p.id, [])],
        )
    db.executemany(
        "INSERT INTO term_frequencies (term, df) VALUES (?, ?)"
        " ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
        sorted(vocabulary.added.items()),
    )
    db.execute(
        "INSERT INTO group_counts (name, value) VALUES ('documents', ?)"
        " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
        (vocabulary.added_documents,),
    )
    for item_id, (sig, published) in signatures.items():
        db.execute(
            "INSERT OR IGNORE INTO item_signatures (item_id, signature) VALUES (?, ?)",
            (item_id, json.dumps(sig.tolist())),
        )
        db.executemany(
            "INSERT OR IGNORE INTO item_bands (band, week, item_id) VALUES (?, ?, ?)",
            [(b, _week(published), item_id) for b in bands(sig)],
        )


def write_profile(db: sqlite3.Connection, p: Profile, stamp: str) -> None:
    """Store a story's profile and refresh its row; written = NULL so it is rewritten."""

    def top(counter: dict[str, int]) -> str | None:
        return min(counter, key=lambda k: (-counter[k], k)) if counter else None

    db.execute(
        "INSERT INTO story_profiles (story_id, profile) VALUES (?, ?)"
        " ON CONFLICT (story_id) DO UPDATE SET profile = excluded.profile",
        (p.id, json.dumps(to_dict(p), ensure_ascii=False, separators=(",", ":"))),
    )
    names = _display_names(db, p.id)
    db.execute(
        "UPDATE stories SET kind = ?, investor = ?, beneficiary = ?, updated_at = ?,"
        " written = NULL,"
        " first_published = (SELECT MIN(i.published) FROM mentions m JOIN items i"
        "   ON i.id = m.item_id WHERE m.story_id = stories.id),"
        " last_published = (SELECT MAX(i.published) FROM mentions m JOIN items i"
        "   ON i.id = m.item_id WHERE m.story_id = stories.id)"
        " WHERE id = ?",
        (top(p.kinds) or "investment", names[0], names[1], stamp, p.id),
    )


def _display_names(db: sqlite3.Connection, story_id: str) -> tuple[str | None, str | None]:
    """The investor and beneficiary most of the story's mentions name, as they spell them."""
    found = []
    for name in ("investor", "beneficiary"):
        row = db.execute(
            f"SELECT json_extract(facts, '$.{name}') AS v FROM mentions"
            " WHERE story_id = ? AND v IS NOT NULL GROUP BY v ORDER BY COUNT(*) DESC, v LIMIT 1",
            (story_id,),
        ).fetchone()
        found.append(row[0] if row else None)
    return found[0], found[1]


def story_row(db: sqlite3.Connection, story_id: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()


def move_mentions(db: sqlite3.Connection, mention_ids: Sequence[int], story_id: str) -> None:
    """Place mentions in a story and pin them there: later polls leave them be."""
    for chunk in _chunks(list(mention_ids)):
        db.execute(
            f"UPDATE mentions SET story_id = ?, pinned = 1 WHERE id IN ({_marks(len(chunk))})",
            [story_id, *chunk],
        )


def mark_merged(db: sqlite3.Connection, other: str, keep: str, stamp: str) -> None:
    """Retire a merged story: it points at the kept one and leaves the index."""
    db.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (keep, other))
    db.execute(
        "UPDATE stories SET merged_into = ?, updated_at = ? WHERE id = ?", (keep, stamp, other)
    )
    _unindex(db, other)


def _unindex(db: sqlite3.Connection, story_id: str) -> None:
    """No candidate search finds the story any more: its keys and profile are gone."""
    db.execute("DELETE FROM story_keys WHERE story_id = ?", (story_id,))
    db.execute("DELETE FROM story_profiles WHERE story_id = ?", (story_id,))


def create_story(db: sqlite3.Connection, story_id: str, stamp: str) -> None:
    db.execute(
        "INSERT INTO stories (id, created_at, updated_at) VALUES (?, ?, ?)",
        (story_id, stamp, stamp),
    )


def rebuilt(db: sqlite3.Connection, story_id: str, pinned: bool) -> Profile | None:
    """A story's profile recomputed from the mentions it has now (after an editor moved some,
    or the read stage replaced an updated item's mentions); None when none is left."""
    found = [evidence(r.mention, r.item) for r in mentions_of(db, story_id)]
    if not found:
        return None
    profile = Profile(id=story_id, first=min(f.day for f in found), last=max(f.day for f in found))
    for f in found:
        profile.absorb(f)
    profile.pinned = pinned
    return profile
