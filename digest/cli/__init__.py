"""The `digest` command line: thin; it parses, calls a stage, prints.

Exit codes (DESIGN.md contract): 0 done; 1 the work failed; 2 bad usage or bad config.

Every command module is imported to list the commands, so each imports the stages it calls
inside the command: `digest --help`, `status` or `send` never load spaCy, numpy or the reader
(tests/cli/test_startup.py holds it; `make bench-startup` measures it).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from digest.store import Database, StoreError, open_db

if TYPE_CHECKING:
    from digest.config import Config

app = typer.Typer(
    help="Le Digest: a French startup-investment newsletter that writes and sends itself.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class WorkFailed(Exception):
    """The command ran but its work failed (exit 1); the message says why."""


@dataclass
class Session:
    """What every command needs, loaded on first use: the config, then the database."""

    config_path: str | None
    db_override: str | None
    _config: Config | None = None
    _db: Database | None = None
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def config(self) -> Config:
        if self._config is None:
            from digest.config import load_config  # pydantic: `digest --help` goes without it

            self._config = load_config(self.config_path)
        return self._config

    @property
    def db_path(self) -> Path | str:
        from digest.config import database_path

        return database_path(self.config, self.db_override)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_db(self.db_path)
        return self._db


def session(ctx: typer.Context) -> Session:
    return ctx.find_root().obj


class _KeyValueFormatter(logging.Formatter):
    """Structured, quiet logs: `time level logger message` with key=value messages."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", "%Y-%m-%dT%H:%M:%S")


def setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "mail.log", "asyncio"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def _show_version(value: bool) -> None:
    if value:
        out.print(f"digest {installed_version()}")
        raise typer.Exit()


def installed_version() -> str:
    """The version of the installed distribution whose `digest` command this is (the
    distribution is named digest-newsletter: `digest` on the package index is another project)."""
    from importlib import metadata

    for script in metadata.entry_points(group="console_scripts", name="digest"):
        if script.value == "digest.cli:main" and script.dist is not None:
            return script.dist.version
    return "(not installed: run from a source tree)"


@app.callback()
def _root(
    ctx: typer.Context,
    config: str = typer.Option(
        None, "--config", envvar="DIGEST_CONFIG", help="Configuration file [default: ./feeds.yaml]"
    ),
    db: str = typer.Option(
        None,
        "--db",
        envvar="DIGEST_DB",
        help="SQLite file or postgresql:// URL [default: from the config, else ./digest.db]",
    ),
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, help="More logs (-vv for debug)."
    ),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_show_version,
        is_eager=True,
        help="Print the installed version and exit.",
    ),
) -> None:
    setup_logging(verbose)
    ctx.obj = Session(config_path=config, db_override=db)


GLOBAL_OPTIONS = ("--config", "--db")


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move --config/--db to the front, so they also work after the command (`build --db x`)."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg in GLOBAL_OPTIONS and i + 1 < len(argv):
            front += argv[i : i + 2]
            i += 2
            continue
        (front if arg.split("=", 1)[0] in GLOBAL_OPTIONS else rest).append(arg)
        i += 1
    return front + rest


def main() -> None:
    """Entry point of the console script: maps our errors to the exit codes of the contract."""
    from digest.cli import commands  # noqa: F401  (registers the commands)

    try:
        # typer prints its own usage errors with the command's usage and exits 2, turns Ctrl-C
        # into 130 and a typer.Exit into its code; it lets our exceptions through.
        app(args=hoist_global_options(sys.argv[1:]))
    except (WorkFailed, StoreError) as e:
        err.print(f"Error: {e}")
        sys.exit(1)
    except Exception as e:
        from digest.config import ConfigError  # loaded already by whatever raised one

        if not isinstance(e, ConfigError):
            raise
        err.print(f"Configuration error:\n{e}")
        sys.exit(2)
