"""Commands of an edition's life: list the editions, approve one, hold one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from digest.cli import WorkFailed, app, err, out, session

if TYPE_CHECKING:
    from digest.models import EditionState

EDITION_HELP = "The edition's id (2024-05-21) or number (12)."


def _when(moment: datetime | None, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}" if moment else "-"


@app.command("editions")
def editions_list(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", min=1, help="How many, newest first."),
) -> None:
    """List the editions: number, id, state, stories, when built and sent, subject."""
    from digest.store import editions as edition_store

    s = session(ctx)
    zone = s.config.newsletter.timezone
    listed = edition_store.listing(s.db, limit=limit)
    counts = edition_store.story_counts(s.db)
    w = max((len(e.id) for e in listed), default=10)
    out.print(
        f"{'n°':>4}  {'id':<{w}}  {'state':<8}  stories  {'built':<16}  {'sent':<16}  subject"
    )
    for e in listed:
        built = _when(e.created_at, zone)
        sent = _when(edition_store.times(s.db, e.id)["sent_at"], zone)
        head = f"{e.number:>4}  {e.id:<{w}}  {e.state:<8}  {counts.get(e.id, 0):>7}"
        out.print(f"{head}  {built:<16}  {sent:<16}  {e.subject}")
    out.print(f"{len(listed)} edition{'s' if len(listed) != 1 else ''}")


def _change(ctx: typer.Context, ref: str, to: EditionState) -> None:
    from digest.edition import lifecycle

    db = session(ctx).db
    try:
        edition = lifecycle.change(db, lifecycle.find(db, ref).id, to, by="cli")
    except lifecycle.Unknown as e:
        err.print(f"Error: {e}")
        raise typer.Exit(2) from None
    except lifecycle.NotAllowed as e:
        raise WorkFailed(str(e)) from None
    out.print(f"Edition {edition.number} ({edition.id}) is now {edition.state}.")


@app.command()
def approve(ctx: typer.Context, edition: str = typer.Argument(..., help=EDITION_HELP)) -> None:
    """Approve a draft or held edition: `digest send` and the daemon send it."""
    _change(ctx, edition, "approved")


@app.command()
def hold(ctx: typer.Context, edition: str = typer.Argument(..., help=EDITION_HELP)) -> None:
    """Hold a draft or approved edition: it is not sent until approved again."""
    _change(ctx, edition, "held")
