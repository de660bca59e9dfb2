"""Commands of the main flow: demo, build, stories."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from digest.cli import WorkFailed, app, out, session


def _date(text: str | None, option: str) -> datetime | None:
    """--since/--until: a date (2024-05-13) or a datetime; naive values are read as UTC."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date like 2024-05-13", param_hint=option
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command()
def stories(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the stories as JSON (the contract)."),
    since: str = typer.Option(
        None, "--since", help="Only stories with items published from this date."
    ),
    until: str = typer.Option(
        None, "--until", help="Only stories with items published before this date."
    ),
) -> None:
    """Bring reading and grouping up to date, then list the stories."""
    from digest import flow
    from digest.edition.export import stories_json

    s = session(ctx)
    found = flow.stories(s.db, s.config, _date(since, "--since"), _date(until, "--until"))
    if as_json:
        typer.echo(json.dumps(stories_json(found), ensure_ascii=False, indent=2))
        return
    for story in found:
        flag = " [retenue]" if story.held_reason else ""
        n = len(story.sources)
        out.print(f"{story.id}  {story.headline}{flag}  ({n} source{'s' if n > 1 else ''})")
    out.print(f"{len(found)} stor{'ies' if len(found) != 1 else 'y'}")


@app.command()
def build(
    ctx: typer.Context,
    since: str = typer.Option(
        None, "--since", help="Start of the period [default: end of the last edition]."
    ),
    until: str = typer.Option(None, "--until", help="End of the period [default: now]."),
    out_dir: Path = typer.Option(Path("out"), "--out", help="Where editions are written."),
) -> None:
    """Build the edition of a period and write it to <out>/<edition-id>/."""
    from digest import flow

    s = session(ctx)
    try:
        edition, folder = flow.build(
            s.db, s.config, _date(since, "--since"), _date(until, "--until"), out_dir
        )
    except flow.NothingToBuild as e:
        raise WorkFailed(f"nothing to build: {e}") from None
    failed = [c for c in edition.checks if not c.ok]
    out.print(f"Edition {edition.number} « {edition.subject} » ({len(edition.stories)} stories)")
    for check in failed:
        out.print(f"  ! {check.name}: {check.detail}")
    out.print(f"Written to {folder}/index.html")


@app.command()
def demo(
    ctx: typer.Context,
    out_dir: Path = typer.Option(Path("out"), "--out", help="Where the edition is written."),
) -> None:
    """Run the whole flow offline on the sample feeds, into OUT/demo.db (or --db), kept so the
    editors' app can open it; prints the command that does."""
    import secrets

    from digest.samples.demo import run_demo, sample_config_path

    chosen = session(ctx).db_override
    db_path = Path(chosen) if chosen else out_dir / "demo.db"
    if not chosen:  # our own file: a fresh one each run (a --db given is used as it is)
        for leftover in (db_path, *(db_path.with_name(db_path.name + x) for x in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    folder, summary = run_demo(db_path.parent, out_dir, db_path)
    for line in summary:
        out.print(line)
    out.print(f"Edition written to {folder}/index.html")
    out.print(f"Database kept in {db_path}; the editors' app on the demo's data:")
    out.print(
        f"  DIGEST_EDITOR_USER=demo DIGEST_EDITOR_PASSWORD={secrets.token_urlsafe(12)}"
        f" DIGEST_SECRET={secrets.token_urlsafe(24)} digest --config {sample_config_path()}"
        f" --db {db_path.resolve()} serve",
        soft_wrap=True,
    )
