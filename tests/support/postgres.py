"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, pg_ctl start on a
free port of 127.0.0.1, one fresh database per test (copied from a migrated template).

$DIGEST_TEST_POSTGRES (a postgresql:// URL of a server whose user may CREATE DATABASE) is used
instead when set. Root cannot run initdb: the server then runs as the `postgres` user.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.mailserver import free_port

TEMPLATE = "digest_template"
_names = itertools.count()


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def _bin(tool: str) -> str:
    found = shutil.which(tool) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"), reverse=True)), None
    )
    if not found:
        raise Unavailable(f"{tool} not found (apt-get install postgresql)")
    return found


def _as_server_user() -> tuple[list[str], str | None]:
    """The command prefix running a tool as a user initdb accepts, and that user (None: us)."""
    if os.geteuid() != 0:
        return [], None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable("running as root and no `postgres` user to run the server") from None
    return ["runuser", "-u", "postgres", "--"], "postgres"


@contextmanager
def server() -> Iterator[str]:
    """The base URL (no database name) of a running server, stopped and removed afterwards."""
    if url := os.environ.get("DIGEST_TEST_POSTGRES"):
        yield url.rstrip("/") + "/"
        return
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    prefix, user = _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="digest-pg-"))
    data = folder / "data"
    if user:
        shutil.chown(folder, user)
    port = free_port()
    options = (
        f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=200"
    )
    try:
        _run([*prefix, initdb, "-D", str(data), "-U", "digest", "--auth=trust", "-E", "UTF8",
              "--locale=C", "--no-sync"])  # fmt: skip
        _run([*prefix, pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-o", options,
              "-w", "-t", "60", "start"])  # fmt: skip
    except Unavailable:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        base = f"postgresql://digest@127.0.0.1:{port}/"
        _create_template(base)
        yield base
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(folder, ignore_errors=True)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise Unavailable(f"{Path(command[-1]).name}: {done.stderr.strip() or done.stdout.strip()}")


def _admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(base + "postgres", autocommit=True) as conn:
        conn.execute(sql.encode())


def _create_template(base: str) -> None:
    from digest.store import open_db

    _admin(base, f"DROP DATABASE IF EXISTS {TEMPLATE}")
    _admin(base, f"CREATE DATABASE {TEMPLATE}")
    open_db(base + TEMPLATE).close()


def fresh(base: str, *, migrated: bool = True) -> str:
    """The URL of a new database of its own (the schema in place unless migrated is False)."""
    name = f"test_{os.getpid()}_{next(_names)}"
    _admin(base, f"CREATE DATABASE {name}" + (f" TEMPLATE {TEMPLATE}" if migrated else ""))
    return base + name


def drop(url: str) -> None:
    base, name = url.rsplit("/", 1)
    _admin(base + "/", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
