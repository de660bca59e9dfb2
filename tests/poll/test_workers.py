"""The parse workers: a parse that runs too long or needs too much memory becomes that feed's
error, and the pool goes on with the next feed."""

from __future__ import annotations

from digest.poll.workers import ParsePool
from tests.support.pollserver import rss, simple_feed


def test_a_parse_past_the_time_limit_is_stopped_and_the_worker_replaced():
    big = rss([{"title": f"t{i}", "guid": str(i), "description": "x " * 50} for i in range(20_000)])
    big = big.replace(b'version="2.0"', b'version="0.92"')  # RSS 0.92: feedparser, the slow one
    pool = ParsePool(workers=1, timeout=0.5, memory_mb=1024)
    try:
        slow = pool.parse(big, {}, "", 500)
        assert slow.error == "parsing took longer than 0.5 s; stopped"
        fine = pool.parse(simple_feed("after"), {}, "", 500)
        assert fine.error is None and len(fine.entries) == 3
    finally:
        pool.close()


def test_a_parse_past_the_memory_limit_is_an_error_not_a_crash():
    huge = rss([{"title": "one huge item", "guid": "h", "description": "<p>mot " * 2_000_000}])
    pool = ParsePool(workers=1, timeout=120, memory_mb=64)
    try:
        result = pool.parse(huge, {}, "", 500)
        assert result.error is not None and not result.entries
        assert "memory" in result.error
        fine = pool.parse(simple_feed("after"), {}, "", 500)
        assert fine.error is None and len(fine.entries) == 3
    finally:
        pool.close()
