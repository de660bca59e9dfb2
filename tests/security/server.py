"""`digest serve` as an attacker meets it: the real command in its own process on 127.0.0.1 (so
its memory can be measured and its uvicorn settings are the ones operators get)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from digest.store import Location
from tests.support.mailserver import free_port
from tests.support.webserver import PASSWORD, SECRET, USER

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Served:
    url: str
    port: int
    pid: int
    config: Path
    db: Location


def write_config(folder: Path, web: dict | None = None, smtp_port: int | None = None) -> Path:
    lines = [
        "feeds:",
        "  - {name: Local, url: feed.xml}",
        f"out_dir: '{folder / 'out'}'",
        "sending: {rate_per_second: 1000, retry_delay: 0.05}",
        f"web: {json.dumps(web or {})}",
    ]
    if smtp_port is not None:
        lines.append(f"smtp: {{host: 127.0.0.1, port: {smtp_port}, security: none}}")
    path = folder / "feeds.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    env.update(
        PYTHONPATH=str(ROOT),
        DIGEST_EDITOR_USER=USER,
        DIGEST_EDITOR_PASSWORD=PASSWORD,
        DIGEST_SECRET=SECRET,
    )
    env.update(extra)
    return env


def command(config: Path, db: Location, *args: str) -> list[str]:
    return [sys.executable, "-m", "digest", "--config", str(config), "--db", str(db), *args]


@contextmanager
def digest_serve(
    folder: Path,
    web: dict | None = None,
    smtp_port: int | None = None,
    db: Location | None = None,
    **env: str,
) -> Iterator[Served]:
    """`digest serve` on a free port, until /healthz answers; stopped (SIGTERM) afterwards."""
    config = write_config(folder, web, smtp_port)
    db_path = db or folder / "served.db"
    port = free_port()
    log = (folder / "serve.log").open("wb")
    proc = subprocess.Popen(
        command(config, db_path, "serve", "--port", str(port)),
        env=environment(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=folder,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (folder / "serve.log").read_text()
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "digest serve did not start"
            time.sleep(0.1)
        yield Served(url, port, proc.pid, config, db_path)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def client_from(served: Served, n: int) -> httpx.Client:
    """A client connecting from its own loopback address (127.0.x.y): one more client as the
    server sees it, with no forwarded header to believe."""
    source = f"127.0.{1 + n // 250}.{1 + n % 250}"
    transport = httpx.HTTPTransport(local_address=source)
    return httpx.Client(base_url=served.url, transport=transport, timeout=30)
