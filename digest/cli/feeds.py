"""Commands of the poll stage: `digest poll` and `digest feeds` (list, import, export, remove).

`digest poll` exits 0 when at least one feed was fetched (ok or not modified) or when no feed
was due; 1 when every feed it polled failed (each failure is printed with its reason).
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.markup import escape

from digest.cli import WorkFailed, app, err, out, session
from digest.models import Feed
from digest.store import feeds as feed_store
from digest.store import now

feeds_app = typer.Typer(help="The feeds and their polling state.", no_args_is_help=False)
app.add_typer(feeds_app, name="feeds")


def _interactive() -> bool:
    """A progress bar only for a person at a terminal, never in CI or a pipe."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@app.command()
def poll(
    ctx: typer.Context,
    due: bool = typer.Option(False, "--due", help="Only the feeds whose next poll time has come."),
) -> None:
    """Fetch the feeds of the configuration and store their new items."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from digest.poll.poller import poll_feeds

    s = session(ctx)
    if _interactive():
        with Progress(
            TextColumn("Polling"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None)

            def advance(done: int, total: int, name: str) -> None:
                bar.update(task, completed=done, total=total, description=name[:40])

            report = poll_feeds(s.db, s.config, only_due=due, progress=advance)
    else:
        report = poll_feeds(s.db, s.config, only_due=due)
    for failure in report.failures:
        err.print(f"  ✗ {failure.name} ({failure.url}): {failure.error}")
    for moved in (o for o in report.outcomes if o.moved_to):
        err.print(f"  → {moved.name} moved permanently to {moved.moved_to} (update feeds.yaml)")
    out.print(report.summary())
    if report.all_failed:
        raise WorkFailed(f"every feed failed ({len(report.failures)}); see the reasons above")


def _when(moment: datetime | None, reference: datetime) -> str:
    if moment is None:
        return "—"
    minutes = round((moment - reference).total_seconds() / 60)
    if abs(minutes) < 1:
        return "just now" if minutes <= 0 else "now"
    span = f"{abs(minutes)} min" if abs(minutes) < 120 else f"{abs(minutes) / 60:.1f} h"
    if abs(minutes) >= 48 * 60:
        span = f"{abs(minutes) / 1440:.1f} d"
    return f"in {span}" if minutes > 0 else f"{span} ago"  # "next in 30 min", "polled 2 h ago"


def _state(feed: Feed, reference: datetime) -> str:
    if not feed.active:
        return "inactive"
    if feed.status == "failing":
        return f"failing since {_when(feed.failing_since, reference)} ({feed.error_count}×)"
    if feed.status == "gone":
        return "gone (410): no longer polled"
    return {"ok": "ok", "not_modified": "not modified", "new": "not polled yet"}.get(
        feed.status, feed.status
    )


@feeds_app.callback(invoke_without_command=True)
def feeds(
    ctx: typer.Context,
    show_all: bool = typer.Option(False, "--all", help="Also the inactive feeds."),
) -> None:
    """Every feed with its state: ok, not modified, failing since…, last error, next poll."""
    if ctx.invoked_subcommand:
        return
    from digest.poll.poller import sync_feeds

    s = session(ctx)
    sync_feeds(s.db, s.config)
    moment = now()
    listed = feed_store.listed(s.db, active_only=not show_all)
    for feed in listed:
        nxt = feed.not_before or feed.next_poll
        upcoming = "never" if feed.status == "gone" or not feed.active else _when(nxt, moment)
        out.print(
            f"[bold]{escape(feed.name)}[/bold]  {_state(feed, moment)} · polled "
            f"{_when(feed.last_polled, moment)} · next {upcoming} · {feed.items_seen} items"
        )
        out.print(f"  {feed.url}", markup=False)
        if feed.moved_to:
            out.print(f"  moved permanently to {feed.moved_to}: update feeds.yaml", markup=False)
        if feed.last_error:
            out.print(f"  last error: {feed.last_error}", markup=False)
    out.print(f"{len(listed)} feeds")


@feeds_app.command("import")
def import_opml(
    ctx: typer.Context, file: Path = typer.Argument(..., help="An OPML file (.opml).")
) -> None:
    """Add the feeds of an OPML file; they are kept in the database, next to feeds.yaml's."""
    from digest.poll.opml import OpmlError, read_opml

    s = session(ctx)
    try:
        outlines, skipped = read_opml(file.read_bytes())
    except OSError as e:
        raise typer.BadParameter(f"{file}: cannot read it ({e.strerror or e})") from None
    except OpmlError as e:
        raise WorkFailed(f"{file}: {e}") from None
    added = sum(feed_store.add(s.db, Feed(name=o.name, url=o.url, origin="opml")) for o in outlines)
    for reason in skipped:
        err.print(f"  skipped {reason}")
    out.print(f"{added} feeds added, {len(outlines) - added} already known, {len(skipped)} skipped")


@feeds_app.command("export")
def export_opml(
    ctx: typer.Context,
    output: Path = typer.Option(None, "--out", "-o", help="Write to this file [default: stdout]."),
) -> None:
    """Write every active feed as OPML 2.0."""
    from digest.poll.opml import write_opml
    from digest.poll.poller import sync_feeds

    s = session(ctx)
    sync_feeds(s.db, s.config)
    data = write_opml(feed_store.listed(s.db, active_only=True), s.config.newsletter.name)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        err.print(f"Written to {output}")


@feeds_app.command("remove")
def remove(ctx: typer.Context, url: str = typer.Argument(..., help="The feed's URL.")) -> None:
    """Stop polling a feed imported from OPML (feeds.yaml's are removed from the file)."""
    s = session(ctx)
    if not feed_store.deactivate(s.db, url):
        raise WorkFailed(f"no feed with the URL {url!r} (see `digest feeds`)")
    out.print(f"{url} deactivated; its items are kept")
