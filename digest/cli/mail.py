"""Commands of the mailing side: subscribers, send (and test sends), bounces import."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from digest.cli import WorkFailed, app, err, out, session
from digest.store import Database, editions
from digest.store import subscribers as subscriber_store

if TYPE_CHECKING:
    from digest.config import Config
    from digest.models import SubscriberState
    from digest.send.sender import Progress as ProgressFn

subscribers_app = typer.Typer(help="Add, import, list, remove and export subscribers.")
bounces_app = typer.Typer(help="Apply bounce and complaint reports.")
inbox_app = typer.Typer(help="Read the mailbox of replies: mailto unsubscribes and bounces.")
app.add_typer(subscribers_app, name="subscribers")
app.add_typer(bounces_app, name="bounces")
app.add_typer(inbox_app, name="inbox")

STATE_HELP = "Only subscribers in this state (pending, active, unsubscribed, bounced, complained)."


def _state(value: str | None) -> str | None:
    if value is not None and value not in subscriber_store.STATES:
        raise typer.BadParameter(
            f"{value!r} is not one of {', '.join(subscriber_store.STATES)}", param_hint="--state"
        )
    return value


@subscribers_app.command("add")
def subscribers_add(
    ctx: typer.Context,
    address: str = typer.Argument(..., help="The email address."),
    name: str = typer.Option("", "--name", help="How to greet them."),
    pending: bool = typer.Option(False, "--pending", help="Wait for their confirmation."),
) -> None:
    """Add one subscriber (active unless --pending)."""
    from digest.send import subscribers as subs
    from digest.send.tokens import secret_for

    s = session(ctx)
    state: SubscriberState = "pending" if pending else "active"
    try:
        sub = subs.add(s.db, address, secret=secret_for(s.config), name=name, state=state)
    except subs.InvalidName as e:
        raise typer.BadParameter(str(e), param_hint="--name") from None
    except subs.InvalidAddress as e:
        raise typer.BadParameter(f"{subs.quote(address)}: {e}", param_hint="ADDRESS") from None
    except subs.AlreadyKnown as e:
        raise WorkFailed(
            f"{e}; nothing changed (someone who left is never re-subscribed)"
        ) from None
    out.print(f"Added {sub.email} ({sub.state})")


@subscribers_app.command("import")
def subscribers_import(
    ctx: typer.Context,
    path: Path = typer.Argument(
        ...,
        help="A CSV with an address column ('email', 'Email Address', 'Courriel'…).",
    ),
    pending: bool = typer.Option(False, "--pending", help="Import them as pending, not active."),
) -> None:
    """Import a CSV (ours, or a Mailchimp, Substack or Brevo export): every bad row is reported
    with its line number, the rest is imported; rows the source marks as gone are kept out."""
    from digest.send import subscribers as subs
    from digest.send.tokens import secret_for

    s = session(ctx)
    state: SubscriberState = "pending" if pending else "active"
    try:
        report = subs.import_csv(s.db, path, secret=secret_for(s.config), state=state)
    except FileNotFoundError:
        raise typer.BadParameter(f"{path}: no such file", param_hint="FILE") from None
    except subs.InvalidAddress as e:
        raise WorkFailed(str(e)) from None
    for line, why in report.bad:
        err.print(f"{path.name}:{line}: {why}")
    out.print(f"{path.name}: {report.summary()}")
    if report.bad:
        raise WorkFailed(f"{len(report.bad)} rows rejected (listed above); the others are imported")


@subscribers_app.command("list")
def subscribers_list(
    ctx: typer.Context, state: str = typer.Option(None, "--state", help=STATE_HELP)
) -> None:
    """List subscribers, then the count in each state."""
    s = session(ctx)
    table = Table("email", "name", "state", "since", box=None)
    for sub in subscriber_store.list_all(s.db, _state(state)):
        since = sub.created_at.date().isoformat() if sub.created_at else ""
        table.add_row(sub.email, sub.name, sub.state, since)
    out.print(table)
    counts = subscriber_store.counts(s.db)
    out.print(", ".join(f"{n} {k}" for k, n in counts.items()))


@subscribers_app.command("remove")
def subscribers_remove(
    ctx: typer.Context,
    address: str = typer.Argument(..., help="The email address."),
    forget: bool = typer.Option(
        False, "--forget", help="Erase the address and its delivery history instead (erasure)."
    ),
) -> None:
    """Unsubscribe an address (it is kept so that no import brings it back), or --forget it
    (only a keyed hash of it is kept, so that no import or sign-up brings it back)."""
    from digest.send import subscribers as subs
    from digest.send.tokens import secret_for

    s = session(ctx)
    try:
        sub = subs.remove(s.db, address, secret=secret_for(s.config), forget=forget)
    except subs.InvalidAddress as e:
        raise WorkFailed(str(e)) from None
    out.print(f"{'Erased' if forget else 'Unsubscribed'} {sub.email}")


@subscribers_app.command("export")
def subscribers_export(
    ctx: typer.Context,
    state: str = typer.Option(None, "--state", help=STATE_HELP),
    to: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
    one: str = typer.Option(
        None, "--one", help="Everything stored about this address, as JSON (an access request)."
    ),
) -> None:
    """Export subscribers as CSV (email, name, state, created_at), or --one as JSON."""
    from digest.send import subscribers as subs

    s = session(ctx)
    if one is not None:
        try:
            text = subs.export_one(s.db, one)
        except subs.InvalidAddress as e:
            raise WorkFailed(str(e)) from None
    else:
        text = subs.export_csv(s.db, _state(state))
    if to is None:
        sys.stdout.write(text)
    else:
        to.write_text(text, encoding="utf-8")
        out.print(f"Written to {to}")


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """SIGTERM and a first Ctrl-C ask for a clean stop: copies on the wire finish first."""
    stop = threading.Event()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def ask(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous[signal.SIGINT])  # a second Ctrl-C interrupts

    for sig in previous:
        signal.signal(sig, ask)
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _progress() -> Iterator[ProgressFn | None]:
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("envoi"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("send", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@app.command()
def send(
    ctx: typer.Context,
    test: bool = typer.Option(
        False, "--test", help="Send a [TEST] copy to the ADDRESSES only; no delivery is recorded."
    ),
    addresses: list[str] = typer.Argument(None, help="With --test: the editors' addresses."),
) -> None:
    """Send the latest approved edition to every active subscriber (only what is missing)."""
    from digest.send import subscribers as subs
    from digest.send.mailing import send_latest
    from digest.send.sender import SendFailed

    s = session(ctx)
    if addresses and not test:
        raise typer.BadParameter(
            "addresses are only for test sends: add --test", param_hint="--test"
        )
    try:
        if test:
            if not addresses:
                raise typer.BadParameter(
                    "give the addresses to send the test to", param_hint="--test"
                )
            _send_test(s.db, s.config, addresses)
            return
        with _stop_on_signals() as stop, _progress() as progress:
            report = send_latest(s.db, s.config, stop=stop, progress=progress)
    except SendFailed as e:
        raise WorkFailed(str(e)) from None
    except subs.InvalidAddress as e:
        raise typer.BadParameter(str(e), param_hint="ADDRESSES") from None
    if report.recovered:
        out.print(
            f"{report.recovered} copies were in flight when the previous run stopped: they were"
            f" sent again, so at most {report.recovered} subscribers may have two copies."
        )
    out.print(f"Edition {report.edition_id}: {report.summary()}")
    if report.stopped:
        raise WorkFailed(
            f"stopped on request with {report.remaining} copies still to send;"
            " run `digest send` again to finish"
        )
    if report.remaining:
        raise WorkFailed(
            f"{report.remaining} copies could not be sent yet; run `digest send` again"
        )


def _send_test(db: Database, config: Config, addresses: list[str]) -> None:
    from digest.send.mailing import send_test

    edition = editions.latest(db)  # a draft too: test copies are how editors review it
    if edition is None:
        raise WorkFailed("no edition has been built yet: run `digest build` first")
    failed = 0
    for to, result in send_test(db, config, edition, addresses):
        where = "outbox" if not config.smtp.host else config.smtp.host
        if result.kind == "sent":
            out.print(f"Test copy of edition {edition.number} sent to {to} ({where})")
        else:
            failed += 1
            err.print(f"Test copy to {to} not sent: {result.detail}")
    if failed:
        raise WorkFailed(f"{failed} test copies were not sent")


@bounces_app.command("import")
def bounces_import(
    ctx: typer.Context, path: Path = typer.Argument(..., help="An mbox file or a Maildir folder.")
) -> None:
    """Read bounce and complaint reports; act on those tied to a copy we sent (VERP token or
    signed Message-ID), keep the others as evidence."""
    from digest.send.bounces import NotAMailbox, import_bounces

    s = session(ctx)
    try:
        report = import_bounces(s.db, s.config, path)
    except NotAMailbox as e:
        raise typer.BadParameter(str(e), param_hint="PATH") from None
    _unreadable(report.unreadable)
    out.print(report.summary())


@inbox_app.command("import")
def inbox_import(
    ctx: typer.Context,
    path: Path = typer.Argument(
        None, help="An mbox file or a Maildir folder; without it, the IMAP folder of `inbox:`."
    ),
) -> None:
    """Unsubscribe whoever mailed their unsubscribe+TOKEN address; apply the bounces found."""
    from digest.send.bounces import NotAMailbox
    from digest.send.inbox import InboxFailed, import_inbox

    s = session(ctx)
    try:
        report = import_inbox(s.db, s.config, path)
    except NotAMailbox as e:
        raise typer.BadParameter(str(e), param_hint="PATH") from None
    except InboxFailed as e:
        raise WorkFailed(str(e)) from None
    _unreadable(report.unreadable)
    out.print(report.summary())


def _unreadable(skipped: list[tuple[str, str]]) -> None:
    for position, why in skipped:
        err.print(f"message {position}: unreadable, skipped ({why})")
