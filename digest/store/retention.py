"""Retention: the body text of old items is emptied once nothing can still use it.

The row stays with its guid, link, canonical link, title and content hash, so de-duplication
and the next poll's "same item" check work as before; only `text` becomes "". An item keeps its
text while it is unread, or while one of its mentions belongs to no story, or to a story that
no sent edition holds (that story may still be written and sent).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from digest.store import Database, to_text, transaction


def drop_old_texts(db: Database, days: int, moment: datetime) -> int:
    """Empty the text of the items first seen `days` before `moment` whose stories were all
    sent; how many. 0 days keeps every text."""
    if days <= 0:
        return 0
    before = moment - timedelta(days=days)
    with transaction(db):
        cur = db.execute(
            "UPDATE items SET text = '' WHERE id IN ("
            " SELECT i.id FROM items i"
            " WHERE i.first_seen < ? AND i.read_at IS NOT NULL AND i.text <> ''"
            " AND NOT EXISTS ("
            "  SELECT 1 FROM mentions m LEFT JOIN stories s ON s.id = m.story_id"
            "  WHERE m.item_id = i.id AND NOT EXISTS ("
            "   SELECT 1 FROM edition_stories es JOIN editions e ON e.id = es.edition_id"
            "   WHERE e.state = 'sent' AND es.story_id IN (m.story_id, s.merged_into))))",
            (to_text(before),),
        )
    return cur.rowcount
