"""Commands that keep `digest` running: the daemon (`run`), its `status`, and the web app
(`serve`)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import typer

from digest.cli import WorkFailed, app, out, session
from digest.store import now, redacted


@app.command()
def run(
    ctx: typer.Context,
    out_dir: Path = typer.Option(
        None, "--out", help="Where editions are written [default: out_dir of the config]."
    ),
) -> None:
    """Run the daemon: poll every N minutes, build and send at the configured hours."""
    from digest.daemon.jobs import real_jobs
    from digest.daemon.run import AlreadyRunning, Daemon, single_instance, stop_on_signals
    from digest.send.tokens import secret_for

    s = session(ctx)
    config = s.config
    secret_for(config)  # no signing secret while mail leaves the machine: exit 2 now, not at send
    folder = out_dir or config.resolve(config.out_dir)
    logging.getLogger("digest.daemon.run").setLevel(
        min(logging.INFO, logging.getLogger().getEffectiveLevel())
    )
    try:
        with single_instance(s.db_path):
            stop = threading.Event()
            stop_on_signals(stop)
            daemon = Daemon(s.db, config, real_jobs(s.db, config, folder, stop))
            where = redacted(s.db_path)
            out.print(f"digest daemon started (database {where}, editions into {folder})")
            daemon.run(stop)
    except AlreadyRunning as e:
        raise WorkFailed(str(e)) from None
    out.print("digest daemon stopped")


@app.command()
def status(ctx: typer.Context) -> None:
    """Print the daemon's next runs, the last results, failing feeds and pending deliveries;
    exit 1 when the daemon is not running."""
    from digest.daemon.status import gather, lines

    s = session(ctx)
    found = gather(s.db, s.config, s.db_path, now())
    for line in lines(found):
        out.print(line)
    if found.daemon_pid is None:
        raise WorkFailed("the daemon is not running: start it with `digest run`")


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option(None, "--host", help="Address to bind [default: web.host, 127.0.0.1]"),
    port: int = typer.Option(None, "--port", help="Port [default: web.port, 8000]"),
) -> None:
    """Serve the editors' pages and the public pages (archive, subscribe, unsubscribe)."""
    from digest.web import create_app
    from digest.web.serving import serve as run_server

    s = session(ctx)
    config = s.config
    # ConfigError (exit 2) without the editors' login or without $DIGEST_SECRET
    web_app = create_app(config, s.db_path)
    bind_host = host or config.web.host
    bind_port = port if port is not None else config.web.port
    out.print(f"digest web app on http://{bind_host}:{bind_port}/editor (Ctrl-C stops it)")
    run_server(web_app, config, bind_host, bind_port)
