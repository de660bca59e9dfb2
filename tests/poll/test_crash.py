"""A poll killed in the middle (kill -9) loses nothing already stored: each feed's items and
state are committed together, and the next poll carries on without duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import yaml

from digest.config import load_config
from digest.poll.poller import poll_feeds
from digest.store import items as item_store
from digest.store import open_db
from tests.support.paths import REPO
from tests.support.pollserver import FeedServer, fixed, simple_feed, slow

_POLL = """
import sys
from digest.config import load_config
from digest.poll.poller import poll_feeds
from digest.store import open_db
poll_feeds(open_db(sys.argv[2]), load_config(sys.argv[1]))
"""


def test_a_poll_killed_midway_keeps_what_it_stored(tmp_path):
    server = FeedServer()
    server.routes["/quick"] = fixed(200, simple_feed("q", 4))
    server.routes["/hang"] = slow(60, simple_feed("h"))
    config_path = tmp_path / "feeds.yaml"
    feeds = [
        {"name": "Quick", "url": server.url("/quick")},
        {"name": "Hang", "url": server.url("/hang")},
    ]
    config_path.write_text(
        yaml.safe_dump(
            {
                "feeds": feeds,
                "polling": {
                    "read_timeout": 120,
                    "total_timeout": 120,
                    "allow_private_addresses": True,
                },
            }
        ),
        encoding="utf-8",
    )
    db_path = tmp_path / "digest.db"
    open_db(db_path).close()  # migrated before the child starts
    child = subprocess.Popen(
        [sys.executable, "-c", _POLL, str(config_path), str(db_path)], cwd=REPO
    )
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and (stored < 4 or not server.hits("/hang")):
            time.sleep(0.1)
            db = open_db(db_path)
            stored = len(item_store.unread(db))
            db.close()
        assert stored == 4 and server.hits("/hang")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()

    db = open_db(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(item_store.unread(db)) == 4
        server.routes["/hang"] = fixed(200, simple_feed("h"))
        report = poll_feeds(db, load_config(config_path))
        assert (report.count("ok"), report.new_items) == (2, 3)
        assert len(item_store.unread(db)) == 7
    finally:
        db.close()
        server.close()
