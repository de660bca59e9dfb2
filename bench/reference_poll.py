"""The yardstick of `make bench-poll`: a plain httpx + feedparser poller, stores a list.

No safety (no size cap, no entity defusing, no cleaning, no worker processes, no database):
what polling costs at the least, to compare ours with in the same run.
"""

from __future__ import annotations

import asyncio
import io

import feedparser
import httpx


async def _poll(urls: list[str], concurrency: int) -> list[dict]:
    slots = asyncio.Semaphore(concurrency)
    items: list[dict] = []
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=20, limits=limits) as client:

        async def one(url: str) -> None:
            async with slots:
                response = await client.get(url)
            parsed = feedparser.parse(io.BytesIO(response.content))
            items.extend(parsed.entries)

        await asyncio.gather(*(one(u) for u in urls))
    return items


def poll(urls: list[str], concurrency: int = 16) -> list[dict]:
    """Every entry of every feed, parsed by feedparser."""
    return asyncio.run(_poll(urls, concurrency))
