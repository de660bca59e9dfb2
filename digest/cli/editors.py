"""`digest editors`: the editors' accounts of the web app (each with a login, and an optional
address for the notice of each new edition)."""

from __future__ import annotations

import os
import sys

import typer
from rich.table import Table

from digest.cli import WorkFailed, app, out, session

editors_app = typer.Typer(help="Add, list, remove editors and change their passwords.")
app.add_typer(editors_app, name="editors")

STDIN_HELP = "Read the password from the first line of stdin (for scripts) instead of asking."


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _hash(password: str) -> str:
    from digest.web.accounts import BadPassword, hash_password

    try:
        return hash_password(password)
    except BadPassword as e:
        raise typer.BadParameter(str(e), param_hint="password") from None


def _name(name: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > 100 or any(c.isspace() or not c.isprintable() for c in clean):
        raise typer.BadParameter("a name is 1 to 100 printable characters, no spaces")
    if clean == os.environ.get("DIGEST_EDITOR_USER", "").strip():
        raise typer.BadParameter(
            f"{clean!r} is the bootstrap login of $DIGEST_EDITOR_USER; choose another name"
        )
    return clean


@editors_app.command("add")
def editors_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The login name."),
    email: str = typer.Option(None, "--email", help="Where the notice of each edition goes."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Add an editor; the password is asked twice (or read from stdin) and stored hashed."""
    from digest.send.subscribers import InvalidAddress, normalise
    from digest.store import accounts

    login = _name(name)
    try:
        address = normalise(email) if email else None
    except InvalidAddress as e:
        raise typer.BadParameter(str(e), param_hint="--email") from None
    hashed = _hash(_password(password_stdin))
    if not accounts.add(session(ctx).db, login, address, hashed):
        raise WorkFailed(f"an editor named {login!r} exists already (see `digest editors list`)")
    out.print(f"Editor {login} added{f' ({address})' if address else ''}.")


@editors_app.command("list")
def editors_list(ctx: typer.Context) -> None:
    """The editors' accounts (the bootstrap login of the environment is not stored)."""
    from digest.store import accounts

    table = Table("name", "email", "created")
    for a in accounts.listing(session(ctx).db):
        table.add_row(a.name, a.email or "", a.created_at.strftime("%Y-%m-%d %H:%M"))
    out.print(table)


@editors_app.command("remove")
def editors_remove(ctx: typer.Context, name: str = typer.Argument(...)) -> None:
    """Remove an editor; their open sessions end with the account."""
    from digest.store import accounts
    from digest.web import sessions

    db = session(ctx).db
    if not accounts.remove(db, name):
        raise WorkFailed(f"no editor named {name!r}")
    sessions.end_all(db, name)
    out.print(f"Editor {name} removed.")


@editors_app.command("passwd")
def editors_passwd(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, "--password-stdin", help=STDIN_HELP),
) -> None:
    """Set a new password; every session the editor has open ends."""
    from digest.store import accounts
    from digest.web import sessions

    db = session(ctx).db
    if accounts.get(db, name) is None:
        raise WorkFailed(f"no editor named {name!r}")
    accounts.set_password(db, name, _hash(_password(password_stdin)))
    sessions.end_all(db, name)
    out.print(f"Password of {name} changed; their sessions are closed.")
