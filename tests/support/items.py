"""An item as the poll stage stores it, built from a title and a text of our own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digest.models import Item


def news_item(
    title: str,
    text: str,
    lang: str = "fr",
    *,
    published: datetime | None = None,
    feed_name: str = "",
    url: str = "https://example.org/a",
    id: int = 7,
) -> Item:
    """An item dated 2 June 2025 unless told otherwise; its guid is its title."""
    return Item(
        feed_id=1,
        guid=title,
        url=url,
        title=title,
        text=text,
        published=published or datetime(2025, 6, 2, 8, tzinfo=UTC),
        id=id,
        feed_name=feed_name,
        lang=lang,
    )


def timed_item(
    guid: str, title: str, text: str, days: float = 0, feed: str = "Le Fil", *, start: datetime
) -> Item:
    """An item of the feed `feed`, published `days` after `start`; its URL is the outlet's."""
    return Item(
        feed_id=1,
        guid=guid,
        url=f"https://{feed.lower().replace(' ', '')}.example/{guid}",
        title=title,
        text=text,
        published=start + timedelta(days=days),
        feed_name=feed,
    )
