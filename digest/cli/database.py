"""`digest db copy`: move an installation from its SQLite file to a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import typer

from digest.cli import WorkFailed, app, out

db_app = typer.Typer(help="Move the database between engines.")
app.add_typer(db_app, name="db")


@db_app.command("copy")
def copy(
    sqlite_file: Path = typer.Argument(..., help="The SQLite database to copy from."),
    postgres_url: str = typer.Argument(..., help="postgresql://user:password@host/database"),
) -> None:
    """Copy every table (ids kept) into an empty PostgreSQL database; the file is left as is."""
    from digest.store import StoreError, redacted
    from digest.store.postgres import is_url
    from digest.store.transfer import copy_installation

    if not is_url(postgres_url):
        raise typer.BadParameter("a postgresql:// URL", param_hint="POSTGRES_URL")
    if not sqlite_file.is_file():
        raise typer.BadParameter(f"{sqlite_file}: no such file", param_hint="SQLITE_FILE")
    try:
        copied = copy_installation(sqlite_file, postgres_url)
    except StoreError as e:
        raise WorkFailed(f"{e}; nothing was copied") from None
    rows = sum(copied.values())
    out.print(f"Copied {rows} rows of {len(copied)} tables to {redacted(postgres_url)}.")
    out.print(f"Point `database:` (or --db, DIGEST_DB) at it; {sqlite_file} was left as it is.")
