"""The daemon's memory: one row per job run, so a restart knows what already ran."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from digest.store import Database, from_text, to_text


@dataclass
class JobRun:
    job: str
    scheduled: datetime | None
    started_at: datetime
    finished_at: datetime | None
    ok: bool | None
    detail: str


def start(db: Database, job: str, scheduled: datetime | None, at: datetime) -> int:
    cur = db.execute(
        "INSERT INTO job_runs (job, scheduled, started_at) VALUES (?, ?, ?) RETURNING id",
        (job, to_text(scheduled), to_text(at)),
    )
    return int(cur.fetchone()[0])


def finish(db: Database, run_id: int, ok: bool, detail: str, at: datetime) -> None:
    db.execute(
        "UPDATE job_runs SET finished_at = ?, ok = ?, detail = ? WHERE id = ?",
        (to_text(at), int(ok), detail, run_id),
    )


def slot_done(db: Database, job: str, scheduled: datetime) -> bool:
    """Whether a run for this slot ended well (or was recorded as missed on purpose)."""
    row = db.execute(
        "SELECT 1 FROM job_runs WHERE job = ? AND scheduled = ? AND ok = 1 LIMIT 1",
        (job, to_text(scheduled)),
    ).fetchone()
    return row is not None


def last_runs(db: Database, per_job: int = 1) -> list[JobRun]:
    """The latest runs of each job, newest first."""
    rows = db.execute(
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY job ORDER BY id DESC) AS n"
        " FROM job_runs) AS r WHERE n <= ? ORDER BY job, id DESC",
        (per_job,),
    ).fetchall()
    return [
        JobRun(
            job=r["job"],
            scheduled=from_text(r["scheduled"]),
            started_at=from_text(r["started_at"]),
            finished_at=from_text(r["finished_at"]),
            ok=None if r["ok"] is None else bool(r["ok"]),
            detail=r["detail"] or "",
        )
        for r in rows
    ]
