"""The daemon's timing on a fake clock: a simulated week across a daylight-saving change."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from digest.config import Config, load_config
from digest.daemon.run import Daemon, Jobs, Slot
from digest.store import jobs as job_store

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def week_config(tmp_path: Path) -> Config:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "feeds:\n  - {name: Local, url: feed.xml}\n"
        "schedule:\n  poll_every_minutes: 30\n  build_at: '07:30'\n  send_at: '08:00'\n"
        "  days: [mon, tue, wed, thu, fri, sat, sun]\n  grace_minutes: 120\n",
        encoding="utf-8",
    )
    return load_config(path)


class Recorder:
    """Jobs that note when (in Paris time) they ran; send waits for an approval flag."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, datetime]] = []
        self.approved = True

    def _note(self, name: str) -> str:
        self.calls.append((name, datetime.now(UTC).astimezone(PARIS)))
        return f"{name} ok"

    def jobs(self) -> Jobs:
        def send() -> str | None:
            return self._note("send") if self.approved else None

        return Jobs(poll=lambda: self._note("poll"), build=lambda: self._note("build"), send=send)


def test_slot_keeps_local_hour_across_dst_change() -> None:
    slot = Slot("07:30", ("sat", "sun", "mon"), "Europe/Paris")
    before = slot.last(datetime(2024, 10, 26, 12, 0, tzinfo=UTC))  # Saturday, summer time
    after = slot.last(datetime(2024, 10, 28, 12, 0, tzinfo=UTC))  # Monday, winter time
    assert before is not None and after is not None
    assert before.astimezone(UTC).hour == 5 and after.astimezone(UTC).hour == 6
    assert before.astimezone(PARIS).strftime("%H:%M") == after.astimezone(PARIS).strftime("%H:%M")
    assert slot.next(datetime(2024, 10, 29, 12, 0, tzinfo=UTC)) == datetime(
        2024, 11, 2, 7, 30, tzinfo=PARIS
    )


def test_simulated_week_runs_each_slot_once_at_local_time(
    db: sqlite3.Connection, week_config: Config
) -> None:
    recorder = Recorder()
    start = datetime(2024, 10, 23, 22, 0, tzinfo=UTC)  # the week of the switch to winter time
    with time_machine.travel(start, tick=False) as clock:
        daemon = Daemon(db, week_config, recorder.jobs())
        daemon.poll()
        daemon.tick()
        for _ in range(7 * 24 * 60):
            clock.shift(timedelta(minutes=1))
            daemon.scheduler.run_pending()
    by_job = Counter(name for name, _ in recorder.calls)
    assert by_job["build"] == 7 and by_job["send"] == 7
    assert {at.strftime("%H:%M") for name, at in recorder.calls if name == "build"} == {"07:30"}
    assert {at.strftime("%H:%M") for name, at in recorder.calls if name == "send"} == {"08:00"}
    assert 7 * 48 - 2 <= by_job["poll"] <= 7 * 48 + 2
    sundays = [at for name, at in recorder.calls if name == "build" and at.weekday() == 6]
    assert sundays and sundays[0].date().isoformat() == "2024-10-27"


def test_send_waits_for_approval_then_goes_within_grace(
    db: sqlite3.Connection, week_config: Config
) -> None:
    recorder = Recorder()
    recorder.approved = False
    start = datetime(2024, 5, 14, 5, 55, tzinfo=UTC)  # 07:55 in Paris
    with time_machine.travel(start, tick=False) as clock:
        daemon = Daemon(db, week_config, recorder.jobs())
        for _ in range(30):
            clock.shift(timedelta(minutes=1))
            daemon.scheduler.run_pending()
        assert [n for n, _ in recorder.calls if n == "send"] == []
        recorder.approved = True
        clock.shift(timedelta(minutes=1))
        daemon.scheduler.run_pending()
        for _ in range(30):
            clock.shift(timedelta(minutes=1))
            daemon.scheduler.run_pending()
    sends = [at for n, at in recorder.calls if n == "send"]
    assert len(sends) == 1 and sends[0].strftime("%H:%M") == "08:26"


@pytest.mark.parametrize(
    ("paris_start", "expect_run"),
    [((8, 30), True), ((11, 0), False)],
    ids=["within-grace-runs", "beyond-grace-reported"],
)
def test_catch_up_after_downtime(
    db: sqlite3.Connection, week_config: Config, paris_start: tuple[int, int], expect_run: bool
) -> None:
    recorder = Recorder()
    start = datetime(2024, 5, 14, *paris_start, tzinfo=PARIS)
    with time_machine.travel(start, tick=False):
        daemon = Daemon(db, week_config, recorder.jobs())
        daemon.tick()
        daemon.tick()  # a second look at the same slots changes nothing
    ran = Counter(name for name, _ in recorder.calls)
    assert (ran["build"], ran["send"]) == ((1, 1) if expect_run else (0, 0))
    details = {r.job: r.detail for r in job_store.last_runs(db)}
    if not expect_run:
        assert details["build"].startswith("missed") and details["send"].startswith("missed")


def test_failing_job_is_retried_next_tick_and_never_kills_the_daemon(
    db: sqlite3.Connection, week_config: Config
) -> None:
    attempts: list[datetime] = []

    def flaky_build() -> str:
        attempts.append(datetime.now(UTC))
        if len(attempts) < 3:
            raise RuntimeError("disk full")
        return "built"

    start = datetime(2024, 5, 14, 7, 29, tzinfo=PARIS)
    with time_machine.travel(start, tick=False) as clock:
        daemon = Daemon(db, week_config, Jobs(poll=lambda: "", build=flaky_build, send=lambda: "x"))
        for _ in range(10):
            clock.shift(timedelta(minutes=1))
            daemon.scheduler.run_pending()
    assert len(attempts) == 3
    runs = db.execute("SELECT ok, detail FROM job_runs WHERE job = 'build' ORDER BY id").fetchall()
    assert [r["ok"] for r in runs] == [0, 0, 1] and "disk full" in runs[0]["detail"]


def test_prune_runs_at_start_then_once_a_day_across_a_restart(
    db: sqlite3.Connection, week_config: Config
) -> None:
    prunes: list[datetime] = []

    def prune() -> str:
        prunes.append(datetime.now(UTC))
        return "0 item texts emptied"

    jobs = Jobs(poll=lambda: "", build=lambda: "", send=lambda: "", prune=prune)
    start = datetime(2024, 5, 14, 3, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        daemon = Daemon(db, week_config, jobs)
        daemon.prune()
        for _ in range(36 * 60):
            clock.shift(timedelta(minutes=1))
            daemon.scheduler.run_pending()
        restarted = Daemon(db, week_config, jobs)
        restarted.prune()  # a restart 36 h in: the last prune was 12 h ago
        for _ in range(24 * 60):
            clock.shift(timedelta(minutes=1))
            restarted.scheduler.run_pending()
    assert [p - start for p in prunes] == [timedelta(0), timedelta(hours=23), timedelta(hours=46)]
