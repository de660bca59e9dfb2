"""What `digest status` prints: the daemon, its next runs, the last results, failing feeds,
the latest edition and the deliveries still pending."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from digest.config import Config
from digest.daemon.run import Slot, lock_holder
from digest.models import Edition, Feed
from digest.store import Database, Location, deliveries, editions
from digest.store import feeds as feed_store
from digest.store import jobs as job_store
from digest.store.jobs import JobRun

OPEN_STATES = ("pending", "sending", "failed")


@dataclass
class NextRun:
    job: str
    at: datetime | None
    note: str = ""


@dataclass
class Pending:
    """Deliveries of one edition not sent yet, by state."""

    number: int
    edition_id: str
    state: str
    counts: dict[str, int]


@dataclass
class Status:
    moment: datetime
    tz: str
    daemon_pid: int | None
    next_runs: list[NextRun]
    last_runs: list[JobRun]
    failing_feeds: list[Feed]
    latest: Edition | None
    pending: list[Pending] = field(default_factory=list)


def _next_runs(db: Database, config: Config, moment: datetime) -> list[NextRun]:
    """The next poll, build and send; a slot already due but not done says why."""
    sched = config.schedule
    polls = [r for r in job_store.last_runs(db) if r.job == "poll"]
    poll_at = polls[0].started_at + timedelta(minutes=sched.poll_every_minutes) if polls else None
    runs = [NextRun("poll", poll_at, "" if polls else "at the daemon's start")]
    grace = timedelta(minutes=sched.grace_minutes)
    for job, at in (("build", sched.build_at), ("send", sched.send_at)):
        slot = Slot(at, tuple(sched.days), config.newsletter.timezone)
        last = slot.last(moment)
        if last and moment - last <= grace and not job_store.slot_done(db, job, last):
            until = (last + grace).astimezone(ZoneInfo(config.newsletter.timezone))
            done = "sent" if job == "send" else "built"
            runs.append(NextRun(job, last, f"due, not {done} yet, open until {until:%H:%M}"))
        runs.append(NextRun(job, slot.next(moment)))
    return runs


def _pending(db: Database) -> list[Pending]:
    found = []
    for edition in editions.listing(db, limit=20):
        counts = deliveries.counts(db, edition.id)
        if any(counts[s] for s in OPEN_STATES):
            found.append(Pending(edition.number, edition.id, edition.state, counts))
    return found


def gather(db: Database, config: Config, db_path: Location, moment: datetime) -> Status:
    return Status(
        moment=moment,
        tz=config.newsletter.timezone,
        daemon_pid=lock_holder(db_path),
        next_runs=_next_runs(db, config, moment),
        last_runs=job_store.last_runs(db, per_job=1),
        failing_feeds=[
            f for f in feed_store.listed(db, active_only=True) if f.status in ("failing", "gone")
        ],
        latest=editions.latest(db),
        pending=_pending(db),
    )


def _when(moment: datetime | None, tz: str) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(tz)).strftime("%a %Y-%m-%d %H:%M %Z")


def lines(status: Status) -> list[str]:
    """The report as text, one fact per line."""
    tz = status.tz
    pid = status.daemon_pid
    out = [f"Daemon: running (pid {pid})" if pid else "Daemon: not running (start: digest run)"]
    out.append("Next runs:")
    for run in status.next_runs:
        note = f"  ({run.note})" if run.note else ""
        out.append(f"  {run.job:<6} {_when(run.at, tz)}{note}")
    out.append("Last results:")
    if not status.last_runs:
        out.append("  none yet")
    for r in status.last_runs:
        mark = {True: "ok", False: "FAILED", None: "running"}[r.ok]
        out.append(f"  {r.job:<6} {_when(r.started_at, tz)}  {mark}: {r.detail}")
    out.append(f"Failing feeds: {len(status.failing_feeds)}")
    for f in status.failing_feeds:
        since = f", since {_when(f.failing_since, tz)}" if f.failing_since else ""
        out.append(f"  {f.name} ({f.status}, {f.error_count} errors{since}): {f.last_error}")
    e = status.latest
    if e is None:
        out.append("Latest edition: none built yet")
    else:
        out.append(f"Latest edition: {e.number} ({e.id}) {e.state}, « {e.subject} »")
    out.append(f"Pending deliveries: {sum(p.counts['pending'] for p in status.pending)}")
    for p in status.pending:
        counts = ", ".join(f"{n} {s}" for s, n in p.counts.items() if n)
        out.append(f"  edition {p.number} ({p.edition_id}, {p.state}): {counts}")
    return out
