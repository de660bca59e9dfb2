"""Commands that look after the database: a backup while everything runs, and retention."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from digest.cli import WorkFailed, app, out, session


@app.command()
def backup(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="The backup file to write."),
    force: bool = typer.Option(False, "--force", help="Replace PATH when it exists."),
) -> None:
    """Copy the database to PATH, safely while the daemon and the web app run."""
    from digest.store.backup import BackupError
    from digest.store.backup import backup as copy_database

    s = session(ctx)
    started = time.perf_counter()
    try:
        size = copy_database(s.db, path, force=force)
    except BackupError as e:
        raise WorkFailed(str(e)) from None
    seconds = time.perf_counter() - started
    out.print(f"backup of {s.db_path} written to {path}: {size / 1e6:.1f} MB in {seconds:.1f} s")


@app.command()
def prune(ctx: typer.Context) -> None:
    """Empty the text of items older than retention.items_days once their stories are sent."""
    from digest.store import now
    from digest.store.retention import drop_old_texts

    s = session(ctx)
    days = s.config.retention.items_days
    if days == 0:
        out.print("retention.items_days is 0: every item keeps its text")
        return
    count = drop_old_texts(s.db, days, now())
    out.print(f"{count} item texts older than {days} days emptied (their stories were sent)")
