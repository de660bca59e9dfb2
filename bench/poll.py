"""`make bench-poll`: 1 000 feeds of 20-50 items from a local HTTP server, polled twice.

The server runs in its own process on 127.0.0.1 (a free port) and answers each feed with an
ETag, and 304 when the ETag comes back. The first poll fetches, parses and stores everything;
the second finds every feed not modified. Then the same feeds go through the reference poller
(bench/reference_poll.py: httpx + feedparser, storing a list). Printed: feeds/s and new items/s
of the first poll, the time of the second, the CPU (user + sys of the process and of its parse
workers, from getrusage) of our first poll beside the reference's, peak memory, and how many of
the documents our fast RSS 2.0 reader takes (digest/poll/rss20.py; feedparser reads the rest;
counted after the measures, on the same bodies).
All feeds are on one host here, so `per_host` is raised to `max_concurrency` (by default the
poller allows only 2 requests at once per host, out of politeness).

    python bench/poll.py [--feeds 1000] [--concurrency 16] [--db postgres|URL]

--db: the database to poll into (default: a fresh SQLite file in a temporary folder); `postgres`:
a fresh database on a throwaway PostgreSQL server the bench starts itself (tests/support/
postgres.py); a URL: that database, which gets the bench feeds added, so give it an empty one.
On PostgreSQL the CPU figures leave out the server's own (its processes are not ours).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml
from reference_poll import poll as reference_poll

from digest.config import load_config
from digest.poll import rss20
from digest.poll.poller import poll_feeds
from digest.poll.workers import close_shared
from digest.store import open_db

SENTENCE = (
    "startup lève millions euros série amorçage fonds investisseurs croissance recrutement "
    "plateforme logiciel intelligence artificielle santé énergie mobilité industrie Lyon Paris "
    "Nantes Lille Bordeaux Toulouse tour financement mené par avec participation business angels"
)
WORDS = SENTENCE.split()
ROOT = Path(__file__).resolve().parent.parent


def feed_body(i: int) -> bytes:
    rng = random.Random(i)
    start = datetime(2024, 5, 1, tzinfo=UTC)
    items = []
    for j in range(rng.randint(20, 50)):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 160)))
        date = format_datetime(start + timedelta(hours=rng.randint(0, 500)), usegmt=True)
        items.append(
            f"<item><title>Feed {i} item {j}: {words[:60]}</title>"
            f"<link>https://outlet{i}.example/articles/{j}?utm_source=rss</link>"
            f"<guid isPermaLink='false'>f{i}-{j}</guid><pubDate>{date}</pubDate>"
            f"<description><![CDATA[<p>{words}.</p><p>{words[:200]}</p>]]></description></item>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Outlet {i}</title><link>https://outlet{i}.example/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def serve(count: int, ready: multiprocessing.Queue) -> None:
    """The server process: every body made up front, then 200 with ETag or 304."""
    bodies = [feed_body(i) for i in range(count)]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            i = int(self.path.rsplit("/", 1)[-1])
            etag = f'"{i}-v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(bodies[i])))
            self.end_headers()
            self.wfile.write(bodies[i])

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    ready.put(httpd.server_address[1])
    httpd.serve_forever()


@contextmanager
def database(choice: str | None, folder: Path) -> Iterator[str | Path]:
    """Where to poll into: a SQLite file in folder, the URL given, or a throwaway PostgreSQL."""
    if choice != "postgres":
        yield choice or folder / "bench.db"
        return
    sys.path.insert(0, str(ROOT))
    from tests.support import postgres

    with postgres.server() as base:
        yield postgres.fresh(base)


def cpu_seconds(who: int) -> float:
    """user + sys CPU seconds of this process (RUSAGE_SELF) or its reaped children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--db", help="postgres or a URL to poll into [default: a temporary SQLite file]"
    )
    args = parser.parse_args()

    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Queue()
    server = ctx.Process(target=serve, args=(args.feeds, ready), daemon=True)
    server.start()
    port = ready.get(timeout=120)
    with (
        tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp,
        database(args.db, Path(tmp)) as location,
    ):
        config_path = Path(tmp) / "feeds.yaml"
        feeds = [
            {"name": f"Outlet {i}", "url": f"http://127.0.0.1:{port}/feed/{i}"}
            for i in range(args.feeds)
        ]
        polling = {
            "max_concurrency": args.concurrency,
            "per_host": args.concurrency,
            "allow_private_addresses": True,  # the server is on 127.0.0.1
        }
        config_path.write_text(yaml.safe_dump({"feeds": feeds, "polling": polling}), "utf-8")
        config = load_config(config_path)
        db = open_db(location)

        main_before = cpu_seconds(resource.RUSAGE_SELF)
        workers_before = cpu_seconds(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        first = poll_feeds(db, config)
        first_s = time.perf_counter() - started
        main_cpu = cpu_seconds(resource.RUSAGE_SELF) - main_before
        close_shared()  # the parse workers end: their CPU and memory are now in RUSAGE_CHILDREN
        workers_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - workers_before
        started = time.perf_counter()
        second = poll_feeds(db, config)
        second_s = time.perf_counter() - started
        db.close()
    close_shared()
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    urls = [f["url"] for f in feeds]
    before = cpu_seconds(resource.RUSAGE_SELF)
    started = time.perf_counter()
    reference_items = len(reference_poll(urls, args.concurrency))
    reference_s = time.perf_counter() - started
    reference_cpu = cpu_seconds(resource.RUSAGE_SELF) - before
    server.terminate()

    workers = config.polling.parse_workers
    engine = "PostgreSQL" if str(location).startswith("postgresql://") else "SQLite"
    print(f"feeds: {args.feeds}, concurrency {args.concurrency}, parse workers {workers}, {engine}")
    print(f"first poll:  {first.summary()}")
    print(
        f"             {first_s:.1f} s, {args.feeds / first_s:.0f} feeds/s, "
        f"{first.new_items / first_s:.0f} new items/s"
    )
    print(f"second poll: {second.summary()}")
    print(f"             {second_s:.2f} s, {args.feeds / second_s:.0f} feeds/s (every feed 304)")
    # initdb and pg_ctl, children of ours too, would pass for the largest parse worker
    workers_mb = "?" if args.db == "postgres" else f"{worker_mb:.0f}"
    print(f"peak memory: poller {self_mb:.0f} MB, largest parse worker {workers_mb} MB")
    ours_cpu = main_cpu + workers_cpu
    print(
        f"CPU, first poll: ours {ours_cpu:.1f} s (main process {main_cpu:.1f} s, parse workers "
        f"{workers_cpu:.1f} s); reference poller {reference_cpu:.1f} s "
        f"({reference_items} entries, {reference_s:.1f} s)"
    )
    print(f"CPU ratio ours / reference: {ours_cpu / reference_cpu:.2f}x")
    headers = {"content-type": "application/rss+xml; charset=utf-8"}
    fast = sum(rss20.read(feed_body(i), headers) is not None for i in range(args.feeds))
    print(f"read by rss20: {fast} of {args.feeds} documents (feedparser: the others)")
    if first.failures or second.count("not_modified") != args.feeds:
        sys.exit(f"unexpected: {len(first.failures)} failures; second poll not all 304")


if __name__ == "__main__":
    main()
