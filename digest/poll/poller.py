"""The poll stage: feeds.yaml → the feeds table → fetch → parse → items, one feed at a time.

Synchronous to its callers; inside, asyncio and httpx fetch many feeds at once (at most
`polling.max_concurrency`, at most `polling.per_host` per host) while parse workers (separate
processes, see digest.parsepool) turn bodies into entries. Each feed's items and state are
committed together in one transaction, so a crash mid-poll loses nothing already stored, and
any error in one feed becomes that feed's recorded error: the others go on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from digest.config import Config
from digest.language.detect import feed_languages
from digest.models import Feed, Item
from digest.poll import fetch as http
from digest.poll import politeness
from digest.poll.entries import content_hash, keyed_entries
from digest.poll.parse import ParsedFeed
from digest.poll.workers import ParsePool, shared_pool
from digest.store import Database, now, transaction
from digest.store import feeds as feed_store
from digest.store import items as item_store

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]  # (done, total, feed name)
T = TypeVar("T")
DUE_SLACK = timedelta(minutes=1)


@dataclass
class FeedOutcome:
    """What one poll did to one feed."""

    name: str
    url: str
    status: str  # ok | not_modified | failed | gone
    new: int = 0
    updated: int = 0
    error: str | None = None
    moved_to: str | None = None


@dataclass
class PollReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)
    not_due: int = 0  # active feeds left for later (only_due, or a Retry-After not reached)
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(o.status in statuses for o in self.outcomes)

    @property
    def new_items(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def updated_items(self) -> int:
        return sum(o.updated for o in self.outcomes)

    @property
    def failures(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.status in ("failed", "gone")]

    @property
    def all_failed(self) -> bool:
        """Every feed polled failed (and at least one was polled): `digest poll` exits 1."""
        return bool(self.outcomes) and len(self.failures) == len(self.outcomes)

    def summary(self) -> str:
        line = (
            f"{len(self.outcomes)} feeds polled: {self.count('ok')} ok, "
            f"{self.count('not_modified')} not modified, {len(self.failures)} failed; "
            f"{self.new_items} new items, {self.updated_items} updated"
        )
        if self.not_due:
            line += f"; {self.not_due} not due"
        return f"{line} ({self.seconds:.1f} s)"


def poll_feeds(
    db: Database,
    config: Config,
    *,
    only_due: bool = False,
    progress: Progress | None = None,
) -> PollReport:
    """Sync feeds.yaml into the feeds table, then poll the active feeds (only_due: those due)."""
    started = time.perf_counter()
    sync_feeds(db, config)
    # a feed due within the next minute is polled now, or a job every N minutes would find
    # each feed a few seconds short of due and poll it only every 2N minutes
    todo = feed_store.pollable(db, now(), only_due=only_due, slack=DUE_SLACK)
    report = PollReport(not_due=feed_store.count_active(db) - len(todo))
    report.outcomes = _run(_poll_all(db, config, todo, progress))
    report.seconds = time.perf_counter() - started
    log.info(
        "poll feeds=%d ok=%d not_modified=%d failed=%d new_items=%d updated=%d seconds=%.1f",
        len(report.outcomes),
        report.count("ok"),
        report.count("not_modified"),
        len(report.failures),
        report.new_items,
        report.updated_items,
        report.seconds,
    )
    return report


def sync_feeds(db: Database, config: Config) -> None:
    """The feeds table follows feeds.yaml by URL (see digest.store.feeds.sync)."""
    wanted = [
        Feed(name=f.name, url=config.feed_location(f), priority=f.priority, lang=f.lang)
        for f in config.feeds
    ]
    added, deactivated = feed_store.sync(db, wanted)
    if added or deactivated:
        log.info("feeds synced added=%d deactivated=%d", added, deactivated)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, or in a thread of its own when the caller already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as executor:
        return executor.submit(asyncio.run, coro).result()


@dataclass(frozen=True)
class _Shared:
    """What the feeds of one poll share: the HTTP client, the slots per host, the parsers."""

    client: httpx.AsyncClient
    hosts: defaultdict[str, asyncio.Semaphore]  # at most polling.per_host requests per host
    pool: ParsePool  # the processes that parse
    parsers: ThreadPoolExecutor  # the threads that wait on them


async def _poll_all(
    db: Database, config: Config, feeds: list[Feed], progress: Progress | None
) -> list[FeedOutcome]:
    p = config.polling
    pool = shared_pool(p.parse_workers, p.parse_timeout, p.parse_memory_mb)
    slots = asyncio.Semaphore(p.max_concurrency)
    hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(p.per_host))
    outcomes: list[FeedOutcome] = []
    with ThreadPoolExecutor(p.parse_workers, thread_name_prefix="parse") as parsers:
        async with http.make_client(p) as client:
            shared = _Shared(client=client, hosts=hosts, pool=pool, parsers=parsers)

            async def one(feed: Feed) -> FeedOutcome:
                async with slots:
                    try:
                        return await _poll_one(db, config, shared, feed)
                    except Exception as e:  # a bug with one feed must not stop the others
                        log.exception("poll crashed feed=%s", feed.url)
                        return _record(
                            db,
                            config,
                            feed,
                            http.Fetched(url=feed.url),
                            None,
                            now(),
                            error=f"internal error: {type(e).__name__}: {e}",
                        )

            for done, next_one in enumerate(asyncio.as_completed([one(f) for f in feeds]), 1):
                outcome = await next_one
                outcomes.append(outcome)
                if progress:
                    progress(done, len(feeds), outcome.name)
    return outcomes


async def _poll_one(db: Database, config: Config, shared: _Shared, feed: Feed) -> FeedOutcome:
    p = config.polling
    url = feed.moved_to or feed.url
    loop = asyncio.get_running_loop()
    if url.startswith("file://"):
        fetched = await loop.run_in_executor(None, http.read_file, url, p.max_bytes)
    else:
        async with shared.hosts[(urlsplit(url).hostname or "").lower()]:
            fetched = await http.fetch(
                shared.client, url, p, etag=feed.etag, last_modified=feed.last_modified
            )
    parsed = None
    if fetched.status == 200 and fetched.error is None:
        parsed = await loop.run_in_executor(
            shared.parsers,
            shared.pool.parse,
            fetched.body,
            fetched.headers,
            fetched.url,
            p.max_items_per_feed,
        )
        fetched.body = b""  # the bytes are not needed any more
    return _record(db, config, feed, fetched, parsed, now())


def _record(
    db: Database,
    config: Config,
    feed: Feed,
    fetched: http.Fetched,
    parsed: ParsedFeed | None,
    moment: datetime,
    error: str | None = None,
) -> FeedOutcome:
    """Apply one response to the feed: store items and state together, schedule the next poll."""
    outcome = FeedOutcome(feed.name, feed.url, "failed", moved_to=fetched.moved_to)
    feed.last_polled = moment
    if fetched.moved_to:
        feed.moved_to = fetched.moved_to
    status = fetched.status
    error = error or fetched.error or (parsed.error if parsed else None)
    with transaction(db):
        if error is None and status == 304:
            outcome.status = "not_modified"
        elif error is None and status == 200 and parsed is not None:
            outcome.status = "ok"
            _store_items(db, feed, parsed, moment, outcome)
            feed.etag = fetched.headers.get("etag")
            feed.last_modified = fetched.headers.get("last-modified")
        elif error is None and status == 410:
            outcome.status = "gone"
            error = "HTTP 410 Gone: the publisher removed this feed; it is no longer polled"
        elif error is None:
            error = f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".strip()
        if outcome.status in ("ok", "not_modified"):
            _succeeded(config, feed, fetched, parsed, moment)
        else:
            _failed(config, feed, fetched, moment, error or "unknown error", outcome.status)
        feed_store.save_state(db, feed)
    outcome.error = error
    log.info(
        "polled feed=%s status=%s http=%s new=%d updated=%d error=%s",
        feed.url,
        outcome.status,
        status,
        outcome.new,
        outcome.updated,
        error,
    )
    return outcome


def _succeeded(
    config: Config, feed: Feed, fetched: http.Fetched, parsed: ParsedFeed | None, moment: datetime
) -> None:
    feed.status = "ok" if fetched.status == 200 else "not_modified"
    feed.error_count, feed.failing_since, feed.last_error = 0, None, None
    feed.last_ok, feed.not_before = moment, None
    ttl = parsed.ttl_minutes if parsed else None
    feed.next_poll = politeness.after_success(
        config, moment, ttl, http.cache_lifetime(fetched.headers, moment)
    )


def _failed(
    config: Config, feed: Feed, fetched: http.Fetched, moment: datetime, error: str, status: str
) -> None:
    feed.error_count += 1
    feed.failing_since = feed.failing_since or moment
    feed.last_error = error[:1000]
    if status == "gone":
        feed.status, feed.next_poll = "gone", None
        return
    feed.status = "failing"
    retry_at = None
    if fetched.status in (429, 503):
        retry_at = http.retry_after(fetched.headers, moment)
    feed.next_poll, feed.not_before = politeness.after_failure(
        config, moment, feed.error_count, retry_at
    )


def _store_items(
    db: Database, feed: Feed, parsed: ParsedFeed, moment: datetime, outcome: FeedOutcome
) -> None:
    if parsed.warning:
        log.info("feed parsed with a warning feed=%s warning=%s", feed.url, parsed.warning)
    if parsed.dropped:
        log.warning("item cap applied feed=%s dropped=%d", feed.url, parsed.dropped)
    assert feed.id is not None
    batch = []
    keyed = keyed_entries(parsed.entries)
    langs = feed_languages(
        [(entry.title, entry.text, entry.lang) for _, entry, _ in keyed], parsed.lang, feed.lang
    )
    for (key, entry, link), lang in zip(keyed, langs, strict=True):
        published = entry.published
        if published is not None and published > moment:
            log.info("future date clamped feed=%s guid=%s date=%s", feed.url, key, published)
            published = moment
        item = Item(
            feed_id=feed.id,
            guid=key,
            url=entry.url,
            title=entry.title,
            text=entry.text,
            published=published or moment,
            lang=lang,
            content_hash=content_hash(entry.title, entry.text),
            first_seen=moment,
        )
        batch.append((item, published is not None, link))
    for stored, _ in item_store.upsert_many(db, batch):
        if stored == "new":
            outcome.new += 1
        elif stored == "updated":
            outcome.updated += 1
    feed.items_seen = item_store.count_for_feed(db, feed.id)
