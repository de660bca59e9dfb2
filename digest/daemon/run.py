"""The daemon (`digest run`): poll every N minutes, build and send at the configured hours.

`schedule` drives the timing (a poll job every N minutes, a slot check every minute); the build
and send hours are wall-clock slots in the newsletter's time zone, computed with zoneinfo so that
daylight-saving changes move nothing. Each slot is recorded in `job_runs` when it has run, which
is what lets a restarted daemon catch up: a slot missed by less than the grace period runs at
start, an older one is reported, not run. A failing job is logged and tried again at the next tick.
"""

from __future__ import annotations

import fcntl
import functools
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import schedule

from digest.config import Config
from digest.send.slots import Slot
from digest.store import Database, Location, locks, redacted
from digest.store import jobs as job_store
from digest.store import now as utc_now
from digest.store.postgres import connect, is_url

log = logging.getLogger(__name__)
PRUNE_EVERY = timedelta(hours=23)  # checked hourly: about once a day, at the same hour


class AlreadyRunning(Exception):
    """Another daemon holds the lock."""


@dataclass
class Jobs:
    """What the daemon runs. Each returns a one-line result; send returns None when the
    edition is not approved yet (the slot stays open and is looked at again next tick)."""

    poll: Callable[[], str]
    build: Callable[[], str]
    send: Callable[[], str | None]
    inbox: Callable[[], str] | None = None  # every inbox.every_minutes, when configured
    prune: Callable[[], str] | None = None  # once a day, when retention.items_days is set


class Daemon:
    def __init__(self, db: Database, config: Config, jobs: Jobs) -> None:
        self.db = db
        self.jobs = jobs
        tz = config.newsletter.timezone
        days = tuple(config.schedule.days)
        self.slots = {
            "build": Slot(config.schedule.build_at, days, tz),
            "send": Slot(config.schedule.send_at, days, tz),
        }
        self.grace = timedelta(minutes=config.schedule.grace_minutes)
        self.scheduler = schedule.Scheduler()
        self.scheduler.every(config.schedule.poll_every_minutes).minutes.do(self.poll)
        self.scheduler.every(1).minutes.do(self.tick)
        if jobs.inbox is not None and config.inbox is not None:
            self.scheduler.every(config.inbox.every_minutes).minutes.do(self.inbox)
        if jobs.prune is not None:
            self.scheduler.every(1).hours.do(self.prune)

    def _record(self, job: str, slot: datetime | None, work: Callable[[], str | None]) -> bool:
        """Run one job, never letting it kill the daemon; True when it completed."""
        run_id = job_store.start(self.db, job, slot, utc_now())
        try:
            result = work()
        except Exception as e:  # a failing job is logged and retried at the next tick
            log.exception("job=%s failed error=%r", job, e)
            job_store.finish(self.db, run_id, False, f"failed: {e}", utc_now())
            return False
        done = result is not None
        job_store.finish(self.db, run_id, done, result or "waiting for approval", utc_now())
        log.info("job=%s slot=%s done=%s result=%r", job, slot, done, result)
        return done

    def poll(self) -> None:
        self._record("poll", None, self.jobs.poll)

    def inbox(self) -> None:
        if self.jobs.inbox is not None:
            self._record("inbox", None, self.jobs.inbox)

    def prune(self) -> None:
        """The retention job, when a day has passed since it last ran (restarts included)."""
        if self.jobs.prune is None:
            return
        runs = [r for r in job_store.last_runs(self.db) if r.job == "prune"]
        if runs and utc_now() - runs[0].started_at < PRUNE_EVERY:
            return
        self._record("prune", None, self.jobs.prune)

    def tick(self) -> None:
        """Run the build then the send slot when due; report slots missed beyond the grace."""
        moment = utc_now()
        for name in ("build", "send"):
            slot = self.slots[name].last(moment)
            if slot is None or job_store.slot_done(self.db, name, slot):
                continue
            if moment - slot <= self.grace:
                self._record(name, slot, getattr(self.jobs, name))
            else:
                missed = f"missed: {slot.isoformat()} is past the grace period, not run"
                self._record(name, slot, functools.partial(str, missed))

    def run(self, stop: threading.Event) -> None:
        """Catch up, then loop until stop is set; jobs always finish before the loop exits."""
        self.poll()
        self.tick()
        self.prune()
        while not stop.is_set():
            self.scheduler.run_pending()
            idle = self.scheduler.idle_seconds
            stop.wait(timeout=max(0.5, min(idle if idle is not None else 60, 60)))
        log.info("daemon stopped")


@contextmanager
def single_instance(db_path: Location) -> Iterator[None]:
    """Hold an exclusive lock for the daemon's lifetime: a file next to a SQLite database, an
    advisory lock on a PostgreSQL server (whatever machine the other daemon runs on)."""
    if is_url(db_path):
        with _advisory_instance(str(db_path)):
            yield
        return
    lock_path = Path(f"{db_path}.lock")
    handle = open(lock_path, "a+")  # noqa: SIM115 (held for the whole block)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise AlreadyRunning(
            f"another digest daemon is already running (pid {holder}, lock {lock_path}); "
            "stop it first, or use a different --db"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


@contextmanager
def _advisory_instance(url: str) -> Iterator[None]:
    conn = connect(url)
    try:
        if not locks.try_hold(conn, locks.DAEMON):
            holder = locks.holder(conn, locks.DAEMON)
            raise AlreadyRunning(
                f"another digest daemon is already running on {redacted(url)} (pid {holder},"
                " possibly on another machine); stop it first, or use a different database"
            )
        yield
    finally:
        conn.close()  # the lock goes with the connection


def lock_holder(db_path: Location) -> int | None:
    """The pid of the daemon holding the lock of this database, None when none runs."""
    if is_url(db_path):
        conn = connect(str(db_path))
        try:
            return locks.holder(conn, locks.DAEMON)
        finally:
            conn.close()
    lock_path = Path(f"{db_path}.lock")
    if not lock_path.exists():
        return None
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            text = handle.read().strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and Ctrl-C ask the loop to stop between jobs."""

    def handler(signum: int, _frame: object) -> None:
        log.warning("signal=%s stopping after the current job", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
